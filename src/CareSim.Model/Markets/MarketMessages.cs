namespace CareSim.Model.Markets;

/// <summary>What one authority block puts into its labour market at the end of a month.</summary>
public sealed class MarketSubmission
{
    /// <summary>The arrays in a fixed order, for serialisers (the grain layer's surrogates).</summary>
    public double[][] ToColumns() => [LeaversToOtherAuthority, LeaversToAgency, AgencyRequest, Vacancies, Attractiveness, Establishment];

    /// <summary>Rebuilds from <see cref="ToColumns"/> without copying.</summary>
    public static MarketSubmission FromColumns(double[][] columns) => new(columns);

    private MarketSubmission(double[][] columns)
    {
        if (columns.Length != 6) throw new ArgumentException($"expected 6 columns, got {columns.Length}", nameof(columns));
        LeaversToOtherAuthority = columns[0];
        LeaversToAgency = columns[1];
        AgencyRequest = columns[2];
        Vacancies = columns[3];
        Attractiveness = columns[4];
        Establishment = columns[5];
    }

    public MarketSubmission(int count)
    {
        LeaversToOtherAuthority = BlockMemory.Array<double>(count);
        LeaversToAgency = BlockMemory.Array<double>(count);
        AgencyRequest = BlockMemory.Array<double>(count);
        Vacancies = BlockMemory.Array<double>(count);
        Attractiveness = BlockMemory.Array<double>(count);
        Establishment = BlockMemory.Array<double>(count);
    }

    public double[] LeaversToOtherAuthority { get; }
    public double[] LeaversToAgency { get; }
    public double[] AgencyRequest { get; }
    public double[] Vacancies { get; }
    public double[] Attractiveness { get; }
    public double[] Establishment { get; }
}

/// <summary>What the labour market gives one authority block for the next month.</summary>
public sealed class MarketAllocation
{
    /// <summary>The arrays in a fixed order, for serialisers (the grain layer's surrogates).</summary>
    public double[][] ToColumns() => [Arrivals, AgencyAvailability, Departures];

    /// <summary>Rebuilds from <see cref="ToColumns"/> without copying.</summary>
    public static MarketAllocation FromColumns(double[][] columns) => new(columns);

    private MarketAllocation(double[][] columns)
    {
        if (columns.Length != 3) throw new ArgumentException($"expected 3 columns, got {columns.Length}", nameof(columns));
        Arrivals = columns[0];
        AgencyAvailability = columns[1];
        Departures = columns[2];
    }

    public MarketAllocation(int count)
    {
        Arrivals = BlockMemory.Array<double>(count);
        AgencyAvailability = BlockMemory.Array<double>(count);
        Departures = BlockMemory.Array<double>(count);
        Array.Fill(AgencyAvailability, 1.0);
    }

    /// <summary>Experienced social workers moving in from the market's other authorities.</summary>
    public double[] Arrivals { get; }
    /// <summary>Share of the authority's agency request that can be placed (0-1).</summary>
    public double[] AgencyAvailability { get; }
    /// <summary>This authority's leavers that the market placed with its other authorities (they arrive there next month).</summary>
    public double[] Departures { get; }
}

/// <summary>The market's own accounts for one month, per replica (for balance checks and reports).</summary>
public sealed class MarketAccounts
{
    public MarketAccounts(int count)
    {
        MovesIntoMarket = BlockMemory.Array<double>(count);
        MovesPlaced = BlockMemory.Array<double>(count);
        MovesLeavingMarket = BlockMemory.Array<double>(count);
    }

    /// <summary>Leavers heading for another authority of this market.</summary>
    public double[] MovesIntoMarket { get; }
    /// <summary>Of those, the ones placed with an authority of the market (arriving next month).</summary>
    public double[] MovesPlaced { get; }
    /// <summary>Of those, the ones that found no vacancy in the market and left it.</summary>
    public double[] MovesLeavingMarket { get; }
}
