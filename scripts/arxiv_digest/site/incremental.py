"""Incremental builds: `mkdocs build --dirty` renders only what changed since the build whose
site dir it starts from, and writes the same bytes as a build from scratch.

The state of a build is saved beside its site dir, in ``<site_dir>.build/`` (the publishing
workflow caches both): the build's key, what each generated page was made from, what each search
shard holds, the icons of the sprite, and the validator's check of each page with the digest of
the bytes it read. A build whose key differs (another template, hook, setting, package version
or site address) starts from nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from ..pages import schema
from ..pages.problems import PageCheck, Problem
from . import words
from .index import PageIndex
from .search import SHARDS_FILE
from .tags import Listing

#: The state's folder is the site dir's name with this suffix, beside it.
SUFFIX = ".build"
#: Bumped when the state's format changes.
FORMAT = 2
#: Packages whose version changes what a page looks like.
_PACKAGES = ("mkdocs", "mkdocs-material", "pagefind", "pagefind_bin", "markdown",
             "pymdown-extensions", "pydantic", "pyyaml", "arxiv-digest")
#: The package's own code and data (the renderers, the schema, the topic names).
_PACKAGE = Path(__file__).resolve().parent.parent


def state_dir(config: MkDocsConfig) -> Path:
    site = Path(config.site_dir)
    return site.with_name(site.name + SUFFIX)


def build_key(config: MkDocsConfig, also: Sequence[Path] = ()) -> str:
    """A digest of everything besides the docs that the built site depends on: the package's
    code, the hooks, the theme overrides, ``mkdocs.yml`` and ``pyproject.toml`` (settings),
    the versions of the packages that render pages, the configuration's addresses, and the
    files ``also`` (the docs' stylesheets, which every page links by a digest of them)."""
    digest = hashlib.blake2b(digest_size=16)
    project = Path(config.config_file_path).parent
    files = [Path(config.config_file_path), project / "pyproject.toml", *also]
    for folder in (_PACKAGE, project / "hooks", *map(Path, config.theme.dirs[:1])):
        files += sorted(p for p in folder.rglob("*")
                        if p.is_file() and "__pycache__" not in p.parts)
    for path in files:
        if path.is_file():
            digest.update(f"{path.name}\0".encode())
            digest.update(path.read_bytes())
    for package in _PACKAGES:
        try:
            digest.update(f"{package}={metadata.version(package)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package}=-\0".encode())
    digest.update(json.dumps([FORMAT, config.site_url, config.repo_url, config.site_name,
                              config.edit_uri, config.use_directory_urls,
                              Path(config.docs_dir).name]).encode())
    return digest.hexdigest()


@dataclass
class BuildState:
    """What one build of a site dir was made from."""

    key: str
    pages: dict[str, str] = field(default_factory=dict)
    """Paper, day and list page ``src_uri`` -> digest of what its HTML is made from."""
    shards: dict[str, str] = field(default_factory=dict)
    """Search shard -> digest of its papers."""
    icons: dict[str, list[str]] = field(default_factory=dict)
    """The sprite's icons (id -> viewBox, paths)."""
    outputs: list[str] = field(default_factory=list)
    """The files MkDocs wrote (``dest_uri``), to delete those a later build no longer makes."""
    checks: dict[str, tuple[str, PageCheck]] = field(default_factory=dict)
    """The validator's check of each paper and day page by ``src_uri``, with the digest of the
    file's bytes (kept one a line in ``checks.jsonl``, read a page at a time)."""

    @classmethod
    def load(cls, folder: Path, key: str) -> BuildState | None:
        """The state saved in ``folder``, or None when there is none or its key is another."""
        try:
            raw = json.loads((folder / "state.json").read_text("utf-8"))
            if not isinstance(raw, dict) or raw.get("key") != key:
                return None
            state = cls(key, raw["pages"], raw["shards"], raw["icons"], raw["outputs"])
            with open(folder / "checks.jsonl", encoding="utf-8") as lines:
                for line in lines:
                    head, _, page = line.rstrip("\n").partition("\t")
                    uri, digest, path, problems = json.loads(head)
                    state.checks[uri] = (digest, _check_of(uri, path, page, problems))
        except (OSError, ValueError, KeyError, TypeError):
            return None  # unreadable: a build from scratch
        return state

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "state.json").unlink(missing_ok=True)  # written last: a state is whole
        with open(folder / "checks.jsonl", "w", encoding="utf-8") as out:
            for uri, (digest, check) in self.checks.items():
                # JSON escapes tabs in strings: the first tab ends the head.
                head = json.dumps([uri, digest, check.path,
                                   [[p.key, p.message] for p in check.problems]])
                page = json.dumps(check.page.model_dump(mode="json"), separators=(",", ":")) \
                    if check.page is not None else ""
                out.write(f"{head}\t{page}\n")
        raw = {"key": self.key, "pages": self.pages, "shards": self.shards, "icons": self.icons,
               "outputs": self.outputs}
        (folder / "state.json").write_text(json.dumps(raw, separators=(",", ":")), "utf-8")


def _check_of(uri: str, path: str, page: str, problems: list[list[str]]) -> PageCheck:
    found: schema.ListedPaper | schema.DayPage | None = None
    if page and uri.startswith(f"{schema.PAPERS_DIR}/"):
        found = schema.PaperPage.model_validate_json(page).listed()
    elif page:
        found = schema.DayPage.model_validate_json(page)
    return PageCheck(path, found,
                     [Problem(path, key, message) for key, message in problems])


# ---------------------------------------------------------------- what pages are made from


def page_digests(index: PageIndex, digests: dict[str, str],
                 listings: list[Listing]) -> dict[str, str]:
    """For each paper, day and list page, a digest of what its HTML is made from: the same
    digest, the same page (given the same build key).

    ``digests`` holds the digest of each page file's bytes, by ``src_uri``.
    """
    out: dict[str, str] = {}
    paper_digest = {id(page): digests[uri] for uri, page in index.by_src.items()}
    for uri, page in index.by_src.items():
        if isinstance(page, schema.PAPER_PAGES):
            # A paper page links its day when the day has a page.
            out[uri] = _digest([digests[uri], page.meta.announced in index.days])
        else:
            date = page.meta.date
            out[uri] = _digest([digests[uri], [paper_digest[id(p)]
                                               for p in index.ordered_papers(page)],
                                [str(d) for d in index.announcement_neighbours(date)]])
    day_digest = {id(page.meta): digests[uri] for uri, page in index.by_src.items()
                  if isinstance(page, schema.DayPage)}
    known = {**paper_digest, **day_digest}
    for listing in listings:
        out[listing.uri] = _digest([listing.title, listing.feed_tag,
                                    _plain(listing.args, known)])
    return out


def _plain(value: Any, known: dict[int, str]) -> Any:
    """``value`` as JSON-able data, each page or day in it replaced by its file's digest."""
    if id(value) in known:
        return known[id(value)]
    if isinstance(value, (list, tuple)):
        return [_plain(v, known) for v in value]
    if isinstance(value, dict):
        return [[_plain(k, known), _plain(v, known)] for k, v in value.items()]
    if isinstance(value, (set, frozenset)):
        return sorted(str(_plain(v, known)) for v in value)
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return repr(value)


def _digest(value: Any) -> str:
    text = json.dumps(value, separators=(",", ":"), default=str)
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def shard_digest(papers: list[tuple[str, str]]) -> str:
    """The digest of a search shard from its papers' ``src_uri`` and file digests (a paper's
    record is made from its page and URL alone)."""
    return _digest(papers)


# ---------------------------------------------------------------- stale files


def prune(site_dir: Path, before: list[str], now: set[str]) -> None:
    """Delete the files the build before wrote and this one did not (a paper page removed, a
    tag no paper has any more), and the folders they leave empty."""
    for uri in before:
        if uri not in now:
            path = site_dir / uri
            path.unlink(missing_ok=True)
            for folder in path.parents:
                if folder == site_dir or not folder.is_dir() or any(folder.iterdir()):
                    break
                folder.rmdir()


def clean(site_dir: Path) -> None:
    """Empty ``site_dir``: there is no state to start from, so nothing in it can be trusted."""
    if site_dir.is_dir():
        for path in site_dir.iterdir():
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()


# ---------------------------------------------------------------- one incremental build


class IncrementalBuild:
    """The incremental side of one `mkdocs build --dirty`: it loads the state of the build
    before, tells which pages and search shards changed, and saves the new state."""

    def __init__(self) -> None:
        self.folder = Path()
        self.before: BuildState | None = None
        self.now = BuildState("")
        self.kept: set[str] = set()
        """``src_uri`` of the pages left as the build before wrote them (MkDocs excludes them
        from this build: no page object, nothing written)."""

    def start(self, config: MkDocsConfig, also: Sequence[Path] = ()) -> None:
        """Load the state beside the site dir; without one (or of another key), empty the site
        dir: every page is then written afresh. ``also``: files of the docs dir in the key."""
        self.folder = state_dir(config)
        self.now, self.kept = BuildState(build_key(config, also)), set()
        self.before = BuildState.load(self.folder, self.now.key)
        # Until this build saves its own, there is no state: a build that fails half-way leaves
        # pages the state would not describe, and the next build starts from nothing.
        (self.folder / "state.json").unlink(missing_ok=True)
        if self.before is None:
            clean(Path(config.site_dir))

    def known_checks(self) -> dict[str, tuple[str, PageCheck]]:
        """The validator's checks of the build before, by ``src_uri``."""
        return self.before.checks if self.before is not None else {}

    def plan(self, index: PageIndex, checks: dict[str, PageCheck], digests: dict[str, str],
             listings: list[Listing]) -> None:
        self.now.checks = {uri: (digests[uri], check) for uri, check in checks.items()}
        self.now.pages = page_digests(index, digests, listings)

    def changed(self, file: File) -> bool:
        """Whether the page of ``file`` must be written: what it is made from changed, or its
        HTML is missing. Pages the state does not track (home, About) are always written."""
        digest = self.now.pages.get(file.src_uri)
        if digest is None or self.before is None:
            return True
        return self.before.pages.get(file.src_uri) != digest or not os.path.isfile(
            file.abs_dest_path)

    def shards_to_write(self, shards: dict[str, list[tuple[str, schema.PaperPage]]],
                        bundle: Path) -> set[str]:
        """The search shards whose papers changed (or that are missing from ``bundle``, or from
        its word directory)."""
        self.now.shards = {name: shard_digest([(uri, self.now.pages[uri]) for uri, _ in papers])
                           for name, papers in shards.items()}
        before = self.before.shards if self.before is not None else {}
        listed = words.covered(bundle, SHARDS_FILE)
        return {name for name, digest in self.now.shards.items()
                if before.get(name) != digest or name not in listed
                or not (bundle / name / "pagefind-entry.json").is_file()}

    def icons(self, icons: dict[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
        """The sprite's icons: those of the pages written now and of those kept."""
        before = self.before.icons if self.before is not None else {}
        return {**{key: (box, body) for key, (box, body) in before.items()}, **icons}

    def finish(self, config: MkDocsConfig, files: Files,
               icons: dict[str, tuple[str, str]]) -> None:
        """Delete what this build no longer makes and save its state."""
        outputs = {file.dest_uri for file in files
                   if not file.inclusion.is_excluded() or file.src_uri in self.kept}
        if self.before is not None:
            prune(Path(config.site_dir), self.before.outputs, outputs)
        self.now.outputs = sorted(outputs)
        self.now.icons = {key: [box, body] for key, (box, body) in icons.items()}
        self.now.save(self.folder)
