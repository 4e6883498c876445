"""`gh-ops priority labels` and `priority triage` end to end, against the stateful fake GitHub."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from fakegithub import FakeGitHub, NewFake, RecordedRequest
from priority_data import BOT, CONFIG, NOW, REPO

from gh_ops.cli import main
from gh_ops.markup import read_marker
from gh_ops.priority.settings import DEFAULT_PRIORITY_LABELS

pytestmark = pytest.mark.usefixtures("no_wall_clock")

MANAGED = [label.name for label in DEFAULT_PRIORITY_LABELS]
CLOCK = datetime(2026, 11, 20, 15, tzinfo=UTC)


@pytest.fixture
def fake(new_fake: NewFake, sleeps: list[float]) -> FakeGitHub:
    return new_fake(CLOCK, repos={REPO: {}})


@pytest.fixture
def workdir(checkout: Callable[[str, str], Path]) -> Path:
    return checkout(CONFIG, REPO)


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["--now", NOW, "priority", *args])


def test_labels_never_read_the_clock_so_a_bad_now_does_not_stop_them(fake: FakeGitHub, workdir: Path) -> None:
    result = CliRunner().invoke(main, ["--now", "garbage", "priority", "labels"])
    assert result.exit_code == 0, result.output
    assert {label["name"] for label in fake.labels(REPO)} >= {"P0", "security-P3", "security"}


def ok(result: Result) -> Result:
    assert result.exit_code == 0, result.output
    return result


def label_table(fake: FakeGitHub, repo: str = REPO) -> dict[str, tuple[str, str | None]]:
    return {label["name"]: (label["color"], label["description"]) for label in fake.labels(repo)}


# --- priority labels ------------------------------------------------------------------------------------


def test_creates_the_managed_set_then_an_up_to_date_repo_costs_one_read(
    fake: FakeGitHub, workdir: Path
) -> None:
    fake.add_label(REPO, "wontfix", color="ffffff", description="Not planned")
    result = ok(run("labels"))
    table = label_table(fake)
    for label in DEFAULT_PRIORITY_LABELS:
        assert table[label.name] == (label.color, label.description)
    assert table["wontfix"] == ("ffffff", "Not planned")  # not managed: untouched
    assert f"{REPO}: 9 label change(s)" in result.output and "+ security-P0" in result.output

    fake.clear_requests()
    result = ok(run("labels"))
    assert [(r.method, r.path) for r in fake.requests] == [("GET", f"/repos/{REPO}/labels")]
    assert "labels up to date" in result.output


def test_updates_only_what_differs_and_prints_the_diff(fake: FakeGitHub, workdir: Path) -> None:
    ok(run("labels"))
    fake.clear_requests()
    p2 = next(label for label in fake.labels(REPO) if label["name"] == "P2")
    # Someone renamed P2 to lower case and recoloured it in the web UI.
    fake._repo(REPO).labels[p2["id"]].name = "p2"
    fake._repo(REPO).labels[p2["id"]].color = "000000"
    result = ok(run("labels"))
    assert "~ P2  name p2 -> P2; colour #000000 -> #fbca04" in result.output
    assert [(r.method, r.path) for r in fake.writes] == [("PATCH", f"/repos/{REPO}/labels/p2")]
    assert label_table(fake)["P2"][0] == "fbca04"


def test_config_labels_are_managed_too(fake: FakeGitHub, checkout: Callable[[str, str], Path]) -> None:
    checkout(
        CONFIG + "  labels:\n    regression:\n      color: 5319e7\n      description: It used to work\n", REPO
    )
    ok(run("labels"))
    assert label_table(fake)["regression"] == ("5319e7", "It used to work")


def test_dry_run_prints_the_diff_and_writes_nothing(fake: FakeGitHub, workdir: Path) -> None:
    result = ok(run("labels", "--dry-run"))
    assert fake.writes == [] and fake.labels(REPO) == []
    assert "+ P0  #b60205" in result.output
    assert "dry run: 9 write(s) not sent:" in result.output
    assert f"POST /repos/{REPO}/labels" in result.output


def test_several_repos(fake: FakeGitHub, workdir: Path) -> None:
    fake.add_repo("acme/api")
    ok(run("labels", "--repo", REPO, "--repo", "acme/api"))
    assert set(MANAGED) <= set(label_table(fake, "acme/api")) and set(MANAGED) <= set(label_table(fake))


def test_org_covers_every_unarchived_repository_across_pages(fake: FakeGitHub, workdir: Path) -> None:
    for n in range(150):
        fake.add_repo(f"big-org/repo-{n:03}", archived=n % 50 == 7, private=n % 2 == 0)
    fake.add_repo("other-org/not-this-one")
    # 147 x 9 writes in one run (the default budget of 400 takes several: test_priority_write_budget)
    ok(run("labels", "--org", "big-org", "--max-writes", "1323"))
    # 150 repositories, 100 per page, each page with the repositories' labels.
    assert operations(fake.reads) == ["PriorityOrgLabels"] * 2
    for n in range(150):
        names = set(label_table(fake, f"big-org/repo-{n:03}"))
        assert (MANAGED[0] in names) == (n % 50 != 7), n  # archived ones are read-only: skipped
    assert label_table(fake, "other-org/not-this-one") == {}

    fake.clear_requests()
    result = ok(run("labels", "--org", "big-org"))
    # Confirming 147 repositories up to date: ceil(150 / 100) reads, not one per repository.
    assert fake.writes == [] and len(fake.reads) == 2 and fake.points_spent == 2
    assert "big-org: 147 repositories (3 archived, skipped)" in result.output
    assert result.output.count("labels up to date") == 147


def test_org_reads_the_rest_of_the_labels_only_of_a_repository_with_more_than_100(
    fake: FakeGitHub, workdir: Path
) -> None:
    for name in ("crowded", "plain"):
        fake.add_repo(f"acme/{name}")
    for n in range(150):  # created first: the managed labels come after the first 100
        fake.add_label("acme/crowded", f"area/{n:03}")
    ok(run("labels", "--org", "acme"))
    # Someone recoloured P0 in the crowded repository: it is past the first 100 labels.
    p0 = next(label for label in fake._repo("acme/crowded").labels.values() if label.name == "P0")
    p0.color = "000000"
    fake.clear_requests()
    result = ok(run("labels", "--org", "acme"))
    assert "~ P0  colour #000000 -> #b60205" in result.output
    assert [(r.method, r.path) for r in fake.writes] == [("PATCH", "/repos/acme/crowded/labels/P0")]
    # The organization's page, and one more page of labels for the one repository that has 159.
    assert operations(fake.reads) == ["PriorityOrgLabels", "PriorityMoreLabels"]
    assert "acme/plain: labels up to date" in result.output


def test_org_that_does_not_exist_is_a_usage_error(fake: FakeGitHub, workdir: Path) -> None:
    result = run("labels", "--org", "nobody")
    assert result.exit_code == 2, result.output
    assert "--org nobody: no such organization, or the token cannot see it" in result.output
    assert "Traceback" not in result.output


def test_org_needs_a_token_even_in_a_dry_run(
    fake: FakeGitHub, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    result = run("labels", "--org", "acme", "--dry-run")
    assert result.exit_code == 2 and "no token: priority labels --org reads through" in result.output
    assert fake.requests == []


def test_a_failing_repository_does_not_stop_the_others_and_each_failure_is_listed(
    fake: FakeGitHub, workdir: Path
) -> None:
    """--org goes through every repository; GitHub failing for some exits 3 at the end, listing each
    failure with what was done there and what was not."""
    for name in ("first", "second", "third"):
        fake.add_repo(f"acme/{name}")
    fake.fail_next("POST", r"/repos/acme/first/labels$", 403, json={"message": "Resource not accessible"})
    for n in range(120):  # the third has more labels than the organization's listing holds ...
        fake.add_label("acme/third", f"area/{n:03}")
    # ... and GitHub fails to give the rest (until `failing` is emptied).
    failing = [True]

    def more_labels(query: str, variables: dict[str, Any]) -> dict[str, Any]:
        return {"errors": [{"message": "Timeout"}]} if failing else fake.execute_graphql(query, variables)

    fake.on_graphql("PriorityMoreLabels", more_labels)
    result = run("labels", "--org", "acme")
    assert result.exit_code == 3, result.output
    assert set(MANAGED) <= set(label_table(fake, "acme/second"))  # the one in the middle got its labels
    assert label_table(fake, "acme/first") == {} and not set(MANAGED) & set(label_table(fake, "acme/third"))
    error = result.output[result.output.index("error: ") :]
    assert error.startswith("error: GitHub failed for 2 of 3 repositories; the others were done:\n")
    assert "- acme/first: GitHub answered 403 to POST /repos/acme/first/labels" in error
    assert "  Not done: create P0; create P1;" in error
    assert "- acme/third: " in error and "  Not done: the labels of acme/third" in error
    assert error.count("Re-running is safe") == 1

    # Once GitHub answers again, the same run finishes the job.
    fake.clear_requests()
    failing.clear()
    ok(run("labels", "--org", "acme"))
    assert all(set(MANAGED) <= set(label_table(fake, f"acme/{n}")) for n in ("first", "second", "third"))


def test_a_single_failing_repository_stops_with_exit_3_and_lists_what_was_done(
    fake: FakeGitHub, workdir: Path
) -> None:
    fake.fail_next("POST", rf"/repos/{REPO}/labels$", 403, json={"message": "Resource not accessible"})
    result = run("labels")
    assert result.exit_code == 3, result.output
    assert "Done before the failure: nothing" in result.output
    assert "Not done: create P0; create P1;" in result.output


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--repo", "not-a-repo"], "OWNER/NAME"),
        (["--org", "no/slash"], "not an organization"),
        (["--repo", REPO, "--org", "acme"], "give --repo or --org, not both"),
    ],
)
def test_bad_repo_or_org_is_a_usage_error(
    fake: FakeGitHub, workdir: Path, args: list[str], says: str
) -> None:
    result = run("labels", *args)
    assert result.exit_code == 2 and says in result.output and fake.requests == []


# --- priority triage ------------------------------------------------------------------------------------


def seed_bugs(fake: FakeGitHub) -> dict[str, int]:
    old = CLOCK - timedelta(days=3)
    seeded = {
        "old": fake.add_issue(REPO, title="Old | [link](x)", labels=["bug"], author="carol", created_at=old),
        "new": fake.add_issue(
            REPO, title="New", labels=["bug"], author="carol", created_at=CLOCK - timedelta(hours=5)
        ),
        "p1": fake.add_issue(REPO, title="Known", labels=["bug", "P1"], author="carol", created_at=old),
        "sec": fake.add_issue(
            REPO, title="Sec", labels=["bug", "security-P0"], author="carol", created_at=old
        ),
        "idea": fake.add_issue(REPO, title="Idea", labels=["enhancement"], author="carol", created_at=old),
        "closed": fake.add_issue(REPO, title="Done", labels=["bug"], state="closed", created_at=old),
    }
    return {key: issue["number"] for key, issue in seeded.items()}


def triage_notes(fake: FakeGitHub, number: int) -> list[str]:
    return [
        c["body"]
        for c in fake.comments(REPO, number)
        if (read_marker(c["body"]) or ("", {}))[1].get("note") == "triage" and c["user"]["login"] == BOT
    ]


def test_triage_asks_once_on_old_untriaged_bugs_and_summarises(
    fake: FakeGitHub, workdir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    numbers = seed_bugs(fake)
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    ok(run("triage"))
    (note,) = triage_notes(fake, numbers["old"])
    assert note.splitlines()[1].startswith("@alice @bob: this bug has no priority yet")
    assert all(triage_notes(fake, numbers[k]) == [] for k in ("new", "p1", "sec", "idea", "closed"))
    text = summary.read_text()
    assert "| P1 | 1 |" in text and "| security-P0 | 1 |" in text and "| none | 2 |" in text
    assert "| P0 | 0 |" in text
    assert (
        f"#{numbers['old']}](https://github.com/{REPO}/issues/{numbers['old']}) Old \\| \\[link\\]\\(x\\)"
        in text
    )
    assert "(asked now)" in text and "(newer than 2 day(s))" in text
    assert "Idea" not in text

    # Someone answered on the issue; the next day's run does not ask again.
    fake.add_comment(REPO, numbers["old"], body="Looking into it", author="alice")
    fake.clear_requests()
    ok(run("triage"))
    assert fake.writes == [] and len(triage_notes(fake, numbers["old"])) == 1
    # One page of open issues tells which were asked before: no read per issue.
    assert operations(fake.reads) == ["PriorityTriage"]
    assert "(asked before)" in summary.read_text()


def test_triage_mentions_a_github_team(fake: FakeGitHub, checkout: Callable[[str, str], Path]) -> None:
    checkout("priority:\n  triage_team: '@acme/bug-triage'\n  untriaged_after: 12h\n", REPO)
    number = fake.add_issue(REPO, title="x", labels=["bug"], created_at=CLOCK - timedelta(hours=13))["number"]
    result = ok(run("triage"))
    assert "@acme/bug-triage: this bug" in triage_notes(fake, number)[0]
    assert "| none | 1 |" in result.output  # outside Actions the summary goes to stdout


def test_triage_dry_run_writes_nothing(fake: FakeGitHub, workdir: Path) -> None:
    numbers = seed_bugs(fake)
    result = ok(run("triage", "--dry-run"))
    assert fake.writes == [] and f"POST /repos/{REPO}/issues/{numbers['old']}/comments" in result.output
    assert "(would ask now)" in result.output


def old_bug(fake: FakeGitHub, title: str, **kwargs: Any) -> int:
    issue = fake.add_issue(REPO, title=title, labels=["bug"], created_at=CLOCK - timedelta(days=3), **kwargs)
    return int(issue["number"])


def test_triage_reads_one_page_per_100_open_issues_on_every_run(fake: FakeGitHub, workdir: Path) -> None:
    """The issue's bound: ceil(open issues / 100) + 1 reads, first run or repeat. Every bug asked
    before has comments, which cost a read each before."""
    asked = [old_bug(fake, f"Bug {n}") for n in range(130)]
    for n in range(60):
        fake.add_issue(REPO, title=f"Idea {n}", labels=["enhancement"])
    fake.add_issue(REPO, title="Closed", labels=["bug"], state="closed")
    fake.clear_requests()
    ok(run("triage"))
    # 190 open issues: 2 pages; then 2 reads of the newest comments of the 130 bugs asked (100 a read),
    # where an overlapping run's question would be (issue 15).
    assert (
        len(fake.writes) == 130 and operations(fake.reads) == ["PriorityTriage"] * 2 + ["PriorityNotes"] * 2
    )
    assert all(len(triage_notes(fake, number)) == 1 for number in asked)

    for number in asked[:40]:  # people answered on some
        fake.add_comment(REPO, number, body="Looking into it", author="alice")
    fake.clear_requests()
    result = ok(run("triage"))
    assert fake.writes == [] and operations(fake.reads) == ["PriorityTriage"] * 2
    assert fake.points_spent == 4  # 2 a page: each issue's labels and comments are 100 fetches each
    assert result.output.count("(asked before)") == 130 and "| none | 130 |" in result.output


def test_triage_finds_a_note_past_the_first_100_comments_with_one_more_read(
    fake: FakeGitHub, workdir: Path
) -> None:
    """A bug that already had over 100 comments when gh-ops asked: the note is past the first 100
    comments the listing holds, so its later comments are read, and it is not asked twice."""
    busy = old_bug(fake, "Busy")
    for n in range(120):
        fake.add_comment(REPO, busy, body=f"me too {n}", author="carol")
    quiet = old_bug(fake, "Quiet")
    fake.clear_requests()
    ok(run("triage"))
    assert len(triage_notes(fake, busy)) == 1 and len(triage_notes(fake, quiet)) == 1
    for n in range(90):
        fake.add_comment(REPO, busy, body=f"still broken {n}", author="carol")

    fake.clear_requests()
    result = ok(run("triage"))
    assert fake.writes == [] and len(triage_notes(fake, busy)) == 1
    # The listing, then the busy bug's comments 101-200 (the note is the 121st): not 201-211.
    assert operations(fake.reads) == ["PriorityTriage", "PriorityTriageComments"]
    assert result.output.count("(asked before)") == 2


def test_triage_asks_when_the_marker_was_pasted_by_someone_else(fake: FakeGitHub, workdir: Path) -> None:
    """Only a trusted account's comment is gh-ops' note: a copied marker does not stop the question."""
    number = old_bug(fake, "Pasted")
    fake.add_comment(REPO, number, body="<!-- gh-ops:priority note=triage -->\nfake", author="mallory")
    ok(run("triage"))
    assert len(triage_notes(fake, number)) == 1


def test_triage_of_a_repository_that_does_not_exist_is_a_usage_error(fake: FakeGitHub, workdir: Path) -> None:
    result = run("triage", "--repo", "acme/nowhere")
    assert result.exit_code == 2, result.output
    assert "acme/nowhere does not exist or the token cannot see it" in result.output


def operations(requests: list[RecordedRequest]) -> list[str]:
    """The GraphQL operation of each request (REST requests as METHOD path)."""
    names = []
    for request in requests:
        if request.is_graphql:
            match = re.search(r"(?:query|mutation)\s+(\w+)", request.json["query"])
            names.append(match.group(1) if match else "?")
        else:
            names.append(f"{request.method} {request.path}")
    return names
