"""`arxiv-digest daily`: fetch, commit, check, build and push, in temporary git repositories."""
# ruff: noqa: F811 - the fixtures imported below are parameters of the tests

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest
from arxiv_digest.pages.schema import read_day, read_paper

from tests.publish_support import DAY, daily, env, repo  # noqa: F401 - fixtures
from tests.publish_support import git as _git

_daily = daily
pytestmark = pytest.mark.slow


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
    assert body.strip() == f"Paper pages: {count} new, 0 changed. Day pages: 1.\n\n[skip ci]"
    committed = sorted(_git(repo, "show", "--name-status", "--format=", "HEAD").splitlines())
    expected = [f"A\tdocs/days/{DAY}.md", f"A\tdocs/ledger/{DAY}.json"] + [
        f"A\tdocs/papers/{arxiv_id.replace('/', '-')}.md" for arxiv_id in day.papers
    ]
    assert committed == sorted(expected)
    # The summaries come from the model, through the key; the site was built.
    paper = read_paper(repo / "docs" / "papers" / f"{day.papers[0]}.md")
    assert paper.meta.summary.by == llm_server.model and len(paper.bullets) == 3
    assert llm_server.chat_requests
    assert (repo / "site" / "index.html").exists()
    assert (repo / "site" / "days" / DAY / "index.html").exists()
    # The ledger is published as it is: what each feed served and what was kept.
    published = json.loads((repo / "site" / "ledger" / f"{DAY}.json").read_text())
    assert published == json.loads((repo / "docs" / "ledger" / f"{DAY}.json").read_text())
    assert published["papers"]["kept"] == count and published["source"] == "rss"
    assert sum(f["new"] for f in published["feeds"].values()) == published["papers"]["listed"]
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
    run = _daily(repo, env, "--date", "2026-04-27; echo oops")
    assert run.returncode == 2
    assert "Invalid value for '--date'" in run.stderr
    assert arxiv_server.requests == []


def test_weekend_day_is_committed_too(repo: Path, env: dict[str, str], arxiv_server) -> None:  # type: ignore[no-untyped-def]
    # A commit on days without announcements too: the activity that keeps the schedule enabled.
    assert _daily(repo, env).returncode == 0
    arxiv_server.set_day(dt.date(2026, 5, 2))
    run = _daily(repo, env, "--backfill-cap", "0")  # Tuesday to Friday stay missing here
    assert run.returncode == 0, run.stdout + run.stderr
    assert _git(repo, "log", "-1", "--format=%s").strip() == "digest: 2026-05-02 (no announcement)"
    assert _git(repo, "show", "--name-only", "--format=", "HEAD").split() == [
        "docs/days/2026-05-02.md", "docs/ledger/2026-05-02.json"
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

    run = _daily(repo, env, "--push")
    assert run.returncode == 0, run.stdout + run.stderr
    subjects = _git(remote, "log", "--format=%s", "main").splitlines()
    assert subjects[1:] == ["Merge a pull request", "the site"]
    assert subjects[0].startswith(f"digest: {DAY} (")
    # The site that gets deployed was built with both.
    assert "Merged while the digest ran." in (repo / "site" / "about" / "index.html").read_text()
    assert (repo / "site" / "days" / DAY / "index.html").exists()


def test_git_and_the_build_never_see_the_key(
    repo: Path, env: dict[str, str], tmp_path: Path
) -> None:
    # Probes: a git hook and a MkDocs hook write down the variables they were given.
    seen_by_git, seen_by_build = tmp_path / "git-env", tmp_path / "build-env"
    hook = repo / ".git" / "hooks" / "post-commit"
    hook.write_text(f"#!/usr/bin/env bash\nenv > {seen_by_git}\n")
    hook.chmod(0o755)
    probe = repo / "hooks" / "env_probe.py"
    probe.write_text(
        "import os\nfrom pathlib import Path\n\n\ndef on_config(config):\n"
        f"    Path({str(seen_by_build)!r}).write_text('\\n'.join(os.environ))\n"
        "    return config\n"
    )
    config = repo / "mkdocs.yml"
    config.write_text(config.read_text().replace("hooks:\n", "hooks:\n  - hooks/env_probe.py\n", 1))
    _git(repo, "commit", "--quiet", "-am", "probe")
    run = _daily(repo, {**env, "DIGEST_PUSH_TOKEN": "ghs_not_for_git_env"})
    assert run.returncode == 0, run.stdout + run.stderr
    git_env, build_env = seen_by_git.read_text(), seen_by_build.read_text().splitlines()
    assert "OPENAI_BASE_URL" in build_env and "GIT_AUTHOR_NAME=digest bot" in git_env
    for name in ("OPENAI_API_KEY", "DIGEST_PUSH_TOKEN"):
        assert name not in build_env and f"{name}=" not in git_env
    assert env["OPENAI_API_KEY"] not in git_env
    assert "ghs_not_for_git_env" not in git_env + seen_by_build.read_text()
