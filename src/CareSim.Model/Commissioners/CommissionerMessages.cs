namespace CareSim.Model.Commissioners;

/// <summary>What one authority block reports to its commissioner at the end of a month.</summary>
public sealed class CommissionerReport
{
    /// <summary>The arrays in a fixed order, for serialisers (the grain layer's surrogates).</summary>
    public double[][] ToColumns() => [Active, ReviewDue, Capacity];

    /// <summary>Rebuilds from <see cref="ToColumns"/> without copying.</summary>
    public static CommissionerReport FromColumns(double[][] columns) => new(columns);

    private CommissionerReport(double[][] columns)
    {
        if (columns.Length != 3) throw new ArgumentException($"expected 3 columns, got {columns.Length}", nameof(columns));
        Active = columns[0];
        ReviewDue = columns[1];
        Capacity = columns[2];
    }

    public CommissionerReport(int count)
    {
        Active = BlockMemory.Array<double>(count);
        ReviewDue = BlockMemory.Array<double>(count);
        Capacity = BlockMemory.Array<double>(count);
    }

    /// <summary>1 while a commissioner is in post for this authority.</summary>
    public double[] Active { get; }
    /// <summary>1 in the month the commissioner's review of this authority concludes.</summary>
    public double[] ReviewDue { get; }
    /// <summary>The authority's true capacity to improve, 0-1 (the commissioner sees it with error).</summary>
    public double[] Capacity { get; }
}

/// <summary>What a commissioner decides for one authority block, applied in the next month.</summary>
public sealed class CommissionerDirective
{
    /// <summary>Rebuilds from its arrays without copying (for serialisers).</summary>
    public CommissionerDirective(double[] support, double[] cost, int[] recommendation)
    {
        Support = support;
        Cost = cost;
        Recommendation = recommendation;
    }

    public CommissionerDirective(int count)
    {
        Support = BlockMemory.Array<double>(count);
        Cost = BlockMemory.Array<double>(count);
        Recommendation = BlockMemory.Array<int>(count);
    }

    /// <summary>Commissioner support this authority receives (0 when not overseen).</summary>
    public double[] Support { get; }
    /// <summary>This authority's share of the commissioner's monthly cost, GBP m.</summary>
    public double[] Cost { get; }
    /// <summary>A review's recommendation (<see cref="Plan.Recommendation"/>), or 0.</summary>
    public int[] Recommendation { get; }
}
