using System.Globalization;
using System.Text;
using Recoup.Domain;
using Recoup.Formats.Csv;

namespace Recoup.Services.Demo;

/// <summary>What to generate: how many debtors, the date the portfolio is seen from, and the seed.</summary>
/// <param name="Debtors">How many debtors; invoices are about five times as many, payments about 1.6 times.</param>
/// <param name="AsOf">No invoice is issued and no payment received after this date; invoices go back 18 months from it.</param>
/// <param name="Seed">The same seed (and the same other values) gives byte-identical files.</param>
/// <param name="Clients">Creditor client codes: when given, debtors.csv has a client column and debtor n belongs to client n mod their count (no random number is drawn for it, so the other columns stay the same).</param>
public sealed record PortfolioSpec(int Debtors, DateOnly AsOf, int Seed = 42, IReadOnlyList<string>? Clients = null);

/// <summary>How many rows each file received.</summary>
public sealed record PortfolioCounts(int Debtors, int Invoices, int Payments);

/// <summary>
/// Writes a synthetic but realistic portfolio — debtors.csv, invoices.csv and payments.csv in exactly
/// the import format (<see cref="PortfolioCsv"/>, docs/import.md) — for demos, tests and benchmarks.
/// </summary>
/// <remarks>
/// <para>Deterministic: one seeded <see cref="Random"/>, consumed in a fixed order, invariant culture,
/// UTF-8 without BOM and <c>\n</c> line ends, so the same <see cref="PortfolioSpec"/> gives byte-identical
/// files on any machine. Amounts are integer minor units throughout; no floating point decides a value
/// that is written.</para>
/// <para>Rows are streamed debtor by debtor (a debtor's invoices and payments are built, written and
/// forgotten), so a million debtors need no more memory than ten.</para>
/// <para>Every row passes the import's checks: ids are unique, persons owe consumer or medical debt and
/// businesses commercial debt, US addresses carry their state's IANA time zone, a payment is in a
/// currency the debtor has invoices in, is received no earlier than that currency's first invoice and
/// no later than <see cref="PortfolioSpec.AsOf"/>, and an invoice it names is issued by then.</para>
/// </remarks>
public static class PortfolioGenerator
{
    public const string DebtorsHeader = "debtor_id,name,kind,debt_type,email,phone,address_line1,city,region,postal_code,country,time_zone";
    public const string InvoicesHeader = "invoice_id,debtor_id,issue_date,due_date,amount,currency";
    public const string PaymentsHeader = "payment_id,debtor_id,received_on,amount,currency,invoice_id";

    public static PortfolioCounts Write(string directory, PortfolioSpec spec)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentOutOfRangeException.ThrowIfNegative(spec.Debtors);

        Directory.CreateDirectory(directory);
        using var debtors = Open(Path.Combine(directory, PortfolioCsv.DebtorsFile));
        using var invoices = Open(Path.Combine(directory, PortfolioCsv.InvoicesFile));
        using var payments = Open(Path.Combine(directory, PortfolioCsv.PaymentsFile));
        debtors.WriteLine(spec.Clients is { Count: > 0 } ? DebtorsHeader + ",client" : DebtorsHeader);
        invoices.WriteLine(InvoicesHeader);
        payments.WriteLine(PaymentsHeader);

        var generator = new Generator(new Random(spec.Seed), spec.AsOf, debtors, invoices, payments, spec.Clients is { Count: > 0 } clients ? clients : null);
        for (var number = 1; number <= spec.Debtors; number++)
        {
            generator.WriteDebtor(number);
        }

        return new PortfolioCounts(spec.Debtors, generator.Invoices, generator.Payments);
    }

    private static StreamWriter Open(string path) =>
        new(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 1 << 16) { NewLine = "\n" };

    /// <summary>One generation run: the random source, the id counters and the three open files.</summary>
    private sealed class Generator(Random random, DateOnly asOf, TextWriter debtors, TextWriter invoices, TextWriter payments, IReadOnlyList<string>? clients = null)
    {
        private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

        private readonly DateOnly _windowStart = asOf.AddMonths(-18);
        private readonly List<GeneratedInvoice> _debtorInvoices = [];
        private readonly List<GeneratedPayment> _debtorPayments = [];

        public int Invoices { get; private set; }
        public int Payments { get; private set; }

        public void WriteDebtor(int number)
        {
            var debtorId = "D-" + number.ToString("D7", Invariant);
            var isBusiness = random.Next(100) < 22;
            var debtType = isBusiness ? "commercial" : random.Next(100) < 30 ? "medical" : "consumer";
            var city = PickCity();

            string name;
            string? email;
            if (isBusiness)
            {
                (name, var slug) = BusinessName(city);
                email = random.Next(100) < 15 ? null : $"{Pick(Data.BusinessMailboxes)}@{slug}.example";
            }
            else
            {
                var first = Pick(Data.FirstNames);
                var last = Pick(Data.LastNames);
                name = random.Next(100) < 8 ? $"{first} {(char)('A' + random.Next(26))}. {last}" : $"{first} {last}";
                email = random.Next(100) < 15 ? null : PersonEmail(first, last);
            }

            var phone = random.Next(100) < 10 ? null : Phone(city);
            var hasAddress = random.Next(100) >= 2;
            var street = hasAddress ? Street(isBusiness) : null;
            var postalCode = hasAddress && random.Next(100) >= 1
                ? city.ZipPrefix + random.Next(100).ToString("D2", Invariant)
                : null;

            string?[] row = [
                debtorId, name, isBusiness ? "business" : "person", debtType, email, phone,
                street, hasAddress ? city.Name : null, hasAddress ? city.State : null, postalCode,
                hasAddress ? "US" : null, hasAddress ? city.TimeZone : null,
            ];
            WriteRow(debtors, clients is null ? row : [.. row, clients[number % clients.Count]]);

            WriteInvoices(debtorId, debtType);
            if (random.Next(100) < 50)
            {
                WritePayments(debtorId);
            }
        }

        private void WriteInvoices(string debtorId, string debtType)
        {
            _debtorInvoices.Clear();
            var currencies = PickCurrencies();
            var count = 1;
            for (var i = 0; i < 8; i++)
            {
                count += random.Next(2);
            }

            var net = debtType switch
            {
                "consumer" => random.Next(100) < 80 ? 30 : 15,
                "medical" => random.Next(100) < 50 ? 30 : 60,
                _ => Pick(Data.CommercialTerms),
            };

            var baseCents = BaseAmountCents(debtType);
            foreach (var issued in IssueDates(count, debtType))
            {
                var currency = currencies.Length == 1 || random.Next(100) < 60 ? currencies[0] : currencies[1];
                var cents = debtType == "consumer" && random.Next(100) < 70
                    ? baseCents
                    : Math.Max(100, baseCents * random.Next(60, 141) / 100);
                var amount = new Money(ToCurrency(cents, currency), currency);
                var invoice = new GeneratedInvoice(
                    "INV-" + (++Invoices).ToString("D8", Invariant), issued, issued.AddDays(net), amount);
                _debtorInvoices.Add(invoice);
                WriteRow(invoices, [invoice.Id, debtorId, Iso(invoice.IssueDate), Iso(invoice.DueDate), amount.ToDecimalString(), currency.Code]);
            }
        }

        private void WritePayments(string debtorId)
        {
            _debtorPayments.Clear();
            foreach (var currency in _debtorInvoices.Select(i => i.Amount.Currency).Distinct())
            {
                var ledger = _debtorInvoices.Where(i => i.Amount.Currency == currency).ToList();
                foreach (var invoice in ledger)
                {
                    if (random.Next(100) < 45)
                    {
                        // Paid in full, naming the invoice; now and then by more than was owed.
                        var received = Min(invoice.IssueDate.AddDays(random.Next(0, invoice.DueDate.DayNumber - invoice.IssueDate.DayNumber + 45)), asOf);
                        var minor = invoice.Amount.Minor;
                        if (random.Next(100) < 4)
                        {
                            minor += ToCurrency(random.Next(100, 5_001), currency);
                        }

                        _debtorPayments.Add(new GeneratedPayment(received, new Money(minor, currency), invoice.Id));
                    }
                }

                if (random.Next(100) < 45)
                {
                    var partials = random.Next(1, 4);
                    for (var i = 0; i < partials; i++)
                    {
                        _debtorPayments.Add(Partial(ledger));
                    }
                }
            }

            if (_debtorPayments.Count == 0)
            {
                _debtorPayments.Add(Partial(_debtorInvoices.Where(i => i.Amount.Currency == _debtorInvoices[0].Amount.Currency).ToList()));
            }

            foreach (var payment in _debtorPayments.Select((p, i) => (p, i)).OrderBy(x => x.p.ReceivedOn).ThenBy(x => x.i).Select(x => x.p))
            {
                WriteRow(payments, [
                    "PAY-" + (++Payments).ToString("D8", Invariant), debtorId, Iso(payment.ReceivedOn),
                    payment.Amount.ToDecimalString(), payment.Amount.Currency.Code, payment.InvoiceId,
                ]);
            }
        }

        /// <summary>Part of one invoice, paid without naming it, some time between its issue and the as-of date.</summary>
        private GeneratedPayment Partial(List<GeneratedInvoice> ledger)
        {
            var invoice = ledger[random.Next(ledger.Count)];
            var received = invoice.IssueDate.AddDays(random.Next(0, asOf.DayNumber - invoice.IssueDate.DayNumber + 1));
            var minor = Math.Max(1, invoice.Amount.Minor * random.Next(10, 61) / 100);
            return new GeneratedPayment(received, new Money(minor, invoice.Amount.Currency), null);
        }

        /// <summary>
        /// A debtor's issue dates, oldest first, inside the 18 months before the as-of date: monthly
        /// bills for consumer debt, irregular ones otherwise.
        /// </summary>
        private List<DateOnly> IssueDates(int count, string debtType)
        {
            var window = asOf.DayNumber - _windowStart.DayNumber;
            var offsets = new List<int> { 0 };
            for (var i = 1; i < count; i++)
            {
                offsets.Add(offsets[^1] + debtType switch
                {
                    "consumer" => 30 + random.Next(-2, 3),
                    "medical" => random.Next(5, 76),
                    _ => random.Next(14, 46),
                });
            }

            var span = offsets[^1];
            if (span > window)
            {
                offsets = offsets.Select(o => (int)((long)o * window / span)).ToList();
                span = window;
            }

            var start = _windowStart.AddDays(1 + random.Next(0, window - span));
            return offsets.Select(o => Min(start.AddDays(o), asOf)).ToList();
        }

        private long BaseAmountCents(string debtType)
        {
            var (tiers, weights) = debtType switch
            {
                "consumer" => (Data.ConsumerTiers, Data.TierWeights),
                "medical" => (Data.MedicalTiers, Data.TierWeights),
                _ => (Data.CommercialTiers, Data.TierWeights),
            };

            var roll = random.Next(100);
            var tier = 0;
            while (roll >= weights[tier])
            {
                roll -= weights[tier];
                tier++;
            }

            var dollars = random.Next(tiers[tier].From, tiers[tier].To);
            var cents = random.Next(100) < 40 ? 0 : random.Next(100);
            return (dollars * 100L) + cents;
        }

        /// <summary>Converts US cents to the currency's minor units at a fixed, plausible rate.</summary>
        private static long ToCurrency(long usCents, Currency currency) => currency.Code switch
        {
            "EUR" => Math.Max(1, usCents * 92 / 100),
            "JPY" => Math.Max(1, usCents * 150 / 100),
            _ => usCents,
        };

        private Currency[] PickCurrencies()
        {
            var roll = random.Next(1000);
            return roll switch
            {
                < 880 => [Currency.USD],
                < 940 => [Currency.EUR],
                < 960 => [Currency.JPY],
                < 985 => [Currency.USD, Currency.EUR],
                _ => [Currency.USD, Currency.JPY],
            };
        }

        private City PickCity()
        {
            var roll = random.Next(Data.CityWeightTotal);
            foreach (var city in Data.Cities)
            {
                if (roll < city.Weight)
                {
                    return city;
                }

                roll -= city.Weight;
            }

            return Data.Cities[^1];
        }

        private (string Name, string Slug) BusinessName(City city)
        {
            var suffix = Pick(Data.CompanySuffixes);
            var industry = Pick(Data.Industries);
            var (words, name) = random.Next(100) switch
            {
                < 30 => Company(suffix, Pick(Data.LastNames), industry),
                < 50 => Company(suffix, Pick(Data.CompanyPrefixes), industry),
                < 65 => Company(suffix, city.Name, industry),
                < 80 => Partnership(Partners(2), Pick(Data.PartnershipSuffixes)),
                < 95 => Company(suffix, Pick(Data.CompanyPrefixes), Pick(Data.LastNames), industry),

                // A comma in the name, as in real files: the field is written quoted.
                _ => Firm(Partners(3)),
            };

            return (name, string.Join('-', words.Select(Letters).Where(w => w.Length > 0)));

            static (string[] Words, string Name) Company(string suffix, params string[] words) => (words, $"{string.Join(' ', words)} {suffix}");

            static (string[] Words, string Name) Partnership(string[] names, string kind) => (names, $"{names[0]} & {names[1]} {kind}");

            static (string[] Words, string Name) Firm(string[] names) => (names, $"{names[0]}, {names[1]} & {names[2]} LLP");
        }

        /// <summary>Distinct last names for the partners of a firm.</summary>
        private string[] Partners(int count)
        {
            var names = new List<string>(count);
            while (names.Count < count)
            {
                var name = Pick(Data.LastNames);
                if (!names.Contains(name))
                {
                    names.Add(name);
                }
            }

            return [.. names];
        }

        private string PersonEmail(string first, string last)
        {
            var f = Letters(first);
            var l = Letters(last);
            var local = random.Next(4) switch
            {
                0 => $"{f}.{l}",
                1 => $"{f[0]}{l}",
                2 => $"{f}{l}{random.Next(1, 100).ToString(Invariant)}",
                _ => $"{f}_{l}",
            };

            return $"{local}@{Pick(Data.MailDomains)}";
        }

        /// <summary>A number in the 555-0100…0199 range reserved for fiction, in one of the ways people write them.</summary>
        private string Phone(City city)
        {
            var area = Pick(city.AreaCodes).ToString(Invariant);
            var line = random.Next(100, 200).ToString("D4", Invariant);
            return random.Next(4) switch
            {
                0 => $"+1 {area} 555 {line}",
                1 => $"({area}) 555-{line}",
                2 => $"{area}-555-{line}",
                _ => $"{area}.555.{line}",
            };
        }

        private string Street(bool isBusiness)
        {
            var number = random.Next(100) < 70 ? random.Next(1, 10_000) : random.Next(10_000, 40_000);
            var street = $"{number.ToString(Invariant)} {Pick(Data.StreetNames)} {Pick(Data.StreetSuffixes)}";
            if (isBusiness && random.Next(100) < 30)
            {
                return $"{street} Suite {random.Next(100, 1_000).ToString(Invariant)}";
            }

            return !isBusiness && random.Next(100) < 15
                ? $"{street} Apt {random.Next(1, 30).ToString(Invariant)}{(char)('A' + random.Next(6))}"
                : street;
        }

        private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

        private static string Letters(string word) =>
            string.Concat(word.Where(char.IsAsciiLetterOrDigit)).ToLowerInvariant();

        private static DateOnly Min(DateOnly a, DateOnly b) => a <= b ? a : b;

        private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", Invariant);

        private static void WriteRow(TextWriter writer, ReadOnlySpan<string?> fields)
        {
            for (var i = 0; i < fields.Length; i++)
            {
                if (i > 0)
                {
                    writer.Write(',');
                }

                WriteField(writer, fields[i]);
            }

            writer.WriteLine();
        }

        private static void WriteField(TextWriter writer, string? value)
        {
            if (string.IsNullOrEmpty(value))
            {
                return;
            }

            if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
            {
                writer.Write(value);
                return;
            }

            writer.Write('"');
            writer.Write(value.Replace("\"", "\"\"", StringComparison.Ordinal));
            writer.Write('"');
        }
    }

    private sealed record GeneratedInvoice(string Id, DateOnly IssueDate, DateOnly DueDate, Money Amount);

    private sealed record GeneratedPayment(DateOnly ReceivedOn, Money Amount, string? InvoiceId);

    /// <summary>A US city: its state, the first three digits of its ZIP codes, its IANA zone, its area codes, and how common it is.</summary>
    private sealed record City(string Name, string State, string ZipPrefix, string TimeZone, int[] AreaCodes, int Weight);

    /// <summary>The word lists and tables the generator draws from.</summary>
    private static class Data
    {
        public static readonly string[] FirstNames =
        [
            "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
            "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Christopher", "Karen",
            "Charles", "Lisa", "Daniel", "Nancy", "Matthew", "Betty", "Anthony", "Sandra", "Mark", "Margaret",
            "Donald", "Ashley", "Steven", "Kimberly", "Andrew", "Emily", "Paul", "Donna", "Joshua", "Michelle",
            "Kenneth", "Carol", "Kevin", "Amanda", "Brian", "Melissa", "Timothy", "Deborah", "Ronald", "Stephanie",
            "Jose", "Maria", "Luis", "Carmen", "Carlos", "Rosa", "Juan", "Ana", "Miguel", "Sofia",
            "Wei", "Mei", "Hiroshi", "Yuki", "Minh", "Linh", "Priya", "Arjun", "Aisha", "Omar",
            "Fatima", "Ahmed", "DeShawn", "Latoya", "Tyrone", "Keisha", "Jamal", "Imani", "Connor", "Siobhan",
        ];

        public static readonly string[] LastNames =
        [
            "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
            "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
            "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
            "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
            "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts",
            "Kowalski", "Novak", "Brandt", "Schmidt", "Okafor", "Adeyemi", "Patel", "Shah", "Kim", "Park",
            "Chen", "Wang", "Tanaka", "Sato", "O'Brien", "O'Connor", "McCarthy", "Murphy", "Whitaker", "Rahman",
            "Haddad", "Cohen", "Levy", "Rossi", "Russo", "Silva", "Santos", "Ivanov", "Petrov", "Van der Berg",
        ];

        public static readonly string[] CompanyPrefixes =
        [
            "Summit", "Harbor", "Pioneer", "Blue Ridge", "Evergreen", "Lakeside", "Northstar", "Redwood", "Keystone", "Liberty",
            "Prairie", "Canyon", "Bayview", "Riverside", "Granite", "Cedar Creek", "Silver Lake", "Coastal", "Metro", "Heritage",
            "Frontier", "Ironwood", "Oakmont", "Sterling", "Horizon", "Beacon", "Crescent", "Meridian", "Pinnacle", "Tri-County",
        ];

        public static readonly string[] Industries =
        [
            "Plumbing", "Logistics", "Dental Group", "Builders", "Roofing", "Catering", "Auto Repair", "Landscaping", "Electric", "Consulting",
            "Freight", "Printing", "Hardware", "Bakery", "Design", "Marketing", "Flooring", "Staffing", "Machine Works", "Supply",
            "Veterinary Clinic", "Fitness", "Cleaning Services", "HVAC", "Signs", "Storage", "Trucking", "Welding", "Realty", "Pharmacy",
        ];

        public static readonly string[] CompanySuffixes = ["LLC", "LLC", "LLC", "Inc.", "Inc.", "Co.", "Corp.", "Group", "Ltd."];

        public static readonly string[] PartnershipSuffixes = ["LLP", "Partners", "Associates", "Law Offices"];

        public static readonly string[] BusinessMailboxes = ["ap", "ap", "accounts", "billing", "finance", "office", "info"];

        public static readonly string[] MailDomains = ["example.com", "example.com", "example.net", "example.org", "mail.example", "inbox.example"];

        public static readonly string[] StreetNames =
        [
            "Main", "Oak", "Maple", "Cedar", "Elm", "Washington", "Lincoln", "Park", "Lake", "Hill",
            "Pine", "Walnut", "Sunset", "Highland", "Jackson", "Franklin", "Madison", "Church", "Spring", "River",
            "Ridge", "Market", "Jefferson", "Adams", "Willow", "Chestnut", "Meadow", "Forest", "Valley", "Union",
            "W Belmont", "N Clark", "E 14th", "W 3rd", "S Broadway", "N Central", "Martin Luther King Jr", "Mission", "Peachtree", "Colfax",
        ];

        public static readonly string[] StreetSuffixes = ["St", "St", "Ave", "Ave", "Blvd", "Rd", "Dr", "Ln", "Ct", "Way", "Pl"];

        public static readonly int[] CommercialTerms = [15, 30, 30, 30, 45, 60];

        public static readonly int[] TierWeights = [40, 40, 20];

        public static readonly (int From, int To)[] ConsumerTiers = [(25, 150), (150, 600), (600, 2_500)];
        public static readonly (int From, int To)[] MedicalTiers = [(75, 500), (500, 2_500), (2_500, 15_000)];
        public static readonly (int From, int To)[] CommercialTiers = [(250, 2_500), (2_500, 15_000), (15_000, 90_000)];

        public static readonly City[] Cities =
        [
            new("New York", "NY", "100", "America/New_York", [212, 646, 917], 40),
            new("Brooklyn", "NY", "112", "America/New_York", [718, 347], 25),
            new("Buffalo", "NY", "142", "America/New_York", [716], 5),
            new("Boston", "MA", "021", "America/New_York", [617, 857], 12),
            new("Philadelphia", "PA", "191", "America/New_York", [215, 267], 15),
            new("Pittsburgh", "PA", "152", "America/New_York", [412], 6),
            new("Atlanta", "GA", "303", "America/New_York", [404, 678], 12),
            new("Miami", "FL", "331", "America/New_York", [305, 786], 12),
            new("Orlando", "FL", "328", "America/New_York", [407], 8),
            new("Charlotte", "NC", "282", "America/New_York", [704, 980], 8),
            new("Columbus", "OH", "432", "America/New_York", [614], 8),
            new("Detroit", "MI", "482", "America/Detroit", [313], 8),
            new("Indianapolis", "IN", "462", "America/Indiana/Indianapolis", [317], 7),
            new("Chicago", "IL", "606", "America/Chicago", [312, 773, 872], 30),
            new("Houston", "TX", "770", "America/Chicago", [713, 832], 20),
            new("Dallas", "TX", "752", "America/Chicago", [214, 469, 972], 15),
            new("San Antonio", "TX", "782", "America/Chicago", [210], 10),
            new("Minneapolis", "MN", "554", "America/Chicago", [612], 6),
            new("St. Louis", "MO", "631", "America/Chicago", [314], 5),
            new("Kansas City", "MO", "641", "America/Chicago", [816], 5),
            new("Milwaukee", "WI", "532", "America/Chicago", [414], 5),
            new("Nashville", "TN", "372", "America/Chicago", [615, 629], 7),
            new("New Orleans", "LA", "701", "America/Chicago", [504], 5),
            new("Denver", "CO", "802", "America/Denver", [303, 720], 10),
            new("Colorado Springs", "CO", "809", "America/Denver", [719], 4),
            new("Salt Lake City", "UT", "841", "America/Denver", [801, 385], 5),
            new("Albuquerque", "NM", "871", "America/Denver", [505], 4),
            new("Boise", "ID", "837", "America/Boise", [208], 3),
            new("Phoenix", "AZ", "850", "America/Phoenix", [602, 480], 14),
            new("Tucson", "AZ", "857", "America/Phoenix", [520], 5),
            new("Los Angeles", "CA", "900", "America/Los_Angeles", [213, 323, 310], 35),
            new("San Diego", "CA", "921", "America/Los_Angeles", [619, 858], 12),
            new("San Francisco", "CA", "941", "America/Los_Angeles", [415, 628], 9),
            new("Sacramento", "CA", "958", "America/Los_Angeles", [916], 6),
            new("Seattle", "WA", "981", "America/Los_Angeles", [206], 9),
            new("Portland", "OR", "972", "America/Los_Angeles", [503, 971], 7),
            new("Las Vegas", "NV", "891", "America/Los_Angeles", [702], 7),
            new("Anchorage", "AK", "995", "America/Anchorage", [907], 2),
            new("Honolulu", "HI", "968", "Pacific/Honolulu", [808], 2),
        ];

        public static readonly int CityWeightTotal = Cities.Sum(c => c.Weight);
    }
}
