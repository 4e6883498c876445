"""`gh-ops onboarding open` and `offboarding open` (from options or from the issue form's event), and
how their result is reported without personal details."""

from __future__ import annotations

from typing import Any

import click

from gh_ops import actions_io
from gh_ops.context import Run
from gh_ops.options import global_options
from gh_ops.people import samples
from gh_ops.people.samples import JOINER_FLAGS, LEAVER_FLAGS, PERSON_OPTIONS, answers_from_flags
from gh_ops.registry import Capability


def person_options(flags: tuple[str, ...]) -> Any:
    def decorate(command: Any) -> Any:
        for flag in reversed(flags):
            option = PERSON_OPTIONS[flag]
            command = click.option(flag, option.param, metavar=option.metavar, help=option.help)(command)
        return command

    return decorate


@click.group()
def onboarding() -> None:
    """Onboarding checklist issues: one per joiner, dated from their start."""


@onboarding.command("open")
@global_options
@person_options(JOINER_FLAGS)
@click.option("--allow-public", is_flag=True, help="Allow a public people repository (not recommended).")
@click.pass_obj
def onboarding_open(run: Run, allow_public: bool, **values: Any) -> None:
    """Open the joiner's checklist (or move its dates). With no options: from the issues event."""
    _open(run, "onboarding", values, allow_public)


@click.group()
def offboarding() -> None:
    """Offboarding checklist issues: one per leaver, dated from their last day."""


@offboarding.command("open")
@global_options
@person_options(LEAVER_FLAGS)
@click.option("--allow-public", is_flag=True, help="Allow a public people repository (refused otherwise).")
@click.pass_obj
def offboarding_open(run: Run, allow_public: bool, **values: Any) -> None:
    """Open the leaver's checklist (or move its dates). With no options: from the issues event."""
    _open(run, "offboarding", values, allow_public)


def _open(run: Run, kind: str, values: dict[str, Any], allow_public: bool) -> None:
    import json

    from gh_ops.people import run as people_run

    config = run.load_config()
    run.personal = True  # names and dates stay out of the log unless --verbose
    flag_repo = run.repo_flag()
    answers = answers_from_flags(kind, values)
    event = run.event() if answers is None else None
    current_repo = run.repo(required=False) if answers is not None else None
    try:
        outcome = people_run.open_checklist(
            run.context(config, run.now_for_writes(config)),
            kind,
            answers=answers,
            event=event,
            flag_repo=flag_repo,
            current_repo=current_repo,
            allow_public=allow_public,
        )
    finally:
        run.report_requests()
    if outcome is None:
        return
    issue = outcome.issue
    real = issue is not None and not issue.planned
    actions_io.set_outputs(
        {
            "issue-numbers": str(issue.number) if real and issue else "",
            "issue-urls": issue.url if real and issue else "",
            "result": json.dumps([outcome.as_json()]),
        }
    )
    if actions_io.in_actions():
        where = f"[#{issue.number}]({issue.url})" if real and issue else "(dry run)"
        # No name, login or date: a step summary may be readable by more people than the issue.
        actions_io.add_summary(f"### gh-ops {kind}\n\n{outcome.action}: {where} in {outcome.repo}\n")


CAPABILITY = Capability(
    name="people",
    commands=(onboarding, offboarding),
    previews=samples.PREVIEWS,
    check_templates=samples.check_templates,
)
