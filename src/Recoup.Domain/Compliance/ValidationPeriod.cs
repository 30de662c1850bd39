namespace Recoup.Domain.Compliance;

/// <summary>
/// The dates of the validation notice (12 CFR 1006.34): when it is due, when the debtor is assumed to have received
/// it, and when the validation period ends. Pure functions of dates.
/// </summary>
public static class ValidationPeriod
{
    /// <summary>Business days after sending at which receipt is assumed (12 CFR 1006.34(b)(5)).</summary>
    public const int AssumedReceiptBusinessDays = 5;

    /// <summary>Days after receipt at which the validation period ends (12 CFR 1006.34(b)(5)).</summary>
    public const int DaysAfterReceipt = 30;

    /// <summary>
    /// The last day to send the validation notice when it is not in the initial communication: within five days after
    /// the initial communication (12 CFR 1006.34(a)(1)(i)(B)).
    /// </summary>
    public static DateOnly NoticeDueBy(DateOnly initialCommunicationOn) => initialCommunicationOn.AddDays(5);

    /// <summary>
    /// The day the debtor is assumed to receive a notice sent on <paramref name="sentOn"/>: five days after, not
    /// counting Saturdays, Sundays and US federal public holidays (5 U.S.C. 6103(a)), observed days included.
    /// </summary>
    public static DateOnly AssumedReceiptOn(DateOnly sentOn) => UsFederalHolidays.AddBusinessDays(sentOn, AssumedReceiptBusinessDays);

    /// <summary>The last day of the validation period: 30 days after assumed receipt.</summary>
    public static DateOnly EndsOn(DateOnly sentOn) => AssumedReceiptOn(sentOn).AddDays(DaysAfterReceipt);

    /// <summary><paramref name="date"/> falls within the validation period of a notice sent on <paramref name="sentOn"/>.</summary>
    public static bool Includes(DateOnly sentOn, DateOnly date) => date <= EndsOn(sentOn);
}

/// <summary>US federal legal public holidays (5 U.S.C. 6103(a)), computed by rule, with the days they are observed on.</summary>
public static class UsFederalHolidays
{
    /// <summary>
    /// The holidays of <paramref name="year"/> with their names, on the day observed: a holiday on a Saturday is
    /// observed the Friday before, one on a Sunday the Monday after (5 U.S.C. 6103(b); Executive Order 11582). New
    /// Year's Day of the next year observed on 31 December is included in this year's list. Juneteenth from 2021.
    /// </summary>
    public static IReadOnlyList<(DateOnly Observed, string Name)> In(int year)
    {
        var list = new List<(DateOnly, string)>(12);
        Add(list, new DateOnly(year, 1, 1), "New Year's Day", year);
        list.Add((NthWeekday(year, 1, DayOfWeek.Monday, 3), "Birthday of Martin Luther King, Jr."));
        list.Add((NthWeekday(year, 2, DayOfWeek.Monday, 3), "Washington's Birthday"));
        list.Add((LastWeekday(year, 5, DayOfWeek.Monday), "Memorial Day"));
        if (year >= 2021)
        {
            Add(list, new DateOnly(year, 6, 19), "Juneteenth National Independence Day", year);
        }

        Add(list, new DateOnly(year, 7, 4), "Independence Day", year);
        list.Add((NthWeekday(year, 9, DayOfWeek.Monday, 1), "Labor Day"));
        list.Add((NthWeekday(year, 10, DayOfWeek.Monday, 2), "Columbus Day"));
        Add(list, new DateOnly(year, 11, 11), "Veterans Day", year);
        list.Add((NthWeekday(year, 11, DayOfWeek.Thursday, 4), "Thanksgiving Day"));
        Add(list, new DateOnly(year, 12, 25), "Christmas Day", year);
        Add(list, new DateOnly(year + 1, 1, 1), "New Year's Day", year);
        return list;
    }

    /// <summary>The day is a federal holiday or the day one is observed.</summary>
    public static bool IsHoliday(DateOnly date)
    {
        // The same days as In(date.Year), compared one by one without building the list.
        var year = date.Year;
        return date.Month switch
        {
            1 => Observes(new DateOnly(year, 1, 1), year, date) || NthWeekday(year, 1, DayOfWeek.Monday, 3) == date,
            2 => NthWeekday(year, 2, DayOfWeek.Monday, 3) == date,
            5 => LastWeekday(year, 5, DayOfWeek.Monday) == date,
            6 => year >= 2021 && Observes(new DateOnly(year, 6, 19), year, date),
            7 => Observes(new DateOnly(year, 7, 4), year, date),
            9 => NthWeekday(year, 9, DayOfWeek.Monday, 1) == date,
            10 => NthWeekday(year, 10, DayOfWeek.Monday, 2) == date,
            11 => Observes(new DateOnly(year, 11, 11), year, date) || NthWeekday(year, 11, DayOfWeek.Thursday, 4) == date,
            12 => Observes(new DateOnly(year, 12, 25), year, date) || Observes(new DateOnly(year + 1, 1, 1), year, date),
            _ => false,
        };
    }

    /// <summary>The observed day of a fixed holiday (Friday for a Saturday, Monday for a Sunday) is <paramref name="date"/>, in <paramref name="year"/>, as <see cref="In"/> lists it.</summary>
    private static bool Observes(DateOnly actual, int year, DateOnly date)
    {
        var observed = actual.DayOfWeek switch
        {
            DayOfWeek.Saturday => actual.AddDays(-1),
            DayOfWeek.Sunday => actual.AddDays(1),
            _ => actual,
        };
        return observed.Year == year && observed == date;
    }

    public static bool IsBusinessDay(DateOnly date) =>
        date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !IsHoliday(date);

    /// <summary>The day <paramref name="days"/> business days after <paramref name="from"/> (which itself does not count).</summary>
    public static DateOnly AddBusinessDays(DateOnly from, int days)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(days);
        var date = from;
        while (days > 0)
        {
            date = date.AddDays(1);
            if (IsBusinessDay(date))
            {
                days--;
            }
        }

        return date;
    }

    private static void Add(List<(DateOnly, string)> list, DateOnly actual, string name, int year)
    {
        var observed = actual.DayOfWeek switch
        {
            DayOfWeek.Saturday => actual.AddDays(-1),
            DayOfWeek.Sunday => actual.AddDays(1),
            _ => actual,
        };
        if (observed.Year == year)
        {
            list.Add((observed, name));
        }
    }

    private static DateOnly NthWeekday(int year, int month, DayOfWeek day, int n)
    {
        var first = new DateOnly(year, month, 1);
        var offset = ((int)day - (int)first.DayOfWeek + 7) % 7;
        return first.AddDays(offset + (7 * (n - 1)));
    }

    private static DateOnly LastWeekday(int year, int month, DayOfWeek day)
    {
        var last = new DateOnly(year, month, DateTime.DaysInMonth(year, month));
        return last.AddDays(-(((int)last.DayOfWeek - (int)day + 7) % 7));
    }
}
