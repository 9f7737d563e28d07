"""The ``arxiv-digest`` command line: thin commands that compose the pipeline's steps."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import __version__
from .config import Settings, load_settings
from .errors import DigestError

if TYPE_CHECKING:
    from .fetch import Report as FetchReport
    from .resummarize import Report as ResummarizeReport


def _settings(docs_dir: Path | None) -> Settings:
    return load_settings(docs_dir=docs_dir)


docs_dir_option = click.option(
    "--docs-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="MkDocs docs dir holding papers/ and days/ (default: docs, or DIGEST_DOCS_DIR).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="arxiv-digest")
def cli() -> None:
    """A daily digest of arXiv papers on efficient deep learning, written as MkDocs pages."""


def main() -> None:
    """Entry point: expected failures become one line on stderr and exit status 1."""
    try:
        # Without standalone mode click returns ctx.exit(n)'s status instead of exiting with it.
        status = cli.main(standalone_mode=False)
    except DigestError as err:
        click.echo(f"arxiv-digest: error: {err}", err=True)
        sys.exit(1)
    except click.exceptions.Abort:
        click.echo("arxiv-digest: aborted", err=True)
        sys.exit(130)
    except click.ClickException as err:
        err.show()
        sys.exit(err.exit_code)
    except click.exceptions.Exit as err:
        sys.exit(err.exit_code)
    if isinstance(status, int) and status:
        sys.exit(status)


# Commands are defined below, one block per command, each calling into its own module.


@cli.command("import-readme")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@docs_dir_option
@click.option(
    "--enrich",
    is_flag=True,
    help="Fill authors, categories, abstract, dates and topics from the arXiv API.",
)
@click.option("--dry-run", is_flag=True, help="Print the pages that would be written; write none.")
def import_readme_command(path: Path, docs_dir: Path | None, enrich: bool, dry_run: bool) -> None:
    """Import the old hand-kept README digest at PATH into paper and day pages.

    Existing pages are kept (their summaries are never replaced) and merged with the README's days;
    importing the same file again changes nothing. Ends with a report of what was found.
    """
    from .legacy.importer import import_readme

    report = import_readme(path, _settings(docs_dir), enrich=enrich, dry_run=dry_run)
    for line in report.lines():
        click.echo(line)


@cli.command("check")
@docs_dir_option
@click.option(
    "--github",
    is_flag=True,
    help="Also print each problem as a GitHub Actions annotation (shown on the pull request).",
)
@click.pass_context
def check_command(ctx: click.Context, docs_dir: Path | None, github: bool) -> None:
    """Validate every paper and day page: schema, cross-references and summaries.

    Prints one line per problem (FILE: KEY: PROBLEM) and exits 1 if there is any.
    """
    from .check import annotation, check_docs

    report = check_docs(_settings(docs_dir).docs_dir)
    for problem in report.problems:
        click.echo(str(problem))
        if github:
            click.echo(annotation(problem))
    pages = f"{report.papers} paper pages, {report.days} day pages"
    count = len(report.problems)
    click.echo(f"check: {count} problem{'s' if count != 1 else ''} in {pages}" if count
               else f"check: no problems in {pages}")
    if report.problems:
        ctx.exit(1)


@cli.command("fetch")
@click.option("--date", "day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Back-fill this past announcement day (YYYY-MM-DD) from the arXiv API.")
@click.option("--all", "keep_all", is_flag=True, help="Keep every paper of the day (no filter).")
@docs_dir_option
@click.option("--dry-run", is_flag=True,
              help="Print the files that would be written (new/changed/unchanged); write none, "
                   "call no model.")
@click.option("--allow-incomplete", is_flag=True,
              help="Write a day whose feed was cut at 2000 items, marked incomplete.")
@click.option("--categories", default=None, metavar="CAT,CAT",
              help="Comma-separated arXiv categories (default: settings / DIGEST_CATEGORIES).")
def fetch_command(day: object, keep_all: bool, docs_dir: Path | None, dry_run: bool,
                  allow_incomplete: bool, categories: str | None) -> None:
    """Fetch the latest announcement day (or --date) into paper and day pages.

    Reads the listing, the arXiv metadata, keeps the papers on efficient deep learning,
    summarizes them (extractive without OPENAI_API_KEY) and writes the pages, the day page last.
    Ends with a report of what was listed, kept, summarized and written.
    """
    import datetime as _dt

    from .fetch import run_fetch
    from .progress import for_stderr

    cats = tuple(c.strip() for c in categories.split(",") if c.strip()) if categories else None
    settings = load_settings(docs_dir=docs_dir, categories=cats)
    date = day.date() if isinstance(day, _dt.datetime) else None
    report = run_fetch(settings, date=date, keep_all=keep_all, dry_run=dry_run,
                       allow_incomplete=allow_incomplete, progress=for_stderr())
    _print_report(report)


@cli.command("resummarize")
@docs_dir_option
@click.option("--dry-run", is_flag=True,
              help="List the pages that would get a model summary; write none, call no model.")
@click.option("--revised", is_flag=True,
              help="Instead re-summarize the papers arXiv has revised since their summary "
                   "(newer_version), from the latest version's metadata.")
def resummarize_command(docs_dir: Path | None, dry_run: bool, revised: bool) -> None:
    """Replace the extractive summaries (written without a key) with model summaries.

    Only pages with summary.by: extractive that nobody edited are changed; with --revised, the
    pages of revised papers that nobody edited. Needs OPENAI_API_KEY.
    """
    from .progress import for_stderr
    from .resummarize import run_resummarize

    _print_report(run_resummarize(_settings(docs_dir), dry_run=dry_run, revised=revised,
                                  progress=for_stderr()))


@cli.command("filter")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--rules", "rules_path", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Rules file to use instead of the packaged filter/rules.toml.")
def filter_command(path: Path, rules_path: Path | None) -> None:
    """Run the key-less filter over papers given as JSON lines in PATH.

    Each line holds id, title, abstract (or bullets, a list of strings: a published summary
    read as the text), categories and date. Prints one JSON line per paper:
    id, keep, score, topics, rank and evidence; papers of the same date are ranked together and
    at most the day's quota is kept. Offline: no network, no model.
    """
    import json

    from .filter import load_rules
    from .filter.jsonl import read_papers, verdict_lines

    rules = load_rules(rules_path)
    for line in verdict_lines(read_papers(path), rules):
        click.echo(json.dumps(line, ensure_ascii=False))


def _print_report(report: FetchReport | ResummarizeReport) -> None:
    if report.dry_run:
        for item in report.files:
            click.echo(f"{item.status:9} {item.path}")
    for line in report.lines():
        click.echo(line)
    for warning in report.warnings:
        click.echo(warning, err=True)


@cli.command("daily")
@click.option("--date", "day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Run this past announcement day (YYYY-MM-DD) instead of the latest listing.")
@docs_dir_option
@click.option("--sync", is_flag=True,
              help="First reset to the remote branch's tip (only the run's own digest commits "
                   "may be dropped).")
@click.option("--push", is_flag=True,
              help="Sync, run the day, push; when the branch moved meanwhile, run the day again "
                   "on its tip (up to --tries passes).")
@click.option("--push-only", is_flag=True,
              help="Only push what an earlier `daily` committed (the workflow's push step).")
@click.option("--on-moved", type=click.Choice(["fail", "redo"]), default="fail",
              help="With --push-only, when the branch moved: fail, or exit 0 and write "
                   "moved=true to $GITHUB_OUTPUT so the workflow runs the day again.")
@click.option("--tries", type=click.IntRange(1, 10), default=3, show_default=True,
              help="Passes of the day at most with --push.")
@click.option("--backfill-cap", type=click.IntRange(0), default=3, show_default=True,
              help="Missed announcement days back-filled per run at most, oldest first.")
@click.option("--lookback", type=click.IntRange(1), default=31, show_default=True,
              help="Days before the latest listing searched for missing day pages.")
@click.option("--no-build", is_flag=True,
              help="Skip `arxiv-digest check` and `mkdocs build --strict` (a later step runs "
                   "them).")
def daily_command(day: object, docs_dir: Path | None, sync: bool, push: bool, push_only: bool,
                  on_moved: str, tries: int, backfill_cap: int, lookback: int,
                  no_build: bool) -> None:
    """The daily publish: fetch the day, heal missed days, commit, check, build and push.

    Runs in the git work tree of the current directory and commits the pages that changed under
    papers/, days/ and ledger/. Writes its report to $GITHUB_STEP_SUMMARY when that is set.
    """
    import datetime as _dt
    import os

    from .ops import summary
    from .ops.daily import DailyRun, Options
    from .ops.git import Repo
    from .progress import for_stderr

    root = Repo.at(Path.cwd()).root
    os.chdir(root)
    date = day.date() if isinstance(day, _dt.datetime) else None
    options = Options(date=date, sync=sync, push=push, tries=tries, backfill_cap=backfill_cap,
                      lookback=lookback, build=not no_build)
    run = DailyRun(load_settings(docs_dir=docs_dir), options, root=root, progress=for_stderr(),
                   say=click.echo, push_token=os.environ.get("DIGEST_PUSH_TOKEN"))
    step_summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if push_only:
        try:
            if not run.push_only() and on_moved == "fail":
                raise DigestError("the branch moved again during the run; nothing pushed, the "
                                  "next run publishes the day", where="--push-only")
        except DigestError as err:
            if step_summary:
                summary.append(Path(step_summary), run.outcome, error=str(err))
            raise
        if not run.outcome.pushed and os.environ.get("GITHUB_OUTPUT"):
            with open(os.environ["GITHUB_OUTPUT"], "a", encoding="utf-8") as handle:
                handle.write("moved=true\n")
        return
    try:
        outcome = run.run()
    except DigestError as err:
        if step_summary:
            summary.append(Path(step_summary), run.outcome, error=str(err))
        raise
    for report in outcome.reports:
        for line in report.lines():
            click.echo(line)
    days = ", ".join(d.isoformat() for d in outcome.backfilled) or "none"
    click.echo(f"daily: back-filled days: {days}")
    for warning in outcome.warnings:
        click.echo(warning, err=True)
    if step_summary:
        summary.append(Path(step_summary), outcome)


@cli.command("alert")
@docs_dir_option
@click.option("--after-days", type=click.IntRange(1), default=3, show_default=True,
              help="Announcement days without a new day page before the issue is opened.")
@click.option("--today", "day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Count missed days up to this date (default: today in US Eastern time).")
def alert_command(docs_dir: Path | None, after_days: int, day: object) -> None:
    """Open or update one GitHub issue while no new announcement day is published; close it after.

    Needs GITHUB_REPOSITORY and GH_TOKEN (or GITHUB_TOKEN); GITHUB_API_URL defaults to
    https://api.github.com.
    """
    import datetime as _dt
    import os

    from .ops.alert import GitHub, update_issue
    from .ops.calendar import today_eastern

    token = os.environ.get("GH_TOKEN") or os.environ.get("GITHUB_TOKEN")
    repository = os.environ.get("GITHUB_REPOSITORY")
    if not token or not repository:
        raise DigestError("set GITHUB_REPOSITORY (owner/name) and GH_TOKEN",
                          where="GH_TOKEN" if repository else "GITHUB_REPOSITORY")
    github = GitHub(os.environ.get("GITHUB_API_URL") or "https://api.github.com", repository,
                    token)
    today = day.date() if isinstance(day, _dt.datetime) else today_eastern()
    server, run_id = os.environ.get("GITHUB_SERVER_URL"), os.environ.get("GITHUB_RUN_ID")
    run_url = f"{server}/{repository}/actions/runs/{run_id}" if server and run_id else ""
    done = update_issue(github, _settings(docs_dir).docs_dir, today=today,
                        after_days=after_days, run_url=run_url)
    click.echo(f"alert: {done}")
