using System.Collections.Frozen;

namespace Recoup.Formats.Nacha;

/// <summary>A standard ACH return reason code.</summary>
/// <param name="StopFurtherDebits">
/// The account must not be debited again on the same authorization: it is closed, unknown, frozen, not a
/// transaction account, or the receiver revoked or never gave the authorization.
/// </param>
public sealed record AchReturnReason(string Code, string Description, bool StopFurtherDebits);

/// <summary>The code tables of the NACHA format: transaction codes, return reasons and change codes.</summary>
public static class NachaCodes
{
    private static readonly FrozenSet<int> Debits = new[] { 26, 27, 28, 29, 36, 37, 38, 39, 46, 47, 48, 49, 55, 56 }.ToFrozenSet();
    private static readonly FrozenSet<int> Credits = new[] { 21, 22, 23, 24, 31, 32, 33, 34, 41, 42, 43, 44, 51, 52, 53, 54 }.ToFrozenSet();

    /// <summary>Whether a transaction code takes money from the receiver.</summary>
    public static bool IsDebit(int transactionCode) => Debits.Contains(transactionCode);

    /// <summary>Whether a transaction code is a known credit or debit code.</summary>
    public static bool IsKnownTransactionCode(int transactionCode) => Debits.Contains(transactionCode) || Credits.Contains(transactionCode);

    /// <summary>The standard return reasons R01–R85.</summary>
    public static readonly FrozenDictionary<string, AchReturnReason> ReturnReasons = new AchReturnReason[]
    {
        new("R01", "Insufficient funds", false),
        new("R02", "Account closed", true),
        new("R03", "No account / unable to locate account", true),
        new("R04", "Invalid account number structure", true),
        new("R05", "Unauthorized debit to consumer account using corporate SEC code", true),
        new("R06", "Returned per ODFI's request", false),
        new("R07", "Authorization revoked by customer", true),
        new("R08", "Payment stopped", true),
        new("R09", "Uncollected funds", false),
        new("R10", "Customer advises originator is not known and/or is not authorized", true),
        new("R11", "Customer advises entry not in accordance with the terms of the authorization", false),
        new("R12", "Account sold to another DFI", true),
        new("R13", "Invalid ACH routing number", true),
        new("R14", "Representative payee deceased or unable to continue in that capacity", true),
        new("R15", "Beneficiary or account holder deceased", true),
        new("R16", "Account frozen / entry returned per OFAC instruction", true),
        new("R17", "File record edit criteria / entry initiated under questionable circumstances", false),
        new("R18", "Improper effective entry date", false),
        new("R19", "Amount field error", false),
        new("R20", "Non-transaction account", true),
        new("R21", "Invalid company identification", false),
        new("R22", "Invalid individual ID number", false),
        new("R23", "Credit entry refused by receiver", false),
        new("R24", "Duplicate entry", false),
        new("R25", "Addenda error", false),
        new("R26", "Mandatory field error", false),
        new("R27", "Trace number error", false),
        new("R28", "Routing number check digit error", true),
        new("R29", "Corporate customer advises not authorized", true),
        new("R30", "RDFI not participant in check truncation program", false),
        new("R31", "Permissible return entry (CCD and CTX only)", false),
        new("R32", "RDFI non-settlement", false),
        new("R33", "Return of XCK entry", false),
        new("R34", "Limited participation DFI", false),
        new("R35", "Return of improper debit entry", false),
        new("R36", "Return of improper credit entry", false),
        new("R37", "Source document presented for payment", false),
        new("R38", "Stop payment on source document", true),
        new("R39", "Improper source document / source document presented for payment", false),
        new("R40", "Return of ENR entry by federal government agency", false),
        new("R41", "Invalid transaction code (ENR)", false),
        new("R42", "Routing number / check digit error (ENR)", false),
        new("R43", "Invalid DFI account number (ENR)", false),
        new("R44", "Invalid individual ID number / identification number (ENR)", false),
        new("R45", "Invalid individual name / company name (ENR)", false),
        new("R46", "Invalid representative payee indicator (ENR)", false),
        new("R47", "Duplicate enrollment (ENR)", false),
        new("R50", "State law affecting RCK acceptance", false),
        new("R51", "Item related to RCK entry is ineligible or RCK entry is improper", false),
        new("R52", "Stop payment on item related to RCK entry", true),
        new("R53", "Item and RCK entry presented for payment", false),
        new("R61", "Misrouted return", false),
        new("R62", "Return of erroneous or reversing debit", false),
        new("R67", "Duplicate return", false),
        new("R68", "Untimely return", false),
        new("R69", "Field error(s)", false),
        new("R70", "Permissible return entry not accepted / return not requested by ODFI", false),
        new("R71", "Misrouted dishonored return", false),
        new("R72", "Untimely dishonored return", false),
        new("R73", "Timely original return", false),
        new("R74", "Corrected return", false),
        new("R75", "Return not a duplicate", false),
        new("R76", "No errors found", false),
        new("R77", "Non-acceptance of R62 dishonored return", false),
        new("R80", "IAT entry coding error", false),
        new("R81", "Non-participant in IAT program", false),
        new("R82", "Invalid foreign receiving DFI identification", false),
        new("R83", "Foreign receiving DFI unable to settle", false),
        new("R84", "Entry not processed by gateway", false),
        new("R85", "Incorrectly coded outbound international payment", false),
    }.ToFrozenDictionary(r => r.Code, StringComparer.Ordinal);

    /// <summary>Notification-of-change codes C01–C14 and what each corrects.</summary>
    public static readonly FrozenDictionary<string, string> ChangeCodes = new Dictionary<string, string>
    {
        ["C01"] = "Incorrect DFI account number",
        ["C02"] = "Incorrect routing number",
        ["C03"] = "Incorrect routing number and DFI account number",
        ["C04"] = "Incorrect individual name / receiving company name",
        ["C05"] = "Incorrect transaction code",
        ["C06"] = "Incorrect DFI account number and transaction code",
        ["C07"] = "Incorrect routing number, DFI account number and transaction code",
        ["C08"] = "Incorrect receiving DFI identification (IAT)",
        ["C09"] = "Incorrect individual identification number",
        ["C10"] = "Incorrect company name",
        ["C11"] = "Incorrect company identification",
        ["C12"] = "Incorrect company name and company identification",
        ["C13"] = "Addenda format error",
        ["C14"] = "Incorrect SEC code for outbound international payment",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Whether a 9-digit routing number's last digit agrees with the ABA weights 3, 7, 1.</summary>
    public static bool IsValidRoutingNumber(ReadOnlySpan<char> routing) =>
        routing.Length == 9 && routing.ContainsAnyExceptInRange('0', '9') is false && CheckDigit(routing[..8]) == routing[8] - '0';

    /// <summary>The ABA check digit of an 8-digit routing identification (weights 3, 7, 1 repeated).</summary>
    public static int CheckDigit(ReadOnlySpan<char> rdfi)
    {
        ReadOnlySpan<int> weights = [3, 7, 1, 3, 7, 1, 3, 7];
        var sum = 0;
        for (var i = 0; i < 8; i++)
        {
            sum += (rdfi[i] - '0') * weights[i];
        }

        return (10 - sum % 10) % 10;
    }
}
