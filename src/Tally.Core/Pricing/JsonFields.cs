using System.Globalization;
using System.Text.Json;

namespace Tally.Core.Pricing;

/// <summary>Typed reads from a <see cref="JsonElement"/> that fail with a <see cref="FormatException"/> naming the JSON path.</summary>
internal static class JsonFields
{
    public static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
    };

    /// <summary>Parses a whole document, turning a syntax error into a <see cref="FormatException"/>.</summary>
    public static JsonDocument Parse(Stream json, string what)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"The {what} is not valid JSON: {ex.Message}", ex);
        }
    }

    /// <summary>Throws unless <paramref name="element"/> is an object whose property names are all in <paramref name="allowed"/> (names starting with <c>$</c> are ignored).</summary>
    public static void ExpectObject(JsonElement element, string path, params string[] allowed)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{path}: expected an object, found {Kind(element)}.");
        }

        foreach (JsonProperty property in element.EnumerateObject())
        {
            if (!property.Name.StartsWith('$') && Array.IndexOf(allowed, property.Name) < 0)
            {
                throw new FormatException($"{path}.{property.Name}: unknown property (expected one of: {string.Join(", ", allowed)}).");
            }
        }
    }

    /// <summary>The elements of an optional array property (empty when absent or null).</summary>
    public static JsonElement[] OptionalArray(JsonElement obj, string name, string path)
    {
        if (!obj.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"{path}.{name}: expected an array, found {Kind(value)}.");
        }

        return [.. value.EnumerateArray()];
    }

    /// <summary>An optional string property.</summary>
    public static string? OptionalString(JsonElement obj, string name, string path)
    {
        if (!obj.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new FormatException($"{path}.{name}: expected a string, found {Kind(value)}.");
    }

    /// <summary>A required, non-blank string property.</summary>
    public static string RequiredString(JsonElement obj, string name, string path)
    {
        string? value = OptionalString(obj, name, path);
        return string.IsNullOrWhiteSpace(value)
            ? throw new FormatException($"{path}.{name}: required, and must be a non-empty string.")
            : value.Trim();
    }

    /// <summary>An optional date property in <c>YYYY-MM-DD</c> form.</summary>
    public static DateOnly? OptionalDate(JsonElement obj, string name, string path)
    {
        string? text = OptionalString(obj, name, path);
        if (text is null)
        {
            return null;
        }

        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly day)
            ? day
            : throw new FormatException($"{path}.{name}: \"{text}\" is not a date in YYYY-MM-DD form.");
    }

    /// <summary>An optional non-negative number property, read exactly as a decimal (exponents allowed).</summary>
    public static decimal? OptionalDecimal(JsonElement obj, string name, string path)
    {
        if (!obj.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number)
        {
            throw new FormatException($"{path}.{name}: expected a number, found {Kind(value)}.");
        }

        string raw = value.GetRawText();
        if (!decimal.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal number))
        {
            throw new FormatException($"{path}.{name}: {raw} is out of range.");
        }

        return number >= 0m ? number : throw new FormatException($"{path}.{name}: {raw} is negative.");
    }

    /// <summary>A required non-negative number property.</summary>
    public static decimal RequiredDecimal(JsonElement obj, string name, string path) =>
        OptionalDecimal(obj, name, path) ?? throw new FormatException($"{path}.{name}: required, and must be a number.");

    /// <summary>Describes a JSON value's kind for an error message.</summary>
    public static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
