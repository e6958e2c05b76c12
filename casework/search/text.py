"""Segmenting Chinese text with jieba, and how informative a word is (its IDF)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

# jieba's segmenter and tagger over the shipped dictionary (which holds WORDS_FILE's words)
from .dictionary import pos_tokenizer, tokenizer

WORDS_FILE = Path(__file__).resolve().parent.parent / "data" / "knowledge_words.txt"
_WORD = re.compile(r"^[\w\u4e00-\u9fff]+$")
_HAN = re.compile(r"[\u4e00-\u9fff]")
# Words of the way people ask, not of what they ask about (jieba's general IDF rates
# some of them as informative: 请问 7.6, 怎么办 6.6).
STOPWORDS = frozenset(w for line in (WORDS_FILE.parent / "knowledge_stopwords.txt").read_text(encoding="utf-8")
                      .splitlines() if not line.startswith("#") for w in line.split())
MIN_IDF = 4.5  # below this a word is too common to tell documents apart (可以 3.5, 需要 4.3)
# A word jieba's IDF table does not know is mostly a colloquial compound it guessed
# (签合同, 吵得): informative, but not as rare as the table's median (12) would claim.
UNKNOWN_WEIGHT = 7.0
PART_FACTOR = 0.7   # a query word found only through a dictionary word inside it (合同 in 签合同)
CHAR_FACTOR = 0.4   # … or through one of the characters of an unknown two-character word (吵 in 吵得)


class _IdfTable:
    """jieba's IDF table (its analyse/idf.txt: 270,000 words) as a memory-mapped marisa
    trie (casework/search/idf_build.py): its pages are shared by every process through
    the page cache. As the dict jieba.analyse builds, it cost 97 MB of Python objects in
    every web process."""

    def __init__(self, trie) -> None:
        self._trie = trie

    def get(self, word: str, default: float) -> float:
        found = self._trie.get(word)
        return found[0][0] if found else default

    def __contains__(self, word: str) -> bool:
        return word in self._trie


@cache
def _idf_table() -> tuple[_IdfTable, float]:
    """The table and its median (jieba.analyse is never imported: importing it builds the dict)."""
    import marisa_trie

    from .idf_build import MEDIAN_KEY, TRIE_FILE

    trie = marisa_trie.RecordTrie("<d").mmap(str(TRIE_FILE))
    return _IdfTable(trie), trie[MEDIAN_KEY][0][0]


def load() -> None:
    """Map the dictionaries (segmenting, IDF, parts of speech) and load jieba's HMM tables
    now rather than on the first text: the gunicorn master does it once before forking
    (deploy/gunicorn.conf.py), so the workers share them and no first request stalls."""
    pos_tokenizer()  # and the segmenter it wraps
    _idf_table()


def idf(word: str) -> float:
    table, median = _idf_table()
    return table.get(word, median)


def _keep(word: str) -> bool:
    return bool(_WORD.match(word)) and word not in STOPWORDS


def index_terms(text: str) -> list[str]:
    """Terms a document is indexed under: jieba's search mode (words and their parts,
    so 公积金贷款 is found by 公积金 and by 贷款), lower-cased, no punctuation."""
    return [w.lower() for w in tokenizer().cut_for_search(text or "") if _keep(w.strip())]


def words(text: str) -> list[str]:
    """The words of a query, precise mode, informative ones only."""
    out = []
    for w in tokenizer().cut(text or ""):
        w = w.strip().lower()
        if _keep(w) and (len(w) > 1 or _HAN.match(w)) and (idf(w) >= MIN_IDF):
            out.append(w)
    return out


SINGLE_FACTOR = 0.5  # one character alone (房, 批, 补) means many things: it counts for less


def weight(word: str) -> float:
    table, _median = _idf_table()
    return table.get(word, UNKNOWN_WEIGHT) * (SINGLE_FACTOR if len(word) == 1 else 1.0)


def parts(word: str) -> list[tuple[str, float]]:
    """Smaller words a query word can be found by, with how much such a match counts: the
    dictionary words inside a long word, or the characters of an unknown two-character one."""
    table, _median = _idf_table()
    if len(word) >= 3:
        found = [w for w in tokenizer().cut_for_search(word) if w != word and len(w) >= 2 and _keep(w)
                 and idf(w) >= MIN_IDF]
        return [(w, PART_FACTOR) for w in dict.fromkeys(found)]
    if len(word) == 2 and word not in table and _HAN.match(word):
        return [(c, CHAR_FACTOR) for c in word if _keep(c) and idf(c) >= MIN_IDF]
    return []


def segments(term: str) -> tuple[str, ...]:
    """A synonym term as the words a document containing it is indexed under."""
    parts = tuple(w.lower() for w in tokenizer().cut(term) if _keep(w.strip()))
    return parts or (term.lower(),)


def keywords(text: str, k: int = 8) -> list[str]:
    """The k most informative distinct words of a text (for similar-letter queries)."""
    seen = dict.fromkeys(words(text))
    return sorted(seen, key=idf, reverse=True)[:k]


def topic(subject: str, body: str = "") -> str | None:
    """What a letter is about, as one word: the most informative noun or verb-noun of
    its subject (place and person names excluded), else of its body. Letters sharing a
    topic form a cluster on the 高频诉求 list."""
    for text in (subject, body[:200]):
        found = [w.word.lower() for w in pos_tokenizer().cut(text or "")
                 if w.flag in ("n", "vn", "nz", "an", "v", "l") and len(w.word) > 1 and _keep(w.word)]
        if found:
            return max(found, key=idf)[:32]
    return None
