using Recoup.Domain.Compliance;
using static Recoup.Domain.Compliance.GateContext;

namespace Recoup.Domain.Disputes;

/// <summary>
/// A debt whose whole balance is under open disputes is not collected at all until they are resolved
/// (<see cref="DebtFacts.HeldInFullSince"/>): no call, text, e-mail or letter about it, except the answer to the
/// dispute itself. A partly disputed debt is not affected: the rest of its balance stays collectible.
/// </summary>
/// <remarks>
/// This is the creditor's own hold (and the Fair Credit Billing practice of not collecting a disputed amount), so it
/// applies to business debts too; the consumer's dispute in writing within the validation period is
/// <see cref="ComplianceRules.DisputedDebt"/>. Only resolving the disputes lifts it, never time.
/// </remarks>
internal sealed class DisputeHoldRule : IContactRule
{
    public ComplianceRule Rule => ComplianceRules.DisputeHold;

    public long Check(ref readonly GateContext c, long t, ref ReasonSink reasons)
    {
        if ((c.Attempt.Purpose & ContactPurpose.DisputeResponse) != 0)
        {
            return Passes;
        }

        var result = Passes;
        for (var i = 0; i < c.DebtCount; i++)
        {
            if (c.DebtAt(i) is not { HeldInFullSince: { } since } debt || since.UtcTicks > t)
            {
                continue;
            }

            if (reasons.Collect)
            {
                reasons.Add(Rule, $"The whole balance of debt {debt.DebtId} is disputed (since {c.Describe(since.UtcTicks)}); it is not collected until the dispute is resolved. Other debts are not affected.");
            }

            result = Never;
        }

        return result;
    }
}
