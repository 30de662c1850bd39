using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Recoup.Data.Messaging.Templates;

/// <summary>The medium a template is written for.</summary>
public enum TemplateChannel
{
    Email,
    Sms,
    Letter,
}

/// <summary>
/// One version of a message template (Liquid, rendered with Fluid): the key (<c>first_reminder</c>), the
/// medium and the language say what it is; the newest version of each (key, channel, language) is the one
/// in use, and older versions are kept so a sent message can always be traced to the exact text it came
/// from. Versions are never edited: a change is a new version.
/// </summary>
public sealed class MessageTemplateVersion
{
    public Guid Id { get; set; }

    /// <summary>What the message is for, e.g. <c>first_reminder</c>, <c>validation_notice</c>.</summary>
    public string Key { get; set; } = "";

    public TemplateChannel Channel { get; set; }

    /// <summary>ISO 639-1 (<c>en</c>, <c>es</c>).</summary>
    public string Language { get; set; } = "en";

    /// <summary>1, 2, 3, … per (key, channel, language).</summary>
    public int Version { get; set; }

    /// <summary>The e-mail subject, or a letter's heading; null for texts.</summary>
    public string? Subject { get; set; }

    /// <summary>The plain-text body (the SMS, the e-mail's text part, the letter).</summary>
    public string Body { get; set; } = "";

    /// <summary>An HTML body for e-mails; when null the HTML part is made from the text.</summary>
    public string? Html { get; set; }

    /// <summary>Who saved it (<c>system</c> for the standard templates).</summary>
    public string CreatedBy { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Why it was changed, as the editor said.</summary>
    public string? Note { get; set; }
}

internal sealed class MessageTemplateVersionConfiguration : IEntityTypeConfiguration<MessageTemplateVersion>
{
    public void Configure(EntityTypeBuilder<MessageTemplateVersion> builder)
    {
        builder.ToTable("message_templates");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Key).HasMaxLength(100);
        builder.Property(t => t.Language).HasMaxLength(10);
        builder.Property(t => t.Subject).HasMaxLength(1000);
        builder.Property(t => t.CreatedBy).HasMaxLength(256);
        builder.Property(t => t.Note).HasMaxLength(1000);
        builder.HasIndex(t => new { t.Key, t.Channel, t.Language, t.Version }).IsUnique();
    }
}
