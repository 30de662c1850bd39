namespace Recoup.Domain;

// Identifiers are version 7 GUIDs: created by the application (so a whole import or a use case can
// build its rows before touching the database), unique across web nodes, and ordered by creation
// time, which keeps database indexes append-mostly.

public readonly record struct DebtorId(Guid Value)
{
    public static DebtorId New(DateTimeOffset now) => new(Guid.CreateVersion7(now));
    public override string ToString() => Value.ToString();
}

public readonly record struct ContactPointId(Guid Value)
{
    public static ContactPointId New(DateTimeOffset now) => new(Guid.CreateVersion7(now));
    public override string ToString() => Value.ToString();
}

public readonly record struct AccountId(Guid Value)
{
    public static AccountId New(DateTimeOffset now) => new(Guid.CreateVersion7(now));
    public override string ToString() => Value.ToString();
}

public readonly record struct InvoiceId(Guid Value)
{
    public static InvoiceId New(DateTimeOffset now) => new(Guid.CreateVersion7(now));
    public override string ToString() => Value.ToString();
}

public readonly record struct LedgerEntryId(Guid Value)
{
    public static LedgerEntryId New(DateTimeOffset now) => new(Guid.CreateVersion7(now));
    public override string ToString() => Value.ToString();
}
