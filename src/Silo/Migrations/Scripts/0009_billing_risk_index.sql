-- 0009: the at-risk list (churn-risk signals; src/Grains/Risk, docs/churn-risk.md).
--
-- One row per customer whose heuristic churn-risk assessment is not empty (score above 0, or a scheduled
-- cancellation), written by the customer grain after its journal append and again when it activates: derived data,
-- rebuilt by the grains, never the source of truth. reasons holds codes, points, short details (ids and dates only,
-- no personal data) and when each stops counting; expires_at is when the last of them does (null: a reason lasts
-- until an event ends it, or the customer is cancelling). Read as "highest score first, then most recent change",
-- a page at a time, through the index below scanned backwards; customer_id is compared bytewise ("C") so that the
-- keyset cursor means the same in the database and in the silo.
CREATE TABLE billing_risk_index
(
    customer_id text COLLATE "C" PRIMARY KEY,
    score       integer     NOT NULL CHECK (score >= 0),
    band        text        NOT NULL CHECK (band IN ('none', 'low', 'medium', 'high')),
    cancelling  boolean     NOT NULL,
    reasons     jsonb       NOT NULL,
    updated_at  timestamptz NOT NULL,
    expires_at  timestamptz NULL
);

CREATE INDEX ix_billing_risk_index_list ON billing_risk_index (score, updated_at, customer_id);
