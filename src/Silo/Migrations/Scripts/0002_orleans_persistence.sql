-- 0002: grain state for Microsoft.Orleans.Persistence.AdoNet (AddAdoNetGrainStorage, invariant "Npgsql").
--
-- What the 10.4.2 provider sends and reads:
--   key parameters on every query: @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash,
--     @GrainTypeString, @GrainIdExtensionString (may be NULL), @ServiceId;
--   WriteToStorageKey  + @GrainStateVersion (NULL before the first write), @PayloadBinary;
--                        returns newgrainstateversion;
--   ReadFromStorageKey   reads payloadbinary and version;
--   ClearStorageKey    + @GrainStateVersion; returns the new version;
--   DeleteStorageKey   + @GrainStateVersion; optional, used only with DeleteStateOnClear = true.
-- The version is the grain state's ETag. A write that finds another version must leave the row alone
-- and answer the version it was given (or NULL for a first write): the provider then throws
-- InconsistentStateException.
--
-- Differences from upstream's PostgreSQL-Persistence.sql, on purpose:
--   * no payloadjson / payloadxml columns: the 10.x provider writes every serializer's output,
--     System.Text.Json included, to payloadbinary (UTF-8 JSON can be read back with
--     convert_from(payloadbinary, 'UTF8')::jsonb);
--   * modifiedon is timestamptz (upstream only moved to it in a 3.6.0 migration);
--   * a first write takes a transaction-scoped advisory lock on the row's hashes, so two activations
--     of one grain (possible for a moment after a silo is declared dead) cannot both insert a row.
--     Upstream's INSERT ... WHERE NOT EXISTS does not see the other's uncommitted row, and a second
--     row would make every later read of that grain fail.

-- graintypestring holds the *state name* the grain declares (e.g. [PersistentState("customer")]), not
-- the grain class: rows are keyed by state name + grain id (orleans#8746), so each grain type needs its
-- own state name. grainidextensionstring holds the key of string-keyed grains, or the key extension.
CREATE TABLE orleansstorage
(
    grainidhash            integer      NOT NULL,
    grainidn0              bigint       NOT NULL,
    grainidn1              bigint       NOT NULL,
    graintypehash          integer      NOT NULL,
    graintypestring        varchar(512) NOT NULL,
    grainidextensionstring varchar(512) NULL,
    serviceid              varchar(150) NOT NULL,
    payloadbinary          bytea        NULL,
    modifiedon             timestamptz  NOT NULL,
    version                integer      NOT NULL
);

-- The hashes narrow a lookup to (almost always) one row; the other key columns are then compared.
CREATE INDEX ix_orleansstorage ON orleansstorage (grainidhash, graintypehash);

CREATE FUNCTION writetostorage(
    p_grainidhash            integer,
    p_grainidn0              bigint,
    p_grainidn1              bigint,
    p_graintypehash          integer,
    p_graintypestring        text,
    p_grainidextensionstring text,
    p_serviceid              text,
    p_grainstateversion      integer,
    p_payloadbinary          bytea)
    RETURNS integer
    LANGUAGE plpgsql
AS $function$
DECLARE
    rows_written integer;
BEGIN
    IF p_grainstateversion IS NOT NULL THEN
        -- The grain read version p_grainstateversion: replace exactly that version. A concurrent writer
        -- holds the row lock until it commits; this UPDATE then re-checks the version and finds it moved.
        UPDATE orleansstorage
        SET payloadbinary = p_payloadbinary,
            modifiedon = now(),
            version = version + 1
        WHERE grainidhash = p_grainidhash
          AND graintypehash = p_graintypehash
          AND grainidn0 = p_grainidn0
          AND grainidn1 = p_grainidn1
          AND graintypestring = p_graintypestring
          AND grainidextensionstring IS NOT DISTINCT FROM p_grainidextensionstring
          AND serviceid = p_serviceid
          AND version = p_grainstateversion;

        GET DIAGNOSTICS rows_written = ROW_COUNT;
        -- Answering the version we were given tells the provider the write lost.
        RETURN CASE WHEN rows_written > 0 THEN p_grainstateversion + 1 ELSE p_grainstateversion END;
    END IF;

    -- First write of this state: there is no row to lock yet, so serialize first writes of the same
    -- hashes until this transaction (this statement) ends. The (int, int) lock space does not overlap
    -- the bigint one the migration runner uses.
    PERFORM pg_advisory_xact_lock(p_grainidhash, p_graintypehash);

    INSERT INTO orleansstorage
        (grainidhash, grainidn0, grainidn1, graintypehash, graintypestring, grainidextensionstring,
         serviceid, payloadbinary, modifiedon, version)
    SELECT p_grainidhash, p_grainidn0, p_grainidn1, p_graintypehash, p_graintypestring, p_grainidextensionstring,
           p_serviceid, p_payloadbinary, now(), 1
    WHERE NOT EXISTS
    (
        SELECT 1
        FROM orleansstorage
        WHERE grainidhash = p_grainidhash
          AND graintypehash = p_graintypehash
          AND grainidn0 = p_grainidn0
          AND grainidn1 = p_grainidn1
          AND graintypestring = p_graintypestring
          AND grainidextensionstring IS NOT DISTINCT FROM p_grainidextensionstring
          AND serviceid = p_serviceid
    );

    GET DIAGNOSTICS rows_written = ROW_COUNT;
    -- NULL: another activation wrote first.
    RETURN CASE WHEN rows_written > 0 THEN 1 END;
END
$function$;

INSERT INTO orleansquery (querykey, querytext) VALUES
(
    'WriteToStorageKey',
    $query$
    SELECT writetostorage(@GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
                          @GrainIdExtensionString, @ServiceId, @GrainStateVersion, @PayloadBinary)
           AS newgrainstateversion;
    $query$
),
(
    'ReadFromStorageKey',
    $query$
    SELECT payloadbinary, version
    FROM orleansstorage
    WHERE grainidhash = @GrainIdHash
      AND graintypehash = @GrainTypeHash
      AND grainidn0 = @GrainIdN0
      AND grainidn1 = @GrainIdN1
      AND graintypestring = @GrainTypeString
      AND grainidextensionstring IS NOT DISTINCT FROM @GrainIdExtensionString
      AND serviceid = @ServiceId;
    $query$
),
(
    -- ClearStateAsync with the default DeleteStateOnClear = false: keep the row (and its version) with
    -- no payload, so a stale activation still cannot overwrite it.
    'ClearStorageKey',
    $query$
    UPDATE orleansstorage
    SET payloadbinary = NULL,
        modifiedon = now(),
        version = version + 1
    WHERE grainidhash = @GrainIdHash
      AND graintypehash = @GrainTypeHash
      AND grainidn0 = @GrainIdN0
      AND grainidn1 = @GrainIdN1
      AND graintypestring = @GrainTypeString
      AND grainidextensionstring IS NOT DISTINCT FROM @GrainIdExtensionString
      AND serviceid = @ServiceId
      AND version = @GrainStateVersion
    RETURNING version;
    $query$
),
(
    -- ClearStateAsync with DeleteStateOnClear = true. The provider only checks that the answer differs
    -- from the ETag it sent (no row: the version did not match), then forgets the ETag.
    'DeleteStorageKey',
    $query$
    DELETE FROM orleansstorage
    WHERE grainidhash = @GrainIdHash
      AND graintypehash = @GrainTypeHash
      AND grainidn0 = @GrainIdN0
      AND grainidn1 = @GrainIdN1
      AND graintypestring = @GrainTypeString
      AND grainidextensionstring IS NOT DISTINCT FROM @GrainIdExtensionString
      AND serviceid = @ServiceId
      AND version = @GrainStateVersion
    RETURNING version + 1;
    $query$
);
