namespace ReflexiveIdentity.Omega.Sharing;

/// <summary>A destination refused or failed to take a report; <see cref="StatusCode"/> is the HTTP status when one answered.</summary>
public sealed class ReportDeliveryException : Exception
{
    public ReportDeliveryException()
    {
    }

    public ReportDeliveryException(string message)
        : base(message)
    {
    }

    public ReportDeliveryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ReportDeliveryException(string message, int? statusCode, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
    }

    public int? StatusCode { get; }
}
