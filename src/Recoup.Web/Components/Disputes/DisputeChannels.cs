using Recoup.Domain.Disputes;

namespace Recoup.Web.Components.Disputes;

/// <summary>How the screens name the channel a dispute came by.</summary>
public static class DisputeChannels
{
    public static string Label(DisputeSource source) => source switch
    {
        DisputeSource.Collector => "phone (collector)",
        DisputeSource.Portal => "portal",
        DisputeSource.Email => "e-mail",
        DisputeSource.Letter => "letter",
        DisputeSource.Import => "import",
        _ => "unknown",
    };

    /// <summary>"received by letter", "heard on the phone"…</summary>
    public static string Received(DisputeSource source) => source switch
    {
        DisputeSource.Collector => "heard on the phone",
        DisputeSource.Import => "imported",
        _ => $"received by {Label(source)}",
    };
}
