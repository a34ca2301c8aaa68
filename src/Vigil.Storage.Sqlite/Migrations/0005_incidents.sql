-- Vigil ledger, schema version 5: incidents, the alert outbox, and what the incident monitor reads.

-- An alertable condition of a job (job = '' for a node-wide one: crash loop, scheduler stalled).
-- count and last_at grow with each occurrence while it is open; the operator may acknowledge it
-- (no reminders then); it is resolved when the job is healthy again.
CREATE TABLE incidents (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    job             TEXT    NOT NULL,
    node            TEXT,
    kind            TEXT    NOT NULL CHECK (kind IN ('interrupted', 'failed_streak', 'timed_out', 'missed', 'past_due',
                                                     'silence', 'empty_streak', 'upstream_failed', 'crash_loop',
                                                     'scheduler_stalled', 'poison_slot')),
    state           TEXT    NOT NULL CHECK (state IN ('open', 'acknowledged', 'resolved')),
    count           INTEGER NOT NULL DEFAULT 1 CHECK (count >= 1),
    first_at        INTEGER NOT NULL,
    last_at         INTEGER NOT NULL,
    acknowledged_at INTEGER,
    resolved_at     INTEGER,
    detail          TEXT    NOT NULL,
    resolution      TEXT,
    run_id          INTEGER,
    notified_at     INTEGER,
    CHECK (state <> 'resolved' OR resolved_at IS NOT NULL)
);

-- One incident open (or acknowledged) per job and kind: a second occurrence updates it.
CREATE UNIQUE INDEX ux_incidents_open ON incidents (job, kind) WHERE state <> 'resolved';

-- The durable outbox: a notice is a row in the transaction that opened or resolved its incident,
-- so a crash between the two cannot lose it. delivered_to lists the sinks (space-separated ids)
-- that already took it; a row is done when every configured sink has.
CREATE TABLE alert_outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_id     INTEGER NOT NULL REFERENCES incidents (id),
    event           TEXT    NOT NULL CHECK (event IN ('opened', 'reminder', 'resolved')),
    created_at      INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    delivered_to    TEXT    NOT NULL DEFAULT '',
    last_error      TEXT,
    delivered_at    INTEGER
);

CREATE INDEX ix_alert_outbox_due ON alert_outbox (next_attempt_at) WHERE delivered_at IS NULL;

-- Every run that reaches a terminal state, in commit order: the incident monitor's queue. Written
-- by triggers, so no write path of runs can forget it; consumed (deleted) in the transaction that
-- applies the incidents it caused, so a crash in between replays it instead of losing it.
CREATE TABLE run_events (
    id     INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id INTEGER NOT NULL
);

-- Terminal means neither pending nor running, written without IN lists: SQLite would build a
-- temporary index of a constant list on every run written (see migration 3).
CREATE TRIGGER tr_runs_terminal_update AFTER UPDATE OF state ON runs
WHEN NEW.state <> 'pending' AND NEW.state <> 'running'
 AND (OLD.state = 'pending' OR OLD.state = 'running')
BEGIN
    INSERT INTO run_events (run_id) VALUES (NEW.id);
END;

CREATE TRIGGER tr_runs_terminal_insert AFTER INSERT ON runs
WHEN NEW.state <> 'pending' AND NEW.state <> 'running'
BEGIN
    INSERT INTO run_events (run_id) VALUES (NEW.id);
END;

-- Per job: consecutive failures, consecutive empty results, the last success. Written only by the
-- incident monitor, in the same transaction that consumes the run events it counted.
CREATE TABLE job_health (
    job             TEXT    PRIMARY KEY,
    failure_streak  INTEGER NOT NULL DEFAULT 0,
    empty_streak    INTEGER NOT NULL DEFAULT 0,
    last_success_at INTEGER
);

-- A ledger upgraded with history: its last successes count for expect.max_silence at once.
INSERT INTO job_health (job, last_success_at)
SELECT job, MAX(COALESCE(finished_at, created_at)) FROM runs WHERE state = 'succeeded' GROUP BY job;
