-- Duikou schema. The public contract is the two views at the end (v_project, v_metric) and the
-- tables' documented columns; see README.md "Adding data". Money is stored in yuan, percentages
-- as numbers (16.8 for 16.8%), and every sourced row carries a document key and a verbatim quote.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE document (
    key        TEXT PRIMARY KEY,                 -- for the seeds, the file name
    title      TEXT NOT NULL,
    publisher  TEXT,
    author     TEXT,
    published  TEXT CHECK (published IS NULL OR published GLOB '[12][0-9][0-9][0-9]*'),
    script     TEXT NOT NULL DEFAULT 'simplified' CHECK (script IN ('simplified', 'traditional')),
    key_source TEXT                              -- where the key comes from
);

CREATE TABLE sector (
    code    TEXT PRIMARY KEY,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    dac5    INTEGER NOT NULL CHECK (dac5 BETWEEN 11000 AND 99999)
);

-- What a figure counts. `additive` says whether two such figures may be added together
-- (money spent: yes; a poverty rate or an income per head: never).
CREATE TABLE measure (
    code     TEXT PRIMARY KEY,
    name_zh  TEXT NOT NULL,
    name_en  TEXT NOT NULL,
    additive INTEGER NOT NULL CHECK (additive IN (0, 1))
);

CREATE TABLE place (
    id        INTEGER PRIMARY KEY,
    name      TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),   -- canonical, simplified
    level     TEXT NOT NULL CHECK (level IN ('country', 'province', 'prefecture', 'county', 'township', 'village')),
    parent_id INTEGER REFERENCES place(id),
    gb_code   TEXT CHECK (gb_code IS NULL OR (length(gb_code) IN (6, 9, 12) AND gb_code NOT GLOB '*[^0-9]*')),
    code_from INTEGER CHECK (code_from IS NULL OR code_from BETWEEN 1980 AND 2100),  -- years the code is valid
    code_to   INTEGER CHECK (code_to IS NULL OR code_to BETWEEN 1980 AND 2100),
    name_en   TEXT,
    CHECK (parent_id IS NULL OR parent_id <> id),
    CHECK (code_to IS NULL OR code_from IS NULL OR code_to >= code_from)
);
CREATE INDEX place_parent ON place(parent_id);

CREATE TABLE organisation (
    id        INTEGER PRIMARY KEY,
    name      TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    kind      TEXT NOT NULL CHECK (kind IN ('government', 'party', 'department', 'work_team', 'company',
                                            'cooperative', 'hospital', 'school', 'association', 'media', 'other')),
    place_id  INTEGER REFERENCES place(id),
    parent_id INTEGER REFERENCES organisation(id),
    name_en   TEXT,
    document  TEXT REFERENCES document(key),
    evidence  TEXT CHECK (evidence IS NULL OR length(evidence) BETWEEN 8 AND 80),
    CHECK ((document IS NULL) = (evidence IS NULL))
);
CREATE INDEX organisation_place ON organisation(place_id);

-- A donor helping a recipient. Top-level pairings (parent_id NULL) are place to place; a
-- sub-pairing (street to township, hospital to hospital, …) hangs under exactly one top-level
-- pairing and may name organisations on either side.
CREATE TABLE pairing (
    id                 INTEGER PRIMARY KEY,
    parent_id          INTEGER REFERENCES pairing(id),
    kind               TEXT NOT NULL CHECK (kind IN ('省内对口帮扶', '东西部扶贫协作', '对口援藏', '市内结对帮扶')),
    level              TEXT NOT NULL DEFAULT 'region'
                       CHECK (level IN ('region', 'street_township', 'department', 'hospital', 'school',
                                        'enterprise_village', 'village', 'family', 'other')),
    donor_place_id     INTEGER NOT NULL REFERENCES place(id),
    donor_org_id       INTEGER REFERENCES organisation(id),
    recipient_place_id INTEGER NOT NULL REFERENCES place(id),
    recipient_org_id   INTEGER REFERENCES organisation(id),
    start_year         INTEGER CHECK (start_year IS NULL OR start_year BETWEEN 1949 AND 2100),
    end_year           INTEGER CHECK (end_year IS NULL OR end_year BETWEEN 1949 AND 2100),
    note               TEXT,
    document           TEXT REFERENCES document(key),
    evidence           TEXT CHECK (evidence IS NULL OR length(evidence) BETWEEN 8 AND 80),
    CHECK (parent_id IS NULL OR parent_id <> id),
    CHECK (end_year IS NULL OR start_year IS NULL OR end_year >= start_year),
    CHECK ((document IS NULL) = (evidence IS NULL))
);
CREATE INDEX pairing_parent ON pairing(parent_id);
CREATE INDEX pairing_donor ON pairing(donor_place_id, donor_org_id);
CREATE INDEX pairing_recipient ON pairing(recipient_place_id, recipient_org_id);

CREATE TRIGGER pairing_one_level_insert BEFORE INSERT ON pairing WHEN NEW.parent_id IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'pairing.parent_id must name a top-level pairing (one whose parent_id is NULL)')
    WHERE (SELECT parent_id FROM pairing WHERE id = NEW.parent_id) IS NOT NULL;
END;
CREATE TRIGGER pairing_one_level_update BEFORE UPDATE OF parent_id ON pairing WHEN NEW.parent_id IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'pairing.parent_id must name a top-level pairing (one whose parent_id is NULL)')
    WHERE (SELECT parent_id FROM pairing WHERE id = NEW.parent_id) IS NOT NULL
       OR EXISTS (SELECT 1 FROM pairing WHERE parent_id = NEW.id);
END;

CREATE TABLE project (
    id             INTEGER PRIMARY KEY,
    pairing_id     INTEGER NOT NULL REFERENCES pairing(id),
    sector         TEXT NOT NULL REFERENCES sector(code),
    dac5           INTEGER CHECK (dac5 IS NULL OR dac5 BETWEEN 11000 AND 99999),  -- when more specific than the sector's
    name           TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 500),
    kind           TEXT NOT NULL DEFAULT 'project'
                   CHECK (kind IN ('project', 'base', 'fund', 'programme', 'plan', 'campaign', 'event', 'training', 'other')),
    place_id       INTEGER REFERENCES place(id),
    implementer_id INTEGER REFERENCES organisation(id),
    parent_id      INTEGER REFERENCES project(id),
    year           INTEGER CHECK (year IS NULL OR year BETWEEN 1949 AND 2100),
    end_year       INTEGER CHECK (end_year IS NULL OR end_year BETWEEN 1949 AND 2100),
    status         TEXT CHECK (status IS NULL OR status IN ('planned', 'underway', 'completed')),
    description    TEXT,
    document       TEXT REFERENCES document(key),
    evidence       TEXT CHECK (evidence IS NULL OR length(evidence) BETWEEN 8 AND 80),
    CHECK (parent_id IS NULL OR parent_id <> id),
    CHECK (end_year IS NULL OR year IS NULL OR end_year >= year),
    CHECK ((document IS NULL) = (evidence IS NULL))
);
CREATE INDEX project_pairing_sector ON project(pairing_id, sector, name);
CREATE INDEX project_sector ON project(sector);
CREATE INDEX project_place ON project(place_id);
CREATE INDEX project_parent ON project(parent_id);
-- A fact sheet counts the projects not completed by status (the completed are the rest of the roll-ups' count).
CREATE INDEX project_status ON project(pairing_id, status, sector);
-- A document's view lists the projects citing it by name, a page at a time.
CREATE INDEX project_document ON project(document, name);

-- A number a document reports. It attaches to the most specific thing it describes: a project;
-- else a pairing (and sector); else a place (a county's own poverty rate, say).
-- Totals and parts: part_of_id names the figure this one is a part of ("其中…"), and a yearly
-- figure names the cumulative (累计) figure that covers it. A roll-up adds a figure only when
-- no figure it is part of is added too.
CREATE TABLE figure (
    id         INTEGER PRIMARY KEY,
    project_id INTEGER REFERENCES project(id),
    pairing_id INTEGER REFERENCES pairing(id),
    place_id   INTEGER REFERENCES place(id),
    sector     TEXT REFERENCES sector(code),
    measure    TEXT NOT NULL REFERENCES measure(code),
    name       TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),   -- what is counted, in the document's words
    value      REAL NOT NULL CHECK (typeof(value) IN ('integer', 'real') AND value BETWEEN 0 AND 1e300),
    -- A rate (CNY/month, CNY/person/year, …) is a unit of its own and never added to money.
    unit       TEXT NOT NULL CHECK (unit IN ('CNY', 'person', 'person_time', 'household', 'village', 'township',
                                             'enterprise', 'project', 'item', 'mu', 'm2', 'km', 'head', 'plant',
                                             'ton', 'percent', 'times', 'year',
                                             'CNY/month', 'CNY/year', 'CNY/person', 'CNY/person/month',
                                             'CNY/person/year')),
    qualifier  TEXT CHECK (qualifier IS NULL OR qualifier IN ('approx', 'planned', 'range')),
    wording    TEXT,                                                     -- as written, e.g. 1050万元
    year       INTEGER CHECK (year IS NULL OR year BETWEEN 1949 AND 2100),
    end_year   INTEGER CHECK (end_year IS NULL OR end_year BETWEEN 1949 AND 2100),
    part_of_id INTEGER REFERENCES figure(id),
    document   TEXT REFERENCES document(key),
    evidence   TEXT CHECK (evidence IS NULL OR length(evidence) BETWEEN 8 AND 80),
    -- Whether the money was given or only planned (拟, 计划, 预计, 规划, 目标), apart from its
    -- precision: "拟投资约1000万" is basis 'planned' and qualifier 'approx'. NULL: planned when the
    -- qualifier is 'planned' (as files written before this column say it), else actual.
    basis      TEXT CHECK (basis IS NULL OR basis IN ('actual', 'planned')),
    -- 0 for a figure the curator cannot place inside or outside a total: sums show it beside, never inside.
    counts_in_sums INTEGER NOT NULL DEFAULT 1 CHECK (counts_in_sums IN (0, 1)),
    CHECK (project_id IS NOT NULL OR pairing_id IS NOT NULL OR place_id IS NOT NULL),
    CHECK (project_id IS NULL OR pairing_id IS NULL),   -- a project's figure takes its pairing from the project
    CHECK (part_of_id IS NULL OR part_of_id <> id),
    CHECK (end_year IS NULL OR year IS NULL OR end_year >= year),
    CHECK ((document IS NULL) = (evidence IS NULL))
);
CREATE INDEX figure_project ON figure(project_id);
CREATE INDEX figure_pairing ON figure(pairing_id, sector);
CREATE INDEX figure_place ON figure(place_id);
CREATE INDEX figure_part_of ON figure(part_of_id);
-- A document's view: the figures citing it, by id, a page at a time (a synthetic report is cited by 157,000).
CREATE INDEX figure_document ON figure(document);

CREATE TABLE person (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    role            TEXT,
    organisation_id INTEGER REFERENCES organisation(id),
    place_id        INTEGER REFERENCES place(id),
    pairing_id      INTEGER REFERENCES pairing(id),
    document        TEXT REFERENCES document(key),
    evidence        TEXT CHECK (evidence IS NULL OR length(evidence) BETWEEN 8 AND 80),
    CHECK ((document IS NULL) = (evidence IS NULL))
);

-- Further sources for a fact already recorded (the row's own document/evidence is the first).
CREATE TABLE evidence (
    id              INTEGER PRIMARY KEY,
    figure_id       INTEGER REFERENCES figure(id) ON DELETE CASCADE,
    project_id      INTEGER REFERENCES project(id) ON DELETE CASCADE,
    pairing_id      INTEGER REFERENCES pairing(id) ON DELETE CASCADE,
    document        TEXT NOT NULL REFERENCES document(key),
    quote           TEXT NOT NULL CHECK (length(quote) BETWEEN 8 AND 80),
    CHECK ((figure_id IS NOT NULL) + (project_id IS NOT NULL) + (pairing_id IS NOT NULL) = 1)
);
CREATE INDEX evidence_figure ON evidence(figure_id);
CREATE INDEX evidence_project ON evidence(project_id);
CREATE INDEX evidence_pairing ON evidence(pairing_id);
CREATE INDEX evidence_document ON evidence(document);

-- Other names a thing is known by. Pinyin and traditional forms are also derived automatically
-- for search; list here the ones that cannot be derived (short forms, English, old names).
CREATE TABLE alias (
    id              INTEGER PRIMARY KEY,
    place_id        INTEGER REFERENCES place(id) ON DELETE CASCADE,
    organisation_id INTEGER REFERENCES organisation(id) ON DELETE CASCADE,
    project_id      INTEGER REFERENCES project(id) ON DELETE CASCADE,
    person_id       INTEGER REFERENCES person(id) ON DELETE CASCADE,
    name            TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    kind            TEXT NOT NULL CHECK (kind IN ('traditional', 'short', 'pinyin', 'english', 'other')),
    CHECK ((place_id IS NOT NULL) + (organisation_id IS NOT NULL) + (project_id IS NOT NULL) + (person_id IS NOT NULL) = 1)
);
CREATE INDEX alias_place ON alias(place_id);
CREATE INDEX alias_organisation ON alias(organisation_id);
CREATE INDEX alias_project ON alias(project_id);
CREATE INDEX alias_person ON alias(person_id);

-- The search index is kept in tables derived from these: see db/search.sql.
-- Roll-ups are kept in tables derived from these: see db/rollup.sql.

-- Names a pairing goes by: the donor's and recipient's, organisation before place.
CREATE VIEW pairing_names AS
SELECT pr.id,
       COALESCE(pr.parent_id, pr.id)           AS root_id,
       COALESCE(dorg.name, dplace.name)        AS donor,
       COALESCE(rorg.name, rplace.name)        AS recipient
FROM pairing pr
JOIN place dplace ON dplace.id = pr.donor_place_id
JOIN place rplace ON rplace.id = pr.recipient_place_id
LEFT JOIN organisation dorg ON dorg.id = pr.donor_org_id
LEFT JOIN organisation rorg ON rorg.id = pr.recipient_org_id;

-- A figure's basis: actual or planned; NULL is planned when its qualifier says so.
CREATE VIEW figure_basis AS
SELECT id, coalesce(basis, CASE WHEN qualifier = 'planned' THEN 'planned' ELSE 'actual' END) AS basis FROM figure;

-- Which money a project's amount is made of, as a rank: aid funds (0), else donations (1), else
-- investment (2); plus 3 when only plans are left. Money given comes before plans.
CREATE VIEW figure_money_rank AS
SELECT f.id, f.project_id,
       (b.basis = 'planned') * 3 + CASE f.measure WHEN 'aid_funds' THEN 0 WHEN 'donation' THEN 1 ELSE 2 END AS rank
FROM figure f JOIN figure_basis b ON b.id = f.id
WHERE f.unit = 'CNY' AND f.measure IN ('aid_funds', 'donation', 'investment') AND f.counts_in_sums = 1;
CREATE VIEW project_money AS
SELECT p.id AS project_id, (SELECT min(r.rank) FROM figure_money_rank r WHERE r.project_id = p.id) AS rank
FROM project p;

-- Public views (contract, design §8). donor and recipient are the top-level pairing's names,
-- as in the tree (donor → recipient → sector → project). A project's amount is its money of one
-- kind: its aid funds, or failing those its donations, or failing those the investment it drew,
-- money given before plans (basis says which); two kinds or bases are never added together, nor
-- a part to its own total, nor a figure not counted in sums. v_total (every total the app shows)
-- reads the roll-ups: db/rollup.sql.
CREATE VIEW v_project AS
SELECT p.id,
       root.donor,
       root.recipient,
       p.sector,
       p.name,
       p.status,
       p.year,
       (SELECT sum(f.value) FROM figure_money_rank r JOIN figure f ON f.id = r.id
         WHERE r.project_id = p.id AND r.rank = money.rank
           AND NOT EXISTS (SELECT 1 FROM figure t WHERE t.id = f.part_of_id AND t.project_id = p.id
                                                     AND t.measure = f.measure)) AS amount_cny,
       (SELECT f.qualifier FROM figure_money_rank r JOIN figure f ON f.id = r.id
         WHERE r.project_id = p.id AND r.rank = money.rank
         ORDER BY f.value DESC LIMIT 1) AS qualifier,
       p.document,
       p.evidence,
       CASE WHEN money.rank >= 3 THEN 'planned' WHEN money.rank IS NOT NULL THEN 'actual' END AS basis
FROM project p
JOIN pairing pr ON pr.id = p.pairing_id
JOIN pairing_names root ON root.id = COALESCE(pr.parent_id, pr.id)
JOIN project_money money ON money.project_id = p.id;

-- end_year closes a span of years; basis is the figure's effective one (actual or planned).
-- A figure on a place that is itself a donor (青白江区's budget for all its pairings) shows that
-- place as the donor and no single recipient; any other place figure is about the place's own
-- situation (a county's poverty rate) and has donor NULL.
CREATE VIEW v_metric AS
SELECT f.id,
       COALESCE(root.donor, giver.name)         AS donor,
       CASE WHEN giver.id IS NULL THEN COALESCE(root.recipient, fplace.name) END AS recipient,
       COALESCE(f.sector, p.sector)             AS sector,
       f.project_id,
       f.name,
       f.value,
       f.unit,
       f.qualifier,
       f.year,
       f.document,
       f.evidence,
       f.end_year,
       (SELECT basis FROM figure_basis b WHERE b.id = f.id) AS basis,
       f.counts_in_sums
FROM figure f
LEFT JOIN project p      ON p.id = f.project_id
LEFT JOIN pairing pr     ON pr.id = COALESCE(f.pairing_id, p.pairing_id)
LEFT JOIN pairing_names root ON root.id = COALESCE(pr.parent_id, pr.id)
LEFT JOIN place fplace   ON fplace.id = f.place_id
LEFT JOIN place giver    ON giver.id = f.place_id AND f.pairing_id IS NULL AND f.project_id IS NULL
                        AND EXISTS (SELECT 1 FROM pairing d WHERE d.donor_place_id = f.place_id AND d.parent_id IS NULL);
