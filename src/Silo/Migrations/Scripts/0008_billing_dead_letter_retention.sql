-- 0008: dead letters keep what may identify a person only for Billing:Outbound:DeadLetterRetention (default 30 days;
-- src/Outbound, ADR 0011). After it the silos' purge blanks the receiver's answer (error: status only), drops every
-- URL of the body (the hosted invoice URL opens a page with the customer's name, email and address) and cuts the
-- endpoint down to scheme and host, and sets purged_at. Ids, types, target, customer, status code and times stay.
ALTER TABLE billing_dead_letters ADD COLUMN purged_at timestamptz NULL;

-- A purged endpoint is scheme and host only: two endpoints of one host become the same. Only the dead letters not
-- purged yet are unique per message, target and endpoint (what the insert's ON CONFLICT relies on).
ALTER TABLE billing_dead_letters DROP CONSTRAINT uq_billing_dead_letters_message_target_endpoint;
CREATE UNIQUE INDEX uq_billing_dead_letters_message_target_endpoint
    ON billing_dead_letters (message_id, target, endpoint) WHERE purged_at IS NULL;

-- The purge's "oldest not purged yet", a bounded batch at a time.
CREATE INDEX ix_billing_dead_letters_purge ON billing_dead_letters (created_at) WHERE purged_at IS NULL;
