using Tally.Core.Reports;

namespace Tally.Cli.Commands;

/// <summary><c>tally models</c>: usage and cost per model id, with the catalog model that priced it.</summary>
internal sealed class ModelsCommand(TallyContext context)
    : ReportCommand("models", "Usage and cost per model, and which catalog price applied", ReportKind.Models, context);
