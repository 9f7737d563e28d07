"""Faults at the file-system edge: a full disk, a refused write, two runs on one docs dir."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from arxiv_digest.errors import DigestError
from arxiv_digest.pages.store import LOCK_NAME, DocsLock, write_atomic

OLD = "---\ntitle: the page as it was\n---\n\n## Summary\n\n- kept\n"
CLI = str(Path(sys.executable).with_name("arxiv-digest"))


def _mount_tmpfs(where: Path, size: str) -> bool:
    where.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                          capture_output=True)
    return done.returncode == 0


@pytest.fixture
def small_fs(tmp_path: Path) -> Iterator[Path]:
    """A 64 KiB tmpfs: a real disk that fills up (needs permission to mount)."""
    where = tmp_path / "fs"
    if not _mount_tmpfs(where, "64k"):
        pytest.skip("cannot mount a tmpfs here (not permitted); the RLIMIT_FSIZE test covers it")
    yield where
    subprocess.run(["umount", "-l", str(where)], check=True)


def _left(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def _assert_one_line_naming(message: str, path: Path) -> None:
    assert message.count("\n") == 0, message
    assert str(path) in message, message
    assert "previous file is intact" in message, message


def test_disk_full_leaves_the_old_page_and_no_temp_file(small_fs: Path) -> None:
    page = small_fs / "papers" / "2306.12929.md"
    write_atomic(page, OLD)
    with pytest.raises(DigestError) as caught:
        write_atomic(page, "x" * 200_000)  # three times the disk
    _assert_one_line_naming(str(caught.value), page)
    assert "disk full" in str(caught.value)
    assert page.read_text("utf-8") == OLD
    assert _left(page.parent) == ["2306.12929.md"]
    # The space is free again: the next (smaller) write succeeds.
    assert write_atomic(page, OLD + "- more\n")


def test_disk_full_on_a_new_page_leaves_nothing(small_fs: Path) -> None:
    page = small_fs / "papers" / "2306.12929.md"
    with pytest.raises(DigestError, match="disk full"):
        write_atomic(page, "x" * 200_000)
    assert _left(page.parent) == []


def test_write_refused_by_the_os_keeps_the_old_page(tmp_path: Path) -> None:
    """RLIMIT_FSIZE makes the kernel refuse the write (EFBIG), as a quota or full disk would."""
    page = tmp_path / "papers" / "2306.12929.md"
    write_atomic(page, OLD)
    script = textwrap.dedent(f"""
        import resource, sys
        from pathlib import Path
        from arxiv_digest.errors import DigestError
        from arxiv_digest.pages.store import write_atomic
        resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))
        try:
            write_atomic(Path({str(page)!r}), "x" * 100_000)
        except DigestError as err:
            sys.exit(f"arxiv-digest: error: {{err}}")
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 1
    _assert_one_line_naming(done.stderr.strip(), page)
    assert "File too large" in done.stderr
    assert page.read_text("utf-8") == OLD
    assert _left(page.parent) == ["2306.12929.md"]


def test_read_only_docs_dir_keeps_the_old_page(tmp_path: Path) -> None:
    papers = tmp_path / "fs"
    root = os.geteuid() == 0  # root ignores permission bits: make the file system read-only
    if root and not _mount_tmpfs(papers, "1m"):
        pytest.skip("running as root without permission to mount a read-only tmpfs")
    page = papers / "2306.12929.md"
    try:
        write_atomic(page, OLD)
        if root:
            subprocess.run(["mount", "-o", "remount,ro", str(papers)], check=True)
        else:
            papers.chmod(0o555)
        with pytest.raises(DigestError) as caught:
            write_atomic(page, OLD + "- new\n")
        _assert_one_line_naming(str(caught.value), page)
        assert page.read_text("utf-8") == OLD
        assert _left(papers) == ["2306.12929.md"]
    finally:
        if root:
            subprocess.run(["umount", "-l", str(papers)], check=True)
        else:
            papers.chmod(0o755)


_HOLD = """
import sys, time
from pathlib import Path
from arxiv_digest.pages.store import DocsLock
with DocsLock(Path(sys.argv[1])):
    print("locked", flush=True)
    sys.stdin.read()
"""


def _hold_lock(docs: Path) -> subprocess.Popen[str]:
    holder = subprocess.Popen([sys.executable, "-c", _HOLD, str(docs)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
    return holder


def test_second_run_on_a_locked_docs_dir_exits_with_a_clear_message(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    holder = _hold_lock(docs)
    try:
        # A real fetch, pointed at a port nobody listens on: the lock is taken before any request.
        env = {**os.environ, "ARXIV_RSS_URL": "http://127.0.0.1:9/rss/{category}",
               "ARXIV_API_URL": "http://127.0.0.1:9/api/query", "DIGEST_CATEGORIES": "cs.LG"}
        env.pop("OPENAI_API_KEY", None)
        done = subprocess.run([CLI, "fetch", "--docs-dir", str(docs)], capture_output=True,
                              text=True, env=env, timeout=60)
    finally:
        holder.communicate("")
    assert done.returncode == 1
    line = done.stderr.strip()
    assert "\n" not in line, line
    assert f"another arxiv-digest run (pid {holder.pid})" in line
    assert str(docs) in line
    assert _left(docs) == [LOCK_NAME]


def test_lock_of_a_killed_run_is_free_again(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    holder = _hold_lock(docs)
    with pytest.raises(DigestError, match="another arxiv-digest run"), DocsLock(docs):
        pass
    os.kill(holder.pid, signal.SIGKILL)
    holder.communicate(timeout=10)
    # The kernel drops the flock of a dead process: no stale lock to clean up by hand.
    with DocsLock(docs) as lock:
        assert lock.path.read_text().strip() == str(os.getpid())
