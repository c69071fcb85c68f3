using System.Globalization;
using System.Text;
using System.Text.Json;
using CareSim.Engine.Running;
using CareSim.Experiments;
using CareSim.Model.Plan;
using CareSim.Model.Time;
using CareSim.Model.Outputs;
using CareSim.Scenarios;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using YamlDotNet.RepresentationModel;

namespace CareSim.Web;

/// <summary>One thing wrong with a request, with the scenario position when there is one (line and column 1-based; 0 when unknown).</summary>
public sealed record RequestError(string File, int Line, int Column, string Path, string Message)
{
    public static RequestError FromScenario(ScenarioError e) => new(e.File, e.Line, e.Column, e.Path, e.Message);

    public static RequestError Request(string path, string message) => new("request", 0, 0, path, message);
}

/// <summary>The JSON body of POST /api/runs (the alternative is the scenario YAML itself as the body).</summary>
public record SubmitRunBody
{
    /// <summary>The scenario: its YAML (or JSON) text as a string, or the scenario as a JSON object.</summary>
    [System.ComponentModel.DataAnnotations.Required]
    public JsonElement Scenario { get; init; }

    /// <summary>Overrides the scenario's replicas.</summary>
    public int? Replicas { get; init; }

    /// <summary>Overrides the scenario's seed.</summary>
    public ulong? Seed { get; init; }

    /// <summary>Overrides the scenario's horizon (months).</summary>
    public int? HorizonMonths { get; init; }

    /// <summary>A label to tell the run apart (at most 200 characters).</summary>
    public string? Label { get; init; }
}

/// <summary>The JSON body of POST /api/comparisons: a run's fields and the comparison's (as sim compare's options).</summary>
public sealed record SubmitComparisonBody : SubmitRunBody
{
    /// <summary>Strategies of the scenario's strategies section to compare with the baseline: comma-separated names, or "all".</summary>
    [System.ComponentModel.DataAnnotations.Required]
    public string? Strategies { get; init; }

    /// <summary>Months (YYYY-MM) at which to report the probabilities of good, and of requires improvement or better.</summary>
    public IReadOnlyList<string>? By { get; init; }

    /// <summary>The measure strategies are ranked on (default p_good_by_end).</summary>
    public string? RankBy { get; init; }

    /// <summary>Worlds of the uncertain parameters to sample for each strategy's regret (default 0: none).</summary>
    public int? Worlds { get; init; }

    /// <summary>Replicas per world and strategy (default 200).</summary>
    public int? WorldReplicas { get; init; }
}

/// <summary>What a comparison runs besides the baseline, and how it reports (see sim compare).</summary>
public sealed record ComparisonSpec(IReadOnlyList<Strategy> Strategies, IReadOnlyList<SimMonth> By, string RankBy, int Worlds, int WorldReplicas);

/// <summary>Reads and checks a run submission: body size, media type, envelope, scenario (through <see cref="ScenarioLoader"/>) and limits.</summary>
public static class Submissions
{
    /// <summary>The name errors in the submitted scenario carry as their file.</summary>
    public const string ScenarioSource = "scenario";

    public static readonly string[] YamlMediaTypes = ["application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", "text/plain"];

    private static readonly JsonSerializerOptions EnvelopeOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        AllowTrailingCommas = false,
        // The envelope, then the scenario object inside it, nested no deeper than a scenario file may be.
        MaxDepth = ScenarioLimits.MaxDepth + 1,
    };

    public sealed record Outcome(int Status, string Title, IReadOnlyList<RequestError> Errors, RunSubmission? Submission);

    /// <summary>Most worlds a submitted comparison may sample.</summary>
    public const int MaxWorlds = 100;

    /// <summary>Reads a run submission (<paramref name="comparison"/> false) or a comparison submission.</summary>
    public static async Task<Outcome> ReadAsync(HttpRequest request, ServerOptions options, CancellationToken cancellationToken, bool comparison = false)
    {
        // Size first: nothing larger than the limit is read.
        if (request.ContentLength is { } length && length > options.MaxRequestBodyBytes)
            return TooLarge(options);
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            feature.MaxRequestBodySize = DrainLimit(options);
        byte[]? body;
        try
        {
            body = await ReadLimitedAsync(request.Body, options.MaxRequestBodyBytes, cancellationToken);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(options);
        }
        if (body is null) return TooLarge(options);

        var mediaType = (request.ContentType ?? "").Split(';')[0].Trim().ToLowerInvariant();
        string text;
        ScenarioOverrides overrides;
        string? label;
        ComparisonFields? fields = null;
        if (mediaType is "application/json" || mediaType.EndsWith("+json", StringComparison.Ordinal))
        {
            if (!TryReadEnvelope(body, comparison, out var envelope, out var problem)) return Bad("The request body is not a valid submission.", problem!);
            if (envelope!.Scenario.ValueKind == JsonValueKind.String) text = envelope.Scenario.GetString()!;
            else if (envelope.Scenario.ValueKind == JsonValueKind.Object) text = envelope.Scenario.GetRawText();
            else return Bad("The request body is not a valid run submission.",
                RequestError.Request("scenario", "expected the scenario: its YAML text as a string, or the scenario as a JSON object"));
            overrides = new ScenarioOverrides(envelope.Replicas, envelope.Seed, envelope.HorizonMonths);
            label = envelope.Label;
            if (envelope is SubmitComparisonBody c) fields = new ComparisonFields(c.Strategies, c.By, c.RankBy, c.Worlds, c.WorldReplicas);
        }
        else if (YamlMediaTypes.Contains(mediaType))
        {
            try
            {
                text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body);
            }
            catch (DecoderFallbackException)
            {
                return Bad("The request body is not valid UTF-8.", RequestError.Request("", "the scenario must be UTF-8 text"));
            }
            var errors = new List<RequestError>();
            overrides = new ScenarioOverrides(
                QueryInt(request, "replicas", errors),
                QueryULong(request, "seed", errors),
                QueryInt(request, "horizon_months", errors));
            label = request.Query.TryGetValue("label", out var labels) ? labels.ToString() : null;
            if (comparison)
                fields = new ComparisonFields(QueryText(request, "strategies"),
                    QueryText(request, "by")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                    QueryText(request, "rank_by"), QueryInt(request, "worlds", errors), QueryInt(request, "world_replicas", errors));
            if (errors.Count > 0) return new Outcome(StatusCodes.Status400BadRequest, "Invalid query parameters.", errors, null);
        }
        else
        {
            return new Outcome(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type.",
                [RequestError.Request("Content-Type", $"send the scenario file itself as {string.Join(", ", YamlMediaTypes)}, or application/json ({{\"scenario\": ..., \"replicas\": ...}}); got '{(mediaType.Length == 0 ? "no Content-Type" : mediaType)}'")], null);
        }
        if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];

        if (NamesParameterFiles(text))
            return Bad("The scenario names parameter files.", new RequestError(ScenarioSource, 0, 0, "parameter_files",
                "parameter files are not read through the API: put the parameters in the scenario's parameters section"));

        // Overrides in the API's terms (the loader would name the command line's options).
        var overrideErrors = CheckOverrides(overrides, options);
        if (CheckLabel(label) is { } labelError) overrideErrors.Add(labelError);
        if (overrideErrors.Count > 0) return new Outcome(StatusCodes.Status400BadRequest, "Invalid run settings.", overrideErrors, null);

        var load = ScenarioLoader.LoadText(text, ScenarioSource, baseDirectory: null, overrides);
        if (!load.IsValid)
            return new Outcome(StatusCodes.Status400BadRequest, "The scenario is not valid.", load.Errors.Select(InApiTerms).ToList(), null);

        var plan = load.Plan!;
        var limits = new List<RequestError>();
        if (plan.Replicas > options.MaxReplicas)
            limits.Add(RequestError.Request("replicas", $"{plan.Replicas} replicas is more than this server's limit of {options.MaxReplicas}"));
        if (plan.HorizonMonths > options.MaxHorizonMonths)
            limits.Add(RequestError.Request("horizon_months", $"{plan.HorizonMonths} months is more than this server's limit of {options.MaxHorizonMonths}"));
        if (limits.Count > 0) return new Outcome(StatusCodes.Status400BadRequest, "The run is over this server's limits.", limits, null);

        var metrics = load.Outputs.Metrics.Select(name => MetricCatalog.TryFind(name, out var info) ? info.Metric : throw new InvalidOperationException(name)).ToList();
        label = string.IsNullOrWhiteSpace(label) ? null : label.Trim();
        if (!comparison)
        {
            // Submitted runs never write per-replica output.
            if (RunMemory.Refusal(plan, metrics.Count, perReplica: false) is { } refusal)
                return new Outcome(StatusCodes.Status422UnprocessableEntity, "The run does not fit in this server's memory.", [RequestError.Request("replicas", refusal)], null);
            return new Outcome(StatusCodes.Status202Accepted, "", [], new RunSubmission(plan, load.Sha256, text, metrics, label));
        }

        var spec = ReadComparison(fields!, plan, load.Strategies, options, out var comparisonErrors);
        if (spec is null) return new Outcome(StatusCodes.Status400BadRequest, "Invalid comparison.", comparisonErrors, null);
        // A comparison keeps every strategy's outcomes, and records every metric.
        var largest = plan with { Replicas = Math.Max(plan.Replicas, spec.Worlds > 0 ? spec.WorldReplicas : 0) };
        if (RunMemory.Refusal(largest, RunMemory.AllMetrics, perReplica: false, keptRuns: spec.Strategies.Count + 1) is { } tooBig)
            return new Outcome(StatusCodes.Status422UnprocessableEntity, "The comparison does not fit in this server's memory.", [RequestError.Request("replicas", tooBig)], null);
        return new Outcome(StatusCodes.Status202Accepted, "", [],
            new RunSubmission(plan, load.Sha256, text, MetricCatalog.All.Select(m => m.Metric).ToList(), label, spec));
    }

    private static List<RequestError> CheckOverrides(ScenarioOverrides overrides, ServerOptions options)
    {
        var errors = new List<RequestError>();
        if (overrides.Replicas is { } replicas && (replicas < 1 || replicas > options.MaxReplicas))
            errors.Add(RequestError.Request("replicas", $"must be between 1 and {options.MaxReplicas}, this server's limit of replicas; got {replicas}"));
        if (overrides.HorizonMonths is { } horizon && (horizon < 1 || horizon > options.MaxHorizonMonths))
            errors.Add(RequestError.Request("horizon_months", $"must be between 1 and {options.MaxHorizonMonths}, this server's limit of months; got {horizon}"));
        return errors;
    }

    private sealed record ComparisonFields(string? Strategies, IReadOnlyList<string>? By, string? RankBy, int? Worlds, int? WorldReplicas);

    /// <summary>The comparison's strategies, dates, measure and worlds, checked as sim compare checks them (errors in the API's terms).</summary>
    private static ComparisonSpec? ReadComparison(ComparisonFields fields, SimulationPlan plan, IReadOnlyList<Strategy> defined, ServerOptions options,
        out List<RequestError> errors)
    {
        errors = [];
        List<Strategy>? chosen = null;
        if (string.IsNullOrWhiteSpace(fields.Strategies))
            errors.Add(RequestError.Request("strategies", "required: the names of strategies of the scenario's strategies section, comma-separated, or 'all'"));
        else if ((chosen = StrategyChoice.Choose(fields.Strategies, defined, out var problem)) is null)
            errors.Add(RequestError.Request("strategies", problem.Replace("--strategies-file", "a strategies section in the scenario", StringComparison.Ordinal)));
        var dates = new List<SimMonth>();
        foreach (var text in fields.By ?? [])
        {
            if (!SimMonth.TryParse(text, out var month)) errors.Add(RequestError.Request("by", $"'{text}' is not a month (expected YYYY-MM)"));
            else if (StrategyComparison.ByDateProblem(plan, month) is { } outside) errors.Add(RequestError.Request("by", outside.Replace("--horizon", "horizon_months", StringComparison.Ordinal)));
            else dates.Add(month);
        }
        var rankBy = fields.RankBy ?? OutcomeMeasures.PGood.Name;
        var measures = StrategyComparison.Measures(plan, dates);
        if (!OutcomeMeasures.TryFind(rankBy, measures, out _))
            errors.Add(RequestError.Request("rank_by", $"unknown measure '{rankBy}'; expected one of: {string.Join(", ", measures.Select(m => m.Name))}"));
        var worlds = fields.Worlds ?? 0;
        if (worlds < 0 || worlds > MaxWorlds) errors.Add(RequestError.Request("worlds", $"must be between 0 and {MaxWorlds}; got {worlds}"));
        var worldReplicas = fields.WorldReplicas ?? 200;
        if (worldReplicas < 1 || worldReplicas > options.MaxReplicas)
            errors.Add(RequestError.Request("world_replicas", $"must be between 1 and {options.MaxReplicas}, this server's limit of replicas; got {worldReplicas}"));
        return errors.Count > 0 ? null : new ComparisonSpec(chosen!, dates, rankBy, worlds, worldReplicas);
    }

    private static string? QueryText(HttpRequest request, string name) => request.Query.TryGetValue(name, out var values) ? values.ToString() : null;

    public const int MaxLabelLength = 200;

    private static RequestError? CheckLabel(string? label) =>
        label is null ? null
        : label.Length > MaxLabelLength ? RequestError.Request("label", $"at most {MaxLabelLength} characters; got {label.Length}")
        : label.Any(char.IsControl) ? RequestError.Request("label", "no control characters (line breaks, tabs)")
        : null;

    /// <summary>The loader names overrides by their command-line options (<c>--horizon</c>): the API names them by its own fields.</summary>
    private static RequestError InApiTerms(ScenarioError e)
    {
        var message = e.Message;
        foreach (var (option, field) in OptionFields) message = message.Replace(option + " ", field + " ", StringComparison.Ordinal);
        var path = OptionFields.FirstOrDefault(o => o.Option == e.Path).Field;
        return path is null ? RequestError.FromScenario(e) with { Message = message } : RequestError.Request(path, message);
    }

    private static readonly (string Option, string Field)[] OptionFields = [("--replicas", "replicas"), ("--horizon", "horizon_months"), ("--seed", "seed")];

    private static Outcome TooLarge(ServerOptions options) =>
        new(StatusCodes.Status413PayloadTooLarge, "The request body is too large.",
            [RequestError.Request("", $"the body may be at most {options.MaxRequestBodyBytes} bytes")], null);

    private static Outcome Bad(string title, RequestError error) => new(StatusCodes.Status400BadRequest, title, [error], null);

    /// <summary>
    /// The most a request may send before the connection is cut (Kestrel's limit): a body over
    /// <see cref="ServerOptions.MaxRequestBodyBytes"/> but under this is read to its end and
    /// discarded, so the client, still sending, receives the 413 instead of a reset connection.
    /// </summary>
    public static long DrainLimit(ServerOptions options) => options.MaxRequestBodyBytes * 4 + 64 * 1024;

    /// <summary>The body, or null when it is over <paramref name="limit"/> (what is over is read and discarded).</summary>
    private static async Task<byte[]?> ReadLimitedAsync(Stream body, long limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        var tooLarge = false;
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (tooLarge || buffer.Length + read > limit) tooLarge = true;
            else buffer.Write(chunk, 0, read);
        }
        return tooLarge ? null : buffer.ToArray();
    }

    private static bool TryReadEnvelope(byte[] body, bool comparison, out SubmitRunBody? envelope, out RequestError? problem)
    {
        envelope = null;
        problem = null;
        try
        {
            envelope = comparison ? JsonSerializer.Deserialize<SubmitComparisonBody>(body, EnvelopeOptions) : JsonSerializer.Deserialize<SubmitRunBody>(body, EnvelopeOptions);
            if (envelope is null || envelope.Scenario.ValueKind == JsonValueKind.Undefined)
            {
                problem = RequestError.Request("scenario", "missing: the body must be a JSON object with a 'scenario' field");
                return false;
            }
            return true;
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" (line {line + 1}, byte {e.BytePositionInLine + 1})" : "";
            var path = string.IsNullOrEmpty(e.Path) ? "" : e.Path.TrimStart('$', '.');
            problem = new RequestError("request", (int)(e.LineNumber ?? -1) + 1, (int)(e.BytePositionInLine ?? -1) + 1, path, PlainMessage(e.Message, path) + where);
            return false;
        }
    }

    /// <summary>System.Text.Json's message in plain words: no .NET type or member names (System.Nullable`1[System.Int32]).</summary>
    private static string PlainMessage(string message, string path)
    {
        const string Fields = "scenario, replicas, seed and horizon_months";
        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
            return $"unknown field '{path}'; the fields are {Fields}";
        if (message.Contains("could not be converted to", StringComparison.Ordinal) || message.Contains("Cannot get the value", StringComparison.Ordinal))
        {
            return path switch
            {
                "replicas" or "horizon_months" => "expected a whole number",
                "seed" => "expected a whole number of 0 or more",
                "scenario" => "expected the scenario as a string (YAML or JSON) or a JSON object",
                _ => $"not a valid value; the fields are {Fields}",
            };
        }
        if (message.Contains("maximum configured depth", StringComparison.Ordinal))
            return $"nested deeper than {EnvelopeOptions.MaxDepth} levels (the envelope and a scenario at its limit of {ScenarioLimits.MaxDepth})";
        return FirstSentence(message);
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }

    private static int? QueryInt(HttpRequest request, string name, List<RequestError> errors)
    {
        if (!request.Query.TryGetValue(name, out var values)) return null;
        if (int.TryParse(values.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)) return value;
        errors.Add(RequestError.Request(name, $"expected an integer; got '{values}'"));
        return null;
    }

    private static ulong? QueryULong(HttpRequest request, string name, List<RequestError> errors)
    {
        if (!request.Query.TryGetValue(name, out var values)) return null;
        if (ulong.TryParse(values.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)) return value;
        errors.Add(RequestError.Request(name, $"expected a non-negative integer; got '{values}'"));
        return null;
    }

    /// <summary>
    /// Whether the scenario names parameter files (which would be read from the server's disk): a
    /// <c>parameter_files</c> key at the top level, or anywhere in the text when it does not parse
    /// (the loader then reports the syntax error, but nothing is left to chance).
    /// </summary>
    internal static bool NamesParameterFiles(string text)
    {
        if (!text.Contains("parameter_files", StringComparison.Ordinal)) return false;
        // Too large or too deep to build safely: the loader reports that and reads no file.
        if (!ScenarioLimits.Check(text, ScenarioSource, new List<ScenarioError>())) return false;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            return stream.Documents.Any(d => d.RootNode is YamlMappingNode root && root.Children.Keys.Any(k => k is YamlScalarNode { Value: "parameter_files" }))
                || stream.Documents.Count == 0;
        }
        catch (YamlDotNet.Core.YamlException)
        {
            return true;
        }
    }
}
