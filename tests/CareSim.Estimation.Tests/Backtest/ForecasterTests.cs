using CareSim.Estimation.Backtest;
using CareSim.Data.Baseline;
using CareSim.TestSupport;
using CareSim.Engine.Reference;
using CareSim.Engine.Running;
using CareSim.Model.Authority;
using CareSim.Model.Outputs;
using CareSim.Model.Plan;
using CareSim.Model.Time;

namespace CareSim.Estimation.Tests.Backtest;

public sealed class ForecasterTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private BaselineDataset Data(int lastYear = 2023) => BaselineDataset.Load(SmallEngland.Write(_dir, perRegion: 2, lastYear: lastYear));

    [Fact]
    public void The_window_keeps_only_figures_and_grades_known_at_the_date()
    {
        var data = Data();
        var window = DataWindow.Truncate(data, new DateOnly(2021, 6, 30));
        var code = SmallEngland.Code(0, 0);
        // 2021: demand (31 March) known, workforce (30 September) not yet.
        Assert.NotNull(window.Value(code, Measures.Referrals, 2021));
        Assert.Null(window.Value(code, Measures.SwFte, 2021));
        Assert.NotNull(window.Value(code, Measures.SwFte, 2020));
        Assert.Null(window.Year(code, 2022));
        Assert.All(window.AllInspections, i => Assert.True(i.KnownFrom <= new DateOnly(2021, 6, 30)));
        Assert.Equal(data.Authorities.Count, window.Authorities.Count);
        Assert.Equal(data.Inspections(code).Count(i => i.KnownFrom <= new DateOnly(2021, 6, 30)), window.Inspections(code).Count);
    }

    [Fact]
    public void The_projection_starts_after_the_latest_census_and_follows_history_to_the_origin()
    {
        var prepared = Forecaster.Prepare(Data(), new ForecastRequest { Origin = new DateOnly(2021, 12, 31), LastMonth = new SimMonth(2023, 9), Replicas = 3 });
        Assert.Equal(new SimMonth(2021, 10), prepared.Start);
        Assert.Equal(new SimMonth(2022, 1), prepared.DecisionMonth);
        Assert.Equal(3, prepared.Plan.HistoryUntilMonth);
        Assert.Equal(24, prepared.Plan.HorizonMonths);
        Assert.Equal(4, prepared.Codes.Count);

        // Aligned on demand figures, the same origin starts after the demand year to 31 March 2021.
        var demand = Forecaster.Prepare(Data(), new ForecastRequest { Origin = new DateOnly(2021, 12, 31), LastMonth = new SimMonth(2023, 9), Replicas = 3, Alignment = ProjectionAlignment.Demand });
        Assert.Equal(new SimMonth(2021, 4), demand.Start);
        Assert.Equal(9, demand.Plan.HistoryUntilMonth);

        // As of 30 June the newest figures are the demand year to 31 March: the projection starts in April.
        var june = Forecaster.Prepare(Data(), new ForecastRequest { Origin = new DateOnly(2021, 6, 30), LastMonth = new SimMonth(2022, 9), Replicas = 3 });
        Assert.Equal(new SimMonth(2021, 4), june.Start);
    }

    [Fact]
    public void An_authority_first_inspected_between_the_start_and_the_origin_starts_in_the_band_of_that_grade()
    {
        var folder = SmallEngland.Write(_dir, perRegion: 2);
        var code = SmallEngland.Code(0, 1);
        var path = Path.Combine(folder, BaselineColumns.InspectionsFile);
        var lines = File.ReadAllLines(path).Where(l => !l.StartsWith(code, StringComparison.Ordinal)).ToList();
        lines.Add($"{code},x,x,2021-10-11,2021-12-15,ILACS,inadequate,,,,0");
        File.WriteAllLines(path, lines);
        var prepared = Forecaster.Prepare(BaselineDataset.Load(folder), new ForecastRequest { Origin = new DateOnly(2021, 12, 31), LastMonth = new SimMonth(2022, 9), Replicas = 20 });
        var result = Forecaster.Run(prepared);
        var a = result.IndexOf(code);
        // The grade published in December 2021 is the latest at the origin.
        Assert.Equal(1.0, result.Mean(a, Metric.GradePInadequate, new SimMonth(2022, 1)), 9);
        // Every replica is in the inadequate band in the month the inspection found it so; from
        // there the chain moves it (under monitoring once the grade is published, fast).
        Assert.Equal(1.0, result.JudgedGrade(a, new SimMonth(2021, 10))[0], 9);
    }

    [Fact]
    public void Running_labour_markets_apart_gives_the_numbers_of_the_whole_plan()
    {
        var prepared = Forecaster.Prepare(Data(), new ForecastRequest { Origin = new DateOnly(2021, 12, 31), LastMonth = new SimMonth(2023, 3), Replicas = 5, Seed = 3 });
        var split = Forecaster.Run(prepared, maxConcurrency: 2);
        var whole = new WholeSink(prepared.Plan);
        ReferenceEngine.Run(prepared.Plan, new RunSettings(BlockSize: 2), whole);
        for (var a = 0; a < prepared.Codes.Count; a++)
        {
            for (var m = 0; m < prepared.Plan.HorizonMonths; m++)
            {
                var month = prepared.Plan.MonthAt(m);
                var samples = split.Samples(a, Metric.SwFte, month);
                if (samples is not null)
                    Assert.Equal(whole.Values[a][m], samples);
                Assert.Equal(whole.Judged[a][m], split.Mean(a, Metric.JudgedPInadequate, month), 12);
            }
        }
        // And again: the same numbers whatever the scheduling.
        var again = Forecaster.Run(prepared, maxConcurrency: 1);
        Assert.Equal(split.Samples(0, Metric.TurnoverRate, new SimMonth(2022, 9)), again.Samples(0, Metric.TurnoverRate, new SimMonth(2022, 9)));
    }

    [Fact]
    public void Parameters_given_to_a_run_reach_every_authority()
    {
        var prepared = Forecaster.Prepare(Data(), new ForecastRequest { Origin = new DateOnly(2021, 12, 31), LastMonth = new SimMonth(2022, 9), Replicas = 4 });
        var low = Forecaster.Run(prepared, new Dictionary<string, double> { ["workforce.leaver_noise_sd"] = 0.0 });
        var high = Forecaster.Run(prepared, new Dictionary<string, double> { ["workforce.leaver_noise_sd"] = 1.0 });
        var month = new SimMonth(2022, 9);
        static double Spread(double[] x) => x.Max() - x.Min();
        Assert.True(Spread(high.Samples(0, Metric.TurnoverRate, month)!) > Spread(low.Samples(0, Metric.TurnoverRate, month)!));
    }

    [Fact]
    public void An_unknown_authority_is_a_clear_error_with_suggestions()
    {
        var ex = Assert.Throws<UnknownAuthorityException>(() => Forecaster.Prepare(Data(), new ForecastRequest
        {
            Origin = new DateOnly(2021, 12, 31),
            LastMonth = new SimMonth(2022, 9),
            Authorities = ["Authority 9x"],
        }));
        Assert.Contains("Authority 9x", ex.Message, StringComparison.Ordinal);
    }

    private sealed class WholeSink : IRunSink
    {
        public WholeSink(SimulationPlan plan)
        {
            Values = plan.Authorities.Select(_ => Enumerable.Range(0, plan.HorizonMonths).Select(_ => new double[plan.Replicas]).ToArray()).ToArray();
            Judged = plan.Authorities.Select(_ => new double[plan.HorizonMonths]).ToArray();
            _replicas = plan.Replicas;
        }

        private readonly int _replicas;
        public double[][][] Values { get; }
        public double[][] Judged { get; }

        public void AcceptMetrics(int month, int authorityIndex, BlockRange block, MetricFrame frame)
        {
            Array.Copy(frame[Metric.SwFte], 0, Values[authorityIndex][month], block.FirstReplica, block.Count);
            Judged[authorityIndex][month] += frame[Metric.JudgedPInadequate].Take(block.Count).Sum() / _replicas;
        }

        public void CompleteMonth(int month)
        {
        }

        public void AcceptOutcomes(int authorityIndex, BlockRange block, AuthorityOutcomes outcomes)
        {
        }
    }
}
