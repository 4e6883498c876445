"""`gh-ops yolo check` and `gh-ops yolo audit`, and how their results are reported."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

import click

from gh_ops import actions_io
from gh_ops.context import Run, info, say
from gh_ops.errors import EXIT_POLICY, GitHubError, UsageError
from gh_ops.options import NUMBER, READ_ONLY_NOW_HELP, global_options, repository_options, write_budget_option
from gh_ops.registry import Capability, Job, Permission, Trigger

if TYPE_CHECKING:
    from gh_ops.config import Config
    from gh_ops.yolo.rules import Outcome


@click.group()
def yolo() -> None:
    """Yolo merges: changes that reach the default branch without someone else checking them."""


@yolo.command("check")
@global_options
@write_budget_option
@click.option("--pr", "number", type=NUMBER, metavar="N", help="Check this merged pull request.")
@click.option("--fail-on-yolo", is_flag=True, help="Exit 1 when a yolo merge is not declared an emergency.")
@click.pass_obj
def yolo_check(run: Run, number: int | None, fail_on_yolo: bool) -> None:
    """Check the event's change: a merged pull request, a push to the default branch, or a review.

    \b
    pull_request closed and merged: label a merge without a valid review (yolo-merge), keep one
    comment mentioning the merger up to date, and open a follow-up issue for an emergency merge.
    push: report every commit without a merged pull request (direct push) and force-pushes.
    pull_request_review submitted after the merge: a valid approval clears the flag.
    """
    from gh_ops.yolo import run as yolo_run

    config = run.load_config(allow_embedded=True)
    repo = run.repo()
    assert repo is not None
    event_name, payload = (None, None) if number is not None else run.event()
    try:
        result = yolo_run.check(
            run.context(config), repo, number=number, event_name=event_name, payload=payload
        )
    finally:
        run.report_requests()
    if not result.outcomes:
        say(f"nothing to do: {result.why_not}" if result.why_not else "nothing to do: no yolo merge")
        actions_io.set_outputs({"result": "[]"})
        return
    _report(run, "gh-ops yolo check", result.outcomes)
    if fail_on_yolo and any(o.verdict.unexcused for o in result.outcomes):
        click.get_current_context().exit(EXIT_POLICY)


def _report(run: Run, title: str, outcomes: list[Outcome]) -> None:
    import json

    actions_io.set_outputs({"result": json.dumps([o.as_json() for o in outcomes])})
    lines = []
    for o in outcomes:
        change = f"#{o.number}" if o.number is not None else o.sha[:7]
        v = o.verdict
        if not v.yolo:
            text = f"{change}: " + ("reviewed" if o.number is not None else "pushed by an allowed bot")
        elif v.cleared:
            who = ", ".join(v.post_merge_reviewers)
            text = f"{change}: {', '.join(v.reasons)}; reviewed after the merge by {who}"
        else:
            kind = "emergency merge, review needed" if v.emergency else "yolo merge"
            text = f"{change}: {kind} ({', '.join(v.reasons)})"
            if o.before or o.after:
                text += f", {o.before or '?'}...{o.after or '?'}"
            if o.follow_up:
                text += f"; follow-up #{o.follow_up}"
        lines.append(text)
        say(text)
        if v.yolo and not v.cleared:
            actions_io.annotate("warning" if v.emergency else "error", text, title=title)
    if actions_io.in_actions():
        heading = f"### {title}" + (" (dry run)" if run.dry_run else "")
        actions_io.add_summary(heading + "\n\n" + "\n".join(f"- {line}" for line in lines) + "\n")


@yolo.command("audit")
@global_options(without=("--repo",), unused=("--dry-run",), helps={"--now": READ_ONLY_NOW_HELP})
@click.option(
    "--since",
    required=True,
    metavar="30d|YYYY-MM-DD",
    help="The start of the period (a date: midnight in the config's timezone; or an exact moment such "
    "as 2026-10-01T04:00:00Z, as a resume command gives it).",
)
@repository_options("audit")
@click.option(
    "--format", "fmt", type=click.Choice(["markdown", "json", "csv"]), default="markdown", show_default=True
)
@click.option("--fail-on-yolo", is_flag=True, help="Exit 1 when a yolo merge is not declared an emergency.")
@click.pass_obj
def yolo_audit(
    run: Run, since: str, repos: tuple[str, ...], org: str | None, fmt: str, fail_on_yolo: bool
) -> None:
    """Report every change to the default branch since a date: reviewed, yolo, emergency.

    Reads 100 commits per request, each with its pull request and reviews. A date is read in the
    config's timezone.
    """
    from gh_ops.yolo import run as yolo_run
    from gh_ops.yolo import texts

    config = run.load_config(allow_embedded=True)
    start = _since(since, run.now(config), config.timezone)
    chosen = run.repositories(repos, org)
    report = {"json": texts.report_json, "csv": texts.report_csv, "markdown": texts.report_markdown}[fmt]
    try:
        gh = run.github(reads_graphql="yolo audit")
        if org is not None:
            chosen = yolo_run.active_repositories(gh, org, start, say=info)
        result, audited = yolo_run.audit(run.context(config), chosen, start)
    except yolo_run.AuditStopped as stop:
        run.report_requests()
        coverage = texts.Coverage(tuple(stop.covered), tuple(stop.left))
        sys.stdout.write(report(stop.result, coverage))
        if actions_io.in_actions():
            actions_io.add_summary(texts.report_markdown(stop.result, coverage))
        resume = _resume_command(start, stop.left)
        raise GitHubError(
            f"{stop.cause.message}. The audit stopped: the report above is PARTIAL. Audited in full: "
            f"{', '.join(stop.covered) or 'none'}; not audited: {', '.join(stop.left)}. "
            f"Resume once the limit resets with: {resume}"
        ) from None
    except BaseException:
        run.report_requests()
        raise
    run.report_requests()
    sys.stdout.write(report(result))
    if actions_io.in_actions():
        actions_io.add_summary(texts.report_markdown(result))
    audited.raise_failures()
    if fail_on_yolo and result.unexcused:
        info(f"{len(result.unexcused)} yolo merge(s) neither declared an emergency nor reviewed since")
        click.get_current_context().exit(EXIT_POLICY)


def _resume_command(since: datetime, repos: list[str]) -> str:
    """The audit of these repositories over the same period: --since as the exact moment it was (a
    relative `30d` would mean a later period once the limit has reset)."""
    from datetime import UTC

    from gh_ops.context import resume_command

    moment = since.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    return resume_command(repos, replace={"--since": moment})


def _since(text: str, now: datetime, timezone: str) -> datetime:
    """`30d` (days before now) or a date YYYY-MM-DD (midnight in the config's timezone), as a moment
    on that timezone's clock (the report names its date there)."""
    import re
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(timezone)
    days = re.fullmatch(r"([1-9][0-9]{0,4})d", text.strip())
    if days:
        return (now - timedelta(days=int(days.group(1)))).astimezone(zone)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:Z|[+-]\d{2}:\d{2})", text.strip()):
        # The exact moment a resume command gives (a stopped audit's --since).
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
        if moment > now:
            raise UsageError(f"--since {text} is in the future: nothing to audit")
        return moment.astimezone(zone)
    try:
        day = datetime.strptime(text.strip(), "%Y-%m-%d")
    except ValueError:
        raise UsageError(
            f"--since {text!r}: expected a number of days such as 30d, or a date YYYY-MM-DD"
        ) from None
    start = day.replace(tzinfo=zone)
    if start > now:
        raise UsageError(f"--since {text} is in the future: nothing to audit")
    return start


def route(event_name: str, payload: Mapping[str, Any], config: Config) -> tuple[tuple[str, ...], ...]:
    """`gh-ops run`: `yolo check` on a merge, on a review (an approval after the merge clears the
    flag; `yolo check` tells) and on a push to the default branch; nothing on other events."""
    check = (("yolo", "check"),)
    if event_name == "pull_request":
        pull = payload.get("pull_request")
        merged = isinstance(pull, dict) and pull.get("merged") is True
        return check if payload.get("action") == "closed" and merged else ()
    if event_name == "pull_request_review":
        return check if payload.get("action") == "submitted" else ()
    if event_name == "push":
        repository = payload.get("repository")
        branch = repository.get("default_branch") if isinstance(repository, dict) else None
        return check if branch and payload.get("ref") == f"refs/heads/{branch}" else ()
    return ()


CAPABILITY = Capability(
    name="yolo",
    commands=(yolo,),
    triggers=(
        Trigger("pull_request", ("closed",)),
        Trigger("pull_request_review", ("submitted",)),  # an approval after the merge clears the flag
        Trigger("push"),  # the workflow limits it to the default branch
    ),
    route=route,
    scheduled=(Job("yolo audit", ("--since", "7d"), cron="23 7 * * 1", why="weekly: the week's report"),),
    dispatchable=(
        Job("yolo audit", ("--since", "7d"), why="the report; args: --since 30d|DATE"),
        Job("yolo check", why="one merged pull request; args: --pr N"),
    ),
    permissions=(
        Permission("contents", "read", "read .github/gh-ops.yml and the default branch's history"),
        Permission("pull-requests", "write", "the comment and the yolo-merge label"),
        Permission("issues", "write", "labels are issue labels; the follow-up issue"),
    ),
)
