namespace Tally.Core.Export;

/// <summary>The formats <c>tally export</c> writes.</summary>
public enum ExportFormat
{
    /// <summary>RFC 4180 CSV with a header record, CRLF line ends.</summary>
    Csv,

    /// <summary>One JSON document (records: an array, one record per line).</summary>
    Json,

    /// <summary>JSON Lines: one JSON object per line.</summary>
    JsonLines,
}
