using System.Globalization;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace CareSim.Scenarios;

/// <summary>
/// Bounds on what a scenario file (or a scenario sent to the API) may be, checked before the
/// YAML is built into nodes, so that no input can exhaust the stack or the memory of the
/// process that reads it (docs/scenarios.md#limits).
/// </summary>
public static class ScenarioLimits
{
    /// <summary>Largest document, in bytes of UTF-8.</summary>
    public const int MaxDocumentBytes = 4 * 1024 * 1024;

    /// <summary>Deepest nesting of lists and mappings (a real scenario needs 5).</summary>
    public const int MaxDepth = 64;

    /// <summary>Most values (scalars, lists, mappings) the document holds once aliases are expanded.</summary>
    public const int MaxNodes = 1_000_000;

    /// <summary>Most authorities in a scenario (England has 152).</summary>
    public const int MaxAuthorities = 1000;

    /// <summary>Most events in one authority's timeline, and in one strategy.</summary>
    public const int MaxEvents = 10_000;

    /// <summary>
    /// Checks a document's size, nesting and number of values (counting what aliases repeat);
    /// returns false with one located error when a limit is exceeded. Malformed YAML is left to
    /// the parser that follows (it fails at the same point, where the nesting is still within the limit).
    /// </summary>
    public static bool Check(string text, string sourceName, ICollection<ScenarioError> errors)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(errors);
        var bytes = Encoding.UTF8.GetByteCount(text);
        if (bytes > MaxDocumentBytes)
        {
            errors.Add(new ScenarioError(sourceName, 1, 1, "", TooLarge(bytes)));
            return false;
        }
        if (FirstViolation(text) is not { } violation) return true;
        errors.Add(new ScenarioError(sourceName, (int)violation.Where.Line, (int)violation.Where.Column, "", violation.Message));
        return false;
    }

    /// <summary>The message for a document of <paramref name="bytes"/> bytes over <see cref="MaxDocumentBytes"/>.</summary>
    public static string TooLarge(long bytes) => string.Create(CultureInfo.InvariantCulture,
        $"the document is {bytes / 1048576.0:0.0} MiB; a scenario may be at most {MaxDocumentBytes / 1048576} MiB");

    private sealed class Frame
    {
        public long Nodes = 1;
        public int Height = 1;
        public string? Anchor;
    }

    /// <summary>Walks the parser's events (no recursion) keeping, for each anchor, the size and height of its node.</summary>
    private static (Mark Where, string Message)? FirstViolation(string text)
    {
        var parser = new Parser(new StringReader(text));
        var open = new Stack<Frame>();
        var anchors = new Dictionary<string, (long Nodes, int Height)>(StringComparer.Ordinal);
        long total = 0;
        try
        {
            while (parser.MoveNext())
            {
                var current = parser.Current!;
                long nodes;
                int height;
                switch (current)
                {
                    case MappingStart or SequenceStart:
                        if (open.Count + 1 > MaxDepth)
                            return (current.Start, $"nesting deeper than {MaxDepth} levels (lists and mappings inside each other); a scenario needs far fewer");
                        open.Push(new Frame { Anchor = ((NodeEvent)current).Anchor.IsEmpty ? null : ((NodeEvent)current).Anchor.Value });
                        continue;
                    case MappingEnd or SequenceEnd:
                        var closed = open.Pop();
                        (nodes, height) = (closed.Nodes, closed.Height);
                        if (closed.Anchor is { } name) anchors[name] = (nodes, height);
                        break;
                    case Scalar scalar:
                        (nodes, height) = (1, 1);
                        if (!scalar.Anchor.IsEmpty) anchors[scalar.Anchor.Value] = (1, 1);
                        break;
                    case AnchorAlias alias:
                        (nodes, height) = anchors.GetValueOrDefault(alias.Value.Value, (1, 1));
                        if (open.Count + height > MaxDepth)
                            return (current.Start, $"nesting deeper than {MaxDepth} levels once the alias '*{alias.Value.Value}' is expanded");
                        break;
                    default:
                        continue;
                }
                // A completed node: one value, and an alias all the values of its anchor (the children of a list or mapping are counted already).
                total += current is AnchorAlias ? nodes : 1;
                if (total > MaxNodes)
                    return (current.Start, string.Create(CultureInfo.InvariantCulture, $"more than {MaxNodes:N0} values")
                        + (anchors.Count > 0 ? " once aliases are expanded" : "") + "; a scenario needs far fewer");
                if (open.TryPeek(out var parent))
                {
                    parent.Nodes += nodes;
                    parent.Height = Math.Max(parent.Height, height + 1);
                }
            }
        }
#pragma warning disable CA1031 // Malformed YAML (YamlDotNet also throws non-YAML exceptions) is reported by the parser that reads the document.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
        return null;
    }
}
