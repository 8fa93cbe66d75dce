"""Chinese text as a clerk types it and as the index keeps it.

Both sides go through `normalise` (NFKC folds full-width forms, lower case, traditional →
simplified character by character with zhconv's table) and are then cut into runs: a run of
Chinese characters becomes its overlapping two-character pieces (bigrams), a run of latin
letters or digits one word. A query run is matched as the phrase of its bigrams, so 雨露 finds
雨露计划, a two-character word or a name is found wherever it stands, and nothing depends on a
word list. One-character queries match the characters kept (once each) after the bigrams.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from zhconv import zhconv

# The index keeps at most this many tokens of one record (bigrams and words, then distinct
# characters): PostgreSQL's tsvector keeps word positions only up to 16,383, and both engines
# must answer the same. About 12,000 characters of text: the first pages of a long scan.
MAX_SEQUENCE = 12000
MAX_CHARS = 4000

_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z0-9]+")
# A resident ID number (GB 11643): searched only as the exact whole number, never indexed.
ID_NUMBER = re.compile(r"(?<![0-9a-z])[0-9]{17}[0-9x](?![0-9a-z])")


@cache
def _simplified() -> dict[int, str]:
    table = zhconv.getdict("zh-cn")
    return {ord(k): v for k, v in table.items() if len(k) == 1 and len(v) == 1}


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower().translate(_simplified())


def is_cjk(run: str) -> bool:
    return not ("a" <= run[0] <= "z" or "0" <= run[0] <= "9")


def runs(text: str) -> list[str]:
    return _RUN.findall(normalise(text))


def bigrams(run: str) -> list[str]:
    return [run[i : i + 2] for i in range(len(run) - 1)]


def document_tokens(*fields: str) -> str:
    """The token string stored for one record: bigrams and words in order, then characters."""
    tokens: list[str] = []
    chars: dict[str, None] = {}
    for field in fields:
        for run in runs(field):
            if is_cjk(run):
                tokens.extend(bigrams(run))
                chars.update(dict.fromkeys(run))
            else:
                tokens.append(run)
        if len(tokens) >= MAX_SEQUENCE:
            break
    return " ".join(tokens[:MAX_SEQUENCE] + list(chars)[:MAX_CHARS])


# From this many characters on, a query also finds documents that hold it but for one character
# (an OCR misreading, dropping or adding one): shorter queries would find too much that way.
RELAXED_FROM = 6

Term = tuple[str, ...]


@dataclass(frozen=True)
class Query:
    """A parsed query: every term must match (AND); a term is a phrase of tokens.

    `variants` are the query with one character left out, each again an AND of phrases: a
    Chinese run cut in two where the character stood, a word of letters or digits (or a
    one-character run) dropped. A document matching a variant but not the query holds all of
    it but one character: a partial match, ranked after the exact ones."""

    terms: tuple[Term, ...]
    id_numbers: tuple[str, ...]
    # What to mark in the text shown: the normalised runs of the query.
    needles: tuple[str, ...]
    variants: tuple[tuple[Term, ...], ...] = ()

    @property
    def empty(self) -> bool:
        return not self.terms and not self.id_numbers


def parse_query(text: str) -> Query:
    folded = normalise(text)
    ids = tuple(dict.fromkeys(m.upper() for m in ID_NUMBER.findall(folded)))
    rest = ID_NUMBER.sub(" ", folded)
    needles = tuple(dict.fromkeys(_RUN.findall(rest)))
    terms = tuple(dict.fromkeys(_term(run) for run in needles))
    return Query(terms, ids, needles, _variants(needles))


def _term(run: str) -> Term:
    return tuple(bigrams(run)) if is_cjk(run) and len(run) > 1 else (run,)


def _variants(runs: tuple[str, ...]) -> tuple[tuple[Term, ...], ...]:
    """The query with one character left out (see `Query`); none for a short query."""
    if sum(len(run) for run in runs) < RELAXED_FROM:
        return ()
    found: dict[tuple[Term, ...], None] = {}
    for n, run in enumerate(runs):
        others = [_term(r) for r in runs[:n] + runs[n + 1 :]]
        if is_cjk(run) and len(run) > 1:
            cuts = [[run[:i], run[i + 1 :]] for i in range(len(run))]
        else:
            cuts = [[]]
        for pieces in cuts:
            variant = others + [_term(piece) for piece in pieces if piece]
            if variant:
                found[tuple(sorted(set(variant)))] = None
    return tuple(found)
