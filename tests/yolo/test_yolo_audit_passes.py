"""The audit reads a pull request in two passes: first without its commits' parents and matched
co-authors (cheap), then those of the few commits its verdict depends on. Which commits those are
(rules.commits_to_confirm), and proof over generated histories that the verdicts are those of the
full read `yolo check` makes."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fakegithub import FakeGitHub, NewFake

from gh_ops.config import load_config
from gh_ops.github import GitHub
from gh_ops.models import Review
from gh_ops.yolo import run as yolo_run
from gh_ops.yolo.rules import CommitsToConfirm, MergedPull, PullCommit, commits_to_confirm, evaluate
from gh_ops.yolo.settings import YoloSettings

CFG = YoloSettings()
T0 = datetime(2026, 10, 1, 9, tzinfo=UTC)
HEAD = "c" * 40
REPO = "acme/shop"


def light(message: str, oid: str, author: str | None = "maya") -> PullCommit:
    """A commit as the first pass reads it: no parents, no matched co-authors."""
    return PullCommit(oid * 40, message, author)


def approval(author: str, on: str = HEAD, state: str = "APPROVED") -> Review:
    return Review(author=author, state=state, submitted_at=T0, commit=on if len(on) == 40 else on * 40)


def pull(*reviews: Review, commits: tuple[PullCommit, ...] | None = None, **fields: object) -> MergedPull:
    return MergedPull(
        number=7,
        author=str(fields.get("author", "maya")),
        merged_by="maya",
        merged_at=T0 + timedelta(hours=1),
        head=HEAD,
        base="main",
        commits=commits if commits is not None else (light("Start", "a"), light("Finish", "c")),
        reviews=reviews,
    )


MERGE_BASE = "Merge branch 'main' into feature"
TRAILER = "Pair work\n\nCo-authored-by: Bob <bob@work.example>"


def test_an_approval_on_the_head_with_plain_commits_needs_nothing_more() -> None:
    assert commits_to_confirm(pull(approval("alice")), CFG) == CommitsToConfirm()
    assert not commits_to_confirm(pull(), CFG)  # no review: no-approval, whatever the commits
    # Only the author's own approvals: they are an author whatever the commits say.
    assert not commits_to_confirm(pull(approval("maya")), CFG)


def test_an_approval_before_only_base_merges_needs_their_parents() -> None:
    commits = (light("Start", "a"), light(MERGE_BASE, "b"), light(MERGE_BASE, "c"))
    found = commits_to_confirm(pull(approval("alice", on="a"), commits=commits), CFG)
    assert found == CommitsToConfirm(parents=("b" * 40, "c" * 40))
    # A commit after it that is not a merge of the base makes it stale, whatever the parents.
    commits = (light("Start", "a"), light(MERGE_BASE, "b"), light("More", "c"))
    assert not commits_to_confirm(pull(approval("alice", on="a"), commits=commits), CFG)
    # On a commit force-pushed away: stale; and any approval counts in the any-approval mode.
    assert not commits_to_confirm(pull(approval("alice", on="f"), commits=commits), CFG)
    commits = (light("Start", "a"), light(MERGE_BASE, "c"))
    assert not commits_to_confirm(
        pull(approval("alice", on="a"), commits=commits), replace(CFG, approval="any-approval")
    )


def test_a_co_authored_commit_needs_its_matched_authors_when_a_reviewer_may_be_one() -> None:
    commits = (light(TRAILER, "a"), light("Finish", "c"))
    assert commits_to_confirm(pull(approval("alice"), commits=commits), CFG) == CommitsToConfirm(
        authors=("a" * 40,)
    )
    # A reviewer asking for changes may be a co-author too (then it does not count).
    changes = approval("alice", state="CHANGES_REQUESTED")
    assert commits_to_confirm(pull(changes, commits=commits), CFG).authors == ("a" * 40,)
    # Every reviewer already certainly an author (the git author of a commit): nothing to confirm.
    commits = (light(TRAILER, "a"), light("Finish", "c", author="alice"))
    assert not commits_to_confirm(pull(approval("alice"), commits=commits), CFG)
    # A commented review states no opinion.
    assert not commits_to_confirm(pull(approval("bob", state="COMMENTED"), commits=commits), CFG)


def test_a_base_merge_counts_among_the_authors_only_if_it_is_not_one() -> None:
    """alice wrote a commit whose message says it merges the base: if it has two parents it brings
    reviewed code and alice is no author; with one parent she is, and her approval is her own."""
    commits = (light("Start", "a"), light(MERGE_BASE, "b", author="alice"), light("Finish", "c"))
    assert commits_to_confirm(pull(approval("alice"), commits=commits), CFG) == CommitsToConfirm(
        parents=("b" * 40,)
    )


def test_an_allowed_bots_pull_request_needs_nothing() -> None:
    commits = (light(TRAILER, "a"), light(MERGE_BASE, "c"))
    bot = pull(approval("alice", on="a"), commits=commits, author="dependabot[bot]")
    assert not commits_to_confirm(bot, CFG)


# --- the two passes against the full read, over generated histories -----------------------------

PEOPLE = ("maya", "alice", "bob", "carol", "dan")
MESSAGES = (
    "Plain change",
    "Plain change",
    MERGE_BASE,
    "Merge remote-tracking branch 'origin/main' into feature",
    "Pairing\n\nCo-authored-by: Robert Smith <bob@work.example>",
    "Pairing\n\nCo-authored-by: Carol <99+carol@users.noreply.github.com>",
    "Pairing\n\nCo-authored-by: Someone <someone@nowhere.example>",
    "Pairing\n\nCo-authored-by: alice <alice@elsewhere.example>",
)


def generate(fake: FakeGitHub, rng: random.Random, pulls: int) -> None:
    """Merged pull requests with random commits (plain, merges of the base with two parents or
    one, co-authored with noreply, matched or unknown addresses), reviews on random commits,
    force-pushes, emergencies, post-merge reviews, the three merge methods; and direct pushes."""
    fake.emails["bob@work.example"] = "bob"
    at = T0
    for i in range(pulls):
        at += timedelta(hours=2)
        author = rng.choice((*PEOPLE, "dependabot[bot]", "renovate[bot]"))
        body = "Emergency: the database is down" if rng.random() < 0.1 else "x"
        labels = ("emergency",) if rng.random() < 0.1 else ()
        number = fake.add_pull(
            REPO, title=f"Change {i}", body=body, author=author, created_at=at, labels=labels
        )
        step = at
        for _ in range(rng.randint(0, 4)):
            if rng.random() < 0.5:
                step += timedelta(minutes=1)
                state = rng.choice(("APPROVED", "APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED"))
                fake.add_review(REPO, number, author=rng.choice(PEOPLE), state=state, submitted_at=step)
            message = rng.choice(MESSAGES)
            parents = 2 if message.startswith("Merge") and rng.random() < 0.7 else 1
            step += timedelta(minutes=1)
            fake.add_pull_commit(
                REPO, number, message=message, author=rng.choice(PEOPLE), parents=parents, at=step
            )
        if rng.random() < 0.6:
            step += timedelta(minutes=1)
            fake.add_review(REPO, number, author=rng.choice(PEOPLE), state="APPROVED", submitted_at=step)
        state = fake._repo(REPO).issues[number]
        if len(state.commit_oids) > 2 and rng.random() < 0.2:  # a force-push dropped a commit
            state.commit_oids.pop(rng.randrange(len(state.commit_oids) - 1))
        method = rng.choice(("squash", "merge", "rebase"))
        fake.merge_pull(REPO, number, by=rng.choice(PEOPLE), at=step + timedelta(minutes=5), method=method)
        if rng.random() < 0.2:
            fake.add_review(
                REPO,
                number,
                author=rng.choice(PEOPLE),
                state="APPROVED",
                submitted_at=step + timedelta(days=1),
            )
        if rng.random() < 0.1:
            fake.push_commit(REPO, author=rng.choice(PEOPLE), at=step + timedelta(minutes=10))


@pytest.mark.parametrize(
    ("seed", "approval"), [(1, "latest-on-head"), (2, "latest-on-head"), (3, "any-approval")]
)
def test_the_two_passes_give_the_verdicts_of_the_full_read(
    new_fake: NewFake, checkout: Callable[[str, str], Path], sleeps: list[float], seed: int, approval: str
) -> None:
    fake = new_fake(T0, repos={REPO: {"collaborators": list(PEOPLE)}})
    workdir = checkout(f"timezone: UTC\nteams: {{}}\nyolo:\n  approval: {approval}\n", REPO)
    config = load_config(workdir / ".github/gh-ops.yml")
    settings = config.section(YoloSettings)
    generate(fake, random.Random(seed), 150)
    gh = GitHub(token="t")
    fake.clear_requests()
    audited = yolo_run.audit_repo(gh, settings, REPO, T0 - timedelta(days=1), say=lambda _m: None)
    second_pass = [
        r
        for r in fake.reads
        if r.json and (r.json["variables"].get("parents") or r.json["variables"].get("authors"))
    ]
    numbers = [r.number for r in audited if r.number is not None]
    assert len(numbers) == 150
    kinds: set[tuple[str, ...]] = set()
    for outcome in audited:
        if outcome.number is None:
            continue
        _info, full = yolo_run.read_pull(gh, REPO, outcome.number, config)
        expected = evaluate(full.rules, settings)
        assert outcome.verdict == expected, (outcome.number, full.rules)
        kinds.add(expected.reasons)
    assert second_pass, "no generated pull request needed the second pass"
    # The histories reach every verdict the commits can decide.
    assert {("self-approval-only",), ("stale-approval",), ()} <= kinds or approval == "any-approval"
