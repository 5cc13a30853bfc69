-- Runs once, when the data volume is created (docker-entrypoint-initdb.d). The schema itself is
-- created by the service's migrations at start (never synchronize); this only sets the defaults.
ALTER DATABASE ledger SET timezone TO 'UTC';
