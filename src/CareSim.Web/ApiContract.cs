using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace CareSim.Web;

/// <summary>A query parameter an endpoint accepts: the request filter rejects any other, and the OpenAPI document declares each.</summary>
/// <param name="Type"><c>integer</c>, <c>string</c> or <c>boolean</c>.</param>
public sealed record QueryParameter(string Name, string Type, string Description, bool Required = false, IReadOnlyList<string>? Values = null,
    long? Minimum = null, long? Maximum = null);

/// <summary>Endpoint metadata: the query parameters the endpoint accepts (none when absent).</summary>
public sealed record AcceptedQuery(IReadOnlyList<QueryParameter> Parameters);

/// <summary>Endpoint metadata: the endpoint needs the API key (<c>X-Api-Key</c>) when the server has one.</summary>
public sealed record RequiresApiKey;

/// <summary>Endpoint metadata: request bodies the endpoint reads itself (media type to schema: a JSON type, or null for text).</summary>
public sealed record AcceptedBodies(IReadOnlyList<(string MediaType, Type? Json)> Bodies);

/// <summary>
/// The API's contract: the OpenAPI document (only the <c>/api</c> routes, with the API key's
/// security scheme, every query parameter and body type, and problem+json for every error) and
/// the request checks that keep the server to it (unknown query parameters, the API key).
/// </summary>
public static class ApiContract
{
    public const string ApiKeySchemeName = "ApiKey";

    /// <summary>Declares which query parameters the endpoint accepts (any other gets 400).</summary>
    public static RouteHandlerBuilder AcceptsQuery(this RouteHandlerBuilder builder, params QueryParameter[] parameters) =>
        builder.WithMetadata(new AcceptedQuery(parameters));

    /// <summary>The endpoint needs the API key when one is configured (401 missing, 403 wrong).</summary>
    public static RouteHandlerBuilder RequireApiKey(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(new RequiresApiKey()).AddEndpointFilter(ApiKey.Check)
            .Problems(StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden);

    /// <summary>An error response as problem+json, with the declared problem schema.</summary>
    public static RouteHandlerBuilder Problems(this RouteHandlerBuilder builder, params int[] statuses)
    {
        foreach (var status in statuses) builder.Produces<ApiProblem>(status, ApiEndpoints.ProblemJson);
        return builder;
    }

    /// <summary>Rejects query parameters the endpoint does not declare (<see cref="AcceptedQuery"/>) with 400.</summary>
    public static async ValueTask<object?> RejectUnknownQuery(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var accepted = http.GetEndpoint()?.Metadata.GetMetadata<AcceptedQuery>()?.Parameters ?? [];
        var unknown = http.Request.Query.Keys.Where(k => accepted.All(p => !string.Equals(p.Name, k, StringComparison.Ordinal))).ToList();
        if (unknown.Count == 0) return await next(context);
        var known = accepted.Count == 0 ? "this endpoint takes no query parameters" : "it takes " + string.Join(", ", accepted.Select(p => p.Name));
        var errors = unknown.Select(k => RequestError.Request(k, $"unknown query parameter '{Truncate(k)}': {known}")).ToList();
        return ApiEndpoints.Problem(StatusCodes.Status400BadRequest, "Unknown query parameters.", string.Join("; ", errors.Select(e => e.Message)), errors);
    }

    private static string Truncate(string text) => text.Length <= 64 ? text : text[..64] + "...";

    public static IServiceCollection AddApiContract(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            // The Orleans dashboard's routes and the page's assets are not part of the API.
            options.ShouldInclude = description => description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "CareSim API",
                    Version = "v1",
                    Description = "Submit simulation runs and comparisons, follow them, and read their results (docs/api.md). " +
                                  "Measured values are numbers or null: null means there is no value (a quantile beyond the horizon, or a value that is not a number); NaN and infinities are never sent.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[ApiKeySchemeName] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Header,
                    Name = ApiEndpoints.ApiKeyHeader,
                    Description = "The server's API key (sim serve --api-key). Needed by the endpoints that change runs, when the server has a key.",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer(async (operation, context, cancellationToken) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                DeclareQuery(operation, metadata.OfType<AcceptedQuery>().FirstOrDefault()?.Parameters ?? []);
                if (metadata.OfType<AcceptedBodies>().FirstOrDefault() is { } bodies) await DeclareBodiesAsync(operation, bodies, context, cancellationToken);
                if (metadata.OfType<RequiresApiKey>().Any() && context.Document is { } document)
                {
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeySchemeName, document)] = [] });
                }
            });
            options.AddSchemaTransformer((schema, context, _) =>
            {
                // The scenario inside a JSON submission: its YAML text, or the scenario as an object.
                if (context.JsonTypeInfo.Type == typeof(JsonElement))
                {
                    schema.Type = null;
                    schema.OneOf = [new OpenApiSchema { Type = JsonSchemaType.String }, new OpenApiSchema { Type = JsonSchemaType.Object }];
                    schema.Description = "The scenario: its YAML (or JSON) text as a string, or the scenario as a JSON object (docs/scenarios.md).";
                }
                return Task.CompletedTask;
            });
        });

    private static void DeclareQuery(OpenApiOperation operation, IReadOnlyList<QueryParameter> parameters)
    {
        operation.Parameters ??= [];
        foreach (var p in parameters)
        {
            var existing = operation.Parameters.OfType<OpenApiParameter>().FirstOrDefault(x => x.Name == p.Name && x.In == ParameterLocation.Query);
            var schema = new OpenApiSchema
            {
                Type = p.Type switch { "integer" => JsonSchemaType.Integer, "boolean" => JsonSchemaType.Boolean, _ => JsonSchemaType.String },
                Format = p.Type == "integer" ? "int64" : null,
                Minimum = p.Minimum?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Maximum = p.Maximum?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            if (p.Values is { } values) schema.Enum = values.Select(v => (System.Text.Json.Nodes.JsonNode)System.Text.Json.Nodes.JsonValue.Create(v)!).ToList();
            if (existing is null)
            {
                operation.Parameters.Add(new OpenApiParameter { Name = p.Name, In = ParameterLocation.Query, Required = p.Required, Description = p.Description, Schema = schema });
            }
            else
            {
                existing.Description = p.Description;
                existing.Required = p.Required;
                existing.Schema = schema;
            }
        }
    }

    private static async Task DeclareBodiesAsync(OpenApiOperation operation, AcceptedBodies bodies, OpenApiOperationTransformerContext context,
        CancellationToken cancellationToken)
    {
        var content = new Dictionary<string, OpenApiMediaType>();
        foreach (var (mediaType, json) in bodies.Bodies)
            content[mediaType] = new OpenApiMediaType
            {
                Schema = json is null
                    ? new OpenApiSchema { Type = JsonSchemaType.String, Description = "The scenario file's text (YAML)." }
                    : await context.GetOrCreateSchemaAsync(json, null, cancellationToken),
            };
        operation.RequestBody = new OpenApiRequestBody { Required = true, Content = content };
    }
}
