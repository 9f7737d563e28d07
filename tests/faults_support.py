"""A whole digest rig for fault tests: fake arXiv and LLM servers, a docs dir, the real command."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from arxiv_digest import cli
from arxiv_digest.pages import schema

from tests.fakes.arxiv_server import ArxivServer, FakePaper, synthetic_papers
from tests.fakes.llm_server import FakeLLMServer

EPOCH = "1777300000"
"""SOURCE_DATE_EPOCH: every run stamps the same ``summary.at``, so runs compare byte for byte."""
SECRET = "sk-faults-RECOGNISABLE-7f3a9c1e5b"
"""An API key no output may ever contain."""
CLI = [sys.executable, "-c", "from arxiv_digest.cli import main; main()"]


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def last_line(self) -> str:
        lines = self.err.strip().splitlines()
        return lines[-1] if lines else ""


@dataclass
class Rig:
    arxiv: ArxivServer
    llm: FakeLLMServer
    root: Path
    monkeypatch: pytest.MonkeyPatch
    capsys: pytest.CaptureFixture[str]

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    @property
    def cache(self) -> Path:
        return self.root / "cache"

    def environ(self, *, key: str | None = None, **extra: str) -> dict[str, str]:
        """Environment of a run against the fakes; ``key`` None means no OPENAI_API_KEY."""
        env = {name: value for name, value in os.environ.items()
               if not name.startswith(("DIGEST_", "ARXIV_", "OPENAI_"))}
        env.update(self.arxiv.env())
        env.update({"OPENAI_BASE_URL": self.llm.base_url, "DIGEST_MODEL": self.llm.model,
                    "DIGEST_CACHE_DIR": str(self.cache), "SOURCE_DATE_EPOCH": EPOCH,
                    "DIGEST_HTTP_TIMEOUT": "1", "DIGEST_BACKOFF_SECONDS": "0.01"})
        if key is not None:
            env["OPENAI_API_KEY"] = key
        env.update(extra)
        return env

    def run(self, *args: str, key: str | None = None, docs: Path | None = None,
            **extra: str) -> Result:
        """``arxiv-digest ARGS --docs-dir DOCS`` in this process (fast); code and output."""
        for name in list(os.environ):
            if name.startswith(("DIGEST_", "ARXIV_", "OPENAI_")):
                self.monkeypatch.delenv(name)
        for name, value in self.environ(key=key, **extra).items():
            self.monkeypatch.setenv(name, value)
        self.monkeypatch.setattr(sys, "argv",
                                 ["arxiv-digest", *args, "--docs-dir", str(docs or self.docs)])
        self.capsys.readouterr()
        try:
            cli.main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        captured = self.capsys.readouterr()
        return Result(code, captured.out, captured.err)

    def spawn(self, *args: str, key: str | None = None, docs: Path | None = None,
              **extra: str) -> subprocess.Popen[str]:
        """The same command in a child process (to kill it, or run two at once)."""
        return subprocess.Popen(
            [*CLI, *args, "--docs-dir", str(docs or self.docs)], env=self.environ(key=key, **extra),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=self.root,
        )

    def files(self, docs: Path | None = None) -> dict[str, bytes]:
        """Every file under the docs dir (temp and lock files included), by relative path."""
        root = docs or self.docs
        if not root.is_dir():
            return {}
        return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
                if p.is_file()}

    def pages(self, docs: Path | None = None) -> dict[str, bytes]:
        return {k: v for k, v in self.files(docs).items() if k.endswith(".md")}


def efficient_papers(n: int, start: int = 1) -> list[FakePaper]:
    """Synthetic cs.LG papers that the relevance filter keeps."""
    return synthetic_papers(n, category="cs.LG", start=start)


def assert_every_page_whole(docs: Path) -> int:
    """Each page under ``docs`` parses; no temp file is visible as a page; returns the count."""
    count = 0
    for path in sorted(docs.rglob("*.md")):
        assert path.stat().st_size > 0, f"empty page {path}"
        if path.parent.name == schema.PAPERS_DIR:
            schema.read_paper(path)
        elif path.parent.name == schema.DAYS_DIR:
            schema.read_day(path)
        count += 1
    return count


def gaps(times: list[float]) -> list[float]:
    return [b - a for a, b in zip(times, times[1:], strict=False)]


@pytest.fixture
def rig(arxiv_server: ArxivServer, llm_server: FakeLLMServer, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Rig:
    monkeypatch.chdir(tmp_path)
    return Rig(arxiv_server, llm_server, tmp_path, monkeypatch, capsys)
