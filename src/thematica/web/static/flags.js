// Flagged codings (issue 16): a correction changed the words a coding covers, so its coder
// looks at it and says so ("looked at"), which clears the flag. The service decides who may;
// a refusal is shown beside the notice and the flag stays.
(function () {
  "use strict";
  const article = document.getElementById("transcript");
  const message = document.getElementById("flag-message");
  if (!article || !message) return;
  article.addEventListener("click", async (event) => {
    const button = event.target.closest("button.clear-flag");
    if (!button) return;
    button.disabled = true;
    try {
      const response = await fetch("/api/codings/" + button.dataset.coding + "/flag", {
        method: "DELETE",
        credentials: "same-origin",
      });
      const data = await response.json().catch(() => ({}));
      if (!response.ok) throw new Error(data.error || "the flag could not be cleared (" + response.status + ")");
      const item = button.closest("li");
      const flag = item && item.querySelector(".flag");
      if (flag) flag.remove();
      button.remove();
      const left = article.querySelectorAll(".flag").length;
      message.textContent = left ? left + " still to look at." : "All looked at.";
    } catch (error) {
      button.disabled = false;
      message.textContent = error.message;
    }
  });
})();
