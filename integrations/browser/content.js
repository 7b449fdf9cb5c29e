// commlint extension, content script: finds reply boxes, checks the draft as the technician types
// (through the service worker), and draws underlines in its OWN overlay layer. It never writes to
// the editor's DOM: the overlay is a shadow root on a host element beside <body>, positioned from
// Range.getClientRects() over the draft's text nodes (a textarea is measured in a mirror copy).
// Applying a suggestion selects the words and runs execCommand("insertText"), as typing would, so
// the editor's own undo reverts it.
"use strict";
(() => {
  if (window.__commlintLoaded) return;
  window.__commlintLoaded = true;
  // A same-origin frame is handled by the script of the page that holds it (one overlay on top).
  try { if (window !== window.top && window.frameElement) return; } catch (e) { /* cross-origin: ours */ }

  const DEBOUNCE_MS = 600;
  const HOVER_MS = 250;
  const COLORS = { acronym: "#1565c0", jargon: "#6a1b9a", condescension: "#c62828", "next-steps": "#ef6c00",
                   "follow-up": "#2e7d32", readability: "#00838f" };
  const BLOCKS = new Set(["P", "DIV", "LI", "UL", "OL", "H1", "H2", "H3", "H4", "H5", "H6", "BLOCKQUOTE", "PRE",
                          "TR", "TABLE", "SECTION", "ARTICLE", "HEADER", "FOOTER", "DD", "DT", "FIGURE"]);
  const SKIP = new Set(["SCRIPT", "STYLE", "TEMPLATE", "NOSCRIPT"]);

  // The site the technician sees (the top page's host, also for an editor in a cross-origin frame).
  const ancestors = location.ancestorOrigins;
  const site = ancestors && ancestors.length ? new URL(ancestors[ancestors.length - 1]).host : location.host;
  let enabled = false;
  let kind = "reply";
  const editors = new Map();       // element -> Editor
  const docs = new Set();          // documents we listen to (this one and same-origin frames)
  let host = null, shadow = null, layer = null, card = null;
  let layoutQueued = false;
  let cardFor = null, hoverTimer = null, hideTimer = null;

  // ---------------------------------------------------------------- the overlay layer
  function ensureHost() {
    if (host && host.isConnected) return;
    host = document.createElement("commlint-overlay");
    host.setAttribute("data-editors", "0");
    // Beside <body>, never inside it: the page's own content (and an editor that is <body>) is untouched.
    shadow = host.attachShadow({ mode: "open" });
    shadow.innerHTML = `<style>
      :host { all: initial; position: fixed; left: 0; top: 0; width: 0; height: 0; z-index: 2147483646;
              pointer-events: none; }
      .clip { position: fixed; overflow: hidden; pointer-events: none; }
      .u { position: absolute; box-sizing: border-box; border-bottom: 2px solid; opacity: .85; pointer-events: none; }
      .u.active { border-bottom-width: 3px; background: rgba(255, 213, 79, .25); }
      .badge { position: fixed; pointer-events: auto; font: 600 11px/18px system-ui, sans-serif; color: #fff;
               background: #607d8b; border-radius: 9px; padding: 0 7px; cursor: pointer; white-space: nowrap;
               box-shadow: 0 1px 3px rgba(0,0,0,.3); }
      .badge[data-state="pass"] { background: #2e7d32; } .badge[data-state="warn"] { background: #b26a00; }
      .badge[data-state="block"] { background: #c62828; }
      .badge[data-state="down"], .badge[data-state="unauthorized"], .badge[data-state="error"] {
               background: #eceff1; color: #607d8b; font-weight: 400; }
      .card { position: fixed; pointer-events: auto; max-width: 360px; background: #fff; color: #212121;
              font: 13px/1.4 system-ui, sans-serif; border: 1px solid #cfd8dc; border-radius: 6px;
              box-shadow: 0 4px 16px rgba(0,0,0,.18); padding: 10px 12px; }
      .card .cat { font-size: 11px; text-transform: uppercase; letter-spacing: .04em; color: #607d8b; }
      .card .msg { font-weight: 600; margin: 2px 0 6px; }
      .card .why, .card .instead { margin: 4px 0; } .card b { color: #455a64; }
      .card button { margin-top: 6px; font: 600 12px system-ui, sans-serif; padding: 4px 10px; border-radius: 4px;
                     border: 1px solid #1565c0; background: #1565c0; color: #fff; cursor: pointer; }
      .card ul { margin: 4px 0; padding-left: 18px; } .mirror { position: fixed; left: -99999px; top: 0;
              visibility: hidden; white-space: pre-wrap; overflow-wrap: break-word; word-wrap: break-word; }
      .sink { position: fixed; left: 0; top: 0; width: 1px; height: 1px; opacity: 0; pointer-events: none; outline: none; }
    </style><div class="layer"></div><div class="sink" tabindex="-1"></div>`;
    layer = shadow.querySelector(".layer");
    document.documentElement.appendChild(host);
  }

  function scheduleLayout() {
    if (layoutQueued) return;
    layoutQueued = true;
    requestAnimationFrame(() => {
      layoutQueued = false;
      // A page that rebuilds <html>'s children drops the host: put it back (its shadow content stays).
      if (host && !host.isConnected && editors.size) document.documentElement.appendChild(host);
      for (const ed of editors.values()) ed.layout();
      placeCard();
    });
  }

  // Offset of a (same-origin) frame's viewport in this window's viewport.
  function frameOffset(doc) {
    let x = 0, y = 0, win = doc.defaultView;
    while (win && win !== window) {
      const fe = win.frameElement;
      if (!fe) break;
      const r = fe.getBoundingClientRect(), cs = win.parent.getComputedStyle(fe);
      x += r.left + fe.clientLeft + parseFloat(cs.paddingLeft);
      y += r.top + fe.clientTop + parseFloat(cs.paddingTop);
      win = win.parent;
    }
    return { x, y };
  }

  function intersect(a, b) {
    const left = Math.max(a.left, b.left), top = Math.max(a.top, b.top);
    const right = Math.min(a.right, b.right), bottom = Math.min(a.bottom, b.bottom);
    return { left, top, right, bottom, width: Math.max(0, right - left), height: Math.max(0, bottom - top) };
  }

  // Code points (the service, Python) -> UTF-16 units (JavaScript strings).
  function cpToU16(text) {
    const map = [];
    let unit = 0;
    for (const ch of text) { map.push(unit); unit += ch.length; }
    map.push(unit);
    return (cp) => map[Math.min(cp, map.length - 1)];
  }

  // ---------------------------------------------------------------- text of an editor
  // A contenteditable's text, with a map from text offsets back to its text nodes.
  const PARAGRAPHS = new Set(["P", "H1", "H2", "H3", "H4", "H5", "H6", "UL", "OL", "TABLE", "PRE", "BLOCKQUOTE"]);

  // Quoted history in a rich reply (<blockquote>, Gmail's quote) is left out of a reply or chat
  // turn, as the service leaves out "> " lines of plain text; a KB article's quotes are content.
  function isQuote(el) {
    return kind !== "kb" && (el.tagName === "BLOCKQUOTE" || el.classList.contains("gmail_quote"));
  }

  function readRich(root) {
    let text = "";
    const segs = [];  // {node, start, end}
    const newline = () => { if (text && !text.endsWith("\n")) text += "\n"; };
    const paragraph = () => { newline(); if (text && !text.endsWith("\n\n")) text += "\n"; };
    const walk = (node) => {
      for (let n = node.firstChild; n; n = n.nextSibling) {
        if (n.nodeType === 3) {
          const v = n.nodeValue;
          if (v) { segs.push({ node: n, start: text.length, end: text.length + v.length }); text += v; }
        } else if (n.nodeType === 1) {
          if (SKIP.has(n.tagName)) continue;
          if (n.tagName === "BR") { text += "\n"; continue; }
          if (isQuote(n)) { paragraph(); continue; }
          const block = BLOCKS.has(n.tagName) || PARAGRAPHS.has(n.tagName);
          if (block) newline();
          walk(n);
          if (PARAGRAPHS.has(n.tagName)) paragraph(); else if (block) newline();
        }
      }
    };
    walk(root);
    return { text, segs };
  }

  function point(segs, offset, atEnd) {
    // The text node and offset for a text position; between nodes, prefer the one the range needs.
    for (const s of segs) {
      if (offset < s.end || (offset === s.end && atEnd)) {
        if (offset >= s.start) return { node: s.node, offset: offset - s.start };
        return { node: s.node, offset: 0 };  // in a separator: start of the next text
      }
    }
    const last = segs[segs.length - 1];
    return last ? { node: last.node, offset: last.node.nodeValue.length } : null;
  }

  // ---------------------------------------------------------------- one editor
  class Editor {
    constructor(el) {
      this.el = el;
      this.doc = el.ownerDocument;
      this.isTextarea = el.tagName === "TEXTAREA";
      this.findings = [];  // {f, s, e} with UTF-16 offsets into this.text
      this.text = null;
      this.checkedText = null;
      this.report = null;
      this.state = "idle";
      this.timer = null;
      this.inFlight = false;
      this.pending = false;
      this.boxes = [];     // {item, rects} for hit-testing (viewport of this window)
      ensureHost();
      this.clip = document.createElement("div");
      this.clip.className = "clip";
      this.badge = document.createElement("div");
      this.badge.className = "badge";
      this.badge.hidden = true;
      this.badge.addEventListener("mousedown", (e) => e.preventDefault());
      this.badge.addEventListener("click", () => showSummary(this));
      layer.append(this.clip, this.badge);
      if (this.isTextarea) {
        this.mirror = document.createElement("div");
        this.mirror.className = "mirror";
        layer.append(this.mirror);
      }
      this.resize = new ResizeObserver(scheduleLayout);
      this.resize.observe(el);
    }

    read() {
      if (this.isTextarea) return { text: this.el.value, segs: null };
      return readRich(this.el);
    }

    onInput() {
      const { text } = this.read();
      this.shift(text);
      hideCard(true);
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.check(), DEBOUNCE_MS);
      scheduleLayout();
    }

    // Keep underlines on the words they belong to while the technician types, until the next answer.
    shift(text) {
      const old = this.text;
      this.text = text;
      if (old === null || old === text || !this.findings.length) return;
      let p = 0;
      const max = Math.min(old.length, text.length);
      while (p < max && old[p] === text[p]) p++;
      let q = 0;
      while (q < max - p && old[old.length - 1 - q] === text[text.length - 1 - q]) q++;
      const oldEnd = old.length - q, delta = text.length - old.length;
      this.findings = this.findings.filter((x) => x.e <= p || x.s >= oldEnd)
        .map((x) => (x.s >= oldEnd ? { ...x, s: x.s + delta, e: x.e + delta } : x));
    }

    async check() {
      if (!enabled) return;
      if (this.inFlight) { this.pending = true; return; }
      const { text } = this.read();
      if (!text.trim()) { this.apply(text, null); return; }
      if (text === this.checkedText && this.report) {  // back to the checked draft (an undo): its findings again
        this.apply(text, this.report);
        return;
      }
      this.inFlight = true;
      let answer;
      try {
        answer = await chrome.runtime.sendMessage({ type: "check", text });
      } catch (e) {
        answer = { status: "error", message: String(e) };
      }
      this.inFlight = false;
      if (!chrome.runtime?.id) { setEnabled(false); return; }  // the extension was reloaded or removed: go quietly
      if (!enabled) return;
      if (answer && answer.status === "ok") {
        this.checkedText = text;
        host.setAttribute("data-service-ms", String(answer.serviceMs));  // the round trip to the service, for measuring
        this.apply(text, answer.report);
      } else {
        this.state = (answer && answer.status) || "error";
        this.stateInfo = answer || {};
        if (this.state === "down") this.checkedText = null;
        this.renderBadge();
      }
      if (this.pending) { this.pending = false; if (this.read().text !== text) this.check(); }
    }

    apply(text, report) {
      this.report = report;
      const current = this.read().text;
      this.text = text;
      const toU16 = cpToU16(text);
      this.findings = report ? report.findings.map((f) => ({ f, s: toU16(f.start), e: toU16(f.end) })) : [];
      this.state = report ? report.decision : "idle";
      this.shift(current);  // typed while the check ran
      host.setAttribute("data-checks", String(Number(host.getAttribute("data-checks") || 0) + 1));
      this.layout();
    }

    renderBadge() {
      const b = this.badge;
      b.dataset.state = this.state;
      if (this.state === "idle") { b.hidden = true; return; }
      b.hidden = false;
      if (this.report && ["pass", "warn", "block"].includes(this.state)) {
        b.textContent = `${this.report.score} · ${this.state}`;
        b.title = `commlint: score ${this.report.score}, ${this.state}` +
          (this.report.reasons.length ? ` — ${this.report.reasons.join(" ")}` : "");
      } else if (this.state === "down") {
        b.textContent = "commlint offline";
        b.title = `commlint: the service at ${this.stateInfo.url} is not reachable (is \`commlint serve\` running, ` +
          `with --allow-origin chrome-extension://${chrome.runtime.id}?); it is tried again after a later pause in typing.`;
      } else if (this.state === "unauthorized") {
        b.textContent = "commlint: token?";
        b.title = "commlint: the service refused the token — set it in the extension's options.";
      } else {
        b.textContent = "commlint: error";
        b.title = `commlint: the service could not check this draft (${this.stateInfo.code || ""} ${this.stateInfo.message || ""})`;
      }
    }

    // Client rects (this window's viewport) of the draft's text positions [s, e).
    rangeRects(s, e, read) {
      if (this.isTextarea) {
        const ta = this.el, m = this.mirror;
        const tr = ta.getBoundingClientRect(), off = frameOffset(this.doc);
        const mr = m.getBoundingClientRect();
        const node = m.firstChild;
        if (!node) return [];
        const range = document.createRange();
        range.setStart(node, Math.min(s, node.length));
        range.setEnd(node, Math.min(e, node.length));
        return Array.from(range.getClientRects()).map((r) => {
          // The mirror's box starts at its padding, the textarea's padding starts inside its border.
          const left = r.left - mr.left + tr.left + ta.clientLeft + off.x - ta.scrollLeft;
          const top = r.top - mr.top + tr.top + ta.clientTop + off.y - ta.scrollTop;
          return { left, top, right: left + r.width, bottom: top + r.height, width: r.width, height: r.height };
        });
      }
      const a = point(read.segs, s, false), b = point(read.segs, e, true);
      if (!a || !b) return [];
      const range = this.doc.createRange();
      try { range.setStart(a.node, a.offset); range.setEnd(b.node, b.offset); } catch (err) { return []; }
      const off = frameOffset(this.doc);
      return Array.from(range.getClientRects()).filter((r) => r.width > 0.5).map((r) => ({
        left: r.left + off.x, top: r.top + off.y, right: r.right + off.x, bottom: r.bottom + off.y,
        width: r.width, height: r.height }));
    }

    syncMirror() {
      const ta = this.el, m = this.mirror, cs = this.doc.defaultView.getComputedStyle(ta);
      for (const p of ["fontFamily", "fontSize", "fontWeight", "fontStyle", "fontVariant", "fontStretch", "lineHeight",
                       "letterSpacing", "wordSpacing", "textTransform", "textIndent", "tabSize", "direction",
                       "paddingTop", "paddingRight", "paddingBottom", "paddingLeft", "textAlign"]) m.style[p] = cs[p];
      m.style.boxSizing = "content-box";
      m.style.width = `${ta.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight)}px`;
      const value = ta.value;
      if (!m.firstChild || m.firstChild.nodeValue !== value) m.textContent = value;
      if (!m.firstChild) m.append(document.createTextNode(""));
    }

    layout() {
      const el = this.el;
      if (!el.isConnected || !enabled || (this.text === null && this.state === "idle")) {
        // Gone, switched off, or never typed in (most text areas on a page): nothing to place.
        this.clip.replaceChildren(); this.badge.hidden = true; this.boxes = []; return;
      }
      const off = frameOffset(this.doc);
      const er = el.getBoundingClientRect();
      // The editor's padding box, inside its frame and this viewport: underlines outside it are clipped.
      let box = { left: er.left + off.x + el.clientLeft, top: er.top + off.y + el.clientTop };
      box.right = box.left + (el.clientWidth || er.width); box.bottom = box.top + (el.clientHeight || er.height);
      if (this.doc !== document) {
        const fe = this.doc.defaultView.frameElement, fr = fe.getBoundingClientRect();
        box = intersect(box, { left: fr.left, top: fr.top, right: fr.right, bottom: fr.bottom });
      }
      box = intersect(box, { left: 0, top: 0, right: innerWidth, bottom: innerHeight });
      Object.assign(this.clip.style, { left: `${box.left}px`, top: `${box.top}px`, width: `${box.width}px`,
                                       height: `${box.height}px` });
      this.visible = box;
      const read = this.read();
      if (read.text !== this.text) {
        // Changed without an input event (a macro, a template, the page's own script): check it too.
        this.shift(read.text);
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.check(), DEBOUNCE_MS);
      }
      if (this.isTextarea) this.syncMirror();
      const frag = document.createDocumentFragment();
      this.boxes = [];
      for (const item of this.findings) {
        if (item.e <= item.s) continue;  // whole-document findings are in the badge's list
        const rects = this.rangeRects(item.s, item.e, read);
        this.boxes.push({ item, rects });
        for (const r of rects) {
          const u = document.createElement("div");
          u.className = "u" + (cardFor && cardFor.item === item ? " active" : "");
          u.dataset.rule = item.f.rule;
          u.dataset.text = item.f.text;
          u.dataset.start = String(item.s);
          u.style.borderColor = COLORS[item.f.category] || "#546e7a";
          Object.assign(u.style, { left: `${r.left - box.left}px`, top: `${r.top - box.top}px`,
                                   width: `${r.width}px`, height: `${r.height}px` });  // the line at the text's bottom
          frag.append(u);
        }
      }
      this.clip.replaceChildren(frag);
      this.renderBadge();
      if (!this.badge.hidden) {
        const bw = this.badge.offsetWidth || 80;
        this.badge.style.left = `${Math.max(box.left, box.right - bw - 6)}px`;
        this.badge.style.top = `${Math.max(box.top, box.bottom - 24)}px`;
        this.badge.hidden = box.height < 20 || box.width < 40;
      }
    }

    hit(x, y) {
      const v = this.visible;  // words scrolled out of the editor's box are not under the pointer
      if (!v || x < v.left || x > v.right || y < v.top || y > v.bottom) return null;
      for (const b of this.boxes) {
        for (const r of b.rects) if (x >= r.left && x <= r.right && y >= r.top - 1 && y <= r.bottom + 1) return b;
      }
      return null;
    }

    // Select the finding's words in the editor and type the replacement over them: the editor sees
    // an ordinary edit (input events, its own undo stack) and the overlay never touches its DOM.
    replace(item, replacement) {
      const doc = this.doc, win = doc.defaultView;
      // Bracket the edit with focus changes, as a click on a card would: editors that keep their
      // own undo history in steps (TinyMCE) close a step on blur, so the typing before and the
      // wording each get one, and Ctrl+Z undoes only the wording.
      const sink = shadow.querySelector(".sink");
      const blur = () => { if (sink) sink.focus({ preventScroll: true }); };
      const refocus = () => { win.focus(); this.el.focus({ preventScroll: true }); };
      blur();
      win.focus();
      this.el.focus({ preventScroll: true });
      if (this.isTextarea) {
        this.el.setSelectionRange(item.s, item.e);
      } else {
        const read = this.read();
        const a = point(read.segs, item.s, false), b = point(read.segs, item.e, true);
        if (!a || !b) return false;
        const range = doc.createRange();
        range.setStart(a.node, a.offset);
        range.setEnd(b.node, b.offset);
        const sel = win.getSelection();
        sel.removeAllRanges();
        sel.addRange(range);
      }
      const done = doc.execCommand("insertText", false, replacement);
      blur();
      refocus();
      return done;
    }

    destroy() {
      clearTimeout(this.timer);
      this.resize.disconnect();
      this.clip.remove(); this.badge.remove(); if (this.mirror) this.mirror.remove();
    }
  }

  // ---------------------------------------------------------------- the card
  function esc(s) {
    return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }

  function ensureCard() {
    if (card) return card;
    card = document.createElement("div");
    card.className = "card";
    card.hidden = true;
    card.addEventListener("mousedown", (e) => e.preventDefault());  // keep the editor's focus and selection
    card.addEventListener("mouseenter", () => clearTimeout(hideTimer));
    card.addEventListener("mouseleave", () => { if (!card.contains(shadow.activeElement)) hideCard(false); });

    layer.append(card);
    return card;
  }

  function showCard(ed, box) {
    ensureCard();
    clearTimeout(hideTimer);
    cardFor = { ed, item: box.item, rects: box.rects };
    const f = box.item.f;
    card.dataset.rule = f.rule;
    card.innerHTML = `<div class="cat">${esc(f.category)} · ${esc(f.severity)}</div>
      <div class="msg">${esc(f.message)}</div>
      ${f.explanation ? `<div class="why"><b>Why:</b> ${esc(f.explanation)}</div>` : ""}
      ${f.suggestion ? `<div class="instead"><b>Instead:</b> ${esc(f.suggestion)}</div>` : ""}
      ${f.replacement ? `<button class="apply" type="button">Use this wording: “${esc(f.replacement)}”</button>` : ""}`;
    const btn = card.querySelector(".apply");
    if (btn) {
      btn.addEventListener("click", () => {
        const item = cardFor && cardFor.item;
        hideCard(true);
        if (item && ed.findings.includes(item)) ed.replace(item, f.replacement);
      });
    }
    card.hidden = false;
    placeCard();
    ed.layout();
  }

  // Alt+Enter with the caret in an underlined passage opens its card from the keyboard, with the
  // focus on "Use this wording" (Enter applies it; Escape goes back to the draft).
  function openAtCaret(target) {
    const root = editorRoot(target);
    const ed = root && editors.get(root);
    if (!ed) return false;
    let pos = null;
    if (ed.isTextarea) {
      pos = ed.el.selectionStart;
    } else {
      const sel = ed.doc.defaultView.getSelection();
      if (!sel || !sel.rangeCount) return false;
      const { segs } = ed.read();
      const r = sel.getRangeAt(0);
      const seg = segs.find((x) => x.node === r.startContainer);
      if (seg) pos = seg.start + r.startOffset;
      else {  // the caret sits between elements: the first text after it
        const after = segs.find((x) => r.comparePoint(x.node, 0) >= 0);
        pos = after ? after.start : null;
      }
    }
    if (pos === null) return false;
    const box = ed.boxes.find((b) => b.item.s <= pos && pos <= b.item.e && b.rects.length);
    if (!box) return false;
    showCard(ed, box);
    const target2 = card.querySelector(".apply") || card;
    if (target2 === card) card.tabIndex = -1;
    target2.focus({ preventScroll: true });
    return true;
  }

  function showSummary(ed) {
    if (!ed.report && ed.state !== "down") return;
    ensureCard();
    clearTimeout(hideTimer);
    cardFor = { ed, item: null, rects: [ed.badge.getBoundingClientRect()] };
    card.dataset.rule = "";
    if (!ed.report || ed.state === "down" || ed.state === "unauthorized") {
      card.innerHTML = `<div class="msg">${esc(ed.badge.title)}</div>`;
    } else {
      const items = ed.report.findings.map((f) => `<li>${esc(f.message)}</li>`).join("");
      card.innerHTML = `<div class="cat">score ${ed.report.score} · ${esc(ed.report.decision)}</div>
        ${ed.report.reasons.map((r) => `<div class="why">${esc(r)}</div>`).join("")}
        ${items ? `<ul>${items}</ul>` : "<div>Nothing to coach.</div>"}`;
    }
    card.hidden = false;
    placeCard();
  }

  function placeCard() {
    if (!card || card.hidden || !cardFor) return;
    const rects = cardFor.item ? cardFor.ed.boxes.find((b) => b.item === cardFor.item)?.rects : cardFor.rects;
    const r = rects && rects[rects.length - 1];
    if (!r) { hideCard(true); return; }
    const h = card.offsetHeight, w = card.offsetWidth;
    const top = r.bottom + 6 + h > innerHeight ? Math.max(4, r.top - h - 6) : r.bottom + 6;
    card.style.left = `${Math.max(4, Math.min(r.left, innerWidth - w - 4))}px`;
    card.style.top = `${top}px`;
  }

  function hideCard(now) {
    clearTimeout(hideTimer);
    const go = () => {
      if (!card || card.hidden) return;
      const ed = cardFor && cardFor.ed;
      card.hidden = true; cardFor = null;
      if (ed) ed.layout();
    };
    if (now) go(); else hideTimer = setTimeout(go, 400);
  }

  // ---------------------------------------------------------------- finding the editors
  function optedOut(el) {
    return !!el.closest('[data-gramm="false"], [data-commlint="off"], [data-gramm_editor="false"]');
  }

  function editorRoot(node) {
    const el = node && (node.nodeType === 1 ? node : node.parentElement);
    if (!el) return null;
    if (el.tagName === "TEXTAREA") return el.readOnly || el.disabled ? null : el;
    if (el.tagName === "INPUT") return null;  // one-line fields, and password fields above all, are never read
    if (!el.isContentEditable) return null;
    let root = el;
    while (root.parentElement && root.parentElement.isContentEditable) root = root.parentElement;
    return root;
  }

  function attach(el) {
    if (!enabled || editors.has(el) || optedOut(el)) return editors.get(el) || null;
    const ed = new Editor(el);
    editors.set(el, ed);
    host.setAttribute("data-editors", String(editors.size));
    return ed;
  }

  function scan(doc) {
    if (!enabled) return;
    for (const el of doc.querySelectorAll('textarea, [contenteditable]:not([contenteditable="false"])')) {
      const root = editorRoot(el);
      if (root) attach(root);
    }
    if (doc.designMode === "on" && doc.body) attach(doc.body);
    for (const fr of doc.querySelectorAll("iframe, frame")) hookFrame(fr);
    for (const [el, ed] of editors) {
      if (!el.isConnected) { ed.destroy(); editors.delete(el); host.setAttribute("data-editors", String(editors.size)); }
    }
  }

  const frames = new WeakSet();  // iframes with our load listener (kept in this script, not on the element)
  function hookFrame(fr) {
    const tryDoc = () => {
      let doc = null;
      try { doc = fr.contentDocument; } catch (e) { doc = null; }  // cross-origin: its own script runs there
      if (doc && doc.documentElement) hookDoc(doc);
    };
    if (!frames.has(fr)) { frames.add(fr); fr.addEventListener("load", tryDoc); }
    tryDoc();  // on every scan: an editor may have rewritten its frame's document (document.open/write)
  }

  let scanQueued = null;
  function queueScan() {
    if (scanQueued) return;
    scanQueued = setTimeout(() => {
      scanQueued = null;
      for (const d of docs) { if (d.defaultView) scan(d); else docs.delete(d); }  // drop removed frames' documents
      scheduleLayout();
    }, 150);
  }

  // Listeners per document, made once: adding the same function again is a no-op, so re-hooking a
  // document (after document.open() cleared its listeners and replaced its <html>) is safe.
  const hooks = new WeakMap();
  function hookDoc(doc) {
    let h = hooks.get(doc);
    if (!h) {
      h = {
        root: null,
        observer: new MutationObserver(() => { queueScan(); scheduleLayout(); }),
        input: (e) => {
          const root = editorRoot(e.target);
          const ed = root && (editors.get(root) || attach(root));
          if (ed) ed.onInput();
        },
        focusin: (e) => {
          const root = editorRoot(e.target);
          const ed = root && (editors.get(root) || attach(root));
          if (ed && ed.checkedText === null && ed.state !== "down" && ed.read().text.trim()) ed.check();
        },
        mousemove: (e) => onPointer(doc, e),
        click: (e) => onPointer(doc, e, true),
        keydown: (e) => {
          if (e.key === "Escape") {
            // From the card (opened with Alt+Enter): back to the draft where the caret was.
            const ed = cardFor && cardFor.ed, inCard = card && card.contains(shadow.activeElement);
            hideCard(true);
            if (ed && inCard) { e.preventDefault(); ed.doc.defaultView.focus(); ed.el.focus({ preventScroll: true }); }
            return;
          }
          if (e.key === "Enter" && e.altKey && !e.ctrlKey && !e.metaKey && openAtCaret(e.target)) {
            e.preventDefault();
            e.stopPropagation();
          }
        },
      };
      hooks.set(doc, h);
    }
    docs.add(doc);
    if (h.root !== doc.documentElement) {
      h.root = doc.documentElement;
      h.observer.observe(h.root, { childList: true, subtree: true, attributes: true,
                                   attributeFilter: ["contenteditable", "data-commlint", "data-gramm"] });
    }
    doc.addEventListener("input", h.input, true);
    doc.addEventListener("focusin", h.focusin, true);
    doc.addEventListener("scroll", scheduleLayout, { capture: true, passive: true });
    doc.addEventListener("mousemove", h.mousemove, { passive: true });
    doc.addEventListener("click", h.click, true);
    doc.addEventListener("keydown", h.keydown, true);
    const win = doc.defaultView;
    if (win && win !== window) win.addEventListener("resize", scheduleLayout);
    scan(doc);
  }

  function onPointer(doc, e, clicked) {
    if (!enabled) return;
    const off = frameOffset(doc);
    const x = e.clientX + off.x, y = e.clientY + off.y;
    if (card && !card.hidden) {
      const cr = card.getBoundingClientRect();
      if (x >= cr.left && x <= cr.right && y >= cr.top && y <= cr.bottom) return;
    }
    let found = null;
    for (const ed of editors.values()) { const b = ed.hit(x, y); if (b) { found = [ed, b]; break; } }
    clearTimeout(hoverTimer);
    if (found) {
      if (cardFor && cardFor.item === found[1].item) { clearTimeout(hideTimer); return; }
      if (clicked) showCard(found[0], found[1]);
      else hoverTimer = setTimeout(() => showCard(found[0], found[1]), HOVER_MS);
    } else if (card && !card.hidden && cardFor && cardFor.item && !card.contains(shadow.activeElement)) {
      hideCard(clicked);
    }
  }

  // ---------------------------------------------------------------- on/off per site
  function setEnabled(on) {
    if (on === enabled) return;
    enabled = on;
    if (on) {
      hookDoc(document);  // the overlay's host is added with the first editor found, not to every page
      for (const d of docs) {
        scan(d);
        // Switched back on while the technician is in an editor: check that draft now.
        const root = editorRoot(d.activeElement);
        const ed = root && editors.get(root);
        if (ed && ed.read().text.trim()) ed.check();
      }
    } else {
      hideCard(true);
      for (const ed of editors.values()) ed.destroy();
      editors.clear();
      if (host) { host.remove(); host = null; card = null; }
    }
  }

  function readSettings(s) {
    kind = s.kind || "reply";
    setEnabled(!(s.disabledSites || []).includes(site));
  }

  chrome.storage.local.get(["kind", "disabledSites"]).then(readSettings);
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area !== "local") return;
    if (changes.disabledSites || changes.kind) {
      chrome.storage.local.get(["kind", "disabledSites"]).then((s) => {
        const kindChanged = s.kind !== kind;
        readSettings(s);
        if (kindChanged || changes.serviceUrl || changes.token) {
          for (const ed of editors.values()) { ed.checkedText = null; if (ed.text) ed.check(); }
        }
      });
    } else if (changes.serviceUrl || changes.token) {
      for (const ed of editors.values()) { ed.checkedText = null; }
    }
  });
  addEventListener("resize", scheduleLayout);
  // The toolbar popup asks which site this is (for its per-site switch).
  chrome.runtime.onMessage.addListener((msg, sender, reply) => {
    if (!msg || msg.type !== "commlint-site") return false;
    reply({ site, enabled, editors: editors.size });
    return false;
  });
})();
