using System.CommandLine;
using Recoup.Services.Ledger;
using Spectre.Console;
using static Recoup.Cli.Formatting;

namespace Recoup.Cli.Commands;

/// <summary><c>recoup account ID</c>: a debtor's ledger, invoices, balance and status.</summary>
public static class AccountCommand
{
    public static Command Create(CliHost host)
    {
        var id = new Argument<string>("ID") { Description = "The debtor id (debtor_id of the import)." };
        var asOf = Arguments.AsOf("Show the account as it stood at the end of this date, YYYY-MM-DD. Default: today.");
        var command = new Command("account", "Show a debtor's ledger and balance, line by line.") { id, asOf };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!Arguments.TryDate(parse.GetValue(asOf), host.Today, out var date, out var dateError))
            {
                return host.Fail(dateError!);
            }

            if (await host.ExistingDatabaseAsync(parse.GetValue(RecoupCli.DatabaseOption), cancellationToken) is not { } database)
            {
                return ExitCodes.UserError;
            }

            var statement = await new AccountStatement(database).ForDebtorAsync(parse.GetValue(id)!, date, cancellationToken);
            if (statement.Error is { } error)
            {
                return host.Fail(error.Message);
            }

            Show(host.Console, statement.Value);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Show(IAnsiConsole console, DebtorStatement statement)
    {
        console.MarkupLineInterpolated($"[bold]{statement.Name}[/] ({statement.DebtorId}) — {statement.Kind}, {statement.DebtType} debt — as of {Iso(statement.AsOf)}");
        if (statement.Accounts.Count == 0)
        {
            console.WriteLine("No accounts: nothing has been billed to this debtor.");
        }

        foreach (var account in statement.Accounts)
        {
            console.WriteLine();
            var invoices = new Table().Title($"Invoices ({account.Currency.Code})").AddColumns("Invoice", "Issued", "Due")
                .AddColumn(new TableColumn("Amount").RightAligned()).AddColumn(new TableColumn("Open").RightAligned()).AddColumn(new TableColumn("DPD").RightAligned());
            foreach (var invoice in account.Invoices)
            {
                invoices.AddRow(Markup.Escape(invoice.Number), Iso(invoice.IssueDate), Iso(invoice.DueDate), Grouped(invoice.Amount), Grouped(invoice.Open), invoice.Open.IsPositive ? Count(invoice.DaysPastDue) : "");
            }

            console.Write(invoices);
            var ledger = new Table().Title($"Ledger ({account.Currency.Code})").AddColumns("#", "Date", "Entry", "Invoice", "Reference")
                .AddColumn(new TableColumn("Amount").RightAligned()).AddColumn(new TableColumn("Balance").RightAligned());
            foreach (var line in account.Lines)
            {
                var kind = line.Reversed ? $"{line.Kind} (reversed)" : line.Kind.ToString();
                ledger.AddRow(Count(line.Sequence), Iso(line.Date), Markup.Escape(kind), Markup.Escape(line.Invoice ?? ""), Markup.Escape(line.Reference ?? line.Memo ?? ""), Grouped(line.Amount), Grouped(line.Balance));
            }

            console.Write(ledger);
            console.MarkupLineInterpolated(
                $"Balance [bold]{Grouped(account.Balance)} {account.Currency.Code}[/] = open invoices {Grouped(account.OpenInvoices)} − unapplied credit {Grouped(account.UnappliedCredit)}. Status: [bold]{account.Status}[/], {account.DaysPastDue} days past due.");
        }
    }
}
