namespace CareSim.Engine.Results;

/// <summary>A results directory that has just been committed (renamed into place) by <see cref="ResultsWriter"/>.</summary>
/// <param name="Directory">Full path of the committed results directory.</param>
/// <param name="Manifest">Its manifest (as written to manifest.json).</param>
public sealed record CommittedRun(string Directory, RunManifest Manifest);

/// <summary>
/// Takes a completed run somewhere else once its files are committed: a results store such as
/// PostgreSQL (CareSim.Store). <see cref="CareSim.Engine.Running.RunExecutor"/> calls every
/// publisher of a <see cref="CareSim.Engine.Running.RunRequest"/> in order, after the commit; a
/// publisher that throws fails the run, but the committed files stay.
/// </summary>
public interface IResultsPublisher
{
    Task PublishAsync(CommittedRun run, CancellationToken cancellationToken);
}
