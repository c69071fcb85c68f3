using System.Globalization;
using CareSim.Model.Outputs;
using CareSim.Model.Plan;

namespace CareSim.Engine.Running;

/// <summary>
/// What a run needs in memory, estimated before it starts, so that a run that cannot fit is
/// refused with the estimate and how to lower it instead of dying out of memory. A run holds,
/// for every authority and replica: the model's state (authority, workforce, labour-market and
/// commissioner blocks), the month's metric frame, the summaries' outcome arrays and, for
/// authorities split over several blocks, a copy of the month's values; with per-replica output,
/// a month of every replica's metrics and its Parquet row group. Summaries stream to disk, so
/// the months count only through the summary rows buffered for Parquet (a few MiB).
/// The constants were measured (GC heap after a full collection at each month's end, in
/// <c>RunMemoryTests</c>) and rounded up.
/// </summary>
public static class RunMemory
{
    /// <summary>Runtime, code, the embedded silo and the results writer's buffers.</summary>
    public const long FixedBytes = 256L << 20;

    /// <summary>Model state, frame and summaries, per authority and replica.</summary>
    public const long BytesPerAuthorityReplica = 3 * 1024;

    /// <summary>Per-replica output, per authority, replica and metric written.</summary>
    public const long PerReplicaBytesPerMetric = 48;

    /// <summary>What a comparison keeps of each strategy's run (outcome measures), per authority and replica.</summary>
    public const long ComparisonBytesPerAuthorityReplica = 96;

    /// <summary>Estimated peak bytes of a run of <paramref name="plan"/> writing <paramref name="metrics"/> metrics.</summary>
    /// <param name="keptRuns">Runs whose outcome measures are kept beside the one running (strategies of a comparison).</param>
    public static long Estimate(SimulationPlan plan, int metrics, bool perReplica, int keptRuns = 0)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return FixedBytes + (long)plan.Authorities.Count * plan.Replicas * PerAuthorityReplica(metrics, perReplica, keptRuns);
    }

    private static long PerAuthorityReplica(int metrics, bool perReplica, int keptRuns) =>
        BytesPerAuthorityReplica + (perReplica ? metrics * PerReplicaBytesPerMetric : 0) + keptRuns * ComparisonBytesPerAuthorityReplica;

    /// <summary>Memory this process may use: the machine's, or the container's limit (<see cref="GCMemoryInfo.TotalAvailableMemoryBytes"/>).</summary>
    public static long Available() => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <summary>
    /// Null when the run fits in <paramref name="available"/> bytes; otherwise why not: the
    /// estimate, the memory there is and the most replicas that fit.
    /// </summary>
    /// <param name="replicasOption">The option that sets the replicas the estimate counts (compare's worlds: --world-replicas).</param>
    public static string? Refusal(SimulationPlan plan, int metrics, bool perReplica, long available, int keptRuns = 0, string replicasOption = "--replicas")
    {
        ArgumentNullException.ThrowIfNull(plan);
        var needed = Estimate(plan, metrics, perReplica, keptRuns);
        if (needed <= available) return null;
        var perReplicaBytes = (long)plan.Authorities.Count * PerAuthorityReplica(metrics, perReplica, keptRuns);
        var fitting = Math.Max(0, (available - FixedBytes) / perReplicaBytes);
        var advice = fitting >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"at most {fitting:N0} replicas fit ({replicasOption} {fitting})")
            : "not even one replica fits";
        var lower = new List<string> { "fewer replicas" };
        if (plan.Authorities.Count > 1) lower.Add("fewer authorities");
        if (perReplica) lower.Add("no per-replica output");
        return string.Create(CultureInfo.InvariantCulture,
            $"the run needs about {Format(needed)} of memory ({plan.Replicas:N0} replicas x {plan.Authorities.Count} authorit{(plan.Authorities.Count == 1 ? "y" : "ies")}{(perReplica ? $", per-replica output of {metrics} metrics" : "")}) and this machine has {Format(available)} available; {advice}; lower it with {string.Join(", ", lower)}");
    }

    /// <summary><see cref="Refusal(SimulationPlan, int, bool, long, int)"/> against this machine's memory.</summary>
    public static string? Refusal(SimulationPlan plan, int metrics, bool perReplica, int keptRuns = 0, string replicasOption = "--replicas") =>
        Refusal(plan, metrics, perReplica, Available(), keptRuns, replicasOption);

    /// <summary>All metrics, as most runs write.</summary>
    public static int AllMetrics => MetricCatalog.Count;

    private static string Format(long bytes) => bytes >= 1L << 30
        ? (bytes / (double)(1L << 30)).ToString("0.0 'GiB'", CultureInfo.InvariantCulture)
        : (bytes / (double)(1L << 20)).ToString("0 'MiB'", CultureInfo.InvariantCulture);
}
