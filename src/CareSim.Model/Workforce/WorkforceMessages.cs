namespace CareSim.Model.Workforce;

/// <summary>
/// What the authority tells its workforce each month: the workload and the conditions that drive
/// leaving and recruitment. One array element per replica of the block.
/// </summary>
public sealed class WorkforceDrivers
{
    public WorkforceDrivers(int count)
    {
        Cases = new double[count];
        LeadershipStability = new double[count];
        MoraleDrop = new double[count];
        Inadequate = new double[count];
        GoodOrBetter = new double[count];
        Disruption = new double[count];
        MarketArrivals = new double[count];
        AgencyAvailability = new double[count];
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
    public WorkforceReport(int count)
    {
        PermanentFte = new double[count];
        NoviceFte = new double[count];
        AgencyFte = new double[count];
        Establishment = new double[count];
        Vacancies = new double[count];
        CaseHolders = new double[count];
        Caseload = new double[count];
        Pressure = new double[count];
        Absence = new double[count];
        TurnoverRate = new double[count];
        Leavers = new double[count];
        LeaversToOtherAuthority = new double[count];
        LeaversToAgency = new double[count];
        Starters = new double[count];
        AgencyRequest = new double[count];
        Attractiveness = new double[count];
        Cost = new double[count];
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
