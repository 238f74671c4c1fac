-- configstore schema, version 5: JSON Schemas per document, the hash chain of the history, and
-- secret key patterns.
--
-- Every statement may run again: H2 commits each DDL statement by itself, so a process killed
-- during this migration leaves a prefix of it applied and no Flyway row; the next open runs the
-- whole script again and must finish it rather than fail on what is already there.

-- The text of every JSON Schema a document ever had, stored once under the SHA-256 of its
-- canonical JSON. A document version names the schema in force by that hash, so a schema is
-- versioned with the document (history, restore points, archives) at 64 bytes per version row,
-- not its whole text. Rows are never updated or deleted.
CREATE TABLE IF NOT EXISTS cs_schema (
    schema_sha256 VARCHAR(64)      NOT NULL,
    schema_json   VARCHAR(1000000) NOT NULL,
    CONSTRAINT cs_schema_pk PRIMARY KEY (schema_sha256)
);

ALTER TABLE cs_document_version ADD COLUMN IF NOT EXISTS schema_sha256 VARCHAR(64);

-- The schema each existing document has now, with its text: what an analyst joins to see why a
-- write was refused.
CREATE OR REPLACE VIEW document_schemas AS
SELECT v.document, v.revision AS since_revision, s.schema_sha256, s.schema_json
FROM cs_document_version v
JOIN (SELECT document AS newest_document, MAX(revision) AS newest_revision
      FROM cs_document_version GROUP BY document) newest
  ON v.document = newest.newest_document AND v.revision = newest.newest_revision
JOIN cs_schema s ON s.schema_sha256 = v.schema_sha256
WHERE v.deleted = FALSE;

-- The hash chain of the history: SHA-256 over the previous revision's chain hash and a
-- canonical digest of this revision (number, time, actor, message, operation, the document
-- version rows and every value row it began or ended), and with a key outside the database an
-- HMAC-SHA256 of that hash. Filled in once, at the first open, for revisions written before.
ALTER TABLE cs_revision ADD COLUMN IF NOT EXISTS chain_hash VARCHAR(64);
ALTER TABLE cs_revision ADD COLUMN IF NOT EXISTS chain_mac VARCHAR(64);

-- The chain hash of the floor revision at each compaction: the anchor the chain is checked from.
ALTER TABLE cs_compaction ADD COLUMN IF NOT EXISTS floor_chain_hash VARCHAR(64);

-- The key patterns declared secret for a document (a JSON array, or NULL): values written at a
-- matching key are encrypted before they reach the database. Versioned with the document.
ALTER TABLE cs_document_version ADD COLUMN IF NOT EXISTS secret_patterns VARCHAR(2000);
