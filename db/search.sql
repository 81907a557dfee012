-- Duikou's search index: tables derived from the data (db/schema.sql) that tui/data/index.py
-- fills; write nothing here yourself. Built after db/schema.sql, before db/rollup.sql.

-- Search. Text is indexed with a space around every Han character so that FTS5 phrase queries
-- find substrings of any length (design §7). Rows changed by any client, the plain sqlite3
-- shell included, are queued by the triggers below and indexed when Duikou next opens the file.
CREATE VIRTUAL TABLE search_index USING fts5(
    kind UNINDEXED, ref UNINDEXED, names, body,
    tokenize = 'unicode61 remove_diacritics 2'
);
-- The names alone, indexed again (the text is search_index's: this table keeps only the index),
-- so that names holding a term are found without reading every row whose context holds it: a
-- county's name is in the context of each of its hundred thousand projects.
CREATE VIRTUAL TABLE search_names USING fts5(
    names, content = '',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TABLE search_key (            -- which index row holds which item
    kind  TEXT NOT NULL,
    ref   NOT NULL,
    entry INTEGER NOT NULL,             -- search_index.rowid
    PRIMARY KEY (kind, ref)
) WITHOUT ROWID;
-- Each item's own name (search_index.names' first form, without spacing), so that names starting
-- with a query come from an ordinary index, however many names merely hold it.
CREATE TABLE search_name (
    entry INTEGER PRIMARY KEY,          -- search_index.rowid
    name  TEXT NOT NULL
);
CREATE INDEX search_name_start ON search_name(name);
-- Present once the index holds each item's context (its places, pairing, sector, measure, years):
-- a file indexed before it is indexed anew when Duikou creates this table.
CREATE TABLE search_context_indexed (since TEXT);
-- The words a query typed without spaces is cut at: every place's name, its short form (成华 of
-- 成华区) and its aliases, as search reads them (simplified, folded). Looked up by the pieces of
-- the query, so that no query reads the whole list.
CREATE TABLE search_word (
    word     TEXT NOT NULL,
    place_id INTEGER NOT NULL,
    PRIMARY KEY (word, place_id)
) WITHOUT ROWID;
CREATE INDEX search_word_place ON search_word(place_id);
-- pypinyin's dictionary as this file's index was made with it: each character and word with the
-- reading it gives them alone, and each start of a word. A catch-up reads a text no row held from
-- here, cut as pypinyin cuts it, instead of loading pypinyin's tables (a fifth of a second and
-- 70 MB). Filled by a file's first indexing (a build, a synth, an older Duikou's file caught up).
CREATE TABLE search_dictionary (
    text      TEXT PRIMARY KEY,         -- Han characters
    starts    INTEGER NOT NULL,         -- 1: a word of the dictionary starts with it
    word      INTEGER NOT NULL,         -- 1: a word of the dictionary
    syllables TEXT,                     -- its reading alone, syllables spaced; NULL: only a start
    initials  TEXT
) WITHOUT ROWID;
CREATE TABLE search_stale (
    kind TEXT NOT NULL,
    ref  NOT NULL,
    PRIMARY KEY (kind, ref)
) WITHOUT ROWID;

CREATE TRIGGER place_stale_ins AFTER INSERT ON place BEGIN INSERT INTO search_stale VALUES ('place', NEW.id) ON CONFLICT DO NOTHING; END;
CREATE TRIGGER place_stale_upd AFTER UPDATE ON place BEGIN INSERT INTO search_stale VALUES ('place', NEW.id) ON CONFLICT DO NOTHING; END;
CREATE TRIGGER place_stale_del AFTER DELETE ON place BEGIN INSERT INTO search_stale VALUES ('place', OLD.id) ON CONFLICT DO NOTHING; END;
CREATE TRIGGER organisation_stale_ins AFTER INSERT ON organisation BEGIN INSERT INTO search_stale VALUES ('organisation', NEW.id) ON CONFLICT DO NOTHING; END;
CREATE TRIGGER organisation_stale_upd AFTER UPDATE ON organisation BEGIN INSERT INTO search_stale VALUES ('organisation', NEW.id) ON CONFLICT DO NOTHING; END;
CREATE TRIGGER organisation_stale_del AFTER DELETE ON organisation BEGIN INSERT INTO search_stale VALUES ('organisation', OLD.id) ON CONFLICT DO NOTHING; END;
CREATE TRIGGER pairing_stale_ins AFTER INSERT ON pairing BEGIN INSERT INTO search_stale VALUES ('pairing', NEW.id) ON CONFLICT DO NOTHING; END;
CREATE TRIGGER pairing_stale_upd AFTER UPDATE ON pairing BEGIN INSERT INTO search_stale VALUES ('pairing', NEW.id) ON CONFLICT DO NOTHING; END;
CREATE TRIGGER pairing_stale_del AFTER DELETE ON pairing BEGIN INSERT INTO search_stale VALUES ('pairing', OLD.id) ON CONFLICT DO NOTHING; END;
CREATE TRIGGER project_stale_ins AFTER INSERT ON project BEGIN INSERT INTO search_stale VALUES ('project', NEW.id) ON CONFLICT DO NOTHING; END;
CREATE TRIGGER project_stale_upd AFTER UPDATE ON project BEGIN INSERT INTO search_stale VALUES ('project', NEW.id) ON CONFLICT DO NOTHING; END;
CREATE TRIGGER project_stale_del AFTER DELETE ON project BEGIN INSERT INTO search_stale VALUES ('project', OLD.id) ON CONFLICT DO NOTHING; END;
CREATE TRIGGER figure_stale_ins AFTER INSERT ON figure BEGIN INSERT INTO search_stale VALUES ('figure', NEW.id) ON CONFLICT DO NOTHING; END;
CREATE TRIGGER figure_stale_upd AFTER UPDATE ON figure BEGIN INSERT INTO search_stale VALUES ('figure', NEW.id) ON CONFLICT DO NOTHING; END;
CREATE TRIGGER figure_stale_del AFTER DELETE ON figure BEGIN INSERT INTO search_stale VALUES ('figure', OLD.id) ON CONFLICT DO NOTHING; END;
CREATE TRIGGER person_stale_ins AFTER INSERT ON person BEGIN INSERT INTO search_stale VALUES ('person', NEW.id) ON CONFLICT DO NOTHING; END;
CREATE TRIGGER person_stale_upd AFTER UPDATE ON person BEGIN INSERT INTO search_stale VALUES ('person', NEW.id) ON CONFLICT DO NOTHING; END;
CREATE TRIGGER person_stale_del AFTER DELETE ON person BEGIN INSERT INTO search_stale VALUES ('person', OLD.id) ON CONFLICT DO NOTHING; END;
CREATE TRIGGER document_stale_ins AFTER INSERT ON document BEGIN INSERT INTO search_stale VALUES ('document', NEW.key) ON CONFLICT DO NOTHING; END;
CREATE TRIGGER document_stale_upd AFTER UPDATE ON document BEGIN INSERT INTO search_stale VALUES ('document', NEW.key) ON CONFLICT DO NOTHING; END;
CREATE TRIGGER document_stale_del AFTER DELETE ON document BEGIN INSERT INTO search_stale VALUES ('document', OLD.key) ON CONFLICT DO NOTHING; END;
CREATE TRIGGER alias_stale_ins AFTER INSERT ON alias BEGIN
    INSERT INTO search_stale
    SELECT kind, ref FROM (SELECT 'place' AS kind, NEW.place_id AS ref UNION ALL SELECT 'organisation', NEW.organisation_id
                           UNION ALL SELECT 'project', NEW.project_id UNION ALL SELECT 'person', NEW.person_id) WHERE ref IS NOT NULL ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER alias_stale_del AFTER DELETE ON alias BEGIN
    INSERT INTO search_stale
    SELECT kind, ref FROM (SELECT 'place' AS kind, OLD.place_id AS ref UNION ALL SELECT 'organisation', OLD.organisation_id
                           UNION ALL SELECT 'project', OLD.project_id UNION ALL SELECT 'person', OLD.person_id) WHERE ref IS NOT NULL ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER alias_stale_upd AFTER UPDATE ON alias BEGIN
    INSERT INTO search_stale
    SELECT kind, ref FROM (SELECT 'place' AS kind, NEW.place_id AS ref UNION ALL SELECT 'organisation', NEW.organisation_id
                           UNION ALL SELECT 'project', NEW.project_id UNION ALL SELECT 'person', NEW.person_id
                           UNION ALL SELECT 'place', OLD.place_id UNION ALL SELECT 'organisation', OLD.organisation_id
                           UNION ALL SELECT 'project', OLD.project_id UNION ALL SELECT 'person', OLD.person_id) WHERE ref IS NOT NULL ON CONFLICT DO NOTHING;
END;

CREATE TRIGGER evidence_stale_ins AFTER INSERT ON evidence BEGIN
    INSERT INTO search_stale
    SELECT kind, ref FROM (SELECT 'figure' AS kind, NEW.figure_id AS ref UNION ALL SELECT 'project', NEW.project_id
                           UNION ALL SELECT 'pairing', NEW.pairing_id) WHERE ref IS NOT NULL ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER evidence_stale_del AFTER DELETE ON evidence BEGIN
    INSERT INTO search_stale
    SELECT kind, ref FROM (SELECT 'figure' AS kind, OLD.figure_id AS ref UNION ALL SELECT 'project', OLD.project_id
                           UNION ALL SELECT 'pairing', OLD.pairing_id) WHERE ref IS NOT NULL ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER sector_stale_ins AFTER INSERT ON sector BEGIN INSERT INTO search_stale VALUES ('sector', NEW.code) ON CONFLICT DO NOTHING; END;
CREATE TRIGGER sector_stale_upd AFTER UPDATE ON sector BEGIN INSERT INTO search_stale VALUES ('sector', NEW.code) ON CONFLICT DO NOTHING; END;
CREATE TRIGGER sector_stale_del AFTER DELETE ON sector BEGIN INSERT INTO search_stale VALUES ('sector', OLD.code) ON CONFLICT DO NOTHING; END;

-- A row replaced (INSERT OR REPLACE deletes the old row without firing its delete triggers): the
-- owner the old row named is queued before the new row takes its place.
CREATE TRIGGER alias_stale_replaced BEFORE INSERT ON alias BEGIN
    INSERT INTO search_stale
    SELECT kind, ref FROM (SELECT 'place' AS kind, place_id AS ref FROM alias WHERE id = NEW.id
                           UNION ALL SELECT 'organisation', organisation_id FROM alias WHERE id = NEW.id
                           UNION ALL SELECT 'project', project_id FROM alias WHERE id = NEW.id
                           UNION ALL SELECT 'person', person_id FROM alias WHERE id = NEW.id) WHERE ref IS NOT NULL ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER evidence_stale_replaced BEFORE INSERT ON evidence BEGIN
    INSERT INTO search_stale
    SELECT kind, ref FROM (SELECT 'figure' AS kind, figure_id AS ref FROM evidence WHERE id = NEW.id
                           UNION ALL SELECT 'project', project_id FROM evidence WHERE id = NEW.id
                           UNION ALL SELECT 'pairing', pairing_id FROM evidence WHERE id = NEW.id) WHERE ref IS NOT NULL ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER evidence_stale_upd AFTER UPDATE ON evidence BEGIN
    INSERT INTO search_stale
    SELECT kind, ref FROM (SELECT 'figure' AS kind, NEW.figure_id AS ref UNION ALL SELECT 'project', NEW.project_id
                           UNION ALL SELECT 'pairing', NEW.pairing_id UNION ALL SELECT 'figure', OLD.figure_id
                           UNION ALL SELECT 'project', OLD.project_id UNION ALL SELECT 'pairing', OLD.pairing_id)
    WHERE ref IS NOT NULL ON CONFLICT DO NOTHING;
END;

-- An item's context is the names of what it sits in (its places and the two above them, its
-- pairing's parties and its top-level pairing's, its project, sector and measure). A change to
-- one of those names queues the row named here; the index expands it to every row whose
-- context holds it (tui/data/index.py, CONTEXT) before indexing.
CREATE TABLE search_context_stale (
    kind TEXT NOT NULL,                 -- place, organisation, pairing, project, sector or measure
    ref  NOT NULL,
    PRIMARY KEY (kind, ref)
) WITHOUT ROWID;
CREATE TRIGGER place_context_changed AFTER UPDATE OF id, name, parent_id ON place BEGIN
    INSERT INTO search_context_stale VALUES ('place', OLD.id), ('place', NEW.id) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER place_context_gone AFTER DELETE ON place BEGIN
    INSERT INTO search_context_stale VALUES ('place', OLD.id) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER place_context_replaced BEFORE INSERT ON place BEGIN
    INSERT INTO search_context_stale SELECT 'place', id FROM place
    WHERE id = NEW.id AND (name IS NOT NEW.name OR parent_id IS NOT NEW.parent_id) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER organisation_context_changed AFTER UPDATE OF id, name ON organisation BEGIN
    INSERT INTO search_context_stale VALUES ('organisation', OLD.id), ('organisation', NEW.id) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER organisation_context_gone AFTER DELETE ON organisation BEGIN
    INSERT INTO search_context_stale VALUES ('organisation', OLD.id) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER organisation_context_replaced BEFORE INSERT ON organisation BEGIN
    INSERT INTO search_context_stale SELECT 'organisation', id FROM organisation
    WHERE id = NEW.id AND name IS NOT NEW.name ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER pairing_context_changed
AFTER UPDATE OF id, parent_id, donor_place_id, donor_org_id, recipient_place_id, recipient_org_id ON pairing BEGIN
    INSERT INTO search_context_stale VALUES ('pairing', OLD.id), ('pairing', NEW.id) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER pairing_context_gone AFTER DELETE ON pairing BEGIN
    INSERT INTO search_context_stale VALUES ('pairing', OLD.id) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER pairing_context_replaced BEFORE INSERT ON pairing BEGIN
    INSERT INTO search_context_stale SELECT 'pairing', id FROM pairing
    WHERE id = NEW.id AND (parent_id IS NOT NEW.parent_id OR donor_place_id IS NOT NEW.donor_place_id
                           OR donor_org_id IS NOT NEW.donor_org_id OR recipient_place_id IS NOT NEW.recipient_place_id
                           OR recipient_org_id IS NOT NEW.recipient_org_id) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER project_context_changed
AFTER UPDATE OF id, name, pairing_id, sector, place_id, year, end_year ON project BEGIN
    INSERT INTO search_context_stale VALUES ('project', OLD.id), ('project', NEW.id) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER project_context_gone AFTER DELETE ON project BEGIN
    INSERT INTO search_context_stale VALUES ('project', OLD.id) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER project_context_replaced BEFORE INSERT ON project BEGIN
    INSERT INTO search_context_stale SELECT 'project', id FROM project WHERE id = NEW.id ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER sector_context_changed AFTER UPDATE OF code, name_zh, name_en ON sector BEGIN
    INSERT INTO search_context_stale VALUES ('sector', OLD.code), ('sector', NEW.code) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER sector_context_gone AFTER DELETE ON sector BEGIN
    INSERT INTO search_context_stale VALUES ('sector', OLD.code) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER sector_context_replaced BEFORE INSERT ON sector BEGIN
    INSERT INTO search_context_stale SELECT 'sector', code FROM sector WHERE code = NEW.code ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER measure_context_changed AFTER UPDATE OF code, name_zh, name_en ON measure BEGIN
    INSERT INTO search_context_stale VALUES ('measure', OLD.code), ('measure', NEW.code) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER measure_context_gone AFTER DELETE ON measure BEGIN
    INSERT INTO search_context_stale VALUES ('measure', OLD.code) ON CONFLICT DO NOTHING;
END;
