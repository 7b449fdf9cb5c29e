// commlint web page: checks the draft as you type (debounced), paints findings under the
// words with a mirror div, lists them with why and what instead, applies replacements.
"use strict";
(function () {
  const DEBOUNCE_MS = 350;
  const KNOWN_CATEGORIES = ["acronym", "jargon", "condescension", "next-steps", "follow-up", "readability"];
  // The words the legend uses, on the cards too ("tone", not "condescension").
  const CATEGORY_NAMES = { acronym: "acronym", jargon: "jargon", condescension: "tone", "next-steps": "next steps",
                           "follow-up": "follow-up", readability: "readability" };
  // Phrases that read better gone than reworded: a one-click "Remove" on their cards.
  const REMOVABLE_RULES = ["condescension.minimizer", "condescension.obviously", "condescension.belittling"];
  const $ = (id) => document.getElementById(id);
  const draft = $("draft"), highlights = $("highlights"), backdrop = $("backdrop");
  const list = $("findings"), statusLine = $("status"), scoreEl = $("score"), decisionEl = $("decision");
  const reasonsEl = $("reasons"), emptyEl = $("empty"), tokenForm = $("token-form");

  let timer = null, seq = 0, controller = null;
  let current = { text: "", findings: [], ignored: [] };  // findings with UTF-16 offsets (u16start/u16end)
  let token = sessionStorage.getItem("commlint-token") || "";
  // Kept in this browser only: words this writer's readers know (sent with each check, so the
  // service leaves them alone) and findings they chose to ignore (hidden here, by rule and words).
  const stored = (key) => { try { return JSON.parse(localStorage.getItem(key) || "[]"); } catch (e) { return []; } };
  let knownWords = stored("commlint-known-words");
  let ignoredFindings = stored("commlint-ignored-findings");
  const ignoreKey = (f) => `${f.rule}\u0000${f.text.toLowerCase()}`;

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
    // "pending" while the highlights show text the service has not answered for yet
    highlights.dataset.state = text === current.text ? "checked" : "pending";
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
    tag.innerHTML = `${escapeHtml(CATEGORY_NAMES[f.category] || f.category)} · <span class="tag-sev">${escapeHtml(f.severity)}</span>`;
    head.append(locate, tag);
    li.appendChild(head);
    if (f.suggestion) li.appendChild(para("instead", "Instead: ", f.suggestion));
    const actions = document.createElement("div");
    actions.className = "actions";
    if (f.replacement) actions.appendChild(button("apply", `Use this wording: “${f.replacement}”`, () => applyReplacement(i, f.replacement)));
    else if (f.text && REMOVABLE_RULES.includes(f.rule)) actions.appendChild(button("apply", `Remove “${f.text}”`, () => applyReplacement(i, "")));
    if (f.text) {
      actions.appendChild(button("ignore", "Ignore", () => ignoreFinding(f), "Hide this finding in this browser"));
      if (f.category === "acronym" || f.category === "jargon") {
        actions.appendChild(button("known", "Add to known words", () => addKnownWord(f.text),
          "Your readers know this word: never flag it again in this browser"));
      }
    }
    if (actions.childNodes.length) li.appendChild(actions);
    if (f.explanation) {
      const why = document.createElement("details");
      why.className = "why";
      const summary = document.createElement("summary");
      summary.textContent = "Why it matters";
      why.append(summary, document.createTextNode(f.explanation));
      li.appendChild(why);
    }
    return li;
  }

  function button(cls, label, onClick, title) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = cls;
    b.textContent = label;
    if (title) b.title = title;
    b.addEventListener("click", onClick);
    return b;
  }

  function ignoreFinding(f) {
    ignoredFindings = [...new Set([...ignoredFindings, ignoreKey(f)])];
    localStorage.setItem("commlint-ignored-findings", JSON.stringify(ignoredFindings));
    setStatus(`Ignoring “${f.text}” for this rule in this browser.`);
    checkNow();
  }

  function addKnownWord(word) {
    knownWords = [...new Set([...knownWords, word])];
    localStorage.setItem("commlint-known-words", JSON.stringify(knownWords));
    setStatus(`“${word}” added to your known words (kept in this browser).`);
    checkNow();
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

  // The edit goes through the browser's own undo stack (execCommand insertText), so Ctrl+Z
  // brings the old words back; a browser without it gets a plain edit.
  function applyReplacement(i, replacement) {
    const f = current.findings[i];
    const text = draft.value;
    if (!f || text !== current.text || text.slice(f.u16start, f.u16end) !== f.text) return;
    let start = f.u16start, end = f.u16end;
    if (!replacement) {  // removing a word: take one neighbouring space with it
      if (text[end] === " ") end += 1; else if (start > 0 && text[start - 1] === " ") start -= 1;
    }
    draft.focus();
    draft.setSelectionRange(start, end);
    let done = false;
    try { done = document.execCommand("insertText", false, replacement); } catch (e) { done = false; }
    if (!done || draft.value === text) {
      draft.value = text.slice(0, start) + replacement + text.slice(end);
      draft.setSelectionRange(start + replacement.length, start + replacement.length);
    }
    setStatus(`${replacement ? "Replaced" : "Removed"} “${f.text}” (Ctrl+Z undoes it). Checking again…`);
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
        body: JSON.stringify({ text, kind: $("kind").value, format: $("format").value,
                               ...(knownWords.length ? { known_words: knownWords } : {}) }),
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
      findings: body.findings.filter((f) => !ignoredFindings.includes(ignoreKey(f)))
        .map((f) => ({ ...f, u16start: toU16(f.start), u16end: toU16(f.end) })),
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
    // clicking an underlined word opens its card
    const item = i >= 0 ? list.querySelector(`.finding[data-index="${i}"]`) : null;
    if (item) item.scrollIntoView({ block: "nearest" });
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
  $("copy").addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(draft.value);
      setStatus("Draft copied.");
    } catch (e) {
      draft.focus(); draft.select();
      setStatus(document.execCommand("copy") ? "Draft copied." : "Select the draft and copy it (Ctrl+C).", false);
    }
  });
  $("forget").addEventListener("click", () => {
    knownWords = []; ignoredFindings = [];
    localStorage.removeItem("commlint-known-words"); localStorage.removeItem("commlint-ignored-findings");
    setStatus("Known words and ignored findings cleared in this browser.");
    checkNow();
  });
  if (window.ResizeObserver) new ResizeObserver(syncScroll).observe(draft);
  paint();
  if (draft.value.trim()) checkNow();
})();
