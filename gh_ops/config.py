"""Find, load and validate .github/gh-ops.yml into frozen objects, with errors that name file and line."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from gh_ops.errors import ConfigError, Problem

DEFAULT_CONFIG_PATH = Path(".github/gh-ops.yml")
EMBEDDED_NAME = "<embedded example config>"
DEFAULT_BOT = "github-actions[bot]"


# --- the typed result -----------------------------------------------------------------


@dataclass(frozen=True)
class SprintSchedule:
    every_weeks: int
    anchor: date
    open_days_before: int

    @property
    def cadence_days(self) -> int:
        return self.every_weeks * 7


@dataclass(frozen=True)
class Team:
    key: str
    name: str
    lead: str
    members: tuple[str, ...]
    labels: tuple[str, ...]
    timezone: str
    schedule: SprintSchedule | None  # None: the team holds no sprints

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
class SprintConfig:
    template: str
    labels: tuple[str, ...]
    close_previous: bool
    goals_heading: str


DEFAULT_ACCESS = (
    "Chat workspace (Slack)",
    "Google Workspace: email, calendar and drive (transfer ownership of documents first)",
    "Error tracking (Sentry)",
    "Cloud consoles (AWS and others)",
    "Password manager",
    "Payroll and HR tools",
    "Company card",
)


@dataclass(frozen=True)
class PeopleIssues:
    """Settings shared by onboarding and offboarding checklists."""

    template: str
    labels: tuple[str, ...]
    form_label: str
    assignees: tuple[str, ...]
    access: tuple[str, ...] = ()


# The sections of an RFC, by id, each with the headings that name it (compared in any case, with
# punctuation and emoji ignored). The first heading is the one `gh-ops rfc new` writes.
RFC_SECTIONS: dict[str, tuple[str, ...]] = {
    "decision_to_make": (
        "Decision to be made",
        "Decision to make",
        "Decision needed",
        "The decision",
        "What is being decided",
        "What are we deciding",
        "Question",
    ),
    "decision_maker": (
        "Decision maker",
        "Who decides",
        "Who will decide",
        "Decider",
        "Decided by",
    ),
    "decision_date": (
        "Decision date",
        "Deadline",
        "Decide by",
        "Decision by",
        "Decision deadline",
        "By when",
        "When",
    ),
    "feedback": (
        "Feedback wanted from",
        "Feedback needed from",
        "Feedback from",
        "Feedback",
        "Reviewers",
        "Who should give feedback",
        "Input wanted from",
    ),
    "problem": ("Problem", "The problem", "Problem statement", "Motivation", "Why"),
    "recommendation": (
        "Recommendation",
        "Our recommendation",
        "Proposal",
        "Proposed solution",
        "Recommended option",
    ),
    "context": ("Context", "Background", "Useful context", "Context for reviewers"),
    "decision": ("Decision", "Decision made", "Final decision", "Outcome", "Resolution"),
}


@dataclass(frozen=True)
class RfcConfig:
    """Requests for comments: which pull requests are RFCs, their sections and their limits."""

    title_prefix: str = "RFC:"
    label: str = "rfc"
    folder: str = "requests-for-comments/"  # always ends with one /
    max_decision_days: int = 7
    remind_every: timedelta = timedelta(days=1)
    chat_webhook_env: str = "GH_OPS_CHAT_WEBHOOK"  # the variable's name, never the URL
    assign_feedback: bool = False  # assign the feedback people (False: the comment asks the author to)
    overdue_label: str = "rfc:overdue"
    no_decision_label: str = "rfc:no-decision"
    template: str = "rfc.md"
    sections: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(RFC_SECTIONS))


# Bug priorities. The priority labels are one family: a bug carries exactly one of them. The lower
# the number, the higher the priority; a security-Pn label ranks with Pn.
PRIORITY_LABELS = ("P0", "P1", "P2", "P3", "security-P0", "security-P1", "security-P2", "security-P3")
SECURITY_LABEL = "security"


@dataclass(frozen=True)
class ManagedLabel:
    """A label `priority labels` creates and keeps at this colour and description."""

    name: str
    color: str  # six lowercase hex digits, no #
    description: str


# The handbook's label set, in its order. Descriptions are at most 100 characters (GitHub's limit).
DEFAULT_PRIORITY_LABELS = (
    ManagedLabel("P0", "b60205", "Critical, breaking: a crash or missing functionality. Drop everything."),
    ManagedLabel("P1", "d93f0b", "Urgent, not breaking: it works, but it is hard to use."),
    ManagedLabel("P2", "fbca04", "Semi-urgent: it works, and the experience suffers."),
    ManagedLabel("P3", "c5def5", "Icebox: fix when there is time."),
    ManagedLabel("security-P0", "5c0000", "Security, critical (CVSS 9.0-10.0): e.g. remote code execution."),
    ManagedLabel("security-P1", "a80000", "Security, high (CVSS 7.0-8.9): e.g. stored XSS."),
    ManagedLabel("security-P2", "e4606d", "Security, medium (CVSS 4.0-6.9): e.g. reflected XSS."),
    ManagedLabel("security-P3", "f9c4c9", "Security, low (CVSS 0.1-3.9): e.g. debug information shown."),
    ManagedLabel("security", "ee0701", "A vulnerability: keep the details out of public issues."),
)


@dataclass(frozen=True)
class PriorityRule:
    """A regular expression searched in a bug's title and body, and the label it gives."""

    match: str
    label: str


@dataclass(frozen=True)
class PriorityConfig:
    """Bug priorities: which issues are bugs, where a priority comes from, the label set, triage."""

    bug_labels: tuple[str, ...] = ("bug",)
    bug_title_prefixes: tuple[str, ...] = ()
    bug_form_questions: tuple[str, ...] = ()
    form_question: str = "Priority"
    untriaged_after: timedelta = timedelta(days=2)
    triage_team: str | None = None  # "@org/team", or a key of teams:
    rules: tuple[PriorityRule, ...] = (PriorityRule("(?i)crash|data loss", "P0"),)
    # (label, lowest score), highest first: a score gets the first label whose minimum it reaches.
    cvss: tuple[tuple[str, float], ...] = (
        ("security-P0", 9.0),
        ("security-P1", 7.0),
        ("security-P2", 4.0),
        ("security-P3", 0.1),
    )
    private_repo: str | None = None
    private_place: str | None = None
    labels: tuple[ManagedLabel, ...] = DEFAULT_PRIORITY_LABELS  # the built-in ones, then the config's


APPROVAL_MODES = ("latest-on-head", "any-approval")


@dataclass(frozen=True)
class YoloConfig:
    """Yolo merges: what counts as reviewed, which bots pass, and the labels gh-ops uses."""

    emergency_label: str = "emergency"
    allow_bots: tuple[str, ...] = ("dependabot[bot]",)
    approval: str = "latest-on-head"  # or "any-approval" (see APPROVAL_MODES)
    label: str = "yolo-merge"
    follow_up_issue: bool = False  # emergency merges always get one


@dataclass(frozen=True)
class Config:
    path: str  # shown in messages: the file name, or EMBEDDED_NAME
    timezone: str
    bot: str
    trusted_authors: tuple[str, ...]
    teams: dict[str, Team]
    sprint: SprintConfig | None
    templates_dir: Path | None  # the repository's own templates, looked up before the defaults
    people_repo: str | None = None
    onboarding: PeopleIssues = PeopleIssues("onboarding.md", ("onboarding",), "new-joiner", ())
    offboarding: PeopleIssues = PeopleIssues("offboarding.md", ("offboarding",), "leaver", (), DEFAULT_ACCESS)
    rfc: RfcConfig = field(default_factory=RfcConfig)
    priority: PriorityConfig = field(default_factory=PriorityConfig)
    yolo: YoloConfig = field(default_factory=YoloConfig)
    lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    @property
    def embedded(self) -> bool:
        return self.path == EMBEDDED_NAME

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

    def team(self, key: str) -> Team:
        if key not in self.teams:
            known = ", ".join(sorted(self.teams)) or "none"
            raise ConfigError(
                f"unknown team {key!r}: {self.path} defines {known}",
                problems=[],
            )
        return self.teams[key]

    def select_teams(self, keys: tuple[str, ...] | list[str]) -> list[Team]:
        if not keys:
            return list(self.teams.values())
        return [self.team(k) for k in dict.fromkeys(keys)]  # --team web --team web is one team


# --- loading ----------------------------------------------------------------------------


_ALIAS_MESSAGE = "YAML aliases are not supported in gh-ops config; write the value out"
_STR_TAG = "tag:yaml.org,2002:str"
_MERGE_TAG = "tag:yaml.org,2002:merge"


class _AliasRefused(Exception):
    """An alias (`*name`) in a config file; carries where it is."""

    def __init__(self, mark: yaml.Mark) -> None:
        super().__init__(_ALIAS_MESSAGE)
        self.mark = mark


class _Loader(yaml.SafeLoader):
    """Safe YAML that keeps dates as text (the schema checks them) and refuses aliases.

    Aliases are refused while composing, before anything walks the node graph: an alias can
    make the graph recursive (`a: &a [*a]`) or exponentially large (a "billion laughs" file)
    though the file is small. Anchors alone (`&name`) do no harm and are left alone.
    """

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            raise _AliasRefused(self.peek_event().start_mark)
        return super().compose_node(parent, index)


# Drop the implicit timestamp resolver: `anchor: 2026-01-05` stays a string we validate ourselves.
_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _node_lines(
    node: yaml.Node, prefix: str, out: dict[str, int], problems: list[Problem], file: str
) -> None:
    """Record the 1-based line of every key path (a.b.0.c); report duplicate and non-text keys."""
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
            path = f"{prefix}.{key}" if prefix else key
            line = key_node.start_mark.line + 1
            if key_node.tag != _STR_TAG:  # `1:`, `yes:`, `null:` are a number, a boolean, nothing
                problems.append(Problem(_non_text_key(key_node), file, line, path))
            elif key in seen:
                problems.append(Problem(f"duplicate key {key!r}", file, line, path))
            seen.add(key)
            out[path] = line
            _node_lines(value_node, path, out, problems, file)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            path = f"{prefix}.{i}" if prefix else str(i)
            out[path] = item.start_mark.line + 1
            _node_lines(item, path, out, problems, file)


def _non_text_key(key_node: yaml.Node) -> str:
    if key_node.tag == _MERGE_TAG:
        return "YAML merge keys (<<) are not supported in gh-ops config; write the keys out"
    if not isinstance(key_node, yaml.ScalarNode):
        return "a list or mapping cannot be a key: write a name"
    if not key_node.value:
        return "an empty key must be text: write a name"
    quoted = "'" + key_node.value.replace("'", "''") + "'"
    return f"key {key_node.value} must be text: quote it ({quoted}:)"


def parse_yaml(text: str, file: str) -> tuple[Any, dict[str, int]]:
    """Parse YAML, returning the data and a key-path → line map. Raises ConfigError."""
    loader = None
    try:
        loader = _Loader(text)  # the reader rejects control characters (e.g. NUL) right here
        node = loader.get_single_node()
        if node is None:
            return {}, {}
        lines: dict[str, int] = {}
        problems: list[Problem] = []
        _node_lines(node, "", lines, problems, file)
        if problems:
            raise ConfigError(f"{file} is not valid", problems=problems)
        try:
            data = loader.construct_document(node)
        except (ValueError, TypeError, OverflowError, AttributeError) as exc:  # `!!int x`
            raise ConfigError(
                f"{file} is not valid YAML",
                problems=[Problem(f"a value with an explicit !!tag cannot be read: {exc}", file)],
            ) from None
    except _AliasRefused as exc:
        raise ConfigError(
            f"{file} is not valid", problems=[Problem(_ALIAS_MESSAGE, file, exc.mark.line + 1)]
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if isinstance(exc, yaml.scanner.ScannerError) and exc.context_mark is not None:
            mark = exc.context_mark  # an unclosed quote is only noticed at the end of the file
        line = mark.line + 1 if mark else None
        reason = exc.problem or str(exc)
        if exc.context and exc.context_mark is not None and exc.context_mark.line + 1 != line:
            reason += f" ({exc.context} that starts on line {exc.context_mark.line + 1})"
        if "but got '['" in reason:  # `allow_bots: [dependabot[bot]]`: [ ] inside a [ ] list
            reason += "; a login with [bot] inside [ ] must be quoted, e.g. allow_bots: ['dependabot[bot]']"
        if "'@'" in reason:  # `lead: @alice`: YAML reserves @, so such a login needs quotes
            reason += "; a value that starts with @ must be quoted, e.g. lead: '@alice'"
        raise ConfigError(
            f"{file} is not valid YAML",
            problems=[Problem(f"{reason} (check indentation, quoting and colons)", file, line)],
        ) from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{file} is not valid YAML", problems=[Problem(str(exc), file)]) from None
    finally:
        if loader is not None:
            loader.dispose()
    return data, lines


@cache
def schema() -> dict[str, Any]:
    """The published JSON Schema for the config file."""
    text = resources.files("gh_ops").joinpath("data/gh-ops.schema.json").read_text("utf-8")
    return json.loads(text)


def embedded_example_text() -> str:
    return resources.files("gh_ops").joinpath("data/example.yml").read_text("utf-8")


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
        type(None): "nothing",
    }.get(type(value), type(value).__name__)
    shown = json.dumps(value, default=str)
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
                "boolean": "true or false",
            }.get(wanted, wanted)
            problems.append(Problem(f"expected {wanted}, got {_describe(error.instance)}", file, line, path))
            continue
        if error.validator == "uniqueItems":
            problems.append(Problem("the list has the same entry twice", file, line, path))
            continue
        if error.validator == "minItems":
            problems.append(Problem("the list is empty: give at least one entry", file, line, path))
            continue
        problems.append(Problem(error.message, file, line, path or None))
    return sorted(problems, key=lambda p: p.line or 0)


# --- semantic checks and building -------------------------------------------------------


def _zone(name: str, problems: list[Problem], file: str, lines: dict[str, int], key: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(
            Problem(
                f"unknown timezone {name!r}: expected an IANA name such as "
                "Europe/London, America/New_York or UTC",
                file,
                lines.get(key),
                key,
            )
        )
    return name


def _date(text: str, problems: list[Problem], file: str, lines: dict[str, int], key: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems.append(
            Problem(f"{text!r} is not a real calendar date (YYYY-MM-DD)", file, lines.get(key), key)
        )
        return date(1970, 1, 1)


_CALENDAR_DAYS = (date.max - date.min).days // 4  # sprints longer than this cannot be scheduled
_WEEKS = re.compile(r"^([1-9][0-9]*)w$")


def _login(value: str) -> str:
    return value[1:] if value.startswith("@") else value


def _build(data: dict[str, Any], lines: dict[str, int], file: str, base_dir: Path | None) -> Config:
    problems: list[Problem] = []
    tz_default = _zone(data.get("timezone", "UTC"), problems, file, lines, "timezone")

    sprint_raw = data.get("sprint")
    sprint: SprintConfig | None = None
    base_schedule: dict[str, Any] = {}
    if sprint_raw is not None:
        sprint = SprintConfig(
            template=sprint_raw.get("template", "sprint.md"),
            labels=tuple(sprint_raw.get("labels", ["sprint"])),
            close_previous=sprint_raw.get("close_previous", True),
            goals_heading=sprint_raw.get("goals_heading", "Goals"),
        )
        base_schedule = {k: sprint_raw[k] for k in ("every", "anchor", "open_days_before") if k in sprint_raw}
        base_schedule.setdefault("open_days_before", 3)

    teams: dict[str, Team] = {}
    for key, raw in (data.get("teams") or {}).items():
        prefix = f"teams.{key}"
        tz = (
            _zone(raw["timezone"], problems, file, lines, f"{prefix}.timezone")
            if "timezone" in raw
            else tz_default
        )
        override = raw.get("sprint") or {}
        schedule = None
        if sprint is not None and override.get("enabled", True):
            merged = {**base_schedule, **{k: v for k, v in override.items() if k != "enabled"}}
            where = {k: (f"{prefix}.sprint.{k}" if k in override else f"sprint.{k}") for k in merged}
            weeks = int(_WEEKS.match(merged["every"]).group(1))  # type: ignore[union-attr]
            schedule = SprintSchedule(
                every_weeks=weeks,
                anchor=_date(merged["anchor"], problems, file, lines, where["anchor"]),
                open_days_before=merged["open_days_before"],
            )
            if schedule.cadence_days > _CALENDAR_DAYS:
                k = where["every"]
                problems.append(
                    Problem(f"a sprint of {weeks} weeks is longer than the calendar", file, lines.get(k), k)
                )
            elif schedule.open_days_before >= schedule.cadence_days:
                k = where["open_days_before"]
                problems.append(
                    Problem(
                        f"open_days_before is {schedule.open_days_before} but a sprint lasts only "
                        f"{schedule.cadence_days} days: it must be smaller, "
                        "or two sprints would be due at once",
                        file,
                        lines.get(k),
                        k,
                    )
                )
            elif not (
                date.min + timedelta(days=schedule.open_days_before)
                <= schedule.anchor
                <= date.max - timedelta(days=2 * schedule.cadence_days)
            ):
                k = where["anchor"]  # sprint 1, its window and the next sprint must be real dates
                problems.append(
                    Problem(
                        f"anchor {schedule.anchor} is too close to the edge of "
                        "the calendar for sprints to fit around it",
                        file,
                        lines.get(k),
                        k,
                    )
                )
        teams[key] = Team(
            key=key,
            name=raw.get("name", key),
            lead=_login(raw["lead"]),
            members=tuple(_login(m) for m in raw.get("members", [])),
            labels=tuple(raw.get("labels", [])),
            timezone=tz,
            schedule=schedule,
        )
    if sprint is not None and not teams:
        problems.append(
            Problem(
                "a sprint section needs at least one team under teams:", file, lines.get("sprint"), "sprint"
            )
        )

    templates_dir = None
    if base_dir is not None:
        templates_dir = base_dir / data.get("templates_dir", "gh-ops/templates")
        if "templates_dir" in data and not templates_dir.is_dir():
            problems.append(
                Problem(
                    f"templates_dir {templates_dir} is not a folder",
                    file,
                    lines.get("templates_dir"),
                    "templates_dir",
                )
            )

    joiner_label = (data.get("onboarding") or {}).get("form_label", "new-joiner")
    if joiner_label == (data.get("offboarding") or {}).get("form_label", "leaver"):
        key = "offboarding.form_label" if "offboarding.form_label" in lines else "onboarding.form_label"
        problems.append(
            Problem(
                f"onboarding and offboarding share the form label {joiner_label!r}: every "
                "request would carry both kinds' label",
                file,
                lines.get(key),
                key,
            )
        )
    rfc = _rfc_config(data.get("rfc") or {}, problems, file, lines)
    priority = _priority_config(data.get("priority") or {}, teams, problems, file, lines)
    yolo = _yolo_config(data.get("yolo") or {}, problems, file, lines)
    if problems:  # a shared sprint.* value is checked once per team: report each problem once
        unique = list({str(p): p for p in problems}.values())
        unique.sort(key=lambda p: p.line or 0)
        raise ConfigError(f"{file} is not valid", problems=unique)
    return Config(
        path=file,
        timezone=tz_default,
        bot=_login(data.get("bot", DEFAULT_BOT)),
        trusted_authors=tuple(_login(a) for a in data.get("trusted_authors", [])),
        teams=teams,
        sprint=sprint,
        templates_dir=templates_dir,
        people_repo=(data.get("people") or {}).get("repo"),
        onboarding=_people_issues(data.get("onboarding"), "onboarding", "new-joiner", ()),
        offboarding=_people_issues(data.get("offboarding"), "offboarding", "leaver", DEFAULT_ACCESS),
        rfc=rfc,
        priority=priority,
        yolo=yolo,
        lines=lines,
    )


def _people_issues(
    raw: dict[str, Any] | None, kind: str, form_label: str, access: tuple[str, ...]
) -> PeopleIssues:
    raw = raw or {}
    return PeopleIssues(
        template=raw.get("template", f"{kind}.md"),
        labels=tuple(raw.get("labels", [kind])),
        form_label=raw.get("form_label", form_label),
        assignees=tuple(_login(a) for a in raw.get("assignees", [])),
        access=tuple(raw.get("access", access)),
    )


_DURATION = re.compile(r"^([1-9][0-9]*)([dh])$")


def heading_key(text: str) -> str:
    """A heading as RFC sections match it: lower case, words only (no punctuation, emoji or numbering)."""
    words = "".join(ch if unicodedata.category(ch)[0] in "LN" else " " for ch in text.casefold()).split()
    while words and words[0].isdigit():  # "1. Problem", "2) Context"
        words.pop(0)
    return " ".join(words)


def _rfc_config(raw: dict[str, Any], problems: list[Problem], file: str, lines: dict[str, int]) -> RfcConfig:
    defaults = RfcConfig()
    folder = raw.get("folder", defaults.folder).strip().replace("\\", "/")
    while folder.startswith("./"):
        folder = folder[2:]
    parts = [p for p in folder.split("/") if p not in ("", ".")]
    if folder.startswith("/") or ".." in parts or not parts:
        problems.append(
            Problem(
                f"folder {raw['folder']!r} must be a folder inside the repository, such as "
                "requests-for-comments/ (no leading /, no ..)",
                file,
                lines.get("rfc.folder"),
                "rfc.folder",
            )
        )
    remind_every = defaults.remind_every
    if "remind_every" in raw:
        number, unit = _DURATION.match(raw["remind_every"]).groups()  # type: ignore[union-attr]
        try:
            remind_every = timedelta(days=int(number)) if unit == "d" else timedelta(hours=int(number))
        except OverflowError:
            problems.append(
                Problem(
                    f"remind_every {raw['remind_every']} is longer than the calendar",
                    file,
                    lines.get("rfc.remind_every"),
                    "rfc.remind_every",
                )
            )
    return RfcConfig(
        title_prefix=raw.get("title_prefix", defaults.title_prefix).strip(),
        label=raw.get("label", defaults.label),
        folder="/".join(parts) + "/",
        max_decision_days=raw.get("max_decision_days", defaults.max_decision_days),
        remind_every=remind_every,
        chat_webhook_env=raw.get("chat_webhook_env", defaults.chat_webhook_env),
        assign_feedback=raw.get("assign_feedback", defaults.assign_feedback),
        overdue_label=raw.get("overdue_label", defaults.overdue_label),
        no_decision_label=raw.get("no_decision_label", defaults.no_decision_label),
        template=raw.get("template", defaults.template),
        sections=_rfc_sections(raw.get("sections") or {}, problems, file, lines),
    )


def _rfc_sections(
    raw: dict[str, list[str]], problems: list[Problem], file: str, lines: dict[str, int]
) -> dict[str, tuple[str, ...]]:
    """The built-in headings plus the configured ones; a configured heading belongs to its section only."""
    claimed: dict[str, str] = {}  # heading key -> the section the config gives it to
    for section, headings in raw.items():
        for i, heading in enumerate(headings):
            key = heading_key(heading)
            where = f"rfc.sections.{section}.{i}"
            if not key:
                problems.append(
                    Problem(f"heading {heading!r} has no letters or digits", file, lines.get(where), where)
                )
            elif claimed.get(key, section) != section:
                problems.append(
                    Problem(
                        f"heading {heading!r} is also given to section {claimed[key]}: "
                        "a heading can name one section only",
                        file,
                        lines.get(where),
                        where,
                    )
                )
            else:
                claimed[key] = section
    merged: dict[str, tuple[str, ...]] = {}
    for section, builtin in RFC_SECTIONS.items():
        kept = [h for h in builtin if claimed.get(heading_key(h), section) == section]
        added = [h for h in raw.get(section, []) if heading_key(h) not in {heading_key(k) for k in kept}]
        merged[section] = tuple(kept + added)
    return merged


def _duration(text: str) -> timedelta:
    """`2d` or `12h` (the schema has checked the form)."""
    number, unit = _DURATION.match(text).groups()  # type: ignore[union-attr]
    return timedelta(days=int(number)) if unit == "d" else timedelta(hours=int(number))


def _priority_config(
    raw: dict[str, Any], teams: dict[str, Team], problems: list[Problem], file: str, lines: dict[str, int]
) -> PriorityConfig:
    defaults = PriorityConfig()

    def problem(message: str, key: str) -> None:
        problems.append(Problem(message, file, lines.get(key), key))

    untriaged_after = defaults.untriaged_after
    if "untriaged_after" in raw:
        try:
            untriaged_after = _duration(raw["untriaged_after"])
        except OverflowError:
            problem(
                f"untriaged_after {raw['untriaged_after']} is longer than the calendar",
                "priority.untriaged_after",
            )
    team = raw.get("triage_team")
    if team is not None:
        team = team.lstrip("@")
        if "/" not in team and team not in teams:
            known = ", ".join(sorted(teams)) or "none defined"
            problem(
                f"triage_team {raw['triage_team']!r} is neither a GitHub team (@org/team) nor a team id "
                f"from teams: ({known})",
                "priority.triage_team",
            )
    rules = defaults.rules
    if "rules" in raw:
        rules = tuple(PriorityRule(r["match"], r["label"]) for r in raw["rules"])
        for i, rule in enumerate(rules):
            try:
                re.compile(rule.match)
            except re.error as exc:
                problem(f"{rule.match!r} is not a regular expression: {exc}", f"priority.rules.{i}.match")
    cvss = defaults.cvss
    if "cvss" in raw:
        cvss = tuple(sorted(((k, float(v)) for k, v in raw["cvss"].items()), key=lambda kv: -kv[1]))
        if cvss and cvss[-1][1] > 0.1:
            # The map replaces the defaults: a gap at the bottom would leave low scores unlabelled.
            problem(
                f"no label starts at 0.1: scores from 0.1 to below {cvss[-1][1]} would get none "
                f"(give the lowest label, {cvss[-1][0]}, 0.1, or list every label)",
                f"priority.cvss.{cvss[-1][0]}",
            )
        seen: dict[float, str] = {}
        for label, low in cvss:
            if low in seen:
                problem(
                    f"{label} and {seen[low]} both start at {low}: give each label its own lowest score",
                    f"priority.cvss.{label}",
                )
            seen[low] = label
    labels = {label.name.casefold(): label for label in DEFAULT_PRIORITY_LABELS}
    for name, settings in (raw.get("labels") or {}).items():
        builtin = labels.get(name.casefold())
        color = settings.get("color", builtin.color if builtin else "ededed").lstrip("#").lower()
        description = settings.get("description", builtin.description if builtin else "")
        labels[name.casefold()] = ManagedLabel(builtin.name if builtin else name, color, description)
    return PriorityConfig(
        bug_labels=tuple(raw.get("bug_labels", defaults.bug_labels)),
        bug_title_prefixes=tuple(p.strip() for p in raw.get("bug_title_prefixes", ())),
        bug_form_questions=tuple(raw.get("bug_form_questions", ())),
        form_question=raw.get("form_question", defaults.form_question).strip(),
        untriaged_after=untriaged_after,
        triage_team=team,
        rules=rules,
        cvss=cvss,
        private_repo=raw.get("private_repo"),
        private_place=raw.get("private_place"),
        labels=tuple(labels.values()),
    )


def _yolo_config(
    raw: dict[str, Any], problems: list[Problem], file: str, lines: dict[str, int]
) -> YoloConfig:
    """The schema has checked every value; logins lose a leading @ like everywhere else."""
    defaults = YoloConfig()
    label = raw.get("label", defaults.label)
    emergency = raw.get("emergency_label", defaults.emergency_label)
    if label.casefold() == emergency.casefold():
        key = "yolo.label" if "yolo.label" in lines else "yolo.emergency_label"
        problems.append(
            Problem(
                f"label and emergency_label are both {label!r}: gh-ops would take its own yolo-merge "
                "label for an emergency. Give them different names",
                file,
                lines.get(key),
                key,
            )
        )
    return YoloConfig(
        emergency_label=raw.get("emergency_label", defaults.emergency_label),
        allow_bots=tuple(_login(b) for b in raw.get("allow_bots", defaults.allow_bots)),
        approval=raw.get("approval", defaults.approval),
        label=raw.get("label", defaults.label),
        follow_up_issue=raw.get("follow_up_issue", defaults.follow_up_issue),
    )
