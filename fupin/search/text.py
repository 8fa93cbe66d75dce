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


@dataclass(frozen=True)
class Query:
    """A parsed query: every term must match (AND); a term is a phrase of tokens."""

    terms: tuple[tuple[str, ...], ...]
    id_numbers: tuple[str, ...]
    # What to mark in the text shown: the normalised runs of the query.
    needles: tuple[str, ...]

    @property
    def empty(self) -> bool:
        return not self.terms and not self.id_numbers


def parse_query(text: str) -> Query:
    folded = normalise(text)
    ids = tuple(dict.fromkeys(m.upper() for m in ID_NUMBER.findall(folded)))
    rest = ID_NUMBER.sub(" ", folded)
    terms: dict[tuple[str, ...], None] = {}
    needles: dict[str, None] = {}
    for run in _RUN.findall(rest):
        needles[run] = None
        terms[tuple(bigrams(run)) if is_cjk(run) and len(run) > 1 else (run,)] = None
    return Query(tuple(terms), ids, tuple(needles))
