namespace CareSim.Reports.Writing;

/// <summary>
/// The report folder, written atomically: everything goes to a hidden staging folder beside the
/// target and is renamed into place by <see cref="Commit"/>. Disposing without committing (an
/// error, Ctrl+C) deletes the staging folder and any parent folders it created, so nothing is
/// left behind.
/// </summary>
public sealed class ReportOutput : IDisposable
{
    /// <summary>The file that marks a folder as a report (a previous report may be replaced).</summary>
    public const string ReportFile = "report.md";

    private readonly string _target;
    private readonly string? _createdAncestor;
    private bool _committed;

    private ReportOutput(string target, string staging, string? createdAncestor)
    {
        _target = target;
        Staging = staging;
        _createdAncestor = createdAncestor;
    }

    /// <summary>Where files are written until <see cref="Commit"/>.</summary>
    public string Staging { get; }

    /// <summary>The final folder.</summary>
    public string Target => _target;

    /// <summary>
    /// Checks the target without writing anything: it may not exist, be empty, or hold a previous
    /// report (report.md), which is replaced on commit; anything else needs <paramref name="force"/>.
    /// </summary>
    public static void Check(string outputDirectory, bool force)
    {
        var target = Path.GetFullPath(outputDirectory);
        if (File.Exists(target))
            throw new ReportInputException($"{outputDirectory}: is a file; expected a folder for the report (--out).");
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any()
            && !File.Exists(Path.Combine(target, ReportFile)) && !force)
            throw new ReportInputException($"{outputDirectory}: exists, is not empty and holds no previous report ({ReportFile}); choose another --out or add --force to replace it.");
    }

    /// <summary>Creates the staging folder (after <see cref="Check"/>).</summary>
    public static ReportOutput Begin(string outputDirectory, bool force)
    {
        Check(outputDirectory, force);
        var target = Path.GetFullPath(outputDirectory);
        var parent = Path.GetDirectoryName(target) ?? throw new ReportInputException($"{outputDirectory}: expected a folder below a parent folder (--out).");
        string? createdAncestor = null;
        for (var d = parent; d is not null && !Directory.Exists(d); d = Path.GetDirectoryName(d)) createdAncestor = d;
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{Path.GetFileName(target)}.tmp-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        return new ReportOutput(target, staging, createdAncestor);
    }

    public string PathOf(string fileName) => Path.Combine(Staging, fileName);

    /// <summary>Moves the staging folder into place (replacing a previous report).</summary>
    public void Commit()
    {
        if (Directory.Exists(_target))
        {
            var backup = Path.Combine(Path.GetDirectoryName(_target)!, $".{Path.GetFileName(_target)}.old-{Guid.NewGuid():N}");
            Directory.Move(_target, backup);
            Directory.Move(Staging, _target);
            Directory.Delete(backup, recursive: true);
        }
        else
        {
            Directory.Move(Staging, _target);
        }
        _committed = true;
    }

    public void Dispose()
    {
        if (_committed) return;
        try
        {
            if (Directory.Exists(Staging)) Directory.Delete(Staging, recursive: true);
            if (_createdAncestor is not null && Directory.Exists(_createdAncestor)) Directory.Delete(_createdAncestor, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the staging folder is hidden and named .tmp.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }
}
