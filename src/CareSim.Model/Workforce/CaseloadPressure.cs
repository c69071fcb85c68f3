using CareSim.Model.Parameters;

namespace CareSim.Model.Workforce;

/// <summary>Caseload pressure as the mechanisms feel it. docs/model.md#caseload-and-pressure</summary>
public static class CaseloadPressure
{
    /// <summary>(pressure - 1)+, saturating at workforce.pressure_excess_cap.</summary>
    public static double Excess(ModelParameters p, double pressure) =>
        Math.Min(p[P.PressureExcessCap], Math.Max(0, pressure - 1));

    /// <summary>Pressure with its excess saturated: 1 + <see cref="Excess"/> when above 1.</summary>
    public static double Effective(ModelParameters p, double pressure) =>
        pressure <= 1 ? pressure : 1 + Excess(p, pressure);
}
