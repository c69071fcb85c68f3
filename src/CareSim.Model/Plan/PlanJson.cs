using System.Text.Json;
using System.Text.Json.Serialization;
using CareSim.Model.Parameters;

namespace CareSim.Model.Plan;

/// <summary>
/// A compiled plan as JSON: how a plan travels to grains on other silos, into checkpoints and
/// through the HTTP API. Round-trips exactly (doubles in shortest round-trip form).
/// </summary>
public static class PlanJson
{
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        options.Converters.Add(new ModelParametersConverter());
        return options;
    }

    public static byte[] Serialize(SimulationPlan plan) => JsonSerializer.SerializeToUtf8Bytes(plan, Options);

    public static SimulationPlan Deserialize(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize<SimulationPlan>(json, Options) ?? throw new JsonException("empty plan");

    /// <summary>Parameters as a name -> value object (every parameter, so the JSON is self-describing).</summary>
    private sealed class ModelParametersConverter : JsonConverter<ModelParameters>
    {
        public override ModelParameters Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var values = JsonSerializer.Deserialize<Dictionary<string, double>>(ref reader, options)
                ?? throw new JsonException("parameters: expected an object");
            return ModelParameters.Defaults.With(values);
        }

        public override void Write(Utf8JsonWriter writer, ModelParameters value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            foreach (var p in P.All) writer.WriteNumber(p.Name, value[p]);
            writer.WriteEndObject();
        }
    }
}
