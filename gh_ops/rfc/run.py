"""RFC pull requests on GitHub: `rfc check` on a pull request's events and `rfc remind` on a
schedule read once per pull request (or per page of them), plan every write the rules call for, and
send each pull request's writes as one GraphQL mutation (plus a label created on first use, the
assignees, a second RFC comment left by two runs racing, and the chat notices).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from gh_ops import chat
from gh_ops.config import Config
from gh_ops.context import Context
from gh_ops.dates import local_now, parse_time
from gh_ops.errors import GitHubError, RateLimited, UsageError, WriteBudgetReached
from gh_ops.gql import failed_parts, mutation, owner_name, repeatable
from gh_ops.models import Comment
from gh_ops.rfc import queries as q
from gh_ops.rfc.queries import RepoInfo
from gh_ops.rfc.rules import (
    DUE_SOON_REMINDER,
    FAILING,
    JUST_OPENED,
    MERGED_UNDECIDED,
    NO_DECISION_NOTICE,
    OVERDUE_REMINDER,
    PULL_EVENTS,
    RECENT_DAYS,
    Assessment,
    DigestRow,
    EventInfo,
    Pull,
    assess,
    chat_notices,
    digest_row,
    event_target,
    is_rfc,
    moved_date,
    reminder_due,
)
from gh_ops.rfc.settings import RfcSettings
from gh_ops.rfc.texts import (
    LABEL_COLORS,
    LABEL_DESCRIPTIONS,
    chat_text,
    check_run_output,
    due_soon_notice,
    no_decision_notice,
    overdue_notice,
    render_comment,
)

if TYPE_CHECKING:
    from gh_ops.github import GitHub

CHECK_NAME = "RFC"


@dataclass
class Writes:
    check_run: tuple[str, dict[str, str]] | None = None  # conclusion, output
    comment: str | None = None  # the kept comment's new text (created when there is none)
    notice: tuple[str, str] | None = None  # (what it is, body): a new comment that notifies
    add_labels: list[str] = field(default_factory=list)
    remove_labels: list[str] = field(default_factory=list)
    assign: tuple[str, ...] = ()
    chat: list[str] = field(default_factory=list)
    delete: tuple[Comment, ...] = ()  # kept comments of a race, once their memory is in the kept one

    def describe(self, a: Assessment) -> list[str]:
        out = list(_alias_lines(self, a).values())
        if self.assign:
            out.append(f"assign {', '.join(self.assign)} to #{a.pull.number}")
        if self.delete:
            out.append(_delete_line(self, a))
        out += [f"send to chat: {m}" for m in self.chat]
        return out


def _delete_line(writes: Writes, a: Assessment) -> str:
    n = len(writes.delete)
    return (
        f"delete {n} extra RFC comment{'s' if n != 1 else ''} on #{a.pull.number} "
        f"(id {', '.join(str(c.id) for c in writes.delete)}; runs racing each posted one, the oldest is kept)"
    )


def plan(
    a: Assessment,
    cfg: Config,
    now: datetime,
    *,
    event: EventInfo | None = None,
    check_run: bool = False,
    reminders: bool = False,
    chat_on: bool = False,
) -> Writes:
    writes = Writes()
    pull = a.pull
    memory = a.memory
    move = moved_date(a, event, cfg)
    if move is not None and move not in memory.moves:
        memory = replace(memory, moves=(*memory.moves, move))
    if chat_on:
        notices, memory = chat_notices(replace(a, memory=memory), now)
        writes.chat = [chat_text(notice, a) for notice in notices]

    settings = cfg.section(RfcSettings)
    if check_run and pull.open:
        writes.check_run = check_run_output(a, cfg)
    if not pull.has_label(settings.label):
        writes.add_labels.append(settings.label)
    if a.overdue and reminders and not pull.draft and not pull.has_label(settings.overdue_label):
        writes.add_labels.append(settings.overdue_label)
    if not a.overdue and pull.has_label(settings.overdue_label):
        writes.remove_labels.append(settings.overdue_label)
    if a.status == MERGED_UNDECIDED:
        if not pull.has_label(settings.no_decision_label):
            writes.add_labels.append(settings.no_decision_label)
        if NO_DECISION_NOTICE not in a.notices:
            writes.notice = ("ask the merger for the decision", no_decision_notice(a, cfg))
    elif pull.has_label(settings.no_decision_label) and a.decided_in is not None:
        writes.remove_labels.append(settings.no_decision_label)

    assigning = settings.assign_feedback and pull.open
    if assigning:
        room = max(0, 10 - len(pull.assignees))  # GitHub allows 10 assignees
        writes.assign = a.missing_assignees()[:room]

    if reminders and not pull.draft and writes.notice is None:
        due = reminder_due(a, cfg, now)
        if due == OVERDUE_REMINDER:
            writes.notice = ("remind the decision maker", overdue_notice(a, cfg, now))
        elif due == DUE_SOON_REMINDER:
            writes.notice = ("remind the people whose feedback is required", due_soon_notice(a, cfg))

    body = render_comment(a, memory, cfg, assigned_by_us=assigning)
    if a.kept is None or a.kept.body.strip() != body.strip():
        writes.comment = body
    writes.delete = a.duplicates
    return writes


@dataclass
class Applied:
    done: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def apply(
    gh: GitHub,
    repo: str,
    info: RepoInfo,
    a: Assessment,
    writes: Writes,
    cfg: Config,
    now: datetime,
    *,
    chat_url: str | None,
    read_only: bool = False,
) -> Applied:
    """Send one pull request's writes: one mutation, plus a label created the first time it is
    used, assignees (REST: GraphQL wants node ids we do not have), the extra kept comments a race
    left (REST, one request each: only after a race) and the chat notice.

    `read_only`: refusals (403, FORBIDDEN) are warnings, as for a pull request from a fork,
    whose workflow token may only read."""
    applied = Applied()
    lines = _alias_lines(writes, a)
    variables: dict[str, Any] = {}
    if writes.check_run:
        conclusion, output = writes.check_run
        variables["checkRun"] = {
            "repositoryId": info.node_id,
            "headSha": a.pull.head_sha,
            "name": CHECK_NAME,
            "status": "COMPLETED",
            "conclusion": conclusion,
            "completedAt": now.astimezone(ZoneInfo("UTC"))
            .isoformat(timespec="seconds")
            .replace("+00:00", "Z"),
            "output": output,
        }
    if writes.comment is not None:
        if a.kept is None:
            variables["newComment"] = {"subjectId": a.pull.node_id, "body": writes.comment}
        else:
            variables["editComment"] = {"id": a.kept.node_id, "body": writes.comment}
    if writes.notice:
        variables["notice"] = {"subjectId": a.pull.node_id, "body": writes.notice[1]}
    # All in one run or none: the comment's memory, the labels and the assignees stay in step, and
    # a run never stops after a check run it would write again next time without getting further.
    needed = (
        sum(info.labels.get(name) is None for name in writes.add_labels)
        + bool(variables or writes.add_labels or writes.remove_labels)
        + bool(writes.assign)
        + len(writes.delete)
    )
    gh.reserve_writes(needed, why=f"bring RFC #{a.pull.number} up to date")
    comment_failed = False
    try:
        if writes.add_labels:
            ids = []
            for name in writes.add_labels:
                label_id = info.labels.get(name)
                if label_id is None:
                    key = next(k for k, v in cfg.section(RfcSettings).labels.items() if v == name)
                    label_id = gh.create_label(
                        repo, name, color=LABEL_COLORS[key], description=LABEL_DESCRIPTIONS[key]
                    )
                    info.labels[name] = label_id
                ids.append(label_id or f"(new label {name})")
            variables["addLabels"] = {"labelableId": a.pull.node_id, "labelIds": ids}
        if writes.remove_labels:
            remove = {r.casefold() for r in writes.remove_labels}
            ids = [node_id for name, node_id in a.pull.labels.items() if name.casefold() in remove]
            variables["removeLabels"] = {"labelableId": a.pull.node_id, "labelIds": ids}
        if variables:
            why = "; ".join(line for alias, line in lines.items() if alias in variables)
            data, errors = gh.mutate(
                mutation(list(variables)), variables, why=why, repeatable=repeatable(list(variables))
            )
            failed = failed_parts(errors, list(variables), data, dry_run=gh.dry_run)
            for alias in variables:
                line = lines.get(alias, alias)
                if alias not in failed:
                    applied.done.append(line)
                else:
                    _refused(
                        applied, line, *failed[alias], check_run=alias == "checkRun", read_only=read_only
                    )
            comment_failed = any(p in failed for p in ("newComment", "editComment"))
        if writes.assign:
            line = f"assign {', '.join(writes.assign)} to #{a.pull.number}"
            after = gh.add_assignees(repo, a.pull.number, writes.assign, why=line)
            skipped = [w for w in writes.assign if w.casefold() not in {x.casefold() for x in after}]
            applied.done.append(line)
            if skipped:
                applied.warnings.append(
                    f"GitHub did not assign {', '.join(skipped)} on #{a.pull.number} "
                    "(people who cannot be assigned: not collaborators of the repository?)"
                )
        # Only once the kept comment holds their memory: a failed edit leaves them for the next run.
        if writes.delete and not comment_failed:
            line = _delete_line(writes, a)
            for comment in writes.delete:
                gh.delete_comment(repo, comment.id, why=line)
            applied.done.append(line)
    except GitHubError as exc:
        # What is left undone is said with what was done; the caller decides the exit code.
        rest = [line for alias, line in lines.items() if line not in applied.done]
        if writes.assign and not any(d.startswith("assign ") for d in applied.done):
            rest.append(f"assign {', '.join(writes.assign)} to #{a.pull.number}")
        if writes.delete and _delete_line(writes, a) not in applied.done:
            rest.append(_delete_line(writes, a))
        reason = exc.message
        if read_only and exc.status == 403 and not isinstance(exc, RateLimited):
            applied.warnings.append(f"could not {'; '.join(rest) or 'write'}: {reason} {READ_ONLY_HINT}")
        else:
            applied.failed.append(f"{'; '.join(rest) or 'write'} ({reason})")
        return applied
    if writes.chat and chat_url and not comment_failed:
        for message in writes.chat:
            if gh.dry_run:
                continue
            problem = chat.post(chat_url, message, env_name=cfg.section(RfcSettings).chat_webhook_env)
            if problem:
                applied.warnings.append(f"not sent to chat ({problem}): {message}")
            else:
                applied.done.append(f"send to chat: {message}")
    return applied


READ_ONLY_HINT = (
    "(the token may only read: a pull request from a fork gets a read-only token on `pull_request` "
    "events; the exit code still reports the check, and `rfc remind` catches up on schedule)"
)


_REFUSALS = ("FORBIDDEN", "INSUFFICIENT_SCOPES")


def _refused(
    applied: Applied, line: str, message: str, kind: str, *, check_run: bool, read_only: bool
) -> None:
    if check_run and kind in _REFUSALS:
        applied.warnings.append(
            f"could not {line}: {message} (a check run needs the workflow token with `checks: write`; a "
            "personal token cannot create one). The step's exit code still reports the result."
        )
    elif read_only and kind in _REFUSALS:
        applied.warnings.append(f"could not {line}: {message} {READ_ONLY_HINT}")
    else:
        applied.failed.append(f"{line} ({message})")


def _alias_lines(writes: Writes, a: Assessment) -> dict[str, str]:
    """What each part of the mutation does, in words (for logs, dry runs and failures)."""
    ref = f"#{a.pull.number}"
    lines = {}
    if writes.check_run:
        lines["checkRun"] = (
            f"create check run {CHECK_NAME!r} ({writes.check_run[0].lower()}) on {a.pull.head_sha[:7]}"
        )
    if writes.comment is not None:
        lines["editComment" if a.kept else "newComment"] = (
            f"{'update' if a.kept else 'create'} the RFC comment on {ref}"
        )
    if writes.notice:
        lines["notice"] = f"comment on {ref}: {writes.notice[0]}"
    if writes.add_labels:
        lines["addLabels"] = f"add label(s) {', '.join(writes.add_labels)} to {ref}"
    if writes.remove_labels:
        lines["removeLabels"] = f"remove label(s) {', '.join(writes.remove_labels)} from {ref}"
    return lines


def _complete(gh: GitHub, repo: str, node: dict[str, Any]) -> dict[str, Any]:
    """The pull request's node with every comment and review (pages beyond the first 100)."""
    for key in ("comments", "reviews"):
        page = node.get(key) or {}
        nodes = list(page.get("nodes") or [])
        info = page.get("pageInfo") or {}
        while info.get("hasNextPage") and info.get("endCursor"):
            variables = {**owner_name(repo), "number": node["number"], "after": info["endCursor"]}
            why = f"read more {key} of #{node['number']}"
            if key == "comments":
                data = gh.graphql(q.RFC_MORE_COMMENTS_QUERY, variables, why=why)
            else:
                data = gh.graphql(q.RFC_MORE_REVIEWS_QUERY, variables, why=why)
            more = ((data.get("repository") or {}).get("pullRequest") or {}).get(key) or {}
            nodes += more.get("nodes") or []
            info = more.get("pageInfo") or {}
        node = {**node, key: {"nodes": nodes}}
    return node


def read_pull(gh: GitHub, repo: str, number: int, cfg: Config, *, with_files: bool) -> tuple[RepoInfo, Pull]:
    data = gh.graphql_existing(
        q.RFC_PULL_QUERY + q.RFC_PULL_FRAGMENT,
        {**owner_name(repo), "number": number, "withFiles": with_files, **q.label_variables(cfg)},
        why=f"read pull request #{number}",
        needs=("repository", "pullRequest"),
        missing=f"{repo} has no pull request #{number}, or the token cannot see it",
    )
    repository = data["repository"]
    return q.repo_info(repository, cfg), q.pull_from_json(_complete(gh, repo, repository["pullRequest"]))


def _pages(gh: GitHub, *, recent: bool, variables: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Pages of open pull requests (oldest first), or of closed ones (latest updated first)."""
    after = None
    while True:
        if recent:
            data = gh.graphql(
                q.RFC_RECENT_PULLS_QUERY + q.RFC_PULL_FRAGMENT,
                {**variables, "after": after},
                why="list recently closed pull requests",
            )
        else:
            data = gh.graphql(
                q.RFC_OPEN_PULLS_QUERY + q.RFC_PULL_FRAGMENT,
                {**variables, "after": after},
                why="list open pull requests",
            )
        repository = data.get("repository") or {}
        yield repository
        info = (repository.get("pullRequests") or {}).get("pageInfo") or {}
        if not info.get("hasNextPage"):
            return
        after = info.get("endCursor")


def changed_files_from_checkout(head: str | None, cwd: str | None = None) -> tuple[str, ...] | None:
    """The files a pull request changes, read from the local checkout at no API cost.

    Only when the checkout is the pull request's merge commit with its parents (actions/checkout
    on a pull_request event with `fetch-depth: 2`): its second parent is the head commit, and its
    diff with the first parent (the base branch) is the pull request's change. Otherwise None.
    """
    git = shutil.which("git")
    if not head or not git:
        return None
    where = cwd or os.getcwd()
    try:
        second = subprocess.run(
            [git, "-C", where, "rev-parse", "--verify", "--quiet", "HEAD^2"],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
        if second.returncode != 0 or second.stdout.strip() != head:
            return None
        diff = subprocess.run(
            [git, "-C", where, "diff", "--name-only", "--no-renames", "-z", "HEAD^1", "HEAD"],
            capture_output=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if diff.returncode != 0:
        return None
    return tuple(p for p in diff.stdout.decode("utf-8", "replace").split("\0") if p)


@dataclass
class CheckResult:
    number: int | None
    rfc: bool
    status: str | None = None
    assessment: Assessment | None = None
    applied: Applied | None = None
    writes: Writes | None = None
    why_not: str = ""

    @property
    def failed_policy(self) -> bool:
        return self.status in FAILING


def check(
    ctx: Context,
    repo: str,
    *,
    number: int | None = None,
    event_name: str | None = None,
    payload: dict[str, Any] | None = None,
    cwd: str | None = None,
) -> CheckResult:
    """Check one RFC pull request and bring its check run, comment, labels and assignees up to date.

    The GitHub client is made only when needed: a pull request that is not an RFC costs nothing.
    """
    cfg = ctx.config
    now = local_now(ctx.now, cfg.timezone)
    event = None
    with_files = True
    from_fork = False
    if number is None:
        target = event_target(event_name, payload or {})
        if target is None:
            return CheckResult(None, False, why_not="the comment is on an issue, not a pull request")
        number, event, from_fork = target.number, target.info, target.from_fork
        verdict = is_rfc(target.title, target.labels, None, cfg)
        if verdict is None and event_name in PULL_EVENTS:
            files = changed_files_from_checkout(target.head_sha, cwd)
            if files is not None:
                verdict = is_rfc(target.title, target.labels, files, cfg) or False
        elif verdict is None:
            # A review or a comment: an RFC found by its files got the label on its own events.
            verdict = False
        if verdict is False:
            return CheckResult(number, False, why_not="not an RFC (no title prefix, label or RFC file)")
        with_files = verdict is None
    gh = ctx.github()
    info, pull = read_pull(gh, repo, number, cfg, with_files=with_files)
    if not is_rfc(pull.title, pull.labels, pull.files if with_files else None, cfg):
        return CheckResult(number, False, why_not="not an RFC (no title prefix, label or RFC file)")
    a = assess(pull, cfg, now)
    chat_url = chat.webhook_url(cfg.section(RfcSettings).chat_webhook_env)
    writes = plan(a, cfg, now, event=event, check_run=True, chat_on=chat_url is not None)
    for line in writes.describe(a):
        ctx.say(("would " if gh.dry_run else "") + line)
    applied = apply(gh, repo, info, a, writes, cfg, now, chat_url=chat_url, read_only=from_fork)
    return CheckResult(number, True, a.status, a, applied, writes)


@dataclass
class RemindResult:
    rows: list[DigestRow] = field(default_factory=list)
    applied: list[tuple[int, Applied]] = field(default_factory=list)
    rfcs: int = 0
    failures: list[str] = field(default_factory=list)

    def error(self) -> GitHubError | None:
        """What failed, with how much else was done; None when nothing failed."""
        if not self.failures:
            return None
        done = sum(len(x.done) for _, x in self.applied)
        return GitHubError(
            "some RFCs could not be brought up to date:\n  "
            + "\n  ".join(self.failures)
            + f"\n{done} other change(s) were made; re-running is safe"
        )


def remind(ctx: Context, repo: str) -> RemindResult:
    """The sweep: every open RFC (and those closed in the last days) brought up to date, with the
    reminders that are due. A failure on one pull request does not stop the others."""
    cfg, gh = ctx.config, ctx.github()
    now = local_now(ctx.now, cfg.timezone)
    chat_url = chat.webhook_url(cfg.section(RfcSettings).chat_webhook_env)
    result = RemindResult()
    failures = result.failures

    def handle(info: RepoInfo, node: dict[str, Any], *, reminders: bool) -> None:
        pull = q.pull_from_json(node)
        if not is_rfc(pull.title, pull.labels, pull.files, cfg):
            return
        result.rfcs += 1
        try:
            if any(
                ((node.get(k) or {}).get("pageInfo") or {}).get("hasNextPage")
                for k in ("comments", "reviews")
            ):
                pull = q.pull_from_json(_complete(gh, repo, node))
            a = assess(pull, cfg, now)
            result.rows.append(digest_row(a, cfg, now))
            if a.kept is None and pull.open and now - pull.created_at < JUST_OPENED:
                return  # `rfc check` on its opened event is on it: two runs would post two comments
            writes = plan(a, cfg, now, reminders=reminders, chat_on=chat_url is not None)
            for line in writes.describe(a):
                ctx.say(("would " if gh.dry_run else "") + line)
            applied = apply(gh, repo, info, a, writes, cfg, now, chat_url=chat_url)
        except GitHubError as exc:
            failures.append(f"#{pull.number}: {exc.message}")
            return
        except WriteBudgetReached as stop:
            stop.not_reached.append(f"the RFCs after #{pull.number} in this sweep")
            raise
        result.applied.append((pull.number, applied))
        failures.extend(f"#{pull.number}: could not {f}" for f in applied.failed)
        for warning in applied.warnings:
            ctx.warn(warning)

    variables = {**owner_name(repo), "withFiles": True, **q.label_variables(cfg)}
    info = None
    for repository in _pages(gh, recent=False, variables=variables):
        if not repository.get("id"):
            raise UsageError(f"repository {repo} not found (check --repo and the token)")
        info = info or q.repo_info(repository, cfg)
        for node in (repository.get("pullRequests") or {}).get("nodes") or []:
            handle(info, node, reminders=True)
    recent = now - timedelta(days=RECENT_DAYS)
    assert info is not None
    for repository in _pages(gh, recent=True, variables={**owner_name(repo), "withFiles": True}):
        nodes = (repository.get("pullRequests") or {}).get("nodes") or []
        for node in nodes:
            ended = parse_time(node.get("closedAt") or node.get("mergedAt"))
            if ended is not None and ended >= recent:
                handle(info, node, reminders=False)
        if not nodes or (parse_time(nodes[-1].get("updatedAt")) or recent) < recent:
            break
    return result
