"""RFC pull requests on GitHub: `rfc check` on a pull request's events and `rfc remind` on a
schedule read once per pull request (or per page of them), plan every write the rules call for, and
send each pull request's writes as one GraphQL mutation (plus a label created on first use, the
assignees, a second RFC comment left by two runs racing, and the chat notices).

Runs that overlap converge (gh_ops.converge): a run that changed a pull request's comments or labels
reads it once more afterwards, keeps the oldest of each comment that must be unique (the RFC comment,
a reminder for a date) and brings what another run's older reading left back to the rule.
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
from gh_ops.context import Context, Say
from gh_ops.converge import settle_comment
from gh_ops.dates import local_now, parse_time
from gh_ops.errors import GitHubError, RateLimited, UsageError, WriteBudgetReached
from gh_ops.gql import error_messages, failed_parts, mutation, owner_name, repeatable
from gh_ops.markup import read_marker
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
    Memory,
    Pull,
    assess,
    chat_notices,
    digest_row,
    event_target,
    is_rfc,
    merge_memory,
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
    memory: Memory = field(default_factory=Memory)  # what the kept comment remembers after these writes

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
    writes.memory = memory
    return writes


@dataclass
class Applied:
    done: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    created: dict[str, str] = field(default_factory=dict)  # newComment/notice -> the new comment's node id
    changed: bool = False  # comments or labels were written: an overlapping run may have written too
    chat_due: bool = False  # the comment holds the chat notices' memory: they may be sent (send_chat)


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
        variables.update(_label_parts(gh, repo, info, cfg, a.pull, writes.add_labels, writes.remove_labels))
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
                    applied.changed = applied.changed or alias != "checkRun"
                    node = (((data.get(alias) or {}).get("commentEdge") or {}).get("node")) or {}
                    if node.get("id"):
                        applied.created[alias] = node["id"]
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
    applied.chat_due = bool(writes.chat and chat_url and not comment_failed)
    return applied


def send_chat(gh: GitHub, cfg: Config, writes: Writes, applied: Applied, chat_url: str | None) -> None:
    """The chat notices, once the comment that remembers them is written (and, after an overlap,
    only by the run whose comment stands: the others' notices are the same ones)."""
    if not applied.chat_due or not chat_url or gh.dry_run:
        return
    for message in writes.chat:
        problem = chat.post(chat_url, message, env_name=cfg.section(RfcSettings).chat_webhook_env)
        if problem:
            applied.warnings.append(f"not sent to chat ({problem}): {message}")
        else:
            applied.done.append(f"send to chat: {message}")


def needs_settling(gh: GitHub, applied: Applied) -> bool:
    """Whether a run reads the pull request again after its writes (gh_ops.converge): only when it
    wrote a comment or labels, all of them landed, and it is not a dry run."""
    return applied.changed and not applied.failed and not gh.dry_run


def settle(
    gh: GitHub,
    repo: str,
    info: RepoInfo,
    a: Assessment,
    writes: Writes,
    applied: Applied,
    pull: Pull,
    cfg: Config,
    now: datetime,
    *,
    reminders: bool,
    say: Say,
) -> None:
    """Converge with runs that wrote to the same pull request at the same moment, from `pull` as it
    was read after this run's writes (one read): the same rule in every run.

    - The RFC comment this run created: the oldest one stands (gh_ops.converge.settle_comment); it
      gets the text of the latest reading with every run's memory merged (moved dates, chat notices
      sent), so no run's memory is lost; a newer one is deleted by the run that created it.
    - A reminder this run posted: the oldest of that kind (and date) posted since this run's first
      reading stands; a newer one is deleted by the run that posted it.
    - The RFC comment's text and the labels: brought to what the rule says of this later reading.
      A run that read the pull request before a change (a decision recorded, a date moved) and wrote
      after a run that read it after the change is put right by its own later reading, which sees
      the change: whichever run writes last, the later state wins.

    Its writes are repairs (never stopped by the write budget). Sets `applied.chat_due` to False when
    another run's RFC comment stands: that run sends the chat notices.
    """
    later = assess(pull, cfg, now)
    memory = merge_memory(later.memory, writes.memory)
    # The text and labels the rule gives for the later reading (no kept comment: render it anyway).
    rule = plan(replace(later, memory=memory, kept=None, duplicates=()), cfg, now, reminders=reminders)
    body = rule.comment or ""
    number = pull.number
    by_node = {c.node_id: c for c in pull.comments}
    kept = later.kept
    with gh.repairing():
        mine = by_node.get(applied.created.get("newComment", ""))
        if mine is not None and mine.id:
            siblings = [c for c in (later.kept, *later.duplicates) if c is not None]
            standing = settle_comment(gh, repo, number, replace(mine, body=body), siblings, say=say)
            if standing.id != mine.id:
                applied.chat_due = False
                applied.done.append(f"remove this run's RFC comment on #{number}: another run's stands")
                kept = standing  # already given the text of this reading
            else:
                kept = mine
        notice = by_node.get(applied.created.get("notice", ""))
        if notice is not None and notice.id:
            settle_comment(gh, repo, number, notice, _same_notices(notice, a, later), say=say)
        fix: dict[str, Any] = {}
        lines = []
        if kept is not None and kept.body.strip() != body.strip():
            fix["editComment"] = {"id": kept.node_id, "body": body}
            lines.append(f"bring the RFC comment on #{number} up to date")
        fix.update(_label_parts(gh, repo, info, cfg, pull, rule.add_labels, rule.remove_labels))
        if rule.add_labels:
            lines.append(f"add label(s) {', '.join(rule.add_labels)} to #{number}")
        if rule.remove_labels:
            lines.append(f"remove label(s) {', '.join(rule.remove_labels)} from #{number}")
        if not fix:
            return
        say(f"another run wrote to #{number} at the same time from an older reading: " + "; ".join(lines))
        why = "; ".join(lines)
        _, errors = gh.mutate(mutation(list(fix)), fix, why=why, repeatable=repeatable(list(fix)))
    if errors:
        raise GitHubError(f"could not {why} in {repo}: {error_messages(errors)}; re-running is safe")
    applied.done.append(why)


def _same_notices(notice: Comment, before: Assessment, later: Assessment) -> list[Comment]:
    """The reminders of `notice`'s kind (and date) posted since the run's first reading: other runs
    that read the same state posted the same reminder. (One posted before that reading was there
    when the run decided to post: it belongs to an earlier date or interval.)"""
    kind, fields = read_marker(notice.body) or ("", {})
    seen = {c.id for c in before.notices.get(kind, [])}
    return [
        c
        for c in later.notices.get(kind, [])
        if c.id not in seen and (read_marker(c.body) or ("", {}))[1].get("date") == fields.get("date")
    ]


def _label_parts(
    gh: GitHub,
    repo: str,
    info: RepoInfo,
    cfg: Config,
    pull: Pull,
    add: list[str],
    remove: list[str],
) -> dict[str, Any]:
    """The addLabels/removeLabels parts of the pull request's mutation: labels to add by id (one
    missing in the repository is created first), labels to remove by the ids the pull request has."""
    parts: dict[str, Any] = {}
    if add:
        parts["addLabels"] = {
            "labelableId": pull.node_id,
            "labelIds": [_label_id(gh, repo, info, cfg, name) for name in add],
        }
    if remove:
        gone = {r.casefold() for r in remove}
        ids = [node_id for name, node_id in pull.labels.items() if name.casefold() in gone]
        parts["removeLabels"] = {"labelableId": pull.node_id, "labelIds": ids}
    return parts


def _label_id(gh: GitHub, repo: str, info: RepoInfo, cfg: Config, name: str) -> str:
    """The label's node id, creating the label when the repository lacks it ("(new label …)" in a
    dry run, which creates nothing)."""
    label_id = info.labels.get(name)
    if label_id is None:
        key = next(k for k, v in cfg.section(RfcSettings).labels.items() if v == name)
        label_id = gh.create_label(repo, name, color=LABEL_COLORS[key], description=LABEL_DESCRIPTIONS[key])
        info.labels[name] = label_id
    return label_id or f"(new label {name})"


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
    if needs_settling(gh, applied):
        try:
            _, later = read_pull(gh, repo, number, cfg, with_files=False)
            settle(gh, repo, info, a, writes, applied, later, cfg, now, reminders=False, say=ctx.say)
        except GitHubError as exc:
            applied.failed.append(f"converge with an overlapping run ({exc.message})")
            applied.chat_due = False
    send_chat(gh, cfg, writes, applied, chat_url)
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


@dataclass
class _Written:
    """A pull request the sweep wrote to, to settle once the sweep has read it again."""

    info: RepoInfo
    assessment: Assessment
    writes: Writes
    applied: Applied
    reminders: bool  # an open one (reminders on), or a recently closed one
    page: int  # the page of its listing it was on


def remind(ctx: Context, repo: str) -> RemindResult:
    """The sweep: every open RFC (and those closed in the last days) brought up to date, with the
    reminders that are due. A failure on one pull request does not stop the others.

    Then the pull requests it wrote to are read again, in one go (gh_ops.converge), and settled."""
    cfg, gh = ctx.config, ctx.github()
    now = local_now(ctx.now, cfg.timezone)
    chat_url = chat.webhook_url(cfg.section(RfcSettings).chat_webhook_env)
    result = RemindResult()
    failures = result.failures
    written: dict[int, _Written] = {}

    def handle(info: RepoInfo, node: dict[str, Any], *, reminders: bool, page: int) -> None:
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
        if needs_settling(gh, applied):
            written[pull.number] = _Written(info, a, writes, applied, reminders, page)
        else:
            send_chat(gh, cfg, writes, applied, chat_url)
        failures.extend(f"#{pull.number}: could not {f}" for f in applied.failed)
        for warning in applied.warnings:
            ctx.warn(warning)

    variables = {**owner_name(repo), "withFiles": True, **q.label_variables(cfg)}
    try:
        info = None
        for page, repository in enumerate(_pages(gh, recent=False, variables=variables)):
            if not repository.get("id"):
                raise UsageError(f"repository {repo} not found (check --repo and the token)")
            info = info or q.repo_info(repository, cfg)
            for node in (repository.get("pullRequests") or {}).get("nodes") or []:
                handle(info, node, reminders=True, page=page)
        recent = now - timedelta(days=RECENT_DAYS)
        assert info is not None
        closed = {**owner_name(repo), "withFiles": True}
        for page, repository in enumerate(_pages(gh, recent=True, variables=closed)):
            nodes = (repository.get("pullRequests") or {}).get("nodes") or []
            for node in nodes:
                ended = parse_time(node.get("closedAt") or node.get("mergedAt"))
                if ended is not None and ended >= recent:
                    handle(info, node, reminders=False, page=page)
            if not nodes or (parse_time(nodes[-1].get("updatedAt")) or recent) < recent:
                break
    except WriteBudgetReached:  # what the sweep wrote before it stopped is settled all the same
        if written:
            _settle_sweep(ctx, gh, repo, now, written, result, chat_url, variables)
        raise
    if written:
        _settle_sweep(ctx, gh, repo, now, written, result, chat_url, variables)
    return result


def _settle_sweep(
    ctx: Context,
    gh: GitHub,
    repo: str,
    now: datetime,
    written: dict[int, _Written],
    result: RemindResult,
    chat_url: str | None,
    variables: dict[str, Any],
) -> None:
    """Read again the pull requests the sweep wrote to, and settle each (settle): the pages of the
    listings they were on when that is fewer reads than one per pull request."""
    cfg = ctx.config
    later: dict[int, Pull] = {}
    for recent in (False, True):
        wanted = {n for n, w in written.items() if w.reminders != recent}
        pages = 1 + max((written[n].page for n in wanted), default=-1)
        if len(wanted) <= pages:
            continue  # one read each is fewer
        listing = variables if not recent else {**owner_name(repo), "withFiles": True}
        for page, repository in enumerate(_pages(gh, recent=recent, variables=listing)):
            for node in (repository.get("pullRequests") or {}).get("nodes") or []:
                if node.get("number") in wanted:
                    later[node["number"]] = q.pull_from_json(_complete(gh, repo, node))
            if wanted <= set(later) or page + 1 >= pages:
                break
    for number, w in sorted(written.items()):
        try:
            pull = later.get(number) or read_pull(gh, repo, number, cfg, with_files=False)[1]
            settle(
                gh,
                repo,
                w.info,
                w.assessment,
                w.writes,
                w.applied,
                pull,
                cfg,
                now,
                reminders=w.reminders,
                say=ctx.say,
            )
        except GitHubError as exc:
            result.failures.append(f"#{number}: could not converge with an overlapping run ({exc.message})")
            continue
        warned = len(w.applied.warnings)
        send_chat(gh, cfg, w.writes, w.applied, chat_url)
        for warning in w.applied.warnings[warned:]:
            ctx.warn(warning)
