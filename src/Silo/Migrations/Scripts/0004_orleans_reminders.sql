-- 0004: durable reminders for Microsoft.Orleans.Reminders.AdoNet (UseAdoNetReminderService).
--
-- What the 10.4.2 provider sends and reads:
--   UpsertReminderRowKey   @ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash;
--                          returns the row's new version (the reminder's ETag);
--   ReadReminderRowKey, ReadReminderRowsKey, ReadRangeRows1Key, ReadRangeRows2Key
--                          read grainid, remindername, starttime, period (as bigint, milliseconds), version;
--   DeleteReminderRowKey   @ServiceId, @GrainId, @ReminderName, @Version; returns 1 if deleted, 0 if the
--                          version did not match;
--   DeleteReminderRowsKey  @ServiceId.
-- @Period is sent as an integer, or as a bigint when it exceeds int range, hence the bigint column.
-- The 10.4.2 provider has no cron / priority columns (a later upstream addition, PostgreSQL-Reminders-10.0.0
-- on upstream's main branch), so there are none here.
--
-- Each silo loads the reminders of its slice of the hash ring with ReadRangeRows1Key (begin < end) or
-- ReadRangeRows2Key (the slice wraps around); grainhash is the grain id's uniform hash as a signed int.

-- grainid is GrainId.ToString(), "<grain type>/<key>": wider than upstream's 150 so that grains keyed
-- by long ids (a Stripe customer id may be 255 characters) can hold reminders.
CREATE TABLE orleansreminderstable
(
    serviceid    varchar(150)   NOT NULL,
    grainid      varchar(512)   NOT NULL,
    remindername varchar(150)   NOT NULL,
    starttime    timestamptz(3) NOT NULL,
    period       bigint         NOT NULL,
    grainhash    integer        NOT NULL,
    version      integer        NOT NULL,

    CONSTRAINT pk_reminderstable_serviceid_grainid_remindername PRIMARY KEY (serviceid, grainid, remindername)
);

-- Upstream has no index for the range reads; every silo runs them at start and on each ring change.
CREATE INDEX ix_orleansreminderstable_serviceid_grainhash ON orleansreminderstable (serviceid, grainhash);

INSERT INTO orleansquery (querykey, querytext) VALUES
(
    'UpsertReminderRowKey',
    $query$
    INSERT INTO orleansreminderstable AS r
        (serviceid, grainid, remindername, starttime, period, grainhash, version)
    VALUES
        (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
    ON CONFLICT (serviceid, grainid, remindername) DO UPDATE
    SET starttime = excluded.starttime,
        period = excluded.period,
        grainhash = excluded.grainhash,
        version = r.version + 1
    RETURNING r.version;
    $query$
),
(
    'ReadReminderRowKey',
    $query$
    SELECT grainid, remindername, starttime, period, version
    FROM orleansreminderstable
    WHERE serviceid = @ServiceId
      AND grainid = @GrainId
      AND remindername = @ReminderName;
    $query$
),
(
    'ReadReminderRowsKey',
    $query$
    SELECT grainid, remindername, starttime, period, version
    FROM orleansreminderstable
    WHERE serviceid = @ServiceId
      AND grainid = @GrainId;
    $query$
),
(
    -- The slice (BeginHash, EndHash] does not wrap around.
    'ReadRangeRows1Key',
    $query$
    SELECT grainid, remindername, starttime, period, version
    FROM orleansreminderstable
    WHERE serviceid = @ServiceId
      AND grainhash > @BeginHash
      AND grainhash <= @EndHash;
    $query$
),
(
    -- The slice wraps around the end of the ring: everything above BeginHash and everything up to EndHash.
    'ReadRangeRows2Key',
    $query$
    SELECT grainid, remindername, starttime, period, version
    FROM orleansreminderstable
    WHERE serviceid = @ServiceId
      AND (grainhash > @BeginHash OR grainhash <= @EndHash);
    $query$
),
(
    'DeleteReminderRowKey',
    $query$
    WITH deleted AS
    (
        DELETE FROM orleansreminderstable
        WHERE serviceid = @ServiceId
          AND grainid = @GrainId
          AND remindername = @ReminderName
          AND version = @Version
        RETURNING 1
    )
    SELECT count(*)::integer FROM deleted;
    $query$
),
(
    'DeleteReminderRowsKey',
    $query$
    DELETE FROM orleansreminderstable WHERE serviceid = @ServiceId;
    $query$
);
