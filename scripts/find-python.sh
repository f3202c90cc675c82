#!/usr/bin/env bash
# Prints the path of a Python interpreter the project supports (3.11-3.13), preferring 3.12:
# Chalice derives the Lambda runtime from the interpreter that packages the app, and our pins
# resolve to manylinux wheels for python3.11-3.13. A name on PATH is not enough (pyenv shims
# exist for versions that are not active), so each candidate is run once before it is chosen.
set -euo pipefail

supported="3.12 3.13 3.11"
works() { "$1" -c 'import sys, venv, ensurepip; raise SystemExit(0 if (3, 11) <= sys.version_info[:2] <= (3, 13) else 1)' >/dev/null 2>&1; }

if [ -n "${PYTHON:-}" ]; then
  if works "$PYTHON"; then echo "$PYTHON"; exit 0; fi
  echo "PYTHON=$PYTHON is not a working Python 3.11, 3.12 or 3.13" >&2; exit 1
fi
for v in $supported; do
  for cand in "python$v" $(ls -d "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$v"*/bin/python"$v" 2>/dev/null | sort -rV) \
              /usr/bin/python"$v" /usr/local/bin/python"$v"; do
    if command -v "$cand" >/dev/null 2>&1 && works "$cand"; then command -v "$cand"; exit 0; fi
  done
done
if command -v python3 >/dev/null 2>&1 && works python3; then command -v python3; exit 0; fi
echo "No supported Python found. RepairApp + SmartRe needs Python 3.11, 3.12 (preferred) or 3.13" >&2
echo "(the AWS Lambda runtimes our pinned wheels are built for). Install one, or set PYTHON=/path/to/python3.12." >&2
exit 1
