using System.Text.Json;
using CareSim.Store.Tests;

namespace CareSim.Web.Tests;

public sealed class ShutdownTests
{
    [Fact]
    public async Task Runs_running_or_queued_when_the_server_stops_are_marked_failed_in_the_store()
    {
        var server = new SlowServerFixture();
        await server.InitializeAsync();
        try
        {
            var running = await server.SubmitAsync("?replicas=20000&horizon_months=120");
            var queued = await server.SubmitAsync("?replicas=20000&horizon_months=120");
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while ((await server.GetJsonAsync($"/api/runs/{running}")).GetProperty("status").GetString() != "running")
            {
                Assert.True(DateTime.UtcNow < deadline, "the first run did not start");
                await Task.Delay(50);
            }
            Assert.Equal("queued", (await server.GetJsonAsync($"/api/runs/{queued}")).GetProperty("status").GetString());

            await server.StopServerAsync();

            var rows = await server.Database!.RowsAsync("SELECT id, status, error FROM runs WHERE id = ANY(@ids)",
                ("ids", new[] { Guid.ParseExact(running, "N"), Guid.ParseExact(queued, "N") }));
            var byId = rows.ToDictionary(r => ((Guid)r[0]!).ToString("N"), r => ((string)r[1]!, (string?)r[2]));
            Assert.Equal(("failed", "the server stopped while the run was going"), byId[running]);
            Assert.Equal(("failed", "the server stopped before the run started"), byId[queued]);
            Assert.False(Directory.Exists(Path.Combine(server.ResultsRoot, running)));
            _ = JsonSerializer.Serialize(byId);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }
}
