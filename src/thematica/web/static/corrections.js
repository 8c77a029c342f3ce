// Corrections while listening (issue 16): a "Correct" button on each turn opens a dialog with
// the turn's text and speaker; Save sends the new text (and the speaker, when changed), Split
// splits the turn at the cursor, Merge joins it with the next turn. The service decides who may
// (the page shows the buttons only with data-can-correct); the page reloads afterwards, so every
// coding is drawn where the correction put it.
(function () {
  "use strict";
  const article = document.getElementById("transcript");
  const dialog = document.getElementById("correct");
  if (!article || !dialog || !article.hasAttribute("data-can-correct")) return;
  const transcript = article.dataset.transcript;
  const text = document.getElementById("correct-text");
  const speaker = document.getElementById("correct-speaker");
  const newSpeaker = document.getElementById("correct-new-speaker");
  const message = document.getElementById("correct-message");
  const number = document.getElementById("correct-turn");
  const speakers = document.getElementById("correct-speakers");
  let turn = 0;
  let original = { text: "", speaker: "" };

  const names = new Set();
  article.querySelectorAll(".turn .speaker").forEach((el) => names.add(el.textContent.trim()));
  names.forEach((name) => {
    const option = document.createElement("option");
    option.value = name;
    speakers.appendChild(option);
  });

  function open(div) {
    turn = Number(div.dataset.position) + 1;
    const body = div.querySelector(".text");
    const who = div.querySelector(".speaker");
    original = { text: body ? body.textContent : "", speaker: who ? who.textContent.trim() : "" };
    number.textContent = String(turn);
    text.value = original.text;
    speaker.value = "";
    newSpeaker.checked = false;
    message.textContent = "";
    dialog.showModal();
    text.focus();
  }

  article.querySelectorAll(".turn").forEach((div) => {
    const place = div.querySelector(".who");
    if (!place) return;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "link correct-turn";
    button.textContent = "Correct";
    button.setAttribute("aria-label", "Correct turn " + (Number(div.dataset.position) + 1));
    button.addEventListener("click", () => open(div));
    place.appendChild(document.createTextNode(" "));
    place.appendChild(button);
  });

  async function send(action, body) {
    const url = "/api/transcripts/" + transcript + "/turns/" + turn + "/" + action;
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body || {}),
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(data.error || "the correction was refused (" + response.status + ")");
    return data;
  }

  async function run(steps) {
    message.textContent = "Saving…";
    try {
      let flagged = 0;
      for (const step of steps) flagged += (await step()).codings_flagged || 0;
      message.textContent = flagged ? flagged + " coding(s) flagged for their coder." : "Saved.";
      window.location.reload();
    } catch (error) {
      message.textContent = error.message;
    }
  }

  dialog.addEventListener("keydown", (event) => event.stopPropagation());
  document.getElementById("correct-cancel").addEventListener("click", () => dialog.close());
  document.getElementById("correct-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const steps = [];
    if (text.value !== original.text) steps.push(() => send("text", { text: text.value }));
    const name = speaker.value.trim();
    if (name) {
      steps.push(() => send("speaker", { speaker: name, new: newSpeaker.checked }));
    }
    if (!steps.length) {
      message.textContent = "Nothing changed.";
      return;
    }
    run(steps);
  });
  document.getElementById("correct-split").addEventListener("click", () => {
    if (text.value !== original.text) {
      message.textContent = "Save the text first, then split.";
      return;
    }
    run([() => send("split", { at: text.selectionStart })]);
  });
  document.getElementById("correct-merge").addEventListener("click", () => run([() => send("merge")]));
})();
