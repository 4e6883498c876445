"""Offline rendering: preview one issue, and validate every configured template against sample data."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from gh_ops import dates, people, rfc
from gh_ops import sprint as sprints
from gh_ops.config import Config, Team
from gh_ops.errors import Problem, TemplateError, UsageError
from gh_ops.github import web_url_for
from gh_ops.render import RenderedIssue, Renderer

SAMPLE_WEB_URL = web_url_for("https://api.github.com")


def _sprint_for_preview(team: Team, now: datetime) -> sprints.Sprint:
    """The sprint `sprint open` would open now, or sprint 1 before the calendar starts."""
    assert team.schedule is not None
    due = sprints.due_sprint(team.schedule, dates.local_date(now, team.timezone))
    return due or sprints.sprint_by_number(team.schedule, 1)


def sprint_context(
    team: Team, now: datetime, repo: str, *, with_previous: bool, sprint: sprints.Sprint | None = None
) -> dict[str, Any]:
    sprint = sprint or _sprint_for_preview(team, now)
    previous = None
    if with_previous and sprint.number > 1:
        previous = sprints.sample_previous_issue(repo, SAMPLE_WEB_URL, sprint.number - 1)
    return sprints.build_context(team=team, sprint=sprint, repo=repo, now=now, previous_issue=previous)


def validation_contexts(team: Team, now: datetime, repo: str) -> list[dict[str, Any]]:
    """Every shape the sprint template meets, whatever today is: a first sprint, a later sprint
    with a previous issue (and goals), and a later sprint whose previous issue is missing."""
    assert team.schedule is not None
    first = sprints.sprint_by_number(team.schedule, 1)
    later = _sprint_for_preview(team, now)
    if later.number < 2:
        later = sprints.sprint_by_number(team.schedule, 2)
    return [
        sprint_context(team, now, repo, with_previous=False, sprint=first),
        sprint_context(team, now, repo, with_previous=True, sprint=later),
        sprint_context(team, now, repo, with_previous=False, sprint=later),
    ]


def apply_overrides(context: dict[str, Any], overrides: dict[str, str]) -> dict[str, Any]:
    """Set `--var a.b=value` into the context; an empty value means none (e.g. --var previous_issue=)."""
    for dotted, value in overrides.items():
        target: Any = context
        keys = dotted.split(".")
        for key in keys[:-1]:
            if not isinstance(target.get(key), dict):
                raise UsageError(
                    f"--var {dotted}: {key!r} is not a group of values in this template's "
                    f"variables (known: {', '.join(sorted(target))})"
                )
            target = target[key]
        target[keys[-1]] = value if value != "" else None
    return context


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
    config: Config, kind: str, answers: dict[str, str | None], *, now: datetime, repo: str, source: str
) -> tuple[people.Person, dict[str, Any]]:
    if kind == "onboarding":
        person: people.Person = people.joiner_from_answers(answers, config, source=source)
    else:
        person = people.leaver_from_answers(answers, config, source=source)
    context = people.build_context(
        kind=kind,
        person=person,
        config=config,
        repo=repo,
        now=now,
        request=None,
        github_teams=SAMPLE_GITHUB_TEAMS if kind == "offboarding" else None,
    )
    return person, context


def preview_person(
    config: Config,
    kind: str,
    *,
    answers: dict[str, str | None] | None,
    now: datetime,
    repo: str,
    overrides: dict[str, str],
    note: Callable[[str], None],
) -> RenderedIssue:
    if answers is None:
        note(f"(no person given: previewing the {kind} issue for a sample person)")
        answers = sample_answers(kind, config, dates.local_date(now, config.timezone))
    if kind == "onboarding" and not config.teams:
        raise UsageError(f"{config.path} defines no teams, and a joiner needs one")
    person, context = person_context(config, kind, answers, now=now, repo=repo, source="flags")
    if kind == "offboarding":
        note("(preview is offline: the GitHub teams listed are sample data)")
    context = apply_overrides(context, overrides)
    kind_settings = people.settings(config, kind)
    rendered = Renderer(config.templates_dir).render_issue(kind_settings.template, context)
    labels, assignees = people.issue_fields(rendered, person, kind_settings, config)
    return RenderedIssue(rendered.title, rendered.body, labels, assignees, rendered.milestone)


def preview_issue(
    config: Config,
    kind: str,
    *,
    team_key: str | None,
    now: datetime,
    repo: str,
    overrides: dict[str, str],
    note: Callable[[str], None],
) -> RenderedIssue:
    if kind != "sprint":
        raise UsageError(f"cannot preview {kind!r}")
    teams = sprints.sprint_teams(config, (team_key,) if team_key else ())
    if not teams:
        raise UsageError(f"no team in {config.path} holds sprints")
    team = teams[0]
    context = sprint_context(team, now, repo, with_previous=True)
    if context["previous_issue"] is not None:
        note("(preview is offline: the previous sprint issue and its goals are sample data)")
    context = apply_overrides(context, overrides)
    assert config.sprint is not None
    rendered = Renderer(config.templates_dir).render_issue(config.sprint.template, context)
    labels, assignees = sprints.issue_fields(rendered, team, config.sprint.labels)
    return RenderedIssue(rendered.title, rendered.body, labels, assignees, rendered.milestone)


def validate_config(config: Config, *, now: datetime, repo: str | None) -> tuple[list[Problem], list[str]]:
    """Render every configured template for every team, with and without a previous issue."""
    problems: list[Problem] = []
    report: list[str] = [f"config: {config.path}"]
    renderer = Renderer(config.templates_dir)
    _validate_people(config, now, repo or "OWNER/REPO", renderer, problems, report)
    _validate_rfc(config, now, renderer, problems, report)
    if config.sprint is None:
        report.append("sprint: not configured")
        return problems, report
    seen: set[str] = set()
    rendered_for: list[str] = []
    for team in config.teams.values():
        if team.schedule is None:
            continue
        failed = False
        for context in validation_contexts(team, now, repo or "OWNER/REPO"):
            try:
                renderer.render_issue(config.sprint.template, context)
            except TemplateError as exc:
                failed = True
                problem = exc.problem
                if exc.file is None:  # not found: point at the config key that names it
                    problem = Problem(
                        exc.message, config.path, config.line_of("sprint.template"), "sprint.template"
                    )
                if str(problem) not in seen:
                    seen.add(str(problem))
                    problems.append(problem)
        if not failed:
            rendered_for.append(team.key)
    report.append(
        f"sprint: template {config.sprint.template} rendered for "
        f"{', '.join(rendered_for) or 'no team'} (from {renderer.where()})"
    )
    return problems, report


def _validate_people(
    config: Config, now: datetime, repo: str, renderer: Renderer, problems: list[Problem], report: list[str]
) -> None:
    """Render the onboarding template for every role and the offboarding one for both kinds."""
    today = dates.local_date(now, config.timezone)
    for kind, variants in (
        ("onboarding", [{"Role": role} for role in people.ROLES] + [{"Buddy": "bud", "Manager": "boss"}]),
        ("offboarding", [{"Kind": k, "Manager": "boss"} for k in people.LEAVE_KINDS]),
    ):
        if kind == "onboarding" and not config.teams:
            report.append("onboarding: no teams configured, template not checked")
            continue
        template = people.settings(config, kind).template
        failed = False
        for variant in variants:
            answers = {**sample_answers(kind, config, today), **variant}
            _, context = person_context(config, kind, answers, now=now, repo=repo, source="flags")
            for github_teams in ([], SAMPLE_GITHUB_TEAMS) if kind == "offboarding" else ([],):
                if kind == "offboarding":
                    context = {**context, "github_teams": github_teams}
                try:
                    renderer.render_issue(template, context)
                except TemplateError as exc:
                    failed = True
                    problem = exc.problem
                    if exc.file is None:
                        problem = Problem(
                            exc.message, config.path, config.line_of(f"{kind}.template"), f"{kind}.template"
                        )
                    if str(problem) not in {str(p) for p in problems}:
                        problems.append(problem)
        report.append(f"{kind}: template {template} {'has problems' if failed else 'rendered'}")


def _validate_rfc(
    config: Config, now: datetime, renderer: Renderer, problems: list[Problem], report: list[str]
) -> None:
    """Render the RFC template with and without a decider; every required section needs its heading."""
    today = dates.local_date(now, config.timezone)
    template = config.rfc.template
    by = today + timedelta(days=config.rfc.max_decision_days)
    for decider in (None, "sample-decider"):
        context = rfc.new_context(config, title="Sample decision", decider=decider, decide_by=by, today=today)
        try:
            rendered = renderer.render_issue(template, context)
        except TemplateError as exc:
            problem = exc.problem
            if exc.file is None:
                problem = Problem(exc.message, config.path, config.line_of("rfc.template"), "rfc.template")
            if str(problem) not in {str(p) for p in problems}:
                problems.append(problem)
            report.append(f"rfc: template {template} has problems")
            return
    found = rfc.parse_sections(rendered.body, config)
    missing = [config.rfc.sections[s][0] for s in rfc.REQUIRED_SECTIONS if s not in found]
    if missing:
        problems.append(
            Problem(
                f"the RFC template {template} has no heading for: {', '.join(missing)} "
                "(every RFC written from it would be reported as incomplete)",
                config.path,
                config.line_of("rfc.template"),
                "rfc.template",
            )
        )
        report.append(f"rfc: template {template} has problems")
        return
    report.append(f"rfc: template {template} rendered")
