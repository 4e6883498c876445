"""Checklists offline: `gh-ops preview onboarding|offboarding` renders one for the options given (or a
sample person), and `gh-ops validate` renders both templates for every role and kind."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from gh_ops.errors import UsageError
from gh_ops.preview import PreviewKind, PreviewOption, apply_overrides

if TYPE_CHECKING:
    from gh_ops.config import Config
    from gh_ops.models import RenderedIssue
    from gh_ops.people.rules import Person
    from gh_ops.preview import PreviewRequest, TemplateCheck

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


SAMPLE_JOINER = {
    "GitHub username": "sample-joiner",
    "Full name": "Sam Sample",
    "Role": "engineering",
    "Buddy": None,
    "Manager": None,
}
SAMPLE_LEAVER = {
    "GitHub username": "sample-leaver",
    "Full name": "Lee Sample",
    "Kind": "voluntary",
    "Manager": None,
}
SAMPLE_GITHUB_TEAMS = [
    {"name": "(sample) Team Web", "slug": "team-web", "url": "https://github.com/orgs/OWNER/teams/team-web"},
]


def sample_answers(kind: str, config: Config, today: date) -> dict[str, str | None]:
    """A made-up person, for previews without options and for `validate`."""
    if kind == "onboarding":
        team = next(iter(config.teams), None)
        return {**SAMPLE_JOINER, "Team": team, "Start date": (today + timedelta(days=14)).isoformat()}
    return {**SAMPLE_LEAVER, "Last day": (today + timedelta(days=21)).isoformat()}


def person_context(
    config: Config, kind: str, answers: Mapping[str, str | None], *, now: datetime, repo: str
) -> tuple[Person, dict[str, Any]]:
    from gh_ops.people.rules import build_context, person_from_answers

    person = person_from_answers(config, kind, answers, "flags")
    context = build_context(
        kind=kind,
        person=person,
        config=config,
        repo=repo,
        now=now,
        request=None,
        github_teams=SAMPLE_GITHUB_TEAMS if kind == "offboarding" else None,
    )
    return person, context


def preview(request: PreviewRequest) -> RenderedIssue:
    from gh_ops import dates
    from gh_ops.models import RenderedIssue
    from gh_ops.people.rules import issue_fields, settings
    from gh_ops.render import Renderer

    config, kind = request.config, request.kind
    answers = answers_from_flags(kind, request.values)
    if answers is None:
        request.note(f"(no person given: previewing the {kind} issue for a sample person)")
        answers = sample_answers(kind, config, dates.local_date(request.now, config.timezone))
    if kind == "onboarding" and not config.teams:
        raise UsageError(f"{config.path} defines no teams, and a joiner needs one")
    person, context = person_context(config, kind, answers, now=request.now, repo=request.repo)
    if kind == "offboarding":
        request.note("(preview is offline: the GitHub teams listed are sample data)")
    context = apply_overrides(context, request.overrides)
    kind_settings = settings(config, kind)
    rendered = Renderer(config.templates_dir).render_issue(kind_settings.template, context)
    labels, assignees = issue_fields(rendered, person, kind_settings, config)
    return RenderedIssue(rendered.title, rendered.body, labels, assignees, rendered.milestone)


def check_templates(check: TemplateCheck) -> None:
    """Render the onboarding template for every role and the offboarding one for both kinds."""
    from gh_ops import dates
    from gh_ops.people.rules import LEAVE_KINDS, ROLES, settings

    config = check.config
    today = dates.local_date(check.now, config.timezone)
    for kind, variants in (
        ("onboarding", [{"Role": role} for role in ROLES] + [{"Buddy": "bud", "Manager": "boss"}]),
        ("offboarding", [{"Kind": k, "Manager": "boss"} for k in LEAVE_KINDS]),
    ):
        if kind == "onboarding" and not config.teams:
            check.report.append("onboarding: no teams configured, template not checked")
            continue
        template = settings(config, kind).template
        failed = False
        for variant in variants:
            answers = {**sample_answers(kind, config, today), **variant}
            _, context = person_context(config, kind, answers, now=check.now, repo=check.repo)
            for github_teams in ([], SAMPLE_GITHUB_TEAMS) if kind == "offboarding" else ([],):
                if kind == "offboarding":
                    context = {**context, "github_teams": github_teams}
                if check.render(template, context, key=f"{kind}.template") is None:
                    failed = True
        check.report.append(f"{kind}: template {template} {'has problems' if failed else 'rendered'}")


def _options(flags: tuple[str, ...]) -> tuple[PreviewOption, ...]:
    return tuple(PERSON_OPTIONS[flag] for flag in flags)


_SAMPLE_NOTE = "Without person options, onboarding and offboarding render for a sample person."

PREVIEWS = (
    PreviewKind(
        name="onboarding",
        options=_options(JOINER_FLAGS),
        usage="--login --name --team --start [--role --buddy --manager]",
        render=preview,
        note=_SAMPLE_NOTE,
    ),
    PreviewKind(
        name="offboarding",
        options=_options(LEAVER_FLAGS),
        usage="--login --name --last-day --kind [--manager]",
        render=preview,
        note=_SAMPLE_NOTE,
    ),
)
