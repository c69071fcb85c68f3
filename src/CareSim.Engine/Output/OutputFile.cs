namespace CareSim.Engine.Output;

/// <summary>
/// A command's single output file (as <see cref="OutputFolder"/> for one file): written to a hidden
/// temporary file beside it and renamed into place; an existing file is replaced only if the command
/// wrote it (<c>writtenByCommand</c> recognises its content) or with --force.
/// </summary>
public static class OutputFile
{
    /// <summary>Checks, without writing anything, that <paramref name="command"/> may write <paramref name="path"/>.</summary>
    /// <exception cref="OutputRefusedException">Why not, naming the path and what to do.</exception>
    public static void Check(string path, string command, bool force, Func<string, bool> writtenByCommand)
    {
        ArgumentNullException.ThrowIfNull(writtenByCommand);
        var target = OutputFolder.Full(path);
        if (Directory.Exists(target))
            throw new OutputRefusedException($"{path} is a folder; {command} writes a file there: name a file (--out)");
        if (!force && File.Exists(target) && !writtenByCommand(File.ReadAllText(target)))
            throw new OutputRefusedException($"{path} exists and was not written by {command}: choose another file, or --force to replace it");
    }

    /// <summary>Writes <paramref name="text"/> (UTF-8, no BOM) to <paramref name="path"/> after <see cref="Check"/>.</summary>
    public static void Write(string path, string text, string command, bool force, Func<string, bool> writtenByCommand)
    {
        Check(path, command, force, writtenByCommand);
        var target = OutputFolder.Full(path);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        OutputFolder.RemoveStaging(target, onlyAbandoned: true);
        var temporary = OutputFolder.StagingPath(target);
        try
        {
            File.WriteAllText(temporary, text, new System.Text.UTF8Encoding(false));
            File.Move(temporary, target, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }
}
