"""THE workflow: one `.github/workflows/gh-ops.yml` that runs `gh-ops run` for every enabled
capability, rendered from the capabilities' declarations (their triggers, scheduled and dispatchable
jobs, and token permissions) and a schedules map. `gh-ops init` writes it; this repository's own
copy is rendered by it too (a test keeps them equal)."""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gh_ops.registry import Capability

# Pinned by full commit SHA (with its version), as every `uses:` must be.
# When `gh-ops init` has the doctor keep the health issue: daily, apart from the jobs' crons.
DOCTOR_CRON = "37 5 * * *"

CHECKOUT = "actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0"

# The order of the events in `on:`; schedule and workflow_dispatch come last.
EVENT_ORDER = ("issues", "issue_comment", "pull_request", "pull_request_review", "push")

LEVELS = ("read", "write")


# Event runs: one at a time per issue or pull request (GitHub numbers both in one sequence), so two
# quick events cannot both write; a push by its commit; a job, whether its cron or a person (manual
# run) started it, so a scheduled and a manual `sprint open` never overlap. cancel-in-progress is
# off: a newer run waits instead of stopping one mid-write.
def concurrency_group(schedules: Mapping[str, Sequence[str]]) -> str:
    """The gh-ops job's `concurrency.group`: per job for scheduled and manual runs (a cron that
    starts several jobs is one group), per commit for pushes, per issue or pull request for events."""
    by_cron = [
        f"github.event.schedule == {_quoted(cron)} && {_quoted('job ' + _command(jobs[0]))}"
        for cron, jobs in schedules.items()
        if len(jobs) == 1
    ]
    scheduled = " || ".join([*by_cron, "format('cron {0}', github.event.schedule)"])
    return (
        "${{ github.workflow }}-${{ "
        f"github.event_name == 'schedule' && ({scheduled}) || "
        "github.event_name == 'workflow_dispatch' && format('job {0}', inputs.job) || "
        "github.event_name == 'push' && format('push {0}', github.sha) || "
        "github.event.pull_request.number || github.event.issue.number || github.run_id }}"
    )


def _command(job: str) -> str:
    """A scheduled job's command words, as the manual run's `job` input names it."""
    return " ".join(itertools.takewhile(lambda word: not word.startswith("-"), job.split()))


HEADER = """\
# gh-ops ({names}) in one workflow. Every event below runs one step,
# `gh-ops run`, which does what the event calls for, for each capability whose section is in
# .github/gh-ops.yml (see the README, "One workflow: gh-ops run"). Rendered by gh-ops
# (gh_ops.workflow): render it again rather than edit it by hand, and keep the crons under
# `schedule:` the same as `schedules:` in the config.
#
# The token: the workflow's own GITHUB_TOKEN, or the secret GH_OPS_TOKEN when set (a GitHub App or
# fine-grained token, for writes to other repositories such as a private people repository; then
# set `bot:` in the config to its account, so gh-ops trusts the markers in what it wrote).
"""


def default_schedules(capabilities: Sequence[Capability]) -> dict[str, list[str]]:
    """Each scheduled job at the cron it suggests (jobs that suggest the same cron share it)."""
    found: dict[str, list[str]] = {}
    for capability in capabilities:
        for job in capability.scheduled:
            assert job.cron is not None, job
            found.setdefault(job.cron, []).append(job.text)
    return found


def permissions(capabilities: Sequence[Capability]) -> dict[str, tuple[str, list[str]]]:
    """The union of what the capabilities need: scope -> (the highest level, why each needs it)."""
    union: dict[str, tuple[str, dict[str, list[str]]]] = {}
    for capability in capabilities:
        for permission in capability.permissions:
            level, whys = union.get(permission.scope, ("read", {}))
            level = max(level, permission.level, key=LEVELS.index)
            whys.setdefault(permission.why, []).append(capability.name)
            union[permission.scope] = (level, whys)
    return {
        scope: (level, [f"{', '.join(names)}: {why}" for why, names in whys.items()])
        for scope, (level, whys) in sorted(union.items())
    }


def _quoted(text: str) -> str:
    """A YAML scalar in single quotes (cron expressions start with * or contain spaces)."""
    return "'" + text.replace("'", "''") + "'"


def render_workflow(
    capabilities: Sequence[Capability],
    uses: str,
    schedules: Mapping[str, Sequence[str]] | None = None,
    *,
    default_branch: str | None = None,
    doctor_cron: str | None = None,
) -> str:
    """The workflow for these (enabled) capabilities. `uses` is the gh-ops step's action, e.g.
    `owner/gh-ops@<full commit sha> # v1.2.0`; `schedules` maps each cron to its jobs (default: each
    job's suggested cron); `default_branch` limits push runs to it (else gh-ops skips other pushes);
    `doctor_cron` adds a job that runs `gh-ops doctor --issue` on that cron (and only then)."""
    schedules = default_schedules(capabilities) if schedules is None else schedules
    names = ", ".join(c.name for c in capabilities) or "no capability"
    lines = [HEADER.format(names=names) + "name: gh-ops", "", "on:"]
    triggers: dict[str, list[str]] = {}
    for capability in capabilities:
        for trigger in capability.triggers:
            types = triggers.setdefault(trigger.event, [])
            types += [t for t in trigger.types if t not in types]
    for event in sorted(triggers, key=lambda e: (EVENT_ORDER.index(e) if e in EVENT_ORDER else 99, e)):
        owners = ", ".join(c.name for c in capabilities if event in {t.event for t in c.triggers})
        lines.append(f"  {event}: # {owners}")
        if event == "push" and default_branch:
            lines.append(f"    branches: [{json.dumps(default_branch)}] # the default branch")
        if triggers[event]:
            lines.append(f"    types: [{', '.join(triggers[event])}]")
    if schedules:
        lines.append("  schedule: # the same crons as `schedules:` in .github/gh-ops.yml (UTC)")
        for cron, jobs in schedules.items():
            lines.append(f"    - cron: {_quoted(cron)} # {', '.join(jobs)}")
    if doctor_cron:
        if not schedules:
            lines.append("  schedule:")
        lines.append(f"    - cron: {_quoted(doctor_cron)} # gh-ops doctor --issue (the doctor job below)")
    dispatchable = [job.command for c in capabilities for job in c.dispatchable]
    lines += [
        "  workflow_dispatch:",
        "    inputs:",
        "      job:",
        "        description: The job to run",
        "        type: choice",
        f"        options: [{', '.join(dict.fromkeys(dispatchable))}]",
        "        required: true",
        "      args:",
        "        description: Its options, e.g. --dry-run or --team web (split like a shell, not run by one)",
        "        type: string",
        "        required: false",
        "",
        "permissions: {}",
        "",
        "jobs:",
        "  gh-ops:",
        "    name: gh-ops run",
        *(
            [f"    if: github.event.schedule != {_quoted(doctor_cron)} # that cron is the doctor's"]
            if doctor_cron
            else []
        ),
        "    runs-on: ubuntu-latest",
        "    timeout-minutes: 20",
        "    # One run at a time per issue or pull request, per pushed commit, and per job (scheduled or",
        "    # manual); a newer run waits rather than stopping one halfway through its writes (GitHub keeps",
        "    # only the newest waiting run of a group). Runs of different groups may overlap, and gh-ops",
        '    # converges when they do: see the README, "Runs that overlap".',
        "    concurrency:",
        f"      group: {concurrency_group(schedules)}",
        "      cancel-in-progress: false",
        "    permissions:",
    ]
    for scope, (level, whys) in permissions(capabilities).items():
        lines.append(f"      {scope}: {level} # {'; '.join(whys)}")
    reads_changed_files = any(t.event == "pull_request" for c in capabilities for t in c.triggers)
    lines += [
        "    steps:",
        f"      - uses: {CHECKOUT}",
        "        with:",
        "          persist-credentials: false",
    ]
    if reads_changed_files:
        lines.append("          fetch-depth: 2 # a pull request's changed files, read from git at no request")
    lines += [
        "",
        "      # Event data reaches gh-ops only as the event file GitHub writes ($GITHUB_EVENT_PATH), read",
        "      # as data: no expression of it is ever part of a script or an argument.",
        "      - name: gh-ops run",
        f"        uses: {uses}",
        "        with:",
        "          command: run",
        "          github-token: ${{ secrets.GH_OPS_TOKEN || github.token }}",
    ]
    step_env = [(name, secret, why) for c in capabilities for name, secret, why in c.step_env]
    if step_env:
        lines.append("        env:")
        lines += [f"          {name}: ${{{{ secrets.{secret} }}}} # {why}" for name, secret, why in step_env]
    if doctor_cron:
        lines += _doctor_job(uses, doctor_cron)
    lines.append("")
    return "\n".join(lines)


def _doctor_job(uses: str, cron: str) -> list[str]:
    """The job that keeps the "gh-ops health" issue: `gh-ops doctor --issue` on its own cron. It
    cannot report this workflow disabled (it would not run either): the README says so."""
    return [
        "",
        "  doctor:",
        "    name: gh-ops doctor",
        f"    if: github.event.schedule == {_quoted(cron)}",
        "    runs-on: ubuntu-latest",
        "    timeout-minutes: 10",
        "    concurrency:",
        "      group: gh-ops-doctor",
        "      cancel-in-progress: false",
        "    permissions:",
        "      actions: read # whether this workflow is active and ran on schedule",
        "      contents: read # the config and the workflow file",
        "      issues: write # keep the one gh-ops health issue; read the labels",
        "    steps:",
        f"      - uses: {CHECKOUT}",
        "        with:",
        "          persist-credentials: false",
        "      - name: gh-ops doctor",
        f"        uses: {uses}",
        "        with:",
        "          command: doctor",
        "          args: --issue",
        "          github-token: ${{ secrets.GH_OPS_TOKEN || github.token }}",
    ]
