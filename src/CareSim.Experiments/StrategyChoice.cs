using CareSim.Model.Plan;

namespace CareSim.Experiments;

/// <summary>The strategies a comparison runs, chosen by name (<c>sim compare --strategies</c>, the API's <c>strategies</c>).</summary>
public static class StrategyChoice
{
    /// <summary>
    /// The strategies named in <paramref name="names"/> (comma-separated, or <c>all</c>) among
    /// <paramref name="defined"/>, without the baseline (always run); null with the
    /// <paramref name="problem"/> when a name is unknown or none is left.
    /// </summary>
    public static List<Strategy>? Choose(string names, IReadOnlyList<Strategy> defined, out string problem)
    {
        problem = "";
        if (names.Trim() == "all") return defined.ToList();
        var chosen = new List<Strategy>();
        foreach (var name in names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (name == Strategy.BaselineName) continue;
            var strategy = defined.FirstOrDefault(s => s.Name == name);
            if (strategy is null)
            {
                problem = $"unknown strategy '{name}'; defined: {(defined.Count == 0 ? "none (add a strategies: section or --strategies-file)" : string.Join(", ", defined.Select(s => s.Name)))}";
                return null;
            }
            if (!chosen.Contains(strategy)) chosen.Add(strategy);
        }
        if (chosen.Count == 0)
        {
            problem = "name at least one strategy besides the baseline";
            return null;
        }
        return chosen;
    }
}
