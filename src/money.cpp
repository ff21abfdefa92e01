#include "aecore/money.hpp"

#include <algorithm>
#include <numeric>

#include "aecore/error.hpp"

namespace aecore {

namespace {

__extension__ typedef __int128 i128;  // GCC/Clang extension; -Wpedantic-clean

// ISO 4217 minor units. Sorted by code (binary search below).
constexpr std::array<CurrencyInfo, 33> kCurrencies{{
    {"AED", 2, "UAE Dirham"},        {"AUD", 2, "Australian Dollar"},
    {"BHD", 3, "Bahraini Dinar"},    {"BRL", 2, "Brazilian Real"},
    {"CAD", 2, "Canadian Dollar"},   {"CHF", 2, "Swiss Franc"},
    {"CNY", 2, "Yuan Renminbi"},     {"CZK", 2, "Czech Koruna"},
    {"DKK", 2, "Danish Krone"},      {"EUR", 2, "Euro"},
    {"GBP", 2, "Pound Sterling"},    {"HKD", 2, "Hong Kong Dollar"},
    {"IDR", 2, "Rupiah"},            {"INR", 2, "Indian Rupee"},
    {"JPY", 0, "Yen"},               {"KRW", 0, "Won"},
    {"KWD", 3, "Kuwaiti Dinar"},     {"MOP", 2, "Pataca"},
    {"MXN", 2, "Mexican Peso"},      {"MYR", 2, "Malaysian Ringgit"},
    {"NOK", 2, "Norwegian Krone"},   {"NZD", 2, "New Zealand Dollar"},
    {"PHP", 2, "Philippine Peso"},   {"PLN", 2, "Zloty"},
    {"RUB", 2, "Russian Ruble"},     {"SAR", 2, "Saudi Riyal"},
    {"SEK", 2, "Swedish Krona"},     {"SGD", 2, "Singapore Dollar"},
    {"THB", 2, "Baht"},              {"TWD", 2, "New Taiwan Dollar"},
    {"USD", 2, "US Dollar"},         {"VND", 0, "Dong"},
    {"ZAR", 2, "Rand"},
}};

const CurrencyInfo* find_currency(std::string_view code) noexcept {
    auto it = std::lower_bound(kCurrencies.begin(), kCurrencies.end(), code,
                               [](const CurrencyInfo& c, std::string_view k) { return c.code < k; });
    return (it != kCurrencies.end() && it->code == code) ? &*it : nullptr;
}

[[noreturn]] void overflow(const char* op, const Money& a, const std::string& b) {
    throw ValidationError("MB-1", "money", b.empty() ? std::string(op) + " " + a.to_string() : a.to_string() + " " + op + " " + b,
                          "overflows the exact 64-bit range of minor units");
}

std::int64_t checked_narrow(i128 v, const char* op, const Money& a, const std::string& b) {
    if (v > INT64_MAX || v < INT64_MIN) overflow(op, a, b);
    return static_cast<std::int64_t>(v);
}

}  // namespace

// ---------------------------------------------------------------- Currency

Currency::Currency(std::string_view code) {
    const CurrencyInfo* info = find_currency(code);
    if (info == nullptr)
        throw ValidationError("MB-1", "currency", quote(code),
                              "unknown ISO-4217 currency code (see aecore.currencies())");
    std::copy_n(info->code.begin(), 3, code_.begin());
    digits_ = static_cast<std::uint8_t>(info->digits);
}

std::string_view Currency::name() const noexcept {
    const CurrencyInfo* info = find_currency(code());
    return info ? info->name : std::string_view{};
}

std::span<const CurrencyInfo> Currency::table() noexcept { return kCurrencies; }

// ---------------------------------------------------------------- Money

Money Money::from_minor(std::int64_t minor, std::string_view currency) {
    return Money(minor, Currency(currency));
}

Money Money::parse(std::string_view amount, std::string_view currency) {
    return parse(amount, Currency(currency));
}

Money Money::parse(std::string_view amount, Currency currency) {
    return from_decimal(Decimal::parse(amount, "money.amount", "MB-1"), currency);
}

Money Money::from_decimal(const Decimal& amount, Currency currency) {
    const int digits = currency.digits();
    Decimal d = amount;
    if (d.scale() > digits) d = d.normalized();
    if (d.scale() > digits)
        throw ValidationError("MB-1", "money.amount", d.to_string(),
                              "has more decimal places than " + std::string(currency.code()) +
                                  " allows (" + std::to_string(digits) +
                                  "); round explicitly, money is never rounded silently");
    const i128 minor = static_cast<i128>(d.units()) * pow10(digits - d.scale());
    if (minor > INT64_MAX || minor < INT64_MIN)
        throw ValidationError("MB-1", "money.amount", d.to_string(),
                              "overflows the exact 64-bit range of minor units");
    return Money(static_cast<std::int64_t>(minor), currency);
}

Decimal Money::to_decimal() const noexcept { return Decimal::from_units(minor_, currency_.digits()); }

std::string Money::amount_string() const { return to_decimal().to_string(); }

std::string Money::to_string() const { return amount_string() + " " + std::string(currency_.code()); }

std::string Money::format() const {
    std::string amount = amount_string();
    const bool negative = !amount.empty() && amount.front() == '-';
    if (negative) amount.erase(0, 1);
    std::size_t int_end = amount.find('.');
    if (int_end == std::string::npos) int_end = amount.size();
    for (std::size_t i = int_end; i > 3; i -= 3) amount.insert(i - 3, 1, ',');
    return std::string(currency_.code()) + " " + (negative ? "-" : "") + amount;
}

void Money::require_same_currency(const Money& other, std::string_view op) const {
    if (currency_ != other.currency_)
        throw ValidationError("MB-1", "money.currency",
                              std::string(currency_.code()) + " " + std::string(op) + " " +
                                  std::string(other.currency_.code()),
                              "cannot mix currencies; convert explicitly first");
}

Money Money::operator-() const {
    if (minor_ == INT64_MIN) overflow("negate", *this, "");
    return Money(-minor_, currency_);
}

Money Money::operator+(const Money& other) const {
    require_same_currency(other, "+");
    std::int64_t out;
    if (__builtin_add_overflow(minor_, other.minor_, &out)) overflow("+", *this, other.to_string());
    return Money(out, currency_);
}

Money Money::operator-(const Money& other) const {
    require_same_currency(other, "-");
    std::int64_t out;
    if (__builtin_sub_overflow(minor_, other.minor_, &out)) overflow("-", *this, other.to_string());
    return Money(out, currency_);
}

Money& Money::operator+=(const Money& other) { return *this = *this + other; }
Money& Money::operator-=(const Money& other) { return *this = *this - other; }

Money Money::operator*(std::int64_t factor) const {
    std::int64_t out;
    if (__builtin_mul_overflow(minor_, factor, &out)) overflow("*", *this, std::to_string(factor));
    return Money(out, currency_);
}

Money Money::abs() const { return minor_ < 0 ? -*this : *this; }

Money Money::multiply(const Decimal& rate) const {
    const i128 product = static_cast<i128>(minor_) * rate.units();
    const i128 divisor = pow10(rate.scale());
    i128 q = product / divisor;
    const i128 r = product % divisor;  // same sign as product
    const i128 twice = (r < 0 ? -r : r) * 2;
    if (twice > divisor || (twice == divisor && (q % 2 != 0))) q += (product < 0 ? -1 : 1);
    return Money(checked_narrow(q, "*", *this, rate.to_string()), currency_);
}

std::vector<Money> Money::allocate(std::span<const std::int64_t> weights) const {
    if (weights.empty())
        throw ValidationError("MB-1", "allocate.weights", "[]", "needs at least one weight");
    i128 total = 0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        if (weights[i] < 0)
            throw ValidationError("MB-1", "allocate.weights[" + std::to_string(i) + "]",
                                  std::to_string(weights[i]), "weights must not be negative");
        total += weights[i];
    }
    if (total == 0)
        throw ValidationError("MB-1", "allocate.weights", "0", "weights must not all be zero");
    // Allocate the magnitude, then restore the sign, so that negative amounts split
    // symmetrically with positive ones.
    const i128 whole = minor_ < 0 ? -static_cast<i128>(minor_) : static_cast<i128>(minor_);
    std::vector<i128> parts(weights.size());
    std::vector<std::pair<i128, std::size_t>> remainders;
    remainders.reserve(weights.size());
    i128 assigned = 0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        const i128 num = whole * weights[i];
        parts[i] = num / total;
        assigned += parts[i];
        remainders.emplace_back(num % total, i);
    }
    // Largest remainder first; equal remainders go to the earlier part.
    std::stable_sort(remainders.begin(), remainders.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    for (i128 left = whole - assigned, k = 0; left > 0; --left, ++k)
        ++parts[remainders[static_cast<std::size_t>(k)].second];
    std::vector<Money> out;
    out.reserve(parts.size());
    for (i128 p : parts) out.emplace_back(static_cast<std::int64_t>(minor_ < 0 ? -p : p), currency_);
    return out;
}

std::vector<Money> Money::split(int parts) const {
    if (parts <= 0)
        throw ValidationError("MB-1", "split.parts", std::to_string(parts), "must be at least 1");
    std::vector<std::int64_t> weights(static_cast<std::size_t>(parts), 1);
    return allocate(weights);
}

std::strong_ordering operator<=>(const Money& a, const Money& b) {
    a.require_same_currency(b, "<=>");
    return a.minor_ <=> b.minor_;
}

Money sum(std::span<const Money> amounts, Currency currency) {
    Money total = Money::zero(currency);
    for (const Money& m : amounts) total += m;
    return total;
}

}  // namespace aecore
