// Coded text on the transcript page (issue 14, item 1): the margin stripes set beside their own
// words, the view of the codings (whose, colours by code or by coder) changed without a reload,
// and the density bar taking you to a stretch of the transcript. The highlights themselves are
// drawn by the server (web/turn_markup.py); without JavaScript the stripes run the turn's
// height and the view form is an ordinary GET form.
(function () {
  "use strict";
  const article = document.getElementById("transcript");
  if (!article) return;

  // -- stripes beside their words -----------------------------------------------------------------
  const LANE = 19;  // px: a stripe and its gap
  function placeTurn(turn) {
    const box = turn.querySelector(".stripes");
    if (!box) return [null, []];
    const top = box.getBoundingClientRect().top;
    const found = [];
    box.querySelectorAll(".stripe").forEach((stripe) => {
      if (getComputedStyle(stripe).display === "none") return;  // filtered out
      const marks = turn.querySelectorAll('p.text mark[data-coding="' + stripe.dataset.coding + '"]');
      if (!marks.length) return;
      const first = marks[0].getClientRects()[0];
      const lastRects = marks[marks.length - 1].getClientRects();
      const last = lastRects[lastRects.length - 1];
      if (!first || !last) return;
      found.push([stripe, first.top - top, Math.max(last.bottom - first.top, 18)]);
    });
    return [box, found];
  }
  // Stripes beside their words, each on the first lane free over its height (two codings on one
  // line never share a lane, so no stripe hides another).
  function place(turns) {
    // all reads first, then all writes: one layout, however many turns
    const list = (turns || Array.from(article.querySelectorAll(".turn"))).map(placeTurn);
    list.forEach(([box, found]) => {
      if (!box) return;
      box.classList.add("placed");
      found.sort((a, b) => a[1] - b[1] || b[2] - a[2]);
      const ends = [];
      let bottom = 0;
      found.forEach(([stripe, y, h]) => {
        let lane = ends.findIndex((end) => end <= y + 1);
        if (lane < 0) { lane = ends.length; ends.push(0); }
        ends[lane] = y + h + 2;
        stripe.style.left = lane * LANE + "px";
        stripe.style.top = y + "px";
        stripe.style.height = h + "px";
        bottom = Math.max(bottom, y + h);
      });
      box.style.width = Math.max(1, ends.length) * LANE + "px";
      box.style.minHeight = bottom + "px";
    });
  }
  place();
  let resizeTimer = null;
  window.addEventListener("resize", () => { clearTimeout(resizeTimer); resizeTimer = setTimeout(() => place(), 100); });
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(() => place());
  document.addEventListener("thematica:turns-updated", (event) => {
    const turns = event.detail && event.detail.turns;
    place(turns && turns.length ? turns : undefined);
  });

  // -- the view: whose codings, coloured by what ------------------------------------------------
  const form = document.getElementById("coding-view");
  if (form) {
    const applyButton = document.getElementById("view-apply");
    if (applyButton) applyButton.hidden = true;
    const legend = document.getElementById("coder-legend");
    const byCoder = document.getElementById("by-coder");
    function show() {
      const chosen = form.querySelector('input[name="show"]:checked');
      const value = chosen ? chosen.value : "all";
      ["all", "mine", "theirs", "agreed"].forEach((v) => article.classList.toggle("show-" + v, v === value));
      article.classList.toggle("colour-coder", byCoder.checked);
      legend.hidden = !byCoder.checked;
      const url = new URL(window.location.href);
      if (value === "all") url.searchParams.delete("show"); else url.searchParams.set("show", value);
      if (byCoder.checked) url.searchParams.set("by", "coder"); else url.searchParams.delete("by");
      window.history.replaceState(window.history.state, "", url.pathname + url.search + url.hash);
      place();
    }
    form.addEventListener("change", show);
    form.addEventListener("submit", (event) => { event.preventDefault(); show(); });
  }

  // -- the density bar: click to go to that stretch -----------------------------------------------
  const density = document.querySelector("#density svg");
  if (density) {
    density.addEventListener("click", (event) => {
      const box = density.getBoundingClientRect();
      const share = Math.min(1, Math.max(0, (event.clientX - box.left) / box.width));
      const turns = Array.from(article.querySelectorAll(".turn"));
      if (!turns.length) return;
      const length = Number(turns[turns.length - 1].dataset.end);
      const at = share * length;
      const turn = turns.find((t) => Number(t.dataset.end) > at) || turns[turns.length - 1];
      turn.scrollIntoView({ block: "center" });
      turn.focus({ preventScroll: true });
    });
  }
})();
