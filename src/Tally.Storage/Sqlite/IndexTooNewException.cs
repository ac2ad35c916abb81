namespace Tally.Storage.Sqlite;

/// <summary>The index was written by a newer Tally, whose schema this one does not know: it is left untouched.</summary>
public sealed class IndexTooNewException : Exception
{
    /// <summary>Creates the exception.</summary>
    public IndexTooNewException()
    {
    }

    /// <summary>Creates the exception with its message.</summary>
    public IndexTooNewException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its message and cause.</summary>
    public IndexTooNewException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
