"""`gh-ops doctor`'s requests, as benchmarks/doctor_requests.py measures them (the README quotes these
figures): a healthy setup costs 5 reads and no write, the least the API allows for what it checks."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

BENCHMARK = Path(__file__).resolve().parents[1] / "benchmarks" / "doctor_requests.py"


def _benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location("doctor_requests", BENCHMARK)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks its module up there
    spec.loader.exec_module(module)
    return module


def test_doctor_costs_the_least_the_api_allows() -> None:
    figures = _benchmark().measure()
    expected = {
        # GET /user, the labels, the workflows, the last scheduled run, the repository.
        "healthy setup": (5, 0),
        # ... and the open issues with the health label.
        "healthy setup, --issue (no issue open)": (6, 0),
        # After its write, one read for what an overlapping run wrote at the same moment
        # (gh_ops.converge): GitHub has no unique key for an issue or a comment.
        "disabled workflow, --issue (opens the issue)": (7, 1),
        "disabled workflow, --issue again (up to date)": (6, 0),
        "healthy again, --issue (closes it)": (7, 2),
    }
    assert {name: (f.reads, f.writes) for name, f in figures.items()} == expected
    for name, f in figures.items():
        assert (f.reads, f.writes) == (f.least_reads, f.least_writes), name
