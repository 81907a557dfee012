"""Where the files Duikou ships sit: the schema, the derived tables' definitions and the seed.

A module of its own, importing nothing, so that what builds databases (bundle) and what keeps
their derived tables (derived) can both read the files without importing each other."""
from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent
# In a wheel the data sits inside the package; in a source checkout, at the top of the tree.
BUNDLE_DIR = next((p for p in (_PACKAGE / "db", _PACKAGE.parent / "db") if (p / "schema.sql").is_file()),
                  _PACKAGE / "db")
SCHEMA = BUNDLE_DIR / "schema.sql"
SEARCH = BUNDLE_DIR / "search.sql"
ROLLUP = BUNDLE_DIR / "rollup.sql"
SEED = BUNDLE_DIR / "seed.sql"
