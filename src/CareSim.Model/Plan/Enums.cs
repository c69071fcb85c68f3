namespace CareSim.Model.Plan;

/// <summary>Ofsted grades, worst to best; the numeric order is the quality order.</summary>
public enum Grade
{
    Inadequate = 0,
    RequiresImprovement = 1,
    Good = 2,
    Outstanding = 3,
}

/// <summary>The three leaders whose stability the model tracks.</summary>
public enum LeaderRole
{
    Dcs = 0,
    ChiefExecutive = 1,
    LeadMember = 2,
}

/// <summary>A commissioner review's recommendation.</summary>
public enum Recommendation
{
    None = 0,
    KeepWithOversight = 1,
    Partner = 2,
    RemoveToTrust = 3,
}

public static class GradeNames
{
    /// <summary>Snake-case names used in scenario files and metric names.</summary>
    public static string ToKey(this Grade grade) => grade switch
    {
        Grade.Inadequate => "inadequate",
        Grade.RequiresImprovement => "requires_improvement",
        Grade.Good => "good",
        Grade.Outstanding => "outstanding",
        _ => throw new ArgumentOutOfRangeException(nameof(grade)),
    };

    public static bool TryParse(string? text, out Grade grade)
    {
        grade = default;
        switch (text?.Trim().ToLowerInvariant().Replace(' ', '_'))
        {
            case "inadequate": grade = Grade.Inadequate; return true;
            case "requires_improvement": grade = Grade.RequiresImprovement; return true;
            case "good": grade = Grade.Good; return true;
            case "outstanding": grade = Grade.Outstanding; return true;
            default: return false;
        }
    }

    public static IReadOnlyList<Grade> All { get; } = [Grade.Inadequate, Grade.RequiresImprovement, Grade.Good, Grade.Outstanding];
}
