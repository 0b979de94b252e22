-- 0006: each customer's journal, the history Billing's state is a fold of (docs/adr/0008-customer-journal-and-group-commit.md).
--
-- Written by the silos' group-commit writer (src/Journal/Postgres): one statement per batch of many customers'
-- appends, which moves each customer's head only if it is still at the version the appending grain read (a
-- second activation during a handover loses and writes nothing) and inserts the journal rows of the heads that
-- moved. Consumers' cursors and snapshot marks ride in the same statement.

-- One row per customer: the version that fences writers, and what the journal's sweeper needs without reading the
-- journal: when grace runs out (the durable grace timer), the latest entries with something for each consumer, and
-- the journal version of the latest stored snapshot (pruning keeps everything after it). No index on the columns an
-- append changes (version, updated_at), so appends update the row in place (HOT); fillfactor leaves the room for it.
CREATE TABLE billing_journal_heads
(
    customer_id          text        PRIMARY KEY,
    version              bigint      NOT NULL CHECK (version > 0),
    updated_at           timestamptz NOT NULL,
    grace_ends_at        timestamptz NULL,
    fulfillment_version  bigint      NOT NULL DEFAULT 0,
    notification_version bigint      NOT NULL DEFAULT 0,
    snapshot_version     bigint      NOT NULL DEFAULT 0
) WITH (fillfactor = 80);

-- The sweeper's "whose grace period is due?": only customers in grace are in it.
CREATE INDEX ix_billing_journal_heads_grace ON billing_journal_heads (grace_ends_at) WHERE grace_ends_at IS NOT NULL;

-- Append-only: an entry per event applied (also one that changed nothing), timer transition or carried-over state.
-- facts: what the fold read from the event (ids, statuses, prices, amounts; never names, emails, addresses, phones or
--        card data: the gateway's envelope reader never reads those); effects: what applying it decided
--        (entitlements after, whether they changed, notifications). JSON is readable in SQL for audits (->, ->>);
--        json, not jsonb: it is stored and read back as written, which is what the product does with it (measured: reads
--        of a page of history without jsonb-to-text conversion, and appends without building jsonb).
-- (customer_id, event_id) is unique: an event is applied once per customer for as long as its entry is kept, which
-- is at least the contract's 30-day dedupe window (Billing:Journal:Retention, default 400 days).
CREATE TABLE billing_journal
(
    customer_id text        NOT NULL,
    version     bigint      NOT NULL,
    event_id    text        NOT NULL,
    event_type  text        NOT NULL,
    source      text        NOT NULL CHECK (source IN ('webhook', 'timer', 'events_api', 'import', 'reconcile', 'replay', 'migration')),
    created     timestamptz NULL,
    recorded_at timestamptz NOT NULL,
    facts       json        NOT NULL,
    effects     json        NOT NULL,

    CONSTRAINT pk_billing_journal PRIMARY KEY (customer_id, version),
    CONSTRAINT uq_billing_journal_event UNIQUE (customer_id, event_id)
);

-- "As of an instant" and the activation's "event ids of the last 30 days": recorded_at grows with version per customer.
CREATE INDEX ix_billing_journal_recorded ON billing_journal (customer_id, recorded_at);

-- How far each consumer (fulfillment, notifications) has delivered each customer's journal. Saved about once a
-- second per busy consumer through the group-commit writer, not per message.
CREATE TABLE billing_consumer_cursors
(
    consumer    text        NOT NULL CHECK (consumer IN ('fulfillment', 'notifications')),
    customer_id text        NOT NULL,
    version     bigint      NOT NULL,
    updated_at  timestamptz NOT NULL,

    CONSTRAINT pk_billing_consumer_cursors PRIMARY KEY (consumer, customer_id)
);

-- Earlier versions registered a reminder per customer for the grace timer and the outbox; the head rows and the
-- sweeper replace both. (State rows are carried over to the journal by `migrate` after the scripts, in code.)
DELETE FROM orleansreminderstable WHERE remindername IN ('grace-expiry', 'outbox-redelivery');
