"""The Action's lock (action/requirements.txt) is in step with pyproject.toml: every dependency pinned
within its range, every pin hashed (a binary package for every platform), and the pins closed under
their own requirements, less the two packages left out on purpose. Offline: the closure is checked
against the requirements of the distributions installed in the test environment."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "action" / "requirements.txt"
INSTALLER_LOCK = ROOT / "action" / "pylock.uv.toml"
REGENERATE = "bash action/lock.sh"
FIX = f"run `{REGENERATE}` (needs uv: pip install uv) and commit action/requirements.txt"

# Required by a locked package but never imported by gh-ops, so left out of the Action's install
# (action/lock.sh passes --no-emit-package for each).
LEFT_OUT = {
    # pyjwt[crypto], asked for by PyGithub, signs the JWTs of GitHub App authentication; gh-ops
    # authenticates with a token, and PyJWT imports cryptography only when it signs.
    "cryptography": "only GitHub App (JWT) authentication needs it",
    # cffi's C parser builds cffi modules; PyNaCl's is prebuilt and needs only cffi's backend.
    "pycparser": "only building a cffi module needs it",
}


def parse_lock(text: str) -> dict[str, tuple[Requirement, list[str]]]:
    """{canonical name: (the pinned requirement with its marker, its hashes)} of a pip lock file."""
    entries: dict[str, tuple[Requirement, list[str]]] = {}
    logical = ""
    for raw in text.splitlines():
        line = raw.split(" #", 1)[0].strip() if not raw.lstrip().startswith("#") else ""
        logical += " " + line.removesuffix("\\")
        if line.endswith("\\"):
            continue
        if logical.strip():
            requirement_text, *hashes = logical.split("--hash=")
            requirement = Requirement(requirement_text.strip())
            entries[canonicalize_name(requirement.name)] = (requirement, [h.strip() for h in hashes])
        logical = ""
    return entries


def pinned_version(requirement: Requirement) -> str | None:
    (spec, *more) = list(requirement.specifier) or [None]
    return spec.version if spec is not None and not more and spec.operator == "==" else None


def lock_problems(pyproject_text: str, lock_text: str) -> list[str]:
    """What keeps the lock from matching pyproject.toml's dependencies (empty when in step)."""
    dependencies = [Requirement(text) for text in tomllib.loads(pyproject_text)["project"]["dependencies"]]
    lock = parse_lock(lock_text)
    problems = []
    for dependency in dependencies:
        found = lock.get(canonicalize_name(dependency.name))
        if found is None:
            problems.append(f"pyproject.toml needs {dependency} but the lock has no {dependency.name}")
        elif (version := pinned_version(found[0])) is None:
            problems.append(f"the lock does not pin {found[0]} to one version (==)")
        elif not dependency.specifier.contains(version, prereleases=True):
            problems.append(
                f"pyproject.toml needs {dependency} but the lock pins {dependency.name}=={version}"
            )
    for name, (_, hashes) in lock.items():
        if not hashes or not all(h.startswith("sha256:") for h in hashes):
            problems.append(f"the lock has no sha256 hash for {name}")
        if name in LEFT_OUT:
            problems.append(f"{name} is in the lock but left out on purpose: {LEFT_OUT[name]}")
    return problems


def test_the_lock_is_in_step_with_pyproject() -> None:
    problems = lock_problems((ROOT / "pyproject.toml").read_text("utf-8"), LOCK.read_text("utf-8"))
    assert problems == [], f"action/requirements.txt is out of step: {'; '.join(problems)}; {FIX}"


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (
            lambda deps: [*deps, "humanize>=4"],
            "pyproject.toml needs humanize>=4 but the lock has no humanize",
        ),
        (
            lambda deps: [d if not d.startswith("click") else "click>=99" for d in deps],
            "pyproject.toml needs click>=99 but the lock pins click==",
        ),
    ],
    ids=["a new dependency", "a raised lower bound"],
)
def test_the_check_fails_when_pyproject_gains_what_the_lock_lacks(
    change: Callable[[list[str]], list[str]], says: str
) -> None:
    # The same check as above, on a copy of pyproject.toml with one more (or a stricter) dependency.
    pyproject = (ROOT / "pyproject.toml").read_text("utf-8")
    dependencies = tomllib.loads(pyproject)["project"]["dependencies"]
    changed = change(dependencies)
    listed = "dependencies = [\n" + "".join(f"  {d!r},\n" for d in changed) + "]\n"
    copy = re.sub(r"(?ms)^dependencies = \[\n.*?^\]\n", lambda _: listed, pyproject, count=1)
    assert tomllib.loads(copy)["project"]["dependencies"] == changed
    problems = lock_problems(copy, LOCK.read_text("utf-8"))
    assert any(problem.startswith(says) for problem in problems), problems


def test_a_left_out_package_in_the_lock_is_a_problem() -> None:
    lock = LOCK.read_text("utf-8") + "cryptography==50.0.2 \\\n    --hash=sha256:" + "0" * 64 + "\n"
    problems = lock_problems((ROOT / "pyproject.toml").read_text("utf-8"), lock)
    assert problems == ["cryptography is in the lock but left out on purpose: " + LEFT_OUT["cryptography"]]


def _requirements_of(name: str, extras: Iterable[str]) -> list[Requirement]:
    """What the installed distribution `name` requires, with these extras, on this platform."""
    environment = default_environment()
    found = []
    for text in metadata.requires(name) or []:
        requirement = Requirement(text)
        marker = requirement.marker
        if marker is None or any(marker.evaluate({**environment, "extra": extra}) for extra in ["", *extras]):
            found.append(requirement)
    return found


def test_the_lock_is_closed_and_holds_only_what_gh_ops_needs() -> None:
    lock = parse_lock(LOCK.read_text("utf-8"))
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    wanted: list[Requirement] = [Requirement(text) for text in pyproject["project"]["dependencies"]]
    reached: dict[str, set[str]] = {}
    missing = []
    while wanted:
        requirement = wanted.pop()
        name = canonicalize_name(requirement.name)
        if name in LEFT_OUT:
            continue
        if name not in lock:
            missing.append(str(requirement))
            continue
        extras = set(requirement.extras)
        if name in reached and extras <= reached[name]:
            continue
        reached[name] = reached.get(name, set()) | extras
        wanted.extend(_requirements_of(name, reached[name]))
    assert missing == [], f"the lock lacks what its packages require: {missing}; {FIX}"
    applies = {name for name, (req, _) in lock.items() if req.marker is None or req.marker.evaluate()}
    assert applies - set(reached) == set(), "the lock holds packages nothing requires"


def test_binary_packages_are_hashed_for_every_platform() -> None:
    # The Action may run on Linux, macOS or Windows runners: a package with compiled code has a
    # wheel (and a hash) per platform; a pure-Python one needs only its one wheel.
    for name, (requirement, hashes) in parse_lock(LOCK.read_text("utf-8")).items():
        wheel = (metadata.distribution(name).read_text("WHEEL") or "").lower()
        if "root-is-purelib: false" in wheel:
            assert len(hashes) >= 20, f"{requirement} has {len(hashes)} hashes: one platform's only? {FIX}"


def test_the_installer_is_pinned_and_hashed_for_every_platform() -> None:
    # uv, for the install on a cache miss: one version, and for each platform's wheel the URL pip
    # fetches it from and its sha256 (action/install.sh passes them to pip with --require-hashes).
    (only, *more) = tomllib.loads(INSTALLER_LOCK.read_text("utf-8"))["packages"]
    assert more == [] and only["name"] == "uv" and only["version"]
    wheels = only["wheels"]
    platforms = " ".join(wheel["url"] for wheel in wheels)
    for platform in ("manylinux_2_17_x86_64", "manylinux_2_17_aarch64", "macosx_11_0_arm64", "win_amd64"):
        assert platform in platforms
    for wheel in wheels:
        assert wheel["url"].startswith("https://files.pythonhosted.org/packages/"), wheel["url"]
        assert wheel["url"].endswith(".whl") and f"/uv-{only['version']}-" in wheel["url"]
        assert re.fullmatch(r"[0-9a-f]{64}", wheel["hashes"]["sha256"]), wheel


def test_the_locks_say_how_they_were_made_and_the_readme_says_it_too() -> None:
    for lock in (LOCK, INSTALLER_LOCK):
        assert f"#    {REGENERATE}\n" in lock.read_text("utf-8"), lock
    assert REGENERATE in (ROOT / "README.md").read_text("utf-8")
