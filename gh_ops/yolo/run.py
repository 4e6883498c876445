"""Yolo merges on GitHub: `yolo check` on a merge, a push or a post-merge review (label, one comment
kept up to date, follow-up issue), and `yolo audit` over a period of default-branch history.

One read per event (GraphQL; a push: one per 100 of its commits), then one mutation for the pull
request's label and comment, plus a REST write for the follow-up issue when one is opened or closed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from gh_ops.config import Config
from gh_ops.context import Context, PerRepository, Say
from gh_ops.converge import is_closed_duplicate, settle_comment, settle_issue
from gh_ops.errors import GitHubError, RateLimited, UsageError
from gh_ops.gql import failed_parts, mutation, owner_name, repeatable
from gh_ops.markup import marker, read_marker
from gh_ops.models import Issue
from gh_ops.yolo import queries as q
from gh_ops.yolo.rules import (
    COMMENT_KIND,
    EVENTS,
    FOLLOW_UP_KIND,
    FORCE_PUSH,
    AuditResult,
    MergedPull,
    Outcome,
    PullInfo,
    PushToCheck,
    Verdict,
    commits_to_confirm,
    evaluate,
    evaluate_push,
    is_bot,
    kept_comment,
    merged_pull_of,
    push_to_check,
)
from gh_ops.yolo.settings import YoloSettings
from gh_ops.yolo.texts import FOLLOW_UP_TITLE, LABEL_COLOR, LABEL_DESCRIPTION, follow_up_body, render_comment

if TYPE_CHECKING:
    from gh_ops.github import GitHub

HISTORY_PAGE = 100  # commits per request, audit and push (GitHub's maximum)
# A push's commits are looked for in the branch's history from the pushed tip. They are its newest
# commits unless a merge brought older ones: the walk stops at this many pages (2,500 commits; a
# push event lists at most 2,048) and says which pushed commits it did not find.
PUSH_PAGES = 25
NODES = 100  # ids per nodes(ids:) list (GitHub's maximum)


@dataclass
class Writes:
    add_label: bool = False
    remove_label: bool = False
    comment: str | None = None
    open_follow_up: bool = False
    close_follow_up: int | None = None

    def any(self) -> bool:
        return bool(
            self.add_label or self.remove_label or self.comment or self.open_follow_up or self.close_follow_up
        )


def plan(pull: PullInfo, verdict: Verdict, config: Config) -> Writes:
    """The writes that bring the pull request's label, comment and follow-up issue up to date."""
    settings = config.section(YoloSettings)
    writes = Writes()
    kept, follow_up, closed = kept_comment(pull, config)
    has_label = any(n.casefold() == settings.label.casefold() for n in pull.label_ids)
    flagged = verdict.yolo and not verdict.cleared
    if flagged and not verdict.emergency and not has_label:
        writes.add_label = True
    if has_label and (not flagged or verdict.emergency):
        writes.remove_label = True
    wants_issue = verdict.emergency or settings.follow_up_issue
    if flagged and wants_issue and follow_up is None:
        writes.open_follow_up = True
    if verdict.cleared and follow_up is not None and not closed:
        writes.close_follow_up = follow_up
    if not verdict.yolo and kept is None:
        return writes  # reviewed, and never flagged: nothing to say
    body = render_comment(
        pull,
        verdict,
        follow_up if not writes.open_follow_up else 0,
        follow_up_closed=closed or writes.close_follow_up is not None,
    )
    if kept is None or kept.body.strip() != body.strip() or writes.open_follow_up:
        writes.comment = body
    return writes


def apply(
    gh: GitHub,
    repo: str,
    info: dict[str, Any],
    pull: PullInfo,
    writes: Writes,
    config: Config,
    verdict: Verdict,
) -> tuple[list[str], int | None]:
    """Send the writes: the follow-up issue first (the comment remembers its number), then the
    label and the comment as one mutation, then closing a follow-up issue."""
    label = config.section(YoloSettings).label
    done: list[str] = []
    p = pull.rules
    kept, follow_up, _closed = kept_comment(pull, config)
    # All in one run or none: a follow-up issue whose number the comment does not yet remember
    # would be opened again by the next run.
    needed = (
        writes.open_follow_up
        + (writes.add_label and info.get("label_id") is None)
        + bool(writes.add_label or writes.remove_label or writes.comment or writes.open_follow_up)
        + bool(writes.close_follow_up)
    )
    gh.reserve_writes(needed, why=f"bring #{p.number}'s yolo label, comment and follow-up issue up to date")
    opened: Issue | None = None
    if writes.open_follow_up:
        issue = opened = gh.create_issue(
            repo,
            title=FOLLOW_UP_TITLE.format(number=p.number, title=pull.title)[:256],
            body=follow_up_body(repo, pull, verdict),
            assignees=(p.merged_by,) if p.merged_by and not is_bot(p.merged_by) else (),
            marker=marker(FOLLOW_UP_KIND, pr=str(p.number)),
            trusted_author=config.trusted,
        )
        follow_up = issue.number or None
        done.append(f"open follow-up issue #{issue.number or '(new)'} for #{p.number}")
        writes.comment = render_comment(pull, verdict, follow_up)
    variables: dict[str, Any] = {}
    lines: dict[str, str] = {}
    if writes.add_label:
        label_id = info.get("label_id")
        if label_id is None:
            label_id = gh.create_label(repo, label, color=LABEL_COLOR, description=LABEL_DESCRIPTION)
            info["label_id"] = label_id
        variables["addLabels"] = {"labelableId": pull.node_id, "labelIds": [label_id or "(new label)"]}
        lines["addLabels"] = f"add label {label} to #{p.number}"
    if writes.remove_label:
        ids = [i for n, i in pull.label_ids.items() if n.casefold() == label.casefold()]
        variables["removeLabels"] = {"labelableId": pull.node_id, "labelIds": ids}
        lines["removeLabels"] = f"remove label {label} from #{p.number}"
    if writes.comment is not None:
        if kept is None:
            variables["newComment"] = {"subjectId": pull.node_id, "body": writes.comment}
            lines["newComment"] = f"comment on #{p.number}"
        else:
            variables["editComment"] = {"id": kept.node_id, "body": writes.comment}
            lines["editComment"] = f"update the yolo comment on #{p.number}"
    if variables:
        data, errors = gh.mutate(
            mutation(list(variables)),
            variables,
            why="; ".join(lines.values()),
            repeatable=repeatable(list(variables)),
        )
        failed = failed_parts(errors, list(variables), data, dry_run=gh.dry_run)
        done += [line for alias, line in lines.items() if alias not in failed]
        if failed:
            what = "; ".join(lines[alias] for alias in failed)
            messages = "; ".join(dict.fromkeys(message for message, _kind in failed.values()))
            raise GitHubError(
                f"could not {what}: {messages}. Done: {'; '.join(done) or 'nothing'}. Re-running is safe."
            )
    posted = ((data.get("newComment") or {}).get("commentEdge") or {}).get("node") if variables else None
    if not gh.dry_run and (opened is not None or posted):
        follow_up = settle(gh, repo, config, p.number, opened, (posted or {}).get("id"), done)
        return done, follow_up
    if writes.close_follow_up:
        gh.update_issue(
            repo,
            writes.close_follow_up,
            state="closed",
            state_reason="completed",
            why=f"close follow-up issue #{writes.close_follow_up} (reviewed after the merge)",
        )
        done.append(f"close follow-up issue #{writes.close_follow_up}")
    return done, follow_up


def settle(
    gh: GitHub,
    repo: str,
    config: Config,
    number: int,
    opened: Issue | None,
    posted: str | None,
    done: list[str],
) -> int | None:
    """Converge with runs that checked the same pull request at the same moment (gh_ops.converge):
    after creating a follow-up issue or the comment, one read of the pull request with its newest
    comments and of the newest issues. The oldest follow-up issue and the oldest comment stand; this
    run closes its newer issue as a duplicate and merges its newer comment into the oldest. Then the
    label, the comment and the follow-up issue are brought to what that read shows (a review that
    arrived meanwhile wins over this run's first read). Returns the follow-up issue that stands."""
    settings = config.section(YoloSettings)
    data = gh.graphql_existing(
        q.YOLO_SETTLE_QUERY + q.YOLO_PULL_FRAGMENT,
        {**owner_name(repo), "number": number, "label": settings.label},
        why=f"read #{number}'s comments and the newest issues after writing",
        needs=("repository", "pullRequest"),
        missing=f"{repo} has no pull request #{number}, or the token cannot see it",
    )
    repository = data["repository"]
    pull = q.pull_from_json(repository["pullRequest"])
    say = done.append
    follow_ups = [
        issue
        for issue in q.issues_from_json(repository.get("newestIssues"))
        if config.trusted(issue.author) and read_marker(issue.body) == (FOLLOW_UP_KIND, {"pr": str(number)})
    ]
    comments = [
        c
        for c in pull.comments
        if config.trusted(c.author) and (read_marker(c.body) or ("",))[0] == COMMENT_KIND
    ]
    standing_issue: Issue | None
    if opened is not None:
        standing_issue = settle_issue(gh, repo, opened, follow_ups, say=say)
    else:
        open_ones = [i for i in follow_ups if not is_closed_duplicate(i)]
        standing_issue = min(open_ones, key=lambda i: i.number) if open_ones else None
    kept, remembered, closed = kept_comment(
        replace(pull, comments=tuple(sorted(comments, key=lambda c: c.id))), config
    )
    follow_up = standing_issue.number if standing_issue is not None else remembered
    verdict = evaluate(pull.rules, settings)
    close = (
        verdict.cleared
        and standing_issue is not None
        and standing_issue.state == "open"
        and not (closed and remembered == follow_up)
    )
    body = render_comment(
        pull, verdict, follow_up, follow_up_closed=bool(follow_up) and (closed or close or verdict.cleared)
    )
    with gh.repairing():
        mine = next((c for c in comments if posted and c.node_id == posted), None)
        if mine is not None:
            standing = settle_comment(gh, repo, number, replace(mine, body=body), comments, say=say)
            if standing.id == mine.id and mine.body != body:
                gh.update_comment(repo, mine.id, body, why=f"update the yolo comment on #{number}")
        elif kept is not None and kept.body.strip() != body.strip():
            gh.update_comment(repo, kept.id, body, why=f"update the yolo comment on #{number}")
        flagged = verdict.yolo and not verdict.cleared and not verdict.emergency
        has_label = any(n.casefold() == settings.label.casefold() for n in pull.label_ids)
        label_id = (repository.get("yoloLabel") or {}).get("id")
        if flagged != has_label and (label_id or not flagged):
            part = "addLabels" if flagged else "removeLabels"
            ids = (
                [label_id]
                if flagged
                else [i for n, i in pull.label_ids.items() if n.casefold() == settings.label.casefold()]
            )
            what = (
                f"add label {settings.label} to #{number}"
                if flagged
                else f"remove label {settings.label} from #{number}"
            )
            _, errors = gh.mutate(
                mutation([part]),
                {part: {"labelableId": pull.node_id, "labelIds": ids}},
                why=what,
                repeatable=True,
            )
            if errors:
                raise GitHubError(
                    f"could not {what}: {errors[0].get('message') or errors[0]}. Re-running is safe."
                )
            done.append(what)
        if close and standing_issue is not None:
            gh.update_issue(
                repo,
                standing_issue.number,
                state="closed",
                state_reason="completed",
                why=f"close follow-up issue #{standing_issue.number} (reviewed after the merge)",
            )
            done.append(f"close follow-up issue #{standing_issue.number}")
    return follow_up


@dataclass
class CheckResult:
    outcomes: list[Outcome] = field(default_factory=list)
    why_not: str = ""


def read_pull(gh: GitHub, repo: str, number: int, config: Config) -> tuple[dict[str, Any], PullInfo]:
    data = gh.graphql_existing(
        q.YOLO_PULL_QUERY + q.YOLO_PULL_FRAGMENT,
        {**owner_name(repo), "number": number, "label": config.section(YoloSettings).label},
        why=f"read pull request #{number}",
        needs=("repository", "pullRequest"),
        missing=f"{repo} has no pull request #{number}, or the token cannot see it",
    )
    repository = data["repository"]
    info = {
        "default_branch": (repository.get("defaultBranchRef") or {}).get("name"),
        "label_id": (repository.get("yoloLabel") or {}).get("id"),
    }
    return info, q.pull_from_json(repository["pullRequest"])


def check_pull(gh: GitHub, config: Config, repo: str, number: int, *, say: Say) -> Outcome | None:
    """Evaluate one merged pull request and bring its label, comment and follow-up issue up to date."""
    info, pull = read_pull(gh, repo, number, config)
    if not pull.merged:
        say(f"nothing to do: #{number} is not merged")
        return None
    if info["default_branch"] and pull.rules.base != info["default_branch"]:
        say(f"nothing to do: #{number} was merged into {pull.rules.base}, not the default branch")
        return None
    verdict = evaluate(pull.rules, config.section(YoloSettings))
    writes = plan(pull, verdict, config)
    done, follow_up = apply(gh, repo, info, pull, writes, config, verdict) if writes.any() else ([], None)
    p = pull.rules
    for line in done:
        say(("would " if gh.dry_run else "") + line)
    return Outcome(
        repo,
        p.number,
        pull.merge_sha or p.head,
        p.author,
        p.merged_by,
        verdict,
        done,
        follow_up or kept_comment(pull, config)[1],
    )


def check_push(
    gh: GitHub, settings: YoloSettings, repo: str, push: PushToCheck, *, warn: Say
) -> list[Outcome]:
    """Every commit of a push to the default branch: those no merged pull request brought are direct
    pushes; a forced push is reported with the tips before and after it. Reads the branch's history
    from the pushed tip, 100 commits (1 point) a request, until every pushed commit is found."""
    ref, after = push.ref, push.after
    branches = {b for b in (push.default_branch, ref.removeprefix("refs/heads/")) if b}
    missing = dict.fromkeys(push.commits)  # in the order the event lists them
    outcomes: list[Outcome] = []
    cursor: str | None = None
    count = max(1, min(HISTORY_PAGE, len(missing)))
    pages = 0
    while missing and pages < PUSH_PAGES:
        pages += 1
        data = gh.graphql(
            q.YOLO_PUSH_QUERY + q.YOLO_COMMIT_FRAGMENT,
            {**owner_name(repo), "after": after, "count": count, "cursor": cursor},
            why=f"read the commits of the push to {ref}" + (f" (page {pages})" if pages > 1 else ""),
        )
        repository = data.get("repository") or {}
        default = (repository.get("defaultBranchRef") or {}).get("name")
        history = ((repository.get("object") or {}).get("history")) or {}
        for node in history.get("nodes") or []:
            if node["oid"] not in missing:
                continue
            del missing[node["oid"]]
            if q.pull_that_landed(node, branches | ({default} if default else set())) is None:
                outcomes.append(direct_push(repo, node, settings))
        page = history.get("pageInfo") or {}
        if not page.get("hasNextPage") or not page.get("endCursor"):
            break
        cursor, count = page["endCursor"], HISTORY_PAGE
    if missing:
        shown = ", ".join(sha[:7] for sha in list(missing)[:5]) + (", ..." if len(missing) > 5 else "")
        warn(
            f"{len(missing)} pushed commit(s) not found in the {pages * HISTORY_PAGE} newest "
            f"commits of {ref}, not checked: {shown}"
        )
    if push.forced:
        author = push.pusher
        verdict = evaluate_push(author=author, message="", cfg=settings, forced=True)
        verdict = Verdict((FORCE_PUSH,), verdict.emergency, verdict.emergency_reason)
        outcomes.append(Outcome(repo, None, after, author, None, verdict, before=push.before, after=after))
    return outcomes


def direct_push(repo: str, node: dict[str, Any], settings: YoloSettings) -> Outcome:
    """A commit on the default branch that no merged pull request brought."""
    author = q.git_author(node.get("author"))
    verdict = evaluate_push(author=author, message=node.get("message") or "", cfg=settings)
    return Outcome(repo, None, node["oid"], author, None, verdict)


def check(
    ctx: Context,
    repo: str,
    *,
    number: int | None = None,
    event_name: str | None = None,
    payload: dict[str, Any] | None = None,
) -> CheckResult:
    """The event's change(s): a merged pull request, the commits of a push, or a post-merge review.
    Events that cannot be a yolo merge cost no request."""
    if number is not None:
        outcome = check_pull(ctx.github(), ctx.config, repo, number, say=ctx.say)
        return CheckResult(
            [outcome] if outcome else [], "" if outcome else "not a merge into the default branch"
        )
    payload = payload or {}
    if event_name not in EVENTS:
        raise UsageError(
            f"yolo check runs on {', '.join(EVENTS)} events, not {event_name or 'no event'}: "
            "pass --pr N to check one merged pull request"
        )
    if event_name == "push":
        push = push_to_check(payload)
        if isinstance(push, str):
            ctx.say(f"nothing to do: {push}")
            return CheckResult()
        settings = ctx.config.section(YoloSettings)
        return CheckResult(check_push(ctx.github(), settings, repo, push, warn=ctx.warn))
    merged = merged_pull_of(event_name, payload)
    if isinstance(merged, str):
        return CheckResult(why_not=merged)
    outcome = check_pull(ctx.github(), ctx.config, repo, merged, say=ctx.say)
    return CheckResult([outcome] if outcome else [])


@dataclass
class _Due:
    """What the audit's next requests read, by node id: pull requests (their first read), then the
    commits whose parents or matched co-authors decide a verdict. At most 100 of each a request."""

    pulls: list[str] = field(default_factory=list)
    parents: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)

    def take(self) -> dict[str, list[str]]:
        taken = {
            "pulls": self.pulls[:NODES],
            "parents": self.parents[:NODES],
            "authors": self.authors[:NODES],
        }
        del self.pulls[:NODES], self.parents[:NODES], self.authors[:NODES]
        return taken

    def __bool__(self) -> bool:
        return bool(self.pulls or self.parents or self.authors)


@dataclass
class _Found:
    """What the audit read of its pull requests: each one's first read, and what the second pass
    confirmed of some of their commits (by oid)."""

    pulls: dict[str, PullInfo] = field(default_factory=dict)  # by node id
    commit_oids: dict[str, str] = field(default_factory=dict)  # commit node id -> oid
    parents: dict[str, int] = field(default_factory=dict)
    authors: dict[str, tuple[str, ...]] = field(default_factory=dict)
    asked: set[str] = field(default_factory=set)  # commit node ids already due
    missing: set[str] = field(default_factory=set)  # oids of commits asked for that GitHub did not return

    def read(
        self, data: dict[str, Any], asked: dict[str, list[str]], settings: YoloSettings, due: _Due
    ) -> None:
        """Take an answer in; queue the commits a pull request's verdict still depends on."""
        for node_id, node in zip(asked["pulls"], data.get("pulls") or [], strict=False):
            if not node:
                continue
            pull = q.pull_from_json(node)
            self.pulls[node_id] = pull
            ids = q.commit_ids(node)
            self.commit_oids.update({commit_id: oid for oid, commit_id in ids.items()})
            todo = commits_to_confirm(pull.rules, settings)
            for oids, queue, kind in ((todo.parents, due.parents, "p"), (todo.authors, due.authors, "a")):
                for oid in oids:
                    if oid in ids and (kind + ids[oid]) not in self.asked:
                        self.asked.add(kind + ids[oid])
                        queue.append(ids[oid])
        for commit_id, node in _answers(asked["parents"], data.get("parents")):
            oid = self.commit_oids[commit_id]
            if node:
                self.parents[oid] = q.parents_count(node)
            else:
                self.missing.add(oid)
        for commit_id, node in _answers(asked["authors"], data.get("authors")):
            oid = self.commit_oids[commit_id]
            if node:
                self.authors[oid] = q.matched_authors(node)
            else:
                self.missing.add(oid)

    def confirmed(self, node_id: str, number: int, repo: str) -> MergedPull:
        """A pull request as the rules see it, with what the second pass read of its commits."""
        if node_id not in self.pulls:
            raise GitHubError(f"GitHub did not return pull request #{number} of {repo}: run the audit again")
        pull = self.pulls[node_id].rules
        lost = [c.oid for c in pull.commits if c.oid in self.missing]
        if lost:
            raise GitHubError(
                f"GitHub did not return commit {lost[0][:7]} of pull request #{number} of {repo}: "
                "run the audit again"
            )
        commits = tuple(
            replace(c, parents=self.parents.get(c.oid, c.parents), authors=self.authors.get(c.oid, c.authors))
            for c in pull.commits
        )
        return replace(pull, commits=commits)


def _answers(asked: list[str], nodes: Any) -> list[tuple[str, dict[str, Any] | None]]:
    """Each id asked for with its node in a `nodes(ids:)` answer (None: not returned)."""
    given = nodes if isinstance(nodes, list) else []
    return [(node_id, given[i] if i < len(given) else None) for i, node_id in enumerate(asked)]


def audit_repo(gh: GitHub, settings: YoloSettings, repo: str, since: datetime, *, say: Say) -> list[Outcome]:
    """Every change on the default branch since a date. A pull request merged with several commits
    (a merge commit, a rebase) is one change.

    One request per 100 commits: the page's commits with the pull requests associated with each
    (1 point), the first read of the pull requests the page before found (3 points per 100: reviews,
    labels, commits without their parents or matched co-authors), and the parents or co-authors of
    the few commits that decide a verdict (rules.commits_to_confirm; 1 point per 100); one or two
    more requests for what the last pages found."""
    changes: list[Outcome | tuple[str, int, str]] = []  # in history order; (id, number, sha): details due
    found = _Found()
    due = _Due()
    seen: set[str] = set()
    after = None
    history_left = True
    stamp = _stamp(since)
    while history_left or due:
        asked = due.take()
        if not history_left:
            data = gh.graphql(
                q.YOLO_PULLS_QUERY
                + q.YOLO_AUDIT_PULL_FRAGMENT
                + q.YOLO_COMMIT_PARENTS_FRAGMENT
                + q.YOLO_COMMIT_AUTHORS_FRAGMENT,
                asked,
                why=f"read what {len(asked['pulls']) or 'the'} last pull request(s) of the history of "
                f"{repo} need",
            )
            found.read(data, asked, settings, due)
            continue
        data = gh.graphql_existing(
            q.YOLO_HISTORY_QUERY
            + q.YOLO_COMMIT_FRAGMENT
            + q.YOLO_AUDIT_PULL_FRAGMENT
            + q.YOLO_COMMIT_PARENTS_FRAGMENT
            + q.YOLO_COMMIT_AUTHORS_FRAGMENT,
            {**owner_name(repo), "since": stamp, "after": after, "pageSize": HISTORY_PAGE, **asked},
            why=f"read the history of {repo}",
            needs=("repository",),
            missing=f"{repo} does not exist or the token cannot see it",
        )
        repository = data["repository"]
        found.read(data, asked, settings, due)
        branch = repository.get("defaultBranchRef") or {}
        history = ((branch.get("target") or {}).get("history")) or {}
        default = branch.get("name")
        for node in history.get("nodes") or []:
            pull = q.pull_that_landed(node, {default} if default else set())
            if pull is None:
                changes.append(direct_push(repo, node, settings))
            elif pull["id"] not in seen:
                seen.add(pull["id"])
                due.pulls.append(pull["id"])
                changes.append((pull["id"], pull["number"], node["oid"]))
        page = history.get("pageInfo") or {}
        history_left = bool(page.get("hasNextPage"))
        after = page.get("endCursor")
    records: list[Outcome] = []
    for change in changes:
        if isinstance(change, Outcome):
            records.append(change)
            continue
        node_id, number, sha = change
        p = found.confirmed(node_id, number, repo)
        records.append(Outcome(repo, p.number, sha, p.author, p.merged_by, evaluate(p, settings)))
    say(f"{repo}: {len(records)} change(s) since {since.date().isoformat()}")
    return records


def active_repositories(gh: GitHub, org: str, since: datetime, *, say: Say) -> list[str]:
    """The repositories of an organization (not archived) whose default branch has a commit since a
    moment: the only ones an audit of the period has anything to read in. One request (1 point) per
    100 repositories."""
    active, quiet, archived = [], 0, 0
    after = None
    while True:
        data = gh.graphql_existing(
            q.YOLO_ACTIVE_REPOSITORIES_QUERY,
            {"org": org, "since": _stamp(since), "after": after},
            why=f"list the repositories of {org} with commits since {since.date().isoformat()}",
            needs=("organization",),
            missing=f"{org} is not an organization the token can see",
        )
        repositories = data["organization"].get("repositories") or {}
        for node in repositories.get("nodes") or []:
            if not node:
                continue
            history = ((((node.get("defaultBranchRef") or {}).get("target")) or {}).get("history")) or {}
            if node.get("isArchived"):
                archived += 1
            elif history.get("nodes"):
                active.append(str(node["nameWithOwner"]))
            else:
                quiet += 1
        page = repositories.get("pageInfo") or {}
        if not page.get("hasNextPage"):
            break
        after = page.get("endCursor")
    say(
        f"{org}: {len(active) + quiet} repositories, {len(active)} with commits since "
        f"{since.date().isoformat()}" + (f" ({archived} archived, skipped)" if archived else "")
    )
    return active


def _stamp(moment: datetime) -> str:
    """A moment as GitHub's GitTimestamp, in UTC to the second."""
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


class AuditStopped(GitHubError):
    """GitHub's hourly budget ran out mid-audit (RateLimited): what was covered, and what is left.

    `result` holds only the repositories audited in full; the one in progress when the budget ran
    out starts again in the resumed run, so that resuming reads every commit once."""

    def __init__(self, cause: RateLimited, result: AuditResult, covered: list[str], left: list[str]) -> None:
        super().__init__(cause.message, status=cause.status)
        self.cause = cause
        self.result = result
        self.covered = covered
        self.left = left


def audit(
    ctx: Context, repos: list[str], since: datetime
) -> tuple[AuditResult, PerRepository[list[Outcome]]]:
    """`yolo audit`: every change to the default branch of these repositories since a date. GitHub
    failing for one repository does not stop the others (the caller reports, then raises); its
    hourly budget running out stops them all (AuditStopped)."""
    gh, settings = ctx.github(), ctx.config.section(YoloSettings)
    audited: PerRepository[list[Outcome]] = PerRepository()
    for index, repo in enumerate(repos):
        try:
            audited.results[repo] = audit_repo(gh, settings, repo, since, say=ctx.info)
        except RateLimited as exc:
            partial = AuditResult(since, [r for records in audited.results.values() for r in records])
            partial.failed = list(audited.failures)
            left = [*audited.failures, *repos[index:]]
            raise AuditStopped(exc, partial, list(audited.results), left) from None
        except GitHubError as exc:
            if len(repos) == 1:
                raise
            audited.failures[repo] = exc
            ctx.info(f"{repo}: GitHub failed, going on (listed at the end): {exc.message}")
    result = AuditResult(since, [record for records in audited.results.values() for record in records])
    result.failed = list(audited.failures)
    return result, audited
