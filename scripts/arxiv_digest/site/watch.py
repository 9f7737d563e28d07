"""Noticing saved pages while previewing: the system's file events instead of polling the docs dir.

MkDocs' server polls every watched folder twice a second, listing and statting each file: at
20,000 papers a poll takes a fifth of a second of Python, so a save waits for the next poll and
then for the poll itself, and the polling thread takes the interpreter from the rebuild half
the time. The system's file events (inotify, FSEvents, ReadDirectoryChangesW) report a save at
once and cost nothing in between. Where the platform has none, or they cannot be set up, the
docs dir stays with MkDocs' polling; ``DIGEST_PREVIEW_POLLING=1`` keeps the polling as well
(for folders whose events do not reach this machine, like some network or container mounts).
"""

from __future__ import annotations

import contextlib
import logging
import os
from typing import Any

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

log = logging.getLogger("mkdocs.hooks.preview")

#: Events that mean a file's content or presence changed (not that it was opened or read).
CHANGES = frozenset({"created", "deleted", "modified", "moved"})

_observers: list[Any] = []


class _Rebuild(FileSystemEventHandler):
    """Asks MkDocs' server for a rebuild, as its own watcher does."""

    def __init__(self, server: Any) -> None:
        self.server = server

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory or event.event_type not in CHANGES:
            return
        with self.server._rebuild_cond:
            self.server._want_rebuild = True
            self.server._rebuild_cond.notify_all()


def watch_docs(server: Any, docs_dir: str) -> bool:
    """Watch ``docs_dir`` with the system's events in place of the server's polling.

    Returns False, leaving the server as it was, where that cannot be done.
    """
    if os.environ.get("DIGEST_PREVIEW_POLLING") or Observer is PollingObserver:
        return False
    # MkDocs 1.6's LiveReloadServer: a rebuild is asked for through these two attributes.
    if not (hasattr(server, "_rebuild_cond") and hasattr(server, "_want_rebuild")):
        return False
    observer = Observer()
    try:
        observer.schedule(_Rebuild(server), docs_dir, recursive=True)
        observer.start()
    except OSError as err:  # no more inotify watches, a folder that cannot be watched
        log.info(f"Watching {docs_dir} by polling: {err}")
        return False
    _observers.append(observer)
    log.info(f"Watching '{docs_dir}' for changes through file system events")
    with contextlib.suppress(KeyError, ValueError):  # the server was not polling it
        server.unwatch(docs_dir)
    return True


def stop() -> None:
    while _observers:
        observer = _observers.pop()
        observer.stop()
        observer.join(timeout=5)
