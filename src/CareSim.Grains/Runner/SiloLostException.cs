namespace CareSim.Grains.Runner;

/// <summary>
/// A silo was lost while a month's calls were out (this client's connection to it closed, or the
/// cluster declared it dead): calls that were on it would wait for the response timeout, so the
/// runner abandons them and rewinds (<see cref="SiloLossWatch"/>). Never sent between processes.
/// </summary>
/// <param name="lost">What was lost, in a few words, for the runner's recovery line.</param>
public sealed class SiloLostException(string lost, string message) : Exception(message)
{
    public string Lost { get; } = lost;
}
