"""Coding in the browser (issue 14's timing): from the click on "Apply code" to the highlight
painted, in real headless Chromium driven by Playwright, without a reload.

    python bench/run.py web-coding [--codings 50] [--words 8000] [--codes 300]

A study with one synthetic transcript of about ``--words`` words (bench/synthetic.py, Teams VTT
layout) and a codebook of ``--codes`` codes is built once under bench/out/; every run works on a
fresh copy. The workbench runs in this process (uvicorn on 127.0.0.1, a thread, as
``bench/run.py web`` does); the coder ("Coder B") is chosen by the identity cookie, as in a study
no one has a password for. On the transcript page, for each coding (three warm-ups first, not
counted), in a participant turn not yet coded (the turns are spread evenly through the
transcript, top to bottom): the turn is scrolled into view, a few of its words are selected, a
code's path is typed into the code box, and Playwright clicks "Apply code".

The timing is taken in the page, in its own clock (``performance.now``):

- start: the ``timeStamp`` of the click event on ``#apply`` (a capture-phase listener on the
  window, so it runs before the page's own handlers);
- end: a MutationObserver on the transcript sees a ``mark.hl`` appear in that turn (the page
  swaps the turn in after its fetch), then, once the mark carries its code's colour (``--hl``),
  the next frame: a ``requestAnimationFrame`` callback runs just before that frame is painted,
  and a ``setTimeout(0)`` queued from it runs after the paint. That time is "painted".

Between two codings the run pauses (``pause``, 1 s by default): a coder takes longer than that to
choose words and a code, and in that time the page's live poll (every 0.5 s) has fetched its own
last change, as it would for a person. Each highlight is checked to hold the words selected.

After the last coding the page must still be the one that was opened (``window.stillThisPage``,
set after load, is still there) and the main frame must not have navigated; otherwise the run
stops with a message and a non-zero exit. Once the server has stopped, the study is opened again
and must hold exactly the codings applied (code and words), or the run stops likewise. The
figures (p50/p95/max, issue 14's target p95 < 150 ms) and the load average before and after are
printed as JSON."""

from __future__ import annotations

import json
import random
import shutil
import socket
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Frame, Page

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
CODER = "Coder B"
WARMUPS = 3
TARGET_P95_MS = 150
CHROMIUM = "/usr/bin/chromium"
ARGS = [  # as tests/web/conftest.py launches it (docs: the stack notes, section 4)
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--metrics-recording-only",
]

# In the page: remember when #apply is clicked (the event's own time stamp, performance.now's
# clock), and keep the page's identity (gone if the page is reloaded).
INSTALL_JS = """() => {
  window.stillThisPage = true;
  window.benchCoding = { clicked: null, seen: null, painted: null };
  window.addEventListener("click", (event) => {
    if (event.target.closest && event.target.closest("#apply"))
      window.benchCoding.clicked = event.timeStamp;
  }, true);
}"""

# In the page, before a click: watch the turn at ``position`` for its first highlight; when it is
# there in its code's colour, note the time after the next frame is painted.
ARM_JS = """(position) => {
  const b = window.benchCoding;
  b.clicked = null; b.seen = null; b.painted = null;
  performance.clearResourceTimings();  // the buffer holds 250: the live poll's would fill it
  const article = document.getElementById("transcript");
  const mark = () => {
    const turn = article.querySelector('.turn[data-position="' + position + '"]');
    return turn ? turn.querySelector("p.text mark.hl") : null;
  };
  const coloured = (m) => {
    const key = Array.from(m.classList).find((c) => c.startsWith("k-"));
    return Boolean(key) && getComputedStyle(m).getPropertyValue("--hl").trim().toLowerCase()
      === "#" + key.slice(2);
  };
  if (mark()) throw new Error("turn " + position + " is coded already");
  const frame = () => {
    const m = mark();
    if (!m || !coloured(m)) { requestAnimationFrame(frame); return; }
    setTimeout(() => { b.painted = performance.now(); }, 0);
  };
  const observer = new MutationObserver(() => {
    if (b.seen !== null || !mark()) return;
    b.seen = performance.now();
    observer.disconnect();
    requestAnimationFrame(frame);
  });
  observer.observe(article, { childList: true, subtree: true });
}"""

# The participant turns with no highlight and enough words to select from, top to bottom.
UNCODED_JS = """() => Array.from(document.querySelectorAll("#transcript .turn.participant"))
  .filter((t) => !t.querySelector("mark") && t.querySelector("p.text").textContent
                   .trim().split(/\\s+/).length > 12)
  .map((t) => Number(t.dataset.position))"""

# Scroll the turn into view and select ``count`` words of it from word ``first``; the words.
SELECT_JS = """([position, first, count]) => {
  const turn = document.querySelector('#transcript .turn[data-position="' + position + '"]');
  turn.scrollIntoView({ block: "center" });
  const p = turn.querySelector("p.text");
  const node = p.firstChild;
  if (!node || node.nodeType !== Node.TEXT_NODE || node.data !== p.textContent)
    throw new Error("turn " + position + " is not plain text");
  const text = node.data;
  const bounds = [];
  const words = /\\S+/g;
  let found;
  while ((found = words.exec(text))) bounds.push([found.index, found.index + found[0].length]);
  const range = document.createRange();
  range.setStart(node, bounds[first][0]);
  range.setEnd(node, bounds[first + count - 1][1]);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  return selection.toString();
}"""


# After a coding: the times taken (ms), from the click, and the two requests it made (their
# resource timings): the coding stored (POST), and its turn drawn again (GET .../turns).
TIMES_JS = """() => {
  const b = window.benchCoding;
  const after = performance.getEntriesByType("resource").filter((e) => e.startTime >= b.clicked);
  const took = (part) => {
    const e = after.find((x) => x.name.includes(part));
    return e ? e.responseEnd - e.startTime : null;
  };
  return { ms: b.painted - b.clicked, store: took("/codings"), turn: took("/turns?"),
           swapped_to_painted: b.painted - b.seen };
}"""


@dataclass(frozen=True)
class Applied:
    """One coding applied in the page: where, which code, which words, how long it took from the
    click to the highlight painted (``ms``), and parts of that: the request storing the coding,
    the request for the turn drawn again, and from the turn swapped in to painted."""

    position: int
    code: str
    words: str
    ms: float
    store_ms: float
    turn_ms: float
    swapped_to_painted_ms: float


def code_paths(codes: int) -> list[tuple[str, str]]:
    """``codes`` two-level code paths, ten per category, as ``bench/run.py analysis`` names them."""
    groups = [f"Category {g}" for g in range((codes + 9) // 10)]
    return [(g, f"Code {g[-2:].strip()}.{k}") for g in groups for k in range(10)][:codes]


def build_study(words: int, codes: int, folder: Path = OUT, seed: int = 2026) -> Path:
    """The study (cached in ``folder``): one participant, a lead and a coder, ``codes`` codes,
    and one synthetic interview of about ``words`` words, not coded."""
    from thematica.domain import Codebook, CodeSpec, MemberRole
    from thematica.importers.register import read_register
    from thematica.service import StudyService, TranscriptSource

    if str(HERE) not in sys.path:
        sys.path.insert(0, str(HERE))
    from synthetic import transcript

    target = folder / f"web-coding-{words}w-{codes}c-{seed}.thematica"
    if target.exists():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    building = folder / f"{target.stem}.building.thematica"
    building.unlink(missing_ok=True)
    vtt = transcript(random.Random(seed), words).encode()
    with StudyService.create(str(building), title="Web coding benchmark") as study:
        study.import_register(read_register(b"label,group\nP 1,A\n", "r.csv"), source="r.csv")
        study.add_team_member("Coder A", MemberRole.LEAD)
        study.add_team_member(CODER, MemberRole.CODER)
        study.import_codebook(
            Codebook(tuple(CodeSpec(p) for p in code_paths(codes))), source="bench"
        )
        study.import_transcripts(
            [
                TranscriptSource(
                    "p-0001.vtt", lambda: vtt, participant="P 1", interviewer="Rachel Ames"
                )
            ]
        )
    building.rename(target)
    return target


def fresh_copy(template: Path, target: Path) -> Path:
    """A copy of ``template`` at ``target``, with no leftovers of an earlier run."""
    for leftover in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
        leftover.unlink(missing_ok=True)
    shutil.copy(template, target)
    return target


@contextmanager
def serve(study: Path) -> Iterator[str]:
    """The workbench on ``study`` (uvicorn in a thread on a free port); its base URL."""
    import uvicorn

    from thematica.web.app import create_app, tune_gc

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = create_app(str(study))
    tune_gc()  # as `thematica serve` does
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise SystemExit("web-coding: the workbench did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@contextmanager
def chromium() -> Iterator[Browser]:
    """Headless Chromium (Debian's), driven by Playwright."""
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"web-coding: {CHROMIUM} is missing (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def spread(positions: list[int], wanted: int) -> list[int]:
    """``wanted`` of ``positions``, evenly spaced from the first to the last, in order."""
    if len(positions) < wanted:
        raise SystemExit(
            f"web-coding: the transcript has {len(positions)} uncoded participant turns, "
            f"{wanted} are needed (more --words, or fewer --codings)"
        )
    if wanted == 1:
        return positions[:1]
    step = (len(positions) - 1) / (wanted - 1)
    return [positions[round(i * step)] for i in range(wanted)]


def apply_once(page: Page, position: int, code: str, rng: random.Random) -> Applied:
    """Select a few words of the turn, type the code, click "Apply code" and time the highlight."""
    first, count = rng.randint(1, 6), rng.randint(3, 7)
    words = str(page.evaluate(SELECT_JS, [position, first, count]))
    page.wait_for_function(
        "(w) => document.getElementById('selection').textContent === '“' + w + '”'", arg=words
    )
    page.fill("#code-input", code)
    page.evaluate(ARM_JS, position)
    page.click("#apply")
    page.wait_for_function("() => window.benchCoding.painted !== null", polling=20)
    took: dict[str, float | None] = page.evaluate(TIMES_JS)
    shown = page.locator(f'#transcript .turn[data-position="{position}"] p.text mark.hl')
    if shown.first.inner_text() != words:
        raise SystemExit(f"web-coding: turn {position} highlights {shown.first.inner_text()!r}")
    parts = [took[k] for k in ("ms", "store", "turn", "swapped_to_painted")]
    if any(p is None for p in parts):
        raise SystemExit(f"web-coding: turn {position}: a request was not seen ({took})")
    return Applied(position, code, words, *(float(p or 0) for p in parts))


def code_in_page(page: Page, base: str, codings: int, pause: float, seed: int) -> dict[str, Any]:
    """Sign in as the coder, open the transcript, apply ``codings`` codes after the warm-ups;
    what was applied, and whether the page stayed the same."""
    page.context.add_cookies([{"name": "thematica_member", "value": quote(CODER), "url": base}])
    page.goto(base + "/transcripts/1")
    page.evaluate(INSTALL_JS)
    navigations: list[str] = []

    def navigated(frame: Frame) -> None:
        if frame == page.main_frame:
            navigations.append(frame.url)

    page.on("framenavigated", navigated)
    rng = random.Random(seed)
    paths: list[str] = page.eval_on_selector_all("#code-list option", "os => os.map(o => o.value)")
    applied: list[Applied] = []
    for position in spread(page.evaluate(UNCODED_JS), codings + WARMUPS):
        time.sleep(pause)
        applied.append(apply_once(page, position, rng.choice(paths), rng))
    still = bool(page.evaluate("() => window.stillThisPage === true"))
    return {"applied": applied, "still_this_page": still, "navigations": navigations}


def stored(study: Path) -> Counter[tuple[str, str]]:
    """The coder's codings in the study: (code path, words), counted."""
    from thematica.service import StudyService

    with StudyService.open(str(study)) as s:
        return Counter((" > ".join(c.code), c.text) for c in s.codings(coder=CODER))


def percentiles(samples: list[float]) -> dict[str, float]:
    """p50, p95 and max of ``samples`` (milliseconds), as bench/run.py reports them."""
    ordered = sorted(samples)

    def at(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)

    return {"p50": at(0.50), "p95": at(0.95), "max": round(ordered[-1], 1)}


def loadavg() -> str:
    """The 1, 5 and 15 minute load averages."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def run(
    codings: int = 50,
    words: int = 8000,
    codes: int = 300,
    *,
    folder: Path = OUT,
    pause: float = 1.0,
    seed: int = 14,
) -> dict[str, Any]:
    """The benchmark's figures; SystemExit if the page reloaded or navigated, or if the study
    does not hold exactly the codings applied."""
    from thematica.service import StudyService

    study = fresh_copy(build_study(words, codes, folder), folder / "web-coding-run.thematica")
    with StudyService.open(str(study)) as s:
        transcript_words = s.transcripts()[0].words
    before = loadavg()
    with serve(study) as base, chromium() as browser:
        context = browser.new_context(viewport={"width": 1366, "height": 768})
        page = context.new_page()
        page.set_default_timeout(30_000)
        found = code_in_page(page, base, codings, pause, seed)
        context.close()
    after = loadavg()
    applied: list[Applied] = found["applied"]
    if not found["still_this_page"]:
        raise SystemExit("web-coding: the page was reloaded (window.stillThisPage is gone)")
    if found["navigations"]:
        raise SystemExit(f"web-coding: the main frame navigated to {found['navigations']}")
    held, wanted = stored(study), Counter((a.code, a.words) for a in applied)
    if held != wanted:
        raise SystemExit(
            f"web-coding: the study holds {held.total()} codings by {CODER}, not the "
            f"{len(applied)} applied ({(wanted - held).total()} missing, "
            f"{(held - wanted).total()} unexpected)"
        )
    counted = applied[WARMUPS:]
    figures = percentiles([a.ms for a in counted])
    return {
        "benchmark": "web-coding",
        "transcript_words": transcript_words,
        "codes": codes,
        "codings": len(applied) - WARMUPS,
        "warmups": WARMUPS,
        "pause_between_codings_s": pause,
        "apply_to_highlight_ms": figures,
        "parts_ms": {
            "store_request": percentiles([a.store_ms for a in counted]),
            "turn_request": percentiles([a.turn_ms for a in counted]),
            "swapped_to_painted": percentiles([a.swapped_to_painted_ms for a in counted]),
        },
        "samples_ms": [round(a.ms, 1) for a in counted],
        "reloaded": not found["still_this_page"],
        "main_frame_navigations": len(found["navigations"]),
        "stored_codings": held.total(),
        "target_p95_ms": TARGET_P95_MS,
        "meets_target": figures["p95"] < TARGET_P95_MS,
        "loadavg_before": before,
        "loadavg_after": after,
    }


def bench_web_coding(codings: int, words: int, codes: int) -> None:
    """``bench/run.py web-coding``: run and print the figures as JSON."""
    print(json.dumps(run(codings, words, codes), indent=2))
