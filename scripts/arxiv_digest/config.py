"""Settings: defaults, then ``[tool.arxiv-digest]`` in pyproject.toml, then the environment."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from .errors import DigestError

DEFAULT_CATEGORIES = ("cs.AI", "cs.CL", "cs.ET", "cs.LG", "cs.NE", "stat.ML")


@dataclass(frozen=True)
class Settings:
    """Everything a run needs to know that is not a command-line argument."""

    categories: tuple[str, ...] = DEFAULT_CATEGORIES
    """arXiv categories whose daily listings are read."""
    docs_dir: Path = Path("docs")
    """The MkDocs ``docs_dir`` that holds ``papers/`` and ``days/``."""
    rss_url: str = "https://rss.arxiv.org/rss/{category}"
    """Listing feed per category (``ARXIV_RSS_URL``); ``{category}`` is replaced."""
    api_url: str = "https://export.arxiv.org/api/query"
    """arXiv API endpoint (``ARXIV_API_URL``)."""
    delay_seconds: float = 3.0
    """Pause between requests to arXiv (``ARXIV_DELAY_SECONDS``); arXiv's terms ask for 3 s."""
    http_timeout: float = 30.0
    """Seconds a request to arXiv or the LLM may wait for more bytes (``DIGEST_HTTP_TIMEOUT``)."""
    http_deadline: float = 120.0
    """Seconds a whole request may take, however its server trickles (``DIGEST_HTTP_DEADLINE``)."""
    retries: int = 4
    """Retries after a failed request, with exponential backoff (``DIGEST_RETRIES``)."""
    backoff_seconds: float = 5.0
    """First backoff pause; doubled on each retry, never shorter than Retry-After."""
    model: str = "gpt-4o-mini"
    """Chat model that writes the summaries (``DIGEST_MODEL``)."""
    openai_base_url: str | None = None
    """OpenAI-compatible server (``OPENAI_BASE_URL``); ``None`` means the SDK's default."""
    openai_api_key: str | None = field(default=None, repr=False)
    """API key (``OPENAI_API_KEY``); never printed. No key means extractive summaries."""
    concurrency: int = 8
    """Summaries requested at once (``DIGEST_CONCURRENCY``)."""
    llm_filter: bool = False
    """Let the LLM judge each day's kept and near-miss papers (``DIGEST_LLM_FILTER``)."""
    cache_dir: Path = Path(".cache/arxiv-digest")
    """Where LLM answers are cached (``DIGEST_CACHE_DIR``)."""
    recheck_days: int = 30
    """Papers of this many days before the fetched one are re-checked for newer arXiv versions,
    in the same API requests (``DIGEST_RECHECK_DAYS``; 0 turns the re-check off)."""
    list_page_items: int = 400
    """Most papers a tag's or month's page lists, and days the archive page lists; longer lists
    go on more pages (``DIGEST_LIST_PAGE_ITEMS``)."""
    sitemap_urls: int = 50_000
    """Most URLs in one sitemap file (``DIGEST_SITEMAP_URLS``; the protocol's limit)."""


_ENV = {
    "ARXIV_RSS_URL": "rss_url",
    "ARXIV_API_URL": "api_url",
    "ARXIV_DELAY_SECONDS": "delay_seconds",
    "DIGEST_HTTP_TIMEOUT": "http_timeout",
    "DIGEST_HTTP_DEADLINE": "http_deadline",
    "DIGEST_RETRIES": "retries",
    "DIGEST_BACKOFF_SECONDS": "backoff_seconds",
    "DIGEST_MODEL": "model",
    "OPENAI_BASE_URL": "openai_base_url",
    "OPENAI_API_KEY": "openai_api_key",
    "DIGEST_CONCURRENCY": "concurrency",
    "DIGEST_LLM_FILTER": "llm_filter",
    "DIGEST_CACHE_DIR": "cache_dir",
    "DIGEST_RECHECK_DAYS": "recheck_days",
    "DIGEST_LIST_PAGE_ITEMS": "list_page_items",
    "DIGEST_SITEMAP_URLS": "sitemap_urls",
    "DIGEST_CATEGORIES": "categories",
    "DIGEST_DOCS_DIR": "docs_dir",
}


def _coerce(name: str, raw: object, source: str) -> object:
    kind = {f.name: f.type for f in fields(Settings)}[name]
    try:
        if kind == "tuple[str, ...]":
            items = raw.split(",") if isinstance(raw, str) else list(raw)  # type: ignore[arg-type]
            return tuple(str(c).strip() for c in items if str(c).strip())
        if kind == "Path":
            return Path(str(raw))
        if kind == "float":
            return float(raw)  # type: ignore[arg-type]
        if kind == "int":
            return int(raw)  # type: ignore[call-overload]
        if kind == "bool":
            return str(raw).strip().lower() in {"1", "true", "yes", "on"}
        return None if raw in ("", None) else str(raw)
    except (TypeError, ValueError) as err:
        raise DigestError(f"invalid value {raw!r} ({err})", where=source) from None


def load_settings(project_dir: Path | None = None, **overrides: object) -> Settings:
    """Read settings for the project in ``project_dir`` (default: the current directory)."""
    project_dir = project_dir or Path.cwd()
    values: dict[str, object] = {}
    pyproject = project_dir / "pyproject.toml"
    if pyproject.is_file():
        try:
            table = tomllib.loads(pyproject.read_text("utf-8"))
        except tomllib.TOMLDecodeError as err:
            raise DigestError(str(err), where=str(pyproject)) from None
        section = table.get("tool", {}).get("arxiv-digest", {})
        known = {f.name for f in fields(Settings)}
        for key, raw in section.items():
            name = key.replace("-", "_")
            if name not in known or name == "openai_api_key":
                raise DigestError("unknown setting", where=f"{pyproject} [tool.arxiv-digest] {key}")
            values[name] = _coerce(name, raw, f"{pyproject} [tool.arxiv-digest] {key}")
        if "docs_dir" in values and not Path(str(values["docs_dir"])).is_absolute():
            values["docs_dir"] = project_dir / str(values["docs_dir"])
    for env, name in _ENV.items():
        if env in os.environ:
            values[name] = _coerce(name, os.environ[env], env)
    values.update({k: v for k, v in overrides.items() if v is not None})
    return replace(Settings(), **values)  # type: ignore[arg-type]
