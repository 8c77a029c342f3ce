"""``kill -9`` during ``transcripts import`` of a batch (the demo's ten Teams interviews into a
fresh study): after any kill the study is sound and holds none of the batch or all of it."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

from tests.faults.killing import fault_points, killed_at, row_counts, sound
from thematica.demo import DATA
from thematica.service import StudyService

INTERVIEWS = DATA / "interviews"


def test_transcripts_import_killed_anywhere_is_all_or_nothing(tmp_path: Path) -> None:
    empty = tmp_path / "empty.thematica"
    StudyService.create(str(empty), title="Pain and low mood").close()
    before = row_counts(str(empty))
    reference = tmp_path / "reference.thematica"
    shutil.copyfile(empty, reference)
    total = fault_points(["transcripts", "import", str(reference), str(INTERVIEWS)], tmp_path)
    after = row_counts(str(reference))
    assert after["transcripts"] == len(list(INTERVIEWS.glob("*.vtt"))) == 10
    outcomes: Counter[str] = Counter()
    points = range(1, total + 1)  # every one of them
    for point in points:
        study = tmp_path / f"kill-{point}.thematica"
        shutil.copyfile(empty, study)
        killed_at(point, ["transcripts", "import", str(study), str(INTERVIEWS)], tmp_path)
        sound(study)
        counts = row_counts(str(study))
        assert counts in (before, after), (point, counts["transcripts"])
        outcomes["all" if counts == after else "none"] += 1
    # The batch's one commit is the import's last fault point, and a kill there (just before it
    # reaches the database) leaves nothing; the run above without a kill left all of it.
    print(f"transcripts import: {total} fault points, killed at each: {dict(outcomes)}")
    assert outcomes["none"] == len(points) >= 30
