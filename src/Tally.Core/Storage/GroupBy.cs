namespace Tally.Core.Storage;

/// <summary>The dimensions an aggregate query groups by (any combination).</summary>
[Flags]
public enum GroupBy
{
    /// <summary>One row for everything.</summary>
    None = 0,

    /// <summary>15-minute UTC buckets: fine enough to fold into days, weeks and months of any time zone.</summary>
    QuarterHour = 1,

    /// <summary>The model id as written.</summary>
    Model = 2,

    /// <summary>The session.</summary>
    Session = 4,

    /// <summary>The project (repository).</summary>
    Project = 8,

    /// <summary>The subagent (null for the main agent).</summary>
    Agent = 16,

    /// <summary>The working directory (<c>cwd</c>) as written. Answered from the records, not the rollup: bound the
    /// query in time.</summary>
    Directory = 32,
    /// <summary>
    /// Each tool a call asked for (null for calls that asked for none). A call that asked for several tools is in the
    /// row of each, so tool rows overlap: their sum is not the total.
    /// </summary>
    Tool = 64,

    /// <summary>
    /// The agent the metering proxy named (null for calls no proxy named) and the billing the proxy saw (null for calls
    /// it did not see). Answered from the records, not the rollup: bound the query in time.
    /// </summary>
    ProxyAgent = 128,
}
