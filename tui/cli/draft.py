"""`duikou draft ARTICLE.txt`: an article's figures as an SQL file to check and load, or to review
first in the app with --review."""
from __future__ import annotations

from argparse import ArgumentParser, Namespace
from pathlib import Path

from tui.cli.command import Action
from tui.data import DuikouError, connect


def draft(args: Namespace, database: Path) -> int:
    from tui.data.draft import draft_article  # the article reader loads only to draft
    from tui.data.draft.writing import sql_of

    db = connect(database)
    try:
        drafted = draft_article(args.article, db, args.key, args.encoding)
        if args.review:
            from tui.browser.screens.review import review  # Textual loads only for the review

            if not review(drafted):
                print("nothing written: the review was left without writing")
                return 0
        text = sql_of(drafted, db, str(args.article))
    finally:
        db.close()
    output = args.output or Path(f"{Path(args.article).stem}.sql")
    _write(output, text)
    chosen = [candidate for candidate in drafted.candidates if candidate.accepted]
    placed = sum(candidate.placed for candidate in chosen)
    print(f"drafted {len(chosen)} figure(s) into {output}: {placed} with a home, {len(chosen) - placed} "
          f"commented out to place; check the guesses, then `duikou load {output} --db YOUR.db`")
    return 0


def _write(path: Path, text: str) -> None:
    try:
        with open(path, "x", encoding="utf-8") as out:   # "x": never over a file already there
            out.write(text)
    except FileExistsError:
        raise DuikouError(f"{path} already exists: give another name with --output, or remove it first") from None
    except OSError as error:
        raise DuikouError(f"cannot write {path}: {error.strerror}") from None


def _arguments(parser: ArgumentParser) -> None:
    parser.add_argument("article", type=Path, help="the article's text (UTF-8 unless --encoding says otherwise)")
    parser.add_argument("--key", help="the document's key (default: the article's file name)")
    parser.add_argument("--output", type=Path, metavar="FILE.sql",
                        help="where to write the SQL (default: the article's name with .sql, here); never overwritten")
    parser.add_argument("--encoding", default="utf-8", help="the article's encoding, e.g. gb18030 (default utf-8)")
    parser.add_argument("--review", action="store_true",
                        help="review each figure in the app (accept, reject, change its home…) before writing")


def _run(args: Namespace, database: Path | None) -> int:
    if database is None:
        raise DuikouError("draft needs a database to guess homes and free ids from")
    return draft(args, database)


DRAFT = Action(_run, _arguments)
