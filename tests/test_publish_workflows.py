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


def _text(name: str) -> str:
    return (ROOT / ".github" / "workflows" / name).read_text()


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
    assert jobs["alert"]["permissions"] == {"contents": "read", "issues": "write"}
    # Nothing re-enables the workflow behind anyone's back: an outage opens an issue instead.
    assert "actions: write" not in _text("daily.yml")
    assert "/enable" not in _text("daily.yml") and "keepalive" not in jobs


def test_daily_runs_never_race_or_cancel_each_other() -> None:
    concurrency = _load("daily.yml")["concurrency"]
    assert concurrency["group"].startswith("publish")
    assert concurrency["cancel-in-progress"] is False


def _steps(job: dict[str, Any], command: str) -> list[dict[str, Any]]:
    return [s for s in job["steps"] if command in s.get("run", "")]


def test_key_only_in_the_fetch_steps_token_only_in_the_push_steps() -> None:
    build = _load("daily.yml")["jobs"]["build"]
    # The job's environment limits the key to main (a deployment branch rule).
    assert build["environment"] == "digest"
    fetches = _steps(build, "arxiv-digest daily --sync --no-build")
    pushes = _steps(build, "arxiv-digest daily --push-only")
    assert len(fetches) == 2 and len(pushes) == 2  # the second round: when main moved
    for step in fetches:
        assert step["env"]["OPENAI_API_KEY"] == "${{ secrets.OPENAI_API_KEY }}"
        assert step["env"]["DATE"] == "${{ inputs.date }}"
        assert not any("token" in str(v) for v in step["env"].values())
    for step in pushes:
        assert step["env"] == {"DIGEST_PUSH_TOKEN": "${{ github.token }}"}
    others = [s for s in build["steps"] if s not in fetches]
    assert not any("OPENAI_API_KEY" in str(s) for s in others)
    assert not any("github.token" in str(s) for s in build["steps"] if s not in pushes)
    # The second round runs only when the first push found main moved; its push may not redo.
    assert pushes[0]["id"] == "push" and "--on-moved redo" in pushes[0]["run"]
    assert "--on-moved" not in pushes[1]["run"]
    later = build["steps"][build["steps"].index(pushes[0]) + 1: build["steps"].index(pushes[1]) + 1]
    assert [s["if"] for s in later] == ["steps.push.outputs.moved == 'true'"] * 3


def test_no_token_is_left_on_disk_by_a_checkout() -> None:
    for name in ("daily.yml", "pr.yml"):
        for job in _load(name)["jobs"].values():
            for step in job.get("steps", []):
                if step.get("uses", "").startswith("actions/checkout@"):
                    assert step["with"]["persist-credentials"] is False, name


def test_forks_do_nothing_on_schedule() -> None:
    jobs = _load("daily.yml")["jobs"]
    assert "github.repository == vars.DIGEST_REPOSITORY" in jobs["build"]["if"]
    assert "github.repository == vars.DIGEST_REPOSITORY" in jobs["alert"]["if"]
    assert jobs["alert"]["if"].startswith("always() && github.event_name == 'schedule'")
    assert "arxiv-digest alert --after-days" in jobs["alert"]["steps"][-1]["run"]


def test_model_answers_are_kept_between_runs_even_when_a_run_fails() -> None:
    build = _load("daily.yml")["jobs"]["build"]
    restore = next(s for s in build["steps"] if "actions/cache/restore@" in s.get("uses", ""))
    save = next(s for s in build["steps"] if "actions/cache/save@" in s.get("uses", ""))
    assert restore["with"]["path"] == save["with"]["path"] == ".cache/arxiv-digest"
    assert save["if"].startswith("always()")
    assert restore["with"]["restore-keys"] == "model-answers-"


def _site_cache_steps() -> tuple[dict, dict]:
    steps = _load("daily.yml")["jobs"]["build"]["steps"]
    restore, save = (next(s for s in steps if f"actions/cache/{kind}@" in s.get("uses", "")
                          and "site" in s["with"]["path"].split()) for kind in ("restore", "save"))
    return restore, save


def test_the_site_and_its_build_state_are_kept_between_publishes() -> None:
    steps = _load("daily.yml")["jobs"]["build"]["steps"]
    restore, save = _site_cache_steps()
    assert restore["with"]["path"].split() == save["with"]["path"].split() == ["site",
                                                                               "site.build"]
    build = next(i for i, s in enumerate(steps) if "mkdocs build" in s.get("run", ""))
    assert steps.index(restore) < build < steps.index(save)
    # Saved only after a build that succeeded, under a key of its own (a cache entry is never
    # overwritten); restored by the key's prefix.
    assert "if" not in save
    assert save["with"]["key"] == restore["with"]["key"]
    assert save["with"]["key"].endswith("-${{ github.run_id }}-${{ github.run_attempt }}")
    prefix = restore["with"]["restore-keys"]
    assert save["with"]["key"].startswith(prefix) and prefix.endswith("-")


def test_the_site_cache_key_holds_templates_hooks_settings_and_code() -> None:
    restore, _ = _site_cache_steps()
    hashed = re.search(r"hashFiles\(([^)]*)\)", restore["with"]["restore-keys"])
    assert hashed, restore["with"]["restore-keys"]
    inputs = {p.strip(" '") for p in hashed[1].split(",")}
    # Templates (hooks/overrides), the hook, mkdocs.yml, settings and dependencies
    # (pyproject.toml), and the package that renders the pages.
    assert inputs == {"mkdocs.yml", "pyproject.toml", "hooks/**", "scripts/arxiv_digest/**"}
    for pattern in inputs:
        assert list(ROOT.glob(pattern.replace("**", "*"))), pattern
    assert (ROOT / "hooks" / "overrides" / "main.html").is_file()


def test_daily_deploys_the_built_site_with_pages_actions() -> None:
    jobs = _load("daily.yml")["jobs"]
    build, deploy = jobs["build"], jobs["deploy"]
    assert _uses(build) == [
        "actions/checkout", "actions/setup-python", "actions/configure-pages",
        "actions/cache/restore", "actions/cache/restore", "actions/cache/save",
        "actions/cache/save", "actions/upload-pages-artifact",
    ]
    # The build runs check's validator on every page (an incremental build included).
    builds = _steps(build, "mkdocs build --strict")
    assert len(builds) == 2 and all(s["run"] == "mkdocs build --strict --dirty" for s in builds)
    upload = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages"))
    assert upload["with"]["path"] == "site"
    # A failed fetch fails the build job; the deploy job then never starts.
    assert deploy["needs"] == "build" and "if" not in deploy and "if" not in upload
    assert _uses(deploy) == ["actions/deploy-pages"]
    assert deploy["environment"]["name"] == "github-pages"


_PIN = re.compile(r"^\s*(?:- )?uses: ([\w./-]+)@([0-9a-f]{40}) # v\d+\.\d+\.\d+$")


def test_actions_are_pinned_by_commit_with_their_version() -> None:
    for path in WORKFLOWS:
        lines = [line for line in path.read_text().splitlines() if "uses:" in line]
        assert lines, path.name
        for line in lines:
            assert _PIN.match(line), f"{path.name}: {line.strip()}"
    # One commit per action across the workflows: Dependabot moves them together.
    pins: dict[str, set[str]] = {}
    for path in WORKFLOWS:
        for line in path.read_text().splitlines():
            if match := _PIN.match(line):
                pins.setdefault(match[1].split("/cache/")[0], set()).add(match[2])
    assert all(len(commits) == 1 for commits in pins.values()), pins


def test_dependabot_updates_the_actions() -> None:
    config = yaml.safe_load((ROOT / ".github" / "dependabot.yml").read_text())
    (update,) = config["updates"]
    assert update["package-ecosystem"] == "github-actions" and update["directory"] == "/"
    result = subprocess.run(
        [_check_jsonschema(), "--builtin-schema", "vendor.dependabot",
         str(ROOT / ".github" / "dependabot.yml")],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _tool(name: str) -> str:
    found = shutil.which(name) or str(Path(sys.executable).parent / name)
    if not Path(found).exists():
        pytest.fail(f"{name} is not installed (pip install -e '.[test]')")
    return found


_BAD = """on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: echo "${{ github.event.head_commit.message }}"
      - run: echo "${{ steps.nope.outputs.x }}"
"""


def test_zizmor_finds_nothing_offline(tmp_path: Path) -> None:
    run = subprocess.run([_tool("zizmor"), "--offline", "--persona", "pedantic", "--no-progress",
                          str(ROOT / ".github")], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "No findings to report" in run.stdout
    # ...and would: an unpinned action and a template injection are found.
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text(_BAD)
    found = subprocess.run([_tool("zizmor"), "--offline", "--no-progress", str(bad)],
                           capture_output=True, text=True, timeout=120)
    assert found.returncode != 0 and "template-injection" in found.stdout


def test_actionlint_finds_nothing(tmp_path: Path) -> None:
    run = subprocess.run([_tool("actionlint"), *map(str, WORKFLOWS)], capture_output=True,
                         text=True, timeout=120, cwd=ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    bad = tmp_path / "bad.yml"
    bad.write_text(_BAD)
    found = subprocess.run([_tool("actionlint"), str(bad)], capture_output=True, text=True,
                           timeout=120, cwd=tmp_path)
    assert found.returncode != 0 and "steps.nope" in found.stdout


@pytest.mark.parametrize("name", ["daily.yml", "pr.yml"])
def test_python_setup_caches_pip_by_pyproject(name: str) -> None:
    # setup-python's pip cache looks for requirements.txt unless told otherwise, and fails.
    for job in _load(name)["jobs"].values():
        for step in job["steps"]:
            if step.get("uses", "").startswith("actions/setup-python"):
                assert step["with"]["cache-dependency-path"] == "pyproject.toml"
                version = tuple(int(n) for n in str(step["with"]["python-version"]).split("."))
                assert version >= (3, 11), "the project needs Python 3.11+"


def test_pull_requests_touching_docs_are_checked_and_built() -> None:
    workflow = _load("pr.yml")
    assert "docs/**" in workflow["on"]["pull_request"]["paths"]
    assert "tests/**" in workflow["on"]["pull_request"]["paths"]
    assert workflow["permissions"] == {"contents": "read"}
    runs = [s.get("run", "") for s in workflow["jobs"]["check"]["steps"]]
    assert any(r.startswith("arxiv-digest check") for r in runs)
    assert "mkdocs build --strict" in runs
    assert "secrets." not in _text("pr.yml")


def test_code_pull_requests_run_every_test() -> None:
    test = _load("pr.yml")["jobs"]["test"]
    assert [s.get("run") for s in test["steps"]][-1] == "python3 scripts/dev.py test"
    # Browser tests run, not skip: CI=true turns a missing browser into a failure.
    assert test["env"]["CI"] == "true" and test["env"]["CHROMIUM_PATH"]
