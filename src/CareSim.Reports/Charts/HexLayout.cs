namespace CareSim.Reports.Charts;

/// <summary>An authority's hex in <see cref="HexLayout"/>: column and row of a grid of pointy-top hexes, odd rows shifted right by half a hex.</summary>
public sealed record HexCell(string Code, string Name, string Region, int Column, int Row);

/// <summary>
/// A hex cartogram of authorities, one hex each: every region's authorities gathered around the
/// region's place on a rough map of England (the nearest free hexes, taken ring by ring), in
/// alphabetical order of name read row by row. Positions within a region are not geographic.
/// Used by the report (sim report) and the dashboard (GET /api/runs/{id}/hexmap), so both draw the same map.
/// </summary>
public static class HexLayout
{
    /// <summary>Where each region's hexes gather (column, row), roughly where the region lies; London inner first, then outer around it.</summary>
    private static readonly (string Region, int Column, int Row)[] Anchors =
    [
        ("Inner London", 14, 15), ("Outer London", 14, 15), ("North East", 11, 1), ("North West", 6, 4), ("Yorkshire and The Humber", 12, 5),
        ("East Midlands", 12, 10), ("West Midlands", 7, 10), ("East of England", 18, 11), ("South East", 14, 20), ("South West", 5, 17),
    ];

    public static IReadOnlyList<HexCell> For(IEnumerable<(string Code, string Name, string Region)> authorities)
    {
        var all = authorities.ToList();
        var regions = all.Select(a => a.Region).Distinct().ToList();
        var order = Anchors.Select(a => a.Region).Where(regions.Contains)
            .Concat(regions.Where(r => Anchors.All(a => a.Region != r)).Order(StringComparer.Ordinal)).ToList();
        var taken = new HashSet<(int, int)>();
        var cells = new List<HexCell>();
        for (var k = 0; k < order.Count; k++)
        {
            var region = order[k];
            var anchor = Anchors.FirstOrDefault(a => a.Region == region);
            // A region off the map (not one of England's): below it, side by side.
            var (column, row) = anchor.Region is null ? (2 + 4 * (k % 5), 23 + 4 * (k / 5)) : (anchor.Column, anchor.Row);
            var centre = ToAxial(column, row);
            var members = all.Where(a => a.Region == region).OrderBy(a => a.Name, StringComparer.Ordinal).ThenBy(a => a.Code, StringComparer.Ordinal).ToList();
            var free = new List<(int Column, int Row)>();
            for (var radius = 0; free.Count < members.Count; radius++)
                for (var dq = -radius; dq <= radius; dq++)
                    for (var dr = Math.Max(-radius, -dq - radius); dr <= Math.Min(radius, -dq + radius); dr++)
                    {
                        var cell = (centre.Q + dq, centre.R + dr);
                        if (Distance(cell, centre) != radius) continue;
                        var offset = ToOffset(cell.Item1, cell.Item2);
                        if (offset.Row < 0 || offset.Column < 0 || taken.Contains(offset)) continue;
                        free.Add(offset);
                    }
            var chosen = free.Take(members.Count).OrderBy(c => c.Row).ThenBy(c => c.Column).ToList();
            for (var i = 0; i < members.Count; i++)
            {
                taken.Add(chosen[i]);
                cells.Add(new HexCell(members[i].Code, members[i].Name, members[i].Region, chosen[i].Column, chosen[i].Row));
            }
        }
        return cells;
    }

    private static (int Q, int R) ToAxial(int column, int row) => (column - (row - (row & 1)) / 2, row);

    private static (int Column, int Row) ToOffset(int q, int r) => (q + (r - (r & 1)) / 2, r);

    private static int Distance((int Q, int R) a, (int Q, int R) b) =>
        (Math.Abs(a.Q - b.Q) + Math.Abs(a.Q + a.R - b.Q - b.R) + Math.Abs(a.R - b.R)) / 2;

    /// <summary>The centre of a hex of size (radius) 1, y growing downwards.</summary>
    public static (double X, double Y) Centre(HexCell cell) =>
        (Math.Sqrt(3) * (cell.Column + ((cell.Row & 1) == 1 ? 0.5 : 0)), 1.5 * cell.Row);
}
