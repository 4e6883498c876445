"""RFC pull requests, read offline: which are RFCs, their sections, decider, date, feedback, problems."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from gh_ops.config import Config, heading_key
from gh_ops.errors import UsageError

# --- what a report says ------------------------------------------------------------------------

VALID = "valid"  # every section is there and filled; the decision date is still ahead
OVERDUE = "overdue"  # well formed, open, undecided, and the decision date has passed
MALFORMED = "malformed"  # at least one problem
DECIDED = "decided"  # well formed, and the Decision section is filled in

# The sections every RFC needs, in the order the template has them. "decision" is filled in later.
REQUIRED_SECTIONS = (
    "decision_to_make",
    "decision_maker",
    "decision_date",
    "feedback",
    "problem",
    "recommendation",
    "context",
)
DECISION_SECTION = "decision"

# What belongs in each section: used in the "how to fix" of a problem.
SECTION_PURPOSE = {
    "decision_to_make": "the question being decided, in a sentence or two",
    "decision_maker": "the one person who makes the decision, as @login",
    "decision_date": "the date the decision will be made by, such as 2026-12-01",
    "feedback": "the people whose feedback you need, as @login, each marked required or optional",
    "problem": "the problem the decision solves, and who has it",
    "recommendation": "what you recommend, and why",
    "context": "what the people giving feedback need to know",
    DECISION_SECTION: "what was decided, written by the decision maker before merging",
}

# Every problem code `check_rfc` can return. They are a contract: checks and comments refer to them.
PROBLEM_CODES = (
    "title-empty",
    "section-missing",
    "section-empty",
    "decision-maker-none",
    "decision-maker-several",
    "decision-maker-team",
    "decision-date-unreadable",
    "decision-date-before-opening",
    "decision-date-too-late",
    "feedback-no-people",
    "decision-not-recorded",
)

DATE_FORMS = "2026-12-01, 1 December 2026, 1 Dec 2026, Dec 1, 2026 or December 1 2026"

# Time zone abbreviations, read as the fixed offset they name. CET is +01:00 even in summer: a
# writer who means summer time writes CEST. Ambiguous ones (CST, IST, ...) are not accepted;
# write an offset such as +08:00 instead.
ZONE_OFFSETS = {
    "Z": 0,
    "UTC": 0,
    "GMT": 0,
    "WET": 0,
    "WEST": 1,
    "BST": 1,
    "CET": 1,
    "CEST": 2,
    "EET": 2,
    "EEST": 3,
    "EST": -5,
    "EDT": -4,
    "CDT": -5,
    "MST": -7,
    "MDT": -6,
    "PST": -8,
    "PDT": -7,
    "JST": 9,
    "AEST": 10,
    "AEDT": 11,
}


@dataclass(frozen=True)
class RfcProblem:
    """One thing wrong with an RFC: a stable code, what is wrong, and how to fix it."""

    code: str
    message: str
    fix: str
    section: str | None = None  # the section id it is about
    line: int | None = None  # 1-based line of that section's heading in the body

    def __str__(self) -> str:
        return f"{self.message} {self.fix}"


@dataclass(frozen=True)
class Section:
    """A section of an RFC: the heading that named it and the text under it (up to the next heading
    of the same or a higher level)."""

    id: str
    heading: str  # as written
    level: int
    line: int  # 1-based line of the heading in the body
    text: str

    @property
    def empty(self) -> bool:
        """Nothing but template prompts, HTML comments or filler such as TBD."""
        return is_placeholder(self.text)


@dataclass(frozen=True)
class FeedbackWanted:
    login: str  # a login, or org/team for a team
    required: bool


@dataclass(frozen=True)
class RfcReport:
    status: str  # VALID, OVERDUE, MALFORMED or DECIDED
    problems: tuple[RfcProblem, ...]
    title: str  # without the prefix
    sections: dict[str, Section]
    decider: str | None
    decision_date: datetime | None
    days_after_opening: int | None  # the decision date's day, counted from the day the PR opened
    feedback: tuple[FeedbackWanted, ...]
    decided: bool  # the Decision section is filled in
    overdue: bool  # open, undecided, and past the decision date (whatever else is wrong)

    @property
    def ok(self) -> bool:
        return not self.problems


# --- which pull requests are RFCs --------------------------------------------------------------


def has_prefix(title: str | None, cfg: Config) -> bool:
    return (title or "").lstrip().casefold().startswith(cfg.rfc.title_prefix.casefold())


def strip_prefix(title: str | None, cfg: Config) -> str:
    """The title without the RFC prefix, spaces collapsed."""
    text = " ".join((title or "").split())
    if has_prefix(text, cfg):
        text = text[len(cfg.rfc.title_prefix) :].strip()
    return text


def in_rfc_folder(path: str, cfg: Config) -> bool:
    """A file under the RFC folder (its README aside: editing that is not an RFC)."""
    path = path.replace("\\", "/").removeprefix("./")
    if not path.startswith(cfg.rfc.folder):
        return False
    rest = path[len(cfg.rfc.folder) :]
    return bool(rest) and not ("/" not in rest and rest.casefold().startswith("readme"))


def is_rfc(
    title: str | None, labels: Iterable[str], changed_files: Iterable[str] | None, cfg: Config
) -> bool | None:
    """True for a pull request with the title prefix (any case), the RFC label, or a file changed
    under the RFC folder. None when only the changed files could tell and they are unknown."""
    if has_prefix(title, cfg):
        return True
    label = cfg.rfc.label.casefold()
    if any(name.casefold() == label for name in labels):
        return True
    if changed_files is None:
        return None
    return any(in_rfc_folder(path, cfg) for path in changed_files)


# --- sections ----------------------------------------------------------------------------------

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]|$)")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_NOT_PARAGRAPH = re.compile(r"^\s*(?:[-*+][ \t]|\d+[.)][ \t]|>|\||<)")


@dataclass(frozen=True)
class _Heading:
    level: int
    text: str
    first: int  # 0-based index of its first line
    last: int  # 0-based index of its last line (the underline of a setext heading)


def _front_matter_end(lines: list[str]) -> int:
    """The index after a YAML front matter block at the top of a document, or 0."""
    if not lines or lines[0].strip() != "---":
        return 0
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            return i + 1
        if lines[i].strip() and not re.match(r"^(?:[\w-]+:|\s|#)", lines[i]):
            return 0
    return 0


def _headings(lines: list[str]) -> list[_Heading]:
    """ATX (`## Title`) and setext (underlined) headings, outside code fences and HTML comments."""
    found: list[_Heading] = []
    fence: str | None = None
    in_comment = False
    paragraph: list[int] = []  # indexes of the plain lines just above
    for i, line in enumerate(lines):
        if fence is not None:
            stripped = line.strip()
            if stripped.startswith(fence) and not stripped.strip(fence[0]):
                fence = None
            continue
        if in_comment:
            in_comment = "-->" not in line
            continue
        if match := _FENCE.match(line):
            fence = match.group(1)
            paragraph = []
            continue
        if line.lstrip(" ").startswith("<!--") and len(line) - len(line.lstrip(" ")) <= 3:
            in_comment = "-->" not in line.split("<!--", 1)[1]
            paragraph = []
            continue
        if match := _ATX.match(line):
            found.append(_Heading(len(match.group(1)), _atx_text(line[match.end() :]), i, i))
            paragraph = []
            continue
        if paragraph and _SETEXT.match(line):
            text = " ".join(lines[j].strip() for j in paragraph)
            found.append(_Heading(1 if line.strip()[0] == "=" else 2, text, paragraph[0], i))
            paragraph = []
            continue
        if not line.strip() or _NOT_PARAGRAPH.match(line):
            paragraph = []
        else:
            paragraph.append(i)
    return found


def _atx_text(rest: str) -> str:
    """A `## Title ##` heading's text: without the closing #s (when a space precedes them)."""
    text = rest.strip()
    bare = text.rstrip("#")
    if not bare or bare[-1] in " \t":
        text = bare.strip()
    return text


def section_ids(cfg: Config) -> dict[str, str]:
    """Heading key -> section id, from the configured headings."""
    return {heading_key(h): sid for sid, headings in cfg.rfc.sections.items() for h in headings}


def parse_sections(body: str | None, cfg: Config) -> dict[str, Section]:
    """The RFC sections found in a Markdown body, by section id.

    Headings of any level count, matched to the configured headings in any case, with
    punctuation, emoji and numbering ignored. A section runs to the next heading of the same or a
    higher level. When a section appears twice the first filled one counts.
    """
    lines = (body or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    start = _front_matter_end(lines)
    headings = _headings(lines[start:])
    ids = section_ids(cfg)
    sections: dict[str, Section] = {}
    for n, heading in enumerate(headings):
        sid = ids.get(heading_key(heading.text))
        if sid is None:
            continue
        end = next((h.first for h in headings[n + 1 :] if h.level <= heading.level), len(lines) - start)
        text = "\n".join(lines[start + heading.last + 1 : start + end]).strip("\n")
        section = Section(sid, heading.text.strip(), heading.level, start + heading.first + 1, text)
        if sid not in sections or (sections[sid].empty and not section.empty):
            sections[sid] = section
    return sections


# --- placeholders ------------------------------------------------------------------------------

_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
# A whole paragraph (or list item) in italics: a template's prompt, such as `_Say what ..._`. A
# short one (under PROMPT_WORDS words) is taken for an answer someone put in italics: `_2026-12-01_`.
_PROMPT = re.compile(r"\s*(?:[-*+]\s+|\d+[.)]\s+)?(?:\[[ xX]\]\s+)?(?:_[^_\s].*?_|\*[^*\s].*?\*)\s*", re.S)
PROMPT_WORDS = 4
_MARKERS = re.compile(r"^\s*(?:>\s*)*(?:[-*+]\s+|\d+[.)]\s+)?(?:\[[ xX]\]\s*)?")
_FILLER = frozenset(
    {
        "tbd",
        "tbc",
        "todo",
        "to do",
        "to be decided",
        "to be determined",
        "to be confirmed",
        "fill in",
        "fill this in",
        "fill me in",
        "placeholder",
        "xxx",
        "lorem ipsum",
        "@login",
        "@username",
        "@someone",
        "@handle",
        "yyyy-mm-dd",
        "none yet",
    }
)


def _is_filler(line: str) -> bool:
    bare = _MARKERS.sub("", line)
    bare = re.sub(r"[*_~`]", "", bare).strip().strip(".:;,!?…").strip().casefold()
    return not bare or bare in _FILLER or bool(re.fullmatch(r"<[^<>]*>", bare))


def _is_prompt(text: str) -> bool:
    return len(text.split()) >= PROMPT_WORDS and bool(_PROMPT.fullmatch(text))


def without_placeholders(text: str) -> str:
    """The text with HTML comments, italic prompts and filler lines (TBD, `<...>`, ...) taken out."""
    kept: list[str] = []
    for paragraph in re.split(r"\n[ \t]*\n", _COMMENT.sub("", text)):
        if _is_prompt(paragraph):
            continue
        lines = [line for line in paragraph.split("\n") if not (_is_prompt(line) or _is_filler(line))]
        if lines:
            kept.append("\n".join(lines))
    return "\n\n".join(kept)


def is_placeholder(text: str) -> bool:
    """True when nothing but template leftovers remains: no letter or digit outside them."""
    return not any(ch.isalnum() for ch in without_placeholders(text))


# --- people ------------------------------------------------------------------------------------

_MENTION = re.compile(
    r"(?<![A-Za-z0-9@/.`-])@(?P<login>[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38})"
    r"(?:/(?P<team>[A-Za-z0-9][A-Za-z0-9_.-]*[A-Za-z0-9_]|[A-Za-z0-9]))?(?![A-Za-z0-9-])"
)


def mentions(text: str) -> list[str]:
    """The @logins (and @org/team) in text, in order, each once (compared in any case)."""
    seen: dict[str, str] = {}
    for match in _MENTION.finditer(text):
        name = match.group("login") + (f"/{match.group('team')}" if match.group("team") else "")
        seen.setdefault(name.casefold(), name)
    return list(seen.values())


def decision_maker(section_text: str) -> str | RfcProblem:
    """The one @login in the Decision maker section, or the problem with it."""
    named = mentions(without_placeholders(section_text))
    teams = [n for n in named if "/" in n]
    how = "Name the one person who makes the decision as @login (usually the person who will own the work)."
    if teams:
        return RfcProblem(
            "decision-maker-team",
            f"the decision maker is a team (@{teams[0]}): one person decides, not a team.",
            how,
            "decision_maker",
        )
    if not named:
        return RfcProblem(
            "decision-maker-none", "the decision maker is not named as an @login.", how, "decision_maker"
        )
    if len(named) > 1:
        listed = ", ".join(f"@{n}" for n in named)
        return RfcProblem(
            "decision-maker-several",
            f"the decision maker section names {len(named)} people ({listed}): exactly one person decides.",
            how + " Ask the others for feedback instead.",
            "decision_maker",
        )
    return named[0]


_OPTIONAL = re.compile(r"\boptional(?:ly)?\b", re.I)
_REQUIRED = re.compile(r"\b(?:required|mandatory)\b", re.I)


def feedback_people(text: str) -> list[tuple[str, bool]]:
    """The people named in the feedback section, each with whether their feedback is required.

    A line that says "optional" makes the people on it optional; "required" (or nothing) makes them
    required. A line of only "Optional:" (or "Required:") applies to the lines below it. A line
    that says both applies each word to the people it belongs to (`@a (required), @b (optional)`).
    """
    result: dict[str, tuple[str, bool]] = {}
    default = True
    for line in without_placeholders(text).split("\n"):
        found = list(_MENTION.finditer(line))
        optional, required = bool(_OPTIONAL.search(line)), bool(_REQUIRED.search(line))
        if not found:
            if optional != required:
                default = required
            continue
        if optional and required:
            marks = _marks_per_mention(line, found, default)
        else:
            marks = [not optional if (optional or required) else default] * len(found)
        for match, is_required in zip(found, marks, strict=True):
            name = match.group("login") + (f"/{match.group('team')}" if match.group("team") else "")
            key = name.casefold()
            if key not in result or (is_required and not result[key][1]):
                result[key] = (result[key][0] if key in result else name, is_required)
    return list(result.values())


def _marks_per_mention(line: str, found: list[re.Match[str]], default: bool) -> list[bool]:
    """For a line that says both words: each person's word is the last one before them when the
    line starts with one (`Required: @a Optional: @b`), else the first one after them
    (`@a (required), @b (optional)`)."""
    events = sorted(
        [(m.start(), False) for m in _OPTIONAL.finditer(line)]
        + [(m.start(), True) for m in _REQUIRED.finditer(line)]
        + [(m.start(), None) for m in found]
    )
    marks: list[bool] = []
    if events[0][1] is not None:  # labels lead
        current = default
        for _, mark in events:
            if mark is None:
                marks.append(current)
            else:
                current = mark
        return marks
    pending: bool | None = None
    for _, mark in reversed(events):
        if mark is None:
            marks.append(default if pending is None else pending)
            pending = None
        else:
            pending = mark
    return marks[::-1]


# --- decision date -----------------------------------------------------------------------------

_MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})(?!\d)"
_DATE_FORMS = (
    re.compile(r"(?<!\d)(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})(?!\d)"),
    re.compile(rf"(?<![\w]){_DAY}\s+{_MONTH},?\s+{_YEAR}", re.I),
    re.compile(rf"(?<![\w]){_MONTH}\s+{_DAY},?\s+{_YEAR}", re.I),
)
# Spaces are [ \t]: a time or zone is on the date's line. No two parts can match the same spaces,
# so a long run of them cannot make the match slow.
_TIME = re.compile(
    r"[ \t]*(?:,[ \t]*)?(?:at[ \t]+|T)?(?P<hour>\d{1,2})(?::(?P<minute>\d{2})(?::(?P<second>\d{2}))?)?"
    r"(?:[ \t]*(?P<ampm>[ap])\.?m\.?(?!\w))?(?!\d|:\d)",
    re.I,
)
_ZONE = re.compile(
    r"[ \t]*(?:,[ \t]*)?(?:\([ \t]*)?(?P<zone>(?:UTC|GMT)?[+-]\d{1,2}(?::?\d{2})?"
    rf"|(?i:{'|'.join(sorted(ZONE_OFFSETS, key=len, reverse=True))})(?!\w)"
    r"|[A-Za-z]+/[A-Za-z_]+(?:/[A-Za-z_]+)?|[A-Z]{2,5}(?!\w))"
)


class _Unreadable(Exception):
    """Why a decision date cannot be read."""


def parse_decision_date(text: str, tz: str | tzinfo) -> datetime | None:
    """The decision date in a section's text, or None when there is none or it cannot be read.

    The first date in the text counts, in any of the forms in DATE_FORMS, optionally followed by a
    time (17:00, 5pm, T17:00:00) and a zone: an abbreviation from ZONE_OFFSETS, an offset (+01:00,
    -0500, Z, UTC+1) or an IANA name (Europe/Paris). A date alone means the end of that day; a
    time or date without a zone is read in `tz`.
    """
    try:
        return _decision_date(text, tz)
    except _Unreadable:
        return None


def _decision_date(text: str, tz: str | tzinfo) -> datetime:
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    text = re.sub(r"[*~`]|(?<!\w)_|_(?!\w)", "", without_placeholders(text))  # emphasis, not New_York
    matches = [m for form in _DATE_FORMS if (m := form.search(text))]
    if not matches:
        raise _Unreadable(f"no date found: write it as {DATE_FORMS}")
    match = min(matches, key=lambda m: m.start())
    month = match.group("month")
    month_number = int(month) if month.isdigit() else _month_number(month)
    try:
        day = date(int(match.group("year")), month_number, int(match.group("day")))
    except ValueError:
        raise _Unreadable(f"{match.group(0).strip()!r} is not a real calendar date") from None
    clock: time | None = None
    rest = text[match.end() :]
    if (found := _TIME.match(rest)) and (found.group("minute") or found.group("ampm")):
        clock = _clock(found)
        rest = rest[found.end() :]
    found = _ZONE.match(rest)
    if found and (clock is not None or found.group("zone") in ZONE_OFFSETS):
        zone = _zone(found.group("zone"))  # after a date alone, only a known abbreviation (not "EOD")
    if clock is None:
        return datetime.combine(day, time.max, tzinfo=zone)
    return datetime.combine(day, clock, tzinfo=zone)


def _month_number(name: str) -> int:
    name = name.casefold().rstrip(".")
    return next(n for n, full in enumerate(_MONTH_NAMES, start=1) if full.startswith(name[:3]))


def _clock(found: re.Match[str]) -> time:
    hour, minute, second = (
        int(found.group("hour")),
        int(found.group("minute") or 0),
        int(found.group("second") or 0),
    )
    if found.group("ampm"):
        if not 1 <= hour <= 12:
            raise _Unreadable(f"{found.group(0).strip()!r} is not a time of day")
        hour = hour % 12 + (12 if found.group("ampm").lower() == "p" else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise _Unreadable(f"{found.group(0).strip()!r} is not a time of day")
    return time(hour, minute, second)


def _zone(name: str) -> tzinfo:
    if name.upper() in ZONE_OFFSETS:
        return timezone(timedelta(hours=ZONE_OFFSETS[name.upper()]))
    offset = re.fullmatch(r"(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?", name)
    if offset:
        sign, hours, minutes = offset.group(1), int(offset.group(2)), int(offset.group(3) or 0)
        if hours > 14 or minutes > 59:
            raise _Unreadable(f"{name} is not a time zone offset")
        delta = timedelta(hours=hours, minutes=minutes)
        return timezone(-delta if sign == "-" else delta)
    if "/" in name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise _Unreadable(f"unknown time zone {name!r}") from None
    raise _Unreadable(
        f"unknown time zone {name!r}: use one of {', '.join(sorted(ZONE_OFFSETS))}, an offset such as "
        "+01:00, or an IANA name such as Europe/Paris"
    )


# --- the whole check ---------------------------------------------------------------------------


def _heading(cfg: Config, sid: str) -> str:
    return cfg.rfc.sections[sid][0]


def _section_problem(cfg: Config, sid: str, section: Section | None) -> RfcProblem:
    heading = _heading(cfg, sid)
    others = cfg.rfc.sections[sid][1:4]
    also = f" (or {', '.join(others)})" if others else ""
    if section is None:
        return RfcProblem(
            "section-missing",
            f"the “{heading}” section is missing.",
            f"Add a heading `## {heading}`{also} with {SECTION_PURPOSE[sid]}.",
            sid,
        )
    return RfcProblem(
        "section-empty",
        f"the “{section.heading}” section is empty (only template text or TBD).",
        f"Under the heading, write {SECTION_PURPOSE[sid]}.",
        sid,
        section.line,
    )


def check_rfc(
    title: str | None,
    body: str | None,
    opened_at: datetime,
    now: datetime,
    cfg: Config,
    merged: bool = False,
) -> RfcReport:
    """Every problem with an RFC pull request, and the facts read from it.

    `opened_at` is when the pull request was opened; `now` decides whether it is overdue. The
    decision date is at most `rfc.max_decision_days` days after the day it was opened (that day is
    day 0), counted in the config's timezone, and not before it was opened.
    """
    problems: list[RfcProblem] = []
    name = strip_prefix(title, cfg)
    if not name:
        problems.append(
            RfcProblem(
                "title-empty",
                "the title says nothing after the RFC prefix.",
                f"Title the pull request `{cfg.rfc.title_prefix} <what is being decided>`.",
            )
        )
    sections = parse_sections(body, cfg)
    for sid in REQUIRED_SECTIONS:
        section = sections.get(sid)
        if section is None or section.empty:
            problems.append(_section_problem(cfg, sid, section))

    decider = None
    section = sections.get("decision_maker")
    if section is not None and not section.empty:
        found = decision_maker(section.text)
        if isinstance(found, RfcProblem):
            problems.append(RfcProblem(found.code, found.message, found.fix, found.section, section.line))
        else:
            decider = found

    decision_at, days = None, None
    section = sections.get("decision_date")
    if section is not None and not section.empty:
        decision_at, days, problem = _check_date(section, opened_at, cfg)
        if problem is not None:
            problems.append(problem)

    feedback: tuple[FeedbackWanted, ...] = ()
    section = sections.get("feedback")
    if section is not None and not section.empty:
        feedback = tuple(FeedbackWanted(login, required) for login, required in feedback_people(section.text))
        if not feedback:
            problems.append(
                RfcProblem(
                    "feedback-no-people",
                    f"the “{section.heading}” section names nobody as an @login.",
                    "List the people whose feedback you need as @login, and say for each whether it is "
                    "required or optional.",
                    "feedback",
                    section.line,
                )
            )

    decision = sections.get(DECISION_SECTION)
    decided = decision is not None and not decision.empty
    if merged and not decided:
        heading = _heading(cfg, DECISION_SECTION)
        problems.append(
            RfcProblem(
                "decision-not-recorded",
                "the RFC was merged without its decision written down.",
                f"The decision maker writes the decision under `## {heading}` in the pull request "
                "description before merging.",
                DECISION_SECTION,
                decision.line if decision else None,
            )
        )
    overdue = not merged and not decided and decision_at is not None and now > decision_at
    if problems:
        status = MALFORMED
    elif decided:
        status = DECIDED
    else:
        status = OVERDUE if overdue else VALID
    return RfcReport(
        status=status,
        problems=tuple(problems),
        title=name,
        sections=sections,
        decider=decider,
        decision_date=decision_at,
        days_after_opening=days,
        feedback=feedback,
        decided=decided,
        overdue=overdue,
    )


def _check_date(
    section: Section, opened_at: datetime, cfg: Config
) -> tuple[datetime | None, int | None, RfcProblem | None]:
    limit = cfg.rfc.max_decision_days
    try:
        decision_at = _decision_date(section.text, cfg.timezone)
    except _Unreadable as exc:
        return (
            None,
            None,
            RfcProblem(
                "decision-date-unreadable",
                f"the decision date cannot be read: {exc}.",
                f"Write one date, such as {DATE_FORMS}; a time and zone may follow (2026-12-01 17:00 CET).",
                "decision_date",
                section.line,
            ),
        )
    tz = ZoneInfo(cfg.timezone)
    opened_day = opened_at.astimezone(tz).date()
    days = (decision_at.astimezone(tz).date() - opened_day).days
    latest = opened_day + timedelta(days=limit)
    if decision_at < opened_at:
        problem = RfcProblem(
            "decision-date-before-opening",
            f"the decision date ({_show(decision_at)}) is before the pull request was opened "
            f"({opened_day.isoformat()}).",
            f"Pick a date from {opened_day.isoformat()} to {latest.isoformat()}.",
            "decision_date",
            section.line,
        )
        return decision_at, days, problem
    if days > limit:
        problem = RfcProblem(
            "decision-date-too-late",
            f"the decision date ({_show(decision_at)}) is {days} days after the pull request was opened; "
            f"the most is {limit}.",
            f"Decide by {latest.isoformat()} at the latest: a short decision time keeps RFCs moving.",
            "decision_date",
            section.line,
        )
        return decision_at, days, problem
    return decision_at, days, None


def _show(moment: datetime) -> str:
    if moment.timetz().replace(tzinfo=None) == time.max:
        return moment.date().isoformat()
    return moment.strftime("%Y-%m-%d %H:%M %z")


# --- a new RFC document ------------------------------------------------------------------------


def slug(title: str, limit: int = 60) -> str:
    """A file-name slug: lower-case ASCII words joined by hyphens, cut at a word, or `rfc`."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.casefold())
    out = ""
    for word in words:
        candidate = f"{out}-{word}" if out else word
        if len(candidate) > limit:
            break
        out = candidate
    return out or (words[0][:limit] if words else "rfc")


def default_path(cfg: Config, today: date, title: str) -> str:
    """Where `rfc new` writes: `<folder><yyyy-mm-dd>-<slug>.md`."""
    return f"{cfg.rfc.folder}{today.isoformat()}-{slug(strip_prefix(title, cfg))}.md"


def new_context(
    cfg: Config, *, title: str, decider: str | None, decide_by: date, today: date
) -> dict[str, Any]:
    """The variables the RFC template sees."""
    return {
        "rfc": {
            "title": strip_prefix(title, cfg),
            "prefix": cfg.rfc.title_prefix,
            "decider": decider,
            "decision_date": decide_by,
            "max_decision_days": cfg.rfc.max_decision_days,
            "headings": {sid: headings[0] for sid, headings in cfg.rfc.sections.items()},
        },
        "today": today,
        "timezone": cfg.timezone,
    }


def document_text(title: str, body: str) -> str:
    """The RFC file: its title as the first heading, then the rendered body."""
    return f"# {title}\n\n{body.strip()}\n"


_LOGIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}")


@dataclass(frozen=True)
class NewRfc:
    """What `rfc new` will write, checked."""

    title: str  # without the prefix
    decider: str | None
    decide_by: date
    path: str
    warnings: tuple[str, ...] = ()


def plan_new(
    cfg: Config, *, title: str, decider: str | None, by: str | None, out: str | None, today: date
) -> NewRfc:
    """Check the options of `rfc new`; `today` is the date in the config's timezone."""
    name = strip_prefix(title, cfg)
    if not name:
        raise UsageError(
            'the title is empty: say what is being decided, e.g. gh-ops rfc new "Adopt Postgres 17"'
        )
    login = None
    if decider is not None:
        login = decider.strip().removeprefix("@")
        if "/" in login:
            raise UsageError(f"--decider {decider!r} is a team: one person decides; give their login")
        if not _LOGIN.fullmatch(login):
            raise UsageError(f"--decider {decider!r} is not a GitHub login")
    limit = cfg.rfc.max_decision_days
    warnings: list[str] = []
    if by is None:
        decide_by = today + timedelta(days=limit)
    else:
        decide_by = _day(by.strip())
        if decide_by < today:
            raise UsageError(f"--by {by} is in the past (today is {today.isoformat()} in {cfg.timezone})")
        if (decide_by - today).days > limit:
            warnings.append(
                f"--by {decide_by.isoformat()} is more than {limit} days away: the RFC will be reported "
                f"unless its pull request opens on {(decide_by - timedelta(days=limit)).isoformat()} or later"
            )
    return NewRfc(name, login, decide_by, out or default_path(cfg, today, name), tuple(warnings))


def _day(text: str) -> date:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise UsageError(f"--by {text!r} is not a real calendar date") from None
    raise UsageError(f"--by {text!r}: expected a date written YYYY-MM-DD, such as 2026-12-01")
