"""Shared by the publishing tests: a site repository in tmp_path and the daily run's environment.

``repo`` is a git repository holding the site as this one does, with no paper or day page yet;
``env`` is the environment of the workflow's step pointed at the fake arXiv and LLM servers;
``origin(repo, tmp_path)`` gives it a bare origin; ``daily(repo, env, *args)`` runs
``arxiv-digest daily``; ``git(repo, *args)`` returns git's output.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DAY = "2026-04-27"  # the recorded listing the fake arXiv serves



def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=repo, check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    """A git repository holding the site as in this one, with no paper or day page yet."""
    repo = tmp_path / "site-repo"
    repo.mkdir()
    for name in ("mkdocs.yml", ".gitignore", "pyproject.toml"):
        shutil.copy2(ROOT / name, repo / name)
    shutil.copytree(ROOT / "hooks", repo / "hooks", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(
        ROOT / "docs", repo / "docs",
        ignore=lambda folder, names: names if Path(folder).name in ("papers", "days") else [],
    )
    git(repo, "init", "--quiet", "--initial-branch=main")
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "-m", "the site")
    return repo


@pytest.fixture()
def env(tmp_path: Path, arxiv_server, llm_server) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The environment of the workflow's step, pointed at the fake arXiv and LLM servers."""
    home = tmp_path / "home"
    home.mkdir()
    venv_bin = str(Path(sys.executable).parent)
    return {
        "PATH": f"{venv_bin}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "digest bot", "GIT_AUTHOR_EMAIL": "bot@example.org",
        "GIT_COMMITTER_NAME": "digest bot", "GIT_COMMITTER_EMAIL": "bot@example.org",
        **arxiv_server.env(),
        "OPENAI_BASE_URL": llm_server.base_url,
        "OPENAI_API_KEY": llm_server.api_key,
        "DIGEST_MODEL": llm_server.model,
        "DIGEST_CACHE_DIR": str(tmp_path / "llm-cache"),
    }


def daily(repo: Path, env: dict[str, str], *args: str, **extra: str
           ) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["arxiv-digest", "daily", *args], cwd=repo, env={**env, **extra},
        capture_output=True, text=True, timeout=300,
    )


def origin(repo: Path, tmp_path: Path) -> Path:
    """A bare repository the site repository pushes to (GitHub's part)."""
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", "--initial-branch=main", str(remote))
    git(repo, "remote", "add", "origin", str(remote))
    git(repo, "push", "--quiet", "-u", "origin", "main")
    return remote


def clone(remote: Path, path: Path) -> Path:
    """Another clone of the remote: where a reader's pull request is merged."""
    git(remote.parent, "clone", "--quiet", str(remote), str(path))
    git(path, "config", "user.name", "reader")
    git(path, "config", "user.email", "reader@example.org")
    return path
