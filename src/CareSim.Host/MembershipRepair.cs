using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace CareSim.Host;

/// <summary>
/// Puts a silo back in the membership table when the table is lost (Redis restarted without its
/// data, or flushed): Orleans' Redis provider then only reports that the table version is missing,
/// and the silos, alive and well, stay unknown to each other and to clients until restarted. Every
/// few seconds this reads the table; when it cannot, it creates the table again (as the first silo
/// of a cluster does) and, once it can, inserts this silo's entry if it is missing, as Active. Every
/// silo does the same, so the cluster is whole again a few seconds after Redis is back. An entry
/// that says this silo is dead is left alone (Orleans then stops the silo, as it should).
/// </summary>
public sealed class MembershipRepair(IMembershipTable table, ILocalSiloDetails silo, ILogger<MembershipRepair> logger, TimeSpan period) : BackgroundService
{
    private readonly DateTime _started = DateTime.UtcNow;

    /// <summary>Times this silo put itself back in the table.</summary>
    public int Repairs { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(period);
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
        }
        if (data.Members.Any(m => m.Item1.SiloAddress.Equals(silo.SiloAddress))) return;
        var now = DateTime.UtcNow;
        var entry = new MembershipEntry
        {
            SiloAddress = silo.SiloAddress,
            Status = SiloStatus.Active,
            HostName = silo.DnsHostName,
            SiloName = silo.Name,
            ProxyPort = silo.GatewayAddress?.Endpoint.Port ?? 0,
            StartTime = _started,
            IAmAliveTime = now,
        };
        if (await table.InsertRowAsync(entry, data.Version.Next(), cancellationToken).ConfigureAwait(false))
        {
            Repairs++;
            logger.LogWarning("This silo ({Silo}) was missing from the membership table (Redis lost its data?): it is registered again", silo.SiloAddress);
        }
    }
}
