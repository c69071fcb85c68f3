using CareSim.Engine.Results;
using CareSim.Store;
using Npgsql;

namespace CareSim.Cli.Commands;

/// <summary>The results store named by a --results option: opened (migrations applied) before anything runs, so a wrong connection fails fast.</summary>
public sealed class StoreOption : IAsyncDisposable
{
    private StoreOption(PostgresResultsStore? store, int exitCode)
    {
        Store = store;
        ExitCode = exitCode;
    }

    public PostgresResultsStore? Store { get; }

    public int ExitCode { get; }

    public bool Failed => ExitCode != ExitCodes.Ok;

    public static async Task<StoreOption> OpenAsync(string? connectionString, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(connectionString)) return new StoreOption(null, ExitCodes.Ok);
        try
        {
            return new StoreOption(await PostgresResultsStore.OpenAsync(connectionString, cancellationToken), ExitCodes.Ok);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"error: --results: not a valid connection string: {e.Message}");
            return new StoreOption(null, ExitCodes.InvalidInput);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            await Console.Error.WriteLineAsync($"error: --results: cannot open the results store: {e.Message}");
            return new StoreOption(null, ExitCodes.Failed);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Store is not null) await Store.DisposeAsync();
    }

    /// <summary>Remembers that publishing started (the files are committed by then).</summary>
    public sealed class TrackingPublisher(IResultsPublisher inner) : IResultsPublisher
    {
        public bool Started { get; private set; }

        public Task PublishAsync(CommittedRun run, CancellationToken cancellationToken)
        {
            Started = true;
            return inner.PublishAsync(run, cancellationToken);
        }
    }
}
