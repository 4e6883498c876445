"""`gh-ops priority labels`, `priority apply` and `priority triage`, and how their results are
reported."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import click

from gh_ops import actions_io
from gh_ops.context import Run, each_repository, info, say
from gh_ops.errors import GitHubError, UsageError
from gh_ops.options import NUMBER, global_options, repository_options, write_budget_option
from gh_ops.registry import Capability, Job, Permission, Trigger

if TYPE_CHECKING:
    from gh_ops.config import Config


@click.group()
def priority() -> None:
    """Bug priorities: one label set, one priority label per bug, CVSS for security, triage."""


@priority.command("labels")
@global_options(without=("--repo",))
@write_budget_option
@repository_options("update")
@click.pass_obj
def priority_labels(run: Run, repos: tuple[str, ...], org: str | None) -> None:
    """Create or update the priority labels (P0-P3, security-P0-P3, security, and the config's).

    Touches only the labels it manages, never deletes one, and prints what it changes.
    """
    import json

    from gh_ops.priority import run as priority_run

    config = run.load_config(allow_embedded=True)
    chosen = run.repositories(repos, org)
    # An organization's repositories and their labels come 100 repositories a GraphQL read.
    run.github(reads_graphql="priority labels --org" if org else None)
    ctx = run.context(config)
    try:
        if org is None:
            synced = each_repository(chosen, lambda repo: priority_run.sync_labels(ctx, repo), info=info)
        else:
            listed = {found.repo: found for found in priority_run.org_repositories_with_labels(ctx, org)}
            chosen = list(listed)
            synced = each_repository(
                chosen, lambda repo: priority_run.sync_labels(ctx, repo, listed[repo]), info=info
            )
    finally:
        run.report_requests()
    changes = [change for repo_changes in synced.results.values() for change in repo_changes]
    made = [c for c in changes if c.action != "same"]

    actions_io.set_outputs(
        {"result": json.dumps([{"repo": c.repo, "label": c.label.name, "action": c.action} for c in changes])}
    )
    if actions_io.in_actions():
        rows = [f"| {c.repo} | `{c.label.name}` | {c.action} |" for c in made]
        title = "### gh-ops priority labels" + (" (dry run)" if run.dry_run else "")
        table = (
            "| Repository | Label | Change |\n|---|---|---|\n" + "\n".join(rows) if rows else "No changes."
        )
        failed = "".join(f"\n\nGitHub failed for {repo}: not done." for repo in synced.failures)
        actions_io.add_summary(f"{title}\n\n{len(chosen)} repositories.{failed}\n\n{table}\n")
    synced.raise_failures()


@priority.command("apply")
@global_options
@write_budget_option
@click.option("--issue", "number", type=NUMBER, metavar="N", help="This issue, not the event's.")
@click.pass_obj
def priority_apply(run: Run, number: int | None) -> None:
    """Give a bug its one priority label, from the issues event (opened, edited, labeled) or --issue N.

    A person's priority label is final; otherwise the issue form's answer, then a CVSS vector, then the
    configured rules decide.
    """
    import json

    from gh_ops.priority import rules
    from gh_ops.priority import run as priority_run

    config = run.load_config(allow_embedded=True)
    if number is not None:
        repo = run.repo()
        assert repo is not None
        gh = run.github()
        try:
            issue = gh.get_issue(repo, number)
        except GitHubError as exc:
            run.report_requests()
            if exc.status in (404, 410):  # 410: deleted
                raise UsageError(f"{repo} has no issue #{number}, or the token cannot see it") from None
            raise
        except Exception:
            run.report_requests()
            raise
        if issue.is_pull_request:
            raise UsageError(f"#{number} in {repo} is a pull request, not an issue")
        target = rules.Target(repo, issue, None)
    else:
        event_name, payload = run.event()
        found = rules.target_from_event(event_name, payload, config)
        if isinstance(found, str):
            say(found)
            return
        target = found
        run.github()
    try:
        outcome = priority_run.apply_priority(run.context(config), target)
    finally:
        run.report_requests()
    actions_io.set_outputs({"result": json.dumps(outcome.as_json())})
    if actions_io.in_actions():
        title = "### gh-ops priority apply" + (" (dry run)" if run.dry_run else "")
        actions_io.add_summary(f"{title}\n\n#{outcome.number}: {outcome.reason}\n")


@priority.command("triage")
@global_options
@write_budget_option
@click.pass_obj
def priority_triage(run: Run) -> None:
    """Ask once for a priority on open bugs without one, older than priority.untriaged_after.

    Writes counts per priority and the untriaged list to the step summary.
    """
    from gh_ops.dates import duration_text
    from gh_ops.priority import run as priority_run
    from gh_ops.priority.settings import PrioritySettings

    config = run.load_config(allow_embedded=True)
    repo = run.repo()
    assert repo is not None
    now = run.now_for_writes(config)
    run.github(reads_graphql="priority triage")
    try:
        report = priority_run.triage(run.context(config, now), repo)
    finally:
        run.report_requests()
    summary = report.summary(duration_text(config.section(PrioritySettings).untriaged_after))
    if actions_io.in_actions():
        actions_io.add_summary(summary)
        say(", ".join(f"{label}: {count}" for label, count in report.counts.items()))
    else:
        sys.stdout.write(summary)


def route(event_name: str, payload: Mapping[str, Any], config: Config) -> tuple[tuple[str, ...], ...]:
    """`gh-ops run` on an issues event: `priority apply` (it reads the issue from the event)."""
    return (("priority", "apply"),) if event_name == "issues" else ()


def private_repos(config: Config, current: str) -> tuple[tuple[str, str], ...]:
    """Where security issues move to, when set (`priority.private_repo`)."""
    from gh_ops.priority.settings import PrioritySettings

    target = config.section(PrioritySettings).private_repo
    return ((target, "priority.private_repo"),) if target else ()


CAPABILITY = Capability(
    name="priority",
    commands=(priority,),
    triggers=(Trigger("issues", ("opened", "edited", "labeled", "reopened")),),
    route=route,
    scheduled=(
        Job("priority triage", cron="41 7 * * 1-5", why="working days: ask once for missing priorities"),
    ),
    dispatchable=(
        Job("priority labels", why="create or update the priority labels; args: --org ORG for all"),
        Job("priority triage", why="the triage sweep now"),
        Job("priority apply", why="one issue; args: --issue N"),
    ),
    permissions=(
        Permission("contents", "read", "read .github/gh-ops.yml and the templates"),
        Permission("issues", "write", "label bugs, comment on them, create the priority labels"),
    ),
    private_repos=private_repos,
)
