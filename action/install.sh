#!/usr/bin/env bash
# The Action's install of gh-ops, run by action.yml in two steps around actions/cache/restore:
#
#   install.sh key       checks python3, names the environment and its cache key
#   install.sh install   on a cache hit uses the restored environment as it is; on a miss makes
#                        it: a venv without pip, and exactly the packages of action/requirements.txt
#                        (hash-checked wheels, no dependency resolution, no build)
#
# gh-ops itself is never in the environment (so a cached one can never hold a stale gh-ops): a
# .pth file, written on every run, puts this action's checkout on the path.
#
# Everything comes from the environment, never from arguments or expressions:
#   GITHUB_ACTION_PATH  this action's checkout     RUNNER_TEMP    where the environment is made
#   GITHUB_OUTPUT       the step's outputs file
#   GH_OPS_VENV, GH_OPS_CACHE_KEY, GH_OPS_INTERPRETER   (install) what `key` wrote
#   GH_OPS_CACHE_HIT    (install) 'true' when actions/cache/restore found GH_OPS_CACHE_KEY exactly
set -euo pipefail

action="${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set}"
outputs="${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set}"
# Nothing here may read the caller's workspace (a pull request's files): no config file of uv or
# pip there, and no module there standing in for one Python imports (python -I: neither the
# current folder nor PYTHONPATH is on the module path).
cd "${RUNNER_TEMP:?RUNNER_TEMP is not set}"

fail() {
  echo "::error title=gh-ops::$1"
  exit 1
}

key() {
  command -v python3 >/dev/null 2>&1 ||
    fail "python3 was not found; add actions/setup-python (3.11 or newer) before this step"
  local found major minor interpreter
  found="$(python3 -I -c 'import platform, sys; print(platform.python_version()); print(sys.executable)')" ||
    fail "python3 does not run"
  IFS=. read -r major minor _ <<<"${found%%$'\n'*}"
  if ((major < 3 || (major == 3 && minor < 11))); then
    fail "gh-ops needs Python 3.11 or newer but python3 is ${found%%$'\n'*}; add actions/setup-python with python-version '3.11' before this step"
  fi
  # The interpreter itself from here on (not a shim or a wrapper on PATH): the one the key names.
  interpreter="${found#*$'\n'}"
  # The key: the OS and machine, the Python, and the hash of what decides the environment's
  # contents (the lock, the installer's lock, this script); then a short hash of the interpreter's
  # own path and the venv's, since a venv runs only with the interpreter it was made from.
  "${interpreter}" -I - "${action}" "${RUNNER_TEMP}" >>"${outputs}" <<'PY'
import hashlib, os, platform, sys

action, temp = sys.argv[1], sys.argv[2]
venv = os.path.join(temp, "gh-ops-venv")
contents = hashlib.sha256()
for name in ("requirements.txt", "pylock.uv.toml", "install.sh"):
    with open(os.path.join(action, "action", name), "rb") as file:
        contents.update(hashlib.sha256(file.read()).digest())
place = hashlib.sha256(f"{os.path.realpath(sys.executable)}\n{sys.version}\n{venv}".encode()).hexdigest()
python = f"{sys.implementation.name}{platform.python_version()}"
print(f"venv={venv}")
print(f"key=gh-ops-venv-{platform.system()}-{platform.machine()}-{python}-{contents.hexdigest()[:20]}-{place[:8]}")
print(f"interpreter={sys.executable}")
PY
}

install() {
  local venv="${GH_OPS_VENV:?GH_OPS_VENV is not set}" cache_key="${GH_OPS_CACHE_KEY:?GH_OPS_CACHE_KEY is not set}"
  local interpreter="${GH_OPS_INTERPRETER:?GH_OPS_INTERPRETER is not set}"
  local marker="${venv}/gh-ops-cache-key" tools="${RUNNER_TEMP}/gh-ops-uv" installed=false state python
  # Reuse only what actions/cache restored under this very key, and only when its marker (written
  # last by a complete install) agrees: a venv found here otherwise is made again.
  if [[ "${GH_OPS_CACHE_HIT:-}" == "true" && -f "${marker}" && "$(<"${marker}")" == "${cache_key}" ]]; then
    state="cache hit: the environment was restored, nothing to install"
  else
    installed=true
    state="cache miss: installing action/requirements.txt"
    rm -rf "${venv}" "${tools}"
    mkdir -p "${tools}"
  fi

  # One interpreter start: the first line of the log (which gh-ops runs, as gh-ops --version says
  # it, and the cache); on a miss the venv and uv; on every run the .pth that points the
  # environment at this checkout's gh-ops.
  "${interpreter}" -I - "${action}" "${venv}" "${state}" "${installed}" "${tools}" <<'PY'
import os, sys, sysconfig

action, venv, state, installed, tools = sys.argv[1:6]
sys.path.insert(0, action)
import gh_ops

print(f"gh-ops {gh_ops.version_text()} · {state}", flush=True)


def fetch_uv(uv: dict, folder: str) -> None:
    """This platform's uv wheel from its locked URL, checked against its locked sha256, and the uv
    program out of it: what pip would do, without pip's reading of PyPI's index (hundreds of uv
    releases, seconds of work)."""
    import hashlib, io, urllib.request, zipfile
    from pip._vendor.packaging.tags import sys_tags  # pip's own rules for which wheel fits
    from pip._vendor.packaging.utils import parse_wheel_filename

    rank = {tag: n for n, tag in enumerate(sys_tags())}
    fitting = []
    for wheel in uv["wheels"]:
        tags = parse_wheel_filename(wheel["url"].rsplit("/", 1)[1])[3]
        if ranks := [rank[tag] for tag in tags if tag in rank]:
            fitting.append((min(ranks), wheel["url"], wheel["hashes"]["sha256"]))
    if not fitting:
        raise LookupError("no wheel for this platform")
    _, url, sha256 = min(fitting)
    with urllib.request.urlopen(url, timeout=60) as response:
        data = response.read()
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ValueError(f"{url} is not the file the lock names (its sha256 differs)")
    with zipfile.ZipFile(io.BytesIO(data)) as wheel:
        (name,) = [n for n in wheel.namelist() if n.endswith((".data/scripts/uv", ".data/scripts/uv.exe"))]
        os.makedirs(os.path.join(folder, "bin"))
        with open(os.path.join(folder, "bin", name.rsplit("/", 1)[1]), "wb") as program:
            program.write(wheel.read(name))
            os.chmod(program.name, 0o755)


if installed == "true":
    import tomllib
    from venv import EnvBuilder

    EnvBuilder(with_pip=False, symlinks=os.name != "nt").create(venv)  # python -m venv --without-pip
    with open(os.path.join(action, "action", "pylock.uv.toml"), "rb") as file:
        (uv,) = tomllib.load(file)["packages"]
    try:
        fetch_uv(uv, os.path.join(tools, "uv"))
    except Exception as error:  # pip does it instead, from the index it is configured with
        print(f"uv's wheel could not be fetched from its locked URL ({error!r}); installing it with pip")
        hashes = " ".join(f"--hash=sha256:{wheel['hashes']['sha256']}" for wheel in uv["wheels"])
        with open(os.path.join(tools, "requirements.txt"), "w", encoding="utf-8") as pins:
            pins.write(f"uv=={uv['version']} {hashes}\n")
site = sysconfig.get_path("purelib", scheme="venv", vars={"base": venv, "platbase": venv})
with open(os.path.join(site, "gh_ops_action.pth"), "w", encoding="utf-8") as pth:
    pth.write(os.path.abspath(action) + "\n")
PY
  python="${venv}/bin/python"
  [[ -e "${python}" ]] || python="${venv}/Scripts/python.exe" # Windows

  if [[ "${installed}" == "true" ]]; then
    # uv, only for this install: it installs the lock in under a second where pip takes several.
    if [[ -f "${tools}/requirements.txt" ]]; then
      "${interpreter}" -I -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
        --no-cache-dir --require-hashes --no-deps --only-binary :all: --target "${tools}/uv" \
        -r "${tools}/requirements.txt" ||
        fail "could not install uv from ${action}/action/pylock.uv.toml with python3 -m pip (is pip there?)"
    fi
    local uv
    for uv in "${tools}/uv/bin/uv" "${tools}/uv/bin/uv.exe" "${tools}/uv/Scripts/uv.exe"; do
      [[ -x "${uv}" ]] && break
    done
    # A runner whose pip reads a mirror (PIP_INDEX_URL) gets the same mirror for uv.
    if [[ -n "${PIP_INDEX_URL:-}" && -z "${UV_INDEX_URL:-}${UV_DEFAULT_INDEX:-}" ]]; then
      export UV_DEFAULT_INDEX="${PIP_INDEX_URL}"
    fi
    # Bytecode now, so that it is in the cache: compiled on each run instead, what gh-ops imports
    # would cost every run over a second.
    "${uv}" pip install --quiet --no-config --no-cache --python "${python}" \
      --require-hashes --no-deps --only-binary :all: --compile-bytecode -r "${action}/action/requirements.txt" ||
      fail "could not install ${action}/action/requirements.txt"
    rm -rf "${tools}"
    printf '%s' "${cache_key}" >"${marker}"
  fi

  {
    echo "python=${python}"
    echo "installed=${installed}"
  } >>"${outputs}"
}

case "${1:-}" in
  key) key ;;
  install) install ;;
  *) fail "usage: install.sh key|install" ;;
esac
