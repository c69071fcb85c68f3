using CareSim.Data.Import;

namespace CareSim.Data;

/// <summary>Base of the data library's errors; messages are meant to be shown to users as they are.</summary>
public class CareSimDataException(string message) : Exception(message);

/// <summary>The official data could not be imported (missing folder, malformed known file).</summary>
public sealed class DataImportException(string message, ImportReport? report = null) : CareSimDataException(message)
{
    /// <summary>The import report up to the failure, when files were read.</summary>
    public ImportReport? Report { get; } = report;
}

/// <summary>The baseline dataset could not be loaded (missing folder or file, bad header, bad value).</summary>
public sealed class BaselineDataException(string message) : CareSimDataException(message);

/// <summary>No authority matches a code, name or LA number; <see cref="Suggestions"/> lists the closest.</summary>
public sealed class UnknownAuthorityException(string query, IReadOnlyList<string> suggestions)
    : CareSimDataException(suggestions.Count == 0
        ? $"Unknown authority '{query}'."
        : $"Unknown authority '{query}'. Closest matches: {string.Join("; ", suggestions)}.")
{
    public string Query { get; } = query;
    public IReadOnlyList<string> Suggestions { get; } = suggestions;
}

/// <summary>A scenario could not be built from the data (as-of before any data, required values missing).</summary>
public sealed class ScenarioBuildException(string message) : CareSimDataException(message);
