"""Paper pages in full as the validator read them, kept on disk for the build that asked.

The site's index holds each paper without its abstract, comment and body (at 100,000 papers
they would be half of its memory), but a paper's own page, its search record and its feed entry
need them. Parsing the file again costs most of what its check did (YAML and the schema); so
the validator pickles each full page it checks into a spool file of its process, and the build
takes the page from there.
"""

from __future__ import annotations

import os
import pickle
import shutil
import tempfile
import threading

from .schema import PaperPage

Slot = tuple[str, int, int]
"""Where a page is: spool file name, offset, length."""


class SpoolWriter:
    """Appends pickled pages to one spool file (each process checking pages has its own)."""

    def __init__(self, folder: str, name: str) -> None:
        self.name = name
        self.handle = open(os.path.join(folder, name), "wb")  # noqa: SIM115 - closed by close()
        self.offset = 0

    def add(self, page: PaperPage) -> Slot:
        data = pickle.dumps(page, protocol=pickle.HIGHEST_PROTOCOL)
        self.handle.write(data)
        slot = (self.name, self.offset, len(data))
        self.offset += len(data)
        return slot

    def close(self) -> None:
        self.handle.close()


#: A slot as :class:`PageSpool` keeps it, in one int: spool file, offset and length in bits
#: from the top (a tuple of three is 120 bytes more a page: 12 MB at 100,000 papers).
_LENGTH_BITS = 32
_OFFSET_BITS = 48


class PageSpool:
    """The spool files of one validation (in a private temporary folder) and where each paper's
    page is in them; :meth:`close` deletes them. Pages are read from any thread."""

    def __init__(self) -> None:
        self.folder = tempfile.mkdtemp(prefix="digest-pages-")
        self.slots: dict[str, int] = {}
        """Slot of each paper page by path relative to the docs dir (``papers/x.md``), packed
        (:meth:`add`)."""
        self.names: list[str] = []
        """The spool files' names, by number in a packed slot."""
        self._files: dict[str, int] = {}
        self._lock = threading.Lock()

    def add(self, relative: str, slot: Slot) -> None:
        """Keep where the full page of the paper file ``relative`` is."""
        name, offset, length = slot
        if name not in self.names:
            self.names.append(name)
        if offset >> _OFFSET_BITS or length >> _LENGTH_BITS:
            raise ValueError(f"spool slot out of range: {slot}")
        number = self.names.index(name)
        self.slots[relative] = (number << _OFFSET_BITS | offset) << _LENGTH_BITS | length

    def page(self, relative: str) -> PaperPage | None:
        """The full page of the paper file ``relative`` as its check read it (None if it was not
        checked into this spool)."""
        packed = self.slots.get(relative)
        if packed is None:
            return None
        length = packed & ((1 << _LENGTH_BITS) - 1)
        offset = (packed >> _LENGTH_BITS) & ((1 << _OFFSET_BITS) - 1)
        name = self.names[packed >> (_LENGTH_BITS + _OFFSET_BITS)]
        with self._lock:
            fd = self._files.get(name)
            if fd is None:
                fd = self._files[name] = os.open(os.path.join(self.folder, name), os.O_RDONLY)
        page = pickle.loads(os.pread(fd, length, offset))  # noqa: S301 - written by this build
        return page if isinstance(page, PaperPage) else None

    def close(self) -> None:
        with self._lock:
            self.slots = {}
            for fd in self._files.values():
                os.close(fd)
            self._files = {}
        shutil.rmtree(self.folder, ignore_errors=True)
