-- 0003: cluster membership for Microsoft.Orleans.Clustering.AdoNet (UseAdoNetClustering on silos and clients).
--
-- Orleans keeps one row per silo incarnation (address, port, generation) and one version row per cluster
-- (deploymentid = ClusterOptions.ClusterId). Every change of membership must carry the version the silo
-- last read and bump it by one: that optimistic check is what makes the membership protocol safe, so a
-- write whose version is stale must change nothing and answer 0.
--
-- Keys required by the 10.4.2 provider: InsertMembershipVersionKey, InsertMembershipKey, UpdateMembershipKey,
-- UpdateIAmAlivetimeKey, MembershipReadRowKey, MembershipReadAllKey, GatewaysQueryKey,
-- DeleteMembershipTableEntriesKey, CleanupDefunctSiloEntriesKey. Optional and used when present:
-- CleanupDefunctSiloEntryKey (deletes one Dead row whose captured values still match).
-- The 10.4.2 provider neither sends nor reads MetadataJson (a later upstream addition), so there is no such column.
--
-- SiloStatus values used below: 3 = Active, 6 = Dead.

CREATE TABLE orleansmembershipversiontable
(
    deploymentid varchar(150)   NOT NULL,
    timestamp    timestamptz(3) NOT NULL DEFAULT now(),
    version      integer        NOT NULL DEFAULT 0,

    CONSTRAINT pk_orleansmembershipversiontable_deploymentid PRIMARY KEY (deploymentid)
);

-- siloname and hostname are wider than upstream's 150: Kubernetes pod names (POD_NAME, used as the
-- silo name) may be up to 253 characters.
CREATE TABLE orleansmembershiptable
(
    deploymentid varchar(150)   NOT NULL,
    address      varchar(45)    NOT NULL,
    port         integer        NOT NULL,
    generation   integer        NOT NULL,
    siloname     varchar(253)   NOT NULL,
    hostname     varchar(253)   NOT NULL,
    status       integer        NOT NULL,
    proxyport    integer        NOT NULL,
    suspecttimes text           NULL,
    starttime    timestamptz(3) NOT NULL,
    iamalivetime timestamptz(3) NOT NULL,

    CONSTRAINT pk_membershiptable_deploymentid PRIMARY KEY (deploymentid, address, port, generation),
    CONSTRAINT fk_membershiptable_membershipversiontable_deploymentid
        FOREIGN KEY (deploymentid) REFERENCES orleansmembershipversiontable (deploymentid)
);

-- Both writers below lock the cluster's version row first (SELECT ... FOR UPDATE): membership writes of
-- one cluster then happen one at a time, and the version compared is the version bumped. The member row
-- is written before the version is bumped, and the version is bumped only if the row was written, so
-- a failed write changes nothing. (Upstream gets the same effect by raising inside an exception block;
-- its older scripts used ASSERT, which does nothing when plpgsql.check_asserts is off.)
CREATE FUNCTION insert_membership(
    p_deploymentid text,
    p_address      text,
    p_port         integer,
    p_generation   integer,
    p_siloname     text,
    p_hostname     text,
    p_status       integer,
    p_proxyport    integer,
    p_starttime    timestamptz,
    p_iamalivetime timestamptz,
    p_version      integer)
    RETURNS integer
    LANGUAGE plpgsql
AS $function$
DECLARE
    current_version integer;
    rows_written    integer;
BEGIN
    SELECT version INTO current_version
    FROM orleansmembershipversiontable
    WHERE deploymentid = p_deploymentid
    FOR UPDATE;

    IF current_version IS DISTINCT FROM p_version THEN
        RETURN 0;
    END IF;

    INSERT INTO orleansmembershiptable
        (deploymentid, address, port, generation, siloname, hostname, status, proxyport, starttime, iamalivetime)
    VALUES
        (p_deploymentid, p_address, p_port, p_generation, p_siloname, p_hostname, p_status, p_proxyport,
         p_starttime, p_iamalivetime)
    ON CONFLICT (deploymentid, address, port, generation) DO NOTHING;

    GET DIAGNOSTICS rows_written = ROW_COUNT;
    IF rows_written = 0 THEN
        RETURN 0;
    END IF;

    UPDATE orleansmembershipversiontable
    SET version = version + 1,
        timestamp = now()
    WHERE deploymentid = p_deploymentid;

    RETURN 1;
END
$function$;

CREATE FUNCTION update_membership(
    p_deploymentid text,
    p_address      text,
    p_port         integer,
    p_generation   integer,
    p_status       integer,
    p_suspecttimes text,
    p_iamalivetime timestamptz,
    p_version      integer)
    RETURNS integer
    LANGUAGE plpgsql
AS $function$
DECLARE
    current_version integer;
    rows_written    integer;
BEGIN
    SELECT version INTO current_version
    FROM orleansmembershipversiontable
    WHERE deploymentid = p_deploymentid
    FOR UPDATE;

    IF current_version IS DISTINCT FROM p_version THEN
        RETURN 0;
    END IF;

    UPDATE orleansmembershiptable
    SET status = p_status,
        suspecttimes = p_suspecttimes,
        iamalivetime = GREATEST(iamalivetime, p_iamalivetime)
    WHERE deploymentid = p_deploymentid
      AND address = p_address
      AND port = p_port
      AND generation = p_generation;

    GET DIAGNOSTICS rows_written = ROW_COUNT;
    IF rows_written = 0 THEN
        RETURN 0;
    END IF;

    UPDATE orleansmembershipversiontable
    SET version = version + 1,
        timestamp = now()
    WHERE deploymentid = p_deploymentid;

    RETURN 1;
END
$function$;

INSERT INTO orleansquery (querykey, querytext) VALUES
(
    -- Answers 1 when this call created the cluster's version row, 0 when it already existed.
    'InsertMembershipVersionKey',
    $query$
    WITH inserted AS
    (
        INSERT INTO orleansmembershipversiontable (deploymentid)
        VALUES (@DeploymentId)
        ON CONFLICT (deploymentid) DO NOTHING
        RETURNING 1
    )
    SELECT count(*)::integer FROM inserted;
    $query$
),
(
    'InsertMembershipKey',
    $query$
    SELECT insert_membership(@DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName, @Status,
                             @ProxyPort, @StartTime, @IAmAliveTime, @Version);
    $query$
),
(
    'UpdateMembershipKey',
    $query$
    SELECT update_membership(@DeploymentId, @Address, @Port, @Generation, @Status, @SuspectTimes,
                             @IAmAliveTime, @Version);
    $query$
),
(
    -- The heartbeat; not versioned. GREATEST: a heartbeat that arrives late must not move the time
    -- backwards and make a live silo look stale to the cleanup below.
    'UpdateIAmAlivetimeKey',
    $query$
    UPDATE orleansmembershiptable
    SET iamalivetime = GREATEST(iamalivetime, @IAmAliveTime)
    WHERE deploymentid = @DeploymentId
      AND address = @Address
      AND port = @Port
      AND generation = @Generation;
    $query$
),
(
    -- The LEFT JOIN returns the version row even when the silo has no row: the provider needs the version.
    'MembershipReadRowKey',
    $query$
    SELECT v.deploymentid, m.address, m.port, m.generation, m.siloname, m.hostname, m.status, m.proxyport,
           m.suspecttimes, m.starttime, m.iamalivetime, v.version
    FROM orleansmembershipversiontable v
    LEFT JOIN orleansmembershiptable m
        ON m.deploymentid = v.deploymentid
       AND m.address = @Address
       AND m.port = @Port
       AND m.generation = @Generation
    WHERE v.deploymentid = @DeploymentId;
    $query$
),
(
    'MembershipReadAllKey',
    $query$
    SELECT v.deploymentid, m.address, m.port, m.generation, m.siloname, m.hostname, m.status, m.proxyport,
           m.suspecttimes, m.starttime, m.iamalivetime, v.version
    FROM orleansmembershipversiontable v
    LEFT JOIN orleansmembershiptable m ON m.deploymentid = v.deploymentid
    WHERE v.deploymentid = @DeploymentId;
    $query$
),
(
    -- Clients ask for the gateways of Active (@Status = 3) silos.
    'GatewaysQueryKey',
    $query$
    SELECT address, proxyport, generation
    FROM orleansmembershiptable
    WHERE deploymentid = @DeploymentId
      AND status = @Status
      AND proxyport > 0;
    $query$
),
(
    'DeleteMembershipTableEntriesKey',
    $query$
    DELETE FROM orleansmembershiptable WHERE deploymentid = @DeploymentId;
    DELETE FROM orleansmembershipversiontable WHERE deploymentid = @DeploymentId;
    $query$
),
(
    -- Fallback the provider uses only when CleanupDefunctSiloEntryKey is missing: the same rule in bulk.
    -- Only Dead rows go, and only when neither their heartbeat, their start nor any suspicion is recent.
    'CleanupDefunctSiloEntriesKey',
    $query$
    DELETE FROM orleansmembershiptable
    WHERE deploymentid = @DeploymentId
      AND status = 6
      AND iamalivetime < @IAmAliveTime
      AND starttime < @IAmAliveTime
      AND COALESCE(suspecttimes, '') = '';
    $query$
),
(
    -- The provider reads the table, picks Dead rows older than its cut-off, and deletes each one only if
    -- it still holds the values it read, so a row that changed in between is kept.
    'CleanupDefunctSiloEntryKey',
    $query$
    DELETE FROM orleansmembershiptable
    WHERE deploymentid = @DeploymentId
      AND address = @Address
      AND port = @Port
      AND generation = @Generation
      AND status = 6
      AND starttime = @StartTime
      AND iamalivetime = @IAmAliveTime
      AND COALESCE(suspecttimes, '') = COALESCE(@SuspectTimes, '');
    $query$
);
