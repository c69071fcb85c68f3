using System.Globalization;
using CareSim.Data.Baseline;
using CareSim.Data.Csv;
using CareSim.Data.Import;
using CareSim.Model.Plan;

namespace CareSim.Estimation.Backtest;

/// <summary>
/// Where the backtest and the calibration read their data: either a baseline dataset (the folder
/// holding authorities.csv etc., or one with a <c>baseline/</c> subfolder such as the repository's
/// <c>data/</c>), or a folder of official DfE and Ofsted CSV files (the DfE and Ofsted releases),
/// which is imported in memory first (recognised by headers, so newer releases with more years
/// work unchanged).
/// </summary>
public static class DataSource
{
    /// <summary>Loads a data folder; <paramref name="description"/> says which kind it was.</summary>
    /// <exception cref="CareSimDataException">Missing folder, no CSV files, a known file with a wrong header, a bad value.</exception>
    public static BaselineDataset Load(string directory, out string description)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (!Directory.Exists(directory))
            throw new BaselineDataException($"Data folder not found: '{Path.GetFullPath(directory)}'. Give --data the official statistics folder (DfE and Ofsted CSV files) or a baseline dataset folder (e.g. data/).");
        if (File.Exists(Path.Combine(directory, BaselineColumns.AuthoritiesFile)) || File.Exists(Path.Combine(directory, "baseline", BaselineColumns.AuthoritiesFile)))
        {
            var data = BaselineDataset.Load(directory);
            description = $"baseline dataset in {directory}";
            return data;
        }
        if (!Directory.EnumerateFiles(directory, "*.csv", SearchOption.AllDirectories).Any())
            throw new BaselineDataException($"'{Path.GetFullPath(directory)}' holds neither a baseline dataset ({BaselineColumns.AuthoritiesFile}, ...) nor official CSV files.");
        using var scratch = new ScratchDirectory("import");
        OfficialDataImporter.Import(directory, scratch.Path);
        var imported = BaselineDataset.Load(scratch.Path);
        description = $"official statistics in {directory} (imported in memory)";
        return imported;
    }
}

/// <summary>
/// The data as they stood at a date: every figure whose reference date (30 September for
/// workforce, 31 March for demand) is after it is removed, and every inspection not yet published
/// by then. Scenarios, baselines and targets built from the window cannot see later data, whatever
/// fallbacks they use.
/// </summary>
public static class DataWindow
{
    public static BaselineDataset Truncate(BaselineDataset data, DateOnly until) =>
        Write(data, until, data.Authorities.SelectMany(a => data.Years(a.Code)).Select(y => Keep(y, until)).OfType<AuthorityYear>().ToList());

    /// <summary>
    /// The figures that only seed the demand side of a projection (the child population and the
    /// children looked after) and whose official series start after the earliest workforce census
    /// (31 March 2021 here): <see cref="WithDemandSeeding"/> may take them from the first later year.
    /// </summary>
    public static IReadOnlyList<string> DemandSeedingMeasures { get; } =
        [Measures.Population, Measures.Cla, Measures.ClaPer10k, Measures.ClaStarts, Measures.ClaCeased];

    /// <summary>
    /// True when the population series starts after <paramref name="until"/> (no authority has an
    /// estimate known then, some have a later one): a projection from that date needs <see cref="WithDemandSeeding"/>.
    /// </summary>
    public static bool NeedsDemandSeeding(BaselineDataset data, DateOnly until) =>
        !data.Authorities.Any(a => data.ValueAsOf(a.Code, Measures.Population, until) is not null)
        && data.Authorities.Any(a => data.Years(a.Code).Any(y => y[Measures.Population] is not null));

    /// <summary>
    /// The data as they stood at <paramref name="until"/> (as <see cref="Truncate"/>), plus, for an
    /// authority with no population estimate known then, the <see cref="DemandSeedingMeasures"/> of
    /// the first later year that has them (that year's row holds nothing else). The documented
    /// approximation for origins before the population series starts (docs/validation.md#rolling-origins):
    /// projections seeded from such a window look ahead in these figures only, so their demand
    /// figures must not be scored; the workforce figures, seeded from the census known at the
    /// origin, may be.
    /// </summary>
    public static BaselineDataset WithDemandSeeding(BaselineDataset data, DateOnly until)
    {
        ArgumentNullException.ThrowIfNull(data);
        var years = data.Authorities.SelectMany(a => data.Years(a.Code)).Select(y => Keep(y, until)).OfType<AuthorityYear>().ToList();
        foreach (var a in data.Authorities)
        {
            if (data.ValueAsOf(a.Code, Measures.Population, until) is not null)
                continue;
            var first = data.Years(a.Code).FirstOrDefault(y => y[Measures.Population] is not null);
            if (first is null)
                continue;
            var values = DemandSeedingMeasures.Where(m => first[m] is not null).ToDictionary(m => m, m => first[m]!.Value, StringComparer.Ordinal);
            var existing = years.FindIndex(y => y.Code.Equals(a.Code, StringComparison.OrdinalIgnoreCase) && y.Year == first.Year);
            if (existing >= 0)
            {
                foreach (var kv in years[existing].Values)
                    values.TryAdd(kv.Key, kv.Value);
                years[existing] = new AuthorityYear(years[existing].Code, first.Year, values, years[existing].WorkforceUnit);
            }
            else
            {
                years.Add(new AuthorityYear(first.Code, first.Year, values, ""));
            }
        }
        return Write(data, until, years.OrderBy(y => y.Code, StringComparer.OrdinalIgnoreCase).ThenBy(y => y.Year).ToList());
    }

    private static BaselineDataset Write(BaselineDataset data, DateOnly until, List<AuthorityYear> years)
    {
        using var scratch = new ScratchDirectory("window");
        var england = data.England.Select(y => Keep(y, until)).OfType<AuthorityYear>().ToList();
        var inspections = data.AllInspections.Where(i => i.KnownFrom <= until).ToList();
        var path = scratch.Path;
        CsvWriter.Write(Path.Combine(path, BaselineColumns.AuthoritiesFile), BaselineColumns.AuthoritiesHeader,
            data.Authorities.Select(a =>
            {
                var own = years.Where(y => y.Code.Equals(a.Code, StringComparison.OrdinalIgnoreCase)).Select(y => y.Year).ToList();
                return (IReadOnlyList<string>)
                [
                    a.Code, a.LaNumber, a.Name, a.Region, string.Join(';', a.StatisticalNeighbours), string.Join(';', a.OtherCodes),
                    own.Count == 0 ? "" : Text(own.Min()), own.Count == 0 ? "" : Text(own.Max()),
                ];
            }));
        CsvWriter.Write(Path.Combine(path, BaselineColumns.AuthorityYearsFile), BaselineColumns.YearFileHeader, years.Select(YearCells));
        CsvWriter.Write(Path.Combine(path, BaselineColumns.EnglandYearsFile), BaselineColumns.YearFileHeader, england.Select(YearCells));
        CsvWriter.Write(Path.Combine(path, BaselineColumns.InspectionsFile), BaselineColumns.InspectionsHeader,
            inspections.Select(i => (IReadOnlyList<string>)
            [
                i.Code, "", "", Date(i.Start), i.Published is { } p ? Date(p) : "", i.Framework, i.Overall.ToKey(),
                i.Leaders?.ToKey() ?? "", i.HelpAndProtection?.ToKey() ?? "", i.ChildrenInCare?.ToKey() ?? "", i.StartEstimated ? "1" : "0",
            ]));
        return BaselineDataset.Load(path);
    }

    private static AuthorityYear? Keep(AuthorityYear y, DateOnly until)
    {
        var values = y.Values.Where(kv => Measures.Get(kv.Key).ReferenceDate(y.Year) <= until).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        return values.Count == 0 ? null : new AuthorityYear(y.Code, y.Year, values, y.WorkforceUnit);
    }

    private static IReadOnlyList<string> YearCells(AuthorityYear y)
    {
        var cells = new List<string> { y.Code, "", "", "", Text(y.Year) };
        cells.AddRange(Measures.All.Select(m => y.Values.TryGetValue(m.Name, out var v) ? v.ToString("R", CultureInfo.InvariantCulture) : ""));
        cells.Add(y.WorkforceUnit);
        return cells;
    }

    private static string Text(int v) => v.ToString(CultureInfo.InvariantCulture);

    private static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>A fresh folder under the system temporary folder, deleted on dispose.</summary>
internal sealed class ScratchDirectory : IDisposable
{
    public ScratchDirectory(string purpose)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "caresim-" + purpose + "-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temporary folder.
        }
        catch (UnauthorizedAccessException)
        {
            // Best effort.
        }
    }
}
