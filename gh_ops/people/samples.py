"""Checklists offline: `gh-ops preview onboarding|offboarding` renders one for the options given (or a
sample person), and `gh-ops validate` renders both templates for every role and kind."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from gh_ops.errors import UsageError
from gh_ops.preview import LONGEST_LOGIN, apply_overrides, long_text

if TYPE_CHECKING:
    from gh_ops.config import Config
    from gh_ops.models import RenderedIssue
    from gh_ops.people.rules import Person
    from gh_ops.preview import PreviewRequest, TemplateCheck

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


# The organization's teams a leaver can be in, as many as gh-ops reads (one page), with long names.
LONGEST_GITHUB_TEAMS = [
    {
        "name": long_text(80, f"team {n} with a long name"),
        "slug": long_text(80, f"team-{n}-with-a-long-slug").replace(" ", "-"),
        "url": "https://github.com/orgs/OWNER/teams/" + long_text(80, f"team-{n}").replace(" ", "-"),
    }
    for n in range(100)
]


def longest_answers(kind: str, config: Config) -> dict[str, str | None]:
    """The longest answers gh-ops takes: logins of 39 characters, the longest name, the team with
    the longest name, the longest role or kind."""
    from gh_ops.people.rules import LEAVE_KINDS, MAX_NAME_LENGTH, ROLES

    common = {
        "GitHub username": LONGEST_LOGIN,
        "Full name": long_text(MAX_NAME_LENGTH, "a long full name"),
        "Manager": "m" * 39,
    }
    if kind == "offboarding":
        return {**common, "Kind": max(LEAVE_KINDS, key=len)}
    team = max(config.teams.values(), key=lambda t: len(t.name), default=None)
    return {**common, "Team": team.key if team else None, "Role": max(ROLES, key=len), "Buddy": "b" * 39}


def sample_answers(kind: str, config: Config, today: date) -> dict[str, str | None]:
    """A made-up person, for previews without options and for `validate` (starting or leaving in
    two or three weeks, or today at the calendar's end, where no later date is read)."""
    last = date(2999, 12, 31)
    if kind == "onboarding":
        team = next(iter(config.teams), None)
        start = min(today + timedelta(days=14), last)
        return {**SAMPLE_JOINER, "Team": team, "Start date": start.isoformat()}
    return {**SAMPLE_LEAVER, "Last day": min(today + timedelta(days=21), last).isoformat()}


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
    from gh_ops.people.commands import answers_from_flags
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
    """Render the onboarding template for every role and the offboarding one for both kinds, in a
    repository of an organization and of a personal account."""
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
        longest = longest_answers(kind, config)
        everyday: list[dict[str, str | None]] = [dict(v) for v in variants]
        for variant in [*everyday, longest]:
            answers = {**sample_answers(kind, config, today), **variant}
            _, context = person_context(config, kind, answers, now=check.now, repo=check.repo)
            contexts = [context]
            if kind == "offboarding":  # an organization with and without teams, and a personal account
                teams = LONGEST_GITHUB_TEAMS if variant is longest else SAMPLE_GITHUB_TEAMS
                owners: tuple[tuple[bool, list[dict[str, str]]], ...] = (
                    (True, []),
                    (True, teams),
                    (False, []),
                )
                contexts = [{**context, "owner_is_org": org, "github_teams": teams} for org, teams in owners]
            for variant_context in contexts:
                if check.render(template, variant_context, key=f"{kind}.template") is None:
                    failed = True
        check.report.append(f"{kind}: template {template} {'has problems' if failed else 'rendered'}")
