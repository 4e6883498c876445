"""`gh-ops sprint open`, and how its result is reported (outputs and the step summary)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from gh_ops import actions_io
from gh_ops.context import Run
from gh_ops.options import global_options, write_budget_option
from gh_ops.preview import PreviewKind, PreviewOption
from gh_ops.registry import Backfill, Capability, Job, Permission
from gh_ops.sprint import samples

if TYPE_CHECKING:
    from datetime import datetime

    from gh_ops.config import Config
    from gh_ops.sprint.run import TeamOutcome


@click.group()
def sprint() -> None:
    """Sprint issues: one per small team per sprint, opened ahead of time."""


@sprint.command("open")
@global_options
@write_budget_option
@click.option(
    "--team",
    "teams",
    multiple=True,
    metavar="NAME",
    help="Only these teams (repeatable). Default: every team with sprints.",
)
@click.pass_obj
def sprint_open(run: Run, teams: tuple[str, ...]) -> None:
    """Open every sprint issue that is due and missing (safe to run daily, or twice)."""
    from gh_ops.sprint import run as sprint_run
    from gh_ops.sprint.rules import sprint_teams

    config = run.load_config()
    sprint_teams(config, teams)  # unknown or disabled teams fail before any request
    repo = run.repo()
    assert repo is not None
    now = run.now_for_writes(config)
    run.github()  # no token: fail before anything else
    try:
        outcomes = sprint_run.open_sprint_issues(run.context(config, now), repo, teams)
    finally:
        run.report_requests()
    _report(run, outcomes)


def _report(run: Run, outcomes: list[TeamOutcome]) -> None:
    import json

    opened = [o.issue for o in outcomes if o.action == "opened" and o.issue and not o.issue.planned]
    actions_io.set_outputs(
        {
            "issue-numbers": " ".join(str(issue.number) for issue in opened),
            "issue-urls": "\n".join(issue.url for issue in opened),
            "result": json.dumps([o.as_json() for o in outcomes]),
        }
    )
    if actions_io.in_actions():
        rows = ["| Team | Sprint | Dates | Issue | Previous |", "|---|---|---|---|---|"]
        for o in outcomes:
            dates_text = f"{o.sprint.start} → {o.sprint.end}" if o.sprint else "-"
            issue = "-"
            if o.issue is not None:
                issue = (
                    "would open"
                    if o.issue.planned
                    else f"[#{o.issue.number}]({o.issue.url}) "
                    + ("opened" if o.action == "opened" else "already open")
                )
            elif o.notes:
                issue = o.notes[0]
            previous = f"#{o.previous.number} {o.previous_action or 'already linked'}" if o.previous else "-"
            rows.append(
                f"| {o.team.name} | {o.sprint.number if o.sprint else '-'} | {dates_text} | "
                f"{issue} | {previous} |"
            )
        title = "### gh-ops sprint open" + (" (dry run)" if run.dry_run else "")
        actions_io.add_summary(title + "\n\n" + "\n".join(rows) + "\n")


# `gh-ops preview sprint`: the issue `sprint open` would open now, for one team.
PREVIEWS = (
    PreviewKind(
        name="sprint",
        options=(PreviewOption("--team", "team", "TEAM", "Their team: an id (or name) from the config."),),
        usage="--team NAME",
        render=samples.preview,
    ),
)


def missed(config: Config, since: datetime | None, now: datetime) -> tuple[Backfill, ...]:
    """Each sprint window that opened while the schedule did not run, with the `sprint open` that
    opens its issue now (a bare date as --now: that day, whatever the team's timezone; safe to run
    when the issue exists, it opens nothing then)."""
    import shlex

    from gh_ops.sprint.rules import missed_windows, sprint_teams

    windows = missed_windows(config, since, now)
    several = len(sprint_teams(config, ())) > 1
    return tuple(
        Backfill(
            what=f"sprint {sprint.number} of team {team.key} (its issue due from {sprint.opens_on})",
            command=f"gh-ops sprint open --now {sprint.opens_on}"
            + (f" --team {shlex.quote(team.key)}" if several else ""),
        )
        for team, sprint in windows
    )


CAPABILITY = Capability(
    name="sprint",
    commands=(sprint,),
    previews=PREVIEWS,
    check_templates=samples.check_templates,
    scheduled=(
        Job(
            "sprint open",
            cron="17 6 * * *",
            why="daily: cron cannot say every two weeks, the sprint calendar decides what is due",
        ),
    ),
    dispatchable=(Job("sprint open", why="open what is due now; args: --team NAME, --now DATE to backfill"),),
    permissions=(
        Permission("contents", "read", "read .github/gh-ops.yml and the templates"),
        Permission("issues", "write", "open sprint issues and close the previous ones"),
    ),
    missed=missed,
)
