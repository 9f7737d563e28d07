"""The quiet lines under a paper's summary: who wrote it, when, from what, and its history
(a link palette.js writes)."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page

from ..pages.schema import EXTRACTIVE, PAPERS_DIR, Paper, paper_slug
from .escape import html_text

#: ``summary.by`` values that are not a model's name.
_READERS = {"human": "Summary edited by readers",
            "legacy": "Summary from the digest's first edition"}
_SEP = " · "


def history_url(repo_url: str, arxiv_id: str, *, branch: str = "main",
                docs_dir: str = "docs") -> str:
    """The GitHub page listing the commits of this paper's page (who fixed what, and when)."""
    path = f"{docs_dir.strip('/')}/{PAPERS_DIR}/{paper_slug(arxiv_id)}.md"
    return f"{repo_url.rstrip('/')}/commits/{branch}/{path}"


def provenance_html(paper: Paper) -> str:
    """One line of HTML saying who wrote the summary, when, with which prompt, from which
    version of the abstract and how it was checked. palette.js adds the "history" link
    (``script_links``) where the site has a repository.

    ``<p class="digest-provenance">Summary by gpt-4o-mini on 2026-04-27 · prompt v2 · from the
    abstract of v1 · checked against the abstract</p>``
    """
    info = paper.summary
    parts: list[str] = []
    if info.by in _READERS:
        parts.append(_READERS[info.by])
    elif info.by == EXTRACTIVE:
        reason = ("the model's summary did not match the abstract" if info.grounding == "failed"
                  else "no model")
        parts.append(f"Summary: sentences of the abstract ({reason})")
    else:
        parts.append(f"Summary by {html_text(info.by)}")
    if info.at is not None and info.by not in _READERS:
        day = info.at.date().isoformat()
        parts[0] += f' on <time datetime="{day}">{day}</time>'
    if info.prompt is not None and info.by not in _READERS and info.by != EXTRACTIVE:
        parts.append(f"prompt v{info.prompt}")
    version = info.version or (paper.version if info.by not in _READERS else None)
    if version is not None:
        parts.append(f"from the abstract of v{version}")
    grounding = _grounding(paper) if info.by not in _READERS else ""
    if grounding:
        parts.append(grounding)
    return f'<p class="digest-provenance">{_SEP.join(parts)}</p>'


#: Where the page's file stem goes in ``script_links``' addresses.
_STEM = "@"


def script_links(config: MkDocsConfig) -> dict[str, list[str]]:
    """The edit and history addresses of a paper page as palette.js writes them: each the part
    before and after the page's file stem (``paper_slug``), or missing where the site has no
    repository. The edit address is MkDocs' own (``Page.edit_url``, from ``repo_url`` and
    ``edit_uri``), the address every page's edit button had."""
    links: dict[str, list[str]] = {}
    file = File(f"{PAPERS_DIR}/{_STEM}.md", config.docs_dir, config.site_dir,
                config.use_directory_urls)
    edit = Page(None, file, config).edit_url
    if edit:
        links["edit"] = edit.rsplit(_STEM, 1)
    if config.repo_url:
        history = history_url(config.repo_url, _STEM, docs_dir=Path(config.docs_dir).name)
        links["history"] = history.rsplit(_STEM, 1)
    return links


def version_notice_html(paper: Paper) -> str:
    """"summary of v1 · v3 available" (v3 linking to arXiv) when arXiv has a newer version
    than the one summarized, else ``""``."""
    latest = paper.revised
    if latest is None:
        return ""
    url = html_text(f"https://arxiv.org/abs/{paper.arxiv_id}v{latest}")
    return (f'<p class="digest-revised">summary of v{paper.summarized_version}{_SEP}'
            f'<a href="{url}">v{latest} available</a></p>')


def _grounding(paper: Paper) -> str:
    info = paper.summary
    if info.grounding == "passed":
        return "checked against the abstract"
    if info.grounding == "repaired" and info.failed:
        numbers = [str(n) for n in info.failed]
        which = numbers[0] if len(numbers) == 1 else ", ".join(numbers[:-1]) + " and " + numbers[-1]
        if len(numbers) == 1:
            return f"bullet {which} replaced by a sentence of the abstract (not found in it)"
        return f"bullets {which} replaced by sentences of the abstract (not found in it)"
    return ""
