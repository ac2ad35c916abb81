namespace Tally.Admin;

/// <summary>The Admin API could not be used: the message says why and what to do (and never holds the key).</summary>
public sealed class AdminApiException : Exception
{
    /// <summary>Creates the error.</summary>
    public AdminApiException(string message, int? status = null, string? errorType = null)
        : base(message)
    {
        Status = status;
        ErrorType = errorType;
    }

    /// <summary>Creates the error.</summary>
    public AdminApiException()
    {
    }

    /// <summary>Creates the error.</summary>
    public AdminApiException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error.</summary>
    public AdminApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The HTTP status, when there was an answer.</summary>
    public int? Status { get; }

    /// <summary>Anthropic's error type (<c>authentication_error</c>, <c>permission_error</c>, …), when the body said.</summary>
    public string? ErrorType { get; }
}
