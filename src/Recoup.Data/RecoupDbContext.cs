using System.Linq.Expressions;
using System.Reflection;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Recoup.Data.Accounts;
using Recoup.Data.Ach;
using Recoup.Data.WorkQueues;
using Recoup.Data.Audit;
using Recoup.Data.Idempotency;
using Recoup.Data.Identity;
using Recoup.Data.Imports;
using Recoup.Data.Outbox;
using Recoup.Data.Plans;
using Recoup.Data.Payments;
using Recoup.Domain;
using Recoup.Domain.Compliance;
using Recoup.Domain.Debtors;
using Recoup.Domain.Conversations;
using Recoup.Domain.Ledger;
using Recoup.Domain.WorkQueues;

namespace Recoup.Data;

/// <summary>
/// The EF Core model of Recoup's database. One model serves SQLite and PostgreSQL; each provider
/// has its own migrations assembly (Recoup.Data.Sqlite, Recoup.Data.Postgres).
/// </summary>
/// <remarks>
/// Tables and columns are snake_case. Identifiers are GUIDs: <c>uuid</c> on PostgreSQL and 16-byte
/// big-endian blobs on SQLite (so version 7 GUIDs sort by creation time in both). Money is stored as
/// an integer number of minor units next to a three-letter currency code; enums as their names.
/// </remarks>
public sealed class RecoupDbContext(DbContextOptions<RecoupDbContext> options) : IdentityDbContext<RecoupUser>(options)
{
    public const string SqliteProvider = "Microsoft.EntityFrameworkCore.Sqlite";

    public DbSet<Debtor> Debtors => Set<Debtor>();
    public DbSet<Recoup.Domain.Clients.Client> Clients => Set<Recoup.Domain.Clients.Client>();
    public DbSet<ContactPoint> ContactPoints => Set<ContactPoint>();
    public DbSet<Account> Accounts => Set<Account>();
    public DbSet<Invoice> Invoices => Set<Invoice>();
    public DbSet<LedgerEntry> LedgerEntries => Set<LedgerEntry>();
    public DbSet<Allocation> Allocations => Set<Allocation>();
    public DbSet<ImportBatch> ImportBatches => Set<ImportBatch>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<AuditRecord> AuditLog => Set<AuditRecord>();
    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();
    public DbSet<AccountSummary> AccountSummaries => Set<AccountSummary>();
    public DbSet<Interaction> Interactions => Set<Interaction>();
    public DbSet<FollowUp> FollowUps => Set<FollowUp>();
    public DbSet<CollectorProfile> CollectorProfiles => Set<CollectorProfile>();
    public DbSet<AssignmentRuleRecord> AssignmentRules => Set<AssignmentRuleRecord>();
    public DbSet<AccountAssignment> AccountAssignments => Set<AccountAssignment>();
    public DbSet<WorkQueueEntry> WorkQueueEntries => Set<WorkQueueEntry>();
    public DbSet<ComplianceExceptionGrant> ComplianceExceptionGrants => Set<ComplianceExceptionGrant>();
    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();
    public DbSet<OutboxAttachment> OutboxAttachments => Set<OutboxAttachment>();
    public DbSet<Reporting.ReportSubscription> ReportSubscriptions => Set<Reporting.ReportSubscription>();
    public DbSet<Webhooks.WebhookSubscription> WebhookSubscriptions => Set<Webhooks.WebhookSubscription>();
    public DbSet<Strategies.StrategyVersionRecord> StrategyVersions => Set<Strategies.StrategyVersionRecord>();
    public DbSet<Strategies.AccountStrategyState> AccountStrategyStates => Set<Strategies.AccountStrategyState>();
    public DbSet<Strategies.StrategyStepTaken> StrategyStepsTaken => Set<Strategies.StrategyStepTaken>();
    public DbSet<Strategies.CollectionRun> CollectionRuns => Set<Strategies.CollectionRun>();
    public DbSet<Strategies.JobLease> JobLeases => Set<Strategies.JobLease>();
    public DbSet<Messaging.DeliveryAttempt> DeliveryAttempts => Set<Messaging.DeliveryAttempt>();
    public DbSet<CardPaymentRecord> CardPayments => Set<CardPaymentRecord>();
    public DbSet<RefundRecord> Refunds => Set<RefundRecord>();
    public DbSet<PromiseRecord> Promises => Set<PromiseRecord>();
    public DbSet<PaymentPlanRecord> PaymentPlans => Set<PaymentPlanRecord>();
    public DbSet<PlanInstallmentRecord> PlanInstallments => Set<PlanInstallmentRecord>();
    public DbSet<PlanRevisionRecord> PlanRevisions => Set<PlanRevisionRecord>();
    public DbSet<SettlementRecord> Settlements => Set<SettlementRecord>();
    public DbSet<AchAuthorizationRecord> AchAuthorizations => Set<AchAuthorizationRecord>();
    public DbSet<AchDebitRecord> AchDebits => Set<AchDebitRecord>();
    public DbSet<AchFileRecord> AchFiles => Set<AchFileRecord>();
    public DbSet<PaymentImport> PaymentImports => Set<PaymentImport>();
    public DbSet<UnmatchedPayment> UnmatchedPayments => Set<UnmatchedPayment>();
    public DbSet<Holds.CollectionHoldRecord> CollectionHolds => Set<Holds.CollectionHoldRecord>();
    public DbSet<Holds.CreditHoldRecord> CreditHolds => Set<Holds.CreditHoldRecord>();
    public DbSet<Holds.PlacementRecord> Placements => Set<Holds.PlacementRecord>();
    public DbSet<Charges.ChargeTermsRecord> ChargeTerms => Set<Charges.ChargeTermsRecord>();
    public DbSet<Charges.ChargeAccrualRecord> ChargeAccruals => Set<Charges.ChargeAccrualRecord>();
    public DbSet<Recoup.Data.Disputes.DisputeRecord> Disputes => Set<Recoup.Data.Disputes.DisputeRecord>();
    public DbSet<Recoup.Data.Disputes.BalanceChangeRecord> BalanceChanges => Set<Recoup.Data.Disputes.BalanceChangeRecord>();
    public DbSet<Recoup.Data.Disputes.SmallBalanceRunRecord> SmallBalanceRuns => Set<Recoup.Data.Disputes.SmallBalanceRunRecord>();
    public DbSet<Messaging.Templates.MessageTemplateVersion> MessageTemplates => Set<Messaging.Templates.MessageTemplateVersion>();
    public DbSet<Reporting.CollectorTargetRecord> CollectorTargets => Set<Reporting.CollectorTargetRecord>();
    public DbSet<Risk.AccountRiskScoreRecord> AccountRiskScores => Set<Risk.AccountRiskScoreRecord>();

    public bool IsSqlite => Database.ProviderName == SqliteProvider;

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        RefuseChangesToTheLog();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        RefuseChangesToTheLog();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    /// <summary>
    /// The conversation log is append-only, like the ledger: an entry is corrected by a new entry
    /// that references it, never by editing or deleting it. A compliance exception is never deleted
    /// either: it is revoked, and stays on record.
    /// </summary>
    private void RefuseChangesToTheLog()
    {
        foreach (var entry in ChangeTracker.Entries<Interaction>())
        {
            if (entry.State is EntityState.Modified or EntityState.Deleted)
            {
                throw new InvalidOperationException(
                    $"Conversation log entry {entry.Entity.Id} cannot be {(entry.State == EntityState.Deleted ? "deleted" : "changed")}: record a correction that references it instead");
            }
        }

        foreach (var entry in ChangeTracker.Entries<ComplianceExceptionGrant>())
        {
            if (entry.State == EntityState.Deleted)
            {
                throw new InvalidOperationException($"Compliance exception {entry.Entity.Id} cannot be deleted: revoke it instead");
            }
        }
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        var sqlite = IsSqlite;
        MapId<DebtorId>(configurationBuilder, sqlite);
        MapId<ContactPointId>(configurationBuilder, sqlite);
        MapId<AccountId>(configurationBuilder, sqlite);
        MapId<InvoiceId>(configurationBuilder, sqlite);
        MapId<LedgerEntryId>(configurationBuilder, sqlite);
        MapId<InteractionId>(configurationBuilder, sqlite);
        MapId<FollowUpId>(configurationBuilder, sqlite);
        MapId<ExceptionGrantId>(configurationBuilder, sqlite);
        MapId<ClientId>(configurationBuilder, sqlite);
        if (sqlite)
        {
            configurationBuilder.Properties<Guid>().HaveConversion<GuidToBigEndianBytes>();
        }

        configurationBuilder.Properties<Currency>().HaveConversion<CurrencyConverter>().HaveMaxLength(3).AreFixedLength();
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(32);
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(RecoupDbContext).Assembly);
        ApplySnakeCaseNames(modelBuilder);
        if (IsSqlite)
        {
            StoreInstantsAsNumbers(modelBuilder);
        }
    }

    /// <summary>
    /// SQLite keeps a <see cref="DateTimeOffset"/> as text, which it can neither compare nor sort in
    /// SQL. The instants that queues and follow-ups sort and filter on are stored as numbers there
    /// (the UTC ticks with the offset packed in, which sort as instants do when all are UTC).
    /// </summary>
    private static void StoreInstantsAsNumbers(ModelBuilder modelBuilder)
    {
        Type[] sortedByInstant = [typeof(Interaction), typeof(FollowUp), typeof(WorkQueueEntry), typeof(AccountSummary), typeof(ComplianceExceptionGrant), typeof(OutboxMessage), typeof(PaymentImport), typeof(UnmatchedPayment), typeof(Strategies.CollectionRun), typeof(Strategies.JobLease)];
        foreach (var type in sortedByInstant)
        {
            foreach (var property in modelBuilder.Model.FindEntityType(type)!.GetProperties())
            {
                if (property.ClrType == typeof(DateTimeOffset) || property.ClrType == typeof(DateTimeOffset?))
                {
                    property.SetValueConverter(new DateTimeOffsetToBinaryConverter());
                }
            }
        }
    }

    private static void MapId<TId>(ModelConfigurationBuilder builder, bool sqlite)
        where TId : struct =>
        builder.Properties<TId>().HaveConversion(sqlite ? typeof(IdToBytes<TId>) : typeof(IdToGuid<TId>));

    private static void ApplySnakeCaseNames(ModelBuilder modelBuilder)
    {
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            if (entity.GetTableName() is { } table && !entity.IsOwned())
            {
                entity.SetTableName(SnakeCase(table));
            }

            // Properties of an owned type (a contact point's address) are prefixed with the owning
            // navigation: address_line1, address_city.
            var ownership = entity.IsOwned() ? entity.FindOwnership() : null;
            foreach (var property in entity.GetProperties())
            {
                var name = ownership is null ? property.Name
                    : property.IsPrimaryKey() ? ownership.PrincipalKey.Properties[ownership.Properties.ToList().IndexOf(property)].Name
                    : ownership.PrincipalToDependent!.Name + property.Name;
                property.SetColumnName(SnakeCase(name));
            }

            foreach (var key in entity.GetKeys())
            {
                key.SetName(SnakeCase(key.GetName()!));
            }

            foreach (var foreignKey in entity.GetForeignKeys())
            {
                foreignKey.SetConstraintName(SnakeCase(foreignKey.GetConstraintName()!));
            }

            foreach (var index in entity.GetIndexes())
            {
                index.SetDatabaseName(SnakeCase(index.GetDatabaseName()!));
            }
        }
    }

    /// <summary><c>LedgerEntries</c> → <c>ledger_entries</c>, <c>AmountMinor</c> → <c>amount_minor</c>.</summary>
    public static string SnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                var previousIsLowerOrDigit = i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]));
                var nextIsLower = i + 1 < name.Length && char.IsLower(name[i + 1]) && i > 0 && char.IsUpper(name[i - 1]);
                if (previousIsLowerOrDigit || nextIsLower)
                {
                    builder.Append('_');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private sealed class CurrencyConverter() : ValueConverter<Currency, string>(c => c.Code, code => Currency.FromCode(code));

    private sealed class GuidToBigEndianBytes() : ValueConverter<Guid, byte[]>(g => g.ToByteArray(true), b => GuidBytes.FromBigEndian(b));
}

/// <summary>Stores a strongly typed id (a record struct over a <see cref="Guid"/> <c>Value</c>) as a PostgreSQL <c>uuid</c>.</summary>
internal sealed class IdToGuid<TId>() : ValueConverter<TId, Guid>(IdExpressions<TId>.ToGuid, IdExpressions<TId>.FromGuid)
    where TId : struct;

/// <summary>Stores a strongly typed id as a 16-byte big-endian blob on SQLite.</summary>
internal sealed class IdToBytes<TId>() : ValueConverter<TId, byte[]>(IdExpressions<TId>.ToBytes, IdExpressions<TId>.FromBytes)
    where TId : struct;

public static class GuidBytes
{
    public static Guid FromBigEndian(byte[] bytes) => new(bytes, bigEndian: true);

    public static byte[] ToBigEndian(Guid value) => value.ToByteArray(bigEndian: true);
}

/// <summary>Conversion expressions built once per id type: <c>id.Value</c> and <c>new TId(guid)</c>.</summary>
internal static class IdExpressions<TId>
    where TId : struct
{
    private static readonly ParameterExpression IdParameter = Expression.Parameter(typeof(TId), "id");
    private static readonly ParameterExpression GuidParameter = Expression.Parameter(typeof(Guid), "guid");
    private static readonly ParameterExpression BytesParameter = Expression.Parameter(typeof(byte[]), "bytes");
    private static readonly ConstructorInfo Constructor =
        typeof(TId).GetConstructor([typeof(Guid)]) ?? throw new InvalidOperationException($"{typeof(TId).Name} has no constructor from a Guid");

    public static readonly Expression<Func<TId, Guid>> ToGuid =
        Expression.Lambda<Func<TId, Guid>>(Expression.Property(IdParameter, "Value"), IdParameter);

    public static readonly Expression<Func<Guid, TId>> FromGuid =
        Expression.Lambda<Func<Guid, TId>>(Expression.New(Constructor, GuidParameter), GuidParameter);

    public static readonly Expression<Func<TId, byte[]>> ToBytes = Expression.Lambda<Func<TId, byte[]>>(
        Expression.Call(typeof(GuidBytes), nameof(GuidBytes.ToBigEndian), null, Expression.Property(IdParameter, "Value")), IdParameter);

    public static readonly Expression<Func<byte[], TId>> FromBytes = Expression.Lambda<Func<byte[], TId>>(
        Expression.New(Constructor, Expression.Call(typeof(GuidBytes), nameof(GuidBytes.FromBigEndian), null, BytesParameter)), BytesParameter);
}
