using System.Globalization;
using Recoup.Domain;
using Recoup.Domain.Debtors;
using Recoup.Domain.Messaging;

namespace Recoup.Services.Messaging.Templates;

/// <summary>An invoice as a message lists it.</summary>
public sealed record InvoiceFacts(string Number, DateOnly IssuedOn, DateOnly DueOn, Money Amount, Money Open, int DaysPastDue);

/// <summary>The installment a message is about (the next one due, or the one a reminder is for).</summary>
public sealed record InstallmentFacts(int Number, DateOnly DueOn, Money Amount);

public sealed record PlanFacts(Money Total, int Installments, string Frequency, DateOnly FirstDue, Money Remaining, InstallmentFacts? Next);

public sealed record PromiseFacts(Money Amount, DateOnly PromisedFor);

public sealed record SettlementFacts(Money Amount, Money Balance, decimal DiscountPercent, DateOnly? DueOn);

/// <summary>A dispute a message acknowledges or resolves, as the caller knows it.</summary>
public sealed record DisputeFacts(string Reference, string Reason, DateOnly OpenedOn, string? Resolution = null, Money? Amount = null);

/// <summary>Everything a template may say about one debtor's account, gathered before rendering.</summary>
public sealed record TemplateFacts
{
    public required DateOnly Today { get; init; }
    public required string DebtorId { get; init; }
    public required string DebtorName { get; init; }
    public DebtorKind DebtorKind { get; init; }
    public PostalAddress? Address { get; init; }
    public required string AccountNumber { get; init; }
    public string? Client { get; init; }
    public required Itemization Balance { get; init; }
    public Money PastDue { get; init; }
    public int DaysPastDue { get; init; }

    /// <summary>The invoices the message is about: by default every past-due invoice of the account.</summary>
    public IReadOnlyList<InvoiceFacts> Invoices { get; init; } = [];

    public PlanFacts? Plan { get; init; }
    public PromiseFacts? Promise { get; init; }
    public SettlementFacts? Settlement { get; init; }
    public DisputeFacts? Dispute { get; init; }
    public string? Collector { get; init; }

    /// <summary>The end of the validation period of a notice sent today (R4's <c>ValidationPeriod.EndsOn</c>).</summary>
    public DateOnly ValidationPeriodEnds { get; init; }
}

/// <summary>
/// The data a template sees, as nested dictionaries with snake_case names: amounts and dates already written in
/// the message's language (docs/templates.md lists every name). The sample model — every optional part present —
/// is also the schema unknown variables are checked against.
/// </summary>
public static class TemplateModel
{
    public static Dictionary<string, object?> Build(TemplateFacts facts, string language, MessagingSettings settings, string optOutUrl)
    {
        string Amount(Money m) => TemplateFormat.Amount(m, language);
        string Date(DateOnly d) => TemplateFormat.Date(d, language);
        var address = facts.Address;
        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["today"] = Date(facts.Today),
            ["language"] = language,
            ["debtor"] = new Dictionary<string, object?>
            {
                ["id"] = facts.DebtorId,
                ["name"] = facts.DebtorName,
                ["is_business"] = facts.DebtorKind == DebtorKind.Business,
                ["address"] = new Dictionary<string, object?>
                {
                    ["line1"] = address?.Line1 ?? "",
                    ["city"] = address?.City ?? "",
                    ["region"] = address?.Region ?? "",
                    ["postal_code"] = address?.PostalCode ?? "",
                    ["country"] = address?.Country ?? "",
                    ["one_line"] = address?.ToString() ?? "",
                },
            },
            ["account"] = new Dictionary<string, object?>
            {
                ["number"] = facts.AccountNumber,
                ["client"] = facts.Client ?? settings.Creditor ?? settings.CompanyName,
                ["currency"] = facts.Balance.Current.Currency.Code,
                ["days_past_due"] = facts.DaysPastDue,
                ["past_due"] = Amount(facts.PastDue),
            },
            ["balance"] = new Dictionary<string, object?>
            {
                ["itemization_date"] = Date(facts.Balance.ItemizationDate),
                ["at_itemization"] = Amount(facts.Balance.AtItemization),
                ["interest"] = Amount(facts.Balance.Interest),
                ["fees"] = Amount(facts.Balance.Fees),
                ["payments_and_credits"] = Amount(facts.Balance.PaymentsAndCredits),
                ["current"] = Amount(facts.Balance.Current),
            },
            ["invoices"] = facts.Invoices.Select(i => new Dictionary<string, object?>
            {
                ["number"] = i.Number,
                ["issued_on"] = Date(i.IssuedOn),
                ["due_on"] = Date(i.DueOn),
                ["amount"] = Amount(i.Amount),
                ["open"] = Amount(i.Open),
                ["days_past_due"] = i.DaysPastDue,
            }).ToList(),
            ["plan"] = facts.Plan is not { } plan ? null : new Dictionary<string, object?>
            {
                ["total"] = Amount(plan.Total),
                ["installments"] = plan.Installments,
                ["frequency"] = TemplateFormat.Frequency(plan.Frequency, language),
                ["first_due"] = Date(plan.FirstDue),
                ["remaining"] = Amount(plan.Remaining),
                ["next_installment"] = plan.Next is not { } next ? null : new Dictionary<string, object?>
                {
                    ["number"] = next.Number,
                    ["due_on"] = Date(next.DueOn),
                    ["amount"] = Amount(next.Amount),
                },
            },
            ["promise"] = facts.Promise is not { } promise ? null : new Dictionary<string, object?>
            {
                ["amount"] = Amount(promise.Amount),
                ["promised_for"] = Date(promise.PromisedFor),
            },
            ["settlement"] = facts.Settlement is not { } settlement ? null : new Dictionary<string, object?>
            {
                ["amount"] = Amount(settlement.Amount),
                ["balance"] = Amount(settlement.Balance),
                ["discount_percent"] = settlement.DiscountPercent.ToString("0.##", language == TemplateFormat.Spanish ? Spanish : CultureInfo.InvariantCulture),
                ["due_on"] = settlement.DueOn is { } due ? Date(due) : "",
            },
            ["dispute"] = facts.Dispute is not { } dispute ? null : new Dictionary<string, object?>
            {
                ["reference"] = dispute.Reference,
                ["reason"] = dispute.Reason,
                ["opened_on"] = Date(dispute.OpenedOn),
                ["resolution"] = dispute.Resolution ?? "",
                ["amount"] = dispute.Amount is { } disputed ? Amount(disputed) : "",
            },
            ["collector"] = new Dictionary<string, object?>
            {
                ["name"] = facts.Collector ?? settings.DefaultCollector,
            },
            ["company"] = new Dictionary<string, object?>
            {
                ["name"] = settings.CompanyName,
                ["address"] = settings.CompanyAddress,
                ["phone"] = settings.CompanyPhone,
                ["email"] = settings.CompanyEmail,
                ["hours"] = language == TemplateFormat.Spanish ? settings.CompanyHoursEs : settings.CompanyHours,
            },
            ["portal_url"] = settings.PortalUrl,
            ["validation_period_end"] = Date(facts.ValidationPeriodEnds),
            ["opt_out_url"] = optOutUrl,
        };
    }

    private static readonly NumberFormatInfo Spanish = new() { NumberDecimalSeparator = ",", NumberGroupSeparator = "." };

    /// <summary>A complete sample: the fixture account previews are rendered against and the schema templates are checked against.</summary>
    public static TemplateFacts SampleFacts(DateOnly today)
    {
        var usd = Currency.FromCode("USD");
        Money M(long minor) => new(minor, usd);
        var itemizationDate = today.AddDays(-75);
        return new TemplateFacts
        {
            Today = today,
            DebtorId = "D-0000001",
            DebtorName = "María Núñez",
            Address = new PostalAddress("1234 Elm Street Apt 5", "Chicago", "IL", "60601", "US"),
            AccountNumber = "D-0000001-USD",
            Client = "Springfield Medical Group",
            Balance = new Itemization(itemizationDate, M(120000), M(1850), M(2500), M(20000), M(104350)),
            PastDue = M(104350),
            DaysPastDue = 45,
            Invoices =
            [
                new InvoiceFacts("INV-1001", today.AddDays(-105), today.AddDays(-75), M(70000), M(54350), 75),
                new InvoiceFacts("INV-1002", today.AddDays(-75), today.AddDays(-45), M(50000), M(50000), 45),
            ],
            Plan = new PlanFacts(M(104350), 6, "Monthly", today.AddDays(10), M(104350), new InstallmentFacts(1, today.AddDays(10), M(17392))),
            Promise = new PromiseFacts(M(25000), today.AddDays(7)),
            Settlement = new SettlementFacts(M(73045), M(104350), 30m, today.AddDays(30)),
            Dispute = new DisputeFacts("DSP-0042", "Amount billed is wrong", today.AddDays(-3), "Adjusted by 150.00 USD", M(15000)),
            Collector = "Alex Rivera",
            ValidationPeriodEnds = Domain.Compliance.ValidationPeriod.EndsOn(today),
        };
    }

    /// <summary>The sample model in a language (the schema of every template).</summary>
    public static Dictionary<string, object?> Sample(string language, MessagingSettings settings, DateOnly today) =>
        Build(SampleFacts(today), language, settings, settings.OptOutUrl(Guid.Empty));

    /// <summary>The schema: every name a template may use, from the sample model.</summary>
    public static Dictionary<string, object?> Schema { get; } = Sample(TemplateFormat.English, new MessagingSettings(), new DateOnly(2026, 1, 15));
}
