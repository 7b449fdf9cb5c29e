"use strict";
// The per-site switch: a host in `disabledSites` gets no checks (the content script tears its overlay down).
(async () => {
  const box = document.getElementById("on"), siteEl = document.getElementById("site"), status = document.getElementById("status");
  const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
  let site = null;
  try { const u = new URL(tab.url); if (u.protocol === "http:" || u.protocol === "https:") site = u.host; } catch (e) { site = null; }
  if (!site) { box.disabled = true; siteEl.textContent = "this page"; status.textContent = "commlint checks web pages only."; return; }
  siteEl.textContent = site;
  const { disabledSites = [], serviceUrl = "http://127.0.0.1:8080" } = await chrome.storage.local.get(["disabledSites", "serviceUrl"]);
  box.checked = !disabledSites.includes(site);
  status.textContent = `Service: ${serviceUrl}`;
  box.addEventListener("change", async () => {
    const { disabledSites: now = [] } = await chrome.storage.local.get("disabledSites");
    const next = now.filter((s) => s !== site);
    if (!box.checked) next.push(site);
    await chrome.storage.local.set({ disabledSites: next });
  });
})();
