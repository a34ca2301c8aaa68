using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Vigil.Engine;
using Vigil.Incidents;

namespace Vigil.Alerts;

/// <summary>Runs a program for each notice (argv, no shell) with the notice's JSON on stdin; exit code 0 means taken.</summary>
public sealed class CommandSink : IAlertSink
{
    private readonly IReadOnlyList<string> _argv;

    /// <summary>Creates the sink for <paramref name="argv"/>.</summary>
    public CommandSink(IReadOnlyList<string> argv)
    {
        ArgumentNullException.ThrowIfNull(argv);
        ArgumentOutOfRangeException.ThrowIfZero(argv.Count);
        _argv = argv;
        Id = "command-" + DefinitionHash.Of(string.Join('\0', argv)).ToString("x16", CultureInfo.InvariantCulture)[..8];
    }

    /// <inheritdoc />
    public string Id { get; }

    /// <inheritdoc />
    public async Task DeliverAsync(AlertRecord alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var start = new ProcessStartInfo(_argv[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in _argv.Skip(1))
        {
            start.ArgumentList.Add(arg);
        }

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new AlertDeliveryException($"command {_argv[0]}: {e.Message}");
        }

        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            try
            {
                await process.StandardInput.WriteAsync(AlertText.Json(alert).AsMemory(), cancellationToken).ConfigureAwait(false);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The program did not read its stdin; its exit code decides.
            }

            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new AlertDeliveryException($"command {_argv[0]}: did not finish in time (killed)");
        }

        await Task.WhenAll(stdout, stderr).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            var said = (await stderr.ConfigureAwait(false)).Trim();
            said = said.Length > 200 ? said[..200] : said;
            throw new AlertDeliveryException(string.Create(CultureInfo.InvariantCulture, $"command {_argv[0]}: exit code {process.ExitCode}{(said.Length > 0 ? ": " + said : string.Empty)}"));
        }
    }
}
