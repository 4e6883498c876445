"""The sprint rules without HTTP: the calendar, what is due when, and goals carried over."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from gh_ops import dates
from gh_ops.markup import read_marker
from gh_ops.sprint.rules import (
    MAX_GOAL_LENGTH,
    MAX_GOALS,
    Goal,
    due_sprint,
    extract_goals,
    sprint_by_number,
    sprint_number_on,
)
from gh_ops.sprint.settings import SprintSchedule

TWO_WEEKS = SprintSchedule(every_weeks=2, anchor=date(2026, 1, 5), open_days_before=3)


def test_sprint_n_starts_n_minus_one_cadences_after_the_anchor() -> None:
    first = sprint_by_number(TWO_WEEKS, 1)
    assert (first.start, first.end, first.opens_on) == (date(2026, 1, 5), date(2026, 1, 18), date(2026, 1, 2))
    tenth = sprint_by_number(TWO_WEEKS, 10)
    assert tenth.start == date(2026, 1, 5) + timedelta(days=9 * 14)
    assert tenth.end == tenth.start + timedelta(days=13)


def test_sprints_cross_the_year_boundary_without_a_gap() -> None:
    s26 = sprint_by_number(TWO_WEEKS, 26)
    s27 = sprint_by_number(TWO_WEEKS, 27)
    assert (s26.start, s26.end) == (date(2026, 12, 21), date(2027, 1, 3))
    assert s27.start == date(2027, 1, 4) == s26.end + timedelta(days=1)
    # New Year's Eve is inside sprint 26; sprint 27's window opens on 1 January.
    assert due_sprint(TWO_WEEKS, date(2026, 12, 31)).number == 26
    assert due_sprint(TWO_WEEKS, date(2027, 1, 1)).number == 27


def test_weekly_sprints_through_a_53_week_iso_year() -> None:
    weekly = SprintSchedule(every_weeks=1, anchor=date(2026, 1, 5), open_days_before=2)
    s52 = sprint_by_number(weekly, 52)
    s53 = sprint_by_number(weekly, 53)
    assert s52.start == date(2026, 12, 28)
    assert dates.iso_week_label(s52.start) == "2026-W53"  # 2026 has 53 ISO weeks
    assert dates.iso_week_label(s52.end) == "2026-W53"  # Sunday 3 January 2027
    assert dates.iso_week_label(s53.start) == "2027-W01"
    assert sprint_number_on(weekly, date(2027, 1, 3)) == 52
    assert sprint_number_on(weekly, date(2027, 1, 4)) == 53


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 12, 1), None),  # long before the calendar starts
        (date(2026, 1, 1), None),  # the day before sprint 1's window
        (date(2026, 1, 2), 1),  # window opens three days ahead
        (date(2026, 1, 5), 1),
        (date(2026, 1, 15), 1),  # the day before sprint 2's window: still sprint 1
        (date(2026, 1, 16), 2),  # sprint 2's window
        (date(2026, 1, 18), 2),  # last day of sprint 1, sprint 2 already due
        (date(2026, 1, 19), 2),
    ],
)
def test_due_sprint_is_the_next_once_its_window_opens_else_the_current(
    day: date, expected: int | None
) -> None:
    due = due_sprint(TWO_WEEKS, day)
    assert (due.number if due else None) == expected


@pytest.mark.parametrize("every,before", [(1, 0), (1, 2), (2, 3), (2, 13), (3, 5), (4, 0)])
def test_every_day_exactly_one_valid_sprint_is_due_and_none_is_skipped(every: int, before: int) -> None:
    schedule = SprintSchedule(every_weeks=every, anchor=date(2026, 1, 5), open_days_before=before)
    day = date(2025, 12, 1)
    seen: list[int] = []
    while day <= date(2028, 2, 1):
        due = due_sprint(schedule, day)
        if due is not None:
            assert due.opens_on <= day <= due.end, "a due sprint's window is open and it has not ended"
            if seen:
                assert due.number in (seen[-1], seen[-1] + 1), "daily runs never skip a sprint"
            seen.append(due.number)
        day += timedelta(days=1)
    assert seen[0] == 1


def test_a_sprint_that_has_ended_is_never_due_again() -> None:
    # Runs missed for three weeks: the sprint that ran meanwhile is over; only the current is due.
    assert due_sprint(TWO_WEEKS, date(2026, 2, 10)).number == 3
    for day in (date(2026, 2, 10), date(2026, 3, 1), date(2027, 6, 1)):
        assert due_sprint(TWO_WEEKS, day).end >= day


def test_dst_start_in_new_york_moves_the_local_date_at_local_midnight() -> None:
    # Sprint 1's window opens on Sunday 8 March 2026, the day US clocks go forward.
    schedule = SprintSchedule(every_weeks=2, anchor=date(2026, 3, 11), open_days_before=3)
    tz = "America/New_York"
    before = datetime(2026, 3, 8, 4, 59, tzinfo=UTC)  # 23:59 EST on 7 March
    at_midnight = datetime(2026, 3, 8, 5, 0, tzinfo=UTC)  # 00:00 EST on 8 March
    after_jump = datetime(2026, 3, 8, 7, 30, tzinfo=UTC)  # 03:30 EDT on 8 March
    assert due_sprint(schedule, dates.local_date(before, tz)) is None
    assert due_sprint(schedule, dates.local_date(at_midnight, tz)).number == 1
    assert dates.local_date(after_jump, tz) == date(2026, 3, 8)


def test_dst_end_in_london_and_teams_in_different_timezones_disagree_near_midnight() -> None:
    moment = datetime(2026, 10, 25, 23, 30, tzinfo=UTC)  # after UK clocks went back
    assert dates.local_date(moment, "Europe/London") == date(2026, 10, 25)  # 23:30 GMT
    assert dates.local_date(moment, "Asia/Tokyo") == date(2026, 10, 26)
    assert dates.local_date(datetime(2026, 10, 25, 0, 30, tzinfo=UTC), "Europe/London") == date(2026, 10, 25)


def test_a_bare_now_date_is_that_day_everywhere() -> None:
    now = dates.parse_now("2026-11-20", "Europe/London")
    for tz in (
        "America/New_York",
        "Europe/London",
        "Asia/Tokyo",
        "Pacific/Auckland",
        "Pacific/Pago_Pago",
        "Pacific/Kiritimati",
    ):
        assert dates.local_date(now, tz) == date(2026, 11, 20), tz
        assert dates.local_now(now, tz).date() == date(2026, 11, 20), tz


def test_now_with_and_without_offset() -> None:
    assert dates.parse_now("2026-11-20T09:00:00Z") == datetime(2026, 11, 20, 9, tzinfo=UTC)
    # No offset: read in the config's timezone (London is on GMT in November).
    assert dates.parse_now("2026-07-20T09:00", "Europe/London") == datetime(2026, 7, 20, 8, tzinfo=UTC)


# --- goals carried into the retrospective ------------------------------------------------------

PREVIOUS_BODY = """<!-- gh-ops:sprint team=web period=2026-11-09 number=23 -->
## Team Web · sprint 23

### Looking back at sprint 22
- [x] An old goal that must not be carried twice

### 🎯 Goals
<!-- guidance -->
- [x] Ship the billing page to all customers · owner @alice
- [ ] Cut p95 query latency below 2s · owner @bob-smith
  - [x] a sub-task, not a goal
* [X] Migrate exports to the new queue (@carol)
- [ ] _Second goal, if there is one · owner @…_
- not a task item

```
- [ ] inside a code block, not a goal
```

#### Detail heading inside the section
- [ ] Write the runbook for the queue

### How the time splits
- [ ] not a goal either
"""


def test_goals_keep_their_checked_state_and_owner() -> None:
    goals = extract_goals(PREVIOUS_BODY)
    assert goals == [
        Goal("Ship the billing page to all customers · owner @alice", True, "alice"),
        Goal("Cut p95 query latency below 2s · owner @bob-smith", False, "bob-smith"),
        Goal("Migrate exports to the new queue (@carol)", True, "carol"),
        Goal("Write the runbook for the queue", False, None),
    ]


def test_goals_heading_is_configurable_and_missing_section_means_no_goals() -> None:
    assert extract_goals(PREVIOUS_BODY, "How the time splits") == [Goal("not a goal either", False, None)]
    assert extract_goals("## Notes\n- [x] something\n") == []
    assert extract_goals("") == []


def test_carried_goal_text_cannot_smuggle_a_marker() -> None:
    body = "### Goals\n- [ ] <!-- gh-ops:sprint team=web period=2027-01-04 number=27 --> sneaky\n"
    (goal,) = extract_goals(body)
    assert "<!--" not in goal.text
    assert read_marker(goal.text) is None


def test_only_the_templates_placeholder_lines_are_dropped() -> None:
    body = (
        "### Goals\n- [ ] _First goal · owner @…_\n- [x] Ship billing · owner @…\n"
        "- [ ] _Second goal, if there is one · owner @…_\n"
    )
    assert extract_goals(body) == [Goal("Ship billing · owner @…", True, None)]


def test_goals_carried_over_are_capped_as_validate_renders_them() -> None:
    # A previous issue can hold anything (a log pasted under Goals); the new one must still fit.
    body = "## Goals\n" + "".join(f"- [ ] goal {n} " + "x" * 500 + "\n" for n in range(40))
    goals = extract_goals(body)
    assert len(goals) == MAX_GOALS == 30
    assert {len(g.text) for g in goals} == {MAX_GOAL_LENGTH}
    assert goals[0].text.startswith("goal 0 x") and goals[0].text.endswith("x…")
    assert goals[-1].text.startswith("goal 29 ")
