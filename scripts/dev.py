#!/usr/bin/env python3
"""Set up a virtual environment in .venv and run the site or the tests.

    python3 scripts/dev.py serve [mkdocs serve options]   # build and preview the site
    python3 scripts/dev.py test  [pytest options]         # run every test
    python3 scripts/dev.py setup                          # only (re)install .venv

Needs nothing but Python 3.11+; the first run installs the project and its test tools.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".installed"


def _setup() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - this script runs before anything is installed
        sys.exit(f"arxiv-digest needs Python 3.11 or newer, not {sys.version.split()[0]}")
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    if not (BIN / "python").exists():
        print(f"creating {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("installing arxiv-digest and its test tools into .venv", flush=True)
    subprocess.run(
        [BIN / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "-e", f"{ROOT}[test]"],
        check=True,
    )
    STAMP.write_text(wanted + "\n")


def main(argv: list[str]) -> int:
    command, rest = (argv[0], argv[1:]) if argv else ("help", [])
    if command not in {"serve", "test", "setup"}:
        print(__doc__)
        return 0 if command in {"help", "-h", "--help"} else 2
    _setup()
    os.chdir(ROOT)
    if command == "serve":
        args = rest or ["--dev-addr", "127.0.0.1:8000"]
        return subprocess.call([BIN / "mkdocs", "serve", *args])
    if command == "test":
        return subprocess.call([BIN / "python", "-m", "pytest", *rest])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
