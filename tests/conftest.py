"""Shared fixtures. Fake arXiv and LLM servers live in tests/fakes/ and are imported here."""
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.fakes.arxiv_server import arxiv_server  # noqa: F401
from tests.fakes.llm_server import llm_server  # noqa: F401
from tests.faults_support import rig  # noqa: F401


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless chromium for a module's browser tests (skipped where Playwright is missing)."""
    from tests.site_support import launch_chromium

    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """The sample pages built once with the project's mkdocs.yml, and their roles; tests that
    take it only read the site."""
    from tests.site_support import build_site, make_docs, write_sample_pages

    root = tmp_path_factory.mktemp("sample-site")
    docs = make_docs(root / "docs")
    roles = write_sample_pages(docs)
    build_site(docs, root / "site")
    return root / "site", roles
