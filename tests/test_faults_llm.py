"""The LLM failing during whole ``fetch`` runs: the day completes, and the key never shows."""

from __future__ import annotations

import subprocess

import pytest
from arxiv_digest.pages import schema, writer

from tests.fakes.arxiv_server import RECORDED_DAY
from tests.fakes.llm_server import FakeLLMServer
from tests.faults_support import SECRET, Rig, efficient_papers, gaps

VICTIM = "Synthetic paper 1 on"  # a substring of the first paper's prompt
BUDGET = 3  # DIGEST_RETRIES=2: one request and two retries


def _day_of_two(rig: Rig) -> tuple[str, str]:
    first, second = efficient_papers(2)
    rig.arxiv.set_feed("cs.LG", [first, second])
    return first.arxiv_id, second.arxiv_id


def _inject(llm: FakeLLMServer, fault: str, times: int) -> None:
    if fault == "429":
        llm.rate_limit(retry_after=0.3, times=times, match=VICTIM)
    elif fault == "500":
        llm.server_error(500, times=times, match=VICTIM)
    elif fault == "hang":
        llm.hang(times=times, match=VICTIM)
    elif fault == "html":
        llm.raw("<html><body>Bad gateway</body></html>", times=times, match=VICTIM)
    else:
        llm.bad_answer("Here is a summary: it is a good paper.", times=times, match=VICTIM)


def _victim_requests(llm: FakeLLMServer) -> list:  # type: ignore[type-arg]
    return [r for r in llm.chat_requests if VICTIM in r.user_text]


FAULTS = ["429", "500", "hang", "html", "not-three-bullets"]


@pytest.mark.parametrize("fault", FAULTS)
def test_transient_llm_fault_is_retried_and_the_model_summary_written(
    rig: Rig, fault: str
) -> None:
    victim, _ = _day_of_two(rig)
    rig.llm.api_key = SECRET
    _inject(rig.llm, fault, times=1)
    result = rig.run("fetch", key=SECRET, DIGEST_HTTP_TIMEOUT="0.5")
    assert result.code == 0, result.err
    page = schema.read_paper(schema.paper_path(rig.docs, victim))
    assert page.meta.summary.by == rig.llm.model and len(page.bullets) == 3
    asked = _victim_requests(rig.llm)
    assert len(asked) == 2
    if fault == "429":
        assert asked[0].answered is not None and asked[1].received - asked[0].answered >= 0.3


@pytest.mark.parametrize("fault", FAULTS)
def test_llm_failing_for_good_gives_an_extractive_summary_to_upgrade_later(
    rig: Rig, fault: str
) -> None:
    victim, other = _day_of_two(rig)
    rig.llm.api_key = SECRET
    _inject(rig.llm, fault, times=50)
    result = rig.run("fetch", key=SECRET, DIGEST_HTTP_TIMEOUT="0.5")
    assert result.code == 0, result.err  # the day completes
    day = schema.read_day(schema.day_path(rig.docs, RECORDED_DAY))
    assert {victim, other} <= set(day.meta.papers)
    page = schema.read_paper(schema.paper_path(rig.docs, victim))
    assert page.meta.summary.by == schema.EXTRACTIVE and page.bullets  # marked for upgrade
    assert schema.read_paper(schema.paper_path(rig.docs, other)).meta.summary.by == rig.llm.model
    assert "1 extractive" in result.out  # the report says so (the subprocess test: which one)
    asked = _victim_requests(rig.llm)
    # Within the budget: a shape error is asked once more; others are retried BUDGET times.
    assert len(asked) == (2 if fault == "not-three-bullets" else BUDGET)
    if fault == "429":
        assert min(gaps([r.received for r in asked])) >= 0.3
    assert [p for p, _ in writer.extractive_pages(rig.docs)] == [
        schema.paper_path(rig.docs, victim)]
    # The model is back: resummarize upgrades exactly that page.
    rig.llm._queue.clear()
    other_bytes = schema.paper_path(rig.docs, other).read_bytes()
    assert rig.run("resummarize", key=SECRET).code == 0
    assert schema.read_paper(schema.paper_path(rig.docs, victim)).meta.summary.by == rig.llm.model
    assert schema.paper_path(rig.docs, other).read_bytes() == other_bytes


@pytest.mark.parametrize("status", [401, 403])
def test_rejected_key_stops_with_one_line_without_the_key(rig: Rig, status: int) -> None:
    _day_of_two(rig)
    rig.llm.api_key = SECRET
    rig.llm.unauthorized(status, times=50)
    result = rig.run("fetch", key=SECRET)
    assert result.code == 1
    assert result.last_line.startswith("arxiv-digest: error: ") and "API key" in result.last_line
    assert "Traceback" not in result.err
    assert SECRET not in result.out + result.err
    assert rig.pages() == {}


def _every_output(rig: Rig, *runs: subprocess.CompletedProcess[str]) -> dict[str, str]:
    outputs = {}
    for n, run in enumerate(runs):
        outputs[f"run {n} stdout"] = run.stdout
        outputs[f"run {n} stderr"] = run.stderr
    for path in rig.root.rglob("*"):  # pages, the lock, the LLM cache, anything a run left
        if path.is_file():
            outputs[str(path)] = path.read_bytes().decode("utf-8", "replace")
    return outputs


def test_the_key_is_in_no_output_of_a_faulty_run(rig: Rig) -> None:
    """Every byte a faulty run (and a rejected-key run) leaves behind is searched for the key."""
    victim, _ = _day_of_two(rig)
    rig.llm.api_key = SECRET
    rig.llm.server_error(500, times=50, match=VICTIM)
    rig.llm.rate_limit(retry_after=0.1, times=1)
    rig.arxiv.fail("/rss/cs.AI", 503, times=1)

    def run(*args: str, key: str) -> subprocess.CompletedProcess[str]:
        child = rig.spawn(*args, key=key)
        out, err = child.communicate(timeout=120)
        return subprocess.CompletedProcess(child.args, child.returncode, out, err)

    faulty = run("fetch", key=SECRET)
    assert faulty.returncode == 0, faulty.stderr
    assert schema.read_paper(schema.paper_path(rig.docs, victim)).meta.summary.by == "extractive"
    assert f"{victim}: no LLM summary (HTTP 500 after 3 attempts)" in faulty.stderr
    rig.llm._queue.clear()
    rig.llm.unauthorized(401, times=50)
    rejected = run("resummarize", key=SECRET)
    assert rejected.returncode == 1 and "API key" in rejected.stderr
    wrong_key = SECRET.replace("RECOGNISABLE", "WRONGKEYXYZ")
    rig.llm._queue.clear()
    echoed = run("resummarize", key=wrong_key)  # the server echoes a wrong key in its 401 body
    assert echoed.returncode == 1
    outputs = _every_output(rig, faulty, rejected, echoed)
    assert any(str(rig.cache) in name for name in outputs), "no cache file was searched"
    for name, text in outputs.items():
        for secret in (SECRET, wrong_key, SECRET[8:-4]):
            assert secret not in text, f"the key leaked into {name}"


def test_answer_with_unwritable_characters_still_completes_the_day(rig: Rig) -> None:
    """A lone surrogate (JSON ``"\\ud800"``) or NUL in an answer cannot reach a page or crash."""
    victim, _ = _day_of_two(rig)
    # Twice: "31m" (left of the escape sequence) is not in the abstract, so it is asked again.
    rig.llm.answer("- first \ud800 point\n- second \x00 point\n- third \x1b[31m point",
                   times=2, match=VICTIM)
    result = rig.run("fetch", key=rig.llm.api_key)
    assert result.code == 0, result.err
    page = schema.read_paper(schema.paper_path(rig.docs, victim))
    assert page.bullets[:2] == ["first point", "second point"]
    assert page.meta.summary.by == rig.llm.model and not page.reader_owned
    assert (page.meta.summary.grounding, page.meta.summary.failed) == ("repaired", [3])
    # The question again quotes the cleaned bullets, never the unwritable characters.
    _, again = _victim_requests(rig.llm)
    shown = again.body["messages"][-2]["content"]
    assert shown == "- first point\n- second point\n- third [31m point"
    assert list(rig.cache.rglob("*.json"))  # the answer was cached too
