"""The yolo-merge rules without GitHub: each reason code, co-authors, stale and fresh approvals,
dismissed reviews, bots, the emergency path, and the three ways of merging."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from gh_ops.models import Review
from gh_ops.yolo import rules as yolo
from gh_ops.yolo.rules import MergedPull, PullCommit, emergency_of
from gh_ops.yolo.settings import YoloSettings

CFG = YoloSettings()
T0 = datetime(2026, 11, 24, 9, tzinfo=UTC)
MERGED_AT = T0 + timedelta(hours=5)
HEAD = "c" * 40


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def commit(
    oid: str, message: str = "Change the thing", author: str | None = "maya", parents: int = 1
) -> PullCommit:
    return PullCommit(oid * 40 if len(oid) == 1 else oid, message, author, parents)


def review(author: str, state: str = "APPROVED", on: str = HEAD, hours: float = 2) -> Review:
    return Review(author=author, state=state, submitted_at=at(hours), commit=on * 40 if len(on) == 1 else on)


def pull(*reviews: Review, **fields: object) -> MergedPull:
    base: dict[str, object] = {
        "number": 7,
        "author": "maya",
        "merged_by": "maya",
        "merged_at": MERGED_AT,
        "head": HEAD,
        "base": "main",
        "body": "Fix the flaky export.",
        "labels": (),
        "commits": (commit("a"), commit("b"), commit("c")),
        "reviews": reviews,
    }
    base.update(fields)
    return MergedPull(**base)  # type: ignore[arg-type]


def reasons(p: MergedPull, cfg: YoloSettings = CFG) -> tuple[str, ...]:
    return yolo.evaluate(p, cfg).reasons


# --- approvals ----------------------------------------------------------------------------------


def test_an_approval_on_the_head_from_someone_else_is_a_review() -> None:
    verdict = yolo.evaluate(pull(review("alice")), CFG)
    assert verdict.reasons == () and verdict.approvers == ("alice",) and not verdict.yolo


def test_no_review_at_all_is_no_approval() -> None:
    assert reasons(pull()) == ("no-approval",)


def test_a_merge_by_someone_else_is_not_a_review() -> None:
    assert reasons(pull(merged_by="alice")) == ("no-approval",)


def test_comments_are_not_approvals() -> None:
    assert reasons(pull(review("alice", "COMMENTED"))) == ("no-approval",)


def test_an_approval_by_the_author_only_is_self_approval() -> None:
    assert reasons(pull(review("maya"))) == ("self-approval-only",)


def test_a_co_author_by_trailer_cannot_approve() -> None:
    message = "Fix export\n\nCo-authored-by: Alice Example <12345+alice@users.noreply.github.com>"
    p = pull(review("alice"), commits=(commit("a"), commit("b"), commit("c", message)))
    assert reasons(p) == ("self-approval-only",)


def test_a_co_author_named_by_login_cannot_approve_and_case_does_not_matter() -> None:
    message = "Fix export\n\nco-authored-by: Alice <alice@example.com>"
    p = pull(review("ALICE"), commits=(commit("c", message),))
    assert reasons(p) == ("self-approval-only",)


def test_someone_who_pushed_commits_to_the_pull_request_cannot_approve_it() -> None:
    p = pull(review("alice"), commits=(commit("a"), commit("c", author="alice")))
    assert reasons(p) == ("self-approval-only",)


def test_a_co_author_does_not_spoil_another_reviewers_approval() -> None:
    message = "Fix\n\nCo-authored-by: alice <alice@example.com>"
    p = pull(review("alice"), review("bob"), commits=(commit("c", message),))
    assert reasons(p) == () and yolo.evaluate(p, CFG).approvers == ("bob",)


def test_co_author_trailers_are_read_from_any_line() -> None:
    message = (
        "Title\n\nbody\nCo-authored-by: Bob B <bob@example.com>\n"
        "Co-Authored-By: 9+carol@users.noreply.github.com <9+carol@users.noreply.github.com>\n"
    )
    assert yolo.co_authors(message) == ("Bob B", "carol")


# --- stale and fresh ----------------------------------------------------------------------------


def test_an_approval_before_more_commits_is_stale() -> None:
    assert reasons(pull(review("alice", on="a"))) == ("stale-approval",)


def test_only_merges_of_the_base_branch_after_an_approval_keep_it_fresh() -> None:
    merges = (
        commit("b", "Merge branch 'main' into fix-export", parents=2),
        commit("c", "Merge remote-tracking branch 'origin/main' into fix-export", parents=2),
    )
    p = pull(review("alice", on="a"), commits=(commit("a"), *merges))
    assert reasons(p) == ()


def test_a_merge_of_another_branch_makes_the_approval_stale() -> None:
    p = pull(
        review("alice", on="a"),
        commits=(commit("a"), commit("c", "Merge branch 'feature-x' into fix-export", parents=2)),
    )
    assert reasons(p) == ("stale-approval",)


def test_a_commit_titled_like_a_merge_but_with_one_parent_is_new_code() -> None:
    p = pull(review("alice", on="a"), commits=(commit("a"), commit("c", "Merge branch 'main' into x")))
    assert reasons(p) == ("stale-approval",)


def test_an_approval_on_a_commit_force_pushed_away_is_stale() -> None:
    assert reasons(pull(review("alice", on="f"))) == ("stale-approval",)


def test_any_approval_mode_accepts_an_approval_on_older_code() -> None:
    cfg = replace(CFG, approval="any-approval")
    assert reasons(pull(review("alice", on="a")), cfg) == ()


def test_one_fresh_approval_is_enough_beside_a_stale_one() -> None:
    assert reasons(pull(review("alice", on="a"), review("bob"))) == ()


# --- latest opinion -----------------------------------------------------------------------------


def test_changes_requested_after_the_approval_withdraws_it() -> None:
    p = pull(review("alice", hours=1), review("alice", "CHANGES_REQUESTED", hours=2))
    assert reasons(p) == ("no-approval", "changes-requested")


def test_a_comment_after_an_approval_keeps_it() -> None:
    assert reasons(pull(review("alice", hours=1), review("alice", "COMMENTED", hours=2))) == ()


def test_a_dismissed_approval_does_not_count() -> None:
    assert reasons(pull(review("alice", "DISMISSED"))) == ("no-approval",)


def test_an_approval_after_asking_for_changes_counts() -> None:
    assert reasons(pull(review("alice", "CHANGES_REQUESTED", hours=1), review("alice", hours=2))) == ()


def test_an_approval_with_someone_else_still_asking_for_changes_counts_as_reviewed() -> None:
    """GitHub's own rule: branch protection would block it, but a valid approval is a review."""
    assert reasons(pull(review("alice"), review("bob", "CHANGES_REQUESTED"))) == ()


def test_a_stale_approval_and_changes_requested_are_both_reported() -> None:
    p = pull(review("alice", on="a"), review("bob", "CHANGES_REQUESTED", on="a"))
    assert reasons(p) == ("stale-approval", "changes-requested")


def test_a_bots_approval_is_not_a_human_review() -> None:
    assert reasons(pull(review("review-bot[bot]"))) == ("no-approval",)


def test_reviews_after_the_merge_do_not_change_the_reasons_but_clear_the_flag() -> None:
    verdict = yolo.evaluate(pull(review("alice", hours=8)), CFG)
    assert verdict.reasons == ("no-approval",)
    assert verdict.post_merge_reviewers == ("alice",) and verdict.cleared


def test_a_post_merge_approval_by_the_author_does_not_clear() -> None:
    verdict = yolo.evaluate(pull(review("maya", hours=8)), CFG)
    assert verdict.post_merge_reviewers == () and not verdict.cleared


# --- bots -----------------------------------------------------------------------------------------


def test_an_allowed_bot_passes_without_review() -> None:
    assert reasons(pull(author="dependabot[bot]")) == ()


def test_a_bot_outside_the_allow_list_is_reported() -> None:
    assert reasons(pull(author="renovate[bot]")) == ("bot-not-allowed",)


def test_a_bot_outside_the_allow_list_passes_with_a_human_approval() -> None:
    assert reasons(pull(review("alice"), author="renovate[bot]")) == ()


def test_the_allow_list_is_configurable() -> None:
    cfg = replace(CFG, allow_bots=("renovate[bot]",))
    assert reasons(pull(author="renovate[bot]"), cfg) == ()
    assert reasons(pull(author="dependabot[bot]"), cfg) == ("bot-not-allowed",)


# --- emergency ------------------------------------------------------------------------------------


def test_the_emergency_label_records_an_emergency() -> None:
    verdict = yolo.evaluate(pull(labels=("Emergency",)), CFG)
    assert verdict.reasons == ("no-approval",) and verdict.emergency and not verdict.unexcused


def test_an_emergency_line_in_the_body_records_an_emergency_with_its_reason() -> None:
    verdict = yolo.evaluate(pull(body="Fix login.\n\n**Emergency:** checkout is down for everyone\n"), CFG)
    assert verdict.emergency and verdict.emergency_reason == "checkout is down for everyone"


def test_an_emergency_line_without_a_reason_is_not_an_emergency() -> None:
    verdict = yolo.evaluate(pull(body="Emergency:\n"), CFG)
    assert not verdict.emergency and verdict.unexcused


def test_a_configured_emergency_label() -> None:
    cfg = replace(CFG, emergency_label="hotfix")
    assert yolo.evaluate(pull(labels=("hotfix",)), cfg).emergency
    assert not yolo.evaluate(pull(labels=("emergency",)), cfg).emergency


# --- squash, rebase, merge commit -----------------------------------------------------------------


@pytest.mark.parametrize("method", ["squash", "rebase", "merge"])
def test_the_merge_method_does_not_change_the_verdict(method: str) -> None:
    """The verdict is about the pull request's head and reviews; how GitHub put the commits on
    the default branch (one squashed commit, rebased copies, or a merge commit) does not matter."""
    reviewed = pull(review("alice"))
    assert reasons(reviewed) == ()
    assert reasons(replace(reviewed, reviews=())) == ("no-approval",)


# --- pushes ---------------------------------------------------------------------------------------


def test_a_commit_without_a_pull_request_is_a_direct_push() -> None:
    assert yolo.evaluate_push(author="maya", message="fix typo", cfg=CFG).reasons == ("direct-push",)


def test_a_force_push_is_reported_as_such() -> None:
    verdict = yolo.evaluate_push(author="maya", message="x", cfg=CFG, forced=True)
    assert verdict.reasons == ("direct-push", "force-push")


def test_an_allowed_bots_direct_push_passes_but_another_bots_does_not() -> None:
    assert yolo.evaluate_push(author="dependabot[bot]", message="bump", cfg=CFG).reasons == ()
    assert yolo.evaluate_push(author="release[bot]", message="bump", cfg=CFG).reasons == (
        "bot-not-allowed",
        "direct-push",
    )


def test_a_direct_push_with_an_emergency_line_is_an_emergency() -> None:
    verdict = yolo.evaluate_push(author="maya", message="Hotfix\n\nEmergency: prod down", cfg=CFG)
    assert verdict.emergency and verdict.reasons == ("direct-push",) and not verdict.unexcused


def test_every_reason_code_is_produced_by_some_rule() -> None:
    produced = set()
    for p in (
        pull(),
        pull(review("maya")),
        pull(review("alice", on="a"), review("bob", "CHANGES_REQUESTED")),
        pull(author="renovate[bot]"),
    ):
        produced.update(reasons(p))
    produced.update(yolo.evaluate_push(author="x", message="", cfg=CFG, forced=True).reasons)
    assert produced == set(yolo.REASONS)


@pytest.mark.parametrize(
    "body",
    [
        "Emergency: no",
        "Emergency: N/A",
        "**Emergency:** none",
        "Emergency: <!-- why this could not wait for a review -->",
        "Emergency: -",
        "Emergency: <reason>",
    ],
)
def test_a_template_emergency_line_without_a_reason_is_no_emergency(body: str) -> None:
    assert emergency_of(body, (), YoloSettings()) == (False, None)


def test_an_emergency_line_with_a_reason_is_one() -> None:
    body = "Emergency: no\n\nEmergency: checkout is down for every customer"
    assert emergency_of(body, (), YoloSettings()) == (True, "checkout is down for every customer")


# --- which associated pull request brought a commit -----------------------------------------------


def _pull(
    number: int, base: str, *, merged: bool = True, merge: str = "m", head: str = "h"
) -> dict[str, Any]:
    return {
        "id": f"PR_{number}",
        "number": number,
        "merged": merged,
        "baseRefName": base,
        "headRefOid": head,
        "mergeCommit": {"oid": merge},
    }


@pytest.mark.parametrize(
    ("pulls", "brought_by"),
    [
        # merged into another branch, or not merged: not how the commit reached main
        ([_pull(1, "release", merge="c"), _pull(2, "main")], 2),
        ([_pull(1, "main", merged=False, merge="c"), _pull(2, "main")], 2),
        ([_pull(1, "release"), _pull(2, "feature")], None),
        # of those merged into main, the one whose merge commit it is, then the one whose head it is
        ([_pull(1, "main"), _pull(2, "main", merge="c")], 2),
        ([_pull(1, "main"), _pull(2, "main", head="c")], 2),
        ([_pull(1, "main", head="c"), _pull(2, "main", merge="c")], 2),
        # else the first: a commit a merge commit brought along
        ([_pull(1, "main"), _pull(2, "main")], 1),
        ([], None),
    ],
)
def test_the_pull_request_that_brought_a_commit(pulls: list[dict[str, Any]], brought_by: int | None) -> None:
    from gh_ops.yolo.queries import pull_that_landed

    commit = {"oid": "c", "associatedPullRequests": {"nodes": pulls}}
    found = pull_that_landed(commit, {"main"})
    assert (found["number"] if found else None) == brought_by


@pytest.mark.parametrize(
    "before",
    ["```html\n<p>fix</p><!-- the injected comment\n```", "The payload was `<!--` in the name field."],
    ids=["in a code block", "in inline code"],
)
def test_a_comment_opener_in_code_hides_no_emergency_reason(before: str) -> None:
    # `<!--` in code is code, as GitHub shows it: it does not hide the Emergency line below it.
    body = f"{before}\n\nEmergency: checkout is down for every customer\n"
    assert emergency_of(body, (), YoloSettings()) == (True, "checkout is down for every customer")
