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
CREATE TABLE search_stale (
    kind TEXT NOT NULL,
    ref  NOT NULL,
    PRIMARY KEY (kind, ref)
) WITHOUT ROWID;

CREATE TRIGGER place_stale_ins AFTER INSERT ON place BEGIN INSERT OR IGNORE INTO search_stale VALUES ('place', NEW.id); END;
CREATE TRIGGER place_stale_upd AFTER UPDATE ON place BEGIN INSERT OR IGNORE INTO search_stale VALUES ('place', NEW.id); END;
CREATE TRIGGER place_stale_del AFTER DELETE ON place BEGIN INSERT OR IGNORE INTO search_stale VALUES ('place', OLD.id); END;
CREATE TRIGGER organisation_stale_ins AFTER INSERT ON organisation BEGIN INSERT OR IGNORE INTO search_stale VALUES ('organisation', NEW.id); END;
CREATE TRIGGER organisation_stale_upd AFTER UPDATE ON organisation BEGIN INSERT OR IGNORE INTO search_stale VALUES ('organisation', NEW.id); END;
CREATE TRIGGER organisation_stale_del AFTER DELETE ON organisation BEGIN INSERT OR IGNORE INTO search_stale VALUES ('organisation', OLD.id); END;
CREATE TRIGGER pairing_stale_ins AFTER INSERT ON pairing BEGIN INSERT OR IGNORE INTO search_stale VALUES ('pairing', NEW.id); END;
CREATE TRIGGER pairing_stale_upd AFTER UPDATE ON pairing BEGIN INSERT OR IGNORE INTO search_stale VALUES ('pairing', NEW.id); END;
CREATE TRIGGER pairing_stale_del AFTER DELETE ON pairing BEGIN INSERT OR IGNORE INTO search_stale VALUES ('pairing', OLD.id); END;
CREATE TRIGGER project_stale_ins AFTER INSERT ON project BEGIN INSERT OR IGNORE INTO search_stale VALUES ('project', NEW.id); END;
CREATE TRIGGER project_stale_upd AFTER UPDATE ON project BEGIN INSERT OR IGNORE INTO search_stale VALUES ('project', NEW.id); END;
CREATE TRIGGER project_stale_del AFTER DELETE ON project BEGIN INSERT OR IGNORE INTO search_stale VALUES ('project', OLD.id); END;
CREATE TRIGGER figure_stale_ins AFTER INSERT ON figure BEGIN INSERT OR IGNORE INTO search_stale VALUES ('figure', NEW.id); END;
CREATE TRIGGER figure_stale_upd AFTER UPDATE ON figure BEGIN INSERT OR IGNORE INTO search_stale VALUES ('figure', NEW.id); END;
CREATE TRIGGER figure_stale_del AFTER DELETE ON figure BEGIN INSERT OR IGNORE INTO search_stale VALUES ('figure', OLD.id); END;
CREATE TRIGGER person_stale_ins AFTER INSERT ON person BEGIN INSERT OR IGNORE INTO search_stale VALUES ('person', NEW.id); END;
CREATE TRIGGER person_stale_upd AFTER UPDATE ON person BEGIN INSERT OR IGNORE INTO search_stale VALUES ('person', NEW.id); END;
CREATE TRIGGER person_stale_del AFTER DELETE ON person BEGIN INSERT OR IGNORE INTO search_stale VALUES ('person', OLD.id); END;
CREATE TRIGGER document_stale_ins AFTER INSERT ON document BEGIN INSERT OR IGNORE INTO search_stale VALUES ('document', NEW.key); END;
CREATE TRIGGER document_stale_upd AFTER UPDATE ON document BEGIN INSERT OR IGNORE INTO search_stale VALUES ('document', NEW.key); END;
CREATE TRIGGER document_stale_del AFTER DELETE ON document BEGIN INSERT OR IGNORE INTO search_stale VALUES ('document', OLD.key); END;
CREATE TRIGGER alias_stale_ins AFTER INSERT ON alias BEGIN
    INSERT OR IGNORE INTO search_stale
    SELECT kind, ref FROM (SELECT 'place' AS kind, NEW.place_id AS ref UNION ALL SELECT 'organisation', NEW.organisation_id
                           UNION ALL SELECT 'project', NEW.project_id UNION ALL SELECT 'person', NEW.person_id) WHERE ref IS NOT NULL;
END;
CREATE TRIGGER alias_stale_del AFTER DELETE ON alias BEGIN
    INSERT OR IGNORE INTO search_stale
    SELECT kind, ref FROM (SELECT 'place' AS kind, OLD.place_id AS ref UNION ALL SELECT 'organisation', OLD.organisation_id
                           UNION ALL SELECT 'project', OLD.project_id UNION ALL SELECT 'person', OLD.person_id) WHERE ref IS NOT NULL;
END;
CREATE TRIGGER alias_stale_upd AFTER UPDATE ON alias BEGIN
    INSERT OR IGNORE INTO search_stale
    SELECT kind, ref FROM (SELECT 'place' AS kind, NEW.place_id AS ref UNION ALL SELECT 'organisation', NEW.organisation_id
                           UNION ALL SELECT 'project', NEW.project_id UNION ALL SELECT 'person', NEW.person_id
                           UNION ALL SELECT 'place', OLD.place_id UNION ALL SELECT 'organisation', OLD.organisation_id
                           UNION ALL SELECT 'project', OLD.project_id UNION ALL SELECT 'person', OLD.person_id) WHERE ref IS NOT NULL;
END;

CREATE TRIGGER evidence_stale_ins AFTER INSERT ON evidence BEGIN
    INSERT OR IGNORE INTO search_stale
    SELECT kind, ref FROM (SELECT 'figure' AS kind, NEW.figure_id AS ref UNION ALL SELECT 'project', NEW.project_id
                           UNION ALL SELECT 'pairing', NEW.pairing_id) WHERE ref IS NOT NULL;
END;
CREATE TRIGGER evidence_stale_del AFTER DELETE ON evidence BEGIN
    INSERT OR IGNORE INTO search_stale
    SELECT kind, ref FROM (SELECT 'figure' AS kind, OLD.figure_id AS ref UNION ALL SELECT 'project', OLD.project_id
                           UNION ALL SELECT 'pairing', OLD.pairing_id) WHERE ref IS NOT NULL;
END;
CREATE TRIGGER sector_stale_ins AFTER INSERT ON sector BEGIN INSERT OR IGNORE INTO search_stale VALUES ('sector', NEW.code); END;
CREATE TRIGGER sector_stale_upd AFTER UPDATE ON sector BEGIN INSERT OR IGNORE INTO search_stale VALUES ('sector', NEW.code); END;
CREATE TRIGGER sector_stale_del AFTER DELETE ON sector BEGIN INSERT OR IGNORE INTO search_stale VALUES ('sector', OLD.code); END;

-- An item's context is the names of what it sits in: when those change, what sits in them is
-- indexed anew (one level down: a renamed county re-indexes its townships, organisations,
-- projects and pairings, not the villages below the townships).
CREATE TRIGGER place_context_upd AFTER UPDATE OF name ON place BEGIN
    INSERT OR IGNORE INTO search_stale SELECT 'place', id FROM place WHERE parent_id = NEW.id;
    INSERT OR IGNORE INTO search_stale SELECT 'organisation', id FROM organisation WHERE place_id = NEW.id;
    INSERT OR IGNORE INTO search_stale SELECT 'project', id FROM project WHERE place_id = NEW.id;
    INSERT OR IGNORE INTO search_stale SELECT 'figure', id FROM figure WHERE place_id = NEW.id;
    INSERT OR IGNORE INTO search_stale SELECT 'person', id FROM person WHERE place_id = NEW.id;
    INSERT OR IGNORE INTO search_stale SELECT 'pairing', id FROM pairing
     WHERE recipient_place_id = NEW.id OR donor_place_id = NEW.id;
END;
CREATE TRIGGER pairing_context_upd AFTER UPDATE ON pairing BEGIN
    INSERT OR IGNORE INTO search_stale SELECT 'pairing', id FROM pairing WHERE parent_id = NEW.id;
    INSERT OR IGNORE INTO search_stale SELECT 'project', id FROM project WHERE pairing_id = NEW.id;
    INSERT OR IGNORE INTO search_stale SELECT 'figure', id FROM figure WHERE pairing_id = NEW.id;
    INSERT OR IGNORE INTO search_stale SELECT 'person', id FROM person WHERE pairing_id = NEW.id;
END;
CREATE TRIGGER project_context_upd AFTER UPDATE ON project BEGIN
    INSERT OR IGNORE INTO search_stale SELECT 'figure', id FROM figure WHERE project_id = NEW.id;
END;
CREATE TRIGGER organisation_context_upd AFTER UPDATE OF name ON organisation BEGIN
    INSERT OR IGNORE INTO search_stale SELECT 'person', id FROM person WHERE organisation_id = NEW.id;
END;
