"""Count what finding a person's checklist costs in a people repository with years of checklists:
`onboarding open` / `offboarding open` from options and from the issue form, first run and repeat,
at 1,000 and 10,000 checklists (9.6 KB each, as GitHub's issue 12 measured), and in a repository
just upgraded from a gh-ops version whose checklists carry no person label.

Run: .venv/bin/python benchmarks/people_requests.py
Uses the tests' stateful fake GitHub (no network). For each scenario: the reads of the people
repository's issues (the lookup; GitHub's minimum is 1, or 2 when a request links a checklist the
person listing cannot hold or the repository is searched for unlabelled checklists), all reads and
writes of the run, and the kilobytes the lookup downloaded. tests/people/test_people_budget.py holds
the figures.
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


def measure(size: int, *, unlabelled_until: datetime | None = None) -> dict[str, tuple[int, int, int, int]]:
    """(lookup reads, reads, writes, lookup KB) per scenario. `unlabelled_until`: the checklists
    made before then carry no person label (an older gh-ops made them)."""
    figures: dict[str, tuple[int, int, int, int]] = {}
    with fake_checkout(CONFIG, CHECKOUT, CLOCK) as (fake, tmp):
        seed(fake, size, unlabelled_until=unlabelled_until)
        lookup_bytes = _counting_bytes(fake)

        def scenario(name: str, command: str, *args: str) -> None:
            fake.clear_requests()
            _run(command, *args)
            lookup = sum(1 for r in fake.reads if r.method == "GET" and r.path.startswith(ISSUES))
            figures[name] = (lookup, len(fake.reads), len(fake.writes), math.ceil(lookup_bytes() / 1000))

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


def _print(title: str, figures: dict[str, tuple[int, int, int, int]]) -> None:
    print(title)
    width = max(len(name) for name in figures)
    for name, (lookup, reads, writes, kb) in figures.items():
        print(
            f"  {name:{width}}  lookup {lookup:3} read(s) (minimum 1-2), {kb:6,} KB; "
            f"run {reads:2} read(s) {writes:2} write(s)"
        )


if __name__ == "__main__":
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
