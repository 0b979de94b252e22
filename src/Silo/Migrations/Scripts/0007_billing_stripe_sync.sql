-- 0007: recovery from Stripe's API (import, backfill, poll, reconcile; src/Recovery, ADR 0009).
--
-- billing_sync_jobs: one row per job, with its durable cursor: a job that stops (its silo died, Stripe kept failing)
-- resumes from the cursor. At most one job of a kind runs in the cluster; the partial unique index makes a second
-- start fail in the database too, whatever two silos believe. revision fences writers: a stale runner (its grain
-- moved during a handover) cannot overwrite the progress of the one that took over.
CREATE TABLE billing_sync_jobs
(
    id          text             PRIMARY KEY,
    kind        text             NOT NULL CHECK (kind IN ('import', 'backfill', 'poll', 'reconcile')),
    state       text             NOT NULL CHECK (state IN ('running', 'done', 'failed')),
    started_at  timestamptz      NOT NULL,
    finished_at timestamptz,
    counts      jsonb            NOT NULL,
    progress    double precision,
    last_error  text,
    cursor      jsonb,
    revision    bigint           NOT NULL
);

CREATE UNIQUE INDEX ux_billing_sync_jobs_one_running ON billing_sync_jobs (kind) WHERE state = 'running';
CREATE INDEX ix_billing_sync_jobs_started ON billing_sync_jobs (started_at DESC);

-- Every difference reconciliation found between a customer's state and Stripe's objects (ids and statuses only,
-- no personal data), and whether it was repaired; GET /admin/drift lists the last 7 days.
CREATE TABLE billing_drift
(
    id          bigserial   PRIMARY KEY,
    job_id      text        NOT NULL,
    customer_id text        NOT NULL,
    detected_at timestamptz NOT NULL,
    billing     jsonb       NOT NULL,
    stripe      jsonb       NOT NULL,
    repaired    boolean     NOT NULL
);

CREATE INDEX ix_billing_drift_detected ON billing_drift (detected_at DESC);

-- Small named values that outlive jobs: the Events API high-water mark of each account (the poll's cursor) and the
-- latest reconciliation's summary.
CREATE TABLE billing_sync_state
(
    name       text        PRIMARY KEY,
    value      jsonb       NOT NULL,
    updated_at timestamptz NOT NULL
);
