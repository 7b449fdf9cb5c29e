// Runs the Zendesk app's ticket.save handler with a stand-in ZAF client whose `request` goes
// to a real `commlint serve` (as Zendesk's proxy would, filling in {{setting.token}}).
// usage: node zendesk_save.cjs SERVICE_URL TOKEN DRAFT_FILE [COMMENT_TYPE] [STEPS]
// STEPS: comma-separated agent actions, default "save": "save" submits the reply,
// "override:REASON" fills in "Send anyway" with that reason. Prints one outcome per save.
"use strict";
const fs = require("fs");
const path = require("path");
const presend = require(path.join(__dirname, "../../integrations/zendesk/assets/commlint-presend.js"));

const [serviceUrl, token, draftFile, commentType = "publicReply", steps = "save"] = process.argv.slice(2);
const requests = [];
const notices = [];
const client = {
  async get(keys) {
    return { "ticket.comment": { text: fs.readFileSync(draftFile, "utf8") }, "ticket.comment.type": commentType };
  },
  async request(options) {
    const headers = { "content-type": options.contentType };
    for (const [k, v] of Object.entries(options.headers || {})) headers[k] = v.replace("{{setting.token}}", token);
    requests.push({ url: options.url, body: options.data });
    const response = await fetch(options.url, { method: options.type, headers, body: options.data });
    if (!response.ok) throw { status: response.status, responseText: await response.text() };
    return response.status === 204 ? null : response.json();
  },
  invoke(name, message, kind) { if (name === "notify") notices.push({ message, kind }); },
};
const state = {};
const handler = presend.makeSaveHandler(client, { service_url: serviceUrl, check_internal_notes: false }, null, state);
(async () => {
  const outcomes = [];
  for (const step of steps.split(",")) {
    if (step.startsWith("override:")) {
      const problem = presend.armOverride(state, step.slice("override:".length));
      if (problem) outcomes.push({ outcome: "override refused", message: problem });
      continue;
    }
    notices.length = 0;
    try {
      await handler();
      outcomes.push({ outcome: "saved", notices: [...notices] });
    } catch (message) {
      outcomes.push({ outcome: "stopped", message, notices: [...notices] });
    }
  }
  const overrides = requests.filter((r) => r.url.endsWith("/v1/override")).map((r) => JSON.parse(r.body));
  console.log(JSON.stringify(outcomes.length === 1 && steps === "save" ? outcomes[0] : { outcomes, overrides }));
})();
