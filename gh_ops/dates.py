"""Calendar helpers shared by capabilities: local dates in a timezone, workdays, ISO weeks, --now,
GitHub's timestamps."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from gh_ops.errors import UsageError


class CalendarDay(datetime):
    """A `--now` given as a bare date: that calendar day in every timezone (a backfill "as of" a day)."""


# Names the zone database answers to that are not places: `localtime` is whatever the machine
# running gh-ops is set to (UTC on a CI runner), the others are artefacts of how it is installed.
_NOT_PLACES = frozenset({"localtime", "posixrules", "factory"})


def zone_problem(name: str) -> str | None:
    """Why `name` is not an IANA timezone gh-ops can use, or None when it is one (exactly spelt)."""
    if name.casefold() in _NOT_PLACES or name.split("/", 1)[0] in ("posix", "right"):
        return (
            f"{name!r} is not a timezone name gh-ops can use (it depends on the machine that runs it): "
            "give an IANA name such as Europe/London, America/New_York or UTC"
        )
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        pass
    else:
        return None
    hint = ""
    if (spelt := zone_named(name)) is not None:
        hint = f" (did you mean {spelt}?)"
    return (
        f"unknown timezone {name!r}{hint}: expected an IANA name such as Europe/London, "
        "America/New_York or UTC"
    )


def zone_named(name: str) -> str | None:
    """The IANA timezone called `name` in any case (`america/port-au-prince` -> `America/Port-au-Prince`),
    or None. Reads the zone list only when asked."""
    return _zones_by_folded_name().get(name.strip().casefold())


@cache
def _zones_by_folded_name() -> dict[str, str]:
    """The zone database's names by their case-folded spelling (read once: it lists the files)."""
    return {zone.casefold(): zone for zone in available_timezones() if zone.casefold() not in _NOT_PLACES}


def parse_now(text: str | None, default_tz: str = "UTC", *, given_as: str = "--now") -> datetime:
    """The run's `now`: ISO 8601 date or date-time; without an offset it is read in `default_tz`.

    A bare date is returned as a CalendarDay (midday UTC), which `local_date` reads as that same
    date whatever the timezone, from Samoa to Kiribati. `given_as` names where the text came from
    (--now, or $GH_OPS_NOW) in the messages.
    """
    if not text:
        return datetime.now(UTC)
    text = text.strip()
    out_of_range = UsageError(f"{given_as} {text!r} is out of range: use a date between 1970 and 2999")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            day = date.fromisoformat(text)
        except ValueError:
            raise UsageError(f"{given_as} {text!r} is not a real calendar date") from None
        if not 1970 <= day.year <= 2999:
            raise out_of_range
        return CalendarDay(day.year, day.month, day.day, 12, tzinfo=UTC)
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(
            f"{given_as} {text!r} is not an ISO 8601 date or time (e.g. 2026-11-20 or 2026-11-20T09:00:00Z)"
        ) from None
    # Calendars are computed years ahead of `now`; far-off years would overflow Python's dates (and
    # a time near year 1 or 9999 overflows as soon as it is moved to UTC).
    if not 1970 <= value.year <= 2999:
        raise out_of_range
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(default_tz))
    return value.astimezone(UTC)


def parse_time(value: str | None) -> datetime | None:
    """A timestamp as GitHub writes it (ISO 8601, `Z` for UTC), or None when there is none."""
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def real_now() -> datetime:
    """The wall clock (tests pin it), to tell a backfill from a typo far in the future."""
    return datetime.now(UTC)


def local_date(moment: datetime, tz: str) -> date:
    """The calendar date it is in `tz` at `moment` (DST-aware)."""
    if isinstance(moment, CalendarDay):
        return date(moment.year, moment.month, moment.day)
    return moment.astimezone(ZoneInfo(tz)).date()


def local_now(moment: datetime, tz: str) -> datetime:
    """`moment` on the clock in `tz`; a CalendarDay becomes midday of that day there."""
    if isinstance(moment, CalendarDay):
        return datetime(moment.year, moment.month, moment.day, 12, tzinfo=ZoneInfo(tz))
    return moment.astimezone(ZoneInfo(tz))


def is_workday(day: date) -> bool:
    return day.weekday() < 5


def next_workday(day: date) -> date:
    """`day` itself on a weekday, else the following Monday."""
    while not is_workday(day):
        day += timedelta(days=1)
    return day


def add_workdays(day: date, n: int) -> date:
    """Move n workdays forward (or back, for negative n), skipping Saturdays and Sundays."""
    step = 1 if n >= 0 else -1
    remaining = abs(n)
    current = day
    while remaining:
        current += timedelta(days=step)
        if is_workday(current):
            remaining -= 1
    return current


def iso_week_label(day: date) -> str:
    """ISO week such as 2026-W53 (the ISO year, which differs from the calendar year near New Year)."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def duration_text(delta: timedelta) -> str:
    """A duration in the largest whole unit that says it exactly: `3 day(s)`, `12 hour(s)`,
    `15 minute(s)`."""
    minutes = int(delta.total_seconds() // 60)
    if minutes and minutes % (24 * 60) == 0:
        return f"{minutes // (24 * 60)} day(s)"
    if minutes and minutes % 60 == 0:
        return f"{minutes // 60} hour(s)"
    return f"{minutes} minute(s)"
