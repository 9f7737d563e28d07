"""The preview's file events: a save rebuilds the site, a file only read does not."""

from __future__ import annotations

from arxiv_digest.site.serve import DocsWatcher
from watchdog.events import FileClosedNoWriteEvent, FileModifiedEvent, FileOpenedEvent


def test_reads_are_no_saves(tmp_path) -> None:
    watcher = DocsWatcher(str(tmp_path))
    try:
        before = watcher.signal.read_text("utf-8")
        # The search records read each paper's file after a build: no rebuild for that.
        for event in (FileOpenedEvent(str(tmp_path / "papers" / "a.md")),
                      FileClosedNoWriteEvent(str(tmp_path / "papers" / "a.md"))):
            watcher.on_any_event(event)
        assert watcher.signal.read_text("utf-8") == before
        watcher.on_any_event(FileModifiedEvent(str(tmp_path / "papers" / "a.md")))
        assert watcher.signal.read_text("utf-8") != before
    finally:
        watcher.stop()
