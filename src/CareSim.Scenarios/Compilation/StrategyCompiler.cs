using System.Text.RegularExpressions;
using CareSim.Model.Plan;
using CareSim.Scenarios.Binding;

namespace CareSim.Scenarios.Compilation;

/// <summary>Checks bound strategies against the scenario's authorities and turns them into <see cref="Strategy"/> overlays.</summary>
internal sealed partial class StrategyCompiler(ErrorSink errors)
{
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]*$")]
    private static partial Regex NamePattern();

    /// <param name="authorityCodes">The scenario's authority codes; null when a strategies file is checked on its own (codes not checked).</param>
    /// <param name="taken">Strategy names already defined (e.g. in the scenario, when compiling a separate file).</param>
    public List<Strategy> Compile(IReadOnlyList<StrategyDocument> documents, IReadOnlyCollection<string>? authorityCodes, ISet<string>? taken = null)
    {
        var names = taken ?? new HashSet<string>(StringComparer.Ordinal);
        var strategies = new List<Strategy>();
        foreach (var document in documents)
        {
            var ok = true;
            if (document.Name is { } name)
            {
                var nameNode = document.Node.Locate("name");
                if (!NamePattern().IsMatch(name))
                {
                    errors.At(nameNode, $"strategy name '{name}' must start with a letter or digit and contain only letters, digits, '_' and '-'");
                    ok = false;
                }
                else if (name == Strategy.BaselineName)
                {
                    errors.At(nameNode, "the name 'baseline' is reserved for the scenario as it is; choose another name");
                    ok = false;
                }
                else if (!names.Add(name))
                {
                    errors.At(nameNode, $"duplicate strategy name '{name}'; names must be unique");
                    ok = false;
                }
            }
            else
            {
                ok = false;
            }

            foreach (var (code, node) in document.Authorities ?? [])
            {
                if (authorityCodes is null || authorityCodes.Contains(code)) continue;
                errors.At(node, $"unknown authority code '{code}'" + (NameSuggestions.Closest(code, authorityCodes) is { } suggestion
                    ? $"; did you mean '{suggestion}'?"
                    : "; expected one of the scenario's authority codes: " + string.Join(", ", authorityCodes)));
                ok = false;
            }

            var events = new List<StrategyEvent>();
            foreach (var entry in document.Events)
            {
                if (entry.Date is null == entry.OffsetMonths is null)
                {
                    errors.At(entry.Node, "give exactly one of 'date' and 'offset_months' (months after the scenario's history_until)");
                    ok = false;
                    continue;
                }
                if (entry.Node.Has("published"))
                {
                    errors.At(entry.Node.Locate("published"), "'published' is not supported in strategies: the model's publication lag applies");
                    ok = false;
                    continue;
                }
                events.Add(new StrategyEvent(entry.Template, entry.Date, entry.OffsetMonths));
            }

            if (!ok) continue;
            strategies.Add(new Strategy
            {
                Name = document.Name!,
                Description = document.Description,
                Authorities = document.Authorities?.Select(a => a.Code).ToList(),
                Parameters = document.Parameters.Select(p => KeyValuePair.Create(p.Name, p.Value)).ToList(),
                Events = events,
                Commissioners = document.Commissioners,
            });
        }
        return strategies;
    }
}
