"""The word directory of the search shards: which shards hold a word, so that the search box
merges only those (pagefind-search.js, search-words.js).

Written beside the shards as ``pagefind/words/<prefix>.json``. A file holds the words that start
with its prefix (two letters or digits, longer where a prefix has too many words), grouped by
the set of shards that hold them: ``{"0-3,7": "rsion rsions", ...}``, a key naming shards by
their place in the directory's own list (oldest first, so that a new month adds a number and
renumbers nothing), a value listing the words without the prefix. A file that would be larger
than :data:`FILE_BYTES` keeps only the word equal to its prefix and names, under ``"+"``, the
next characters whose longer files exist. ``shards.json`` gives the directory's shard list and
the two-character prefixes under ``"words"``.

The words are a superset of what Pagefind indexes: every word of a record's text and metadata,
lower-cased, its diacritics dropped, as a whole (its punctuation removed) and in parts (split
at anything but a letter or digit, and at camelCase humps). A word of one character is left
out: the search box asks the directory only about words of two or more.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

#: The directory's folder inside the bundle.
FOLDER = "words"
#: A file larger than this is split by the next character of its words.
FILE_BYTES = 8_000
#: The longest prefix a file is split to (a guard against pathological words).
MAX_PREFIX = 24
_HUMPS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+")
_RUNS = re.compile(r"[a-z0-9]+")
_NOT_WORD = re.compile(r"[^a-z0-9]")


def _plain(text: str) -> str:
    """``text`` without its combining marks (é → e), as Pagefind compares words."""
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFD", text)
                   if not unicodedata.combining(c))


def text_words(text: str) -> set[str]:
    """The directory's words of ``text`` (see the module's docstring)."""
    text = _plain(text)
    words = set(_RUNS.findall(text.lower()))
    for token in set(text.split()):
        if not token.isalnum():  # a hyphen, an apostrophe, a dot: also the whole
            words.add(_NOT_WORD.sub("", token.lower()))
        if not (token.islower() or token.isupper() or token.istitle()):  # camelCase humps
            words.update(map(str.lower, _HUMPS.findall(token)))
    words.discard("")
    return {word for word in words if len(word) > 1}


def record_words(record: dict[str, Any]) -> set[str]:
    """The words of one Pagefind record: its content and its metadata (which Pagefind searches
    too: a record's day is found by its month's name)."""
    meta = record.get("meta") or {}
    return text_words(" ".join([str(record.get("content") or ""),
                                *(str(value) for value in meta.values())]))


# ---------------------------------------------------------------- encoding


def _key(places: list[int]) -> str:
    """Shard places (ascending) as ranges: ``[0, 1, 2, 5]`` → ``"0-2,5"``."""
    parts, start = [], 0
    for i in range(1, len(places) + 1):
        if i == len(places) or places[i] != places[i - 1] + 1:
            first, last = places[start], places[i - 1]
            parts.append(str(first) if first == last else f"{first}-{last}")
            start = i
    return ",".join(parts)


def _places(key: str) -> list[int]:
    places: list[int] = []
    for part in key.split(","):
        first, _, last = part.partition("-")
        places.extend(range(int(first), int(last or first) + 1))
    return places


def _file(prefix: str, words: dict[str, int]) -> dict[str, str]:
    """The file of ``prefix``: its words grouped by shard set (bit masks of places)."""
    groups: dict[int, list[str]] = {}
    for word in sorted(words):
        groups.setdefault(words[word], []).append(word[len(prefix):])
    encoded = {_key([i for i in range(mask.bit_length()) if mask >> i & 1]): " ".join(suffixes)
               for mask, suffixes in groups.items()}
    return dict(sorted(encoded.items()))


def _dump(data: dict[str, str]) -> bytes:
    return (json.dumps(data, separators=(",", ":"), ensure_ascii=False) + "\n").encode()


def encode(words: dict[str, int]) -> tuple[dict[str, bytes], list[str]]:
    """The directory's files (name → bytes) of ``words`` (word → bit mask of shard places),
    and the two-character prefixes that have a file."""
    files: dict[str, bytes] = {}
    by_prefix: dict[str, dict[str, int]] = {}
    for word, mask in words.items():
        by_prefix.setdefault(word[:2], {})[word] = mask

    def write(prefix: str, group: dict[str, int]) -> None:
        data = _dump(_file(prefix, group))
        if len(data) <= FILE_BYTES or len(prefix) >= MAX_PREFIX:
            files[prefix] = data
            return
        here = {w: m for w, m in group.items() if len(w) == len(prefix)}
        longer: dict[str, dict[str, int]] = {}
        for word, mask in group.items():
            if len(word) > len(prefix):
                longer.setdefault(word[len(prefix)], {})[word] = mask
        files[prefix] = _dump({**_file(prefix, here), "+": "".join(sorted(longer))})
        for char, sub in sorted(longer.items()):
            write(prefix + char, sub)

    for prefix, group in sorted(by_prefix.items()):
        write(prefix, group)
    return files, sorted(by_prefix)


def decode(folder: Path, prefixes: Iterable[str]) -> dict[str, int]:
    """The words of a directory written from :func:`encode` (word → bit mask of shard places);
    raises OSError or ValueError if a file is missing or not the directory's."""
    words: dict[str, int] = {}
    masks: dict[str, int] = {}
    todo = list(prefixes)
    while todo:
        prefix = todo.pop()
        data = json.loads((folder / f"{prefix}.json").read_text("utf-8"))
        for key, suffixes in data.items():
            if key == "+":
                todo.extend(prefix + char for char in suffixes)
                continue
            mask = masks.get(key)
            if mask is None:
                mask = masks[key] = sum(1 << place for place in _places(key))
            for suffix in suffixes.split(" "):
                words[prefix + suffix] = mask
    return words


# ---------------------------------------------------------------- the directory of a bundle


def listing(shards: list[str], prefixes: list[str]) -> dict[str, Any]:
    """What ``shards.json`` says of the directory: its shards (oldest first) and prefixes."""
    return {"shards": shards, "prefixes": " ".join(prefixes)}


def _listed(bundle: Path, shards_file: str) -> dict[str, Any]:
    try:
        listed = json.loads((bundle / shards_file).read_text("utf-8"))["words"]
        if isinstance(listed["shards"], list) and isinstance(listed["prefixes"], str):
            return listed
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return {"shards": [], "prefixes": ""}


def covered(bundle: Path, shards_file: str) -> set[str]:
    """The shards the directory in ``bundle`` covers (none if there is no directory)."""
    return set(_listed(bundle, shards_file)["shards"])


def update(bundle: Path, shards_file: str, names: list[str],
           written: dict[str, Iterable[str]]) -> dict[str, Any]:
    """Bring the directory in ``bundle`` up to date: the words of the shards ``written`` now
    replace what it held of them, a shard not in ``names`` any more leaves it, the others keep
    their words. Writes only the files whose bytes change and deletes those no longer made;
    returns the directory's part of ``shards.json``.

    A kept shard the directory did not cover (a bundle written before it) stays out of its
    list, and the search box merges such a shard for every query; the incremental build
    re-indexes it instead (``IncrementalBuild.shards_to_write``)."""
    folder = bundle / FOLDER
    listed = _listed(bundle, shards_file)
    if not written and set(listed["shards"]) <= set(names):
        return listed  # nothing to add or drop: the files stand (a publish with no shard written)
    keep = {name for name in names if name not in written} & set(listed["shards"])
    old: dict[str, int] = {}
    if keep:
        try:
            old = decode(folder, listed["prefixes"].split())
        except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
            keep = set()  # unreadable: the kept shards are left out of the list
    order = sorted(keep | (set(written) & set(names)))
    place = {name: i for i, name in enumerate(order)}
    # A kept shard's bit moves from its place in the old list to its place in the new one.
    moves = [(1 << i, 1 << place[name]) for i, name in enumerate(listed["shards"])
             if name in keep]
    remapped: dict[int, int] = {}
    masks: dict[str, int] = {}
    for word, before in old.items():
        mask = remapped.get(before)
        if mask is None:
            mask = remapped[before] = sum(new for bit, new in moves if before & bit)
        if mask:
            masks[word] = mask
    del old
    for name, new in written.items():
        if name in place:
            bit = 1 << place[name]
            for word in new:
                masks[word] = masks.get(word, 0) | bit
    files, prefixes = encode(masks)
    folder.mkdir(parents=True, exist_ok=True)
    for path in folder.iterdir():
        if path.suffix == ".json" and path.stem not in files:
            path.unlink()
    for prefix, data in files.items():
        path = folder / f"{prefix}.json"
        if not path.is_file() or path.read_bytes() != data:
            path.write_bytes(data)
    return listing(order, prefixes)
