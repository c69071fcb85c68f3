using CareSim.Data;
using CareSim.Data.Baseline;

namespace CareSim.Reports.Input;

/// <summary>An official figure: its value (on the metric's scale) and the date it refers to.</summary>
public sealed record ObservedPoint(DateOnly Date, int Year, double Value);

/// <summary>
/// Official figures (the project's baseline dataset, data/baseline) matched to the model's
/// metrics, read with <see cref="BaselineDataset"/>. Workforce figures refer to 30 September of
/// their year, demand figures to 31 March (docs/results.md); shares are fractions, as the model's.
/// </summary>
public sealed class ObservedFigures
{
    /// <summary>Model metric -> baseline measure, where the names differ.</summary>
    private static readonly Dictionary<string, string> Renamed = new(StringComparer.Ordinal)
    {
        ["rereferral_rate"] = Measures.RereferralShare,
    };

    private readonly BaselineDataset _dataset;

    private ObservedFigures(BaselineDataset dataset) => _dataset = dataset;

    /// <summary>The folder the figures were read from.</summary>
    public string Directory => _dataset.Directory;

    /// <summary>Loads the baseline dataset (a folder with authority_years.csv, or one with a baseline/ subfolder such as data/).</summary>
    public static ObservedFigures Load(string directory)
    {
        try
        {
            return new ObservedFigures(BaselineDataset.Load(directory));
        }
        catch (CareSimDataException e)
        {
            throw new ReportInputException($"--observed {directory}: {e.Message}", e);
        }
    }

    /// <summary>The authority's name in the dataset, or null.</summary>
    public string? NameOf(string code) => _dataset.FindByCode(code)?.Name;

    /// <summary>Whether a metric has official figures (whatever the authority).</summary>
    public static bool Covers(string metric) =>
        metric == "establishment" || Renamed.ContainsKey(metric) || Measures.TryGet(metric, out _);

    /// <summary>The authority's official figures of a metric, oldest first (empty when there are none).</summary>
    public IReadOnlyList<ObservedPoint> For(string code, string metric)
    {
        var years = _dataset.Years(code);
        var result = new List<ObservedPoint>();
        if (metric == "establishment")
        {
            // Funded posts = FTE in post + vacancies (DfE's vacancy-rate denominator), at 30 September.
            foreach (var y in years)
            {
                if (y[Measures.SwFte] is { } fte && y[Measures.VacancyFte] is { } vacancies)
                    result.Add(new ObservedPoint(Measures.ReferenceDate(MeasureTiming.Workforce, y.Year), y.Year, fte + vacancies));
            }
            return result;
        }
        var name = Renamed.GetValueOrDefault(metric, metric);
        if (!Measures.TryGet(name, out var info)) return result;
        foreach (var y in years)
        {
            if (y[info.Name] is { } v) result.Add(new ObservedPoint(info.ReferenceDate(y.Year), y.Year, v));
        }
        return result;
    }

    /// <summary>"30 Sep" or "31 Mar": the date of the year a metric's figures refer to.</summary>
    public static string ReferenceDay(string metric)
    {
        if (metric == "establishment") return "30 September";
        var name = Renamed.GetValueOrDefault(metric, metric);
        return Measures.TryGet(name, out var info) && info.Timing == MeasureTiming.Demand ? "31 March" : "30 September";
    }
}
