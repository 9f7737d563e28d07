"""Page checks on two cores: a second process checks half of the pages while this one checks the
other half. The checks of a page are the same either way (:func:`validate.check_file`); only the
work is shared. At 20,000 pages the checks take about 9 s of CPU, and while a build validates,
its second core has nothing else to do (the search indexer starts after)."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading
from typing import IO

from .problems import PageCheck
from .spool import Slot, SpoolWriter

#: Below this many pages, starting a process costs more than it saves.
PARALLEL_FROM = 1000
_CHILD = f"from {__name__} import serve; serve()"
#: Checks the child sends at a time.
CHUNK = 500

Checked = tuple[str, PageCheck, Slot | None]
"""A page's digest, its check, and where its full page is spooled (a paper that passed)."""


def default_jobs(pages: int) -> int:
    """Processes for checking ``pages`` pages: two on a machine with two cores or more."""
    return 2 if pages >= PARALLEL_FROM and (os.cpu_count() or 1) >= 2 else 1


def check_all(items: list[tuple[str, str]], jobs: int, spool: str | None = None) -> list[Checked]:
    """``check_file(path, kind)`` of each item, in order; with ``jobs`` of 2 the second half is
    checked by another Python process (its answers come back pickled through a pipe, a chunk
    at a time, taken by a thread of this one as they come). With a ``spool`` folder, each
    process writes the full paper pages it checked into a spool file of its own there."""
    if jobs < 2 or len(items) < 2:
        return _check(items, spool, "0")
    cut = len(items) // 2
    near, far = items[:cut], items[cut:]
    answer: list[Checked] = []
    with subprocess.Popen([sys.executable, "-c", _CHILD], stdin=subprocess.PIPE,
                          stdout=subprocess.PIPE) as worker:
        assert worker.stdin is not None and worker.stdout is not None
        # Taken as they come, the child holds one chunk of checked pages at a time, not half
        # of them (at 100,000 pages, hundreds of MB beside this process).
        receiver = threading.Thread(target=_receive, args=(worker.stdout, answer), daemon=True)
        receiver.start()
        try:
            worker.stdin.write(pickle.dumps((far, spool), protocol=pickle.HIGHEST_PROTOCOL))
            worker.stdin.close()
        except OSError:  # the child is gone: its share is checked here (below)
            pass
        checked = _check(near, spool, "0")
        receiver.join()
        failed = worker.wait() != 0
    if failed or len(answer) != len(far):
        answer = _check(far, spool, "2")
    return checked + answer


def _check(items: list[tuple[str, str]], spool: str | None, name: str,
           send: IO[bytes] | None = None) -> list[Checked]:
    """The checks of ``items``, spooled into ``spool/name``; with ``send``, pickled there in
    chunks of :data:`CHUNK` (and none returned)."""
    from .validate import check_file

    writer = SpoolWriter(spool, name) if spool is not None else None
    done: list[Checked] = []
    try:
        for path, kind in items:
            digest, check, full = check_file(path, kind)
            slot = writer.add(full) if writer is not None and full is not None else None
            done.append((digest, check, slot))
            if send is not None and len(done) == CHUNK:
                _send(send, done, writer)
                done = []
        if send is not None and done:
            _send(send, done, writer)
            done = []
    finally:
        if writer is not None:
            writer.close()
    return done


def _send(stream: IO[bytes], chunk: list[Checked], writer: SpoolWriter | None) -> None:
    if writer is not None:  # the pages are in the file before their slots are read
        writer.handle.flush()
    pickle.dump(chunk, stream, protocol=pickle.HIGHEST_PROTOCOL)
    stream.flush()


def _receive(stream: IO[bytes], into: list[Checked]) -> None:
    """Append the child's chunks of checks to ``into`` until its output ends."""
    try:
        while True:
            chunk = pickle.load(stream)
            if not isinstance(chunk, list):
                return
            into.extend(chunk)
    except (EOFError, OSError, pickle.UnpicklingError):
        return


def serve() -> None:
    """The child: a pickled (list of (path, kind), spool folder or None) on stdin, their checks
    pickled on stdout in chunks of :data:`CHUNK`, the full pages spooled in ``spool/1``."""
    items, spool = pickle.load(sys.stdin.buffer)
    _check(items, spool, "1", send=sys.stdout.buffer)
