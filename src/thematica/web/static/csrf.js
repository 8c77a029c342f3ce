// The CSRF token of a signed-in session (from <meta name="csrf-token">) goes with every change
// the page sends: as the X-CSRF-Token header on htmx requests and on the page scripts' fetch()
// calls, and as a hidden csrf_token field in every form that posts. Without a session (no
// token) it does nothing. Loaded before htmx and the page scripts.
(function () {
  "use strict";
  const meta = document.querySelector('meta[name="csrf-token"]');
  const token = meta ? meta.getAttribute("content") : "";
  if (!token) return;
  const SAFE = ["GET", "HEAD", "OPTIONS"];

  document.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["X-CSRF-Token"] = token;
  });

  const send = window.fetch.bind(window);
  window.fetch = function (input, init) {
    const options = Object.assign({}, init || {});
    const method = (options.method || (input instanceof Request ? input.method : "GET")).toUpperCase();
    if (SAFE.indexOf(method) === -1) {
      const headers = new Headers(options.headers || (input instanceof Request ? input.headers : undefined));
      headers.set("X-CSRF-Token", token);
      options.headers = headers;
    }
    return send(input, options);
  };

  function addField(form) {
    if (form.querySelector('input[name="csrf_token"]')) return;
    const field = document.createElement("input");
    field.type = "hidden";
    field.name = "csrf_token";
    field.value = token;
    form.appendChild(field);
  }
  function addFields(root) {
    const forms = root.querySelectorAll ? root.querySelectorAll('form[method="post" i]') : [];
    forms.forEach(addField);
  }
  document.addEventListener("DOMContentLoaded", function () { addFields(document); });
  // a form swapped in later (a live update) gets its field as it is sent
  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (form instanceof HTMLFormElement && form.method === "post") addField(form);
  }, true);
  document.addEventListener("htmx:load", function (event) { addFields(event.target); });
})();
