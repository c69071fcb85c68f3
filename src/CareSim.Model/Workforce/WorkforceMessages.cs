using CareSim.Model.Plan;

namespace CareSim.Model.Workforce;

/// <summary>
/// What the authority tells its workforce each month: the workload and the conditions that drive
/// leaving and recruitment. One array element per replica of the block.
/// </summary>
public sealed class WorkforceDrivers
{
    /// <summary>The arrays in a fixed order, for serialisers (the grain layer's surrogates).</summary>
    public double[][] ToColumns() => [Cases, LeadershipStability, MoraleDrop, Inadequate, GoodOrBetter, Disruption, MarketArrivals, AgencyAvailability];

    /// <summary>Rebuilds from <see cref="ToColumns"/> without copying.</summary>
    public static WorkforceDrivers FromColumns(double[][] columns) => new(columns);

    private WorkforceDrivers(double[][] columns)
    {
        if (columns.Length != 8) throw new ArgumentException($"expected 8 columns, got {columns.Length}", nameof(columns));
        Cases = columns[0];
        LeadershipStability = columns[1];
        MoraleDrop = columns[2];
        Inadequate = columns[3];
        GoodOrBetter = columns[4];
        Disruption = columns[5];
        MarketArrivals = columns[6];
        AgencyAvailability = columns[7];
    }

    public WorkforceDrivers(int count)
    {
        Cases = BlockMemory.Array<double>(count);
        LeadershipStability = BlockMemory.Array<double>(count);
        MoraleDrop = BlockMemory.Array<double>(count);
        Inadequate = BlockMemory.Array<double>(count);
        GoodOrBetter = BlockMemory.Array<double>(count);
        Disruption = BlockMemory.Array<double>(count);
        MarketArrivals = BlockMemory.Array<double>(count);
        AgencyAvailability = BlockMemory.Array<double>(count);
        Array.Fill(AgencyAvailability, 1.0);
    }

    /// <summary>Simulated month (0 = start).</summary>
    public int Month { get; set; }
    /// <summary>Calendar month 1-12 (the academy intake arrives in one of them).</summary>
    public int CalendarMonth { get; set; }
    /// <summary>Funded posts added this month (investment events); the same in every replica.</summary>
    public double PostsAdded { get; set; }
    /// <summary>Extra newly qualified intake a year from investment (academy); cumulative.</summary>
    public double ExtraAcademyIntakePerYear { get; set; }
    /// <summary>Whether the authority's labour market has other authorities (so some leavers come back as others' movers).</summary>
    public bool SharedMarket { get; set; }
    /// <summary>Census figures the workforce is set to agree with at the end of this month (history only), or null.</summary>
    public WorkforceObservation? Observation { get; set; }

    /// <summary>Open cases held by social workers.</summary>
    public double[] Cases { get; }
    /// <summary>Leadership stability, 0-1.</summary>
    public double[] LeadershipStability { get; }
    /// <summary>Morale lost since the start (positive = lower morale).</summary>
    public double[] MoraleDrop { get; }
    /// <summary>1 while the latest published grade is inadequate.</summary>
    public double[] Inadequate { get; }
    /// <summary>1 while the latest published grade is good or outstanding.</summary>
    public double[] GoodOrBetter { get; }
    /// <summary>1 during the disruption months after a transfer to a trust.</summary>
    public double[] Disruption { get; }
    /// <summary>Experienced social workers arriving from other authorities of the labour market (cleared last month).</summary>
    public double[] MarketArrivals { get; }
    /// <summary>Share of the wanted agency increase that the labour market can place (cleared last month).</summary>
    public double[] AgencyAvailability { get; }
}

/// <summary>The workforce's state and flows after a month, one element per replica.</summary>
public sealed class WorkforceReport
{
    /// <summary>The arrays in a fixed order, for serialisers (the grain layer's surrogates).</summary>
    public double[][] ToColumns() => [PermanentFte, NoviceFte, AgencyFte, Establishment, Vacancies, CaseHolders, Caseload, Pressure, Absence, TurnoverRate, Leavers, LeaversToOtherAuthority, LeaversToAgency, Starters, AgencyRequest, Attractiveness, Cost];

    /// <summary>Rebuilds from <see cref="ToColumns"/> without copying.</summary>
    public static WorkforceReport FromColumns(double[][] columns) => new(columns);

    private WorkforceReport(double[][] columns)
    {
        if (columns.Length != 17) throw new ArgumentException($"expected 17 columns, got {columns.Length}", nameof(columns));
        PermanentFte = columns[0];
        NoviceFte = columns[1];
        AgencyFte = columns[2];
        Establishment = columns[3];
        Vacancies = columns[4];
        CaseHolders = columns[5];
        Caseload = columns[6];
        Pressure = columns[7];
        Absence = columns[8];
        TurnoverRate = columns[9];
        Leavers = columns[10];
        LeaversToOtherAuthority = columns[11];
        LeaversToAgency = columns[12];
        Starters = columns[13];
        AgencyRequest = columns[14];
        Attractiveness = columns[15];
        Cost = columns[16];
    }

    public WorkforceReport(int count)
    {
        PermanentFte = BlockMemory.Array<double>(count);
        NoviceFte = BlockMemory.Array<double>(count);
        AgencyFte = BlockMemory.Array<double>(count);
        Establishment = BlockMemory.Array<double>(count);
        Vacancies = BlockMemory.Array<double>(count);
        CaseHolders = BlockMemory.Array<double>(count);
        Caseload = BlockMemory.Array<double>(count);
        Pressure = BlockMemory.Array<double>(count);
        Absence = BlockMemory.Array<double>(count);
        TurnoverRate = BlockMemory.Array<double>(count);
        Leavers = BlockMemory.Array<double>(count);
        LeaversToOtherAuthority = BlockMemory.Array<double>(count);
        LeaversToAgency = BlockMemory.Array<double>(count);
        Starters = BlockMemory.Array<double>(count);
        AgencyRequest = BlockMemory.Array<double>(count);
        Attractiveness = BlockMemory.Array<double>(count);
        Cost = BlockMemory.Array<double>(count);
    }

    public double[] PermanentFte { get; }
    public double[] NoviceFte { get; }
    public double[] AgencyFte { get; }
    public double[] Establishment { get; }
    public double[] Vacancies { get; }
    /// <summary>Case-holding FTE (official definition, unweighted).</summary>
    public double[] CaseHolders { get; }
    /// <summary>Cases per case-holding FTE (official definition).</summary>
    public double[] Caseload { get; }
    /// <summary>Effective caseload (after absence and novice protection) over the reference caseload.</summary>
    public double[] Pressure { get; }
    public double[] Absence { get; }
    /// <summary>Leavers in the last 12 months / permanent FTE (official definition).</summary>
    public double[] TurnoverRate { get; }
    /// <summary>Permanent leavers this month.</summary>
    public double[] Leavers { get; }
    public double[] LeaversToOtherAuthority { get; }
    public double[] LeaversToAgency { get; }
    /// <summary>Permanent starters this month (recruits, market arrivals and newly qualified intake).</summary>
    public double[] Starters { get; }
    /// <summary>Agency FTE the authority wants to add this month (before availability).</summary>
    public double[] AgencyRequest { get; }
    /// <summary>Relative attractiveness to recruits (1 = as at the start).</summary>
    public double[] Attractiveness { get; }
    /// <summary>Workforce cost this month, GBP m.</summary>
    public double[] Cost { get; }
}
