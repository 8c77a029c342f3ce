// A link such as /transcripts/3#o1520 (from a quotes page) opens the transcript at code point
// 1520: the turn holding it scrolls into view and is marked, and the coded words are
// highlighted to the end of their sentence where the browser supports CSS highlights. The text itself is not changed.
(function () {
  "use strict";
  const match = /^#o(\d+)$/.exec(window.location.hash);
  if (!match) return;
  const offset = Number(match[1]);
  const texts = Array.from(document.querySelectorAll("#transcript p.text"));
  let found = null;
  for (const p of texts) {
    const start = Number(p.dataset.start);
    const length = Array.from(p.textContent).length;
    if (offset >= start && offset < start + length) { found = p; break; }
  }
  if (!found) return;
  const turn = found.closest(".turn") || found;
  turn.classList.add("jumped");
  turn.setAttribute("tabindex", "-1");
  turn.scrollIntoView({ block: "center" });
  turn.focus({ preventScroll: true });
  if (window.CSS && CSS.highlights && window.Highlight && found.firstChild) {
    // from the code point to the end of its sentence
    const points = Array.from(found.textContent);
    const from = offset - Number(found.dataset.start);
    let to = from + 1;
    while (to < points.length && !/[.!?]/.test(points[to - 1])) to += 1;
    const unit = (n) => points.slice(0, n).join("").length;
    const range = document.createRange();
    range.setStart(found.firstChild, unit(from));
    range.setEnd(found.firstChild, unit(to));
    CSS.highlights.set("jump", new Highlight(range));
  }
})();
