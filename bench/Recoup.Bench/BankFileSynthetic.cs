using System.Globalization;

namespace Recoup.Bench;

/// <summary>Generates large, internally consistent bank files for benchmarks and end-to-end import tests.</summary>
public static class Bai2Synthetic
{
    /// <summary>
    /// Writes a BAI2 file of one group with <paramref name="details"/> transaction details spread over accounts of
    /// <paramref name="detailsPerAccount"/> each: mostly lockbox (115) and ACH (142) credits quoting an invoice
    /// number, some 451 debits, every tenth with an <c>88</c> continuation. Every control total and count agrees.
    /// </summary>
    public static void Write(TextWriter writer, int details, int seed = 42, int detailsPerAccount = 1000)
    {
        var random = new Random(seed);
        writer.Write("01,RECOUPBANK,RECOUP,260508,0600,1,,,2/\n");
        writer.Write("02,RECOUP,121140399,1,260507,2400,USD,2/\n");
        long groupTotal = 0;
        int groupRecords = 2, accounts = 0, written = 0;
        while (written < details)
        {
            var inAccount = Math.Min(detailsPerAccount, details - written);
            accounts++;
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"03,{1_000_000 + accounts},USD,010,500000,,,015,500000,,/\n"));
            long total = 1_000_000;
            var records = 1;
            for (var i = 0; i < inAccount; i++, written++)
            {
                var amount = random.NextInt64(100, 2_500_000);
                var type = (written % 7) switch { 0 => "451", 1 or 2 or 3 => "115", _ => "142" };
                writer.Write(string.Create(CultureInfo.InvariantCulture, $"16,{type},{amount},Z,BR{written:D9},INV-{random.Next(1, 999_999):D6},PAYMENT FROM DEBTOR {random.Next(1, 99_999):D5} ACCOUNT {random.Next(1, 9_999_999):D7}/\n"));
                records++;
                if (written % 10 == 0)
                {
                    writer.Write(string.Create(CultureInfo.InvariantCulture, $"88,REMITTANCE FOR INVOICES INV-{random.Next(1, 999_999):D6} AND INV-{random.Next(1, 999_999):D6}\n"));
                    records++;
                }

                total += amount;
            }

            records++;
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"49,{total},{records}/\n"));
            groupTotal += total;
            groupRecords += records;
        }

        writer.Write(string.Create(CultureInfo.InvariantCulture, $"98,{groupTotal},{accounts},{groupRecords}/\n"));
        writer.Write(string.Create(CultureInfo.InvariantCulture, $"99,{groupTotal},1,{groupRecords + 2}/\n"));
    }
}

/// <summary>Generates a large camt.053.001.02 statement that reconciles.</summary>
public static class CamtSynthetic
{
    /// <summary>Writes one statement with <paramref name="entries"/> booked EUR entries (mostly credits with a creditor reference and a debtor name), its balances and transaction summary consistent.</summary>
    public static void Write(TextWriter writer, int entries, int seed = 42)
    {
        var random = new Random(seed);
        var amounts = new long[entries];
        long net = 0, gross = 0, credits = 0;
        var creditCount = 0;
        for (var i = 0; i < entries; i++)
        {
            amounts[i] = random.NextInt64(100, 2_500_000) * (i % 5 == 0 ? -1 : 1);
            net += amounts[i];
            gross += Math.Abs(amounts[i]);
            if (amounts[i] > 0)
            {
                credits += amounts[i];
                creditCount++;
            }
        }

        static string Eur(long minor) => (Math.Abs(minor) / 100m).ToString("F2", CultureInfo.InvariantCulture);
        const long opening = 100_000_00;
        writer.Write($"""
            <?xml version="1.0" encoding="UTF-8"?>
            <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
            <BkToCstmrStmt><GrpHdr><MsgId>BENCH0001</MsgId><CreDtTm>2026-05-08T06:00:00+00:00</CreDtTm></GrpHdr>
            <Stmt><Id>BENCH-STMT-1</Id><CreDtTm>2026-05-08T06:00:00+00:00</CreDtTm><Acct><Id><IBAN>NL91ABNA0417164300</IBAN></Id><Ccy>EUR</Ccy></Acct>
            <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">{Eur(opening)}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-05-07</Dt></Dt></Bal>
            <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">{Eur(opening + net)}</Amt><CdtDbtInd>{(opening + net < 0 ? "DBIT" : "CRDT")}</CdtDbtInd><Dt><Dt>2026-05-07</Dt></Dt></Bal>
            <TxsSummry><TtlNtries><NbOfNtries>{entries}</NbOfNtries><Sum>{Eur(gross)}</Sum><TtlNetNtryAmt>{Eur(net)}</TtlNetNtryAmt><CdtDbtInd>{(net < 0 ? "DBIT" : "CRDT")}</CdtDbtInd></TtlNtries><TtlCdtNtries><NbOfNtries>{creditCount}</NbOfNtries><Sum>{Eur(credits)}</Sum></TtlCdtNtries></TxsSummry>

            """);
        for (var i = 0; i < entries; i++)
        {
            var amount = amounts[i];
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"""
                <Ntry><Amt Ccy="EUR">{Eur(amount)}</Amt><CdtDbtInd>{(amount < 0 ? "DBIT" : "CRDT")}</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-05-07</Dt></BookgDt><ValDt><Dt>2026-05-07</Dt></ValDt><AcctSvcrRef>REF{i:D9}</AcctSvcrRef><BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd><NtryDtls><TxDtls><Refs><EndToEndId>E2E{i:D9}</EndToEndId></Refs><RltdPties><Dbtr><Nm>Debtor {random.Next(1, 99_999):D5}</Nm></Dbtr></RltdPties><RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>RF18INV{random.Next(1, 999_999):D6}</Ref></CdtrRefInf></Strd></RmtInf></TxDtls></NtryDtls></Ntry>

                """));
        }

        writer.Write("</Stmt></BkToCstmrStmt></Document>\n");
    }
}
