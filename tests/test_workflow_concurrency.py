"""The rendered workflow's concurrency group serialises the runs that touch the same objects: one
per issue or pull request for event runs, one per job for scheduled and manual runs (issue 15)."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from gh_ops.registry import capabilities
from gh_ops.workflow import DOCTOR_CRON, render_workflow


class _Context:
    """A GitHub expression context: a missing property is null, as in GitHub's expressions."""

    def __init__(self, **values: Any) -> None:
        self._values = values

    def __getattr__(self, name: str) -> Any:
        value = self._values.get(name)
        if value is None or isinstance(value, dict):
            return _Context(**(value or {}))  # null, or an object: both may be dereferenced further
        return value

    def __bool__(self) -> bool:
        return bool(self._values)


def evaluate(template: str, event_name: str, event: dict[str, Any], **extra: Any) -> str:
    """The value of a `${{ }}` template for this event. The group uses only literals, property
    access, ==, &&, || (which return an operand, like Python's and/or), parentheses and format()."""

    def one(match: re.Match[str]) -> str:
        expression = match.group(1).replace("&&", " and ").replace("||", " or ")
        github = _Context(workflow="gh-ops", event_name=event_name, event=event, **extra)
        inputs = _Context(**event.get("inputs", {}))
        fmt = lambda text, *args: text.format(*args)  # noqa: E731
        value = eval(expression.replace("format(", "fmt("), {"github": github, "inputs": inputs, "fmt": fmt})  # noqa: S307
        return "" if isinstance(value, _Context) else str(value)

    return re.sub(r"\$\{\{(.*?)\}\}", one, template)


@pytest.fixture(scope="module")
def group() -> str:
    text = render_workflow(capabilities(), "$/", default_branch="main", doctor_cron=DOCTOR_CRON)
    return str(yaml.safe_load(text)["jobs"]["gh-ops"]["concurrency"]["group"])


def test_a_scheduled_and_a_manual_run_of_one_job_share_a_group(group: str) -> None:
    scheduled = evaluate(group, "schedule", {"schedule": "17 6 * * *"})
    manual = evaluate(group, "workflow_dispatch", {"inputs": {"job": "sprint open"}})
    assert scheduled == manual == "gh-ops-job sprint open"
    # A job scheduled with options is the same job as its manual run.
    assert evaluate(group, "schedule", {"schedule": "23 7 * * 1"}) == evaluate(
        group, "workflow_dispatch", {"inputs": {"job": "yolo audit"}}
    )
    # Different jobs do not wait for each other.
    assert evaluate(group, "schedule", {"schedule": "17 * * * *"}) != scheduled


def test_event_runs_are_one_at_a_time_per_issue_or_pull_request(group: str) -> None:
    opened = evaluate(group, "issues", {"action": "opened", "issue": {"number": 7}})
    edited = evaluate(group, "issues", {"action": "edited", "issue": {"number": 7}})
    assert opened == edited == "gh-ops-7"
    assert evaluate(group, "issues", {"issue": {"number": 8}}) != opened
    review = evaluate(group, "pull_request_review", {"pull_request": {"number": 9}})
    assert review == evaluate(group, "pull_request", {"action": "edited", "pull_request": {"number": 9}})
    push = evaluate(group, "push", {}, sha="abc")
    assert push == "gh-ops-push abc" and push != evaluate(group, "push", {}, sha="def")


def test_a_cron_that_starts_several_jobs_is_one_group() -> None:
    text = render_workflow(capabilities(), "$/", {"0 7 * * *": ["sprint open", "priority triage"]})
    group = str(yaml.safe_load(text)["jobs"]["gh-ops"]["concurrency"]["group"])
    assert evaluate(group, "schedule", {"schedule": "0 7 * * *"}) == "gh-ops-cron 0 7 * * *"
