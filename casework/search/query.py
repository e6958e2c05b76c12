"""A query as groups of alternatives, and how well a document covers it.

Each synonym term found in the query text becomes one group whose alternatives are all
the terms of its synonym group (户口 → 户口 | 户籍 | 户口本); every other informative
word is a group of its own. An alternative is the words a document containing the term
is indexed under, each matched as a prefix (低保 finds 低保户). A document's score is
the share of the query's information (IDF) it covers, a title match counting fully and
a body match less: 0 (nothing) to 1 (every group in the title)."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

from . import text

BODY_FACTOR = 0.8
FOCUS = 0.05
MAX_GROUPS = 10


@dataclass(frozen=True)
class Group:
    label: str
    alternatives: tuple[tuple[str, ...], ...]
    weight: float
    # How much each alternative counts (1: the word or a synonym; less: a part of it).
    factors: tuple[float, ...] = ()

    def factor(self, i: int) -> float:
        return self.factors[i] if self.factors else 1.0


@dataclass(frozen=True)
class Analyzed:
    groups: tuple[Group, ...]

    def __bool__(self) -> bool:
        return bool(self.groups)

    @property
    def terms(self) -> list[str]:
        """Every word any alternative matches (for highlighting)."""
        return sorted({w for g in self.groups for alt in g.alternatives for w in alt}, key=len, reverse=True)

    @property
    def surface(self) -> list[str]:
        """The synonym terms themselves, to highlight them whole (最低生活保障)."""
        return sorted({"".join(alt) for g in self.groups for alt in g.alternatives}, key=len, reverse=True)


def analyze(query: str, synonyms: Sequence[Sequence[str]] = ()) -> Analyzed:
    query = (query or "").strip().lower()[:200]
    groups: list[Group] = []
    by_term: dict[str, tuple[str, ...]] = {}
    for g in synonyms:  # a word in several groups stands for all of them
        for t in g:
            by_term[t.lower()] = tuple(dict.fromkeys((*by_term.get(t.lower(), ()), *(w.lower() for w in g))))
    rest = query
    for term in sorted(by_term, key=len, reverse=True):
        if term and term in rest:
            members = by_term[term]
            alternatives = tuple(dict.fromkeys(text.segments(m) for m in members))
            weight = max(max(text.idf(w) for w in alt) for alt in alternatives)
            groups.append(Group(members[0], alternatives, weight))
            rest = rest.replace(term, "，")
    seen = {alt for g in groups for alt in g.alternatives}
    for word in text.words(rest):
        if (word,) in seen:
            continue
        seen.add((word,))
        parts = [(p, f) for p, f in text.parts(word) if (p,) not in seen]
        groups.append(Group(word, ((word,), *((p,) for p, _ in parts)), text.weight(word),
                            (1.0, *(f for _, f in parts)) if parts else ()))
    # The most informative groups only: a pasted letter must not become a 200-term OR.
    groups.sort(key=lambda g: g.weight, reverse=True)
    return Analyzed(tuple(groups[:MAX_GROUPS]))


def _has(alternative: tuple[str, ...], terms: list[str]) -> bool:
    """Every word of the alternative is a prefix of some term (terms sorted)."""
    for w in alternative:
        i = bisect_left(terms, w)
        if i == len(terms) or not terms[i].startswith(w):
            return False
    return True


def coverage(analyzed: Analyzed, title_terms: str, body_terms: str) -> float:
    """The share of the query's information the document covers, plus (as a tie-break, at
    most FOCUS) how much of its title is about the query: of two documents covering the
    same words, the one whose question is mostly those words is the better answer."""
    total = sum(g.weight for g in analyzed.groups)
    if not total:
        return 0.0
    title, body = sorted(set(title_terms.split())), sorted(set(body_terms.split()))
    got, hit_title = 0.0, set()
    for g in analyzed.groups:
        best = 0.0
        for i, alt in enumerate(g.alternatives):
            if _has(alt, title):
                best = max(best, g.factor(i))
                hit_title.update(t for t in title if any(t.startswith(w) for w in alt))
            elif _has(alt, body):
                best = max(best, g.factor(i) * BODY_FACTOR)
        got += g.weight * best
    focus = len(hit_title) / len(title) if title else 0.0
    return min(1.0, got / total + FOCUS * focus)


STRONG_GROUPS = 5


def _strong(analyzed: Analyzed, common=frozenset()) -> list[tuple[tuple[str, ...], ...]]:
    """The alternatives the database looks for: of the most informative groups, those made
    of words of two characters or more. One character (房, 交) would match a large share of
    a million documents; it only counts in coverage(). So do words the database's statistics
    call common (`common`: in more than a few per cent of the documents)."""
    out = []
    for g in analyzed.groups:
        alts = tuple(a for a in g.alternatives if all(len(w) > 1 for w in a) and not any(w in common for w in a))
        if alts:
            out.append(alts)
    return out[:STRONG_GROUPS]


def _render(dialect: str, groups: list[tuple[tuple[str, ...], ...]]) -> str:
    if dialect == "postgresql":
        def word(w: str) -> str:
            return "'" + w.replace("'", "''").replace("\\", "") + "':*"
        AND, OR = " & ", " | "
    else:
        def word(w: str) -> str:
            return '"' + w.replace('"', '""') + '"*'
        AND, OR = " AND ", " OR "

    def alt(a: tuple[str, ...]) -> str:
        return word(a[0]) if len(a) == 1 else "(" + AND.join(word(w) for w in a) + ")"

    return OR.join("(" + OR.join(alt(a) for a in g) + ")" for g in groups)


def _pairs(dialect: str, strong) -> str:
    joiner, either = (" & ", " | ") if dialect == "postgresql" else (" AND ", " OR ")
    return either.join("(" + _render(dialect, [a]) + joiner + _render(dialect, [b]) + ")"
                       for i, a in enumerate(strong) for b in strong[i + 1:])


# How the database is asked for a tier's matches (NEWEST: how the engine reads a COMMON_FILL).
RANKED, ANY, COMMON_FILL, NEWEST = "ranked", "any", "common", "newest"


def match_queries(analyzed: Analyzed, dialect: str, common: dict[str, float] | None = None) -> list[tuple[str, str]]:
    """Ever wider (match expression, how to read its matches) pairs, tried in turn until
    there are enough candidates.

    A small collection (`common` None): documents with two of the query's strong groups,
    then any strong group, then any alternative at all (one character too), all RANKED.
    A big one (`common`: the words its statistics call common, with their share of the
    documents): only documents with two rare strong groups are few enough to rank them
    all; then ANY rare one fills the pool from the GIN index, then the query's least common
    word alone does (COMMON_FILL: its posting list is long, so the engine reads the newest
    documents holding it instead of ranking or even collecting them all)."""
    if common is None:
        strong = _strong(analyzed)
        tiers = ([(_pairs(dialect, strong), RANKED)] if len(strong) >= 2 else []) + \
            ([(_render(dialect, strong), RANKED)] if strong else [])
        tiers.append((_render(dialect, [tuple(a for g in analyzed.groups for a in g.alternatives)]), RANKED))
    else:
        rare = _strong(analyzed, common)
        tiers = [(_pairs(dialect, rare), RANKED)] if len(rare) >= 2 else []
        tiers += [(_render(dialect, rare), ANY)] if rare else []
        single = [a for g in _strong(analyzed) for a in g if len(a) == 1 and a[0] in common]
        if single:
            tiers.append((_render(dialect, [(min(single, key=lambda a: common[a[0]]),)]), COMMON_FILL))
    seen, out = set(), []
    for expr, mode in tiers:
        if expr not in seen:
            seen.add(expr)
            out.append((expr, mode))
    return out


def tsquery(analyzed: Analyzed, common: dict[str, float] | None = None) -> str:
    """The PostgreSQL to_tsquery('simple', …) text that finds the first candidates."""
    tiers = match_queries(analyzed, "postgresql", common)
    return tiers[0][0] if tiers else ""


def fts5_query(analyzed: Analyzed) -> str:
    tiers = match_queries(analyzed, "sqlite")
    return tiers[0][0] if tiers else ""
