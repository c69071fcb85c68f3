using System.Globalization;
using System.Text;
using System.Text.Json;
using CareSim.Engine.Running;
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
public sealed record SubmitRunBody
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
}

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

    public static async Task<Outcome> ReadAsync(HttpRequest request, ServerOptions options, CancellationToken cancellationToken)
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
        if (mediaType is "application/json" || mediaType.EndsWith("+json", StringComparison.Ordinal))
        {
            if (!TryReadEnvelope(body, out var envelope, out var problem)) return Bad("The request body is not a valid run submission.", problem!);
            if (envelope!.Scenario.ValueKind == JsonValueKind.String) text = envelope.Scenario.GetString()!;
            else if (envelope.Scenario.ValueKind == JsonValueKind.Object) text = envelope.Scenario.GetRawText();
            else return Bad("The request body is not a valid run submission.",
                RequestError.Request("scenario", "expected the scenario: its YAML text as a string, or the scenario as a JSON object"));
            overrides = new ScenarioOverrides(envelope.Replicas, envelope.Seed, envelope.HorizonMonths);
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
        if (overrideErrors.Count > 0) return new Outcome(StatusCodes.Status400BadRequest, "The run is over this server's limits.", overrideErrors, null);

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
        // Submitted runs never write per-replica output.
        if (RunMemory.Refusal(plan, metrics.Count, perReplica: false) is { } refusal)
            return new Outcome(StatusCodes.Status422UnprocessableEntity, "The run does not fit in this server's memory.", [RequestError.Request("replicas", refusal)], null);
        return new Outcome(StatusCodes.Status202Accepted, "", [], new RunSubmission(plan, load.Sha256, text, metrics));
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

    private static bool TryReadEnvelope(byte[] body, out SubmitRunBody? envelope, out RequestError? problem)
    {
        envelope = null;
        problem = null;
        try
        {
            envelope = JsonSerializer.Deserialize<SubmitRunBody>(body, EnvelopeOptions);
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
            problem = new RequestError("request", (int)(e.LineNumber ?? -1) + 1, (int)(e.BytePositionInLine ?? -1) + 1, path, FirstSentence(e.Message) + where);
            return false;
        }
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
