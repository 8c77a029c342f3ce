// The transcript page's player (issue 16): a turn's time plays the recording from there.
// No inline script (strict CSP); loaded only when the member may hear the recording.
(function () {
  "use strict";
  var player = document.getElementById("player");
  var transcript = document.getElementById("transcript");
  if (!player || !transcript) {
    return;
  }
  transcript.addEventListener("click", function (event) {
    var button = event.target.closest("button.seek");
    if (!button) {
      return;
    }
    event.preventDefault();
    var seconds = Number(button.dataset.ms) / 1000;
    if (!isFinite(seconds)) {
      return;
    }
    player.currentTime = seconds;
    var playing = player.play();
    if (playing && playing.catch) {
      playing.catch(function () {}); // autoplay refused: the position is still set
    }
  });
})();
