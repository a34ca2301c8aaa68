-- Vigil ledger, schema version 2.
--
-- Pending runs in the order the engine starts them (slot, attempt, then id, which SQLite keeps in
-- every index). With it, listing the next page of due pending runs walks the index and stops at the
-- page size instead of sorting every pending row, however long the queue is.
CREATE INDEX ix_runs_pending_order ON runs (slot, attempt) WHERE state = 'pending';
