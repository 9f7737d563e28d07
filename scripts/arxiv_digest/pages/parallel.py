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

#: Below this many pages, starting a process costs more than it saves.
PARALLEL_FROM = 1000
_CHILD = f"from {__name__} import serve; serve()"
#: Checks the child sends at a time.
CHUNK = 500


def default_jobs(pages: int) -> int:
    """Processes for checking ``pages`` pages: two on a machine with two cores or more."""
    return 2 if pages >= PARALLEL_FROM and (os.cpu_count() or 1) >= 2 else 1


def check_all(items: list[tuple[str, str]], jobs: int) -> list[tuple[str, PageCheck]]:
    """``check_file(path, kind)`` of each item, in order; with ``jobs`` of 2 the second half is
    checked by another Python process (its answers come back pickled through a pipe, a chunk
    at a time, taken by a thread of this one as they come)."""
    from .validate import check_file

    if jobs < 2 or len(items) < 2:
        return [check_file(path, kind) for path, kind in items]
    cut = len(items) // 2
    near, far = items[:cut], items[cut:]
    answer: list[tuple[str, PageCheck]] = []
    with subprocess.Popen([sys.executable, "-c", _CHILD], stdin=subprocess.PIPE,
                          stdout=subprocess.PIPE) as worker:
        assert worker.stdin is not None and worker.stdout is not None
        # Taken as they come, the child holds one chunk of checked pages at a time, not half
        # of them (at 100,000 pages, hundreds of MB beside this process).
        receiver = threading.Thread(target=_receive, args=(worker.stdout, answer), daemon=True)
        receiver.start()
        try:
            worker.stdin.write(pickle.dumps(far, protocol=pickle.HIGHEST_PROTOCOL))
            worker.stdin.close()
        except OSError:  # the child is gone: its share is checked here (below)
            pass
        checked = [check_file(path, kind) for path, kind in near]
        receiver.join()
        failed = worker.wait() != 0
    if failed or len(answer) != len(far):
        answer = [check_file(path, kind) for path, kind in far]
    return checked + answer


def _receive(stream: IO[bytes], into: list[tuple[str, PageCheck]]) -> None:
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
    """The child: a pickled list of (path, kind) on stdin, their checks pickled on stdout in
    chunks of :data:`CHUNK`."""
    from .validate import check_file

    items = pickle.load(sys.stdin.buffer)
    for start in range(0, len(items), CHUNK):
        checks = [check_file(path, kind) for path, kind in items[start:start + CHUNK]]
        pickle.dump(checks, sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)
        sys.stdout.buffer.flush()
