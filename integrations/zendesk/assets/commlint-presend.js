// commlint pre-send check for Zendesk Support (ZAF v2 ticket_sidebar app).
// On `ticket.save` it sends the reply being submitted to `commlint serve` (POST /v1/check) and:
//   block → rejects the save: the agent sees why and the findings, and the reply is not sent.
//           To send it anyway the agent gives a reason in the panel and presses "Send anyway";
//           the next submit of that same reply goes through, and the override (decision, rule
//           ids and the reason — never the reply's text) is logged by the service (POST /v1/override);
//   warn  → stops the save once and lists the findings; submitting the same reply again sends it;
//   pass  → lets the save go on.
// Which findings warn and which block is the service's `policy:` (block_on, block_rules, …).
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

  function listed(result) {
    const lines = result.findings.slice(0, MAX_LISTED).map((f) => `• ${describe(f)}`);
    const more = result.findings.length > MAX_LISTED ? `\n…and ${result.findings.length - MAX_LISTED} more in the commlint panel.` : "";
    return `${lines.join("\n")}${more}`;
  }

  function blockMessage(result) {
    return `commlint stopped this reply (score ${result.score}/100): ${result.reasons.join("; ")}.\n${listed(result)}` +
      "\nTo send it anyway, give a reason under “Send anyway” in the commlint panel, then submit again.";
  }

  function warnMessage(result) {
    const n = result.findings.length;
    return `commlint: ${n} thing${n === 1 ? "" : "s"} to look at before this goes out (score ${result.score}/100).\n` +
      `${listed(result)}\nEdit the reply, or submit again to send it as it is.`;
  }

  // A short fingerprint of the reply, so "submit again" and "send anyway" apply to this reply only.
  function fingerprint(text) {
    let h = 2166136261;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
    return `${text.length}:${h.toString(16)}`;
  }

  // "Send anyway": allowed for the reply that was last blocked, with a reason of a few words.
  function armOverride(state, reason) {
    const why = (reason || "").trim();
    if (!state.lastBlocked) return "Nothing was blocked.";
    if (why.length < 3) return "Say in a few words why this reply should go out as it is.";
    state.override = { for: state.lastBlocked.fingerprint, reason: why, rules: state.lastBlocked.rules };
    return null;
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
    const text = comment.text;
    const response = await client.request({
      url: `${settings.service_url.replace(/\/$/, "")}/v1/check`,
      type: "POST",
      contentType: "application/json",
      // {{setting.token}} is filled in by Zendesk's proxy; the token never reaches the browser.
      headers: { Authorization: "Bearer {{setting.token}}" },
      secure: true,
      data: JSON.stringify({ text: comment.text, kind: "reply", format: "html" }),
    });
    const result = typeof response === "string" ? JSON.parse(response) : response;
    return Object.assign({}, result, { text });
  }

  async function logOverride(client, settings, override) {
    try {
      await client.request({
        url: `${settings.service_url.replace(/\/$/, "")}/v1/override`,
        type: "POST",
        contentType: "application/json",
        headers: { Authorization: "Bearer {{setting.token}}" },
        secure: true,
        data: JSON.stringify({ decision: "block", rules: override.rules, reason: override.reason }),
      });
    } catch (err) {
      // the reply is sent either way; a lost log line must not stop support
    }
  }

  // The `ticket.save` handler: resolve to let the save go on, reject with a message to stop it.
  // `state` remembers, per sidebar, the reply last warned about or blocked and an armed override.
  function makeSaveHandler(client, settings, ui, state = {}) {
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
      const print = fingerprint(result.text || "");
      if (result.decision === "block") {
        if (state.override && state.override.for === print) {
          const override = state.override;
          state.override = null;
          await logOverride(client, settings, override);
          client.invoke("notify", "commlint: sent anyway; your reason was recorded.", "notice");
          return true;
        }
        state.lastBlocked = { fingerprint: print, rules: [...new Set(result.findings.map((f) => f.rule))] };
        throw blockMessage(result);  // Zendesk shows it and cancels the save
      }
      if (result.decision === "warn") {
        if (state.warnedFor === print) {
          state.warnedFor = null;
          return true;  // the second submit of the same reply: the agent has seen the findings
        }
        state.warnedFor = print;
        throw warnMessage(result);
      }
      return true;
    };
  }

  async function install(client, ui) {
    const metadata = await client.metadata();
    const settings = metadata.settings;
    const state = {};
    client.on("ticket.save", makeSaveHandler(client, settings, ui, state));
    if (ui && ui.overrideButton) {
      ui.overrideButton.addEventListener("click", () => {
        const problem = armOverride(state, ui.overrideReason.value);
        ui.overrideStatus.textContent = problem || "Armed: submit the reply again to send it as it is.";
      });
    }
  }

  const api = { install, makeSaveHandler, armOverride, blockMessage, warnMessage, describe, fingerprint };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else root.CommlintPresend = api;
})(typeof window !== "undefined" ? window : globalThis);
