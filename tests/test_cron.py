"""Cron expressions as GitHub reads them: checked, and the longest wait between two runs (what
`gh-ops doctor` compares the last scheduled run with)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from gh_ops.cron import cron_problem, longest_gap

START = datetime(2026, 11, 1, 0, 0, tzinfo=UTC)  # a Sunday


@pytest.mark.parametrize(
    ("crons", "gap"),
    [
        (["17 6 * * *"], timedelta(days=1)),
        (["17 * * * *"], timedelta(hours=1)),
        (["*/15 * * * *"], timedelta(minutes=15)),
        (["23 7 * * 1"], timedelta(days=7)),
        (["41 7 * * 1-5"], timedelta(days=3)),  # Friday to Monday
        (["41 7 * * MON-FRI"], timedelta(days=3)),
        (["0 7 * * *", "0 19 * * *"], timedelta(hours=12)),
        (["0 6,18 * * *"], timedelta(hours=12)),
        (["0 0 1 * *"], timedelta(days=30)),  # November has 30 days
        (["0 0 1,15 * 1"], timedelta(days=7)),  # both day fields: either matches, as cron does
    ],
)
def test_the_longest_wait_between_runs(crons: list[str], gap: timedelta) -> None:
    assert longest_gap(crons, START) == gap


def test_a_schedule_that_never_fires_in_the_window_has_no_gap() -> None:
    assert longest_gap(["0 0 30 2 *"], START) is None  # 30 February


def test_sunday_is_0_or_7() -> None:
    assert longest_gap(["0 12 * * 7"], START) == longest_gap(["0 12 * * 0"], START) == timedelta(days=7)


@pytest.mark.parametrize(
    ("cron", "field"),
    [
        ("0 7 * *", None),
        ("61 * * * *", "minute"),
        ("0 24 * * *", "hour"),
        ("0 0 * 13 *", "month"),
        ("0 0 * * MOON", "day of the week"),
    ],
)
def test_a_wrong_expression_names_its_field(cron: str, field: str | None) -> None:
    problem = cron_problem(cron)
    assert problem is not None
    assert (f"the {field} field" in problem) if field else "field(s): give five" in problem


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(days=1), "1 day(s)"),
        (timedelta(days=3), "3 day(s)"),
        (timedelta(hours=12), "12 hour(s)"),
        (timedelta(minutes=15), "15 minute(s)"),
        (timedelta(hours=25), "25 hour(s)"),
    ],
)
def test_a_duration_is_said_in_its_largest_exact_unit(delta: timedelta, text: str) -> None:
    from gh_ops.dates import duration_text

    assert duration_text(delta) == text
