// Coding in the transcript view. A selection (mouse or keyboard) becomes code-point offsets into
// the canonical text (JavaScript strings count UTF-16 units, Thematica counts code points), and
// every action goes through the JSON API at once: no save button. A failed request shows why
// and keeps the selection and the typed code. The last action on this page can be undone.
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const article = $("transcript");
  const form = $("code-form");
  const input = $("code-input");
  const shown = $("selection");
  const message = $("message");
  const transcript = article.dataset.transcript;
  const me = article.dataset.me;
  const LAST = "thematica-last-" + transcript;
  const FLASH = "thematica-flash";
  let current = null;

  const codePoints = (s) => Array.from(s).length;
  const say = (text, error) => { message.textContent = text; message.className = error ? "message error" : "message"; };

  // -- selection -> offsets -------------------------------------------------------------------

  // The text of a turn is split by its highlights (<mark>s), so a position is counted from the
  // start of the turn's <p class="text">, whatever element it falls in.
  function offsetOf(node, offset) {
    const el = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
    const text = el && el.closest ? el.closest("p.text") : null;
    if (!text || !article.contains(text)) return null;
    const range = document.createRange();
    range.setStart(text, 0);
    range.setEnd(node, offset);
    return Number(text.dataset.start) + codePoints(range.toString());
  }
  // ... and back: a code-point offset into the transcript as a (text node, UTF-16 offset) point
  function pointAt(offset) {
    const p = Array.from(article.querySelectorAll("p.text")).find((t) => {
      const start = Number(t.dataset.start);
      return start <= offset && offset <= start + codePoints(t.textContent);
    });
    if (!p) return null;
    let left = offset - Number(p.dataset.start);
    const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
    let node = walker.nextNode();
    let lastNode = null;
    while (node) {
      const chars = Array.from(node.data);
      if (left < chars.length) return { node: node, offset: chars.slice(0, left).join("").length };
      left -= chars.length;
      lastNode = node;
      node = walker.nextNode();
    }
    return lastNode ? { node: lastNode, offset: lastNode.data.length } : { node: p, offset: 0 };
  }

  function readSelection() {
    const sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return;
    const range = sel.getRangeAt(0);
    const start = offsetOf(range.startContainer, range.startOffset);
    const end = offsetOf(range.endContainer, range.endOffset);
    if (start === null || end === null || end <= start) return;
    current = { start: start, end: end, text: sel.toString() };
    const preview = current.text.length > 140 ? current.text.slice(0, 140) + "…" : current.text;
    shown.textContent = "“" + preview + "”";
  }
  document.addEventListener("selectionchange", readSelection);

  // -- requests, and the undo of the last action ------------------------------------------------

  function remember(action) {
    sessionStorage.setItem(LAST, JSON.stringify(action));
    $("last-action").textContent = action.label; $("undo-line").hidden = false;
  }
  function forget() { sessionStorage.removeItem(LAST); $("undo-line").hidden = true; }

  // -- swapping turns in: after a coding changes, only its turns are drawn again ----------------

  // the selection as transcript offsets, to put back after the turns under it are replaced
  function keepSelection() {
    const sel = window.getSelection();
    if (!sel || !sel.rangeCount || sel.isCollapsed) return null;
    const range = sel.getRangeAt(0);
    if (!article.contains(range.commonAncestorContainer)) return null;
    const start = offsetOf(range.startContainer, range.startOffset);
    const end = offsetOf(range.endContainer, range.endOffset);
    return start === null || end === null ? null : [start, end];
  }
  function restoreSelection(kept) {
    if (!kept) return;
    const a = pointAt(kept[0]), b = pointAt(kept[1]);
    if (!a || !b) return;
    const range = document.createRange();
    range.setStart(a.node, a.offset); range.setEnd(b.node, b.offset);
    const sel = window.getSelection();
    sel.removeAllRanges(); sel.addRange(range);
  }
  // the server's drawing of each turn, to tell later whether a fresh one differs
  const drawn = new WeakMap();
  article.querySelectorAll(".turn").forEach((t) => drawn.set(t, t.innerHTML));

  function replaceTurns(fresh) {
    const kept = keepSelection();
    const active = document.activeElement;
    const focusCoding = active && active.dataset ? active.dataset.coding : null;
    const focusClass = active && active.classList ? (active.classList.contains("hl") ? "hl" : active.classList.contains("boundary") ? active.dataset.end : null) : null;
    const focusTurn = active && active.closest ? active.closest(".turn") : null;
    const swapped = [];
    fresh.forEach((next) => {
      const old = article.querySelector('.turn[data-position="' + next.dataset.position + '"]');
      if (!old || drawn.get(old) === next.innerHTML) return;
      const node = document.importNode(next, true);
      node.className = old.className;  // the player's "current", a link's "target"
      drawn.set(node, next.innerHTML);
      old.replaceWith(node);
      swapped.push(node);
      if (focusTurn === old) {
        let again = null;
        if (focusCoding && focusClass === "hl") again = node.querySelector('mark[tabindex][data-coding="' + focusCoding + '"]');
        (again || node).focus({ preventScroll: true });
      }
    });
    restoreSelection(kept);
    if (swapped.length) document.dispatchEvent(new CustomEvent("thematica:turns-updated", { detail: { turns: swapped } }));
    return swapped;
  }
  // the colour classes a fragment needs: a new code's colour loads a new stylesheet
  function needColours(keys) {
    const sheet = $("colour-sheet");
    if (!sheet || !keys) return;
    const have = new URL(sheet.href).searchParams.get("c") || "";
    const known = new Set(have.split("."));
    if (keys.split(".").every((k) => !k || known.has(k))) return;
    sheet.href = "/colours.css?c=" + keys;
  }

  // fetch and swap in the turns under these spans ([start, end] code points)
  async function refreshTurns(spans) {
    const hit = Array.from(article.querySelectorAll(".turn")).filter((t) =>
      spans.some(([s, e]) => Number(t.dataset.start) < e && s < Number(t.dataset.end)));
    if (!hit.length) return [];
    const first = hit[0].dataset.position, last = hit[hit.length - 1].dataset.position;
    const response = await fetch("/transcripts/" + transcript + "/turns?first=" + first + "&last=" + last,
      { cache: "no-store", credentials: "same-origin" });
    if (!response.ok) throw new Error("the changed turns could not be loaded (" + response.status + "); reload the page");
    const doc = new DOMParser().parseFromString(await response.text(), "text/html");
    const fragment = doc.getElementById("turns-fragment");
    if (fragment) needColours(fragment.dataset.colours);
    return replaceTurns(Array.from(doc.querySelectorAll(".turn")));
  }

  // One request to the JSON API: on success ``after`` runs with the answer and the turns it
  // touched (``spans``, plus the answer's own) are drawn again in place, without a reload; on
  // failure the message says why, and nothing the user typed or selected is lost.
  async function send(url, init, busy, failed, after, where, spans) {
    const out = where || message;
    out.textContent = busy; out.className = "message";
    try {
      const response = await fetch(url, init);
      const body = await response.json().catch(() => ({}));
      if (!response.ok) {
        const detail = body.error || (body.detail && body.detail[0] && body.detail[0].msg) || response.statusText;
        out.textContent = failed + ": " + detail; out.className = "message error";
        return false;
      }
      const touched = (spans || []).concat(typeof body.start === "number" ? [[body.start, body.end]] : []);
      await refreshTurns(touched);
      out.textContent = ""; out.className = "message";
      if (after) after(body);
      return body;
    } catch (err) {
      out.textContent = failed + ": the workbench cannot be reached (" + err + ")"; out.className = "message error";
      return false;
    }
  }
  const json = (method, body) => ({ method: method, headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const quoteOf = (text) => "“" + (text.length > 40 ? text.slice(0, 40) + "…" : text) + "”";

  function apply(code, create) {
    if (!current) { say("Select some words in the transcript first.", true); return; }
    const words = current.text;
    send("/api/transcripts/" + transcript + "/codings", json("POST", { code: code, start: current.start, end: current.end, create: create }),
      "Saving…", "Not saved",
      (c) => {
        remember({ kind: "add", id: c.id, version: c.version, label: "Coded " + quoteOf(words) + " as " + c.code + "." });
        say("Coded " + quoteOf(words) + " as " + c.code + ".", false);
        input.value = "";  // ready for the next code, as after the reload this page used to do
        document.dispatchEvent(new CustomEvent("thematica:coded", { detail: c }));
      });
  }

  // Undoing a removal codes the span again in your name, so it is offered only for your own
  // codings; a lead removing someone else's coding is asked to confirm instead.
  function removeCoding(button) {
    const theirs = button.dataset.coder && button.dataset.coder !== me;
    if (theirs && !window.confirm("Remove " + button.dataset.coder + "'s coding of " + button.dataset.code + "? This cannot be undone from this page.")) return;
    const url = "/api/codings/" + button.dataset.coding + "?version=" + encodeURIComponent(button.dataset.version);
    send(url, { method: "DELETE" }, "Removing…", "Not removed", (c) => {
      document.dispatchEvent(new CustomEvent("thematica:uncoded", { detail: c }));
      if (c.coder === me) { remember({ kind: "remove", coding: { code: c.code, start: c.start, end: c.end, memo: c.memo }, label: "Removed a coding of " + c.code + "." }); say("Removed a coding of " + c.code + ".", false); }
      else { forget(); say("Removed " + c.coder + "'s coding of " + c.code + ".", false); }
    });
  }

  function undo() {
    const raw = sessionStorage.getItem(LAST);
    if (!raw) { say("Nothing to undo on this page.", true); return; }
    const last = JSON.parse(raw);
    const done = () => { forget(); say("Undone: " + last.label, false); };
    if (last.kind === "add") {
      send("/api/codings/" + last.id + "?version=" + encodeURIComponent(last.version), { method: "DELETE" }, "Undoing…", "Not undone", (c) => {
        document.dispatchEvent(new CustomEvent("thematica:uncoded", { detail: c }));
        done();
      });
    } else if (last.kind === "remove") {
      const c = last.coding;
      send("/api/transcripts/" + transcript + "/codings", json("POST", { code: c.code, start: c.start, end: c.end, memo: c.memo, create: true }), "Undoing…", "Not undone", (again) => {
        document.dispatchEvent(new CustomEvent("thematica:coded", { detail: again }));
        done();
      });
    } else if (last.kind === "change") {
      const b = last.before;
      send("/api/codings/" + last.id, json("PATCH", { start: b.start, end: b.end, memo: b.memo || "", version: last.version }), "Undoing…", "Not undone", done, null, [[b.start, b.end]]);
    }
  }
  $("undo").addEventListener("click", undo);

  // -- editing a coding: boundaries and memo ----------------------------------------------------

  const dialog = $("edit-dialog");
  let editing = null;
  // The words a coding covers, as the page shows them (offsets are never shown to a user).
  function wordsOf(start, end) {
    const a = pointAt(start), b = pointAt(end);
    if (!a || !b) return "";
    const range = document.createRange();
    range.setStart(a.node, a.offset); range.setEnd(b.node, b.offset);
    return range.toString();
  }
  let bounds = null;  // the boundaries the editor will save: [start, end]
  function openEditor(button) {
    editing = Object.assign({}, button.dataset);
    bounds = [Number(editing.start), Number(editing.end)];
    $("edit-code").textContent = editing.code;
    $("edit-words").textContent = wordsOf(bounds[0], bounds[1]);
    $("edit-memo").value = editing.memo;
    $("edit-message").textContent = ""; $("edit-message").className = "message";
    dialog.showModal();
    $("edit-memo").focus();
  }
  $("edit-use-selection").addEventListener("click", () => {
    if (!current) { $("edit-message").textContent = "Select words in the transcript first, then open this editor."; $("edit-message").className = "message error"; return; }
    bounds = [current.start, current.end];
    $("edit-words").textContent = current.text;
    $("edit-message").textContent = "The new boundaries are kept when you save."; $("edit-message").className = "message";
  });
  $("edit-cancel").addEventListener("click", () => dialog.close());
  // Save a coding's new boundaries and/or memo; ``was`` is the edit button's data (its version).
  function changeCoding(was, start, end, memo, where) {
    const change = { start: start, end: end, version: was.version };
    if (memo !== null) change.memo = memo;
    return send("/api/codings/" + was.coding, json("PATCH", change), "Saving…", "Not saved",
      (c) => {
        remember({ kind: "change", id: c.id, version: c.version, before: { start: Number(was.start), end: Number(was.end), memo: was.memo }, label: "Edited a coding of " + c.code + "." });
        say("Edited a coding of " + c.code + ".", false);
      },
      where, [[Number(was.start), Number(was.end)]]);
  }
  // what boundaries.js (the handles on a highlight) needs from this page
  window.thematicaCoding = { change: changeCoding, offsetOf: offsetOf, say: say };
  $("edit-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    if (await changeCoding(editing, bounds[0], bounds[1], $("edit-memo").value, $("edit-message"))) dialog.close();
  });

  article.addEventListener("click", (event) => {
    const remove = event.target.closest("button.remove-coding");
    if (remove) { removeCoding(remove); return; }
    const edit = event.target.closest("button.edit-coding");
    if (edit) openEditor(edit);
  });

  // -- applying codes ---------------------------------------------------------------------------

  const known = () => Array.from(document.querySelectorAll("#code-list option")).map((o) => o.value);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const code = input.value.trim();
    if (!code) { say("Type a code name.", true); input.focus(); return; }
    apply(code, !known().includes(code));
  });
  function inVivo() {
    if (!current) { say("Select the words to use as the code name.", true); return; }
    const name = current.text.replace(/\s+/g, " ").trim().slice(0, 300);
    input.value = name;
    apply(name, true);
  }
  $("in-vivo").addEventListener("click", inVivo);

  // Other parts of the page (the code tree) apply codes through one event, so that there is one
  // way to code: document.dispatchEvent(new CustomEvent("thematica:apply-code",
  // { detail: { code: "Parent > Child", create: false } })). After a coding is stored, this page
  // announces it with "thematica:coded" (detail: the coding as the JSON API answers it).
  document.addEventListener("thematica:apply-code", (event) => {
    const detail = event.detail || {};
    if (typeof detail.code !== "string" || !detail.code.trim()) { say("That is not a code.", true); return; }
    apply(detail.code.trim(), Boolean(detail.create));
  });

  // -- the keyboard alone: move between turns, select a turn, move its ends word by word ----------

  const turns = () => Array.from(article.querySelectorAll(".turn"));
  function focusedTurn() {
    const active = document.activeElement && document.activeElement.closest ? document.activeElement.closest(".turn") : null;
    if (active && article.contains(active)) return active;
    const sel = window.getSelection();
    if (sel && sel.rangeCount) {
      const node = sel.getRangeAt(0).startContainer;
      const el = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
      const turn = el && el.closest ? el.closest(".turn") : null;
      if (turn && article.contains(turn)) return turn;
    }
    return null;
  }
  function moveTurn(delta) {
    const list = turns();
    if (!list.length) return;
    const at = list.indexOf(focusedTurn());
    const next = at < 0 ? (delta > 0 ? 0 : list.length - 1) : Math.max(0, Math.min(list.length - 1, at + delta));
    list[next].focus();
    list[next].scrollIntoView({ block: "nearest" });
  }
  // select characters ``from`` to ``to`` (UTF-16, within the turn's text, across its highlights)
  function select(p, from, to) {
    const at = (i) => {
      const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
      let node = walker.nextNode(), last = null;
      while (node) { if (i <= node.data.length) return [node, i]; i -= node.data.length; last = node; node = walker.nextNode(); }
      return last ? [last, last.data.length] : null;
    };
    const a = at(from), b = at(to);
    if (!a || !b) return;
    const range = document.createRange();
    range.setStart(a[0], a[1]); range.setEnd(b[0], b[1]);
    const sel = window.getSelection();
    sel.removeAllRanges(); sel.addRange(range);
    readSelection();  // at once: "selectionchange" comes later, maybe after focus moved on
  }
  function selectTurn() {
    const turn = focusedTurn();
    if (!turn) { say("Press j to go to a turn first.", true); return; }
    const p = turn.querySelector("p.text");
    select(p, 0, p.textContent.length);
  }
  const space = (ch) => /\s/.test(ch);
  function forward(text, i) { while (i < text.length && space(text[i])) i++; while (i < text.length && !space(text[i])) i++; return i; }
  function backward(text, i) { while (i > 0 && space(text[i - 1])) i--; while (i > 0 && !space(text[i - 1])) i--; return i; }
  function nudge(which, delta) {
    const sel = window.getSelection();
    if (!sel || !sel.rangeCount || sel.isCollapsed) { say("Select a turn with s first.", true); return; }
    const range = sel.getRangeAt(0);
    const el = (n) => (n.nodeType === Node.TEXT_NODE ? n.parentElement : n);
    const p = el(range.startContainer).closest("p.text");
    if (!p || el(range.endContainer).closest("p.text") !== p) { say("Word steps work within one turn.", true); return; }
    const text = p.textContent;
    const upTo = (node, offset) => { const r = document.createRange(); r.setStart(p, 0); r.setEnd(node, offset); return r.toString().length; };
    let from = upTo(range.startContainer, range.startOffset), to = upTo(range.endContainer, range.endOffset);
    if (which === "end") {
      to = delta > 0 ? forward(text, to) : backward(text, to);
      while (to > 0 && space(text[to - 1])) to--;
    } else {
      from = delta > 0 ? forward(text, from) : backward(text, from);
      while (from < text.length && space(text[from])) from++;
    }
    if (to > from) select(p, from, to);
  }

  const help = $("help");
  $("show-help").addEventListener("click", () => help.showModal());

  document.addEventListener("keydown", (event) => {
    const tag = document.activeElement ? document.activeElement.tagName : "";
    if (["INPUT", "TEXTAREA", "SELECT"].includes(tag) || document.querySelector("dialog[open]")) return;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const actions = {
      c: () => { readSelection(); input.focus(); },
      j: () => moveTurn(1),
      k: () => moveTurn(-1),
      s: selectTurn,
      v: inVivo,
      u: undo,
      "]": () => nudge("end", 1),
      "[": () => nudge("end", -1),
      "}": () => nudge("start", 1),
      "{": () => nudge("start", -1),
      "?": () => help.showModal(),
    };
    const action = actions[event.key];
    if (action) { event.preventDefault(); action(); }
  });

  // -- live team work: others' changes appear without a reload ------------------------------------
  // Every second while the tab is visible, ask the workbench whether what you may see of this
  // transcript has changed (a fingerprint, answered 304 when it has not: web/routes/live.py).
  // When it has, this page is fetched again and only what differs is swapped in: the marks and
  // codings of each turn, the code list and the tree's counts, the density bar, the blind-coding
  // notice. The text itself (and so your
  // selection), the code box and an open editor are left alone; saving an edit of a coding that
  // changed meanwhile is refused with the reload message, as before.
  const LIVE_EVERY = 500; // ms: a change shows within 2 s even on a busy server
  let liveVersion = article.dataset.live || "";
  let liveTimer = null;
  let liveBusy = false;
  let liveStopped = false;

  const sameHtml = (a, b) => (a ? a.outerHTML : "") === (b ? b.outerHTML : "");
  function swap(here, there, parent, before) {
    if (sameHtml(here, there)) return;
    const hadFocus = here && here.contains(document.activeElement);
    if (here && there) here.replaceWith(document.importNode(there, true));
    else if (here) here.remove();
    else parent.insertBefore(document.importNode(there, true), before);
    if (hadFocus) { const turn = parent.closest(".turn"); if (turn) turn.focus({ preventScroll: true }); }
  }
  function stopLive(why) { liveStopped = true; clearTimeout(liveTimer); say(why, true); }

  async function liveRefresh() {
    const response = await fetch(window.location.pathname, { cache: "no-store", credentials: "same-origin" });
    if (!response.ok || response.redirected) { stopLive("Live updates stopped: this page can no longer be loaded (" + response.status + "). Reload it."); return false; }
    const doc = new DOMParser().parseFromString(await response.text(), "text/html");
    const theirs = doc.getElementById("transcript");
    const mine = Array.from(article.querySelectorAll(".turn"));
    const next = theirs ? Array.from(theirs.querySelectorAll(".turn")) : [];
    const text = (turn) => turn.id + "\u0000" + turn.querySelector("p.text").textContent;
    if (mine.length !== next.length || mine.some((turn, i) => text(turn) !== text(next[i]))) {
      stopLive("This transcript's text has changed since you opened it. Reload the page to go on coding.");
      return false;
    }
    replaceTurns(next);
    const fresh = doc.getElementById("colour-sheet");
    if (fresh) needColours(new URL(fresh.href, window.location.href).searchParams.get("c"));
    swap($("density"), doc.getElementById("density"), article.parentNode, article);
    swap(document.querySelector("ul.codes"), doc.querySelector("ul.codes"), document.querySelector("aside.panel"), null);
    // the code tree's counts (yours and others' codings, removals too); the tree itself stays
    doc.querySelectorAll(".tree-node[data-code]").forEach((li) => {
      const theirs = li.querySelector(":scope > .row .count");
      const here = document.querySelector('.tree-node[data-code="' + CSS.escape(li.dataset.code) + '"] > .row .count');
      if (theirs && here && here.textContent !== theirs.textContent) here.textContent = theirs.textContent;
    });
    const list = $("code-list"), options = doc.getElementById("code-list");
    if (options && list.innerHTML !== options.innerHTML) list.replaceChildren(...Array.from(options.children, (o) => document.importNode(o, true)));
    const workspace = document.querySelector(".workspace");
    swap($("blind-notice"), doc.getElementById("blind-notice"), workspace.parentNode, workspace);
    return true;
  }

  async function livePoll() {
    liveTimer = null;
    if (liveBusy || liveStopped || document.hidden) return;
    liveBusy = true;
    try {
      const headers = liveVersion ? { "If-None-Match": '"' + liveVersion + '"' } : {};
      const response = await fetch("/api/live/transcripts/" + transcript, { cache: "no-store", credentials: "same-origin", headers: headers });
      if (response.status === 200) {
        const body = await response.json();
        // the fingerprint is taken before the page is fetched, so the page is at least as new
        if (body.version !== liveVersion && await liveRefresh()) liveVersion = body.version;
      } else if (response.status !== 304) {
        const body = await response.json().catch(() => ({}));
        if (response.status >= 400 && response.status < 500) stopLive("Live updates stopped: " + (body.error || response.statusText) + ".");
      }
    } catch (err) {
      // the workbench could not be reached this time; the next poll tries again
    } finally {
      liveBusy = false;
    }
    liveSchedule();
  }
  function liveSchedule() {
    if (!liveStopped && !document.hidden && liveTimer === null) liveTimer = setTimeout(livePoll, LIVE_EVERY);
  }
  document.addEventListener("visibilitychange", () => {
    clearTimeout(liveTimer); liveTimer = null;
    if (!document.hidden) livePoll();
  });
  liveSchedule();

  // -- after a reload: where we were, what can be undone, a link into the text --------------------

  const scroll = sessionStorage.getItem("thematica-scroll");  // other pages' reloads (corrections)
  if (scroll) { window.scrollTo(0, Number(scroll)); sessionStorage.removeItem("thematica-scroll"); }
  const flash = sessionStorage.getItem(FLASH);
  if (flash) { say(flash, false); sessionStorage.removeItem(FLASH); }
  const last = sessionStorage.getItem(LAST);
  if (last) { $("last-action").textContent = JSON.parse(last).label; $("undo-line").hidden = false; }
  const target = /^#o(\d+)$/.exec(window.location.hash);
  if (target) {
    const offset = Number(target[1]);
    const hit = Array.from(article.querySelectorAll("p.text")).find((p) => {
      const start = Number(p.dataset.start);
      return start <= offset && offset < start + codePoints(p.textContent);
    });
    if (hit) { const turn = hit.closest(".turn"); turn.classList.add("target"); turn.focus(); turn.scrollIntoView({ block: "center" }); }
  }
})();
