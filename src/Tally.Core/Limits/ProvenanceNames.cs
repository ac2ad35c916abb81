namespace Tally.Core.Limits;

/// <summary>Names for <see cref="Provenance"/> values, as shown and as written in JSON.</summary>
public static class ProvenanceNames
{
    /// <summary>The label: <c>estimate</c>, <c>plan</c>, <c>history</c>, <c>limit-line</c>, <c>status-line</c>, <c>header</c>, <c>index</c>.</summary>
    public static string Label(this Provenance provenance) => provenance switch
    {
        Provenance.Plan => "plan",
        Provenance.History => "history",
        Provenance.LimitLine => "limit-line",
        Provenance.StatusLine => "status-line",
        Provenance.Header => "header",
        Provenance.Index => "index",
        _ => "estimate",
    };

    /// <summary>The provenance of a signal of <paramref name="kind"/>.</summary>
    public static Provenance Of(SignalKind kind) => kind switch
    {
        SignalKind.Header => Provenance.Header,
        SignalKind.StatusLine => Provenance.StatusLine,
        _ => Provenance.LimitLine,
    };

    /// <summary>True for the estimates (plan, history, estimate), false for observed signals and counts.</summary>
    public static bool IsEstimate(this Provenance provenance) => provenance is Provenance.Estimate or Provenance.Plan or Provenance.History;
}
