using System.Globalization;
using System.Numerics;
using System.Text;

namespace Recoup.Domain.Payments;

/// <summary>Money received that cash application is to place: what the bank file says about it.</summary>
/// <param name="References">What the payer quoted (invoice or account numbers, creditor references), in file order.</param>
/// <param name="RemittanceText">Free text, searched for invoice and account numbers.</param>
public sealed record PaymentToMatch(Money Amount, string? PayerName, IReadOnlyList<string> References, string? RemittanceText);

/// <summary>An invoice of a candidate account and what is still open on it (zero when paid).</summary>
public sealed record InvoiceCandidate(string Number, long OpenMinor);

/// <summary>An account a payment may belong to, with what matching compares: ids, the debtor's name, the balance and the invoices.</summary>
public sealed record AccountCandidate(
    AccountId AccountId, string DebtorExternalId, string DebtorName, Currency Currency, long BalanceMinor, IReadOnlyList<InvoiceCandidate> Invoices);

/// <summary>One account a payment may be applied to, how sure cash application is, and why.</summary>
/// <param name="InvoiceNumber">The invoice to pay first, when the payment named one or its amount is exactly what one owes; else null (oldest due first).</param>
/// <param name="Confidence">0 to 100; at or above the auto-post threshold (and not ambiguous) the payment posts by itself.</param>
/// <param name="Reason">In words, e.g. <c>invoice INV-1 in the references; amount equals what is open on it</c>.</param>
public sealed record MatchSuggestion(AccountId AccountId, string DebtorExternalId, string DebtorName, string? InvoiceNumber, int Confidence, string Reason);

/// <summary>What cash application found for one payment: the accounts it may belong to, best first.</summary>
/// <param name="Ambiguous">Two accounts are (nearly) equally good: the payment never posts by itself.</param>
/// <param name="Problem">Why nothing matched, or what stands in the way (e.g. a reference to an account in another currency).</param>
public sealed record MatchResult(IReadOnlyList<MatchSuggestion> Suggestions, bool Ambiguous, string? Problem)
{
    public MatchSuggestion? Best => Suggestions.Count > 0 ? Suggestions[0] : null;

    /// <summary>Whether the payment may post by itself to <see cref="Best"/>: confident enough and not ambiguous.</summary>
    public bool IsConfident(int threshold) => !Ambiguous && Best is { } best && best.Confidence >= threshold;
}

/// <summary>
/// Cash application: finds the account (and invoice) an incoming payment pays, first by reference
/// (invoice number, account number, creditor reference, numbers in the remittance text), then by
/// amount and payer name, and says how sure it is (0–100) and why. Pure: the candidates are loaded
/// beforehand, set-based, for a whole file.
/// </summary>
/// <remarks>
/// <para>Confidence by what matched (docs/cash-application.md): an invoice number in the references 97
/// (100 when the amount is exactly what is open on it or the balance); an account or debtor number in
/// the references 95 (99 with the exact amount); an invoice number in the remittance text 93 (98);
/// an account number in the text 90 (96); the exact amount of the balance or an open invoice and a
/// payer name like the debtor's 50 + 0.4 × name similarity (90 for the same name); the exact amount
/// alone 40. A reference match whose payer name is quite unlike the debtor's loses 10.</para>
/// <para>Only accounts in the payment's currency are candidates: a reference to a debtor who owes in
/// another currency matches nothing, and says so. When the second-best account is within
/// <see cref="AmbiguityMargin"/> of the best, the match is ambiguous and never posts by itself.</para>
/// </remarks>
public sealed class CashApplication
{
    /// <summary>The default confidence at or above which a match posts without a person (<c>Recoup:CashApplication:AutoPostThreshold</c>).</summary>
    public const int DefaultAutoPostThreshold = 90;

    /// <summary>A second account this close to the best makes the match ambiguous.</summary>
    public const int AmbiguityMargin = 5;

    /// <summary>How many suggestions a result keeps.</summary>
    public const int MaxSuggestions = 5;

    /// <summary>Amount-only matches are suggested only when this few accounts have the amount.</summary>
    private const int MaxAmountOnlySuggestions = 3;

    private readonly Dictionary<string, (AccountCandidate Account, InvoiceCandidate Invoice)> _byInvoice = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<AccountCandidate>> _byDebtor = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<Guid, AccountCandidate> _byId = [];
    private readonly Dictionary<(Currency, long), List<AccountCandidate>> _byAmount = [];

    public CashApplication(IEnumerable<AccountCandidate> accounts)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        foreach (var account in accounts)
        {
            if (!_byId.TryAdd(account.AccountId.Value, account))
            {
                continue;
            }

            foreach (var invoice in account.Invoices)
            {
                _byInvoice[invoice.Number] = (account, invoice);
            }

            Add(_byDebtor, account.DebtorExternalId, account);
            var amounts = account.Invoices.Where(i => i.OpenMinor > 0).Select(i => i.OpenMinor).Append(account.BalanceMinor).Where(m => m > 0).Distinct();
            foreach (var amount in amounts)
            {
                Add(_byAmount, (account.Currency, amount), account);
            }
        }
    }

    /// <summary>
    /// Every word of the references and the remittance text that could be an invoice, debtor or
    /// account number (it holds a digit and is at least three characters long), with creditor
    /// references (ISO 11649 <c>RF…</c>) also given without their prefix: what to look up before matching.
    /// </summary>
    public static IEnumerable<string> Tokens(PaymentToMatch payment)
    {
        ArgumentNullException.ThrowIfNull(payment);
        return ReferenceTokens(payment).Concat(TextTokens(payment.RemittanceText)).Distinct(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The accounts the payment may pay, best first, and whether the best is clear.</summary>
    public MatchResult Match(PaymentToMatch payment)
    {
        ArgumentNullException.ThrowIfNull(payment);
        var found = new Dictionary<Guid, MatchSuggestion>();
        var otherCurrency = new List<string>();

        foreach (var token in ReferenceTokens(payment))
        {
            Consider(payment, token, inText: false, found, otherCurrency);
        }

        foreach (var token in TextTokens(payment.RemittanceText))
        {
            Consider(payment, token, inText: true, found, otherCurrency);
        }

        if (found.Count == 0 && _byAmount.TryGetValue((payment.Amount.Currency, payment.Amount.Minor), out var sameAmount))
        {
            var named = new List<MatchSuggestion>();
            foreach (var account in sameAmount)
            {
                var similarity = payment.PayerName is { } payer ? NameSimilarity(payer, account.DebtorName) : 0;
                if (similarity >= 60)
                {
                    named.Add(Suggest(account, ExactInvoice(account, payment.Amount.Minor), 50 + (int)Math.Round(similarity * 0.4, MidpointRounding.AwayFromZero),
                        $"amount equals {What(account, payment.Amount.Minor)}; payer name {similarity}% like the debtor's"));
                }
            }

            if (named.Count > 0)
            {
                named.ForEach(s => found[s.AccountId.Value] = s);
            }
            else if (sameAmount.Count <= MaxAmountOnlySuggestions)
            {
                foreach (var account in sameAmount)
                {
                    found[account.AccountId.Value] = Suggest(account, ExactInvoice(account, payment.Amount.Minor), 40, $"amount equals {What(account, payment.Amount.Minor)}; nothing else matched");
                }
            }
        }

        var suggestions = found.Values
            .OrderByDescending(s => s.Confidence)
            .ThenBy(s => s.DebtorExternalId, StringComparer.Ordinal)
            .Take(MaxSuggestions)
            .ToList();
        var ambiguous = suggestions.Count > 1 && suggestions[1].Confidence >= suggestions[0].Confidence - AmbiguityMargin;
        string? problem = suggestions.Count switch
        {
            0 when otherCurrency.Count > 0 => $"{otherCurrency[0]}, but the payment is in {payment.Amount.Currency.Code}",
            0 => "no reference, amount or payer name matched an account",
            _ when ambiguous => $"two accounts match about equally well ({suggestions[0].DebtorExternalId} and {suggestions[1].DebtorExternalId})",
            _ => null,
        };
        return new MatchResult(suggestions, ambiguous, problem);
    }

    /// <summary>
    /// How alike two names are, 0 to 100: the Dice coefficient of the letter pairs of both names,
    /// upper-cased, without punctuation or legal suffixes (LLC, Inc, GmbH …), their words sorted (so
    /// <c>DOE JOHN</c> is <c>John Doe</c>).
    /// </summary>
    public static int NameSimilarity(string left, string right)
    {
        var a = Pairs(NormalName(left));
        var b = Pairs(NormalName(right));
        if (a.Count == 0 || b.Count == 0)
        {
            return 0;
        }

        var remaining = new List<string>(b);
        var common = 0;
        foreach (var pair in a)
        {
            var index = remaining.IndexOf(pair);
            if (index >= 0)
            {
                common++;
                remaining.RemoveAt(index);
            }
        }

        return (int)Math.Round(200.0 * common / (a.Count + b.Count), MidpointRounding.AwayFromZero);
    }

    private void Consider(PaymentToMatch payment, string token, bool inText, Dictionary<Guid, MatchSuggestion> found, List<string> otherCurrency)
    {
        var amount = payment.Amount;
        if (_byInvoice.TryGetValue(token, out var hit))
        {
            if (hit.Account.Currency != amount.Currency)
            {
                otherCurrency.Add($"invoice {hit.Invoice.Number} is on an account in {hit.Account.Currency.Code}");
                return;
            }

            var exact = hit.Invoice.OpenMinor == amount.Minor || hit.Account.BalanceMinor == amount.Minor;
            var confidence = (inText ? 93 : 97) + (exact ? (inText ? 5 : 3) : 0);
            var where = inText ? "in the remittance text" : "in the references";
            var reason = $"invoice {hit.Invoice.Number} {where}" + (exact ? $"; amount equals {(hit.Invoice.OpenMinor == amount.Minor ? "what is open on it" : "the balance")}" : "");
            Keep(found, Penalised(payment, Suggest(hit.Account, hit.Invoice.Number, confidence, reason)));
            return;
        }

        var accounts = _byDebtor.TryGetValue(token, out var byDebtor) ? byDebtor
            : Guid.TryParse(token, out var id) && _byId.TryGetValue(id, out var byId) ? [byId]
            : null;
        if (accounts is null)
        {
            return;
        }

        var account = accounts.FirstOrDefault(a => a.Currency == amount.Currency);
        if (account is null)
        {
            otherCurrency.Add($"account {token} is in {string.Join(", ", accounts.Select(a => a.Currency.Code))}");
            return;
        }

        var invoice = ExactInvoice(account, amount.Minor);
        var isExact = invoice is not null || account.BalanceMinor == amount.Minor;
        var score = (inText ? 90 : 95) + (isExact ? (inText ? 6 : 4) : 0);
        var text = $"account {token} {(inText ? "in the remittance text" : "in the references")}" + (isExact ? $"; amount equals {What(account, amount.Minor)}" : "");
        Keep(found, Penalised(payment, Suggest(account, invoice, score, text)));
    }

    /// <summary>A reference match whose payer name is quite unlike the debtor's is less sure (someone else's payment quoting the wrong number).</summary>
    private static MatchSuggestion Penalised(PaymentToMatch payment, MatchSuggestion suggestion) =>
        payment.PayerName is { Length: > 0 } payer && NameSimilarity(payer, suggestion.DebtorName) is var similarity && similarity < 30
            ? suggestion with { Confidence = suggestion.Confidence - 10, Reason = $"{suggestion.Reason}; but the payer name is only {similarity}% like the debtor's" }
            : suggestion;

    private static void Keep(Dictionary<Guid, MatchSuggestion> found, MatchSuggestion suggestion)
    {
        if (!found.TryGetValue(suggestion.AccountId.Value, out var current) || current.Confidence < suggestion.Confidence)
        {
            found[suggestion.AccountId.Value] = suggestion;
        }
    }

    private static MatchSuggestion Suggest(AccountCandidate account, string? invoice, int confidence, string reason) =>
        new(account.AccountId, account.DebtorExternalId, account.DebtorName, invoice, Math.Clamp(confidence, 0, 100), reason);

    /// <summary>The one open invoice whose open amount is exactly the payment, if exactly one is.</summary>
    private static string? ExactInvoice(AccountCandidate account, long minor) =>
        account.Invoices.Where(i => i.OpenMinor == minor).Select(i => i.Number).ToList() is [var only] ? only : null;

    private static string What(AccountCandidate account, long minor) =>
        ExactInvoice(account, minor) is { } invoice ? $"what is open on invoice {invoice}" : "the balance";

    private static IEnumerable<string> ReferenceTokens(PaymentToMatch payment)
    {
        foreach (var reference in payment.References)
        {
            var trimmed = reference.Trim();
            if (trimmed.Length == 0)
            {
                continue;
            }

            yield return trimmed;
            if (CreditorReference(trimmed) is { } inner)
            {
                yield return inner;
            }
        }
    }

    private static IEnumerable<string> TextTokens(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            yield break;
        }

        var separated = new string(text.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '/' or '.' ? c : ' ').ToArray());
        foreach (var word in separated.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var token = word.Trim('.', '-', '/', '_');
            if (token.Length < 3 || !token.Any(char.IsAsciiDigit))
            {
                continue;
            }

            yield return token;
            if (CreditorReference(token) is { } inner)
            {
                yield return inner;
            }
        }
    }

    /// <summary>The reference inside a valid ISO 11649 creditor reference (<c>RF18 539007547034</c> → <c>539007547034</c>), or null.</summary>
    public static string? CreditorReference(string text)
    {
        var compact = string.Concat(text.Where(c => !char.IsWhiteSpace(c))).ToUpperInvariant();
        if (compact.Length is < 5 or > 25 || !compact.StartsWith("RF", StringComparison.Ordinal)
            || !char.IsAsciiDigit(compact[2]) || !char.IsAsciiDigit(compact[3]) || !compact[4..].All(char.IsAsciiLetterOrDigit))
        {
            return null;
        }

        // Mod 97 over the reference, then "RF" and the check digits, letters as 10..35 (ISO 11649).
        var rearranged = compact[4..] + compact[..4];
        var digits = new StringBuilder();
        foreach (var c in rearranged)
        {
            digits.Append(char.IsAsciiDigit(c) ? c.ToString() : (c - 'A' + 10).ToString(CultureInfo.InvariantCulture));
        }

        return BigInteger.Parse(digits.ToString(), CultureInfo.InvariantCulture) % 97 == 1 ? compact[4..] : null;
    }

    private static readonly HashSet<string> LegalSuffixes = new(StringComparer.Ordinal)
    {
        "LLC", "INC", "LTD", "CO", "CORP", "CORPORATION", "COMPANY", "GMBH", "AG", "SA", "SAS", "BV", "NV", "PLC", "LLP", "LP", "THE", "MR", "MRS", "MS", "DR",
    };

    private static string NormalName(string name)
    {
        var letters = new string(name.ToUpperInvariant().Select(c => char.IsLetterOrDigit(c) ? c : ' ').ToArray());
        var words = letters.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => !LegalSuffixes.Contains(w)).Order(StringComparer.Ordinal);
        return string.Join(' ', words);
    }

    private static List<string> Pairs(string text)
    {
        var pairs = new List<string>();
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (word.Length == 1)
            {
                pairs.Add(word);
            }

            for (var i = 0; i + 1 < word.Length; i++)
            {
                pairs.Add(word.Substring(i, 2));
            }
        }

        return pairs;
    }

    private static void Add<TKey>(Dictionary<TKey, List<AccountCandidate>> map, TKey key, AccountCandidate account)
        where TKey : notnull
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }

        list.Add(account);
    }
}
