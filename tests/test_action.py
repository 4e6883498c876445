"""Tests for the GitHub Action: gh_ops.action, action.yml, and the workflows (zizmor)."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from gh_ops import action
from gh_ops.action import ActionInputError, build_argv

REPO_ROOT = Path(__file__).resolve().parent.parent
ACTION_YML = REPO_ROOT / "action.yml"
WORKFLOWS_DIR = REPO_ROOT / ".github" / "workflows"

# Stand-in for the CLI's command list, so build_argv tests need no cli.py.
FAKE_TOP_LEVEL_COMMANDS = frozenset({"sprint", "preview", "validate"})

# The only expression forms the run step's env: may use, and what the tests give them.
INPUT_EXPRESSION = re.compile(r"\$\{\{\s*inputs\.([A-Za-z0-9_-]+)\s*\}\}")
INSTALLED_PYTHON_EXPRESSION = re.compile(r"\$\{\{\s*steps\.install\.outputs\.python\s*\}\}")


def cli_exists() -> bool:
    # Skip only while cli.py is not written yet; once it exists, an import error must fail.
    return importlib.util.find_spec("gh_ops.cli") is not None


needs_cli = pytest.mark.skipif(not cli_exists(), reason="gh_ops.cli is not written yet")


@pytest.fixture
def fake_commands(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(action, "top_level_commands", lambda: FAKE_TOP_LEVEL_COMMANDS)


def load_action() -> dict[str, Any]:
    return yaml.safe_load(ACTION_YML.read_text(encoding="utf-8"))


def action_steps() -> list[dict[str, Any]]:
    return load_action()["runs"]["steps"]


def step_with_id(step_id: str) -> dict[str, Any]:
    return next(step for step in action_steps() if step.get("id") == step_id)


# --- build_argv ---------------------------------------------------------------------------


@pytest.mark.usefixtures("fake_commands")
class TestBuildArgv:
    def test_global_options_come_before_command_and_args(self) -> None:
        env = {
            "GH_OPS_COMMAND": "sprint open",
            "GH_OPS_ARGS": "--team web",
            "GH_OPS_CONFIG": ".github/gh-ops.yml",
            "GH_OPS_DRY_RUN": "true",
        }
        assert build_argv(env) == [
            "--config", ".github/gh-ops.yml", "--dry-run", "sprint", "open", "--team", "web",
        ]  # fmt: skip

    def test_empty_config_and_false_dry_run_add_nothing(self) -> None:
        env = {"GH_OPS_COMMAND": "sprint open", "GH_OPS_CONFIG": "", "GH_OPS_DRY_RUN": "false"}
        assert build_argv(env) == ["sprint", "open"]

    def test_unset_optional_variables_mean_defaults(self) -> None:
        assert build_argv({"GH_OPS_COMMAND": "validate"}) == ["validate"]

    @pytest.mark.parametrize("word", ["TRUE", "True", " true\n"])
    def test_dry_run_ignores_case_and_surrounding_space(self, word: str) -> None:
        env = {"GH_OPS_COMMAND": "validate", "GH_OPS_DRY_RUN": word}
        assert build_argv(env) == ["--dry-run", "validate"]

    @pytest.mark.parametrize("word", ["", "yes", "1", "ture", "false; rm -rf /"])
    def test_other_dry_run_values_are_refused(self, word: str) -> None:
        with pytest.raises(ActionInputError, match="'dry-run' input must be 'true' or 'false'"):
            build_argv({"GH_OPS_COMMAND": "validate", "GH_OPS_DRY_RUN": word})

    def test_quoted_args_stay_together(self) -> None:
        env = {"GH_OPS_COMMAND": "sprint open", "GH_OPS_ARGS": "--var \"title=a b\" --var 'x=1 2'"}
        assert build_argv(env) == ["sprint", "open", "--var", "title=a b", "--var", "x=1 2"]

    def test_args_are_split_but_never_expanded(self) -> None:
        env = {"GH_OPS_COMMAND": "preview sprint", "GH_OPS_ARGS": "--team $(id) `id` ${HOME}"}
        assert build_argv(env)[2:] == ["--team", "$(id)", "`id`", "${HOME}"]

    def test_multiline_args_are_split_on_newlines_too(self) -> None:
        env = {"GH_OPS_COMMAND": "sprint open", "GH_OPS_ARGS": "--team web\n--var a=1\n"}
        assert build_argv(env) == ["sprint", "open", "--team", "web", "--var", "a=1"]

    @pytest.mark.parametrize("args", ['--var "title=a b', "--team 'web"])
    def test_unbalanced_quotes_are_refused(self, args: str) -> None:
        with pytest.raises(ActionInputError, match="cannot split the 'args' input"):
            build_argv({"GH_OPS_COMMAND": "sprint open", "GH_OPS_ARGS": args})

    @pytest.mark.parametrize("command", ["", "   ", "\n"])
    def test_empty_command_is_refused(self, command: str) -> None:
        with pytest.raises(ActionInputError, match="'command' input is empty"):
            build_argv({"GH_OPS_COMMAND": command})

    def test_missing_command_is_refused(self) -> None:
        with pytest.raises(ActionInputError, match="'command' input is empty"):
            build_argv({})

    @pytest.mark.parametrize(
        "command",
        [
            "--help",
            "sprint --dry-run",
            "; rm -rf /",
            "sprint open; rm -rf /",
            "$(id)",
            "sprint `id`",
            "Sprint open",
            "sprint open2",
            "-sprint",
            "sprint\nopen\n--config=/etc/passwd",
        ],
    )
    def test_flag_like_or_injected_command_words_are_refused(self, command: str) -> None:
        with pytest.raises(ActionInputError, match="not a command word"):
            build_argv({"GH_OPS_COMMAND": command})

    def test_unknown_command_is_refused_with_the_known_ones(self) -> None:
        with pytest.raises(ActionInputError) as raised:
            build_argv({"GH_OPS_COMMAND": "deploy prod"})
        assert "unknown command 'deploy'" in raised.value.message
        assert "preview, sprint, validate" in raised.value.message


@needs_cli
def test_the_action_knows_the_real_cli_commands() -> None:
    assert {"sprint", "preview"} <= action.top_level_commands()


# --- action.yml, statically ---------------------------------------------------------------


def test_every_input_reaches_a_step_through_env() -> None:
    declared = set(load_action()["inputs"])
    referenced = {
        match.group(1)
        for step in action_steps()
        for value in (step.get("env") or {}).values()
        for match in INPUT_EXPRESSION.finditer(str(value))
    }
    assert declared == referenced


def test_no_run_script_contains_an_expression() -> None:
    # ${{ }} in a script is pasted in before bash runs: template injection.
    for step in action_steps():
        assert "${{" not in step.get("run", ""), step.get("name")


def test_every_step_runs_in_bash() -> None:
    assert all(step.get("shell") == "bash" for step in action_steps())


def test_outputs_come_from_the_run_step() -> None:
    outputs = load_action()["outputs"]
    assert set(outputs) == {
        "issue-numbers",
        "issue-urls",
        "result",
        "github-reads",
        "github-writes",
        "graphql-points",
        "graphql-points-left",
        "remaining",
    }
    for name, output in outputs.items():
        assert output["value"] == f"${{{{ steps.run.outputs.{name} }}}}"


def test_install_step_installs_this_action_into_a_venv() -> None:
    script = step_with_id("install")["run"]
    assert 'pip install --quiet --disable-pip-version-check "${GITHUB_ACTION_PATH}"' in script
    assert "-m venv" in script
    assert "(3, 11)" in script  # the Python version check


def test_input_defaults() -> None:
    inputs = load_action()["inputs"]
    assert inputs["command"]["required"] is True
    assert inputs["args"]["default"] == ""
    assert inputs["config"]["default"] == ""
    assert inputs["dry-run"]["default"] == "false"
    assert inputs["github-token"]["default"] == "${{ github.token }}"


# --- the Action's inputs reach the CLI ------------------------------------------------------


def evaluate_step_env(step_env: Mapping[str, str], inputs: Mapping[str, str]) -> dict[str, str]:
    """The step's env: as the runner would set it, for exactly the expression forms we use."""
    evaluated: dict[str, str] = {}
    for name, raw in step_env.items():
        value = str(raw)
        if match := INPUT_EXPRESSION.fullmatch(value):
            evaluated[name] = inputs[match.group(1)]
        elif INSTALLED_PYTHON_EXPRESSION.fullmatch(value):
            evaluated[name] = sys.executable  # the install step's venv, here: this Python
        elif "${{" in value:
            raise ValueError(f"the test cannot evaluate {name}: {value!r}")
        else:
            evaluated[name] = value
    return evaluated


def run_action_step(
    tmp_path: Path, inputs: Mapping[str, str], extra_env: Mapping[str, str] | None = None
) -> tuple[subprocess.CompletedProcess[str], Path]:
    """Run action.yml's `run` step script in bash, as the runner would, in an empty workspace."""
    run_step = step_with_id("run")
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    github_output = tmp_path / "github_output"
    github_output.touch()
    inherited = {
        name: value
        for name, value in os.environ.items()
        # Never touch the real run's files when the suite itself runs in Actions.
        if name not in {"GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "GITHUB_ENV", "GH_OPS_NOW", "GH_TOKEN"}
    }
    env = {
        **inherited,
        # gh_ops is importable from the checkout even when it is not installed.
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])),
        **evaluate_step_env(run_step["env"], inputs),
        "GITHUB_OUTPUT": str(github_output),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "step_summary"),
        # Nothing listens here: a request the test did not expect fails at once, on this machine.
        "GITHUB_API_URL": "http://127.0.0.1:9",
        **(extra_env or {}),
    }
    completed = subprocess.run(
        ["bash", "-e", "-c", run_step["run"]],
        cwd=workspace,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return completed, workspace


def action_inputs(**overrides: str) -> dict[str, str]:
    inputs = {
        "command": "preview sprint",
        "args": "--team web",
        "config": "",  # no config file here: gh-ops falls back to its embedded example
        "dry-run": "false",
        "github-token": "not-a-real-token",
    }
    inputs.update(overrides)
    return inputs


# Two teams whose names appear nowhere else, and a calendar that starts after NOW: `sprint open`
# has nothing due, so it sends no request at all.
UNIQUE_CONFIG = """\
timezone: UTC
teams:
  alpha:
    name: Team Alpha 7431
    lead: ann
  zebra:
    name: Team Zebra 7431
    lead: zed
sprint:
  every: 2w
  anchor: 2027-01-04
"""
NOW = "2026-11-20"


def write_unique_config(tmp_path: Path) -> Path:
    path = tmp_path / "elsewhere" / "my-gh-ops.yml"
    path.parent.mkdir()
    path.write_text(UNIQUE_CONFIG, encoding="utf-8")
    return path


def preview_title(stdout: str) -> str:
    return next(line for line in stdout.splitlines() if line.startswith("title: "))


@needs_cli
def test_action_inputs_reach_the_cli(tmp_path: Path) -> None:
    # command, args and config: only this config has Team Zebra 7431, and only --team picks it
    # over the first team.
    config = write_unique_config(tmp_path)
    inputs = action_inputs(command="preview sprint", args=f"--team zebra --now {NOW}", config=str(config))
    completed, _ = run_action_step(tmp_path, inputs)
    assert completed.returncode == 0, completed.stderr
    assert preview_title(completed.stdout) == "title: Team Zebra 7431 · Sprint 1 · 4 Jan – 17 Jan 2027"


@needs_cli
def test_config_input_reaches_validate(tmp_path: Path) -> None:
    config = write_unique_config(tmp_path)
    completed, _ = run_action_step(tmp_path, action_inputs(command="validate", args="", config=str(config)))
    assert completed.returncode == 0, completed.stderr
    assert f"{config}: OK" in completed.stdout
    assert "rendered for alpha, zebra" in completed.stdout


@needs_cli
@pytest.mark.parametrize(
    ("dry_run", "token", "exit_code", "says", "never_says"),
    [
        # Without a token only a dry run may go on, so these two show that --dry-run arrived...
        ("false", "", 2, "error: no token: set GITHUB_TOKEN or GH_TOKEN", "dry run"),
        ("true", "", 0, "warning: no token: dry run reads anonymously", "error"),
        # ...and these two that the token did (with it, neither run complains about a token).
        ("false", "not-a-real-token", 0, "GitHub requests: 0 read(s), 0 write(s)", "no token"),
        ("true", "not-a-real-token", 0, "dry run: nothing to write", "no token"),
    ],
    ids=["no dry run, no token", "dry run, no token", "token", "dry run and token"],
)
def test_dry_run_and_token_inputs_reach_the_cli(
    tmp_path: Path, dry_run: str, token: str, exit_code: int, says: str, never_says: str
) -> None:
    config = write_unique_config(tmp_path)
    inputs = action_inputs(
        command="sprint open",
        args=f"--repo acme/widgets --now {NOW}",
        config=str(config),
        **{"dry-run": dry_run, "github-token": token},
    )
    completed, _ = run_action_step(tmp_path, inputs)
    output = completed.stdout + completed.stderr
    assert completed.returncode == exit_code, output
    assert says in output
    assert never_says not in output.replace("Running: gh-ops", "")
    assert ("dry run: nothing to write" in completed.stdout) is (dry_run == "true")


@needs_cli
@pytest.mark.parametrize("command", ["preview sprint", "validate"])
def test_default_config_input_falls_back_to_the_example(tmp_path: Path, command: str) -> None:
    # The workspace has no .github/gh-ops.yml: with the declared default, preview and validate
    # still work from the embedded example (a default naming that path would make it required).
    default = load_action()["inputs"]["config"]["default"]
    inputs = action_inputs(command=command, args=f"--now {NOW}", config=default)
    completed, _ = run_action_step(tmp_path, inputs)
    assert completed.returncode == 0, completed.stderr
    assert "Team Web" in completed.stdout or "<embedded example config>: OK" in completed.stdout


@needs_cli
@pytest.mark.parametrize("command", ["--help", "sprint; touch pwned", "$(touch pwned)"])
def test_bad_command_input_exits_2_with_an_error(tmp_path: Path, command: str) -> None:
    completed, workspace = run_action_step(tmp_path, action_inputs(command=command))
    assert completed.returncode == 2
    assert "error: the 'command' input has" in completed.stderr
    assert not (workspace / "pwned").exists()


@needs_cli
def test_args_input_is_never_run_by_a_shell(tmp_path: Path) -> None:
    inputs = action_inputs(args="--team web $(touch pwned) `touch pwned`")
    completed, workspace = run_action_step(tmp_path, inputs)
    assert completed.returncode == 2  # the CLI refuses the unexpected extra arguments
    assert not (workspace / "pwned").exists()


def test_bad_input_is_annotated_in_actions(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GH_OPS_COMMAND", "--help")
    with pytest.raises(SystemExit) as exited:
        action.main()
    assert exited.value.code == 2
    captured = capsys.readouterr()
    assert captured.err.startswith("error: the 'command' input has '--help'")
    assert captured.out.startswith("::error title=gh-ops::the 'command' input has '--help'")


# --- zizmor -------------------------------------------------------------------------------


def zizmor_command() -> list[str]:
    # pip puts the zizmor binary next to the interpreter, which may not be on PATH.
    beside_python = Path(sys.executable).with_name("zizmor")
    if beside_python.is_file():
        return [str(beside_python)]
    found = shutil.which("zizmor")
    if found is None:
        pytest.fail("zizmor is not installed; run: pip install -e '.[test]'")
    return [found]


def test_zizmor_finds_nothing() -> None:
    completed = subprocess.run(
        [
            *zizmor_command(),
            "--offline",  # no network, and no GitHub token needed
            "--no-progress",
            "--strict-collection",  # a file zizmor cannot parse is a failure, not a warning
            "--format=json",
            str(ACTION_YML),
            str(WORKFLOWS_DIR),
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert json.loads(completed.stdout) == [], completed.stdout


# --- .github/workflows/people.yml, evaluated ----------------------------------------------------
#
# The workflow's expressions are evaluated here as GitHub evaluates them, for the subset people.yml
# uses: string literals, true/false/null, context references (with the .* object filter), !, ==,
# !=, && and || (which give one of their operands, as in GitHub), parentheses and the functions
# below. Anything else is an error, so a new construct in the workflow needs a look here first.

PEOPLE_YML = WORKFLOWS_DIR / "people.yml"
EXPRESSION_TOKEN = re.compile(
    r"\s*(?:(?P<string>'(?:[^']|'')*')"
    r"|(?P<op>&&|\|\||==|!=|[(),!])"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_-]*(?:\.(?:[A-Za-z_][A-Za-z0-9_-]*|\*))*))"
)
TEMPLATE = re.compile(r"\$\{\{(.*?)\}\}", re.DOTALL)


def expression_string(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def expression_equal(left: Any, right: Any) -> bool:
    if isinstance(left, str) and isinstance(right, str):
        return left.casefold() == right.casefold()  # GitHub compares strings ignoring case
    return bool(left == right)


def expression_to_json(value: Any) -> str:
    # The runner's toJSON writes strings with Newtonsoft.Json, which escapes ", \ and control
    # characters (as json.dumps does) and also U+0085, U+2028 and U+2029, and nothing else.
    text = json.dumps(value, ensure_ascii=False, indent=2)
    return text.replace("\u0085", "\\u0085").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def expression_format(template: Any, *args: Any) -> str:
    pieces = re.split(r"(\{\{|\}\}|\{\d+\})", expression_string(template))
    out = []
    for piece in pieces:
        if piece in ("{{", "}}"):
            out.append(piece[0])
        elif re.fullmatch(r"\{\d+\}", piece):
            out.append(expression_string(args[int(piece[1:-1])]))
        else:
            out.append(piece)
    return "".join(out)


def expression_contains(search: Any, item: Any) -> bool:
    if isinstance(search, list):
        return any(expression_equal(element, item) for element in search)
    return expression_string(item).casefold() in expression_string(search).casefold()


EXPRESSION_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "format": expression_format,
    "toJSON": expression_to_json,
    "fromJSON": lambda text: json.loads(text),
    "contains": expression_contains,
}


class Expression:
    """A recursive-descent evaluator of one GitHub Actions expression against a context."""

    def __init__(self, text: str, context: Mapping[str, Any]) -> None:
        self.tokens: list[tuple[str, str]] = []
        position = 0
        text = text.rstrip()
        while position < len(text):
            match = EXPRESSION_TOKEN.match(text, position)
            if match is None or match.end() == position:
                raise AssertionError(f"the test cannot read {text[position:]!r} in {text!r}")
            kind = match.lastgroup
            assert kind is not None
            self.tokens.append((kind, match.group(kind)))
            position = match.end()
        self.context = context
        self.at = 0

    def evaluate(self) -> Any:
        value = self.either()
        assert self.at == len(self.tokens), f"unexpected {self.tokens[self.at :]}"
        return value

    def peek(self) -> str | None:
        return self.tokens[self.at][1] if self.at < len(self.tokens) else None

    def take(self, expected: str | None = None) -> tuple[str, str]:
        token = self.tokens[self.at]
        assert expected is None or token[1] == expected, f"expected {expected!r}, got {token[1]!r}"
        self.at += 1
        return token

    def either(self) -> Any:
        value = self.both()
        while self.peek() == "||":
            self.take()
            right = self.both()
            value = value if value else right
        return value

    def both(self) -> Any:
        value = self.comparison()
        while self.peek() == "&&":
            self.take()
            right = self.comparison()
            value = right if value else value
        return value

    def comparison(self) -> Any:
        value = self.unary()
        if self.peek() in ("==", "!="):
            operator = self.take()[1]
            equal = expression_equal(value, self.unary())
            return equal if operator == "==" else not equal
        return value

    def unary(self) -> Any:
        if self.peek() == "!":
            self.take()
            return not self.unary()
        return self.primary()

    def primary(self) -> Any:
        kind, text = self.take()
        if kind == "string":
            return text[1:-1].replace("''", "'")
        if text == "(":
            value = self.either()
            self.take(")")
            return value
        if kind != "name":
            raise AssertionError(f"unexpected {text!r}")
        if self.peek() == "(":
            self.take()
            args = []
            while self.peek() != ")":
                args.append(self.either())
                if self.peek() == ",":
                    self.take()
            self.take(")")
            if text not in EXPRESSION_FUNCTIONS:
                raise AssertionError(f"the test does not know the function {text}()")
            return EXPRESSION_FUNCTIONS[text](*args)
        if text in ("true", "false", "null"):
            return {"true": True, "false": False, "null": None}[text]
        return self.lookup(text.split("."))

    def lookup(self, path: list[str]) -> Any:
        values: list[Any] = [self.context]
        filtered = False
        for key in path:
            if key == "*":
                values = [item for value in values if isinstance(value, list) for item in value]
                filtered = True
            else:
                values = [value.get(key) if isinstance(value, Mapping) else None for value in values]
        return values if filtered else values[0]


def evaluate(text: str, context: Mapping[str, Any]) -> Any:
    return Expression(text, context).evaluate()


def interpolate(text: str, context: Mapping[str, Any]) -> str:
    """A value with ${{ }} templates in it, as the runner renders it."""
    return TEMPLATE.sub(lambda match: expression_string(evaluate(match.group(1), context)), text)


def test_the_expression_evaluator_agrees_with_github() -> None:
    context = {"inputs": {"a": "x", "e": ""}, "github": {"labels": [{"name": "Bug"}, {"name": "ok"}]}}
    assert evaluate("inputs.a && 'yes' || 'no'", context) == "yes"
    assert evaluate("inputs.e && 'yes' || 'no'", context) == "no"
    assert evaluate("inputs.a == 'X' && !(inputs.a != 'x')", context) is True
    assert evaluate("contains(github.labels.*.name, 'bug') && !contains(github.labels.*.name, 'b')", context)
    assert evaluate("format('{0}-{{1}}-{1}', 'it''s', toJSON(inputs.a))", context) == 'it\'s-{1}-"x"'
    assert interpolate("a ${{ inputs.missing }}b ${{ fromJSON('[1]') }}", context) == "a b [1]"


def people_workflow() -> dict[str, Any]:
    return yaml.safe_load(PEOPLE_YML.read_text(encoding="utf-8"))


def people_job() -> dict[str, Any]:
    return people_workflow()["jobs"]["people"]


def people_step(name: str) -> dict[str, Any]:
    return next(step for step in people_job()["steps"] if step.get("name") == name)


def dispatch_context(**inputs: str) -> dict[str, Any]:
    defaults = {
        "kind": "onboarding",
        "login": "ann",
        "name": "Ann Lee",
        "team": "web",
        "start": "2026-12-01",
        "role": "engineering",
        "buddy": "bob",
        "last-day": "2026-12-31",
        "leave-kind": "involuntary",
        "manager": "carol",
        "dry-run": False,
    }
    return {
        "github": {"event_name": "workflow_dispatch", "workflow": "People", "run_id": 99, "event": {}},
        "inputs": {**defaults, **inputs},
    }


def issue_context(labels: list[str], association: str = "MEMBER", number: int = 7) -> dict[str, Any]:
    issue = {"number": number, "labels": [{"name": n} for n in labels], "author_association": association}
    return {
        "github": {"event_name": "issues", "workflow": "People", "run_id": 99, "event": {"issue": issue}},
        "inputs": {},
    }


def manual_run_argv(context: Mapping[str, Any], monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The gh-ops argv the manual-run step of people.yml gives gh_ops.action for these inputs."""
    monkeypatch.setattr(action, "top_level_commands", lambda: frozenset({"onboarding", "offboarding"}))
    step_inputs = people_step("Checklist from the manual run")["with"]
    env = {
        "GH_OPS_COMMAND": interpolate(step_inputs["command"], context),
        "GH_OPS_ARGS": interpolate(step_inputs["args"], context),
        "GH_OPS_DRY_RUN": interpolate(step_inputs["dry-run"], context),
    }
    return build_argv(env)


FREE_TEXT_INPUTS = ("login", "name", "team", "start", "buddy", "last-day", "manager")
HOSTILE_VALUES = [
    'Ann" --allow-public --repo "x/y',
    "Ann' --allow-public --repo 'x/y",
    'Ann\\" --allow-public --repo \\"x/y',
    "O'Brien",
    "back\\slash",
    "trailing\\",
    '"',
    "$(id)",
    "`id` ${HOME} $GITHUB_TOKEN",
    "a;b && c | d",
    "Zoë Ångström 李小龍 🎉",
    "  spaced   out  ",
    "--allow-public",
    "{0} ${{ inputs.login }}",
    "#comment",
]


@pytest.mark.parametrize("value", HOSTILE_VALUES)
@pytest.mark.parametrize("kind", ["onboarding", "offboarding"])
def test_people_manual_run_passes_every_value_as_one_argument(
    kind: str, value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    context = dispatch_context(kind=kind, **dict.fromkeys(FREE_TEXT_INPUTS, value))

    argv = manual_run_argv(context, monkeypatch)

    if kind == "onboarding":
        expected = [
            "onboarding", "open", "--login", value, "--name", value, "--team", value,
            "--start", value, "--role", "engineering", "--buddy", value, "--manager", value,
        ]  # fmt: skip
    else:
        expected = [
            "offboarding", "open", "--login", value, "--name", value,
            "--last-day", value, "--kind", "involuntary", "--manager", value,
        ]  # fmt: skip
    assert argv == expected
    # No option came out of a value: each value is the one word after its own option.
    assert "--repo" not in argv and argv.count("--name") == 1
    assert value == "--allow-public" or "--allow-public" not in argv


@pytest.mark.parametrize("value", ["line\nbreak --allow-public", "tab\there", "bell\x07"])
def test_people_manual_run_keeps_control_characters_inside_one_argument(
    value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # toJSON escapes control characters (\n, \t, \u0007), which shlex leaves as typed: the value
    # is not verbatim, but it is still one argument and cannot add an option.
    argv = manual_run_argv(dispatch_context(name=value), monkeypatch)
    escaped = json.dumps(value)[1:-1]
    assert argv == [
        "onboarding", "open", "--login", "ann", "--name", escaped, "--team", "web", "--start", "2026-12-01",
        "--role", "engineering", "--buddy", "bob", "--manager", "carol",
    ]  # fmt: skip


def test_people_manual_run_leaves_out_empty_optional_inputs(monkeypatch: pytest.MonkeyPatch) -> None:
    onboarding = dispatch_context(team="", start="", buddy="", manager="")
    assert manual_run_argv(onboarding, monkeypatch) == [
        "onboarding", "open", "--login", "ann", "--name", "Ann Lee", "--role", "engineering",
    ]  # fmt: skip
    offboarding = dispatch_context(kind="offboarding", **{"last-day": "", "manager": ""})
    assert manual_run_argv(offboarding, monkeypatch) == [
        "offboarding", "open", "--login", "ann", "--name", "Ann Lee", "--kind", "involuntary",
    ]  # fmt: skip
    dry = dispatch_context(**{"dry-run": True})
    assert manual_run_argv(dry, monkeypatch)[:3] == ["--dry-run", "onboarding", "open"]


def steps_that_run(context: Mapping[str, Any]) -> list[str] | None:
    """The names of the people job's steps that run in this context, or None if the job is skipped."""
    job = people_job()
    if not evaluate(job["if"], context):
        return None
    return [
        step.get("name", step.get("uses", ""))
        for step in job["steps"]
        if "if" not in step or evaluate(step["if"], context)
    ]


CHECKOUT = "actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8"


@pytest.mark.parametrize(
    ("labels", "association", "expected"),
    [
        (["new-joiner"], "MEMBER", [CHECKOUT, "Onboarding checklist from the request"]),
        (["leaver", "urgent"], "OWNER", [CHECKOUT, "Offboarding checklist from the request"]),
        (
            ["leaver", "New-Joiner"],
            "COLLABORATOR",
            ["Refuse a request that is both a joiner and a leaver", CHECKOUT],
        ),
        (["new-joiner"], "CONTRIBUTOR", None),
        (["new-joiner", "leaver"], "NONE", None),
        (["bug"], "MEMBER", None),
        ([], "MEMBER", None),
    ],
)
def test_people_request_runs_at_most_one_checklist_step(
    labels: list[str], association: str, expected: list[str] | None
) -> None:
    assert steps_that_run(issue_context(labels, association)) == expected


def test_people_manual_run_runs_only_the_manual_step() -> None:
    assert steps_that_run(dispatch_context()) == [CHECKOUT, "Checklist from the manual run"]


def test_people_runs_for_the_same_person_or_request_share_a_concurrency_group() -> None:
    concurrency = people_workflow()["concurrency"]
    assert concurrency["cancel-in-progress"] is False

    def group(context: Mapping[str, Any]) -> str:
        return interpolate(concurrency["group"], context)

    assert group(dispatch_context(login="ann")) == group(dispatch_context(login="ann", kind="offboarding"))
    assert group(dispatch_context(login="ann")) != group(dispatch_context(login="bob"))
    assert group(issue_context(["new-joiner"], number=7)) == group(issue_context(["leaver"], number=7))
    assert group(issue_context(["new-joiner"], number=7)) != group(issue_context(["new-joiner"], number=8))


def test_people_workflow_keeps_the_token_fallback() -> None:
    gh_ops_steps = [step for step in people_job()["steps"] if step.get("uses") == "$/"]
    assert len(gh_ops_steps) == 3
    for step in gh_ops_steps:
        assert step["with"]["github-token"] == "${{ secrets.PEOPLE_TOKEN || github.token }}"
