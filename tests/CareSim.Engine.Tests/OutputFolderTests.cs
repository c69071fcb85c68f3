using System.Diagnostics;
using CareSim.Engine.Output;

namespace CareSim.Engine.Tests;

public sealed class OutputFolderTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "caresim-output-tests", Guid.NewGuid().ToString("N"));

    public OutputFolderTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Out => Path.Combine(_root, "out");

    private static void Write(OutputFolder output, string file, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(output.PathOf(file))!);
        File.WriteAllText(output.PathOf(file), text);
    }

    private void Commit(string command, bool force, params (string File, string Text)[] files)
    {
        using var output = OutputFolder.Begin(Out, command, force);
        foreach (var (file, text) in files) Write(output, file, text);
        output.Commit();
    }

    [Fact]
    public void A_previous_output_is_replaced_its_files_no_longer_written_go_and_another_commands_stay()
    {
        Commit("sim a", false, ("one.csv", "1"), ("sub/old.png", "old"));
        Commit("sim b", false, ("b.csv", "b"));
        Commit("sim a", false, ("one.csv", "2"));
        Assert.Equal("2", File.ReadAllText(Path.Combine(Out, "one.csv")));
        Assert.False(Directory.Exists(Path.Combine(Out, "sub")), "the file sim a wrote before and not now is deleted, with its empty folder");
        Assert.Equal("b", File.ReadAllText(Path.Combine(Out, "b.csv")));
        Assert.Equal([".caresim-output", "b.csv", "one.csv"], Directory.GetFileSystemEntries(Out).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Empty(Directory.GetFileSystemEntries(_root, ".out.caresim-*"));
    }

    [Fact]
    public void With_force_only_the_commands_files_are_replaced()
    {
        Directory.CreateDirectory(Out);
        File.WriteAllText(Path.Combine(Out, "mine.txt"), "mine");
        File.WriteAllText(Path.Combine(Out, "one.csv"), "the user's");
        var refused = Assert.Throws<OutputRefusedException>(() => OutputFolder.Begin(Out, "sim a", force: false));
        Assert.Contains("mine.txt, one.csv", refused.Message, StringComparison.Ordinal);
        Commit("sim a", true, ("one.csv", "1"));
        Commit("sim a", true, ("two.csv", "2"));
        Assert.Equal("mine", File.ReadAllText(Path.Combine(Out, "mine.txt")));
        // one.csv became sim a's when it replaced it, so it goes when sim a no longer writes it.
        Assert.False(File.Exists(Path.Combine(Out, "one.csv")));
        Assert.Equal("2", File.ReadAllText(Path.Combine(Out, "two.csv")));
    }

    [Fact]
    public void Nothing_is_written_without_commit_and_new_parent_folders_go_too()
    {
        var deep = Path.Combine(_root, "a", "b", "out");
        using (var output = OutputFolder.Begin(deep, "sim a", false))
            File.WriteAllText(output.PathOf("one.csv"), "1");
        Assert.Empty(Directory.GetFileSystemEntries(_root));
    }

    [Fact]
    public void A_file_appearing_during_the_run_is_not_replaced()
    {
        using var output = OutputFolder.Begin(Out, "sim a", false);
        File.WriteAllText(output.PathOf("one.csv"), "1");
        Directory.CreateDirectory(Out);
        File.WriteAllText(Path.Combine(Out, "one.csv"), "the user's");
        Assert.Throws<OutputRefusedException>(output.Commit);
        Assert.Equal("the user's", File.ReadAllText(Path.Combine(Out, "one.csv")));
    }

    [Fact]
    public void A_subfolder_that_is_an_output_of_its_own_does_not_count_as_the_users()
    {
        Commit("sim run", false, ("summary.csv", "s"));
        using (var report = OutputFolder.Begin(Path.Combine(Out, "report"), "sim report", false))
        {
            File.WriteAllText(report.PathOf("report.md"), "# r");
            report.Commit();
        }
        Commit("sim run", false, ("summary.csv", "t"));
        Assert.Equal("# r", File.ReadAllText(Path.Combine(Out, "report", "report.md")));
    }

    [Fact]
    public void Staging_left_by_a_process_that_is_gone_is_removed_at_the_next_start_and_a_running_ones_kept()
    {
        using var gone = Process.Start(new ProcessStartInfo("dotnet", "--version") { RedirectStandardOutput = true })!;
        gone.WaitForExit();
        var abandoned = Path.Combine(_root, $".out.caresim-{gone.Id}-deadbeef");
        var running = Path.Combine(_root, $".out.caresim-{Environment.ProcessId}-cafecafe");
        Directory.CreateDirectory(abandoned);
        Directory.CreateDirectory(running);
        Commit("sim a", false, ("one.csv", "1"));
        Assert.False(Directory.Exists(abandoned));
        Assert.True(Directory.Exists(running));
    }
    [Fact]
    public void A_forced_commit_that_fails_half_way_puts_back_the_users_files_and_what_counts_as_ours()
    {
        Directory.CreateDirectory(Out);
        File.WriteAllText(Path.Combine(Out, "README.md"), "the user's readme");
        // A file of the user's where the command writes a folder: the move fails after README.md has moved.
        File.WriteAllText(Path.Combine(Out, "baseline"), "the user's file");

        Assert.ThrowsAny<IOException>(() => Commit("sim import", true, ("README.md", "new"), ("baseline/a.csv", "a")));

        Assert.Equal("the user's readme", File.ReadAllText(Path.Combine(Out, "README.md")));
        Assert.Equal("the user's file", File.ReadAllText(Path.Combine(Out, "baseline")));
        Assert.Empty(Directory.GetFileSystemEntries(_root, ".out.caresim-*"));
        Assert.Equal(["README.md", "baseline"], Directory.GetFileSystemEntries(Out).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        // README.md is still the user's: without --force the folder is refused, even once the blocking file is gone.
        File.Delete(Path.Combine(Out, "baseline"));
        var refused = Assert.Throws<OutputRefusedException>(() => OutputFolder.Begin(Out, "sim import", force: false));
        Assert.Contains("README.md", refused.Message, StringComparison.Ordinal);
        Assert.Equal("the user's readme", File.ReadAllText(Path.Combine(Out, "README.md")));
    }

    [Fact]
    public void Staging_a_killed_process_left_for_another_destination_in_the_folder_is_removed_too()
    {
        using var gone = Process.Start(new ProcessStartInfo("dotnet", "--version") { RedirectStandardOutput = true })!;
        gone.WaitForExit();
        // A run killed while writing results/NAME-TIMESTAMP: the next run writes another name.
        var abandoned = Path.Combine(_root, $".sefton-20250101-120000.caresim-{gone.Id}-deadbeef");
        var abandonedFile = Path.Combine(_root, $".sefton.yaml.caresim-{gone.Id}-0123abcd");
        var running = Path.Combine(_root, $".other.caresim-{Environment.ProcessId}-cafecafe");
        var users = Path.Combine(_root, ".notes.caresim-mine");
        Directory.CreateDirectory(abandoned);
        File.WriteAllText(abandonedFile, "half a scenario");
        Directory.CreateDirectory(running);
        Directory.CreateDirectory(users);
        Commit("sim a", false, ("one.csv", "1"));
        Assert.False(Directory.Exists(abandoned));
        Assert.False(File.Exists(abandonedFile));
        Assert.True(Directory.Exists(running));
        Assert.True(Directory.Exists(users));
    }
}
