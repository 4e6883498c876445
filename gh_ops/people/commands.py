"""`gh-ops onboarding open` and `offboarding open` (from options or from the issue form's event), and
how their result is reported without personal details."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import click

from gh_ops import actions_io
from gh_ops.context import Run
from gh_ops.options import global_options, write_budget_option
from gh_ops.people import samples, texts
from gh_ops.preview import PreviewKind, PreviewOption
from gh_ops.registry import Capability, Job, Permission, Trigger

if TYPE_CHECKING:
    from gh_ops.config import Config

# The options that describe a person, for `onboarding open`, `offboarding open` and `preview`: each
# option, and the parameter click gives it.
PERSON_PARAMS = {
    "--login": "login",
    "--name": "name",
    "--team": "team",
    "--role": "role",
    "--start": "start",
    "--buddy": "buddy",
    "--manager": "manager",
    "--last-day": "last_day",
    "--kind": "leave_kind",
}
PERSON_HELP = {
    "--login": ("LOGIN", "The person's GitHub username."),
    "--name": ('"NAME"', "Their full name."),
    "--team": ("TEAM", "Their team: an id (or name) from the config."),
    "--role": ("ROLE", "engineering, product, design, ops or other (default: other)."),
    "--start": ("YYYY-MM-DD", "Their first day."),
    "--buddy": ("LOGIN", "Their onboarding buddy."),
    "--manager": ("LOGIN", "Their manager."),
    "--last-day": ("YYYY-MM-DD", "Their last day."),
    "--kind": ("KIND", "voluntary or involuntary."),
}


def answers_from_flags(kind: str, values: dict[str, Any]) -> dict[str, str | None] | None:
    """The options as issue-form answers (one validation for both), or None when none were given."""
    from gh_ops.people.rules import JOINER_QUESTIONS, LEAVER_QUESTIONS

    questions = JOINER_QUESTIONS if kind == "onboarding" else LEAVER_QUESTIONS
    answers = {question: values.get(PERSON_PARAMS[flag]) for question, flag in questions.items()}
    return answers if any(v is not None for v in answers.values()) else None


JOINER_FLAGS = ("--login", "--name", "--team", "--start", "--role", "--buddy", "--manager")
LEAVER_FLAGS = ("--login", "--name", "--last-day", "--kind", "--manager")
PERSON_OPTIONS = {
    flag: PreviewOption(flag, param, *PERSON_HELP[flag]) for flag, param in PERSON_PARAMS.items()
}


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
@write_budget_option
@person_options(JOINER_FLAGS)
@click.option("--allow-public", is_flag=True, help="Allow a public people repository (not recommended).")
@click.option("--allow-far-dates", is_flag=True, help="Accept a start date more than a year from today.")
@click.pass_obj
def onboarding_open(run: Run, allow_public: bool, allow_far_dates: bool, **values: Any) -> None:
    """Open the joiner's checklist (or move its dates). With no options: from the issues event."""
    _open(run, "onboarding", values, allow_public, allow_far_dates)


@click.group()
def offboarding() -> None:
    """Offboarding checklist issues: one per leaver, dated from their last day."""


@offboarding.command("open")
@global_options
@write_budget_option
@person_options(LEAVER_FLAGS)
@click.option("--allow-public", is_flag=True, help="Allow a public people repository (refused otherwise).")
@click.option("--allow-far-dates", is_flag=True, help="Accept a last day more than a year from today.")
@click.pass_obj
def offboarding_open(run: Run, allow_public: bool, allow_far_dates: bool, **values: Any) -> None:
    """Open the leaver's checklist (or move its dates). With no options: from the issues event."""
    _open(run, "offboarding", values, allow_public, allow_far_dates)


def _open(run: Run, kind: str, values: dict[str, Any], allow_public: bool, allow_far_dates: bool) -> None:
    import json

    from gh_ops.people import run as people_run

    config = run.load_config()
    run.personal = True  # names and dates stay out of the log unless --verbose
    flag_repo = run.repo_flag()
    answers = answers_from_flags(kind, values)
    event = run.event() if answers is None else None
    try:
        outcome = people_run.open_checklist(
            run.context(config, lambda: run.now_for_writes(config)),  # read once the person is known
            kind,
            answers=answers,
            event=event,
            flag_repo=flag_repo,
            current_repo=lambda: run.repo(required=False),
            allow_public=allow_public,
            allow_far_dates=allow_far_dates,
        )
    except BaseException:
        run.report_requests()
        raise
    if outcome is None:  # nothing to do: said so, and what it cost needs no line
        return
    run.report_requests()
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


def _options(flags: tuple[str, ...]) -> tuple[PreviewOption, ...]:
    return tuple(PERSON_OPTIONS[flag] for flag in flags)


_SAMPLE_NOTE = "Without person options, onboarding and offboarding render for a sample person."

PREVIEWS = (
    PreviewKind(
        name="onboarding",
        options=_options(JOINER_FLAGS),
        usage="--login --name --team --start [--role --buddy --manager]",
        render=samples.preview,
        note=_SAMPLE_NOTE,
    ),
    PreviewKind(
        name="offboarding",
        options=_options(LEAVER_FLAGS),
        usage="--login --name --last-day --kind [--manager]",
        render=samples.preview,
        note=_SAMPLE_NOTE,
    ),
)


# Requests are acted on only from people who belong to the repository: on a public repository anyone
# can file an issue form, labels included. (A member whose organization membership is private may
# show as CONTRIBUTOR: file requests in a private repository, or make the membership public.)
MEMBER_ASSOCIATIONS = frozenset({"OWNER", "MEMBER", "COLLABORATOR"})


def route(event_name: str, payload: Mapping[str, Any], config: Config) -> tuple[tuple[str, ...], ...]:
    """`gh-ops run` on an issues event: both checklists, each acting only on a request with its form
    label (they read the person from the event; an issue that is no request costs no request)."""
    issue = payload.get("issue")
    if event_name != "issues" or not isinstance(issue, dict):
        return ()
    if issue.get("author_association") not in MEMBER_ASSOCIATIONS:
        return ()
    return (("onboarding", "open"), ("offboarding", "open"))


def private_repos(config: Config, current: str) -> tuple[tuple[str, str], ...]:
    """Where the checklists go: `people.repo`, else the current repository."""
    from gh_ops.people.settings import PeopleSettings

    settings = config.section(PeopleSettings)
    return (
        ((settings.repo, "people.repo"),)
        if settings.repo
        else ((current, "people.repo (unset: this repository)"),)
    )


CAPABILITY = Capability(
    name="people",
    commands=(onboarding, offboarding),
    previews=PREVIEWS,
    check_templates=samples.check_templates,
    personal=True,
    # edited: a changed start date or last day re-dates the checklist, keeping ticked boxes.
    triggers=(Trigger("issues", ("opened", "edited")),),
    route=route,
    dispatchable=(
        Job("onboarding open", why="a joiner by hand; args: --login --name --team --start [--role ...]"),
        Job("offboarding open", why="a leaver by hand; args: --login --name --last-day --kind"),
    ),
    permissions=(
        Permission("contents", "read", "read .github/gh-ops.yml and the templates"),
        Permission("issues", "write", "open the checklist, comment on and close the request"),
    ),
    starter_files=texts.ISSUE_FORMS,
    private_repos=private_repos,
)
