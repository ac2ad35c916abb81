namespace Tally.Core.Limits;

/// <summary>Which subscription window a signal or a figure is about.</summary>
public enum WindowKind
{
    /// <summary>Not known (a limit message that named no window and gave no reset time).</summary>
    Unknown = 0,

    /// <summary>The 5-hour session window.</summary>
    FiveHour = 1,

    /// <summary>The overall weekly window.</summary>
    Weekly = 2,

    /// <summary>A model-specific weekly window (Opus, Sonnet); the model family is named beside it.</summary>
    Model = 3,
}
