"""Sprint issues offline: `gh-ops preview sprint` renders the issue `sprint open` would open now (with a
sample previous issue), and `gh-ops validate` renders the template in every shape it meets."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from gh_ops.errors import UsageError
from gh_ops.preview import LONGEST_LOGIN, SAMPLE_WEB_URL, apply_overrides, long_text

# The settings, rules and calendar load when a preview or a check runs, not with `gh-ops --help`.
if TYPE_CHECKING:
    from gh_ops.config import Team
    from gh_ops.models import RenderedIssue
    from gh_ops.preview import PreviewRequest, TemplateCheck
    from gh_ops.sprint.rules import Sprint
    from gh_ops.sprint.settings import SprintSchedule


def sample_previous_issue(
    repo: str, sprint_number: int, number: int = 41, *, longest: bool = False
) -> dict[str, Any]:
    """Stand-in previous sprint issue for offline previews and `validate` (`longest`: with the
    longest plausible title and goals)."""
    from gh_ops.models import TITLE_LIMIT
    from gh_ops.sprint.rules import MAX_GOAL_LENGTH, MAX_GOALS, Goal

    goals = [
        Goal("Ship the new dashboard filters to every customer — owner @alice", True, "alice"),
        Goal("Cut p95 query latency below 2s — owner @bob", False, "bob"),
    ]
    title = "Sample previous sprint"
    if longest:
        owner = LONGEST_LOGIN
        goals = [Goal(long_text(MAX_GOAL_LENGTH, "a long goal"), n % 2 == 0, owner) for n in range(MAX_GOALS)]
        title = long_text(TITLE_LIMIT, "a long previous title")
        number = 2**31 - 1
    return {
        "number": number,
        "sprint": sprint_number,
        "url": f"{SAMPLE_WEB_URL}/{repo}/issues/{number}",
        "title": title,
        "state": "open",
        "goals": [g.as_context() for g in goals],
    }


def _sprint_for_preview(schedule: SprintSchedule, team: Team, now: datetime) -> Sprint:
    """The sprint `sprint open` would open now, or sprint 1 before the calendar starts."""
    from gh_ops import dates
    from gh_ops.sprint.rules import due_sprint, sprint_by_number

    due = due_sprint(schedule, dates.local_date(now, team.timezone))
    return due or sprint_by_number(schedule, 1)


def sprint_context(
    team: Team,
    schedule: SprintSchedule,
    now: datetime,
    repo: str,
    *,
    with_previous: bool,
    sprint: Sprint | None = None,
    longest: bool = False,
) -> dict[str, Any]:
    from gh_ops.sprint.rules import build_context

    sprint = sprint or _sprint_for_preview(schedule, team, now)
    previous = None
    if with_previous and sprint.number > 1:
        previous = sample_previous_issue(repo, sprint.number - 1, longest=longest)
    return build_context(team=team, sprint=sprint, repo=repo, now=now, previous_issue=previous)


def validation_contexts(
    team: Team, schedule: SprintSchedule, now: datetime, repo: str
) -> list[dict[str, Any]]:
    """Every shape the sprint template meets, whatever today is: a first sprint, a later sprint
    with a previous issue (and goals), a later sprint whose previous issue is missing, and a
    sprint numbered in the hundreds after a previous issue with the longest title and goals."""
    from gh_ops.sprint.rules import sprint_by_number

    first = sprint_by_number(schedule, 1)
    later = _sprint_for_preview(schedule, team, now)
    if later.number < 2:
        later = sprint_by_number(schedule, 2)
    return [
        sprint_context(team, schedule, now, repo, with_previous=False, sprint=first),
        sprint_context(team, schedule, now, repo, with_previous=True, sprint=later),
        sprint_context(team, schedule, now, repo, with_previous=False, sprint=later),
        sprint_context(
            team, schedule, now, repo, with_previous=True, sprint=_far(schedule, later), longest=True
        ),
    ]


def _far(schedule: SprintSchedule, fallback: Sprint) -> Sprint:
    """Sprint 999 (a number as long as a team is likely to reach), if the calendar goes that far."""
    from gh_ops.sprint.rules import sprint_by_number

    try:
        return sprint_by_number(schedule, 999)
    except (OverflowError, ValueError):
        return fallback


def preview(request: PreviewRequest) -> RenderedIssue:
    from gh_ops.models import RenderedIssue
    from gh_ops.render import Renderer
    from gh_ops.sprint.rules import issue_fields, sprint_teams
    from gh_ops.sprint.settings import SprintSettings

    config = request.config
    team_key = request.values.get("team")
    teams = sprint_teams(config, (team_key,) if team_key else ())
    if not teams:
        raise UsageError(f"no team in {config.path} holds sprints")
    team = teams[0]
    settings = config.section(SprintSettings)
    context = sprint_context(
        team, settings.schedules[team.key], request.now, request.repo, with_previous=True
    )
    if context["previous_issue"] is not None:
        request.note("(preview is offline: the previous sprint issue and its goals are sample data)")
    context = apply_overrides(context, request.overrides)
    rendered = Renderer(config.templates_dir).render_issue(settings.template, context)
    labels, assignees = issue_fields(rendered, team, settings.labels, settings.kind_label)
    return RenderedIssue(rendered.title, rendered.body, labels, assignees, rendered.milestone)


def check_templates(check: TemplateCheck) -> None:
    """Render the sprint template for every team, with and without a previous issue."""
    from gh_ops.sprint.settings import SprintSettings

    config = check.config
    settings = config.section(SprintSettings)
    if not settings.configured:
        check.report.append("sprint: not configured")
        return
    rendered_for: list[str] = []
    for team in config.teams.values():
        schedule = settings.schedules.get(team.key)
        if schedule is None:
            continue
        results = [
            check.render(settings.template, context, key="sprint.template")
            for context in validation_contexts(team, schedule, check.now, check.repo)
        ]
        if all(result is not None for result in results):
            rendered_for.append(team.key)
    check.report.append(
        f"sprint: template {settings.template} rendered for "
        f"{', '.join(rendered_for) or 'no team'} (from {check.renderer.where()})"
    )
