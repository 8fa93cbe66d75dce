"""Marking what matched in the text shown, with everything else escaped.

The text is normalised character by character so that a match found in the normalised form
(full-width, traditional, upper case) maps back to the characters the user sees.
"""

from functools import lru_cache
from html import escape  # what Django's escape calls, without its lazy-string wrapper

from django.utils.safestring import SafeString, mark_safe

from fupin.search.text import normalise

WINDOW = 40


# Each character folded once per process, not once per character shown: a results page
# folds a few thousand characters, drawn from a few thousand distinct ones.
_fold = lru_cache(maxsize=1 << 16)(normalise)


def _spans(text: str, needles: tuple[str, ...]) -> list[tuple[int, int]]:
    folded = list(map(_fold, text))
    flat = "".join(folded)
    if not any(needle in flat for needle in needles):
        # Most fields shown as snippet candidates hold no match: no position map needed.
        return []
    owner = [index for index, part in enumerate(folded) for _ in part]
    found = []
    for needle in needles:
        start = flat.find(needle)
        while start >= 0:
            found.append((owner[start], owner[start + len(needle) - 1] + 1))
            start = flat.find(needle, start + 1)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _marked(text: str, spans: list[tuple[int, int]], offset: int = 0) -> str:
    out, at = [], offset
    for start, end in spans:
        out.append(escape(text[at:start]) + "<mark>" + escape(text[start:end]) + "</mark>")
        at = end
    return "".join(out) + escape(text[at:])


def highlight(text: str, needles: tuple[str, ...]) -> SafeString:
    return mark_safe(_marked(text, _spans(text, needles)))


def snippet(text: str, needles: tuple[str, ...]) -> SafeString | None:
    """A window of the text around its first match, marked; None if nothing matches."""
    spans = _spans(text, needles)
    if not spans:
        return None
    start = max(0, spans[0][0] - WINDOW)
    end = min(len(text), spans[0][1] + WINDOW * 2)
    inside = [s for s in spans if s[0] >= start and s[1] <= end]
    body = _marked(text[:end], inside, start)
    return mark_safe(("…" if start else "") + body + ("…" if end < len(text) else ""))
