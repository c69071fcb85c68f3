using System.Text;

namespace CareSim.Scenarios.Format;

/// <summary>Writes the field tables of docs/scenarios.md from the format description.</summary>
internal static class MarkdownWriter
{
    private static readonly string[] CommonEventFields = ["date", "event", "source"];

    public static string Write()
    {
        var sb = new StringBuilder();
        sb.Append("### Scenario fields\n\n");
        Header(sb);
        Rows(sb, ScenarioFormat.Root, "");
        sb.Append('\n');

        sb.Append("### Timeline events\n\n");
        sb.Append("Every event is a mapping with these fields, plus those of its type below:\n\n");
        Header(sb);
        var first = ScenarioFormat.TimelineEvent.Branches[0].Branch;
        foreach (var field in first.Fields.Where(f => CommonEventFields.Contains(f.Name)))
            Row(sb, field, field.Name == "event" ? new EnumType(ScenarioFormat.TimelineEvent.Values.ToList()) : field.Type, field.Name);
        sb.Append('\n');
        foreach (var (value, branch) in ScenarioFormat.TimelineEvent.Branches)
        {
            sb.Append("#### `event: ").Append(value).Append("`\n\n").Append(branch.Description).Append('\n');
            var own = branch.Fields.Where(f => !CommonEventFields.Contains(f.Name)).ToList();
            if (own.Count == 0)
            {
                sb.Append("\nNo further fields.\n\n");
                continue;
            }
            sb.Append('\n');
            Header(sb);
            foreach (var field in own) Row(sb, field, field.Type, field.Name);
            sb.Append('\n');
        }

        sb.Append("### Parameter files\n\n");
        Header(sb);
        Rows(sb, ScenarioFormat.ParameterFile, "");
        return sb.ToString();
    }

    private static void Header(StringBuilder sb) =>
        sb.Append("| Field | Type | Required | Default | Description |\n|---|---|---|---|---|\n");

    private static void Rows(StringBuilder sb, ObjectType type, string prefix)
    {
        foreach (var field in type.Fields)
        {
            var path = prefix + field.Name;
            Row(sb, field, field.Type, path);
            switch (field.Type)
            {
                case ObjectType o when o.DocumentFields:
                    Rows(sb, o, path + ".");
                    break;
                case ArrayType { Items: ObjectType item } when item.DocumentFields:
                    Rows(sb, item, path + "[].");
                    break;
            }
        }
    }

    private static void Row(StringBuilder sb, Field field, SchemaType type, string path)
    {
        var typeText = type switch
        {
            ArrayType { Items: UnionType } => "list of events (see [Timeline events](#timeline-events))",
            ArrayType { Items: ObjectType item } => $"list of {item.Title} mappings",
            ObjectType { KeyNoun: "parameter" } => "mapping of parameter name to number",
            _ => type.DocType,
        };
        sb.Append("| `").Append(path).Append("` | ").Append(typeText).Append(" | ")
            .Append(field.Required ? "yes" : "").Append(" | ")
            .Append(field.Default is null ? "" : field.Default.Contains('`', StringComparison.Ordinal) || field.Default.Contains(' ', StringComparison.Ordinal) ? field.Default : "`" + field.Default + "`")
            .Append(" | ").Append(field.Description.Replace("|", "\\|", StringComparison.Ordinal)).Append(" |\n");
    }
}
