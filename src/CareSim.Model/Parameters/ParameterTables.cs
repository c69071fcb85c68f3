using System.Globalization;
using System.Text;

namespace CareSim.Model.Parameters;

/// <summary>Renders the parameter registry for people.</summary>
public static class ParameterTables
{
    public const string BeginMarker = "<!-- parameters:begin -->";
    public const string EndMarker = "<!-- parameters:end -->";

    /// <summary>Replaces the text between the markers with the current tables.</summary>
    public static bool TryReplaceInDocument(string document, out string updated)
    {
        updated = document;
        var begin = document.IndexOf(BeginMarker, StringComparison.Ordinal);
        var end = document.IndexOf(EndMarker, StringComparison.Ordinal);
        if (begin < 0 || end < begin) return false;
        updated = document[..(begin + BeginMarker.Length)] + "\n" + Markdown() + document[end..];
        return true;
    }

    public static string Markdown()
    {
        var sb = new StringBuilder();
        foreach (var group in P.All.GroupBy(p => p.Group))
        {
            sb.Append(CultureInfo.InvariantCulture, $"### {group.Key}\n\n");
            sb.Append("| name | default | range | uncertain range | unit | meaning | source |\n|---|---|---|---|---|---|---|\n");
            foreach (var p in group)
            {
                var uncertain = p.IsUncertain ? $"{Format(p.UncertainLow!.Value)} - {Format(p.UncertainHigh!.Value)}" : "";
                sb.Append(CultureInfo.InvariantCulture,
                    $"| `{p.Name}` | {Format(p.Default)} | {Format(p.Min)} - {Format(p.Max)} | {uncertain} | {p.Unit} | {Cell(p.Description)} | {Cell(p.Source)} |\n");
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }

    public static string Plain()
    {
        var sb = new StringBuilder();
        foreach (var p in P.All)
            sb.Append(CultureInfo.InvariantCulture, $"{p.Name,-50} {Format(p.Default),10}  [{Format(p.Min)}, {Format(p.Max)}]  {p.Unit}\n");
        return sb.ToString();
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);

    private static string Format(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
