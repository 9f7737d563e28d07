"""scripts/daily.sh, the workflow's fetch-commit-build steps, in a temporary git repository."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from arxiv_digest.pages.schema import read_day, read_paper

ROOT = Path(__file__).resolve().parent.parent
DAY = "2026-04-27"  # the recorded listing the fake arXiv serves

pytestmark = pytest.mark.slow


def _git(repo: Path, *args: str) -> str:
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
    (repo / "scripts").mkdir()
    shutil.copy2(ROOT / "scripts" / "daily.sh", repo / "scripts" / "daily.sh")
    _git(repo, "init", "--quiet", "--initial-branch=main")
    _git(repo, "add", "--all")
    _git(repo, "commit", "--quiet", "-m", "the site")
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


def _daily(repo: Path, env: dict[str, str], **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "scripts/daily.sh"], cwd=repo, env={**env, **extra},
        capture_output=True, text=True, timeout=300,
    )


def _assert_no_key(key: str, repo: Path, *runs: subprocess.CompletedProcess[str]) -> None:
    assert key.startswith("sk-test-") and len(key) > 20  # a key one would recognise
    for run in runs:
        assert key not in run.stdout and key not in run.stderr
    for path in [*(repo / "docs").rglob("*"), *(repo / "site").rglob("*")]:
        if path.is_file():
            assert key.encode() not in path.read_bytes(), path
    assert key not in _git(repo, "log", "-p", "--all")


def test_daily_commits_the_day_then_nothing(repo: Path, env: dict[str, str], llm_server) -> None:  # type: ignore[no-untyped-def]
    first = _daily(repo, env)
    assert first.returncode == 0, first.stdout + first.stderr

    day = read_day(repo / "docs" / "days" / f"{DAY}.md").meta
    assert day.status == "announced" and day.papers
    count = len(day.papers)
    subjects = _git(repo, "log", "--format=%s").splitlines()
    assert subjects == [f"digest: {DAY} ({count} paper{'s' if count != 1 else ''})", "the site"]
    body = _git(repo, "log", "-1", "--format=%b")
    assert body.strip() == f"Paper pages: {count} new, 0 changed. Day pages: 1."
    committed = sorted(_git(repo, "show", "--name-status", "--format=", "HEAD").splitlines())
    expected = [f"A\tdocs/days/{DAY}.md"] + [
        f"A\tdocs/papers/{arxiv_id.replace('/', '-')}.md" for arxiv_id in day.papers
    ]
    assert committed == sorted(expected)
    # The summaries come from the model, through the key; the site was built.
    paper = read_paper(repo / "docs" / "papers" / f"{day.papers[0]}.md")
    assert paper.meta.summary.by == llm_server.model and len(paper.bullets) == 3
    assert llm_server.chat_requests
    assert (repo / "site" / "index.html").exists()
    assert (repo / "site" / "days" / DAY / "index.html").exists()
    assert f"check: no problems in {count} paper pages, 1 day pages" in first.stdout
    # The About page sends readers who would improve a summary to CONTRIBUTING.md.
    assert "/blob/main/CONTRIBUTING.md" in (repo / "site" / "about" / "index.html").read_text()
    assert _git(repo, "status", "--porcelain") == ""  # site/ and caches are ignored

    head = _git(repo, "rev-parse", "HEAD")
    calls = len(llm_server.chat_requests)
    second = _daily(repo, env)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "daily: no page changed, nothing to commit" in second.stdout
    assert _git(repo, "rev-parse", "HEAD") == head
    assert len(llm_server.chat_requests) == calls, "a rerun costs no tokens"
    assert _git(repo, "status", "--porcelain") == ""

    _assert_no_key(llm_server.api_key, repo, first, second)


def test_failed_fetch_commits_and_builds_nothing(
    repo: Path, env: dict[str, str], arxiv_server, llm_server  # type: ignore[no-untyped-def]
) -> None:
    arxiv_server.fail("*", 503, times=100)
    run = _daily(repo, env)
    assert run.returncode != 0
    assert "arxiv-digest: error:" in run.stderr
    assert _git(repo, "log", "--format=%s").splitlines() == ["the site"]
    assert not (repo / "site").exists()
    assert not list((repo / "docs").rglob(f"{DAY}.md"))


def test_rejected_key_fails_without_showing_it(repo: Path, env: dict[str, str], llm_server) -> None:  # type: ignore[no-untyped-def]
    # The fake server's 401 message echoes the key it was sent, as OpenAI's does.
    llm_server.unauthorized(times=1000)
    run = _daily(repo, env)
    assert run.returncode != 0
    assert "arxiv-digest: error:" in run.stderr
    assert _git(repo, "log", "--format=%s").splitlines() == ["the site"]
    _assert_no_key(llm_server.api_key, repo, run)


def test_hand_edited_summary_is_marked_human_and_passes_check(
    repo: Path, env: dict[str, str], llm_server  # type: ignore[no-untyped-def]
) -> None:
    assert _daily(repo, env).returncode == 0
    day = read_day(repo / "docs" / "days" / f"{DAY}.md").meta
    page = repo / "docs" / "papers" / f"{day.papers[0]}.md"
    # A reader's pull request rewrites the first bullet; it is merged.
    text = page.read_text()
    first = read_paper(page).bullets[0]
    page.write_text(text.replace(first, "A clearer first bullet, written by a reader."))
    _git(repo, "commit", "--quiet", "-am", "Improve a summary")

    check = subprocess.run(
        ["arxiv-digest", "check"], cwd=repo, env=env, capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr

    run = _daily(repo, env)
    assert run.returncode == 0, run.stdout + run.stderr
    edited = read_paper(page)
    assert edited.bullets[0] == "A clearer first bullet, written by a reader."
    assert edited.meta.summary.by == "human"
    assert _git(repo, "log", "-1", "--format=%s").strip() == "digest: update 1 paper page"
    assert _git(repo, "show", "--name-only", "--format=", "HEAD").split() == [
        str(page.relative_to(repo))
    ]


def test_bad_date_is_refused_before_fetching(repo: Path, env: dict[str, str], arxiv_server) -> None:  # type: ignore[no-untyped-def]
    run = _daily(repo, env, DATE="2026-04-27; echo oops")
    assert run.returncode == 2
    assert run.stderr == "daily: DATE must be YYYY-MM-DD, not '2026-04-27; echo oops'\n"
    assert arxiv_server.requests == []


def test_weekend_day_is_committed_too(repo: Path, env: dict[str, str], arxiv_server) -> None:  # type: ignore[no-untyped-def]
    # A commit on days without announcements too: the activity that keeps the schedule enabled.
    assert _daily(repo, env).returncode == 0
    arxiv_server.set_day(dt.date(2026, 5, 2))
    run = _daily(repo, env)
    assert run.returncode == 0, run.stdout + run.stderr
    assert _git(repo, "log", "-1", "--format=%s").strip() == "digest: 2026-05-02 (no announcement)"
    assert _git(repo, "show", "--name-only", "--format=", "HEAD").split() == [
        "docs/days/2026-05-02.md"
    ]


def test_push_takes_in_a_merge_made_meanwhile(
    repo: Path, env: dict[str, str], tmp_path: Path
) -> None:
    # The workflow's checkout: a clone of the remote. A summary fix is merged while it runs.
    remote = tmp_path / "remote.git"
    _git(tmp_path, "init", "--quiet", "--bare", "--initial-branch=main", str(remote))
    _git(repo, "remote", "add", "origin", str(remote))
    _git(repo, "push", "--quiet", "-u", "origin", "main")
    other = tmp_path / "other"
    _git(tmp_path, "clone", "--quiet", str(remote), str(other))
    about = other / "docs" / "about.md"
    about.write_text(about.read_text() + "\nMerged while the digest ran.\n")
    _git(other, "-c", "user.name=r", "-c", "user.email=r@example.org",
         "commit", "--quiet", "-am", "Merge a pull request")
    _git(other, "push", "--quiet")

    run = subprocess.run(
        ["bash", "scripts/daily.sh", "--push"], cwd=repo, env=env,
        capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    subjects = _git(remote, "log", "--format=%s", "main").splitlines()
    assert subjects[1:] == ["Merge a pull request", "the site"]
    assert subjects[0].startswith(f"digest: {DAY} (")
    # The site that gets deployed was built with both.
    assert "Merged while the digest ran." in (repo / "site" / "about" / "index.html").read_text()
    assert (repo / "site" / "days" / DAY / "index.html").exists()
