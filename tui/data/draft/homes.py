"""A figure's home guessed from the database: the pairing whose donor and recipient the paragraph
names, else the article's own pairing, else a place the sentence names; each with why."""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass

_SHORTEST_NAME = 2


@dataclass(frozen=True)
class Home:
    pairing_id: int | None
    place_id: int | None
    why: str
    names_seen: tuple[str, ...] = ()     # for an unplaced figure: what the text names, to choose from

    @property
    def placed(self) -> bool:
        return self.pairing_id is not None or self.place_id is not None


@dataclass(frozen=True)
class Pairing:
    id: int
    donor: int
    recipient: int
    label: str


class Gazetteer:
    """The names and aliases of the database's places and its top-level pairings, read once."""

    def __init__(self, db: sqlite3.Connection):
        self.place_names: dict[int, str] = dict(db.execute("SELECT id, name FROM place"))
        forms: dict[str, int] = {}
        for place_id, name in [*self.place_names.items(),
                               *db.execute("SELECT place_id, name FROM alias WHERE place_id IS NOT NULL")]:
            if len(name) >= _SHORTEST_NAME and self.place_names.get(place_id) != "中国":
                forms.setdefault(name, place_id)
        self._forms = sorted(forms.items(), key=lambda form: -len(form[0]))
        self._seen: dict[str, dict[int, str]] = {}     # a paragraph's places, asked for by each of its figures
        self.pairings = [Pairing(pairing_id, donor, recipient, f"{self.place_names[donor]} → {self.place_names[recipient]}")
                         for pairing_id, donor, recipient in db.execute(
                             "SELECT id, donor_place_id, recipient_place_id FROM pairing "
                             "WHERE parent_id IS NULL ORDER BY id")]

    def places_in(self, text: str) -> dict[int, str]:
        """The places `text` names (longest names first, so 九龙县 is not also 九龙), by id."""
        if text not in self._seen:
            self._seen[text] = self._find(text)
        return self._seen[text]

    def _find(self, text: str) -> dict[int, str]:
        found: dict[int, str] = {}
        taken = [False] * len(text)
        for form, place_id in self._forms:
            at = text.find(form)
            while at != -1:
                if not any(taken[at:at + len(form)]):
                    taken[at:at + len(form)] = [True] * len(form)
                    found.setdefault(place_id, form)
                at = text.find(form, at + len(form))
        return found

    def article_pairing(self, text: str) -> Pairing | None:
        """The pairing whose donor and recipient the article names most often."""
        named = self.places_in(text)
        both = [p for p in self.pairings if p.donor in named and p.recipient in named]
        if not both:
            return None
        return max(both, key=lambda p: text.count(named[p.donor]) + text.count(named[p.recipient]))

    def home(self, sentence: str, paragraph: str, article: Pairing | None) -> Home:
        in_paragraph = self.places_in(paragraph)
        for pairing in self.pairings:
            if pairing.donor in in_paragraph and pairing.recipient in in_paragraph:
                return Home(pairing.id, None, f"pairing {pairing.id} ({pairing.label}): the paragraph names "
                                              f"{in_paragraph[pairing.donor]} and {in_paragraph[pairing.recipient]}")
        for pairing in self.pairings:
            side = in_paragraph.get(pairing.recipient) or in_paragraph.get(pairing.donor)
            if side:
                return Home(pairing.id, None, f"pairing {pairing.id} ({pairing.label}): the paragraph names {side}")
        if article is not None:
            return Home(article.id, None, f"pairing {article.id} ({article.label}): the article's pairing "
                                          f"(the paragraph names neither side)")
        in_sentence = self.places_in(sentence)
        if in_sentence:
            place_id, form = next(iter(in_sentence.items()))
            return Home(None, place_id, f"place {place_id} ({self.place_names[place_id]}): the sentence names {form}")
        return Home(None, None, "no pairing or place of the database is named around it",
                    tuple(in_paragraph.values()))
