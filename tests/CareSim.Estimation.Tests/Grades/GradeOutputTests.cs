using CareSim.Estimation.Calibration;
using CareSim.Estimation.Grades;
using CareSim.Estimation.Tests.Backtest;
using CareSim.TestSupport;

namespace CareSim.Estimation.Tests.Grades;

/// <summary>
/// The grade fit (sim calibrate --stage grades) and the grade backtests (sim backtest --rolling) follow
/// the output rule (docs/results.md#what-a-command-may-write): a folder holding a user's files is
/// refused before any fitting, and nothing there changes.
/// </summary>
public sealed class GradeOutputTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string UsersFolder()
    {
        _dir.Write("mine/README.md", "# my notes\n");
        return _dir.Combine("mine");
    }

    private void AssertUntouched(string folder)
    {
        Assert.Equal(["README.md"], Directory.GetFileSystemEntries(folder).Select(Path.GetFileName));
        Assert.Equal("# my notes\n", File.ReadAllText(Path.Combine(folder, "README.md")));
        Assert.Empty(Directory.GetFileSystemEntries(_dir.Path, ".mine.caresim-*"));
    }

    [Fact]
    public void The_grade_backtest_refuses_a_folder_holding_a_users_files()
    {
        var data = SmallEngland.Write(_dir);
        var folder = UsersFolder();
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = GradeBacktestCommandLine.Run(data, "2019-2020", 2, null, folder, force: false, stdout, stderr);
        Assert.Equal(2, code);
        Assert.Contains($"{folder} holds files {GradeBacktestCommandLine.Command} did not write", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("--force", stderr.ToString(), StringComparison.Ordinal);
        AssertUntouched(folder);
    }

    [Fact]
    public void The_grade_fit_refuses_a_folder_holding_a_users_files()
    {
        var data = SmallEngland.Write(_dir);
        var folder = UsersFolder();
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = CalibrateCommandLine.Run(data, null, folder, new CalibrationOptions { Stages = [GradeCalibration.Stage] }, stdout, stderr);
        Assert.Equal(2, code);
        Assert.Contains($"{folder} holds files", stderr.ToString(), StringComparison.Ordinal);
        AssertUntouched(folder);
    }
}
