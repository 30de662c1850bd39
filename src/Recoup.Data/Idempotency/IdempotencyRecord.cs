using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Recoup.Data.Idempotency;

/// <summary>
/// A processed request that moved money, keyed by its <c>Idempotency-Key</c>: the same key with the
/// same request returns <see cref="ResponseBody"/> again and posts nothing; the same key with a
/// different request is refused. Written in the same transaction as the change.
/// </summary>
public sealed class IdempotencyRecord
{
    public string Key { get; set; } = "";

    /// <summary>Who sent it: keys are scoped per user, so two clients cannot collide.</summary>
    public string Caller { get; set; } = "";

    /// <summary>SHA-256 of method, path and body.</summary>
    public string RequestHash { get; set; } = "";

    public int StatusCode { get; set; }
    public string ResponseBody { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> builder)
    {
        builder.HasKey(r => new { r.Caller, r.Key });
        builder.Property(r => r.Key).HasMaxLength(128);
        builder.Property(r => r.Caller).HasMaxLength(256);
        builder.Property(r => r.RequestHash).HasMaxLength(64);
    }
}
