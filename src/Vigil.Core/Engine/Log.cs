using Microsoft.Extensions.Logging;

namespace Vigil.Engine;

/// <summary>The engine's log messages (source-generated; no string building on hot paths).</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Incarnation {Incarnation} of node {Node} started (pid {Pid})")]
    public static partial void IncarnationStarted(ILogger logger, long incarnation, string node, int pid);

    [LoggerMessage(2, LogLevel.Warning, "Run {RunId} of {Job} at {Slot} recorded interrupted: {Reason}")]
    public static partial void RunInterrupted(ILogger logger, long runId, string job, string slot, string reason);

    [LoggerMessage(3, LogLevel.Information, "Recovery done: {Interrupted} interrupted run(s), {Retried} retried, {Adopted} adopted, in {Elapsed} ms")]
    public static partial void RecoveryDone(ILogger logger, int interrupted, int retried, int adopted, long elapsed);

    [LoggerMessage(4, LogLevel.Information, "Run {RunId} of {Job} started (slot {Slot}, attempt {Attempt})")]
    public static partial void RunStarted(ILogger logger, long runId, string job, string slot, int attempt);

    [LoggerMessage(5, LogLevel.Information, "Run {RunId} of {Job} ended {State}{Reason}")]
    public static partial void RunEnded(ILogger logger, long runId, string job, string state, string reason);

    [LoggerMessage(6, LogLevel.Warning, "Job {Job} has an invalid definition and is not scheduled: {Error}")]
    public static partial void InvalidJob(ILogger logger, string job, string error);

    [LoggerMessage(7, LogLevel.Information, "Draining: {Running} run(s) marked draining; waiting up to {Timeout}")]
    public static partial void Draining(ILogger logger, int running, string timeout);

    [LoggerMessage(8, LogLevel.Information, "Stopped {Clean}")]
    public static partial void Stopped(ILogger logger, string clean);

    [LoggerMessage(9, LogLevel.Error, "The incarnation lost its lease; stopping without starting anything more")]
    public static partial void LeaseLost(ILogger logger);

    [LoggerMessage(10, LogLevel.Error, "Recording run {RunId} failed")]
    public static partial void RecordFailed(ILogger logger, Exception exception, long runId);

    [LoggerMessage(11, LogLevel.Error, "The scheduler loop failed")]
    public static partial void LoopFailed(ILogger logger, Exception exception);

    [LoggerMessage(12, LogLevel.Information, "{Count} job(s) loaded, {Active} active")]
    public static partial void JobsLoaded(ILogger logger, int count, int active);

    [LoggerMessage(13, LogLevel.Information, "Detached {Count} command run(s) (on_stop: detach): they keep running under their shims and the next start adopts them")]
    public static partial void Detached(ILogger logger, int count);

    [LoggerMessage(14, LogLevel.Information, "Run {RunId} of {Job} at {Slot} adopted from incarnation {From} (shim {Shim})")]
    public static partial void RunAdopted(ILogger logger, long runId, string job, string slot, long from, string shim);

    [LoggerMessage(15, LogLevel.Warning, "Run {RunId} of {Job}: its shim is gone without an outcome; what is left of its command was killed")]
    public static partial void OrphanKilled(ILogger logger, long runId, string job);
}
