-- Vigil ledger, schema version 1.
--
-- Instants are INTEGER unix milliseconds (UTC); flags are INTEGER 0/1. Run states and triggers are
-- stored by their contract names (RunStates.Name, RunTriggers.Name) so that the CLI, the API and
-- ad-hoc SQL all read the same words.

-- One process lifetime of one node. (id, epoch) is the fencing token every run state change checks.
CREATE TABLE incarnations (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    node             TEXT    NOT NULL,
    pid              INTEGER NOT NULL,
    started_at       INTEGER NOT NULL,
    heartbeat_at     INTEGER NOT NULL,
    lease_expires_at INTEGER NOT NULL,
    epoch            INTEGER NOT NULL DEFAULT 1,
    draining_at      INTEGER,
    stopped_at       INTEGER,
    clean_stop       INTEGER NOT NULL DEFAULT 0 CHECK (clean_stop IN (0, 1))
);

CREATE INDEX ix_incarnations_node_started ON incarnations (node, started_at);

-- Job definitions as JSON (JobCodec). Removing a job sets removed_at; its runs stay.
CREATE TABLE jobs (
    name       TEXT    PRIMARY KEY,
    definition TEXT    NOT NULL,
    source     TEXT    NOT NULL CHECK (source IN ('config', 'api')),
    paused     INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    removed_at INTEGER
);

-- One attempt at one slot of one job. (job, slot, attempt) is unique: materializing twice is harmless.
-- There is deliberately no foreign key to jobs: history outlives definitions.
CREATE TABLE runs (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    job            TEXT    NOT NULL,
    slot           INTEGER NOT NULL,
    attempt        INTEGER NOT NULL CHECK (attempt >= 1),
    state          TEXT    NOT NULL CHECK (state IN ('pending', 'running', 'succeeded', 'failed', 'timed_out',
                                                     'cancelled', 'interrupted', 'skipped', 'missed')),
    reason         TEXT,
    "trigger"      TEXT    NOT NULL CHECK ("trigger" IN ('schedule', 'catch_up', 'retry', 'manual')),
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
    resumed        INTEGER NOT NULL DEFAULT 0 CHECK (resumed IN (0, 1)),
    draining       INTEGER NOT NULL DEFAULT 0 CHECK (draining IN (0, 1)),
    result_status  TEXT,
    summary        TEXT,
    tokens_in      INTEGER,
    tokens_out     INTEGER,
    UNIQUE (job, slot, attempt),
    -- A running row always names its owner: recovery finds it by incarnation.
    CHECK (state <> 'running' OR (incarnation_id IS NOT NULL AND lease_epoch IS NOT NULL AND started_at IS NOT NULL))
);

-- The captured output tail, apart from runs so that scans of runs stay small.
CREATE TABLE run_output (
    run_id INTEGER PRIMARY KEY REFERENCES runs (id),
    output TEXT    NOT NULL
);

-- At most one running run per session, held by the ledger (never by an in-memory flag).
CREATE UNIQUE INDEX ux_runs_running_session ON runs (session) WHERE state = 'running' AND session IS NOT NULL;

-- What is due: pending runs by not_before (NULL means due at once).
CREATE INDEX ix_runs_pending_due ON runs (not_before) WHERE state = 'pending';

-- What an incarnation owns: running runs by owner (recovery, drain, per-node listing).
CREATE INDEX ix_runs_running_owner ON runs (incarnation_id) WHERE state = 'running';

-- Runs by job and slot are served by the UNIQUE (job, slot, attempt) index above.
