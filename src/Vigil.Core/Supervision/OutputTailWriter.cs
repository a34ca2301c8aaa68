using System.Text;

namespace Vigil.Supervision;

/// <summary>A <see cref="TextWriter"/> into an <see cref="OutputTail"/>: what an in-process handler writes to.</summary>
/// <remarks>Thread-safe: a handler may write from several tasks at once.</remarks>
internal sealed class OutputTailWriter(OutputTail tail) : TextWriter
{
    private readonly Encoder _encoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetEncoder();
    private readonly Lock _lock = new();

    /// <inheritdoc />
    public override Encoding Encoding => Encoding.UTF8;

    /// <inheritdoc />
    public override void Write(char value) => Write(new ReadOnlySpan<char>(in value));

    /// <inheritdoc />
    public override void Write(string? value) => Write(value.AsSpan());

    /// <inheritdoc />
    public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<char> buffer)
    {
        if (buffer.IsEmpty)
        {
            return;
        }

        lock (_lock)
        {
            // The encoder keeps a high surrogate that ends one write for the next one.
            var bytes = new byte[_encoder.GetByteCount(buffer, flush: false)];
            var count = _encoder.GetBytes(buffer, bytes, flush: false);
            if (count > 0)
            {
                tail.Append(bytes.AsSpan(0, count));
            }
        }
    }
}
