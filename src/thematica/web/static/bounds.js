// The agreed coding's boundaries in reconciliation's "Edit the agreed coding" dialog, set in
// words, never offsets (issue 14, item 3). The dialog shows the turns around the disagreement
// with the agreed coding marked. Select other words there and choose "Set boundaries to the
// selection", or move either end a word at a time with the buttons (keyboard users too). The
// hidden edit_start / edit_end fields carry the transcript's offsets, in Unicode code points
// like every offset Thematica stores; the server checks them again. A selection outside the
// passage or of no words is explained in the dialog and changes nothing.
(function () {
  "use strict";

  function setUp(box) {
    const form = box.closest("form");
    const para = box.querySelector(".bounds-text");
    const status = box.querySelector(".bounds-status");
    const base = Number(box.dataset.base);
    const text = para.textContent;
    // code point index -> UTF-16 index, and back
    const units = [0];
    for (const ch of text) units.push(units[units.length - 1] + ch.length);
    const toPoint = (unit) => { let i = 0; while (i < units.length - 1 && units[i] < unit) i++; return i; };
    const words = [];
    for (const m of text.matchAll(/\S+/g)) words.push([toPoint(m.index), toPoint(m.index + m[0].length)]);
    let start = Number(box.dataset.start) - base;
    let end = Number(box.dataset.end) - base;

    function say(message, error) {
      status.textContent = message;
      status.classList.toggle("error", Boolean(error));
    }

    function draw() {
      const cut = (a, b) => text.slice(units[a], units[b]);
      const [before, mark, after] = para.children;
      before.textContent = cut(0, start);
      mark.textContent = cut(start, end);
      after.textContent = cut(end, units.length - 1);
      form.elements.edit_start.value = String(base + start);
      form.elements.edit_end.value = String(base + end);
      const covered = words.filter(([a, b]) => a >= start && b <= end).length;
      const shown = cut(start, end).trim().split(/\s+/);
      const short = shown.length > 14 ? shown.slice(0, 6).join(" ") + " … " + shown.slice(-6).join(" ") : shown.join(" ");
      say("The agreed coding will cover " + covered + " word" + (covered === 1 ? "" : "s") + ": “" + short + "”", false);
    }

    function fromSelection() {
      const selection = window.getSelection();
      if (!selection || !selection.rangeCount || selection.isCollapsed) {
        say("Select the words the agreed coding should cover in the passage above first.", true);
        return;
      }
      const range = selection.getRangeAt(0);
      if (!para.contains(range.startContainer) || !para.contains(range.endContainer)) {
        say("Select words inside this passage: the agreed coding stays within these turns.", true);
        return;
      }
      const upTo = (node, offset) => {
        const before = document.createRange();
        before.selectNodeContents(para);
        before.setEnd(node, offset);
        return before.toString().length;
      };
      let a = toPoint(upTo(range.startContainer, range.startOffset));
      let b = toPoint(upTo(range.endContainer, range.endOffset));
      const blank = (i) => /\s/.test(text.slice(units[i], units[i + 1]));
      while (a < b && blank(a)) a++;
      while (b > a && blank(b - 1)) b--;
      if (a >= b) {
        say("The selection holds no words: select the words the agreed coding should cover.", true);
        return;
      }
      start = a;
      end = b;
      selection.removeAllRanges();
      draw();
    }

    function move(which, by) {
      if (which === "start") {
        const options = words.map(([a]) => a).filter((a) => (by < 0 ? a < start : a > start && a < end));
        if (!options.length) { say(by < 0 ? "The start is at the passage's first word." : "The coding keeps at least one word.", true); return; }
        start = by < 0 ? options[options.length - 1] : options[0];
      } else {
        const options = words.map(([, b]) => b).filter((b) => (by < 0 ? b < end && b > start : b > end));
        if (!options.length) { say(by < 0 ? "The coding keeps at least one word." : "The end is at the passage's last word.", true); return; }
        end = by < 0 ? options[options.length - 1] : options[0];
      }
      draw();
    }

    box.querySelector(".bounds-buttons").hidden = false;
    box.querySelector("[data-set]").addEventListener("click", fromSelection);
    box.querySelectorAll("[data-move]").forEach((button) => {
      button.addEventListener("click", () => move(button.dataset.move, Number(button.dataset.by)));
    });
  }

  document.querySelectorAll("form.edit-form .bounds").forEach(setUp);
})();
