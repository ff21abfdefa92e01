#include "aecore/decimal.hpp"

#include <array>
#include <charconv>

#include "aecore/error.hpp"

namespace aecore {

namespace {
constexpr std::array<std::int64_t, 19> kPow10 = [] {
    std::array<std::int64_t, 19> p{};
    std::int64_t v = 1;
    for (auto& x : p) {
        x = v;
        if (v <= INT64_MAX / 10) v *= 10;
    }
    return p;
}();

__extension__ typedef __int128 i128;  // GCC/Clang extension; -Wpedantic-clean

i128 scaled(std::int64_t units, int extra) { return static_cast<i128>(units) * kPow10[extra]; }
}  // namespace

std::int64_t pow10(int n) {
    if (n < 0 || n > 18) throw ValidationError("MB-1", "scale", std::to_string(n), "must be 0..18");
    return kPow10[static_cast<std::size_t>(n)];
}

Decimal Decimal::from_units(std::int64_t units, int scale) {
    if (scale < 0 || scale > kMaxScale)
        throw ValidationError("MB-1", "decimal.scale", std::to_string(scale), "must be 0..18");
    Decimal d;
    d.units_ = units;
    d.scale_ = static_cast<std::int8_t>(scale);
    return d;
}

Decimal Decimal::parse(std::string_view text, std::string_view field, std::string_view rule) {
    auto fail = [&](const char* why) -> Decimal {
        throw ValidationError(std::string(rule), std::string(field), quote(text), why);
    };
    std::size_t i = 0;
    const std::size_t n = text.size();
    bool negative = false;
    if (i < n && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
    i128 units = 0;
    int frac_digits = 0;   // digits after the point
    bool any_digit = false;
    bool seen_point = false;
    constexpr i128 kLimit = static_cast<i128>(INT64_MAX) + 1;  // |INT64_MIN|
    for (; i < n; ++i) {
        const char c = text[i];
        if (c >= '0' && c <= '9') {
            any_digit = true;
            units = units * 10 + (c - '0');
            if (units > kLimit) return fail("has too many digits for an exact 64-bit decimal");
            if (seen_point) ++frac_digits;
        } else if (c == '.' && !seen_point) {
            seen_point = true;
        } else {
            break;
        }
    }
    if (!any_digit) return fail("is not a decimal number");
    int exponent = 0;
    if (i < n && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        const char* first = text.data() + i;
        if (i < n && text[i] == '+') {
            ++first;
            if (i + 1 < n && (text[i + 1] == '-' || text[i + 1] == '+')) return fail("has a malformed exponent");
        }
        auto [ptr, ec] = std::from_chars(first, text.data() + n, exponent);
        if (ec != std::errc() || ptr == first) return fail("has a malformed exponent");
        i = static_cast<std::size_t>(ptr - text.data());
        if (exponent > 36 || exponent < -36) return fail("has an exponent out of range");
    }
    if (i != n) return fail("is not a decimal number");
    int scale = frac_digits - exponent;
    // Drop trailing zeros only when the scale is out of range.
    while (scale > kMaxScale && units % 10 == 0 && units != 0) {
        units /= 10;
        --scale;
    }
    if (units == 0 && scale > kMaxScale) scale = kMaxScale;
    if (scale > kMaxScale) return fail("has more than 18 decimal places");
    while (scale < 0) {
        units *= 10;
        if (units > kLimit) return fail("is too large for an exact 64-bit decimal");
        ++scale;
    }
    if (negative) units = -units;
    if (units > INT64_MAX || units < INT64_MIN) return fail("is too large for an exact 64-bit decimal");
    Decimal d;
    d.units_ = static_cast<std::int64_t>(units);
    d.scale_ = static_cast<std::int8_t>(scale);
    return d;
}

Decimal Decimal::normalized() const noexcept {
    Decimal d = *this;
    while (d.scale_ > 0 && d.units_ % 10 == 0) {
        d.units_ /= 10;
        --d.scale_;
    }
    if (d.units_ == 0) d.scale_ = 0;
    return d;
}

std::string Decimal::to_string() const {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, units_);
    (void)ec;
    std::string digits(buf, end);
    bool negative = false;
    if (!digits.empty() && digits.front() == '-') {
        negative = true;
        digits.erase(0, 1);
    }
    if (scale_ > 0) {
        const auto s = static_cast<std::size_t>(scale_);
        if (digits.size() <= s) digits.insert(0, s - digits.size() + 1, '0');
        digits.insert(digits.size() - s, 1, '.');
    }
    return negative ? "-" + digits : digits;
}

std::strong_ordering operator<=>(const Decimal& a, const Decimal& b) noexcept {
    const int s = a.scale_ > b.scale_ ? a.scale_ : b.scale_;
    const i128 x = scaled(a.units_, s - a.scale_);
    const i128 y = scaled(b.units_, s - b.scale_);
    return x <=> y;
}

std::strong_ordering Decimal::compare_fraction(std::int64_t num, std::int64_t den) const noexcept {
    // units / 10^scale  <=>  num / den   <=>   units * den  <=>  num * 10^scale
    // Both sides fit in 128 bits: |int64| * 10^18 < 2^127.
    const i128 lhs = static_cast<i128>(units_) * den;
    const i128 rhs = static_cast<i128>(num) * kPow10[static_cast<std::size_t>(scale_)];
    return lhs <=> rhs;
}

}  // namespace aecore
