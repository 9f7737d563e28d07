"""The preview notices a saved page through file events, and reading pages asks for nothing."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from arxiv_digest.site import watch
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver


class _Server:
    """The parts of MkDocs' LiveReloadServer that the watcher uses."""

    def __init__(self) -> None:
        self._rebuild_cond = threading.Condition()
        self._want_rebuild = False
        self.unwatched: list[str] = []

    def unwatch(self, path: str) -> None:
        self.unwatched.append(path)

    def wait(self, seconds: float) -> bool:
        with self._rebuild_cond:
            return self._rebuild_cond.wait_for(lambda: self._want_rebuild, timeout=seconds)


@pytest.mark.skipif(Observer is PollingObserver, reason="no file events on this platform")
def test_a_save_asks_for_a_rebuild_and_a_read_does_not(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DIGEST_PREVIEW_POLLING", raising=False)
    page = tmp_path / "papers" / "2604.00001.md"
    page.parent.mkdir()
    page.write_text("---\ntitle: x\n---\n", "utf-8")
    server = _Server()
    try:
        assert watch.watch_docs(server, str(tmp_path))
        assert server.unwatched == [str(tmp_path)]
        time.sleep(0.2)
        page.read_text("utf-8")
        assert not server.wait(0.5)
        page.write_text("---\ntitle: y\n---\n", "utf-8")
        assert server.wait(5)
    finally:
        watch.stop()


def test_polling_is_kept_when_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIGEST_PREVIEW_POLLING", "1")
    server = _Server()
    assert not watch.watch_docs(server, str(tmp_path))
    assert server.unwatched == []


def test_a_server_without_the_rebuild_switch_keeps_polling(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DIGEST_PREVIEW_POLLING", raising=False)
    assert not watch.watch_docs(object(), str(tmp_path))
