// Runs the Zendesk app's ticket.save handler with a stand-in ZAF client whose `request` goes
// to a real `commlint serve` (as Zendesk's proxy would, filling in {{setting.token}}).
// usage: node zendesk_save.cjs SERVICE_URL TOKEN DRAFT_FILE [COMMENT_TYPE]
"use strict";
const fs = require("fs");
const path = require("path");
const presend = require(path.join(__dirname, "../../integrations/zendesk/assets/commlint-presend.js"));

const [serviceUrl, token, draftFile, commentType = "publicReply"] = process.argv.slice(2);
const notices = [];
const client = {
  async get(keys) {
    return { "ticket.comment": { text: fs.readFileSync(draftFile, "utf8") }, "ticket.comment.type": commentType };
  },
  async request(options) {
    const headers = { "content-type": options.contentType };
    for (const [k, v] of Object.entries(options.headers || {})) headers[k] = v.replace("{{setting.token}}", token);
    const response = await fetch(options.url, { method: options.type, headers, body: options.data });
    if (!response.ok) throw { status: response.status, responseText: await response.text() };
    return response.json();
  },
  invoke(name, message, kind) { if (name === "notify") notices.push({ message, kind }); },
};
const handler = presend.makeSaveHandler(client, { service_url: serviceUrl, check_internal_notes: false }, null);
handler().then(
  () => console.log(JSON.stringify({ outcome: "saved", notices })),
  (message) => console.log(JSON.stringify({ outcome: "stopped", message, notices })),
);
