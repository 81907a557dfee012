-- Duikou's roll-ups: tables derived from figure, project and pairing (db/schema.sql), so that a
-- sum over a donor with a hundred thousand projects reads a few rows. Duikou fills them
-- (tui/data/rollup.py); write nothing here yourself. Built after db/schema.sql.
--
-- A figure's home is its top-level pairing, or, for a place's own figure, that place. Every sum
-- (v_total) adds figures of one additive measure, one unit and one basis, leaving out a figure
-- whose total is in the same sum, and a figure not counted in sums (shown beside). Homes are
-- summed one by one (total_home); a scope's total is its homes' sums added, except that homes a
-- part_of link joins across (total_link) are summed together. Changes by any client are queued
-- in rollup_stale by triggers, like the search index.

-- One home's sums, as if it were alone: per sector (NULL: all) and year (NULL: all years; else
-- only figures lying in that year). `approx` counts the approximate figures added.
CREATE TABLE total_home (
    kind      TEXT NOT NULL,               -- 'pairing' (top-level) or 'place'
    ref       INTEGER NOT NULL,
    sector    TEXT,
    year      INTEGER,
    measure   TEXT NOT NULL,
    unit      TEXT NOT NULL,
    basis     TEXT NOT NULL,
    value     REAL NOT NULL,
    figures   INTEGER NOT NULL,
    beside    REAL NOT NULL,
    approx    INTEGER NOT NULL,
    year_from INTEGER,
    year_to   INTEGER,
    sample    TEXT NOT NULL            -- the first few ids of the figures added, space-separated
);
-- By home, then by sum: a change by the difference finds each sum it touches directly.
CREATE INDEX total_home_key ON total_home(kind, ref, measure, unit, basis, sector, year);
-- A figure in one home with a total above it in another: such homes are summed together.
CREATE TABLE total_link (
    kind          TEXT NOT NULL,
    ref           INTEGER NOT NULL,
    ancestor_kind TEXT NOT NULL,
    ancestor_ref  INTEGER NOT NULL,
    PRIMARY KEY (kind, ref, ancestor_kind, ancestor_ref)
) WITHOUT ROWID;
CREATE INDEX total_link_ancestor ON total_link(ancestor_kind, ancestor_ref);
-- How many figures each home holds, of any measure.
CREATE TABLE rollup_home (
    kind    TEXT NOT NULL,
    ref     INTEGER NOT NULL,
    figures INTEGER NOT NULL,
    PRIMARY KEY (kind, ref)
) WITHOUT ROWID;
-- The largest single figure of each measure and unit a home holds: reports of a measure that is
-- never added (cadres sent) overlap, and the largest is what can be said of them, a lower bound.
CREATE TABLE rollup_largest (
    kind    TEXT NOT NULL,
    ref     INTEGER NOT NULL,
    measure TEXT NOT NULL,
    unit    TEXT NOT NULL,
    value   REAL NOT NULL,
    PRIMARY KEY (kind, ref, measure, unit)
) WITHOUT ROWID;
-- Every total the app shows (v_total reads it): a scope is 'pairing' (one top-level pairing),
-- 'donor', 'recipient' or 'all'; the parties it does not fix are NULL.
CREATE TABLE total (
    scope              TEXT NOT NULL,
    pairing_id         INTEGER,
    donor_place_id     INTEGER,
    donor_org_id       INTEGER,
    recipient_place_id INTEGER,
    recipient_org_id   INTEGER,
    donor              TEXT,
    recipient          TEXT,
    sector             TEXT,
    year               INTEGER,
    measure            TEXT NOT NULL,
    unit               TEXT NOT NULL,
    basis              TEXT NOT NULL,
    value              REAL NOT NULL,
    figures            INTEGER NOT NULL,
    beside             REAL NOT NULL,
    approx             INTEGER NOT NULL,
    year_from          INTEGER,
    year_to            INTEGER,
    sample             TEXT NOT NULL   -- the first few ids of the figures added, space-separated
);
CREATE INDEX total_scope ON total(scope, pairing_id, donor_place_id, donor_org_id, recipient_place_id,
                                  recipient_org_id, measure, unit, basis, sector, year);
CREATE INDEX total_named ON total(scope, donor, recipient, measure, unit, basis, sector, year);
-- Every cell (top-level pairing and sector) that holds projects or figures, and how many projects.
CREATE TABLE rollup_cell (
    pairing_id INTEGER NOT NULL,
    sector     TEXT NOT NULL,
    projects   INTEGER NOT NULL,
    PRIMARY KEY (pairing_id, sector)
) WITHOUT ROWID;
CREATE INDEX rollup_cell_sector ON rollup_cell(sector, pairing_id);
CREATE TABLE rollup_stale (
    kind TEXT NOT NULL,                    -- 'pairing' (a top-level pairing) or 'place'; 'place name' or
    ref  INTEGER NOT NULL,                 -- 'organisation name': a party renamed, whose sums only show it
    PRIMARY KEY (kind, ref)
) WITHOUT ROWID;

-- Every total the app shows (public, design §8). value adds only figures that cannot overlap;
-- beside is what may overlap it (figures not counted in sums); qualifier 'approx' when any
-- figure added is approximate; pairing_id names the top-level pairing of a 'pairing' row, since
-- two pairings of the same donor and recipient each have their own.
CREATE VIEW v_total AS
SELECT scope, donor, recipient, sector, year, measure, unit, basis, value,
       CASE WHEN approx > 0 THEN 'approx' END AS qualifier,
       year_from, year_to, figures, beside, pairing_id
FROM total;

-- The cell of a figure: its top-level pairing and sector, or its place.
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

-- A figure as the sums last saw it, for each figure changed since: what the catch-up takes out of
-- its home's sums (tui/data/rollup.py adds what it is now). `existed` 0: it is new. The triggers
-- keep the first state of each figure, the one the sums hold, whatever came after: they insert
-- only ids not yet there (never OR IGNORE, which an outer INSERT OR REPLACE would turn into a
-- replace of that first state).
CREATE TABLE rollup_figure_was (
    id       INTEGER PRIMARY KEY,
    existed  INTEGER NOT NULL,
    kind     TEXT,                  -- its home, as total_home's; NULL: it had none
    ref      INTEGER,
    sector   TEXT,
    year     INTEGER,
    end_year INTEGER,
    measure  TEXT,
    unit     TEXT,
    basis    TEXT,
    counts   INTEGER,
    value    REAL,
    approx   INTEGER,
    part_of  INTEGER
);
-- A project as the sums last saw it (the cell its count is in), likewise.
CREATE TABLE rollup_project_was (
    id         INTEGER PRIMARY KEY,
    existed    INTEGER NOT NULL,
    pairing_id INTEGER,             -- its top-level pairing; NULL: none
    sector     TEXT
);
-- A figure as a sum sees it: its home, the sector it counts in, its basis and precision.
CREATE VIEW figure_summed AS
SELECT f.id,
       CASE WHEN f.project_id IS NOT NULL OR f.pairing_id IS NOT NULL THEN CASE WHEN pr.id IS NOT NULL THEN 'pairing' END
            WHEN f.place_id IS NOT NULL THEN 'place' END AS kind,
       CASE WHEN f.project_id IS NOT NULL OR f.pairing_id IS NOT NULL THEN coalesce(pr.parent_id, pr.id)
            ELSE f.place_id END AS ref,
       CASE WHEN f.project_id IS NOT NULL THEN coalesce(f.sector, p.sector, 'overall')
            ELSE coalesce(f.sector, 'overall') END AS sector,
       f.year, f.end_year, f.measure, f.unit,
       coalesce(f.basis, CASE WHEN f.qualifier = 'planned' THEN 'planned' ELSE 'actual' END) AS basis,
       f.counts_in_sums AS counts, f.value, coalesce(f.qualifier IN ('approx', 'range'), 0) AS approx,
       f.part_of_id AS part_of
FROM figure f
LEFT JOIN project p ON p.id = f.project_id
LEFT JOIN pairing pr ON pr.id = CASE WHEN f.project_id IS NOT NULL THEN p.pairing_id ELSE f.pairing_id END;
CREATE VIEW project_summed AS
SELECT p.id, coalesce(pr.parent_id, pr.id) AS pairing_id, p.sector
FROM project p LEFT JOIN pairing pr ON pr.id = p.pairing_id;

CREATE TRIGGER figure_sums_ins AFTER INSERT ON figure BEGIN
    INSERT INTO rollup_figure_was (id, existed) SELECT NEW.id, 0
    WHERE NOT EXISTS (SELECT 1 FROM rollup_figure_was WHERE id = NEW.id);
END;
-- BEFORE INSERT sees the row an INSERT OR REPLACE is about to delete.
CREATE TRIGGER figure_sums_replaced BEFORE INSERT ON figure BEGIN
    INSERT INTO rollup_figure_was SELECT id, 1, kind, ref, sector, year, end_year, measure, unit, basis,
                                                   counts, value, approx, part_of FROM figure_summed
    WHERE id = NEW.id AND id NOT IN (SELECT id FROM rollup_figure_was);
END;
CREATE TRIGGER figure_sums_upd BEFORE UPDATE ON figure BEGIN
    INSERT INTO rollup_figure_was SELECT id, 1, kind, ref, sector, year, end_year, measure, unit, basis,
                                                   counts, value, approx, part_of FROM figure_summed
    WHERE id = OLD.id AND id NOT IN (SELECT id FROM rollup_figure_was);
END;
CREATE TRIGGER figure_sums_renumbered AFTER UPDATE OF id ON figure WHEN NEW.id IS NOT OLD.id BEGIN
    INSERT INTO rollup_figure_was (id, existed) SELECT NEW.id, 0
    WHERE NOT EXISTS (SELECT 1 FROM rollup_figure_was WHERE id = NEW.id);
END;
CREATE TRIGGER figure_sums_del BEFORE DELETE ON figure BEGIN
    INSERT INTO rollup_figure_was SELECT id, 1, kind, ref, sector, year, end_year, measure, unit, basis,
                                                   counts, value, approx, part_of FROM figure_summed
    WHERE id = OLD.id AND id NOT IN (SELECT id FROM rollup_figure_was);
END;
CREATE TRIGGER project_sums_ins AFTER INSERT ON project BEGIN
    INSERT INTO rollup_project_was (id, existed) SELECT NEW.id, 0
    WHERE NOT EXISTS (SELECT 1 FROM rollup_project_was WHERE id = NEW.id);
END;
CREATE TRIGGER project_sums_renumbered AFTER UPDATE OF id ON project WHEN NEW.id IS NOT OLD.id BEGIN
    INSERT INTO rollup_project_was (id, existed) SELECT NEW.id, 0
    WHERE NOT EXISTS (SELECT 1 FROM rollup_project_was WHERE id = NEW.id);
END;
-- A project moved, its sector changed, deleted or replaced: it and its figures as they were.
CREATE TRIGGER project_sums_replaced BEFORE INSERT ON project BEGIN
    INSERT INTO rollup_project_was SELECT id, 1, pairing_id, sector FROM project_summed
    WHERE id = NEW.id AND id NOT IN (SELECT id FROM rollup_project_was);
    INSERT INTO rollup_figure_was SELECT id, 1, kind, ref, sector, year, end_year, measure, unit, basis,
                                                   counts, value, approx, part_of FROM figure_summed
    WHERE id IN (SELECT id FROM figure WHERE project_id = NEW.id) AND id NOT IN (SELECT id FROM rollup_figure_was);
END;
CREATE TRIGGER project_sums_upd BEFORE UPDATE OF id, pairing_id, sector ON project BEGIN
    INSERT INTO rollup_project_was SELECT id, 1, pairing_id, sector FROM project_summed
    WHERE id = OLD.id AND id NOT IN (SELECT id FROM rollup_project_was);
    INSERT INTO rollup_figure_was SELECT id, 1, kind, ref, sector, year, end_year, measure, unit, basis,
                                                   counts, value, approx, part_of FROM figure_summed
    WHERE id IN (SELECT id FROM figure WHERE project_id = OLD.id) AND id NOT IN (SELECT id FROM rollup_figure_was);
END;
CREATE TRIGGER project_sums_del BEFORE DELETE ON project BEGIN
    INSERT INTO rollup_project_was SELECT id, 1, pairing_id, sector FROM project_summed
    WHERE id = OLD.id AND id NOT IN (SELECT id FROM rollup_project_was);
    INSERT INTO rollup_figure_was SELECT id, 1, kind, ref, sector, year, end_year, measure, unit, basis,
                                                   counts, value, approx, part_of FROM figure_summed
    WHERE id IN (SELECT id FROM figure WHERE project_id = OLD.id) AND id NOT IN (SELECT id FROM rollup_figure_was);
END;
-- A sub-pairing moved under another top-level pairing takes its projects and figures along.
CREATE TRIGGER pairing_sums_moved BEFORE UPDATE OF parent_id ON pairing BEGIN
    INSERT INTO rollup_project_was SELECT id, 1, pairing_id, sector FROM project_summed
    WHERE id IN (SELECT id FROM project WHERE pairing_id = OLD.id) AND id NOT IN (SELECT id FROM rollup_project_was);
    INSERT INTO rollup_figure_was SELECT id, 1, kind, ref, sector, year, end_year, measure, unit, basis,
                                                   counts, value, approx, part_of FROM figure_summed
    WHERE id IN (SELECT id FROM figure WHERE pairing_id = OLD.id
                 UNION ALL SELECT f.id FROM project p JOIN figure f ON f.project_id = p.id WHERE p.pairing_id = OLD.id)
      AND id NOT IN (SELECT id FROM rollup_figure_was);
END;
CREATE TRIGGER pairing_rollup_renumbered AFTER UPDATE OF id ON pairing BEGIN
    INSERT INTO rollup_stale VALUES ('pairing', coalesce(OLD.parent_id, OLD.id)),
                                              ('pairing', coalesce(NEW.parent_id, NEW.id)) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER pairing_rollup_del AFTER DELETE ON pairing BEGIN
    INSERT INTO rollup_stale VALUES ('pairing', coalesce(OLD.parent_id, OLD.id)) ON CONFLICT DO NOTHING;
END;
-- A row replaced (INSERT OR REPLACE deletes the old row without firing its delete triggers): the
-- home the old row was in is queued before the new row takes its place.
CREATE TRIGGER pairing_rollup_replaced BEFORE INSERT ON pairing BEGIN
    INSERT INTO rollup_stale SELECT 'pairing', coalesce(parent_id, id) FROM pairing WHERE id = NEW.id ON CONFLICT DO NOTHING;
END;
-- (the new row of a replaced pairing holds the old one's projects and figures)
CREATE TRIGGER pairing_rollup_ins AFTER INSERT ON pairing
WHEN EXISTS (SELECT 1 FROM project WHERE pairing_id = NEW.id) OR EXISTS (SELECT 1 FROM figure WHERE pairing_id = NEW.id)
BEGIN
    INSERT INTO rollup_stale VALUES ('pairing', coalesce(NEW.parent_id, NEW.id)) ON CONFLICT DO NOTHING;
END;
-- A pairing's parties say which donor's and recipient's sums hold it.
CREATE TRIGGER pairing_rollup_parties
AFTER UPDATE OF donor_place_id, donor_org_id, recipient_place_id, recipient_org_id ON pairing BEGIN
    INSERT INTO rollup_stale VALUES ('pairing', coalesce(OLD.parent_id, OLD.id)),
                                              ('pairing', coalesce(NEW.parent_id, NEW.id)) ON CONFLICT DO NOTHING;
END;
-- Whether a measure may be added decides every sum of it.
CREATE TRIGGER measure_rollup_upd AFTER UPDATE OF code, additive ON measure BEGIN
    INSERT INTO rollup_stale
    SELECT 'pairing', id FROM pairing WHERE parent_id IS NULL
    UNION ALL SELECT DISTINCT 'place', place_id FROM figure
    WHERE place_id IS NOT NULL AND pairing_id IS NULL AND project_id IS NULL ON CONFLICT DO NOTHING;
END;
-- The names a total shows for its donor and recipient: set anew, without summing anything again.
CREATE TRIGGER place_rollup_name AFTER UPDATE OF name ON place BEGIN
    INSERT INTO rollup_stale VALUES ('place name', NEW.id) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER place_rollup_name_replaced BEFORE INSERT ON place BEGIN
    INSERT INTO rollup_stale SELECT 'place name', id FROM place WHERE id = NEW.id AND name IS NOT NEW.name ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER organisation_rollup_name AFTER UPDATE OF name ON organisation BEGIN
    INSERT INTO rollup_stale VALUES ('organisation name', NEW.id) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER organisation_rollup_name_replaced BEFORE INSERT ON organisation BEGIN
    INSERT INTO rollup_stale SELECT 'organisation name', id FROM organisation
    WHERE id = NEW.id AND name IS NOT NEW.name ON CONFLICT DO NOTHING;
END;
