-- Duikou's roll-ups: tables derived from figure, project and pairing (db/schema.sql), so that a
-- sum over a donor with a hundred thousand projects reads a few rows. Duikou fills them
-- (tui/data/rollup.py); write nothing here yourself. Built after db/schema.sql.
--
-- A figure's cell is its top-level pairing and sector (the project's sector for a project's
-- figure), or, for a place's own figure, that place. A total covers its parts: "level" says from
-- which scope up a part is covered, so never added: 1 when its total is in the same cell, 2 in the
-- same pairing (a scope without a sector), 3 on the pairing's donor place (a scope without a
-- sector or a recipient). Changes by any client are queued in rollup_stale by triggers, like the
-- search index.
-- Each sum is kept at four grains, so that a question reads no finer rows than it needs:
-- grain 0 per cell, figure sector and year (a detail pane's charts), 1 per cell, 2 per pairing
-- or place, 3 per sector, figure sector and year over every pairing (a scope naming no donor
-- and no recipient); the columns a grain leaves out are NULL.
CREATE TABLE rollup (
    grain        INTEGER NOT NULL,
    pairing_id   INTEGER,              -- the top-level pairing, or NULL for a place's own figures
    place_id     INTEGER,              -- that place
    sector       TEXT,                 -- the cell's sector
    shown_sector TEXT,                 -- the figure's own sector, for money by sector
    year         INTEGER,
    measure      TEXT NOT NULL,
    unit         TEXT NOT NULL,
    value        REAL NOT NULL,        -- every figure added, parts and totals alike
    figures      INTEGER NOT NULL,
    largest      REAL NOT NULL,
    covered_1    REAL NOT NULL DEFAULT 0, covered_1_count INTEGER NOT NULL DEFAULT 0,
    covered_2    REAL NOT NULL DEFAULT 0, covered_2_count INTEGER NOT NULL DEFAULT 0,
    covered_3    REAL NOT NULL DEFAULT 0, covered_3_count INTEGER NOT NULL DEFAULT 0,
    sample       TEXT NOT NULL DEFAULT ''   -- a few ids of figures no total covers, space-separated
);
CREATE INDEX rollup_pairing ON rollup(grain, pairing_id, measure, unit, sector);
CREATE INDEX rollup_place ON rollup(grain, place_id, measure, unit);
-- Every cell with a sector that holds projects or figures, and how many projects.
CREATE TABLE rollup_cell (
    pairing_id INTEGER NOT NULL,
    sector     TEXT NOT NULL,
    projects   INTEGER NOT NULL,
    PRIMARY KEY (pairing_id, sector)
) WITHOUT ROWID;
CREATE INDEX rollup_cell_sector ON rollup_cell(sector, pairing_id);
-- Each figure with a total above it: one row per ancestor, with both cells. "reach" is the level
-- from which that ancestor is in every scope holding the figure (NULL: in another pairing or
-- place, so it depends on the scope); "level" the figure's least reach over totals of its kind
-- (4: no total of its kind is sure to be in a scope that holds it).
CREATE TABLE rollup_part (
    figure_id            INTEGER NOT NULL,
    ancestor_id          INTEGER NOT NULL,
    pairing_id           INTEGER,
    place_id             INTEGER,
    sector               TEXT,
    shown_sector         TEXT,
    year                 INTEGER,
    measure              TEXT NOT NULL,
    unit                 TEXT NOT NULL,
    value                REAL NOT NULL,
    ancestor_pairing_id  INTEGER,
    ancestor_place_id    INTEGER,
    ancestor_sector      TEXT,
    covers               INTEGER NOT NULL,    -- the ancestor counts the same measure in the same unit
    reach                INTEGER,
    level                INTEGER NOT NULL,
    PRIMARY KEY (figure_id, ancestor_id)
) WITHOUT ROWID;
CREATE INDEX rollup_part_pairing ON rollup_part(pairing_id, sector);
CREATE INDEX rollup_part_cross ON rollup_part(pairing_id, sector) WHERE reach IS NULL;
CREATE INDEX rollup_part_level ON rollup_part(pairing_id, measure, unit, level);
CREATE INDEX rollup_part_place ON rollup_part(place_id);
CREATE INDEX rollup_part_ancestor_pairing ON rollup_part(ancestor_pairing_id);
CREATE INDEX rollup_part_ancestor_place ON rollup_part(ancestor_place_id);
CREATE TABLE rollup_stale (
    kind TEXT NOT NULL,                    -- 'pairing' (a top-level pairing) or 'place'
    ref  INTEGER NOT NULL,
    PRIMARY KEY (kind, ref)
) WITHOUT ROWID;

-- The cell of a figure (see rollup above).
CREATE VIEW figure_cell AS
SELECT f.id,
       coalesce(pr.parent_id, pr.id)                                   AS pairing_id,
       CASE WHEN pr.id IS NULL THEN f.place_id END                     AS place_id,
       CASE WHEN f.project_id IS NULL THEN f.sector ELSE p.sector END  AS sector,
       coalesce(f.sector, p.sector)                                    AS shown_sector,
       f.year, f.measure, f.unit, f.value, f.part_of_id
FROM figure f
LEFT JOIN project p  ON p.id = f.project_id
LEFT JOIN pairing pr ON pr.id = coalesce(f.pairing_id, p.pairing_id);

-- Where a figure's roll-up lives: ('pairing', top-level pairing) or ('place', place).
CREATE VIEW figure_home AS
SELECT id, CASE WHEN pairing_id IS NULL THEN 'place' ELSE 'pairing' END AS kind, coalesce(pairing_id, place_id) AS ref
FROM figure_cell WHERE coalesce(pairing_id, place_id) IS NOT NULL;

CREATE TRIGGER figure_rollup_ins AFTER INSERT ON figure BEGIN
    INSERT OR IGNORE INTO rollup_stale SELECT kind, ref FROM figure_home WHERE id = NEW.id;
END;
CREATE TRIGGER figure_rollup_upd_before BEFORE UPDATE ON figure BEGIN
    INSERT OR IGNORE INTO rollup_stale SELECT kind, ref FROM figure_home WHERE id = OLD.id;
END;
CREATE TRIGGER figure_rollup_upd AFTER UPDATE ON figure BEGIN
    INSERT OR IGNORE INTO rollup_stale SELECT kind, ref FROM figure_home WHERE id = NEW.id;
END;
CREATE TRIGGER figure_rollup_del BEFORE DELETE ON figure BEGIN
    INSERT OR IGNORE INTO rollup_stale SELECT kind, ref FROM figure_home WHERE id = OLD.id;
END;
CREATE TRIGGER project_rollup_ins AFTER INSERT ON project BEGIN
    INSERT OR IGNORE INTO rollup_stale SELECT 'pairing', coalesce(parent_id, id) FROM pairing WHERE id = NEW.pairing_id;
END;
CREATE TRIGGER project_rollup_upd AFTER UPDATE OF id, pairing_id, sector ON project BEGIN
    INSERT OR IGNORE INTO rollup_stale SELECT 'pairing', coalesce(parent_id, id) FROM pairing
                                       WHERE id IN (OLD.pairing_id, NEW.pairing_id);
END;
CREATE TRIGGER project_rollup_del AFTER DELETE ON project BEGIN
    INSERT OR IGNORE INTO rollup_stale SELECT 'pairing', coalesce(parent_id, id) FROM pairing WHERE id = OLD.pairing_id;
END;
CREATE TRIGGER pairing_rollup_upd AFTER UPDATE OF id, parent_id ON pairing BEGIN
    INSERT OR IGNORE INTO rollup_stale VALUES ('pairing', coalesce(OLD.parent_id, OLD.id)),
                                              ('pairing', coalesce(NEW.parent_id, NEW.id));
END;
CREATE TRIGGER pairing_rollup_del AFTER DELETE ON pairing BEGIN
    INSERT OR IGNORE INTO rollup_stale VALUES ('pairing', coalesce(OLD.parent_id, OLD.id));
END;
