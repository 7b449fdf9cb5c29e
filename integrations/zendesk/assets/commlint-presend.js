// commlint pre-send check for Zendesk Support (ZAF v2 ticket_sidebar app).
// On `ticket.save` it sends the reply being submitted to `commlint serve` (POST /v1/check) and:
//   block → rejects the save: the agent sees why and the findings, and the reply is not sent;
//   warn  → lets the save go on and lists the findings in the sidebar (plus a notice);
//   pass  → lets the save go on.
// If the service cannot be reached the save goes on (fail open) with a notice, so a down
// coaching service never stops support; change FAIL_OPEN to false to fail closed.
(function (root) {
  "use strict";
  const FAIL_OPEN = true;
  const MAX_LISTED = 5;

  function describe(finding) {
    const where = finding.text ? `“${finding.text}”: ` : "";
    return `${where}${finding.message} ${finding.suggestion}`.trim();
  }

  function blockMessage(result) {
    const lines = result.findings.slice(0, MAX_LISTED).map((f) => `• ${describe(f)}`);
    const more = result.findings.length > MAX_LISTED ? `\n…and ${result.findings.length - MAX_LISTED} more in the commlint panel.` : "";
    return `commlint stopped this reply (score ${result.score}/100): ${result.reasons.join("; ")}.\n${lines.join("\n")}${more}`;
  }

  function render(ui, result) {
    if (!ui) return;
    ui.summary.innerHTML = "";
    const badge = document.createElement("span");
    badge.className = `decision ${result.decision}`;
    badge.textContent = result.decision;
    ui.summary.append(badge, document.createTextNode(` · score ${result.score}/100`));
    ui.list.innerHTML = "";
    for (const f of result.findings) {
      const li = document.createElement("li");
      li.textContent = describe(f);
      if (f.explanation) {
        const why = document.createElement("div");
        why.className = "why";
        why.textContent = f.explanation;
        li.appendChild(why);
      }
      ui.list.appendChild(li);
    }
  }

  async function checkComment(client, settings) {
    const data = await client.get(["ticket.comment", "ticket.comment.type"]);
    const comment = data["ticket.comment"] || {};
    const type = data["ticket.comment.type"] || "";
    if (!comment.text || (type !== "publicReply" && !settings.check_internal_notes)) return null;
    const response = await client.request({
      url: `${settings.service_url.replace(/\/$/, "")}/v1/check`,
      type: "POST",
      contentType: "application/json",
      // {{setting.token}} is filled in by Zendesk's proxy; the token never reaches the browser.
      headers: { Authorization: "Bearer {{setting.token}}" },
      secure: true,
      data: JSON.stringify({ text: comment.text, kind: "reply", format: "html" }),
    });
    return typeof response === "string" ? JSON.parse(response) : response;
  }

  // The `ticket.save` handler: resolve to let the save go on, reject with a message to stop it.
  function makeSaveHandler(client, settings, ui) {
    return async function onTicketSave() {
      let result;
      try {
        result = await checkComment(client, settings);
      } catch (err) {
        if (FAIL_OPEN) {
          client.invoke("notify", "commlint could not check this reply; it was sent unchecked.", "alert");
          return true;
        }
        throw "commlint could not check this reply. Try again in a minute.";
      }
      if (!result) return true;
      render(ui, result);
      if (result.decision === "block") throw blockMessage(result);  // Zendesk shows it and cancels the save
      if (result.decision === "warn") {
        client.invoke("notify", `commlint: ${result.findings.length} thing(s) to look at next time — see the commlint panel.`, "notice");
      }
      return true;
    };
  }

  async function install(client, ui) {
    const metadata = await client.metadata();
    const settings = metadata.settings;
    client.on("ticket.save", makeSaveHandler(client, settings, ui));
  }

  const api = { install, makeSaveHandler, blockMessage, describe };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else root.CommlintPresend = api;
})(typeof window !== "undefined" ? window : globalThis);
