namespace CareSim.Model.Randomness;

/// <summary>
/// A stationary AR(1) process in logs, stepped monthly, used for the slowly varying factors the
/// data show (referral levels, establishment, agency use, case-holding share, re-referrals):
/// x_t = φ x_{t-1} + σ √(1 - φ²) z, with φ = (annual persistence)^(1/12) and stationary sd σ.
/// <see cref="Factor"/> gives exp(x - var/2), a multiplier with mean one.
/// </summary>
public readonly struct LogAr1
{
    public LogAr1(double stationarySd, double annualPersistence)
    {
        Sd = stationarySd;
        Phi = Math.Pow(annualPersistence, 1.0 / 12);
        Innovation = stationarySd * Math.Sqrt(1 - Phi * Phi);
    }

    public double Sd { get; }
    public double Phi { get; }
    public double Innovation { get; }

    /// <summary>The next state from the current one and a standard normal draw.</summary>
    public double Step(double state, double normal) => Phi * state + Innovation * normal;

    /// <summary>The variance at month <paramref name="month"/> of a process that was exactly 0 before month 0 (known at the start).</summary>
    public double VarianceFromKnownStart(int month) => Sd * Sd * (1 - Math.Pow(Phi, 2 * (month + 1)));

    /// <summary>exp(state - variance / 2): mean one when the state has that variance.</summary>
    public static double Factor(double state, double variance) => Math.Exp(state - 0.5 * variance);
}
