"""The outage alert: one GitHub issue while no new announcement day is published, closed after.

Runs after every scheduled run, whatever its result, through GitHub's REST API (base URL from
``GITHUB_API_URL``, which Actions sets; tests point it at a local stand-in).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import requests

from ..errors import DigestError, redact
from ..pages import schema
from .calendar import announcement_days_between

LABEL = "digest-outage"
"""The label that marks the one outage issue (the run finds it by this label)."""


@dataclass(frozen=True)
class GitHub:
    """The repository's issues, through the REST API."""

    api_url: str
    """``GITHUB_API_URL``, e.g. ``https://api.github.com``."""
    repository: str
    """``owner/name`` (``GITHUB_REPOSITORY``)."""
    token: str
    timeout: float = 30.0

    def call(self, method: str, path: str, **body: Any) -> Any:
        url = f"{self.api_url.rstrip('/')}/repos/{self.repository}{path}"
        try:
            response = requests.request(
                method, url, json=body or None, timeout=self.timeout,
                params={"labels": LABEL, "state": "open"} if method == "GET" else None,
                headers={"Authorization": f"Bearer {self.token}",
                         "Accept": "application/vnd.github+json"},
            )
        except requests.RequestException as err:
            raise DigestError(redact(f"GitHub API unreachable ({err})", self.token),
                              where=url) from None
        if response.status_code >= 400:
            detail = redact(response.text[:200].replace("\n", " "), self.token)
            raise DigestError(f"GitHub API answered {response.status_code}: {detail}", where=url)
        return response.json() if response.content else None


def newest_announced(docs_dir: Path) -> dt.date | None:
    """The date of the newest day page with papers announced (weekends and holidays skipped)."""
    days = docs_dir / schema.DAYS_DIR
    for path in sorted(days.glob("*.md"), reverse=True) if days.is_dir() else []:
        page = schema.read_day(path).meta
        if page.status == "announced":
            return page.date
    return None


def update_issue(github: GitHub, docs_dir: Path, *, today: dt.date, after_days: int,
                 run_url: str = "") -> Literal["opened", "updated", "closed", "none"]:
    """Open or update the outage issue when ``after_days`` announcement days passed without a
    page; close it when the newest announcement day is published again. Returns what it did."""
    newest = newest_announced(docs_dir)
    since = newest or today - dt.timedelta(days=after_days * 2)
    missed = announcement_days_between(since, today)
    open_issues = github.call("GET", "/issues") or []
    issue = open_issues[0] if open_issues else None
    run = f"\n\nLatest run: {run_url}" if run_url else ""
    if len(missed) >= after_days:
        body = (f"No new arXiv announcement day has been published since "
                f"{newest or 'the start'}: {len(missed)} announcement days are missing "
                f"({missed[0]} to {missed[-1]}). The daily runs fail or do not run; see the "
                f"Actions tab. Each run back-fills missed days by itself once it works again.{run}")
        if issue is None:
            github.call("POST", "/issues", title=f"Daily digest: nothing published since "
                        f"{newest or 'the start'}", body=body, labels=[LABEL])
            return "opened"
        github.call("POST", f"/issues/{issue['number']}/comments", body=body)
        return "updated"
    if issue is not None:
        github.call("POST", f"/issues/{issue['number']}/comments",
                    body=f"Published again: the newest announcement day is {newest}.{run}")
        github.call("PATCH", f"/issues/{issue['number']}", state="closed")
        return "closed"
    return "none"
