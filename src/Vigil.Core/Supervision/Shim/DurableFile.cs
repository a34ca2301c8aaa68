namespace Vigil.Supervision.Shim;

/// <summary>Replaces a file so that a reader sees the old content or the new, never a part, even across a power loss.</summary>
internal static class DurableFile
{
    /// <summary>Writes <paramref name="bytes"/> to a temporary file, fsyncs it, renames it over <paramref name="path"/>, and fsyncs the directory.</summary>
    public static void Write(string path, ReadOnlySpan<byte> bytes)
    {
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
        SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>fsyncs a directory, so that a rename in it survives a power loss.</summary>
    public static void SyncDirectory(string directory)
    {
        var fd = Libc.open(directory, Libc.ORdOnly | Libc.OCloExec, 0);
        if (fd >= 0)
        {
            _ = Libc.fsync(fd);
            _ = Libc.close(fd);
        }
    }
}
