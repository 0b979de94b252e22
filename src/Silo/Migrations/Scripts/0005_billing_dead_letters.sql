-- 0005: outbound messages that an endpoint refused for good (a 4xx other than 408/429, or a redirect), kept for an
-- operator to inspect and replay (src/Outbound, GET/POST /admin/dead-letters on the gateway; ADR 0004).
--
-- One row per message, target and endpoint: a message delivered again (the customer grain's outbox redelivers until
-- the consumer has handled it) is inserted with ON CONFLICT DO NOTHING and never makes a second row. The target is
-- part of the key because message ids are unique per target only: a suspension by the grace timer is notified as
-- {customer}:{version}, the same id as that version's entitlements.changed.
--
-- body is the JSON exactly as it was sent (text, not jsonb: a replay signs and sends the very same bytes).
-- replayed_at / replay_status_code are set when a replay is answered 2xx; a dead letter without them is pending.
CREATE TABLE billing_dead_letters
(
    id                 bigserial   PRIMARY KEY,
    message_id         text        NOT NULL,
    message_type       text        NOT NULL,
    target             text        NOT NULL CHECK (target IN ('fulfillment', 'notifications')),
    customer_id        text        NOT NULL,
    endpoint           text        NOT NULL,
    body               text        NOT NULL,
    status_code        integer,
    error              text        NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    replayed_at        timestamptz,
    replay_status_code integer,

    CONSTRAINT uq_billing_dead_letters_message_target_endpoint UNIQUE (message_id, target, endpoint)
);

-- The admin list pages newest first by id (the primary key serves it); the pending view skips replayed rows.
CREATE INDEX ix_billing_dead_letters_pending ON billing_dead_letters (id DESC) WHERE replayed_at IS NULL;

-- Operators look up what a customer missed.
CREATE INDEX ix_billing_dead_letters_customer ON billing_dead_letters (customer_id, id DESC);
