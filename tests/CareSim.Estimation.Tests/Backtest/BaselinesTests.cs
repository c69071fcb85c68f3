using CareSim.Estimation.Backtest;
using CareSim.Data.Baseline;
using CareSim.TestSupport;
using CareSim.Model.Outputs;
using CareSim.Model.Plan;
using static CareSim.TestSupport.BaselineFixture;

namespace CareSim.Estimation.Tests.Backtest;

public sealed class BaselinesTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly FigureTarget Turnover = Backtester.Figures.First(f => f.Name == "turnover_rate");
    private static readonly FigureTarget SwFte = Backtester.Figures.First(f => f.Name == "sw_fte");
    private static readonly FigureTarget Referrals = Backtester.Figures.First(f => f.Name == "referrals_per_10k");

    [Fact]
    public void Persistence_is_the_last_value_spread_by_the_observed_changes()
    {
        var data = BaselineDataset.Load(SmallEngland.Write(_dir, perRegion: 6));
        var window = DataWindow.Truncate(data, new DateOnly(2021, 12, 31));
        var persistence = new FigurePersistence(window);
        var code = SmallEngland.Code(0, 1);
        var last = window.Value(code, Measures.TurnoverRate, 2021)!.Value;

        var oneYear = persistence.Ensemble(Turnover, code, 2022, new DateOnly(2021, 12, 31), out var value, out var year)!;
        Assert.Equal(last, value);
        Assert.Equal(2021, year);
        // Additive: every 1-year change of every authority before the origin (12 authorities x 4 pairs of years).
        var changes = window.Authorities.SelectMany(a => Enumerable.Range(2017, 4).Select(y => window.Value(a.Code, Measures.TurnoverRate, y + 1)!.Value - window.Value(a.Code, Measures.TurnoverRate, y)!.Value)).Order().ToArray();
        Assert.Equal(changes.Select(c => Math.Clamp(last + c, 0, 1)).Order(), oneYear);

        // Log changes for FTE, and a 2-year-ahead forecast uses 2-year changes.
        var fte = persistence.Ensemble(SwFte, code, 2023, new DateOnly(2021, 12, 31), out var lastFte, out _)!;
        var twoYear = window.Authorities.SelectMany(a => Enumerable.Range(2017, 3).Select(y => Math.Log(window.Value(a.Code, Measures.SwFte, y + 2)!.Value / window.Value(a.Code, Measures.SwFte, y)!.Value))).Order().ToArray();
        Assert.Equal(twoYear.Length, fte.Length);
        Assert.Equal(lastFte * Math.Exp(twoYear[0]), fte[0], 9);
    }

    [Fact]
    public void Rates_per_10000_without_history_borrow_the_counts_changes_and_a_point_mass_is_the_last_resort()
    {
        // Population (so rates) only from 2021; counts from 2016.
        var data = BaselineDataset.Load(SmallEngland.Write(_dir, perRegion: 6,
            change: (_, year, key, v) => year < 2021 && key is Measures.Population or Measures.ReferralsPer10k or Measures.CinPer10k or Measures.CppPer10k ? null : v));
        var window = DataWindow.Truncate(data, new DateOnly(2021, 12, 31));
        var persistence = new FigurePersistence(window);
        var ensemble = persistence.Ensemble(Referrals, SmallEngland.Code(1, 0), 2022, new DateOnly(2021, 12, 31), out _, out _)!;
        Assert.True(ensemble.Length > 1);
        Assert.Contains(persistence.Notes, n => n.Contains("log changes of referrals", StringComparison.Ordinal));

        // Too few authorities for any pool: a point mass on the last value.
        using var small = new TempDirectory();
        var tiny = DataWindow.Truncate(BaselineDataset.Load(SmallEngland.Write(small, perRegion: 1)), new DateOnly(2021, 12, 31));
        var point = new FigurePersistence(tiny).Ensemble(Turnover, SmallEngland.Code(0, 0), 2022, new DateOnly(2021, 12, 31), out var last, out _)!;
        Assert.Equal([last], point);
    }

    [Fact]
    public void Grade_baselines_count_consecutive_inspections_with_add_one_smoothing()
    {
        var fixture = new BaselineFixture()
            .Authority("E08000001", "801", "A", "North West")
            .Authority("E08000002", "802", "B", "North West")
            .Authority("E08000003", "803", "C", "North West")
            .Inspection("E08000001", "2015-01-10", "2015-03-01", "SIF", "inadequate")
            .Inspection("E08000001", "2018-01-10", "2018-03-01", "ILACS", "requires_improvement")
            .Inspection("E08000002", "2015-01-10", "2015-03-01", "SIF", "inadequate")
            .Inspection("E08000002", "2018-01-10", "2018-03-01", "ILACS", "requires_improvement")
            .Inspection("E08000002", "2021-01-10", "2021-03-01", "ILACS", "requires_improvement")
            .Inspection("E08000003", "2016-01-10", "2016-03-01", "SIF", "good");
        var grades = new GradeBaselines(BaselineDataset.Load(fixture.Write(_dir)));
        Assert.Equal(3, grades.Pairs);
        Assert.Equal(6, grades.Inspections);
        Assert.Equal((1 + 1.0) / (3 + 2), grades.SameShare, 12);
        // From inadequate: 2 to RI, plus one each: (1, 3, 1, 1) / 6.
        Assert.Equal([1 / 6.0, 3 / 6.0, 1 / 6.0, 1 / 6.0], grades.TransitionMatrix(Grade.Inadequate));
        // From RI: one pair, to RI: (1, 2, 1, 1) / 5.
        Assert.Equal(new[] { 0.2, 0.4, 0.2, 0.2 }.Select(x => Math.Round(x, 12)), grades.Transition[(int)Grade.RequiresImprovement].Select(x => Math.Round(x, 12)));
        // Persistence: the last grade keeps the repeat share, the others share the rest.
        var p = grades.Persistence(Grade.Good);
        Assert.Equal(0.4, p[2], 12);
        Assert.Equal(0.2, p[0], 12);
        Assert.Equal(1.0, p.Sum(), 12);
        // No grade: the smoothed marginal shares (2 inadequate, 3 RI, 1 good, 0 outstanding) + 1 each over 10.
        Assert.Equal([0.3, 0.4, 0.2, 0.1], grades.Persistence(null).Select(x => Math.Round(x, 12)));
        Assert.Equal(grades.Persistence(null), grades.TransitionMatrix(null));
    }

    [Fact]
    public void Every_scored_figure_has_a_model_metric()
    {
        foreach (var f in Backtester.Figures)
        {
            Assert.True(Measures.TryGet(f.Measure, out _), f.Measure);
            Assert.Contains(f.Metric, Forecaster.SampledMetrics);
            Assert.True(MetricCatalog.Info(f.Metric).Name.Length > 0);
        }
    }
}
