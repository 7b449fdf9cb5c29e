"use strict";
// The per-site switch: a host in `disabledSites` gets no checks (the content script tears its overlay down).
// The site comes from the page's own content script, so the extension needs no "tabs" permission.
(async () => {
  const box = document.getElementById("on"), siteEl = document.getElementById("site"), status = document.getElementById("status");
  // The toolbar's tab; `?tab=<id>` opens the same switch for a given tab (the browser tests use it).
  const asked = Number(new URLSearchParams(location.search).get("tab"));
  const tabId = asked || (await chrome.tabs.query({ active: true, currentWindow: true }))[0]?.id;
  let info = null;
  try { info = await chrome.tabs.sendMessage(tabId, { type: "commlint-site" }, { frameId: 0 }); } catch (e) { info = null; }
  if (!info || !info.site) {
    box.disabled = true;
    siteEl.textContent = "this page";
    status.textContent = "commlint works on web pages (reload a page opened before the extension was installed).";
    return;
  }
  const site = info.site;
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
