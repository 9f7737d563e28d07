"""A local OpenAI-compatible chat-completions server with scripted answers, for tests.

Usage (the ``llm_server`` fixture starts one per test and stops it afterwards)::

    def test_something(llm_server, tmp_path):
        settings = load_settings(openai_base_url=llm_server.base_url,
                                 openai_api_key=llm_server.api_key, ...)
        llm_server.rate_limit(retry_after=0.2)     # next chat request: 429 + Retry-After
        llm_server.server_error()                  # the one after: 500
        ...                                        # later requests: the default good answer
        assert len(llm_server.chat_requests) == 3

Endpoints: ``POST /v1/chat/completions`` (non-streaming) and ``GET /v1/models``. Every request
must carry ``Authorization: Bearer <api_key>``; anything else gets 401 with OpenAI's error JSON
(the message deliberately echoes the key that was sent, so tests prove the client redacts it).

Attributes of :class:`FakeLLMServer`:

- ``base_url`` -- ``http://127.0.0.1:<port>/v1``, for ``OPENAI_BASE_URL``.
- ``api_key`` -- the key the server accepts (``sk-test-...``).
- ``model`` -- the model listed by ``/v1/models`` (any model name is accepted in requests).
- ``latency`` -- seconds added before every answer (default 0), e.g. 1.0 for benchmarks.
- ``requests`` -- every :class:`RecordedRequest` (method, path, headers, body, received, answered,
  status), in arrival order; ``chat_requests`` keeps only chat completions.

Scripting: each method below queues one behaviour ``times`` times (default 1). A chat request
takes the first queued behaviour whose ``match`` (a substring of the user messages) fits,
or the first one without ``match``; with none queued it gets the default answer.

- ``answer(text)`` -- 200 with ``text`` as the message content.
- ``bad_answer(text=...)`` -- 200 with content that is not three bullets (default: one paragraph).
- ``rate_limit(retry_after=1.0)`` -- 429 with ``Retry-After`` (seconds; ``None`` omits it).
- ``server_error(status=500)`` -- a 5xx with OpenAI's error JSON.
- ``unauthorized(status=401)`` -- 401 (or 403) even with the right key.
- ``slow(seconds, text=None)`` -- answers (default or ``text``) after ``seconds``.
- ``hang()`` -- accepts the request and never answers, until the server stops.
- ``trickle(interval=0.1, headers=False)`` -- the default answer, sent one byte every
  ``interval`` seconds (a per-read timeout never fires); after prompt headers, or with
  ``headers`` the status line and headers too.
- ``raw(body, status=200, content_type="text/html")`` -- any bytes, e.g. a proxy's HTML page.

Default answer: three ``- `` bullets that quote the paper title (taken from a ``Title:`` line of
the user messages, else their first words). When the system message asks for "yes or no" the
default answer is ``yes``. ``usage`` counts words: prompt_tokens over all messages,
completion_tokens over the answer.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

DEFAULT_KEY = "sk-test-0123456789abcdefSECRET"
DEFAULT_MODEL = "fake-model-1"


@dataclass
class RecordedRequest:
    """One HTTP request as the server saw it."""

    method: str
    path: str
    headers: dict[str, str]
    """Header names lower-cased."""
    body: Any
    """Parsed JSON body, or None."""
    received: float
    """``time.monotonic()`` when the request arrived."""
    answered: float | None = None
    """``time.monotonic()`` when the answer was sent (None while hanging)."""
    status: int | None = None

    @property
    def user_text(self) -> str:
        """Content of every user message of a chat request, joined ('' otherwise)."""
        messages = self.body.get("messages", []) if isinstance(self.body, dict) else []
        return "\n".join(str(m.get("content", "")) for m in messages if m.get("role") == "user")


@dataclass
class _Behaviour:
    kind: str
    match: str | None = None
    text: str | None = None
    seconds: float = 0.0
    status: int = 200
    retry_after: float | None = None
    content_type: str = "application/json"
    headers: bool = False


@dataclass
class FakeLLMServer:
    """A running fake server; see the module docstring."""

    api_key: str = DEFAULT_KEY
    model: str = DEFAULT_MODEL
    latency: float = 0.0
    requests: list[RecordedRequest] = field(default_factory=list)
    _queue: list[_Behaviour] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _stop: threading.Event = field(default_factory=threading.Event)
    _httpd: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None

    # -- life cycle -------------------------------------------------------------------------
    def start(self) -> FakeLLMServer:
        handler = type("_Handler", (_Handler,), {"fake": self})
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()  # releases hanging handlers
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    @property
    def base_url(self) -> str:
        assert self._httpd is not None, "server not started"
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    @property
    def chat_requests(self) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if r.path.endswith("/chat/completions")]

    # -- scripting --------------------------------------------------------------------------
    def _push(self, behaviour: _Behaviour, times: int) -> None:
        with self._lock:
            self._queue.extend(_Behaviour(**vars(behaviour)) for _ in range(times))

    def answer(self, text: str, *, times: int = 1, match: str | None = None) -> None:
        self._push(_Behaviour("answer", match, text=text), times)

    def bad_answer(
        self, text: str = "This paper is interesting and proposes a method.", *,
        times: int = 1, match: str | None = None,
    ) -> None:
        self._push(_Behaviour("answer", match, text=text), times)

    def rate_limit(
        self, retry_after: float | None = 1.0, *, times: int = 1, match: str | None = None
    ) -> None:
        self._push(_Behaviour("error", match, status=429, retry_after=retry_after), times)

    def server_error(self, status: int = 500, *, times: int = 1, match: str | None = None) -> None:
        self._push(_Behaviour("error", match, status=status), times)

    def unauthorized(self, status: int = 401, *, times: int = 1, match: str | None = None) -> None:
        self._push(_Behaviour("error", match, status=status), times)

    def slow(
        self, seconds: float, text: str | None = None, *, times: int = 1, match: str | None = None
    ) -> None:
        self._push(_Behaviour("answer", match, text=text, seconds=seconds), times)

    def raw(
        self, body: str, status: int = 200, content_type: str = "text/html", *,
        times: int = 1, match: str | None = None,
    ) -> None:
        self._push(_Behaviour("raw", match, text=body, status=status,
                              content_type=content_type), times)

    def trickle(self, interval: float = 0.1, *, times: int = 1, match: str | None = None,
                headers: bool = False) -> None:
        self._push(_Behaviour("trickle", match, seconds=interval, headers=headers), times)

    def hang(self, *, times: int = 1, match: str | None = None) -> None:
        self._push(_Behaviour("hang", match), times)

    def pending(self) -> int:
        """Queued behaviours not yet used."""
        with self._lock:
            return len(self._queue)

    def _take(self, user_text: str) -> _Behaviour | None:
        with self._lock:
            for i, b in enumerate(self._queue):
                if b.match is not None and b.match in user_text:
                    return self._queue.pop(i)
            for i, b in enumerate(self._queue):
                if b.match is None:
                    return self._queue.pop(i)
        return None


def default_answer(messages: list[dict[str, Any]]) -> str:
    """The deterministic good answer for a chat request (see the module docstring)."""
    system = " ".join(str(m.get("content", "")) for m in messages if m.get("role") == "system")
    prompt = "\n".join(str(m.get("content", "")) for m in messages if m.get("role") == "user")
    if "yes or no" in system.lower():
        return "yes"
    found = re.search(r"^Title:\s*(.+)$", prompt, re.M)
    title = found[1].strip() if found else " ".join(prompt.split()[:8])
    return (
        f"- {title} tackles a concrete efficiency problem.\n"
        f"- The method behind {title} is explained step by step.\n"
        f"- Experiments show what {title} gains in speed and memory."
    )


def _words(text: str) -> int:
    return len(text.split())


class _Handler(BaseHTTPRequestHandler):
    fake: FakeLLMServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet test output
        pass

    def _record(self, body: Any) -> RecordedRequest:
        record = RecordedRequest(
            method=self.command,
            path=self.path,
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
            received=time.monotonic(),
        )
        with self.fake._lock:
            self.fake.requests.append(record)
        return record

    def _send(
        self, record: RecordedRequest, status: int, payload: Any,
        content_type: str = "application/json", *, trickle: float = 0.0,
        trickle_head: bool = False, **headers: str,
    ) -> None:
        data = payload.encode() if isinstance(payload, str) else json.dumps(payload).encode()
        if trickle and trickle_head:
            data = (f"HTTP/1.1 {status} OK\r\nContent-Type: {content_type}\r\n"
                    f"Content-Length: {len(data)}\r\n\r\n").encode() + data
        try:
            if trickle and trickle_head:
                self._drip(data, trickle)
                return
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name.replace("_", "-"), value)
            self.end_headers()
            if trickle:
                self.wfile.flush()
                self._drip(data, trickle)
            else:
                self.wfile.write(data)
        except OSError:  # the client gave up (timeout): nothing to answer
            pass
        record.answered = time.monotonic()
        record.status = status

    def _drip(self, data: bytes, interval: float) -> None:
        """Send ``data`` one byte every ``interval`` seconds (until the server stops)."""
        for index in range(len(data)):
            if self.fake._stop.wait(interval):
                return
            self.wfile.write(data[index:index + 1])
            self.wfile.flush()

    def _error(self, record: RecordedRequest, status: int, **headers: str) -> None:
        kinds = {
            401: ("invalid_request_error", "invalid_api_key"),
            403: ("permission_denied", "unsupported_country_region_territory"),
            429: ("rate_limit_exceeded", "rate_limit_exceeded"),
        }
        kind, code = kinds.get(status, ("server_error", None))
        sent = self.headers.get("Authorization", "").removeprefix("Bearer ")
        message = {
            401: f"Incorrect API key provided: {sent}. You can find your API key at "
                 "https://platform.openai.com/account/api-keys.",
            429: "Rate limit reached for requests. Please try again later.",
        }.get(status, "The server had an error while processing your request.")
        payload = {"error": {"message": message, "type": kind, "param": None, "code": code}}
        self._send(record, status, payload, **headers)

    def _authorized(self) -> bool:
        return self.headers.get("Authorization") == f"Bearer {self.fake.api_key}"

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        record = self._record(None)
        if not self._authorized():
            return self._error(record, 401)
        if self.path.rstrip("/") != "/v1/models":
            return self._send(record, 404, {"error": {"message": "not found", "type": "invalid"}})
        model = {"id": self.fake.model, "object": "model", "created": 0, "owned_by": "fake"}
        self._send(record, 200, {"object": "list", "data": [model]})

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw or b"null")
        except ValueError:
            body = None
        record = self._record(body)
        if not self._authorized():
            return self._error(record, 401)
        if self.path.rstrip("/") != "/v1/chat/completions" or not isinstance(body, dict):
            return self._send(record, 404, {"error": {"message": "not found", "type": "invalid"}})
        behaviour = self.fake._take(record.user_text) or _Behaviour("answer")
        if behaviour.kind == "hang":
            self.fake._stop.wait()
            self.close_connection = True
            return
        delay = self.fake.latency + (0 if behaviour.kind == "trickle" else behaviour.seconds)
        if delay and self.fake._stop.wait(delay):
            return
        if behaviour.kind == "raw":
            return self._send(record, behaviour.status, behaviour.text or "",
                              content_type=behaviour.content_type)
        if behaviour.kind == "error":
            headers = {}
            if behaviour.retry_after is not None:
                headers["Retry_After"] = f"{behaviour.retry_after:g}"
            return self._error(record, behaviour.status, **headers)
        messages = body.get("messages", [])
        text = behaviour.text if behaviour.text is not None else default_answer(messages)
        prompt_tokens = sum(_words(str(m.get("content", ""))) for m in messages)
        completion = {
            "id": f"chatcmpl-fake{len(self.fake.requests)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", self.fake.model),
            "choices": [{
                "index": 0,
                "message": {"role": "assistant", "content": text},
                "finish_reason": "stop",
                "logprobs": None,
            }],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": _words(text),
                "total_tokens": prompt_tokens + _words(text),
            },
        }
        trickle = behaviour.seconds if behaviour.kind == "trickle" else 0.0
        self._send(record, 200, completion, trickle=trickle, trickle_head=behaviour.headers)


@pytest.fixture
def llm_server() -> Iterator[FakeLLMServer]:
    """A fresh fake OpenAI-compatible server for one test."""
    server = FakeLLMServer().start()
    try:
        yield server
    finally:
        server.stop()
