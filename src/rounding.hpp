#pragma once
// Internal: exact division with half-even rounding, shared by every report that turns
// integer counts or minor units into a Decimal (shares, averages, DSO, scores).

#include <cstdint>

#include "aecore/decimal.hpp"
#include "aecore/error.hpp"

namespace aecore {

__extension__ typedef __int128 i128;

/// num / den rounded half to even to `places` decimals (den > 0, 0 <= places <= 18).
inline Decimal divide_half_even(i128 num, i128 den, int places) {
    i128 scale = 1;
    for (int i = 0; i < places; ++i) scale *= 10;
    const bool negative = (num < 0) != (den < 0);
    const i128 d = den < 0 ? -den : den;
    const i128 n = (num < 0 ? -num : num) * scale;
    i128 q = n / d;
    const i128 r = n % d;
    if (2 * r > d || (2 * r == d && q % 2 != 0)) ++q;
    if (q > INT64_MAX) throw ValidationError("MB-1", "ratio", "overflow", "the result does not fit 64 bits");
    return Decimal::from_units(static_cast<std::int64_t>(negative ? -q : q), places);
}

/// Hundredths of a Decimal with at most 2 decimals (a weight of 12.5 % is 1250).
inline std::int64_t to_hundredths(const Decimal& d) {
    const Decimal n = d.normalized();
    std::int64_t units = n.units();
    for (int s = n.scale(); s < 2; ++s) units *= 10;
    return units;
}

}  // namespace aecore
