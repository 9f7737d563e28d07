"""The GitHub Actions workflows: valid for GitHub; scheduled, guarded and deployed as intended."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))


def _load(name: str) -> dict[str, Any]:
    data = yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text())
    # YAML 1.1 reads the key `on` as True; GitHub reads it as "on".
    data["on"] = data.pop(True, data.get("on"))
    return data


def _uses(job: dict[str, Any]) -> list[str]:
    return [step["uses"].split("@")[0] for step in job["steps"] if "uses" in step]


def _check_jsonschema() -> str:
    beside_python = Path(sys.executable).parent / "check-jsonschema"
    found = shutil.which("check-jsonschema") or str(beside_python)
    if not Path(found).exists():
        pytest.fail("check-jsonschema is not installed (pip install -e '.[test]')")
    return found


def test_there_are_workflows() -> None:
    assert {p.name for p in WORKFLOWS} >= {"daily.yml", "pr.yml"}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_validates_against_githubs_schema(path: Path) -> None:
    # The schema ships inside check-jsonschema: no network.
    result = subprocess.run(
        [_check_jsonschema(), "--builtin-schema", "vendor.github-workflows", str(path)],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok -- validation done" in result.stdout


def test_schema_check_rejects_a_broken_workflow(tmp_path: Path) -> None:
    # The validation above can fail: a job without runs-on or steps is refused.
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  build:\n    permissions: {contents: maybe}\n")
    result = subprocess.run(
        [_check_jsonschema(), "--builtin-schema", "vendor.github-workflows", str(broken)],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode != 0


def _hours(cron: str) -> tuple[int, int]:
    minute, hour, day, month, weekday = cron.split()
    assert (day, month, weekday) == ("*", "*", "*"), "every day: weekends get their day page too"
    return int(hour), int(minute)


def test_daily_schedule_runs_after_the_listing_in_summer_and_winter() -> None:
    crons = [entry["cron"] for entry in _load("daily.yml")["on"]["schedule"]]
    times = sorted(_hours(c) for c in crons)
    assert len(times) == 2, "one run after the listing, one later for late listings"
    first, late = times
    # arXiv's feeds switch at midnight US Eastern: 04:00 UTC (EDT) or 05:00 UTC (EST).
    assert (5, 30) <= first <= (8, 0), f"first run {first} must be after 05:00 UTC with margin"
    assert late[0] - first[0] >= 3, "the second run comes hours later"
    assert all(minute not in (0, 30) for _, minute in times), "off the busy full/half hours"


def test_daily_can_be_started_by_hand_with_a_date() -> None:
    dispatch = _load("daily.yml")["on"]["workflow_dispatch"]
    date = dispatch["inputs"]["date"]
    assert date["required"] is False and date["type"] == "string"
    # The date reaches the script as an environment variable, never pasted into shell code.
    text = (ROOT / ".github" / "workflows" / "daily.yml").read_text()
    assert "DATE: ${{ inputs.date }}" in text
    assert not re.search(r"run:.*\$\{\{\s*(inputs|github\.event\.inputs)\.", text)


def test_daily_permissions_are_per_job_and_minimal() -> None:
    workflow = _load("daily.yml")
    assert workflow["permissions"] == {}
    jobs = workflow["jobs"]
    assert jobs["build"]["permissions"] == {"contents": "write", "pages": "read"}
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert jobs["keepalive"]["permissions"] == {"actions": "write"}


def test_daily_runs_never_race_or_cancel_each_other() -> None:
    concurrency = _load("daily.yml")["concurrency"]
    assert concurrency["group"].startswith("publish")
    assert concurrency["cancel-in-progress"] is False


def test_daily_fetches_with_the_secret_and_deploys_with_pages_actions() -> None:
    jobs = _load("daily.yml")["jobs"]
    build, deploy = jobs["build"], jobs["deploy"]
    assert _uses(build) == [
        "actions/checkout", "actions/setup-python", "actions/configure-pages",
        "actions/upload-pages-artifact",
    ]
    fetch = next(s for s in build["steps"] if "daily.sh" in s.get("run", ""))
    assert "scripts/daily.sh --push" in fetch["run"]
    assert fetch["env"]["OPENAI_API_KEY"] == "${{ secrets.OPENAI_API_KEY }}"
    # Only the fetch step sees the key.
    others = [s for s in build["steps"] if s is not fetch]
    assert not any("OPENAI_API_KEY" in str(s) for s in others)
    upload = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages"))
    assert upload["with"]["path"] == "site"
    # A failed fetch fails the build job; the deploy job then never starts.
    assert deploy["needs"] == "build" and "if" not in deploy and "if" not in upload
    assert _uses(deploy) == ["actions/deploy-pages"]
    assert deploy["environment"]["name"] == "github-pages"


def test_daily_keepalive_runs_on_schedule_only() -> None:
    keepalive = _load("daily.yml")["jobs"]["keepalive"]
    assert keepalive["if"] == "github.event_name == 'schedule'"
    assert "needs" not in keepalive, "it must run even when the fetch fails"
    assert "actions/workflows/daily.yml/enable" in keepalive["steps"][0]["run"]


@pytest.mark.parametrize("name", ["daily.yml", "pr.yml"])
def test_python_setup_caches_pip_by_pyproject(name: str) -> None:
    # setup-python's pip cache looks for requirements.txt unless told otherwise, and fails.
    for job in _load(name)["jobs"].values():
        for step in job["steps"]:
            if step.get("uses", "").startswith("actions/setup-python"):
                assert step["with"]["cache-dependency-path"] == "pyproject.toml"
                version = tuple(int(n) for n in str(step["with"]["python-version"]).split("."))
                assert version >= (3, 11), "the project needs Python 3.11+"


def test_daily_script_is_the_one_in_the_repository() -> None:
    script = ROOT / "scripts" / "daily.sh"
    assert script.exists() and script.stat().st_mode & 0o111, "scripts/daily.sh is executable"
    assert "set -euo pipefail" in script.read_text()


def test_pull_requests_touching_docs_are_checked_and_built() -> None:
    workflow = _load("pr.yml")
    assert "docs/**" in workflow["on"]["pull_request"]["paths"]
    assert workflow["permissions"] == {"contents": "read"}
    runs = [s.get("run", "") for s in workflow["jobs"]["check"]["steps"]]
    assert any(r.startswith("arxiv-digest check") for r in runs)
    assert "mkdocs build --strict" in runs
    assert "secrets." not in (ROOT / ".github" / "workflows" / "pr.yml").read_text()
