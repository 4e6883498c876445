"""Yolo merges on GitHub: `yolo check` on a merge, a push or a post-merge review (label, one comment
kept up to date, follow-up issue), and `yolo audit` over a period of default-branch history.

One read per event (GraphQL), then one mutation for the pull request's label and comment, plus a
REST write for the follow-up issue when one is opened or closed.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from gh_ops import yolo
from gh_ops import yolo_queries as yq
from gh_ops.config import Config
from gh_ops.dates import parse_time as _time
from gh_ops.errors import GitHubError, GraphQLNotFound, UsageError
from gh_ops.gql import failed_parts, mutation, owner_name
from gh_ops.gql import login as _login
from gh_ops.markup import defuse_markup, marker, read_marker
from gh_ops.models import Comment, Review

if TYPE_CHECKING:
    from gh_ops.github import GitHub

Say = Callable[[str], None]
EVENTS = ("pull_request", "pull_request_target", "push", "pull_request_review")
COMMENT_KIND = "yolo"
FOLLOW_UP_KIND = "yolo-follow-up"
LABEL_COLOR = "b60205"
LABEL_DESCRIPTION = "Merged without a review by someone other than its author"
FOLLOW_UP_TITLE = "Post-merge review needed: #{number} {title}"
HISTORY_PAGE = 100  # commits per audit request (GitHub's maximum)
PUSH_MAX = 100  # commits of one push read at once; a bigger push is read up to this many


# --- what GitHub says ----------------------------------------------------------------------------


def git_author(actor: dict[str, Any] | None) -> str | None:
    """A commit's author as a login: the GitHub user, else a bot's noreply address (bots are not
    users, so GitHub links no user to their commits), else None."""
    if not actor:
        return None
    user = actor.get("user") or {}
    if user.get("login"):
        return str(user["login"])
    return yolo.login_from_email(actor.get("email") or "")


@dataclass(frozen=True)
class PullInfo:
    """A merged pull request as read from GitHub: the rules' view plus what the writes need."""

    node_id: str
    title: str
    url: str
    merged: bool
    merge_sha: str | None
    label_ids: dict[str, str]  # name -> node id
    comments: tuple[Comment, ...]
    rules: yolo.MergedPull


def pull_from_json(node: dict[str, Any]) -> PullInfo:
    commits = []
    for item in (node.get("commits") or {}).get("nodes") or []:
        c = (item or {}).get("commit") or {}
        commits.append(
            yolo.PullCommit(
                oid=c.get("oid") or "",
                message=c.get("message") or "",
                author=git_author(c.get("author")),
                parents=((c.get("parents") or {}).get("totalCount")) or 1,
                authors=tuple(
                    str(user["login"])
                    for n in (c.get("authors") or {}).get("nodes") or []
                    if (user := (n or {}).get("user")) and user.get("login")
                ),
            )
        )
    reviews = tuple(Review.from_graphql(r) for r in (node.get("reviews") or {}).get("nodes") or [] if r)
    labels = {n["name"]: n["id"] for n in (node.get("labels") or {}).get("nodes") or []}
    comments = tuple(Comment.from_graphql(n) for n in (node.get("comments") or {}).get("nodes") or [] if n)
    return PullInfo(
        node_id=node.get("id") or "",
        title=node.get("title") or "",
        url=node.get("url") or "",
        merged=bool(node.get("merged")),
        merge_sha=(node.get("mergeCommit") or {}).get("oid"),
        label_ids=labels,
        comments=comments,
        rules=yolo.MergedPull(
            number=node["number"],
            author=_login(node.get("author")),
            merged_by=_login(node.get("mergedBy")),
            merged_at=_time(node.get("mergedAt")),
            head=node.get("headRefOid") or "",
            base=node.get("baseRefName") or "",
            body=node.get("body") or "",
            labels=tuple(labels),
            commits=tuple(commits),
            reviews=reviews,
        ),
    )


# --- the kept comment and the follow-up issue ----------------------------------------------------


def kept_comment(pull: PullInfo, cfg: Config) -> tuple[Comment | None, int | None, bool]:
    """gh-ops' comment on the pull request (only a trusted author's counts), the follow-up issue
    number it remembers, and whether gh-ops closed that issue already."""
    for comment in pull.comments:
        if not cfg.trusted(comment.author):
            continue
        found = read_marker(comment.body)
        if found is not None and found[0] == COMMENT_KIND:
            number = found[1].get("issue", "")
            closed = found[1].get("closed") == "yes"
            return comment, int(number) if number.isdigit() else None, closed
    return None, None, False


def _mention(login: str | None) -> str:
    return f"@{login}" if login else "someone"


def render_comment(
    pull: PullInfo, verdict: yolo.Verdict, follow_up: int | None, *, follow_up_closed: bool = False
) -> str:
    p = pull.rules
    fields = {"issue": str(follow_up)} if follow_up else {}
    if follow_up and follow_up_closed:
        fields["closed"] = "yes"  # closed once: a re-run (or a person reopening it) is left alone
    lines = [marker(COMMENT_KIND, **fields)]
    merger = _mention(p.merged_by)
    if verdict.cleared:
        who = ", ".join(f"@{r}" for r in verdict.post_merge_reviewers)
        lines += [
            "### Reviewed after the merge",
            "",
            f"{merger} merged this pull request without a review"
            + (" as an emergency" if verdict.emergency else "")
            + f"; {who} approved it after the merge. Thank you.",
        ]
    else:
        if verdict.emergency:
            reason = f" ({defuse_markup(verdict.emergency_reason)})" if verdict.emergency_reason else ""
            lines += [
                "### Emergency merge: review still needed",
                "",
                f"{merger} merged this pull request as an emergency{reason} without a review by someone "
                "other than its authors:",
            ]
        else:
            lines += [
                "### Merged without review",
                "",
                f"{merger} merged this pull request without a review by someone other than its authors:",
            ]
        lines += [f"- {yolo.REASON_TEXT[r]} (`{r}`)" for r in verdict.reasons]
        lines += [
            "",
            "Please ask someone who did not write it to review it now: an approval on this pull "
            "request clears this flag.",
        ]
    if follow_up:
        lines += ["", f"Follow-up: #{follow_up}"]
    return "\n".join(lines) + "\n"


def follow_up_body(repo: str, pull: PullInfo, verdict: yolo.Verdict) -> str:
    p = pull.rules
    kind = "an emergency" if verdict.emergency else "without a review"
    reason = (
        f"\n\nReason given: {defuse_markup(verdict.emergency_reason)}" if verdict.emergency_reason else ""
    )
    return (
        f"{marker(FOLLOW_UP_KIND, pr=str(p.number))}\n"
        f"{_mention(p.merged_by)} merged {repo}#{p.number} as {kind}.{reason}\n\n"
        "It still needs a review by someone who did not write it: please approve it (or ask for "
        "changes in a new pull request). gh-ops closes this issue when a valid approval arrives.\n"
    )


# --- the plan for one merged pull request ----------------------------------------------------------


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


def plan(pull: PullInfo, verdict: yolo.Verdict, cfg: Config) -> Writes:
    writes = Writes()
    kept, follow_up, closed = kept_comment(pull, cfg)
    has_label = any(n.casefold() == cfg.yolo.label.casefold() for n in pull.label_ids)
    flagged = verdict.yolo and not verdict.cleared
    if flagged and not verdict.emergency and not has_label:
        writes.add_label = True
    if has_label and (not flagged or verdict.emergency):
        writes.remove_label = True
    wants_issue = verdict.emergency or cfg.yolo.follow_up_issue
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


@dataclass
class Outcome:
    """What `yolo check` found and did for one change."""

    repository: str
    number: int | None
    sha: str
    author: str | None
    merged_by: str | None
    verdict: yolo.Verdict
    done: list[str] = field(default_factory=list)
    follow_up: int | None = None
    before: str | None = None  # force-push: the overwritten tip
    after: str | None = None

    def as_json(self) -> dict[str, Any]:
        record: dict[str, Any] = {
            "repository": self.repository,
            "number": self.number,
            "sha": self.sha,
            "author": self.author,
            "merged_by": self.merged_by,
            "reasons": list(self.verdict.reasons),
            "emergency": self.verdict.emergency,
            "post_merge_review_by": list(self.verdict.post_merge_reviewers),
        }
        if self.before or self.after:
            record["before"], record["after"] = self.before, self.after
        return record


def apply(
    gh: GitHub,
    repo: str,
    info: dict[str, Any],
    pull: PullInfo,
    writes: Writes,
    cfg: Config,
    verdict: yolo.Verdict,
) -> tuple[list[str], int | None]:
    """Send the writes: the follow-up issue first (the comment remembers its number), then the
    label and the comment as one mutation, then closing a follow-up issue."""
    done: list[str] = []
    p = pull.rules
    kept, follow_up, _closed = kept_comment(pull, cfg)
    if writes.open_follow_up:
        issue = gh.create_issue(
            repo,
            title=FOLLOW_UP_TITLE.format(number=p.number, title=pull.title)[:256],
            body=follow_up_body(repo, pull, verdict),
            assignees=(p.merged_by,) if p.merged_by and not yolo.is_bot(p.merged_by) else (),
            marker=marker(FOLLOW_UP_KIND, pr=str(p.number)),
            trusted_author=cfg.trusted,
        )
        follow_up = issue.number or None
        done.append(f"open follow-up issue #{issue.number or '(new)'} for #{p.number}")
        writes.comment = render_comment(pull, verdict, follow_up)
    variables: dict[str, Any] = {}
    lines: dict[str, str] = {}
    if writes.add_label:
        label_id = info.get("label_id")
        if label_id is None:
            label_id = gh.create_label(repo, cfg.yolo.label, color=LABEL_COLOR, description=LABEL_DESCRIPTION)
            info["label_id"] = label_id
        variables["addLabels"] = {"labelableId": pull.node_id, "labelIds": [label_id or "(new label)"]}
        lines["addLabels"] = f"add label {cfg.yolo.label} to #{p.number}"
    if writes.remove_label:
        ids = [i for n, i in pull.label_ids.items() if n.casefold() == cfg.yolo.label.casefold()]
        variables["removeLabels"] = {"labelableId": pull.node_id, "labelIds": ids}
        lines["removeLabels"] = f"remove label {cfg.yolo.label} from #{p.number}"
    if writes.comment is not None:
        if kept is None:
            variables["newComment"] = {"subjectId": pull.node_id, "body": writes.comment}
            lines["newComment"] = f"comment on #{p.number}"
        else:
            variables["editComment"] = {"id": kept.node_id, "body": writes.comment}
            lines["editComment"] = f"update the yolo comment on #{p.number}"
    if variables:
        data, errors = gh.mutate(mutation(list(variables)), variables, why="; ".join(lines.values()))
        failed = failed_parts(errors, list(variables), data, dry_run=gh.dry_run)
        done += [line for alias, line in lines.items() if alias not in failed]
        if failed:
            what = "; ".join(lines[alias] for alias in failed)
            messages = "; ".join(dict.fromkeys(message for message, _kind in failed.values()))
            raise GitHubError(
                f"could not {what}: {messages}. Done: {'; '.join(done) or 'nothing'}. Re-running is safe."
            )
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


# --- yolo check ----------------------------------------------------------------------------------


@dataclass
class CheckResult:
    outcomes: list[Outcome] = field(default_factory=list)
    why_not: str = ""


def read_pull(gh: GitHub, repo: str, number: int, cfg: Config) -> tuple[dict[str, Any], PullInfo]:
    try:
        data = gh.graphql(
            yq.YOLO_PULL_QUERY + yq.YOLO_PULL_FRAGMENT,
            {**owner_name(repo), "number": number, "label": cfg.yolo.label},
            why=f"read pull request #{number}",
        )
    except GraphQLNotFound:
        raise UsageError(f"{repo} has no pull request #{number}, or the token cannot see it") from None
    repository = data.get("repository") or {}
    if not repository.get("pullRequest"):
        raise UsageError(f"{repo} has no pull request #{number}")
    info = {
        "default_branch": (repository.get("defaultBranchRef") or {}).get("name"),
        "label_id": (repository.get("yoloLabel") or {}).get("id"),
    }
    return info, pull_from_json(repository["pullRequest"])


def check_pull(gh: GitHub, cfg: Config, repo: str, number: int, *, say: Say) -> Outcome | None:
    """Evaluate one merged pull request and bring its label, comment and follow-up issue up to date."""
    info, pull = read_pull(gh, repo, number, cfg)
    if not pull.merged:
        say(f"nothing to do: #{number} is not merged")
        return None
    if info["default_branch"] and pull.rules.base != info["default_branch"]:
        say(f"nothing to do: #{number} was merged into {pull.rules.base}, not the default branch")
        return None
    verdict = yolo.evaluate(pull.rules, cfg.yolo)
    writes = plan(pull, verdict, cfg)
    done, follow_up = apply(gh, repo, info, pull, writes, cfg, verdict) if writes.any() else ([], None)
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
        follow_up or kept_comment(pull, cfg)[1],
    )


def check_push(gh: GitHub, cfg: Config, repo: str, payload: dict[str, Any], *, say: Say) -> list[Outcome]:
    """Every commit of a push to the default branch: those without a merged pull request are direct
    pushes; a forced push is reported with the tips before and after it."""
    default = (payload.get("repository") or {}).get("default_branch")
    ref = payload.get("ref") or ""
    if default and ref != f"refs/heads/{default}":
        say(f"nothing to do: the push is to {ref or 'no ref'}, not the default branch {default}")
        return []
    if payload.get("deleted"):
        say("nothing to do: the push deleted the branch")
        return []
    after = payload.get("after") or ""
    before = payload.get("before") or ""
    forced = bool(payload.get("forced"))
    shas = [c.get("id") for c in payload.get("commits") or [] if isinstance(c, dict) and c.get("id")]
    if not shas and not forced:
        say("nothing to do: the push carries no new commits")
        return []
    count = max(1, min(PUSH_MAX, len(shas) or 1))
    data = gh.graphql(
        yq.YOLO_PUSH_QUERY + yq.YOLO_COMMIT_FRAGMENT + yq.YOLO_PULL_FRAGMENT,
        {**owner_name(repo), "after": after, "count": count},
        why=f"read the {count} commit(s) of the push to {ref}",
    )
    nodes = ((((data.get("repository") or {}).get("object") or {}).get("history")) or {}).get("nodes") or []
    wanted = set(shas)
    outcomes = []
    for node in nodes:
        if node["oid"] not in wanted:
            continue
        outcome = commit_outcome(repo, node, cfg, default)
        if outcome is not None:
            outcomes.append(outcome)
    if forced:
        author = (payload.get("pusher") or {}).get("name") or (payload.get("sender") or {}).get("login")
        verdict = yolo.evaluate_push(author=author, message="", cfg=cfg.yolo, forced=True)
        verdict = yolo.Verdict((yolo.FORCE_PUSH,), verdict.emergency, verdict.emergency_reason)
        outcomes.append(Outcome(repo, None, after, author, None, verdict, before=before, after=after))
    return outcomes


def commit_outcome(repo: str, node: dict[str, Any], cfg: Config, default: str | None) -> Outcome | None:
    """A default-branch commit with no merged pull request (into the default branch) is a direct
    push; a commit that came with one is judged with its pull request by the caller (None here)."""
    pulls = [
        p
        for p in ((node.get("associatedPullRequests") or {}).get("nodes") or [])
        if p and p.get("merged") and (default is None or p.get("baseRefName") == default)
    ]
    if pulls:
        return None
    author = git_author(node.get("author"))
    verdict = yolo.evaluate_push(author=author, message=node.get("message") or "", cfg=cfg.yolo)
    return Outcome(repo, None, node["oid"], author, None, verdict)


def check(
    gh_factory: Callable[[], GitHub],
    cfg: Config,
    repo: str,
    *,
    number: int | None = None,
    event_name: str | None = None,
    payload: dict[str, Any] | None = None,
    say: Say,
) -> CheckResult:
    """The event's change(s): a merged pull request, the commits of a push, or a post-merge review.
    Events that cannot be a yolo merge cost no request."""
    if number is not None:
        outcome = check_pull(gh_factory(), cfg, repo, number, say=say)
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
        return CheckResult(check_push(gh_factory(), cfg, repo, payload, say=say))
    target = payload.get("pull_request")
    if not isinstance(target, dict) or not isinstance(target.get("number"), int):
        raise UsageError(f"the {event_name} event payload has no pull request number (.pull_request.number)")
    if event_name == "pull_request_review":
        review = found if isinstance(found := payload.get("review"), dict) else {}
        if payload.get("action") != "submitted" or str(review.get("state", "")).lower() != "approved":
            return CheckResult(why_not="the review is not an approval")
        if target.get("state") == "open":
            return CheckResult(why_not=f"#{target['number']} is not merged")
    elif payload.get("action") != "closed" or not target.get("merged"):
        return CheckResult(why_not=f"#{target['number']} was not merged by this event")
    default = (payload.get("repository") or {}).get("default_branch")
    base = (target.get("base") or {}).get("ref")
    if default and base and base != default:
        return CheckResult(why_not=f"#{target['number']} was merged into {base}, not the default branch")
    outcome = check_pull(gh_factory(), cfg, repo, target["number"], say=say)
    return CheckResult([outcome] if outcome else [])


# --- yolo audit ----------------------------------------------------------------------------------


@dataclass
class AuditResult:
    since: datetime
    records: list[Outcome] = field(default_factory=list)
    requests: int = 0

    @property
    def unexcused(self) -> list[Outcome]:
        return [r for r in self.records if r.verdict.unexcused]


def audit_repo(gh: GitHub, cfg: Config, repo: str, since: datetime, *, say: Say) -> list[Outcome]:
    """Every change on the default branch since a date: one request per 100 commits. A pull request
    merged with several commits (a merge commit, a rebase) is one change."""
    records: list[Outcome] = []
    seen: set[int] = set()
    after = None
    stamp = since.isoformat(timespec="seconds")
    while True:
        try:
            data = gh.graphql(
                yq.YOLO_HISTORY_QUERY + yq.YOLO_COMMIT_FRAGMENT + yq.YOLO_PULL_FRAGMENT,
                {**owner_name(repo), "since": stamp, "after": after, "pageSize": HISTORY_PAGE},
                why=f"read the history of {repo}",
            )
        except GraphQLNotFound:
            raise UsageError(f"{repo} does not exist or the token cannot see it") from None
        repository = data.get("repository")
        if not repository:
            raise UsageError(f"{repo} does not exist or the token cannot see it")
        branch = repository.get("defaultBranchRef") or {}
        history = ((branch.get("target") or {}).get("history")) or {}
        default = branch.get("name")
        for node in history.get("nodes") or []:
            pulls = [
                p
                for p in ((node.get("associatedPullRequests") or {}).get("nodes") or [])
                if p and p.get("merged") and (default is None or p.get("baseRefName") == default)
            ]
            if not pulls:
                outcome = commit_outcome(repo, node, cfg, default)
                if outcome is not None:
                    records.append(outcome)
                continue
            pull = pull_from_json(pulls[0])
            if pull.rules.number in seen:
                continue
            seen.add(pull.rules.number)
            p = pull.rules
            verdict = yolo.evaluate(p, cfg.yolo)
            records.append(Outcome(repo, p.number, node["oid"], p.author, p.merged_by, verdict))
        info = history.get("pageInfo") or {}
        if not info.get("hasNextPage"):
            break
        after = info.get("endCursor")
    say(f"{repo}: {len(records)} change(s) since {since.date().isoformat()}")
    return records


def audit(gh: GitHub, cfg: Config, repos: list[str], since: datetime, *, say: Say) -> AuditResult:
    result = AuditResult(since)
    for repo in repos:
        result.records += audit_repo(gh, cfg, repo, since, say=say)
    return result


def _tallies(records: list[Outcome], key: Callable[[Outcome], str]) -> dict[str, yolo.Tally]:
    tallies: dict[str, yolo.Tally] = {}
    for record in records:
        tallies.setdefault(key(record), yolo.Tally()).add(record.verdict)
    return dict(sorted(tallies.items()))


def report_json(result: AuditResult) -> str:
    return json.dumps([r.as_json() for r in result.records], indent=2) + "\n"


CSV_FIELDS = (
    "repository",
    "number",
    "sha",
    "author",
    "merged_by",
    "reasons",
    "emergency",
    "post_merge_review_by",
)


def report_csv(result: AuditResult) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for r in result.records:
        record = r.as_json()
        writer.writerow(
            [
                record["repository"],
                "" if record["number"] is None else record["number"],
                record["sha"],
                record["author"] or "",
                record["merged_by"] or "",
                " ".join(record["reasons"]),
                "true" if record["emergency"] else "false",
                " ".join(record["post_merge_review_by"]),
            ]
        )
    return out.getvalue()


def _cell(text: str | None) -> str:
    return defuse_markup(text or "-").replace("|", "\\|")


def report_markdown(result: AuditResult) -> str:
    records = result.records
    total = yolo.Tally()
    for r in records:
        total.add(r.verdict)
    lines = [
        f"### gh-ops yolo audit since {result.since.date().isoformat()}",
        "",
        f"{total.changes} change(s): {total.reviewed} reviewed ({total.reviewed_share:.0%}), "
        f"{total.yolo} yolo, of which {total.emergency} emergency.",
        "",
    ]
    yolos = [r for r in records if r.verdict.yolo]
    if yolos:
        lines += [
            "| Repository | Change | Author | Merged by | Reasons | Emergency | Post-merge review |",
            "|---|---|---|---|---|---|---|",
        ]
        for r in yolos:
            change = f"#{r.number}" if r.number is not None else f"`{r.sha[:7]}`"
            review = ", ".join(r.verdict.post_merge_reviewers) or (
                "**missing**" if r.verdict.emergency else "-"
            )
            lines.append(
                f"| {r.repository} | {change} | {_cell(r.author)} | {_cell(r.merged_by)} | "
                f"{', '.join(r.verdict.reasons)} | {'yes' if r.verdict.emergency else 'no'} | {review} |"
            )
        lines.append("")
    for title, key in (
        ("By repository", lambda r: r.repository),
        ("By person", lambda r: r.merged_by or r.author or "-"),
    ):
        tallies = _tallies(records, key)
        if not tallies:
            continue
        lines += [f"#### {title}", "", "| | Changes | Reviewed | Yolo | Emergency |", "|---|---|---|---|---|"]
        for name, t in tallies.items():
            lines.append(
                f"| {_cell(name)} | {t.changes} | {t.reviewed_share:.0%} | {t.yolo} | {t.emergency} |"
            )
        lines.append("")
    return "\n".join(lines)
