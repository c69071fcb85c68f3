using CareSim.Engine.Running;

namespace CareSim.Grains.Runner;

/// <summary>How the grain engine names, checkpoints and recovers a run. The defaults suit an embedded silo.</summary>
public sealed record GrainRunOptions
{
    /// <summary>The run's id: its grains' keys and its stored state (default: a new GUID).</summary>
    public string? RunId { get; init; }

    /// <summary>Every this many months, every grain stores its block in grain storage (0: never).</summary>
    public int CheckpointEveryMonths { get; init; }

    /// <summary>Continue the run <see cref="RunId"/> from its last committed checkpoint instead of starting it (taking it over from any runner still going).</summary>
    public bool Resume { get; init; }

    /// <summary>
    /// How long the runner keeps trying to rebuild the run's grains after it lost contact with some
    /// (a silo died); zero: no recovery, the run fails at the first lost call (embedded silos).
    /// </summary>
    public TimeSpan RecoveryTimeout { get; init; }

    /// <summary>Keeps the summary rows between checkpoints, so a client that restarts can resume (with checkpoints).</summary>
    public SummaryJournal? Journal { get; init; }

    /// <summary>Whatever the starting client needs to resume the run (stored with the run, opaque here).</summary>
    public string? ClientState { get; init; }

    /// <summary>
    /// The plan cache of a silo in this process (an embedded silo, <c>EmbeddedSilo.Plans</c>). A run
    /// that neither checkpoints, resumes nor recovers then hands its plan to the blocks through it,
    /// and keeps no run grain: no JSON copy of the plan to write, store and read back at start-up.
    /// </summary>
    public PlanCache? LocalPlans { get; init; }

    /// <summary>Receives one line for each recovery (lost contact, rewind), for the user.</summary>
    public Action<string>? Notice { get; init; }
}
