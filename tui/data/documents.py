"""A source document and everything that cites it: its figures and its projects."""
from __future__ import annotations

import json
from dataclasses import dataclass

from tui.data.atlas import Atlas, Document, Figure

LIMIT = 500   # a document cited by more is shown with its first LIMIT figures and projects, and the count

# Cited as a row's own source or as a further one (evidence). The figure table has no index of
# documents, so the ids are read in one pass, which gives their count as well.
_FIGURES = """
    SELECT id FROM figure WHERE document = :key
    UNION SELECT figure_id FROM evidence WHERE document = :key AND figure_id IS NOT NULL
    ORDER BY 1"""
_PROJECTS = """
    SELECT id FROM project WHERE document = :key
    UNION SELECT project_id FROM evidence WHERE document = :key AND project_id IS NOT NULL"""
_PROJECT_ROWS = """
    SELECT id, name, year, end_year FROM project WHERE id IN (SELECT value FROM json_each(:ids))
    ORDER BY name, id LIMIT :limit"""


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
    figure_ids = [figure_id for (figure_id,) in atlas.db.execute(_FIGURES, {"key": key})]
    project_ids = [project_id for (project_id,) in atlas.db.execute(_PROJECTS, {"key": key})]
    figures = tuple(figure for figure_id in figure_ids[:LIMIT] if (figure := atlas.figure_alone(figure_id)) is not None)
    projects = tuple(CitingProject(*project) for project in atlas.db.execute(
        _PROJECT_ROWS, {"ids": json.dumps(project_ids), "limit": LIMIT}))
    return DocumentView(Document(*row), figures, len(figure_ids), projects, len(project_ids))
