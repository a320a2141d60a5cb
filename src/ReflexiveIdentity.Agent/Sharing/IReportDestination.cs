using ReflexiveIdentity.Omega.Report;

namespace ReflexiveIdentity.Omega.Sharing;

/// <summary>Stage 3 (<c>share.output</c>): where a rendered report goes.</summary>
public interface IReportDestination
{
    /// <summary>Where this destination delivers, without secrets; safe to log and to record.</summary>
    string Description { get; }

    /// <summary>Delivers the report; throws <see cref="ReportDeliveryException"/> when the destination refuses it.</summary>
    Task<ReportDelivery> DeliverAsync(RenderedReport report, CancellationToken cancellationToken);
}
