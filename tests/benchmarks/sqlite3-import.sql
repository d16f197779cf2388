-- The baseline of the import benchmark: the sqlite3 shell loading the rows of an MIT v1 CSV (the
-- mitigations table and its included-documents table) into a library made by `init`, with the
-- library's indexes and FTS5 triggers in place. It writes the rows `mitigation-atlas-cli import`
-- writes for the same file, with the same values where SQL can compute them:
--   one import_batch row (started, then finished with its counts), as the writer records;
--   document: kind from Type, title, authors as a JSON list of the first author, year, DOI
--     (lower case), arXiv id (from an arXiv DOI or URL), URL, abstract, citation key = ShortRef,
--     extra {Description, DocumentID, Type}, title_key and abstract_key (match keys: a lower-case
--     title without punctuation, and a hash of the abstract; the writer's Unicode normalisation
--     and SHA-1 are not available in SQL, so a comparable computation stands in), the batch;
--   entry: Action ID, Action Name, Action Definition, the source document found by ShortRef,
--     extra {"Action Source": ...}, the batch;
--   classification: the entry's mit-mitigation-v1 node found by the code before the first space
--     of MitigationCode, assigned by 'mit-v1-csv', the batch.
-- What it does not do is the importer's work beyond loading: no de-duplication against rows
-- already in the library, no diagnostics, no undo records (a first import of a file into an empty
-- library has no merges, so the writer records none either).
--
-- @CSV@ and @DOCUMENTS_CSV@ stand for the two files. By hand:
--   sed -e "s|@CSV@|$PWD/x.csv|" -e "s|@DOCUMENTS_CSV@|$PWD/x.included-documents.csv|" \
--       tests/benchmarks/sqlite3-import.sql | sqlite3 -bail library.sqlite
-- The benchmark suite (tests/benchmarks/benchmark_suite.cpp) does the same; the ratio of the
-- import's time to this script's is the figure of issue #6.

-- The connection settings of Library::open (model/library.cpp), so both write the same way.
PRAGMA foreign_keys = ON;
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
PRAGMA cache_size = -65536;
PRAGMA mmap_size = 268435456;

-- One transaction, as the import: all rows or none.
BEGIN;

-- The staging tables take their columns from the header rows (every column TEXT).
.import --csv --schema temp @DOCUMENTS_CSV@ stage_document
.import --csv --schema temp @CSV@ stage_entry

INSERT INTO import_batch(file, format, sha256, mode, started_at)
VALUES ('@CSV@', 'mit-v1-csv', NULL, 'strict', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
CREATE TEMP TABLE batch AS SELECT last_insert_rowid() AS id;

INSERT INTO document(kind, title, authors, year, venue, doi, arxiv_id, url, abstract, citation_key, extra, origin_batch_id,
                     title_key, abstract_key, title_inferred, needs_review, edited_fields)
SELECT CASE lower(trim(s."Type"))
           WHEN 'preprint' THEN 'preprint'
           WHEN 'report' THEN 'report'
           WHEN 'journal article' THEN 'article'
           WHEN 'article' THEN 'article'
           WHEN 'conference paper' THEN 'paper-conference'
           WHEN 'book' THEN 'book'
           WHEN 'book chapter' THEN 'chapter'
           WHEN 'book section' THEN 'chapter'
           WHEN 'thesis' THEN 'thesis'
           WHEN 'website' THEN 'web'
           WHEN 'web page' THEN 'web'
           WHEN 'dataset' THEN 'dataset'
           WHEN 'software' THEN 'software'
           WHEN 'legislation' THEN 'report'
           WHEN 'other government document' THEN 'report'
           WHEN 'other non-government document' THEN 'report'
           WHEN 'policy brief' THEN 'report'
           ELSE 'misc'
       END,
       trim(s."Title"),
       CASE WHEN trim(s."First author") <> '' THEN json_array(trim(s."First author")) ELSE '[]' END,
       CASE WHEN trim(s."Year") GLOB '[12][0-9][0-9][0-9]*' THEN CAST(trim(s."Year") AS INTEGER) END,
       NULL,
       CASE WHEN trim(s."DOI") LIKE '10.%/%' THEN lower(trim(s."DOI")) END,
       CASE WHEN lower(trim(s."DOI")) LIKE '10.48550/arxiv.%' THEN substr(trim(s."DOI"), 16)
            WHEN s."URL" LIKE '%arxiv.org/abs/%' THEN substr(s."URL", instr(s."URL", 'arxiv.org/abs/') + 14) END,
       nullif(trim(s."URL"), ''),
       nullif(trim(s."Abstract"), ''),
       s."ShortRef",
       CASE WHEN trim(s."Description") <> ''
            THEN json_object('Description', trim(s."Description"), 'DocumentID', s."DocumentID", 'Type', trim(s."Type"))
            ELSE json_object('DocumentID', s."DocumentID", 'Type', trim(s."Type")) END,
       (SELECT id FROM batch),
       trim(replace(replace(replace(replace(replace(replace(replace(replace(lower(s."Title"),
           ':', ' '), ',', ' '), '(', ' '), ')', ' '), '-', ' '), '.', ' '), '  ', ' '), '  ', ' ')),
       CASE WHEN length(s."Abstract") >= 40 THEN lower(hex(sha3(lower(trim(s."Abstract"))))) END,
       0, 0, '[]'
FROM temp.stage_document s;

-- In these lookups the unary + keeps the planner on the citation_key and external_id indexes: the
-- batch index it would pick otherwise matches every row of the batch.
INSERT INTO entry(external_id, name, text, reasoning, notes, parent_id, document_id, listing_only, needs_review, extra, origin_batch_id, edited_fields)
SELECT trim(s."Action ID"),
       trim(s."Action Name"),
       nullif(trim(s."Action Definition"), ''),
       NULL, NULL, NULL,
       (SELECT d.id FROM document d WHERE d.citation_key = s."Action Source" AND +d.origin_batch_id = (SELECT id FROM batch)),
       0, 0,
       CASE WHEN trim(s."Action Source") <> '' THEN json_object('Action Source', trim(s."Action Source")) ELSE '{}' END,
       (SELECT id FROM batch),
       '[]'
FROM temp.stage_entry s;

INSERT INTO classification(entry_id, node_id, assigned_by_kind, assigned_by, evidence, confidence, origin_batch_id)
SELECT e.id, n.id, 'import', 'mit-v1-csv', NULL, NULL, (SELECT id FROM batch)
FROM temp.stage_entry s
JOIN entry e ON e.external_id = trim(s."Action ID")
JOIN taxonomy_node n ON n.scheme_id = (SELECT id FROM scheme WHERE key = 'mit-mitigation-v1')
                    AND n.code = upper(substr(trim(s."MitigationCode"), 1, instr(trim(s."MitigationCode") || ' ', ' ') - 1))
WHERE +e.origin_batch_id = (SELECT id FROM batch);

UPDATE import_batch
SET finished_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'),
    added = (SELECT count(*) FROM document WHERE origin_batch_id = import_batch.id) + (SELECT count(*) FROM entry WHERE origin_batch_id = import_batch.id),
    counts = json_object('classifications_added', (SELECT count(*) FROM classification WHERE origin_batch_id = import_batch.id))
WHERE id = (SELECT id FROM batch);

COMMIT;
