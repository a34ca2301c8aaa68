using System.Numerics;
using System.Runtime.InteropServices;

namespace Vigil.Engine;

/// <summary>A fast 64-bit hash of a job's definition text, to notice changes without keeping the text.</summary>
/// <remarks>
/// Not cryptographic: definitions come from the operator's own config and CLI, not from an
/// adversary. Eight bytes at a time, each mixed with a multiply and a rotate, and a final avalanche,
/// so any change of the text changes the hash with overwhelming probability.
/// </remarks>
internal static class DefinitionHash
{
    private const ulong Seed = 0x9E3779B97F4A7C15;
    private const ulong Multiplier = 0xBF58476D1CE4E5B9;

    /// <summary>The hash of <paramref name="text"/>'s UTF-8 bytes (the same as <see cref="Of(ReadOnlySpan{byte})"/> of them).</summary>
    public static ulong Of(string text) => Of(System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>The hash of a definition's UTF-8 text, as the store keeps it.</summary>
    public static ulong Of(ReadOnlySpan<byte> utf8)
    {
        var words = MemoryMarshal.Cast<byte, ulong>(utf8);
        var hash = Seed ^ (ulong)utf8.Length;
        foreach (var word in words)
        {
            hash = BitOperations.RotateLeft((hash ^ word) * Multiplier, 27);
        }

        for (var i = words.Length * 8; i < utf8.Length; i++)
        {
            hash = BitOperations.RotateLeft((hash ^ utf8[i]) * Multiplier, 27);
        }

        // Final avalanche (the 64-bit finalizer of MurmurHash3).
        hash ^= hash >> 33;
        hash *= 0xFF51AFD7ED558CCD;
        hash ^= hash >> 33;
        hash *= 0xC4CEB93E53E98863;
        hash ^= hash >> 33;
        return hash;
    }
}
