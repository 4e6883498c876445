"""Start several gh-ops runs at the same moment against one fake GitHub, as overlapping runs happen:
a schedule and a manual run, a laptop and the workflow, an `opened` and an `edited` delivery.

Each run is the real CLI (`main`, not CliRunner, which swaps sys.stdout for the whole process) in a
thread of its own, with its own client. The fake holds every request a random time (seeded) before
serving it, so each seed interleaves the runs' reads and writes differently; the fake serves one
request at a time, as GitHub applies each write atomically.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from fakegithub import FakeGitHub

from gh_ops.cli import main

SEEDS = range(12)  # interleavings per scenario; every one must end in the same state
MOST_DELAY = 0.004  # seconds a request may be held before the fake serves it


def run_together(fake: FakeGitHub, argvs: Sequence[Sequence[str]], *, seed: int) -> list[int]:
    """Run each argv as `gh-ops ARGV...` in its own thread, all released at once; their exit codes."""
    fake.delay_randomly(seed, MOST_DELAY)
    start = threading.Barrier(len(argvs))
    codes: list[int | BaseException] = [0] * len(argvs)

    def one(index: int, argv: Sequence[str]) -> None:
        start.wait()
        try:
            result = main.main(args=list(argv), prog_name="gh-ops", standalone_mode=False)
            codes[index] = result if isinstance(result, int) else 0
        except SystemExit as exc:  # pragma: no cover - standalone_mode=False returns instead
            codes[index] = int(exc.code or 0)
        except BaseException as exc:  # noqa: BLE001 - reported to the test below
            codes[index] = exc

    threads = [threading.Thread(target=one, args=(i, argv)) for i, argv in enumerate(argvs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
        assert not thread.is_alive(), "a run did not finish within 60 s"
    fake.delay_randomly(seed, 0.0)
    for code in codes:
        if isinstance(code, BaseException):
            raise code
    return [int(code) for code in codes if not isinstance(code, BaseException)]
