"""Bug priority rules without HTTP: the config section, which issues are bugs, the form answer, CVSS
scores at every range boundary, the rules, the decision, and the history read from the timeline."""

from __future__ import annotations

import re

import pytest
from fakegithub import load_payload

from gh_ops.forms import parse_form
from gh_ops.models import Comment, Label, TimelineEvent
from gh_ops.priority.rules import (
    NOTE_CONFLICT,
    NOTE_CVSS,
    cvss_score,
    cvss_vectors,
    decide,
    find_cvss_vector,
    is_bug,
    label_changes,
    label_for_score,
    markdown_text,
    note_marker,
    priority_from_form,
    priority_from_rules,
    priority_labels_of,
    read_history,
)
from gh_ops.priority.settings import (
    DEFAULT_PRIORITY_LABELS,
    PriorityRule,
    PrioritySettings,
)

BOT = "github-actions[bot]"
CFG = PrioritySettings()
CONFIG_NAME = "gh-ops.yml"


def trusted(login: str | None) -> bool:
    return login == BOT


# --- which issues are bugs ------------------------------------------------------------------------


def test_a_bug_by_label_title_prefix_or_form_question() -> None:
    cfg = PrioritySettings(
        bug_labels=("bug", "defect"),
        bug_title_prefixes=("[Bug]",),
        bug_form_questions=("Steps to reproduce",),
    )
    assert is_bug("Anything", "", ["Defect"], cfg)  # label names compare in any case
    assert is_bug("[bug] login fails", "", [], cfg)
    assert is_bug("Login fails", "### Steps to reproduce\n\n1. log in", [], cfg)
    assert not is_bug("Add dark mode", "### What would you like?\n\nDark mode", ["enhancement"], cfg)
    assert not is_bug("Login fails [Bug]", "", [], cfg)  # a prefix, not anywhere in the title


def test_the_real_payload_is_a_bug_by_its_label() -> None:
    issue = load_payload("issues.opened")["issue"]
    assert is_bug(issue["title"], issue["body"], [label["name"] for label in issue["labels"]], CFG)


# --- the issue form's answer ------------------------------------------------------------------------

FORM = "### What happened?\n\nIt broke.\n\n### Priority\n\n{answer}\n\n### Version\n\n1.2\n"


@pytest.mark.parametrize(
    ("answer", "label"),
    [
        ("P1", "P1"),
        ("P2 - Semi-urgent, non-breaking, affects UX but functional", "P2"),
        ("p0: critical", "P0"),
        ("security-P1", "security-P1"),
        ("_No response_", None),
        ("Not sure", None),
        ("P12", None),
        ("P1-ish", None),
    ],
)
def test_form_answer_gives_the_label_it_starts_with(answer: str, label: str | None) -> None:
    assert priority_from_form(FORM.format(answer=answer), CFG) == label


def test_form_question_is_configurable_and_found_in_any_case() -> None:
    body = "### severity\n\nP3 - Icebox\n"
    assert priority_from_form(body, PrioritySettings(form_question="Severity")) == "P3"
    assert priority_from_form(body, CFG) is None
    assert parse_form("no form here") == {}


# --- CVSS --------------------------------------------------------------------------------------------

# Real vectors scoring exactly each boundary, computed with the cvss library. CVSS 3.1 base scores
# cannot be 0.1 (the smallest non-zero one is 1.6), and no CVSS 4.0 base vector scores 3.9 or 0.1
# (all 104,976 were scored): those two are checked on the score-to-label mapping alone.
V31 = {
    10.0: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H",
    9.0: "CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:H/I:H/A:H",
    8.9: "CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:H/I:H/A:L",
    7.0: "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:L/A:L",
    6.9: "CVSS:3.1/AV:N/AC:L/PR:H/UI:R/S:C/C:H/I:L/A:N",
    4.0: "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:L/I:N/A:N",
    3.9: "CVSS:3.1/AV:N/AC:H/PR:H/UI:R/S:U/C:L/I:L/A:L",
    0.0: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N",
}
V40 = {
    10.0: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H",
    9.0: "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:L/VA:H/SC:H/SI:N/SA:N",
    8.9: "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:N/VA:N/SC:H/SI:N/SA:N",
    7.0: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:A/VC:H/VI:L/VA:L/SC:L/SI:L/SA:L",
    6.9: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:L/SI:L/SA:L",
    4.0: "CVSS:4.0/AV:N/AC:L/AT:P/PR:H/UI:A/VC:L/VI:L/VA:L/SC:H/SI:N/SA:N",
    0.0: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N",
}
EXPECTED = {
    10.0: "security-P0",
    9.0: "security-P0",
    8.9: "security-P1",
    7.0: "security-P1",
    6.9: "security-P2",
    4.0: "security-P2",
    3.9: "security-P3",
    0.1: "security-P3",
    0.0: None,
}
BOUNDARIES = [("3.1", score, vector) for score, vector in V31.items()] + [
    ("4.0", score, vector) for score, vector in V40.items()
]


@pytest.mark.parametrize(
    ("version", "score", "vector"), BOUNDARIES, ids=[f"v{v}-{s}" for v, s, _ in BOUNDARIES]
)
def test_cvss_vectors_at_each_boundary_score_and_map_as_the_handbook_says(
    version: str, score: float, vector: str
) -> None:
    result = cvss_score(vector)
    assert (result.version, result.score) == (version, score)
    assert label_for_score(score, CFG) == EXPECTED[score]


def test_every_boundary_is_covered_by_both_versions_where_the_version_can_reach_it() -> None:
    assert set(V40) == set(EXPECTED) - {3.9, 0.1}
    assert set(V31) == set(EXPECTED) - {0.1}
    assert (label_for_score(3.9, CFG), label_for_score(0.1, CFG)) == ("security-P3", "security-P3")


def test_cvss_4_is_scored_on_its_base_metrics_alone() -> None:
    base = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"
    assert cvss_score(base).score == 9.3
    assert cvss_score(base + "/E:U").score == 9.3  # threat metrics would make it 8.1
    assert cvss_score(base + "/E:U/CR:L/MAV:P").score == 9.3
    assert cvss_score(base + "/E:Q").problem  # still validated


@pytest.mark.parametrize(
    ("vector", "problem"),
    [
        ("CVSS:3.1/AV:N/AC:L", "a mandatory base metric is missing"),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:Q", "a metric or value is not valid"),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/AV:L", "given twice"),
        ("CVSS:4.0/AV:N/AC:L", "a mandatory base metric is missing"),
        ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:X", "not valid"),
        ("CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P", "version 2.0 is not supported"),
    ],
)
def test_malformed_vectors_have_no_score_and_a_reason_that_does_not_repeat_them(
    vector: str, problem: str
) -> None:
    result = cvss_score(vector)
    assert result.score is None and problem in (result.problem or "")
    assert "AV" not in (result.problem or "")  # the vector's details stay out of public comments


def test_cvss_3_0_is_read_too() -> None:
    assert cvss_score("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").score == 9.8


def test_the_vector_is_found_in_prose_and_code() -> None:
    vector = V31[9.0]
    assert find_cvss_vector(f"Severity: `{vector}`.") == vector
    assert find_cvss_vector(f"({vector}), see above") == vector
    assert find_cvss_vector("We use CVSS scores.") is None


TEMPLATE_PROMPT = """### Severity

<!-- If this is a vulnerability, give its CVSS vector, e.g. CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H -->

_No response_
"""


@pytest.mark.parametrize(
    "body",
    [
        TEMPLATE_PROMPT,
        "Give the vector, for example:\n\n```\n{v}\n```\n",
        "```text example\n{v}\n```",
        "e.g. `{v}`",
        "Such as:\n{v}",
    ],
    ids=["html comment", "block after an example line", "example block", "e.g. line", "such as line"],
)
def test_a_vector_given_as_an_example_gives_no_priority(body: str) -> None:
    body = body.format(v=V31[9.0])
    assert find_cvss_vector(body) is None
    assert decision(body=body).keep is None


def test_a_vector_in_a_plain_code_block_counts() -> None:
    body = f"Severity:\n\n```\n{V31[9.0]}\n```\n"
    assert find_cvss_vector(body) == V31[9.0]


# An HTML injection report shows `<!--` in code; GitHub shows it as code, not as a comment.
@pytest.mark.parametrize(
    ("body", "line"),
    [
        ("Payload:\n\n```html\n<p>hi</p><!-- breaks\n```\n\n### CVSS vector\n\n{v}", 9),
        ("The name field takes `<!--` and hides the page.\n\n{v}", 3),
        ("~~~html\n<!--\n```\n~~~\n\n{v}", 6),  # ``` does not close a ~~~ block
        ("````md\n```\n<!--\n```\n````\n{v}", 6),  # nor does a shorter run
        ("Severity: {v}\n\n```html\n<!--", 1),  # a block never closed runs to the end
        ("```html\n<!--\n{v}", 3),  # ... and holds the vector
        ("Inline: ``a ` <!-- b``, and {v}", 1),  # a code span closes on a run as long
        ('Payload: "><!--\n\n{v}', 3),  # `<!--` that no `-->` closes in its paragraph is text
    ],
    ids=[
        "fenced block",
        "inline code",
        "tilde fence",
        "longer fence",
        "fence never closed",
        "vector in a fence never closed",
        "double backticks",
        "unclosed in prose",
    ],
)
def test_a_comment_opener_in_code_or_unclosed_in_prose_hides_no_vector(body: str, line: int) -> None:
    body = body.format(v=V31[10.0])
    assert [(found.vector, found.line) for found in cvss_vectors(body)] == [(V31[10.0], line)]
    assert decision(body=body).keep == "security-P0"


@pytest.mark.parametrize(
    "body",
    [
        "<!-- Give the CVSS vector:\n\n{v}",  # a comment starting a line and never closed: the rest
        "Severity <!-- `{v}` --> unknown",  # the comment starts first: the code span is inside it
        "Severity <!-- ask security:\n{v} -->",  # over two lines of one paragraph
        "<!-- prompt --> <!-- the next one is never closed\n\n{v}",
        "<!-- a comment with a fence in it:\n```\n-->\n<!--\n{v}\n-->",
    ],
    ids=["unclosed at line start", "code in a comment", "two-line comment", "second unclosed", "fence in it"],
)
def test_a_vector_in_an_html_comment_outside_code_still_counts_for_nothing(body: str) -> None:
    assert cvss_vectors(body.format(v=V31[10.0])) == []


def test_a_vector_after_a_comment_is_found_on_its_own_line() -> None:
    body = f"Found it <!-- reported\nby a scanner\n-->.\nCVSS <!-- x --> {V31[7.0]}\n\n{V31[9.0]}"
    assert [found.line for found in cvss_vectors(body)] == [4, 6]
    assert decision(body=body).reason.endswith("; the first of 2 vectors, on line 4, counted")


@pytest.mark.parametrize(
    "body",
    [
        "Endpoints such as /login are open. {v}",
        "All pages, for instance the admin page, leak the token: {v}",
        "Pages (e.g. /login) are open; our score is {v}",
        "An example exploit is attached. Vector: `{v}`",
        "Vectors such as the one below were ignored before.\n\n{v}",
    ],
)
def test_example_wording_elsewhere_on_the_line_does_not_hide_a_vector(body: str) -> None:
    body = body.format(v=V31[9.0])
    assert find_cvss_vector(body) == V31[9.0]
    assert decision(body=body).keep == "security-P0"


@pytest.mark.parametrize(
    "body",
    [
        "Give the vector, for example {v}",
        "Give the vector (for example, `{v}`)",
        "Vectors such as {v} or `{v}` are examples.",
        "Example: {v}",
        "- e.g. the login page: {v}",
        "**Examples** of vectors: {v}",
    ],
)
def test_a_vector_right_after_example_wording_or_on_an_example_line_is_an_example(body: str) -> None:
    assert find_cvss_vector(body.format(v=V31[9.0])) is None


def test_an_example_and_then_a_real_vector_on_one_line() -> None:
    body = f"Vectors such as {V31[10.0]} look severe; ours is {V31[7.0]}."
    assert find_cvss_vector(body) == V31[7.0]


def test_with_several_vectors_the_first_counts_and_the_reason_says_which() -> None:
    body = f"Our assessment: {V31[7.0]}\n\nAn older one was {V31[9.0]}\n"
    result = decision(body=body)
    assert result.keep == "security-P1"
    assert result.reason.endswith("; the first of 2 vectors, on line 1, counted")
    assert V31[7.0] not in result.reason  # the vector itself stays private


def test_configured_ranges_change_the_mapping() -> None:
    cfg = PrioritySettings(cvss=(("P0", 9.5), ("P1", 5.0)))
    assert [label_for_score(s, cfg) for s in (10.0, 9.5, 9.4, 5.0, 4.9, 0.0)] == [
        "P0",
        "P0",
        "P1",
        "P1",
        None,
        None,
    ]


# --- rules -----------------------------------------------------------------------------------------


def test_the_first_matching_rule_gives_its_label() -> None:
    cfg = PrioritySettings(rules=(PriorityRule("(?i)crash|data loss", "P0"), PriorityRule("(?i)slow", "P2")))
    assert priority_from_rules("App is slow and crashes", "", cfg) == ("P0", 0)
    assert priority_from_rules("Search", "It is SLOW", cfg) == ("P2", 1)
    assert priority_from_rules("Typo", "in the README", cfg) is None


# --- the decision --------------------------------------------------------------------------------


def decision(body: str = "", labels: tuple[str, ...] = ("bug",), by: dict[str, str] | None = None, **kw):  # type: ignore[no-untyped-def]
    return decide(
        title=kw.pop("title", "Spelling error in the README file"),
        body=body,
        labels=labels,
        added_by=by or {},
        trusted=trusted,
        cfg=kw.pop("cfg", CFG),
        bug=kw.pop("bug", True),
        removed_by=kw.pop("removed", None),
    )


def test_a_persons_label_is_final_whatever_the_sources_say() -> None:
    d = decision(FORM.format(answer="P0") + V31[10.0], ("bug", "P3"), {"P3": "alice"}, title="crash")
    assert (d.keep, d.source, d.add, d.remove) == ("P3", "person", ("security",), ())
    assert NOTE_CONFLICT not in d.notes


def test_a_label_of_unknown_origin_counts_as_a_persons() -> None:
    d = decision(FORM.format(answer="P0"), ("bug", "P2"), {})
    assert (d.keep, d.source, d.remove) == ("P2", "person", ())


def test_conflict_person_and_gh_ops_keeps_the_persons_and_says_why() -> None:
    d = decision("", ("bug", "P0", "P2"), {"P0": BOT, "P2": "alice"})
    assert (d.keep, d.remove) == ("P2", ("P0",))
    assert (
        "`P2`, which a person set" in d.notes[NOTE_CONFLICT]
        and "`P0`, which I had set" in d.notes[NOTE_CONFLICT]
    )


def test_conflict_between_people_keeps_the_highest_and_says_why() -> None:
    d = decision("", ("bug", "P2", "P1"), {"P1": "alice", "P2": "bob"})
    assert (d.keep, d.remove) == ("P1", ("P2",))
    assert "`P1`, the highest" in d.notes[NOTE_CONFLICT]


def test_form_answer_replaces_gh_ops_own_label_and_never_leaves_two() -> None:
    d = decision(FORM.format(answer="P2"), ("bug", "P1"), {"P1": BOT})
    assert (d.keep, d.source, d.add, d.remove) == ("P2", "form", ("P2",), ("P1",))


def test_form_answer_already_applied_changes_nothing() -> None:
    d = decision(FORM.format(answer="P2"), ("bug", "P2"), {"P2": BOT})
    assert (d.keep, d.add, d.remove, d.notes) == ("P2", (), (), {})


def test_form_comes_before_cvss_and_cvss_before_rules() -> None:
    assert decision(FORM.format(answer="P3") + V31[9.0], title="crash").keep == "P3"
    d = decision("Details: " + V40[7.0], title="crash")
    assert (d.keep, d.source, d.add) == ("security-P1", "cvss", ("security-P1", "security"))
    assert "score 7.0 (High)" in d.reason
    assert decision("no vector", title="App crash").keep == "P0"


def test_rules_apply_to_bugs_only() -> None:
    assert decision("", ("question",), title="crash", bug=False).keep is None


@pytest.mark.parametrize("vector", [V31[0.0], V40[0.0], "CVSS:3.1/AV:N/AC:L"])
def test_zero_or_invalid_vector_gives_no_label_and_one_note(vector: str) -> None:
    d = decision(f"Vector: {vector}", title="crash")
    assert (d.keep, d.add) == (None, ())
    note = d.notes[NOTE_CVSS]
    assert vector not in note and "AV:" not in note
    if "AC:L/PR" in vector:
        assert "scores 0.0 (severity: None)" in note


def test_gh_ops_label_stays_when_its_source_goes_away() -> None:
    d = decision("", ("bug", "P1"), {"P1": BOT})
    assert (d.keep, d.source, d.remove) == ("P1", "kept", ())


def test_a_corrected_vector_updates_the_note_it_had_left() -> None:
    d = decision(V31[8.9])
    assert NOTE_CVSS not in d.notes
    assert d.note_updates[NOTE_CVSS].endswith("now scores 8.9 (High): labelled `security-P1`.")


def test_priority_labels_are_one_family_compared_in_any_case() -> None:
    assert priority_labels_of(["bug", "p2", "Security-P1", "P2"]) == ["security-P1", "P2"]


# --- history from the timeline ------------------------------------------------------------------


def test_history_replays_the_timeline_over_an_older_payload() -> None:
    note = Comment(id=7, body=f"{note_marker(NOTE_CVSS)}\ntext", author=BOT)
    forged = Comment(id=8, body=f"{note_marker(NOTE_CONFLICT)}\nfake", author="mallory")
    events = [
        TimelineEvent("labeled", "Codertocat", "bug"),
        TimelineEvent("labeled", BOT, "P1"),
        TimelineEvent("commented", BOT, comment=note),
        TimelineEvent("commented", "mallory", comment=forged),
        TimelineEvent("unlabeled", BOT, "P1"),
        TimelineEvent("labeled", "alice", "p2"),
    ]
    history = read_history(events, ["bug", "P1"], trusted)
    assert history.labels == ("bug", "p2")
    assert history.added_by == {"bug": "Codertocat", "P1": BOT, "P2": "alice"}
    assert history.notes == {NOTE_CVSS: note}  # a marker in someone else's comment is not ours
    assert history.removed_by == {"P1": BOT}


def test_history_says_who_took_a_managed_label_off_until_it_is_back() -> None:
    events = [
        TimelineEvent("labeled", BOT, "P1"),
        TimelineEvent("labeled", BOT, "security"),
        TimelineEvent("unlabeled", "alice", "p1"),
        TimelineEvent("unlabeled", "alice", "Security"),
        TimelineEvent("unlabeled", "alice", "bug"),  # not one gh-ops manages
        TimelineEvent("labeled", "bob", "security"),
    ]
    assert read_history(events, [], trusted).removed_by == {"P1": "alice"}


def test_a_person_removing_a_priority_leaves_the_priority_to_people() -> None:
    body = FORM.format(answer="P0") + V31[10.0]
    d = decision(body, ("bug",), removed={"P1": "alice", "security": "alice"}, title="crash")
    assert (d.keep, d.source, d.add, d.remove) == (None, "removed", (), ())
    assert "a person removed `P1` from this issue, so people set its priority" in d.reason
    # gh-ops' own removals are no decision of a person's.
    d = decision(body, ("bug",), removed={"P1": BOT, "security": BOT})
    assert (d.keep, d.source, d.add) == ("P0", "form", ("P0", "security"))


# --- label sync diff -------------------------------------------------------------------------------


def test_label_changes_create_update_and_leave_others_alone() -> None:
    managed = DEFAULT_PRIORITY_LABELS[:3]
    existing = [
        Label("p0", managed[0].color, managed[0].description),  # wrong case
        Label("P1", "000000", managed[1].description),
        Label("wontfix", "ffffff", ""),
    ]
    changes = label_changes("acme/widgets", managed, existing)
    assert [(c.label.name, c.action) for c in changes] == [
        ("P0", "update"),
        ("P1", "update"),
        ("P2", "create"),
    ]
    assert changes[0].line() == "~ P0  name p0 -> P0"
    assert changes[1].line() == f"~ P1  colour #000000 -> #{managed[1].color}"
    assert changes[2].line().startswith("+ P2  #fbca04")


def test_markdown_text_cannot_inject_links_html_or_break_a_line() -> None:
    text = markdown_text("[click](https://evil) <img src=x> | a\nb")
    unescaped = re.compile(r"(?<!\\)[\[\]()<>|]")
    assert unescaped.findall(text) == [] and "\n" not in text
    assert text.replace("\\", "") == "[click](https://evil) <img src=x> | a b"
