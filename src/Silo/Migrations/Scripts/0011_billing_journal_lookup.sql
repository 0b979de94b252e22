-- 0011: the operator console's search by Stripe id (src/Journal/Postgres/PostgresCustomerLookup.cs).
--
-- The journal is keyed by customer; an operator often holds an event id (from Stripe's dashboard or a receiver's log)
-- or a subscription id instead. Without these, either question is a scan of the whole journal.
-- Each index costs every append one more index insert; the subscription index is partial (only entries of events
-- that carry a subscription), so timer transitions and invoice events add nothing to it.

CREATE INDEX ix_billing_journal_event_id ON billing_journal (event_id);

CREATE INDEX ix_billing_journal_subscription ON billing_journal (((facts -> 'event' -> 'subscription' ->> 'id')))
    WHERE (facts -> 'event' -> 'subscription' ->> 'id') IS NOT NULL;
