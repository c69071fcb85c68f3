using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization;
using CareSim.Grains;
using CareSim.Grains.Abstractions;
using CareSim.Grains.Runner;
using CareSim.Host;
using CareSim.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Dashboard;

namespace CareSim.Web;

/// <summary>
/// <c>sim serve</c>: the HTTP API (docs/api.md), the dashboard page at <c>/</c>, the OpenAPI
/// document at <c>/openapi/v1.json</c> and the Orleans dashboard at <c>/orleans</c>. By default an
/// Orleans silo in the same process simulates the submitted runs; with
/// <c>CareSim:Cluster:Clustering=Redis</c> the server is a client of a cluster of <c>sim silo</c>
/// processes instead, and its runs checkpoint and survive a lost silo (docs/cluster.md).
/// </summary>
public static class CareSimServer
{
    /// <summary>
    /// Builds the server. Configuration: appsettings.json in the current folder, environment
    /// variables (<c>CareSim__ApiKey</c>, <c>ASPNETCORE_URLS</c>, ...), <paramref name="args"/>, then
    /// <paramref name="settings"/> (keys such as <c>urls</c> or <c>CareSim:ResultsConnectionString</c>).
    /// Opens the results store (applying its migrations) when one is configured.
    /// </summary>
    /// <remarks>A <paramref name="configFile"/> (JSON, <c>sim serve --config</c>) comes after appsettings.json; environment variables still win over it.</remarks>
    public static async Task<WebApplication> BuildAsync(string[] args, IReadOnlyDictionary<string, string?>? settings = null, CancellationToken cancellationToken = default, string? configFile = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = Directory.GetCurrentDirectory() });
        if (configFile is not null)
        {
            var path = Path.GetFullPath(configFile);
            if (!File.Exists(path)) throw new ClusterConfigurationException($"--config: file '{configFile}' not found");
            builder.Configuration.AddJsonFile(path, optional: false).AddEnvironmentVariables();
        }
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        var cluster = ClusterSettings.Read(builder.Configuration);
        var options = builder.Configuration.GetSection(ServerOptions.Section).Get<ServerOptions>() ?? new ServerOptions();
        options.Validate();
        builder.Services.Configure<ServerOptions>(builder.Configuration.GetSection(ServerOptions.Section));

        builder.Logging.AddFilter("Orleans", LogLevel.Warning);
        // The silo's start-up notice about server GC is noise here (as in CareSim.Host's embedded silo).
        builder.Logging.AddFilter("Orleans.Runtime.Silo", LogLevel.Error);
        builder.Logging.AddFilter("Polly", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);

        var store = string.IsNullOrWhiteSpace(options.ResultsConnectionString)
            ? null
            : await PostgresResultsStore.OpenAsync(options.ResultsConnectionString, cancellationToken);
        if (store is not null) builder.Services.AddSingleton(_ => store);
        builder.Services.AddSingleton(sp => new ResultsAccess(sp.GetRequiredService<IOptions<ServerOptions>>(), store));
        builder.Services.AddSingleton<RunCoordinator>();
        builder.Services.AddSingleton<RunCatalog>();
        builder.Services.AddSingleton<ObservedData>();

        builder.Services.AddProblemDetails();
        var corsOrigins = options.CorsOriginList();
        if (corsOrigins.Count > 0)
            builder.Services.AddCors(cors => cors.AddPolicy(CorsPolicy, policy =>
            {
                if (corsOrigins.Contains("*")) policy.AllowAnyOrigin();
                else policy.WithOrigins([.. corsOrigins]);
                policy.WithMethods("GET", "POST", "DELETE")
                    .WithHeaders("Content-Type", ApiEndpoints.ApiKeyHeader, "Last-Event-ID", "If-None-Match")
                    .WithExposedHeaders("Location", "ETag", "Retry-After", "Content-Disposition");
            }));
        builder.Services.AddApiContract();
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            json.SerializerOptions.DictionaryKeyPolicy = null;
            json.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
            // Numbers are JSON numbers, never strings (the web default also reads them from strings, which the contract would then have to allow).
            json.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = Submissions.DrainLimit(options));

        if (cluster.IsCluster)
        {
            // A client of the cluster: only the clustering settings (never the grain storage); the
            // Orleans dashboard reads the silos' statistics through it.
            builder.UseOrleansClient(client =>
            {
                ClusterSetup.ConfigureClient(client, cluster);
                client.AddDashboard();
            });
            builder.Services.AddSingleton(new GrainRunOptions { CheckpointEveryMonths = cluster.CheckpointEveryMonths, RecoveryTimeout = cluster.RecoveryTimeout });
        }
        else
        {
            // Embedded (the default): one silo in this process.
            builder.UseOrleans(silo =>
            {
                silo.UseLocalhostClustering(siloPort: FreePort(), gatewayPort: FreePort(), serviceId: "caresim",
                    clusterId: $"caresim-serve-{Environment.ProcessId}-{Guid.NewGuid():N}");
                silo.AddMemoryGrainStorage(CheckpointStorage.Name);
                silo.Services.AddCareSimGrains();
                silo.AddDashboard();
            });
            builder.Services.AddSingleton(new GrainRunOptions());
        }
        // After the silo (or the cluster client): hosted services stop in reverse order, so runs stop (and are marked failed) before the silo does.
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RunCoordinator>());

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        if (corsOrigins.Count > 0) app.UseCors();
        app.MapOpenApi();
        var api = app.MapCareSimApi();
        if (corsOrigins.Count > 0) api.RequireCors(CorsPolicy);
        app.MapDashboardPage();
        app.MapOrleansDashboard(routePrefix: "/orleans");
        return app;
    }

    private const string CorsPolicy = "api";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
