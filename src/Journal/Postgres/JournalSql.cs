namespace Billing.Journal.Postgres;

/// <summary>The journal's statements (schema: src/Silo/Migrations/Scripts/0006_billing_journal.sql).</summary>
internal static class JournalSql
{
    /// <summary>
    /// One group commit, one statement (so one round trip and one transaction, autocommitted). Each customer's head
    /// moves only if it is still at the expected version (or is created, for a first append); the journal rows of
    /// exactly those customers are inserted, so a customer whose head moved (another activation appended first)
    /// writes nothing and the others are unaffected. Cursors and snapshot marks ride along. The writer never puts
    /// two operations on one head row into one batch: a statement may not update a row twice.
    /// Returns the customers whose append committed.
    /// </summary>
    public const string GroupCommit = """
        WITH input AS (
            SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::timestamptz[], $5::bigint[], $6::bigint[], $7::bigint[])
                AS i(customer_id, expected, next, grace_ends_at, fulfillment_version, notification_version, snapshot_version)
        ),
        advanced AS (
            UPDATE billing_journal_heads h
            SET version = i.next, updated_at = now(), grace_ends_at = i.grace_ends_at,
                fulfillment_version = greatest(h.fulfillment_version, i.fulfillment_version),
                notification_version = greatest(h.notification_version, i.notification_version),
                snapshot_version = greatest(h.snapshot_version, i.snapshot_version)
            FROM input i
            WHERE i.expected > 0 AND h.customer_id = i.customer_id AND h.version = i.expected
            RETURNING h.customer_id
        ),
        created AS (
            INSERT INTO billing_journal_heads AS h
                (customer_id, version, updated_at, grace_ends_at, fulfillment_version, notification_version, snapshot_version)
            SELECT customer_id, next, now(), grace_ends_at, fulfillment_version, notification_version, snapshot_version
            FROM input WHERE expected = 0
            ON CONFLICT (customer_id) DO NOTHING
            RETURNING h.customer_id
        ),
        appended AS (
            SELECT customer_id FROM advanced UNION ALL SELECT customer_id FROM created
        ),
        entries AS (
            INSERT INTO billing_journal (customer_id, version, event_id, event_type, source, created, recorded_at, facts, effects)
            SELECT r.customer_id, r.version, r.event_id, r.event_type, r.source, r.created, r.recorded_at, r.facts::json, r.effects::json
            FROM unnest($8::text[], $9::bigint[], $10::text[], $11::text[], $12::text[], $13::timestamptz[], $14::timestamptz[], $15::text[], $16::text[])
                AS r(customer_id, version, event_id, event_type, source, created, recorded_at, facts, effects)
            WHERE r.customer_id IN (SELECT customer_id FROM appended)
        ),
        cursors AS (
            INSERT INTO billing_consumer_cursors AS c (consumer, customer_id, version, updated_at)
            SELECT consumer, customer_id, version, now()
            FROM unnest($17::text[], $18::text[], $19::bigint[]) AS u(consumer, customer_id, version)
            ON CONFLICT (consumer, customer_id) DO UPDATE
                SET version = greatest(c.version, excluded.version), updated_at = excluded.updated_at
        ),
        snapshots AS (
            UPDATE billing_journal_heads h SET snapshot_version = greatest(h.snapshot_version, s.version)
            FROM unnest($20::text[], $21::bigint[]) AS s(customer_id, version)
            WHERE h.customer_id = s.customer_id
        )
        SELECT customer_id FROM appended
        """;

    /// <summary>What an activating customer grain reads: facts of the entries after its snapshot, ids of the recent ones.</summary>
    public const string Load = """
        SELECT version, event_id, event_type, source, created, recorded_at,
               CASE WHEN version > $2 THEN facts::text END,
               CASE WHEN version > $2 THEN effects::text END
        FROM billing_journal
        WHERE customer_id = $1 AND (version > $2 OR recorded_at >= $3)
        ORDER BY version
        """;

    /// <summary>
    /// What activating customers read, for many customers at once (the group loader): per customer, the entries after
    /// the snapshot its head names (with facts and effects) and the ids of those recorded since $2; one row with NULL
    /// journal columns for a customer with nothing to return.
    /// </summary>
    public const string LoadLatestMany = """
        WITH head AS (
            SELECT w.customer_id, coalesce(h.snapshot_version, 0) AS after
            FROM unnest($1::text[]) AS w(customer_id)
            LEFT JOIN billing_journal_heads h ON h.customer_id = w.customer_id
        )
        SELECT head.customer_id, head.after, j.version, j.event_id, j.event_type, j.source, j.created, j.recorded_at,
               CASE WHEN j.version > head.after THEN j.facts::text END,
               CASE WHEN j.version > head.after THEN j.effects::text END
        FROM head
        -- One index lookup per customer, whatever plan the prepared statement settles on: a plain join (and a LATERAL
        -- one, which the planner flattens into it) became, as a generic plan, a hash join over a scan of the whole
        -- journal: 7-10 ms a load, measured. OFFSET 0 keeps the subquery from being flattened.
        LEFT JOIN LATERAL (
            SELECT * FROM billing_journal j
            WHERE j.customer_id = head.customer_id AND (j.version > head.after OR j.recorded_at >= $2)
            OFFSET 0
        ) j ON true
        ORDER BY head.customer_id, j.version
        """;

    public const string FindExisting = "SELECT event_id FROM billing_journal WHERE customer_id = $1 AND event_id = ANY($2)";

    /// <summary>One entry, found by its event id (the unique index on (customer_id, event_id) serves it).</summary>
    public const string FindEntry = """
        SELECT version, event_id, event_type, source, created, recorded_at, facts::text, effects::text
        FROM billing_journal
        WHERE customer_id = $1 AND event_id = $2
        """;

    /// <summary>A range of a customer's entries; facts only when asked for ($5), they are the bulk of a row.</summary>
    public const string Read = """
        SELECT version, event_id, event_type, source, created, recorded_at, CASE WHEN $5 THEN facts::text END, effects::text
        FROM billing_journal
        WHERE customer_id = $1 AND version > $2 AND version <= $3
        ORDER BY version
        LIMIT $4
        """;

    /// <summary>A page of history.</summary>
    public const string List = """
        SELECT version, event_id, event_type, source, created, recorded_at, effects::text
        FROM billing_journal
        WHERE customer_id = $1 AND version > $2
        ORDER BY version
        LIMIT $3
        """;

    /// <summary>Recorded times grow with versions (the grain never records backwards), so the index on them answers "as of".</summary>
    public const string LatestAt = """
        SELECT version, event_id, event_type, source, created, recorded_at, effects::text
        FROM billing_journal
        WHERE customer_id = $1 AND recorded_at <= $2
        ORDER BY recorded_at DESC, version DESC
        LIMIT 1
        """;

    public const string HeadVersion = "SELECT version FROM billing_journal_heads WHERE customer_id = $1";

    public const string LoadCursor = "SELECT version FROM billing_consumer_cursors WHERE consumer = $1 AND customer_id = $2";

    public const string DueGraces = """
        SELECT customer_id FROM billing_journal_heads
        WHERE grace_ends_at <= $1
        ORDER BY grace_ends_at
        LIMIT $2
        """;

    public const string LaggingConsumers = """
        (SELECT 'fulfillment', h.customer_id
         FROM billing_journal_heads h
         LEFT JOIN billing_consumer_cursors c ON c.consumer = 'fulfillment' AND c.customer_id = h.customer_id
         WHERE h.fulfillment_version > coalesce(c.version, 0) AND h.updated_at < $1
         LIMIT $2)
        UNION ALL
        (SELECT 'notifications', h.customer_id
         FROM billing_journal_heads h
         LEFT JOIN billing_consumer_cursors c ON c.consumer = 'notifications' AND c.customer_id = h.customer_id
         WHERE h.notification_version > coalesce(c.version, 0) AND h.updated_at < $1
         LIMIT $2)
        """;

    /// <summary>
    /// One pruning step over a slice of customers: per customer, entries recorded before the cutoff go, except the
    /// newest of them (it answers "as of" any instant since the cutoff) and anything after the stored snapshot.
    /// </summary>
    public const string Prune = """
        WITH slice AS (
            SELECT customer_id, snapshot_version FROM billing_journal_heads
            WHERE $1::text IS NULL OR customer_id > $1
            ORDER BY customer_id
            LIMIT $2
        ),
        bounds AS (
            SELECT s.customer_id, s.snapshot_version,
                   (SELECT max(j.version) FROM billing_journal j WHERE j.customer_id = s.customer_id AND j.recorded_at < $3) AS newest_old
            FROM slice s
        ),
        deleted AS (
            -- newest_old is NULL for a customer with nothing older than the cutoff: the comparison is then never true.
            DELETE FROM billing_journal j USING bounds b
            WHERE j.customer_id = b.customer_id AND j.version < b.newest_old AND j.version <= b.snapshot_version
            RETURNING 1
        )
        SELECT (SELECT max(customer_id) FROM slice), (SELECT count(*) FROM slice), (SELECT count(*) FROM deleted)
        """;

    public const string ListCustomers = """
        SELECT customer_id FROM billing_journal_heads
        WHERE $1::text IS NULL OR customer_id > $1
        ORDER BY customer_id
        LIMIT $2
        """;
}
