"""The config file, .github/gh-ops.yml: found, read with the line of every key, checked against the
JSON Schema, and built into frozen objects. This module holds the shared keys (timezone, bot,
trusted_authors, templates_dir, teams, max_writes); each capability's section is built by the capability
itself (its settings.py), found through the registry. Errors name file, line and key.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any, Protocol, TypeVar, runtime_checkable
from zoneinfo import ZoneInfo

from gh_ops import dates
from gh_ops.errors import ConfigError, Problem

DEFAULT_CONFIG_PATH = Path(".github/gh-ops.yml")
EMBEDDED_NAME = "<embedded example config>"
DEFAULT_BOT = "github-actions[bot]"
# Writes per run (--max-writes overrides): under GitHub's cap of about 500 content-creating
# requests an hour, so one run never runs into it; a longer job takes several runs.
DEFAULT_MAX_WRITES = 400
PUBLISHED_SCHEMA = "data/gh-ops.schema.json"  # in the package, for editors (tests keep it in step)

Settings = TypeVar("Settings")


# --- the typed result -----------------------------------------------------------------


@dataclass(frozen=True)
class Team:
    key: str
    name: str
    lead: str
    members: tuple[str, ...]
    labels: tuple[str, ...]
    timezone: str

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def as_context(self) -> dict[str, Any]:
        """The `team` variable templates see."""
        return {
            "key": self.key,
            "name": self.name,
            "lead": self.lead,
            "members": list(self.members),
            "labels": list(self.labels),
            "timezone": self.timezone,
        }


@dataclass(frozen=True)
class Config:
    path: str  # shown in messages: the file name, or EMBEDDED_NAME
    timezone: str
    bot: str
    trusted_authors: tuple[str, ...]
    teams: dict[str, Team]
    templates_dir: Path | None  # the repository's own templates, looked up before the defaults
    sections: dict[type, Any] = field(default_factory=dict)  # each capability's settings, by type
    lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    max_writes: int = DEFAULT_MAX_WRITES  # writes per run before it stops cleanly (--max-writes)
    present: frozenset[str] = field(
        default=frozenset(), compare=False
    )  # the top-level keys the file writes (its enabled sections)
    # `schedules:`: each cron -> the jobs it runs, as command lines (e.g. ("yolo", "audit", "--since", "7d"))
    schedules: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)

    @property
    def embedded(self) -> bool:
        return self.path == EMBEDDED_NAME

    def section(self, kind: type[Settings]) -> Settings:
        """A capability's settings, e.g. `config.section(RfcSettings)`."""
        found = self.sections[kind]
        assert isinstance(found, kind)
        return found

    def trusted(self, login: str | None) -> bool:
        return login is not None and (login == self.bot or login in self.trusted_authors)

    def untrusted_account_error(self, login: str, what: str) -> ConfigError:
        """The token acts as an account whose markers the next run would not trust."""
        return ConfigError(
            f"this token acts as {login}, but {self.path} trusts gh-ops markers only from "
            f"{', '.join((self.bot, *self.trusted_authors))}: every run would open the {what} again. "
            f"Set `bot: {login}` (or add {login} to trusted_authors), or run with the workflow's "
            "GITHUB_TOKEN.",
            file=self.path,
            line=self.line_of("bot"),
        )

    def line_of(self, key_path: str) -> int | None:
        return self.lines.get(key_path)

    def team_key(self, wanted: str) -> str | None:
        """The id of the team given by its id or its name, in any case and spacing; None if none.
        (Ids and names are unique across teams in any case: the config refuses a clash.)"""
        if wanted in self.teams:
            return wanted
        folded = _folded(wanted)
        for key, team in self.teams.items():
            if folded in (key.casefold(), _folded(team.name)):
                return key
        return None

    def team(self, wanted: str) -> Team:
        """The team given by its id or name (as --team takes it)."""
        key = self.team_key(wanted)
        if key is None:
            known = ", ".join(f"{k} ({t.name})" if t.name != k else k for k, t in sorted(self.teams.items()))
            raise ConfigError(
                f"unknown team {wanted!r}: {self.path} defines {known or 'none'}",
                problems=[],
            )
        return self.teams[key]

    def select_teams(self, keys: tuple[str, ...] | list[str]) -> list[Team]:
        if not keys:
            return list(self.teams.values())
        # --team web --team 'Team Web' is one team
        return list({team.key: team for team in map(self.team, keys)}.values())


# --- a capability's section -------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    """A capability's part of the config file: the top-level keys it owns, their JSON Schema, and how
    their values (already checked against that schema) become its frozen settings."""

    keys: tuple[str, ...]
    schema: Mapping[str, Any]  # top-level key -> its schema
    build: Callable[[Source], Any]  # -> the settings object; problems go to the source
    defs: Mapping[str, Any] = field(default_factory=dict)  # $defs its schema refers to
    team_schema: Mapping[str, Any] = field(default_factory=dict)  # keys it adds to every team
    # The values `gh-ops init` writes for its keys (each key it owns, at least one value each, so the
    # section is there as written); keys left out are written commented out, with their default.
    example: Mapping[str, Any] = field(default_factory=dict)


@runtime_checkable
class ManagesLabels(Protocol):
    """Settings whose capability puts labels on issues or pull requests and takes them off again by
    its own rules. Two capabilities doing that to one label would undo each other's work on every
    run, so the core refuses a label that two sections manage."""

    def managed_labels(self) -> Mapping[str, str]:
        """Each label it manages -> the config key that names it (shown, and its line, when known)."""
        ...


@dataclass
class Source:
    """What a section is built from: the whole file's values (a section reads its own keys, and
    teams.<id>.<its key>), the shared settings already built, and where problems go."""

    data: Mapping[str, Any]
    file: str
    lines: Mapping[str, int]
    timezone: str
    teams: Mapping[str, Team]
    problems: list[Problem]

    def raw(self, key: str) -> dict[str, Any]:
        """A section's mapping as written ({} when absent or empty)."""
        return self.data.get(key) or {}

    def problem(self, message: str, key: str) -> None:
        self.problems.append(Problem(message, self.file, self.lines.get(key), key))

    def zone(self, name: str, key: str) -> str:
        if (why := dates.zone_problem(name)) is not None:
            self.problem(why, key)
            return "UTC"  # never used: the config is refused
        return name

    def date(self, text: str, key: str) -> date:
        try:
            return date.fromisoformat(text)
        except ValueError:
            self.problem(f"{text!r} is not a real calendar date (YYYY-MM-DD)", key)
            return date(1970, 1, 1)

    def duration(self, text: str, key: str, default: timedelta) -> timedelta:
        """`2d` or `12h` (the schema has checked the form); `default` when it overflows the calendar."""
        number, unit = _DURATION.match(text).groups()  # type: ignore[union-attr]
        try:
            return timedelta(days=int(number)) if unit == "d" else timedelta(hours=int(number))
        except OverflowError:
            self.problem(f"{key.rsplit('.', 1)[-1]} {text} is longer than the calendar", key)
            return default


_DURATION = re.compile(r"^([1-9][0-9]*)([dh])$")


def login(value: str) -> str:
    """A login as written in the config, without the @ often put in front."""
    return value[1:] if value.startswith("@") else value


# --- the schema ---------------------------------------------------------------------------

CORE_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://gh-ops.invalid/schema/gh-ops.schema.json",
    "title": "gh-ops configuration (.github/gh-ops.yml)",
    "description": "One file configures every gh-ops capability. Unknown keys are errors.",
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "timezone": {
            "$ref": "#/$defs/timezone",
            "description": "IANA timezone used for dates unless a team sets its own. Default: UTC.",
            "default": "UTC",
        },
        "bot": {
            "$ref": "#/$defs/login",
            "description": (
                "The account gh-ops runs as. Only hidden markers in issues authored by this account "
                "(or trusted_authors) are trusted. Default: github-actions[bot]."
            ),
            "default": "github-actions[bot]",
        },
        "trusted_authors": {
            "type": "array",
            "items": {
                "$ref": "#/$defs/login",
            },
            "uniqueItems": True,
            "description": (
                "Other accounts whose gh-ops markers are trusted, e.g. a maintainer who ran gh-ops "
                "with a personal token."
            ),
            "default": [],
        },
        "templates_dir": {
            "type": "string",
            "minLength": 1,
            "description": (
                "Folder of your own templates, relative to this file. Default: gh-ops/templates next "
                "to this file (.github/gh-ops/templates)."
            ),
            "default": "gh-ops/templates",
        },
        "max_writes": {
            "type": "integer",
            "minimum": 1,
            "x-expect": "a whole number of writes, 1 or more",
            "description": (
                "Writes (creations, edits, comments, labels) one run makes at most; the run then stops "
                "cleanly, sets the output `remaining`, and the next run continues where it stopped. "
                "--max-writes overrides it. Default: 400, under GitHub's cap of about 500 "
                "content-creating requests an hour."
            ),
            "default": DEFAULT_MAX_WRITES,
        },
        "schedules": {
            "type": "object",
            "description": (
                "For `gh-ops run` on a schedule: each cron expression of the workflow's `on: schedule` "
                "(five fields, UTC) -> the jobs it runs, each its command words then its options "
                "(the README lists the scheduled jobs). Without it, every schedule runs every "
                "scheduled job of the enabled sections."
            ),
            "additionalProperties": {
                "type": "array",
                "minItems": 1,
                "uniqueItems": True,
                "items": {
                    "type": "string",
                    "minLength": 1,
                    "x-expect": "a job: its command words, then its options",
                },
            },
            "default": {},
        },
        "teams": {
            "type": "object",
            "description": "Small teams, keyed by a short id used on the command line (--team web).",
            "propertyNames": {
                "pattern": "^[A-Za-z0-9][A-Za-z0-9_.-]*$",
                "x-expect": "a team id of letters, digits, '-', '_' or '.'",
            },
            "additionalProperties": {
                "$ref": "#/$defs/team",
            },
            "default": {},
        },
    },
    "$defs": {
        "login": {
            "type": "string",
            "pattern": "^@?[A-Za-z0-9][A-Za-z0-9-]{0,38}(\\[bot\\])?$",
            "x-expect": "a GitHub login such as alice or github-actions[bot]",
        },
        "logins": {
            "type": "array",
            "items": {
                "$ref": "#/$defs/login",
            },
            "uniqueItems": True,
        },
        "label": {
            "type": "string",
            "minLength": 1,
            "maxLength": 50,
            "x-expect": "a label name of 1 to 50 characters",
        },
        "labels": {
            "type": "array",
            "items": {
                "$ref": "#/$defs/label",
            },
            "uniqueItems": True,
        },
        "timezone": {
            "type": "string",
            "minLength": 1,
            "x-expect": "an IANA timezone such as Europe/London or UTC",
        },
        "team": {
            "type": "object",
            "additionalProperties": False,
            "required": [
                "lead",
            ],
            "properties": {
                "name": {
                    "type": "string",
                    "minLength": 1,
                    "description": "Display name. Default: the team id.",
                },
                "lead": {
                    "$ref": "#/$defs/login",
                    "description": (
                        "Team lead, assigned to the team's recurring issues and asked first on its behalf."
                    ),
                },
                "members": {
                    "$ref": "#/$defs/logins",
                    "description": "The team's members, the lead among them.",
                    "default": [],
                },
                "labels": {
                    "$ref": "#/$defs/labels",
                    "description": "Added to every issue gh-ops opens for this team.",
                    "default": [],
                },
                "timezone": {
                    "$ref": "#/$defs/timezone",
                    "description": "Overrides the top-level timezone for this team.",
                },
            },
        },
        "repo": {
            "type": "string",
            "pattern": "^[A-Za-z0-9-]+/[A-Za-z0-9._-]+$",
            "x-expect": "a repository written OWNER/NAME",
        },
    },
}


@cache
def schema() -> dict[str, Any]:
    """The JSON Schema of the whole file: the shared keys, then each registered capability's section."""
    from gh_ops.registry import sections

    composed = copy.deepcopy(CORE_SCHEMA)
    team = composed["$defs"]["team"]["properties"]
    for section in sections():
        composed["properties"].update(copy.deepcopy(dict(section.schema)))
        composed["$defs"].update(copy.deepcopy(dict(section.defs)))
        team.update(copy.deepcopy(dict(section.team_schema)))
    return composed


def published_schema_text() -> str:
    """The schema file shipped for editors; `python -m gh_ops.config` writes it."""
    return json.dumps(schema(), indent=2, ensure_ascii=False) + "\n"


def embedded_example_text() -> str:
    from importlib import resources  # 20 ms: only when the example is read

    return resources.files("gh_ops").joinpath("data/example.yml").read_text("utf-8")


# --- loading ----------------------------------------------------------------------------


def load_config(explicit_path: str | Path | None, *, allow_embedded: bool = False) -> Config:
    """Load the config: an explicit path must exist; the default path may fall back to the example."""
    if explicit_path is not None:
        path = Path(explicit_path)
        if not path.exists():
            raise ConfigError(f"config file {path} not found (given with --config or GH_OPS_CONFIG)")
        if not path.is_file():
            raise ConfigError(f"config path {path} is not a file (given with --config or GH_OPS_CONFIG)")
        return parse_config(_read(path), str(path), base_dir=path.parent)
    if DEFAULT_CONFIG_PATH.is_file():
        return parse_config(
            _read(DEFAULT_CONFIG_PATH), str(DEFAULT_CONFIG_PATH), base_dir=DEFAULT_CONFIG_PATH.parent
        )
    if allow_embedded:
        return parse_config(embedded_example_text(), EMBEDDED_NAME, base_dir=None)
    raise ConfigError(
        f"no config: {DEFAULT_CONFIG_PATH} does not exist. Create it (see `gh-ops preview` for a "
        "working example, or the README) or pass --config PATH."
    )


def _read(path: Path) -> str:
    try:
        return path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config file {path}: {exc}") from None


def parse_config(text: str, file: str, *, base_dir: Path | None) -> Config:
    from gh_ops.yamlfile import parse_yaml  # PyYAML: only when a config is loaded

    data, lines = parse_yaml(text, file)
    if data is None:
        data = {}  # every section has defaults or is optional; commands say what they miss
    if not isinstance(data, dict):
        raise ConfigError(
            f"{file} is not valid",
            problems=[Problem("the file must be a mapping of keys (timezone:, teams:, ...)", file, 1)],
        )
    problems = _schema_problems(data, lines, file)
    if problems:
        raise ConfigError(f"{file} is not valid", problems=problems)
    return _build(data, lines, file, base_dir)


# --- schema validation with line numbers ------------------------------------------------


def _describe(value: Any) -> str:
    kind = {
        bool: "boolean",
        int: "integer",
        float: "number",
        str: "text",
        list: "list",
        dict: "mapping",
    }.get(type(value), type(value).__name__)
    if value is None:
        return "null (nothing)"
    shown = json.dumps(value, default=str, ensure_ascii=False)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return f"{kind} {shown}"


def _schema_problems(data: dict[str, Any], lines: dict[str, int], file: str) -> list[Problem]:
    from jsonschema import Draft202012Validator  # heavy import: only when a config is loaded

    validator = Draft202012Validator(schema())
    problems: list[Problem] = []
    for error in sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path]):
        path = ".".join(str(p) for p in error.absolute_path)
        line = lines.get(path) or 1
        sub = error.schema if isinstance(error.schema, dict) else {}
        expect = sub.get("x-expect")
        if error.validator == "additionalProperties":
            allowed = sorted(sub.get("properties", {}))
            for extra in sorted(set(error.instance) - set(allowed)):
                key = f"{path}.{extra}" if path else extra
                hint = f"; allowed here: {', '.join(allowed)}" if allowed else ""
                problems.append(Problem(f"unknown key {extra!r}{hint}", file, lines.get(key, line), key))
            continue
        if error.validator == "required":
            missing = error.message.split("'")[1] if "'" in error.message else error.message
            problems.append(Problem(f"missing required key {missing!r}", file, line, path or None))
            continue
        if "propertyNames" in error.absolute_schema_path:
            bad = error.instance
            key = f"{path}.{bad}" if path else str(bad)
            problems.append(
                Problem(
                    f"bad name {bad!r}: expected {expect or 'a simple id'}", file, lines.get(key, line), key
                )
            )
            continue
        if error.validator in ("pattern", "minLength", "maxLength", "minimum", "maximum", "enum") and expect:
            problems.append(Problem(f"expected {expect}, got {_describe(error.instance)}", file, line, path))
            continue
        if error.validator == "type":
            wanted = error.validator_value
            wanted = " or ".join(wanted) if isinstance(wanted, list) else wanted
            wanted = {
                "object": "a mapping",
                "array": "a list",
                "string": "text",
                "integer": "a whole number",
                "number": "a number",
                "boolean": "true or false",
            }.get(wanted, wanted)
            hint = ""
            if wanted == "text" and isinstance(error.instance, int | float) and path:
                # `color: 000000` or `anchor: 20260105`: YAML reads digits as a number.
                key = path.rsplit(".", 1)[-1]
                quoted = "'...'" if key.isdigit() else f"{key}: '...'"  # a list item has no key
                hint = f"; YAML reads it as a number: put it in quotes ({quoted})"
            message = f"expected {wanted}, got {_describe(error.instance)}{hint}"
            problems.append(Problem(message, file, line, path))
            continue
        if error.validator == "uniqueItems":
            problems.append(Problem("the list has the same entry twice", file, line, path))
            continue
        if error.validator == "minItems":
            problems.append(Problem("the list is empty: give at least one entry", file, line, path))
            continue
        problems.append(Problem(error.message, file, line, path or None))
    # One value may break two constraints that say the same thing (too short and only spaces).
    unique = list({str(p): p for p in problems}.values())
    return sorted(unique, key=lambda p: p.line or 0)


# --- building -------------------------------------------------------------------------------


def _folded(name: str) -> str:
    """A team id or name as --team compares it: in any case and spacing."""
    return " ".join(name.split()).casefold()


def _check_team_names(teams: dict[str, Team], source: Source) -> None:
    """--team and the forms' Team question take an id or a name: each must point to one team."""
    owner: dict[str, str] = {}
    clashing: set[str] = set()
    for key in teams:
        if (other := owner.setdefault(key.casefold(), key)) != key:
            source.problem(f"team id {key!r} differs from team {other} only in case", f"teams.{key}")
            clashing.add(key)
    for key, team in teams.items():
        if key in clashing:
            continue
        folded = _folded(team.name)
        other = owner.setdefault(folded, key)
        if other != key:
            what = "the id" if other.casefold() == folded else "the name"
            source.problem(
                f"team name {team.name!r} is also {what} of team {other}: --team {team.name!r} "
                "would not know which team you mean",
                f"teams.{key}.name",
            )


def _build(data: dict[str, Any], lines: dict[str, int], file: str, base_dir: Path | None) -> Config:
    from gh_ops.registry import sections

    problems: list[Problem] = []
    source = Source(data, file, lines, "UTC", {}, problems)
    source.timezone = source.zone(data.get("timezone", "UTC"), "timezone")
    teams: dict[str, Team] = {}
    for key, raw in (data.get("teams") or {}).items():
        zone = raw.get("timezone")
        teams[key] = Team(
            key=key,
            name=raw.get("name", key),
            lead=login(raw["lead"]),
            members=tuple(login(m) for m in raw.get("members", [])),
            labels=tuple(raw.get("labels", [])),
            timezone=source.timezone if zone is None else source.zone(zone, f"teams.{key}.timezone"),
        )
    source.teams = teams
    _check_team_names(teams, source)

    templates_dir = None
    if base_dir is not None:
        templates_dir = base_dir / data.get("templates_dir", "gh-ops/templates")
        if "templates_dir" in data and not templates_dir.is_dir():
            source.problem(f"templates_dir {templates_dir} is not a folder", "templates_dir")

    built = {}
    for section in sections():
        settings = section.build(source)
        built[type(settings)] = settings
    _refuse_shared_labels(list(built.values()), source)
    schedules = _schedules(data.get("schedules") or {}, source)
    if problems:  # a shared value may be checked more than once: report each problem once
        unique = list({str(p): p for p in problems}.values())
        unique.sort(key=lambda p: p.line or 0)
        raise ConfigError(f"{file} is not valid", problems=unique)
    return Config(
        path=file,
        timezone=source.timezone,
        bot=login(data.get("bot", DEFAULT_BOT)),
        trusted_authors=tuple(login(a) for a in data.get("trusted_authors", [])),
        teams=teams,
        templates_dir=templates_dir,
        sections=built,
        lines=lines,
        max_writes=int(data.get("max_writes", DEFAULT_MAX_WRITES)),
        present=frozenset(data),
        schedules=schedules,
    )


def _schedules(raw: Mapping[str, list[str]], source: Source) -> dict[str, tuple[tuple[str, ...], ...]]:
    """`schedules:` checked: each key a five-field cron, each job one that an enabled section
    schedules (its command words, then its arguments)."""
    import shlex

    from gh_ops.cron import cron_problem
    from gh_ops.registry import capabilities

    present = set(source.data)
    jobs: dict[str, tuple[str, bool]] = {}  # command words -> (whose, enabled)
    for capability, section in zip(capabilities(), _sections(), strict=True):
        for job in capability.scheduled:
            jobs[job.command] = (capability.name, bool(set(section.keys) & present))
    built: dict[str, tuple[tuple[str, ...], ...]] = {}
    for cron, listed in raw.items():
        key = f"schedules.{cron}"
        if (why := cron_problem(str(cron))) is not None:
            source.problem(why, key)
            continue
        lines = []
        for index, text in enumerate(listed):
            where = f"{key}.{index}" if f"{key}.{index}" in source.lines else key
            try:
                words = tuple(shlex.split(text))
            except ValueError as exc:
                source.problem(f"cannot split the job {text!r}: {exc}", where)
                continue
            command = " ".join(w for w in words[:2] if not w.startswith("-"))
            found = jobs.get(command)
            if found is None:
                known = ", ".join(sorted(job for job, (_, on) in jobs.items() if on)) or "none"
                source.problem(
                    f"{text!r} is not a scheduled job: the enabled sections schedule {known}", where
                )
            elif not found[1]:
                source.problem(
                    f"{text!r} is a job of {found[0]}, whose section is not in this file: add it, "
                    "or remove the job",
                    where,
                )
            elif (wrong := _job_args_problem(words)) is not None:
                source.problem(f"job {text!r}: {wrong}", where)
            else:
                lines.append(words)
        built[str(cron)] = tuple(lines)
    return built


def _job_args_problem(words: tuple[str, ...]) -> str | None:
    """What is wrong with a scheduled job's options (an unknown or incomplete option, an extra
    argument), found by parsing them against its click command without running it; None if fine."""
    import click

    from gh_ops.registry import capabilities

    group = next((c for cap in capabilities() for c in cap.commands if c.name == words[0]), None)
    command = group.commands.get(words[1]) if isinstance(group, click.Group) else None
    if command is None:
        return None
    context = click.Context(command, info_name=" ".join(words[:2]))
    try:
        _, extra, _ = command.make_parser(context).parse_args(list(words[2:]))
    except click.UsageError as exc:
        return exc.format_message()
    if extra and not any(isinstance(p, click.Argument) for p in command.params):
        return f"unexpected argument(s) {' '.join(extra)!r}"
    return None


def _sections() -> tuple[Section, ...]:
    from gh_ops.registry import sections

    return sections()


def _refuse_shared_labels(settings: list[Any], source: Source) -> None:
    """A label two sections manage (GitHub compares names in any case): one problem per collision, at
    the key the file writes (the later one when it writes both), naming both keys."""
    owners: dict[str, tuple[int, str, str]] = {}  # folded name -> (section index, name, key)
    for index, built in enumerate(settings):
        if not isinstance(built, ManagesLabels):
            continue
        for name, key in built.managed_labels().items():
            owner = owners.setdefault(name.casefold(), (index, name, key))
            if owner[0] == index:
                continue  # a section keeps its own labels apart (its build says so when they meet)
            (first_key, first), (later_key, later) = sorted(
                ((owner[2], owner[1]), (key, name)), key=lambda pair: source.lines.get(pair[0], 0)
            )
            source.problem(
                f"{later_key} {later!r} is also managed by {first_key}"
                + (f" ({first!r})" if first != later else "")
                + ": each would add and remove the label by its own rules, undoing the other's work "
                f"on every run. Give {later_key} a label of its own",
                later_key,
            )


if __name__ == "__main__":  # python -m gh_ops.config: write the published schema after a change
    target = Path(__file__).resolve().parent / PUBLISHED_SCHEMA
    target.write_text(published_schema_text(), encoding="utf-8")
    print(f"wrote {target}")
