"""Time `gh-ops --help` and list which heavy modules it imports (it should import none).

Run: .venv/bin/python benchmarks/help_time.py [runs]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

HEAVY = ("github", "jinja2", "jsonschema", "yaml", "requests")
PROBE = (
    "import sys\n"
    "from gh_ops.cli import main\n"
    "try:\n"
    "    main.main(['--help'], standalone_mode=False)\n"
    "except SystemExit:\n"
    "    pass\n"
    f"print('heavy imported:', sorted(m for m in {HEAVY!r} if m in sys.modules), file=sys.stderr)\n"
)


def time_help(runs: int) -> list[float]:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "gh_ops", "--help"], check=True, capture_output=True)
        timings.append(time.perf_counter() - start)
    return timings


if __name__ == "__main__":
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    baseline = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        baseline.append(time.perf_counter() - start)
    timings = time_help(runs)
    probe = subprocess.run([sys.executable, "-c", PROBE], check=True, capture_output=True, text=True)
    print(
        f"gh-ops --help: median {statistics.median(timings) * 1000:.0f} ms over {runs} runs "
        f"(bare interpreter start: {statistics.median(baseline) * 1000:.0f} ms)"
    )
    print(probe.stderr.strip())
