using Microsoft.Data.Sqlite;

namespace Vigil.Benchmarks.Ledger;

/// <summary>
/// The tables Quartz.NET's ADO job store expects, written for SQLite from Quartz's documented
/// schema (table and column names are Quartz's; types and layout are ours). The Quartz NuGet
/// package does not ship its SQL scripts.
/// </summary>
/// <remarks>
/// The database is switched to WAL, which is persistent in the file, so Quartz's connections run
/// with the same journal and <c>synchronous=FULL</c> (SQLite's default) as Vigil's ledger.
/// </remarks>
internal static class QuartzSqliteSchema
{
    private const string Tables = """
        CREATE TABLE qrtz_job_details (
            sched_name        text    NOT NULL,
            job_name          text    NOT NULL,
            job_group         text    NOT NULL,
            description       text,
            job_class_name    text    NOT NULL,
            is_durable        integer NOT NULL,
            is_nonconcurrent  integer NOT NULL,
            is_update_data    integer NOT NULL,
            requests_recovery integer NOT NULL,
            job_data          blob,
            PRIMARY KEY (sched_name, job_name, job_group));

        CREATE TABLE qrtz_triggers (
            sched_name             text    NOT NULL,
            trigger_name           text    NOT NULL,
            trigger_group          text    NOT NULL,
            job_name               text    NOT NULL,
            job_group              text    NOT NULL,
            description            text,
            next_fire_time         integer,
            prev_fire_time         integer,
            priority               integer,
            trigger_state          text    NOT NULL,
            trigger_type           text    NOT NULL,
            start_time             integer NOT NULL,
            end_time               integer,
            calendar_name          text,
            misfire_instr          integer,
            misfire_orig_fire_time integer,
            execution_group        text,
            preferred_node         text,
            preferred_node_auto    integer NOT NULL DEFAULT 0,
            job_data               blob,
            PRIMARY KEY (sched_name, trigger_name, trigger_group),
            FOREIGN KEY (sched_name, job_name, job_group) REFERENCES qrtz_job_details (sched_name, job_name, job_group));

        CREATE TABLE qrtz_simple_triggers (
            sched_name      text    NOT NULL,
            trigger_name    text    NOT NULL,
            trigger_group   text    NOT NULL,
            repeat_count    integer NOT NULL,
            repeat_interval integer NOT NULL,
            times_triggered integer NOT NULL,
            PRIMARY KEY (sched_name, trigger_name, trigger_group));

        CREATE TABLE qrtz_simprop_triggers (
            sched_name    text NOT NULL,
            trigger_name  text NOT NULL,
            trigger_group text NOT NULL,
            str_prop_1    text,
            str_prop_2    text,
            str_prop_3    text,
            int_prop_1    integer,
            int_prop_2    integer,
            long_prop_1   integer,
            long_prop_2   integer,
            dec_prop_1    numeric,
            dec_prop_2    numeric,
            bool_prop_1   integer,
            bool_prop_2   integer,
            time_zone_id  text,
            PRIMARY KEY (sched_name, trigger_name, trigger_group));

        CREATE TABLE qrtz_cron_triggers (
            sched_name      text NOT NULL,
            trigger_name    text NOT NULL,
            trigger_group   text NOT NULL,
            cron_expression text NOT NULL,
            time_zone_id    text,
            PRIMARY KEY (sched_name, trigger_name, trigger_group));

        CREATE TABLE qrtz_blob_triggers (
            sched_name    text NOT NULL,
            trigger_name  text NOT NULL,
            trigger_group text NOT NULL,
            blob_data     blob,
            PRIMARY KEY (sched_name, trigger_name, trigger_group));

        CREATE TABLE qrtz_calendars (
            sched_name    text NOT NULL,
            calendar_name text NOT NULL,
            calendar      blob NOT NULL,
            PRIMARY KEY (sched_name, calendar_name));

        CREATE TABLE qrtz_paused_trigger_grps (
            sched_name    text NOT NULL,
            trigger_group text NOT NULL,
            PRIMARY KEY (sched_name, trigger_group));

        CREATE TABLE qrtz_fired_triggers (
            sched_name        text    NOT NULL,
            entry_id          text    NOT NULL,
            trigger_name      text    NOT NULL,
            trigger_group     text    NOT NULL,
            instance_name     text    NOT NULL,
            fired_time        integer NOT NULL,
            sched_time        integer NOT NULL,
            priority          integer NOT NULL,
            state             text    NOT NULL,
            job_name          text,
            job_group         text,
            is_nonconcurrent  integer,
            requests_recovery integer,
            execution_group   text,
            PRIMARY KEY (sched_name, entry_id));

        CREATE TABLE qrtz_scheduler_state (
            sched_name        text    NOT NULL,
            instance_name     text    NOT NULL,
            last_checkin_time integer NOT NULL,
            checkin_interval  integer NOT NULL,
            PRIMARY KEY (sched_name, instance_name));

        CREATE TABLE qrtz_locks (
            sched_name text NOT NULL,
            lock_name  text NOT NULL,
            PRIMARY KEY (sched_name, lock_name));

        CREATE INDEX qrtz_jobs_by_group ON qrtz_job_details (sched_name, job_group, job_name);
        CREATE INDEX qrtz_triggers_by_group ON qrtz_triggers (sched_name, trigger_group, trigger_name);
        CREATE INDEX qrtz_triggers_by_state_next ON qrtz_triggers (sched_name, trigger_state, next_fire_time);
        CREATE INDEX qrtz_fired_by_trigger ON qrtz_fired_triggers (sched_name, trigger_name, trigger_group);
        """;

    /// <summary>Creates the tables in a new database file at <paramref name="path"/> and turns on WAL.</summary>
    public static string Create(string path)
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString();
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL;" + Tables;
        command.ExecuteNonQuery();
        command.CommandText = "PRAGMA synchronous";
        return $"journal_mode=WAL, synchronous={command.ExecuteScalar()} (2 = FULL)";
    }
}
