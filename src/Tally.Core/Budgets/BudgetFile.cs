using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Tally.Core.Budgets;

/// <summary>
/// The budgets file's format (<c>budgets.json</c>): <c>{"budgets": [{"name", "scope", "target", "period", "limit",
/// "unit", "thresholds", "action"}]}</c>. Reading collects every problem with where it is and skips only the budget it
/// is in; writing gives the same text for the same budgets.
/// </summary>
public static class BudgetFile
{
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The budgets in <paramref name="json"/>; each problem goes to <paramref name="errors"/>, prefixed with
    /// <paramref name="where"/> (the file's path), and the budget it is in is left out.</summary>
    public static IReadOnlyList<Budget> Read(string json, string where, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(errors);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            errors.Add($"{where}: cannot be read ({ex.Message}); fix it, or remove it and set budgets with `tally budget set`. No budget is checked.");
            return [];
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("budgets", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                errors.Add($"{where}: must hold an object with a \"budgets\" array (see docs/configuration.md). No budget is checked.");
                return [];
            }

            var budgets = new List<Budget>();
            var index = 0;
            foreach (var item in list.EnumerateArray())
            {
                var at = $"{where}: budgets[{index++}]";
                if (ReadOne(item, at, errors) is not { } budget)
                {
                    continue;
                }

                if (budgets.Any(b => string.Equals(b.Name, budget.Name, StringComparison.OrdinalIgnoreCase)))
                {
                    errors.Add($"{at}: the name \"{budget.Name}\" is used twice; this one is ignored.");
                    continue;
                }

                budgets.Add(budget);
            }

            return budgets;
        }
    }

    /// <summary>The file's text for <paramref name="budgets"/>, in the order given.</summary>
    public static string Write(IEnumerable<Budget> budgets)
    {
        ArgumentNullException.ThrowIfNull(budgets);
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteStartArray("budgets");
            foreach (var budget in budgets)
            {
                WriteOne(json, budget);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n";
    }

    /// <summary>Writes one budget as a JSON object (the file's shape, also used by <c>budget list --json</c>).</summary>
    public static void WriteOne(Utf8JsonWriter json, Budget budget)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WriteStartObject();
        WriteFields(json, budget);
        json.WriteEndObject();
    }

    /// <summary>Writes one budget's fields without the enclosing braces, so callers can add their own.</summary>
    public static void WriteFields(Utf8JsonWriter json, Budget budget)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(budget);
        json.WriteString("name", budget.Name);
        json.WriteString("scope", BudgetText.Of(budget.Scope));
        if (budget.Target is not null)
        {
            json.WriteString("target", budget.Target);
        }

        json.WriteString("period", BudgetText.Of(budget.Period));
        json.WriteNumber("limit", budget.Limit);
        json.WriteString("unit", BudgetText.Of(budget.Unit));
        json.WriteStartArray("thresholds");
        foreach (var threshold in budget.Thresholds)
        {
            json.WriteNumberValue(threshold);
        }

        json.WriteEndArray();
        json.WriteString("action", BudgetText.Of(budget.Action));
    }

    private static Budget? ReadOne(JsonElement item, string at, ICollection<string> errors)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{at}: must be an object; it is ignored.");
            return null;
        }

        var problems = new List<string>();
        string? name = null, target = null;
        BudgetScope? scope = null;
        BudgetPeriod? period = null;
        BudgetUnit unit = BudgetUnit.Usd;
        BudgetAction action = BudgetAction.Warn;
        decimal? limit = null;
        IReadOnlyList<decimal> thresholds = Budget.DefaultThresholds;
        foreach (var property in item.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "name":
                    name = Text(value, "name", problems);
                    break;
                case "scope":
                    scope = Word(value, "scope", BudgetText.Scope, "day, month, session, project, agent or plan", problems);
                    break;
                case "target":
                    target = value.ValueKind == JsonValueKind.Null ? null : Text(value, "target", problems);
                    break;
                case "period":
                    period = Word(value, "period", BudgetText.Period, "day, month, total, five-hour or weekly", problems);
                    break;
                case "unit":
                    unit = Word(value, "unit", BudgetText.Unit, "usd, tokens or percent", problems) ?? unit;
                    break;
                case "action":
                    action = Word(value, "action", BudgetText.Action, "warn, pause or stop", problems) ?? action;
                    break;
                case "limit":
                    limit = Number(value, "limit", problems);
                    break;
                case "thresholds":
                    thresholds = Thresholds(value, problems) ?? thresholds;
                    break;
                default:
                    errors.Add($"{at}: \"{property.Name}\" is not a budget setting (see docs/configuration.md); it is ignored.");
                    break;
            }
        }

        if (name is null)
        {
            problems.Add("\"name\" is missing");
        }

        if (scope is null)
        {
            problems.Add("\"scope\" is missing");
        }

        if (limit is null)
        {
            problems.Add("\"limit\" is missing");
        }

        if (problems.Count == 0)
        {
            var budget = new Budget
            {
                Name = name!,
                Scope = scope!.Value,
                Target = target,
                Period = period ?? BudgetRules.DefaultPeriod(scope.Value),
                Unit = unit,
                Limit = limit!.Value,
                Thresholds = thresholds,
                Action = action,
            };
            problems.AddRange(BudgetRules.Problems(budget));
            if (problems.Count == 0)
            {
                return budget;
            }
        }

        var label = name is null ? at : $"{at} (\"{name}\")";
        errors.Add($"{label}: {string.Join("; ", problems)}. This budget is not checked until it is fixed.");
        return null;
    }

    private static string? Text(JsonElement value, string key, List<string> problems)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString();
        }

        problems.Add($"\"{key}\" must be a string");
        return null;
    }

    private static T? Word<T>(JsonElement value, string key, Func<string, T?> parse, string allowed, List<string> problems)
        where T : struct
    {
        if (Text(value, key, problems) is not { } text)
        {
            return null;
        }

        var word = parse(text);
        if (word is null)
        {
            problems.Add($"\"{key}\": \"{text}\" is not one of {allowed}");
        }

        return word;
    }

    private static decimal? Number(JsonElement value, string key, List<string> problems)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number))
        {
            return number;
        }

        problems.Add($"\"{key}\" must be a number");
        return null;
    }

    private static List<decimal>? Thresholds(JsonElement value, List<string> problems)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            problems.Add("\"thresholds\" must be an array of percentages, e.g. [50, 80, 100]");
            return null;
        }

        var list = new List<decimal>();
        foreach (var item in value.EnumerateArray())
        {
            if (Number(item, "thresholds", problems) is { } number)
            {
                list.Add(number);
            }
        }

        list.Sort();
        return list;
    }
}
