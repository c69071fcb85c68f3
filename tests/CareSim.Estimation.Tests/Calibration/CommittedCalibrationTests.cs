using System.Globalization;
using System.Text.Json.Nodes;
using CareSim.Data.Baseline;
using CareSim.Estimation.Calibration;
using CareSim.Model.Parameters;

namespace CareSim.Estimation.Tests.Calibration;

/// <summary>
/// The committed workforce and demand calibration (data/calibration) is what the current code and
/// the committed data produce: regenerate it with `sim calibrate --data data --force`
/// (docs/calibration.md#reproducing-the-committed-fit) when one of these fails.
/// </summary>
public class CommittedCalibrationTests
{
    private static readonly string Root = FindRoot();
    private static readonly string CalibrationDirectory = Path.Combine(Root, "data", "calibration");
    private const string Regenerate = "regenerate data/calibration with `sim calibrate --data data --force` (docs/calibration.md#reproducing-the-committed-fit)";

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Simulation.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root (Simulation.sln) not found");
    }

    private static JsonObject Fingerprint() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(CalibrationDirectory, CalibrationFingerprint.FileName)))!.AsObject();

    [Fact]
    public void The_data_files_are_those_the_committed_calibration_read()
    {
        var fingerprint = Fingerprint();
        foreach (var (name, hash) in CalibrationFingerprint.DataHashes(Path.Combine(Root, "data")))
            Assert.True(hash == (string?)fingerprint["data_files"]![name], $"data/baseline/{name} changed since the committed calibration: {Regenerate}");
    }

    [Fact]
    public void The_fitted_parameters_their_defaults_and_ranges_are_the_current_models()
    {
        var committed = Fingerprint()["parameters"]!.AsObject();
        var current = Calibrator.FittedParameters.Where(p => ModelParameters.TryFind(p.Name, out var d) && d.IsUncertain && d.UncertainHigh > d.UncertainLow).ToList();
        Assert.True(current.Select(p => p.Name).Order(StringComparer.Ordinal).SequenceEqual(committed.Select(kv => kv.Key).Order(StringComparer.Ordinal)),
            $"the calibration fits {string.Join(", ", current.Select(p => p.Name))}, the committed one {string.Join(", ", committed.Select(kv => kv.Key))}: {Regenerate}");
        foreach (var (name, stage) in current)
        {
            Assert.True(ModelParameters.TryFind(name, out var d));
            var node = committed[name]!;
            Assert.Equal(stage, (string?)node["stage"]);
            foreach (var (key, value) in new[] { ("default", d.Default), ("low", d.UncertainLow!.Value), ("high", d.UncertainHigh!.Value) })
                Assert.True(Math.Abs((double)node[key]! - value) <= 1e-12 * Math.Max(1, Math.Abs(value)), $"{name}: {key} {value} now, {(double)node[key]!} in the committed calibration: {Regenerate}");
        }
    }

    [Fact]
    public void The_parameter_file_holds_the_fitted_values()
    {
        var committed = Fingerprint()["parameters"]!.AsObject();
        var lines = File.ReadAllLines(Path.Combine(CalibrationDirectory, CalibrationOutput.FittedFile))
            .Where(l => l.StartsWith("  ", StringComparison.Ordinal)).Select(l => l.Split('#')[0].Trim().Split(": "))
            .ToDictionary(p => p[0], p => double.Parse(p[1], CultureInfo.InvariantCulture), StringComparer.Ordinal);
        Assert.Equal(committed.Count, lines.Count);
        foreach (var (name, node) in committed)
        {
            var fitted = (double)node!["fitted"]!;
            Assert.True(Math.Abs(lines[name] - fitted) <= 5e-4 * Math.Abs(fitted) + 1e-12, $"{name}: {lines[name]} in fitted.yaml, {fitted} fitted");
        }
    }

    [Fact]
    public void The_model_gives_the_committed_probe_at_the_fitted_values()
    {
        var fingerprint = Fingerprint();
        var until = DateOnly.ParseExact((string)fingerprint["until"]!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var values = fingerprint["parameters"]!.AsObject().ToDictionary(kv => kv.Key, kv => (double)kv.Value!["fitted"]!, StringComparer.Ordinal);
        var data = BaselineDataset.Load(Path.Combine(Root, "data"));
        Assert.True(CalibrationFingerprint.Probe(data, until, values) == (string?)fingerprint["model_probe"],
            $"the model's workforce and demand figures changed since the committed calibration: {Regenerate}");
    }
}
