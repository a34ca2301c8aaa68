using System.Text;

namespace Vigil.Cli;

/// <summary>Text conventions shared by every command.</summary>
internal static class CliText
{
    /// <summary>UTF-8 without a byte-order mark: what scripts reading our output expect.</summary>
    public static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Collapses a message to one line, so an error is always exactly one line on stderr.</summary>
    public static string OneLine(string message)
    {
        if (message.AsSpan().IndexOfAny('\r', '\n') < 0)
        {
            return message;
        }

        return string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}
