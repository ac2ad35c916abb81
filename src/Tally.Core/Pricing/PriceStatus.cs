namespace Tally.Core.Pricing;

/// <summary>How a call's cost was found.</summary>
public enum PriceStatus
{
    /// <summary>The catalog knows the model on the call's day: the cost is calculated.</summary>
    Priced = 0,

    /// <summary>No catalog row matches: the cost is 0 and the model must be flagged, never guessed.</summary>
    Unpriced = 1,

    /// <summary>Claude Code's own client-side message (<c>&lt;synthetic&gt;</c> or no model): costs nothing.</summary>
    Free = 2,
}
