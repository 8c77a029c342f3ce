// The theme framework editor: keyboard moves (Alt + arrows on a theme's handle submit the same
// forms as its Up / Down / Indent / Outdent buttons) and drag and drop (drop on the top of a
// theme: before it; the bottom: after it; the middle: inside it, as its last sub-theme). A move
// goes to the JSON API with the theme's version, so a move based on an outdated page is refused
// and the message says why; on success the page reloads with the moved theme focused.
(function () {
  "use strict";
  const message = document.getElementById("theme-message");
  const keys = { ArrowUp: "up", ArrowDown: "down", ArrowRight: "indent", ArrowLeft: "outdent" };

  function say(text, error) {
    message.textContent = text;
    message.className = error ? "message error" : "message";
  }

  function focusFromHash() {
    const match = /^#n(\d+)$/.exec(window.location.hash);
    if (!match) return;
    const node = document.getElementById("n" + match[1]);
    const handle = node && node.querySelector(":scope > .node-head .handle");
    if (handle) { handle.focus({ preventScroll: false }); node.classList.add("moved"); }
  }

  document.addEventListener("keydown", (event) => {
    const handle = event.target.closest && event.target.closest(".handle");
    if (!handle || !event.altKey || !(event.key in keys)) return;
    event.preventDefault();
    const node = handle.closest("li.node");
    const button = node.querySelector(
      ":scope > .node-tools button[data-direction='" + keys[event.key] + "']");
    if (!button || button.disabled) {
      say("“" + node.dataset.path + "” cannot move " + keys[event.key] + " from here.", true);
      return;
    }
    button.form.requestSubmit();
  });

  async function move(node, parent, position) {
    say("Moving “" + node.dataset.path + "”…", false);
    try {
      const response = await fetch("/api/themes/" + node.dataset.id + "/move", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ parent: parent, position: position, version: node.dataset.version }),
      });
      const body = await response.json().catch(() => ({}));
      if (!response.ok) { say("Not moved: " + (body.error || response.statusText), true); return; }
      window.location.assign("/themes?moved=" + node.dataset.id + "#n" + node.dataset.id);
    } catch (err) {
      say("Not moved: the workbench did not answer (" + err + ")", true);
    }
  }

  let dragged = null;
  const zoneClasses = ["drop-before", "drop-after", "drop-inside"];

  function zoneOf(head, event) {
    const box = head.getBoundingClientRect();
    const y = (event.clientY - box.top) / box.height;
    return y < 0.3 ? "before" : y > 0.7 ? "after" : "inside";
  }

  function clearZones() {
    document.querySelectorAll(".node-head").forEach((h) => h.classList.remove(...zoneClasses));
    const top = document.getElementById("drop-top");
    if (top) top.classList.remove("over");
  }

  // Every handler sits on the document and finds its theme from the event's target, so the
  // framework can be swapped in again by a live update (themes_live.js) without rebinding.
  const headOf = (event) => event.target.closest && event.target.closest(".node-head[draggable='true']");
  const topOf = (event) => event.target.closest && event.target.closest("#drop-top");

  document.addEventListener("dragstart", (event) => {
    const head = headOf(event);
    if (!head) return;
    dragged = head.closest("li.node");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", dragged.dataset.id);
    dragged.classList.add("dragging");
  });
  document.addEventListener("dragend", () => {
    if (dragged) dragged.classList.remove("dragging");
    dragged = null;
    clearZones();
  });
  document.addEventListener("dragover", (event) => {
    const head = headOf(event);
    if (head) {
      const target = head.closest("li.node");
      if (!dragged || dragged === target || dragged.contains(target)) return;
      event.preventDefault();
      clearZones();
      head.classList.add("drop-" + zoneOf(head, event));
      return;
    }
    const top = topOf(event);
    if (!top || !dragged) return;
    event.preventDefault();
    top.classList.add("over");
  });
  document.addEventListener("dragleave", (event) => {
    const head = headOf(event);
    if (head) head.classList.remove(...zoneClasses);
    const top = topOf(event);
    if (top) top.classList.remove("over");
  });
  document.addEventListener("drop", (event) => {
    const head = headOf(event);
    const top = topOf(event);
    if (!dragged || (!head && !top)) return;
    if (top) {
      event.preventDefault();
      clearZones();
      move(dragged, null, null);
      return;
    }
    const target = head.closest("li.node");
    if (dragged === target || dragged.contains(target)) return;
    event.preventDefault();
    const zone = zoneOf(head, event);
    clearZones();
    if (zone === "inside") { move(dragged, Number(target.dataset.id), null); return; }
    const siblings = Array.from(target.parentElement.children)
      .filter((li) => li.matches("li.node") && li !== dragged);
    const at = siblings.indexOf(target) + (zone === "after" ? 1 : 0);
    const parent = target.dataset.parent === "" ? null : Number(target.dataset.parent);
    move(dragged, parent, at);
  });

  // after the browser's own jump to the #fragment, which would otherwise take the focus away
  if (document.readyState === "complete") setTimeout(focusFromHash, 0);
  else window.addEventListener("load", () => setTimeout(focusFromHash, 0));
})();
