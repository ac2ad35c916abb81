namespace Tally.Ingest.ClaudeCode;

/// <summary>
/// The string fields that repeat line after line in one transcript (session, working directory, branch, client
/// version, agent, model, usage tiers, tool names, and the message and request ids a multi-line response repeats),
/// each with its last value, so that a file's lines share one string per value instead of decoding it again on every
/// line; and the list a line's tool names are collected in. Belongs to one read of one file (see
/// <see cref="SourceContext"/>): files read in parallel each have their own.
/// </summary>
internal sealed class FileStrings
{
    public RecentStrings SessionId { get; } = new();
    public RecentStrings Cwd { get; } = new();
    public RecentStrings GitBranch { get; } = new();
    public RecentStrings AgentId { get; } = new();
    public RecentStrings Version { get; } = new();
    public RecentStrings Model { get; } = new();
    public RecentStrings ServiceTier { get; } = new();
    public RecentStrings Speed { get; } = new();
    public RecentStrings InferenceGeo { get; } = new();

    /// <summary>The message id: a response Claude Code writes as several lines (one per content block) repeats it, with
    /// its request id, on consecutive lines.</summary>
    public RecentStrings MessageId { get; } = new();

    /// <summary>The request id (see <see cref="MessageId"/>).</summary>
    public RecentStrings RequestId { get; } = new();

    /// <summary>The names of the tools a file's responses call: a small set, in any order.</summary>
    public RecentStrings ToolNames { get; } = new(16);

    private readonly List<string> _lineTools = [];
    private string? _keyedMessageId;
    private string? _messageKey;

    /// <summary>The record key of a message id, <c>m:&lt;id&gt;</c>: the last one again for the same id string.</summary>
    public string MessageKey(string messageId)
    {
        if (!ReferenceEquals(messageId, _keyedMessageId))
        {
            _messageKey = "m:" + messageId;
            _keyedMessageId = messageId;
        }

        return _messageKey!;
    }

    /// <summary>The list a line collects its tool names in, emptied: one list for all the file's lines (a record keeps
    /// a copy of exactly its names).</summary>
    public List<string> LineTools()
    {
        _lineTools.Clear();
        return _lineTools;
    }
}
