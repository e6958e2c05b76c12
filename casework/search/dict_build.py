"""Build casework/data/jieba_dict.marisa and jieba_dict.values (casework/search/dictionary.py)
from the installed jieba's dictionary and casework/data/knowledge_words.txt:

    python -m casework.search.dict_build

Both files ship with the package. tests/unit/test_jieba_dictionary.py compares them with
what the installed jieba builds from the same files, so a jieba upgrade or a new word in
knowledge_words.txt fails the tests until this is rerun."""

from __future__ import annotations

import json
import os
from array import array
from pathlib import Path

from .dictionary import TRIE_FILE, VALUES_FILE
from .text import WORDS_FILE


def source() -> tuple[dict[str, int], dict[str, str], int]:
    """Words, tags and the total count exactly as jieba holds them once its dictionary and
    ours are loaded (jieba's Tokenizer and POSTokenizer, fresh)."""
    import jieba
    import jieba.posseg

    jieba.setLogLevel(60)
    base = jieba.Tokenizer()
    base.initialize()
    base.load_userdict(str(WORDS_FILE))
    tagger = jieba.posseg.POSTokenizer(base)
    tagger.makesure_userdict_loaded()
    # FREQ also holds every prefix of every word, counted 0.
    return dict(base.FREQ), dict(tagger.word_tag_tab), base.total


def build(trie_path: Path = TRIE_FILE, values_path: Path = VALUES_FILE) -> None:
    import marisa_trie

    freqs, tags, total = source()
    words = set(freqs) | set(tags)
    trie = marisa_trie.Trie(words)
    names = [""] + sorted(set(tags.values()))
    index = {name: i for i, name in enumerate(names)}
    counts, kinds = array("I", bytes(4 * len(trie))), array("B", bytes(len(trie)))
    for word in words:
        i = trie[word]
        counts[i] = freqs.get(word, 0)
        kinds[i] = index[tags.get(word, "")]
    header = {"total": total, "count": len(trie), "tags": names, "offset": 0}
    # The counts start 4-byte aligned after the header line, padded with spaces; the
    # slack leaves room for the offset's own digits.
    offset = (len(json.dumps(header)) + 16) // 4 * 4
    header["offset"] = offset
    line = json.dumps(header).encode()
    line += b" " * (offset - len(line) - 1) + b"\n"
    # New files replace the old ones whole: running processes keep the ones they mapped.
    for path, write in ((trie_path, lambda p: trie.save(str(p))),
                        (values_path, lambda p: p.write_bytes(line + counts.tobytes() + kinds.tobytes()))):
        part = path.with_suffix(".part")
        write(part)
        os.replace(part, path)


if __name__ == "__main__":
    build()
    for path in (TRIE_FILE, VALUES_FILE):
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
