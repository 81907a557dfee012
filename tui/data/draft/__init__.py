"""`duikou draft`: an article's figures proposed as SQL a curator checks and loads.

read_article decodes and normalises the text; mentions finds each number and what it counts;
guesses, homes and projects say what it is about; draft_article puts them together, and
writing.sql_of writes the file. Every guess carries why, and nothing here touches the database
but to read its names and free ids."""
from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from tui.data.draft import guesses, quotes
from tui.data.draft.article import Article, read_article
from tui.data.draft.homes import Gazetteer, Home
from tui.data.draft.mentions import Mention, mentions
from tui.data.draft.projects import ProjectMention, project_mentions
from tui.data.errors import DuikouError
from tui.data.names import simplified

__all__ = ["Candidate", "Draft", "ProjectCandidate", "draft_article", "read_article"]

_NAME_LONGEST = 40
_PART_MARKS = ("其中", "包括")
_TOTAL_WORDS = re.compile(r"共|累计|总")
_SENTENCE_ENDS = "。！？；;!?\n"
_CLAUSE_ENDS = _SENTENCE_ENDS + ",，、"


@dataclass
class ProjectCandidate:
    name: str
    kind: str
    sector: str
    quote: str
    year: int | None
    home: Home


@dataclass
class Candidate:
    """One proposed figure; the review screen changes its fields before the SQL is written."""
    index: int
    mention: Mention
    wording: str
    name: str
    quote: str
    sentence: str                    # the sentence as written, for the review screen
    sentence_at: int                 # where the wording starts within it
    measure: str
    sector: str | None
    basis: str
    year: int | None
    home: Home
    project: int | None = None       # index into Draft.projects
    part_of: int | None = None       # index of the candidate this one is a part of
    accepted: bool = True
    why: list[str] = field(default_factory=list)

    @property
    def value(self) -> float:
        return self.mention.value

    @property
    def unit(self) -> str:
        return self.mention.unit

    @property
    def qualifier(self) -> str | None:
        return self.mention.qualifier

    @property
    def placed(self) -> bool:
        return self.project is not None or self.home.placed


@dataclass
class Draft:
    article: Article
    candidates: list[Candidate]
    projects: list[ProjectCandidate]
    pairings: list[tuple[int, str]]          # the database's pairings, for changing a home
    places: dict[int, str]
    measures: list[str]                      # the database's vocabularies, for changing a guess
    sectors: list[str]


def draft_article(path: Path, db: sqlite3.Connection, key: str | None = None, encoding: str = "utf-8") -> Draft:
    article = read_article(path, key, encoding)
    reading = _simplified_alike(article.text)
    found = mentions(reading, article.usable)
    if not found:
        raise DuikouError(f"{path} gives no figures (no number with a unit such as 万元, 人 or 亩): nothing to draft")
    gazetteer = Gazetteer(db)
    own = gazetteer.article_pairing(reading)
    candidates = [_candidate(index, mention, article, reading, gazetteer, own) for index, mention in enumerate(found)]
    projects = _projects(article, reading, gazetteer, own, candidates)
    _link_parts(reading, candidates)
    return Draft(article, candidates, projects, [(p.id, p.label) for p in gazetteer.pairings], gazetteer.place_names,
                 [code for (code,) in db.execute("SELECT code FROM measure ORDER BY code")],
                 [code for (code,) in db.execute("SELECT code FROM sector ORDER BY code")])


def _simplified_alike(text: str) -> str:
    """The text in simplified characters, character for character, so offsets carry over."""
    converted = simplified(text)
    if len(converted) == len(text):
        return converted
    return "".join(simplified(char) if len(simplified(char)) == 1 else char for char in text)


def _span(text: str, start: int, end: int, marks: str) -> tuple[int, int]:
    low = max(text.rfind(mark, 0, start) for mark in marks) + 1
    high = min((at for at in (text.find(mark, end) for mark in marks) if at != -1), default=len(text))
    return low, high


def _candidate(index: int, mention: Mention, article: Article, reading: str, gazetteer: Gazetteer, own) -> Candidate:
    text = article.text
    low, high = _span(reading, mention.start, mention.end, _SENTENCE_ENDS)
    para_low, para_high = _span(reading, mention.start, mention.end, "\n")
    before, after = reading[low:mention.start], reading[mention.end:high]
    clause_low = max(reading.rfind(mark, 0, mention.start) for mark in ",，、:：。；;\n") + 1
    name = text[max(clause_low, mention.end - _NAME_LONGEST):mention.end].strip()
    measure = guesses.measure(mention.unit, before, after, reading[low:high])
    sector = guesses.sector(reading[low:high])
    year = guesses.year(before, after, reading[para_low:low], article.year)
    home = gazetteer.home(reading[low:high], reading[para_low:para_high], own)
    basis = "planned" if mention.planned else "actual"
    sentence_low = low + len(text[low:high]) - len(text[low:high].lstrip())
    candidate = Candidate(index, mention, text[mention.start:mention.end], name,
                          quotes.quote(text, mention.start, mention.end), text[sentence_low:high].rstrip(),
                          mention.start - sentence_low, measure.value, sector.value, basis, year.value, home)
    candidate.why = [f"measure {measure.value}: {measure.why}", f"sector {sector.value}: {sector.why}",
                     f"year {year.value}: {year.why}", f"basis {basis}: " +
                     ("a word of plans (拟, 计划, 预计, 目标…) before it" if mention.planned else "no word of plans"),
                     f"home {home.why}"]
    return candidate


def _projects(article: Article, reading: str, gazetteer: Gazetteer, own, candidates: list[Candidate]):
    """The candidate projects, each given the figures of the sentence that names it."""
    projects: list[ProjectCandidate] = []
    for mention in project_mentions(reading, article.text, article.usable):
        low, high = _span(reading, mention.start, mention.end, _SENTENCE_ENDS)
        para = _span(reading, mention.start, mention.end, "\n")
        home = gazetteer.home(reading[low:high], reading[para[0]:para[1]], own)
        if home.pairing_id is None:
            continue    # a project hangs under a pairing; a place alone cannot hold one
        sector = guesses.sector(reading[low:high]).value or "overall"
        year = guesses.year(reading[low:mention.start], reading[mention.end:high], reading[para[0]:low],
                            article.year).value
        index = len(projects)
        projects.append(ProjectCandidate(mention.name, mention.kind, sector,
                                         quotes.quote(article.text, mention.start, mention.end), year, home))
        for candidate in _in_its_clause(reading, mention, candidates):
            candidate.project = index
            candidate.why.append(f"project «{mention.name}»: named in the same clause")
    return projects


def _in_its_clause(reading: str, mention: ProjectMention, candidates: list[Candidate]) -> list[Candidate]:
    """The figures of the clause that names a project, else of the clause after it (…工程,制定措施12个)."""
    low, high = _span(reading, mention.start, mention.end, _CLAUSE_ENDS)
    for _ in range(2):
        found = [c for c in candidates if low <= c.mention.start < high and c.project is None]
        if found or high >= len(reading) or reading[high] in _SENTENCE_ENDS:
            return found
        low, high = _span(reading, high + 1, high + 1, _CLAUSE_ENDS)
    return []


def _link_parts(reading: str, candidates: list[Candidate]) -> None:
    """A figure after 其中 or 包括 is a part of the last figure before it of its unit and measure
    (the last one the text calls a total, 共 or 累计, if any), in that sentence or, when 其中 opens
    the sentence, the one before."""
    for candidate in candidates:
        start = candidate.mention.start
        low = max(reading.rfind(mark, 0, start) for mark in "。！？\n") + 1
        mark_at = max(reading.rfind(mark, low, start) for mark in _PART_MARKS)
        if mark_at == -1:
            continue
        window = low
        if not reading[low:mark_at].strip(" ,，") and low > 0:   # 其中 opens the sentence: its total is before
            window = max(reading.rfind(mark, 0, low - 1) for mark in "。！？\n") + 1
        totals = [other for other in candidates
                  if window <= other.mention.start < mark_at and other.unit == candidate.unit
                  and other.part_of is None and other.measure == candidate.measure and other.value >= candidate.value]
        if totals:
            # A figure the text calls a total (共, 累计, 总) before the nearest one of its unit.
            said = [t for t in totals if _TOTAL_WORDS.search(reading, max(0, t.mention.start - 6), t.mention.start)]
            total = (said or totals)[-1]
            candidate.part_of = total.index
            candidate.why.append(f"part of «{total.wording}»: after «{reading[mark_at:mark_at + 2]}»")
