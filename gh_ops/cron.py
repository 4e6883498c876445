"""Cron expressions as GitHub's `on: schedule` reads them (five fields, UTC): checked, with one
message that says which field is wrong and what it takes."""

from __future__ import annotations

import re

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
    if text.isascii() and text.isdigit() and low <= int(text) <= high:
        return int(text)
    return None


def cron_problem(expression: str) -> str | None:
    """Why GitHub would not run this schedule (None: it is a valid five-field cron)."""
    fields = expression.split()
    if len(fields) != 5:
        return (
            f"cron {expression!r} has {len(fields)} field(s): give five, minute hour day-of-month "
            "month day-of-week, e.g. '0 7 * * 1-5' (UTC)"
        )
    for text, (name, low, high, names) in zip(fields, _FIELDS, strict=True):
        for item in text.split(","):
            match = _ITEM.match(item)
            bad = match is None
            if match is not None and match["low"] is not None:
                first = _value(match["low"], low, high, names)
                last = first if match["high"] is None else _value(match["high"], low, high, names)
                bad = first is None or last is None or last < first
            if match is not None and match["step"] is not None and int(match["step"]) < 1:
                bad = True
            if bad:
                hint = f" or {names[0]}-{names[-1]}" if names else ""
                return (
                    f"cron {expression!r}: the {name} field {text!r} is not valid: expected *, a number "
                    f"{low}-{high}{hint}, a range a-b, a list a,b or a step */n"
                )
    return None
