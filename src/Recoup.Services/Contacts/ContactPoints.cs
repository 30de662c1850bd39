using Microsoft.EntityFrameworkCore;
using Recoup.Data;
using Recoup.Domain;
using Recoup.Domain.Contacts;
using Recoup.Domain.Debtors;
using Recoup.Services.Audit;
using Recoup.Services.Storage;

namespace Recoup.Services.Contacts;

/// <summary>A phone number, e-mail address or postal address to add to a debtor.</summary>
/// <param name="Value">The phone number or e-mail address as written; null for a postal address, which comes as <paramref name="Address"/>.</param>
/// <param name="PhoneType">What the line is (phones only); null to let the number's line type decide between mobile and unknown.</param>
/// <param name="IsWorkplace">A workplace number (recorded as phone type work; phones only).</param>
/// <param name="Primary">Make it the primary of its kind (the first of a kind always is).</param>
/// <param name="Country">The ISO 3166 country to read a phone number without a country code in; default the debtor's primary address's country, else US.</param>
public sealed record NewContactPoint(
    ContactKind Kind, string? Value, PostalAddress? Address, PhoneType? PhoneType, ContactSource Source, bool IsWorkplace = false, bool Primary = false,
    string? Country = null);

/// <summary>Consent to autodialed calls or texts given (with when and how) or revoked.</summary>
/// <param name="At">When it was given or revoked; default now. Not in the future.</param>
public sealed record ConsentChange(bool Given, DateTimeOffset? At = null, string? HowObtained = null);

/// <summary>What to change on a contact point; null or false leaves a thing as it is.</summary>
/// <param name="OptOut">The debtor asked not to be contacted here; cannot be undone.</param>
public sealed record ContactPointChange(ContactStatus? Status = null, bool MakePrimary = false, ConsentChange? Autodialer = null, ConsentChange? Text = null, bool OptOut = false);

/// <summary>The contact point as stored after the change, or every reason the change was refused.</summary>
public sealed record ContactPointOutcome(ContactPoint? Point, IReadOnlyList<Error> Errors)
{
    public bool Succeeded => Errors.Count == 0;

    public static implicit operator ContactPointOutcome(Error error) => new(null, [error]);
}

/// <summary>
/// A debtor's contact points as collectors manage them: add a phone, e-mail or address, record what
/// was learned (status, primary, consents, opt-out). In the same transaction the account summaries
/// take the new search text, region and time zones, and the audit log (each account's timeline)
/// says who changed what.
/// </summary>
/// <remarks>Errors name the field as the API does (<c>value</c>, <c>phone_type</c>, <c>autodialer_consent.how_obtained</c> …).</remarks>
public sealed class ContactPoints(RecoupDatabase database, TimeProvider clock)
{
    public const string DebtorNotFound = "debtor_not_found";
    public const string PointNotFound = "contact_point_not_found";
    public const string AlreadyThere = "contact_point_exists";

    /// <summary>The debtor's contact points: by kind (phone, e-mail, postal), the primary first, then by value.</summary>
    public async Task<Result<IReadOnlyList<ContactPoint>>> ListAsync(string debtorId, CancellationToken ct = default)
    {
        await using var db = database.CreateContext();
        var debtor = await db.Debtors.AsNoTracking().Include(d => d.ContactPoints).SingleOrDefaultAsync(d => d.ExternalId == debtorId, ct);
        return debtor is null
            ? Result<IReadOnlyList<ContactPoint>>.Fail(DebtorNotFound, $"There is no debtor '{debtorId}'")
            : Result<IReadOnlyList<ContactPoint>>.Ok(Ordered(debtor.ContactPoints));
    }

    /// <summary>The order of every contact list: by kind, the primary first, then by value.</summary>
    public static IReadOnlyList<ContactPoint> Ordered(IEnumerable<ContactPoint> points) =>
        points.OrderBy(c => c.Kind).ThenByDescending(c => c.IsPrimary).ThenBy(c => c.Value, StringComparer.Ordinal).ThenBy(c => c.Id.Value).ToList();

    /// <summary>
    /// Adds a contact point, unverified. A phone number must parse (it is stored in E.164 with its line
    /// type and time zones); a value the debtor already has (in canonical form) is refused with the
    /// existing point's id rather than added twice.
    /// </summary>
    public async Task<ContactPointOutcome> AddAsync(string debtorId, NewContactPoint request, string actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var db = database.CreateContext();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var debtor = await db.Debtors.Include(d => d.ContactPoints).SingleOrDefaultAsync(d => d.ExternalId == debtorId, ct);
        if (debtor is null)
        {
            return new Error(DebtorNotFound, $"There is no debtor '{debtorId}'");
        }

        var now = clock.GetUtcNow();
        var errors = new List<Error>();
        var details = Describe(debtor, request, now, errors);
        if (errors.Count > 0)
        {
            return new ContactPointOutcome(null, errors);
        }

        var value = request.Kind == ContactKind.Postal ? request.Address!.ToString() : request.Value!.Trim();
        if (debtor.ContactPoints.FirstOrDefault(c => c.Kind == request.Kind && string.Equals(c.Normalized, details!.Normalized, StringComparison.Ordinal)) is { } existing)
        {
            return new Error(AlreadyThere, $"{debtor.ExternalId} already has {existing.Value} (contact point {existing.Id}); change that one instead", "value");
        }

        var point = debtor.AddContactPoint(ContactPointId.New(now), request.Kind, value, request.Source, request.Address, details!);
        db.ContactPoints.Add(point);
        if (request.Primary)
        {
            debtor.MakePrimary(point.Id);
        }

        await RecordAsync(db, debtor, now, actor, "contact_point.added", null, Describe(point), ct);
        await transaction.CommitAsync(ct);
        return new ContactPointOutcome(point, []);
    }

    /// <summary>Changes the status, primary flag, consents or opt-out of one of the debtor's contact points; all or nothing.</summary>
    public async Task<ContactPointOutcome> ChangeAsync(string debtorId, ContactPointId id, ContactPointChange change, string actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        await using var db = database.CreateContext();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var debtor = await db.Debtors.Include(d => d.ContactPoints).SingleOrDefaultAsync(d => d.ExternalId == debtorId, ct);
        if (debtor is null)
        {
            return new Error(DebtorNotFound, $"There is no debtor '{debtorId}'");
        }

        var point = debtor.ContactPoints.FirstOrDefault(c => c.Id == id);
        if (point is null)
        {
            return new Error(PointNotFound, $"{debtor.ExternalId} has no contact point {id}");
        }

        if (change is { Status: null, MakePrimary: false, Autodialer: null, Text: null, OptOut: false })
        {
            return new Error("nothing_to_change", "Nothing to change: send status, primary, autodialer_consent, text_consent or opted_out", "body");
        }

        var now = clock.GetUtcNow();
        var before = Describe(point);
        var errors = new List<Error>();
        if (change.Status is { } status && point.ChangeStatus(status).Error is { } statusError)
        {
            errors.Add(statusError);
        }

        if (change.MakePrimary)
        {
            debtor.MakePrimary(point.Id);
        }

        Consent(point, ConsentKind.Autodialer, change.Autodialer, "autodialer_consent", now, errors);
        Consent(point, ConsentKind.Text, change.Text, "text_consent", now, errors);
        if (change.OptOut)
        {
            point.OptOut(now);
        }

        if (errors.Count > 0)
        {
            // Nothing is saved: the context and its half-applied changes are dropped with the transaction.
            return new ContactPointOutcome(null, errors);
        }

        await RecordAsync(db, debtor, now, actor, "contact_point.changed", before, Describe(point), ct);
        await transaction.CommitAsync(ct);
        return new ContactPointOutcome(point, []);
    }

    private static void Consent(ContactPoint point, ConsentKind kind, ConsentChange? change, string field, DateTimeOffset now, List<Error> errors)
    {
        if (change is null)
        {
            return;
        }

        var at = change.At?.ToUniversalTime() ?? now;
        if (at > now.AddMinutes(5))
        {
            errors.Add(new Error("consent_in_future", $"A consent cannot be {(change.Given ? "given" : "revoked")} in the future", $"{field}.at"));
            return;
        }

        var result = change.Given ? point.GiveConsent(kind, at, change.HowObtained ?? "") : point.RevokeConsent(kind, at);
        if (result.Error is { } error)
        {
            errors.Add(error with { Field = error.Field == "how_obtained" ? $"{field}.how_obtained" : field });
        }
    }

    /// <summary>The details of the new point, or null with the reasons added to <paramref name="errors"/>.</summary>
    private static ContactPointDetails? Describe(Debtor debtor, NewContactPoint request, DateTimeOffset now, List<Error> errors)
    {
        if (request.Kind != ContactKind.Phone && (request.PhoneType is not null || request.IsWorkplace))
        {
            errors.Add(new Error("phone_only", "phone_type and is_workplace are recorded for phone numbers only",
                request.PhoneType is not null ? "phone_type" : "is_workplace"));
        }

        switch (request.Kind)
        {
            case ContactKind.Phone:
                if (request.IsWorkplace && request.PhoneType is not (null or PhoneType.Work))
                {
                    errors.Add(new Error("workplace_phone_type", "A workplace number has the phone type work", "phone_type"));
                }

                if (request.Country is { } given && !Phone.IsKnownRegion(given))
                {
                    errors.Add(new Error("country_unknown", $"'{given}' is not a two-letter country code such as US, CA or GB", "country"));
                    return null;
                }

                var region = request.Country?.ToUpperInvariant() ?? DefaultRegion(debtor);
                var parsed = Phone.Parse(request.Value, region);
                if (parsed.Error is { } invalid)
                {
                    errors.Add(invalid with { Field = "value" });
                    return null;
                }

                var type = request.IsWorkplace ? PhoneType.Work : request.PhoneType ?? PhoneType.Unknown;
                return errors.Count > 0 ? null : NewContactPoints.Describe(ContactKind.Phone, parsed.Value.E164, null, now, type, parsed.Value.Region);
            case ContactKind.Email:
                var email = request.Value?.Trim() ?? "";
                if (request.Address is not null)
                {
                    errors.Add(new Error("address_not_applicable", "An address is sent only for a postal contact point", "address"));
                }

                if (!Formats.Csv.PortfolioCsv.LooksLikeEmail(email) || email.Length > 320)
                {
                    errors.Add(new Error("email_invalid", email.Length == 0 ? "An e-mail address is required" : $"'{email}' is not an e-mail address", "value"));
                }

                return errors.Count > 0 ? null : NewContactPoints.Describe(ContactKind.Email, email, null, now);
            case ContactKind.Postal:
                if (!string.IsNullOrWhiteSpace(request.Value))
                {
                    errors.Add(new Error("value_not_applicable", "Send a postal address as the address object (line1, city, region, postal_code, country), not as value", "value"));
                }

                CheckAddress(request.Address, errors);
                return errors.Count > 0 ? null : NewContactPoints.Describe(ContactKind.Postal, request.Address!.ToString(), request.Address, now);
            default:
                throw new ArgumentOutOfRangeException(nameof(request), request.Kind, "Not a contact kind");
        }
    }

    private static void CheckAddress(PostalAddress? address, List<Error> errors)
    {
        if (address is null || string.IsNullOrWhiteSpace(address.Line1))
        {
            errors.Add(new Error("address_required", "A postal contact point needs an address with at least line1", address is null ? "address" : "address.line1"));
            return;
        }

        void Limit(string? text, int max, string field)
        {
            if (text is { } t && t.Length > max)
            {
                errors.Add(new Error("address_too_long", $"At most {max} characters", $"address.{field}"));
            }
        }

        Limit(address.Line1, 200, "line1");
        Limit(address.City, 100, "city");
        Limit(address.Region, 100, "region");
        Limit(address.PostalCode, 20, "postal_code");
        if (address.Country is { } country && (country.Length != 2 || !country.All(char.IsAsciiLetterUpper)))
        {
            errors.Add(new Error("country_unknown", $"'{country}' is not a two-letter ISO 3166 country code in capitals such as US", "address.country"));
        }
    }

    /// <summary>The country of the debtor's primary address, when libphonenumber knows it; else US.</summary>
    private static string DefaultRegion(Debtor debtor)
    {
        var country = debtor.ContactPoints.Where(c => c.Kind == ContactKind.Postal && c.Address?.Country is not null)
            .OrderByDescending(c => c.IsPrimary).Select(c => c.Address!.Country).FirstOrDefault();
        return Phone.IsKnownRegion(country) ? country!.ToUpperInvariant() : "US";
    }

    /// <summary>Refreshes the summaries of the debtor's accounts and audits the change on each account's timeline (on the debtor's when there is none), then saves.</summary>
    private static async Task RecordAsync(RecoupDbContext db, Debtor debtor, DateTimeOffset now, string actor, string action, object? before, object after, CancellationToken ct)
    {
        var debtorId = debtor.Id;
        var summaries = await db.AccountSummaries.Where(s => s.DebtorId == debtorId).ToListAsync(ct);
        Accounts.AccountSummaries.RefreshContacts(summaries, _ => debtor);

        var accounts = await db.Accounts.AsNoTracking().Where(a => a.DebtorId == debtorId).Select(a => a.Id).ToListAsync(ct);
        foreach (var account in accounts)
        {
            db.AuditLog.Add(AuditLog.Record(now, actor, action, AuditEntities.Account, account.ToString(), before, after));
        }

        if (accounts.Count == 0)
        {
            db.AuditLog.Add(AuditLog.Record(now, actor, action, "debtor", debtor.ExternalId, before, after));
        }

        await db.SaveChangesAsync(ct);
    }

    /// <summary><c>ReturnedMail</c> → <c>returned_mail</c>, as the API names it.</summary>
    private static string Name<TEnum>(TEnum value)
        where TEnum : struct, Enum => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    private static object Describe(ContactPoint c) => new
    {
        contact_point_id = c.Id.ToString(),
        kind = Name(c.Kind),
        value = c.Value,
        status = Name(c.Status),
        source = Name(c.Source),
        phone_type = c.PhoneType is { } type ? Name(type) : null,
        primary = c.IsPrimary,
        autodialer_consent = c.AutodialerConsent,
        text_consent = c.TextConsent,
        opted_out_at = c.OptedOutAt,
    };
}
