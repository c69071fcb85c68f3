using System.Diagnostics;
using CareSim.Engine.Output;
using CareSim.Store;

namespace CareSim.Web;

/// <summary>
/// Cleaning up after a server that died (killed, crashed, or its machine lost) mid-run. Each
/// server names itself in the store as the owner of the runs it queues (<see cref="Owner"/>:
/// machine, process id and process start time) and refreshes their heartbeat every few seconds.
/// A run still queued or running is abandoned when its owner is a process of this machine that
/// is gone, or when its heartbeat is older than <see cref="StaleAfter"/> (another machine's
/// server). Abandoned runs are marked failed with the reason: the grain checkpoints of an
/// embedded silo die with it, so they cannot be resumed; submit them again (the same scenario
/// and seed give the same numbers). Their staging folders are removed.
/// </summary>
public static class RunRecovery
{
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(1);

    public const string AbandonedReason =
        "the server running it stopped before it completed (killed, crashed or its machine lost); submit it again: the same scenario and seed give the same numbers";

    private static readonly Lazy<string> ThisOwner = new(() =>
    {
        using var self = Process.GetCurrentProcess();
        return Format(Environment.MachineName, Environment.ProcessId, self.StartTime.ToUniversalTime());
    });

    /// <summary>This server process: <c>machine/pid/start time (UTC ticks)</c>.</summary>
    public static string Owner => ThisOwner.Value;

    private static string Format(string machine, int pid, DateTime startUtc) => $"{machine}/{pid}/{startUtc.Ticks}";

    /// <summary>Marks failed the runs whose server is gone; returns their ids.</summary>
    public static async Task<IReadOnlyList<Guid>> FailAbandonedAsync(PostgresResultsStore store, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        var abandoned = (await store.ListUnfinishedAsync(cancellationToken))
            .Where(r => r.Owner != Owner && (IsGone(r.Owner) || r.Heartbeat is not { } beat || now - beat > StaleAfter))
            .Select(r => r.Id)
            .ToList();
        foreach (var id in abandoned) await store.RecordFailedAsync(id, AbandonedReason, cancellationToken);
        return abandoned;
    }

    /// <summary>Whether <paramref name="owner"/> is a process of this machine that is no longer running.</summary>
    internal static bool IsGone(string? owner)
    {
        var parts = owner?.Split('/');
        if (parts is not { Length: 3 } || parts[0] != Environment.MachineName
            || !int.TryParse(parts[1], out var pid) || !long.TryParse(parts[2], out var ticks)) return false;
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited || process.StartTime.ToUniversalTime().Ticks != ticks; // a new process with the old id
        }
        catch (ArgumentException)
        {
            return true;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }

    /// <summary>
    /// Removes the staging folders under the results root whose process is gone (a run's
    /// <c>.&lt;id&gt;.caresim-PID-*</c>, by the rule of <see cref="OutputFolder"/>); returns how many.
    /// </summary>
    public static int RemoveAbandonedStaging(string root)
    {
        const string tag = ".caresim-";
        var removed = 0;
        foreach (var entry in Directory.EnumerateFileSystemEntries(root, ".*" + tag + "*").ToList())
        {
            var name = Path.GetFileName(entry);
            var end = name.IndexOf(tag, StringComparison.Ordinal);
            if (end <= 1) continue;
            removed += OutputFolder.RemoveStaging(Path.Combine(root, name[1..end]), onlyAbandoned: true);
        }
        return removed;
    }
}
