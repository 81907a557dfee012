"""An article as the draft reads it: decoded, normalised like the provenance check, its title,
date and script, and the stretches of it no figure may come from (a repeated body, garbling)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from tui.data.errors import DuikouError
from tui.data.sources import normalise

# A character that a text file never holds but a binary one does.
_BINARY = re.compile(r"[\x00-\x08\x0e-\x1f]")
# Garbling a failed conversion left: a '?' for a lost character inside a word, with the debris
# around it up to the next punctuation (当?shù)馗刹?00余人次: the 00 is a broken 300 or 500).
_GARBLED = re.compile(r"[^\s,，。;；:：、“”\"!！?？()（）]*[?\ufffd][^\s,，。;；:：、“”\"!！？()（）]*")
_DATE = re.compile(r"((?:19|20)\d\d)\s*(?:年\s*\d{1,2}\s*月|[-/.]\d{1,2}[-/.]\d{1,2})")
_YEAR_ONLY = re.compile(r"^\s*((?:19|20)\d\d)\s*$", re.MULTILINE)
# A paragraph long enough that its second copy is a repeat, not a coincidence.
_REPEAT_MIN = 30


@dataclass(frozen=True)
class Article:
    key: str
    text: str                       # normalised: what quotes are cut from and checked against
    title: str | None
    published: str | None           # 2018-05-09, 2018, or None
    script: str                     # simplified or traditional
    skipped: tuple[tuple[int, int], ...]   # spans no figure is taken from: repeated copies, garbling

    @property
    def year(self) -> int | None:
        return int(self.published[:4]) if self.published else None

    def usable(self, start: int, end: int) -> bool:
        return not any(a < end and start < b for a, b in self.skipped)


def read_article(path: Path, key: str | None = None, encoding: str = "utf-8") -> Article:
    """The article at `path`; a file that is not an article's text is one DuikouError."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DuikouError(f"no article at {path}") from None
    except OSError as error:
        raise DuikouError(f"cannot read {path}: {error.strerror}") from None
    text = _decode(raw, path, encoding)
    if not text.strip():
        raise DuikouError(f"{path} is empty: give the article's text")
    if _BINARY.search(text):
        raise DuikouError(f"{path} is not a text file (it holds control bytes): save the article as plain text")
    text = normalise(text.replace("\r\n", "\n"))
    skipped = tuple(sorted(_repeats(text) + [m.span() for m in _GARBLED.finditer(text) if m.group() != "?"]))
    return Article(key or path.name, text, _title(text), _published(text), _script(text), skipped)


def _decode(raw: bytes, path: Path, encoding: str) -> str:
    if b"\x00" in raw[:4096]:
        raise DuikouError(f"{path} is not a text file (it holds NUL bytes): save the article as plain text")
    try:
        return raw.decode(encoding).removeprefix("\ufeff")
    except LookupError:
        raise DuikouError(f"unknown encoding {encoding!r}: use utf-8 or gb18030") from None
    except UnicodeDecodeError as error:
        hint = ""
        if encoding.lower().replace("-", "") == "utf8":
            try:
                raw.decode("gb18030")
                hint = ": it reads as GB18030, so try again with --encoding gb18030"
            except UnicodeDecodeError:
                hint = ": save it as UTF-8 and try again"
        raise DuikouError(f"{path} is not {encoding} text (byte {error.start}){hint}") from None


def _repeats(text: str) -> list[tuple[int, int]]:
    """Each paragraph that repeats an earlier one word for word (a body printed twice)."""
    seen, spans, start = set(), [], 0
    for line in text.split("\n"):
        body = line.strip()
        if len(body) >= _REPEAT_MIN:
            if body in seen:
                spans.append((start, start + len(line)))
            seen.add(body)
        start += len(line) + 1
    return spans


def _title(text: str) -> str | None:
    """The heading beside the article's date line, else a heading before its first paragraph."""
    lines = [line.strip().lstrip("•·* ").strip() for line in text.split("\n")[:20]]
    lines = [line for line in lines if line]
    headings = [i for i, line in enumerate(lines) if _heading(line)]
    dated = [i for i in headings if any(_DATE.search(lines[j]) and len(lines[j]) < 30
                                        for j in (i - 1, i + 1) if 0 <= j < len(lines))]
    if dated:
        return lines[dated[0]]
    first_paragraph = next((i for i, line in enumerate(lines) if len(line) > 60), len(lines))
    return next((lines[i] for i in headings if i < first_paragraph), None)


def _heading(line: str) -> bool:
    """A short line with no sentence in it: no full stop, no date, not page furniture."""
    return (6 <= len(line) <= 60 and not re.search(r"[。，,;；:：]|\s/\s", line) and not _DATE.search(line)
            and bool(re.search(r"[\u4e00-\u9fff]{4}", line)) and "【" not in line and "来源" not in line)


def _published(text: str) -> str | None:
    head = text[:600]
    match = re.search(r"((?:19|20)\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})", head)
    if match:
        return f"{match[1]}-{int(match[2]):02d}-{int(match[3]):02d}"
    match = _YEAR_ONLY.search(head)
    return match[1] if match else None


def _script(text: str) -> str:
    from tui.data.names import simplified

    han = re.sub(r"[^\u4e00-\u9fff]", "", text)[:4000]
    changed = sum(a != b for a, b in zip(han, simplified(han)))
    return "traditional" if han and changed / len(han) > 0.05 else "simplified"
