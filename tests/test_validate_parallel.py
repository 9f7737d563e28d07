"""The page checks shared between two processes give exactly the verdict of one process."""

from __future__ import annotations

import shutil
from pathlib import Path

from arxiv_digest.pages import schema
from arxiv_digest.pages.parallel import CHUNK
from arxiv_digest.pages.spool import PageSpool
from arxiv_digest.pages.validate import validate_docs

from tests.site_support import make_docs, sample_paper, write_day, write_paper


def test_two_processes_find_the_same_problems_and_pages(tmp_path: Path) -> None:
    docs = make_docs(tmp_path / "docs")
    ids = []
    papers = 2 * CHUNK + 40  # the second process's half comes back in two chunks
    for n in range(papers):
        paper = sample_paper(f"2604.{n:05d}")
        write_paper(docs, paper)
        ids.append(paper.arxiv_id)
    write_day(docs, schema.Day(date=sample_paper().announced, status="announced", papers=ids))
    # Bad pages in both halves: a key given twice, an unknown key, a name that is not its id.
    first, last = schema.paper_path(docs, ids[1]), schema.paper_path(docs, ids[-2])
    first.write_text(first.read_text("utf-8").replace("version: 1\n", "version: 1\nversion: 2\n"))
    last.write_text(last.read_text("utf-8").replace("version: 1\n", "version: 1\nflavour: x\n"))
    shutil.copy(schema.paper_path(docs, ids[5]), docs / "papers" / "2604.99999.md")
    one, two = validate_docs(docs, jobs=1), validate_docs(docs, jobs=2)
    assert len(one.problems) >= 3
    assert [str(p) for p in two.problems] == [str(p) for p in one.problems]
    assert two.papers == one.papers and two.days == one.days
    assert (two.paper_files, two.day_files) == (one.paper_files, one.day_files) == (papers + 1, 1)


def test_the_full_pages_kept_for_a_build_are_those_its_files_hold(tmp_path: Path) -> None:
    docs = make_docs(tmp_path / "docs")
    ids = [f"2604.{n:05d}" for n in range(CHUNK + 20)]  # the child's pages in two chunks
    for arxiv_id in ids:
        write_paper(docs, sample_paper(arxiv_id))
    broken = schema.paper_path(docs, ids[3])
    broken.write_text(broken.read_text("utf-8").replace("version: 1\n", "flavour: x\n"))
    write_day(docs, schema.Day(date=sample_paper().announced, status="announced", papers=ids))
    for jobs in (1, 2):
        spool = PageSpool()
        try:
            validation = validate_docs(docs, jobs=jobs, spool=spool)
            kept = {relative: spool.page(relative) for relative in validation.papers}
            assert len(kept) == len(ids) - 1 and f"papers/{ids[3]}.md" not in spool.slots
            for relative, page in kept.items():
                assert page == schema.read_paper(docs / relative)
                assert page is not None and page.meta.abstract and page.body
                assert validation.papers[relative] == page.listed()
        finally:
            spool.close()
        assert not Path(spool.folder).exists() and spool.page(f"papers/{ids[0]}.md") is None
