using CareSim.TestSupport;

namespace CareSim.Cli.Tests;

/// <summary>
/// The one output rule (docs/results.md#what-a-command-may-write), driven through every command that
/// writes: a folder holding a user's files is refused without --force, and with --force every one of
/// those files survives byte for byte.
/// </summary>
public sealed class OutputRuleTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _scenario;

    public OutputRuleTests()
    {
        _scenario = _dir.Write("small.yaml", SmallScenario.Yaml(replicas: 10));
        _dir.Write("strategies.yaml", "strategies:\n  - name: cap\n    parameters: {policy.agency_cap: 0.2}\n");
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>The user's files: text, bytes that are not UTF-8, and a subfolder.</summary>
    private static readonly Dictionary<string, byte[]> UserFiles = new()
    {
        ["README.md"] = "# My notes\r\nkeep me\n"u8.ToArray(),
        ["chart.png"] = [0x89, 0x50, 0x4e, 0x47, 0xff, 0x00, 0xfe],
        ["drafts/report.md"] = "an unrelated page called report.md\n"u8.ToArray(),
    };

    private string UserFolder(string name)
    {
        foreach (var (file, bytes) in UserFiles)
        {
            var path = _dir.Combine(name, file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, bytes);
        }
        return _dir.Combine(name);
    }

    private static void AssertUserFilesSurvive(string folder)
    {
        foreach (var (file, bytes) in UserFiles)
            Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(folder, file)));
    }

    private static string[] Entries(string folder) =>
        Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories).Select(e => Path.GetRelativePath(folder, e)).Order(StringComparer.Ordinal).ToArray();

    /// <summary>The command line that makes <paramref name="command"/> write into <paramref name="output"/>; import's README.md is its own output.</summary>
    private string[] Arguments(string command, string output)
    {
        var data = Repo.Path("data");
        switch (command)
        {
            case "run":
                return ["run", _scenario, "--out", output, "--quiet"];
            case "report":
                var results = _dir.Combine("results");
                if (!Directory.Exists(results)) Assert.Equal(0, Sim.Run(_dir.Path, "run", _scenario, "--out", results, "--quiet").ExitCode);
                return ["report", results, "--out", output, "--width", "300", "--height", "200", "--quiet"];
            case "compare":
                return ["compare", _scenario, "--strategies", "cap", "--out", output, "--engine", "reference", "--quiet"];
            case "sensitivity":
                return ["sensitivity", _scenario, "--outcome", "cost", "--trajectories", "1", "--replicas", "5", "--engine", "reference", "--out", output, "--quiet"];
            case "import":
                OfficialFixture.WriteAll(_dir);
                return ["data", "import", "--data", _dir.Combine("official"), "--out", output];
            case "calibrate":
                return ["calibrate", "--data", data, "--authority", "Sefton", "--stage", "workforce", "--replicas", "1", "--report-replicas", "1",
                    "--evaluations-per-parameter", "1", "--out", output];
            case "backtest":
                return ["backtest", "--data", data, "--origin", "2021-12-31", "--authority", "Sefton", "--replicas", "4", "--out", output];
            default:
                throw new ArgumentException(command);
        }
    }

    [Theory]
    [InlineData("run")]
    [InlineData("report")]
    [InlineData("compare")]
    [InlineData("sensitivity")]
    [InlineData("import")]
    [InlineData("calibrate")]
    [InlineData("backtest")]
    public void A_folder_holding_a_users_files_is_refused_and_with_force_they_survive(string command)
    {
        var folder = UserFolder("mine");
        var before = Entries(folder);
        var refused = Sim.Run(_dir.Path, Arguments(command, folder));
        Assert.True(refused.ExitCode == 2, refused.Stdout + refused.Stderr);
        Assert.Contains($"{folder} holds files", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("--force", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, Entries(folder));
        AssertUserFilesSurvive(folder);

        var forced = Sim.Run(_dir.Path, [.. Arguments(command, folder), "--force"]);
        Assert.True(forced.ExitCode == 0, forced.Stdout + forced.Stderr);
        if (command != "import") AssertUserFilesSurvive(folder);
        else Assert.Equal(UserFiles["chart.png"], File.ReadAllBytes(Path.Combine(folder, "chart.png")));
        Assert.True(File.Exists(Path.Combine(folder, ".caresim-output")));
        Assert.Empty(Directory.GetFileSystemEntries(_dir.Path, ".mine.caresim-*"));

        // Still refused while the user's files are there; its own previous output alone is replaced without --force.
        Assert.Equal(2, Sim.Run(_dir.Path, Arguments(command, folder)).ExitCode);
        var own = _dir.Combine("own");
        Assert.Equal(0, Sim.Run(_dir.Path, Arguments(command, own)).ExitCode);
        var again = Sim.Run(_dir.Path, Arguments(command, own));
        Assert.True(again.ExitCode == 0, again.Stdout + again.Stderr);
    }

    [Theory]
    [InlineData("run")]
    [InlineData("report")]
    [InlineData("import")]
    public void The_project_folder_and_a_file_are_refused_even_with_force(string command)
    {
        var project = UserFolder("project");
        File.WriteAllText(Path.Combine(project, "Simulation.sln"), "sln");
        var before = Entries(project);
        var result = Sim.Run(_dir.Path, [.. Arguments(command, project), "--force"]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("project folder", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, Entries(project));
        AssertUserFilesSurvive(project);

        var file = Path.Combine(project, "README.md");
        var onFile = Sim.Run(_dir.Path, [.. Arguments(command, file), "--force"]);
        Assert.Equal(2, onFile.ExitCode);
        Assert.Contains("is a file", onFile.Stderr, StringComparison.Ordinal);
        AssertUserFilesSurvive(project);
    }

    [Fact]
    public void From_data_replaces_only_a_scenario_it_wrote_unless_forced()
    {
        var folder = UserFolder("scenarios");
        string[] FromData(string output, params string[] more) =>
            ["scenario", "from-data", "--authority", "Sefton", "--as-of", "2023-06-30", "--data", Repo.Path("data"), "--out", output, .. more];

        var mine = Path.Combine(folder, "README.md");
        var refused = Sim.Run(_dir.Path, FromData(mine));
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("was not written by sim scenario from-data", refused.Stderr, StringComparison.Ordinal);
        AssertUserFilesSurvive(folder);

        var onFolder = Sim.Run(_dir.Path, FromData(Path.Combine(folder, "drafts"), "--force"));
        Assert.Equal(2, onFolder.ExitCode);
        Assert.Contains("is a folder", onFolder.Stderr, StringComparison.Ordinal);

        var written = Path.Combine(folder, "sefton.yaml");
        Assert.Equal(0, Sim.Run(_dir.Path, FromData(written)).ExitCode);
        Assert.Equal(0, Sim.Run(_dir.Path, FromData(written)).ExitCode);
        Assert.Equal(0, Sim.Run(_dir.Path, "validate", written).ExitCode);
        AssertUserFilesSurvive(folder);
        // Nothing else beside it: no temporary file left.
        string[] expected = ["README.md", "chart.png", "drafts", Path.Combine("drafts", "report.md"), "sefton.yaml"];
        Assert.Equal(expected.Order(StringComparer.Ordinal), Entries(folder));
    }
    [Fact]
    public async Task A_run_killed_while_writing_leaves_no_staging_folder_after_the_next_run()
    {
        // Default results folders (results/NAME-TIMESTAMP): the next run writes another name beside it.
        using (var killed = Sim.Start(_dir.Path, "run", _scenario, "--replicas", "200000", "--horizon", "120", "--engine", "reference", "--quiet"))
        {
            var results = _dir.Combine("results");
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!(Directory.Exists(results) && Directory.GetFileSystemEntries(results, ".small-*.caresim-*").Length > 0) && DateTime.UtcNow < deadline)
                await Task.Delay(50);
            killed.Kill(); // SIGKILL: nothing runs to clean up
            await killed.WaitForExitAsync();
            Assert.NotEmpty(Directory.GetFileSystemEntries(results, ".small-*.caresim-*"));
        }

        var next = Sim.Run(_dir.Path, "run", _scenario, "--quiet");

        Assert.True(next.ExitCode == 0, next.Stderr);
        var left = Directory.GetFileSystemEntries(_dir.Combine("results")).Select(Path.GetFileName).ToList();
        Assert.True(left.Count == 1 && !left[0]!.StartsWith('.'), string.Join(", ", left));
    }
}
