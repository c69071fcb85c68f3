using CareSim.Model.Numerics;
namespace CareSim.Model.Randomness;

/// <summary>
/// A stationary AR(1) process in logs, stepped monthly, used for the slowly varying factors the
/// data show (referral levels, establishment, agency use, case-holding share, re-referrals, the
/// leaver and recruitment hazards): x_t = φ x_{t-1} + σ √(1 - φ²) z, with φ = (annual
/// persistence)^(1/12) and stationary sd σ.
/// </summary>
/// <remarks>
/// A level starts at its observed value with x = 0 and moves by <see cref="Median"/>, exp(x):
/// the observed figure is the median of its forecast, not its mean (the data: a figure a year or
/// two on is as likely above the last value as below it, while the mean of the changes is pulled
/// up by a long right tail; docs/model.md#noise). A mean-one factor, exp(x - var/2), made the
/// median of every level drift down by var/2 (3-4% for referrals in two years).
/// </remarks>
public readonly struct LogAr1
{
    public LogAr1(double stationarySd, double annualPersistence)
    {
        Sd = stationarySd;
        Phi = ModelMath.Pow(annualPersistence, 1.0 / 12);
        Innovation = stationarySd * Math.Sqrt(1 - Phi * Phi);
    }

    public double Sd { get; }
    public double Phi { get; }
    public double Innovation { get; }

    /// <summary>The mean of <see cref="Median"/> over the stationary distribution: exp(σ²/2).</summary>
    public double StationaryMeanFactor => ModelMath.Exp(0.5 * Sd * Sd);

    /// <summary>The next state from the current one and a standard normal draw.</summary>
    public double Step(double state, double normal) => Phi * state + Innovation * normal;

    /// <summary>exp(state): a multiplier whose median is one.</summary>
    public static double Median(double state) => ModelMath.Exp(state);
}
