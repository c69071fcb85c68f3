namespace CareSim.Estimation.Backtest;

/// <summary>
/// Writes a command's output files into a staging folder next to the destination and moves them
/// into place only when all are written, so an error or Ctrl+C leaves nothing half-written.
/// </summary>
public sealed class StagedOutput : IDisposable
{
    private readonly string _destination;
    private bool _committed;

    public StagedOutput(string destination)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(destination);
        _destination = System.IO.Path.GetFullPath(destination);
        var parent = System.IO.Path.GetDirectoryName(_destination.TrimEnd(System.IO.Path.DirectorySeparatorChar)) ?? ".";
        Directory.CreateDirectory(parent);
        Path = System.IO.Path.Combine(parent, "." + System.IO.Path.GetFileName(_destination.TrimEnd(System.IO.Path.DirectorySeparatorChar)) + ".staging-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path);
    }

    /// <summary>The staging folder: write every output here.</summary>
    public string Path { get; }

    public string Destination => _destination;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>
    /// Moves the staged files into the destination: the whole folder when the destination does not
    /// exist yet, else file by file (each replaced atomically; other files there are kept).
    /// </summary>
    public void Commit()
    {
        if (!Directory.Exists(_destination))
        {
            Directory.Move(Path, _destination);
        }
        else
        {
            foreach (var file in Directory.GetFiles(Path))
                System.IO.File.Move(file, System.IO.Path.Combine(_destination, System.IO.Path.GetFileName(file)), overwrite: true);
            Directory.Delete(Path, recursive: true);
        }
        _committed = true;
    }

    public void Dispose()
    {
        if (_committed || !Directory.Exists(Path))
            return;
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
        catch (UnauthorizedAccessException)
        {
            // Best effort.
        }
    }
}
