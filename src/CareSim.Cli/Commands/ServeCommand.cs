using System.CommandLine;
using System.Globalization;
using CareSim.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CareSim.Cli.Commands;

/// <summary>`sim serve`: the HTTP API, the dashboard page and the Orleans dashboard, with an in-process silo or as a cluster client (docs/api.md, docs/cluster.md).</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string?>("--urls") { Description = "Addresses to listen on (default http://localhost:5000; e.g. http://127.0.0.1:8080)." };
        var results = new Option<string?>("--results") { Description = "PostgreSQL connection string of the results store (e.g. \"Host=localhost;Database=caresim;Username=...\"); default: results directories only." };
        var resultsRoot = new Option<string?>("--results-root") { Description = "Folder of the submitted runs' results directories (default results/serve)." };
        var apiKey = new Option<string?>("--api-key") { Description = "Require this key in the X-Api-Key header of write requests (or set CareSim__ApiKey)." };
        var maxConcurrent = new Option<int?>("--max-concurrent-runs") { Description = "Runs simulated at once; others wait, queued (default 2)." };
        var maxQueued = new Option<int?>("--max-queued-runs") { Description = "Runs that may wait (default 100); more get 429." };
        var maxReplicas = new Option<int?>("--max-replicas") { Description = "Most replicas a submitted run may have (default 10000)." };
        var maxHorizon = new Option<int?>("--max-horizon") { Description = "Longest horizon a submitted run may have, in months (default 240)." };
        var maxBody = new Option<long?>("--max-body-bytes") { Description = "Largest request body accepted, in bytes (default 1048576)." };
        var config = ClusterOptions.ConfigOption();
        var command = new Command("serve", "Serve the HTTP API (/api, OpenAPI at /openapi/v1.json), the results dashboard (/) and the Orleans dashboard (/orleans); submitted runs are simulated here, or on a cluster of `sim silo` processes when CareSim:Cluster:Clustering=Redis (docs/cluster.md).")
        {
            urls, results, resultsRoot, apiKey, maxConcurrent, maxQueued, maxReplicas, maxHorizon, maxBody, config,
        };

        urls.Validators.Add(result =>
        {
            foreach (var address in (result.GetValueOrDefault<string?>() ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!IsAddress(address))
                    result.AddError($"--urls: '{address}' is not an address to listen on; expected http://HOST:PORT or https://HOST:PORT (e.g. http://127.0.0.1:8080), several separated by ';'");
            }
        });

        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = new Dictionary<string, string?>();
            void Set(string key, object? value)
            {
                if (value is not null) settings[key] = Convert.ToString(value, CultureInfo.InvariantCulture);
            }
            Set("urls", parse.GetValue(urls));
            Set($"{ServerOptions.Section}:{nameof(ServerOptions.ResultsConnectionString)}", parse.GetValue(results));
            Set($"{ServerOptions.Section}:{nameof(ServerOptions.ResultsRoot)}", parse.GetValue(resultsRoot));
            Set($"{ServerOptions.Section}:{nameof(ServerOptions.ApiKey)}", parse.GetValue(apiKey));
            Set($"{ServerOptions.Section}:{nameof(ServerOptions.MaxConcurrentRuns)}", parse.GetValue(maxConcurrent));
            Set($"{ServerOptions.Section}:{nameof(ServerOptions.MaxQueuedRuns)}", parse.GetValue(maxQueued));
            Set($"{ServerOptions.Section}:{nameof(ServerOptions.MaxReplicas)}", parse.GetValue(maxReplicas));
            Set($"{ServerOptions.Section}:{nameof(ServerOptions.MaxHorizonMonths)}", parse.GetValue(maxHorizon));
            Set($"{ServerOptions.Section}:{nameof(ServerOptions.MaxRequestBodyBytes)}", parse.GetValue(maxBody));

            WebApplication app;
            try
            {
                app = await CareSimServer.BuildAsync([], settings, cancellationToken, parse.GetValue(config));
            }
            catch (Exception e) when (e is ArgumentException or CareSim.Host.ClusterConfigurationException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.InvalidInput;
            }
            catch (NpgsqlException e)
            {
                Console.Error.WriteLine($"error: cannot open the results store: {e.Message}");
                return ExitCodes.Failed;
            }
            await using (app)
            {
                try
                {
                    await app.StartAsync(cancellationToken);
                }
                catch (IOException e)
                {
                    Console.Error.WriteLine($"error: cannot listen: {e.Message}");
                    return ExitCodes.Failed;
                }
                var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
                foreach (var address in addresses) Console.Out.WriteLine($"Listening on {address} (dashboard /, API /api, OpenAPI /openapi/v1.json, Orleans /orleans)");
                Console.Out.Flush();
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                }
                await app.StopAsync(CancellationToken.None);
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>An address Kestrel can listen on: http or https, a host (a name, an IP, or * and + for every interface) and an optional port.</summary>
    private static bool IsAddress(string address)
    {
        var scheme = address.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? "http://".Length
            : address.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? "https://".Length : -1;
        if (scheme < 0) return false;
        var host = address[scheme..].TrimEnd('/');
        if (host.StartsWith('*') || host.StartsWith('+')) host = "localhost" + host[1..];
        return host.Length > 0 && !host.Contains('/') && Uri.TryCreate("http://" + host, UriKind.Absolute, out _);
    }
}
