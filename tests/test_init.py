"""`gh-ops init`: the files it writes into a repository, valid as written, never overwritten without
--force, printed and not written with --dry-run; the people issue forms read by the people code."""

from __future__ import annotations

import itertools
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from gh_ops.cli import main
from gh_ops.config import load_config, schema
from gh_ops.forms import NO_RESPONSE, parse_form
from gh_ops.people.rules import JOINER_QUESTIONS, LEAVER_QUESTIONS, joiner_from_answers, leaver_from_answers
from gh_ops.registry import capabilities, sections
from gh_ops.workflow import DOCTOR_CRON

CONFIG = ".github/gh-ops.yml"
FORMS = (".github/ISSUE_TEMPLATE/onboarding.yml", ".github/ISSUE_TEMPLATE/offboarding.yml")
WORKFLOW = ".github/workflows/gh-ops.yml"
ALL = [c.name for c in capabilities()]
SECTION_KEYS = {c.name: s.keys for c, s in zip(capabilities(), sections(), strict=True)}
SHARED_KEYS = set(schema()["properties"]) - {k for keys in SECTION_KEYS.values() for k in keys}


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty git repository, the current directory."""
    top = tmp_path / "repo"
    top.mkdir()
    subprocess.run(["git", "init", "-q", str(top)], check=True)
    monkeypatch.chdir(top)
    return top


def gh_ops(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def written(top: Path) -> set[str]:
    return {str(p.relative_to(top)) for p in top.rglob("*") if p.is_file() and ".git" not in p.parts}


def test_init_writes_the_config_and_the_forms_and_validate_passes(repo: Path) -> None:
    result = gh_ops("init")
    assert result.exit_code == 0, result.output
    assert written(repo) == {CONFIG, WORKFLOW, *FORMS}
    for path in (CONFIG, WORKFLOW, *FORMS):
        assert f"wrote {path}" in result.output
    checked = gh_ops("validate")
    assert checked.exit_code == 0, checked.output
    assert f"{CONFIG}: OK" in checked.output


ONLY = [*([name] for name in ALL), ALL, ["sprint", "people"], ["rfc", "priority", "yolo"]]
ONLY += [list(pair) for pair in itertools.combinations(ALL, 2) if list(pair) not in ONLY]


@pytest.mark.parametrize("only", ONLY, ids=",".join)
def test_only_writes_the_sections_and_files_named_and_is_valid(repo: Path, only: list[str]) -> None:
    result = gh_ops("init", "--only", ",".join(reversed(only)))  # any order
    assert result.exit_code == 0, result.output
    assert written(repo) == ({CONFIG, WORKFLOW, *FORMS} if "people" in only else {CONFIG, WORKFLOW})
    keys = set(yaml.safe_load((repo / CONFIG).read_text(encoding="utf-8")))
    enabled = {key for name in only for key in SECTION_KEYS[name]}
    assert enabled <= keys <= enabled | SHARED_KEYS
    checked = gh_ops("validate")
    assert checked.exit_code == 0, checked.output


def test_every_key_is_written_with_its_comment_from_the_schema(repo: Path) -> None:
    assert gh_ops("init").exit_code == 0
    text = (repo / CONFIG).read_text(encoding="utf-8")
    flat = " ".join(line.strip().removeprefix("# ") for line in text.splitlines())
    composed = schema()
    for key, node in composed["properties"].items():
        assert f"\n{key}:" in text or f"\n# {key}:" in text, key
        assert " ".join(node["description"].split())[:25] in flat, key
        resolved = composed["$defs"][node["$ref"].rpartition("/")[2]] if "$ref" in node else node
        for child, child_node in resolved.get("properties", {}).items():
            assert f"  {child}:" in text or f"  # {child}:" in text, f"{key}.{child}"
            assert " ".join(child_node["description"].split())[:25] in flat, f"{key}.{child}"


def test_a_second_init_refuses_listing_every_file_and_changes_nothing(repo: Path) -> None:
    assert gh_ops("init").exit_code == 0
    (repo / CONFIG).write_text("timezone: UTC\n", encoding="utf-8")
    result = gh_ops("init")
    assert result.exit_code == 2, result.output
    for path in (CONFIG, *FORMS):
        assert path in result.output
    assert "--force" in result.output
    assert "Traceback" not in result.output
    assert (repo / CONFIG).read_text(encoding="utf-8") == "timezone: UTC\n"


def test_refuses_when_one_file_exists_and_writes_none(repo: Path) -> None:
    (repo / FORMS[0]).parent.mkdir(parents=True)
    (repo / FORMS[0]).write_text("mine\n", encoding="utf-8")
    result = gh_ops("init")
    assert result.exit_code == 2
    assert FORMS[0] in result.output and CONFIG not in result.output
    assert written(repo) == {FORMS[0]}
    # without people, that form is not init's to write: no conflict
    assert gh_ops("init", "--only", "sprint").exit_code == 0


def test_force_overwrites(repo: Path) -> None:
    assert gh_ops("init").exit_code == 0
    (repo / CONFIG).write_text("timezone: UTC\n", encoding="utf-8")
    result = gh_ops("init", "--force")
    assert result.exit_code == 0, result.output
    assert f"overwrote {CONFIG}" in result.output
    assert "sprint:" in (repo / CONFIG).read_text(encoding="utf-8")
    assert gh_ops("validate").exit_code == 0


@pytest.mark.parametrize("where", [("--dry-run", "init"), ("init", "--dry-run")])
def test_dry_run_prints_each_file_and_writes_nothing(repo: Path, where: tuple[str, str]) -> None:
    result = gh_ops(*where)
    assert result.exit_code == 0, result.output
    assert written(repo) == set()
    for path in (CONFIG, *FORMS):
        assert f"--- {path} (would write)" in result.output
    assert "labels: [new-joiner]" in result.output and "sprint:" in result.output


def test_init_in_a_subfolder_writes_at_the_top_level(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (repo / "src" / "deep").mkdir(parents=True)
    monkeypatch.chdir(repo / "src" / "deep")
    assert gh_ops("init", "--only", "yolo").exit_code == 0
    assert written(repo) == {CONFIG, WORKFLOW}


def test_outside_a_git_work_tree_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    result = gh_ops("init")
    assert result.exit_code == 2
    assert "not inside a git work tree" in result.output
    assert "Traceback" not in result.output
    assert written(tmp_path) == set()


@pytest.mark.parametrize("only", ["sprint,nope", "", ",", "Sprint"])
def test_an_unknown_capability_is_a_usage_error_naming_the_valid_ones(repo: Path, only: str) -> None:
    result = gh_ops("init", "--only", only)
    assert result.exit_code == 2, result.output
    assert "sprint,people,rfc,priority,yolo" in result.output
    assert written(repo) == set()


# --- the issue forms, as GitHub renders an answer ----------------------------------------------------


def rendered_answer(form: dict[str, Any], answers: dict[str, str]) -> str:
    """The issue body GitHub makes from a filled-in form: `### Label`, a blank line, the answer."""
    parts = []
    for item in form["body"]:
        if item["type"] == "markdown":
            continue
        parts.append(f"### {item['attributes']['label']}\n\n{answers.get(item['id']) or NO_RESPONSE}")
    return "\n\n".join(parts)


def form(top: Path, path: str) -> dict[str, Any]:
    loaded = yaml.safe_load((top / path).read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def test_the_onboarding_form_is_read_by_the_people_code(repo: Path) -> None:
    assert gh_ops("init").exit_code == 0
    config = load_config(repo / CONFIG)
    onboarding = form(repo, FORMS[0])
    questions = [i["attributes"]["label"] for i in onboarding["body"] if i["type"] != "markdown"]
    assert sorted(questions) == sorted(JOINER_QUESTIONS)
    answers = {"login": "@newbie", "name": "Ada Lovelace", "team": "Team Web", "role": "product"}
    answers["start"] = "2026-12-01"
    joiner = joiner_from_answers(parse_form(rendered_answer(onboarding, answers)), config, source="form")
    assert (joiner.login, joiner.name, joiner.team, joiner.role) == (
        "newbie",
        "Ada Lovelace",
        "web",
        "product",
    )
    assert (joiner.start, joiner.buddy, joiner.manager) == (date(2026, 12, 1), None, None)


def test_the_offboarding_form_is_read_by_the_people_code(repo: Path) -> None:
    assert gh_ops("init").exit_code == 0
    config = load_config(repo / CONFIG)
    offboarding = form(repo, FORMS[1])
    questions = [i["attributes"]["label"] for i in offboarding["body"] if i["type"] != "markdown"]
    assert sorted(questions) == sorted(LEAVER_QUESTIONS)
    answers = {"login": "leaver", "name": "Bo Ran", "last-day": "2027-01-15", "kind": "voluntary"}
    answers["manager"] = "@dave"
    leaver = leaver_from_answers(parse_form(rendered_answer(offboarding, answers)), config, source="form")
    assert (leaver.login, leaver.last_day, leaver.kind, leaver.manager) == (
        "leaver",
        date(2027, 1, 15),
        "voluntary",
        "dave",
    )


def test_the_forms_carry_the_form_labels_of_the_config_and_offer_every_choice(repo: Path) -> None:
    from gh_ops.people.rules import LEAVE_KINDS, ROLES
    from gh_ops.people.settings import PeopleSettings

    assert gh_ops("init").exit_code == 0
    people = load_config(repo / CONFIG).section(PeopleSettings)
    onboarding, offboarding = form(repo, FORMS[0]), form(repo, FORMS[1])
    assert onboarding["labels"] == [people.onboarding.form_label]
    assert offboarding["labels"] == [people.offboarding.form_label]
    choices = {
        i["id"]: i["attributes"]["options"]
        for f in (onboarding, offboarding)
        for i in f["body"]
        if i["type"] == "dropdown"
    }
    assert choices == {"role": list(ROLES), "kind": list(LEAVE_KINDS)}


# --- the workflow ------------------------------------------------------------------------------------


def _zizmor() -> list[str]:
    import shutil
    import sys

    beside_python = Path(sys.executable).with_name("zizmor")
    found = str(beside_python) if beside_python.is_file() else shutil.which("zizmor")
    assert found, "zizmor is not installed; run: pip install -e '.[test]'"
    return [found]


@pytest.mark.parametrize("only", [ALL, ["sprint"], ["rfc", "yolo"]], ids=",".join)
def test_in_an_empty_repository_init_then_validate_then_zizmor_all_succeed(
    repo: Path, only: list[str]
) -> None:
    assert gh_ops("init", "--only", ",".join(only)).exit_code == 0
    checked = gh_ops("validate")
    assert checked.exit_code == 0, checked.output
    audited = subprocess.run(
        [*_zizmor(), "--offline", "--no-progress", "--strict-collection", ".github"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert audited.returncode == 0, audited.stdout + audited.stderr


def test_the_workflow_pins_the_commit_gh_ops_was_built_from(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gh_ops

    sha = "0123456789abcdef0123456789abcdef01234567"
    monkeypatch.setattr(gh_ops, "build_info", lambda: ("acme/gh-ops", sha))
    result = gh_ops_cli("init", "--only", "sprint")
    assert result.exit_code == 0, result.output
    text = (repo / WORKFLOW).read_text()
    assert f"uses: acme/gh-ops@{sha} # v{gh_ops.__version__}" in text
    assert "FILL IN" not in text and "placeholder" not in result.output


def test_without_build_info_the_workflow_says_where_to_fill_in_the_pin(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gh_ops

    monkeypatch.setattr(gh_ops, "build_info", lambda: None)
    result = gh_ops_cli("init", "--only", "sprint")
    assert result.exit_code == 0, result.output
    assert "uses: OWNER/gh-ops@" + "0" * 40 + " # FILL IN" in (repo / WORKFLOW).read_text()
    assert "is a placeholder: fill in OWNER/gh-ops@<full commit sha>" in result.output


def test_the_workflow_crons_are_the_configs_schedules_and_push_is_the_current_branch(repo: Path) -> None:
    subprocess.run(["git", "checkout", "-q", "-b", "trunk"], check=True)
    assert gh_ops("init").exit_code == 0
    workflow = yaml.safe_load((repo / WORKFLOW).read_text())
    on = workflow[True] if True in workflow else workflow["on"]  # YAML 1.1 reads `on` as true
    crons = [entry["cron"] for entry in on["schedule"]]
    config = yaml.safe_load((repo / CONFIG).read_text())
    # The config's crons, then the doctor job's own (never in `schedules:`: gh-ops run skips it).
    assert crons == [*config["schedules"], DOCTOR_CRON]
    assert on["push"]["branches"] == ["trunk"]
    jobs = [job for cron_jobs in config["schedules"].values() for job in cron_jobs]
    assert {"sprint open", "rfc remind", "priority triage"} <= {" ".join(j.split()[:2]) for j in jobs}


def gh_ops_cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def test_this_repositorys_issue_forms_are_the_ones_init_writes() -> None:
    """The forms in this repository are init's, so they never drift from what people parse."""
    from gh_ops.people import texts

    top = Path(__file__).resolve().parent.parent
    for path, text in texts.ISSUE_FORMS:
        assert (top / path).read_text() == text, f"{path} differs from gh-ops init's: regenerate it"
