using System.Globalization;
using System.Text.Json;
using Tally.Core.Agents;
using Tally.Core.Reports;

namespace Tally.Core.Export;

/// <summary>Agent cards as JSON (the schema is in docs/json-schemas.md): what <c>tally agents --json</c> prints and <c>GET /api/agents</c> returns.</summary>
public static class AgentsJson
{
    /// <summary>Writes the cards, their totals and the report's metadata as one JSON object.</summary>
    public static void Write(Utf8JsonWriter json, AgentsReport report)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(report);
        json.WriteStartObject();
        json.WriteStartArray("agents");
        foreach (var card in report.Cards)
        {
            WriteCard(json, card, report.Now);
        }

        json.WriteEndArray();
        json.WriteStartObject("totals");
        json.WriteNumber("agents", report.Cards.Count);
        json.WriteNumber("active", report.Cards.Count(static c => c.Status == AgentStatus.Active));
        WriteFigures(json, report.Totals);
        json.WriteEndObject();
        json.WriteStartObject("tally");
        json.WriteNumber("schemaVersion", ReportJson.SchemaVersion);
        json.WriteString("report", "agents");
        json.WriteString("now", Instant(report.Now));
        WriteInstantOrNull(json, "from", report.From);
        WriteInstantOrNull(json, "until", report.Until);
        json.WriteString("timezone", report.Zone.Id);
        json.WriteNumber("activeWindowMinutes", (decimal)report.Settings.ActiveWindow.TotalMinutes);
        json.WriteString("authMode", report.Settings.AuthMode is { } mode ? AuthModeName(mode) : null);
        json.WriteBoolean("activeOnly", report.ActiveOnly);
        json.WriteString("costMode", report.CostMode.ToString().ToLowerInvariant());
        json.WriteString("catalogVersion", report.CatalogVersion);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>The name of an auth mode as config.json spells it.</summary>
    public static string AuthModeName(AuthMode mode) => mode switch
    {
        AuthMode.Subscription => "subscription",
        AuthMode.ApiKey => "api-key",
        AuthMode.Both => "both",
        _ => "multi-account",
    };

    private static void WriteCard(Utf8JsonWriter json, AgentCard card, DateTimeOffset now)
    {
        json.WriteStartObject();
        json.WriteString("sessionId", card.SessionId);
        json.WriteString("agent", card.Agent);
        json.WriteString("name", card.Agent ?? card.ProjectName);
        json.WriteString("label", card.Label);
        json.WriteString("labelSource", card.LabelSource.ToString().ToLowerInvariant());
        json.WriteString("status", card.Status.ToString().ToLowerInvariant());
        json.WriteString("cwd", card.Directory);
        json.WriteString("project", card.Project);
        json.WriteString("gitBranch", card.GitBranch);
        json.WriteString("startedAt", Instant(card.StartedAt));
        json.WriteNumber("workingForSeconds", (long)card.WorkingFor.TotalSeconds);
        json.WriteNumber("idleForSeconds", Math.Max(0, (long)(now - card.LastActivity).TotalSeconds));
        WriteFigures(json, card.Totals);
        json.WriteString("billing", BillingName(card.Billing));
        json.WriteString("billingFrom", card.BillingBasis switch
        {
            BillingBasis.AuthMode => "authMode",
            BillingBasis.Project => "project",
            BillingBasis.Directory => "directory",
            BillingBasis.Agent => "agent",
            BillingBasis.Proxy => "proxy",
            _ => "none",
        });
        if (card.Changes is { } changes)
        {
            json.WriteStartObject("changes");
            json.WriteNumber("added", changes.Added);
            json.WriteNumber("removed", changes.Removed);
            json.WriteNumber("files", changes.Files);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("changes");
        }

        json.WriteNumber("subagentCount", card.Subagents.Count);
        json.WriteStartArray("subagents");
        foreach (var sub in card.Subagents)
        {
            json.WriteStartObject();
            json.WriteString("agentId", sub.AgentId);
            json.WriteString("status", sub.Status.ToString().ToLowerInvariant());
            WriteFigures(json, sub.Figures);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteFigures(Utf8JsonWriter json, AgentFigures figures)
    {
        var tokens = figures.Tokens;
        json.WriteNumber("messages", figures.Messages);
        json.WriteNumber("inputTokens", tokens.Input);
        json.WriteNumber("outputTokens", tokens.Output);
        json.WriteNumber("cacheCreationTokens", tokens.CacheWrite);
        json.WriteNumber("cacheReadTokens", tokens.CacheRead);
        json.WriteNumber("totalTokens", tokens.Total);
        json.WriteNumber("cacheCreation5mTokens", tokens.CacheWrite5m);
        json.WriteNumber("cacheCreation1hTokens", tokens.CacheWrite1h);
        json.WriteNumber("webSearchRequests", figures.WebSearchRequests);
        json.WriteNumber("totalCost", figures.CostUsd);
        json.WriteNumber("unpricedRequests", figures.UnpricedCalls);
        json.WriteString("costSource", figures.ReportedCostCalls == 0 ? "calculated" : figures.ReportedCostCalls == figures.Messages ? "reported" : "mixed");
        WriteInstantOrNull(json, "firstActivity", figures.FirstActivity);
        WriteInstantOrNull(json, "lastActivity", figures.LastActivity);
        json.WriteStartArray("modelsUsed");
        foreach (var model in figures.Models)
        {
            json.WriteStringValue(model);
        }

        json.WriteEndArray();
    }

    private static string BillingName(BillingSource billing) => billing switch
    {
        BillingSource.Subscription => "subscription",
        BillingSource.Api => "api",
        _ => "unknown",
    };

    private static void WriteInstantOrNull(Utf8JsonWriter json, string name, DateTimeOffset? instant)
    {
        if (instant is { } value)
        {
            json.WriteString(name, Instant(value));
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static string Instant(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
