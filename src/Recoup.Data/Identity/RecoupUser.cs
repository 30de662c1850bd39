using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Recoup.Data.Identity;

/// <summary>A person who works in Recoup: a collector, supervisor, manager, admin or auditor.</summary>
public sealed class RecoupUser : IdentityUser
{
    /// <summary>The name shown on screens and in the audit log, e.g. "Dana Reyes".</summary>
    public string DisplayName { get; set; } = "";
}

/// <summary>The roles; every page and endpoint requires at least one of them.</summary>
public static class Roles
{
    public const string Collector = "collector";
    public const string Supervisor = "supervisor";
    public const string Manager = "manager";
    public const string Admin = "admin";
    public const string Auditor = "auditor";

    public static IReadOnlyList<string> All { get; } = [Collector, Supervisor, Manager, Admin, Auditor];
}

/// <summary>
/// A key a script or integration uses instead of a password. Only a SHA-256 hash of the key is
/// stored; the key itself is shown once, when it is created. <see cref="Prefix"/> (the first
/// characters of the key) finds the row without revealing anything.
/// </summary>
public sealed class ApiKey
{
    public Guid Id { get; set; }
    public string UserId { get; set; } = "";
    public string Name { get; set; } = "";
    public string Prefix { get; set; } = "";
    public byte[] Hash { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.HasKey(k => k.Id);
        builder.Property(k => k.Name).HasMaxLength(100);
        builder.Property(k => k.Prefix).HasMaxLength(16);
        builder.HasIndex(k => k.Prefix).IsUnique();
        builder.Property(k => k.Hash).HasMaxLength(32);
        builder.HasOne<RecoupUser>().WithMany().HasForeignKey(k => k.UserId).OnDelete(DeleteBehavior.Restrict);
    }
}
