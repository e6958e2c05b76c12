"""jieba's segmenting dictionary (its dict.txt with the words of knowledge_words.txt) as a
memory-mapped marisa trie and a flat table of frequencies and part-of-speech tags, built
by casework/search/dict_build.py.

jieba holds the same data as two dicts of Python objects, about 110 MB in every process
(62 MB of word and prefix frequencies, 46 MB of tags). Reference counting writes to those
objects' pages whenever a text is segmented, so a web worker forked after preloading soon
holds private copies of them. The trie and the table are file pages instead, shared by
every process through the page cache and never written.

`Tokenizer` and `POSTokenizer` are jieba's own classes reading the trie: jieba's
segmenting code runs unchanged, only the lookups differ (the route through a sentence is
the same, tests/unit/test_jieba_dictionary.py checks it on real letters)."""

from __future__ import annotations

import io
import json
import mmap
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"
TRIE_FILE = DATA / "jieba_dict.marisa"
VALUES_FILE = DATA / "jieba_dict.values"  # a JSON header line, then uint32 freqs, then uint8 tags
LONGEST = 32  # characters; jieba's dictionary's longest word has 16, knowledge_words' fewer


class Frequencies:
    """The read-only mapping jieba's Tokenizer calls FREQ: a dictionary word's count, 0
    for a proper prefix of one (jieba keeps prefixes as zero entries, and so does the
    trie), absent otherwise."""

    def __init__(self, trie, freqs) -> None:
        self.trie, self.freqs = trie, freqs

    def get(self, word: str, default=None):
        found = self.trie.get(word)
        return default if found is None else self.freqs[found]

    def __contains__(self, word: str) -> bool:
        return self.get(word) is not None


class Tags:
    """The read-only mapping jieba.posseg calls word_tag_tab: word -> part of speech."""

    def __init__(self, trie, tags, names: list[str]) -> None:
        self.trie, self.tags, self.names = trie, tags, names

    def get(self, word: str, default=None):
        found = self.trie.get(word)
        return default if found is None else (self.names[self.tags[found]] or default)

    def __contains__(self, word: str) -> bool:
        return self.get(word) is not None

    def update(self, other) -> None:  # posseg merges words added at run time: there are none
        if other:
            raise TypeError("the shipped dictionary is read-only: add words to knowledge_words.txt and rebuild")


@cache
def tables() -> tuple[Frequencies, Tags, int]:
    import marisa_trie

    trie = marisa_trie.Trie().mmap(str(TRIE_FILE))
    with VALUES_FILE.open("rb") as f:
        values = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    header_end = values.find(b"\n") + 1
    header = json.loads(values[:header_end])
    start = header["offset"]
    count = header["count"]
    view = memoryview(values)
    freqs = view[start:start + 4 * count].cast("I")
    tags = view[start + 4 * count:start + 5 * count]
    return Frequencies(trie, freqs), Tags(trie, tags, header["tags"]), header["total"]


@cache
def tokenizer():
    """The process's segmenter (jieba.Tokenizer over the trie), ready to use."""
    import jieba
    import jieba.finalseg  # noqa: F401  (the HMM for words the dictionary lacks: its tables are small)

    class Tokenizer(jieba.Tokenizer):
        def __init__(self) -> None:
            super().__init__()
            self.FREQ, _tags, self.total = tables()
            self.initialized = True

        def get_DAG(self, sentence: str) -> dict[int, list[int]]:
            # Every dictionary word starting at k, found in one walk down the trie (jieba
            # probes FREQ once per prefix). A zero count marks a word jieba keeps but never
            # cuts out.
            trie, freqs = self.FREQ.trie, self.FREQ.freqs
            dag = {}
            for k in range(len(sentence)):
                ends = [k + len(w) - 1 for w, i in trie.iter_prefixes_with_ids(sentence[k:k + LONGEST])
                        if freqs[i]]
                dag[k] = ends or [k]
            return dag

        def get_dict_file(self):
            # Read by jieba's own loaders only (POSTokenizer reads its tags from it): the
            # words are in the trie.
            return io.BytesIO(b"")

        def add_word(self, word, freq=None, tag=None):
            raise TypeError("the shipped dictionary is read-only: add words to knowledge_words.txt and rebuild")

    return Tokenizer()


@cache
def pos_tokenizer():
    """jieba.posseg's tagger over the same trie. Importing jieba.posseg builds its own
    tagger around jieba.dt, which reads the whole dictionary file into a dict: during the
    import jieba.dt is this process's tokenizer, whose dictionary file is empty."""
    import jieba

    ours = tokenizer()
    original, jieba.dt = jieba.dt, ours
    try:
        import jieba.posseg
    finally:
        jieba.dt = original

    class POSTokenizer(jieba.posseg.POSTokenizer):
        def load_word_tag(self, f) -> None:
            f.close()
            self.word_tag_tab = tables()[1]

    return POSTokenizer(ours)
