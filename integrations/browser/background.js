// commlint extension, service worker: the only part that talks to `commlint serve`.
// Content scripts send {type: "check", text}; this worker posts it to POST /v1/check with the
// token from chrome.storage and answers with the report, or with a state: "down" (the service did
// not answer: backs off, so a stopped service costs a handful of requests, never a loop),
// "unauthorized" (401: the token in the options is wrong or missing) or "error".
"use strict";

// Defaults are applied when read, never written: writing them at install could overwrite what an
// administrator's policy or a quick first visit to the options page has just set.
const DEFAULTS = { serviceUrl: "http://127.0.0.1:8080", token: "", kind: "reply", disabledSites: [] };
const TIMEOUT_MS = 15000;
const BACKOFF_FIRST_MS = 5000;
const BACKOFF_MAX_MS = 5 * 60 * 1000;
const COLORS = { pass: "#2e7d32", warn: "#b26a00", block: "#c62828", down: "#9e9e9e" };

async function settings() {
  return { ...DEFAULTS, ...(await chrome.storage.local.get(Object.keys(DEFAULTS))) };
}

// The back-off state lives in storage.session so a worker that Chrome stops and restarts keeps it.
async function backoff() {
  const { backoff } = await chrome.storage.session.get("backoff");
  return backoff || { failures: 0, retryAt: 0, url: "" };
}

async function setBackoff(value) {
  await chrome.storage.session.set({ backoff: value });
}

function badge(tabId, text, color, title) {
  if (tabId === undefined) return;
  chrome.action.setBadgeText({ tabId, text }).catch(() => {});
  if (color) chrome.action.setBadgeBackgroundColor({ tabId, color }).catch(() => {});
  chrome.action.setTitle({ tabId, title: title || "commlint" }).catch(() => {});
}

async function check(text, tabId) {
  const cfg = await settings();
  const url = cfg.serviceUrl.replace(/\/+$/, "") + "/v1/check";
  let state = await backoff();
  if (state.url !== cfg.serviceUrl) state = { failures: 0, retryAt: 0, url: cfg.serviceUrl };
  const downBadge = () => badge(tabId, "off", COLORS.down, `commlint: the service at ${cfg.serviceUrl} is not reachable`);
  const now = Date.now();
  if (state.retryAt > now) {
    downBadge();
    return { status: "down", url: cfg.serviceUrl, retryInMs: state.retryAt - now };
  }
  // Not reachable, timed out, or a proxy saying the service is unavailable: wait longer each time.
  const down = async () => {
    state.failures += 1;
    const wait = Math.min(BACKOFF_FIRST_MS * 2 ** (state.failures - 1), BACKOFF_MAX_MS);
    state.retryAt = Date.now() + wait;
    await setBackoff(state);
    downBadge();
    return { status: "down", url: cfg.serviceUrl, retryInMs: wait };
  };
  const headers = { "Content-Type": "application/json" };
  if (cfg.token) headers.Authorization = `Bearer ${cfg.token}`;
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), TIMEOUT_MS);
  let resp;
  const started = performance.now();
  try {
    resp = await fetch(url, {
      method: "POST", headers, body: JSON.stringify({ text, kind: cfg.kind, format: "plain" }),
      signal: abort.signal, credentials: "omit", cache: "no-store",
    });
  } catch (e) {
    return down();
  } finally {
    clearTimeout(timer);
  }
  if (resp.status === 502 || resp.status === 503 || resp.status === 504) return down();
  if (state.failures || state.retryAt) await setBackoff({ failures: 0, retryAt: 0, url: cfg.serviceUrl });
  if (resp.status === 401) {
    badge(tabId, "key", COLORS.down, "commlint: the service wants a token — set it in the extension's options");
    return { status: "unauthorized", url: cfg.serviceUrl };
  }
  let body = null;
  try { body = await resp.json(); } catch (e) { body = null; }
  if (!resp.ok || !body || !Array.isArray(body.findings)) {
    badge(tabId, "err", COLORS.down, `commlint: the service answered ${resp.status}`);
    return { status: "error", code: resp.status, message: body && body.message };
  }
  badge(tabId, String(body.score), COLORS[body.decision], `commlint: score ${body.score}, ${body.decision}`);
  return { status: "ok", report: body, serviceMs: Math.round(performance.now() - started) };
}

chrome.runtime.onMessage.addListener((msg, sender, reply) => {
  if (!msg || msg.type !== "check" || typeof msg.text !== "string") return false;
  const tabId = sender.tab ? sender.tab.id : undefined;
  check(msg.text, tabId).then(reply, (e) => reply({ status: "error", message: String(e) }));
  return true;  // answer asynchronously
});
