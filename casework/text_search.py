"""Chinese full-text search without a server extension: CJK bigrams.

Chinese has no spaces, so a text is indexed as the overlapping pairs of characters of
each run of Han characters (停水问题 → 停水 水问 问题), plus the lowercased words of
letters and digits. A query is cut the same way and a letter matches when it holds every
pair of the query: a query of two or more characters matches wherever it occurs, the way
Lucene's CJK analyzer does, with no dictionary to keep up to date. PostgreSQL keeps the
tokens as a text[] in a GIN index (array containment); SQLite matches them with LIKE.
"""

from __future__ import annotations

import re

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUNS = re.compile(rf"[{_HAN}]+|[0-9a-z]+")
_IS_HAN = re.compile(rf"[{_HAN}]")
MAX_QUERY_TOKENS = 32


def _tokens(text: str) -> list[str]:
    out: list[str] = []
    for run in _RUNS.findall((text or "").lower()):
        if _IS_HAN.match(run):
            out.extend(run[i:i + 2] for i in range(len(run) - 1))
        else:
            out.append(run)
    return out


def index_tokens(*texts: str) -> list[str]:
    """The distinct tokens of the texts, in order (stored with the letter)."""
    return list(dict.fromkeys(t for text in texts for t in _tokens(text)))


def query_tokens(query: str) -> list[str] | None:
    """The tokens a letter must all hold; None when the query has nothing searchable
    (a lone Han character carries too little meaning to search a million letters for)."""
    tokens = list(dict.fromkeys(_tokens(query)))[:MAX_QUERY_TOKENS]
    return tokens or None
