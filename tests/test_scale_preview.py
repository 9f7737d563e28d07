"""Preview: `mkdocs serve --dirty` shows an edited paper page."""

from __future__ import annotations

import sys

import pytest

from tests.site_support import ROOT, make_docs

# The benchmark's page generator and preview probe live beside it in scripts/.
if str(ROOT / "scripts") not in sys.path:
    sys.path.append(str(ROOT / "scripts"))
import bench_site  # noqa: E402
from synthetic_docs import generate_docs  # noqa: E402


@pytest.mark.slow
def test_serve_dirty_shows_an_edited_summary(tmp_path) -> None:
    docs = make_docs(tmp_path / "docs")
    papers = generate_docs(docs, 90)
    # Edits the first bullet of the paper page, then polls the served page until it shows it
    # (SystemExit if it never does). How fast is the benchmark's figure (bench_site.py
    # --preview), not this test's: a timed test fails on a loaded machine.
    bench_site.measure_preview(docs, papers[40], timeout=120)
    log = (tmp_path / "serve.log").read_text("utf-8")
    assert "Documentation built" in log
    assert "Error" not in log and "Traceback" not in log, log[-3000:]
