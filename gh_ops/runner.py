"""`gh-ops run`: the one step of the one workflow. For the triggering event (or the cron that fired,
or the job started by hand) it runs, for every enabled capability, the commands that capability
declares for it, each capability isolated from the others, and merges their exit codes, outputs and
step summaries."""

from __future__ import annotations

import os
import shlex
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click

from gh_ops import actions_io
from gh_ops.context import Run, info, say
from gh_ops.errors import EXIT_GITHUB, EXIT_INTERNAL, EXIT_POLICY, EXIT_USAGE, UsageError
from gh_ops.options import global_options

if TYPE_CHECKING:
    from gh_ops.config import Config
    from gh_ops.registry import Capability

# The most serious exit code wins, in this order: a bug in gh-ops, then a usage or config mistake,
# then GitHub failing, then a policy check; 0 only when every capability succeeded.
SEVERITY = (EXIT_INTERNAL, EXIT_USAGE, EXIT_GITHUB, EXIT_POLICY, 0)


def most_serious(codes: list[int]) -> int:
    """The exit code of the whole run (an unknown code counts as internal)."""
    if not codes:
        return 0
    return min(codes, key=lambda code: SEVERITY.index(code) if code in SEVERITY else -1)


@dataclass(frozen=True)
class Planned:
    """What one capability runs for this event: its command lines, in order."""

    capability: Capability
    commands: tuple[tuple[str, ...], ...]


def plan(config: Config, event_name: str, payload: Mapping[str, Any]) -> list[Planned]:
    """What the event calls for, per enabled capability (pure: reads the payload and the config)."""
    from gh_ops.registry import enabled

    capabilities = enabled(config)
    if event_name == "schedule":
        return _plan_schedule(config, capabilities, payload)
    if event_name == "workflow_dispatch":
        return _plan_dispatch(capabilities, payload)
    planned = []
    for capability in capabilities:
        if capability.route is None or event_name not in {t.event for t in capability.triggers}:
            continue
        commands = capability.route(event_name, payload, config)
        if commands:
            planned.append(Planned(capability, commands))
    return planned


def _plan_schedule(
    config: Config, capabilities: tuple[Capability, ...], payload: Mapping[str, Any]
) -> list[Planned]:
    """The jobs `schedules:` maps to the cron that fired; without a map, every scheduled job."""
    if not config.schedules:
        return [
            Planned(c, tuple((*job.command.split(), *job.args) for job in c.scheduled))
            for c in capabilities
            if c.scheduled
        ]
    cron = payload.get("schedule")
    if not isinstance(cron, str) or cron not in config.schedules:
        crons = ", ".join(repr(c) for c in config.schedules)
        raise UsageError(
            f"the schedule {cron!r} fired, but `schedules:` in {config.path} maps only {crons}: add it "
            "there (the workflow's `on: schedule` and the map must list the same crons)",
            file=config.path,
            line=config.line_of("schedules"),
        )
    planned: dict[str, list[tuple[str, ...]]] = {}
    for words in config.schedules[cron]:
        owner = _owner(capabilities, " ".join(words[:2]), scheduled=True)
        assert owner is not None  # the config checked it
        planned.setdefault(owner.name, []).append(words)
    return [Planned(c, tuple(planned[c.name])) for c in capabilities if c.name in planned]


def _plan_dispatch(capabilities: tuple[Capability, ...], payload: Mapping[str, Any]) -> list[Planned]:
    """The job named in the input `job`, with the input `args` (else the job's own arguments)."""
    inputs = payload.get("inputs") if isinstance(payload.get("inputs"), dict) else {}
    assert isinstance(inputs, dict)
    job = str(inputs.get("job") or "").strip()
    known = ", ".join(j.command for c in capabilities for j in c.dispatchable) or "none"
    if not job:
        raise UsageError(f"a manual run needs the input `job`: one of {known}")
    owner = _owner(capabilities, job, scheduled=False)
    if owner is None:
        raise UsageError(f"the input job {job!r} is not a job of an enabled capability: one of {known}")
    declared = next(j for j in owner.dispatchable if j.command == job)
    try:
        args = tuple(shlex.split(str(inputs.get("args") or "")))
    except ValueError as exc:
        raise UsageError(f"cannot split the input args {inputs.get('args')!r}: {exc}") from None
    return [Planned(owner, ((*job.split(), *(args or declared.args)),))]


def _owner(capabilities: tuple[Capability, ...], command: str, *, scheduled: bool) -> Capability | None:
    for capability in capabilities:
        jobs = capability.scheduled if scheduled else capability.dispatchable
        if any(job.command == command for job in jobs):
            return capability
    return None


@click.command("run")
@global_options
@click.pass_obj
def run_command(run: Run) -> None:
    """Do what the triggering event calls for, for every enabled capability (the one workflow's step).

    \b
    issues: priority apply; onboarding/offboarding from the forms. pull_request,
    pull_request_review: rfc check; yolo check. push to the default branch: yolo check.
    schedule: the jobs `schedules:` maps to the cron that fired (without a map, every scheduled
    job). workflow_dispatch: the input `job`, with the input `args`.
    Each capability runs on its own: one failing does not stop the others. Exit code: the most
    serious of theirs (4, then 2, then 3, then 1). Outputs are prefixed with the capability.
    """
    config = run.load_config()
    event_name, payload = run.event()
    if event_name is None:
        raise UsageError("no event: $GITHUB_EVENT_NAME is not set (gh-ops run is the step of a workflow)")
    planned = plan(config, event_name, payload)
    if not planned:
        say(f"nothing to do: no enabled capability handles this {event_name} event")
        return
    codes = [_run_capability(run, step) for step in planned]
    code = most_serious(codes)
    if code:
        failed = [f"{s.capability.name} ({c})" for s, c in zip(planned, codes, strict=True) if c]
        info(f"gh-ops run: exit {code}; not clean: {', '.join(failed)}")
        click.get_current_context().exit(code)


def _run_capability(run: Run, step: Planned) -> int:
    """Run one capability's commands (its first failure ends its turn), its outputs prefixed."""
    from gh_ops.action import shown_argv

    name = step.capability.name
    if actions_io.in_actions():
        actions_io.add_summary(f"## {name}\n")
    real_output = os.environ.get("GITHUB_OUTPUT")
    with tempfile.TemporaryDirectory(prefix="gh-ops-run-") as folder:
        captured = os.path.join(folder, "output")
        open(captured, "w", encoding="utf-8").close()
        os.environ["GITHUB_OUTPUT"] = captured
        code = 0
        try:
            for words in step.commands:
                argv = [*run.global_argv(), *words]
                info(f"gh-ops run: {name}: {shlex.join(['gh-ops', *shown_argv(argv)])}")
                code = _invoke(argv, job=shlex.join(words))
                if code:
                    break
        finally:
            if real_output is None:
                del os.environ["GITHUB_OUTPUT"]
            else:
                os.environ["GITHUB_OUTPUT"] = real_output
        with open(captured, encoding="utf-8") as fh:
            outputs = parse_outputs(fh.read())
    actions_io.set_outputs({f"{name}-{key}": value for key, value in outputs.items()})
    return code


def _invoke(argv: list[str], *, job: str) -> int:
    """One gh-ops command in this process, as the command line would run it: its exit code."""
    from gh_ops.cli import main

    try:
        result = main.main(args=argv, prog_name="gh-ops", standalone_mode=False)
    except click.ClickException as exc:  # bad arguments in the input `args` of a manual run
        click.echo(f"error: gh-ops run: job {job!r}: {exc.format_message()}", err=True)
        return exc.exit_code
    except click.exceptions.Abort:
        return EXIT_INTERNAL
    return result if isinstance(result, int) else 0


def parse_outputs(text: str) -> dict[str, str]:
    """The outputs written to a $GITHUB_OUTPUT file (as actions_io.set_outputs writes them)."""
    outputs: dict[str, str] = {}
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if "<<" in line:
            name, delimiter = line.split("<<", 1)
            value = []
            while index < len(lines) and lines[index] != delimiter:
                value.append(lines[index])
                index += 1
            index += 1
            outputs[name] = "\n".join(value)
        elif "=" in line:
            name, value_text = line.split("=", 1)
            outputs[name] = value_text
    return outputs
