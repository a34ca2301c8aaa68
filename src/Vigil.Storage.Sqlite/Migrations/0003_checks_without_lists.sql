-- Vigil ledger, schema version 3: the runs table's CHECK constraints without IN lists.
--
-- SQLite evaluates `state IN (<nine names>)` by building a temporary index of the list every time
-- the constraint is checked: on every insert and on every state change, twice per insert (state
-- and trigger). The same rules written as OR chains need no temporary structure and cost a few
-- comparisons; on the write path that halves the time SQLite spends per run (see BENCHMARKS.md).
-- The accepted values are unchanged.
--
-- SQLite cannot alter a CHECK constraint, so the table is rebuilt as its documentation describes
-- (create, copy, drop, rename, re-index). The migrator runs this with foreign keys off and checks
-- them before committing. The AUTOINCREMENT counter carries over: a run id is never reused.
CREATE TABLE runs_new (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    job            TEXT    NOT NULL,
    slot           INTEGER NOT NULL,
    attempt        INTEGER NOT NULL CHECK (attempt >= 1),
    state          TEXT    NOT NULL CHECK (state = 'pending' OR state = 'running' OR state = 'succeeded'
                                           OR state = 'failed' OR state = 'timed_out' OR state = 'cancelled'
                                           OR state = 'interrupted' OR state = 'skipped' OR state = 'missed'),
    reason         TEXT,
    "trigger"      TEXT    NOT NULL CHECK ("trigger" = 'schedule' OR "trigger" = 'catch_up'
                                           OR "trigger" = 'retry' OR "trigger" = 'manual'),
    created_at     INTEGER NOT NULL,
    not_before     INTEGER,
    started_at     INTEGER,
    finished_at    INTEGER,
    deadline       INTEGER,
    exit_code      INTEGER,
    session        TEXT,
    node           TEXT,
    incarnation_id INTEGER REFERENCES incarnations (id),
    lease_epoch    INTEGER,
    resumed        INTEGER NOT NULL DEFAULT 0 CHECK (resumed = 0 OR resumed = 1),
    draining       INTEGER NOT NULL DEFAULT 0 CHECK (draining = 0 OR draining = 1),
    result_status  TEXT,
    summary        TEXT,
    tokens_in      INTEGER,
    tokens_out     INTEGER,
    UNIQUE (job, slot, attempt),
    -- A running row always names its owner: recovery finds it by incarnation.
    CHECK (state <> 'running' OR (incarnation_id IS NOT NULL AND lease_epoch IS NOT NULL AND started_at IS NOT NULL))
);

INSERT INTO runs_new SELECT * FROM runs;

-- Copying sets the new table's counter to the highest id copied; keep the old one if it was higher.
INSERT INTO sqlite_sequence (name, seq)
SELECT 'runs_new', seq FROM sqlite_sequence
WHERE name = 'runs' AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'runs_new');
UPDATE sqlite_sequence
SET seq = MAX(seq, COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'runs'), 0))
WHERE name = 'runs_new';

DROP TABLE runs;
ALTER TABLE runs_new RENAME TO runs;

CREATE UNIQUE INDEX ux_runs_running_session ON runs (session) WHERE state = 'running' AND session IS NOT NULL;
CREATE INDEX ix_runs_running_owner ON runs (incarnation_id) WHERE state = 'running';
CREATE INDEX ix_runs_pending_order ON runs (slot, attempt) WHERE state = 'pending';
CREATE INDEX ix_runs_pending_due ON runs (not_before) WHERE state = 'pending' AND not_before IS NOT NULL;
