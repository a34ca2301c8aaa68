-- Vigil ledger, schema version 4: restart-transparent runs.
--
-- A run whose command outlived its daemon (under its run supervisor, the shim) is adopted by the
-- next incarnation: incarnation_id becomes the adopter's, and these columns record that it happened,
-- by whom and when (the latest adoption; a run adopted again is overwritten by the later one).
ALTER TABLE runs ADD COLUMN adopted_by INTEGER REFERENCES incarnations (id);
ALTER TABLE runs ADD COLUMN adopted_at INTEGER;
