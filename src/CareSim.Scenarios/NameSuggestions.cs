namespace CareSim.Scenarios;

/// <summary>"Did you mean ...?" suggestions by edit distance.</summary>
public static class NameSuggestions
{
    /// <summary>
    /// The candidate closest to <paramref name="name"/>, if it is close enough to be a plausible
    /// typo: an edit distance (Levenshtein with transpositions, ignoring case) of at most a third
    /// of the shorter name's length (at least 1), or a unique match of the part after the last dot
    /// (so "culture_growth" suggests "quality.culture_growth").
    /// </summary>
    public static string? Closest(string name, IEnumerable<string> candidates)
    {
        var list = candidates as IReadOnlyList<string> ?? candidates.ToList();
        var lower = name.ToLowerInvariant();
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in list)
        {
            var distance = Distance(lower, candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        if (best is not null && bestDistance <= Math.Max(1, Math.Min(name.Length, best.Length) / 3))
            return best;

        var bySuffix = list.Where(c => c.Contains('.', StringComparison.Ordinal)
            && string.Equals(c[(c.LastIndexOf('.') + 1)..], name, StringComparison.OrdinalIgnoreCase)).ToList();
        return bySuffix.Count == 1 ? bySuffix[0] : null;
    }

    /// <summary>Optimal-string-alignment distance: insertions, deletions, substitutions and adjacent transpositions.</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }

    /// <summary>"; did you mean 'x'?" or "".</summary>
    public static string DidYouMean(string name, IEnumerable<string> candidates) =>
        Closest(name, candidates) is { } s ? $"; did you mean '{s}'?" : "";
}
