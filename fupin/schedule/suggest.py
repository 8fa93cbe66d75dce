"""Which schedule rows a record's title falls under, while the clerk is still typing it.

Each row of the user's level is a document: its scope text plus the phrases clerks actually use
for it (data/suggest_hints.json, keyed by level, category and number so the hints survive a
reload of the table). Titles and documents are compared as TF-IDF vectors of character bigrams
and trigrams — Chinese titles need no word segmentation that way, and nothing leaves the server.

The confidence of a suggestion is a softmax over the cosine similarities of all rows of the
level, with one extra "none of these" outcome held at NONE_SIMILARITY. It reads as the share of
belief the ranking puts on that row: near 1 when one row clearly stands out, small when several
rows fit equally, and small for every row when nothing fits well (the "none" outcome then takes
most of the mass). It is not a promise that the row is right; bench/bench_suggest.py reports how
the top suggestion's confidence compares with its accuracy on the labelled titles.
"""

import json
import math
import re
import unicodedata
from collections import Counter, OrderedDict
from dataclasses import dataclass
from functools import cache
from importlib import resources

from fupin.schedule.models import ScheduleLevel, ScheduleRow
from fupin.schedule.selectors import base_version, rows_in_force

TEMPERATURE = 0.05
NONE_SIMILARITY = 0.12
NGRAM_SIZES = (2, 3)
# Per-version indexes are small (a few hundred rows at most); a handful covers every locality
# whose users are active at the same time.
CACHE_SIZE = 32

# 郧政发〔2016〕12号, 鄂档[2016]25号, 十堰扶贫办（2017）第3号: the issuing code says nothing about
# the subject and would otherwise match rows that happen to mention the same office.
DOCUMENT_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[(]\d{4}[〕\])]第?\d+号")
TEXT_RUN = re.compile(r"[\u4e00-\u9fff]+|[a-z]+")
# Names of the campaign itself stand in nearly every title but in only a few scope texts, so they
# would pull every title towards those few rows; they are cut out as word boundaries.
CAMPAIGN_WORDS = re.compile("精准扶贫|精准脱贫|脱贫攻坚|扶贫攻坚|扶贫开发")


# What a clerk is told instead of a percentage. On the 164 labelled titles of the tests the top
# suggestion was right 93 % of the time at 0.6 or more and about half the time below it.
CONFIDENCE_WORDS = ((0.6, "把握较大"), (0.3, "可能"), (0.0, "仅供参考"))


def confidence_word(score: float) -> str:
    return next(word for floor, word in CONFIDENCE_WORDS if score >= floor)


@dataclass(frozen=True)
class Suggestion:
    row: ScheduleRow
    score: float
    level: str
    level_label: str
    category: str
    number: str
    scope: str
    retention: str
    options: list[str]

    @property
    def confidence(self) -> str:
        return confidence_word(self.score)


@dataclass
class _Index:
    rows: list[ScheduleRow]
    idf: dict[str, float]
    # n-gram -> [(row position, weight in that row's unit-length vector)]
    postings: dict[str, list[tuple[int, float]]]


_indexes: OrderedDict[tuple, _Index] = OrderedDict()


def normalize(text: str) -> str:
    """Half-width, lower case, without document numbers, brackets or spaces."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = DOCUMENT_NUMBER.sub("", text)
    text = re.sub(r"[【】\[\]\s]", "", text)
    return CAMPAIGN_WORDS.sub("|", text)


def ngrams(text: str) -> Counter[str]:
    grams: Counter[str] = Counter()
    for run in TEXT_RUN.findall(normalize(text)):
        for n in NGRAM_SIZES:
            grams.update(run[i : i + n] for i in range(len(run) - n + 1))
    return grams


@cache
def hints() -> dict[tuple[str, str, str], list[str]]:
    data = resources.files("fupin.schedule").joinpath("data/suggest_hints.json").read_text("utf-8")
    return {(h["level"], h["category"], h["number"]): h["hints"] for h in json.loads(data)}


def _document(row: ScheduleRow) -> str:
    # Sub-items of a refinement have their own numbers ("3.1"), so they never pick up the hints
    # of the row above them: the two must stay distinguishable.
    return "，".join([row.scope_text, *hints().get((row.level, row.category, row.number), [])])


def _weights(grams: Counter[str], idf: dict[str, float]) -> dict[str, float]:
    vector = {g: (1 + math.log(c)) * idf[g] for g, c in grams.items() if g in idf}
    norm = math.sqrt(sum(w * w for w in vector.values()))
    return {g: w / norm for g, w in vector.items()} if norm else {}


def _build(rows: list[ScheduleRow]) -> _Index:
    documents = [ngrams(_document(r)) for r in rows]
    frequency: Counter[str] = Counter()
    for grams in documents:
        frequency.update(grams.keys())
    idf = {g: math.log((1 + len(rows)) / (1 + df)) + 1 for g, df in frequency.items()}
    postings: dict[str, list[tuple[int, float]]] = {}
    for position, grams in enumerate(documents):
        for gram, weight in _weights(grams, idf).items():
            postings.setdefault(gram, []).append((position, weight))
    return _Index(rows, idf, postings)


def _index(rows: list[ScheduleRow]) -> _Index:
    # Rows in force are never edited, only added or (in drafts) removed, so their ids and texts
    # identify the index; the text guards against ids reused by a rebuilt test database.
    key = tuple((r.pk, r.scope_text) for r in rows)
    index = _indexes.get(key)
    if index is None:
        index = _indexes[key] = _build(rows)
        if len(_indexes) > CACHE_SIZE:
            _indexes.popitem(last=False)
    else:
        _indexes.move_to_end(key)
    return index


def suggest(
    title: str, *, level: str, rows: list[ScheduleRow] | None = None, limit: int = 3
) -> list[Suggestion]:
    """The rows of `level` the title most likely falls under, best first; [] if none fits."""
    if level not in ScheduleLevel.values:
        raise ValueError(f"未知的层级：{level}")
    if rows is None:
        rows = rows_in_force(base_version())
    index = _index([r for r in rows if r.level == level])
    query = _weights(ngrams(title), index.idf)
    similarity = [0.0] * len(index.rows)
    for gram, weight in query.items():
        for position, row_weight in index.postings[gram]:
            similarity[position] += weight * row_weight
    if not any(similarity):
        return []
    exps = [math.exp((s - NONE_SIMILARITY) / TEMPERATURE) for s in similarity]
    total = sum(exps) + 1.0
    best = sorted(range(len(similarity)), key=lambda i: (-similarity[i], i))[:limit]
    return [
        Suggestion(
            row=index.rows[i],
            score=round(exps[i] / total, 4),
            level=index.rows[i].level,
            level_label=index.rows[i].get_level_display(),
            category=index.rows[i].get_category_display(),
            number=index.rows[i].number,
            scope=index.rows[i].scope_text,
            retention=index.rows[i].retention_text,
            options=list(index.rows[i].retention_options),
        )
        for i in best
        if similarity[i] > 0
    ]
