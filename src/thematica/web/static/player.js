// The transcript page's player (issue 16). No inline script (strict CSP); loaded only when the
// member may hear the recording and its file is there.
//  - A turn's time plays the recording from there.
//  - While it plays, the turn whose span (data-start-ms .. data-end-ms, else the next turn's
//    start) holds currentTime is marked (class "current", aria-current) and, unless "Follow the
//    recording" is off (remembered in localStorage), scrolled into view. The turn is found by a
//    binary search over the sorted starts, on timeupdate and on each animation frame while
//    playing, and the page is touched only when the turn changes.
//  - Transcriptionists' keys, which work while typing in a box: Alt+K play/pause, Alt+J back
//    3 s, Alt+L forward 3 s, Alt+- slower, Alt+= faster (0.5x to 2x). Alt+letter is what the
//    BBC's transcript editor uses; transcript.js ignores every key with Alt, Ctrl or Meta, so
//    the coding keys (j, k, s, ...) never see these.
(function () {
  "use strict";
  var player = document.getElementById("player");
  var transcript = document.getElementById("transcript");
  if (!player || !transcript) {
    return;
  }
  var SPEEDS = [0.5, 0.75, 1, 1.25, 1.5, 2];
  var STEP = 3; // seconds, back and forward
  var FOLLOW_KEY = "thematica-follow-recording";
  var SPEED_KEY = "thematica-playback-rate";
  var follow = document.getElementById("player-follow");
  var speed = document.getElementById("player-speed");

  function stored(key) {
    try { return window.localStorage.getItem(key); } catch (err) { return null; }
  }
  function store(key, value) {
    try { window.localStorage.setItem(key, value); } catch (err) { /* private mode: not kept */ }
  }

  // the bar sticks to the top of the window; the code panel sticks below it (app.css)
  var bar = document.getElementById("player-bar");
  function measure() {
    if (bar) document.documentElement.style.setProperty("--player-height", bar.offsetHeight + "px");
  }
  measure();
  window.addEventListener("resize", measure);

  // -- the turns' spans, sorted by start ----------------------------------------------------------
  var spans = null; // [{el, start, end}] in seconds
  function index() {
    var els = transcript.querySelectorAll(".turn[data-start-ms]");
    var list = [];
    for (var i = 0; i < els.length; i++) {
      var start = Number(els[i].dataset.startMs);
      var end = els[i].dataset.endMs === undefined ? NaN : Number(els[i].dataset.endMs);
      if (isFinite(start)) list.push({ el: els[i], start: start / 1000, end: end / 1000 });
    }
    list.sort(function (a, b) { return a.start - b.start; });
    for (var j = 0; j < list.length; j++) {
      if (!isFinite(list[j].end)) list[j].end = j + 1 < list.length ? list[j + 1].start : Infinity;
    }
    return list;
  }
  function turns() {
    // rebuilt when a turn was replaced (a correction re-renders turns)
    if (spans === null || (spans.length && !spans[0].el.isConnected) || (current && !current.isConnected)) {
      spans = index();
      current = null;
    }
    return spans;
  }
  function turnAt(seconds) {
    var list = turns();
    var lo = 0, hi = list.length - 1, found = -1;
    while (lo <= hi) { // the last turn starting at or before `seconds`
      var mid = (lo + hi) >> 1;
      if (list[mid].start <= seconds) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    return found >= 0 && seconds < list[found].end ? list[found].el : null;
  }

  // -- following the current turn ------------------------------------------------------------------
  var current = null;
  function inView(el) {
    var box = el.getBoundingClientRect();
    var top = bar ? Math.max(0, bar.getBoundingClientRect().bottom) : 0;
    return box.top >= top && box.bottom <= window.innerHeight;
  }
  function mark() {
    var turn = turnAt(player.currentTime);
    if (turn === current) return;
    if (current) { current.classList.remove("current"); current.removeAttribute("aria-current"); }
    current = turn;
    if (!turn) return;
    turn.classList.add("current");
    turn.setAttribute("aria-current", "true");
    if (follow && follow.checked && !inView(turn)) turn.scrollIntoView({ block: "center" });
  }
  var frame = 0;
  function tick() {
    frame = 0;
    mark();
    if (!player.paused && !player.ended) frame = window.requestAnimationFrame(tick);
  }
  player.addEventListener("timeupdate", mark);
  player.addEventListener("seeked", mark);
  player.addEventListener("play", function () { if (!frame) frame = window.requestAnimationFrame(tick); });
  if (follow) {
    follow.checked = stored(FOLLOW_KEY) !== "off";
    follow.addEventListener("change", function () {
      store(FOLLOW_KEY, follow.checked ? "on" : "off");
      if (follow.checked && current && !inView(current)) current.scrollIntoView({ block: "center" });
    });
  }

  // -- playing, seeking, speed -----------------------------------------------------------------------
  function play() {
    var playing = player.play();
    if (playing && playing.catch) playing.catch(function () {}); // refused: the position is still set
  }
  function toggle() { if (player.paused) play(); else player.pause(); }
  function skip(seconds) {
    var end = isFinite(player.duration) ? player.duration : Infinity;
    player.currentTime = Math.max(0, Math.min(end, player.currentTime + seconds));
  }
  function showSpeed() {
    if (speed) speed.textContent = String(player.playbackRate) + "×";
  }
  function changeSpeed(direction) {
    var rate = player.playbackRate;
    var next = rate;
    if (direction > 0) {
      for (var i = 0; i < SPEEDS.length; i++) if (SPEEDS[i] > rate + 1e-9) { next = SPEEDS[i]; break; }
    } else {
      for (var j = SPEEDS.length - 1; j >= 0; j--) if (SPEEDS[j] < rate - 1e-9) { next = SPEEDS[j]; break; }
    }
    player.playbackRate = next;
  }
  player.addEventListener("ratechange", function () {
    showSpeed();
    store(SPEED_KEY, String(player.playbackRate));
  });
  var kept = Number(stored(SPEED_KEY));
  if (SPEEDS.indexOf(kept) >= 0) { player.defaultPlaybackRate = kept; player.playbackRate = kept; }
  showSpeed();
  var slower = document.getElementById("player-slower");
  var faster = document.getElementById("player-faster");
  if (slower) slower.addEventListener("click", function () { changeSpeed(-1); });
  if (faster) faster.addEventListener("click", function () { changeSpeed(1); });

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
    play();
  });

  var KEYS = {
    KeyK: toggle,
    KeyJ: function () { skip(-STEP); },
    KeyL: function () { skip(STEP); },
    Minus: function () { changeSpeed(-1); },
    NumpadSubtract: function () { changeSpeed(-1); },
    Equal: function () { changeSpeed(1); },
    NumpadAdd: function () { changeSpeed(1); },
  };
  document.addEventListener("keydown", function (event) {
    if (!event.altKey || event.ctrlKey || event.metaKey) return;
    var action = KEYS[event.code];
    if (!action) return;
    event.preventDefault(); // also keeps macOS's Option+letter out of a text box
    action();
  }, true);

  // -- a reload (after a correction, or when another member changed the transcript) keeps the
  // place in the recording: where it was, and whether it was playing (sessionStorage, this tab)
  var PLACE_KEY = "thematica-place-" + (transcript.dataset.transcript || "");
  window.addEventListener("pagehide", function () {
    try {
      window.sessionStorage.setItem(PLACE_KEY, JSON.stringify(
        { at: player.currentTime, playing: !player.paused && !player.ended }));
    } catch (err) { /* storage refused: the place is not kept */ }
  });
  var place = null;
  try {
    place = JSON.parse(window.sessionStorage.getItem(PLACE_KEY) || "null");
    window.sessionStorage.removeItem(PLACE_KEY);
  } catch (err) { place = null; }
  if (place && isFinite(place.at) && place.at > 0) {
    var resume = function () {
      player.currentTime = place.at;
      if (place.playing) play();
    };
    if (player.readyState >= 1) resume();
    else player.addEventListener("loadedmetadata", resume, { once: true });
  }
})();
