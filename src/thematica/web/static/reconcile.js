// Reconciliation from the keyboard. After a decision the page comes back at the decided
// disagreement (#dN); focus then moves on to the next open one (or, when none is left after
// it, the first open one above; when all are decided, the page's heading). Keys decide the
// disagreement that has the focus (or the first open one): A accept A, B accept B, O accept
// both, D drop, E edit the agreed coding. Keys typed in a field or in the open edit dialog
// are left alone.
(function () {
  "use strict";
  const KEYS = { a: "accept_a", b: "accept_b", o: "both", d: "drop" };

  function open() { return Array.prototype.slice.call(document.querySelectorAll("section.disagreement:not(.decided)")); }

  function focusOn(section) {
    section.setAttribute("tabindex", "-1");
    section.focus({ preventScroll: true });
    section.scrollIntoView({ block: "start" });
    if (history.replaceState) history.replaceState(null, "", "#" + section.id);
  }

  function moveOn() {
    const at = location.hash ? document.getElementById(location.hash.slice(1)) : null;
    if (!at || !at.classList.contains("disagreement")) return;
    if (!at.classList.contains("decided")) { focusOn(at); return; }
    const left = open();
    if (!left.length) {
      const heading = document.querySelector("main h1");
      if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus(); }
      return;
    }
    const after = left.find(function (s) {
      return at.compareDocumentPosition(s) & Node.DOCUMENT_POSITION_FOLLOWING;
    });
    focusOn(after || left[0]);
  }

  function current() {
    const active = document.activeElement;
    const within = active && active.closest ? active.closest("section.disagreement") : null;
    if (within) return within.classList.contains("decided") ? null : within;
    return open()[0] || null;
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target.closest && target.closest("input, textarea, select, [contenteditable], details.edit[open] form")) return;
    const key = (event.key || "").toLowerCase();
    if (!(key in KEYS) && key !== "e") return;
    const section = current();
    if (!section) return;
    if (key === "e") {
      const details = section.querySelector("details.edit");
      if (!details) return;
      event.preventDefault();
      details.open = true;
      const field = details.querySelector('input[name="edit_code"]');
      if (field) field.focus();
      return;
    }
    const button = section.querySelector('form.decide button[value="' + KEYS[key] + '"]');
    if (!button || button.disabled) return;
    event.preventDefault();
    button.click();
  });

  moveOn();
})();
