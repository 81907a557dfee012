"""`duikou search` and `duikou show`: answers on standard output, for a quick look over SSH or a script.

Every string from the database goes through `visible`, so a name can never move the cursor,
recolour the terminal or write to its clipboard.
"""
from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from types import SimpleNamespace

from tui.cli.command import Action
from tui.cli.progress import catch_up_saying_so
from tui.data import Atlas, DuikouError, is_stale, open_database
from tui.data.answer import Answer, answer, asks_for_a_total
from tui.data.kinds import BY_NAME
from tui.data.search import describe_item, find, group_by_kind
from tui.text.answers import answer_line, answer_quotes, more_figures_line
from tui.text.format import quantity, source_line, terminal_safe_json, visible, years
from tui.text.i18n import tr
from tui.text.totals import totals_line


def search(database: Path, query: str, *, limit: int, as_json: bool, with_answer: bool = False) -> int:
    limit = max(1, limit)
    db = open_database(database, reads="search")
    found = find(db, query, limit=limit)
    if asks_for_a_total(found.question) and is_stale(db):
        db.close()      # the sums it reads wait for other programs' changes: caught up first
        catch_up_saying_so(database)
        db = open_database(database)
    answered = answer(db, found.question)
    hits = found.hits
    if as_json:
        results = [{"kind": hit.kind, "id": f"{hit.kind}:{hit.ref}", "ref": hit.ref, "name": hit.label,
                    "matched": hit.matched, "reason": hit.reason, "context": hit.context,
                    "not_matched": list(hit.missing)} for hit in hits]
        # The list alone stays what --json has always printed, for the scripts that read it.
        print(terminal_safe_json({"answer": _answer_json(answered), "results": results} if with_answer else results,
                                 indent=1))
        return 0
    if answered is not None and (line := answer_line(answered, "en")):
        print(visible(line))
        for quote, source in answer_quotes(answered):
            print(f"  “{visible(quote)}”")
            print(f"    — {visible(source)}")
        if more := more_figures_line(answered):
            print(f"  {more}")
        print()
    if not hits:
        print(tr("nothing matches {query}", query=repr(visible(query))), file=sys.stderr)
        return 0
    for kind, group in group_by_kind(hits).items():
        print(kind)
        for hit in group:
            # A document's ref is its key: text from the database like the rest.
            print(f"  {kind}:{visible(hit.ref)}  {visible(hit.label)}  ·  {visible(hit.context)}")
            missing = f"  ({tr('not matched')}: {visible(' '.join(hit.missing))})" if hit.missing else ""
            print(f"      {tr(visible(hit.reason))}: {visible(hit.matched)}{missing}")
    print(_count_line(found, limit))
    return 0


def _answer_json(answered: Answer | None) -> dict | None:
    """The answer line's total as data: null when the query asks for none (or asks ambiguously)."""
    if answered is None:
        return None
    return {"scope": answered.scope, "measure": answered.measure, "unit": answered.unit, "sector": answered.sector,
            "year": answered.year, "line": answer_line(answered, "en"),
            "totals": [{"basis": total.basis, "value": total.value, "approximate": total.approximate,
                        "year_from": total.year_from, "year_to": total.year_to, "figures": total.figures,
                        "beside": total.beside} for total in answered.totals],
            "figures": [f"figure:{figure.id}" for figure in answered.figures],
            "quotes": [{"text": quote, "source": source} for quote, source in answer_quotes(answered)],
            "not_placed": list(answered.unplaced)}


def _count_line(found, limit: int) -> str:
    """How many match every term, and how to see those not shown: `12 more: --limit 40`."""
    shown = len(found.complete)
    total = f"{found.total}+" if found.more else str(found.total)
    line = tr("{shown} of {total} matching every term", shown=shown, total=total) if found.total else tr(
        "nothing matches every term")
    if found.unmatched:
        line += f"; {tr('not matched')}: {visible(' '.join(found.unmatched))}"
    if found.total > shown:
        hidden = found.total - shown
        line += "; " + tr("{count} more: --limit {limit}", count=f"{hidden}{'+' if found.more else ''}",
                          limit=limit + (hidden if not found.more else 1000))
    return line


def show(database: Path, item: str, *, as_json: bool) -> int:
    """Print one item (any id `duikou search` prints: `project:12`, `place:7`, `document:KEY` …; a
    bare number is a project) with its sources."""
    kind, ref = _item_id(item)
    detail = _item(Atlas(open_database(database)), kind, ref)
    if detail is None:
        raise DuikouError(tr("there is no {kind} {ref} in {database}", kind=kind, ref=ref, database=database))
    if as_json:
        print(terminal_safe_json(detail, indent=1))
    else:
        _print_detail(detail)
    return 0


def _project(atlas: Atlas, ref: int) -> dict | None:
    project = atlas.project(ref)
    return None if project is None else _plain(project) | {"kind": "project"}


def _figure(atlas: Atlas, ref: int) -> dict | None:
    found = atlas.figure(ref)
    if found is None:
        return None
    figure, donor, recipient = found
    return _plain(figure) | {"kind": "figure", "donor": donor, "recipient": recipient}


def _pairing(atlas: Atlas, ref: int) -> dict | None:
    pairing = atlas.pairing(ref)
    return None if pairing is None else _plain(pairing) | {"kind": "pairing"}


def _plain(value: object) -> object:
    """A record as JSON shows it: named tuples as objects, at every level."""
    if hasattr(value, "_asdict"):
        return {name: _plain(item) for name, item in value._asdict().items()}
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    return value


_SHOW = {"project": _project, "figure": _figure, "pairing": _pairing}


def _item_id(item: str) -> tuple[str, int | str]:
    """(kind, ref) of an id as `duikou search` prints it; a bare number is a project."""
    kind, _, ref = item.partition(":") if ":" in item else ("project", "", item)
    if kind not in BY_NAME or not ref or (BY_NAME[kind].key == "id" and not ref.isdigit()):
        raise DuikouError(f"cannot show {item!r}: give KIND:ID as `duikou search` prints it "
                          f"({', '.join(f'{name}:…' for name in BY_NAME)})")
    return kind, int(ref) if BY_NAME[kind].key == "id" else ref


def _item(atlas: Atlas, kind: str, ref: int | str) -> dict | None:
    """The fullest record of an item: the Atlas's own for projects, figures and top-level pairings;
    for any other item (a place, a sub-pairing, a document …) what search describes it by."""
    detail = _SHOW[kind](atlas, ref) if kind in _SHOW else None
    return detail if detail is not None else describe_item(atlas.db, kind, ref)


def _print_detail(detail: dict) -> None:
    title = detail.get("name") or f"{detail.get('donor')} → {detail.get('recipient')}"
    print(f"{detail['kind']}:{detail['id']}  {visible(title)}")
    if "unit" in detail:
        print(f"  {'value':12} {quantity(detail['value'], detail['unit'], detail['qualifier'], 'en')}")
    for key in ("money", "poverty_exit"):
        totals = detail.get(key) or ()
        if text := totals_line((SimpleNamespace(**total) for total in ([totals] if isinstance(totals, dict) else totals)), "en"):
            print(f"  {key:12} {text}")
    for key, value in detail.items():
        if key in ("kind", "id", "name", "figures", "quotes", "value", "unit", "qualifier", "money", "poverty_exit") \
                or value in (None, (), ""):
            continue
        print(f"  {key:12} {visible(' › '.join(value) if isinstance(value, (list, tuple)) else value)}")
    for figure in detail.get("figures", ()):
        print(f"  · {visible(figure['name'])}: {quantity(figure['value'], figure['unit'], figure['qualifier'], 'en')}"
              f"  {years(figure['year'], figure['end_year'])}")
        _print_quotes(figure["quotes"], indent="      ")
    if "quotes" in detail:
        _print_quotes(detail["quotes"], indent="  ")


def _print_quotes(quotes, indent: str) -> None:
    if not quotes:
        print(f"{indent}no source")
    for quote in quotes:
        print(f"{indent}“{visible(quote['text'])}”")
        print(f"{indent}  — {visible(source_line(quote['document']))}")


def _search_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("query")
    parser.add_argument("--json", action="store_true", help="one JSON object per result, in a list")
    parser.add_argument("--answer", action="store_true",
                        help="with --json: one object, the total the query asks for (or null) as `answer` "
                             "and the list as `results`")
    parser.add_argument("--limit", type=int, default=20, help="at most this many results (default 20)")


def _show_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("item", help="an id as `duikou search` prints it (project:ID, place:ID, document:KEY …)")
    parser.add_argument("--json", action="store_true", help="the item as one JSON object")


SEARCH = Action(lambda args, database: search(database, args.query, limit=args.limit, as_json=args.json,
                                               with_answer=args.answer), _search_arguments)
SHOW = Action(lambda args, database: show(database, args.item, as_json=args.json), _show_arguments)
