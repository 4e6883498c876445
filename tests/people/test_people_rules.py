"""The people rules without HTTP: reading issue forms, checking answers, keeping ticks, privacy, markers."""

from __future__ import annotations

from datetime import date

import pytest
from fakegithub import load_payload

from gh_ops.config import Config, embedded_example_text, parse_config
from gh_ops.errors import UsageError
from gh_ops.forms import parse_form
from gh_ops.markup import read_marker
from gh_ops.people.rules import (
    AnswersError,
    Joiner,
    Leaver,
    answers_fingerprint,
    carry_ticks,
    joiner_from_answers,
    leaver_from_answers,
    parse_day,
    person_marker,
    privacy_verdict,
)

JOINER_BODY = load_payload("issues.opened.new-joiner")["issue"]["body"]
LEAVER_BODY = load_payload("issues.opened.leaver")["issue"]["body"]

JOINER_ANSWERS = {
    "GitHub username": "@newbie",
    "Full name": "Nadia Newbie",
    "Team": "web",
    "Role": "engineering",
    "Start date": "2026-12-07",
    "Buddy": "@bob",
    "Manager": None,
}
LEAVER_ANSWERS = {
    "GitHub username": "@leaver",
    "Full name": "Leo Leaver",
    "Last day": "2026-12-18",
    "Kind": "voluntary",
    "Manager": "@carol",
}


@pytest.fixture(scope="module")
def config() -> Config:
    # The shipped example: teams web ("Team Web") and infra ("Team Infra").
    return parse_config(embedded_example_text(), ".github/gh-ops.yml", base_dir=None)


def joiner(config: Config, source: str = "form", **changes: str | None) -> Joiner:
    return joiner_from_answers({**JOINER_ANSWERS, **changes}, config, source=source)


def leaver(config: Config, source: str = "form", **changes: str | None) -> Leaver:
    return leaver_from_answers({**LEAVER_ANSWERS, **changes}, config, source=source)


def problems_of(excinfo: pytest.ExceptionInfo[AnswersError]) -> dict[str | None, str]:
    keys = [p.key for p in excinfo.value.problems]
    assert len(keys) == len(set(keys)), f"more than one problem for a question: {keys}"
    return {p.key: p.message for p in excinfo.value.problems}


# --- reading the issue form ------------------------------------------------------------------------


def test_the_joiner_form_as_github_renders_it() -> None:
    assert parse_form(JOINER_BODY) == JOINER_ANSWERS


def test_the_leaver_form_as_github_renders_it() -> None:
    assert parse_form(LEAVER_BODY) == LEAVER_ANSWERS


def test_no_response_and_blank_answers_are_none() -> None:
    body = "### Buddy\n\n_No response_\n\n### Manager\n\n\n\n### Team\n\n  web  \n"
    assert parse_form(body) == {"Buddy": None, "Manager": None, "Team": "web"}


def test_a_multi_line_answer_is_kept_whole() -> None:
    body = (
        "### Full name\n\nNadia Newbie\n\n### Notes\n\nFirst line\nsecond line\n\n- a list item\n"
        "#### A sub-heading the requester typed\nmore text\n\n### Team\n\nweb"
    )
    answers = parse_form(body)
    assert answers["Notes"] == (
        "First line\nsecond line\n\n- a list item\n#### A sub-heading the requester typed\nmore text"
    )
    assert answers["Full name"] == "Nadia Newbie" and answers["Team"] == "web"


def test_windows_line_endings_read_the_same() -> None:
    assert parse_form(JOINER_BODY.replace("\n", "\r\n")) == JOINER_ANSWERS


def test_text_before_the_first_question_is_ignored() -> None:
    assert parse_form("Some preamble\n\n" + JOINER_BODY) == JOINER_ANSWERS
    assert parse_form("") == {} and parse_form(None) == {}  # type: ignore[arg-type]


def test_a_level_three_heading_inside_a_free_text_answer_does_not_disturb_the_known_answers(
    config: Config,
) -> None:
    # A free-text question added to the form; the requester wrote a ### heading in the answer.
    body = JOINER_BODY + "\n\n### Anything else?\n\nLikes tea.\n### Allergies\nnone"
    answers = parse_form(body)
    assert {k: answers[k] for k in JOINER_ANSWERS} == JOINER_ANSWERS
    assert answers["Anything else?"] == "Likes tea."
    assert joiner_from_answers(answers, config, source="form").name == "Nadia Newbie"


def test_questions_are_found_in_any_case(config: Config) -> None:
    answers = parse_form(JOINER_BODY.replace("### Team", "### team"))
    assert joiner_from_answers(answers, config, source="form") == joiner(config)


def test_a_question_answered_twice_is_refused_not_guessed(config: Config) -> None:
    # Someone typed "### Start date" into the free-text answer above the real one: either date could
    # be theirs, so the request is asked to fix it instead of one being picked.
    body = "### Anything else?\n\nNote\n### Start date\n\n2026-12-14\n\n" + JOINER_BODY
    with pytest.raises(AnswersError) as caught:
        joiner_from_answers(parse_form(body), config, source="form")
    (problem,) = caught.value.problems
    assert problem.key == '"Start date"' and "appears twice" in problem.message
    # Other readers of forms still take the first (priority's question is GitHub's rendering order).
    assert parse_form(body)["Start date"] == "2026-12-14" and parse_form(body).repeated("start date")


def test_unknown_questions_are_ignored(config: Config) -> None:
    answers = parse_form("### Favourite colour\n\nteal\n\n" + JOINER_BODY + "\n\n### Shoe size\n\n42")
    assert joiner_from_answers(answers, config, source="form") == joiner(config)


# --- joiner answers ----------------------------------------------------------------------------------


def test_a_complete_joiner(config: Config) -> None:
    assert joiner(config) == Joiner(
        login="newbie",
        name="Nadia Newbie",
        team="web",
        role="engineering",
        start=date(2026, 12, 7),
        buddy="bob",
        manager=None,
    )


@pytest.mark.parametrize("written", ["newbie", "@newbie", " @newbie ", "New-Bie-2"])
def test_logins_with_or_without_at_are_accepted(config: Config, written: str) -> None:
    assert joiner(config, **{"GitHub username": written}).login == written.strip().lstrip("@")


@pytest.mark.parametrize(
    "written", ["new bie", "-newbie", "newbie-", "new--bie", "newbie[bot]", "a" * 40, "@@newbie", "n_b"]
)
def test_an_invalid_login_is_refused(config: Config, written: str) -> None:
    with pytest.raises(AnswersError) as excinfo:
        joiner(config, **{"GitHub username": written})
    assert list(problems_of(excinfo)) == ['"GitHub username"']
    assert "not a GitHub username" in excinfo.value.problems[0].message


def test_invalid_buddy_and_manager_logins_are_refused_too(config: Config) -> None:
    with pytest.raises(AnswersError) as excinfo:
        joiner(config, Buddy="bob smith", Manager="carol!")
    assert set(problems_of(excinfo)) == {'"Buddy"', '"Manager"'}


@pytest.mark.parametrize("written", ["web", "WEB", "Team Web", "team web", " Team Infra "])
def test_the_team_is_found_by_id_or_by_name_in_any_case(config: Config, written: str) -> None:
    expected = "infra" if "infra" in written.lower() else "web"
    assert joiner(config, Team=written).team == expected


def test_an_unknown_team_names_the_known_ones(config: Config) -> None:
    with pytest.raises(AnswersError) as excinfo:
        joiner(config, Team="mobile")
    message = problems_of(excinfo)['"Team"']
    assert "'mobile'" in message and "infra, web" in message


@pytest.mark.parametrize("written", [None, "other"])
def test_the_role_defaults_to_other(config: Config, written: str | None) -> None:
    assert joiner(config, Role=written).role == "other"


@pytest.mark.parametrize("written", ["engineering", "Product", " DESIGN ", "ops"])
def test_roles_are_read_in_any_case(config: Config, written: str) -> None:
    assert joiner(config, Role=written).role == written.strip().lower()


def test_an_unknown_role_lists_the_roles(config: Config) -> None:
    with pytest.raises(AnswersError) as excinfo:
        joiner(config, Role="wizard")
    assert "engineering, product, design, ops, other" in problems_of(excinfo)['"Role"']


@pytest.mark.parametrize(
    "written",
    [
        "2026-12-07",
        "7 December 2026",
        "7 Dec 2026",
        "Dec 7, 2026",
        "December 7, 2026",
        "Dec 7 2026",
        "Dec 7,2026",
    ],
)
def test_dates_in_the_forms_people_type(config: Config, written: str) -> None:
    assert parse_day(written) == date(2026, 12, 7)
    assert joiner(config, **{"Start date": written}).start == date(2026, 12, 7)


@pytest.mark.parametrize("written", ["next Monday", "07/12/2026", "December 2026"])
def test_a_bad_date_says_how_to_write_it(config: Config, written: str) -> None:
    with pytest.raises(AnswersError) as excinfo:
        joiner(config, **{"Start date": written})
    message = problems_of(excinfo)['"Start date"']
    assert repr(written) in message and "YYYY-MM-DD" in message


@pytest.mark.parametrize("written", ["2026-13-01", "2026-02-30", "2027-02-29"])
def test_a_well_written_impossible_date_is_called_that(config: Config, written: str) -> None:
    with pytest.raises(AnswersError) as excinfo:
        joiner(config, **{"Start date": written})
    assert problems_of(excinfo)['"Start date"'] == f"{written!r} is not a real calendar date"


def test_a_leap_day_is_a_date(config: Config) -> None:
    assert joiner(config, **{"Start date": "2028-02-29"}).start.isoformat() == "2028-02-29"


def test_a_date_out_of_range_is_refused(config: Config) -> None:
    with pytest.raises(AnswersError) as excinfo:
        joiner(config, **{"Start date": "0001-01-01"})
    assert "out of range" in problems_of(excinfo)['"Start date"']


def test_every_bad_form_answer_is_reported_at_once_by_its_question(config: Config) -> None:
    with pytest.raises(AnswersError) as excinfo:
        joiner(
            config,
            **{
                "GitHub username": None,
                "Full name": None,
                "Team": "mobile",
                "Role": "wizard",
                "Start date": "soon",
                "Buddy": "not a login",
            },
        )
    problems = problems_of(excinfo)
    assert set(problems) == {
        '"GitHub username"',
        '"Full name"',
        '"Team"',
        '"Role"',
        '"Start date"',
        '"Buddy"',
    }
    assert problems['"GitHub username"'] == problems['"Full name"'] == "is missing"
    assert excinfo.value.exit_code == 2


def test_with_flags_each_problem_names_the_flag(config: Config) -> None:
    answers = {**JOINER_ANSWERS, "Full name": None, "Team": "mobile", "Start date": "soon", "Manager": "x y"}
    with pytest.raises(AnswersError) as excinfo:
        joiner_from_answers(answers, config, source="flags")
    assert set(problems_of(excinfo)) == {"--name", "--team", "--start", "--manager"}
    assert str(excinfo.value.problems[0]).startswith("--name: ")


def test_whitespace_in_a_name_is_tidied(config: Config) -> None:
    assert joiner(config, **{"Full name": "  Nadia \t  Newbie "}).name == "Nadia Newbie"


# --- leaver answers ------------------------------------------------------------------------------------


def test_a_complete_leaver(config: Config) -> None:
    assert leaver(config) == Leaver(
        login="leaver", name="Leo Leaver", last_day=date(2026, 12, 18), kind="voluntary", manager="carol"
    )


def test_every_bad_leaver_answer_is_reported_at_once(config: Config) -> None:
    with pytest.raises(AnswersError) as excinfo:
        leaver(
            config, **{"Full name": None, "Last day": "tomorrow", "Kind": "fired", "GitHub username": "a b"}
        )
    assert set(problems_of(excinfo)) == {'"GitHub username"', '"Full name"', '"Last day"', '"Kind"'}
    assert "voluntary, involuntary" in problems_of(excinfo)['"Kind"']


def test_the_kind_of_departure_is_required(config: Config) -> None:
    with pytest.raises(AnswersError) as excinfo:
        leaver(config, Kind=None)
    assert problems_of(excinfo) == {'"Kind"': "is missing"}


def test_leaver_flags_are_named_as_flags(config: Config) -> None:
    with pytest.raises(AnswersError) as excinfo:
        leaver(config, "flags", **{"Last day": None, "Kind": "Sacked"})
    assert set(problems_of(excinfo)) == {"--last-day", "--kind"}


# --- keeping ticked boxes ----------------------------------------------------------------------------


OLD = """<!-- gh-ops:onboarding login=newbie date=2026-12-07 -->
## Onboarding

- [x] **Mon 16 Nov** · People: choose the buddy
- [ ] **Mon 16 Nov** · People: confirm the manager
- [X] **Mon 7 Dec** · Buddy: welcome the joiner
  - [x] a nested step
- [x] **Fri 11 Dec** · Buddy and joiner: pair on real work
- [x] **Wed 2 Dec** · People: a step that no longer exists
Not a step: [x] in the middle of a line
"""

NEW = """<!-- gh-ops:onboarding login=newbie date=2026-12-14 -->
## Onboarding

- [ ] **Mon 23 Nov** · People: choose the buddy
- [ ] **Mon 23 Nov** · People: confirm the manager
- [ ] **Mon 14 Dec** · Buddy: welcome the joiner
  - [ ] a nested step
- [ ] **Fri 18 Dec** · Buddy and joiner: pair on real work
- [ ] **Fri 18 Dec** · People: a new step
"""


def test_ticks_follow_their_steps_when_the_dates_move() -> None:
    body, kept = carry_ticks(OLD, NEW)
    assert kept == 4
    assert body.splitlines() == [
        "<!-- gh-ops:onboarding login=newbie date=2026-12-14 -->",
        "## Onboarding",
        "",
        "- [x] **Mon 23 Nov** · People: choose the buddy",
        "- [ ] **Mon 23 Nov** · People: confirm the manager",
        "- [x] **Mon 14 Dec** · Buddy: welcome the joiner",
        "  - [x] a nested step",
        "- [x] **Fri 18 Dec** · Buddy and joiner: pair on real work",
        "- [ ] **Fri 18 Dec** · People: a new step",  # the vanished step's tick goes nowhere
    ]
    assert body.endswith("\n")


def test_dates_written_in_other_ways_inside_a_step_do_not_break_the_match() -> None:
    old = "- [x] **Mon 16 Nov** · Send the welcome email by 2026-11-16 (Monday 16 November 2026, Nov 16)\n"
    new = "- [ ] **Mon 23 Nov** · Send the welcome email by 2026-11-23 (Monday 23 November 2026, Nov 23)\n"
    assert carry_ticks(old, new) == (new.replace("[ ]", "[x]"), 1)


def test_identical_steps_keep_as_many_ticks_as_there_were() -> None:
    old = "- [x] **Mon 7 Dec** · Check in\n- [ ] **Tue 8 Dec** · Check in\n- [x] **Wed 9 Dec** · Check in\n"
    new = (
        "- [ ] **Mon 14 Dec** · Check in\n- [ ] **Tue 15 Dec** · Check in\n- [ ] **Wed 16 Dec** · Check in\n"
    )
    body, kept = carry_ticks(old, new)
    assert kept == 2
    assert body.count("- [x]") == 2 and body.count("- [ ]") == 1


def test_nothing_ticked_keeps_the_new_body_as_it_is() -> None:
    assert carry_ticks(NEW, NEW) == (NEW, 0)
    assert carry_ticks(OLD.replace("[x]", "[ ]").replace("[X]", "[ ]"), NEW) == (NEW, 0)


def test_steps_that_differ_in_more_than_the_date_are_different_steps() -> None:
    old = "- [x] **Mon 7 Dec** · Manager, day 30: first feedback\n"
    new = "- [ ] **Mon 14 Dec** · Manager, day 60: first feedback\n"
    assert carry_ticks(old, new) == (new, 0)


# --- privacy --------------------------------------------------------------------------------------------


def test_a_private_repository_is_fine_for_both_kinds() -> None:
    assert privacy_verdict("onboarding", "acme/people", True, False) is None
    assert privacy_verdict("offboarding", "acme/people", True, False) is None


def test_onboarding_in_a_public_repository_is_a_warning() -> None:
    warning = privacy_verdict("onboarding", "acme/widgets", False, False)
    assert warning is not None and "acme/widgets is public" in warning


def test_offboarding_in_a_public_repository_is_refused_unless_allowed() -> None:
    with pytest.raises(UsageError) as excinfo:
        privacy_verdict("offboarding", "acme/widgets", False, False)
    assert excinfo.value.exit_code == 2
    assert "acme/widgets" in excinfo.value.message and "public" in excinfo.value.message
    assert "--allow-public" in excinfo.value.message and "people.repo" in excinfo.value.message
    warning = privacy_verdict("offboarding", "acme/widgets", False, True)
    assert warning is not None and "public" in warning


# --- markers --------------------------------------------------------------------------------------------


def test_the_marker_carries_kind_login_and_date(config: Config) -> None:
    person = joiner(config, **{"GitHub username": "@NewBie"})
    mark = person_marker("onboarding", person)
    fingerprint = answers_fingerprint(person)
    kind, fields = read_marker(mark)
    assert kind == "onboarding" and mark.startswith("<!-- gh-ops:onboarding login=newbie date=2026-12-07 ")
    assert fields["answers"] == fingerprint
    # The answers themselves are recorded (quoted to one word each), to redraw the issue as it was.
    assert fields["name"] == person.name.replace(" ", "%20") and fields["team"] == person.team
    assert read_marker(person_marker("offboarding", leaver(config)))[1]["date"] == "2026-12-18"
    # Any answer, not only the date, changes the fingerprint; the same answers give the same one.
    assert answers_fingerprint(joiner(config, **{"GitHub username": "@NewBie"})) == fingerprint
    assert (
        answers_fingerprint(joiner(config, **{"GitHub username": "@NewBie", "Buddy": "carol"})) != fingerprint
    )
