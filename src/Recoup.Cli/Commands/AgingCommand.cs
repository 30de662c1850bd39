using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Recoup.Domain;
using Recoup.Domain.Aging;
using Recoup.Services.Aging;
using Spectre.Console;

using static Recoup.Cli.Formatting;

namespace Recoup.Cli.Commands;

/// <summary><c>recoup aging --as-of DATE [--output table|csv|json] [--by debtor|bucket]</c>.</summary>
public static class AgingCommand
{
    public static Command Create(CliHost host)
    {
        var asOf = Arguments.AsOf();
        var output = new Option<string>("--output") { Description = "table, csv or json.", DefaultValueFactory = _ => "table" };
        output.AcceptOnlyFromAmong("table", "csv", "json");
        var by = new Option<string>("--by") { Description = "bucket (totals per currency) or debtor (one row per debtor and currency).", DefaultValueFactory = _ => "bucket" };
        by.AcceptOnlyFromAmong("bucket", "debtor");
        var bucketsOption = new Option<string?>("--buckets") { Description = "Upper bounds of the past-due buckets in days. Default: 30,60,90,120." };

        var command = new Command("aging", "Receivables by aging bucket as of a date.") { asOf, output, by, bucketsOption };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!Arguments.TryDate(parse.GetValue(asOf), host.Today, out var date, out var dateError))
            {
                return host.Fail(dateError!);
            }

            var buckets = AgingBuckets.Default;
            if (parse.GetValue(bucketsOption) is { } bounds)
            {
                var parsed = AgingBuckets.Parse(bounds);
                if (parsed.Error is { } error)
                {
                    return host.Fail($"--buckets: {error.Message}");
                }

                buckets = parsed.Value;
            }

            if (await host.ExistingDatabaseAsync(parse.GetValue(RecoupCli.DatabaseOption), cancellationToken) is not { } database)
            {
                return ExitCodes.UserError;
            }

            var query = new AgingQuery(database);
            var format = parse.GetValue(output)!;
            if (parse.GetValue(by) == "debtor")
            {
                var debtors = await query.ByDebtorAsync(date, buckets, cancellationToken);
                WriteByDebtor(host, format, date, buckets, debtors);
            }
            else
            {
                var report = await query.ByBucketAsync(date, buckets, cancellationToken);
                var unapplied = format == "table" ? await query.UnappliedAsync(date, cancellationToken) : [];
                WriteByBucket(host, format, report, unapplied);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static void WriteByBucket(CliHost host, string format, AgingReport report, IReadOnlyList<Money> unapplied)
    {
        switch (format)
        {
            case "json":
                WriteJson(host.Output, writer =>
                {
                    writer.WriteString("as_of", Iso(report.AsOf));
                    writer.WriteStartArray("currencies");
                    foreach (var currency in report.Currencies)
                    {
                        writer.WriteStartObject();
                        writer.WriteString("currency", currency.Currency.Code);
                        WriteBuckets(writer, currency);
                        writer.WriteString("total", currency.Total.ToDecimalString());
                        writer.WriteEndObject();
                    }

                    writer.WriteEndArray();
                });
                break;
            case "csv":
                host.Output.WriteLine("currency,bucket,amount,count");
                foreach (var currency in report.Currencies)
                {
                    foreach (var bucket in currency.Buckets)
                    {
                        host.Output.WriteLine(Csv(currency.Currency.Code, bucket.Bucket.Name, bucket.Amount.ToDecimalString(), Count(bucket.Count)));
                    }

                    host.Output.WriteLine(Csv(currency.Currency.Code, "total", currency.Total.ToDecimalString(), Count(currency.Count)));
                }

                break;
            default:
                host.Console.MarkupLineInterpolated($"[bold]Aging as of {Iso(report.AsOf)}[/]");
                if (report.Currencies.Count == 0)
                {
                    host.Console.WriteLine("Nothing is open.");
                }

                foreach (var currency in report.Currencies)
                {
                    var table = new Table().Title(currency.Currency.Code).AddColumn("Bucket").AddColumn(new TableColumn("Amount").RightAligned()).AddColumn(new TableColumn("Invoices").RightAligned()).AddColumn(new TableColumn("Share").RightAligned());
                    foreach (var bucket in currency.Buckets)
                    {
                        var share = currency.Total.IsZero ? 0m : (decimal)bucket.Amount.Minor / currency.Total.Minor;
                        table.AddRow(bucket.Bucket.Name, Grouped(bucket.Amount), Count(bucket.Count), share.ToString("P1", CultureInfo.InvariantCulture));
                    }

                    table.AddRow("[bold]total[/]", $"[bold]{Grouped(currency.Total)}[/]", $"[bold]{Count(currency.Count)}[/]", "");
                    host.Console.Write(table);
                }

                foreach (var credit in unapplied)
                {
                    host.Console.MarkupLineInterpolated($"Unapplied credit held, not in the buckets: {Grouped(credit)} {credit.Currency.Code}");
                }

                break;
        }
    }

    private static void WriteByDebtor(CliHost host, string format, DateOnly asOf, AgingBuckets buckets, IReadOnlyList<DebtorAging> debtors)
    {
        switch (format)
        {
            case "json":
                WriteJson(host.Output, writer =>
                {
                    writer.WriteString("as_of", Iso(asOf));
                    writer.WriteStartArray("debtors");
                    foreach (var debtor in debtors)
                    {
                        writer.WriteStartObject();
                        writer.WriteString("debtor_id", debtor.DebtorId);
                        writer.WriteString("name", debtor.Name);
                        writer.WriteString("currency", debtor.Aging.Currency.Code);
                        writer.WriteNumber("days_past_due", debtor.DaysPastDue);
                        WriteBuckets(writer, debtor.Aging);
                        writer.WriteString("total", debtor.Aging.Total.ToDecimalString());
                        writer.WriteEndObject();
                    }

                    writer.WriteEndArray();
                });
                break;
            case "csv":
                host.Output.WriteLine(Csv(["debtor_id", "name", "currency", "days_past_due", .. buckets.Buckets.Select(b => b.Name), "total"]));
                foreach (var debtor in debtors)
                {
                    host.Output.WriteLine(Csv([
                        debtor.DebtorId, debtor.Name, debtor.Aging.Currency.Code, Count(debtor.DaysPastDue),
                        .. debtor.Aging.Buckets.Select(b => b.Amount.ToDecimalString()), debtor.Aging.Total.ToDecimalString()]));
                }

                break;
            default:
                var table = new Table().Title($"Aging by debtor as of {Iso(asOf)}").AddColumns("Debtor", "Name", "Cur", "DPD");
                foreach (var bucket in buckets.Buckets)
                {
                    table.AddColumn(new TableColumn(bucket.Name).RightAligned());
                }

                table.AddColumn(new TableColumn("Total").RightAligned());
                foreach (var debtor in debtors)
                {
                    table.AddRow([
                        Markup.Escape(debtor.DebtorId), Markup.Escape(debtor.Name), debtor.Aging.Currency.Code, Count(debtor.DaysPastDue),
                        .. debtor.Aging.Buckets.Select(b => b.Amount.IsZero ? "" : Grouped(b.Amount)), Grouped(debtor.Aging.Total)]);
                }

                host.Console.Write(table);
                break;
        }
    }

    private static void WriteBuckets(Utf8JsonWriter writer, CurrencyAging aging)
    {
        writer.WriteStartArray("buckets");
        foreach (var bucket in aging.Buckets)
        {
            writer.WriteStartObject();
            writer.WriteString("name", bucket.Bucket.Name);
            writer.WriteString("amount", bucket.Amount.ToDecimalString());
            writer.WriteNumber("count", bucket.Count);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
