-- Mitigation Atlas library, schema version 1.
-- Applied in one transaction by model/migrator.cpp; PRAGMA user_version is set by the migrator.
-- Times are ISO 8601 UTC text. JSON columns hold compact JSON text.

-- application_id 'MAtL' marks the file as a Mitigation Atlas library.
PRAGMA application_id = 1296127052;

-- Key/value facts about the library itself (created_at, created_by, ...).
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT
) WITHOUT ROWID;

-- ---------------------------------------------------------------- taxonomies

CREATE TABLE scheme (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    dimension TEXT NOT NULL CHECK (dimension IN ('actor', 'lifecycle', 'risk', 'mitigation_type', 'function')),
    version TEXT,
    source TEXT,
    licence TEXT,
    description TEXT,
    position INTEGER NOT NULL DEFAULT 0,
    bundled INTEGER NOT NULL DEFAULT 0 CHECK (bundled IN (0, 1))
);

CREATE TABLE taxonomy_node (
    id INTEGER PRIMARY KEY,
    scheme_id INTEGER NOT NULL REFERENCES scheme(id) ON DELETE CASCADE,
    parent_id INTEGER REFERENCES taxonomy_node(id) ON DELETE CASCADE,
    code TEXT,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    description TEXT,
    -- 1: not confirmed by the source (unverified code, created as met by an importer, ...)
    provisional INTEGER NOT NULL DEFAULT 0 CHECK (provisional IN (0, 1)),
    origin TEXT NOT NULL DEFAULT 'bundled' CHECK (origin IN ('bundled', 'import', 'curator')),
    origin_batch_id INTEGER REFERENCES import_batch(id) ON DELETE SET NULL,
    position INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX taxonomy_node_code ON taxonomy_node(scheme_id, code) WHERE code IS NOT NULL;
-- Names are unique among siblings, ignoring case ("Robustness to attack" = "Robustness to Attack").
CREATE UNIQUE INDEX taxonomy_node_sibling_name ON taxonomy_node(scheme_id, ifnull(parent_id, 0), name COLLATE NOCASE);
CREATE INDEX taxonomy_node_parent ON taxonomy_node(parent_id);

-- Other spellings of a node's name met in sources.
CREATE TABLE taxonomy_alias (
    node_id INTEGER NOT NULL REFERENCES taxonomy_node(id) ON DELETE CASCADE,
    alias TEXT NOT NULL COLLATE NOCASE,
    PRIMARY KEY (node_id, alias)
) WITHOUT ROWID;

-- Closure table: one row per (ancestor, descendant) pair, the node itself at depth 0.
-- Kept right by the triggers below, so subtree counts are one indexed join.
CREATE TABLE taxonomy_closure (
    ancestor_id INTEGER NOT NULL REFERENCES taxonomy_node(id) ON DELETE CASCADE,
    descendant_id INTEGER NOT NULL REFERENCES taxonomy_node(id) ON DELETE CASCADE,
    depth INTEGER NOT NULL,
    PRIMARY KEY (ancestor_id, descendant_id)
) WITHOUT ROWID;
CREATE INDEX taxonomy_closure_descendant ON taxonomy_closure(descendant_id, ancestor_id);

CREATE TRIGGER taxonomy_node_check_parent BEFORE INSERT ON taxonomy_node
WHEN new.parent_id IS NOT NULL
    AND (SELECT scheme_id FROM taxonomy_node WHERE id = new.parent_id) IS NOT new.scheme_id
BEGIN
    SELECT RAISE(ABORT, 'a taxonomy node''s parent must belong to the same scheme');
END;

CREATE TRIGGER taxonomy_node_check_move BEFORE UPDATE OF parent_id ON taxonomy_node
WHEN new.parent_id IS NOT NULL
    AND ((SELECT scheme_id FROM taxonomy_node WHERE id = new.parent_id) IS NOT new.scheme_id
         OR EXISTS (SELECT 1 FROM taxonomy_closure WHERE ancestor_id = new.id AND descendant_id = new.parent_id))
BEGIN
    SELECT RAISE(ABORT, 'a taxonomy node cannot move under itself or into another scheme');
END;

CREATE TRIGGER taxonomy_node_closure_insert AFTER INSERT ON taxonomy_node
BEGIN
    INSERT INTO taxonomy_closure(ancestor_id, descendant_id, depth) VALUES (new.id, new.id, 0);
    INSERT INTO taxonomy_closure(ancestor_id, descendant_id, depth)
        SELECT ancestor_id, new.id, depth + 1 FROM taxonomy_closure WHERE descendant_id = new.parent_id;
END;

CREATE TRIGGER taxonomy_node_closure_move AFTER UPDATE OF parent_id ON taxonomy_node
WHEN old.parent_id IS NOT new.parent_id
BEGIN
    DELETE FROM taxonomy_closure
    WHERE descendant_id IN (SELECT descendant_id FROM taxonomy_closure WHERE ancestor_id = new.id)
      AND ancestor_id IN (SELECT ancestor_id FROM taxonomy_closure WHERE descendant_id = new.id AND ancestor_id <> new.id);
    INSERT INTO taxonomy_closure(ancestor_id, descendant_id, depth)
        SELECT a.ancestor_id, d.descendant_id, a.depth + d.depth + 1
        FROM taxonomy_closure a, taxonomy_closure d
        WHERE a.descendant_id = new.parent_id AND d.ancestor_id = new.id;
END;

-- ---------------------------------------------------------------- imports

CREATE TABLE import_batch (
    id INTEGER PRIMARY KEY,
    file TEXT NOT NULL,
    format TEXT NOT NULL,
    sha256 TEXT,
    mode TEXT NOT NULL DEFAULT 'strict' CHECK (mode IN ('strict', 'skip-invalid')),
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL DEFAULT 'complete' CHECK (status IN ('complete', 'undone')),
    counts TEXT NOT NULL DEFAULT '{}',       -- JSON object: added/merged/skipped per kind
    diagnostics TEXT NOT NULL DEFAULT '[]'   -- JSON array of {line, severity, message}
);

-- What a batch changed in rows it did not create, so undo can restore them (merges).
CREATE TABLE import_change (
    id INTEGER PRIMARY KEY,
    batch_id INTEGER NOT NULL REFERENCES import_batch(id) ON DELETE CASCADE,
    table_name TEXT NOT NULL,
    row_id INTEGER NOT NULL,
    before TEXT NOT NULL                      -- JSON object of the columns as they were
);
CREATE INDEX import_change_batch ON import_change(batch_id);

-- ---------------------------------------------------------------- documents and entries

CREATE TABLE document (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL DEFAULT 'article',    -- article, paper-preprint, report, book, web, dataset, ...
    title TEXT,                              -- NULL for a bare abstract
    authors TEXT NOT NULL DEFAULT '[]',      -- JSON array of "Family, Given" strings, in order
    year INTEGER,
    venue TEXT,
    doi TEXT,
    arxiv_id TEXT,
    url TEXT,
    abstract TEXT,
    citation_key TEXT,
    extra TEXT NOT NULL DEFAULT '{}',        -- JSON: fields of the source format with no column
    edited_fields TEXT NOT NULL DEFAULT '[]',-- JSON array of columns a curator changed (never overwritten by merges)
    origin_batch_id INTEGER REFERENCES import_batch(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    modified_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    CHECK (title IS NOT NULL OR abstract IS NOT NULL)
);
CREATE INDEX document_doi ON document(lower(doi)) WHERE doi IS NOT NULL;
CREATE INDEX document_arxiv ON document(arxiv_id) WHERE arxiv_id IS NOT NULL;
CREATE INDEX document_title ON document(lower(title), year);
CREATE INDEX document_citation_key ON document(citation_key) WHERE citation_key IS NOT NULL;
CREATE INDEX document_batch ON document(origin_batch_id);

CREATE TABLE entry (
    id INTEGER PRIMARY KEY,
    external_id TEXT,                        -- the source's own id (Action ID, Navigator id, ...)
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    text TEXT,
    reasoning TEXT,
    notes TEXT,                              -- curator's notes, Markdown
    parent_id INTEGER REFERENCES entry(id) ON DELETE SET NULL,
    document_id INTEGER REFERENCES document(id) ON DELETE SET NULL,
    -- 1: known only from another page's listing, its own page not imported yet
    listing_only INTEGER NOT NULL DEFAULT 0 CHECK (listing_only IN (0, 1)),
    -- 1: a field (often the name) was inferred and a curator should look at it
    needs_review INTEGER NOT NULL DEFAULT 0 CHECK (needs_review IN (0, 1)),
    extra TEXT NOT NULL DEFAULT '{}',
    edited_fields TEXT NOT NULL DEFAULT '[]',
    origin_batch_id INTEGER REFERENCES import_batch(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    modified_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX entry_external_id ON entry(external_id) WHERE external_id IS NOT NULL;
CREATE INDEX entry_parent ON entry(parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX entry_source_document ON entry(document_id);
CREATE INDEX entry_batch ON entry(origin_batch_id);
CREATE INDEX entry_name ON entry(name COLLATE NOCASE);

-- Papers linked to an entry besides its source document.
CREATE TABLE entry_document (
    entry_id INTEGER NOT NULL REFERENCES entry(id) ON DELETE CASCADE,
    document_id INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
    relation TEXT NOT NULL DEFAULT 'cites' CHECK (relation IN ('source', 'cites', 'related')),
    origin_batch_id INTEGER REFERENCES import_batch(id) ON DELETE SET NULL,
    PRIMARY KEY (entry_id, document_id, relation)
) WITHOUT ROWID;
CREATE INDEX entry_document_document ON entry_document(document_id);

-- ---------------------------------------------------------------- classifications with provenance

CREATE TABLE classification (
    id INTEGER PRIMARY KEY,
    entry_id INTEGER NOT NULL REFERENCES entry(id) ON DELETE CASCADE,
    node_id INTEGER NOT NULL REFERENCES taxonomy_node(id) ON DELETE CASCADE,
    assigned_by_kind TEXT NOT NULL CHECK (assigned_by_kind IN ('import', 'classifier', 'curator', 'rule')),
    assigned_by TEXT NOT NULL,               -- importer format, classifier name, curator name
    assigned_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    evidence TEXT,
    confidence REAL CHECK (confidence IS NULL OR (confidence >= 0 AND confidence <= 1)),
    origin_batch_id INTEGER REFERENCES import_batch(id) ON DELETE SET NULL,
    UNIQUE (entry_id, node_id)
);
CREATE INDEX classification_node ON classification(node_id, entry_id);
CREATE INDEX classification_batch ON classification(origin_batch_id);

-- ---------------------------------------------------------------- tags

CREATE TABLE tag (
    id INTEGER PRIMARY KEY,
    parent_id INTEGER REFERENCES tag(id) ON DELETE CASCADE,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0 AND instr(name, '/') = 0),
    color TEXT
);
CREATE UNIQUE INDEX tag_sibling_name ON tag(ifnull(parent_id, 0), name COLLATE NOCASE);

CREATE TABLE entry_tag (
    entry_id INTEGER NOT NULL REFERENCES entry(id) ON DELETE CASCADE,
    tag_id INTEGER NOT NULL REFERENCES tag(id) ON DELETE CASCADE,
    PRIMARY KEY (entry_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX entry_tag_tag ON entry_tag(tag_id, entry_id);

CREATE TABLE document_tag (
    document_id INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
    tag_id INTEGER NOT NULL REFERENCES tag(id) ON DELETE CASCADE,
    PRIMARY KEY (document_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX document_tag_tag ON document_tag(tag_id, document_id);

-- ---------------------------------------------------------------- plugins

CREATE TABLE plugin_link (
    entry_id INTEGER NOT NULL REFERENCES entry(id) ON DELETE CASCADE,
    plugin_id TEXT NOT NULL,
    origin TEXT NOT NULL CHECK (origin IN ('auto', 'curator')),
    -- a curator can remove an automatic link; the row remembers that so it is not re-added
    state TEXT NOT NULL DEFAULT 'linked' CHECK (state IN ('linked', 'removed')),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    PRIMARY KEY (entry_id, plugin_id)
) WITHOUT ROWID;
CREATE INDEX plugin_link_plugin ON plugin_link(plugin_id);

CREATE TABLE plugin_run (
    id INTEGER PRIMARY KEY,
    plugin_id TEXT NOT NULL,
    plugin_version TEXT NOT NULL,
    entry_id INTEGER REFERENCES entry(id) ON DELETE SET NULL,
    parameters TEXT NOT NULL DEFAULT '{}',
    seed INTEGER,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL CHECK (status IN ('running', 'finished', 'failed', 'crashed', 'timed_out', 'cancelled')),
    status_reason TEXT,
    result TEXT,                             -- JSON object from the plugin's result line
    artifacts TEXT NOT NULL DEFAULT '[]'     -- JSON array of file paths
);
CREATE INDEX plugin_run_entry ON plugin_run(entry_id);

CREATE TABLE plugin_run_metric (
    run_id INTEGER NOT NULL REFERENCES plugin_run(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    step INTEGER NOT NULL,
    value REAL,
    PRIMARY KEY (run_id, name, step)
) WITHOUT ROWID;

-- ---------------------------------------------------------------- saved searches

CREATE TABLE saved_search (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    query TEXT NOT NULL DEFAULT '',
    filters TEXT NOT NULL DEFAULT '{}',      -- JSON: node ids, tags, ...
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

-- ---------------------------------------------------------------- full-text search (FTS5, external content)

CREATE VIRTUAL TABLE entry_fts USING fts5(
    name, text, reasoning, notes,
    content = 'entry', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');

CREATE TRIGGER entry_fts_insert AFTER INSERT ON entry
BEGIN
    INSERT INTO entry_fts(rowid, name, text, reasoning, notes) VALUES (new.id, new.name, new.text, new.reasoning, new.notes);
END;
CREATE TRIGGER entry_fts_delete AFTER DELETE ON entry
BEGIN
    INSERT INTO entry_fts(entry_fts, rowid, name, text, reasoning, notes) VALUES ('delete', old.id, old.name, old.text, old.reasoning, old.notes);
END;
CREATE TRIGGER entry_fts_update AFTER UPDATE OF name, text, reasoning, notes ON entry
BEGIN
    INSERT INTO entry_fts(entry_fts, rowid, name, text, reasoning, notes) VALUES ('delete', old.id, old.name, old.text, old.reasoning, old.notes);
    INSERT INTO entry_fts(rowid, name, text, reasoning, notes) VALUES (new.id, new.name, new.text, new.reasoning, new.notes);
END;

CREATE VIRTUAL TABLE document_fts USING fts5(
    title, authors, abstract, venue,
    content = 'document', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');

CREATE TRIGGER document_fts_insert AFTER INSERT ON document
BEGIN
    INSERT INTO document_fts(rowid, title, authors, abstract, venue) VALUES (new.id, new.title, new.authors, new.abstract, new.venue);
END;
CREATE TRIGGER document_fts_delete AFTER DELETE ON document
BEGIN
    INSERT INTO document_fts(document_fts, rowid, title, authors, abstract, venue) VALUES ('delete', old.id, old.title, old.authors, old.abstract, old.venue);
END;
CREATE TRIGGER document_fts_update AFTER UPDATE OF title, authors, abstract, venue ON document
BEGIN
    INSERT INTO document_fts(document_fts, rowid, title, authors, abstract, venue) VALUES ('delete', old.id, old.title, old.authors, old.abstract, old.venue);
    INSERT INTO document_fts(rowid, title, authors, abstract, venue) VALUES (new.id, new.title, new.authors, new.abstract, new.venue);
END;
