// A refused form keeps its input. When a form posts, what was typed in it is noted in this
// tab's sessionStorage. If the answer is the workbench's refusal page (templates/error.html,
// marked data-refusal), the note is kept and the page offers the way back; back on the form's
// page, the form is filled in again with a message saying why it was refused. Any other page
// load forgets the note, so nothing outlives the next page. Never kept: passwords, files,
// hidden fields (the security token, and an edit's version: a retry after "someone changed this
// first" must carry the fresh one).
(function () {
  "use strict";
  const KEY = "thematica-refused-form";
  const KEPT = "textarea, select, input";
  const SKIPPED = ["password", "hidden", "file", "submit", "button", "reset", "image"];
  const NOT_WHO = ["csrf_token", "version"];
  const MAX_AGE_MS = 30 * 60 * 1000;

  function kept(el) {
    return el.name && SKIPPED.indexOf((el.type || "").toLowerCase()) === -1;
  }
  // what tells a form from the others with the same action (a theme's id, say)
  function identity(form) {
    const parts = [form.action];
    form.querySelectorAll('input[type="hidden"]').forEach(function (el) {
      if (el.name && NOT_WHO.indexOf(el.name) === -1) parts.push(el.name + "=" + el.value);
    });
    return parts.join("|");
  }
  function twins(id) {
    return Array.prototype.filter.call(document.forms, function (f) { return identity(f) === id; });
  }
  function read() {
    try { return JSON.parse(sessionStorage.getItem(KEY) || "null"); } catch (e) { return null; }
  }

  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || (form.method || "").toLowerCase() !== "post") return;
    const id = identity(form);
    const fields = [];
    Array.prototype.forEach.call(form.querySelectorAll(KEPT), function (el) {
      if (!kept(el)) return;
      const box = el.type === "checkbox" || el.type === "radio";
      fields.push({ name: el.name, value: el.value, checked: box ? el.checked : null });
    });
    sessionStorage.setItem(KEY, JSON.stringify({
      page: location.pathname + location.search, id: id, index: twins(id).indexOf(form),
      fields: fields, refused: false, at: Date.now(),
    }));
  }, true);

  function refill(note) {
    const form = twins(note.id)[note.index];
    if (!form) return;
    const used = {};
    let first = null;
    Array.prototype.forEach.call(form.querySelectorAll(KEPT), function (el) {
      if (!kept(el)) return;
      const box = el.type === "checkbox" || el.type === "radio";
      const at = note.fields.findIndex(function (f, i) {
        return !used[i] && f.name === el.name && (!box || f.value === el.value);
      });
      if (at === -1) return;
      used[at] = true;
      const match = note.fields[at];
      if (box) el.checked = match.checked; else el.value = match.value;
      if (!first && !box && match.value) first = el;
    });
    const details = form.closest("details");
    if (details) details.open = true;
    const message = document.createElement("p");
    message.className = "error kept-note";
    message.setAttribute("role", "alert");
    message.textContent = "Not saved: " + (note.reason || "the workbench refused it") +
      ". What you typed is back in the form.";
    form.insertBefore(message, form.firstChild);
    (first || form).scrollIntoView({ block: "center" });
    if (first) first.focus();
  }

  window.addEventListener("pageshow", function () {
    const note = read();
    if (!note) return;
    const refusal = document.querySelector("[data-refusal]");
    if (refusal && !note.refused && Date.now() - note.at < MAX_AGE_MS) {
      const reason = document.querySelector("main .error");
      note.refused = true;
      note.reason = (reason ? reason.textContent : refusal.dataset.refusal || "").trim().replace(/\.$/, "");
      sessionStorage.setItem(KEY, JSON.stringify(note));
      const offer = document.getElementById("kept");
      const back = document.getElementById("kept-back");
      if (offer && back) { back.href = note.page; offer.hidden = false; }
      return;
    }
    if (refusal) return;  // a second look at the refusal page keeps the note
    sessionStorage.removeItem(KEY);
    if (note.refused && location.pathname + location.search === note.page) refill(note);
  });
})();
