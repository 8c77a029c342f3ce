// Live team work on pages other than the transcript (the codebook): the element marked
// data-live-feed is kept up to date with others' changes, without a reload. Every second while the
// tab is visible the feed is asked whether what you may see has changed (answered 304 when it has
// not: web/routes/live.py); when it has, the page is fetched again and that element swapped in,
// unless the focus is inside it (you are using it: the swap waits for the next poll). A page that
// must swap more carefully names its own swap in data-live-swap (window.thematicaLive[name], given
// the fetched document; it answers whether it swapped), and where to say that live updates
// stopped in data-live-say (the id of its message element).
(function () {
  "use strict";
  const region = document.querySelector("[data-live-feed]");
  if (!region) return;
  const EVERY = 500; // ms: a change shows within 2 s even on a busy server
  const feed = region.dataset.liveFeed;
  let version = region.dataset.live || "";
  let timer = null;
  let busy = false;
  let stopped = false;

  function stop(why) {
    stopped = true;
    clearTimeout(timer);
    const message = region.dataset.liveSay && document.getElementById(region.dataset.liveSay);
    if (message) { message.textContent = why; message.className = "message error"; }
  }

  async function refresh() {
    const response = await fetch(window.location.pathname + window.location.search, { cache: "no-store", credentials: "same-origin" });
    if (!response.ok || response.redirected) { stop("Live updates stopped: this page can no longer be loaded (" + response.status + "). Reload it."); return false; }
    const doc = new DOMParser().parseFromString(await response.text(), "text/html");
    const swap = region.dataset.liveSwap && (window.thematicaLive || {})[region.dataset.liveSwap];
    if (swap) return swap(doc);
    const next = doc.querySelector("[data-live-feed]");
    const current = document.querySelector("[data-live-feed]");
    if (!next || !current) { stopped = true; return false; }
    if (current.contains(document.activeElement)) return false;  // in use: try again next time
    current.replaceWith(document.importNode(next, true));
    return true;
  }

  async function poll() {
    timer = null;
    if (busy || stopped || document.hidden) return;
    busy = true;
    try {
      const headers = version ? { "If-None-Match": '"' + version + '"' } : {};
      const response = await fetch(feed, { cache: "no-store", credentials: "same-origin", headers: headers });
      if (response.status === 200) {
        const body = await response.json();
        // the fingerprint is taken before the page is fetched, so the page is at least as new
        if (body.version !== version && await refresh()) version = body.version;
      } else if (response.status >= 400 && response.status < 500) {
        const body = await response.json().catch(() => ({}));
        stop("Live updates stopped: " + (body.error || response.statusText) + ".");
      }
    } catch (err) {
      // the workbench could not be reached this time; the next poll tries again
    } finally {
      busy = false;
    }
    schedule();
  }
  function schedule() {
    if (!stopped && !document.hidden && timer === null) timer = setTimeout(poll, EVERY);
  }
  document.addEventListener("visibilitychange", () => {
    clearTimeout(timer); timer = null;
    if (!document.hidden) poll();
  });
  schedule();
})();
