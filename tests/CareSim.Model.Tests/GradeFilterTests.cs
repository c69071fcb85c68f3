using CareSim.Model.Grades;
using CareSim.Model.Parameters;
using CareSim.Model.Plan;

namespace CareSim.Model.Tests;

/// <summary>The grade model's exact filter against a Monte Carlo simulation of the same equations.</summary>
public class GradeFilterTests
{
    private static readonly GradeDynamics Dynamics = GradeDynamics.From(ModelParameters.Defaults) with
    {
        NationalLevel = 0.55, DriftPerYear = 0.02, DriftUntil = 2030, AuthoritySd = 0.12, ReversionMonths = 24, WithinSd = 0.06,
        JudgementNoise = 0.06, SupportWeight = 0.2, AgencyWeight = -0.6, VacancyWeight = 0, TurnoverWeight = 0, ShockRate = 0.004, ShockSd = 0.2,
        SifOffset = -0.04, // the first inspection below is under the SIF (before 2018)
    };

    private static readonly int Start = 2015 * 12;

    private static GradeRecord Record(params GradeObservation[] inspections) =>
        new(inspections, [new WorkforceRates(Start, 0.25, 0.2, 0.16)]);

    /// <summary>
    /// The predicted grade of an inspection four years after a record of one inspection equals the
    /// share of simulated authorities with that record (by rejection) graded so: the filter is the
    /// model's exact belief, not an approximation of a different model.
    /// </summary>
    [Fact]
    public void Predicted_grades_match_a_simulation_of_the_same_model()
    {
        var first = new GradeObservation(Start, Start + 2, Grade.RequiresImprovement, null, null, null);
        var record = Record(first);
        var filter = new LatentQualityFilter(Dynamics, gridSize: 80, levelNodes: 9);
        filter.Run(record, Start + 2, out var state);
        var predicted = filter.PredictGrades(state, record, [Start + 50])[0];

        var random = new Random(12345);
        var counts = new double[4];
        var kept = 0;
        for (var trial = 0; trial < 400_000 && kept < 40_000; trial++)
        {
            var level = Dynamics.NationalLevel + Dynamics.AuthoritySd * Normal(random);
            var month = Start;
            var target = Target(level, month, supported: false);
            var q = Math.Clamp(target + Dynamics.WithinSd * Normal(random), 0, 1);
            if (Inspect(q + Dynamics.SifOffset, random) != Grade.RequiresImprovement) continue;
            kept++;
            for (; month < Start + 50; month++)
            {
                target = Target(level, month, supported: false);
                q = Step(q, target, random);
            }
            counts[(int)Inspect(q, random)]++;
        }
        for (var k = 0; k < 4; k++)
            Assert.InRange(predicted[k], counts[k] / kept - 0.015, counts[k] / kept + 0.015);
    }

    [Fact]
    public void An_outstanding_record_predicts_outstanding_and_an_inadequate_one_predicts_support_and_recovery()
    {
        var filter = new LatentQualityFilter(Dynamics);
        var top = Record(new GradeObservation(Start, Start + 2, Grade.Outstanding, Grade.Outstanding, Grade.Outstanding, null),
            new GradeObservation(Start + 40, Start + 42, Grade.Outstanding, Grade.Outstanding, Grade.Outstanding, Grade.Outstanding));
        filter.Run(top, Start + 44, out var topState);
        var topNext = filter.PredictGrades(topState, top, [Start + 84])[0];
        Assert.True(topNext[3] > 0.5, $"P(outstanding) after two outstanding grades: {topNext[3]:0.000}");

        var bottom = Record(new GradeObservation(Start + 40, Start + 42, Grade.Inadequate, Grade.Inadequate, Grade.Inadequate, Grade.Inadequate));
        filter.Run(bottom, Start + 44, out var bottomState);
        var recovered = filter.PredictGrades(bottomState, bottom, [Start + 80])[0];
        var unsupported = new LatentQualityFilter(Dynamics with { SupportWeight = 0 });
        unsupported.Run(bottom, Start + 44, out var unsupportedState);
        var without = unsupported.PredictGrades(unsupportedState, bottom, [Start + 80])[0];
        Assert.True(recovered[0] < 0.5, $"P(still inadequate) three years on: {recovered[0]:0.000}");
        Assert.True(recovered[0] < without[0], "the support an inadequate grade brings makes recovery likelier");
    }

    [Fact]
    public void Sub_judgements_move_the_belief_within_the_band()
    {
        var filter = new LatentQualityFilter(Dynamics);
        var weak = Record(new GradeObservation(Start, Start + 2, Grade.RequiresImprovement, Grade.Inadequate, Grade.Inadequate, Grade.RequiresImprovement));
        var strong = Record(new GradeObservation(Start, Start + 2, Grade.RequiresImprovement, Grade.Good, Grade.Good, Grade.RequiresImprovement));
        filter.Run(weak, Start + 3, out var weakState);
        filter.Run(strong, Start + 3, out var strongState);
        Assert.True(filter.GradeDistribution(weakState)[0] > filter.GradeDistribution(strongState)[0]);
    }

    [Fact]
    public void Samples_follow_the_belief()
    {
        var filter = new LatentQualityFilter(Dynamics);
        var record = Record(new GradeObservation(Start, Start + 2, Grade.Good, null, null, null));
        filter.Run(record, Start + 12, out var state);
        var expected = filter.GradeDistribution(state);
        var random = new Random(7);
        var counts = new double[4];
        const int n = 50_000;
        Span<double> p = stackalloc double[4];
        for (var i = 0; i < n; i++)
        {
            var (_, q) = filter.Sample(state, random.NextDouble(), random.NextDouble());
            GradeDynamics.GradeProbabilities(q, Dynamics.JudgementNoise, Dynamics.Cuts, p);
            for (var k = 0; k < 4; k++) counts[k] += p[k];
        }
        for (var k = 0; k < 4; k++) Assert.InRange(counts[k] / n, expected[k] - 0.01, expected[k] + 0.01);
    }

    private static double Target(double level, int month, bool supported) =>
        level + Dynamics.Drift((month + 0.5) / 12.0) + Dynamics.Workforce(0.25, 0.2, 0.16) + (supported ? Dynamics.SupportWeight * Dynamics.AdviserSupport : 0);

    private static double Step(double q, double target, Random random)
    {
        var shock = random.NextDouble() < 1 - Math.Exp(-Dynamics.ShockRate) ? Dynamics.ShockSd * Normal(random) : 0;
        return Math.Clamp(target + Dynamics.MonthlyPersistence * (q - target) + Dynamics.MonthlyNoiseSd * Normal(random) + shock, 0, 1);
    }

    private static Grade Inspect(double q, Random random)
    {
        var u = random.NextDouble();
        var r = q + Dynamics.JudgementNoise * Math.Log(u / (1 - u));
        return r < 0.35 ? Grade.Inadequate : r < 0.55 ? Grade.RequiresImprovement : r < 0.8 ? Grade.Good : Grade.Outstanding;
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
