"""The word directory of the search shards (site/words.py): what it holds, how it is split, and
how an update replaces a shard's words and keeps the others'."""

from __future__ import annotations

import json
from pathlib import Path

from arxiv_digest.site import words
from arxiv_digest.site.search import SHARDS_FILE


def _update(bundle: Path, names: list[str], written: dict[str, set[str]]) -> dict[str, set[str]]:
    """Run an update as ``publish`` does; return the directory read back (word → shards)."""
    listing = words.update(bundle, SHARDS_FILE, names, written)
    (bundle / SHARDS_FILE).write_text(json.dumps({"shards": names[::-1], "words": listing}))
    return _read(bundle)


def _read(bundle: Path) -> dict[str, set[str]]:
    listing = json.loads((bundle / SHARDS_FILE).read_text())["words"]
    masks = words.decode(bundle / words.FOLDER, listing["prefixes"].split())
    return {word: {name for i, name in enumerate(listing["shards"]) if mask >> i & 1}
            for word, mask in masks.items()}


def test_the_words_of_a_text_cover_what_pagefind_may_index() -> None:
    found = words.text_words("Low-Rank LoRA adapters for GPT-4o (Müller, 2611.00590) a x")
    # Whole words without their punctuation, their parts, camelCase humps, no diacritics.
    assert {"lowrank", "low", "rank", "lora", "lo", "ra", "adapters", "gpt4o", "gpt", "4o",
            "muller", "261100590", "2611", "00590", "for"} <= found
    assert not {w for w in found if len(w) < 2 or not w.isalnum() or not w.isascii()}
    record = {"content": "Title text", "meta": {"day": "December 31, 2025", "topics": "Pruning"}}
    assert {"title", "text", "december", "31", "2025", "pruning"} <= words.record_words(record)


def test_a_directory_round_trips_and_splits_large_prefixes(tmp_path: Path) -> None:
    bundle = tmp_path / "pagefind"
    many = {f"ka{i:05d}" for i in range(3000)}  # one prefix far over a file's size
    written = {"2025-1": {"kale", "quantize", "ka", *many}, "2025-2": {"quantized", "kale"}}
    read = _update(bundle, ["2025-1", "2025-2"], written)
    assert read == {word: {name for name, held in written.items() if word in held}
                    for held in written.values() for word in held}
    files = {p.name: p.read_bytes() for p in (bundle / words.FOLDER).iterdir()}
    assert all(len(data) <= words.FILE_BYTES for data in files.values())
    # "ka" is split by its next character: its file keeps "ka" itself and names the longer ones.
    top = json.loads(files["ka.json"])
    assert top["+"] == "0l" and top == {"0": "", "+": "0l"}
    assert "ka0.json" in files or "ka00.json" in files
    # Words of the same shards are grouped under one key, without their prefix.
    assert json.loads(files["qu.json"]) == {"0": "antize", "1": "antized"}
    listing = json.loads((bundle / SHARDS_FILE).read_text())["words"]
    assert listing["shards"] == ["2025-1", "2025-2"]
    assert listing["prefixes"] == "ka qu"


def test_an_update_replaces_the_words_of_the_shards_written_and_keeps_the_others(
    tmp_path: Path,
) -> None:
    bundle = tmp_path / "pagefind"
    _update(bundle, ["2025-1", "2025-2", "2025-3"],
            {"2025-1": {"alpha", "shared"}, "2025-2": {"beta", "shared"},
             "2025-3": {"gamma", "shared"}})
    stamps = {p.name: p.stat().st_mtime_ns for p in (bundle / words.FOLDER).iterdir()}
    # 2025-2 re-indexed without "beta", with "delta"; 2025-3 gone; a new quarter added.
    read = _update(bundle, ["2025-1", "2025-2", "2025-4"],
                   {"2025-2": {"delta", "shared"}, "2025-4": {"epsilon"}})
    assert read == {"alpha": {"2025-1"}, "shared": {"2025-1", "2025-2"},
                    "delta": {"2025-2"}, "epsilon": {"2025-4"}}
    names = {p.name for p in (bundle / words.FOLDER).iterdir()}
    assert names == {"al.json", "sh.json", "de.json", "ep.json"}  # be, ga deleted
    # A file whose words did not change is not written again.
    assert (bundle / words.FOLDER / "al.json").stat().st_mtime_ns == stamps["al.json"]
    # The same directory as one written from scratch.
    scratch = tmp_path / "scratch"
    _update(scratch, ["2025-1", "2025-2", "2025-4"],
            {"2025-1": {"alpha", "shared"}, "2025-2": {"delta", "shared"},
             "2025-4": {"epsilon"}})
    assert ({p.name: p.read_bytes() for p in (bundle / words.FOLDER).iterdir()}
            == {p.name: p.read_bytes() for p in (scratch / words.FOLDER).iterdir()})
    assert (bundle / SHARDS_FILE).read_bytes() == (scratch / SHARDS_FILE).read_bytes()


def test_a_shard_the_directory_never_covered_stays_out_of_its_list(tmp_path: Path) -> None:
    bundle = tmp_path / "pagefind"
    bundle.mkdir()
    (bundle / SHARDS_FILE).write_text(json.dumps({"shards": ["2025-1"]}))  # an older bundle
    listing = words.update(bundle, SHARDS_FILE, ["2025-1", "2025-2"], {"2025-2": {"beta"}})
    # The search box merges a shard outside the list for every query.
    assert listing["shards"] == ["2025-2"]
    assert words.covered(bundle, SHARDS_FILE) == set()
