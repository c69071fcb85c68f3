using CareSim.Model.Grades;
using CareSim.Model.Plan;

namespace CareSim.Model.Tests;

/// <summary>The grade chain and its exact filter, against a Monte Carlo simulation of the same chain.</summary>
public class GradeFilterTests
{
    private static readonly GradeChain Chain = new(
        UpInadequate: 0.4, UpRequiresImprovement: 0.25, UpGood: 0.12,
        DownRequiresImprovement: 0.2, DownGood: 0.08, DownOutstanding: 0.03,
        JumpUp: 0.01, JumpDown: 0.03,
        SubJudgementSpread: 0.2, SupportWeight: 1.5,
        AgencyWeight: -1.0, VacancyWeight: 0, TurnoverWeight: 0, AuthoritySd: 0.3);

    private const double Adviser = 0.3, Commissioner = 0.5, Trust = 0.4;
    private static readonly int Start = 2015 * 12;

    private static GradeFilter Filter(GradeChain? chain = null) => new(chain ?? Chain, Adviser, Commissioner, Trust);

    private static GradeRecord Record(params GradeObservation[] inspections) =>
        new(inspections, [new WorkforceRates(Start - 120, 0.25, 0.2, 0.16)]);

    [Fact]
    public void The_monthly_matrix_is_a_transition_matrix_and_Next_draws_from_it()
    {
        var eta = 0.4;
        var matrix = Chain.MonthlyMatrix(eta);
        var random = new Random(3);
        for (var s = 0; s < GradeChain.States; s++)
        {
            var row = Enumerable.Range(0, GradeChain.States).Select(t => matrix[s, t]).ToArray();
            Assert.Equal(1.0, row.Sum(), 12);
            Assert.All(row, v => Assert.InRange(v, 0, 1));
            var counts = new double[GradeChain.States];
            const int n = 200_000;
            var moves = Chain.Rates(s, eta);
            for (var k = 0; k < n; k++) counts[moves.Next(s, random.NextDouble())]++;
            for (var t = 0; t < GradeChain.States; t++)
                Assert.InRange(counts[t] / n, row[t] - 0.004, row[t] + 0.004);
        }
        // Rates never leave the chain: no step above the top or below the bottom, jumps only where two bands remain.
        Assert.Equal(0, Chain.Rates(GradeChain.States - 1, 0).StepUp);
        Assert.Equal(0, Chain.Rates(0, 0).StepDown);
        Assert.Equal(0, Chain.Rates(GradeChain.Middle(Grade.Good), 0).JumpUp);
        Assert.Equal(0, Chain.Rates(GradeChain.Middle(Grade.RequiresImprovement), 0).JumpDown);
    }

    /// <summary>
    /// The predicted grade of an inspection four years after a record of one inspection (requires
    /// improvement, with good leaders) equals the share of simulated authorities with that record
    /// (by rejection) graded so: the filter is the chain's exact belief, not an approximation.
    /// </summary>
    [Fact]
    public void Predicted_grades_match_a_simulation_of_the_same_chain()
    {
        var first = new GradeObservation(Start, Start + 2, Grade.RequiresImprovement, Grade.Good, null, null);
        var record = Record(first);
        var filter = Filter();
        filter.Run(record, Start + 2, out var state);
        var predicted = filter.PredictGrades(state, record, [Start + 50])[0];

        var workforce = Chain.Workforce(0.25, 0.2, 0.16);
        var simulated = SimulatedBands(seed: 12345,
            accept: s => GradeChain.Band(s) == Grade.RequiresImprovement ? Chain.SubJudgementProbability(s, Grade.Good) : 0,
            Start, Start + 50, (s, effect, month) => Chain.Rates(s, workforce + effect), Chain.AuthoritySd);
        for (var k = 0; k < 4; k++)
            Assert.InRange(predicted[k], simulated[k] - 0.01, simulated[k] + 0.01);
    }

    /// <summary>
    /// The share of simulated authorities in each band at <paramref name="to"/>: each drawn from the
    /// filter's prior (the own effect on its three nodes, every state equally likely), kept with
    /// probability <paramref name="accept"/> of its state (rejection: the record's first
    /// inspection), then moved month by month with <paramref name="rates"/> (state, own effect, month).
    /// </summary>
    private static double[] SimulatedBands(int seed, Func<int, double> accept, int from, int to, Func<int, double, int, GradeChain.Moves> rates, double authoritySd)
    {
        var random = new Random(seed);
        var nodes = new[] { -Math.Sqrt(3), 0, Math.Sqrt(3) };
        var weights = new[] { 1 / 6.0, 2 / 3.0, 1 / 6.0 };
        var counts = new double[4];
        var kept = 0;
        for (var trial = 0; trial < 2_000_000 && kept < 60_000; trial++)
        {
            var u = random.NextDouble();
            var effect = authoritySd * nodes[u < weights[0] ? 0 : u < weights[0] + weights[1] ? 1 : 2];
            var s = random.Next(GradeChain.States);
            if (random.NextDouble() >= accept(s)) continue;
            kept++;
            for (var month = from; month < to; month++) s = rates(s, effect, month).Next(s, random.NextDouble());
            counts[(int)GradeChain.Band(s)]++;
        }
        return counts.Select(c => c / kept).ToArray();
    }

    [Fact]
    public void Support_and_the_ILACS_effect_move_only_the_rates_of_the_inadequate_band()
    {
        var chain = Chain with { IlacsRecovery = 0.7 };
        for (var s = 0; s < GradeChain.States; s++)
        {
            var plain = chain.Rates(s, 0.2, support: 0, monitored: false);
            var supported = chain.Rates(s, 0.2, support: 0.5, monitored: false);
            var underIlacs = chain.Rates(s, 0.2, support: 0, monitored: true);
            if (GradeChain.Band(s) == Grade.Inadequate)
            {
                // γ × support joins the drive: up times e^(1.5 × 0.5), down divided by it.
                Assert.Equal(plain.StepUp * Math.Exp(0.75), supported.StepUp, 12);
                Assert.Equal(plain.StepDown / Math.Exp(0.75), supported.StepDown, 12);
                Assert.Equal(plain.JumpUp * Math.Exp(0.75), supported.JumpUp, 12);
                // Under ILACS the upward rates out of inadequate are times e^0.7; the downward ones are not.
                Assert.Equal(plain.StepUp * Math.Exp(0.7), underIlacs.StepUp, 12);
                Assert.Equal(plain.JumpUp * Math.Exp(0.7), underIlacs.JumpUp, 12);
                Assert.Equal(plain.StepDown, underIlacs.StepDown, 12);
            }
            else
            {
                Assert.Equal(plain, supported);
                Assert.Equal(plain, underIlacs);
            }
        }
    }

    /// <summary>
    /// The filter's exactness where support and the ILACS effect act: an inadequate grade (across
    /// the board: a commissioner's support) in 2015, predicted in 2020, against a simulation of the
    /// same chain with the support from publication and the ILACS monitoring's rates from January 2018.
    /// </summary>
    [Fact]
    public void Predicted_grades_after_an_inadequate_grade_across_2018_match_a_simulation_of_the_same_chain()
    {
        var chain = Chain with { IlacsRecovery = 0.6 };
        var filter = Filter(chain);
        var record = Record(new GradeObservation(Start + 10, Start + 12, Grade.Inadequate, Grade.Inadequate, Grade.Inadequate, Grade.Inadequate));
        filter.Run(record, Start + 12, out var state);
        var predicted = filter.PredictGrades(state, record, [Start + 60])[0];

        var workforce = chain.Workforce(0.25, 0.2, 0.16);
        var simulated = SimulatedBands(seed: 2024,
            accept: s => GradeChain.Band(s) == Grade.Inadequate ? Math.Pow(chain.SubJudgementProbability(s, Grade.Inadequate), 3) : 0,
            Start + 10, Start + 60,
            (s, effect, month) => chain.Rates(s, workforce + effect, month >= Start + 12 ? Commissioner : 0,
                monitored: month >= Start + 12 && month >= GradeObservation.IlacsFrom), chain.AuthoritySd);
        for (var k = 0; k < 4; k++)
            Assert.InRange(predicted[k], simulated[k] - 0.01, simulated[k] + 0.01);
        // And the ILACS effect is what makes recovery faster here: without it, more are still inadequate.
        var without = Filter(Chain);
        without.Run(record, Start + 12, out var withoutState);
        Assert.True(without.PredictGrades(withoutState, record, [Start + 60])[0][0] > predicted[0] + 0.02);
    }

    /// <summary>
    /// The ILACS effect acts under monitoring, after an inadequate grade: a fall into the band that
    /// no inspection found recovers at the plain rates, so the next grade after requires improvement
    /// does not depend on it, while the grade after an inadequate one does.
    /// </summary>
    [Fact]
    public void The_ILACS_effect_acts_only_after_a_published_inadequate_grade()
    {
        var month = GradeObservation.IlacsFrom + 6;
        double[] Next(GradeChain chain, Grade grade)
        {
            var filter = Filter(chain);
            var record = Record(new GradeObservation(month, month + 2, grade, grade, grade, grade));
            filter.Run(record, month + 4, out var state);
            return filter.PredictGrades(state, record, [month + 40])[0];
        }
        var plain = Chain with { IlacsRecovery = 0 };
        var strong = Chain with { IlacsRecovery = 1.5 };
        var afterRequiresImprovement = (Next(plain, Grade.RequiresImprovement), Next(strong, Grade.RequiresImprovement));
        for (var k = 0; k < 4; k++) Assert.Equal(afterRequiresImprovement.Item1[k], afterRequiresImprovement.Item2[k], 12);
        Assert.True(Next(strong, Grade.Inadequate)[0] < Next(plain, Grade.Inadequate)[0] - 0.05);
    }

    [Fact]
    public void An_outstanding_record_predicts_outstanding_and_an_inadequate_one_predicts_support_and_recovery()
    {
        var filter = Filter();
        var top = Record(new GradeObservation(Start, Start + 2, Grade.Outstanding, Grade.Outstanding, Grade.Outstanding, null),
            new GradeObservation(Start + 40, Start + 42, Grade.Outstanding, Grade.Outstanding, Grade.Outstanding, Grade.Outstanding));
        filter.Run(top, Start + 44, out var topState);
        var topNext = filter.PredictGrades(topState, top, [Start + 84])[0];
        Assert.True(topNext[3] > 0.7, $"P(outstanding) after two outstanding grades: {topNext[3]:0.000}");

        var bottom = Record(new GradeObservation(Start + 40, Start + 42, Grade.Inadequate, Grade.Inadequate, Grade.Inadequate, Grade.Inadequate));
        filter.Run(bottom, Start + 44, out var bottomState);
        var recovered = filter.PredictGrades(bottomState, bottom, [Start + 80])[0];
        var unsupported = Filter(Chain with { SupportWeight = 0 });
        unsupported.Run(bottom, Start + 44, out var unsupportedState);
        var without = unsupported.PredictGrades(unsupportedState, bottom, [Start + 80])[0];
        Assert.True(recovered[0] < 0.5, $"P(still inadequate) three years on: {recovered[0]:0.000}");
        Assert.True(recovered[0] < without[0] - 0.05, $"the support an inadequate grade brings makes recovery likelier: {recovered[0]:0.000} against {without[0]:0.000}");
    }

    [Fact]
    public void Sub_judgements_move_the_belief_within_the_band_and_so_the_next_grade()
    {
        var filter = Filter();
        var weak = Record(new GradeObservation(Start, Start + 2, Grade.RequiresImprovement, Grade.Inadequate, Grade.Inadequate, Grade.RequiresImprovement));
        var strong = Record(new GradeObservation(Start, Start + 2, Grade.RequiresImprovement, Grade.Good, Grade.Good, Grade.RequiresImprovement));
        filter.Run(weak, Start + 3, out var weakState);
        filter.Run(strong, Start + 3, out var strongState);
        var weakNext = filter.PredictGrades(weakState, weak, [Start + 36])[0];
        var strongNext = filter.PredictGrades(strongState, strong, [Start + 36])[0];
        Assert.True(weakNext[0] > strongNext[0] + 0.03, $"P(inadequate next): weak {weakNext[0]:0.000}, strong {strongNext[0]:0.000}");
        Assert.True(strongNext[2] > weakNext[2] + 0.03, $"P(good next): strong {strongNext[2]:0.000}, weak {weakNext[2]:0.000}");
    }

    [Fact]
    public void More_agency_reliance_with_a_negative_weight_makes_decline_likelier()
    {
        var filter = Filter();
        GradeRecord With(double agency) => new([new GradeObservation(Start, Start + 2, Grade.Good, null, null, null)], [new WorkforceRates(Start - 120, agency, 0.2, 0.16)]);
        double[] Next(double agency)
        {
            var record = With(agency);
            filter.Run(record, Start + 2, out var state);
            return filter.PredictGrades(state, record, [Start + 48])[0];
        }
        var low = Next(0.05);
        var high = Next(0.45);
        Assert.True(high[0] + high[1] > low[0] + low[1] + 0.02, $"P(below good): 45% agency {high[0] + high[1]:0.000}, 5% agency {low[0] + low[1]:0.000}");
    }

    [Fact]
    public void Samples_follow_the_belief()
    {
        var filter = Filter();
        var record = Record(new GradeObservation(Start, Start + 2, Grade.Good, null, null, null));
        filter.Run(record, Start + 12, out var state);
        var expected = filter.GradeDistribution(state);
        var random = new Random(7);
        var counts = new double[4];
        const int n = 100_000;
        for (var i = 0; i < n; i++)
        {
            var (_, s) = filter.Sample(state, random.NextDouble());
            counts[(int)GradeChain.Band(s)]++;
        }
        for (var k = 0; k < 4; k++) Assert.InRange(counts[k] / n, expected[k] - 0.006, expected[k] + 0.006);
    }

    [Fact]
    public void A_record_the_parameters_make_impossible_is_not_a_crash()
    {
        // A sub-judgement three bands from the overall grade has only the floor probability.
        var filter = Filter();
        var record = Record(new GradeObservation(Start, Start + 2, Grade.Outstanding, Grade.Inadequate, Grade.Inadequate, Grade.Inadequate));
        var logLikelihood = filter.Run(record, Start + 3, out var state);
        Assert.True(double.IsFinite(logLikelihood) && logLikelihood < Math.Log(1e-6));
        Assert.Equal(1.0, filter.GradeDistribution(state).Sum(), 9);
    }
}
