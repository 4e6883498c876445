"""Tests for the GitHub Action: gh_ops.action, action.yml, and the workflows (zizmor)."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
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


def test_every_script_step_runs_in_bash() -> None:
    assert all(step.get("shell") == "bash" for step in action_steps() if "run" in step)


def test_every_action_a_step_uses_is_pinned_to_a_commit_with_its_version() -> None:
    uses = [step["uses"] for step in action_steps() if "uses" in step]
    assert uses, "the cache steps"
    for line in ACTION_YML.read_text("utf-8").splitlines():
        if line.strip().startswith("uses:"):
            assert re.fullmatch(r"\s*uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+", line), line


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


def test_install_steps_run_the_install_script_around_the_cache() -> None:
    # action/install.sh (tests/test_action_install.py runs it): `key` names the environment and its
    # cache key, the cache is restored under exactly that key, `install` installs only on a miss,
    # and only a run that installed saves.
    steps = action_steps()
    ids = [step.get("id") or step.get("uses", "").split("@")[0] for step in steps]
    assert ids == ["environment", "restore", "install", "actions/cache/save", "run"]
    assert step_with_id("environment")["run"] == 'bash "${GITHUB_ACTION_PATH}/action/install.sh" key'
    assert step_with_id("install")["run"] == 'bash "${GITHUB_ACTION_PATH}/action/install.sh" install'
    restore, save = steps[1], steps[3]
    assert restore["uses"].startswith("actions/cache/restore@") and "restore-keys" not in restore["with"]
    for cache in (restore, save):
        assert cache["with"] == {
            "path": "${{ steps.environment.outputs.venv }}",
            "key": "${{ steps.environment.outputs.key }}",
        }
    assert step_with_id("install")["env"]["GH_OPS_CACHE_HIT"] == "${{ steps.restore.outputs.cache-hit }}"
    assert save["if"] == "steps.install.outputs.installed == 'true'"
    # The Python check is the script's (tests/test_action_install.py gives it a Python 3.10).


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
    workspace.mkdir(exist_ok=True)  # a test may have put files there first
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
def test_no_file_of_the_workspace_stands_in_for_a_module(tmp_path: Path) -> None:
    # The run step runs in the checked-out repository (a pull request's files): a click.py or
    # yaml.py there must not be what gh-ops imports (python -P keeps the current folder off the path).
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    for module in ("click", "yaml", "shlex"):
        (workspace / f"{module}.py").write_text("open('pwned', 'w').close()\n", encoding="utf-8")
    completed, _ = run_action_step(tmp_path, action_inputs(command="validate", args=""))
    assert completed.returncode == 0, completed.stderr
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


def test_the_action_runs_the_one_workflow_step() -> None:
    # `command: run` is the step of the one workflow (.github/workflows/gh-ops.yml).
    assert action.build_argv({"GH_OPS_COMMAND": "run"}) == ["run"]
