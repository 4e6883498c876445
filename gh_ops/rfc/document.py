"""Reading an RFC's Markdown: its sections by heading (any level, any of the configured headings),
template placeholders, @mentions, the people whose feedback is wanted, and decision dates in the forms
people write them. Pure functions; what the text must hold is decided in rules.py."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from gh_ops import dates
from gh_ops.config import Config
from gh_ops.markup import without_comments
from gh_ops.rfc.settings import RfcSettings, heading_key

DATE_FORMS = "2026-12-01, 1 December 2026, 1 Dec 2026, Dec 1, 2026 or December 1 2026"

# Time zone abbreviations (in any case), read as the fixed offset they name. CET is +01:00 even in
# summer: a writer who means summer time writes CEST. Ambiguous ones (CST, IST, ...) are not
# accepted; write an offset such as +08:00 instead.
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
class RfcSection:
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
    return {
        heading_key(h): sid for sid, headings in cfg.section(RfcSettings).sections.items() for h in headings
    }


def parse_sections(body: str | None, cfg: Config) -> dict[str, RfcSection]:
    """The RFC sections found in a Markdown body, by section id.

    Headings of any level count, matched to the configured headings in any case, with
    punctuation, emoji and numbering ignored. A section runs to the next heading of the same or a
    higher level. When a section appears twice the first filled one counts.
    """
    lines = (body or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    start = _front_matter_end(lines)
    headings = _headings(lines[start:])
    ids = section_ids(cfg)
    sections: dict[str, RfcSection] = {}
    for n, heading in enumerate(headings):
        sid = ids.get(heading_key(heading.text))
        if sid is None:
            continue
        end = next((h.first for h in headings[n + 1 :] if h.level <= heading.level), len(lines) - start)
        text = "\n".join(lines[start + heading.last + 1 : start + end]).strip("\n")
        section = RfcSection(sid, heading.text.strip(), heading.level, start + heading.first + 1, text)
        if sid not in sections or (sections[sid].empty and not section.empty):
            sections[sid] = section
    return sections


# --- placeholders ------------------------------------------------------------------------------

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
    for paragraph in re.split(r"\n[ \t]*\n", without_comments(text)):
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

MENTION = re.compile(
    r"(?<![A-Za-z0-9@/.`-])@(?P<login>[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38})"
    r"(?:/(?P<team>[A-Za-z0-9][A-Za-z0-9_.-]*[A-Za-z0-9_]|[A-Za-z0-9]))?(?![A-Za-z0-9-])"
)


def mentions(text: str) -> list[str]:
    """The @logins (and @org/team) in text, in order, each once (compared in any case)."""
    seen: dict[str, str] = {}
    for match in MENTION.finditer(text):
        name = match.group("login") + (f"/{match.group('team')}" if match.group("team") else "")
        seen.setdefault(name.casefold(), name)
    return list(seen.values())


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
        found = list(MENTION.finditer(line))
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
    r"[ \t]*(?:,[ \t]*)?(?:at[ \t]+|T)?(?P<hour>\d{1,2})"
    r"(?::(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d{1,9})?)?)?"
    r"(?:[ \t]*(?P<ampm>[ap])\.?m\.?(?!\w))?(?!\d|:\d)",
    re.I,
)
# The words on the date's line after the date (and time), where a zone may be written: an offset
# (tried first: `UTC+2`, `-0500`), a word that may hold slashes, digits, + and - (Etc/GMT+12,
# America/Port-au-Prince) and may end in a full stop, the spaces, commas, parentheses and dashes
# between them, and anything else (a number, a full stop), which ends the search: what follows is
# another sentence. A full stop after a word in NOT_ZONES is an abbreviation's (`17:00 hrs. PST`).
_TOKEN = re.compile(
    r"(?P<offset>(?i:(?:UTC|GMT)?[+-]\d{1,2}(?::?\d{2})?)(?![\d:]))"
    r"|(?P<word>[^\W\d_][\w+-]*(?:/[\w+-]+)*)(?P<dot>\.)?"
    r"|(?P<gap>(?:[\s,()\[\]\u2013\u2014]|-(?!\d))+)"
    r"|(?P<end>.)"
)
_OFFSET = re.compile(r"(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?", re.I)
# An offset that cannot be a count (`+1 week`) where the line may be prose: UTC+1, +01, +0100.
_PLAIN_OFFSET = re.compile(r"(?:UTC|GMT)[+-]\d{1,2}(?::?\d{2})?|[+-]\d{2}(?::?\d{2})?", re.I)
# Words that may follow a date or a time without being a zone, in any case; a zone may still come
# after them (`17:00 hrs UTC`, `5pm sharp PST`, `2026-12-01 EOD CET`, `17:00 (Tuesday) CET`). The
# list is deliberately small and explicit: right after a time (or its `hrs`) a word in none of these
# that is not a zone is refused (`17:00 localtime`), and after a date alone or these words one that
# looks like a zone (_looks_like_zone) is read or refused, never left for the config's timezone.
CLOCK_WORDS = frozenset({"h", "hr", "hrs", "hours"})  # part of the time: `17:00 hrs`
NOT_ZONES = frozenset(
    {
        *CLOCK_WORDS,
        # carrying on the sentence: `17:00 at the latest`, `2026-12-01, or earlier if ...`
        *("sharp", "at", "on", "by", "or", "and", "the", "latest", "earliest", "earlier", "later"),
        *("if", "to", "till", "until", "before", "after", "unless", "so", "but", "then", "please"),
        *("and/or",),
        # the end of the day, which a date alone already means: `2026-12-01 EOD`, `end of day`
        *("eod", "cob", "eob", "end", "of", "day", "close", "business"),
        *("tbc", "tbd", "asap"),  # `2026-12-01 (TBC)`: the date as written until it changes
        *("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
        *("mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun"),
    }
)
# Abbreviations that name several zones (CST: US Central, China or Cuba; IST: India, Ireland or
# Israel), and words that name a zone no one can read (`Pacific`, `localtime`): refused in any case.
AMBIGUOUS_ZONES = frozenset({"CST", "IST", "AST", "GST", "SST"})
ZONE_WORDS = frozenset({"local", "localtime", "pacific", "eastern", "central", "mountain", "atlantic"})


class UnreadableDate(Exception):
    """Why a decision date cannot be read."""


def parse_decision_date(text: str, tz: str | tzinfo) -> datetime | None:
    """The decision date in a section's text, or None when there is none or it cannot be read.

    The first date in the text counts, in any of the forms in DATE_FORMS, optionally followed by a
    time (17:00, 5pm, T17:00:00) and a zone: an abbreviation from ZONE_OFFSETS, an offset (+01:00,
    -0500, Z, UTC+1) or an IANA name (Europe/Paris, Etc/GMT+12), in any case, possibly after words in
    NOT_ZONES (`17:00 hrs UTC`, `2026-12-01 EOD PST`). A date alone means the end of that day; a time
    or date without a zone is read in `tz`. A zone that cannot be read makes the date unreadable, and
    so does any other word right after a time (`17:00 localtime`); see _written_zone.
    """
    try:
        return read_decision_date(text, tz)
    except UnreadableDate:
        return None


def read_decision_date(text: str, tz: str | tzinfo) -> datetime:
    """The decision date in a section's text, as parse_decision_date reads it; UnreadableDate says why
    there is none."""
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    text = re.sub(r"[*~`]|(?<!\w)_|_(?!\w)", "", without_placeholders(text))  # emphasis, not New_York
    matches = [m for form in _DATE_FORMS if (m := form.search(text))]
    if not matches:
        raise UnreadableDate(f"no date found: write it as {DATE_FORMS}")
    match = min(matches, key=lambda m: m.start())
    month = match.group("month")
    month_number = int(month) if month.isdigit() else _month_number(month)
    try:
        day = date(int(match.group("year")), month_number, int(match.group("day")))
    except ValueError:
        raise UnreadableDate(f"{match.group(0).strip()!r} is not a real calendar date") from None
    clock: time | None = None
    rest = text[match.end() :].split("\n", 1)[0]  # a time or zone is on the date's line
    if (found := _TIME.match(rest)) and (found.group("minute") or found.group("ampm")):
        clock = _clock(found)
        rest = rest[found.end() :]
    zone = _written_zone(rest, after_time=clock is not None) or zone
    if clock is None:
        return datetime.combine(day, time.max, tzinfo=zone)
    return datetime.combine(day, clock, tzinfo=zone)


def _written_zone(rest: str, *, after_time: bool) -> tzinfo | None:
    """The zone written in `rest` of the date's line, None when there is none; UnreadableDate when a
    zone is written that cannot be read.

    Words in NOT_ZONES are passed over (CLOCK_WORDS belong to the time). Right after a time every
    other word is taken for a zone (`17:00 London`, `17:00 hrs London` are refused). Elsewhere only a
    word that looks like one is: right after a date any zone name (`2026-12-01 Japan`); after words
    that carry on the sentence, a zone by its look (`17:00 at the latest CET`, not `... so the Japan
    team can`). The first other word ends the search: the rest is prose.
    """
    words: list[str] = []
    for token in _TOKEN.finditer(rest):
        if token.group("end") is not None:
            break
        if token.group("gap") is None:
            word = token.group("offset") or token.group("word") or ""
            words.append(word)
            if token.group("dot") and word.casefold() not in NOT_ZONES:
                break
    strict, named = after_time, True
    for index, word in enumerate(words):
        folded = word.casefold()
        if folded in CLOCK_WORDS:
            continue  # part of the time: `17:00 hrs London` is `17:00 London`
        if folded in NOT_ZONES:
            strict = named = False
            continue
        following = words[index + 1] if index + 1 < len(words) else ""
        if strict or _looks_like_zone(word, following) or (named and dates.zone_named(word)):
            return _zone(word)
        return None
    return None


def _looks_like_zone(word: str, following: str) -> bool:
    """Whether a word is written as a zone, readable or not: an offset, a name with a slash, a known
    or ambiguous abbreviation in any case, an upper-case word of 2 to 5 letters (`XYZ`), a word such
    as `Pacific` or `localtime`, or a capitalised word before `time` (`London time`)."""
    return bool(
        _PLAIN_OFFSET.fullmatch(word)
        or "/" in word
        or word.upper() in ZONE_OFFSETS
        or word.upper() in AMBIGUOUS_ZONES
        or re.fullmatch(r"[A-Z]{2,5}", word)
        or word.casefold() in ZONE_WORDS
        or (word[0].isupper() and following.casefold() == "time")
    )


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
            raise UnreadableDate(f"{found.group(0).strip()!r} is not a time of day")
        hour = hour % 12 + (12 if found.group("ampm").lower() == "p" else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise UnreadableDate(f"{found.group(0).strip()!r} is not a time of day")
    return time(hour, minute, second)


def _zone(name: str) -> tzinfo:
    """The zone a name (in any case) or an offset names; UnreadableDate when it names none."""
    if name.upper() in ZONE_OFFSETS:
        return timezone(timedelta(hours=ZONE_OFFSETS[name.upper()]))
    if name.upper() in AMBIGUOUS_ZONES:
        raise UnreadableDate(
            f"unknown time zone {name!r}: it names more than one, so write an offset such as +08:00 "
            "or an IANA name such as America/Chicago"
        )
    offset = _OFFSET.fullmatch(name)
    if offset:
        sign, hours, minutes = offset.group(1), int(offset.group(2)), int(offset.group(3) or 0)
        if hours > 14 or minutes > 59:
            raise UnreadableDate(f"{name} is not a time zone offset")
        delta = timedelta(hours=hours, minutes=minutes)
        return timezone(-delta if sign == "-" else delta)
    canonical = dates.zone_named(name)
    if canonical is not None:
        return ZoneInfo(canonical)  # Etc/GMT+12 is UTC-12: the database's POSIX sign, as named
    raise UnreadableDate(
        f"unknown time zone {name!r}: use one of {', '.join(sorted(ZONE_OFFSETS))}, an offset such as "
        "+01:00, or an IANA name such as Europe/Paris (or no zone, for the config's timezone)"
    )
