"""What convergence (issue 15) costs `yolo check`, `priority apply` and `priority triage`: the read
after a write that creates something, and the repairs when runs overlapped.

Run: .venv/bin/python benchmarks/converge_yolo_priority.py
Uses the tests' stateful fake GitHub (no network). One line per scenario: reads and writes, the API's
minimum beside them. GitHub has no unique key for an issue or a comment, so a run that creates one
can only tell whether an overlapping run created the same by reading after its write: the minimum
counts that read (one per run that creates, 100 issues a read for triage). Overlapping runs are
started together in threads (tests/concurrency.py, seeded delays); their figures are totals over
all runs, and the repairs (closing a duplicate issue, deleting a duplicate comment) are what the
runs that lost the race write.
"""

from __future__ import annotations

import contextlib
import io
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import FakeGitHub, fake_checkout  # noqa: E402 (it also puts tests/ on the path)
from priority_data import CONFIG as PRIORITY_CONFIG  # noqa: E402
from priority_data import REPO as PRIORITY_REPO  # noqa: E402

REPO = "acme/shop"
CLOCK = datetime(2026, 11, 24, 14, tzinfo=UTC)
NOW = "2026-11-24T16:00:00+00:00"
YOLO_CONFIG = "timezone: UTC\nteams: {}\n"
VECTOR = "CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:H/I:H/A:L"  # 8.9: security-P1, and a note
SEED = 0


class Cost(NamedTuple):  # not a dataclass: tests load this file without registering it as a module
    runs: int
    reads: int
    writes: int
    least_reads: int  # the API's minimum when every run creates: the read after the write included
    most_writes: int  # when every run looked before any wrote: each run's writes, and one repair per
    # object a losing run created (a run that looks after another wrote writes less, and reads less)

    def line(self) -> str:
        return (
            f"{self.runs} run(s): {self.reads:3} read(s) {self.writes:3} write(s); API minimum "
            f"{self.least_reads} read(s) when every run creates; at most {self.most_writes} write(s)"
        )


def _together(fake: FakeGitHub, argv: list[str], runs: int) -> None:
    from concurrency import run_together  # tests/ is on the path once harness is imported

    fake.clear_requests()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        codes = run_together(fake, [argv] * runs, seed=SEED)
    if any(codes):
        raise SystemExit(f"{' '.join(argv)}: exit codes {codes}")


def _merged(fake: FakeGitHub, labels: tuple[str, ...] = ()) -> int:
    number = fake.add_pull(REPO, title="Fix", body="Fix it.", author="maya", created_at=CLOCK, labels=labels)
    fake.merge_pull(REPO, number, by="bob", at=CLOCK + timedelta(hours=1), method="squash")
    return number


def measure() -> dict[str, Cost]:
    figures: dict[str, Cost] = {}
    for runs in (1, 2, 3):
        with fake_checkout(YOLO_CONFIG, REPO, CLOCK) as (fake, _tmp):
            fake.add_repo(REPO, collaborators=["maya", "bob"])
            fake.add_label(REPO, "yolo-merge")
            fake.add_label(REPO, "emergency")
            number = _merged(fake)
            _together(fake, ["--now", NOW, "yolo", "check", "--pr", str(number)], runs)
            # Each run: 1 read, then the read after posting; one mutation (label + comment); a run
            # that lost deletes its comment.
            figures[f"yolo check, yolo merge, {runs} run(s)"] = Cost(
                runs, len(fake.reads), len(fake.writes), 2 * runs, runs + (runs - 1)
            )
            number = _merged(fake, labels=("emergency",))
            _together(fake, ["--now", NOW, "yolo", "check", "--pr", str(number)], runs)
            # Each run: the follow-up issue and the comment; a losing run closes its issue (one
            # mutation) and deletes its comment.
            figures[f"yolo check, emergency merge, {runs} run(s)"] = Cost(
                runs, len(fake.reads), len(fake.writes), 2 * runs, 2 * runs + 2 * (runs - 1)
            )
        with fake_checkout(PRIORITY_CONFIG, PRIORITY_REPO, CLOCK) as (fake, _tmp):
            fake.add_repo(PRIORITY_REPO, collaborators=["alice", "bob"])
            issue = fake.add_issue(PRIORITY_REPO, title="Leak", body=f"Leak.\n\n{VECTOR}\n", labels=["bug"])
            _together(fake, ["--now", NOW, "priority", "apply", "--issue", str(issue["number"])], runs)
            # Each run: the issue, its timeline, the repository (public?), the read after the note;
            # the labels (one POST) and the note; a losing run deletes its note.
            figures[f"priority apply, security note, {runs} run(s)"] = Cost(
                runs, len(fake.reads), len(fake.writes), 4 * runs, 2 * runs + (runs - 1)
            )
            for n in range(3):
                fake.add_issue(
                    PRIORITY_REPO, title=f"Bug {n}", labels=["bug"], created_at=CLOCK - timedelta(days=5)
                )
            _together(fake, ["--now", NOW, "priority", "triage"], runs)
            # Each run: the page of open issues, the read after asking (3 bugs: one read); a losing
            # run deletes its questions.
            figures[f"priority triage, 3 bugs to ask, {runs} run(s)"] = Cost(
                runs, len(fake.reads), len(fake.writes), 2 * runs, 3 * runs + 3 * (runs - 1)
            )
    return figures


if __name__ == "__main__":
    scale = measure()
    width = max(len(name) for name in scale)
    for name, cost in scale.items():
        print(f"{name:{width}}  {cost.line()}")
