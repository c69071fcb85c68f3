namespace CareSim.Model.Randomness;

/// <summary>
/// Independent random streams, one per mechanism, so that adding a draw to one mechanism never
/// shifts the numbers another mechanism sees (and common random numbers stay common).
/// </summary>
public enum RandomStream : ulong
{
    Setup = 1,
    Demand = 2,
    Workforce = 3,
    Leadership = 4,
    Quality = 5,
    Inspection = 6,
    Monitoring = 7,
    Intervention = 8,
    LabourMarket = 9,
}
