-- 0010: anomalies found in each account's event flow (src/Insights, ADR 0012): the evidence an operator judges a
-- page by, and its life (open, acknowledged, resolved). Ids are derived from the surge, so finding it again after a
-- restart inserts nothing. Ids, counts and times only: no customer data.
CREATE TABLE billing_anomalies (
    id               text             NOT NULL PRIMARY KEY,
    kind             text             NOT NULL,
    scope            text             NOT NULL,
    detected_at      timestamptz      NOT NULL,
    window_start     timestamptz      NOT NULL,
    window_seconds   integer          NOT NULL,
    observed         double precision NOT NULL,
    expected         double precision NOT NULL,
    p_value          double precision NOT NULL,
    test             text             NOT NULL,
    card_testing     boolean          NOT NULL,
    sample_event_ids text[]           NOT NULL,
    state            text             NOT NULL,
    acknowledged_at  timestamptz      NULL,
    resolved_at      timestamptz      NULL,
    resolved_by      text             NULL,
    -- Set once anomaly.detected reached the notification endpoints (or none are configured); a detector delivers
    -- what is still unset, so a crash between storing and delivering delays the delivery, never loses it.
    delivered_at     timestamptz      NULL
);

-- The list, newest first.
CREATE INDEX ix_billing_anomalies_detected ON billing_anomalies (detected_at DESC, id DESC);

-- What a detector reloads: its account's unresolved anomalies and undelivered ones.
CREATE INDEX ix_billing_anomalies_scope_unresolved ON billing_anomalies (scope) WHERE state <> 'resolved' OR delivered_at IS NULL;
