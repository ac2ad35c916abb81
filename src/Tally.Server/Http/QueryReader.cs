using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Tally.Server.Http;

/// <summary>
/// Reads a request's query string against the parameters its endpoint accepts. Everything wrong is collected, each
/// under the parameter's name (an unknown parameter, a repeated one, a value too long, with control characters, out of
/// range or not one of the accepted values), so one 400 answer names all of it.
/// </summary>
internal sealed class QueryReader
{
    /// <summary>The longest value accepted (a project path, a list of model ids).</summary>
    public const int MaxValueLength = 4096;

    /// <summary>The most entries a list parameter may hold.</summary>
    public const int MaxListEntries = 256;

    private readonly IQueryCollection _query;
    private readonly Dictionary<string, Parameter> _accepted;

    /// <summary>Reads <paramref name="context"/>'s query for an endpoint that accepts <paramref name="accepted"/>.</summary>
    public QueryReader(HttpContext context, IReadOnlyList<Parameter> accepted)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(accepted);
        _query = context.Request.Query;
        _accepted = accepted.ToDictionary(static p => p.Name, StringComparer.Ordinal);
        foreach (var (key, values) in _query)
        {
            if (!_accepted.TryGetValue(key, out var parameter))
            {
                var known = string.Join(", ", accepted.Select(static p => p.Name));
                Fail(key, $"is not a parameter of {context.Request.Path.Value} (it takes: {(known.Length == 0 ? "none" : known)}).");
                continue;
            }

            if (!parameter.List && values.Count > 1)
            {
                Fail(key, $"is given {values.Count} times; give it once.");
            }

            foreach (var value in values)
            {
                if (value is null)
                {
                    continue;
                }

                if (value.Length > MaxValueLength)
                {
                    Fail(key, $"is {value.Length:N0} characters long; the most is {MaxValueLength:N0}.");
                }
                else if (value.AsSpan().IndexOfAnyInRange('\0', '\u001f') >= 0 || value.Contains('\u007f', StringComparison.Ordinal))
                {
                    Fail(key, "holds a control character.");
                }
            }
        }
    }

    /// <summary>Every problem found so far, by parameter name.</summary>
    public Dictionary<string, List<string>> Errors { get; } = new(StringComparer.Ordinal);

    /// <summary>True when a problem was found.</summary>
    public bool Failed => Errors.Count > 0;

    /// <summary>Records a problem with <paramref name="name"/> (shown as "name: message").</summary>
    public void Fail(string name, string message)
    {
        var key = name.Length > 100 ? name[..100] : name;
        if (!Errors.TryGetValue(key, out var messages))
        {
            Errors[key] = messages = [];
        }

        if (messages.Count < 5)
        {
            messages.Add(message);
        }
    }

    /// <summary>The value of a single-valued parameter, trimmed; null when absent (or repeated, which is an error already).</summary>
    public string? Text(string name)
    {
        var values = Raw(name);
        return values.Count == 1 ? values[0]?.Trim() : null;
    }

    /// <summary>True when the parameter is in the query string, even with an empty value.</summary>
    public bool Has(string name) => _query.ContainsKey(name);

    /// <summary>
    /// A list parameter: null when absent; every comma-separated entry of every occurrence, trimmed and without blanks,
    /// when present (so <c>models=</c> is an empty list).
    /// </summary>
    public IReadOnlyList<string>? List(string name)
    {
        if (!Has(name))
        {
            return null;
        }

        var entries = Raw(name).SelectMany(static v => (v ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.Ordinal).ToList();
        if (entries.Count > MaxListEntries)
        {
            Fail(name, $"lists {entries.Count} entries; the most is {MaxListEntries}.");
            return [];
        }

        return entries;
    }

    /// <summary>Every occurrence of a repeatable parameter that is not a comma list (e.g. a project path), trimmed, without blanks.</summary>
    public IReadOnlyList<string>? Each(string name) =>
        Has(name) ? [.. Raw(name).Select(static v => v?.Trim() ?? string.Empty).Where(static v => v.Length > 0).Distinct(StringComparer.Ordinal)] : null;

    /// <summary>One of the parameter's declared values (case-insensitive), as declared; null when absent or wrong.</summary>
    public string? Choice(string name)
    {
        var text = Text(name);
        if (text is null)
        {
            return null;
        }

        var values = _accepted[name].Values ?? [];
        var match = values.FirstOrDefault(v => string.Equals(v, text, StringComparison.OrdinalIgnoreCase));
        if (match is null)
        {
            Fail(name, $"\"{Shown(text)}\" is not one of: {string.Join(", ", values)}.");
        }

        return match;
    }

    /// <summary>A whole number between <paramref name="min"/> and <paramref name="max"/>; null when absent or wrong.</summary>
    public int? Integer(string name, int min, int max)
    {
        var text = Text(name);
        if (text is null)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        Fail(name, $"\"{Shown(text)}\" is not a whole number from {min} to {max}.");
        return null;
    }

    /// <summary><c>true</c>/<c>false</c> (also <c>1</c>/<c>0</c>); null when absent or wrong.</summary>
    public bool? Boolean(string name)
    {
        switch (Text(name)?.ToLowerInvariant())
        {
            case null:
                return null;
            case "true" or "1":
                return true;
            case "false" or "0":
                return false;
            default:
                Fail(name, $"\"{Shown(Text(name)!)}\" is not true or false.");
                return null;
        }
    }

    /// <summary>A value cut for an error message (a hostile value is not echoed whole).</summary>
    public static string Shown(string value) => value.Length > 60 ? value[..60] + "…" : value;

    private Microsoft.Extensions.Primitives.StringValues Raw(string name) =>
        _query.TryGetValue(name, out var values) ? values : default;
}
