using System.CommandLine;
using CareSim.Host;
using Microsoft.Extensions.Configuration;

namespace CareSim.Cli.Commands;

/// <summary>The --config option of the commands that can take part in a cluster, and reading their settings (docs/cluster.md).</summary>
public static class ClusterOptions
{
    public static Option<string?> ConfigOption() =>
        new("--config") { Description = "JSON settings file (CareSim:Cluster:..., CareSim:ResultsConnectionString); environment variables such as CareSim__Cluster__Redis win over it. See docs/cluster.md." };

    /// <summary>The configuration and cluster settings, or a clear error on stderr and null.</summary>
    public static (IConfigurationRoot Configuration, ClusterSettings Settings)? Read(string? configFile)
    {
        try
        {
            var configuration = ClusterSettings.Configuration(configFile);
            return (configuration, ClusterSettings.Read(configuration));
        }
        catch (ClusterConfigurationException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return null;
        }
    }

    /// <summary>The results store's connection string: the option, else the CareSim:ResultsConnectionString setting.</summary>
    public static string? ResultsConnection(string? option, IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(option) ? option : configuration["CareSim:ResultsConnectionString"];
}
