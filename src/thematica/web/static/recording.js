// The transcript page's "Attach a recording" / "Re-link" form (issue 16). The recording is sent
// with XMLHttpRequest so the page can show how much has gone (recordings run to hundreds of MB)
// and carry the session's CSRF token as a header (the workbench does not read a multipart body
// to look for it). Success: the workbench answers with the transcript page (after its 303), which
// is then loaded. A refusal: its one-line message is shown under the form; nothing changed.
(function () {
  "use strict";
  var form = document.getElementById("attach-form");
  if (!form) return;
  var message = document.getElementById("attach-message");
  var submit = document.getElementById("attach-submit");
  var meta = document.querySelector('meta[name="csrf-token"]');
  var token = meta ? meta.getAttribute("content") : "";

  function say(text, isError) {
    message.textContent = text;
    message.classList.toggle("error", !!isError);
  }
  function refusal(xhr) {
    var type = xhr.getResponseHeader("content-type") || "";
    if (type.indexOf("text/html") === 0) {
      var doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
      var found = doc.querySelector(".error");
      if (found) return found.textContent.trim();
    }
    return (xhr.responseText || xhr.statusText || "the workbench could not be reached").trim().slice(0, 500);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    if (token) xhr.setRequestHeader("X-CSRF-Token", token);
    xhr.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) say("Sending the recording: " + Math.floor((100 * e.loaded) / e.total) + "%", false);
    });
    xhr.addEventListener("load", function () {
      submit.disabled = false;
      if (xhr.status >= 200 && xhr.status < 300 && xhr.responseURL) {
        window.location.assign(xhr.responseURL);
        return;
      }
      say(refusal(xhr), true);
    });
    xhr.addEventListener("error", function () {
      submit.disabled = false;
      say("The recording could not be sent: the workbench could not be reached.", true);
    });
    submit.disabled = true;
    say("Sending the recording…", false);
    xhr.send(new FormData(form));
  });
})();
