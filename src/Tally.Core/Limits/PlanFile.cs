using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Tally.Core.Limits;

/// <summary>
/// Reads the user-editable plan file (<c>plans.json</c> in the configuration folder). Its defaults — written there on
/// first use — are estimates: Anthropic publishes no token budgets, so the 5-hour figures are the approximations the
/// Claude-Code-Usage-Monitor uses (cost at API prices, messages, input+output tokens per 5 hours), and weekly budgets
/// are left unknown for Tally to learn from the status line and limit hits.
/// </summary>
public static partial class PlanFile
{
    /// <summary>The file written on first use.</summary>
    public const string DefaultText = """
        {
          "note": "Estimates, not Anthropic's figures: Anthropic publishes no token budgets. The 5-hour figures are the approximations the Claude-Code-Usage-Monitor uses (USD at API prices, messages = billed calls, input+output tokens). null = unknown: Tally learns it from limit hits and Claude Code's status line. Edit freely; see docs/configuration.md.",
          "plan": "custom",
          "weeklyReset": null,
          "plans": {
            "pro": {
              "label": "Pro ($20/month)",
              "fiveHour": { "costUsd": 18, "messages": 250, "tokens": 19000 },
              "weekly": { "costUsd": null },
              "models": {}
            },
            "max5": {
              "label": "Max 5x ($100/month)",
              "fiveHour": { "costUsd": 35, "messages": 1000, "tokens": 88000 },
              "weekly": { "costUsd": null },
              "models": { "opus": { "weeklyCostUsd": null } }
            },
            "max20": {
              "label": "Max 20x ($200/month)",
              "fiveHour": { "costUsd": 140, "messages": 2000, "tokens": 220000 },
              "weekly": { "costUsd": null },
              "models": { "opus": { "weeklyCostUsd": null } }
            },
            "team": {
              "label": "Team (standard seat; assumed like Pro, use max5 for a premium seat)",
              "fiveHour": { "costUsd": 18, "messages": 250, "tokens": 19000 },
              "weekly": { "costUsd": null },
              "models": {}
            },
            "custom": {
              "label": "Custom (learned from your history and limit hits)",
              "fiveHour": { "costUsd": null, "messages": null, "tokens": null },
              "weekly": { "costUsd": null },
              "models": {}
            }
          }
        }
        """;

    /// <summary>The default plans.</summary>
    public static PlanSettings Defaults { get; } = Read(DefaultText, "(defaults)", []);

    /// <summary>Reads a plan file's text; every problem goes to <paramref name="errors"/> (naming <paramref name="path"/>
    /// and the field), and what could not be read falls back to the defaults.</summary>
    public static PlanSettings Read(string json, string path, ICollection<string> errors)
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
            errors.Add($"{path}: is not valid JSON ({ex.Message}); the default plans are used.");
            return Defaults;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                errors.Add($"{path}: must hold a JSON object; the default plans are used.");
                return Defaults;
            }

            // The built-in plans are always there; the file's own plans replace them by name and add to them.
            var plans = ReferenceEquals(json, DefaultText)
                ? new Dictionary<string, Plan>(StringComparer.OrdinalIgnoreCase)
                : new Dictionary<string, Plan>(Defaults.Plans, StringComparer.OrdinalIgnoreCase);
            string? selected = null, weeklyReset = null;
            foreach (var property in root.EnumerateObject())
            {
                var where = $"{path}: \"{property.Name}\"";
                switch (property.Name)
                {
                    case "note":
                        break;
                    case "plan":
                        selected = Text(property.Value, where, errors);
                        break;
                    case "weeklyReset":
                        weeklyReset = Text(property.Value, where, errors);
                        break;
                    case "plans" when property.Value.ValueKind == JsonValueKind.Object:
                        foreach (var plan in property.Value.EnumerateObject())
                        {
                            if (ReadPlan(plan, $"{path}: plans.\"{plan.Name}\"", errors) is { } read)
                            {
                                plans[plan.Name] = read;
                            }
                        }

                        break;
                    case "plans":
                        errors.Add($"{where} must be an object of plans by name; the default plans are used.");
                        break;
                    default:
                        errors.Add($"{where} is not a setting of the plan file (see docs/configuration.md); it is ignored.");
                        break;
                }
            }

            if (!plans.ContainsKey("custom"))
            {
                plans["custom"] = new Plan { Name = "custom", Label = "Custom (learned)" };
            }

            if (selected is not null && !plans.ContainsKey(selected))
            {
                errors.Add($"{path}: \"plan\" names \"{selected}\", which is not one of its plans ({string.Join(", ", plans.Keys.Order(StringComparer.Ordinal))}); custom is used.");
                selected = null;
            }

            if (weeklyReset is not null && !TryWeeklyReset(weeklyReset, DateTimeOffset.UnixEpoch, TimeZoneInfo.Utc, out _))
            {
                errors.Add($"{path}: \"weeklyReset\" \"{weeklyReset}\" is not a day and time such as \"mon 09:00\" or \"friday 5pm Europe/Paris\"; it is ignored.");
                weeklyReset = null;
            }

            return new PlanSettings { Selected = selected ?? "custom", WeeklyReset = weeklyReset, Plans = plans };
        }
    }

    /// <summary>
    /// The weekly window a <c>weeklyReset</c> setting describes, holding <paramref name="now"/>: it starts at the latest
    /// such day and time at or before now (in the zone the setting names, else <paramref name="zone"/>).
    /// </summary>
    public static bool TryWeeklyReset(string text, DateTimeOffset now, TimeZoneInfo zone, out WindowAnchor? anchor)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(zone);
        anchor = null;
        var match = WeeklyResetPattern().Match(text.Trim());
        if (!match.Success)
        {
            return false;
        }

        var day = Enum.GetValues<DayOfWeek>().First(d => d.ToString().StartsWith(match.Groups["day"].Value[..3], StringComparison.OrdinalIgnoreCase));
        var hour = int.Parse(match.Groups["h"].ValueSpan, CultureInfo.InvariantCulture);
        var minute = match.Groups["m"].Success ? int.Parse(match.Groups["m"].ValueSpan, CultureInfo.InvariantCulture) : 0;
        if (match.Groups["ap"].Success)
        {
            if (hour is < 1 or > 12)
            {
                return false;
            }

            hour = (hour % 12) + (char.ToLowerInvariant(match.Groups["ap"].Value[0]) == 'p' ? 12 : 0);
        }

        if (hour > 23 || minute > 59)
        {
            return false;
        }

        if (match.Groups["zone"].Success)
        {
            var id = match.Groups["zone"].Value;
            if (!string.Equals(id, "UTC", StringComparison.OrdinalIgnoreCase) && !TimeZoneInfo.TryFindSystemTimeZoneById(id, out _))
            {
                return false;
            }

            zone = string.Equals(id, "UTC", StringComparison.OrdinalIgnoreCase) ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(id);
        }

        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        var date = today.AddDays(-(((int)today.DayOfWeek - (int)day + 7) % 7));
        var start = LimitMessage.ToInstant(date, new TimeOnly(hour, minute), zone);
        if (start > now)
        {
            start = LimitMessage.ToInstant(date.AddDays(-7), new TimeOnly(hour, minute), zone);
        }

        anchor = new WindowAnchor(start, start + UsageWindows.Week, null, now);
        return true;
    }

    private static Plan? ReadPlan(JsonProperty plan, string where, ICollection<string> errors)
    {
        if (plan.Value.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{where} must be an object; the plan is ignored.");
            return null;
        }

        var result = new Plan { Name = plan.Name };
        var models = new Dictionary<string, decimal?>(StringComparer.OrdinalIgnoreCase);
        foreach (var field in plan.Value.EnumerateObject())
        {
            var at = $"{where}.{field.Name}";
            switch (field.Name)
            {
                case "label":
                    result = result with { Label = Text(field.Value, at, errors) };
                    break;
                case "note":
                    result = result with { Note = Text(field.Value, at, errors) };
                    break;
                case "fiveHour" when field.Value.ValueKind == JsonValueKind.Object:
                    result = result with
                    {
                        FiveHourCostUsd = Number(field.Value, "costUsd", at, errors),
                        FiveHourMessages = (long?)Number(field.Value, "messages", at, errors),
                        FiveHourTokens = (long?)Number(field.Value, "tokens", at, errors),
                    };
                    break;
                case "weekly" when field.Value.ValueKind == JsonValueKind.Object:
                    result = result with { WeeklyCostUsd = Number(field.Value, "costUsd", at, errors) };
                    break;
                case "models" when field.Value.ValueKind == JsonValueKind.Object:
                    foreach (var model in field.Value.EnumerateObject())
                    {
                        models[model.Name] = model.Value.ValueKind == JsonValueKind.Object ? Number(model.Value, "weeklyCostUsd", $"{at}.{model.Name}", errors) : null;
                    }

                    break;
                default:
                    errors.Add($"{at} is not a plan field (label, note, fiveHour, weekly, models) or has the wrong type; it is ignored.");
                    break;
            }
        }

        return result with { ModelWeeklyCostUsd = models };
    }

    private static decimal? Number(JsonElement parent, string name, string where, ICollection<string> errors)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number) && number > 0)
        {
            return number;
        }

        errors.Add($"{where}.{name} must be a positive number or null; it is treated as unknown.");
        return null;
    }

    private static string? Text(JsonElement value, string where, ICollection<string> errors)
    {
        if (value.ValueKind is JsonValueKind.String)
        {
            return value.GetString();
        }

        if (value.ValueKind is not JsonValueKind.Null)
        {
            errors.Add($"{where} must be a string or null; it is ignored.");
        }

        return null;
    }

    [GeneratedRegex(@"^(?<day>mon|tue|wed|thu|fri|sat|sun)[a-z]*\s+(?<h>\d{1,2})(?::(?<m>\d{2}))?\s*(?<ap>[ap]m)?(?:\s+(?<zone>UTC|[A-Za-z_]+(?:/[A-Za-z0-9_+\-]+)+))?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex WeeklyResetPattern();
}
