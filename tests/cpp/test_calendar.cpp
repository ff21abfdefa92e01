// The business calendar (SPEC JT-6, JT-7, CL-4): weekends, holidays, make-up working
// days (调休), working hours, business-day and business-time arithmetic. Table-driven
// in the style of QuantLib's calendar tests, plus randomised comparisons against a
// naive day-by-day (and minute-by-minute) reference implementation.

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "aecore/calendar.hpp"
#include "aecore/error.hpp"

namespace {

using aecore::BusinessCalendar;
using aecore::Date;
using aecore::DateTime;
using aecore::Duration;
using aecore::ValidationError;
using aecore::Weekday;
namespace bg = boost::gregorian;
namespace bp = boost::posix_time;

Date D(int y, int m, int d) {
    return Date(static_cast<unsigned short>(y), static_cast<unsigned short>(m), static_cast<unsigned short>(d));
}
DateTime T(int y, int m, int d, int h, int min, int s = 0) {
    return DateTime(D(y, m, d), bp::hours(h) + bp::minutes(min) + bp::seconds(s));
}
Duration HM(int h, int m) { return bp::hours(h) + bp::minutes(m); }

// Labour-day week of 2026 with make-up working days (调休):
//   Sun 04-26 worked, Fri 05-01 .. Tue 05-05 off (Sat/Sun 05-02/03 are weekend anyway),
//   Sat 05-09 worked.
BusinessCalendar labour_day_calendar() {
    BusinessCalendar c;
    c.set_holidays({D(2026, 5, 1), D(2026, 5, 4), D(2026, 5, 5)});
    c.set_working_weekend_days({D(2026, 4, 26), D(2026, 5, 9)});
    return c;
}

// ---------------------------------------------------------------- reference model

// A deliberately naive calendar: the definition of a business day, applied one day at a time.
struct ReferenceCalendar {
    std::set<Weekday> weekend;
    std::set<Date> holidays;
    std::set<Date> working;

    bool is_business_day(const Date& d) const {
        if (holidays.count(d)) return false;
        if (!weekend.count(aecore::weekday_of(d))) return true;
        return working.count(d) > 0;
    }
    Date add_business_days(Date d, int n) const {
        const int step = n > 0 ? 1 : -1;
        for (int left = n > 0 ? n : -n; left > 0;) {
            d += bg::days(step);
            if (is_business_day(d)) --left;
        }
        return d;
    }
    // Business days in (from, to]; for to < from, minus the business days in [to, from).
    int business_days_between(const Date& from, const Date& to) const {
        int count = 0;
        if (from <= to) {
            for (Date d = from + bg::days(1); d <= to; d += bg::days(1)) count += is_business_day(d) ? 1 : 0;
            return count;
        }
        for (Date d = to; d < from; d += bg::days(1)) count += is_business_day(d) ? 1 : 0;
        return -count;
    }
    BusinessCalendar build() const {
        BusinessCalendar c;
        const std::vector<Weekday> w(weekend.begin(), weekend.end());
        c.set_weekend(w);
        c.set_holidays(std::vector<Date>(holidays.begin(), holidays.end()));
        c.set_working_weekend_days(std::vector<Date>(working.begin(), working.end()));
        return c;
    }
};

Date random_date(std::mt19937_64& rng, const Date& lo, const Date& hi) {
    std::uniform_int_distribution<long> dist(0, (hi - lo).days());
    return lo + bg::days(dist(rng));
}

ReferenceCalendar random_reference(std::mt19937_64& rng, std::set<Weekday> weekend, const Date& lo, const Date& hi,
                                   int holidays, int working_days) {
    ReferenceCalendar ref;
    ref.weekend = std::move(weekend);
    while (static_cast<int>(ref.holidays.size()) < holidays) ref.holidays.insert(random_date(rng, lo, hi));
    while (static_cast<int>(ref.working.size()) < working_days) {
        const Date d = random_date(rng, lo, hi);
        if (ref.weekend.count(aecore::weekday_of(d))) ref.working.insert(d);
    }
    return ref;
}

// ---------------------------------------------------------------- defaults

TEST(CalendarDefaults, SaturdaySundayWeekendAndNineToSix) {
    const BusinessCalendar c;
    EXPECT_EQ(c.weekend(), (std::vector<Weekday>{Weekday::Saturday, Weekday::Sunday}));
    EXPECT_EQ(c.work_start(), HM(9, 0));
    EXPECT_EQ(c.work_end(), HM(18, 0));
    EXPECT_EQ(c.working_day(), HM(9, 0));
    EXPECT_TRUE(c.holidays().empty());
    EXPECT_TRUE(c.working_weekend_days().empty());
    EXPECT_TRUE(c == BusinessCalendar());
}

TEST(CalendarDefaults, WeekdayOf) {
    EXPECT_EQ(aecore::weekday_of(D(2026, 5, 11)), Weekday::Monday);
    EXPECT_EQ(aecore::weekday_of(D(2026, 5, 16)), Weekday::Saturday);
    EXPECT_EQ(aecore::weekday_of(D(2026, 5, 17)), Weekday::Sunday);
    EXPECT_EQ(aecore::weekday_of(D(1900, 1, 1)), Weekday::Monday);
}

// ---------------------------------------------------------------- business days

struct DayCase {
    Date date;
    bool business;
    bool holiday;
    bool weekend;
};

class IsBusinessDay : public ::testing::TestWithParam<DayCase> {};

TEST_P(IsBusinessDay, LabourDayWeek) {
    const BusinessCalendar c = labour_day_calendar();
    const DayCase& k = GetParam();
    EXPECT_EQ(c.is_business_day(k.date), k.business) << k.date;
    EXPECT_EQ(c.is_holiday(k.date), k.holiday) << k.date;
    EXPECT_EQ(c.is_weekend(k.date), k.weekend) << k.date;
}

INSTANTIATE_TEST_SUITE_P(
    Table, IsBusinessDay,
    ::testing::Values(DayCase{D(2026, 4, 24), true, false, false},   // Fri
                      DayCase{D(2026, 4, 25), false, false, true},   // Sat
                      DayCase{D(2026, 4, 26), true, false, true},    // Sun, worked (调休)
                      DayCase{D(2026, 4, 30), true, false, false},   // Thu
                      DayCase{D(2026, 5, 1), false, true, false},    // Fri, holiday
                      DayCase{D(2026, 5, 2), false, false, true},    // Sat
                      DayCase{D(2026, 5, 3), false, false, true},    // Sun
                      DayCase{D(2026, 5, 4), false, true, false},    // Mon, holiday
                      DayCase{D(2026, 5, 5), false, true, false},    // Tue, holiday
                      DayCase{D(2026, 5, 6), true, false, false},    // Wed
                      DayCase{D(2026, 5, 9), true, false, true},     // Sat, worked (调休)
                      DayCase{D(2026, 5, 10), false, false, true},   // Sun
                      DayCase{D(2026, 5, 11), true, false, false})); // Mon

TEST(BusinessDayRules, HolidayWinsOverWorkingWeekendDay) {
    BusinessCalendar c;
    c.add_working_weekend_day(D(2026, 5, 16));
    EXPECT_TRUE(c.is_business_day(D(2026, 5, 16)));
    c.add_holiday(D(2026, 5, 16));
    EXPECT_FALSE(c.is_business_day(D(2026, 5, 16)));
    EXPECT_TRUE(c.remove_holiday(D(2026, 5, 16)));
    EXPECT_TRUE(c.is_business_day(D(2026, 5, 16)));
    EXPECT_TRUE(c.remove_working_weekend_day(D(2026, 5, 16)));
    EXPECT_FALSE(c.is_business_day(D(2026, 5, 16)));
    EXPECT_FALSE(c.remove_holiday(D(2026, 5, 16)));
    EXPECT_FALSE(c.remove_working_weekend_day(D(2026, 5, 16)));
}

TEST(BusinessDayRules, CustomWeekend) {
    BusinessCalendar c;
    c.set_weekend(std::vector<Weekday>{Weekday::Sunday, Weekday::Friday});
    EXPECT_EQ(c.weekend(), (std::vector<Weekday>{Weekday::Friday, Weekday::Sunday}));  // Monday..Sunday order
    EXPECT_FALSE(c.is_business_day(D(2026, 5, 15)));  // Fri
    EXPECT_TRUE(c.is_business_day(D(2026, 5, 16)));   // Sat
    EXPECT_FALSE(c.is_business_day(D(2026, 5, 17)));  // Sun
    EXPECT_EQ(c.add_business_days(D(2026, 5, 14), 1), D(2026, 5, 16));
    c.set_weekend(std::vector<Weekday>{});  // every day worked
    EXPECT_TRUE(c.weekend().empty());
    EXPECT_TRUE(c.is_business_day(D(2026, 5, 17)));
    EXPECT_EQ(c.add_business_days(D(2026, 5, 15), 2), D(2026, 5, 17));
}

TEST(CalendarLists, HolidaysAreKeptSortedAndUnique) {
    BusinessCalendar c;
    c.set_holidays({D(2026, 10, 1), D(2026, 1, 1), D(2026, 10, 1), D(2026, 5, 1)});
    EXPECT_EQ(c.holidays(), (std::vector<Date>{D(2026, 1, 1), D(2026, 5, 1), D(2026, 10, 1)}));
    c.add_holiday(D(2026, 2, 17));
    c.add_holiday(D(2026, 2, 17));
    EXPECT_EQ(c.holidays(), (std::vector<Date>{D(2026, 1, 1), D(2026, 2, 17), D(2026, 5, 1), D(2026, 10, 1)}));
    c.set_working_weekend_days({D(2026, 5, 9), D(2026, 4, 26), D(2026, 5, 9)});
    EXPECT_EQ(c.working_weekend_days(), (std::vector<Date>{D(2026, 4, 26), D(2026, 5, 9)}));
}

struct AddCase {
    Date from;
    int n;
    Date expected;
};

class AddBusinessDays : public ::testing::TestWithParam<AddCase> {};

TEST_P(AddBusinessDays, LabourDayWeek) {
    const BusinessCalendar c = labour_day_calendar();
    const AddCase& k = GetParam();
    EXPECT_EQ(c.add_business_days(k.from, k.n), k.expected) << k.from << " " << k.n;
}

INSTANTIATE_TEST_SUITE_P(
    Table, AddBusinessDays,
    ::testing::Values(
        // forward across the holiday block and onto a worked Saturday
        AddCase{D(2026, 4, 30), 1, D(2026, 5, 6)}, AddCase{D(2026, 4, 30), 2, D(2026, 5, 7)},
        AddCase{D(2026, 4, 30), 3, D(2026, 5, 8)}, AddCase{D(2026, 4, 30), 4, D(2026, 5, 9)},
        AddCase{D(2026, 4, 30), 5, D(2026, 5, 11)}, AddCase{D(2026, 5, 8), 1, D(2026, 5, 9)},
        // backward, onto a worked Sunday
        AddCase{D(2026, 5, 6), -1, D(2026, 4, 30)}, AddCase{D(2026, 5, 6), -2, D(2026, 4, 29)},
        AddCase{D(2026, 5, 6), -4, D(2026, 4, 27)}, AddCase{D(2026, 5, 6), -5, D(2026, 4, 26)},
        AddCase{D(2026, 5, 6), -6, D(2026, 4, 24)},
        // from a non-business day (weekend and holiday)
        AddCase{D(2026, 5, 2), 1, D(2026, 5, 6)}, AddCase{D(2026, 5, 2), -1, D(2026, 4, 30)},
        AddCase{D(2026, 5, 4), 1, D(2026, 5, 6)}, AddCase{D(2026, 5, 4), -1, D(2026, 4, 30)},
        AddCase{D(2026, 5, 10), 1, D(2026, 5, 11)}, AddCase{D(2026, 5, 10), -1, D(2026, 5, 9)},
        // n = 0 is the identity, even on a non-business day
        AddCase{D(2026, 5, 2), 0, D(2026, 5, 2)}, AddCase{D(2026, 5, 6), 0, D(2026, 5, 6)},
        // plain weeks
        AddCase{D(2026, 5, 15), 1, D(2026, 5, 18)}, AddCase{D(2026, 5, 18), -1, D(2026, 5, 15)},
        AddCase{D(2026, 5, 16), 1, D(2026, 5, 18)}, AddCase{D(2026, 5, 16), -1, D(2026, 5, 15)},
        AddCase{D(2026, 5, 17), -1, D(2026, 5, 15)}, AddCase{D(2026, 5, 20), 5, D(2026, 5, 27)},
        AddCase{D(2026, 5, 20), -5, D(2026, 5, 13)}, AddCase{D(2026, 5, 13), 10, D(2026, 5, 27)}));

struct BetweenCase {
    Date from;
    Date to;
    int expected;
};

class BusinessDaysBetween : public ::testing::TestWithParam<BetweenCase> {};

TEST_P(BusinessDaysBetween, LabourDayWeek) {
    const BusinessCalendar c = labour_day_calendar();
    const BetweenCase& k = GetParam();
    EXPECT_EQ(c.business_days_between(k.from, k.to), k.expected) << k.from << " .. " << k.to;
}

INSTANTIATE_TEST_SUITE_P(Table, BusinessDaysBetween,
                         ::testing::Values(BetweenCase{D(2026, 4, 30), D(2026, 4, 30), 0},
                                           BetweenCase{D(2026, 4, 30), D(2026, 5, 6), 1},
                                           BetweenCase{D(2026, 4, 30), D(2026, 5, 11), 5},
                                           BetweenCase{D(2026, 5, 6), D(2026, 4, 30), -1},
                                           BetweenCase{D(2026, 5, 11), D(2026, 4, 30), -5},
                                           BetweenCase{D(2026, 5, 2), D(2026, 5, 6), 1},
                                           BetweenCase{D(2026, 5, 1), D(2026, 5, 5), 0},
                                           BetweenCase{D(2026, 4, 24), D(2026, 4, 27), 2},  // Sun worked
                                           BetweenCase{D(2026, 5, 13), D(2026, 5, 27), 10}));

// add_business_days(from, business_days_between(from, to)) == to for a business day `to`
// (documented in calendar.hpp). Both ends business days, in both directions.
TEST(BusinessDaysInverse, InverseOfAddBusinessDaysBetweenBusinessDays) {
    std::mt19937_64 rng(7);
    const BusinessCalendar c = labour_day_calendar();
    for (int i = 0; i < 2000; ++i) {
        const Date from = c.roll_forward(random_date(rng, D(2025, 1, 1), D(2027, 12, 31)));
        const Date to = c.roll_backward(random_date(rng, D(2025, 1, 1), D(2027, 12, 31)));
        const int n = c.business_days_between(from, to);
        ASSERT_EQ(c.add_business_days(from, n), to) << from << " -> " << to << " n=" << n;
        ASSERT_EQ(c.business_days_between(to, from), -n);
    }
}

// Forward, the relation holds from any day, business or not.
TEST(BusinessDaysInverse, InverseOfAddBusinessDaysForwardFromAnyDay) {
    std::mt19937_64 rng(8);
    const BusinessCalendar c = labour_day_calendar();
    for (int i = 0; i < 2000; ++i) {
        const Date from = random_date(rng, D(2025, 1, 1), D(2027, 12, 31));
        const Date to = c.roll_forward(from + bg::days(static_cast<long>(rng() % 400)));
        ASSERT_EQ(c.add_business_days(from, c.business_days_between(from, to)), to) << from << " -> " << to;
    }
}

// Regression: backwards from a non-business day the count is taken over [to, from), so
// from Saturday 2026-05-16 back to Monday 2026-05-11 it is -5 and add_business_days(Sat, -5)
// is that Monday (counting (to, from] gave -4 and landed on Tuesday).
TEST(BusinessDaysInverse, InverseOfAddBusinessDaysBackwardFromNonBusinessDay) {
    const BusinessCalendar c;
    const Date saturday = D(2026, 5, 16);
    const Date monday = D(2026, 5, 11);
    EXPECT_EQ(c.add_business_days(saturday, c.business_days_between(saturday, monday)), monday);
    // holiday as the starting point
    const BusinessCalendar h = labour_day_calendar();
    EXPECT_EQ(h.add_business_days(D(2026, 5, 4), h.business_days_between(D(2026, 5, 4), D(2026, 4, 29))),
              D(2026, 4, 29));
}

// The index (1900–2199) must agree with a naive day-by-day walk, for random calendars.
class FastPathAgreesWithReference : public ::testing::TestWithParam<std::set<Weekday>> {};

TEST_P(FastPathAgreesWithReference, RandomDatesAndHolidays) {
    std::mt19937_64 rng(0xAEC0 + GetParam().size());
    const Date lo = D(1990, 1, 1);
    const Date hi = D(2150, 12, 31);
    const ReferenceCalendar ref = random_reference(rng, GetParam(), lo, hi, 3000, 600);
    const BusinessCalendar c = ref.build();
    std::uniform_int_distribution<int> step(-60, 60);
    for (int i = 0; i < 4000; ++i) {
        const Date d = random_date(rng, lo, hi);
        ASSERT_EQ(c.is_business_day(d), ref.is_business_day(d)) << d;
        const int n = step(rng);
        ASSERT_EQ(c.add_business_days(d, n), ref.add_business_days(d, n)) << d << " " << n;
        const Date e = d + bg::days(step(rng) * 3);
        ASSERT_EQ(c.business_days_between(d, e), ref.business_days_between(d, e)) << d << " .. " << e;
        ASSERT_EQ(c.roll_forward(d), ref.is_business_day(d) ? d : ref.add_business_days(d, 1)) << d;
        ASSERT_EQ(c.roll_backward(d), ref.is_business_day(d) ? d : ref.add_business_days(d, -1)) << d;
    }
}

INSTANTIATE_TEST_SUITE_P(Weekends, FastPathAgreesWithReference,
                         ::testing::Values(std::set<Weekday>{Weekday::Saturday, Weekday::Sunday},
                                           std::set<Weekday>{Weekday::Friday},
                                           std::set<Weekday>{Weekday::Thursday, Weekday::Friday, Weekday::Saturday}));

// Outside 1900–2199 the calendar walks day by day; results must still be right,
// also when a move crosses the edge of the index.
TEST(CalendarFallback, OutsideTheIndexedRange) {
    std::mt19937_64 rng(1899);
    ReferenceCalendar ref;
    ref.weekend = {Weekday::Saturday, Weekday::Sunday};
    ref.holidays = {D(1850, 6, 14), D(1899, 12, 29), D(2200, 1, 1), D(2250, 3, 4)};
    ref.working = {D(1899, 12, 31), D(2200, 1, 4)};
    const BusinessCalendar c = ref.build();

    // hand-checked edges
    EXPECT_FALSE(c.is_business_day(D(1850, 6, 14)));              // Fri, holiday
    EXPECT_TRUE(c.is_business_day(D(1899, 12, 31)));              // Sun, worked
    EXPECT_EQ(c.add_business_days(D(2199, 12, 31), 1), D(2200, 1, 2));   // Tue -> (Wed holiday) Thu
    EXPECT_EQ(c.add_business_days(D(2199, 12, 31), 3), D(2200, 1, 4));   // Thu, Fri, Sat (worked)
    EXPECT_EQ(c.add_business_days(D(1900, 1, 1), -1), D(1899, 12, 31));  // worked Sunday
    EXPECT_EQ(c.add_business_days(D(1900, 1, 1), -2), D(1899, 12, 28));  // skips holiday Fri 29
    EXPECT_EQ(c.business_days_between(D(1899, 12, 28), D(1900, 1, 2)), 3);  // Sun 31, Mon 1, Tue 2
    EXPECT_EQ(c.business_days_between(D(1900, 1, 2), D(1899, 12, 28)), -3);
    EXPECT_EQ(c.add_business_days(D(2250, 3, 1), 1), D(2250, 3, 5));      // Fri -> (Mon holiday) Tue
    EXPECT_EQ(c.roll_forward(D(2250, 3, 2)), D(2250, 3, 5));  // Sat
    EXPECT_EQ(c.roll_backward(D(1850, 6, 14)), D(1850, 6, 13));

    const Date ranges[][2] = {{D(1800, 1, 1), D(1899, 12, 31)}, {D(2200, 1, 1), D(2300, 12, 31)},
                              {D(1899, 10, 1), D(1900, 3, 1)},  {D(2199, 10, 1), D(2200, 3, 1)}};
    std::uniform_int_distribution<int> step(-80, 80);
    for (const auto& range : ranges) {
        for (int i = 0; i < 300; ++i) {
            const Date d = random_date(rng, range[0], range[1]);
            ASSERT_EQ(c.is_business_day(d), ref.is_business_day(d)) << d;
            const int n = step(rng);
            ASSERT_EQ(c.add_business_days(d, n), ref.add_business_days(d, n)) << d << " " << n;
            const Date e = d + bg::days(step(rng) * 2);
            ASSERT_EQ(c.business_days_between(d, e), ref.business_days_between(d, e)) << d << " .. " << e;
        }
    }
}

TEST(CalendarRoll, ForwardAndBackward) {
    const BusinessCalendar c = labour_day_calendar();
    EXPECT_EQ(c.roll_forward(D(2026, 5, 6)), D(2026, 5, 6));
    EXPECT_EQ(c.roll_backward(D(2026, 5, 6)), D(2026, 5, 6));
    EXPECT_EQ(c.roll_forward(D(2026, 5, 1)), D(2026, 5, 6));
    EXPECT_EQ(c.roll_backward(D(2026, 5, 5)), D(2026, 4, 30));
    EXPECT_EQ(c.roll_forward(D(2026, 5, 16)), D(2026, 5, 18));
    EXPECT_EQ(c.roll_backward(D(2026, 5, 17)), D(2026, 5, 15));
    EXPECT_EQ(c.roll_forward(D(2026, 4, 26)), D(2026, 4, 26));  // worked Sunday
}

// ---------------------------------------------------------------- business time (JT-7)

struct TimeCase {
    DateTime deadline;
    DateTime internal_due;
};

class HalfBusinessDay : public ::testing::TestWithParam<TimeCase> {};

TEST_P(HalfBusinessDay, NineToSix) {
    const BusinessCalendar c;
    const TimeCase& k = GetParam();
    EXPECT_EQ(c.subtract_half_business_day(k.deadline), k.internal_due) << k.deadline;
    // add_business_time mirrors it (except that a result at opening time maps back to the
    // previous close, which is the same instant of working time).
    const DateTime back = c.add_business_time(k.internal_due, HM(4, 30));
    if (k.deadline.time_of_day() > HM(9, 0) && k.deadline.time_of_day() <= HM(18, 0) &&
        c.is_business_day(k.deadline.date())) {
        EXPECT_EQ(back, k.deadline) << k.internal_due;
    }
}

INSTANTIATE_TEST_SUITE_P(
    Table, HalfBusinessDay,
    ::testing::Values(TimeCase{T(2026, 5, 18, 10, 0), T(2026, 5, 15, 14, 30)},   // Mon 10:00 -> Fri 14:30
                      TimeCase{T(2026, 5, 19, 15, 0), T(2026, 5, 19, 10, 30)},   // Tue 15:00 -> Tue 10:30
                      TimeCase{T(2026, 5, 19, 13, 30), T(2026, 5, 19, 9, 0)},    // exactly the morning
                      TimeCase{T(2026, 5, 18, 9, 30), T(2026, 5, 15, 14, 0)},    // Mon 09:30 -> Fri 14:00
                      TimeCase{T(2026, 5, 19, 18, 0), T(2026, 5, 19, 13, 30)},   // at closing
                      TimeCase{T(2026, 5, 19, 8, 0), T(2026, 5, 18, 13, 30)},    // before opening
                      TimeCase{T(2026, 5, 19, 9, 0), T(2026, 5, 18, 13, 30)},    // at opening
                      TimeCase{T(2026, 5, 19, 20, 15), T(2026, 5, 19, 13, 30)},  // after closing
                      TimeCase{T(2026, 5, 16, 12, 0), T(2026, 5, 15, 13, 30)},   // Saturday
                      TimeCase{T(2026, 5, 17, 23, 59), T(2026, 5, 15, 13, 30)},  // Sunday night
                      TimeCase{T(2026, 5, 19, 10, 0, 30), T(2026, 5, 18, 14, 30, 30)}));

TEST(InternalDue, SkipsHolidaysAndUsesWorkedWeekendDays) {
    const BusinessCalendar c = labour_day_calendar();
    EXPECT_EQ(c.subtract_half_business_day(T(2026, 5, 6, 10, 0)), T(2026, 4, 30, 14, 30));  // Wed after the break
    EXPECT_EQ(c.subtract_half_business_day(T(2026, 5, 11, 10, 0)), T(2026, 5, 9, 14, 30));  // worked Saturday
    EXPECT_EQ(c.subtract_half_business_day(T(2026, 4, 27, 9, 0)), T(2026, 4, 26, 13, 30));  // worked Sunday
    EXPECT_EQ(c.subtract_half_business_day(T(2026, 5, 4, 16, 0)), T(2026, 4, 30, 13, 30));  // on a holiday
}

TEST(InternalDue, CustomWorkingHoursEightThirtyToFiveThirty) {
    BusinessCalendar c;
    c.set_working_hours(HM(8, 30), HM(17, 30));
    EXPECT_EQ(c.work_start(), HM(8, 30));
    EXPECT_EQ(c.work_end(), HM(17, 30));
    EXPECT_EQ(c.working_day(), HM(9, 0));
    EXPECT_EQ(c.subtract_half_business_day(T(2026, 5, 18, 10, 0)), T(2026, 5, 15, 14, 30));
    EXPECT_EQ(c.subtract_half_business_day(T(2026, 5, 18, 9, 0)), T(2026, 5, 15, 13, 30));
    EXPECT_EQ(c.subtract_half_business_day(T(2026, 5, 19, 15, 0)), T(2026, 5, 19, 10, 30));
    EXPECT_EQ(c.subtract_half_business_day(T(2026, 5, 19, 8, 0)), T(2026, 5, 18, 13, 0));
    EXPECT_EQ(c.subtract_half_business_day(T(2026, 5, 19, 17, 45)), T(2026, 5, 19, 13, 0));
    EXPECT_EQ(c.subtract_half_business_day(T(2026, 5, 17, 10, 0)), T(2026, 5, 15, 13, 0));
    EXPECT_EQ(c.add_business_time(T(2026, 5, 15, 14, 30), HM(4, 30)), T(2026, 5, 18, 10, 0));
    EXPECT_EQ(c.add_business_time(T(2026, 5, 19, 7, 0), HM(4, 30)), T(2026, 5, 19, 13, 0));
}

TEST(InternalDue, OddLengthWorkingDayHalvesToTheSecond) {
    BusinessCalendar c;
    c.set_working_hours(HM(9, 0), HM(17, 59));  // 8 h 59 min -> half is 4 h 29 min 30 s
    EXPECT_EQ(c.subtract_half_business_day(T(2026, 5, 19, 15, 0)), T(2026, 5, 19, 10, 30, 30));
}

TEST(BusinessTime, AddMirrorsSubtract) {
    const BusinessCalendar c;
    EXPECT_EQ(c.add_business_time(T(2026, 5, 15, 14, 30), HM(4, 30)), T(2026, 5, 18, 10, 0));  // Fri -> Mon
    EXPECT_EQ(c.add_business_time(T(2026, 5, 19, 10, 30), HM(4, 30)), T(2026, 5, 19, 15, 0));
    EXPECT_EQ(c.add_business_time(T(2026, 5, 19, 13, 30), HM(4, 30)), T(2026, 5, 19, 18, 0));
    EXPECT_EQ(c.add_business_time(T(2026, 5, 19, 7, 0), HM(4, 30)), T(2026, 5, 19, 13, 30));   // before opening
    EXPECT_EQ(c.add_business_time(T(2026, 5, 19, 19, 0), HM(4, 30)), T(2026, 5, 20, 13, 30));  // after closing
    EXPECT_EQ(c.add_business_time(T(2026, 5, 16, 12, 0), HM(4, 30)), T(2026, 5, 18, 13, 30));  // Saturday
    EXPECT_EQ(c.add_business_time(T(2026, 5, 20, 12, 0), HM(21, 0)), T(2026, 5, 22, 15, 0));   // 2⅓ days
    EXPECT_EQ(c.subtract_business_time(T(2026, 5, 20, 12, 0), HM(21, 0)), T(2026, 5, 18, 9, 0));
    EXPECT_EQ(c.subtract_business_time(T(2026, 5, 20, 12, 0), HM(22, 0)), T(2026, 5, 15, 17, 0));
    EXPECT_EQ(c.subtract_business_time(T(2026, 5, 20, 12, 0), HM(45 * 2, 0)), T(2026, 5, 6, 12, 0));  // 10 days
    EXPECT_EQ(c.add_business_time(T(2026, 5, 6, 12, 0), HM(45 * 2, 0)), T(2026, 5, 20, 12, 0));
    // zero moves nothing, even outside working time
    EXPECT_EQ(c.add_business_time(T(2026, 5, 16, 3, 0), HM(0, 0)), T(2026, 5, 16, 3, 0));
    EXPECT_EQ(c.subtract_business_time(T(2026, 5, 16, 3, 0), HM(0, 0)), T(2026, 5, 16, 3, 0));
}

// A minute-by-minute reference: walk the clock and count only working minutes.
bool working_minute(const BusinessCalendar& c, const DateTime& start_of_minute) {
    const Duration tod = start_of_minute.time_of_day();
    return c.is_business_day(start_of_minute.date()) && tod >= c.work_start() && tod + bp::minutes(1) <= c.work_end();
}
DateTime reference_subtract(const BusinessCalendar& c, DateTime t, long minutes) {
    while (minutes > 0) {
        t -= bp::minutes(1);
        if (working_minute(c, t)) --minutes;
    }
    return t;
}
DateTime reference_add(const BusinessCalendar& c, DateTime t, long minutes) {
    while (minutes > 0) {
        if (working_minute(c, t)) --minutes;
        t += bp::minutes(1);
    }
    return t;
}

class BusinessTimeAgreesWithReference : public ::testing::TestWithParam<std::pair<int, int>> {};

TEST_P(BusinessTimeAgreesWithReference, RandomTimesAndAmounts) {
    std::mt19937_64 rng(static_cast<std::uint64_t>(GetParam().first * 1000 + GetParam().second));
    ReferenceCalendar ref = random_reference(rng, {Weekday::Saturday, Weekday::Sunday}, D(2026, 1, 1),
                                             D(2026, 12, 31), 40, 8);
    BusinessCalendar c = ref.build();
    c.set_working_hours(bp::minutes(GetParam().first), bp::minutes(GetParam().second));
    const long day_minutes = c.working_day().total_seconds() / 60;
    std::uniform_int_distribution<long> amount(1, 3 * day_minutes + 7);
    std::uniform_int_distribution<int> minute_of_day(0, 24 * 60 - 1);
    for (int i = 0; i < 150; ++i) {
        const DateTime t(random_date(rng, D(2026, 2, 1), D(2026, 11, 30)), bp::minutes(minute_of_day(rng)));
        const long m = amount(rng);
        ASSERT_EQ(c.subtract_business_time(t, bp::minutes(m)), reference_subtract(c, t, m)) << t << " - " << m;
        ASSERT_EQ(c.add_business_time(t, bp::minutes(m)), reference_add(c, t, m)) << t << " + " << m;
    }
}

INSTANTIATE_TEST_SUITE_P(WorkingHours, BusinessTimeAgreesWithReference,
                         ::testing::Values(std::pair{9 * 60, 18 * 60}, std::pair{8 * 60 + 30, 17 * 60 + 30},
                                           std::pair{13 * 60, 13 * 60 + 7}, std::pair{0, 24 * 60},
                                           std::pair{22 * 60, 24 * 60}));

// ---------------------------------------------------------------- invalid input

TEST(CalendarValidation, NotADateIsRejected) {
    BusinessCalendar c;
    const Date nad(bg::not_a_date_time);
    const DateTime nadt(bp::not_a_date_time);
    EXPECT_THROW((void)c.is_business_day(nad), ValidationError);
    EXPECT_THROW((void)c.is_holiday(nad), ValidationError);
    EXPECT_THROW((void)c.is_weekend(nad), ValidationError);
    EXPECT_THROW((void)c.add_business_days(nad, 1), ValidationError);
    EXPECT_THROW((void)c.business_days_between(nad, D(2026, 1, 1)), ValidationError);
    EXPECT_THROW((void)c.business_days_between(D(2026, 1, 1), Date(bg::pos_infin)), ValidationError);
    EXPECT_THROW((void)c.roll_forward(nad), ValidationError);
    EXPECT_THROW((void)c.subtract_half_business_day(nadt), ValidationError);
    EXPECT_THROW((void)c.add_business_time(nadt, HM(1, 0)), ValidationError);
    EXPECT_THROW((void)c.subtract_business_time(T(2026, 5, 19, 10, 0), -HM(1, 0)), ValidationError);
    EXPECT_THROW((void)c.add_business_time(T(2026, 5, 19, 10, 0), Duration(bp::not_a_date_time)), ValidationError);
    EXPECT_THROW(c.add_holiday(nad), ValidationError);
    EXPECT_THROW(c.set_holidays({D(2026, 1, 1), nad}), ValidationError);
    EXPECT_THROW(c.add_working_weekend_day(nad), ValidationError);
    EXPECT_THROW(c.set_working_weekend_days({nad}), ValidationError);
    EXPECT_TRUE(c == BusinessCalendar()) << "failed setters must not change the calendar";
    try {
        (void)c.is_business_day(nad);
    } catch (const ValidationError& e) {
        EXPECT_EQ(e.rule(), "JT-7");
        EXPECT_NE(std::string(e.what()).find("[JT-7]"), std::string::npos) << e.what();
    }
}

TEST(CalendarValidation, AllSevenWeekendDaysIsRejectedAndChangesNothing) {
    BusinessCalendar c = labour_day_calendar();
    const BusinessCalendar before = c;
    const std::vector<Weekday> all{Weekday::Monday, Weekday::Tuesday, Weekday::Wednesday, Weekday::Thursday,
                                   Weekday::Friday, Weekday::Saturday, Weekday::Sunday};
    try {
        c.set_weekend(all);
        FAIL() << "expected ValidationError";
    } catch (const ValidationError& e) {
        EXPECT_EQ(e.field(), "calendar.weekend");
        EXPECT_NE(std::string(e.what()).find("[JT-7]"), std::string::npos) << e.what();
    }
    EXPECT_TRUE(c == before);
    EXPECT_EQ(c.weekend(), (std::vector<Weekday>{Weekday::Saturday, Weekday::Sunday}));
    EXPECT_EQ(c.add_business_days(D(2026, 4, 30), 1), D(2026, 5, 6));
}

TEST(CalendarValidation, BadWorkingHoursAreRejectedAndChangeNothing) {
    BusinessCalendar c;
    const std::pair<Duration, Duration> bad[] = {
        {HM(18, 0), HM(9, 0)},                       // start after end
        {HM(10, 0), HM(10, 0)},                      // empty day
        {-HM(1, 0), HM(18, 0)},                      // before midnight
        {HM(9, 0), HM(25, 0)},                       // after midnight
        {HM(9, 0), HM(17, 59) + bp::seconds(30)},    // not whole minutes
        {Duration(bp::not_a_date_time), HM(18, 0)},  // not a time
    };
    for (const auto& [start, end] : bad) {
        try {
            c.set_working_hours(start, end);
            ADD_FAILURE() << "accepted " << start << " - " << end;
        } catch (const ValidationError& e) {
            EXPECT_EQ(e.field(), "calendar.working_hours");
            EXPECT_NE(std::string(e.what()).find("[JT-7]"), std::string::npos) << e.what();
        }
        EXPECT_EQ(c.work_start(), HM(9, 0));
        EXPECT_EQ(c.work_end(), HM(18, 0));
    }
    EXPECT_NO_THROW(c.set_working_hours(HM(0, 0), HM(24, 0)));
    EXPECT_EQ(c.working_day(), HM(24, 0));
}

// ---------------------------------------------------------------- value semantics

TEST(CalendarCopy, CopiesAreIndependent) {
    BusinessCalendar original;
    original.add_holiday(D(2026, 5, 1));
    BusinessCalendar copy = original;
    EXPECT_TRUE(copy == original);
    copy.add_holiday(D(2026, 5, 13));
    copy.add_working_weekend_day(D(2026, 5, 16));
    copy.set_working_hours(HM(8, 0), HM(17, 0));
    EXPECT_FALSE(copy == original);

    EXPECT_TRUE(original.is_business_day(D(2026, 5, 13)));
    EXPECT_FALSE(original.is_business_day(D(2026, 5, 16)));
    EXPECT_EQ(original.holidays(), (std::vector<Date>{D(2026, 5, 1)}));
    EXPECT_EQ(original.add_business_days(D(2026, 5, 12), 1), D(2026, 5, 13));
    EXPECT_EQ(original.work_start(), HM(9, 0));
    EXPECT_FALSE(copy.is_business_day(D(2026, 5, 13)));
    EXPECT_EQ(copy.add_business_days(D(2026, 5, 12), 1), D(2026, 5, 14));

    BusinessCalendar assigned;
    assigned = original;
    assigned.remove_holiday(D(2026, 5, 1));
    EXPECT_FALSE(original.is_business_day(D(2026, 5, 1)));
    EXPECT_TRUE(assigned.is_business_day(D(2026, 5, 1)));
}

}  // namespace
