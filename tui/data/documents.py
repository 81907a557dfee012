"""A source document and everything that cites it: its figures and its projects."""
from __future__ import annotations

from dataclasses import dataclass

from tui.data.atlas import Atlas, Document, Figure

LIMIT = 500   # a document cited by more is shown with its first LIMIT figures and projects, and the count

# Cited as a row's own source or as a further one (evidence); each select reads through an index
# of its own where the schema has one.
_FIGURES = """
    SELECT id FROM figure WHERE document = :key
    UNION SELECT figure_id FROM evidence WHERE document = :key AND figure_id IS NOT NULL
    ORDER BY 1 LIMIT :limit"""
_FIGURE_COUNT = """SELECT count(*) FROM (SELECT id FROM figure WHERE document = :key
    UNION SELECT figure_id FROM evidence WHERE document = :key AND figure_id IS NOT NULL)"""
_PROJECTS = """
    SELECT p.id, p.name, p.year, p.end_year FROM project p
    WHERE p.id IN (SELECT id FROM project WHERE document = :key
                   UNION SELECT project_id FROM evidence WHERE document = :key AND project_id IS NOT NULL)
    ORDER BY p.name, p.id LIMIT :limit"""
_PROJECT_COUNT = """SELECT count(*) FROM (SELECT id FROM project WHERE document = :key
    UNION SELECT project_id FROM evidence WHERE document = :key AND project_id IS NOT NULL)"""


@dataclass(frozen=True)
class CitingProject:
    id: int
    name: str
    year: int | None
    end_year: int | None


@dataclass(frozen=True)
class DocumentView:
    document: Document
    figures: tuple[Figure, ...]          # the first LIMIT figures citing it, by id
    figure_count: int
    projects: tuple[CitingProject, ...]  # the first LIMIT projects citing it, by name
    project_count: int


def documents(atlas: Atlas) -> list[Document]:
    """Every document, by key."""
    return [Document(*row) for row in atlas.db.execute(
        "SELECT key, title, publisher, author, published FROM document ORDER BY key")]


def document_view(atlas: Atlas, key: str) -> DocumentView | None:
    """The document `key` with every figure and project citing it; None when there is no such document."""
    row = atlas.db.execute("SELECT key, title, publisher, author, published FROM document WHERE key = ?",
                           (key,)).fetchone()
    if row is None:
        return None
    params = {"key": key, "limit": LIMIT}
    figures = tuple(figure for (figure_id,) in atlas.db.execute(_FIGURES, params)
                    if (figure := atlas.figure_alone(figure_id)) is not None)
    projects = tuple(CitingProject(*project) for project in atlas.db.execute(_PROJECTS, params))
    return DocumentView(Document(*row), figures, atlas.db.execute(_FIGURE_COUNT, params).fetchone()[0],
                        projects, atlas.db.execute(_PROJECT_COUNT, params).fetchone()[0])
