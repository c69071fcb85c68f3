-- A read-only role for dashboards (Grafana, Metabase, Power BI) on the CareSim results store
-- (docs/results.md). Run it once as the owner of the database's tables (the user sim connects
-- as), e.g. psql "host=... dbname=caresim user=sim" -v reader=caresim_reader -v password='...' -v database=caresim -f docs/results-reader.sql
CREATE ROLE :"reader" LOGIN PASSWORD :'password';
GRANT CONNECT ON DATABASE :"database" TO :"reader";
GRANT USAGE ON SCHEMA public TO :"reader";
GRANT SELECT ON ALL TABLES IN SCHEMA public TO :"reader";
-- Tables and views added by later versions of the tool (migrations) are readable too.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO :"reader";
-- Read only, whatever a client asks for, and no query longer than a minute.
ALTER ROLE :"reader" SET default_transaction_read_only = on;
ALTER ROLE :"reader" SET statement_timeout = '60s';
