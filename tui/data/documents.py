"""A source document and everything that cites it: its figures and its projects, a page at a time.

A synthetic national report is cited by 157,000 figures: the view reads the first page of each
and the counts, and further pages as they are asked for, each through the index of `document`.
"""
from __future__ import annotations

from typing import NamedTuple

from tui.data.atlas import Atlas, Document, Figure

PAGE = 50   # figures (and projects) citing a document read at a time

# Cited as a row's own source or as a further one (evidence), each once. The two halves come in
# their order from their indexes and SQLite merges them, so a page stops after its rows.
_FIGURE_PAGE = """
    SELECT id FROM figure WHERE document = :key
    UNION SELECT figure_id FROM evidence WHERE document = :key AND figure_id IS NOT NULL
    ORDER BY 1 LIMIT :limit OFFSET :offset"""
_PROJECT_PAGE = """
    SELECT id, name, year, end_year FROM project WHERE document = :key
    UNION SELECT p.id, p.name, p.year, p.end_year FROM evidence e JOIN project p ON p.id = e.project_id
    WHERE e.document = :key
    ORDER BY 2, 1 LIMIT :limit OFFSET :offset"""
# Counted without reading the rows: the own citations from the index, then the further ones
# that are not also own.
_COUNTS = """
    SELECT (SELECT count(*) FROM figure WHERE document = :key)
           + (SELECT count(DISTINCT e.figure_id) FROM evidence e JOIN figure f ON f.id = e.figure_id
              WHERE e.document = :key AND f.document IS NOT :key),
           (SELECT count(*) FROM project WHERE document = :key)
           + (SELECT count(DISTINCT e.project_id) FROM evidence e JOIN project p ON p.id = e.project_id
              WHERE e.document = :key AND p.document IS NOT :key)"""


class CitingProject(NamedTuple):
    id: int
    name: str
    year: int | None
    end_year: int | None


class DocumentView(NamedTuple):
    document: Document
    figures: tuple[Figure, ...]          # the figures citing it read so far, by id
    figure_count: int                    # how many cite it in all
    projects: tuple[CitingProject, ...]  # the projects citing it read so far, by name
    project_count: int

    @property
    def complete(self) -> bool:
        """Whether every figure and project citing it is read."""
        return len(self.figures) >= self.figure_count and len(self.projects) >= self.project_count


def documents(atlas: Atlas) -> list[Document]:
    """Every document, by key."""
    return [Document(*row) for row in atlas.db.execute(
        "SELECT key, title, publisher, author, published FROM document ORDER BY key")]


def document_view(atlas: Atlas, key: str) -> DocumentView | None:
    """The document `key` with the first page of the figures and projects citing it and how many
    cite it in all; None when there is no such document."""
    row = atlas.db.execute("SELECT key, title, publisher, author, published FROM document WHERE key = ?",
                           (key,)).fetchone()
    if row is None:
        return None
    figure_count, project_count = atlas.db.execute(_COUNTS, {"key": key}).fetchone()
    return next_page(atlas, DocumentView(Document(*row), (), figure_count, (), project_count))


def next_page(atlas: Atlas, view: DocumentView) -> DocumentView:
    """`view` with the next page of the figures and of the projects citing its document."""
    key = view.document.key
    figure_ids = [figure_id for (figure_id,) in atlas.db.execute(
        _FIGURE_PAGE, {"key": key, "limit": PAGE, "offset": len(view.figures)})]
    projects = [CitingProject(*project) for project in atlas.db.execute(
        _PROJECT_PAGE, {"key": key, "limit": PAGE, "offset": len(view.projects)})]
    return DocumentView(view.document, view.figures + atlas.figures_by_id(figure_ids),
                        view.figure_count, view.projects + tuple(projects), view.project_count)
