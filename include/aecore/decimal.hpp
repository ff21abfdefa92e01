#pragma once
// An exact decimal number: a 64-bit integer of units at a power-of-ten scale,
// value = units × 10^-scale. Used for rates, percentages, hours and score bands,
// everywhere SPEC.md needs a fraction without floating point (MB-1).

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

namespace aecore {

class Decimal {
public:
    static constexpr int kMaxScale = 18;

    constexpr Decimal() noexcept = default;
    /// An integer value, scale 0.
    constexpr explicit Decimal(std::int64_t integer) noexcept : units_(integer) {}

    /// units × 10^-scale; scale must be 0..18.
    [[nodiscard]] static Decimal from_units(std::int64_t units, int scale);
    /// Parses "12", "-0.5", "1.250", "1e-3", "2.5E+2". The scale is kept as written
    /// ("0.50" has scale 2), so printing reproduces the text. Throws ValidationError
    /// naming `field` and `rule` when the text is not a number or does not fit.
    [[nodiscard]] static Decimal parse(std::string_view text, std::string_view field = "decimal",
                                       std::string_view rule = "MB-1");

    [[nodiscard]] constexpr std::int64_t units() const noexcept { return units_; }
    [[nodiscard]] constexpr int scale() const noexcept { return scale_; }
    [[nodiscard]] constexpr bool is_zero() const noexcept { return units_ == 0; }
    [[nodiscard]] constexpr bool is_negative() const noexcept { return units_ < 0; }

    /// The same value with trailing fractional zeros removed ("1.500" -> "1.5").
    [[nodiscard]] Decimal normalized() const noexcept;
    /// Plain decimal notation at the number's own scale: "0.50", "-12", "0.001".
    [[nodiscard]] std::string to_string() const;

    /// Exact comparison by value: Decimal::parse("0.5") == Decimal::parse("0.50").
    friend std::strong_ordering operator<=>(const Decimal& a, const Decimal& b) noexcept;
    friend bool operator==(const Decimal& a, const Decimal& b) noexcept {
        return (a <=> b) == std::strong_ordering::equal;
    }

    /// Compares this value with the fraction num/den (den > 0) exactly.
    [[nodiscard]] std::strong_ordering compare_fraction(std::int64_t num, std::int64_t den) const noexcept;

private:
    std::int64_t units_ = 0;
    std::int8_t scale_ = 0;
};

/// 10^n for n in 0..18.
[[nodiscard]] std::int64_t pow10(int n);

}  // namespace aecore
