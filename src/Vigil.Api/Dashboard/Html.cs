using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Vigil.Ledger;
using Vigil.Scheduling;

namespace Vigil.Api.Dashboard;

/// <summary>
/// Builds a page's HTML. Every piece of text goes through <see cref="Text"/> (HTML-encoded), so job
/// names, reasons and captured output can never become markup; only this class's own literals do.
/// </summary>
internal sealed class Html
{
    private readonly StringBuilder _html = new(8 * 1024);

    /// <summary>Appends trusted markup (literals of the dashboard's own code only).</summary>
    public Html Raw(string markup)
    {
        _html.Append(markup);
        return this;
    }

    /// <summary>Appends text, encoded.</summary>
    public Html Text(string? text)
    {
        _html.Append(HtmlEncoder.Default.Encode(text ?? string.Empty));
        return this;
    }

    /// <summary>Appends an element with encoded text content: <c>&lt;tag class="..."&gt;text&lt;/tag&gt;</c>.</summary>
    public Html Element(string tag, string? text, string? cssClass = null, string? title = null)
    {
        _html.Append('<').Append(tag);
        Attribute("class", cssClass);
        Attribute("title", title);
        _html.Append('>');
        Text(text);
        _html.Append("</").Append(tag).Append('>');
        return this;
    }

    /// <summary>Appends a link with encoded text; <paramref name="href"/> is built from encoded path segments.</summary>
    public Html Link(string href, string? text, string? cssClass = null, string? title = null)
    {
        _html.Append("<a");
        Attribute("href", href);
        Attribute("class", cssClass);
        Attribute("title", title);
        _html.Append('>');
        Text(text);
        _html.Append("</a>");
        return this;
    }

    /// <summary>An action button: the script POSTs to <paramref name="url"/> with the CSRF header, then refreshes.</summary>
    public Html Action(string url, string label, string? confirm = null)
    {
        _html.Append("<button type=\"button\" class=\"action\"");
        Attribute("data-post", url);
        Attribute("data-confirm", confirm);
        _html.Append('>');
        Text(label);
        _html.Append("</button>");
        return this;
    }

    /// <summary>A run state as a coloured badge.</summary>
    public Html State(RunState state) => Element("span", state.Name(), "badge s-" + state.Name());

    /// <inheritdoc />
    public override string ToString() => _html.ToString();

    /// <summary>A path segment, encoded for a URL.</summary>
    public static string Segment(string value) => Uri.EscapeDataString(value);

    /// <summary>An instant as <c>2026-01-01 09:00:00Z</c>, or <c>-</c>.</summary>
    public static string When(DateTimeOffset? instant) =>
        instant is { } value ? value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "-";

    /// <summary>How long ago (or in how long) <paramref name="instant"/> is from <paramref name="now"/>: <c>3m ago</c>, <c>in 2h</c>.</summary>
    public static string Relative(DateTimeOffset? instant, DateTimeOffset now)
    {
        if (instant is not { } value)
        {
            return string.Empty;
        }

        var span = value - now;
        var future = span > TimeSpan.Zero;
        var size = span.Duration();
        var text = size < TimeSpan.FromSeconds(1) ? "now"
            : Duration.Format(size < TimeSpan.FromMinutes(1) ? TimeSpan.FromSeconds(Math.Round(size.TotalSeconds))
                : size < TimeSpan.FromHours(1) ? TimeSpan.FromMinutes(Math.Round(size.TotalMinutes))
                : size < TimeSpan.FromDays(2) ? TimeSpan.FromHours(Math.Round(size.TotalHours))
                : TimeSpan.FromDays(Math.Round(size.TotalDays)));
        return text == "now" ? text : future ? "in " + text : text + " ago";
    }

    /// <summary>A run's length: <c>340ms</c>, <c>2.5s</c>, <c>4m12s</c>, or <c>-</c>.</summary>
    public static string Length(TimeSpan? duration) => duration switch
    {
        null => "-",
        { } d when d < TimeSpan.FromSeconds(1) => ((long)d.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms",
        { } d when d < TimeSpan.FromMinutes(1) => d.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + "s",
        { } d => Duration.Format(TimeSpan.FromSeconds(Math.Round(d.TotalSeconds))),
    };

    private void Attribute(string name, string? value)
    {
        if (value is not null)
        {
            _html.Append(' ').Append(name).Append("=\"").Append(HtmlEncoder.Default.Encode(value)).Append('"');
        }
    }
}
