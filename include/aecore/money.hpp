#pragma once
// Exact money (SPEC MB-1): a signed 64-bit count of minor units plus an ISO-4217
// currency. No floating point anywhere on a money path: arithmetic is checked for
// overflow, mixing currencies raises, multiplying by a rate rounds half to even and
// allocation splits an amount into parts that always sum to the whole.

#include <array>
#include <compare>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "aecore/decimal.hpp"

namespace aecore {

/// One row of the currency table.
struct CurrencyInfo {
    std::string_view code;  ///< ISO-4217 alphabetic code, e.g. "CNY"
    int digits;             ///< minor-unit digits (CNY 2, JPY 0, KWD 3)
    std::string_view name;  ///< English name
};

/// An ISO-4217 currency from aecore's table. Cheap to copy (4 bytes).
class Currency {
public:
    /// Looks the code up in the table; throws ValidationError (MB-1) for an unknown code.
    explicit Currency(std::string_view code);

    [[nodiscard]] std::string_view code() const noexcept { return {code_.data(), 3}; }
    [[nodiscard]] int digits() const noexcept { return digits_; }
    [[nodiscard]] std::string_view name() const noexcept;

    /// Every currency aecore knows, sorted by code.
    [[nodiscard]] static std::span<const CurrencyInfo> table() noexcept;

    friend bool operator==(const Currency& a, const Currency& b) noexcept { return a.code_ == b.code_; }
    friend auto operator<=>(const Currency& a, const Currency& b) noexcept { return a.code_ <=> b.code_; }

private:
    std::array<char, 3> code_{};
    std::uint8_t digits_ = 0;
};

class Money {
public:
    /// `minor` minor units of `currency` (Money(123456, Currency("CNY")) is CNY 1234.56).
    Money(std::int64_t minor, Currency currency) noexcept : minor_(minor), currency_(currency) {}

    [[nodiscard]] static Money zero(Currency currency) noexcept { return Money(0, currency); }
    [[nodiscard]] static Money from_minor(std::int64_t minor, std::string_view currency);
    /// Parses a decimal amount: parse("1234.56", "CNY"). More decimal places than the
    /// currency has is an error unless they are zeros ("1.50" USD ok, "1.505" USD not):
    /// parsing never rounds.
    [[nodiscard]] static Money parse(std::string_view amount, std::string_view currency);
    [[nodiscard]] static Money parse(std::string_view amount, Currency currency);
    /// The exact amount of a Decimal; throws when it has more places than the currency.
    [[nodiscard]] static Money from_decimal(const Decimal& amount, Currency currency);

    [[nodiscard]] std::int64_t minor_units() const noexcept { return minor_; }
    [[nodiscard]] Currency currency() const noexcept { return currency_; }
    [[nodiscard]] bool is_zero() const noexcept { return minor_ == 0; }
    [[nodiscard]] bool is_negative() const noexcept { return minor_ < 0; }
    [[nodiscard]] bool is_positive() const noexcept { return minor_ > 0; }

    /// The amount as an exact Decimal at the currency's scale.
    [[nodiscard]] Decimal to_decimal() const noexcept;
    /// "1234.56" — always with the currency's number of decimals.
    [[nodiscard]] std::string amount_string() const;
    /// "1234.56 CNY"
    [[nodiscard]] std::string to_string() const;
    /// "CNY 1,234.56" — grouped, for reports.
    [[nodiscard]] std::string format() const;

    Money operator-() const;
    Money operator+(const Money& other) const;
    Money operator-(const Money& other) const;
    Money& operator+=(const Money& other);
    Money& operator-=(const Money& other);
    /// Exact multiplication by an integer; overflow raises.
    Money operator*(std::int64_t factor) const;
    [[nodiscard]] Money abs() const;

    /// Multiplies by an exact rate and rounds half to even to the minor unit (MB-1).
    [[nodiscard]] Money multiply(const Decimal& rate) const;
    /// Splits into parts proportional to non-negative `weights` (largest remainder,
    /// ties to the earlier part); the parts always sum exactly to this amount.
    [[nodiscard]] std::vector<Money> allocate(std::span<const std::int64_t> weights) const;
    /// Splits into `parts` near-equal parts that sum exactly to this amount.
    [[nodiscard]] std::vector<Money> split(int parts) const;

    /// Equal when amount and currency are equal; different currencies are simply unequal.
    friend bool operator==(const Money& a, const Money& b) noexcept {
        return a.minor_ == b.minor_ && a.currency_ == b.currency_;
    }
    /// Ordering within one currency; comparing CNY with USD raises ValidationError.
    friend std::strong_ordering operator<=>(const Money& a, const Money& b);

private:
    void require_same_currency(const Money& other, std::string_view op) const;

    std::int64_t minor_;
    Currency currency_;
};

inline Money operator*(std::int64_t factor, const Money& m) { return m * factor; }

/// Sum of amounts in one currency; an empty range gives zero in `currency`.
[[nodiscard]] Money sum(std::span<const Money> amounts, Currency currency);

}  // namespace aecore
