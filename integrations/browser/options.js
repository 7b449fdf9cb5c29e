"use strict";
const FIELDS = { serviceUrl: "http://127.0.0.1:8080", token: "", kind: "reply" };
const form = document.getElementById("form");
document.getElementById("origin").textContent = `chrome-extension://${chrome.runtime.id}`;
chrome.storage.local.get(Object.keys(FIELDS)).then((s) => {
  for (const [k, v] of Object.entries(FIELDS)) form.elements[k].value = s[k] ?? v;
});
form.addEventListener("submit", async (e) => {
  e.preventDefault();
  const values = {};
  for (const k of Object.keys(FIELDS)) values[k] = form.elements[k].value.trim();
  values.serviceUrl = values.serviceUrl.replace(/\/+$/, "");
  await chrome.storage.local.set(values);
  await chrome.storage.session.remove("backoff");  // a new address or token: try it at once
  const saved = document.getElementById("saved");
  saved.hidden = false;
  setTimeout(() => { saved.hidden = true; }, 2000);
});
