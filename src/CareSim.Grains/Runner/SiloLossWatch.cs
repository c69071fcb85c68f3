using Orleans.Runtime;

namespace CareSim.Grains.Runner;

/// <summary>
/// One run's watch for silos lost while its calls are out (a cluster client's runs only). A call
/// on a silo killed outright never comes back: the client waits for the response timeout (30 s by
/// default) although the silo is gone in seconds. Two ways to know sooner:
/// <list type="bullet">
/// <item>this client's connection to a gateway closes (<see cref="GatewayWatch"/>): at once;</item>
/// <item>the cluster declares a silo dead: the membership, polled every second while the run goes
/// on. This covers a silo that is not one of this client's gateways (one that joined since the
/// client last read the gateway list, or one with no gateway): the calls routed to it through
/// another silo are lost with it, and no connection of this client closes. Polling the membership
/// (a small read, once a second) is what sees every silo; a shorter gateway list refresh would
/// still miss a silo the client is not connected to.</item>
/// </list>
/// When either happens while calls are out, they are abandoned (no more go out, and nothing they
/// return is used) and a <see cref="SiloLostException"/> makes the runner rewind at once.
/// </summary>
/// <remarks>
/// The abandon is this runner's own: its token is linked to the caller's, but an abandoned call is
/// never awaited again, so its cancellation cannot surface as the caller's (a Ctrl+C). Calls already
/// out to live silos may still arrive after the rewind's restore; a block refuses a month it is not
/// at (<see cref="BlockStateLostException"/>), so such a call cannot change the numbers.
/// </remarks>
public sealed class SiloLossWatch : IAsyncDisposable
{
    /// <summary>How often the membership is read while the run goes on.</summary>
    public static readonly TimeSpan PollPeriod = TimeSpan.FromSeconds(1);

    /// <summary>How long a read may take (it goes through a gateway, perhaps the lost silo): a read that does not answer is skipped.</summary>
    public static readonly TimeSpan PollTimeout = TimeSpan.FromSeconds(2);

    private readonly GatewayWatch? _gateways;
    private readonly IManagementGrain? _management;
    private readonly LossSignal _deaths = new();
    private readonly HashSet<SiloAddress> _dead = [];
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _polling = Task.CompletedTask;
    private bool _known; // whether _dead holds the silos dead before this run (else the next read only learns them)

    /// <param name="grains">The cluster client.</param>
    /// <param name="gateways">The client's gateways (null in a silo's own process: no calls can be lost so).</param>
    /// <param name="pollMembership">Whether to read the membership (a run that recovers from lost silos).</param>
    public SiloLossWatch(IGrainFactory grains, GatewayWatch? gateways, bool pollMembership)
    {
        _gateways = gateways;
        if (gateways is null || !pollMembership) return;
        _management = grains.GetGrain<IManagementGrain>(0);
        _polling = Task.Run(PollAsync);
    }

    /// <summary>
    /// Reads the membership and takes the silos dead now as known, without signalling them: at the
    /// start of a run, and after a rewind's restore went through (so a silo declared dead before the
    /// blocks came back, which the rewind already dealt with, does not make the run rewind again).
    /// </summary>
    public async Task CatchUpAsync()
    {
        if (_management is not null) await DeadSinceLastReadAsync();
    }

    /// <summary>
    /// Awaits a month's (a checkpoint's, a restore's) calls to the blocks, made by
    /// <paramref name="calls"/> with a token that stops further calls, while watching for lost silos.
    /// </summary>
    public async Task<T> WatchAsync<T>(string what, Func<CancellationToken, Task<T>> calls, CancellationToken cancellationToken)
    {
        if (_gateways is null) return await calls(cancellationToken);
        var lost = Task.WhenAny(_gateways.Losses.After(_gateways.Losses.Count), _deaths.After(_deaths.Count));
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var work = calls(abandon.Token);
        try
        {
            if (await Task.WhenAny(work, lost).WaitAsync(cancellationToken) == work) return await work;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped by the caller (Ctrl+C): the calls still out are not waited for.
            await abandon.CancelAsync();
            Abandoned(work);
            throw;
        }
        await abandon.CancelAsync();
        Abandoned(work);
        var lostWhat = await await lost;
        throw new SiloLostException(lostWhat, $"lost {lostWhat} during {what}");
    }

    public async Task WatchAsync(string what, Func<CancellationToken, Task> calls, CancellationToken cancellationToken) =>
        await WatchAsync(what, async token =>
        {
            await calls(token);
            return true;
        }, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _polling;
        _stop.Dispose();
    }

    private async Task PollAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(PollPeriod, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            foreach (var silo in await DeadSinceLastReadAsync()) _deaths.Raise($"a silo (declared dead by the cluster: {silo.Endpoint})");
        }
    }

    /// <summary>The silos declared dead since the last read (none on the first read, or when the read fails).</summary>
    private async Task<List<SiloAddress>> DeadSinceLastReadAsync()
    {
        Dictionary<SiloAddress, SiloStatus> hosts;
        try
        {
            hosts = await _management!.GetHosts(onlyActive: false).WaitAsync(PollTimeout, _stop.Token);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The cluster is busy losing a silo, Redis is away, or the run is over: the next read will
            // tell (and a call on a lost silo still fails at the response timeout, as without this watch).
            return [];
        }
        lock (_lock)
        {
            var dead = hosts.Where(h => h.Value == SiloStatus.Dead && _dead.Add(h.Key)).Select(h => h.Key).ToList();
            var first = !_known;
            _known = true;
            return first ? [] : dead;
        }
    }

    /// <summary>Calls no longer waited for: their failure (the lost silo, the abandon) is observed here and dropped.</summary>
    private static void Abandoned(Task work) =>
        _ = work.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
}
