using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace CareSim.Scenarios.Yaml;

/// <summary>What a YAML scalar is under the YAML 1.2 core schema.</summary>
internal enum ScalarKind
{
    Null,
    Bool,
    Integer,
    Float,
    String,
}

/// <summary>Parsing YAML text to YamlDotNet's representation model, and reading scalars.</summary>
internal static partial class YamlText
{
    private const string StrTag = "tag:yaml.org,2002:str";

    [GeneratedRegex("^[-+]?[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex FloatPattern();

    [GeneratedRegex(@"^([-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$", RegexOptions.CultureInvariant)]
    private static partial Regex SpecialFloatPattern();

    /// <summary>Classifies a scalar as YAML 1.2 (core schema) would: only plain scalars can be null, booleans or numbers.</summary>
    public static ScalarKind Classify(YamlScalarNode scalar)
    {
        if (scalar.Style != ScalarStyle.Plain || (!scalar.Tag.IsEmpty && scalar.Tag.Value == StrTag))
            return ScalarKind.String;
        var value = scalar.Value ?? "";
        return value switch
        {
            "" or "~" or "null" or "Null" or "NULL" => ScalarKind.Null,
            "true" or "True" or "TRUE" or "false" or "False" or "FALSE" => ScalarKind.Bool,
            _ when IntegerPattern().IsMatch(value) => ScalarKind.Integer,
            _ when FloatPattern().IsMatch(value) || SpecialFloatPattern().IsMatch(value) => ScalarKind.Float,
            _ => ScalarKind.String,
        };
    }

    public static bool TryParseFiniteDouble(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    /// <summary>How a node is described in "got ..." messages.</summary>
    public static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode s => Classify(s) switch
        {
            ScalarKind.Null => "nothing (null)",
            ScalarKind.String when s.Style != ScalarStyle.Plain => $"the quoted string '{Shorten(s.Value)}'",
            _ => $"'{Shorten(s.Value)}'",
        },
        _ => "an unsupported node",
    };

    public static string Shorten(string? text)
    {
        text ??= "";
        text = text.ReplaceLineEndings(" ");
        return text.Length <= 60 ? text : text[..57] + "...";
    }

    /// <summary>
    /// Parses <paramref name="text"/> as a single YAML document. Returns its root node, or null
    /// with errors: malformed YAML (YamlDotNet's message and position), duplicate keys (every one,
    /// with its path), several documents, an empty file, or one over <see cref="ScenarioLimits"/>.
    /// </summary>
    public static YamlNode? Parse(string text, ErrorSink errors, string emptyMessage)
    {
        if (!ScenarioLimits.Check(text, errors.File, errors.All)) return null;
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
#pragma warning disable CA1031 // Bad input must never throw: YamlDotNet also throws non-YAML exceptions on some malformed input.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            var before = errors.All.Count;
            Scan(text, errors);
            if (errors.All.Count == before)
            {
                var mark = ex is YamlException yex ? yex.Start : Mark.Empty;
                errors.At(Math.Max(1, (int)mark.Line), Math.Max(1, (int)mark.Column), "", "malformed YAML: " + Explain(ex));
            }
            return null;
        }

        if (stream.Documents.Count == 0 || IsEmpty(stream.Documents[0].RootNode))
        {
            errors.At(1, 1, "", emptyMessage);
            return null;
        }
        if (stream.Documents.Count > 1)
        {
            errors.At(stream.Documents[1].RootNode, "", $"expected a single YAML document, found {stream.Documents.Count}; remove the '---' separators");
            return null;
        }
        return stream.Documents[0].RootNode;
    }

    private static bool IsEmpty(YamlNode node) => node is YamlScalarNode s && Classify(s) == ScalarKind.Null && string.IsNullOrEmpty(s.Value);

    /// <summary>
    /// Walks the parser's events to report every duplicate key with its path, then the first
    /// syntax error (if any) with the best position known.
    /// </summary>
    private static void Scan(string text, ErrorSink errors)
    {
        var parser = new Parser(new StringReader(text));
        var stack = new Stack<Frame>();
        Mark last = Mark.Empty;
        try
        {
            while (parser.MoveNext())
            {
                var current = parser.Current!;
                last = current.End;
                switch (current)
                {
                    case DocumentStart:
                        stack.Clear();
                        stack.Push(new Frame(FrameKind.Document, ""));
                        break;
                    case Scalar scalar:
                        OnNode(stack, errors, scalar.Value, scalar.Start);
                        Complete(stack);
                        break;
                    case AnchorAlias:
                        OnNode(stack, errors, null, current.Start);
                        Complete(stack);
                        break;
                    case MappingStart or SequenceStart:
                        var path = OnNode(stack, errors, null, current.Start);
                        stack.Push(new Frame(current is MappingStart ? FrameKind.Mapping : FrameKind.Sequence, path));
                        break;
                    case MappingEnd or SequenceEnd:
                        stack.Pop();
                        Complete(stack);
                        break;
                }
            }
        }
#pragma warning disable CA1031 // see Parse
        catch (Exception ex)
#pragma warning restore CA1031
        {
            var mark = ex is YamlException yex ? yex.Start : last;
            errors.At(Math.Max(1, (int)mark.Line), Math.Max(1, (int)mark.Column), "", "malformed YAML: " + Explain(ex));
        }
    }

    /// <summary>YamlDotNet's message; its internal failures (e.g. on an unclosed flow list) get a useful one.</summary>
    private static string Explain(Exception ex) => ex is YamlException
        ? ex.Message
        : "the YAML parser could not continue after this point; check for an unclosed '[', '{' or quote";

    /// <summary>Registers a node starting in the current frame; returns its path.</summary>
    private static string OnNode(Stack<Frame> stack, ErrorSink errors, string? scalarValue, Mark start)
    {
        if (stack.Count == 0) return "";
        var frame = stack.Peek();
        if (frame.Kind == FrameKind.Document) return "";
        if (frame.Kind == FrameKind.Sequence) return PathText.Index(frame.Path, frame.Index);
        if (!frame.ExpectingKey) return frame.CurrentPath;
        frame.CurrentPath = PathText.Key(frame.Path, scalarValue ?? "?");
        if (scalarValue is not null)
        {
            if (frame.Keys.TryGetValue(scalarValue, out var first))
                errors.At((int)start.Line, (int)start.Column, frame.CurrentPath,
                    $"duplicate key '{scalarValue}' (first given at line {first.Line}, column {first.Column}); each key may appear once");
            else
                frame.Keys[scalarValue] = start;
        }
        return frame.CurrentPath;
    }

    private static void Complete(Stack<Frame> stack)
    {
        if (stack.Count == 0) return;
        var frame = stack.Peek();
        if (frame.Kind == FrameKind.Mapping) frame.ExpectingKey = !frame.ExpectingKey;
        else frame.Index++;
    }

    private enum FrameKind
    {
        Document,
        Mapping,
        Sequence,
    }

    private sealed class Frame(FrameKind kind, string path)
    {
        public FrameKind Kind { get; } = kind;
        public string Path { get; } = path;
        public bool ExpectingKey { get; set; } = true;
        public string CurrentPath { get; set; } = path;
        public int Index { get; set; }
        public Dictionary<string, Mark> Keys { get; } = new(StringComparer.Ordinal);
    }
}

/// <summary>JSON-path-like paths: <c>authorities[0].timeline[3].grade</c>, <c>parameters["quality.culture_growth"]</c>.</summary>
internal static partial class PathText
{
    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Identifier();

    public static string Key(string parent, string key)
    {
        if (Identifier().IsMatch(key))
            return parent.Length == 0 ? key : parent + "." + key;
        return parent + "[\"" + key.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"]";
    }

    public static string Index(string parent, int index) => parent + "[" + index.ToString(CultureInfo.InvariantCulture) + "]";
}
