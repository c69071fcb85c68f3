using System.Runtime;
using CareSim.Model;

namespace CareSim.Grains.Placement;

/// <summary>
/// Gives a silo's memory back after its runs. A run's blocks hold large arrays; once every replica
/// block on the silo is deactivated (its run completed, or its idle grains were collected after a
/// client died), a full, compacting collection a moment later returns the freed heap to the
/// operating system, so an idle silo does not keep the peak of its last run. Registered on cluster
/// silos only (<c>sim silo</c>): an embedded silo lives in a `sim run` that ends anyway, or in a
/// `sim serve` that should not pause for a full collection after every run. Buffers kept between
/// runs' checkpoints (grain storage's chunks) and the arrays kept for the next run's blocks
/// (<see cref="BlockMemory"/>) are let go first (<see cref="OnIdle"/>).
/// </summary>
public sealed class IdleMemory : IDisposable
{
    private readonly object _gate = new();
    private readonly TimeSpan _delay;
    private int _activeBlocks;
    private Timer? _timer;
    private readonly List<Action> _releases = [];

    public IdleMemory() : this(TimeSpan.FromSeconds(2))
    {
    }

    public IdleMemory(TimeSpan delay) => _delay = delay;

    /// <summary>Full collections made so far (for tests).</summary>
    public int Collections { get; private set; }

    /// <summary>Lets <paramref name="release"/> drop memory kept for the next run when the silo goes idle, before the collection.</summary>
    public void OnIdle(Action release)
    {
        lock (_gate) _releases.Add(release);
    }

    public void BlockActivated()
    {
        lock (_gate) _activeBlocks++;
    }

    public void BlockDeactivated()
    {
        lock (_gate)
        {
            if (--_activeBlocks > 0) return;
            _timer ??= new Timer(_ => Collect(), null, Timeout.Infinite, Timeout.Infinite);
            _timer.Change(_delay, Timeout.InfiniteTimeSpan);
        }
    }

    private void Collect()
    {
        lock (_gate)
        {
            if (_activeBlocks > 0) return;
            Collections++;
            foreach (var release in _releases) release();
            BlockMemory.LetGo();
        }
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    public void Dispose() => _timer?.Dispose();
}
