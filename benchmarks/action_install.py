"""Time the Action's install (action/install.sh, run through bash as action.yml runs it) on this
machine, and weigh the environment it leaves:

- cold: an empty RUNNER_TEMP, no pip or uv cache (every wheel downloaded from PyPI);
- warm: the environment as actions/cache/restore leaves it on a hit (the restore's own download,
  about a second for the ~8 MB archive on a hosted runner, is GitHub's and is not counted);
- before: the install this replaced (a venv with pip, then `pip install` of the action's checkout,
  which downloads a build backend, resolves the version ranges and builds a wheel), cold.

Run: .venv/bin/python benchmarks/action_install.py [runs] [--before]
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "action" / "install.sh"
TARGETS = {"cold": 6.0, "warm": 1.5, "size": 30.0}  # seconds, seconds, MB (from the issue)

# The two action.yml steps around actions/cache/restore, as the runner runs them.
STEPS = """
set -euo pipefail
: > "${GITHUB_OUTPUT}"
bash "${GITHUB_ACTION_PATH}/action/install.sh" key
GH_OPS_VENV="$(sed -n 's/^venv=//p' "${GITHUB_OUTPUT}")"
GH_OPS_CACHE_KEY="$(sed -n 's/^key=//p' "${GITHUB_OUTPUT}")"
GH_OPS_INTERPRETER="$(sed -n 's/^interpreter=//p' "${GITHUB_OUTPUT}")"
export GH_OPS_VENV GH_OPS_CACHE_KEY GH_OPS_INTERPRETER
bash "${GITHUB_ACTION_PATH}/action/install.sh" install
"""

# action.yml's install step before (its Python version check left out: the new one has it too).
BEFORE = """
set -euo pipefail
venv="${RUNNER_TEMP}/gh-ops-venv"
python3 -m venv "${venv}"
"${venv}/bin/python" -m pip install --quiet --disable-pip-version-check "${GITHUB_ACTION_PATH}"
"""


def run(script: str, temp: Path, cache_hit: str = "") -> tuple[float, float]:
    """(wall seconds, CPU seconds of every process the script ran) of one run of script."""
    env = {name: value for name, value in os.environ.items() if not name.startswith(("GITHUB_", "GH_OPS_"))}
    env.update(
        RUNNER_TEMP=str(temp),
        GITHUB_ACTION_PATH=str(ROOT),
        GITHUB_OUTPUT=str(temp / "github_output"),
        GH_OPS_CACHE_HIT=cache_hit,
        PIP_NO_CACHE_DIR="1",  # cold means cold: nothing from an earlier download
        UV_NO_CACHE="1",
    )
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(["bash", "-c", script], env=env, check=True, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def size_mb(folder: Path) -> float:
    """Bytes of the files in folder, symlinks (the venv's interpreter) counted as links only."""
    total = sum(
        os.lstat(os.path.join(where, name)).st_size for where, _, names in os.walk(folder) for name in names
    )
    return total / 1024 / 1024


def line(name: str, measured: float, unit: str, target: float | None, cpu: float | None = None) -> str:
    verdict = (
        "" if target is None else f"target <= {target:g} {unit}: {'met' if measured <= target else 'MISSED'}"
    )
    used = "" if cpu is None else f"(CPU {cpu:5.2f} s)"
    return f"{name:34} {measured:6.2f} {unit:3} {used:14} {verdict}"


def median_of(runs: int, script: str, temps: list[Path], cache_hit: str = "") -> tuple[float, float]:
    """Median wall seconds and median CPU seconds over runs."""
    measured = [run(script, temps[n % len(temps)], cache_hit) for n in range(runs)]
    return statistics.median(w for w, _ in measured), statistics.median(c for _, c in measured)


def main(runs: int, before: bool) -> None:
    python3 = subprocess.run(["python3", "--version"], capture_output=True, text=True).stdout.strip()
    # Other work on the machine slows every figure (the before install most): say how busy it was.
    print(f"{python3}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores at the start")
    bare = median_of(5, "python3 -I -c pass", [Path(tempfile.gettempdir())])[0]
    with tempfile.TemporaryDirectory() as scratch:
        if before:
            temps = [Path(scratch, f"before-{n}") for n in range(runs)]
            for temp in temps:
                temp.mkdir()
            wall, cpu = median_of(runs, BEFORE, temps)
            print(line(f"before, cold (median of {runs})", wall, "s", None, cpu))
            print(line("before, environment", size_mb(temps[0] / "gh-ops-venv"), "MB", None))
        temps = [Path(scratch, f"cold-{n}") for n in range(runs)]
        for temp in temps:
            temp.mkdir()
        wall, cpu = median_of(runs, STEPS, temps)
        print(line(f"cold: empty cache (median of {runs})", wall, "s", TARGETS["cold"], cpu))
        wall, cpu = median_of(max(runs, 5), STEPS, temps[:1], cache_hit="true")
        print(line(f"warm: restored venv (median of {max(runs, 5)})", wall, "s", TARGETS["warm"], cpu))
        print(f"{'':34} least it can be: the steps' 2 interpreter starts, 2 x {bare:.2f} s")
        print(line("environment (no interpreter)", size_mb(temps[0] / "gh-ops-venv"), "MB", TARGETS["size"]))
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main(int(next((a for a in sys.argv[1:] if a.isdigit()), "3")), "--before" in sys.argv)
