"""Matches marked in text that is shown to people (escaped first: citizen text is never
trusted as HTML)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from markupsafe import Markup, escape


@lru_cache(maxsize=256)  # one search highlights twenty texts with the same terms
def _compiled(terms: tuple[str, ...]) -> re.Pattern | None:
    terms = sorted({t for t in terms if t}, key=len, reverse=True)
    return re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE) if terms else None


def _pattern(terms: Sequence[str]) -> re.Pattern | None:
    return _compiled(tuple(terms))


def highlight(text: str, terms: Sequence[str], limit: int | None = None) -> Markup:
    """`text` (shortened to about `limit` characters around the first match) with every
    occurrence of `terms` in <mark>."""
    text = text or ""
    pattern = _pattern(terms)
    first = pattern.search(text) if pattern else None
    if limit and len(text) > limit:
        start = max(0, (first.start() if first else 0) - limit // 4)
        end = start + limit
        text = ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
    if not pattern:
        return Markup(escape(text))
    out, last = [], 0
    for m in pattern.finditer(text):
        out.append(escape(text[last:m.start()]))
        out.append(Markup("<mark>") + escape(m.group(0)) + Markup("</mark>"))
        last = m.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)
