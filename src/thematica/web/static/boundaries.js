// A coding's boundaries, moved by handles on its highlight (issue 14, item 3): focus or click a
// highlight you may edit and a handle appears at each end. Drag one onto another word of the
// turn (it snaps to the word's edge), or focus it (Enter on a highlight, then Tab) and press ← / →
// to move it a word; the change
// is saved at once and only that turn is drawn again. Offsets are never shown. A handle dropped
// outside its turn, or a change refused (someone changed the coding meanwhile: a stale tab), is
// explained beside the turn, and the stored coding stays as it was.
(function () {
  "use strict";
  const article = document.getElementById("transcript");
  const api = window.thematicaCoding;
  if (!article || !api) return;
  let again = null;  // after a save: show the handles of this coding again, focus this end

  const editOf = (turn, id) => turn.querySelector('button.edit-coding[data-coding="' + id + '"]');
  const marksOf = (turn, id) => turn.querySelectorAll('p.text mark[data-coding="' + id + '"]');

  function hide() { article.querySelectorAll(".handles").forEach((h) => h.remove()); }

  function inline(turn, text) {
    let out = turn.querySelector(".boundary-bar");
    if (!out) {
      out = document.createElement("p");
      out.className = "boundary-bar message error";
      out.setAttribute("role", "alert");
      turn.append(out);
    }
    out.textContent = text;
    return out;
  }

  function show(turn, id, focus) {
    hide();
    const edit = editOf(turn, id);
    const marks = marksOf(turn, id);
    if (!edit || !marks.length) return;
    const base = turn.getBoundingClientRect();
    const first = marks[0].getClientRects()[0];
    const rects = marks[marks.length - 1].getClientRects();
    const last = rects[rects.length - 1];
    if (!first || !last) return;
    const layer = document.createElement("div");
    layer.className = "handles";
    [["start", first.left, first.top, first.bottom, "Start"], ["end", last.right, last.top, last.bottom, "End"]].forEach(([end, x, top, bottom, name]) => {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "boundary " + end;
      b.dataset.end = end;
      b.dataset.coding = id;
      b.textContent = end === "start" ? "[" : "]";
      b.title = name + " of " + edit.dataset.code + ": drag to another word, or ← / →";
      b.setAttribute("aria-label", name + " of the coding " + edit.dataset.code + ": drag it, or press the left and right arrow keys to move it a word");
      b.style.left = (x - base.left) + "px";
      b.style.top = (top - base.top) + "px";
      b.style.height = Math.max(bottom - top, 16) + "px";
      layer.append(b);
    });
    turn.append(layer);
    if (focus) layer.querySelector('[data-end="' + focus + '"]').focus({ preventScroll: true });
  }

  // -- where a boundary goes ----------------------------------------------------------------------
  const space = (ch) => /\s/.test(ch);
  function snapped(p, node, offset, end) {
    const r = document.createRange();
    r.setStart(p, 0); r.setEnd(node, offset);
    const text = p.textContent;
    let i = r.toString().length;
    if (end) { while (i < text.length && !space(text[i])) i++; while (i > 0 && space(text[i - 1])) i--; }
    else { while (i > 0 && !space(text[i - 1])) i--; while (i < text.length && space(text[i])) i++; }
    return i;
  }
  function offsetIn(p, utf16) {
    return Number(p.dataset.start) + Array.from(p.textContent.slice(0, utf16)).length;
  }
  function wordStep(p, at, end, delta) {
    // ``at``: the boundary as a UTF-16 index into the turn's text
    const text = p.textContent;
    let i = at;
    if (delta > 0) { while (i < text.length && space(text[i])) i++; while (i < text.length && !space(text[i])) i++; }
    else { while (i > 0 && space(text[i - 1])) i--; while (i > 0 && !space(text[i - 1])) i--; }
    if (end) while (i > 0 && space(text[i - 1])) i--;
    else while (i < text.length && space(text[i])) i++;
    return i;
  }
  function utf16Of(p, offset) {
    const chars = Array.from(p.textContent);
    return chars.slice(0, offset - Number(p.dataset.start)).join("").length;
  }

  async function save(turn, id, which, start, end) {
    const edit = editOf(turn, id);
    if (!edit) return;
    if (end <= start) { inline(turn, "The start of a coding must come before its end: the coding is unchanged."); show(turn, id, which); return; }
    if (start === Number(edit.dataset.start) && end === Number(edit.dataset.end)) { show(turn, id, which); return; }
    again = { position: turn.dataset.position, id: id, which: which };
    const out = inline(turn, "");
    out.className = "boundary-bar message";
    const done = await api.change(Object.assign({}, edit.dataset), start, end, null, out);
    if (!done) { again = null; out.className = "boundary-bar message error"; show(turn, id, which); }
  }

  function dropAt(button, x, y) {
    const turn = button.closest(".turn");
    const id = button.dataset.coding;
    const edit = editOf(turn, id);
    const p = turn.querySelector("p.text");
    let node = null, offset = 0;
    if (document.caretPositionFromPoint) {
      const c = document.caretPositionFromPoint(x, y);
      if (c) { node = c.offsetNode; offset = c.offset; }
    } else if (document.caretRangeFromPoint) {
      const c = document.caretRangeFromPoint(x, y);
      if (c) { node = c.startContainer; offset = c.startOffset; }
    }
    const el = node && (node.nodeType === Node.TEXT_NODE ? node.parentElement : node);
    if (!edit || !el || !el.closest || el.closest("p.text") !== p) {
      inline(turn, "A boundary stays within its turn: drop the handle on a word of this turn. The coding is unchanged.");
      show(turn, id, button.dataset.end);
      return;
    }
    const isEnd = button.dataset.end === "end";
    const at = offsetIn(p, snapped(p, node, offset, isEnd));
    const start = isEnd ? Number(edit.dataset.start) : at;
    const end = isEnd ? at : Number(edit.dataset.end);
    save(turn, id, button.dataset.end, start, end);
  }

  // -- dragging ------------------------------------------------------------------------------------
  let dragging = null;
  article.addEventListener("pointerdown", (event) => {
    const b = event.target.closest("button.boundary");
    if (!b) return;
    event.preventDefault();
    b.setPointerCapture(event.pointerId);
    dragging = { button: b, left: b.closest(".turn").getBoundingClientRect().left };
    b.classList.add("dragging");
  });
  article.addEventListener("pointermove", (event) => {
    if (!dragging) return;
    dragging.button.style.left = (event.clientX - dragging.left) + "px";
  });
  article.addEventListener("pointerup", (event) => {
    if (!dragging) return;
    const b = dragging.button;
    dragging = null;
    b.classList.remove("dragging");
    b.style.visibility = "hidden";  // so the point under the pointer is the text, not the handle
    dropAt(b, event.clientX, event.clientY);
  });

  // -- the keyboard: arrows move the focused handle a word -----------------------------------------
  article.addEventListener("keydown", (event) => {
    const mark = event.target.closest ? event.target.closest("mark.hl[tabindex]") : null;
    if (mark && event.key === "Enter") {  // from a highlight to its start handle
      const turn = mark.closest(".turn");
      if (editOf(turn, mark.dataset.coding)) { event.preventDefault(); show(turn, mark.dataset.coding, "start"); }
      return;
    }
    const b = event.target.closest ? event.target.closest("button.boundary") : null;
    if (!b) return;
    if (event.key === "Escape") { event.preventDefault(); const mark = b.closest(".turn").querySelector('mark[tabindex][data-coding="' + b.dataset.coding + '"]'); hide(); if (mark) mark.focus(); return; }
    if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") return;
    event.preventDefault();
    event.stopPropagation();
    const turn = b.closest(".turn");
    const edit = editOf(turn, b.dataset.coding);
    if (!edit) return;
    const p = turn.querySelector("p.text");
    const isEnd = b.dataset.end === "end";
    const was = Number(isEnd ? edit.dataset.end : edit.dataset.start);
    const delta = event.key === "ArrowRight" ? 1 : -1;
    const at = offsetIn(p, wordStep(p, utf16Of(p, was), isEnd, delta));
    if (at === was) { inline(turn, "A boundary stays within its turn: this is its " + (delta > 0 ? "last" : "first") + " word. The coding is unchanged."); return; }
    save(turn, b.dataset.coding, b.dataset.end, isEnd ? Number(edit.dataset.start) : at, isEnd ? at : Number(edit.dataset.end));
  });

  // -- when the handles show -------------------------------------------------------------------------
  article.addEventListener("focusin", (event) => {
    const mark = event.target.closest ? event.target.closest("mark.hl[tabindex]") : null;
    if (mark && editOf(mark.closest(".turn"), mark.dataset.coding)) show(mark.closest(".turn"), mark.dataset.coding, null);
  });
  article.addEventListener("click", (event) => {
    if (event.target.closest("button.boundary")) return;
    const sel = window.getSelection();
    let mark = event.target.closest("mark.hl");
    if (!mark) { hide(); return; }
    if (sel && !sel.isCollapsed) return;
    const turn = mark.closest(".turn");
    // overlapping highlights: the innermost one you may edit
    while (mark && !editOf(turn, mark.dataset.coding)) mark = mark.parentElement.closest("mark.hl");
    if (mark) show(turn, mark.dataset.coding, null);
  });
  document.addEventListener("thematica:turns-updated", () => {
    if (!again) return;
    const turn = article.querySelector('.turn[data-position="' + again.position + '"]');
    const want = again;
    again = null;
    if (turn) show(turn, want.id, want.which);
  });
})();
