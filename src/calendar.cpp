#include "aecore/calendar.hpp"

#include <algorithm>

#include "aecore/error.hpp"

namespace aecore {

namespace bg = boost::gregorian;
namespace bp = boost::posix_time;

namespace {
std::string date_text(const Date& d) { return d.is_special() ? "not-a-date" : bg::to_iso_extended_string(d); }
std::string time_text(const DateTime& t) {
    return t.is_special() ? "not-a-date-time" : bp::to_iso_extended_string(t);
}
constexpr std::uint8_t bit(Weekday w) { return static_cast<std::uint8_t>(1u << static_cast<unsigned>(w)); }

void sort_unique(std::vector<Date>& v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
}
}  // namespace

Weekday weekday_of(const Date& d) { return static_cast<Weekday>(d.day_of_week().as_number()); }

Date add_months(const Date& d, int months) {
    const int index = static_cast<int>(d.year()) * 12 + (static_cast<int>(d.month()) - 1) + months;
    const int year = index / 12;
    const int month = index % 12 + 1;
    const int last = boost::gregorian::gregorian_calendar::end_of_month_day(static_cast<unsigned short>(year),
                                                                           static_cast<unsigned short>(month));
    return {static_cast<unsigned short>(year), static_cast<unsigned short>(month),
            static_cast<unsigned short>(std::min<int>(d.day(), last))};
}

void require_valid(const Date& d, std::string_view field, std::string_view rule) {
    if (d.is_special())
        throw ValidationError(std::string(rule), std::string(field), date_text(d), "must be a real calendar date");
}

void require_valid(const DateTime& t, std::string_view field, std::string_view rule) {
    if (t.is_special())
        throw ValidationError(std::string(rule), std::string(field), time_text(t), "must be a real date and time");
}

// The business-day index: cum[i] counts business days in [first, first + i),
// biz[k] is the offset of the k-th business day. Built once per configuration.
struct BusinessCalendar::Index {
    static inline const Date first{1900, 1, 1};
    static inline const Date last{2199, 12, 31};
    std::vector<std::int32_t> cum;
    std::vector<std::int32_t> biz;

    [[nodiscard]] static bool covers(const Date& d) { return d >= first && d <= last; }
    [[nodiscard]] static std::int32_t offset(const Date& d) {
        return static_cast<std::int32_t>((d - first).days());
    }
    [[nodiscard]] static Date at(std::int32_t off) { return first + bg::days(off); }
};

BusinessCalendar::BusinessCalendar()
    : weekend_mask_(bit(Weekday::Saturday) | bit(Weekday::Sunday)),
      work_start_(bp::hours(9)),
      work_end_(bp::hours(18)) {
    rebuild();
}

void BusinessCalendar::rebuild() {
    auto idx = std::make_shared<Index>();
    const std::int32_t n = Index::offset(Index::last) + 1;
    idx->cum.resize(static_cast<std::size_t>(n) + 1);
    idx->biz.reserve(static_cast<std::size_t>(n) * 5 / 7 + 16);
    std::vector<char> flag(static_cast<std::size_t>(n));
    // Weekday pattern first, then the exception lists (each O(list)).
    unsigned wd = Index::first.day_of_week().as_number();
    for (std::int32_t i = 0; i < n; ++i, wd = (wd + 1) % 7) flag[static_cast<std::size_t>(i)] = !((weekend_mask_ >> wd) & 1u);
    for (const Date& d : working_days_)
        if (Index::covers(d)) flag[static_cast<std::size_t>(Index::offset(d))] = 1;
    for (const Date& d : holidays_)
        if (Index::covers(d)) flag[static_cast<std::size_t>(Index::offset(d))] = 0;
    std::int32_t count = 0;
    for (std::int32_t i = 0; i < n; ++i) {
        idx->cum[static_cast<std::size_t>(i)] = count;
        if (flag[static_cast<std::size_t>(i)]) {
            idx->biz.push_back(i);
            ++count;
        }
    }
    idx->cum[static_cast<std::size_t>(n)] = count;
    index_ = std::move(idx);
}

std::vector<Weekday> BusinessCalendar::weekend() const {
    std::vector<Weekday> out;
    for (const auto& [w, name] : EnumNames<Weekday>::entries)
        if (weekend_mask_ & bit(w)) out.push_back(w);
    return out;
}

void BusinessCalendar::set_weekend(std::span<const Weekday> days) {
    std::uint8_t mask = 0;
    for (Weekday w : days) mask |= bit(w);
    if (mask == 0x7f)
        throw ValidationError("JT-7", "calendar.weekend", "all seven days",
                              "at least one day of the week must be a working day");
    const std::uint8_t old = weekend_mask_;
    weekend_mask_ = mask;
    try {
        rebuild();
    } catch (...) {
        weekend_mask_ = old;
        throw;
    }
}

void BusinessCalendar::replace_dates(std::vector<Date>& list, std::vector<Date> days, const char* field) {
    for (const Date& d : days) require_valid(d, field, "JT-7");
    sort_unique(days);
    list.swap(days);  // `days` now holds the old list
    try {
        rebuild();
    } catch (...) {
        list.swap(days);
        throw;
    }
}

void BusinessCalendar::add_date(std::vector<Date>& list, const Date& d, const char* field) {
    require_valid(d, field, "JT-7");
    auto copy = list;
    copy.push_back(d);
    replace_dates(list, std::move(copy), field);
}

bool BusinessCalendar::remove_date(std::vector<Date>& list, const Date& d, const char* field) {
    auto it = std::lower_bound(list.begin(), list.end(), d);
    if (it == list.end() || *it != d) return false;
    auto copy = list;
    copy.erase(copy.begin() + (it - list.begin()));
    replace_dates(list, std::move(copy), field);
    return true;
}

void BusinessCalendar::add_holiday(const Date& d) { add_date(holidays_, d, "calendar.holiday"); }
bool BusinessCalendar::remove_holiday(const Date& d) { return remove_date(holidays_, d, "calendar.holiday"); }
void BusinessCalendar::set_holidays(std::vector<Date> days) {
    replace_dates(holidays_, std::move(days), "calendar.holidays");
}

void BusinessCalendar::add_working_weekend_day(const Date& d) {
    add_date(working_days_, d, "calendar.working_weekend_day");
}
bool BusinessCalendar::remove_working_weekend_day(const Date& d) {
    return remove_date(working_days_, d, "calendar.working_weekend_day");
}
void BusinessCalendar::set_working_weekend_days(std::vector<Date> days) {
    replace_dates(working_days_, std::move(days), "calendar.working_weekend_days");
}

void BusinessCalendar::set_working_hours(Duration start, Duration end) {
    auto text = [](Duration d) { return d.is_special() ? std::string("not-a-time") : bp::to_simple_string(d); };
    const std::string value = text(start) + "–" + text(end);
    if (start.is_special() || end.is_special() || start < bp::hours(0) || end > bp::hours(24))
        throw ValidationError("JT-7", "calendar.working_hours", value, "must lie within 00:00–24:00");
    if (start >= end)
        throw ValidationError("JT-7", "calendar.working_hours", value, "start must be before end");
    if (start.seconds() != 0 || end.seconds() != 0 || start.fractional_seconds() != 0 ||
        end.fractional_seconds() != 0)
        throw ValidationError("JT-7", "calendar.working_hours", value, "must be whole minutes");
    work_start_ = start;
    work_end_ = end;
}

bool BusinessCalendar::is_weekend(const Date& d) const {
    require_valid(d, "date", "JT-7");
    return (weekend_mask_ >> d.day_of_week().as_number()) & 1u;
}

bool BusinessCalendar::is_holiday(const Date& d) const {
    require_valid(d, "date", "JT-7");
    return std::binary_search(holidays_.begin(), holidays_.end(), d);
}

bool BusinessCalendar::compute_business_day(const Date& d) const {
    if (std::binary_search(holidays_.begin(), holidays_.end(), d)) return false;
    if (!((weekend_mask_ >> d.day_of_week().as_number()) & 1u)) return true;
    return std::binary_search(working_days_.begin(), working_days_.end(), d);
}

bool BusinessCalendar::is_business_day(const Date& d) const {
    require_valid(d, "date", "JT-7");
    if (Index::covers(d)) {
        const auto i = static_cast<std::size_t>(Index::offset(d));
        return index_->cum[i + 1] != index_->cum[i];
    }
    return compute_business_day(d);
}

Date BusinessCalendar::add_business_days(const Date& d, int n) const {
    require_valid(d, "date", "JT-7");
    if (n == 0) return d;
    if (Index::covers(d)) {
        const auto i = static_cast<std::size_t>(Index::offset(d));
        const std::int64_t k = n > 0 ? std::int64_t{index_->cum[i + 1]} + n - 1 : std::int64_t{index_->cum[i]} + n;
        if (k >= 0 && k < static_cast<std::int64_t>(index_->biz.size()))
            return Index::at(index_->biz[static_cast<std::size_t>(k)]);
    }
    // Outside the index: walk day by day.
    Date cur = d;
    const int step = n > 0 ? 1 : -1;
    try {
        for (int left = n > 0 ? n : -n; left > 0;) {
            cur += bg::days(step);
            if (cur.is_special()) throw std::out_of_range("date");
            if (compute_business_day(cur)) --left;
        }
    } catch (const std::out_of_range&) {  // Boost.Date_Time ends at 1400 and 9999
        throw ValidationError("JT-7", "business_days", std::to_string(n),
                              "moves " + date_text(d) + " outside the supported years 1400-9999");
    }
    return cur;
}

int BusinessCalendar::business_days_between(const Date& from, const Date& to) const {
    require_valid(from, "from", "JT-7");
    require_valid(to, "to", "JT-7");
    // Forward: business days in (from, to]. Backward: minus those in [to, from). Both
    // make the result the inverse of add_business_days for a business day `to`.
    const bool forward = from <= to;
    if (Index::covers(from) && Index::covers(to)) {
        const auto& cum = index_->cum;
        const auto f = static_cast<std::size_t>(Index::offset(from));
        const auto t = static_cast<std::size_t>(Index::offset(to));
        return forward ? cum[t + 1] - cum[f + 1] : cum[t] - cum[f];
    }
    int count = 0;
    if (forward) {
        for (Date cur = from + bg::days(1); cur <= to; cur += bg::days(1)) count += compute_business_day(cur);
        return count;
    }
    for (Date cur = to; cur < from; cur += bg::days(1)) count += compute_business_day(cur);
    return -count;
}

Date BusinessCalendar::roll_forward(const Date& d) const {
    return is_business_day(d) ? d : add_business_days(d, 1);
}

Date BusinessCalendar::roll_backward(const Date& d) const {
    return is_business_day(d) ? d : add_business_days(d, -1);
}

DateTime BusinessCalendar::subtract_business_time(const DateTime& t, Duration amount) const {
    require_valid(t, "time", "JT-7");
    if (amount.is_special() || amount.is_negative())
        throw ValidationError("JT-7", "amount", amount.is_special() ? "not-a-time" : bp::to_simple_string(amount),
                              "must be a non-negative duration");
    if (amount == Duration(0, 0, 0)) return t;
    Date day = t.date();
    Duration tod = t.time_of_day();
    // Normalise to a point inside (or at the close of) working time.
    if (!is_business_day(day) || tod <= work_start_) {
        day = add_business_days(day, -1);
        tod = work_end_;
    } else if (tod > work_end_) {
        tod = work_end_;
    }
    Duration left = amount;
    for (;;) {
        const Duration available = tod - work_start_;
        if (left <= available) return DateTime(day, tod - left);
        left -= available;
        // Skip whole working days at once.
        const std::int64_t whole = left.ticks() / working_day().ticks();
        if (whole > 0 && left.ticks() % working_day().ticks() != 0) {
            day = add_business_days(day, -static_cast<int>(whole));
            left -= Duration(0, 0, 0, working_day().ticks() * whole);
        }
        day = add_business_days(day, -1);
        tod = work_end_;
    }
}

DateTime BusinessCalendar::add_business_time(const DateTime& t, Duration amount) const {
    require_valid(t, "time", "JT-7");
    if (amount.is_special() || amount.is_negative())
        throw ValidationError("JT-7", "amount", amount.is_special() ? "not-a-time" : bp::to_simple_string(amount),
                              "must be a non-negative duration");
    if (amount == Duration(0, 0, 0)) return t;
    Date day = t.date();
    Duration tod = t.time_of_day();
    if (!is_business_day(day) || tod >= work_end_) {
        day = add_business_days(day, 1);
        tod = work_start_;
    } else if (tod < work_start_) {
        tod = work_start_;
    }
    Duration left = amount;
    for (;;) {
        const Duration available = work_end_ - tod;
        if (left <= available) return DateTime(day, tod + left);
        left -= available;
        const std::int64_t whole = left.ticks() / working_day().ticks();
        if (whole > 0 && left.ticks() % working_day().ticks() != 0) {
            day = add_business_days(day, static_cast<int>(whole));
            left -= Duration(0, 0, 0, working_day().ticks() * whole);
        }
        day = add_business_days(day, 1);
        tod = work_start_;
    }
}

DateTime BusinessCalendar::subtract_half_business_day(const DateTime& t) const {
    return subtract_business_time(t, Duration(0, 0, 0, working_day().ticks() / 2));
}

bool operator==(const BusinessCalendar& a, const BusinessCalendar& b) noexcept {
    return a.weekend_mask_ == b.weekend_mask_ && a.holidays_ == b.holidays_ &&
           a.working_days_ == b.working_days_ && a.work_start_ == b.work_start_ && a.work_end_ == b.work_end_;
}

}  // namespace aecore
