"""The search index: one Pagefind record per paper, indexed by Pagefind's service process.

The records come from the parsed paper pages (title, authors, summary, id), not from the
built HTML, so indexing runs in its own process while MkDocs renders the site and only the final
write is left when the build ends. The service speaks base64-encoded JSON messages separated by
commas on stdin/stdout (the protocol of Pagefind's own Python and Node clients, which wait on
each reply; at 20,000 records that would take longer than the build).
"""

from __future__ import annotations

import base64
import contextlib
import importlib
import itertools
import json
import os
import queue
import re
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from ..errors import DigestError
from ..pages import schema
from . import names, render, words

LANGUAGE = "en"
#: The bundle's folder in the built site.
BUNDLE = "pagefind"
#: Scheduling priority of the indexer (``nice``): it indexes while MkDocs renders, and on a
#: machine with few cores MkDocs, which waits for nothing else, should get the CPU first.
NICENESS = 10
#: The environment of the indexer's allocator (the jemalloc of Pagefind's binary, which reads
#: its settings under this name): freed pages go back to the system at once instead of after
#: ten seconds, so an indexer's peak while it writes a shard is its live memory (67 against
#: 90 MB for a month's 660 papers). A setting of the environment wins; a binary that reads none
#: is unaffected.
ALLOCATOR = {"_RJEM_MALLOC_CONF": "dirty_decay_ms:0,muzzy_decay_ms:0"}
# Markdown that a reader may put in a bullet, reduced to its text for the index.
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MARKUP = re.compile(r"[*_`]+")


def paper_record(page: schema.PaperPage, url: str) -> dict[str, Any]:
    """The AddRecord payload of one paper: searchable text (its arXiv id included, which
    pagefind-search.js searches for when an id is typed), and the title, authors, announcement
    day and topics of a hit. No filter: Pagefind names its filter files differently from one
    build to the next, and the site is built the same every time.

    The abstract is not indexed: Pagefind keeps every indexed word twice (in the index and in
    the page's fragment, for the excerpt), and the abstract, three times the summary's length,
    cost 1.1 KB a paper, a tenth of the site. The summary restates what the paper does in the
    abstract's terms and gives a hit its excerpt; a word found only in an abstract no longer
    finds its paper. A paper without a summary yet is indexed by its abstract instead."""
    meta = page.meta
    authors = ", ".join(meta.authors)
    bullets = " ".join(_MARKUP.sub("", _LINK.sub(r"\1", b)) for b in page.bullets)
    text = bullets or meta.abstract or ""
    content = " ".join(part for part in (meta.title, authors, text, meta.arxiv_id) if part)
    topics = ", ".join(names.tag_name(t) for t in meta.topics)
    return {"type": "AddRecord", "url": url, "content": content, "language": LANGUAGE,
            "meta": {"title": meta.title, "authors": authors,
                     "day": render.long_date(meta.announced), "topics": topics},
            "filters": None, "sort": None}


def _executable() -> Path | None:
    """Pagefind's binary, found as ``pagefind.service.get_executable`` finds it."""
    # The binary packages know where their binary is; pagefind.service (which falls back to
    # PATH) loads asyncio first, a tenth of a second of every build's start.
    if not os.getenv("PAGEFIND_BINARY_PATH"):
        for package in ("pagefind_bin_extended", "pagefind_bin"):
            try:
                module = importlib.import_module(package)
            except ImportError:
                continue
            return Path(module.get_executable())
    from pagefind.service import get_executable

    return get_executable()


class Indexer:
    """A Pagefind service process that indexes records in the background and writes a bundle."""

    def __init__(self) -> None:
        executable = _executable()
        if executable is None:
            raise DigestError("the Pagefind binary is missing (pip install 'pagefind[bin]')",
                              where="search")
        # Started through nice(1), so that every thread of the indexer runs at its priority.
        nice = shutil.which("nice")
        command = [str(executable), "--service"]
        if nice:
            command = [nice, "-n", str(NICENESS), *command]
        self._process = subprocess.Popen(command, stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                         env={**ALLOCATOR, **os.environ})
        self._replies: dict[int, dict[str, Any]] = {}
        self._arrived = threading.Condition()
        self._errors: list[str] = []
        self._next_id = 0
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._index = self._ask({"type": "NewIndex", "config": None})["index_id"]

    def add_all(self, records: Iterable[dict[str, Any]]) -> None:
        """Send the records without waiting for each reply (errors surface in :meth:`write`)."""
        for record in records:
            self._send({**record, "index_id": self._index})

    def write(self, out_dir: Path) -> None:
        """Write the bundle into ``out_dir`` once every record sent so far is indexed."""
        # The service's files, written here: its own WriteFiles answers before the last of them
        # is on disk, and the service leaves them unfinished when its input ends.
        reply = self._ask({"type": "GetFiles", "index_id": self._index})
        if self._errors:
            raise DigestError(f"Pagefind rejected a record: {self._errors[0]}", where="search")
        for item in reply.get("files") or []:
            relative = Path(str(item["path"]))
            if relative.is_absolute() or ".." in relative.parts:
                raise DigestError(f"Pagefind named a file outside the bundle: {relative}",
                                  where="search")
            path = out_dir / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(base64.b64decode(item["content"]))

    def kill(self) -> None:
        """Stop indexing now (from any thread); the thread using the indexer then closes it."""
        if self._process.poll() is None:
            self._process.kill()

    def close(self) -> None:
        # The bundle's files came back through GetFiles: nothing is left for the service to do.
        self.kill()
        self._process.wait()
        self._reader.join()  # the process is gone: its output ends
        for pipe in (self._process.stdin, self._process.stdout):
            if pipe is not None:
                # Unflushed records of a cancelled index cannot be written any more.
                with contextlib.suppress(BrokenPipeError):
                    pipe.close()

    def _send(self, payload: dict[str, Any]) -> int:
        self._next_id += 1
        message = {"message_id": self._next_id, "payload": payload}
        assert self._process.stdin is not None
        try:
            self._process.stdin.write(base64.b64encode(json.dumps(message).encode()) + b",")
        except BrokenPipeError:
            raise DigestError("the Pagefind service stopped", where="search") from None
        return self._next_id

    def _ask(self, payload: dict[str, Any]) -> dict[str, Any]:
        wanted = self._send(payload)
        assert self._process.stdin is not None
        self._process.stdin.flush()
        with self._arrived:
            while wanted not in self._replies:
                if self._process.poll() is not None:
                    raise DigestError("the Pagefind service stopped", where="search")
                self._arrived.wait(timeout=1)
            reply = self._replies.pop(wanted)
        if reply.get("type") == "Error":
            raise DigestError(f"Pagefind: {reply.get('message')}", where="search")
        return reply

    def _read(self) -> None:
        assert self._process.stdout is not None
        pending = b""
        while chunk := self._process.stdout.read1(1 << 16):
            *messages, pending = (pending + chunk).split(b",")
            for raw in messages:
                message = json.loads(base64.b64decode(raw))
                payload = message.get("payload") or {}
                if payload.get("type") == "IndexedFile":
                    continue  # one per record: only failures matter
                if payload.get("type") == "Error":
                    self._errors.append(str(payload.get("message")))
                with self._arrived:
                    self._replies[message.get("message_id") or 0] = payload
                    self._arrived.notify_all()
        with self._arrived:
            self._arrived.notify_all()


#: Files of the bundle that the search box does not load: Pagefind's own UIs, and the
#: WebAssembly for pages of no language (every record is English).
_UNUSED = ("pagefind-*ui.*", "pagefind-highlight.js", "wasm.unknown.pagefind")
#: The primary bundle's folder beside the shards: Pagefind's code (``pagefind.js``, its worker
#: and its WebAssembly) once for all shards, with an index of one placeholder record (Pagefind
#: writes no index without a page). The search box loads Pagefind from it and merges into it
#: the shards a query needs; Pagefind loads the code of its primary bundle only, so a shard
#: keeps its index alone (~160 KB less a shard).
PRIMARY = "base"
#: Pagefind's code, kept in the primary bundle only.
_CODE = ("pagefind.js", "pagefind-worker.js", "wasm.*.pagefind")
#: The primary bundle's one record. The search box drops its hit (``shards.json`` names it).
_PLACEHOLDER = {"type": "AddRecord", "url": "/", "content": "0", "language": LANGUAGE,
                "meta": {}, "filters": None, "sort": None}
#: Written beside the shards: their names, newest first, the primary bundle's placeholder id,
#: and the word directory's part (see words.py): pagefind-search.js loads Pagefind from the
#: primary bundle and merges into it the shards that may hold a query (Pagefind's
#: ``mergeIndex``).
SHARDS_FILE = "shards.json"
#: Beside a shard written in ``pagefind.new/``: its words, one a line, for the word directory.
WORDS = ".words"


def shard_of(page: schema.PaperPage) -> str:
    """The search shard of a paper: the month of its announcement (``2026-01`` to ``2026-12``).
    An indexer holds one shard at a time, so its memory is that of a month's papers whatever
    the archive's size (Pagefind needs about 110 KB a paper to write an index: ~75 MB for the
    650 papers of a month at 21 a day, ~225 MB for a quarter's), and an edit re-indexes one
    month. pagefind-search.js finds the shards of an arXiv id's month by these names."""
    announced = page.meta.announced
    return f"{announced.year}-{announced.month:02d}"


class RecordFeed:
    """The search records of a build's paper pages, handed over as each page is written (from
    the page the build read for it: no file is read again). They wait in a spool file per shard,
    not in memory, until the shard's last paper is in; the shard then goes to the indexer while
    the other pages render. Pages come in the order of their files, as the index lists them, so
    each shard's records are in the order a build from the index would give."""

    def __init__(self, papers: dict[str, list[tuple[str, schema.PaperPage]]]) -> None:
        self.papers = papers
        """The paper pages (``src_uri``, page) of each shard to write."""
        self.left = {name: len(pages) for name, pages in papers.items()}
        """Papers of each shard not handed over yet."""
        self.fed: set[str] = set()
        self.folder = Path(tempfile.mkdtemp(prefix="digest-search-"))
        self.spools: dict[str, IO[str]] = {}
        self.ready: queue.Queue[str | None] = queue.Queue()

    def add(self, uri: str, page: schema.PaperPage, url: str) -> None:
        """Hand over the record of the paper page ``uri`` (``page`` with its abstract)."""
        name = shard_of(page)
        if self.left.get(name, 0) <= 0 or uri in self.fed:
            return  # not in a shard this build writes
        self.fed.add(uri)
        spool = self._spool(name)
        spool.write(json.dumps(paper_record(page, url)) + "\n")
        self.left[name] -= 1
        if not self.left[name]:
            spool.close()
            self.ready.put(name)

    def complete(self, record: Callable[[str, schema.PaperPage], dict[str, Any]]) -> None:
        """Hand over, through ``record``, the papers whose page was not written (a draft
        page, which ``mkdocs build`` leaves out); then the feed ends."""
        for name, left in self.left.items():
            if left > 0:
                spool = self._spool(name)
                for uri, page in self.papers[name]:
                    if uri not in self.fed:
                        spool.write(json.dumps(record(uri, page)) + "\n")
                spool.close()
                self.left[name] = 0
                self.ready.put(name)
        self.close()

    def _spool(self, name: str) -> IO[str]:
        spool = self.spools.get(name)
        if spool is None or spool.closed:
            # Open while its shard's pages come in, across many calls: closed when complete.
            spool = self.spools[name] = open(self.folder / name, "a", encoding="utf-8")  # noqa: SIM115
        return spool

    def close(self) -> None:
        """End the feed (the indexer stops after the shards ready so far)."""
        self.ready.put(None)

    def __iter__(self) -> Iterator[tuple[str, Iterator[dict[str, Any]]]]:
        try:
            while (name := self.ready.get()) is not None:
                yield name, self._records(name)
        finally:
            for spool in self.spools.values():
                spool.close()
            shutil.rmtree(self.folder, ignore_errors=True)

    def _records(self, name: str) -> Iterator[dict[str, Any]]:
        with open(self.folder / name, encoding="utf-8") as spool:
            for line in spool:
                yield json.loads(line)
        (self.folder / name).unlink()


class SearchJob:
    """The search shards being written into ``site/pagefind.new/<shard>/``, one indexer process
    after another, by a thread; ``publish`` swaps them into ``site/pagefind/`` when written.
    ``shards`` gives each shard's name and records, as they are ready; ``names`` are all the
    site's shards: those not in ``shards`` are already in place."""

    def __init__(self, shards: Iterable[tuple[str, Iterable[dict[str, Any]]]], site: Path, *,
                 publish: bool, names: list[str]) -> None:
        self.site, self.publish = site, publish
        self.names = sorted(names, reverse=True)
        self.error: BaseException | None = None
        self.indexer: Indexer | None = None
        self.cancelled = False
        self.thread = threading.Thread(target=self._run, args=(shards,), daemon=True)
        self.thread.start()

    def _run(self, shards: Iterable[tuple[str, Iterable[dict[str, Any]]]]) -> None:
        new = self.site / f"{BUNDLE}.new"
        try:
            shutil.rmtree(new, ignore_errors=True)
            new.mkdir(parents=True)
            # Written with every build's shards, so that its code is of the same Pagefind.
            shards = itertools.chain([(PRIMARY, [_PLACEHOLDER])], shards)
            for name, records in shards:
                self.indexer = Indexer()
                try:
                    if self.cancelled:
                        return
                    held: set[str] = set()
                    self.indexer.add_all(_noting(records, held))
                    self.indexer.write(new / name)
                    # On disk until the directory is updated, not in memory while pages render.
                    if name != PRIMARY:
                        (new / f"{name}{WORDS}").write_text("\n".join(sorted(held)), "utf-8")
                    del held
                finally:
                    self.indexer.close()
            if self.publish and not self.cancelled:
                publish(self.site, self.names)
        except (DigestError, OSError) as err:
            self.error = err

    def finish(self) -> None:
        """Wait for the shards and swap them in; raises DigestError if one could not be
        written."""
        self.thread.join()
        if self.error is not None:
            raise DigestError(str(self.error), where="search")
        publish(self.site, self.names)

    def cancel(self) -> None:
        self.cancelled = True
        if self.indexer is not None:
            self.indexer.kill()
        self.thread.join(timeout=30)


def _noting(records: Iterable[dict[str, Any]], held: set[str]) -> Iterator[dict[str, Any]]:
    """``records``, their words added to ``held`` as they pass."""
    for record in records:
        held.update(words.record_words(record))
        yield record


def _read_words(path: Path) -> Iterator[str]:
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            yield line.rstrip("\n")


def publish(site: Path, names: list[str]) -> None:
    """Swap the freshly written shards in place of the old ones, drop the shards no paper is in
    any more, update the word directory with the words of the shards written, and list the
    shards (newest first) for the search box."""
    new, bundle = site / f"{BUNDLE}.new", site / BUNDLE
    bundle.mkdir(parents=True, exist_ok=True)
    written: dict[str, Iterable[str]] = {}
    for fresh in sorted(new.iterdir()) if new.is_dir() else []:
        if not fresh.is_dir():
            continue  # a shard's word list
        unused = _UNUSED
        if fresh.name != PRIMARY:
            listed = new / f"{fresh.name}{WORDS}"
            if not listed.is_file():
                raise DigestError(f"the search shard {fresh.name} was written without its "
                                  "words", where="search")
            written[fresh.name] = _read_words(listed)
            unused += _CODE
        for pattern in unused:
            for path in fresh.glob(pattern):
                path.unlink()
        old = bundle / fresh.name
        trash = new / f"{fresh.name}.old"
        if old.exists():
            old.rename(trash)
        fresh.rename(old)
        shutil.rmtree(trash, ignore_errors=True)
    for path in bundle.iterdir():
        if path.name not in names and path.name not in (SHARDS_FILE, words.FOLDER, PRIMARY):
            # A shard no paper belongs to any more, or a single bundle of an older build.
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
    try:
        directory = words.update(bundle, SHARDS_FILE, names, written)
    except OSError as err:
        raise DigestError(f"the search's word directory could not be written: {err}",
                          where="search") from None
    finally:
        shutil.rmtree(new, ignore_errors=True)
    listing = json.dumps({"shards": names, "placeholder": placeholder(bundle),
                          "words": directory}, separators=(",", ":"))
    (bundle / SHARDS_FILE).write_text(listing + "\n", "utf-8")


def placeholder(bundle: Path) -> str:
    """The Pagefind id of the primary bundle's placeholder record (its fragment's name), which
    the search box leaves out of every result."""
    fragments = sorted((bundle / PRIMARY / "fragment").glob("*.pf_fragment"))
    if len(fragments) != 1:
        raise DigestError(f"the search's primary bundle {bundle / PRIMARY} holds "
                          f"{len(fragments)} records instead of its placeholder", where="search")
    return fragments[0].name.removesuffix(".pf_fragment")
