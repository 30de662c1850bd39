namespace Recoup.Formats.Camt;

/// <summary>Which bank-to-customer message a camt document is.</summary>
public enum CamtMessageKind
{
    /// <summary>camt.052, intraday account report (<c>BkToCstmrAcctRpt</c>/<c>Rpt</c>).</summary>
    AccountReport,

    /// <summary>camt.053, end-of-day statement (<c>BkToCstmrStmt</c>/<c>Stmt</c>).</summary>
    Statement,

    /// <summary>camt.054, debit/credit notification (<c>BkToCstmrDbtCdtNtfctn</c>/<c>Ntfctn</c>).</summary>
    Notification,
}

/// <summary>One part of a camt document, as <see cref="CamtReader"/> yields them in file order.</summary>
/// <param name="Line">The line where the element starts (1-based).</param>
public abstract record CamtRecord(int Line);

/// <summary>The message and its group header.</summary>
/// <param name="Version">The schema, e.g. <c>camt.053.001.02</c>.</param>
public sealed record CamtMessage(int Line, CamtMessageKind Kind, string Version, string MessageId, DateTimeOffset? CreatedAt) : CamtRecord(Line);

/// <summary>A balance of a statement or report.</summary>
/// <param name="Type">The code (<c>OPBD</c>, <c>CLBD</c>, <c>OPAV</c>, <c>CLAV</c>, <c>PRCD</c>, <c>ITBD</c> …) or proprietary type.</param>
/// <param name="AmountMinor">Signed by <c>CdtDbtInd</c> (a debit balance is negative), in minor units of <paramref name="Currency"/>.</param>
public sealed record CamtBalance(int Line, string Type, long AmountMinor, string Currency, DateOnly? Date);

/// <summary>The counts and sums of <c>TxsSummry</c>, as the file states them (null where absent).</summary>
/// <param name="NetAmountMinor">Signed net of all entries (<c>TtlNetNtryAmt</c> with its <c>CdtDbtInd</c>).</param>
public sealed record CamtTransactionsSummary(
    int Line,
    int? EntryCount,
    long? EntrySumMinor,
    long? NetAmountMinor,
    int? CreditCount,
    long? CreditSumMinor,
    int? DebitCount,
    long? DebitSumMinor);

/// <summary>A statement (<c>Stmt</c>), notification (<c>Ntfctn</c>) or report (<c>Rpt</c>): one account, before its entries.</summary>
/// <param name="Iban">The account's IBAN; null when the account is identified otherwise (<see cref="OtherAccountId"/>).</param>
public sealed record CamtAccountReport(
    int Line,
    CamtMessage Message,
    string Id,
    string? ElectronicSequenceNumber,
    string? LegalSequenceNumber,
    string? Iban,
    string? OtherAccountId,
    string? AccountCurrency,
    IReadOnlyList<CamtBalance> Balances,
    CamtTransactionsSummary? Summary) : CamtRecord(Line)
{
    /// <summary>The IBAN, else the other identification of the account.</summary>
    public string? AccountId => Iban ?? OtherAccountId;
}

/// <summary>A bank transaction code: the ISO domain/family/sub-family, the proprietary code, or both.</summary>
public sealed record CamtBankTransactionCode(string? Domain, string? Family, string? SubFamily, string? Proprietary)
{
    /// <summary><c>PMNT/RCDT/ESCT</c> when the ISO code is given, else the proprietary code.</summary>
    public override string ToString() =>
        Domain is not null ? string.Join('/', new[] { Domain, Family, SubFamily }.Where(p => p is not null)) : Proprietary ?? "";
}

/// <summary>A transaction inside an entry (<c>NtryDtls/TxDtls</c>).</summary>
/// <param name="AmountMinor">The transaction's own amount in the entry's currency, when the file gives one in that currency.</param>
/// <param name="CreditorReferences">Structured creditor references (<c>Strd/CdtrRefInf/Ref</c>, e.g. RF… or ISR), in file order.</param>
/// <param name="Unstructured">Unstructured remittance lines (<c>Ustrd</c>), then additional remittance information.</param>
/// <param name="ReturnReason">The return reason code (<c>RtrInf/Rsn/Cd</c>), when the transaction is a return.</param>
public sealed record CamtTransaction(
    int Line,
    long? AmountMinor,
    string? EndToEndId,
    string? AccountServicerReference,
    string? InstructionId,
    string? Uetr,
    string? DebtorName,
    string? DebtorAccount,
    string? CreditorName,
    IReadOnlyList<string> CreditorReferences,
    IReadOnlyList<string> Unstructured,
    string? ReturnReason);

/// <summary>An entry (<c>Ntry</c>): one movement on the account.</summary>
/// <param name="AmountMinor">Unsigned, in minor units of <paramref name="Currency"/>; <see cref="SignedAmountMinor"/> gives the effect on the balance.</param>
/// <param name="IsCredit"><c>CdtDbtInd</c> is <c>CRDT</c>.</param>
/// <param name="IsReversal"><c>RvslInd</c> is true: the entry undoes an earlier one, so a reversed credit takes money out.</param>
/// <param name="Status"><c>BOOK</c>, <c>PDNG</c>, <c>INFO</c> …; null when absent.</param>
public sealed record CamtEntry(
    int Line,
    CamtAccountReport Report,
    long AmountMinor,
    string Currency,
    bool IsCredit,
    bool IsReversal,
    string? Status,
    DateOnly? BookingDate,
    DateOnly? ValueDate,
    string? AccountServicerReference,
    CamtBankTransactionCode? BankTransactionCode,
    IReadOnlyList<CamtTransaction> Transactions,
    string? AdditionalInfo) : CamtRecord(Line)
{
    /// <summary>The entry's effect on the balance: positive for a credit, negative for a debit, the other way round for a reversal.</summary>
    public long SignedAmountMinor => IsCredit != IsReversal ? AmountMinor : -AmountMinor;

    /// <summary>Booked (<c>BOOK</c>, or no status as in older camt.053 files).</summary>
    public bool IsBooked => Status is null or "BOOK";
}

/// <summary>The end of a statement, notification or report: what was checked.</summary>
/// <param name="EntryCount">How many entries it had.</param>
/// <param name="BalanceChecked">Whether opening + booked entries = closing was checked (both balances present, one currency).</param>
public sealed record CamtAccountReportEnd(int Line, CamtAccountReport Report, int EntryCount, bool BalanceChecked) : CamtRecord(Line);

/// <summary>How strictly <see cref="CamtReader"/> reads.</summary>
/// <param name="Strict">
/// True (the default): a statement whose balances or transaction summary disagree with its entries throws.
/// False: the disagreement goes to <see cref="CamtReader.Warnings"/>. Malformed documents always throw.
/// </param>
public sealed record CamtReadOptions(bool Strict = true)
{
    public static readonly CamtReadOptions Default = new();

    public static readonly CamtReadOptions Lenient = new(Strict: false);
}
