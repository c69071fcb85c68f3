using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using CareSim.Store.Tests;

namespace CareSim.Web.Tests.Contract;

/// <summary>
/// A client generated from the served OpenAPI document (openapi-typescript's types and
/// openapi-fetch, from the npm registry, pinned in Contract/client/package-lock.json) compiles
/// with tsc --strict and, run under Node, submits runs, follows them to the end and reads results.
/// </summary>
public sealed class GeneratedClientTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string directory, string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The client's folder under .tmp/, with its packages installed once per package-lock.json.</summary>
    private static async Task<string> PrepareAsync()
    {
        var source = Path.Combine(Repository.Root, "tests", "CareSim.Web.Tests", "Contract", "client");
        var lockBytes = await File.ReadAllBytesAsync(Path.Combine(source, "package-lock.json"));
        var work = Path.Combine(Repository.Root, ".tmp", "openapi-client-" + Convert.ToHexStringLower(SHA256.HashData(lockBytes))[..12]);
        Directory.CreateDirectory(work);
        foreach (var name in new[] { "package.json", "package-lock.json", "tsconfig.json", "run.ts" })
            File.Copy(Path.Combine(source, name), Path.Combine(work, name), overwrite: true);
        if (!File.Exists(Path.Combine(work, "node_modules", ".installed")))
        {
            var install = await RunAsync(work, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error");
            Assert.True(install.Code == 0, "npm ci: " + install.Stderr + install.Stdout);
            await File.WriteAllTextAsync(Path.Combine(work, "node_modules", ".installed"), "");
        }
        return work;
    }

    [Fact]
    public async Task A_client_generated_from_the_document_compiles_and_completes_runs()
    {
        var work = await PrepareAsync();
        await File.WriteAllTextAsync(Path.Combine(work, "api.json"), await server.Client.GetStringAsync("/openapi/v1.json"));
        var scenario = Path.Combine(work, "scenario.yaml");
        await File.WriteAllTextAsync(scenario, TestRuns.Scenario);

        var generate = await RunAsync(work, "node", "node_modules/openapi-typescript/bin/cli.js", "api.json", "-o", "api.d.ts");
        Assert.True(generate.Code == 0, "openapi-typescript: " + generate.Stderr + generate.Stdout);
        var compile = await RunAsync(work, "node", "node_modules/typescript/bin/tsc", "-p", ".");
        Assert.True(compile.Code == 0, "tsc: " + compile.Stdout + compile.Stderr);

        var run = await RunAsync(work, "node", "out/run.js", server.BaseUrl, ServerFixture.ApiKey, scenario);
        Assert.True(run.Code == 0, "client: " + run.Stderr + run.Stdout);
        var output = JsonDocument.Parse(run.Stdout.Trim().Split('\n')[^1]).RootElement;
        Assert.Equal([16, 8], output.GetProperty("replicas").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal([11UL, 2UL], output.GetProperty("seeds").EnumerateArray().Select(e => e.GetUInt64()));
        Assert.Equal(12, output.GetProperty("months").GetInt32());
        Assert.Equal("No such run.", output.GetProperty("problem").GetString());
        // What the client read is what the server holds.
        foreach (var id in output.GetProperty("runs").EnumerateArray().Select(e => e.GetString()!))
            Assert.Equal("completed", (await server.GetJsonAsync($"/api/runs/{id}")).GetProperty("status").GetString());
        var first = output.GetProperty("runs")[0].GetString()!;
        var series = await server.GetJsonAsync($"/api/runs/{first}/series?authority=E08000014&metric=practice_quality");
        Assert.Equal(series.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("p50").GetDouble()),
            output.GetProperty("medians").EnumerateArray().Select(e => e.GetDouble()));
    }
}
