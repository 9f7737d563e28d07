"""The run's report as a Markdown table, for ``$GITHUB_STEP_SUMMARY`` (shown on the run's page)."""

from __future__ import annotations

from pathlib import Path

from .daily import Outcome

_COLUMNS = ("run", "day", "status", "listed", "kept", "summarized", "cached", "extractive",
            "tokens in", "tokens out", "files written")


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render(outcome: Outcome, *, error: str | None = None) -> str:
    """A heading, one table row per fetch or resummarize, then back-filled days and warnings."""
    if error is not None:
        head = f"## Daily digest: failed\n\n{_cell(error)}\n"
    elif outcome.pushed:
        head = f"## Daily digest: published\n\n{_cell(outcome.committed or 'no page changed')}\n"
    else:
        head = f"## Daily digest: {_cell(outcome.committed or 'no page changed')}\n"
    lines = [head]
    if outcome.reports:
        lines.append("| " + " | ".join(_COLUMNS) + " |")
        lines.append("|" + "---|" * len(_COLUMNS))
        for r in outcome.reports:
            row = (r.command, r.date or "", r.status, r.listed, r.kept, r.summarized, r.cached,
                   r.extractive, r.tokens_in, r.tokens_out, r.written)
            lines.append("| " + " | ".join(_cell(v) for v in row) + " |")
        tokens = sum(r.tokens_in + r.tokens_out for r in outcome.reports)
        lines.append(f"\nTokens used: {tokens}. Passes of the day: {outcome.passes}.")
    if outcome.reports or outcome.backfilled:
        days = ", ".join(d.isoformat() for d in outcome.backfilled) or "none"
        lines.append(f"\nBack-filled days: {days}.")
    if outcome.left:
        lines.append("Left for the next runs: "
                     + ", ".join(d.isoformat() for d in outcome.left) + ".")
    if outcome.warnings:
        lines.append("\nWarnings:\n")
        lines += [f"- {_cell(w)}" for w in outcome.warnings]
    return "\n".join(lines) + "\n"


def append(path: Path, outcome: Outcome, *, error: str | None = None) -> None:
    """Add the report to the step summary file (GitHub concatenates what steps append)."""
    with path.open("a", encoding="utf-8") as handle:
        handle.write(render(outcome, error=error))
