using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Recoup.Data.Outbox;
using Recoup.Data.Identity;
using Recoup.Domain.Ledger;
using Recoup.Services.Accounts;
using Recoup.Services.Ledger;
using Recoup.Services.Payments;

namespace Recoup.Web.Tests.Payments;

/// <summary>
/// Card payments, reversals, refunds with approval and duplicate detection through the API, on both
/// providers; and the proof that no card number reaches the database or the logs.
/// </summary>
public abstract class PaymentFlowTests(PaymentsFixture fixture)
{
    private static object Card(string number, string amount = "25.00", int month = 12, int year = 2030, string cvv = "123") =>
        new { amount, card_number = number, exp_month = month, exp_year = year, cvv, cardholder_name = "Payer One" };

    [Fact]
    public async Task CardPayments_ApprovedAndDeclined_LeaveNoCardNumberInTheDatabaseNorTheLogs()
    {
        var client = fixture.As(Roles.Collector);
        var id = await fixture.AccountOfAsync("Q1");
        string[] cards = [TestPaymentGateway.Approve, TestPaymentGateway.Decline, TestPaymentGateway.InsufficientFunds, TestPaymentGateway.Expired, TestPaymentGateway.ProcessingError, TestPaymentGateway.IncorrectCvc, "5555555555554444", "4242 4242 4242 4242"];
        foreach (var number in cards)
        {
            var response = await Json.PostAsync(client, $"/api/accounts/{id}/card-payments", Card(number), ("Idempotency-Key", $"card-{Guid.NewGuid()}"));
            Assert.Contains(response.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.PaymentRequired });
        }

        // Refused before the gateway: a number that fails the Luhn check, an expired card. Their problems do not repeat the number.
        var bad = await Json.PostAsync(client, $"/api/accounts/{id}/card-payments", Card("4242424242424241"));
        var problem = await Json.ProblemAsync(bad, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("card_number", out _));
        Assert.DoesNotContain("4242424242424241", problem.ToString(), StringComparison.Ordinal);
        var expired = await Json.ProblemAsync(await Json.PostAsync(client, $"/api/accounts/{id}/card-payments", Card(TestPaymentGateway.Approve, month: 1, year: 2026)), HttpStatusCode.BadRequest);
        Assert.True(expired.GetProperty("errors").TryGetProperty("exp_year", out _));
        var garbage = await client.PostAsync($"/api/accounts/{id}/card-payments", new StringContent("{\"amount\":\"5.00\",\"card_number\":4111111111111111}", System.Text.Encoding.UTF8, "application/json"));
        Assert.DoesNotContain("4111111111111111", await garbage.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var found = new List<string>();
        foreach (var (where, text) in await fixture.AllTextAsync())
        {
            found.AddRange(CardNumberScanner.Find(text).Select(n => $"{where}: {n}"));
            found.AddRange(cards.Append("4242424242424241").Append("4111111111111111").Where(c => text.Contains(CardNumbers.Digits(c), StringComparison.Ordinal)).Select(c => $"{where}: contains {c}"));
        }

        Assert.True(found.Count == 0, string.Join("\n", found));
        Assert.NotEmpty(fixture.Logs.Lines);
        var logged = fixture.Logs.Lines.SelectMany(line => CardNumberScanner.Find(line).Select(n => $"{n} in: {line}"))
            .Concat(fixture.Logs.Lines.Where(line => cards.Any(c => line.Contains(CardNumbers.Digits(c), StringComparison.Ordinal))))
            .ToList();
        Assert.True(logged.Count == 0, string.Join("\n", logged));

        // What is kept: the token, brand and last four.
        await using var db = fixture.Database.CreateContext();
        var kept = await db.CardPayments.AsNoTracking().Where(c => c.AccountId == Guid.Parse(id)).ToListAsync();
        Assert.Equal(3, kept.Count);
        Assert.All(kept, c => Assert.StartsWith("tok_test_", c.Token, StringComparison.Ordinal));
        Assert.Equal(["4242", "4242", "4444"], kept.Select(c => c.Last4).Order(StringComparer.Ordinal));
        Assert.Contains(kept, c => c.Brand == "mastercard");
    }

    [Theory]
    [InlineData(TestPaymentGateway.Decline, "declined")]
    [InlineData(TestPaymentGateway.InsufficientFunds, "insufficient_funds")]
    [InlineData(TestPaymentGateway.Expired, "expired_card")]
    [InlineData(TestPaymentGateway.ProcessingError, "processing_error")]
    [InlineData(TestPaymentGateway.IncorrectCvc, "incorrect_cvc")]
    public async Task DeclinedCard_Is402NamingTheReason_AndPostsNothing_EvenWhenRetried(string number, string reason)
    {
        var client = fixture.As(Roles.Collector);
        var id = await fixture.AccountOfAsync("Q2");
        var before = await PaymentsOnAsync(id);
        var key = $"declined-{Guid.NewGuid()}";

        var problem = await Json.ProblemAsync(await Json.PostAsync(client, $"/api/accounts/{id}/card-payments", Card(number), ("Idempotency-Key", key)), HttpStatusCode.PaymentRequired);
        Assert.Equal(("card_declined", reason), (problem.Str("code"), problem.Str("reason")));
        Assert.Contains("****" + number[^4..], problem.Str("detail"), StringComparison.Ordinal);

        var retried = await Json.PostAsync(client, $"/api/accounts/{id}/card-payments", Card(number), ("Idempotency-Key", key));
        Assert.Equal(HttpStatusCode.PaymentRequired, retried.StatusCode);
        Assert.True(retried.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(before, await PaymentsOnAsync(id));
    }

    [Fact]
    public async Task ApprovedCard_PostsOnce_EvenWhenTheSameRequestIsSentConcurrently()
    {
        var client = fixture.As(Roles.Collector);
        var id = await fixture.AccountOfAsync("Q3");
        var key = $"card-{Guid.NewGuid()}";

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Json.PostAsync(client, $"/api/accounts/{id}/card-payments", Card(TestPaymentGateway.Approve, "40.00"), ("Idempotency-Key", key))));

        var created = responses.Where(r => r.StatusCode == HttpStatusCode.Created).ToList();
        Assert.NotEmpty(created);
        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
        var body = await Json.ReadAsync(created[0], HttpStatusCode.Created);
        Assert.Equal(("visa", "4242"), (body.GetProperty("card").Str("brand"), body.GetProperty("card").Str("last4")));
        Assert.Equal(("card", "visa ****4242"), (body.GetProperty("payment").Str("method"), body.GetProperty("payment").Str("reference")));
        Assert.Equal(1, await PaymentsOnAsync(id));
        await using var db = fixture.Database.CreateContext();
        Assert.Equal(1, await db.CardPayments.CountAsync(c => c.AccountId == Guid.Parse(id)));
    }

    [Fact]
    public async Task FiftyConcurrentPostings_EachSentTwiceWithItsKey_PostFiftyTimes_AndKeepTheLedgerInvariants()
    {
        var client = fixture.As(Roles.Collector);
        var id = await fixture.AccountOfAsync("BIG");
        var keys = Enumerable.Range(1, 50).Select(i => (Key: $"fifty-{i}-{Guid.NewGuid()}", Amount: $"{i}.{i % 100:00}")).ToList();

        var sends = keys.SelectMany(k => new[] { k, k }).OrderBy(_ => Random.Shared.Next())
            .Select(k => Json.PostAsync(client, $"/api/accounts/{id}/payments", new { amount = k.Amount, method = "cash", reference = k.Key[..9] }, ("Idempotency-Key", k.Key)));
        var responses = await Task.WhenAll(sends);

        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
        Assert.Equal(50, await PaymentsOnAsync(id));
        var paid = keys.Sum(k => decimal.Parse(k.Amount, System.Globalization.CultureInfo.InvariantCulture));
        var account = await Json.GetAsync(client, $"/api/accounts/{id}");
        Assert.Equal((100000m - paid).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), account.GetProperty("balance").Str("amount"));
        Assert.True((await new VerifyLedger(fixture.Database).RunAsync()).Passed);
        Assert.True((await new RebuildAccountSummaries(fixture.Database).RunAsync(repair: false)).Passed);

        // A key answered 409 while in flight is retried by the client: it posts nothing new.
        foreach (var (key, amount) in keys.Take(5))
        {
            var again = await Json.PostAsync(client, $"/api/accounts/{id}/payments", new { amount, method = "cash", reference = key[..9] }, ("Idempotency-Key", key));
            Assert.Equal(HttpStatusCode.Created, again.StatusCode);
            Assert.True(again.Headers.Contains("Idempotent-Replayed"));
        }

        Assert.Equal(50, await PaymentsOnAsync(id));
    }

    [Fact]
    public async Task Payment_ToSeveralInvoices_WithAmounts_ShowsTheSplit_AndCheckNeedsANumber()
    {
        var client = fixture.As(Roles.Collector);
        var id = await fixture.AccountOfAsync("Q4");

        var missing = await Json.ProblemAsync(await Json.PostAsync(client, $"/api/accounts/{id}/payments", new { amount = "10.00", method = "check" }), HttpStatusCode.BadRequest);
        Assert.True(missing.GetProperty("errors").TryGetProperty("check_number", out _));

        var payment = await Json.ReadAsync(
            await Json.PostAsync(client, $"/api/accounts/{id}/payments", new
            {
                amount = "150.00",
                method = "check",
                check_number = "1042",
                invoices = new object[] { new { invoice_id = "Q-INV-4-B", amount = "100.00" }, new { invoice_id = "Q-INV-4-A", amount = "30.00" } },
            }),
            HttpStatusCode.Created);
        Assert.Equal("check #1042", (await Json.GetAsync(client, $"/api/accounts/{id}/ledger")).Items().Last().Str("reference"));
        var applied = payment.GetProperty("applied_to").EnumerateArray().ToDictionary(a => a.Str("invoice_id"), a => a.GetProperty("principal").Str("amount"));
        Assert.Equal("100.00", applied["Q-INV-4-B"]);
        Assert.Equal("30.00", applied["Q-INV-4-A"]);
        Assert.Equal("20.00", payment.GetProperty("unapplied").Str("amount"));

        var tooMuch = await Json.ProblemAsync(
            await Json.PostAsync(client, $"/api/accounts/{id}/payments", new { amount = "500.00", method = "cash", invoices = new object[] { new { invoice_id = "Q-INV-4-B", amount = "100.01" } } }),
            HttpStatusCode.BadRequest);
        Assert.Equal("allocation_exceeds_open", tooMuch.Str("code"));
    }

    [Fact]
    public async Task ACardNumberTypedIntoAReference_IsRefused_AndNeverStored()
    {
        var client = fixture.As(Roles.Collector);
        var id = await fixture.AccountOfAsync("Q10");

        var problem = await Json.ProblemAsync(
            await Json.PostAsync(client, $"/api/accounts/{id}/payments", new { amount = "10.00", method = "card", reference = "4111 1111 1111 1111" }), HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("reference", out _));
        Assert.DoesNotContain("4111", problem.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, await PaymentsOnAsync(id));
        var refund = await Json.ProblemAsync(await Json.PostAsync(client, $"/api/accounts/{id}/refunds", new { amount = "1.00", reason = "card 4111111111111111" }), HttpStatusCode.BadRequest);
        Assert.Equal("card_number_in_text", refund.Str("code"));
    }

    [Fact]
    public async Task Reversal_WithAReason_IsIdempotent_Audited_AndRefusedTheSecondTime()
    {
        var client = fixture.As(Roles.Collector);
        var id = await fixture.AccountOfAsync("Q5");
        var payment = await Json.ReadAsync(await Json.PostAsync(client, $"/api/accounts/{id}/payments", new { amount = "60.00", method = "check", check_number = "77" }), HttpStatusCode.Created);
        var entry = payment.Str("entry_id");
        var key = $"rev-{Guid.NewGuid()}";

        var first = await Json.PostAsync(client, $"/api/accounts/{id}/payments/{entry}/reversal", new { reason = "check returned unpaid" }, ("Idempotency-Key", key));
        var reversal = await Json.ReadAsync(first, HttpStatusCode.Created);
        Assert.Equal(("440.00", "500.00"), (reversal.GetProperty("balance_before").Str("amount"), reversal.GetProperty("balance_after").Str("amount")));

        var replay = await Json.PostAsync(client, $"/api/accounts/{id}/payments/{entry}/reversal", new { reason = "check returned unpaid" }, ("Idempotency-Key", key));
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.True(replay.Headers.Contains("Idempotent-Replayed"));

        var twice = await Json.ProblemAsync(await Json.PostAsync(client, $"/api/accounts/{id}/payments/{entry}/reversal", new { reason = "again" }, ("Idempotency-Key", $"rev-{Guid.NewGuid()}")), HttpStatusCode.Conflict);
        Assert.Equal("already_reversed", twice.Str("code"));
        var noReason = await Json.ProblemAsync(await Json.PostAsync(client, $"/api/accounts/{id}/payments/{entry}/reversal", new { reason = "" }), HttpStatusCode.BadRequest);
        Assert.True(noReason.GetProperty("errors").TryGetProperty("reason", out _));

        await using var db = fixture.Database.CreateContext();
        var accountId = new Domain.AccountId(Guid.Parse(id));
        Assert.Equal(1, await db.LedgerEntries.CountAsync(e => e.AccountId == accountId && e.Kind == EntryKind.Reversal));
        var audit = await Json.GetAsync(fixture.As(Roles.Auditor), $"/api/audit?entity=account&entity_id={id}");
        var record = Assert.Single(audit.Items(), r => r.Str("action") == "payment.reversed");
        Assert.Equal("check returned unpaid", record.GetProperty("after").Str("reason"));
    }

    [Fact]
    public async Task RefundOfCredit_AtTheThreshold_IsDoneAtOnce_AsAPaymentInstruction_AboveIt_WaitsForAnotherApprover()
    {
        var collector = fixture.As(Roles.Collector);
        var id = await fixture.AccountOfAsync("Q6");
        await Json.ReadAsync(await Json.PostAsync(collector, $"/api/accounts/{id}/payments", new { amount = "800.00", method = "wire", reference = "W-1" }), HttpStatusCode.Created);

        // 100.00 is the threshold: not above it, so no approval.
        var small = await Json.ReadAsync(await Json.PostAsync(collector, $"/api/accounts/{id}/refunds", new { amount = "100.00", reason = "overpaid" }, ("Idempotency-Key", $"ref-{Guid.NewGuid()}")), HttpStatusCode.Created);
        Assert.Equal(("completed", "payment_instruction", "overpayment"), (small.Str("status"), small.Str("channel"), small.Str("kind")));
        await using (var db = fixture.Database.CreateContext())
        {
            var message = await db.Outbox.AsNoTracking().SingleAsync(m => m.Id == Guid.Parse(small.Str("outbox_message_id")));
            Assert.Equal((OutboxChannel.PaymentInstruction, "refund", OutboxStatus.Pending), (message.Channel, message.Purpose, message.Status));
            Assert.Equal("100.00", JsonDocument.Parse(message.Body).RootElement.Str("amount"));
            var refundEntry = await db.LedgerEntries.AsNoTracking().SingleAsync(e => e.Id == new Domain.LedgerEntryId(Guid.Parse(small.Str("refund_entry_id"))));
            Assert.Equal((EntryKind.Refund, 10_000L), (refundEntry.Kind, refundEntry.AmountMinor));
        }

        var big = await Json.ReadAsync(await Json.PostAsync(collector, $"/api/accounts/{id}/refunds", new { amount = "100.01", reason = "overpaid, rest" }), HttpStatusCode.Accepted);
        Assert.Equal("pending_approval", big.Str("status"));
        var refundId = big.Str("id");
        var pending = await Json.GetAsync(fixture.As(Roles.Supervisor), "/api/refunds");
        Assert.Contains(pending.EnumerateArray(), r => r.Str("id") == refundId);

        // More than the credit left once the pending one is counted is refused.
        var over = await Json.ProblemAsync(await Json.PostAsync(collector, $"/api/accounts/{id}/refunds", new { amount = "100.00", reason = "again" }), HttpStatusCode.BadRequest);
        Assert.Equal("refund_exceeds_credit", over.Str("code"));

        Assert.Equal(HttpStatusCode.Forbidden, (await Json.PostAsync(fixture.As("collector2"), $"/api/refunds/{refundId}/approve", new { note = "ok" })).StatusCode);
        var approved = await Json.ReadAsync(await Json.PostAsync(fixture.As(Roles.Supervisor), $"/api/refunds/{refundId}/approve", new { note = "checked the wire" }), HttpStatusCode.OK);
        Assert.Equal(("completed", "supervisor (api key: supervisor tests)", "checked the wire"), (approved.Str("status"), approved.Str("decided_by"), approved.Str("decision_note")));

        var again = await Json.ProblemAsync(await Json.PostAsync(fixture.As("supervisor2"), $"/api/refunds/{refundId}/approve", new { }), HttpStatusCode.Conflict);
        Assert.Equal("refund_not_pending", again.Str("code"));

        var account = await Json.GetAsync(collector, $"/api/accounts/{id}");
        Assert.Equal("-99.99", account.GetProperty("balance").Str("amount"));
        var audit = await Json.GetAsync(fixture.As(Roles.Auditor), $"/api/audit?entity=account&entity_id={id}");
        Assert.Equal(2, audit.Items().Count(r => r.Str("action") == "refund.requested"));
        Assert.Equal(2, audit.Items().Count(r => r.Str("action") == "refund.completed"));
        Assert.True((await new VerifyLedger(fixture.Database).RunAsync()).Passed);
    }

    [Fact]
    public async Task Refund_AboveTheThreshold_CannotBeApprovedByItsRequester_AndARejectionPostsNothing()
    {
        var supervisor = fixture.As(Roles.Supervisor);
        var id = await fixture.AccountOfAsync("Q7");
        await Json.ReadAsync(await Json.PostAsync(supervisor, $"/api/accounts/{id}/payments", new { amount = "900.00", method = "cash" }), HttpStatusCode.Created);
        var refund = await Json.ReadAsync(await Json.PostAsync(supervisor, $"/api/accounts/{id}/refunds", new { amount = "400.00", reason = "overpaid" }), HttpStatusCode.Accepted);

        var self = await Json.ProblemAsync(await Json.PostAsync(supervisor, $"/api/refunds/{refund.Str("id")}/approve", new { }), HttpStatusCode.Forbidden);
        Assert.Equal("self_approval", self.Str("code"));

        var rejected = await Json.ReadAsync(await Json.PostAsync(fixture.As(Roles.Manager), $"/api/refunds/{refund.Str("id")}/reject", new { note = "keep it for the next invoice" }), HttpStatusCode.OK);
        Assert.Equal("rejected", rejected.Str("status"));
        Assert.Null(rejected.GetProperty("refund_entry_id").GetString());
        var account = await Json.GetAsync(supervisor, $"/api/accounts/{id}");
        Assert.Equal("-400.00", account.GetProperty("balance").Str("amount"));
        await using var db = fixture.Database.CreateContext();
        Assert.False(await db.Outbox.AnyAsync(m => m.AccountId == Guid.Parse(id)));
    }

    [Fact]
    public async Task DuplicatePayments_AreListed_WithinTheWindowOnly_AndRefundingOneReopensWhatItPaid()
    {
        var client = fixture.As(Roles.Collector);
        var id = await fixture.AccountOfAsync("Q8");
        async Task<string> Pay(string on, string amount, string reference) =>
            (await Json.ReadAsync(await Json.PostAsync(client, $"/api/accounts/{id}/payments", new { amount, method = "ach", reference, received_on = on }), HttpStatusCode.Created)).Str("entry_id");

        var original = await Pay("2026-11-01", "50.00", "ACH-555");
        var copy = await Pay("2026-11-06", "50.00", "ACH-555");
        await Pay("2026-11-20", "50.00", "ACH-555");     // 14 days after the copy: outside the window
        await Pay("2026-11-06", "50.00", "ACH-556");     // another reference
        await Pay("2026-11-07", "49.99", "ACH-555");     // another amount

        var suspects = (await Json.GetAsync(client, $"/api/accounts/{id}/payments/duplicates")).EnumerateArray().ToList();
        var suspect = Assert.Single(suspects);
        Assert.Equal((original, copy, 5), (suspect.Str("original_entry_id"), suspect.Str("duplicate_entry_id"), suspect.GetProperty("days_apart").GetInt32()));
        Assert.Contains((await Json.GetAsync(client, "/api/payments/duplicates?days=60")).EnumerateArray(), s => s.Str("duplicate_entry_id") == copy);

        var refund = await Json.ReadAsync(await Json.PostAsync(client, $"/api/accounts/{id}/refunds", new { amount = "50.00", reason = "paid twice", payment_entry_id = copy }), HttpStatusCode.Created);
        Assert.Equal(("duplicate_payment", "completed"), (refund.Str("kind"), refund.Str("status")));
        var listed = Assert.Single((await Json.GetAsync(client, $"/api/accounts/{id}/payments/duplicates")).EnumerateArray());
        Assert.Equal("50.00", listed.GetProperty("refunded").Str("amount"));

        var more = await Json.ProblemAsync(await Json.PostAsync(client, $"/api/accounts/{id}/refunds", new { amount = "0.01", reason = "again", payment_entry_id = copy }), HttpStatusCode.BadRequest);
        Assert.Equal("refund_exceeds_payment", more.Str("code"));
        var reverse = await Json.ProblemAsync(await Json.PostAsync(client, $"/api/accounts/{id}/payments/{copy}/reversal", new { reason = "bounced" }), HttpStatusCode.Conflict);
        Assert.Equal("payment_refunded", reverse.Str("code"));
        var account = await Json.GetAsync(client, $"/api/accounts/{id}");
        Assert.Equal("300.01", account.GetProperty("balance").Str("amount"));
        Assert.True((await new VerifyLedger(fixture.Database).RunAsync()).Passed);
    }

    [Fact]
    public async Task RefundOfACardPayment_GoesBackToTheCard_ThroughTheGateway()
    {
        var client = fixture.As(Roles.Collector);
        var id = await fixture.AccountOfAsync("Q9");
        var taken = await Json.ReadAsync(await Json.PostAsync(client, $"/api/accounts/{id}/card-payments", Card(TestPaymentGateway.Approve, "80.00")), HttpStatusCode.Created);
        var entry = taken.GetProperty("payment").Str("entry_id");

        var refund = await Json.ReadAsync(await Json.PostAsync(client, $"/api/accounts/{id}/refunds", new { amount = "30.00", reason = "charged too much", payment_entry_id = entry, kind = "duplicate_payment" }), HttpStatusCode.Created);

        Assert.Equal(("card", "completed"), (refund.Str("channel"), refund.Str("status")));
        Assert.StartsWith("re_test_", refund.Str("gateway_refund_id"), StringComparison.Ordinal);
        Assert.Null(refund.GetProperty("outbox_message_id").GetString());
        await using var db = fixture.Database.CreateContext();
        var card = await db.CardPayments.AsNoTracking().SingleAsync(c => c.EntryId == Guid.Parse(entry));
        Assert.Equal(3000, card.RefundedMinor);
        var account = await Json.GetAsync(client, $"/api/accounts/{id}");
        Assert.Equal("450.00", account.GetProperty("balance").Str("amount"));
    }

    [Fact]
    public async Task ApproveAndReject_AtOnce_OneWins_AndTheCardIsRefundedOnlyIfTheApprovalWon()
    {
        var client = fixture.As(Roles.Collector);
        var id = await fixture.AccountOfAsync("Q11");
        var taken = await Json.ReadAsync(await Json.PostAsync(client, $"/api/accounts/{id}/card-payments", Card(TestPaymentGateway.Approve, "300.00")), HttpStatusCode.Created);
        var entry = taken.GetProperty("payment").Str("entry_id");
        var refund = await Json.ReadAsync(await Json.PostAsync(client, $"/api/accounts/{id}/refunds", new { amount = "250.00", reason = "disputed", payment_entry_id = entry }), HttpStatusCode.Accepted);
        var refundId = refund.Str("id");

        var answers = await Task.WhenAll(
            Json.PostAsync(fixture.As(Roles.Supervisor), $"/api/refunds/{refundId}/approve", new { }),
            Json.PostAsync(fixture.As(Roles.Manager), $"/api/refunds/{refundId}/reject", new { }),
            Json.PostAsync(fixture.As("supervisor2"), $"/api/refunds/{refundId}/approve", new { }));

        Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        Assert.Equal(2, answers.Count(a => a.StatusCode == HttpStatusCode.Conflict));
        var final = await Json.GetAsync(client, $"/api/refunds/{refundId}");
        await using var db = fixture.Database.CreateContext();
        var card = await db.CardPayments.AsNoTracking().SingleAsync(c => c.EntryId == Guid.Parse(entry));
        Assert.Equal(final.Str("status") == "completed" ? 25_000 : 0, card.RefundedMinor);
        Assert.Contains(final.Str("status"), new[] { "completed", "rejected" });
        Assert.True((await new VerifyLedger(fixture.Database).RunAsync()).Passed);
    }

    private async Task<int> PaymentsOnAsync(string accountId)
    {
        await using var db = fixture.Database.CreateContext();
        var id = new Domain.AccountId(Guid.Parse(accountId));
        return await db.LedgerEntries.CountAsync(e => e.AccountId == id && e.Kind == EntryKind.Payment);
    }
}

[Collection("payments-sqlite")]
public sealed class SqlitePaymentFlowTests(SqlitePayments fixture) : PaymentFlowTests(fixture);

[Collection("payments-postgres")]
public sealed class PostgresPaymentFlowTests(PostgresPayments fixture) : PaymentFlowTests(fixture);
