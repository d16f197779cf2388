-- Schema 2: what imports need to match, merge and undo.

-- Match keys, computed by the writer: the normalised title ("large language model safety a holistic
-- survey") and a hash of the normalised abstract, for de-duplication across formats.
ALTER TABLE document ADD COLUMN title_key TEXT;
ALTER TABLE document ADD COLUMN abstract_key TEXT;
-- 1: the title was made from the abstract (an abstract list); a real title replaces it in a merge.
ALTER TABLE document ADD COLUMN title_inferred INTEGER NOT NULL DEFAULT 0 CHECK (title_inferred IN (0, 1));
ALTER TABLE document ADD COLUMN needs_review INTEGER NOT NULL DEFAULT 0 CHECK (needs_review IN (0, 1));
CREATE INDEX document_title_key ON document(title_key) WHERE title_key IS NOT NULL;
CREATE INDEX document_abstract_key ON document(abstract_key) WHERE abstract_key IS NOT NULL;

-- A document's risk categories as its source files it (a paper list's section).
CREATE TABLE document_classification (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
    node_id INTEGER NOT NULL REFERENCES taxonomy_node(id) ON DELETE CASCADE,
    assigned_by_kind TEXT NOT NULL CHECK (assigned_by_kind IN ('import', 'classifier', 'curator', 'rule')),
    assigned_by TEXT NOT NULL,
    assigned_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    evidence TEXT,
    confidence REAL CHECK (confidence IS NULL OR (confidence >= 0 AND confidence <= 1)),
    origin_batch_id INTEGER REFERENCES import_batch(id) ON DELETE SET NULL,
    UNIQUE (document_id, node_id)
);
CREATE INDEX document_classification_node ON document_classification(node_id, document_id);
CREATE INDEX document_classification_batch ON document_classification(origin_batch_id);

-- Which batch made a tag or a tag link, so undo-import can take it away.
ALTER TABLE tag ADD COLUMN origin_batch_id INTEGER REFERENCES import_batch(id) ON DELETE SET NULL;
ALTER TABLE entry_tag ADD COLUMN origin_batch_id INTEGER REFERENCES import_batch(id) ON DELETE SET NULL;
ALTER TABLE document_tag ADD COLUMN origin_batch_id INTEGER REFERENCES import_batch(id) ON DELETE SET NULL;
CREATE INDEX entry_tag_batch ON entry_tag(origin_batch_id) WHERE origin_batch_id IS NOT NULL;
CREATE INDEX document_tag_batch ON document_tag(origin_batch_id) WHERE origin_batch_id IS NOT NULL;
CREATE INDEX taxonomy_node_batch ON taxonomy_node(origin_batch_id) WHERE origin_batch_id IS NOT NULL;
CREATE INDEX entry_document_batch ON entry_document(origin_batch_id) WHERE origin_batch_id IS NOT NULL;

-- Counts of what the batch added and merged, and the records it skipped, summarised for lists.
ALTER TABLE import_batch ADD COLUMN added INTEGER NOT NULL DEFAULT 0;
ALTER TABLE import_batch ADD COLUMN merged INTEGER NOT NULL DEFAULT 0;
ALTER TABLE import_batch ADD COLUMN skipped INTEGER NOT NULL DEFAULT 0;
ALTER TABLE import_batch ADD COLUMN undone_at TEXT;
