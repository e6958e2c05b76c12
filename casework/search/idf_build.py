"""Build casework/data/jieba_idf.marisa, jieba's IDF table as a marisa trie, from the
installed jieba's analyse/idf.txt:

    python -m casework.search.idf_build

The file ships with the package (1.3 MB) and is memory-mapped by every process, so its
pages are shared through the page cache: loading jieba.analyse's dict instead cost each
web process 97 MB of Python objects. tests/unit/test_idf_table.py checks it against the
installed jieba, so a jieba upgrade that changes the table fails until this is rerun."""

from __future__ import annotations

import os
from pathlib import Path

MEDIAN_KEY = " median"  # idf.txt separates word and value by a space: no word holds one
TRIE_FILE = Path(__file__).resolve().parent.parent / "data" / "jieba_idf.marisa"


def source() -> Path:
    import jieba
    return Path(jieba.__file__).parent / "analyse" / "idf.txt"


def read_source() -> dict[str, float]:
    """idf.txt as jieba.analyse reads it (the last of a repeated word wins)."""
    values: dict[str, float] = {}
    for line in source().read_text(encoding="utf-8").splitlines():
        word, freq = line.strip().split(" ")
        values[word] = float(freq)
    return values


def median(values: dict[str, float]) -> float:
    """jieba.analyse's median: the middle value by position once sorted."""
    return sorted(values.values())[len(values) // 2]


def build(path: Path = TRIE_FILE) -> None:
    import marisa_trie

    values = read_source()
    records = [(w, (v,)) for w, v in values.items()] + [(MEDIAN_KEY, (median(values),))]
    # A new file replaces the old one whole: running processes keep the one they mapped.
    part = path.with_suffix(".part")
    marisa_trie.RecordTrie("<d", records).save(str(part))
    os.replace(part, path)


if __name__ == "__main__":
    build()
    print(f"wrote {TRIE_FILE} ({TRIE_FILE.stat().st_size:,} bytes)")
