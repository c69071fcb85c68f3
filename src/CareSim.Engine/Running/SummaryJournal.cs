using CareSim.Engine.Summaries;

namespace CareSim.Engine.Running;

/// <summary>
/// The summary rows of a run's months, for an engine that checkpoints (the grain engine in a
/// cluster): each newly summarised month is recorded here until the engine has stored it with
/// its next checkpoint; a resumed run starts with the months stored before, which
/// <see cref="RunExecutor"/> writes to the results before the engine simulates the rest.
/// </summary>
public sealed class SummaryJournal
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<int, IReadOnlyList<SummaryRow>> _recorded = [];

    /// <param name="restored">Months summarised before the run was resumed, in month order from month 0.</param>
    public SummaryJournal(IReadOnlyList<SummarisedRows>? restored = null)
    {
        Restored = restored ?? [];
        for (var i = 0; i < Restored.Count; i++)
        {
            if (Restored[i].Month != i) throw new ArgumentException($"restored months must run from 0 without gaps (found month {Restored[i].Month} at position {i})", nameof(restored));
        }
    }

    public IReadOnlyList<SummarisedRows> Restored { get; }

    public void Record(int month, IReadOnlyList<SummaryRow> rows)
    {
        lock (_lock) _recorded[month] = rows;
    }

    /// <summary>The recorded months in [<paramref name="from"/>, <paramref name="to"/>), in order.</summary>
    public IReadOnlyList<SummarisedRows> Between(int from, int to)
    {
        lock (_lock) return _recorded.Where(r => r.Key >= from && r.Key < to).Select(r => new SummarisedRows(r.Key, r.Value)).ToList();
    }

    /// <summary>Drops the recorded months before <paramref name="month"/> (stored with a committed checkpoint).</summary>
    public void ForgetBefore(int month)
    {
        lock (_lock)
        {
            foreach (var m in _recorded.Keys.Where(m => m < month).ToList()) _recorded.Remove(m);
        }
    }
}

/// <summary>One month's summary rows (authority by metric, as in summary.csv).</summary>
public sealed record SummarisedRows(int Month, IReadOnlyList<SummaryRow> Rows);
