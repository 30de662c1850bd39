using Recoup.Domain.Conversations;
using Recoup.Domain.Debtors;

namespace Recoup.Domain.Tests.Conversations;

public sealed class InteractionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 15, 0, 0, TimeSpan.Zero);

    private static (Debtor Debtor, ContactPoint Phone, ContactPoint Email, AccountId Account) Setup()
    {
        var debtor = new Debtor(DebtorId.New(Now), "D-1", "Pat Doe", DebtorKind.Person, DebtType.Consumer, null, Now);
        var phone = debtor.AddContactPoint(ContactPointId.New(Now), ContactKind.Phone, "+1 212 555 0134", ContactSource.OriginalCreditor);
        var email = debtor.AddContactPoint(ContactPointId.New(Now), ContactKind.Email, "pat@example.com", ContactSource.OriginalCreditor);
        return (debtor, phone, email, AccountId.New(Now));
    }

    private static Result<Interaction> Record(InteractionDraft draft, AccountId account)
    {
        var (debtor, _, _, _) = Setup();
        return Interaction.Record(InteractionId.New(Now), debtor.Id, draft, debtor.ContactPoints, [account], null, "sam", Now);
    }

    [Fact]
    public void ARightPartyCall_IsRecordedWithWhoAndWhen()
    {
        var (debtor, phone, _, account) = Setup();
        var draft = new InteractionDraft([account], InteractionChannel.OutboundCall, Now.AddMinutes(-3), phone.Id, PartyReached.Debtor,
            InteractionOutcome.PromiseMade, DelinquencyReason.JobLoss, "  Will pay Friday  ");

        var entry = Interaction.Record(InteractionId.New(Now), debtor.Id, draft, debtor.ContactPoints, [account], null, "sam", Now).Value;

        Assert.Equal("sam", entry.RecordedBy);
        Assert.Equal(Now, entry.RecordedAt);
        Assert.Equal(Now.AddMinutes(-3), entry.OccurredAt);
        Assert.Equal("Will pay Friday", entry.Notes);
        Assert.True(entry.IsRightPartyContact);
        Assert.Equal(DelinquencyReason.JobLoss, entry.Reason);
    }

    public static TheoryData<InteractionChannel, PartyReached, InteractionOutcome, string> Refused => new()
    {
        { InteractionChannel.EmailSent, PartyReached.None, InteractionOutcome.VoicemailLeft, "'Voicemail left' is an outcome of a phone call, not of email sent" },
        { InteractionChannel.OutboundCall, PartyReached.Debtor, InteractionOutcome.NoAnswer, "'No answer' means no one was reached; set the party reached to none" },
        { InteractionChannel.OutboundCall, PartyReached.Debtor, InteractionOutcome.WrongParty, "A wrong-party contact did not reach the debtor" },
        { InteractionChannel.OutboundCall, PartyReached.ThirdParty, InteractionOutcome.PromiseMade, "'Promise made' needs the debtor as the party reached" },
        { InteractionChannel.OutboundCall, PartyReached.None, InteractionOutcome.None, "Choose the outcome of the call" },
    };

    [Theory, MemberData(nameof(Refused))]
    public void OutcomesThatCannotHappen_AreRefused(InteractionChannel channel, PartyReached party, InteractionOutcome outcome, string message)
    {
        var (_, _, _, account) = Setup();

        var result = Record(new InteractionDraft([account], channel, Now, null, party, outcome), account);

        Assert.False(result.IsSuccess);
        Assert.Equal(message, result.Error!.Message);
        Assert.Equal("outcome", result.Error.Field);
    }

    [Fact]
    public void ACallThroughAnEmailAddress_IsRefused()
    {
        var (debtor, _, email, account) = Setup();
        var draft = new InteractionDraft([account], InteractionChannel.OutboundCall, Now, email.Id, PartyReached.None, InteractionOutcome.NoAnswer);

        var result = Interaction.Record(InteractionId.New(Now), debtor.Id, draft, debtor.ContactPoints, [account], null, "sam", Now);

        Assert.Equal("contact_point_wrong_kind", result.Error!.Code);
        Assert.Equal("Outbound call needs a phone contact point, not pat@example.com", result.Error.Message);
    }

    [Fact]
    public void AnotherDebtorsAccount_AndTheFuture_AreRefused()
    {
        var (_, _, _, account) = Setup();

        var foreign = Record(new InteractionDraft([AccountId.New(Now)], InteractionChannel.Note, Now, null, PartyReached.None, InteractionOutcome.None, Notes: "x"), account);
        var future = Record(new InteractionDraft([account], InteractionChannel.Note, Now.AddHours(1), null, PartyReached.None, InteractionOutcome.None, Notes: "x"), account);

        Assert.Equal("account_not_found", foreign.Error!.Code);
        Assert.Equal("occurred_in_future", future.Error!.Code);
    }

    [Fact]
    public void ACorrection_ReferencesTheOriginal_WhichStaysAsItWas()
    {
        var (debtor, phone, _, account) = Setup();
        var original = Interaction.Record(InteractionId.New(Now), debtor.Id,
            new InteractionDraft([account], InteractionChannel.OutboundCall, Now, phone.Id, PartyReached.None, InteractionOutcome.NoAnswer),
            debtor.ContactPoints, [account], null, "sam", Now).Value;

        var correction = Interaction.Record(InteractionId.New(Now), debtor.Id,
            new InteractionDraft([account], InteractionChannel.OutboundCall, Now, phone.Id, PartyReached.None, InteractionOutcome.VoicemailLeft,
                Notes: "It was voicemail, not no answer", Corrects: original.Id),
            debtor.ContactPoints, [account], original, "sam", Now).Value;

        Assert.Equal(original.Id, correction.Corrects);
        Assert.Equal(InteractionOutcome.NoAnswer, original.Outcome);
    }

    [Fact]
    public void TheLog_HasNoWayToChangeAnEntry()
    {
        // Immutability by construction: every property's setter is private and no method changes state.
        var type = typeof(Interaction);
        Assert.All(type.GetProperties(), p => Assert.True(p.SetMethod is null || !p.SetMethod.IsPublic, $"{p.Name} has a public setter"));
        Assert.DoesNotContain(type.GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance),
            m => m.ReturnType == typeof(void) && m.DeclaringType == type);
    }
}
