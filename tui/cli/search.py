"""`duikou search` and `duikou show`: answers on standard output, for a quick look over SSH or a script.

Every string from the database goes through `visible`, so a name can never move the cursor,
recolour the terminal or write to its clipboard.
"""
from __future__ import annotations

import sys
from argparse import ArgumentParser
from dataclasses import asdict
from pathlib import Path
from types import SimpleNamespace

from tui.cli.command import Command
from tui.data import Atlas, DuikouError, open_database
from tui.data.search import group_by_kind
from tui.data.search import search as find
from tui.text.format import quantity, source_line, terminal_safe_json, visible, years
from tui.text.totals import totals_line


def search(database: Path, query: str, *, limit: int, as_json: bool) -> int:
    hits = find(open_database(database), query, limit=max(1, limit))
    if as_json:
        print(terminal_safe_json([{"kind": hit.kind, "id": f"{hit.kind}:{hit.ref}", "ref": hit.ref, "name": hit.label,
                      "matched": hit.matched, "reason": hit.reason, "context": hit.context} for hit in hits], indent=1))
        return 0
    if not hits:
        print(f"nothing matches {visible(query)!r}", file=sys.stderr)
        return 0
    for kind, group in group_by_kind(hits).items():
        print(kind)
        for hit in group:
            print(f"  {kind}:{hit.ref}  {visible(hit.label)}  ·  {visible(hit.context)}")
            print(f"      {visible(hit.reason)}: {visible(hit.matched)}")
    return 0


def show(database: Path, item: str, *, as_json: bool) -> int:
    """Print one item (`project:12`, `figure:7`, `pairing:1`; a bare number is a project) with its sources."""
    kind, _, ref = item.rpartition(":")
    kind = kind or "project"
    if not ref.isdigit() or kind not in _SHOW:
        raise DuikouError(f"cannot show {item!r}: give project:ID, figure:ID or pairing:ID (as `duikou search` prints)")
    detail = _SHOW[kind](Atlas(open_database(database)), int(ref))
    if detail is None:
        raise DuikouError(f"there is no {kind} {ref} in {database}")
    if as_json:
        print(terminal_safe_json(detail, indent=1))
    else:
        _print_detail(detail)
    return 0


def _project(atlas: Atlas, ref: int) -> dict | None:
    project = atlas.project(ref)
    return None if project is None else asdict(project) | {"kind": "project"}


def _figure(atlas: Atlas, ref: int) -> dict | None:
    found = atlas.figure(ref)
    if found is None:
        return None
    figure, donor, recipient = found
    return asdict(figure) | {"kind": "figure", "donor": donor, "recipient": recipient}


def _pairing(atlas: Atlas, ref: int) -> dict | None:
    pairing = atlas.pairing(ref)
    return None if pairing is None else asdict(pairing) | {"kind": "pairing"}


_SHOW = {"project": _project, "figure": _figure, "pairing": _pairing}


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
    parser.add_argument("--json", action="store_true", help="one JSON object per result")
    parser.add_argument("--limit", type=int, default=20, help="at most this many results (default 20)")


def _show_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("item", help="project:ID, figure:ID or pairing:ID, as `duikou search` prints them")
    parser.add_argument("--json", action="store_true", help="the item as one JSON object")


SEARCH = Command("search", "print what matches a query, without opening the app",
                 lambda args, database: search(database, args.query, limit=args.limit, as_json=args.json),
                 _search_arguments)
SHOW = Command("show", "print one item with its figures and their sources",
               lambda args, database: show(database, args.item, as_json=args.json), _show_arguments)
