// Coding in the transcript view: the selection becomes code-point offsets into the canonical
// text (JavaScript strings count UTF-16 units, Thematica counts code points), then a coding is
// added through the JSON API. A failed request shows the error and keeps the selection.
(function () {
  "use strict";
  const article = document.getElementById("transcript");
  const form = document.getElementById("code-form");
  const input = document.getElementById("code-input");
  const shown = document.getElementById("selection");
  const message = document.getElementById("message");
  const inVivo = document.getElementById("in-vivo");
  const transcript = article.dataset.transcript;
  let current = null;

  const codePoints = (s) => Array.from(s).length;

  function offsetOf(node, offset) {
    const el = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
    const text = el && el.closest ? el.closest("p.text") : null;
    if (!text || !article.contains(text)) return null;
    let within = offset;
    if (node.nodeType !== Node.TEXT_NODE) within = offset === 0 ? 0 : text.textContent.length;
    return Number(text.dataset.start) + codePoints(text.textContent.slice(0, within));
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
    shown.textContent = "“" + preview + "” (" + start + "–" + end + ")";
  }

  document.addEventListener("selectionchange", readSelection);

  // One request to the JSON API: on success the page reloads where it was; on failure the
  // message says why, and the selection and the typed code stay, so nothing is lost.
  async function send(url, init, busy, failed) {
    message.textContent = busy; message.className = "message";
    try {
      const response = await fetch(url, init);
      const body = await response.json().catch(() => ({}));
      if (!response.ok) {
        const detail = body.error || (body.detail && body.detail[0] && body.detail[0].msg) || response.statusText;
        message.textContent = failed + ": " + detail; message.className = "message error";
        return;
      }
      sessionStorage.setItem("thematica-scroll", String(window.scrollY));
      window.location.reload();
    } catch (err) {
      message.textContent = failed + ": the workbench cannot be reached (" + err + ")"; message.className = "message error";
    }
  }

  function apply(code, create) {
    if (!current) { message.textContent = "Select some words in the transcript first."; message.className = "message error"; return; }
    send("/api/transcripts/" + transcript + "/codings", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ code: code, start: current.start, end: current.end, create: create }),
    }, "Saving…", "Not saved");
  }

  // Removing a coding sends the version the page was loaded with: if another tab or coder
  // changed it since, the server refuses (409) and the message says to reload.
  article.addEventListener("click", (event) => {
    const button = event.target.closest("button.remove-coding");
    if (!button) return;
    const url = "/api/codings/" + button.dataset.coding + "?version=" + encodeURIComponent(button.dataset.version);
    send(url, { method: "DELETE" }, "Removing…", "Not removed");
  });

  const known = () => Array.from(document.querySelectorAll("#code-list option")).map((o) => o.value);

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const code = input.value.trim();
    if (!code) { message.textContent = "Type a code name."; message.className = "message error"; input.focus(); return; }
    apply(code, !known().includes(code));
  });
  inVivo.addEventListener("click", () => {
    if (!current) { message.textContent = "Select the words to use as the code name."; message.className = "message error"; return; }
    const name = current.text.replace(/\s+/g, " ").trim().slice(0, 300);
    input.value = name;
    apply(name, true);
  });
  document.addEventListener("keydown", (event) => {
    const typing = ["INPUT", "TEXTAREA", "SELECT"].includes(document.activeElement.tagName);
    if (!typing && event.key === "c" && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault(); input.focus();
    }
  });
  const scroll = sessionStorage.getItem("thematica-scroll");
  if (scroll) { window.scrollTo(0, Number(scroll)); sessionStorage.removeItem("thematica-scroll"); }
})();
