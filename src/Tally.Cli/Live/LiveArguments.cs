namespace Tally.Cli.Live;

/// <summary>The live monitor's own flags.</summary>
internal sealed record LiveArguments
{
    /// <summary>The plan whose estimates apply (null: the one plans.json selects).</summary>
    public string? Plan { get; init; }

    /// <summary>The IANA zone times are shown in (null: config, else the system's).</summary>
    public string? TimeZone { get; init; }

    /// <summary>Print one frame and exit, even on a terminal.</summary>
    public bool Once { get; init; }

    /// <summary>Seconds between redraws with nothing new (null: the default).</summary>
    public int? RefreshSeconds { get; init; }
}
