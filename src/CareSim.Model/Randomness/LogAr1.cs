using System.Numerics;
using System.Runtime.CompilerServices;
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

    /// <summary>
    /// <see cref="Step(double, double)"/> of many states at once, in place: states[i] = φ states[i] + innovation
    /// normals[i], and exponents[i] = states[i] + <paramref name="offset"/> (the argument of the exponential the
    /// state drives). Vector lanes, then scalars for the tail: the same IEEE operations in the same order, the same bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void StepAll(Span<double> states, ReadOnlySpan<double> normals, double phi, double innovation, double offset, Span<double> exponents)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var (vPhi, vInnovation, vOffset) = (new Vector<double>(phi), new Vector<double>(innovation), new Vector<double>(offset));
            for (; i + Vector<double>.Count <= states.Length; i += Vector<double>.Count)
            {
                var state = vPhi * new Vector<double>(states[i..]) + vInnovation * new Vector<double>(normals[i..]);
                state.CopyTo(states[i..]);
                (state + vOffset).CopyTo(exponents[i..]);
            }
        }
        for (; i < states.Length; i++)
        {
            states[i] = phi * states[i] + innovation * normals[i];
            exponents[i] = states[i] + offset;
        }
    }

    /// <summary>exp(state): a multiplier whose median is one.</summary>
    public static double Median(double state) => ModelMath.Exp(state);
}
