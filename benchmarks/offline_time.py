"""Time the offline commands (`--help`, `validate`, `preview`, `rfc new`) and list which heavy modules
each imports, read from `python -X importtime` (none of them should load PyGithub, requests or
urllib3; `--help` should load none of these at all).

Run: .venv/bin/python benchmarks/offline_time.py [runs]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time

HEAVY = ("github", "requests", "urllib3", "jinja2", "jsonschema", "yaml")
COMMANDS = {
    "--help": ["--help"],
    "validate": ["validate"],
    "preview sprint": ["preview", "sprint"],
    "preview onboarding": ["preview", "onboarding"],
    "rfc new --dry-run": ["rfc", "new", "Adopt Postgres 17", "--dry-run"],
}


def run(args: list[str], cwd: str, *, importtime: bool = False) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GH_"))}
    flags = ["-X", "importtime"] if importtime else []
    command = [sys.executable, *flags, "-m", "gh_ops", "--now", "2026-11-20", *args]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=True)


def heavy_imports(args: list[str], cwd: str) -> list[str]:
    stderr = run(args, cwd, importtime=True).stderr
    loaded = {line.rsplit("|", 1)[1].strip().split(".")[0] for line in stderr.splitlines() if "|" in line}
    return sorted(loaded & set(HEAVY))


def median_ms(args: list[str], cwd: str, runs: int) -> float:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        run(args, cwd)
        timings.append(time.perf_counter() - start)
    return statistics.median(timings) * 1000


if __name__ == "__main__":
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    with tempfile.TemporaryDirectory() as empty:  # no config here: the embedded example is used
        bare = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", "pass"], check=True)
            bare.append(time.perf_counter() - start)
        print(f"bare interpreter start: median {statistics.median(bare) * 1000:.0f} ms over {runs} runs")
        for name, args in COMMANDS.items():
            print(
                f"gh-ops {name:20} median {median_ms(args, empty, runs):5.0f} ms; "
                f"imports {', '.join(heavy_imports(args, empty)) or 'none of them'}"
            )
