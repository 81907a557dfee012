"""Cutting a verbatim quote of 8–80 characters around a figure's wording."""
from __future__ import annotations

SHORTEST, LONGEST = 8, 80
_SENTENCE_ENDS = "。！？；;!?\n"
_CLAUSE_ENDS = ",，、:："


def quote(text: str, start: int, end: int) -> str:
    """The sentence holding text[start:end] when it fits in 80 characters, else as many of its
    clauses around the wording as fit; never shorter than 8, always a stretch of `text`."""
    low = max(text.rfind(mark, 0, start) for mark in _SENTENCE_ENDS) + 1
    high = min((at for at in (text.find(mark, end) for mark in _SENTENCE_ENDS) if at != -1), default=len(text))
    low, high = _strip(text, low, high)
    if high - low > LONGEST:
        low, high = _clauses(text, low, high, start, end)
    if high - low < SHORTEST:   # a sentence too short to quote: take the text around it
        low, high = max(0, min(low, end - SHORTEST)), max(high, min(len(text), start + SHORTEST))
        low, high = _strip(text, low, high)
        if high - low < SHORTEST:
            low, high = max(0, end - LONGEST), min(len(text), start + LONGEST)
    return text[low:high]


def _clauses(text: str, low: int, high: int, start: int, end: int) -> tuple[int, int]:
    cuts = sorted({low, high, *(i + 1 for i in range(low, high) if text[i] in _CLAUSE_ENDS)})
    first = max(cut for cut in cuts if cut <= start)
    last = min(cut for cut in cuts if cut >= end)
    if last - first > LONGEST:      # one clause longer than a quote: a window around the wording
        first = max(first, min(start, end - LONGEST // 2))
        return first, min(last, first + LONGEST)
    grew = True
    while grew:
        grew = False
        after = [cut for cut in cuts if cut > last]
        if after and after[0] - first <= LONGEST:
            last, grew = after[0], True
        before = [cut for cut in cuts if cut < first]
        if before and last - before[-1] <= LONGEST:
            first, grew = before[-1], True
    first, last = _strip(text, first, last)
    return first, last


def _strip(text: str, low: int, high: int) -> tuple[int, int]:
    """Trim white space and a trailing clause mark from both ends."""
    while low < high and (text[low].isspace() or text[low] in _CLAUSE_ENDS):
        low += 1
    while high > low and (text[high - 1].isspace() or text[high - 1] in _CLAUSE_ENDS):
        high -= 1
    return low, high
