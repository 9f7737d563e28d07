"""Summaries through the real openai SDK against a local OpenAI-compatible server."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from arxiv_digest.config import Settings
from arxiv_digest.errors import DigestError
from arxiv_digest.pages.schema import EXTRACTIVE, parse_bullets, render_body
from arxiv_digest.summaries.extractive import clean_bullet, parse_answer, split_sentences
from arxiv_digest.summaries.summarize import (
    Summarizer,
    SummaryRequest,
    extractive_summary,
    load_prompt,
)
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from tests.fakes.llm_server import FakeLLMServer

ABSTRACT = (
    "Large language models are expensive to serve because attention grows with context length. "
    "We propose SlimAttn, a sparse attention kernel that skips low-scoring key blocks, e.g. "
    "blocks far from the query. The kernel keeps $O(n \\log n)$ cost. We evaluate on Llama "
    "models. SlimAttn reduces latency by 2.1x at 32k tokens with no loss in accuracy. "
    "Code is available online."
)


def _settings(server: FakeLLMServer | None, tmp_path: Path, **changes: object) -> Settings:
    values: dict[str, object] = {
        "openai_base_url": server.base_url if server else None,
        "openai_api_key": server.api_key if server else None,
        "model": "fake-model-1",
        "http_timeout": 2.0,
        "retries": 2,
        "backoff_seconds": 0.05,
        "concurrency": 4,
        "cache_dir": tmp_path / "cache",
    }
    values.update(changes)
    return Settings(**values)  # type: ignore[arg-type]


def _request(n: int = 1, version: int | None = 1) -> SummaryRequest:
    return SummaryRequest(f"2605.{n:05d}", version, f"Paper number {n}", ABSTRACT)


def _is_extractive(summary: object) -> bool:
    return getattr(summary, "by", None) == EXTRACTIVE


# ------------------------------------------------------------------------- the happy path


def test_summarize_good_answer(llm_server: FakeLLMServer, tmp_path: Path) -> None:
    summarizer = Summarizer(_settings(llm_server, tmp_path))
    result = summarizer.summarize_many([_request(1)])
    summary = result["2605.00001"]
    assert summary.by == "fake-model-1" and not summary.cached
    assert len(summary.bullets) == 3
    assert all("Paper number 1" in b and not b.startswith("-") for b in summary.bullets)
    [sent] = llm_server.chat_requests
    assert sent.headers["authorization"] == f"Bearer {llm_server.api_key}"
    assert sent.body["model"] == "fake-model-1"
    assert "Title: Paper number 1" in sent.user_text and "SlimAttn" in sent.user_text
    stats = summarizer.stats
    assert (stats.calls, stats.summarized, stats.cached, stats.failures) == (1, 1, 0, 0)
    assert stats.tokens_in > 50 and stats.tokens_out > 10 and stats.seconds > 0
    # The bullets survive the page body's writer and reader unchanged.
    assert parse_bullets(render_body(summary.bullets)) == summary.bullets


def test_summarize_progress_and_order(llm_server: FakeLLMServer, tmp_path: Path) -> None:
    seen: list[str] = []
    requests = [_request(n) for n in range(6)]
    result = Summarizer(_settings(llm_server, tmp_path)).summarize_many(
        requests, progress=lambda arxiv_id, summary: seen.append(arxiv_id)
    )
    assert list(result) == [r.arxiv_id for r in requests]
    assert sorted(seen) == sorted(result)


# ------------------------------------------------------------------------- retries


def test_summarize_429_honours_retry_after(llm_server: FakeLLMServer, tmp_path: Path) -> None:
    llm_server.rate_limit(retry_after=0.5)
    summary = Summarizer(_settings(llm_server, tmp_path)).summarize_many([_request()])
    assert summary["2605.00001"].by == "fake-model-1"
    first, second = llm_server.chat_requests
    assert first.status == 429 and second.status == 200
    assert first.answered is not None
    # backoff_seconds is 0.05: only the Retry-After header explains a 0.5 s pause.
    assert second.received - first.answered >= 0.5


def test_summarize_500_then_success(llm_server: FakeLLMServer, tmp_path: Path) -> None:
    llm_server.server_error(500)
    llm_server.server_error(503)
    summarizer = Summarizer(_settings(llm_server, tmp_path))
    summary = summarizer.summarize_many([_request()])["2605.00001"]
    assert summary.by == "fake-model-1"
    assert [r.status for r in llm_server.chat_requests] == [500, 503, 200]
    assert summarizer.stats.calls == 3 and summarizer.stats.failures == 0


def test_summarize_budget_exhausted_falls_back(llm_server: FakeLLMServer, tmp_path: Path) -> None:
    llm_server.server_error(500, times=3, match="Paper number 1\n")
    summarizer = Summarizer(_settings(llm_server, tmp_path, retries=2))
    result = summarizer.summarize_many([_request(1), _request(2)])
    assert _is_extractive(result["2605.00001"])
    assert result["2605.00001"].bullets == extractive_summary(ABSTRACT, "Paper number 1")
    assert result["2605.00002"].by == "fake-model-1"  # the run went on
    assert summarizer.stats.failures == 1 and summarizer.stats.extractive == 1
    assert summarizer.failed == {"2605.00001": "HTTP 500 after 3 attempts"}
    assert len(llm_server.chat_requests) == 4  # 1 + 2 retries, and the other paper
    # A fallback is not cached: the next run asks again.
    rerun = Summarizer(_settings(llm_server, tmp_path)).summarize_many([_request(1)])
    assert rerun["2605.00001"].by == "fake-model-1"


def test_summarize_malformed_answer_is_retried(
    llm_server: FakeLLMServer, tmp_path: Path
) -> None:
    llm_server.raw("<html><body>Bad gateway</body></html>")
    llm_server.raw('{"choices": [', content_type="application/json")
    summary = Summarizer(_settings(llm_server, tmp_path)).summarize_many([_request()])
    assert summary["2605.00001"].by == "fake-model-1"
    assert len(llm_server.chat_requests) == 3


def test_summarize_slow_answer_within_timeout(llm_server: FakeLLMServer, tmp_path: Path) -> None:
    llm_server.slow(0.4)
    summary = Summarizer(_settings(llm_server, tmp_path, http_timeout=2.0)).summarize_many(
        [_request()]
    )["2605.00001"]
    assert summary.by == "fake-model-1"
    assert len(llm_server.chat_requests) == 1


def test_summarize_hang_times_out_to_extractive(llm_server: FakeLLMServer, tmp_path: Path) -> None:
    llm_server.hang(times=2)
    summarizer = Summarizer(_settings(llm_server, tmp_path, http_timeout=0.3, retries=1))
    started = time.monotonic()
    summary = summarizer.summarize_many([_request()])["2605.00001"]
    assert time.monotonic() - started < 3
    assert _is_extractive(summary)
    assert summary.bullets == extractive_summary(ABSTRACT, "Paper number 1")
    assert len(llm_server.chat_requests) == 2
    assert all(r.answered is None for r in llm_server.chat_requests)
    assert summarizer.stats.failures == 1


def test_summarize_long_retry_after_is_not_waited(
    llm_server: FakeLLMServer, tmp_path: Path
) -> None:
    llm_server.rate_limit(retry_after=3600)
    started = time.monotonic()
    summary = Summarizer(_settings(llm_server, tmp_path)).summarize_many([_request()])
    assert _is_extractive(summary["2605.00001"])
    assert time.monotonic() - started < 2 and len(llm_server.chat_requests) == 1


def test_summarize_circuit_breaker(llm_server: FakeLLMServer, tmp_path: Path) -> None:
    llm_server.server_error(500, times=100)
    summarizer = Summarizer(_settings(llm_server, tmp_path, retries=0, concurrency=1))
    result = summarizer.summarize_many([_request(n) for n in range(10)])
    assert all(_is_extractive(s) for s in result.values())
    # Three papers in a row failed: the rest do not hammer a server that is down.
    assert len(llm_server.chat_requests) == 3
    assert summarizer.stats.failures == 10


# ------------------------------------------------------------------------- answer shape


def test_summarize_bad_shape_asked_again_then_extractive(
    llm_server: FakeLLMServer, tmp_path: Path
) -> None:
    llm_server.bad_answer("Just one paragraph about the paper.", times=2)
    summarizer = Summarizer(_settings(llm_server, tmp_path))
    summary = summarizer.summarize_many([_request()])["2605.00001"]
    assert _is_extractive(summary)
    first, second = llm_server.chat_requests
    messages = second.body["messages"]
    assert messages[-2] == {"role": "assistant", "content": "Just one paragraph about the paper."}
    assert messages[-1] == {"role": "user", "content": load_prompt().shape_retry}
    assert messages[:2] == first.body["messages"]
    assert summarizer.stats.failures == 1
    assert summarizer.failed == {"2605.00001": "the answer was not three bullets, twice"}


def test_summarize_bad_shape_then_good(llm_server: FakeLLMServer, tmp_path: Path) -> None:
    llm_server.bad_answer("- only\n- two bullets")
    summary = Summarizer(_settings(llm_server, tmp_path)).summarize_many([_request()])
    assert summary["2605.00001"].by == "fake-model-1"
    assert len(llm_server.chat_requests) == 2


def test_parse_answer_shapes() -> None:
    assert parse_answer("- a\n- b\n- c") == ["a", "b", "c"]
    assert parse_answer("Summary:\n1. a  x\n2) b\n3. c") == ["a x", "b", "c"]
    assert parse_answer("<think>hmm\n- no</think>\n* a\n  continued\n• b\n- c") == [
        "a continued", "b", "c"]
    assert parse_answer("- **Problem:** a\n- b\n- c")[0] == "**Problem:** a"
    assert parse_answer("- a\n- b") is None
    assert parse_answer("- a\n- b\n- c\n- d") is None
    assert parse_answer("- a\n- \n- c\n- d") is None
    assert parse_answer("- a\n- b\n- c\nHope this helps!") is None
    assert parse_answer("") is None
    assert clean_bullet("  - 1. folded\n  text ") == "folded text"


# ------------------------------------------------------------------------- keys


def test_summarize_bad_key_stops_without_leaking(
    llm_server: FakeLLMServer, tmp_path: Path
) -> None:
    wrong = "sk-wrong-key-0000SECRET9999"
    summarizer = Summarizer(_settings(llm_server, tmp_path, openai_api_key=wrong, concurrency=2))
    with pytest.raises(DigestError) as caught:
        summarizer.summarize_many([_request(n) for n in range(20)])
    message = str(caught.value)
    assert "\n" not in message and "401" in message and "OPENAI_API_KEY" in message
    assert wrong not in message and "SECRET" not in message
    assert llm_server.base_url in message
    # The server's error body echoed the key; the run stopped instead of trying every paper.
    assert wrong in llm_server.requests[0].headers["authorization"]
    assert len(llm_server.chat_requests) <= 2
    assert not any(wrong in p.read_text() for p in (tmp_path / "cache").rglob("*") if p.is_file())


def test_summarize_403_stops(llm_server: FakeLLMServer, tmp_path: Path) -> None:
    llm_server.unauthorized(403)
    with pytest.raises(DigestError, match="HTTP 403") as caught:
        Summarizer(_settings(llm_server, tmp_path)).summarize_many([_request()])
    assert llm_server.api_key not in str(caught.value)


def test_summarize_unknown_endpoint_stops(llm_server: FakeLLMServer, tmp_path: Path) -> None:
    wrong_url = llm_server.base_url.removesuffix("/v1") + "/nope"
    with pytest.raises(DigestError, match="not found"):
        Summarizer(_settings(llm_server, tmp_path, openai_base_url=wrong_url)).summarize_many(
            [_request()]
        )


@pytest.mark.parametrize("key", [None, ""])
def test_summarize_no_key_is_extractive(
    llm_server: FakeLLMServer, tmp_path: Path, key: str | None
) -> None:
    summarizer = Summarizer(_settings(llm_server, tmp_path, openai_api_key=key))
    result = summarizer.summarize_many([_request(n) for n in range(3)])
    assert all(_is_extractive(s) and len(s.bullets) == 3 for s in result.values())
    assert llm_server.requests == []
    assert summarizer.stats.extractive == 3 and summarizer.stats.failures == 0


# ------------------------------------------------------------------------- cache


def test_summarize_cache_second_run_is_free(llm_server: FakeLLMServer, tmp_path: Path) -> None:
    requests = [_request(n) for n in range(5)]
    first = Summarizer(_settings(llm_server, tmp_path)).summarize_many(requests)
    assert len(llm_server.chat_requests) == 5
    again = Summarizer(_settings(llm_server, tmp_path))
    second = again.summarize_many(requests)
    assert len(llm_server.chat_requests) == 5
    assert all(s.cached for s in second.values())
    assert {k: s.bullets for k, s in second.items()} == {k: s.bullets for k, s in first.items()}
    assert (again.stats.calls, again.stats.cached, again.stats.tokens_in) == (0, 5, 0)
    assert not list((tmp_path / "cache").rglob("*.tmp"))
    # A new version or another model is a new question.
    Summarizer(_settings(llm_server, tmp_path)).summarize_many([_request(0, version=2)])
    Summarizer(_settings(llm_server, tmp_path, model="other")).summarize_many([_request(0)])
    assert len(llm_server.chat_requests) == 7


def test_summarize_damaged_cache_is_asked_again(
    llm_server: FakeLLMServer, tmp_path: Path
) -> None:
    Summarizer(_settings(llm_server, tmp_path)).summarize_many([_request()])
    [entry] = (tmp_path / "cache").rglob("*.json")
    entry.write_text("{not json")
    summary = Summarizer(_settings(llm_server, tmp_path)).summarize_many([_request()])
    assert summary["2605.00001"].by == "fake-model-1" and len(llm_server.chat_requests) == 2


def test_summarize_unwritable_cache_still_summarizes(
    llm_server: FakeLLMServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    summary = Summarizer(_settings(llm_server, tmp_path, cache_dir=blocker)).summarize_many(
        [_request()]
    )
    assert summary["2605.00001"].by == "fake-model-1"
    assert "could not cache" in caplog.text


# ------------------------------------------------------------------------- concurrency


def test_summarize_requests_overlap(llm_server: FakeLLMServer, tmp_path: Path) -> None:
    llm_server.latency = 0.3
    started = time.monotonic()
    Summarizer(_settings(llm_server, tmp_path, concurrency=4)).summarize_many(
        [_request(n) for n in range(8)]
    )
    elapsed = time.monotonic() - started
    spans = [(r.received, r.answered or 0.0) for r in llm_server.chat_requests]
    peak = max(sum(1 for a, b in spans if a <= t < b) for t, _ in spans)
    assert peak == 4  # never more than the bound, and the bound is used
    assert elapsed < 8 * 0.3 * 0.75  # one at a time would take 2.4 s


# ------------------------------------------------------------------------- extractive


def test_extractive_summary_picks_three_sentences_in_order() -> None:
    bullets = extractive_summary(ABSTRACT)
    assert len(bullets) == 3
    assert bullets[0].startswith("Large language models")
    folded = " ".join(ABSTRACT.split())
    positions = [folded.index(b) for b in bullets]
    assert positions == sorted(positions)
    assert any("2.1x" in b for b in bullets)  # the result sentence
    assert not any(b.startswith("Code is available") for b in bullets)
    assert extractive_summary(ABSTRACT) == bullets  # deterministic


def test_extractive_sentence_splitting() -> None:
    assert split_sentences("We use e.g. pruning. Then et al. show it. Fig. 2 helps.") == [
        "We use e.g. pruning.", "Then et al. show it.", "Fig. 2 helps."]
    assert split_sentences("A bound $x. Y$ holds. It is 3.5 times faster (i.e. much).") == [
        "A bound $x. Y$ holds.", "It is 3.5 times faster (i.e. much)."]
    assert split_sentences("Works?! Yes. J. Smith agrees.") == [
        "Works?!", "Yes.", "J. Smith agrees."]


def test_extractive_short_and_empty_abstracts() -> None:
    assert extractive_summary("One sentence only") == ["One sentence only"]
    assert extractive_summary("First one. Second one.") == ["First one.", "Second one."]
    assert extractive_summary("   ") == ["No abstract is available for this paper."]


@hsettings(max_examples=200, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=60), min_size=0, max_size=12))
def test_extractive_summary_properties(parts: list[str]) -> None:
    abstract = ". ".join(parts)
    bullets = extractive_summary(abstract)
    assert 1 <= len(bullets) <= 3
    assert all(b and b == " ".join(b.split()) for b in bullets)
    folded = " ".join(abstract.split())
    if folded:
        cursor = 0  # each bullet occurs in the abstract after the one before it
        for bullet in bullets:
            cursor = folded.index(bullet, cursor) + len(bullet)
    assert extractive_summary(abstract) == bullets


# ------------------------------------------------------------------------- grounding

GROUNDED = (
    "- Large language models are expensive to serve as attention grows with context length.\n"
    "- SlimAttn is a sparse attention kernel that skips low-scoring key blocks.\n"
    "- SlimAttn reduces latency by 2.1x at 32k tokens with no loss in accuracy."
)
WRONG_NUMBER = GROUNDED.replace("2.1x", "3.7x")


def test_grounded_summary_passes_untouched(llm_server: FakeLLMServer, tmp_path: Path) -> None:
    llm_server.answer(GROUNDED)
    summarizer = Summarizer(_settings(llm_server, tmp_path))
    summary = summarizer.summarize_many([_request()])["2605.00001"]
    assert summary.bullets == [line[2:] for line in GROUNDED.splitlines()]
    assert (summary.by, summary.grounding, summary.failed) == ("fake-model-1", "passed", ())
    assert len(llm_server.chat_requests) == 1 and summarizer.stats.reasked == 0


def test_hallucinated_number_is_asked_again_then_replaced(
    llm_server: FakeLLMServer, tmp_path: Path
) -> None:
    llm_server.answer(WRONG_NUMBER, times=2)
    summarizer = Summarizer(_settings(llm_server, tmp_path))
    summary = summarizer.summarize_many([_request()])["2605.00001"]
    first, second = llm_server.chat_requests
    messages = second.body["messages"]
    assert messages[:2] == first.body["messages"]
    assert messages[-2] == {"role": "assistant", "content": WRONG_NUMBER}
    assert "bullet 3: number '3.7x'" in messages[-1]["content"]
    assert messages[-1]["content"] == load_prompt().grounding_retry.format(
        problems="bullet 3: number '3.7x'")
    # Still wrong: bullets 1 and 2 stay, bullet 3 is the abstract's sentence closest to it.
    assert summary.bullets[:2] == [line[2:] for line in WRONG_NUMBER.splitlines()[:2]]
    assert summary.bullets[2] == (
        "SlimAttn reduces latency by 2.1x at 32k tokens with no loss in accuracy.")
    assert (summary.by, summary.grounding, summary.failed) == ("fake-model-1", "repaired", (3,))
    info = summary.info()
    assert (info.grounding, info.failed, info.prompt, info.version) == (
        "repaired", [3], load_prompt().version, 1)
    assert (summarizer.stats.reasked, summarizer.stats.repaired) == (1, 1)
    # The outcome is cached with its grounding: a rerun asks nothing and says the same.
    again = Summarizer(_settings(llm_server, tmp_path)).summarize_many([_request()])
    assert again["2605.00001"].cached and again["2605.00001"].failed == (3,)
    assert again["2605.00001"].bullets == summary.bullets and len(llm_server.chat_requests) == 2


def test_hallucination_fixed_when_asked_again(llm_server: FakeLLMServer, tmp_path: Path) -> None:
    llm_server.answer(WRONG_NUMBER)
    llm_server.answer(GROUNDED)
    summary = Summarizer(_settings(llm_server, tmp_path)).summarize_many([_request()])
    assert summary["2605.00001"].grounding == "passed"
    assert summary["2605.00001"].bullets == [line[2:] for line in GROUNDED.splitlines()]
    assert len(llm_server.chat_requests) == 2


def test_two_failing_bullets_give_the_extractive_summary(
    llm_server: FakeLLMServer, tmp_path: Path
) -> None:
    invented = WRONG_NUMBER.replace("SlimAttn is a sparse", "SlimAttn extends GPTQ, a sparse")
    llm_server.answer(invented, times=2)
    summarizer = Summarizer(_settings(llm_server, tmp_path))
    summary = summarizer.summarize_many([_request()])["2605.00001"]
    assert summary.bullets == extractive_summary(ABSTRACT, "Paper number 1")
    assert (summary.by, summary.grounding, summary.failed) == (EXTRACTIVE, "failed", (2, 3))
    assert summary.info().prompt is None  # no bullet of the model's is on the page
    assert (summarizer.stats.ungrounded, summarizer.stats.extractive) == (1, 1)
    assert "name 'GPTQ'" in llm_server.chat_requests[1].body["messages"][-1]["content"]


def test_summary_records_its_input(llm_server: FakeLLMServer, tmp_path: Path) -> None:
    from arxiv_digest.pages.schema import input_sha256

    for key in (llm_server.api_key, None):  # a model summary and an extractive one
        summary = Summarizer(_settings(llm_server, tmp_path, openai_api_key=key)).summarize_many(
            [_request(version=3)])["2605.00001"]
        assert summary.version == 3
        assert summary.input == input_sha256("Paper number 1", ABSTRACT)
        assert summary.input == input_sha256(" Paper  number 1 ", ABSTRACT.replace(" ", "\n", 3))


def test_prompt_file_is_validated(tmp_path: Path) -> None:
    prompt = load_prompt()
    assert prompt.version >= 2 and "three bullet points" in prompt.system
    bad = tmp_path / "prompt.toml"
    bad.write_text('version = 1\nsystem = "s"\nshape_retry = "r"\ngrounding_retry = "no slot"\n')
    with pytest.raises(DigestError, match="grounding_retry: must contain"):
        load_prompt(bad)
    bad.write_text('version = "one"\n')
    with pytest.raises(DigestError, match=r"prompt.toml: version: missing or not a positive"):
        load_prompt(bad)
    bad.write_text('version = 1\nsystem = "s"\nshape_retry = "r"\ngrounding_retry = "{problems}"'
                   '\nsytem = "typo"\n')
    with pytest.raises(DigestError, match="sytem: unknown key"):
        load_prompt(bad)


def test_replace_bullets_takes_the_closest_unused_sentence() -> None:
    from arxiv_digest.summaries.extractive import replace_bullets

    first = ("Large language models are expensive to serve because attention grows with "
             "context length.")
    bullets = [first, "It uses a kernel.", "SlimAttn cuts latency 9x."]
    assert replace_bullets(bullets, (3,), ABSTRACT) == [
        first, "It uses a kernel.",
        "SlimAttn reduces latency by 2.1x at 32k tokens with no loss in accuracy."]
    # The first sentence is already a bullet: bullet 1 becomes the next closest one.
    assert replace_bullets([first, "b", "c"], (1,), ABSTRACT)[0] != first
    assert replace_bullets(["a", "b", "c"], (2,), "Far too short. Yes.") is None
