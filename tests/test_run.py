"""`gh-ops run`, the `schedules:` map and the one workflow: real payloads, the CLI, the fake GitHub."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from fakegithub import FakeGitHub, NewFake
from test_action import REPO_ROOT, zizmor_command

from gh_ops.cli import main
from gh_ops.config import parse_config
from gh_ops.registry import capabilities
from gh_ops.runner import most_serious, parse_outputs, plan
from gh_ops.workflow import DOCTOR_CRON, render_workflow

REPO = "Codertocat/Hello-World"  # as in the real payloads
NOW = "2026-11-20T15:00:00Z"
CONFIG = "timezone: UTC\npriority: {}\n"
ALL = (
    "timezone: UTC\nteams:\n  web:\n    lead: alice\n"
    "sprint:\n  every: 2w\n  anchor: 2026-01-05\nrfc: {}\npriority: {}\nyolo: {}\n"
)

pytestmark = pytest.mark.usefixtures("no_wall_clock")


# --- the one workflow ----------------------------------------------------------------------------


def test_the_repository_workflow_is_the_renderers_output() -> None:
    written = (REPO_ROOT / ".github/workflows/gh-ops.yml").read_text(encoding="utf-8")
    assert written == render_workflow(capabilities(), "$/", default_branch="main", doctor_cron=DOCTOR_CRON)
    assert sorted(p.name for p in (REPO_ROOT / ".github/workflows").glob("*.yml")) == ["ci.yml", "gh-ops.yml"]


def test_the_workflow_has_the_enabled_events_and_the_union_of_permissions(tmp_path: Path) -> None:
    chosen = [c for c in capabilities() if c.name in ("sprint", "yolo")]
    text = render_workflow(chosen, "acme/gh-ops@" + "a" * 40 + " # v1.0.0")
    workflow = yaml.safe_load(text)
    on = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert set(on) == {"pull_request", "pull_request_review", "push", "schedule", "workflow_dispatch"}
    assert on["pull_request"] == {"types": ["closed"]}
    assert [s["cron"] for s in on["schedule"]] == ["17 6 * * *", "23 7 * * 1"]
    assert on["workflow_dispatch"]["inputs"]["job"]["options"] == ["sprint open", "yolo audit", "yolo check"]
    assert workflow["permissions"] == {}
    job = workflow["jobs"]["gh-ops"]
    assert job["permissions"] == {"contents": "read", "issues": "write", "pull-requests": "write"}
    assert "# sprint: open sprint issues" in text
    assert job["steps"][1]["with"] == {
        "command": "run",
        "github-token": "${{ secrets.GH_OPS_TOKEN || github.token }}",
    }
    (tmp_path / ".github/workflows").mkdir(parents=True)
    (tmp_path / ".github/workflows/gh-ops.yml").write_text(text, encoding="utf-8")
    completed = subprocess.run(
        [*zizmor_command(), "--offline", "--no-progress", "--format=json", str(tmp_path / ".github")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert json.loads(completed.stdout) == []


def test_a_schedules_map_gives_the_workflow_its_crons() -> None:
    text = render_workflow(capabilities(), "$/", {"0 7 * * *": ["sprint open", "priority triage"]})
    assert [s["cron"] for s in yaml.safe_load(text)[True]["schedule"]] == ["0 7 * * *"]


# --- schedules: in the config ------------------------------------------------------------------------


def validate(tmp_path: Path, text: str, monkeypatch: pytest.MonkeyPatch) -> Result:
    (tmp_path / ".github").mkdir(exist_ok=True)
    (tmp_path / ".github/gh-ops.yml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return CliRunner().invoke(main, ["validate"])


@pytest.mark.parametrize(
    ("schedules", "line", "message"),
    [
        ("  '0 7 * *': [priority triage]\n", 4, "has 4 field(s)"),
        ("  '61 7 * * *': [priority triage]\n", 4, "the minute field '61'"),
        ("  '0 7 * * MON-XYZ': [priority triage]\n", 4, "the day of the week field"),
        ("  '0 7 * * *': [priority sweep]\n", 4, "'priority sweep' is not a scheduled job"),
        ("  '0 7 * * *':\n    - sprint open\n", 5, "whose section is not in this file"),
        (
            "  '0 7 * * *': [yolo audit --sincee 7d]\n",
            4,
            "job 'yolo audit --sincee 7d': No such option '--sincee'. Did you mean '--since'?",
        ),
        (
            "  '0 7 * * *':\n    - yolo audit --since\n",
            5,
            "job 'yolo audit --since': Option '--since' requires",
        ),
        (
            "  '0 7 * * *': [priority triage now]\n",
            4,
            "job 'priority triage now': unexpected argument(s) 'now'",
        ),
    ],
)
def test_a_bad_schedules_map_is_one_exit_2_with_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, schedules: str, line: int, message: str
) -> None:
    result = validate(tmp_path, "priority: {}\nyolo: {}\nschedules:\n" + schedules, monkeypatch)
    assert result.exit_code == 2, result.output
    assert f".github/gh-ops.yml:{line}" in result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_a_good_schedules_map_is_read_into_command_lines() -> None:
    text = "priority: {}\nyolo: {}\nschedules:\n  '0 7 * * 1-5': [priority triage, yolo audit --since 30d]\n"
    config = parse_config(text, "gh-ops.yml", base_dir=None)
    assert config.schedules == {"0 7 * * 1-5": (("priority", "triage"), ("yolo", "audit", "--since", "30d"))}


# --- what runs for an event (pure) -------------------------------------------------------------------


def commands(config_text: str, event: str, payload: dict[str, Any]) -> dict[str, list[str]]:
    config = parse_config(config_text, "gh-ops.yml", base_dir=None)
    return {p.capability.name: [" ".join(c) for c in p.commands] for p in plan(config, event, payload)}


def test_each_event_runs_what_the_table_says(load_payload: Callable[[str], dict[str, Any]]) -> None:
    people = ALL + "people:\n  repo: Codertocat/people\n"
    joiner = load_payload("issues.opened.new-joiner")
    joiner["issue"]["author_association"] = "MEMBER"
    assert commands(people, "issues", joiner) == {
        "people": ["onboarding open", "offboarding open"],
        "priority": ["priority apply"],
    }
    stranger = load_payload("issues.opened.new-joiner")
    stranger["issue"]["author_association"] = "NONE"  # anyone can file a form on a public repository
    assert commands(people, "issues", stranger) == {"priority": ["priority apply"]}
    assert commands(ALL, "pull_request", load_payload("pull_request.opened")) == {"rfc": ["rfc check"]}
    merged = load_payload("pull_request.closed")
    merged["pull_request"]["merged"] = True
    assert commands(ALL, "pull_request", merged) == {"rfc": ["rfc check"], "yolo": ["yolo check"]}
    review = load_payload("pull_request_review.submitted")
    assert commands(ALL, "pull_request_review", review) == {"rfc": ["rfc check"], "yolo": ["yolo check"]}
    push = load_payload("push")
    push["ref"] = f"refs/heads/{push['repository']['default_branch']}"
    assert commands(ALL, "push", push) == {"yolo": ["yolo check"]}
    push["ref"] = "refs/heads/topic"
    assert commands(ALL, "push", push) == {}


def test_a_schedule_runs_the_mapped_jobs_or_without_a_map_every_scheduled_job() -> None:
    assert commands(ALL, "schedule", {"schedule": "17 * * * *"}) == {
        "sprint": ["sprint open"],
        "rfc": ["rfc remind"],
        "priority": ["priority triage"],
        "yolo": ["yolo audit --since 7d"],
    }
    mapped = (
        ALL
        + "schedules:\n  '0 7 * * *': [sprint open, yolo audit --since 7d]\n  '17 * * * *': [rfc remind]\n"
    )
    assert commands(mapped, "schedule", {"schedule": "0 7 * * *"}) == {
        "sprint": ["sprint open"],
        "yolo": ["yolo audit --since 7d"],
    }
    assert commands(mapped, "schedule", {"schedule": "17 * * * *"}) == {"rfc": ["rfc remind"]}


def test_a_manual_run_runs_the_job_with_its_args(load_payload: Callable[[str], dict[str, Any]]) -> None:
    payload = load_payload("workflow_dispatch")
    payload["inputs"] = {"job": "sprint open", "args": "--team 'web' --dry-run"}
    assert commands(ALL, "workflow_dispatch", payload) == {"sprint": ["sprint open --team web --dry-run"]}
    payload["inputs"] = {"job": "yolo audit", "args": ""}
    assert commands(ALL, "workflow_dispatch", payload) == {"yolo": ["yolo audit --since 7d"]}


def test_the_most_serious_exit_code_wins() -> None:
    assert most_serious([0, 1, 3, 2]) == 2
    assert most_serious([1, 3]) == 3
    assert most_serious([0, 4, 2]) == 4
    assert most_serious([0, 1]) == 1
    assert most_serious([]) == 0


# --- gh-ops run end to end, against the fake -----------------------------------------------------------


@pytest.fixture
def fake(new_fake: NewFake, sleeps: list[float]) -> FakeGitHub:
    return new_fake(datetime(2026, 11, 20, 15, tzinfo=UTC), repos={REPO: {"collaborators": ["alice"]}})


def send(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, payload: dict[str, Any]) -> None:
    path = tmp_path / "event.json"
    path.write_text(json.dumps(payload), encoding="utf-8")
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(path))
    monkeypatch.setenv("GITHUB_EVENT_NAME", name)


def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Result, dict[str, str]]:
    output = tmp_path / "output"
    output.write_text("")
    monkeypatch.setenv("GITHUB_OUTPUT", str(output))
    result = CliRunner().invoke(main, ["--now", NOW, "run"])
    return result, parse_outputs(output.read_text())


def test_run_on_an_issue_gives_it_its_priority_and_prefixes_the_outputs(
    fake: FakeGitHub,
    checkout: Callable[[str, str], Path],
    load_payload: Callable[[str], dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    checkout(CONFIG + "yolo: {}\n", REPO)
    issue = fake.add_issue(
        REPO, title="Crash", body="### Priority\n\nP1 - Urgent, non-breaking\n", labels=("bug",)
    )
    payload = load_payload("issues.opened")
    payload["issue"].update(number=issue["number"], body=issue["body"], node_id=issue["node_id"])
    payload["issue"]["labels"] = (
        [{**payload["issue"]["labels"][0], "name": "bug"}] if payload["issue"]["labels"] else []
    )
    send(tmp_path, monkeypatch, "issues", payload)
    result, outputs = run(tmp_path, monkeypatch)
    assert result.exit_code == 0, result.output
    assert "P1" in [label["name"] for label in fake.issue(REPO, issue["number"])["labels"]]
    assert "P1" in outputs["priority-result"]
    assert "priority-github-writes" in outputs
    assert not any(name.startswith("yolo-") for name in outputs)  # yolo handles no issues event


def test_an_event_no_enabled_capability_handles_costs_no_request(
    fake: FakeGitHub,
    checkout: Callable[[str, str], Path],
    load_payload: Callable[[str], dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    checkout(CONFIG, REPO)
    send(tmp_path, monkeypatch, "push", load_payload("push"))
    result, outputs = run(tmp_path, monkeypatch)
    assert result.exit_code == 0, result.output
    assert "nothing to do" in result.output
    assert fake.requests == []
    assert outputs == {}


def test_an_event_no_capability_handles_loads_no_http_stack(tmp_path: Path) -> None:
    import os
    import sys

    (tmp_path / ".github").mkdir()
    (tmp_path / ".github/gh-ops.yml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "event.json").write_text('{"ref": "refs/heads/main"}', encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GH_"))}
    env.update(GITHUB_EVENT_NAME="push", GITHUB_EVENT_PATH=str(tmp_path / "event.json"))
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "gh_ops", "run"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    modules = {line.rsplit("|", 1)[1].strip() for line in result.stderr.splitlines() if "|" in line}
    assert "gh_ops.runner" in modules
    assert sorted(m for m in modules if m.split(".")[0] in ("github", "requests", "urllib3")) == []


def test_a_manual_run_creates_the_labels_and_a_failing_job_exits_2(
    fake: FakeGitHub,
    checkout: Callable[[str, str], Path],
    load_payload: Callable[[str], dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    checkout(CONFIG, REPO)
    payload = load_payload("workflow_dispatch")
    payload["inputs"] = {"job": "priority labels", "args": ""}
    send(tmp_path, monkeypatch, "workflow_dispatch", payload)
    result, outputs = run(tmp_path, monkeypatch)
    assert result.exit_code == 0, result.output
    assert {"P0", "P1", "P2", "P3"} <= {label["name"] for label in fake.labels(REPO)}
    assert "priority-result" in outputs
    payload["inputs"] = {"job": "priority apply", "args": "--issue nope"}
    send(tmp_path, monkeypatch, "workflow_dispatch", payload)
    result, _ = run(tmp_path, monkeypatch)
    assert result.exit_code == 2, result.output
    # The message names the run's job, not a bare subcommand the user never typed.
    assert "error: gh-ops run: job 'priority apply --issue nope':" in result.output


def test_a_schedule_not_in_the_map_is_exit_2(
    fake: FakeGitHub, checkout: Callable[[str, str], Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    checkout(CONFIG + "schedules:\n  '41 7 * * 1-5': [priority triage]\n", REPO)
    send(tmp_path, monkeypatch, "schedule", {"schedule": "0 0 * * *"})
    result, _ = run(tmp_path, monkeypatch)
    assert result.exit_code == 2, result.output
    assert "'0 0 * * *' fired" in result.output
    assert fake.requests == []


def test_the_doctor_job_runs_on_its_own_cron_only_and_the_run_job_never_does() -> None:
    """`gh-ops doctor --issue` keeps the health issue from the one workflow's schedule: its cron
    starts only the doctor job, and `gh-ops run` never sees that cron (not in `schedules:`)."""
    text = render_workflow(capabilities(), "$/", {"0 7 * * *": ["sprint open"]}, doctor_cron="37 5 * * *")
    workflow = yaml.safe_load(text)
    on = workflow[True]  # YAML 1.1 reads `on` as true
    assert [entry["cron"] for entry in on["schedule"]] == ["0 7 * * *", "37 5 * * *"]
    run_job, doctor_job = workflow["jobs"]["gh-ops"], workflow["jobs"]["doctor"]
    assert run_job["if"] == "github.event.schedule != '37 5 * * *'"
    assert doctor_job["if"] == "github.event.schedule == '37 5 * * *'"
    step = doctor_job["steps"][-1]
    assert step["with"]["command"] == "doctor" and step["with"]["args"] == "--issue"
    assert doctor_job["permissions"] == {"actions": "read", "contents": "read", "issues": "write"}
    assert "doctor" not in yaml.safe_load(render_workflow(capabilities(), "$/"))["jobs"]
