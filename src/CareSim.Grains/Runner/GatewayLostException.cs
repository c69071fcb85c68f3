namespace CareSim.Grains.Runner;

/// <summary>
/// A cluster client lost its connection to a gateway silo while a month's calls were out: the calls
/// sent through it would wait for the response timeout, so the runner abandons them and rewinds
/// (<see cref="GatewayWatch"/>). Never sent between processes.
/// </summary>
public sealed class GatewayLostException(string message) : Exception(message);
