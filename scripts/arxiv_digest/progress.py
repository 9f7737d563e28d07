"""How long runs show progress: a bar on a terminal, plain lines in CI logs."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TextIO

import click


def for_stderr() -> TerminalProgress | LogProgress:
    """A progress bar when stderr is a terminal, else plain log lines."""
    return TerminalProgress() if sys.stderr.isatty() else LogProgress()


class LogProgress:
    """One line per stage, and counted stages at about every tenth item (readable CI logs)."""

    def step(self, message: str) -> None:
        click.echo(message, err=True)

    def count(self, label: str, total: int) -> Callable[[str], None]:
        done = 0
        every = max(1, total // 10)

        def tick(item: str) -> None:
            nonlocal done
            done += 1
            if done % every == 0 or done == total:
                click.echo(f"{label}: {done}/{total} ({item})", err=True)

        return tick


class TerminalProgress:
    """Stages as lines, counted stages as a ``click.progressbar``."""

    def __init__(self, file: TextIO | None = None) -> None:
        self._file = file
        self._bar: Any = None

    def step(self, message: str) -> None:
        self._close()
        click.echo(message, file=self._file or sys.stderr)

    def count(self, label: str, total: int) -> Callable[[str], None]:
        self._close()
        bar = click.progressbar(
            length=total, label=label, file=self._file or sys.stderr, show_pos=True
        )
        bar.__enter__()
        self._bar = bar

        def tick(item: str) -> None:
            bar.update(1)
            if bar.pos >= total:
                self._close()

        return tick

    def _close(self) -> None:
        if self._bar is not None:
            bar, self._bar = self._bar, None
            bar.__exit__(None, None, None)
