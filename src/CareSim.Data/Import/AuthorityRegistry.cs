using System.Text.RegularExpressions;

namespace CareSim.Data.Import;

/// <summary>
/// Decides which codes name the same authority. ONS codes change when a county becomes a unitary
/// with the same boundary (North Yorkshire E10000023 -> E06000065) while the DfE LA number stays
/// (815), and files of the same year may use either code. Codes linked through an LA number (or
/// a number linked through a code) are one authority; its code is the one used in the latest data
/// year (on a tie, the non-county E06/E08/E09 code, since counties become unitaries and not the
/// reverse). The other codes are kept as aliases.
/// </summary>
internal sealed partial class AuthorityRegistry
{
    private readonly Dictionary<string, string> _parent = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CodeInfo> _codes = new(StringComparer.Ordinal);
    private Dictionary<string, Entry>? _byCode;
    private Dictionary<string, Entry>? _byNumber;

    [GeneratedRegex(@"^[A-Z]\d{8}$")]
    public static partial Regex CodePattern();

    private sealed class CodeInfo
    {
        public int? LastYearWithData;
        public int LastYearSeen = int.MinValue;
        public int NumberYear = int.MinValue;
        public string Number = "";
        public readonly List<(int Year, string Name, string Region, bool FromDfe)> Names = [];

        /// <summary>The name and region of the latest DfE observation (else any), the most frequent on a tie.</summary>
        public (string Name, string Region) Label()
        {
            var pool = Names.Any(n => n.FromDfe) ? Names.Where(n => n.FromDfe).ToList() : Names;
            if (pool.Count == 0)
                return ("", "");
            var latest = pool.Max(n => n.Year);
            var name = pool.Where(n => n.Year == latest && n.Name.Length > 0)
                .GroupBy(n => n.Name, StringComparer.Ordinal)
                .OrderByDescending(g => g.Count())
                .ThenBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => g.Key)
                .FirstOrDefault() ?? pool.Select(n => n.Name).FirstOrDefault(n => n.Length > 0) ?? "";
            var region = pool.Where(n => n.Region.Length > 0)
                .OrderByDescending(n => n.Year)
                .Select(n => n.Region)
                .FirstOrDefault() ?? "";
            return (name, region);
        }
    }

    public sealed class Entry
    {
        public required string Code { get; init; }
        public required string LaNumber { get; init; }
        public required string Name { get; init; }
        public required string Region { get; init; }
        public required IReadOnlyList<string> OtherCodes { get; init; }
    }

    /// <summary>Records that a code (and LA number, possibly empty) was seen with a name in a year.</summary>
    public void Observe(string code, string number, string name, string region, int? year, bool hasData, bool fromDfe)
    {
        if (!CodePattern().IsMatch(code))
            return;
        Union("C:" + code, "C:" + code);
        if (number.Length > 0 && number.All(char.IsAsciiDigit))
            Union("C:" + code, "N:" + number);
        if (!_codes.TryGetValue(code, out var info))
            _codes[code] = info = new CodeInfo();
        var y = year ?? int.MinValue;
        info.Names.Add((y, name, region, fromDfe));
        if (number.Length > 0 && y >= info.NumberYear)
        {
            info.NumberYear = y;
            info.Number = number;
        }
        if (fromDfe)
            info.LastYearSeen = Math.Max(info.LastYearSeen, y);
        if (hasData && fromDfe && year is not null)
            info.LastYearWithData = Math.Max(info.LastYearWithData ?? int.MinValue, year.Value);
        _byCode = null;
    }

    public string? CanonicalCode(string code) => Entries().byCode.TryGetValue(code, out var e) ? e.Code : null;

    public string? CanonicalCodeForNumber(string number) => Entries().byNumber.TryGetValue(number, out var e) ? e.Code : null;

    public Entry? Get(string code) => Entries().byCode.GetValueOrDefault(code);

    public IEnumerable<Entry> All => Entries().byCode.Values.Distinct().OrderBy(e => e.Code, StringComparer.Ordinal);

    /// <summary>Components with more than one code (for the report).</summary>
    public IEnumerable<Entry> Merged => All.Where(e => e.OtherCodes.Count > 0);

    private (Dictionary<string, Entry> byCode, Dictionary<string, Entry> byNumber) Entries()
    {
        if (_byCode is not null && _byNumber is not null)
            return (_byCode, _byNumber);
        var byCode = new Dictionary<string, Entry>(StringComparer.Ordinal);
        var byNumber = new Dictionary<string, Entry>(StringComparer.Ordinal);
        var groups = _parent.Keys.GroupBy(Find).ToList();
        foreach (var group in groups)
        {
            var codes = group.Where(k => k.StartsWith("C:", StringComparison.Ordinal)).Select(k => k[2..]).ToList();
            var numbers = group.Where(k => k.StartsWith("N:", StringComparison.Ordinal)).Select(k => k[2..]).ToList();
            if (codes.Count == 0)
                continue;
            var canonical = codes
                .OrderByDescending(c => _codes[c].LastYearWithData ?? int.MinValue)
                .ThenByDescending(c => _codes[c].LastYearSeen)
                .ThenBy(c => c.StartsWith("E10", StringComparison.Ordinal) ? 1 : 0)
                .ThenByDescending(c => c, StringComparer.Ordinal)
                .First();
            var info = _codes[canonical];
            var (name, region) = info.Label();
            if (region.Length == 0)
                region = codes.Select(c => _codes[c].Label().Region).FirstOrDefault(r => r.Length > 0) ?? "";
            var number = info.Number.Length > 0 ? info.Number : numbers.OrderBy(n => n, StringComparer.Ordinal).FirstOrDefault() ?? "";
            var entry = new Entry
            {
                Code = canonical,
                LaNumber = number,
                Name = name,
                Region = region,
                OtherCodes = codes.Where(c => c != canonical).OrderBy(c => c, StringComparer.Ordinal).ToList(),
            };
            foreach (var c in codes)
                byCode[c] = entry;
            foreach (var n in numbers)
                byNumber[n] = entry;
        }
        _byCode = byCode;
        _byNumber = byNumber;
        return (byCode, byNumber);
    }

    private string Find(string x)
    {
        while (_parent[x] != x)
        {
            _parent[x] = _parent[_parent[x]];
            x = _parent[x];
        }
        return x;
    }

    private void Union(string a, string b)
    {
        _parent.TryAdd(a, a);
        _parent.TryAdd(b, b);
        var ra = Find(a);
        var rb = Find(b);
        if (ra == rb)
            return;
        // Deterministic: the ordinal-smaller root wins.
        if (string.CompareOrdinal(ra, rb) < 0)
            _parent[rb] = ra;
        else
            _parent[ra] = rb;
    }
}
