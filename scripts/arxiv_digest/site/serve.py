"""Preview: saves under the docs dir noticed through the system's file events, not by polling."""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from watchdog.events import (
    EVENT_TYPE_CLOSED_NO_WRITE,
    EVENT_TYPE_OPENED,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer

#: Events of a file read, not changed (watchdog reports them on Linux).
_READS = frozenset({EVENT_TYPE_OPENED, EVENT_TYPE_CLOSED_NO_WRITE})


class DocsWatcher(FileSystemEventHandler):
    """Gives MkDocs' live server one small file to watch instead of the docs dir.

    The server polls every file it watches twice a second (about 1.3 s a round at 20,000
    pages, so a save waited seconds to be noticed). Here the system's file events see a save
    under the docs dir and touch the one file the server polls; ``watch`` and ``unwatch`` are
    the server's public methods.
    """

    def __init__(self, docs_dir: str):
        self.docs_dir = docs_dir
        self.folder = Path(tempfile.mkdtemp(prefix="arxiv-digest-serve-"))
        """Holds only :attr:`signal`, the file the live server polls."""
        self.signal = self.folder / "saved"
        self.signal.write_text("0", "utf-8")
        self.observer: Any = None

    def attach(self, server: Any) -> None:
        """Start the file events and move the server's watch from the docs dir to the signal."""
        self.observer = Observer()
        self.observer.schedule(self, self.docs_dir, recursive=True)
        self.observer.start()
        server.unwatch(self.docs_dir)
        server.watch(str(self.folder))

    def on_any_event(self, event: FileSystemEvent) -> None:
        # A file the build opens to read is no save: reacting to it would rebuild without end
        # (each build reads pages, for feeds and search records).
        if not event.is_directory and event.event_type not in _READS:
            # A new content, so the poll sees a change whatever the clock's resolution.
            self.signal.write_text(str(time.time_ns()), "utf-8")

    def stop(self) -> None:
        if self.observer is not None:
            self.observer.stop()
            self.observer.join(timeout=5)
            self.observer = None
        shutil.rmtree(self.folder, ignore_errors=True)
