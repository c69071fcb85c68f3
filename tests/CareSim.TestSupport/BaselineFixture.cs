using System.Globalization;
using CareSim.Data.Baseline;

namespace CareSim.TestSupport;

/// <summary>Writes a baseline folder (the importer's output format) directly, for reader and scenario tests.</summary>
public sealed class BaselineFixture
{
    private readonly List<string> _authorities = [];
    private readonly List<string> _years = [];
    private readonly List<string> _england = [];
    private readonly List<string> _inspections = [];

    public BaselineFixture Authority(string code, string number, string name, string region, string neighbours = "", string otherCodes = "", string firstYear = "", string lastYear = "")
    {
        _authorities.Add(string.Join(',', code, number, Quote(name), Quote(region), neighbours, otherCodes, firstYear, lastYear));
        return this;
    }

    public BaselineFixture Year(string code, int year, Dictionary<string, double> values, string workforceUnit = "")
    {
        _years.Add(YearLine(code, year, values, workforceUnit));
        return this;
    }

    public BaselineFixture England(int year, Dictionary<string, double> values)
    {
        _england.Add(YearLine(BaselineColumns.EnglandCode, year, values, ""));
        return this;
    }

    public BaselineFixture Inspection(string code, string start, string published, string framework, string overall, string leaders = "", string helpAndProtection = "", string childrenInCare = "", bool estimated = false)
    {
        _inspections.Add(string.Join(',', code, "x", "x", start, published, framework, overall, leaders, helpAndProtection, childrenInCare, estimated ? "1" : "0"));
        return this;
    }

    public string Write(TempDirectory dir, string folder = "baseline")
    {
        var path = dir.Combine(folder);
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, BaselineColumns.AuthoritiesFile), string.Join('\n', [string.Join(',', BaselineColumns.AuthoritiesHeader), .. _authorities]) + "\n");
        File.WriteAllText(Path.Combine(path, BaselineColumns.AuthorityYearsFile), string.Join('\n', [string.Join(',', BaselineColumns.YearFileHeader), .. _years]) + "\n");
        File.WriteAllText(Path.Combine(path, BaselineColumns.EnglandYearsFile), string.Join('\n', [string.Join(',', BaselineColumns.YearFileHeader), .. _england]) + "\n");
        File.WriteAllText(Path.Combine(path, BaselineColumns.InspectionsFile), string.Join('\n', [string.Join(',', BaselineColumns.InspectionsHeader), .. _inspections]) + "\n");
        return path;
    }

    private static string YearLine(string code, int year, Dictionary<string, double> values, string workforceUnit)
    {
        foreach (var key in values.Keys)
            Measures.Get(key); // throws on a typo
        var cells = new List<string> { code, "", "", "", year.ToString(CultureInfo.InvariantCulture) };
        cells.AddRange(Measures.All.Select(m => values.TryGetValue(m.Name, out var v) ? v.ToString(CultureInfo.InvariantCulture) : ""));
        cells.Add(workforceUnit);
        return string.Join(',', cells);
    }

    private static string Quote(string s) => s.Contains(',') ? "\"" + s + "\"" : s;

    /// <summary>A complete set of demand figures for a year (per 10k consistent with population).</summary>
    public static Dictionary<string, double> Demand(double population, double referrals, double cin, double cpp, double cla, double claRate,
        double rereferral = 0.2, double nfa = 0.05, double notInNeed = 0.3, double cinStarted = 1500, double cppStarts = 300, double claStarts = 180, double claCeased = 130) => new()
    {
        [Measures.Population] = population,
        [Measures.Referrals] = referrals,
        [Measures.ReferralsPer10k] = referrals / population * 1e4,
        [Measures.RereferralShare] = rereferral,
        [Measures.NoFurtherActionShare] = nfa,
        [Measures.NotInNeedShare] = notInNeed,
        [Measures.Cin] = cin,
        [Measures.CinPer10k] = cin / population * 1e4,
        [Measures.CinStarted] = cinStarted,
        [Measures.Cpp] = cpp,
        [Measures.CppPer10k] = cpp / population * 1e4,
        [Measures.CppStarts] = cppStarts,
        [Measures.Cla] = cla,
        [Measures.ClaPer10k] = claRate,
        [Measures.ClaStarts] = claStarts,
        [Measures.ClaCeased] = claCeased,
    };

    public static Dictionary<string, double> Workforce(double sw, double agency, double vacancy, double caseload,
        double turnover = 0.15, double caseHolders = 100, double absence = 0.04) => new()
    {
        [Measures.SwFte] = sw,
        [Measures.AgencyFte] = agency,
        [Measures.VacancyFte] = vacancy,
        [Measures.Caseload] = caseload,
        [Measures.TurnoverRate] = turnover,
        [Measures.CaseHoldersFte] = caseHolders,
        [Measures.AbsenceRate] = absence,
    };

    public static Dictionary<string, double> Merge(params Dictionary<string, double>[] parts)
    {
        var result = new Dictionary<string, double>();
        foreach (var part in parts)
        {
            foreach (var (k, v) in part)
                result[k] = v;
        }
        return result;
    }
}
