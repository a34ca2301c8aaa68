-- Vigil ledger, schema version 2: indexes for a long queue of pending runs.
--
-- Pending runs in the order the engine starts them (slot, attempt, then id, which SQLite keeps in
-- every index). Listing the next page of due pending runs walks this index and stops at the page
-- size instead of sorting every pending row, however long the queue is.
CREATE INDEX ix_runs_pending_order ON runs (slot, attempt) WHERE state = 'pending';

-- The next not_before among pending runs (when to wake) only concerns runs that have one (retries
-- in backoff): the index no longer carries every pending row, so most runs cost one index update
-- less on the way in and out of pending.
DROP INDEX ix_runs_pending_due;
CREATE INDEX ix_runs_pending_due ON runs (not_before) WHERE state = 'pending' AND not_before IS NOT NULL;
