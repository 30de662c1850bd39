namespace Recoup.Domain.Compliance;

/// <summary>The names of the media in the API, the CLI and stored opt-outs: <c>call</c>, <c>sms</c>, <c>email</c>, <c>letter</c>.</summary>
public static class ContactChannels
{
    /// <summary>The medium a name stands for (case and surrounding spaces ignored), or null.</summary>
    public static ContactChannel? Parse(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "call" => ContactChannel.Call,
        "sms" => ContactChannel.Sms,
        "email" => ContactChannel.Email,
        "letter" => ContactChannel.Letter,
        _ => null,
    };

    /// <summary>The kind of contact point a medium uses: calls and texts a phone, e-mail an address, letters a postal address.</summary>
    public static Debtors.ContactKind KindFor(ContactChannel channel) => channel switch
    {
        ContactChannel.Call or ContactChannel.Sms => Debtors.ContactKind.Phone,
        ContactChannel.Email => Debtors.ContactKind.Email,
        ContactChannel.Letter => Debtors.ContactKind.Postal,
    };

    /// <summary>"a phone number", "an e-mail address", "a postal address".</summary>
    public static string Describe(Debtors.ContactKind kind) => kind switch
    {
        Debtors.ContactKind.Phone => "a phone number",
        Debtors.ContactKind.Email => "an e-mail address",
        Debtors.ContactKind.Postal => "a postal address",
    };

    public static string Name(ContactChannel channel) => channel switch
    {
        ContactChannel.Call => "call",
        ContactChannel.Sms => "sms",
        ContactChannel.Email => "email",
        ContactChannel.Letter => "letter",
    };
}
