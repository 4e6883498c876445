"""Cron expressions as GitHub's `on: schedule` reads them (five fields, UTC): checked with one
message that says which field is wrong and what it takes, when they fire, and the longest wait
between two runs. Pure: no clock."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

# Each field: its name, its range, and the names it also takes (months, days of the week).
_FIELDS = (
    ("minute", 0, 59, ()),
    ("hour", 0, 23, ()),
    ("day of the month", 1, 31, ()),
    ("month", 1, 12, ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")),
    ("day of the week", 0, 6, ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")),
)
_ITEM = re.compile(r"^(?P<range>\*|(?P<low>[A-Za-z0-9]+)(?:-(?P<high>[A-Za-z0-9]+))?)(?:/(?P<step>[0-9]+))?$")


def _value(text: str, low: int, high: int, names: tuple[str, ...]) -> int | None:
    if text.upper() in names:
        return names.index(text.upper()) + (1 if low == 1 else 0)
    # 7 is Sunday too in a day-of-the-week field, as cron allows.
    top = 7 if high == 6 else high
    if text.isascii() and text.isdigit() and low <= int(text) <= top:
        return int(text)
    return None


def _values(text: str, low: int, high: int, names: tuple[str, ...]) -> set[int]:
    """The values one field fires on; ValueError when it is not *, a number or name, a range, a
    list or a step."""
    found: set[int] = set()
    for item in text.split(","):
        match = _ITEM.match(item)
        if match is None:
            raise ValueError(item)
        step = int(match["step"]) if match["step"] is not None else 1
        if match["low"] is None:  # *
            first, last = low, high
        else:
            first_value = _value(match["low"], low, high, names)
            if match["high"] is not None:
                last_value = _value(match["high"], low, high, names)
            else:
                last_value = high if match["step"] is not None else first_value
            if first_value is None or last_value is None or last_value < first_value:
                raise ValueError(item)
            first, last = first_value, last_value
        if step < 1:
            raise ValueError(item)
        found.update(v % 7 if high == 6 else v for v in range(first, last + 1, step))
    return found


def parse(expression: str) -> tuple[set[int], ...]:
    """The minutes, hours, days, months and weekdays (0 Sunday) an expression fires on; ValueError
    with cron_problem's message when it is not valid."""
    problem = cron_problem(expression)
    if problem:
        raise ValueError(problem)
    return tuple(
        _values(text, low, high, names)
        for text, (_name, low, high, names) in zip(expression.split(), _FIELDS, strict=True)
    )


def cron_problem(expression: str) -> str | None:
    """Why GitHub would not run this schedule (None: it is a valid five-field cron)."""
    fields = expression.split()
    if len(fields) != 5:
        return (
            f"cron {expression!r} has {len(fields)} field(s): give five, minute hour day-of-month "
            "month day-of-week, e.g. '0 7 * * 1-5' (UTC)"
        )
    for text, (name, low, high, names) in zip(fields, _FIELDS, strict=True):
        try:
            _values(text, low, high, names)
        except ValueError:
            hint = f" or {names[0]}-{names[-1]}" if names else ""
            return (
                f"cron {expression!r}: the {name} field {text!r} is not valid: expected *, a number "
                f"{low}-{high}{hint}, a range a-b, a list a,b or a step */n"
            )
    return None


def longest_gap(expressions: list[str], start: datetime, days: int = 35) -> timedelta | None:
    """The longest time between two consecutive runs of any of the expressions over `days` days
    from `start`; None when none fires. Day by day: only the minutes of the hours of the days an
    expression fires on are visited."""
    parsed = [(parse(e), e.split()[2] == "*", e.split()[4] == "*") for e in expressions]
    first_day = start.replace(hour=0, minute=0, second=0, microsecond=0)
    times: set[datetime] = set()
    for offset in range(days + 1):
        day = first_day + timedelta(days=offset)
        for (minutes, hours, _days, _months, _weekdays), day_any, weekday_any in parsed:
            if not _on_day(_days, _months, _weekdays, day, day_any, weekday_any):
                continue
            times.update(day.replace(hour=h, minute=m) for h in hours for m in minutes)
    fired = sorted(t for t in times if start <= t < start + timedelta(days=days))
    if not fired:
        return None
    gaps = [later - earlier for earlier, later in zip(fired, fired[1:], strict=False)]
    return max(gaps) if gaps else timedelta(days=days)


def _on_day(
    days: set[int], months: set[int], weekdays: set[int], day: datetime, day_any: bool, weekday_any: bool
) -> bool:
    """Whether an expression fires at some time of this day (its day, month and weekday fields)."""
    weekday = (day.weekday() + 1) % 7
    day_ok, weekday_ok = day.day in days, weekday in weekdays
    # As cron does: with both day fields restricted, either one matching is enough.
    on_day = day_ok and weekday_ok if day_any or weekday_any else day_ok or weekday_ok
    return on_day and day.month in months
