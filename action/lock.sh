#!/usr/bin/env bash
# Regenerates the Action's locks: action/requirements.txt (gh-ops' run-time dependencies, from
# pyproject.toml, every file of every platform hashed) and action/pylock.uv.toml (the installer, uv:
# each platform's wheel with its URL and hash, so pip fetches it without reading PyPI's index).
# Needs uv (pip install uv). Pins already in the locks are kept unless you pass --upgrade
# (or --upgrade-package NAME); tests/test_action_lock.py checks the lock against pyproject.toml.
#
# Left out on purpose (tests/test_action_lock.py lists the same, with the reasons):
#   cryptography: PyGithub asks for pyjwt[crypto], which only signs the JWTs of GitHub App
#     authentication; gh-ops authenticates with a token, and PyJWT imports cryptography lazily.
#   pycparser: cffi's C parser, used to build cffi modules; PyNaCl's is prebuilt and only needs
#     cffi's compiled backend at run time.
set -euo pipefail
cd "$(dirname "$0")/.."
common=(--universal --generate-hashes --python-version 3.11 --custom-compile-command "bash action/lock.sh" --quiet)
uv pip compile pyproject.toml "${common[@]}" \
  --no-emit-package cryptography --no-emit-package pycparser -o action/requirements.txt "$@"
uv pip compile action/uv.in "${common[@]}" --format pylock.toml -o action/pylock.uv.toml "$@"
