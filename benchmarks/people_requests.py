"""Count what finding a person's checklist costs in a people repository with years of checklists:
`onboarding open` / `offboarding open` from options and from the issue form, first run and repeat,
at 1,000 and 10,000 checklists (9.6 KB each, as GitHub's issue 12 measured), and in a repository
just upgraded from a gh-ops version whose checklists carry no person label.

Run: .venv/bin/python benchmarks/people_requests.py
Uses the tests' stateful fake GitHub (no network). For each scenario: the reads of the people
repository's issues (the lookup; GitHub's minimum is 1, or 2 when a request links a checklist the
person listing cannot hold or the repository is searched for unlabelled checklists), all reads and
writes of the run, and the kilobytes the lookup downloaded. A run that opens a checklist then reads
the person's checklists once more, and one that answers a request reads its comments once more
(issue 15: runs that overlap converge on the oldest; GitHub has no unique key for an issue or a
comment, so one read after the write is the minimum): shown as "converge". A mutation closing a
duplicate is made only when runs did overlap. tests/people/test_people_budget.py holds the figures.
"""

from __future__ import annotations

import json
import math
import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import ROOT, FakeGitHub, fake_checkout, load_payload  # noqa: E402 (puts tests/ on the path)

sys.path.insert(0, str(ROOT / "tests" / "people"))
from people_data import CONFIG, JOINER_FULL, LEAVER, PEOPLE, REQUESTS, STAFF  # noqa: E402
from people_history import seed_checklists  # noqa: E402

from gh_ops.cli import main  # noqa: E402

NOW = "2026-11-20T15:00:00Z"
ISSUES = f"/repos/{PEOPLE}/issues"
BODY = 9_600  # characters of a checklist: 10,000 of them made the 96 MB of the old full listing


def _run(command: str, *args: str) -> str:
    """`COMMAND open ARGS` as of NOW; its output."""
    result = CliRunner().invoke(main, ["--now", NOW, command, "open", *args])
    if result.exit_code != 0:
        raise SystemExit(f"{command} open failed: {result.output}")
    return result.output


def _counting_bytes(fake: FakeGitHub) -> Callable[[], int]:
    """Bytes the people repository's issue reads answered with since the last clear_requests."""
    sizes: dict[int, int] = {}
    finish = fake._finish

    def counted(route: Any, status: int, extra: dict[str, str], body: Any) -> tuple[int, dict[str, str], str]:
        answer = finish(route, status, extra, body)
        sizes[len(fake.requests) - 1] = len(answer[2])
        return answer

    fake._finish = counted  # type: ignore[method-assign]

    def lookup_bytes() -> int:
        return sum(
            sizes.get(index, 0)
            for index, r in enumerate(fake.requests)
            if r.method == "GET" and r.path.startswith(ISSUES)
        )

    return lookup_bytes


def _event(fake: FakeGitHub, tmp: Path, body: str | None = None, number: int | None = None) -> int:
    payload = load_payload("issues.opened.new-joiner")
    issue = payload["issue"]
    if body is not None:
        issue["body"] = body
    if number is None:
        seeded = fake.add_issue(
            REQUESTS, title=issue["title"], body=issue["body"], author="Codertocat", labels=["new-joiner"]
        )
        number = seeded["number"]
    else:
        fake.edit_issue(REQUESTS, number, by="Codertocat", body=issue["body"])
        issue["state"] = "closed"
        payload["action"] = "edited"
    issue["number"], issue["html_url"] = number, f"https://github.com/{REQUESTS}/issues/{number}"
    path = tmp / f"event-{number}-{len(fake.requests)}.json"
    path.write_text(json.dumps(payload))
    os.environ.update(GITHUB_EVENT_PATH=str(path), GITHUB_EVENT_NAME="issues")
    return number


CLOCK = datetime(2026, 11, 20, 15, tzinfo=UTC)  # NOW
CHECKOUT = "acme/widgets"  # the repository the workflow runs in


def seed(fake: FakeGitHub, size: int, *, unlabelled_until: datetime | None = None) -> None:
    """The repositories and organization, and a people repository with `size` checklists over ten
    years. `unlabelled_until`: the checklists made before then carry no person label (an older
    gh-ops made them)."""
    fake.add_repo(PEOPLE, private=True, collaborators=STAFF)
    fake.add_repo(CHECKOUT, collaborators=STAFF)
    fake.add_repo(REQUESTS, private=True, collaborators=STAFF)
    fake.add_organization("acme")
    fake.on_graphql(
        "OrgTeamsOfMember",
        lambda q, v: {"organization": {"teams": {"nodes": [], "pageInfo": {"hasNextPage": False}}}},
    )
    first, last = datetime(2016, 11, 1, tzinfo=UTC), datetime(2026, 11, 13, tzinfo=UTC)
    if unlabelled_until is None:
        seed_checklists(fake, PEOPLE, size, first=first, last=last, body_size=BODY)
    else:  # the same ten years, the part before the upgrade without the label
        before = round(size * (unlabelled_until - first) / (last - first))
        seed_checklists(
            fake,
            PEOPLE,
            before,
            first=first,
            last=unlabelled_until,
            labelled=False,
            body_size=BODY,
            prefix="old",
        )
        seed_checklists(fake, PEOPLE, size - before, first=unlabelled_until, last=last, body_size=BODY)


Figures = tuple[int, int, int, int, int]


def measure(size: int, *, unlabelled_until: datetime | None = None) -> dict[str, Figures]:
    """(lookup reads, converge reads, reads, writes, lookup KB) per scenario. `unlabelled_until`:
    the checklists made before then carry no person label (an older gh-ops made them)."""
    figures: dict[str, Figures] = {}
    with fake_checkout(CONFIG, CHECKOUT, CLOCK) as (fake, tmp):
        seed(fake, size, unlabelled_until=unlabelled_until)
        lookup_bytes = _counting_bytes(fake)

        def scenario(name: str, command: str, *args: str) -> None:
            fake.clear_requests()
            _run(command, *args)
            first_write = next((i for i, r in enumerate(fake.requests) if r.is_write), len(fake.requests))
            lookup = sum(
                1 for r in fake.requests[:first_write] if r.method == "GET" and r.path.startswith(ISSUES)
            )
            after = [r for r in fake.requests[first_write:] if r.method == "GET"]
            converge = sum(1 for r in after if r.path == ISSUES or r.path.endswith("/comments"))
            figures[name] = (
                lookup,
                converge,
                len(fake.reads),
                len(fake.writes),
                math.ceil(lookup_bytes() / 1000),
            )

        leaver = [*LEAVER, "--kind", "voluntary"]
        scenario("onboarding open, first run", "onboarding", *JOINER_FULL)
        scenario("onboarding open, repeat", "onboarding", *JOINER_FULL)
        if unlabelled_until is not None:
            return figures
        scenario("offboarding open, first run", "offboarding", *leaver)
        scenario("offboarding open, repeat", "offboarding", *leaver)
        os.environ.pop("GITHUB_EVENT_PATH", None)
        form = load_payload("issues.opened.new-joiner")["issue"]["body"].replace("@newbie", "@joiner")
        number = _event(fake, tmp, form)
        scenario("from the form, first run", "onboarding")
        scenario("from the form, the same event again", "onboarding")
        _event(fake, tmp, form.replace("@joiner", "@joiner-real"), number)
        scenario("from the form, a corrected username", "onboarding")
    return figures


def _print(title: str, figures: dict[str, Figures]) -> None:
    print(title)
    width = max(len(name) for name in figures)
    for name, (lookup, converge, reads, writes, kb) in figures.items():
        print(
            f"  {name:{width}}  lookup {lookup:3} read(s) (minimum 1-2), {kb:6,} KB; "
            f"converge {converge} read(s) (minimum: 1 per issue or comment created); "
            f"run {reads:2} read(s) {writes:2} write(s)"
        )


def overlapping(runs: int, seeds: range) -> tuple[int, int, int]:
    """`runs` deliveries of one request's event handled at the same moment (tests/concurrency.py),
    over `seeds` interleavings: the most (repairing writes, reads, writes) of all the runs together.
    Repairing writes are the duplicate checklists closed (one GraphQL mutation each: its linking
    comment and closeIssue) and the duplicate answers deleted."""
    import contextlib
    import io

    from concurrency import run_together

    most = (0, 0, 0)
    for interleaving in seeds:
        with fake_checkout(CONFIG, CHECKOUT, CLOCK) as (fake, tmp):
            seed(fake, 0)
            _event(fake, tmp)
            fake.clear_requests()
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                codes = run_together(fake, [["--now", NOW, "onboarding", "open"]] * runs, seed=interleaving)
            if codes != [0] * runs:
                raise SystemExit("an overlapping run failed")
            repair = sum(1 for r in fake.writes if r.path == "/graphql" or r.method == "DELETE")
            figures = (repair, len(fake.reads), len(fake.writes))
            most = (max(most[0], figures[0]), max(most[1], figures[1]), max(most[2], figures[2]))
    return most


if __name__ == "__main__":
    print("The same request's event handled by N runs at once (12 interleavings each, the most):")
    for runs in (1, 2, 3, 5):
        repair, reads, writes = overlapping(runs, range(12))
        print(
            f"  {runs} run(s): {repair} repairing write(s) (minimum {2 * (runs - 1)}: per extra run, "
            f"its duplicate closed and its answer deleted, when all overlap); all runs {reads} read(s) "
            f"{writes} write(s)"
        )
    for size in (1_000, 10_000):
        _print(
            f"{size:,} checklists over ten years (before: {math.ceil(size / 100)} reads, the full listing)",
            measure(size),
        )
    upgraded = {
        "last week": datetime(2026, 11, 13, tzinfo=UTC),
        "14 months ago": datetime(2025, 9, 20, tzinfo=UTC),
    }
    for when, until in upgraded.items():
        _print(
            f"10,000 checklists, gh-ops upgraded {when} (older ones unlabelled)",
            measure(10_000, unlabelled_until=until),
        )
