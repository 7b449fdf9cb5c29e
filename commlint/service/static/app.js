// commlint web page: checks the draft as you type (debounced), paints findings under the
// words with a mirror div, lists them with why and what instead, applies replacements.
"use strict";
(function () {
  const DEBOUNCE_MS = 350;
  const KNOWN_CATEGORIES = ["acronym", "jargon", "condescension", "next-steps", "follow-up", "readability"];
  const $ = (id) => document.getElementById(id);
  const draft = $("draft"), highlights = $("highlights"), backdrop = $("backdrop");
  const list = $("findings"), statusLine = $("status"), scoreEl = $("score"), decisionEl = $("decision");
  const reasonsEl = $("reasons"), emptyEl = $("empty"), tokenForm = $("token-form");

  let timer = null, seq = 0, controller = null;
  let current = { text: "", findings: [], ignored: [] };  // findings with UTF-16 offsets (u16start/u16end)
  let token = sessionStorage.getItem("commlint-token") || "";

  // The service counts offsets in code points (Python); JavaScript strings index UTF-16 units.
  function codePointToUtf16(text) {
    const map = [];
    let unit = 0;
    for (const ch of text) { map.push(unit); unit += ch.length; }
    map.push(unit);
    return (cp) => map[Math.min(cp, map.length - 1)];
  }

  function category(name) { return KNOWN_CATEGORIES.includes(name) ? name : "other"; }

  function escapeHtml(s) {
    return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  // -- painting the highlights -------------------------------------------------------------
  function paint() {
    const text = draft.value;
    if (text !== current.text) { highlights.innerHTML = escapeHtml(text) + "\n"; return; }
    const cuts = new Set([0, text.length]);
    const spans = current.findings.filter((f) => f.u16end > f.u16start);
    for (const f of spans) { cuts.add(f.u16start); cuts.add(f.u16end); }
    for (const r of current.ignored) { cuts.add(r.u16start); cuts.add(r.u16end); }
    const points = new Map();
    current.findings.forEach((f, i) => {
      if (f.u16end === f.u16start) { points.set(f.u16start, (points.get(f.u16start) || []).concat(i)); cuts.add(f.u16start); }
    });
    const sorted = [...cuts].filter((c) => c >= 0 && c <= text.length).sort((a, b) => a - b);
    let html = "";
    for (let k = 0; k < sorted.length; k++) {
      const a = sorted[k];
      for (const i of points.get(a) || []) {
        html += `<mark class="point cat-${category(current.findings[i].category)}" data-index="${i}"></mark>`;
      }
      if (k + 1 >= sorted.length) break;
      const b = sorted[k + 1];
      let piece = escapeHtml(text.slice(a, b));
      // The shortest finding covering this piece gives the colour (a word inside a phrase).
      let best = -1;
      current.findings.forEach((f, i) => {
        if (f.u16start <= a && b <= f.u16end && f.u16end > f.u16start &&
            (best < 0 || f.u16end - f.u16start < current.findings[best].u16end - current.findings[best].u16start)) best = i;
      });
      if (best >= 0) {
        piece = `<mark class="cat-${category(current.findings[best].category)}" data-index="${best}">${piece}</mark>`;
      } else if (current.ignored.some((r) => r.u16start <= a && b <= r.u16end)) {
        piece = `<span class="ignored">${piece}</span>`;
      }
      html += piece;
    }
    highlights.innerHTML = html + "\n";
    syncScroll();
  }

  function syncScroll() { backdrop.scrollTop = draft.scrollTop; backdrop.scrollLeft = draft.scrollLeft; }

  // -- the side list ------------------------------------------------------------------------
  function renderList(body) {
    scoreEl.textContent = String(body.score);
    decisionEl.textContent = body.decision;
    decisionEl.dataset.decision = body.decision;
    reasonsEl.innerHTML = "";
    for (const reason of body.reasons) {
      const li = document.createElement("li");
      li.textContent = reason;
      reasonsEl.appendChild(li);
    }
    list.innerHTML = "";
    emptyEl.hidden = current.findings.length > 0 || !draft.value.trim();
    current.findings.forEach((f, i) => list.appendChild(findingItem(f, i)));
  }

  function findingItem(f, i) {
    const li = document.createElement("li");
    li.className = `finding cat-${category(f.category)} sev-${f.severity}`;
    li.dataset.index = String(i);
    li.dataset.rule = f.rule;
    const head = document.createElement("div");
    head.className = "finding-head";
    const locate = document.createElement("button");
    locate.type = "button";
    locate.className = "locate";
    locate.textContent = f.message;
    locate.title = "Show in the draft";
    locate.addEventListener("click", () => select(i));
    const tag = document.createElement("span");
    tag.className = "tag";
    tag.innerHTML = `${escapeHtml(f.category)} · <span class="tag-sev">${escapeHtml(f.severity)}</span>`;
    head.append(locate, tag);
    li.appendChild(head);
    if (f.explanation) li.appendChild(para("why", "Why it matters: ", f.explanation));
    if (f.suggestion) li.appendChild(para("instead", "Instead: ", f.suggestion));
    if (f.replacement) {
      const apply = document.createElement("button");
      apply.type = "button";
      apply.className = "apply";
      apply.textContent = `Use this wording: “${f.replacement}”`;
      apply.addEventListener("click", () => applyReplacement(i));
      li.appendChild(apply);
    }
    return li;
  }

  function para(cls, label, text) {
    const p = document.createElement("p");
    p.className = cls;
    const strong = document.createElement("span");
    strong.className = "label";
    strong.textContent = label;
    p.append(strong, document.createTextNode(text));
    return p;
  }

  function markActive(i) {
    for (const el of document.querySelectorAll(".finding.active, mark.active")) el.classList.remove("active");
    if (i < 0) return;
    const item = list.querySelector(`.finding[data-index="${i}"]`);
    if (item) item.classList.add("active");
    for (const m of highlights.querySelectorAll(`mark[data-index="${i}"]`)) m.classList.add("active");
  }

  function select(i) {
    const f = current.findings[i];
    if (!f) return;
    draft.focus();
    draft.setSelectionRange(f.u16start, f.u16end);
    // Bring the selection into view: measure its mark in the mirror.
    const mark = highlights.querySelector(`mark[data-index="${i}"]`);
    if (mark) draft.scrollTop = Math.max(0, mark.offsetTop - draft.clientHeight / 3);
    syncScroll();
    markActive(i);
  }

  function applyReplacement(i) {
    const f = current.findings[i];
    const text = draft.value;
    if (!f || text !== current.text || text.slice(f.u16start, f.u16end) !== f.text) return;
    draft.value = text.slice(0, f.u16start) + f.replacement + text.slice(f.u16end);
    const caret = f.u16start + f.replacement.length;
    draft.focus();
    draft.setSelectionRange(caret, caret);
    setStatus(`Replaced “${f.text}”. Checking again…`);
    paint();
    checkNow();
  }

  // -- talking to the service ------------------------------------------------------------------
  function setStatus(message, isError) {
    statusLine.textContent = message;
    statusLine.classList.toggle("error", Boolean(isError));
  }

  function schedule() {
    clearTimeout(timer);
    paint();
    timer = setTimeout(checkNow, DEBOUNCE_MS);
  }

  async function checkNow() {
    clearTimeout(timer);
    const text = draft.value;
    const mine = ++seq;
    if (controller) controller.abort();
    controller = new AbortController();
    if (!text.trim()) {
      current = { text, findings: [], ignored: [] };
      scoreEl.textContent = "–"; decisionEl.textContent = "–"; decisionEl.dataset.decision = "";
      reasonsEl.innerHTML = ""; list.innerHTML = ""; emptyEl.hidden = true;
      paint(); setStatus("Start typing to check your draft.");
      return;
    }
    setStatus("Checking…");
    const headers = { "content-type": "application/json" };
    if (token) headers.authorization = `Bearer ${token}`;
    let response, body;
    try {
      response = await fetch("/v1/check", {
        method: "POST", headers, signal: controller.signal,
        body: JSON.stringify({ text, kind: $("kind").value, format: $("format").value }),
      });
      body = await response.json();
    } catch (err) {
      if (err.name !== "AbortError" && mine === seq) setStatus("Could not reach the service. Is it still running?", true);
      return;
    }
    if (mine !== seq) return;  // a newer check is on its way
    if (response.status === 401) {
      tokenForm.hidden = false;
      setStatus("This service needs a token: enter it on the right.", true);
      return;
    }
    if (!response.ok) { setStatus(body.message || `The service answered ${response.status}.`, true); return; }
    const toU16 = codePointToUtf16(text);
    current = {
      text,
      findings: body.findings.map((f) => ({ ...f, u16start: toU16(f.start), u16end: toU16(f.end) })),
      ignored: (body.ignored || []).map((r) => ({ ...r, u16start: toU16(r.start), u16end: toU16(r.end) })),
    };
    paint();
    renderList(body);
    const n = current.findings.length;
    setStatus(n ? `${n} finding${n === 1 ? "" : "s"} · decision: ${body.decision}.` : "Nothing to coach. Good to send.");
  }

  // -- wiring ------------------------------------------------------------------------------------
  draft.addEventListener("input", schedule);
  draft.addEventListener("scroll", syncScroll);
  $("kind").addEventListener("change", checkNow);
  $("format").addEventListener("change", checkNow);
  draft.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); checkNow(); }
    if (e.key === "ArrowDown" && e.altKey) {
      const first = list.querySelector(".locate");
      if (first) { e.preventDefault(); first.focus(); }
    }
  });
  // Caret inside a highlighted finding → point at it in the list.
  function caretMoved() {
    if (draft.value !== current.text) return;
    const pos = draft.selectionStart;
    const i = current.findings.findIndex((f) => f.u16start <= pos && pos <= f.u16end && f.u16end > f.u16start);
    markActive(i);
  }
  draft.addEventListener("click", caretMoved);
  draft.addEventListener("keyup", caretMoved);
  list.addEventListener("keydown", (e) => {
    const buttons = [...list.querySelectorAll(".locate")];
    const at = buttons.indexOf(document.activeElement);
    if (e.key === "Escape") { e.preventDefault(); draft.focus(); }
    else if (e.key === "ArrowDown" && at >= 0 && at + 1 < buttons.length) { e.preventDefault(); buttons[at + 1].focus(); }
    else if (e.key === "ArrowUp" && at > 0) { e.preventDefault(); buttons[at - 1].focus(); }
  });
  list.addEventListener("focusin", (e) => {
    const item = e.target.closest(".finding");
    if (item) markActive(Number(item.dataset.index));
  });
  tokenForm.addEventListener("submit", (e) => {
    e.preventDefault();
    token = $("token").value.trim();
    sessionStorage.setItem("commlint-token", token);
    tokenForm.hidden = true;
    checkNow();
  });
  if (window.ResizeObserver) new ResizeObserver(syncScroll).observe(draft);
  paint();
  if (draft.value.trim()) checkNow();
})();
