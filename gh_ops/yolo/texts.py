"""What yolo merges say: the comment on a merged pull request, the follow-up issue, and the audit's
reports (Markdown, CSV, JSON)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass

from gh_ops.markup import defuse_markup, marker
from gh_ops.yolo import rules
from gh_ops.yolo.rules import COMMENT_KIND, FOLLOW_UP_KIND, AuditResult, Outcome, PullInfo

FOLLOW_UP_TITLE = "Post-merge review needed: #{number} {title}"
LABEL_COLOR = "b60205"
LABEL_DESCRIPTION = "Merged without a review by someone other than its author"


def _mention(login: str | None) -> str:
    return f"@{login}" if login else "someone"


def render_comment(
    pull: PullInfo, verdict: rules.Verdict, follow_up: int | None, *, follow_up_closed: bool = False
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
        lines += [f"- {rules.REASON_TEXT[r]} (`{r}`)" for r in verdict.reasons]
        lines += [
            "",
            "Please ask someone who did not write it to review it now: an approval on this pull "
            "request clears this flag.",
        ]
    if follow_up:
        lines += ["", f"Follow-up: #{follow_up}"]
    return "\n".join(lines) + "\n"


def follow_up_body(repo: str, pull: PullInfo, verdict: rules.Verdict) -> str:
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


def _tallies(records: list[Outcome], key: Callable[[Outcome], str]) -> dict[str, rules.Tally]:
    tallies: dict[str, rules.Tally] = {}
    for record in records:
        tallies.setdefault(key(record), rules.Tally()).add(record.verdict)
    return dict(sorted(tallies.items()))


PARTIAL = (
    "PARTIAL: GitHub's rate limit stopped the audit. Audited in full: {covered}. "
    "Not audited (the resume command on stderr covers them): {left}."
)


def _partial_line(partial: Coverage) -> str:
    return PARTIAL.format(covered=", ".join(partial.covered) or "none", left=", ".join(partial.left))


@dataclass(frozen=True)
class Coverage:
    """What an audit stopped by the rate limit covered (repositories in full) and left."""

    covered: tuple[str, ...]
    left: tuple[str, ...]


def report_json(result: AuditResult, partial: Coverage | None = None) -> str:
    records = [r.as_json() for r in result.records]
    if partial is None:
        return json.dumps(records, indent=2) + "\n"
    # An object, not the list a complete audit gives: a reader expecting the list fails loudly.
    shown = {"partial": True, "covered": list(partial.covered), "not_covered": list(partial.left)}
    return json.dumps({**shown, "records": records}, indent=2) + "\n"


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


def report_csv(result: AuditResult, partial: Coverage | None = None) -> str:
    out = io.StringIO()
    if partial is not None:  # before the header: a reader cannot take the rows for the whole audit
        out.write(f"# {_partial_line(partial)}\n")
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


NOTHING_TO_AUDIT = "Nothing to audit: no change reached the default branch since {since}."
NOTHING_IN_THE_OTHERS = "No change reached the default branch of the other repositories since {since}."


def _share(tally: rules.Tally) -> str:
    share = tally.reviewed_share
    return "-" if share is None else f"{share:.0%}"


def _cell(text: str | None) -> str:
    return defuse_markup(text or "-").replace("|", "\\|")


def report_markdown(result: AuditResult, partial: Coverage | None = None) -> str:
    records = result.records
    total = rules.Tally()
    for r in records:
        total.add(r.verdict)
    since = result.since.date().isoformat()
    lines = [f"### gh-ops yolo audit since {since}" + (" (PARTIAL)" if partial else ""), ""]
    if partial is not None:
        lines += [f"**{_partial_line(partial)}**", ""]
    if result.failed:
        lines += [f"Not audited (GitHub failed; see the log): {', '.join(result.failed)}.", ""]
    if not records:
        nothing = NOTHING_IN_THE_OTHERS if result.failed else NOTHING_TO_AUDIT
        return "\n".join([*lines, nothing.format(since=since), ""])
    lines += [
        f"{total.changes} change(s): {total.reviewed} reviewed ({_share(total)}), "
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
            lines.append(f"| {_cell(name)} | {t.changes} | {_share(t)} | {t.yolo} | {t.emergency} |")
        lines.append("")
    return "\n".join(lines)
