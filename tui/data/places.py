"""The administrative hierarchy as queries climb it."""

# A place (bound as ?) and every place above it, `depth` 0 for the place itself. Real hierarchies
# have six levels; a longer chain is a cycle of parent_id, and stops.
PLACE_AND_ABOVE = """
    WITH RECURSIVE up(id, name, parent_id, depth) AS (
        SELECT id, name, parent_id, 0 FROM place WHERE id = ?
        UNION ALL SELECT p.id, p.name, p.parent_id, up.depth + 1 FROM place p JOIN up ON p.id = up.parent_id
         WHERE up.depth < 12)"""
