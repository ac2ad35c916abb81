using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Spectre.Console;
using Tally.Core.Pricing;

namespace Tally.Cli.Output;

/// <summary>Prints the price catalog as it stands on one day.</summary>
internal static class PriceListWriter
{
    /// <summary>A table: one row per model, USD per million tokens.</summary>
    public static void WriteTable(PriceCatalog catalog, IReadOnlyList<ModelPricing> models, DateOnly day, IAnsiConsole console)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(console);
        var table = new Table().Border(TableBorder.Rounded).BorderColor(Color.Grey)
            .Title($"Prices on {day:yyyy-MM-dd} · USD per million tokens · catalog {Markup.Escape(catalog.Version)}");
        table.AddColumn("Model").AddColumn("Aliases");
        foreach (var heading in new[] { "Input", "Output", "5m Write", "1h Write", "Cache Read" })
        {
            table.AddColumn(new TableColumn(heading).RightAligned());
        }

        table.AddColumn("Over 200k").AddColumn("Fast").AddColumn("Source");
        foreach (var model in models)
        {
            var row = model.PriceOn(day);
            var rates = row?.Rates;
            var tier = model.LongContextOn(day);
            var fast = model.FastModeOn(day);
            table.AddRow(
                Markup.Escape(model.Id),
                Markup.Escape(string.Join(", ", model.Aliases)),
                Money(rates?.Input), Money(rates?.Output), Money(rates?.EffectiveCacheWrite5m), Money(rates?.EffectiveCacheWrite1h), Money(rates?.EffectiveCacheRead),
                tier is null ? "[grey]-[/]" : Markup.Escape($"{Money(tier.Rates.Input)}/{Money(tier.Rates.Output)} whole request"),
                fast == 1m ? "[grey]-[/]" : Markup.Escape($"{fast.ToString(CultureInfo.InvariantCulture)}x"),
                Markup.Escape($"{row?.Source ?? model.Source} {row?.AsOf ?? model.AsOf:yyyy-MM-dd}"));
        }

        console.Write(table);
        console.MarkupLineInterpolated($"[grey]Web search: ${catalog.WebSearchFeeOn(day)} per 1,000 searches. Batch: x{catalog.BatchMultiplierOn(day)}. Unknown models are never priced as another: they cost $0 and are flagged.[/]");
    }

    /// <summary>JSON: <c>{"catalogVersion", "date", "models": [{id, aliases, input, output, cacheWrite5m, cacheWrite1h, cacheRead, longContext, fastMultiplier, source, asOf}]}</c>.</summary>
    public static void WriteJson(PriceCatalog catalog, IReadOnlyList<ModelPricing> models, DateOnly day, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(output);
        JsonOutput.Write(output, json =>
        {
            json.WriteStartObject();
            json.WriteString("catalogVersion", catalog.Version);
            json.WriteString("date", day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            json.WriteStartArray("models");
            foreach (var model in models)
            {
                var row = model.PriceOn(day);
                json.WriteStartObject();
                json.WriteString("id", model.Id);
                json.WriteStartArray("aliases");
                model.Aliases.ToList().ForEach(json.WriteStringValue);
                json.WriteEndArray();
                if (row is not null)
                {
                    json.WriteNumber("input", row.Rates.Input);
                    json.WriteNumber("output", row.Rates.Output);
                    json.WriteNumber("cacheWrite5m", row.Rates.EffectiveCacheWrite5m);
                    json.WriteNumber("cacheWrite1h", row.Rates.EffectiveCacheWrite1h);
                    json.WriteNumber("cacheRead", row.Rates.EffectiveCacheRead);
                }

                if (model.LongContextOn(day) is { } tier)
                {
                    json.WriteStartObject("longContext");
                    json.WriteNumber("threshold", tier.Threshold);
                    json.WriteNumber("input", tier.Rates.Input);
                    json.WriteNumber("output", tier.Rates.Output);
                    json.WriteEndObject();
                }

                json.WriteNumber("fastMultiplier", model.FastModeOn(day));
                json.WriteString("source", row?.Source ?? model.Source);
                json.WriteString("asOf", (row?.AsOf ?? model.AsOf)?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        });
    }

    private static string Money(decimal? value) => value is null ? "-" : "$" + value.Value.ToString("0.00##", CultureInfo.InvariantCulture);
}
