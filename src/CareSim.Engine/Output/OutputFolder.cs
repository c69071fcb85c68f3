using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CareSim.Engine.Output;

/// <summary>
/// The one way every command writes an output folder (docs/results.md#what-a-command-may-write):
/// <list type="bullet">
/// <item>refuses the project root (a folder holding .git or Simulation.sln), a file, and a folder
/// holding files no sim command wrote there (unless --force);</item>
/// <item>stages everything in a hidden sibling folder and moves it into place only on <see cref="Commit"/>
/// (the whole folder if the destination is new, else file by file, rolled back if a move fails);</item>
/// <item>replaces only the files it writes, deletes only files the same command wrote there before,
/// and records what it wrote in the folder's <see cref="MarkerFile"/>;</item>
/// <item>disposing without committing (an error, Ctrl+C) deletes the staging folder; staging folders
/// of killed processes are removed at the next start (their name holds the process id).</item>
/// </list>
/// A subfolder holding its own marker is another output (a report inside a results folder) and is left alone.
/// </summary>
public sealed partial class OutputFolder : IDisposable
{
    /// <summary>Lists every file sim commands wrote in the folder, and which command wrote it.</summary>
    public const string MarkerFile = ".caresim-output";

    private const string StagingTag = ".caresim-";
    private readonly string _command;
    private readonly bool _force;
    private readonly string? _createdAncestor;
    private bool _committed;

    private OutputFolder(string destination, string staging, string command, bool force, string? createdAncestor)
    {
        Destination = destination;
        Staging = staging;
        _command = command;
        _force = force;
        _createdAncestor = createdAncestor;
    }

    /// <summary>The final folder (full path).</summary>
    public string Destination { get; }

    /// <summary>Where every output is written until <see cref="Commit"/>.</summary>
    public string Staging { get; }

    /// <summary>The staging path of an output file (relative to the folder).</summary>
    public string PathOf(string relativePath) => Path.Combine(Staging, relativePath);

    /// <summary>
    /// Checks, without writing anything, that <paramref name="command"/> (e.g. "sim report") may write
    /// <paramref name="destination"/>.
    /// </summary>
    /// <exception cref="OutputRefusedException">Why not, naming the path and what to do.</exception>
    public static void Check(string destination, string command, bool force)
    {
        var target = Full(destination);
        if (File.Exists(target))
            throw new OutputRefusedException($"{destination} is a file; {command} writes a folder there: choose a folder (--out)");
        if (Path.GetDirectoryName(target) is null)
            throw new OutputRefusedException($"{destination} is the root of a file system: choose a folder below it (--out)");
        if (!Directory.Exists(target))
            return;
        if (IsProjectRoot(target))
            throw new OutputRefusedException($"{destination} is a project folder (it holds .git or Simulation.sln), which {command} never writes into, even with --force: choose another folder (--out)");
        if (force)
            return;
        var foreign = ForeignFiles(target, Marker.Read(target));
        if (foreign.Count > 0)
            throw new OutputRefusedException($"{destination} holds files {command} did not write ({Sample(foreign)}): choose an empty or new folder, or --force to replace only the files {command} writes");
    }

    /// <summary>Checks the destination (<see cref="Check"/>), removes abandoned staging folders beside it and creates this one.</summary>
    public static OutputFolder Begin(string destination, string command, bool force)
    {
        Check(destination, command, force);
        var target = Full(destination);
        var parent = Path.GetDirectoryName(target)!;
        string? createdAncestor = null;
        for (var d = parent; d is not null && !Directory.Exists(d); d = Path.GetDirectoryName(d)) createdAncestor = d;
        Directory.CreateDirectory(parent);
        RemoveStaging(target, onlyAbandoned: true);
        var staging = StagingPath(target);
        Directory.CreateDirectory(staging);
        return new OutputFolder(target, staging, command, force, createdAncestor);
    }

    /// <summary>
    /// Deletes staging folders (and files) left in <paramref name="destination"/>'s parent folder: with
    /// <paramref name="onlyAbandoned"/>, those of processes that are gone, whatever destination they were
    /// for; else all of this destination's (a resumed cluster run, whose first client may have run on
    /// another machine). Returns how many.
    /// </summary>
    public static int RemoveStaging(string destination, bool onlyAbandoned)
    {
        var target = Full(destination);
        var parent = Path.GetDirectoryName(target);
        if (parent is null || !Directory.Exists(parent)) return 0;
        var prefix = $".{Path.GetFileName(target)}{StagingTag}";
        var removed = 0;
        // Abandoned: those of any destination in this folder (a killed run's default name is never used
        // again); all: only this destination's.
        foreach (var entry in Directory.EnumerateFileSystemEntries(parent, onlyAbandoned ? $".*{StagingTag}*" : prefix + "*"))
        {
            if (StagingName().Match(Path.GetFileName(entry)) is not { Success: true } name) continue;
            var pid = int.Parse(name.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            if (onlyAbandoned && IsRunning(pid, Directory.GetCreationTimeUtc(entry))) continue;
            try
            {
                if (Directory.Exists(entry)) Directory.Delete(entry, recursive: true);
                else File.Delete(entry);
                removed++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another process may be removing it too; it is hidden either way.
            }
        }
        return removed;
    }

    /// <summary>
    /// Moves the staged files into place: the whole folder when the destination does not exist,
    /// else file by file (each replaced; on a failure the ones already moved are put back), then
    /// deletes the files this command wrote there before and did not write again.
    /// </summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        var staged = Files(Staging).Where(f => f != MarkerFile).ToList();
        var previous = Directory.Exists(Destination) ? Marker.Read(Destination) : new Marker();
        var next = new Marker();
        foreach (var (file, owner) in previous.Files)
        {
            if (owner != _command && File.Exists(Path.Combine(Destination, file))) next.Files[file] = owner;
        }
        foreach (var file in staged) next.Files[file] = _command;

        if (!Directory.Exists(Destination))
        {
            next.Write(Staging, Staging);
            Directory.Move(Staging, Destination);
            _committed = true;
            return;
        }
        var hadMarker = File.Exists(Path.Combine(Destination, MarkerFile));
        foreach (var file in staged)
        {
            var target = Path.Combine(Destination, file);
            if (Directory.Exists(target))
                throw new OutputRefusedException($"{Path.Combine(Destination, file)} is a folder where {_command} writes a file: move it, or choose another folder (--out)");
            if (!_force && File.Exists(target) && !previous.Files.ContainsKey(file))
                throw new OutputRefusedException($"{Path.Combine(Destination, file)} appeared while {_command} was running: nothing was replaced; choose another folder, or --force");
        }
        // Until the stale files are gone the marker lists them too, so a crash in between leaves no unlisted
        // file of ours. It does not yet claim a file of the user's that --force replaces: were the process
        // killed before the move, that file would pass for ours and go without --force next time.
        var union = new Marker();
        foreach (var (file, owner) in previous.Files) union.Files[file] = owner;
        foreach (var (file, owner) in next.Files.Where(f => previous.Files.ContainsKey(f.Key) || !File.Exists(Path.Combine(Destination, f.Key))))
            union.Files[file] = owner;
        union.Write(Destination, Staging);
        try
        {
            MoveIntoPlace(staged);
        }
        catch
        {
            // Every file is back as it was: so is the list of what is ours (none, if there was none).
            if (hadMarker) previous.Write(Destination, Staging);
            else File.Delete(Path.Combine(Destination, MarkerFile));
            throw;
        }
        foreach (var (file, owner) in previous.Files)
        {
            if (owner == _command && !next.Files.ContainsKey(file)) DeleteWithEmptyFolders(file);
        }
        next.Write(Destination, Staging);
        _committed = true;
        Directory.Delete(Staging, recursive: true);
    }

    private void MoveIntoPlace(List<string> staged)
    {
        var backup = Staging + "-old";
        var moved = new List<(string File, bool Replaced)>();
        try
        {
            foreach (var file in staged)
            {
                var target = Path.Combine(Destination, file);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                var replaced = File.Exists(target);
                if (replaced)
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(backup, file))!);
                    File.Move(target, Path.Combine(backup, file));
                }
                File.Move(Path.Combine(Staging, file), target);
                moved.Add((file, replaced));
            }
        }
        catch
        {
            for (var i = moved.Count - 1; i >= 0; i--)
            {
                var (file, replaced) = moved[i];
                File.Move(Path.Combine(Destination, file), Path.Combine(Staging, file));
                if (replaced) File.Move(Path.Combine(backup, file), Path.Combine(Destination, file));
            }
            throw;
        }
        if (Directory.Exists(backup)) Directory.Delete(backup, recursive: true);
    }

    private void DeleteWithEmptyFolders(string file)
    {
        var path = Path.Combine(Destination, file);
        if (File.Exists(path)) File.Delete(path);
        for (var dir = Path.GetDirectoryName(path); dir is not null && dir.Length > Destination.Length
             && Directory.Exists(dir) && !Directory.EnumerateFileSystemEntries(dir).Any(); dir = Path.GetDirectoryName(dir))
            Directory.Delete(dir);
    }

    public void Dispose()
    {
        if (_committed) return;
        try
        {
            if (Directory.Exists(Staging)) Directory.Delete(Staging, recursive: true);
            if (Directory.Exists(Staging + "-old")) Directory.Delete(Staging + "-old", recursive: true);
            // Parent folders this output created, if nothing else was put there meanwhile.
            for (var dir = Path.GetDirectoryName(Destination); _createdAncestor is not null && dir is not null && dir.Length >= _createdAncestor.Length
                 && Directory.Exists(dir) && !Directory.EnumerateFileSystemEntries(dir).Any(); dir = Path.GetDirectoryName(dir))
                Directory.Delete(dir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the staging folder is hidden, and the next start removes it.
        }
    }

    /// <summary>A staging folder's (or its backup's, or a single file's temporary) name: the process id is group 1.</summary>
    [GeneratedRegex(@"^\..+\.caresim-([0-9]{1,9})-[0-9a-f]{8}(-old)?$")]
    private static partial Regex StagingName();

    /// <summary>A new hidden name beside <paramref name="target"/> holding this process's id (see <see cref="RemoveStaging"/>).</summary>
    internal static string StagingPath(string target) =>
        Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}{StagingTag}{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");

    internal static string Full(string path) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));

    internal static bool IsProjectRoot(string folder) =>
        Directory.Exists(Path.Combine(folder, ".git")) || File.Exists(Path.Combine(folder, ".git")) || File.Exists(Path.Combine(folder, "Simulation.sln"));

    internal static bool IsRunning(int pid, DateTime sinceUtc)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            // A process started after the staging folder was made only reuses the id.
            return !process.HasExited && process.StartTime.ToUniversalTime() <= sinceUtc.AddSeconds(1);
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return true;
        }
    }

    internal static string Sample(IReadOnlyList<string> files) =>
        string.Join(", ", files.Take(5)) + (files.Count > 5 ? $" and {files.Count - 5} more" : "");

    /// <summary>Every file below <paramref name="root"/> (relative, with '/').</summary>
    private static IEnumerable<string> Files(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f).Replace('\\', '/')).Order(StringComparer.Ordinal);

    /// <summary>Files below a folder that no command of ours wrote (its marker does not list them): a user's, not to be removed.</summary>
    public static IReadOnlyList<string> ForeignFiles(string folder) => ForeignFiles(folder, Marker.Read(folder));

    /// <summary>Files below the folder that its marker does not list, skipping subfolders that are outputs of their own.</summary>
    private static List<string> ForeignFiles(string folder, Marker marker)
    {
        var foreign = new List<string>();
        void Walk(string dir)
        {
            foreach (var file in Directory.EnumerateFiles(dir).Order(StringComparer.Ordinal))
            {
                var relative = Path.GetRelativePath(folder, file).Replace('\\', '/');
                if (relative != MarkerFile && !marker.Files.ContainsKey(relative)) foreign.Add(relative);
            }
            foreach (var sub in Directory.EnumerateDirectories(dir).Order(StringComparer.Ordinal))
            {
                var relative = Path.GetRelativePath(folder, sub).Replace('\\', '/');
                var ours = marker.Files.Keys.Any(f => f.StartsWith(relative + "/", StringComparison.Ordinal));
                if (!ours && File.Exists(Path.Combine(sub, MarkerFile))) continue;
                Walk(sub);
            }
        }
        Walk(folder);
        return foreign;
    }

    /// <summary>The marker file: relative path to the command that wrote it.</summary>
    private sealed class Marker
    {
        public SortedDictionary<string, string> Files { get; init; } = new(StringComparer.Ordinal);

        public static Marker Read(string folder)
        {
            var path = Path.Combine(folder, MarkerFile);
            if (!File.Exists(path)) return new Marker();
            try
            {
                var files = JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, string>>>(File.ReadAllText(path))?.GetValueOrDefault("files");
                return new Marker { Files = new SortedDictionary<string, string>(files ?? [], StringComparer.Ordinal) };
            }
            catch (JsonException)
            {
                // Unreadable: every file there counts as the user's.
                return new Marker();
            }
        }

        /// <summary>Writes the marker into <paramref name="folder"/> through a temporary file in <paramref name="scratch"/>.</summary>
        public void Write(string folder, string scratch)
        {
            var path = Path.Combine(folder, MarkerFile);
            var temporary = Path.Combine(scratch, MarkerFile + ".next");
            File.WriteAllText(temporary, JsonSerializer.Serialize(new Dictionary<string, object> { ["files"] = Files }, Indented) + "\n");
            File.Move(temporary, path, overwrite: true);
        }

        private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    }
}

/// <summary>A command may not write where it was asked to (the message names the path and what to do): exit code 2.</summary>
public sealed class OutputRefusedException(string message) : IOException(message);
