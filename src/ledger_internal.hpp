#pragma once
// Internal helpers shared by the ledger and the money reports.

#include <cstdint>
#include <string>
#include <string_view>

#include "aecore/calendar.hpp"
#include "aecore/error.hpp"

namespace aecore {

/// The date of a Boost day number (as stored in ledger rows).
inline Date day_date(std::int32_t day) { return Date(Date::date_int_type(static_cast<std::uint32_t>(day))); }

/// Month key of a day number: year * 12 + month - 1.
inline std::int32_t month_key(const Date& d) {
    return static_cast<std::int32_t>(d.year()) * 12 + static_cast<std::int32_t>(d.month()) - 1;
}

/// a + b, or a ValidationError (MB-1) naming `field` when the sum leaves int64.
inline std::int64_t checked_add(std::int64_t a, std::int64_t b, std::string_view field) {
    std::int64_t r = 0;
    if (__builtin_add_overflow(a, b, &r))
        throw ValidationError("MB-1", std::string(field), std::to_string(a) + " + " + std::to_string(b),
                              "the sum overflows 64-bit minor units");
    return r;
}

inline std::int64_t checked_sub(std::int64_t a, std::int64_t b, std::string_view field) {
    std::int64_t r = 0;
    if (__builtin_sub_overflow(a, b, &r))
        throw ValidationError("MB-1", std::string(field), std::to_string(a) + " - " + std::to_string(b),
                              "the difference overflows 64-bit minor units");
    return r;
}

}  // namespace aecore
