-- What the ledger's events would take on disk if they were stored another way: the same rows,
-- inserted in the same order (position order, as the ledger appended them) into temporary tables
-- with the same five indexes, so each index grows by the same inserts, not by a compact build.
--
--   npm run bench:ingest   (with DATABASE_URL: a throwaway server; it leaves ledger_bench_ingest)
--   psql "postgres://…/ledger_bench_ingest" -f bench/bytes-what-if.sql
--
-- Read-only for ledger_events; the tables are TEMP (gone with the session). Figures: bytes per
-- event of heap and indexes (docs/performance.md, "Bytes on disk per event, third session").
\set ON_ERROR_STOP 1
\pset footer off

CREATE FUNCTION pg_temp.like_events(name text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('CREATE TEMP TABLE %I (LIKE ledger_events INCLUDING DEFAULTS)', name);
  EXECUTE format('ALTER TABLE %I ADD PRIMARY KEY (position), ADD UNIQUE (event_id), ADD UNIQUE (stream_id, stream_version)', name);
  EXECUTE format('CREATE INDEX ON %I (contract_id, position)', name);
  EXECUTE format('CREATE INDEX ON %I (stream_id, occurred_at, position)', name);
END $$;

-- The canonical text without the members the ledger assigns at append (each has its own column).
CREATE FUNCTION pg_temp.without_assigned(canonical text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT regexp_replace(regexp_replace(regexp_replace(regexp_replace(canonical,
    ',"position":[0-9]+', ''), ',"prevHash":("[0-9a-f]{64}"|null)', ''),
    ',"recordedAt":"[^"]*"', ''), ',"streamVersion":[0-9]+', '')
$$;

DO $$ BEGIN PERFORM pg_temp.like_events('as_stored'); END $$;
INSERT INTO as_stored SELECT * FROM ledger_events ORDER BY position;

DO $$ BEGIN PERFORM pg_temp.like_events('text_without_assigned'); END $$;
INSERT INTO text_without_assigned
  SELECT position, event_id, stream_id, stream_version, type, contract_id, record_id, occurred_at, recorded_at,
         pg_temp.without_assigned(canonical), prev_hash, hash
    FROM ledger_events ORDER BY position;

DO $$ BEGIN PERFORM pg_temp.like_events('no_copy_columns'); END $$;
ALTER TABLE no_copy_columns DROP COLUMN type, DROP COLUMN record_id, DROP COLUMN recorded_at, DROP COLUMN prev_hash;
INSERT INTO no_copy_columns
  SELECT position, event_id, stream_id, stream_version, contract_id, occurred_at, canonical, hash
    FROM ledger_events ORDER BY position;

DO $$ BEGIN PERFORM pg_temp.like_events('both_changes'); END $$;
ALTER TABLE both_changes DROP COLUMN type, DROP COLUMN record_id, DROP COLUMN recorded_at, DROP COLUMN prev_hash;
INSERT INTO both_changes
  SELECT position, event_id, stream_id, stream_version, contract_id, occurred_at, pg_temp.without_assigned(canonical), hash
    FROM ledger_events ORDER BY position;

WITH n AS (SELECT count(*)::numeric AS events FROM ledger_events)
SELECT t.name AS stored_as,
       round(pg_relation_size(t.name::regclass) / n.events, 1) AS heap,
       round((pg_indexes_size(t.name::regclass)) / n.events, 1) AS indexes,
       round(pg_total_relation_size(t.name::regclass) / n.events, 1) AS total
  FROM n, unnest(ARRAY['as_stored', 'text_without_assigned', 'no_copy_columns', 'both_changes']) AS t(name);
