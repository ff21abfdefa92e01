#pragma once
// The agency's business calendar (SPEC JT-6, JT-7, CL-4): weekend days, a holiday
// list, make-up working days (调休, a weekend day that is worked) and working hours,
// on Boost.Date_Time. Business-day arithmetic uses a precomputed business-day index
// for 1900–2199 (constant time per call) and falls back to a day-by-day walk outside it.

#include <boost/date_time/gregorian/gregorian.hpp>
#include <boost/date_time/posix_time/posix_time.hpp>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "aecore/enum_names.hpp"

namespace aecore {

using Date = boost::gregorian::date;
using DateTime = boost::posix_time::ptime;
using Duration = boost::posix_time::time_duration;

enum class Weekday : std::uint8_t { Sunday = 0, Monday, Tuesday, Wednesday, Thursday, Friday, Saturday };

template <>
struct EnumNames<Weekday> {
    static constexpr std::string_view type_name = "Weekday";
    static constexpr std::array<std::pair<Weekday, std::string_view>, 7> entries{{
        {Weekday::Monday, "Mon"},
        {Weekday::Tuesday, "Tue"},
        {Weekday::Wednesday, "Wed"},
        {Weekday::Thursday, "Thu"},
        {Weekday::Friday, "Fri"},
        {Weekday::Saturday, "Sat"},
        {Weekday::Sunday, "Sun"},
    }};
};

[[nodiscard]] Weekday weekday_of(const Date& d);

/// `d` moved by `months` calendar months, keeping the day of the month and clamping it to
/// the target month's length (Jan 31 + 1 month = Feb 28/29; Apr 30 + 3 months = Jul 30).
/// Unlike boost::gregorian::months, a month-end start is not snapped to the target month's end.
[[nodiscard]] Date add_months(const Date& d, int months);

/// Throws ValidationError naming `field` when `d` is not a real date (not_a_date_time, ±inf).
void require_valid(const Date& d, std::string_view field, std::string_view rule);
void require_valid(const DateTime& t, std::string_view field, std::string_view rule);

class BusinessCalendar {
public:
    /// Saturday and Sunday off, no holidays, working hours 09:00–18:00.
    BusinessCalendar();

    // --- configuration -------------------------------------------------------
    /// Weekend days in Monday..Sunday order.
    [[nodiscard]] std::vector<Weekday> weekend() const;
    /// Sets the weekend; at least one day of the week must remain a working day.
    void set_weekend(std::span<const Weekday> days);

    /// Holidays, sorted and unique.
    [[nodiscard]] const std::vector<Date>& holidays() const noexcept { return holidays_; }
    void add_holiday(const Date& d);
    /// Removes a holiday; returns false when `d` was not one.
    bool remove_holiday(const Date& d);
    void set_holidays(std::vector<Date> days);

    /// Make-up working days: weekend dates that are worked (调休). Sorted and unique.
    [[nodiscard]] const std::vector<Date>& working_weekend_days() const noexcept { return working_days_; }
    void add_working_weekend_day(const Date& d);
    bool remove_working_weekend_day(const Date& d);
    void set_working_weekend_days(std::vector<Date> days);

    [[nodiscard]] Duration work_start() const noexcept { return work_start_; }
    [[nodiscard]] Duration work_end() const noexcept { return work_end_; }
    /// Working hours within one day, start < end, whole minutes (JT-7).
    void set_working_hours(Duration start, Duration end);
    /// Length of the working day (9 h by default).
    [[nodiscard]] Duration working_day() const noexcept { return work_end_ - work_start_; }

    // --- queries ------------------------------------------------------------
    [[nodiscard]] bool is_weekend(const Date& d) const;
    [[nodiscard]] bool is_holiday(const Date& d) const;
    [[nodiscard]] bool is_business_day(const Date& d) const;

    /// `d` moved by `n` business days: +1 is the next business day after `d`, −1 the
    /// previous one, whether or not `d` itself is a business day; 0 returns `d`.
    [[nodiscard]] Date add_business_days(const Date& d, int n) const;
    /// The number of business days in (from, to]; when to < from, minus the number in
    /// [to, from). Either way add_business_days(from, business_days_between(from, to)) == to
    /// for a business day `to`.
    [[nodiscard]] int business_days_between(const Date& from, const Date& to) const;
    /// `d` if it is a business day, else the next (following) or previous (preceding) one.
    [[nodiscard]] Date roll_forward(const Date& d) const;
    [[nodiscard]] Date roll_backward(const Date& d) const;

    /// Moves `t` back by `amount` of working time, counting only working hours of
    /// business days. A time outside working hours counts from the nearest earlier
    /// close of business.
    [[nodiscard]] DateTime subtract_business_time(const DateTime& t, Duration amount) const;
    /// Moves `t` forward by `amount` of working time (mirror of subtract_business_time).
    [[nodiscard]] DateTime add_business_time(const DateTime& t, Duration amount) const;
    /// JT-7: the internal due time, half a working day before the client deadline
    /// (Monday 10:00 → previous business day 14:30 with a 09:00–18:00 day).
    [[nodiscard]] DateTime subtract_half_business_day(const DateTime& t) const;

    friend bool operator==(const BusinessCalendar& a, const BusinessCalendar& b) noexcept;

private:
    struct Index;
    void rebuild();
    // Replace / extend / shrink one of the date lists, rebuilding the index; the list is
    // restored when anything throws.
    void replace_dates(std::vector<Date>& list, std::vector<Date> days, const char* field);
    void add_date(std::vector<Date>& list, const Date& d, const char* field);
    bool remove_date(std::vector<Date>& list, const Date& d, const char* field);
    [[nodiscard]] bool compute_business_day(const Date& d) const;

    std::uint8_t weekend_mask_;  // bit i set = weekday i (0 = Sunday) is off
    std::vector<Date> holidays_;
    std::vector<Date> working_days_;
    Duration work_start_;
    Duration work_end_;
    std::shared_ptr<const Index> index_;  // immutable, shared between copies
};

}  // namespace aecore
