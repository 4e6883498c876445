"""Bug priorities, the rules: the label family, which issues are bugs, where a priority comes from (a
person's label, the issue form, a CVSS vector, the configured rules), what an issue's history says,
the notes gh-ops leaves, and the label set to keep in step. Pure functions: no GitHub, no I/O."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from gh_ops.config import Config
from gh_ops.errors import UsageError
from gh_ops.events import IssuesEvent
from gh_ops.forms import parse_form
from gh_ops.markup import marker, read_marker, visible_lines
from gh_ops.models import Comment, Issue, Label, TimelineEvent
from gh_ops.priority.settings import PRIORITY_LABELS, SECURITY_LABEL, ManagedLabel, PrioritySettings

EVENT_ACTIONS = ("opened", "edited", "labeled", "reopened")  # unlabeled: a person's removal needs nothing
CVSS_CALCULATOR = "https://www.first.org/cvss/calculator/{version}"


# The notes gh-ops leaves on an issue, one of each kind at most, found again by their marker.
NOTE_KIND = "priority"
NOTE_CONFLICT = "conflict"
NOTE_CVSS = "cvss"
NOTE_SECURITY = "security"
NOTE_TRIAGE = "triage"


def note_marker(note: str) -> str:
    return marker(NOTE_KIND, note=note)


def has_note(comments: Iterable[Comment], note: str, trusted: Callable[[str | None], bool]) -> bool:
    """Whether gh-ops' note of this kind is among these comments: its marker, in a comment of a
    trusted account (anyone can paste a marker)."""
    for comment in comments:
        mark = read_marker(comment.body)
        if trusted(comment.author) and mark and mark[0] == NOTE_KIND and mark[1].get("note") == note:
            return True
    return False


# --- the label family ----------------------------------------------------------------------------

_CANONICAL = {name.casefold(): name for name in PRIORITY_LABELS}
_MANAGED = {**_CANONICAL, SECURITY_LABEL: SECURITY_LABEL}  # what `apply` adds and removes


def rank(label: str) -> tuple[int, int]:
    """Sort key, highest priority first: P0 before P1; security-Pn before Pn (it says more)."""
    return int(label[-1]), 0 if label.startswith("security-") else 1


def priority_labels_of(labels: Iterable[str]) -> list[str]:
    """The priority labels among these (GitHub compares label names in any case), highest first."""
    found = {_CANONICAL[name.casefold()] for name in labels if name.casefold() in _CANONICAL}
    return sorted(found, key=rank)


def has_label(labels: Iterable[str], name: str) -> bool:
    return any(label.casefold() == name.casefold() for label in labels)


# --- which issues are bugs, and where a priority comes from ---------------------------------------


def is_bug(title: str, body: str, labels: Iterable[str], cfg: PrioritySettings) -> bool:
    """A bug by label, by title prefix, or by answering one of the bug form's questions."""
    if any(has_label(labels, name) for name in cfg.bug_labels):
        return True
    folded = title.strip().casefold()
    if any(folded.startswith(prefix.casefold()) for prefix in cfg.bug_title_prefixes):
        return True
    if cfg.bug_form_questions:
        answered = parse_form(body)
        return any(question in answered for question in cfg.bug_form_questions)
    return False


_CHOICE = re.compile(r"^\s*(security-p[0-3]|p[0-3])(?![\w-])", re.IGNORECASE)


def priority_from_form(body: str, cfg: PrioritySettings) -> str | None:
    """The priority label the form's answer starts with ("P1", "P1 - Urgent, non-breaking"), or None."""
    answer = parse_form(body).get(cfg.form_question)
    if not answer:
        return None
    match = _CHOICE.match(answer)
    return _CANONICAL[match.group(1).casefold()] if match else None


def priority_from_rules(title: str, body: str, cfg: PrioritySettings) -> tuple[str, int] | None:
    """The label of the first rule whose expression is found in the title or body, and its index."""
    text = f"{title}\n{body}"
    for index, rule in enumerate(cfg.rules):
        if re.search(rule.match, text):
            return rule.label, index
    return None


_VECTOR = re.compile(r"CVSS:(\d{1,3}(?:\.\d{1,3})?)/[A-Za-z0-9:/._-]*")


@dataclass(frozen=True)
class CvssScore:
    """A CVSS vector's score, or why it has none. Never holds the vector itself: that stays private."""

    version: str
    score: float | None  # None: the vector could not be read
    severity: str | None
    problem: str | None = None

    @property
    def scores_above_zero(self) -> bool:
        return self.score is not None and self.score > 0


_EXAMPLE = re.compile(r"\b(?:examples?|e\.g\.|for instance|such as)(?:\b|(?<=\.))", re.I)
# A vector is an example when such wording comes right before it ("for example CVSS:…", "e.g.
# `CVSS:…`", "such as: CVSS:…"), or after an example vector it is joined to ("…, or CVSS:…"), or on a
# line that starts with it ("Example: …", "- e.g. …").
_EXAMPLE_BEFORE = re.compile(r"(?:\bexamples?|\be\.g\.?|\bfor instance|\bsuch as)\Z", re.I)
_BETWEEN = " \t:,.-–—\"'`(*_"  # what may stand between the wording and the vector
_EXAMPLE_JOIN = re.compile(r"[\s,;\"'`()*_]*(?:(?:or|and)\b[\s\"'`(*_]*)?", re.I)
_EXAMPLE_LINE = re.compile(r"^(?:[\s>*_+#(-]|\d+[.)])*(?:examples?\b|e\.g\.?)", re.I)


@dataclass(frozen=True)
class FoundVector:
    vector: str
    line: int  # 1-based, in the body


def _vectors_of_prose(line: str, number: int) -> list[FoundVector]:
    """The vectors on a line outside code blocks, less those given as examples."""
    if _EXAMPLE_LINE.match(line):
        return []
    found: list[FoundVector] = []
    previous_end, previous_example = 0, False
    for match in _VECTOR.finditer(line):
        wording = line[: match.start()].rstrip(_BETWEEN)[-20:]  # the longest wording, and a bit more
        example = bool(_EXAMPLE_BEFORE.search(wording)) or (
            previous_example and bool(_EXAMPLE_JOIN.fullmatch(line, previous_end, match.start()))
        )
        if not example:
            found.append(FoundVector(match.group(0).rstrip("./"), number))
        previous_end, previous_example = match.end(), example
    return found


def cvss_vectors(text: str) -> list[FoundVector]:
    """The CVSS vectors (`CVSS:3.1/AV:N/...` or `CVSS:4.0/...`) a text gives, in order. An HTML
    comment (a template's prompt) gives none (but `<!--` in code is code, see markup.visible_lines), nor does
    an example: a vector right after "for example", "e.g.", "such as" or "for instance", one on a
    line that starts with "Example" or "e.g.", or after a line that ends such an introduction with a
    colon; a code block whose opening line or the line above says "example" (or the like)."""
    found: list[FoundVector] = []
    example_block = False
    above = ""  # the nearest line above with something on it
    for number, line in enumerate(visible_lines(text or ""), start=1):
        if line.kind == "open":
            example_block = bool(_EXAMPLE.search(line.info) or _EXAMPLE.search(above))
        elif line.kind == "code":
            if not example_block:
                found += [FoundVector(m.group(0).rstrip("./"), number) for m in _VECTOR.finditer(line.text)]
        elif line.kind == "text" and not (_EXAMPLE.search(above) and above.rstrip().endswith(":")):
            found += _vectors_of_prose(line.text, number)
        if line.text.strip():
            above = line.text
    return found


def find_cvss_vector(text: str) -> str | None:
    """The first CVSS vector a text gives (see cvss_vectors), or None."""
    vectors = cvss_vectors(text)
    return vectors[0].vector if vectors else None


def cvss_score(vector: str) -> CvssScore:
    """The base score and severity with the `cvss` library (for 4.0, of the base metrics alone)."""
    from cvss import CVSS3, CVSS4, CVSSError  # imported when needed: only security issues pay for it

    version = vector.split("/", 1)[0].removeprefix("CVSS:")
    try:
        if version in ("3.0", "3.1"):
            v3 = CVSS3(vector)
            return CvssScore(version, float(v3.scores()[0]), v3.severities()[0])
        if version == "4.0":
            CVSS4(vector)  # validates every metric given, threat and environmental ones too
            base = CVSS4(_v4_base(vector))  # the library's score would include them
            return CvssScore(version, float(base.base_score), base.severity)
    except CVSSError as exc:
        return CvssScore(version, None, None, _cvss_problem(exc))
    return CvssScore(version, None, None, f"CVSS version {version} is not supported (use 3.0, 3.1 or 4.0)")


_V4_BASE = ("AV", "AC", "AT", "PR", "UI", "VC", "VI", "VA", "SC", "SI", "SA")


def _v4_base(vector: str) -> str:
    """A CVSS 4.0 vector with only its base metrics: the base score (CVSS-B) is what the ranges use."""
    metrics = dict(part.split(":", 1) for part in vector.split("/")[1:] if ":" in part)
    return "CVSS:4.0/" + "/".join(f"{m}:{metrics[m]}" for m in _V4_BASE if m in metrics)


def _cvss_problem(exc: Exception) -> str:
    # Generic words only: the library's own message quotes the vector, which must not be repeated.
    if "Mandatory" in type(exc).__name__:
        return "a mandatory base metric is missing"
    return "a metric or value is not valid, or a metric is given twice"


def label_for_score(score: float, cfg: PrioritySettings) -> str | None:
    """The label whose range holds the score (the highest minimum it reaches), or None (e.g. 0.0)."""
    for label, lowest in cfg.cvss:
        if score >= lowest:
            return label
    return None


@dataclass(frozen=True)
class Decision:
    """What to do to one issue's labels and notes, and why."""

    keep: str | None  # the priority label the issue ends with
    source: str  # person, form, cvss, rule, kept, none
    reason: str  # one line for the log and the step summary (no issue text)
    add: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()
    notes: dict[str, str] = field(default_factory=dict)  # note kind -> comment text (without marker)
    cvss: CvssScore | None = None
    note_updates: dict[str, str] = field(default_factory=dict)  # new text for a note, if it exists


def _listing(labels: Iterable[str]) -> str:
    return " and ".join(f"`{label}`" for label in labels)


def decide(
    *,
    title: str,
    body: str,
    labels: Iterable[str],
    added_by: Mapping[str, str | None],
    trusted: Callable[[str | None], bool],
    cfg: PrioritySettings,
    bug: bool,
    removed_by: Mapping[str, str | None] | None = None,
) -> Decision:
    """The one priority label an issue should carry, in the order: a person's label, the issue form's
    answer, a CVSS vector, the rules. `added_by` says who last added each label (None: unknown, which
    counts as a person: gh-ops never takes a label off unless it knows it put it there).

    `removed_by` says who removed each label that was on the issue and is no more. A person's
    removal is a decision too: once a person took a priority label off, gh-ops adds none of its own
    again (people set the issue's priority from then on), nor `security` once a person took that off."""
    labels = list(labels)
    present = priority_labels_of(labels)
    by_person = [label for label in present if not trusted(added_by.get(label))]
    ours = [label for label in present if label not in by_person]
    notes: dict[str, str] = {}
    add: list[str] = []
    taken_off = {label for label, who in (removed_by or {}).items() if not trusted(who)}
    priority_taken_off = sorted((label for label in taken_off if label in PRIORITY_LABELS), key=rank)

    vectors = cvss_vectors(body)
    cvss = cvss_score(vectors[0].vector) if vectors else None
    which = (
        f"; the first of {len(vectors)} vectors, on line {vectors[0].line}, counted"
        if len(vectors) > 1
        else ""
    )
    cvss_label = label_for_score(cvss.score, cfg) if cvss and cvss.score and cvss.scores_above_zero else None
    if cvss is not None and cvss.score is not None and cvss.scores_above_zero:
        if not has_label(labels, SECURITY_LABEL) and SECURITY_LABEL not in taken_off:
            add.append(SECURITY_LABEL)
        if cvss_label is None:  # above zero but below every configured range
            notes[NOTE_CVSS] = _cvss_unranked_note(cvss)
    elif cvss is not None:
        notes[NOTE_CVSS] = _cvss_note(cvss)

    if by_person:
        keep = by_person[0]
        remove = [label for label in present if label != keep]
        reason = f"`{keep}` was set by a person: it is final"
        if len(by_person) > 1:
            others = [label for label in by_person if label != keep]
            notes[NOTE_CONFLICT] = (
                f"This issue had more than one priority label. I kept `{keep}`, the highest that people "
                f"set, and removed {_listing(remove)}: an issue carries one priority. To lower it, remove "
                f"`{keep}` and add the one you want."
            )
            reason += f"; removed the lower {_listing(others)}"
        elif ours:
            notes[NOTE_CONFLICT] = (
                f"This issue had more than one priority label. I kept `{keep}`, which a person set (a "
                f"person's priority is final), and removed {_listing(ours)}, which I had set."
            )
            reason += f"; removed {_listing(ours)} set by gh-ops"
        return Decision(keep, "person", reason, tuple(add), tuple(remove), notes, cvss)

    wanted, source, reason = None, "none", "no priority: no form answer, CVSS vector or matching rule"
    form_label = priority_from_form(body, cfg)
    rule = priority_from_rules(title, body, cfg) if bug else None
    if form_label is not None:
        wanted, source, reason = form_label, "form", f"`{form_label}` from the issue form's answer"
    elif cvss is not None:
        if cvss_label is not None:
            assert cvss.score is not None
            wanted, source = cvss_label, "cvss"
            reason = (
                f"`{cvss_label}` from the CVSS {cvss.version} score {cvss.score} ({cvss.severity}){which}"
            )
        else:
            reason = "no priority: " + (
                f"the CVSS {cvss.version} score is {cvss.score} ({cvss.severity})"
                if cvss.score is not None
                else "the CVSS vector could not be read"
            )
    elif rule is not None:
        wanted, source = rule[0], "rule"
        reason = f"`{rule[0]}` from rule {rule[1] + 1} ({cfg.rules[rule[1]].match})"
    if wanted is not None and priority_taken_off:
        reason = (
            f"no priority added: {reason[0].lower()}{reason[1:]}, but a person removed "
            f"`{priority_taken_off[0]}` from this issue, so people set its priority"
        )
        wanted, source = None, "removed"

    updates: dict[str, str] = {}
    if cvss is not None and cvss.score is not None and cvss.scores_above_zero and NOTE_CVSS not in notes:
        # A vector corrected after gh-ops said it could not be read: the same note now says so.
        updates[NOTE_CVSS] = f"The CVSS {cvss.version} vector in this issue now scores {cvss.score} " + (
            f"({cvss.severity}): labelled `{cvss_label}`." if source == "cvss" else f"({cvss.severity})."
        )

    if wanted is None:
        if not ours:
            return Decision(None, source, reason, tuple(add), (), notes, cvss, updates)
        keep = ours[0]  # a label gh-ops set stays until a source says otherwise
        reason = f"`{keep}` kept (set earlier by gh-ops; {reason})"
        return Decision(keep, "kept", reason, tuple(add), tuple(ours[1:]), notes, cvss, updates)
    remove = [label for label in present if label != wanted]
    if wanted not in present:
        add.insert(0, wanted)
    if remove:
        reason += f", replacing {_listing(remove)}"
    return Decision(wanted, source, reason, tuple(add), tuple(remove), notes, cvss, updates)


def _cvss_note(cvss: CvssScore) -> str:
    if cvss.score is None:
        return (
            f"The CVSS vector in this issue could not be read: {cvss.problem}. No priority was set from "
            f"it. Please correct it (calculator: {CVSS_CALCULATOR.format(version=_calc(cvss.version))}), "
            "or set a priority label by hand."
        )
    return (
        f"The CVSS {cvss.version} vector in this issue scores {cvss.score} (severity: {cvss.severity}), so "
        "it gives no priority. If the issue has an impact, correct the vector's metrics, or set a "
        "priority label by hand."
    )


def _cvss_unranked_note(cvss: CvssScore) -> str:
    return (
        f"The CVSS {cvss.version} vector in this issue scores {cvss.score} (severity: {cvss.severity}), "
        "which no configured priority range holds. Please set a priority label by hand."
    )


def _calc(version: str) -> str:
    return version if version in ("3.0", "3.1", "4.0") else "4.0"


@dataclass(frozen=True)
class History:
    labels: tuple[str, ...]  # the labels the issue has now
    added_by: dict[str, str | None]  # canonical priority label -> who last added it
    notes: dict[str, Comment]  # gh-ops' own notes on the issue, by kind
    # Canonical priority label (or `security`) that was taken off and is not back -> who took it off.
    removed_by: dict[str, str | None] = field(default_factory=dict)


def read_history(
    events: Iterable[TimelineEvent], labels_then: Iterable[str], trusted: Callable[[str | None], bool]
) -> History:
    """Replay the timeline over the labels an (older) payload showed: the timeline is read now, so a
    label's last event there says whether it is on the issue, and who put it there."""
    then = {label.casefold(): label for label in labels_then}
    names = dict(then)
    on_now: dict[str, bool] = {}
    added_by: dict[str, str | None] = {}
    removed_by: dict[str, str | None] = {}
    notes: dict[str, Comment] = {}
    for event in events:
        if event.kind in ("labeled", "unlabeled") and event.label:
            key = event.label.casefold()
            names[key] = event.label
            on_now[key] = event.kind == "labeled"
            if event.kind == "labeled":
                added_by[_CANONICAL.get(key, event.label)] = event.actor
                removed_by.pop(_MANAGED.get(key, ""), None)
            elif key in _MANAGED:
                removed_by[_MANAGED[key]] = event.actor
        elif event.kind == "commented" and event.comment is not None and trusted(event.comment.author):
            mark = read_marker(event.comment.body)
            if mark and mark[0] == NOTE_KIND and "note" in mark[1]:
                notes.setdefault(mark[1]["note"], event.comment)
    current = [name for key, name in names.items() if on_now.get(key, key in then)]
    return History(tuple(current), added_by, notes, removed_by)


@dataclass(frozen=True)
class LabelChange:
    repo: str
    action: str  # create, update, same
    label: ManagedLabel
    current: Label | None = None

    def line(self) -> str:
        label = self.label
        if self.action == "create":
            return f"+ {label.name}  #{label.color}  {label.description}"
        assert self.current is not None
        changes = []
        if self.current.name != label.name:
            changes.append(f"name {self.current.name} -> {label.name}")
        if self.current.color != label.color:
            changes.append(f"colour #{self.current.color} -> #{label.color}")
        if self.current.description != label.description:
            changes.append(f"description {self.current.description!r} -> {label.description!r}")
        if not changes:
            return f"= {label.name}"
        return f"~ {label.name}  " + "; ".join(changes)


@dataclass(frozen=True)
class OrgRepository:
    """A repository an organization's listing gave, with its first labels and where the rest start."""

    repo: str
    labels: tuple[Label, ...]
    more_labels_after: str | None = None  # a cursor when it has more labels than the listing held


def label_changes(repo: str, managed: Iterable[ManagedLabel], existing: Iterable[Label]) -> list[LabelChange]:
    """What to create and update so the managed labels exist exactly as configured. Labels gh-ops does
    not manage are never touched (never deleted)."""
    by_name = {label.name.casefold(): label for label in existing}
    changes = []
    for label in managed:
        current = by_name.get(label.name.casefold())
        if current is None:
            changes.append(LabelChange(repo, "create", label))
        elif (current.name, current.color, current.description) != (
            label.name,
            label.color,
            label.description,
        ):
            changes.append(LabelChange(repo, "update", label, current))
        else:
            changes.append(LabelChange(repo, "same", label, current))
    return changes


@dataclass(frozen=True)
class Target:
    """The issue `apply` works on: from the event payload, or read for --issue."""

    repo: str
    issue: Issue
    private: bool | None  # None: not known yet (read only if a security note may be needed)
    updated_at: datetime | None = None  # when the payload's copy of the issue was current


def target_from_event(event_name: str | None, payload: dict[str, Any], config: Config) -> Target | str:
    """The issue this event is about, or a reason why there is nothing to do (costs no request)."""
    if event_name != "issues":
        raise UsageError(
            f"the event is {event_name or 'missing'}, not an issues event: run `priority apply` on issues "
            "events (opened, edited, labeled), or pass --issue N"
        )
    event = IssuesEvent(payload, "issues")
    action = event.action
    if action == "unlabeled" and event.label and event.label.casefold() in _MANAGED:
        if is_gh_ops(config, event.sender):
            return f"nothing to do: gh-ops itself removed {event.label}"
        # The timeline keeps the removal: later events read it there, at no extra cost.
        kept = (
            "gh-ops will not add it back"
            if event.label.casefold() == SECURITY_LABEL
            else "gh-ops adds no priority label of its own to the issue again"
        )
        who = event.sender or "someone"
        return f"nothing to do: {who} removed {event.label}; a person's removal is kept ({kept})"
    if action not in EVENT_ACTIONS:
        return f"nothing to do on an issue {action or 'event'} event"
    sender = event.sender if action == "labeled" else None
    if action == "labeled" and is_gh_ops(config, sender):
        return f"nothing to do: the label was added by {sender} (gh-ops itself)"
    repository, issue = event.repository, event.issue
    return Target(repository.full_name, issue.to_issue(), repository.private, issue.updated_at)


def is_gh_ops(config: Config, login: str | None) -> bool:
    """The account gh-ops writes as (`bot`): a label it added is gh-ops' own, not a person's."""
    return login is not None and login.casefold() == config.bot.casefold()


def security_note(place: str, transfer_to: str | None) -> str:
    text = (
        "This issue is labelled `security`, and this repository is public: anyone can read what is "
        f"written here. Please send vulnerability details to {place} instead, and remove any already "
        "posted here (edit the issue and your comments)."
    )
    if transfer_to:
        text += " The issue is being moved to a private repository where the maintainers will follow up."
    return text


@dataclass
class TriageReport:
    repo: str
    counts: dict[str, int]  # priority label (or "none") -> open bugs
    untriaged: list[tuple[Issue, str]]  # (issue, asked | already asked | too new)

    def summary(self, untriaged_after: str) -> str:
        rows = ["| Priority | Open bugs |", "|---|---|"]
        rows += [f"| {label} | {count} |" for label, count in self.counts.items()]
        lines = [f"### gh-ops priority triage: {self.repo}", "", *rows, ""]
        if self.untriaged:
            lines.append(
                f"Open bugs without a priority ({len(self.untriaged)}; asked for one once they are older "
                f"than {untriaged_after}):"
            )
            lines.append("")
            for issue, status in self.untriaged:
                lines.append(f"- [#{issue.number}]({issue.url}) {markdown_text(issue.title)} ({status})")
        else:
            lines.append("Every open bug has a priority.")
        return "\n".join(lines) + "\n"


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~-])")


def markdown_text(text: str) -> str:
    """Text from GitHub shown as itself in Markdown: no links, images, HTML or table breaks."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))[:200]


def triage_mentions(config: Config) -> str:
    team = config.section(PrioritySettings).triage_team
    if team is None:
        return ""
    if "/" in team:
        return f"@{team}"
    members = config.teams[team]
    logins = dict.fromkeys((members.lead, *members.members))
    return " ".join(f"@{login}" for login in logins)


def triage_note(config: Config) -> str:
    mentions = triage_mentions(config)
    ask = f"{mentions}: this" if mentions else "This"
    return (
        f"{ask} bug has no priority yet. Please add one label: `P0` (critical, breaking), `P1` (urgent, "
        "not breaking), `P2` (semi-urgent: works, but the experience suffers) or `P3` (icebox). "
        "Security issues take `security-P0` to `security-P3` from their CVSS score."
    )
