using System.Text.RegularExpressions;
using CareSim.Grains.Abstractions;
using static CareSim.Cluster.Tests.Runs;

namespace CareSim.Cluster.Tests;

/// <summary>
/// Faults that need a Redis of the test's own (restarted, with or without its data) or that would
/// disturb the shared cluster: a silo started on a port in use, Redis losing the membership table and
/// the checkpoints, Redis restarted with its data. Real `sim` processes on loopback, as in production.
/// In the cluster collection (without using its silos): one after the other with its tests, so that
/// the silos of two clusters do not compete for two cores at once.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterFaultTests
{
    [Fact]
    public async Task A_silo_started_on_a_port_in_use_refuses_to_start_and_leaves_the_running_silo_alone()
    {
        using var redis = new RedisServer(persistent: false);
        await using var cluster = ClusterFixture.On(redis.Configuration, silos: 1);
        await cluster.InitializeAsync();
        var (first, environment) = cluster.Silo("silo-1");

        using var second = cluster.StartSilo("second silo, same ports", environment);
        Assert.Equal(1, await second.WaitForExitAsync(TimeSpan.FromMinutes(1)));
        Assert.Contains($"error: port {environment["CareSim__Cluster__SiloPort"]} (CareSim:Cluster:SiloPort) is in use", second.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", second.Output, StringComparison.Ordinal);

        // The first silo is still a member and still works: a run on it gives the embedded run's results.
        var expected = await EmbeddedAsync(cluster.WorkingDirectory, Sefton, 40, 36);
        var output = Path.Combine(cluster.WorkingDirectory, "after-duplicate");
        using var client = cluster.StartClient("client", "run", Repo.Scenario(Sefton), "--cluster", "--replicas", "40", "--horizon", "36", "--seed", "11", "--out", output, "--quiet");
        Assert.True(await client.WaitForExitAsync(TimeSpan.FromMinutes(3)) == 0, client.Output);
        AssertSameResults(expected, output);
        Assert.False(first.HasExited, first.Output);
        Assert.DoesNotContain("older clone", first.Output, StringComparison.OrdinalIgnoreCase);
        await cluster.WaitForActiveSilosAsync(1, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Silos_register_again_after_redis_loses_its_data_and_a_new_client_runs_on_them()
    {
        using var redis = new RedisServer(persistent: false);
        await using var cluster = ClusterFixture.On(redis.Configuration, silos: 2);
        await cluster.InitializeAsync();

        redis.Restart(); // no persistence: the membership table and every checkpoint are gone
        var table = $"caresim/members/{cluster.ClusterId}";
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        // The table's version and both silos' entries.
        while (redis.Cli("HLEN", table) != "3")
        {
            Assert.True(DateTime.UtcNow < deadline, $"the silos did not register again (table holds {redis.Cli("HLEN", table)} fields)");
            await Task.Delay(200);
        }

        await cluster.WaitForActiveSilosAsync(2, TimeSpan.FromSeconds(60));
        // A new client finds them and runs on both.
        var expected = await EmbeddedAsync(cluster.WorkingDirectory, "liverpool-city-region.yaml", 24, 24);
        var output = Path.Combine(cluster.WorkingDirectory, "after-loss");
        using var client = cluster.StartClient("client after the loss", "run", Repo.Scenario("liverpool-city-region.yaml"), "--cluster", "--replicas", "24", "--horizon", "24",
            "--seed", "11", "--block-size", "6", "--checkpoint-every", "6", "--out", output, "--quiet");
        Assert.True(await client.WaitForExitAsync(TimeSpan.FromMinutes(3)) == 0, client.Output);
        AssertSameResults(expected, output);
        await cluster.WaitForActiveSilosAsync(2, TimeSpan.FromSeconds(30));
    }

    /// <summary>
    /// Redis restarts mid-run. Without persistence the checkpoints are gone: when a silo is then
    /// killed, the run cannot rewind and the client says so plainly (which checkpoint, what to do),
    /// without a stack trace. With persistence (an append-only file synced on every write, as
    /// docker-compose.yml runs Redis) the checkpoints are still there: the run rewinds to its last
    /// one and ends with the embedded run's results.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_silo_lost_after_redis_restarted_rewinds_to_the_durable_checkpoint_or_fails_plainly_without_one(bool persistent)
    {
        // Long enough that the run goes on for a few seconds after its first checkpoint (month 12),
        // so that the test sees that checkpoint committed before the run ends, even when the test
        // process is kept waiting (48 months took about a second once the engine got faster, and
        // 400 x 96 in blocks of 50 once ended in 1.2 s, before the test saw month 12 committed).
        const int replicas = 1000, horizon = 192;
        using var redis = new RedisServer(persistent);
        await using var cluster = ClusterFixture.On(redis.Configuration, silos: 1);
        await cluster.InitializeAsync();
        using var victim = await cluster.StartSiloAsync("silo killed");
        await cluster.WaitForActiveSilosAsync(2, TimeSpan.FromSeconds(30));
        var expected = persistent ? await EmbeddedAsync(cluster.WorkingDirectory, Sefton, replicas, horizon) : null;
        var runId = Guid.NewGuid().ToString("N");
        var output = Path.Combine(cluster.WorkingDirectory, "restarted");
        using var client = cluster.StartClient("client", "run", Repo.Scenario(Sefton), "--cluster", "--replicas", Text(replicas), "--horizon", Text(horizon),
            "--seed", "11", "--block-size", "125", "--checkpoint-every", "12", "--run-id", runId, "--out", output);
        await cluster.WaitForCommittedMonthAsync(runId, 12, client);
        // A silo with blocks of the run goes, and while the others are still finding it dead (a few
        // seconds), Redis restarts: the run rewinds to its last committed checkpoint after the restart
        // (month 12, or month 24 when the run got there before the kill: this process can be kept
        // waiting longer than the run takes for 12 months on a loaded machine).
        victim.KillHard();
        redis.Restart();

        var exit = await client.WaitForExitAsync(TimeSpan.FromMinutes(3));
        // The whole output on failure: a stack trace seen once here (a ConnectionException) was cut short by DoesNotContain's message.
        Assert.False(client.Output.Contains("   at ", StringComparison.Ordinal), "a stack trace in the client's output:\n" + client.Output);
        if (persistent)
        {
            Assert.True(exit == 0, client.Output);
            AssertSameResults(expected!, output);
        }
        else
        {
            Assert.True(exit == 1, client.Output);
            Assert.True(Regex.IsMatch(client.Output, "error: run [0-9a-f]+: (the checkpoint of month [0-9]+ of block [0-9]+ .* is not in grain storage|its stored state is gone)"), client.Output);
            Assert.Contains("run the scenario again", client.Output, StringComparison.Ordinal);
            Assert.False(Directory.Exists(output));
        }
    }
}
