using System.Globalization;
using System.Text.RegularExpressions;
using CareSim.Engine.Running;
using CareSim.Grains.Abstractions;
using CareSim.Grains.Runner;
using CareSim.Model.Outputs;
using CareSim.Scenarios;
using Orleans.Runtime;

namespace CareSim.Cluster.Tests;

/// <summary>
/// Runs on a real cluster (silo processes, Redis membership and grain state) give the numbers of
/// the embedded run, bit for bit: with several silos, when a silo is killed (-9) or shut down
/// mid-run, and when the client is killed and the run resumed with `sim run --resume`.
/// Small runs (a few hundred replicas, a few years) keep them quick.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterRunTests(ClusterFixture cluster)
{
    private const string Sefton = "sefton-2022-23.yaml";
    private const string Region = "liverpool-city-region.yaml";

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private Task<string> EmbeddedAsync(string scenario, int replicas, int horizon) => Runs.EmbeddedAsync(cluster.WorkingDirectory, scenario, replicas, horizon);

    private static void AssertSameResults(string expected, string actual) => Runs.AssertSameResults(expected, actual);

    [Theory]
    [InlineData(Sefton, 120, 36, 10)] // a Sefton run must reach its outcome window (outcomes_from 2024-01: --horizon 34 or more)
    [InlineData(Region, 48, 24, 8)]
    public async Task A_run_on_two_silos_gives_the_embedded_runs_results(string scenario, int replicas, int horizon, int blockSize)
    {
        var expected = await EmbeddedAsync(scenario, replicas, horizon);
        var output = Path.Combine(cluster.WorkingDirectory, $"cluster-{Guid.NewGuid():N}");
        using var client = cluster.StartClient("cluster run", "run", Repo.Scenario(scenario), "--cluster", "--replicas", Text(replicas), "--horizon", Text(horizon),
            "--seed", "11", "--block-size", Text(blockSize), "--checkpoint-every", "6", "--out", output, "--quiet");
        Assert.True(await client.WaitForExitAsync(TimeSpan.FromMinutes(3)) == 0, client.Output);
        AssertSameResults(expected, output);
        var manifest = File.ReadAllText(Path.Combine(output, "manifest.json"));
        Assert.Contains("\"grains\"", manifest, StringComparison.Ordinal);

        // The silos release the run's blocks when it completes.
        var management = cluster.Client.GetGrain<IManagementGrain>(0);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        int blocks;
        while ((blocks = (await management.GetSimpleGrainStatistics())
                   .Where(g => g.GrainType.Contains("CareSim.Grains.Blocks", StringComparison.Ordinal) && !g.GrainType.Contains(".Run", StringComparison.Ordinal))
                   .Sum(g => g.ActivationCount)) > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{blocks} block grains still active 30 s after the run");
            await Task.Delay(200);
        }
    }

    /// <summary>
    /// A third silo joins (so it takes part in this later run: without grains on it, no recovery
    /// would be needed), then goes mid-run: killed, or shut down as `docker stop` does. The runner
    /// rewinds to the last checkpoint, the grains come back on the two silos left, and the
    /// results are the embedded run's.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_run_that_loses_a_silo_mid_run_completes_with_the_embedded_runs_results(bool kill)
    {
        const int replicas = 240, horizon = 36, lossAfterMonth = 15;
        var expected = await EmbeddedAsync(Sefton, replicas, horizon);
        var management = cluster.Client.GetGrain<IManagementGrain>(0);
        var before = (await management.GetHosts(onlyActive: true)).Keys.ToHashSet();
        using var victim = await cluster.StartSiloAsync(kill ? "silo killed" : "silo stopped");
        await cluster.WaitForActiveSilosAsync(3, TimeSpan.FromSeconds(30));
        var victimAddress = (await management.GetHosts(onlyActive: true)).Keys.Single(s => !before.Contains(s));
        var victimActivations = 0;

        var load = ScenarioLoader.Load(Repo.Scenario(Sefton), new ScenarioOverrides(replicas, 11, horizon));
        Assert.True(load.IsValid, string.Join("\n", load.Errors));
        var metrics = load.Outputs.Metrics.Select(name => MetricCatalog.TryFind(name, out var info) ? info.Metric : throw new InvalidOperationException(name)).ToList();
        var notices = new List<string>();
        var engine = new GrainEngine(cluster.Client, new GrainRunOptions
        {
            CheckpointEveryMonths = 6,
            RecoveryTimeout = TimeSpan.FromMinutes(2),
            Notice = line =>
            {
                lock (notices) notices.Add(line);
            },
        });
        var output = Path.Combine(cluster.WorkingDirectory, $"loss-{Guid.NewGuid():N}");
        var request = new RunRequest(load.Plan!, load.Sha256, Repo.Scenario(Sefton), metrics, PerReplica: false,
            new RunSettings(BlockSize: 12), output);
        var lost = false;
        // Reported on the runner's thread after each month: the silo goes between two months, with grains on it.
        var progress = new Inline(p =>
        {
            if (lost || p.MonthsDone != lossAfterMonth) return;
            lost = true;
            victimActivations = management.GetSimpleGrainStatistics([victimAddress]).GetAwaiter().GetResult()
                .Where(g => !g.GrainType.StartsWith("Orleans", StringComparison.Ordinal)).Sum(g => g.ActivationCount);
            if (kill)
            {
                victim.KillHard();
            }
            else
            {
                victim.Terminate();
                Assert.True(victim.WaitForExitAsync(TimeSpan.FromSeconds(90)).GetAwaiter().GetResult() == 0, victim.Output);
            }
        });
        await RunExecutor.ExecuteAsync(engine, request, progress, CancellationToken.None);

        Assert.True(lost, "the silo was never taken away");
        Assert.True(victimActivations > 0, "the silo that joined before the run should hold some of its grains");
        Assert.True(engine.Recoveries >= 1, "the runner should have rewound at least once; notices:\n" + string.Join("\n", notices));
        // One line per recovery: what was lost, at which month, the checkpoint and the time it took.
        Assert.Equal(engine.Recoveries, notices.Count);
        Assert.All(notices, n => Assert.Matches(@"^run [0-9a-f]+: lost .+ at month [0-9]+; rewound to the checkpoint of month 12 in [0-9]+\.[0-9] s$", n));
        AssertSameResults(expected, output);
        if (!kill) Assert.Contains("Stopped", victim.Output, StringComparison.Ordinal);
        await cluster.WaitForActiveSilosAsync(2, TimeSpan.FromSeconds(30));
    }

    /// <summary>
    /// A silo that is none of the client's gateways (it has none: GatewayPort 0) is killed (-9) mid-run.
    /// No connection of the client closes, and the calls routed to it through the other silos are
    /// lost with it: the client learns it from the membership once the silo is declared dead, and
    /// rewinds well before the response timeout (the default 30 s here) would have ended those calls.
    /// </summary>
    [Fact]
    public async Task A_run_that_loses_a_silo_that_is_not_its_gateway_rewinds_without_waiting_for_the_response_timeout()
    {
        // Long enough that the run is still going when the test has seen its first checkpoint and
        // killed the silo, on an idle machine too (400 x 96 in blocks of 50 once ended before the test
        // saw month 12 committed).
        const int replicas = 1000, horizon = 192;
        var expected = await EmbeddedAsync(Sefton, replicas, horizon);
        var environment = cluster.SiloEnvironment();
        environment["CareSim__Cluster__GatewayPort"] = "0";
        using var victim = await cluster.StartSiloAsync("silo killed, no gateway", environment);
        Assert.Contains("no gateway", victim.Output, StringComparison.Ordinal);
        await cluster.WaitForActiveSilosAsync(3, TimeSpan.FromSeconds(30));

        var runId = Guid.NewGuid().ToString("N");
        var output = Path.Combine(cluster.WorkingDirectory, $"not-gateway-{Guid.NewGuid():N}");
        var defaults = new Dictionary<string, string> { ["CareSim__Cluster__ResponseTimeout"] = "00:00:30" };
        using var client = cluster.StartClient("client", defaults, "run", Repo.Scenario(Sefton), "--cluster", "--replicas", Text(replicas), "--horizon", Text(horizon),
            "--seed", "11", "--block-size", "125", "--checkpoint-every", "12", "--run-id", runId, "--out", output, "--quiet");
        await cluster.WaitForCommittedMonthAsync(runId, 12, client);
        victim.KillHard();

        Assert.True(await client.WaitForExitAsync(TimeSpan.FromMinutes(3)) == 0, client.Output);
        AssertSameResults(expected, output);
        var recoveries = Regex.Matches(client.Output, @"^run [0-9a-f]+: lost (.+) at month [0-9]+; rewound to the checkpoint of month [0-9]+ in ([0-9]+\.[0-9]) s$", RegexOptions.Multiline);
        Assert.True(recoveries.Count >= 1, "the run should have rewound:\n" + client.Output);
        // The silos' failure detector (the fixture's: 1 s probes) declares the silo dead within a few
        // seconds; the issue's target for a recovery is under 15 s, the response timeout is 30 s.
        var seconds = recoveries.Sum(r => double.Parse(r.Groups[2].Value, CultureInfo.InvariantCulture));
        Assert.True(seconds < 15, "the recovery took too long:\n" + client.Output);
        Assert.DoesNotContain("   at ", client.Output, StringComparison.Ordinal);
        await cluster.WaitForActiveSilosAsync(2, TimeSpan.FromSeconds(30));
    }

    /// <summary>
    /// The silo that holds the run's own grain (and none of the client's gateways) is killed (-9)
    /// between two months, just before a checkpoint, whose first call goes to the run grain. That
    /// call is watched like the blocks': the run rewinds when the cluster declares the silo dead (or
    /// when a silo refuses the call, if one knew first), not when the call times out (the fixture's
    /// client waits 10 s). It once timed out, and a client waiting 30 s held a run that long in CI.
    /// </summary>
    [Fact]
    public async Task A_run_whose_own_grain_is_on_a_lost_silo_rewinds_without_waiting_for_the_response_timeout()
    {
        const int replicas = 120, horizon = 36, checkpointEvery = 6;
        var expected = await EmbeddedAsync(Sefton, replicas, horizon);
        var environment = cluster.SiloEnvironment();
        environment["CareSim__Cluster__GatewayPort"] = "0"; // no connection of the client closes: the membership tells
        using var victim = await cluster.StartSiloAsync("silo with the run grain, killed", environment);
        await cluster.WaitForActiveSilosAsync(3, TimeSpan.FromSeconds(30));
        var runId = await RunIdWhoseGrainLivesOnAsync(environment);

        var load = ScenarioLoader.Load(Repo.Scenario(Sefton), new ScenarioOverrides(replicas, 11, horizon));
        Assert.True(load.IsValid, string.Join("\n", load.Errors));
        var metrics = load.Outputs.Metrics.Select(name => MetricCatalog.TryFind(name, out var info) ? info.Metric : throw new InvalidOperationException(name)).ToList();
        var notices = new List<string>();
        var engine = new GrainEngine(cluster.Client, new GrainRunOptions
        {
            RunId = runId,
            CheckpointEveryMonths = checkpointEvery,
            RecoveryTimeout = TimeSpan.FromMinutes(2),
            Notice = line =>
            {
                lock (notices) notices.Add(line);
            },
        });
        var output = Path.Combine(cluster.WorkingDirectory, $"run-grain-lost-{Guid.NewGuid():N}");
        var request = new RunRequest(load.Plan!, load.Sha256, Repo.Scenario(Sefton), metrics, PerReplica: false, new RunSettings(BlockSize: 20), output);
        var lost = false;
        // Reported on the runner's thread once month 11 is delivered: the checkpoint of month 12 comes next.
        var progress = new Inline(p =>
        {
            if (lost || p.MonthsDone != 2 * checkpointEvery) return;
            lost = true;
            victim.KillHard();
        });
        await RunExecutor.ExecuteAsync(engine, request, progress, CancellationToken.None);

        Assert.True(lost, "the silo was never taken away");
        var notice = Assert.Single(notices);
        // Either the watch saw the silo declared dead, or a silo refused the call at once (it knew first): not the timeout.
        var recovery = Regex.Match(notice, @"^run [0-9a-f]+: lost (.+) at month 11; rewound to the checkpoint of month 6 in ([0-9]+\.[0-9]) s$");
        Assert.True(recovery.Success, notice);
        Assert.DoesNotContain("Timeout", recovery.Groups[1].Value, StringComparison.Ordinal);
        Assert.True(double.Parse(recovery.Groups[2].Value, CultureInfo.InvariantCulture) < 10, notice);
        AssertSameResults(expected, output);
        await cluster.WaitForActiveSilosAsync(2, TimeSpan.FromSeconds(30));
    }

    /// <summary>
    /// A run id whose run grain is active on the silo started with <paramref name="environment"/>
    /// (activated by reading its committed month, which stores nothing; the run registers itself on
    /// it later). Placement weighs the silos' load, which a silo that has just joined does not
    /// publish at once: run ids are tried for up to a minute.
    /// </summary>
    private async Task<string> RunIdWhoseGrainLivesOnAsync(IReadOnlyDictionary<string, string> environment)
    {
        var management = cluster.Client.GetGrain<IManagementGrain>(0);
        var port = int.Parse(environment["CareSim__Cluster__SiloPort"], CultureInfo.InvariantCulture);
        var address = (await management.GetHosts(onlyActive: true)).Keys.Single(s => s.Endpoint.Port == port);
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (DateTime.UtcNow < deadline)
        {
            var runId = Guid.NewGuid().ToString("N");
            var run = cluster.Client.GetGrain<IRunGrain>(runId);
            Assert.Equal(0, await run.GetCommittedMonth());
            if (address.Equals(await management.GetActivationAddress(run))) return runId;
            await Task.Delay(100);
        }
        throw new InvalidOperationException($"no run grain activated on {address} in a minute:\n{cluster.SilosReport()}");
    }

    /// <summary>
    /// `sim run --cluster` is killed (-9), or interrupted (Ctrl+C), after a checkpoint; `sim run --resume RUN_ID` continues
    /// from it, writes the results directory the run was started with, and the results are the
    /// embedded run's. Both clients have the results store in their settings
    /// (CareSim__ResultsConnectionString): the resumed run's summaries land in PostgreSQL.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_stopped_client_run_resumed_with_sim_run_resume_gives_the_embedded_runs_results(bool kill)
    {
        const int replicas = 400, horizon = 60;
        var expected = await EmbeddedAsync(Sefton, replicas, horizon);
        var runId = Guid.NewGuid().ToString("N");
        var output = Path.Combine(cluster.WorkingDirectory, $"resumed-{Guid.NewGuid():N}");
        var run = cluster.Client.GetGrain<IRunGrain>(runId);
        await using var database = await TestDatabase.CreateAsync();
        var withStore = new Dictionary<string, string> { ["CareSim__ResultsConnectionString"] = database.ConnectionString };

        int committed;
        string firstOutput;
        using (var first = cluster.StartClient("first client", withStore, "run", Repo.Scenario(Sefton), "--cluster", "--replicas", Text(replicas), "--horizon", Text(horizon),
                   "--seed", "11", "--block-size", "25", "--checkpoint-every", "6", "--run-id", runId, "--out", output, "--quiet"))
        {
            committed = await cluster.WaitForCommittedMonthAsync(runId, 6, first);
            if (kill)
            {
                first.KillHard();
            }
            else
            {
                first.InterruptWhereItIs();
                Assert.Equal(130, await first.WaitForExitAsync(TimeSpan.FromMinutes(1)));
                Assert.Contains($"continue it with `sim run --resume {runId}`", first.Output, StringComparison.Ordinal);
                committed = await run.GetCommittedMonth();
            }
            firstOutput = first.Output;
        }
        // Once (a full ./test.sh, not reproduced alone) the run grain answered 0 here after an interrupt: say what the client saw.
        Assert.True(committed >= 6 && committed <= horizon - 6,
            $"committed month {committed}, expected 6 to {horizon - 6}; the run's definition is {(await run.GetDefinition() is null ? "gone" : "stored")}; the first client's output:\n{firstOutput}");
        Assert.False(Directory.Exists(output), "a killed run must not leave a results directory");
        // A killed client leaves its unfinished staging folder; the resume removes it.
        string[] Unfinished() => Directory.GetDirectories(cluster.WorkingDirectory, $".{Path.GetFileName(output)}.caresim-*");
        Assert.Equal(kill ? 1 : 0, Unfinished().Length);

        using var second = cluster.StartClient("resuming client", withStore, "run", "--resume", runId);
        Assert.True(await second.WaitForExitAsync(TimeSpan.FromMinutes(3)) == 0, second.Output);
        Assert.Contains($"Resuming run {runId} (Sefton 2022-23) from month {committed} of {horizon}", second.Output, StringComparison.Ordinal);
        // Progress after a resume: the estimate of the time left rests on the months this client simulated.
        Assert.Contains($"(resumed at month {committed})", second.Output, StringComparison.Ordinal);
        var estimates = Regex.Matches(second.Output, @"\((\d+)/(\d+) months, ([0-9.]+) s, about ([0-9.]+) s left\)");
        Assert.NotEmpty(estimates);
        foreach (Match line in estimates)
        {
            double Value(int group) => double.Parse(line.Groups[group].Value, CultureInfo.InvariantCulture);
            var (done, total, elapsed, left) = (Value(1), Value(2), Value(3), Value(4));
            var ratio = (total - done) / (done - committed);
            // Printed to 0.1 s: the elapsed time's rounding, scaled, plus the estimate's own.
            Assert.InRange(left, (elapsed - 0.05) * ratio - 0.05, (elapsed + 0.05) * ratio + 0.05);
        }
        AssertSameResults(expected, output);
        Assert.Empty(Unfinished());
        var id = Guid.ParseExact(runId, "N");
        Assert.Equal("completed", await database.ScalarAsync("SELECT status FROM runs WHERE id = @id", id));
        var rows = File.ReadAllLines(Path.Combine(output, "summary.csv")).Length - 1;
        Assert.Equal((long)rows, await database.ScalarAsync("SELECT count(*) FROM summary_series WHERE run_id = @id", id));
        // A completed run leaves nothing to resume.
        Assert.Null(await run.GetDefinition());
        using var again = cluster.StartClient("resuming again", "run", "--resume", runId);
        Assert.NotEqual(0, await again.WaitForExitAsync(TimeSpan.FromMinutes(1)));
        Assert.Contains("has no stored run", again.Output, StringComparison.Ordinal);
    }

    private sealed class Inline(Action<RunProgress> report) : IProgress<RunProgress>
    {
        public void Report(RunProgress value) => report(value);
    }
}
