"""The push: a fix merged during the run lands with the day; a protected branch stops the run."""
# ruff: noqa: F811 - the fixtures imported below are parameters of the tests

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest
from arxiv_digest.pages.schema import read_day, read_paper

from tests.fakes.arxiv_server import synthetic_papers
from tests.publish_support import DAY, clone, daily, env, git, origin, repo  # noqa: F401

pytestmark = pytest.mark.slow

READER_BULLET = "A clearer first bullet, written by a reader during the run."


def _merge_on_first_commit(repo: Path, reader: Path, page: Path) -> Path:
    """A post-commit hook in the run's repository: at the run's first commit, a reader's fix of
    ``page`` is merged on the remote (once), as a pull request merged while the run works."""
    done = reader.parent / "merged"
    relative = page.relative_to(repo)
    hook = repo / ".git" / "hooks" / "post-commit"
    hook.write_text(f"""#!/usr/bin/env bash
set -euo pipefail
[[ -e {done} ]] && exit 0
touch {done}
# git sets these for a hook; the reader's clone is another repository.
unset GIT_DIR GIT_INDEX_FILE GIT_WORK_TREE GIT_PREFIX
cd {reader}
git pull --quiet
python3 - {relative} <<'PY'
import sys
from pathlib import Path
page = Path(sys.argv[1])
lines = page.read_text().splitlines(keepends=True)
start = lines.index("## Summary\\n")
first = next(i for i, line in enumerate(lines) if i > start and line.startswith("- "))
lines[first] = "- {READER_BULLET}\\n"
page.write_text("".join(lines))
PY
git commit --quiet -am "Improve a summary"
git push --quiet
""")
    hook.chmod(0o755)
    return done


def test_fix_merged_mid_run_lands_with_the_day(
    repo: Path, env: dict[str, str], tmp_path: Path, arxiv_server, llm_server  # type: ignore[no-untyped-def]
) -> None:
    remote = origin(repo, tmp_path)
    day = "2026-04-28"
    arxiv_server.set_day(dt.date(2026, 4, 28), {"cs.LG": synthetic_papers(3)})
    # Day one without a key: extractive summaries, published.
    keyless = {k: v for k, v in env.items() if k != "OPENAI_API_KEY"}
    first = daily(repo, keyless, "--push", "--no-build")
    assert first.returncode == 0, first.stdout + first.stderr
    papers = read_day(repo / "docs" / "days" / f"{day}.md").meta.papers
    pages = [repo / "docs" / "papers" / f"{p}.md" for p in papers]
    assert len(pages) == 3 and all(read_paper(p).meta.summary.by == "extractive" for p in pages)

    # With a key the run upgrades every extractive summary; meanwhile a reader's fix of the
    # first page is merged. The push finds main moved: the run resets to it, runs the day again.
    reader = clone(remote, tmp_path / "reader")
    merged = _merge_on_first_commit(repo, reader, pages[0])
    run = daily(repo, env, "--push")
    assert run.returncode == 0, run.stdout + run.stderr
    assert merged.exists()
    assert "main moved during the run; running the day again on its tip" in run.stdout
    assert "pushed to origin/main" in run.stdout

    subjects = git(remote, "log", "--format=%s", "main").splitlines()
    assert subjects == ["digest: update 3 paper pages", "Improve a summary",
                        f"digest: {day} (3 papers)", "the site"]
    # Both land: the reader's bullet (now marked theirs), the model's summaries elsewhere.
    git(reader, "pull", "--quiet")
    fixed = read_paper(reader / pages[0].relative_to(repo))
    assert fixed.bullets[0] == READER_BULLET and fixed.meta.summary.by == "human"
    for page in pages[1:]:
        assert read_paper(reader / page.relative_to(repo)).meta.summary.by == llm_server.model
    # The second pass asked the model nothing: the first pass's answers were cached.
    assert len(llm_server.chat_requests) == len(pages)
    # No rebase or merge left behind; the local branch is the remote's.
    assert not (repo / ".git" / "rebase-merge").exists()
    assert not (repo / ".git" / "rebase-apply").exists()
    assert git(repo, "rev-parse", "HEAD") == git(remote, "rev-parse", "main")
    assert git(repo, "status", "--porcelain") == ""


def test_protected_branch_stops_at_once_saying_what_to_set_up(
    repo: Path, env: dict[str, str], tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    remote = origin(repo, tmp_path)
    # GitHub refuses a push to a protected branch in a pre-receive hook, with GH006.
    attempts = tmp_path / "push-attempts"
    hook = remote / "hooks" / "pre-receive"
    hook.write_text(f"""#!/usr/bin/env bash
echo attempt >> {attempts}
echo "error: GH006: Protected branch update failed for refs/heads/main." >&2
echo "error: Changes must be made through a pull request." >&2
exit 1
""")
    hook.chmod(0o755)
    before = git(remote, "rev-parse", "main")
    run = daily(repo, env, "--push", "--no-build")
    assert run.returncode == 1
    error = run.stderr.strip().splitlines()[-1]
    assert error.startswith("arxiv-digest: error: origin/main: the push was refused by branch "
                            "protection (error: GH006: Protected branch update failed")
    assert "GitHub App token" in error and "bypass list" in error
    assert attempts.read_text().splitlines() == ["attempt"], "refused once, never retried"
    assert git(remote, "rev-parse", "main") == before


def test_half_done_rebase_is_named_not_stumbled_over(repo: Path, env: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    # A run of the old script could leave a rebase stopped on a conflict.
    (repo / "docs" / "about.md").write_text("one\n")
    git(repo, "commit", "--quiet", "-am", "one")
    git(repo, "checkout", "--quiet", "-b", "other", "HEAD~1")
    (repo / "docs" / "about.md").write_text("two\n")
    git(repo, "commit", "--quiet", "-am", "two")
    stopped = subprocess.run(["git", "rebase", "main"], cwd=repo, capture_output=True, text=True)
    assert stopped.returncode != 0
    run = daily(repo, env, "--no-build")
    assert run.returncode == 1
    assert run.stderr.strip().splitlines()[-1].endswith(
        "a rebase is in progress in this work tree: finish or abort it (git rebase --abort) "
        "before the daily run")


def test_workflow_steps_redo_the_day_when_main_moved(
    repo: Path, env: dict[str, str], tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    """The workflow's split: fetch-and-commit (key), build (nothing), push (token), and the
    second round it runs when the first push found main moved."""
    remote = origin(repo, tmp_path)
    reader = clone(remote, tmp_path / "reader")
    outputs = tmp_path / "github-output"
    step = {**env, "GITHUB_OUTPUT": str(outputs)}
    assert daily(repo, step, "--sync", "--no-build").returncode == 0
    # A pull request is merged before the push step.
    about = reader / "docs" / "about.md"
    about.write_text(about.read_text() + "\nMerged during the run.\n")
    git(reader, "commit", "--quiet", "-am", "Merge a pull request")
    git(reader, "push", "--quiet")
    push = daily(repo, step, "--push-only", "--on-moved", "redo")
    assert push.returncode == 0, push.stderr
    assert outputs.read_text() == "moved=true\n"
    # Second round: the day again on the new tip, then the last push, which must succeed.
    assert daily(repo, step, "--sync", "--no-build").returncode == 0
    last = daily(repo, step, "--push-only")
    assert last.returncode == 0, last.stderr
    subjects = git(remote, "log", "--format=%s", "main").splitlines()
    assert subjects[0].startswith(f"digest: {DAY} (") and subjects[1:] == [
        "Merge a pull request", "the site"]
    # Moved again in the last round: the step fails rather than publish an unpushed site.
    git(reader, "pull", "--quiet")
    about.write_text(about.read_text() + "\nAnd another.\n")
    git(reader, "commit", "--quiet", "-am", "Another")
    git(reader, "push", "--quiet")
    git(repo, "commit", "--quiet", "--allow-empty", "-m", "digest: another pass")
    summary = tmp_path / "step-summary.md"
    again = daily(repo, {**step, "GITHUB_STEP_SUMMARY": str(summary)}, "--push-only")
    assert again.returncode == 1
    assert "the branch moved again during the run" in again.stderr
    assert summary.read_text() == ("## Daily digest: failed\n\n--push-only: the branch moved "
                                   "again during the run; nothing pushed, the next run "
                                   "publishes the day\n\n")
    assert outputs.read_text() == "moved=true\n", "no second redo asked for"
