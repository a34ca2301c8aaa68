namespace Vigil.Supervision.Shim;

/// <summary>
/// <c>output.log</c>: the shim's copy of the command's output on disk, so that whoever adopts or
/// finalizes the run reads the same tail the shim kept. Cut back to the last <c>capacity</c> bytes
/// whenever it grows past twice that, so a chatty command cannot fill the disk.
/// </summary>
/// <remarks>Appends come from one reader (the output pump), in order, under the tail's lock.</remarks>
internal sealed class OutputLog : IDisposable
{
    private readonly string _path;
    private readonly int _capacity;
    private FileStream _stream;

    public OutputLog(string path, int capacity)
    {
        _path = path;
        _capacity = capacity;
        _stream = Open(path);
    }

    /// <summary>Appends a chunk (an <see cref="OutputMirror"/>).</summary>
    public void Append(ReadOnlySpan<byte> chunk)
    {
        try
        {
            _stream.Write(chunk);
            _stream.Flush();
            if (_stream.Length > 2L * _capacity)
            {
                CutBack();
            }
        }
        catch (IOException)
        {
            // A full disk must not stop the command: the in-memory tail still has the output.
        }
    }

    /// <summary>Flushes the file to disk: called once the command has ended, before the exit record is written.</summary>
    public void Finish()
    {
        try
        {
            _stream.Flush(flushToDisk: true);
        }
        catch (IOException)
        {
            // As in Append.
        }
    }

    public void Dispose() => _stream.Dispose();

    /// <summary>The last <paramref name="capacity"/> bytes of the file at <paramref name="path"/> as text (empty when there is none).</summary>
    public static string ReadTail(string path, int capacity, TimeProvider time)
    {
        byte[] bytes;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var start = Math.Max(0, stream.Length - capacity);
            stream.Position = start;
            bytes = new byte[stream.Length - start];
            stream.ReadExactly(bytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }

        // Through an OutputTail, so a cut inside a character is handled as for a live tail.
        var tail = new OutputTail(capacity, time);
        tail.Append(bytes);
        return tail.ToString();
    }

    private void CutBack()
    {
        var keep = new byte[_capacity];
        _stream.Position = _stream.Length - _capacity;
        _stream.ReadExactly(keep);
        _stream.Dispose();
        var temporary = _path + ".tmp";
        File.WriteAllBytes(temporary, keep);
        File.Move(temporary, _path, overwrite: true);
        _stream = Open(_path);
    }

    private static FileStream Open(string path)
    {
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        stream.Seek(0, SeekOrigin.End);
        return stream;
    }
}
