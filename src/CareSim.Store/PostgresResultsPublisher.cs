using CareSim.Engine.Results;

namespace CareSim.Store;

/// <summary>
/// Loads a run into the PostgreSQL store once <see cref="CareSim.Engine.Running.RunExecutor"/>
/// has committed its files (add it to <see cref="CareSim.Engine.Running.RunRequest.Publishers"/>).
/// </summary>
public sealed class PostgresResultsPublisher(PostgresResultsStore store, Guid runId, string? scenarioYaml) : IResultsPublisher
{
    public Guid RunId => runId;

    public Task PublishAsync(CommittedRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        return store.LoadAsync(runId, run.Directory, scenarioYaml, cancellationToken);
    }
}
