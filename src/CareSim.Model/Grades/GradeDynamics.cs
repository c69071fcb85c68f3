using CareSim.Model.Parameters;

namespace CareSim.Model.Grades;

/// <summary>
/// The parameters of the latent-quality grade model (docs/model.md#grades), as the filter, the fit
/// and the simulation all read them. Quality is on the model's 0-1 scale; the Ofsted cut points are
/// fixed (they set the scale), everything else is estimated from the inspection record.
/// </summary>
/// <param name="NationalLevel">μ: the mean of the authorities' levels in <see cref="ReferenceYear"/>.</param>
/// <param name="DriftPerYear">δ: the national drift of every level, per calendar year.</param>
/// <param name="DriftUntil">The calendar year (fractional) after which the drift stops: the fit's data do not reach further.</param>
/// <param name="AuthoritySd">ω: the standard deviation of an authority's persistent level around μ.</param>
/// <param name="ReversionMonths">τ: quality reverts to its target with this time constant.</param>
/// <param name="WithinSd">σ_w: the stationary standard deviation of quality around its target.</param>
/// <param name="JudgementNoise">s: logistic scale of an inspection's error, shared by its judgements.</param>
/// <param name="SubJudgementNoise">s_j: logistic scale of each sub-judgement's own error around the inspection's result.</param>
/// <param name="SupportWeight">γ: quality per unit of external support (adviser, commissioner, trust).</param>
/// <param name="AgencyWeight">β_A: quality per unit of agency rate above the reference.</param>
/// <param name="VacancyWeight">β_V: quality per unit of vacancy rate above the reference.</param>
/// <param name="TurnoverWeight">β_T: quality per unit of turnover rate above the reference.</param>
/// <param name="AdviserSupport">Support of an adviser (a direction without a commissioner).</param>
/// <param name="CommissionerSupport">Support of a commissioner.</param>
/// <param name="TrustSupport">Support of a children's services trust.</param>
/// <param name="ShockRate">λ: monthly rate of a shock to quality (a sudden deterioration or recovery).</param>
/// <param name="ShockSd">σ_J: standard deviation of a shock.</param>
/// <param name="SifOffset">φ: how much higher an inspection under the SIF (before 2018) graded the same quality than ILACS does.</param>
public sealed record GradeDynamics(
    double NationalLevel,
    double DriftPerYear,
    double DriftUntil,
    double AuthoritySd,
    double ReversionMonths,
    double WithinSd,
    double JudgementNoise,
    double SubJudgementNoise,
    double SupportWeight,
    double AgencyWeight,
    double VacancyWeight,
    double TurnoverWeight,
    double AdviserSupport,
    double CommissionerSupport,
    double TrustSupport,
    double SifOffset = 0,
    double ShockRate = 0,
    double ShockSd = 0)
{
    /// <summary>The calendar year the national level refers to (the drift is zero there).</summary>
    public const double ReferenceYear = 2018;

    /// <summary>England's mean agency, vacancy and turnover rates, 2021-2023 (brief section 3): the workforce terms are deviations from them.</summary>
    public const double ReferenceAgencyRate = 0.17, ReferenceVacancyRate = 0.185, ReferenceTurnoverRate = 0.162;

    /// <summary>The Ofsted cut points on the quality scale: inadequate / RI, RI / good, good / outstanding.</summary>
    public double[] Cuts { get; init; } = [0.35, 0.55, 0.8];

    /// <summary>Monthly persistence of quality's deviation from its target: ρ = e^(-1/τ).</summary>
    public double MonthlyPersistence => Math.Exp(-1 / ReversionMonths);

    /// <summary>The monthly innovation: σ_w √(1 - ρ²), so that the stationary spread is σ_w.</summary>
    public double MonthlyNoiseSd => WithinSd * Math.Sqrt(1 - MonthlyPersistence * MonthlyPersistence);

    /// <summary>The national drift reached at a (fractional) calendar year: δ (min(year, until) - 2018).</summary>
    public double Drift(double year) => DriftPerYear * (Math.Min(year, DriftUntil) - ReferenceYear);

    /// <summary>The workforce terms of the target: β_A (a - ā) + β_V (v - v̄) + β_T (t - t̄).</summary>
    public double Workforce(double agencyRate, double vacancyRate, double turnoverRate) =>
        AgencyWeight * (agencyRate - ReferenceAgencyRate)
        + VacancyWeight * (vacancyRate - ReferenceVacancyRate)
        + TurnoverWeight * (turnoverRate - ReferenceTurnoverRate);

    /// <summary>The dynamics a parameter set describes.</summary>
    public static GradeDynamics From(ModelParameters p) => new(
        p[P.QualityNationalMean], p[P.QualityNationalDrift], p[P.QualityDriftUntil], p[P.QualityAuthoritySd],
        p[P.QualityReversionMonths], p[P.QualityWithinSd], p[P.JudgementNoise], p[P.SubJudgementNoise],
        p[P.QualitySupportWeight], p[P.QualityAgencyWeight], p[P.QualityVacancyWeight], p[P.QualityTurnoverWeight],
        p[P.AdviserSupport], p[P.CommissionerSupport], p[P.TrustSupport], p[P.SifOffset], p[P.QualityShockRate], p[P.QualityShockSd])
    {
        Cuts = [p[P.CutInadequate], p[P.CutGood], p[P.CutOutstanding]],
    };

    /// <summary>P(grade = k | latent result r) for a judgement with logistic noise of scale <paramref name="scale"/> around r.</summary>
    public static void GradeProbabilities(double r, double scale, double[] cuts, Span<double> into)
    {
        var below = 0.0;
        for (var k = 0; k < 3; k++)
        {
            var cdf = 1.0 / (1.0 + Math.Exp(-(cuts[k] - r) / scale));
            into[k] = cdf - below;
            below = cdf;
        }
        into[3] = 1 - below;
    }
}
