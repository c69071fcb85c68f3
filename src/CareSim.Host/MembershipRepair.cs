using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace CareSim.Host;

/// <summary>
/// Puts the cluster back in the membership table when the table is lost (Redis restarted without
/// its data, or flushed): Orleans' Redis provider then only reports that the table version is
/// missing, and the silos, alive and well, stay unknown to each other and to clients until
/// restarted. Every few seconds this reads the table (and keeps the last copy it read); when it
/// cannot, it creates the table again (as the first silo of a cluster does) and, once it can, puts
/// back this silo's entry as Active and the entries of the other members it last saw alive, and
/// raises the table's version above any this silo has seen. Every silo does the same, so the
/// cluster is whole again a few seconds after Redis is back. An entry that says this silo is dead
/// is left alone (Orleans then stops the silo, as it should).
/// </summary>
/// <remarks>
/// <para>
/// Every entry goes back as Active when the silo it names was active: this silo's own once it has
/// seen itself active, another's when this silo's view has it active. The last copy of the table
/// can be older than that (a silo that joined a few seconds before the loss is still Joining in
/// it, more so on a loaded machine), and a silo whose entry went back as Joining took the table's
/// word and stayed "not active (Status: Joining)" for good: the cluster had one silo fewer.
/// </para>
/// <para>
/// Why the other members and the version: a silo ignores a table whose version is lower than the
/// one it last saw, and it can declare a silo dead only through that silo's entry. A table created
/// again starts at version 0, so without both a silo killed just before Redis lost its data would
/// stay alive in the others' view for good: its grains, and the parts of the grain directory it
/// held, unreachable ("Unable to connect"), with no way to move them. Put back, it is probed and
/// declared dead as usual; a live member put back by another silo finds its own entry in place.
/// </para>
/// </remarks>
public sealed class MembershipRepair(
    IMembershipTable table, ILocalSiloDetails silo, IClusterMembershipService membership, IHostApplicationLifetime lifetime, ILogger<MembershipRepair> logger, TimeSpan period)
    : BackgroundService
{
    private readonly DateTime _started = DateTime.UtcNow;

    /// <summary>The table as this silo last read it (before a loss).</summary>
    private MembershipTableData? _lastRead;

    /// <summary>Ticks since this silo found the table lost and has not yet finished putting it back (0: not repairing).</summary>
    private int _repairing;

    /// <summary>Ticks after which a member of this silo's view that did not put itself back is taken for dead and put back for the failure detector.</summary>
    private const int PatienceTicks = 4;

    /// <summary>This silo has been active (its entry may then be put back as nothing else): its view said so, or its start completed (it joins the cluster as it starts).</summary>
    private bool _wasActive;

    /// <summary>Times this silo put itself back in the table.</summary>
    public int Repairs { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(period);
        try
        {
            // A first copy of the table at once (a loss may come before the first tick); nothing is written before it.
            var first = await table.ReadAllAsync(stoppingToken).ConfigureAwait(false);
            if (Holds(first, silo.SiloAddress)) _lastRead = first;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogDebug(e, "membership read failed");
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await CheckAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Redis is still away (or busy): try again at the next tick.
                logger.LogDebug(e, "membership check failed");
            }
        }
    }

    private async Task CheckAsync(CancellationToken cancellationToken)
    {
        if (lifetime.ApplicationStarted.IsCancellationRequested || membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress) == SiloStatus.Active) _wasActive = true;
        MembershipTableData data;
        try
        {
            data = await table.ReadAllAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Created only where missing: a table another silo has just created again is kept.
            await table.InitializeMembershipTableAsync(tryInitTableVersion: true, cancellationToken).ConfigureAwait(false);
            data = await table.ReadAllAsync(cancellationToken).ConfigureAwait(false);
            logger.LogWarning("The membership table could not be read ({Error}); it was created again", e.Message.Split('\n')[0]);
            _repairing = Math.Max(_repairing, 1);
        }
        if (!Holds(data, silo.SiloAddress))
        {
            var entry = new MembershipEntry
            {
                SiloAddress = silo.SiloAddress,
                Status = SiloStatus.Active,
                HostName = silo.DnsHostName,
                SiloName = silo.Name,
                ProxyPort = silo.GatewayAddress?.Endpoint.Port ?? 0,
                StartTime = _started,
                IAmAliveTime = DateTime.UtcNow,
            };
            if (!await table.InsertRowAsync(entry, data.Version.Next(), cancellationToken).ConfigureAwait(false)) return; // another silo wrote first: next tick
            Repairs++;
            logger.LogWarning("This silo ({Silo}) was missing from the membership table (Redis lost its data?): it is registered again", silo.SiloAddress);
            _repairing = Math.Max(_repairing, 1);
            data = await table.ReadAllAsync(cancellationToken).ConfigureAwait(false);
        }
        else if (_wasActive && data.Members.First(m => m.Item1.SiloAddress.Equals(silo.SiloAddress)) is var (mine, etag) && mine.Status is SiloStatus.Joining or SiloStatus.Created)
        {
            // Put back by another silo from an old copy of the table: this silo is active.
            var status = mine.Status;
            mine.Status = SiloStatus.Active;
            mine.IAmAliveTime = DateTime.UtcNow;
            if (await table.UpdateRowAsync(mine, etag, data.Version.Next(), cancellationToken).ConfigureAwait(false))
                logger.LogWarning("This silo ({Silo}) was put back in the membership table as {Status}: it is active again", silo.SiloAddress, status);
            data = await table.ReadAllAsync(cancellationToken).ConfigureAwait(false);
        }
        if (_repairing > 0) data = await RestoreOthersAsync(data, cancellationToken).ConfigureAwait(false);
        if (_repairing == 0) _lastRead = data;
    }

    private static bool Holds(MembershipTableData data, SiloAddress address) => data.Members.Any(m => m.Item1.SiloAddress.Equals(address));

    /// <summary>
    /// Puts back the other members this silo last saw alive: from its last copy of the table at once;
    /// those it has no copy of once they had <see cref="PatienceTicks"/> ticks to put themselves back
    /// (a live silo does so within one or two). Then, with every member of this silo's view in the
    /// table (a live member missing from a table of a higher version than it saw would take itself for
    /// dead and stop), writes this silo's entry again until the version passes every one it has seen.
    /// </summary>
    private async Task<MembershipTableData> RestoreOthersAsync(MembershipTableData data, CancellationToken cancellationToken)
    {
        var view = membership.CurrentSnapshot;
        var cached = (_lastRead?.Members ?? []).Select(m => m.Item1).Where(e => e.Status != SiloStatus.Dead).ToDictionary(e => e.SiloAddress);
        var expected = view.Members.Values.Where(m => m.Status != SiloStatus.Dead).Select(m => m.SiloAddress).Union(cached.Keys).ToList();
        foreach (var address in expected)
        {
            if (Holds(data, address)) continue;
            MembershipEntry? entry = cached.GetValueOrDefault(address);
            if (entry is null && _repairing > PatienceTicks && view.Members.TryGetValue(address, out var member))
                entry = new MembershipEntry { SiloAddress = address, SiloName = member.Name, HostName = "", Status = SiloStatus.Active, StartTime = DateTime.UtcNow, IAmAliveTime = DateTime.UtcNow };
            if (entry is null) continue;
            if (view.Members.TryGetValue(address, out var live) && live.Status == SiloStatus.Active) entry.Status = SiloStatus.Active; // the copy may predate its joining
            if (await table.InsertRowAsync(entry, data.Version.Next(), cancellationToken).ConfigureAwait(false))
                logger.LogWarning("Member {Silo}, last seen alive, was put back in the membership table (the failure detector decides whether it is)", address);
            data = await table.ReadAllAsync(cancellationToken).ConfigureAwait(false);
        }
        if (!expected.All(address => Holds(data, address)))
        {
            _repairing++; // wait for them: next tick
            return data;
        }
        var seen = Math.Max(_lastRead?.Version.Version ?? 0, view.Version.Value);
        // Bounded: writes that keep conflicting (other silos writing too) give way to the next tick.
        for (var attempt = 0; attempt < 1000 && data.Version.Version <= seen && data.Members.FirstOrDefault(m => m.Item1.SiloAddress.Equals(silo.SiloAddress)) is { } mine; attempt++)
        {
            var next = data.Version.Next();
            await table.UpdateRowAsync(mine.Item1, next.VersionEtag, next, cancellationToken).ConfigureAwait(false); // a conflict: read and try again
            data = await table.ReadAllAsync(cancellationToken).ConfigureAwait(false);
        }
        if (data.Version.Version > seen) _repairing = 0;
        return data;
    }
}
