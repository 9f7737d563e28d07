"""Files under ``docs/``: atomic writes and the lock that keeps two runs apart."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import tempfile
import time
from pathlib import Path
from types import TracebackType

from ..errors import DigestError

LOCK_NAME = ".arxiv-digest.lock"


def write_atomic(path: Path, text: str) -> bool:
    """Write ``text`` to ``path`` through a temp file and a rename; return False if unchanged.

    A reader (or a run killed at any moment) sees the old file or the new one, never a part.
    An identical file is not touched, so a rerun changes no byte and no mtime.
    """
    data = text.encode("utf-8")
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    tmp: str | None = None
    try:
        # Creating the dir or the temp file fails too on a read-only or full file system.
        path.parent.mkdir(parents=True, exist_ok=True)
        # A dot-name keeps MkDocs from picking up a leftover temp file as a page.
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as err:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        reason = "disk full" if err.errno == errno.ENOSPC else err.strerror or str(err)
        raise DigestError(f"could not write ({reason}); the previous file is intact",
                          where=str(path)) from None
    return True


def remove_stale_temps(directory: Path) -> int:
    """Delete temp files left by a killed run; return how many."""
    count = 0
    for tmp in directory.rglob(".*.md.*.tmp"):
        tmp.unlink(missing_ok=True)
        count += 1
    return count


class DocsLock:
    """An exclusive lock on a docs dir, held for a whole run (``with DocsLock(docs): ...``)."""

    def __init__(self, docs_dir: Path, *, wait_seconds: float = 0.0):
        self.path = docs_dir / LOCK_NAME
        self.wait_seconds = wait_seconds
        self._handle: int | None = None

    def __enter__(self) -> DocsLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + self.wait_seconds
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(handle, 32, 0).decode("ascii", "replace").strip() or "?"
                    os.close(handle)
                    raise DigestError(
                        f"another arxiv-digest run (pid {holder}) is writing this docs dir; "
                        "try again when it has finished",
                        where=str(self.path.parent),
                    ) from None
                time.sleep(0.1)
        os.ftruncate(handle, 0)
        os.pwrite(handle, f"{os.getpid()}\n".encode(), 0)
        self._handle = handle
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._handle is not None:
            os.ftruncate(self._handle, 0)
            fcntl.flock(self._handle, fcntl.LOCK_UN)
            os.close(self._handle)
            self._handle = None
