"""The outage issue, against a local stand-in for GitHub's REST API; and arXiv's calendar."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from arxiv_digest.ops import calendar
from arxiv_digest.pages import schema

TOKEN = "ghs_test_token_0123456789"
REPO = "owner/arxiv-digest"


class FakeGitHub:
    """Issues of one repository, as GitHub's REST API serves them (the calls ``alert`` makes)."""

    def __init__(self) -> None:
        self.issues: list[dict[str, Any]] = []
        self.calls: list[tuple[str, str, Any]] = []
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.api_url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True).start()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def _answer(self, method: str, path: str, body: Any) -> tuple[int, Any]:
        self.calls.append((method, path, body))
        base = f"/repos/{REPO}/issues"
        if method == "GET" and path.startswith(base + "?"):
            return 200, [i for i in self.issues if i["state"] == "open"
                         and "digest-outage" in i["labels"]]
        if method == "POST" and path == base:
            issue = {"number": len(self.issues) + 1, "state": "open", "comments": [], **body}
            self.issues.append(issue)
            return 201, issue
        number = int(path.removeprefix(base + "/").split("/")[0])
        issue = self.issues[number - 1]
        if method == "POST" and path.endswith("/comments"):
            issue["comments"].append(body["body"])
            return 201, {"id": 1}
        if method == "PATCH":
            issue.update(body)
            return 200, issue
        return 404, {"message": "Not Found"}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        github = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

            def _serve(self) -> None:
                if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                    status, answer = 401, {"message": "Bad credentials"}
                else:
                    size = int(self.headers.get("Content-Length") or 0)
                    body = json.loads(self.rfile.read(size)) if size else None
                    status, answer = github._answer(self.command, self.path, body)
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PATCH = _serve  # noqa: N815

        return Handler


@pytest.fixture()
def github() -> Iterator[FakeGitHub]:
    server = FakeGitHub()
    yield server
    server.stop()


def _docs(tmp_path: Path, *days: tuple[str, str]) -> Path:
    docs = tmp_path / "docs"
    for date, status in days:
        path = schema.day_path(docs, dt.date.fromisoformat(date))
        path.parent.mkdir(parents=True, exist_ok=True)
        papers = ["2604.21952"] if status == "announced" else []
        path.write_text(schema.render_day(schema.Day(date=dt.date.fromisoformat(date),
                                                     status=status, papers=papers)))
    return docs


def _alert(docs: Path, github: FakeGitHub, today: str, *args: str, token: str = TOKEN
           ) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GITHUB_API_URL": github.api_url, "GITHUB_REPOSITORY": REPO,
           "GH_TOKEN": token, "GITHUB_SERVER_URL": "https://github.com", "GITHUB_RUN_ID": "42"}
    return subprocess.run(
        [str(Path(sys.executable).parent / "arxiv-digest"), "alert", "--docs-dir", str(docs),
         "--today", today, *args],
        env=env, capture_output=True, text=True, timeout=60,
    )


def test_outage_opens_one_issue_updates_it_and_the_next_good_run_closes_it(
    tmp_path: Path, github: FakeGitHub
) -> None:
    # Friday 24 April was the last day published; the weekend counts for nothing.
    docs = _docs(tmp_path, ("2026-04-24", "announced"), ("2026-04-25", "no-announcement"))
    quiet = _alert(docs, github, "2026-04-28")  # Mon, Tue missed: two of three
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stdout == "alert: none\n" and github.issues == []

    opened = _alert(docs, github, "2026-04-29")  # Wednesday: three announcement days missed
    assert opened.stdout == "alert: opened\n", opened.stderr
    (issue,) = github.issues
    assert issue["title"] == "Daily digest: nothing published since 2026-04-24"
    assert issue["labels"] == ["digest-outage"]
    assert "3 announcement days are missing (2026-04-27 to 2026-04-29)" in issue["body"]
    assert "https://github.com/owner/arxiv-digest/actions/runs/42" in issue["body"]

    updated = _alert(docs, github, "2026-04-30")
    assert updated.stdout == "alert: updated\n"
    assert len(github.issues) == 1 and "4 announcement days are missing" in issue["comments"][0]

    # A good run published Thursday (back-filling the days before): the issue is closed.
    _docs(tmp_path, ("2026-04-30", "announced"))
    closed = _alert(docs, github, "2026-04-30")
    assert closed.stdout == "alert: closed\n"
    assert issue["state"] == "closed"
    assert "the newest announcement day is 2026-04-30" in issue["comments"][-1]
    assert _alert(docs, github, "2026-05-01").stdout == "alert: none\n"
    assert [c[0] for c in github.calls].count("PATCH") == 1


def test_rejected_token_is_one_line_without_the_token(tmp_path: Path, github: FakeGitHub) -> None:
    docs = _docs(tmp_path, ("2026-04-24", "announced"))
    run = _alert(docs, github, "2026-04-29", token="ghs_wrong_token_987654321")
    assert run.returncode == 1
    assert run.stderr == (f"arxiv-digest: error: {github.api_url}/repos/{REPO}/issues: GitHub API "
                          'answered 401: {"message": "Bad credentials"}\n')
    assert "ghs_wrong" not in run.stdout + run.stderr


def test_missing_repository_setting_is_named(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_REPOSITORY", "GH_TOKEN",
                                                          "GITHUB_TOKEN")}
    run = subprocess.run([str(Path(sys.executable).parent / "arxiv-digest"), "alert"],
                         env={**env, "GH_TOKEN": TOKEN}, capture_output=True, text=True)
    assert run.returncode == 1
    assert run.stderr == ("arxiv-digest: error: GITHUB_REPOSITORY: set GITHUB_REPOSITORY "
                          "(owner/name) and GH_TOKEN\n")


def test_calendar_weekdays_and_holidays() -> None:
    assert calendar.is_announcement_day(dt.date(2026, 4, 27))  # Monday
    assert not calendar.is_announcement_day(dt.date(2026, 4, 25))  # Saturday
    assert not calendar.is_announcement_day(dt.date(2026, 11, 26))  # Thanksgiving
    assert not calendar.is_announcement_day(dt.date(2026, 12, 25))  # Christmas, a Friday
    assert not calendar.is_announcement_day(dt.date(2027, 1, 1))
    assert calendar.announcement_days_between(dt.date(2026, 12, 23), dt.date(2026, 12, 29)) == [
        dt.date(2026, 12, 24), dt.date(2026, 12, 28), dt.date(2026, 12, 29)]
    # 04:30 UTC is still the evening before in New York.
    assert calendar.today_eastern(dt.datetime(2026, 4, 28, 3, 30, tzinfo=dt.UTC)) == \
        dt.date(2026, 4, 27)


def test_gap_is_bounded_by_the_first_page_the_lookback_and_the_cap() -> None:
    have = [dt.date(2026, 4, 1), dt.date(2026, 4, 2), dt.date(2026, 4, 10)]
    gap = calendar.find_gap(have, dt.date(2026, 4, 13), lookback=31, cap=2)
    assert gap.announcement == [dt.date(2026, 4, 3), dt.date(2026, 4, 6)]
    assert gap.later == [dt.date(2026, 4, 7), dt.date(2026, 4, 8), dt.date(2026, 4, 9)]
    assert gap.quiet == [dt.date(2026, 4, 4), dt.date(2026, 4, 5), dt.date(2026, 4, 11),
                         dt.date(2026, 4, 12)]
    short = calendar.find_gap(have, dt.date(2026, 4, 13), lookback=4, cap=5)
    assert short.announcement == [dt.date(2026, 4, 9)]  # 9 April is four days back
    assert short.quiet == [dt.date(2026, 4, 11), dt.date(2026, 4, 12)]
    assert calendar.find_gap([], dt.date(2026, 4, 13), lookback=31, cap=3) == calendar.Gap()
