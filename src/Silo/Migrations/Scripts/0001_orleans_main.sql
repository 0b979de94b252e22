-- 0001: the table of queries every Orleans ADO.NET provider reads at start-up.
--
-- Orleans' ADO.NET providers (clustering, grain storage, reminders) contain no SQL of their own for
-- PostgreSQL: each one runs `SELECT QueryKey, QueryText FROM OrleansQuery` when it starts and executes
-- the texts it finds under the keys it knows. Every later script inserts the rows for one provider.
--
-- Contract with the providers (Orleans 10.4.2):
--   * a query reads columns and binds parameters by name (@Name); PostgreSQL folds unquoted names to
--     lower case and Npgsql matches column names case-insensitively, so lower-case names are fine;
--   * queries that report success return a single column whose value is > 0 for "done" and 0 for
--     "lost the race" (a version check failed); an error is treated as a failure and retried.
--
-- The upstream reference is dotnet/orleans src/AdoNet/Shared/PostgreSQL-Main.sql; these scripts are
-- the project's own, written against the 10.4.2 providers (see docs/adr/0001-postgresql-schema-and-migrations.md).

CREATE TABLE orleansquery
(
    querykey  varchar(64) NOT NULL,
    querytext text        NOT NULL,

    CONSTRAINT orleansquery_key PRIMARY KEY (querykey)
);
