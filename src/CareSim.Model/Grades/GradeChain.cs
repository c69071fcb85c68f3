using CareSim.Model.Numerics;
using CareSim.Model.Parameters;
using CareSim.Model.Plan;

namespace CareSim.Model.Grades;

/// <summary>
/// The grade model (docs/model.md#grades): a hidden Markov chain over the four Ofsted bands, each
/// split into <see cref="SubLevels"/> sub-levels (low, middle, high within the band). Every month an
/// authority may move one sub-level up or down, or jump two bands, at yearly rates that depend on
/// its band and are multiplied by e^η upwards and e^-η downwards, where η (the drive) gathers the
/// workforce rates and the authority's own persistent effect, and, in the inadequate band only,
/// the external support; under ILACS monitoring (after an inadequate grade, from 2018) the rates out of
/// inadequate are also times e^(ILACS effect). A full
/// inspection grades the band; each sub-judgement is the band, or the band above with probability
/// ε × position, or below with ε × (1 - position). The simulation, the filter (the fit and the
/// backtests) and the starting belief all read the chain from here.
/// </summary>
public sealed record GradeChain(
    double UpInadequate, double UpRequiresImprovement, double UpGood,
    double DownRequiresImprovement, double DownGood, double DownOutstanding,
    double JumpUp, double JumpDown,
    double SubJudgementSpread,
    double SupportWeight,
    double AgencyWeight, double VacancyWeight, double TurnoverWeight,
    double AuthoritySd,
    double IlacsRecovery = 0)
{
    /// <summary>Sub-levels per band: three (low, middle, high), chosen by the rolling backtests (docs/validation.md#grade-backtests).</summary>
    public const int SubLevels = 3;

    /// <summary>States of the chain: four bands of <see cref="SubLevels"/> sub-levels.</summary>
    public const int States = 4 * SubLevels;

    /// <summary>England's mean agency, vacancy and turnover rates, 2021-2023 (brief section 3): the workforce terms are deviations from them.</summary>
    public const double ReferenceAgencyRate = 0.17, ReferenceVacancyRate = 0.185, ReferenceTurnoverRate = 0.162;

    /// <summary>The band (the grade an inspection gives) of a state.</summary>
    public static Grade Band(int state) => (Grade)(state / SubLevels);

    /// <summary>The position of a state within its band, (sub-level + ½) / K: 1/6, 1/2, 5/6.</summary>
    public static double Position(int state) => (state % SubLevels + 0.5) / SubLevels;

    /// <summary>The middle sub-level of a band.</summary>
    public static int Middle(Grade band) => (int)band * SubLevels + SubLevels / 2;

    /// <summary>The state of a band nearest to <paramref name="state"/>: the state itself when it is in the band.</summary>
    public static int Nearest(int state, Grade band)
    {
        var low = (int)band * SubLevels;
        return Math.Clamp(state, low, low + SubLevels - 1);
    }

    /// <summary>The workforce terms of the drive: β_A (a - ā) + β_V (v - v̄) + β_T (t - t̄).</summary>
    public double Workforce(double agencyRate, double vacancyRate, double turnoverRate) =>
        AgencyWeight * (agencyRate - ReferenceAgencyRate)
        + VacancyWeight * (vacancyRate - ReferenceVacancyRate)
        + TurnoverWeight * (turnoverRate - ReferenceTurnoverRate);

    /// <summary>
    /// The yearly rates out of a state under drive η: one sub-level up and down, and a jump of two
    /// bands (up from inadequate or requires improvement, down from good or outstanding). A band's
    /// rate is the rate of leaving the band, so its sub-level steps go K times as fast; steps within
    /// the top band use the good-to-outstanding rate, within the bottom band the requires-improvement-to-inadequate rate.
    /// In the inadequate band the drive also has γ × <paramref name="support"/> (a direction's
    /// adviser or commissioner, a partner, a trust: they get an authority out of inadequate and do
    /// not carry it further), and under ILACS monitoring (<paramref name="monitored"/>: from January
    /// 2018, while the last published grade is inadequate, so that monitoring visits come until the
    /// re-inspection) the upward rates are times e^<see cref="IlacsRecovery"/>. A fall into the band
    /// that no inspection has found yet recovers at the plain rates.
    /// <paramref name="upFactor"/> scales the upward rates only (the culture of non-compliance).
    /// </summary>
    public Moves Rates(int state, double eta, double support = 0, double upFactor = 1, bool monitored = false)
    {
        var drive = Drive(state, eta, support);
        return RatesFrom(state, ModelMath.Exp(drive), ModelMath.Exp(-drive), upFactor, monitored);
    }

    /// <summary>The drive of a state's rates under η: in the inadequate band, η + γ × <paramref name="support"/>.</summary>
    public double Drive(int state, double eta, double support) => state / SubLevels == 0 ? eta + SupportWeight * support : eta;

    /// <summary>
    /// <see cref="Rates(int, double, double, double, bool)"/> from e^drive and e^-drive of the state's
    /// <see cref="Drive"/> (given, so that a block's replicas can take them together: the same bits).
    /// </summary>
    public Moves RatesFrom(int state, double expDrive, double expMinusDrive, double upFactor, bool monitored)
    {
        var band = state / SubLevels;
        var up = expDrive * upFactor * (band == 0 && monitored ? ModelMath.Exp(IlacsRecovery) : 1);
        var down = expMinusDrive;
        var stepUp = state < States - 1 ? SubLevels * UpRate(band) * up : 0;
        var stepDown = state > 0 ? SubLevels * DownRate(band) * down : 0;
        var jumpUp = band <= 1 ? JumpUp * up : 0;
        var jumpDown = band >= 2 ? JumpDown * down : 0;
        return new Moves(stepUp, stepDown, jumpUp, jumpDown);
    }

    private double UpRate(int band) => band switch { 0 => UpInadequate, 1 => UpRequiresImprovement, _ => UpGood };

    private double DownRate(int band) => band switch { 3 => DownOutstanding, 2 => DownGood, _ => DownRequiresImprovement };

    /// <summary>
    /// One month from a state: with probability 1 - e^(-λ/12), λ the sum of the yearly rates, the
    /// authority moves, to each destination in proportion to its rate. Both the simulation and the
    /// filter use this monthly chain, so the filter is the simulation's exact belief.
    /// </summary>
    public readonly record struct Moves(double StepUp, double StepDown, double JumpUp, double JumpDown)
    {
        public double Total => StepUp + StepDown + JumpUp + JumpDown;

        /// <summary>The probability of moving in one month.</summary>
        public double MonthlyMoveProbability => 1 - ModelMath.Exp(MoveExponent);

        /// <summary>-λ/12: the monthly probability of staying is its exponential.</summary>
        public double MoveExponent => -Total / 12;

        /// <summary>
        /// The state a month later, given a uniform <paramref name="u"/>: the first slice of [0, 1)
        /// (of width the probability of each move, in the order step up, step down, jump up, jump down)
        /// that holds u, else no move.
        /// </summary>
        public int Next(int state, double u) => Next(state, u, Total > 0 ? MonthlyMoveProbability : 0);

        /// <summary><see cref="Next(int, double)"/> given the <see cref="MonthlyMoveProbability"/>.</summary>
        public int Next(int state, double u, double moveProbability)
        {
            var total = Total;
            if (total <= 0) return state;
            var scale = moveProbability / total;
            var edge = StepUp * scale;
            if (u < edge) return state + 1;
            edge += StepDown * scale;
            if (u < edge) return state - 1;
            edge += JumpUp * scale;
            if (u < edge) return state + 2 * SubLevels;
            edge += JumpDown * scale;
            if (u < edge) return state - 2 * SubLevels;
            return state;
        }
    }

    /// <summary>The monthly transition matrix under drive η and support, with or without ILACS monitoring (<see cref="Rates"/>), [from, to].</summary>
    public double[,] MonthlyMatrix(double eta, double support = 0, bool monitored = false)
    {
        var m = new double[States, States];
        for (var s = 0; s < States; s++)
        {
            var moves = Rates(s, eta, support, monitored: monitored);
            var total = moves.Total;
            var scale = total > 0 ? moves.MonthlyMoveProbability / total : 0;
            if (moves.StepUp > 0) m[s, s + 1] = moves.StepUp * scale;
            if (moves.StepDown > 0) m[s, s - 1] = moves.StepDown * scale;
            if (moves.JumpUp > 0) m[s, s + 2 * SubLevels] = moves.JumpUp * scale;
            if (moves.JumpDown > 0) m[s, s - 2 * SubLevels] = moves.JumpDown * scale;
            m[s, s] = 1 - moves.MonthlyMoveProbability;
        }
        return m;
    }

    /// <summary>The long-run share of authorities in each band under a constant drive η, without support or monitoring (the chain's stationary distribution).</summary>
    public double[] StationaryBands(double eta = 0)
    {
        var m = MonthlyMatrix(eta);
        var p = Enumerable.Repeat(1.0 / States, States).ToArray();
        for (var month = 0; month < 12 * 400; month++)
        {
            var next = new double[States];
            for (var from = 0; from < States; from++)
                for (var to = 0; to < States; to++) next[to] += p[from] * m[from, to];
            p = next;
        }
        var bands = new double[4];
        for (var s = 0; s < States; s++) bands[s / SubLevels] += p[s];
        return bands;
    }

    /// <summary>
    /// P(sub-judgement = <paramref name="sub"/> | state): the band, or the band above with
    /// probability ε × position (not from outstanding), below with ε × (1 - position) (not from
    /// inadequate); a judgement two bands away has a floor of 10⁻³ so that no record is impossible.
    /// <paramref name="shift"/> moves the position (the simulation's assumed sub-judgement drivers).
    /// </summary>
    public double SubJudgementProbability(int state, Grade sub, double shift = 0)
    {
        var (above, below) = SubJudgementOdds(state, shift);
        var band = state / SubLevels;
        var k = (int)sub;
        if (k == band) return 1 - above - below;
        if (k == band + 1) return above;
        if (k == band - 1) return below;
        return 1e-3;
    }

    /// <summary>The probabilities that a sub-judgement is the band above and the band below.</summary>
    public (double Above, double Below) SubJudgementOdds(int state, double shift = 0)
    {
        var band = state / SubLevels;
        var position = Math.Clamp(Position(state) + shift, 0, 1);
        return (band < 3 ? SubJudgementSpread * position : 0, band > 0 ? SubJudgementSpread * (1 - position) : 0);
    }

    /// <summary>The chain a parameter set describes.</summary>
    public static GradeChain From(ModelParameters p) => new(
        p[P.UpRateInadequate], p[P.UpRateRequiresImprovement], p[P.UpRateGood],
        p[P.DownRateRequiresImprovement], p[P.DownRateGood], p[P.DownRateOutstanding],
        p[P.JumpUpRate], p[P.JumpDownRate],
        p[P.SubJudgementSpread],
        p[P.QualitySupportWeight],
        p[P.QualityAgencyWeight], p[P.QualityVacancyWeight], p[P.QualityTurnoverWeight],
        p[P.QualityAuthoritySd],
        p[P.IlacsRecoveryEffect]);
}
