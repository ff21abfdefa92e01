// Money and Currency (SPEC MB-1): exact minor units, no silent rounding, overflow
// detection, currency mixing raises, half-even multiplication, exact allocation.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "aecore/error.hpp"
#include "aecore/money.hpp"

namespace {

using aecore::Currency;
using aecore::Decimal;
using aecore::Money;
using aecore::ValidationError;

constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();

Money cny(std::string_view amount) { return Money::parse(amount, "CNY"); }
Money usd(std::string_view amount) { return Money::parse(amount, "USD"); }

std::vector<std::string> amounts(const std::vector<Money>& parts) {
    std::vector<std::string> out;
    for (const Money& m : parts) out.push_back(m.amount_string());
    return out;
}

std::int64_t total_minor(const std::vector<Money>& parts) {
    std::int64_t total = 0;
    for (const Money& m : parts) total += m.minor_units();
    return total;
}

// ---------------------------------------------------------------- Currency

struct CurrencyCase {
    const char* code;
    int digits;
};

class CurrencyDigits : public ::testing::TestWithParam<CurrencyCase> {};

TEST_P(CurrencyDigits, HasIso4217MinorUnits) {
    const Currency c(GetParam().code);
    EXPECT_EQ(c.code(), GetParam().code);
    EXPECT_EQ(c.digits(), GetParam().digits);
    EXPECT_FALSE(c.name().empty());
}

INSTANTIATE_TEST_SUITE_P(Table, CurrencyDigits,
                         ::testing::Values(CurrencyCase{"CNY", 2}, CurrencyCase{"HKD", 2}, CurrencyCase{"TWD", 2},
                                           CurrencyCase{"USD", 2}, CurrencyCase{"EUR", 2}, CurrencyCase{"GBP", 2},
                                           CurrencyCase{"JPY", 0}, CurrencyCase{"KWD", 3}),
                         [](const auto& info) { return std::string(info.param.code); });

TEST(Currency, UnknownCodeThrowsValidationErrorNamingTheCode) {
    for (const char* code : {"XYZ", "cny", "CN", "CNYY", "", "US D"}) {
        try {
            (void)Currency(code);
            ADD_FAILURE() << "Currency(\"" << code << "\") did not throw";
        } catch (const ValidationError& e) {
            EXPECT_EQ(e.rule(), "MB-1");
            EXPECT_EQ(e.field(), "currency");
            EXPECT_NE(std::string(e.what()).find("[MB-1]"), std::string::npos) << e.what();
            EXPECT_NE(std::string(e.what()).find(std::string("\"") + code + "\""), std::string::npos) << e.what();
        }
    }
}

TEST(Currency, TableIsSortedUniqueAndEveryEntryConstructs) {
    const auto table = Currency::table();
    ASSERT_FALSE(table.empty());
    for (std::size_t i = 1; i < table.size(); ++i) EXPECT_LT(table[i - 1].code, table[i].code);
    for (const auto& info : table) {
        const Currency c(info.code);
        EXPECT_EQ(c.code(), info.code);
        EXPECT_EQ(c.digits(), info.digits);
        EXPECT_EQ(c.name(), info.name);
    }
}

TEST(Currency, EqualityAndOrderingByCode) {
    EXPECT_EQ(Currency("CNY"), Currency("CNY"));
    EXPECT_NE(Currency("CNY"), Currency("USD"));
    EXPECT_LT(Currency("CNY"), Currency("USD"));
}

// ---------------------------------------------------------------- parse / print

struct ParseCase {
    const char* text;
    const char* currency;
    std::int64_t minor;
    const char* amount;     // amount_string()
    const char* formatted;  // format()
};

class MoneyParse : public ::testing::TestWithParam<ParseCase> {};

TEST_P(MoneyParse, ParsesExactlyAndPrints) {
    const ParseCase& c = GetParam();
    const Money m = Money::parse(c.text, c.currency);
    EXPECT_EQ(m.minor_units(), c.minor);
    EXPECT_EQ(m.currency(), Currency(c.currency));
    EXPECT_EQ(m.amount_string(), c.amount);
    EXPECT_EQ(m.to_string(), std::string(c.amount) + " " + c.currency);
    EXPECT_EQ(m.format(), c.formatted);
}

INSTANTIATE_TEST_SUITE_P(
    Table, MoneyParse,
    ::testing::Values(ParseCase{"1234.56", "CNY", 123456, "1234.56", "CNY 1,234.56"},
                      ParseCase{"0", "CNY", 0, "0.00", "CNY 0.00"},
                      ParseCase{"0.05", "CNY", 5, "0.05", "CNY 0.05"},
                      ParseCase{"-0.05", "CNY", -5, "-0.05", "CNY -0.05"},
                      ParseCase{"999.99", "HKD", 99999, "999.99", "HKD 999.99"},
                      ParseCase{"1000", "TWD", 100000, "1000.00", "TWD 1,000.00"},
                      ParseCase{"1.50", "USD", 150, "1.50", "USD 1.50"},
                      ParseCase{"1.5", "USD", 150, "1.50", "USD 1.50"},
                      ParseCase{"1.500000", "USD", 150, "1.50", "USD 1.50"},
                      ParseCase{"-1234567.8", "EUR", -123456780, "-1234567.80", "EUR -1,234,567.80"},
                      ParseCase{"123456789012.34", "GBP", 12345678901234, "123456789012.34",
                                "GBP 123,456,789,012.34"},
                      ParseCase{"100", "JPY", 100, "100", "JPY 100"},
                      ParseCase{"100.0", "JPY", 100, "100", "JPY 100"},
                      ParseCase{"-1234567", "JPY", -1234567, "-1234567", "JPY -1,234,567"},
                      ParseCase{"1.5e3", "CNY", 150000, "1500.00", "CNY 1,500.00"},
                      ParseCase{"92233720368547758.07", "CNY", kMax, "92233720368547758.07",
                                "CNY 92,233,720,368,547,758.07"},
                      ParseCase{"-92233720368547758.08", "CNY", kMin, "-92233720368547758.08",
                                "CNY -92,233,720,368,547,758.08"}));

TEST(MoneyParseErrors, RefusesExtraNonZeroDecimalsInsteadOfRounding) {
    EXPECT_THROW((void)Money::parse("1.505", "USD"), ValidationError);
    EXPECT_THROW((void)Money::parse("0.001", "CNY"), ValidationError);
    EXPECT_THROW((void)Money::parse("100.5", "JPY"), ValidationError);
    EXPECT_THROW((void)Money::parse("1.0001", "KWD"), ValidationError);
    try {
        (void)Money::parse("1.505", "USD");
        FAIL() << "expected ValidationError";
    } catch (const ValidationError& e) {
        const std::string what = e.what();
        EXPECT_EQ(e.field(), "money.amount");
        EXPECT_NE(what.find("1.505"), std::string::npos) << what;
        EXPECT_NE(what.find("USD"), std::string::npos) << what;
        EXPECT_NE(what.find("[MB-1]"), std::string::npos) << what;
    }
}

TEST(MoneyParseErrors, RefusesMalformedTextAndUnknownCurrency) {
    for (const char* bad : {"", "abc", "1,000.00", "1.2.3", "$5", "1e", "--1", " 1"}) {
        EXPECT_THROW((void)Money::parse(bad, "CNY"), ValidationError) << '"' << bad << '"';
    }
    EXPECT_THROW((void)Money::parse("1.00", "XXX"), ValidationError);
}

TEST(MoneyParseErrors, RefusesAmountsOutsideTheInt64MinorRange) {
    EXPECT_THROW((void)Money::parse("92233720368547758.08", "CNY"), ValidationError);
    EXPECT_THROW((void)Money::parse("92233720368547759", "CNY"), ValidationError);
    EXPECT_THROW((void)Money::parse("-92233720368547758.09", "CNY"), ValidationError);
    EXPECT_NO_THROW((void)Money::parse("9223372036854775807", "JPY"));
}

TEST(Money, FromMinorAndFromDecimalAndToDecimal) {
    EXPECT_EQ(Money::from_minor(123456, "CNY"), cny("1234.56"));
    EXPECT_EQ(Money(5, Currency("JPY")).amount_string(), "5");
    EXPECT_EQ(Money::from_decimal(Decimal::parse("2.5"), Currency("USD")), usd("2.50"));
    EXPECT_THROW((void)Money::from_decimal(Decimal::parse("2.555"), Currency("USD")), ValidationError);
    const Decimal d = cny("-12.30").to_decimal();
    EXPECT_EQ(d.units(), -1230);
    EXPECT_EQ(d.scale(), 2);
    EXPECT_EQ(Money::zero(Currency("EUR")).to_string(), "0.00 EUR");
}

TEST(Money, SignPredicates) {
    EXPECT_TRUE(cny("0").is_zero());
    EXPECT_TRUE(cny("-0.01").is_negative());
    EXPECT_FALSE(cny("-0.01").is_positive());
    EXPECT_TRUE(cny("0.01").is_positive());
    EXPECT_FALSE(cny("0.00").is_negative());
}

// ---------------------------------------------------------------- arithmetic

TEST(MoneyArithmetic, AddSubtractNegateMultiply) {
    EXPECT_EQ(cny("1.10") + cny("2.25"), cny("3.35"));
    EXPECT_EQ(cny("1.10") - cny("2.25"), cny("-1.15"));
    EXPECT_EQ(-cny("1.10"), cny("-1.10"));
    EXPECT_EQ(-cny("0"), cny("0"));
    EXPECT_EQ(cny("1.10") * 3, cny("3.30"));
    EXPECT_EQ(3 * cny("1.10"), cny("3.30"));
    EXPECT_EQ(cny("1.10") * -2, cny("-2.20"));
    EXPECT_EQ(cny("-7.01").abs(), cny("7.01"));
    Money m = cny("10");
    m += cny("0.50");
    EXPECT_EQ(m, cny("10.50"));
    m -= cny("20");
    EXPECT_EQ(m, cny("-9.50"));
    const std::vector<Money> items{cny("1"), cny("2.50"), cny("-0.25")};
    EXPECT_EQ(aecore::sum(items, Currency("CNY")), cny("3.25"));
    EXPECT_EQ(aecore::sum({}, Currency("JPY")), Money::zero(Currency("JPY")));
}

TEST(MoneyArithmetic, OverflowIsDetectedAndRaises) {
    const Money max(kMax, Currency("CNY"));
    const Money min(kMin, Currency("CNY"));
    const Money one_minor(1, Currency("CNY"));
    EXPECT_THROW((void)(max + one_minor), ValidationError);
    EXPECT_THROW((void)(min - one_minor), ValidationError);
    EXPECT_THROW((void)(-min), ValidationError);
    EXPECT_THROW((void)min.abs(), ValidationError);
    EXPECT_THROW((void)(max * 2), ValidationError);
    EXPECT_THROW((void)(min * -1), ValidationError);
    EXPECT_THROW((void)max.multiply(Decimal::parse("1.01")), ValidationError);
    Money acc = max;
    EXPECT_THROW(acc += one_minor, ValidationError);
    EXPECT_EQ(acc, max) << "a failed += must leave the operand unchanged";
    // The edges themselves are fine.
    EXPECT_EQ((max - one_minor) + one_minor, max);
    EXPECT_EQ(-max, Money(kMin + 1, Currency("CNY")));
    try {
        (void)(max + one_minor);
    } catch (const ValidationError& e) {
        EXPECT_EQ(e.rule(), "MB-1");
        EXPECT_NE(std::string(e.what()).find("overflow"), std::string::npos) << e.what();
    }
}

TEST(MoneyArithmetic, MixingCurrenciesRaises) {
    const Money a = cny("1.00");
    const Money b = usd("1.00");
    EXPECT_THROW((void)(a + b), ValidationError);
    EXPECT_THROW((void)(a - b), ValidationError);
    EXPECT_THROW((void)(a < b), ValidationError);
    EXPECT_THROW((void)(a >= b), ValidationError);
    EXPECT_THROW((void)aecore::sum(std::vector<Money>{a, b}, Currency("CNY")), ValidationError);
    EXPECT_THROW((void)aecore::sum(std::vector<Money>{a}, Currency("USD")), ValidationError);
    try {
        (void)(a + b);
    } catch (const ValidationError& e) {
        const std::string what = e.what();
        EXPECT_EQ(e.field(), "money.currency");
        EXPECT_NE(what.find("CNY"), std::string::npos) << what;
        EXPECT_NE(what.find("USD"), std::string::npos) << what;
        EXPECT_NE(what.find("[MB-1]"), std::string::npos) << what;
    }
}

TEST(MoneyArithmetic, EqualityAcrossCurrenciesIsFalseNotAnError) {
    EXPECT_FALSE(cny("1.00") == usd("1.00"));
    EXPECT_TRUE(cny("1.00") != usd("1.00"));
    EXPECT_FALSE(Money::parse("100", "JPY") == Money(100, Currency("CNY")));
}

TEST(MoneyArithmetic, OrderingWithinOneCurrency) {
    EXPECT_LT(cny("1.00"), cny("1.01"));
    EXPECT_LT(cny("-5"), cny("0"));
    EXPECT_GE(cny("2"), cny("2.00"));
    EXPECT_EQ(cny("2") <=> cny("2.00"), std::strong_ordering::equal);
}

// ---------------------------------------------------------------- multiply

struct MultiplyCase {
    const char* amount;
    const char* rate;
    const char* expected;
};

class MoneyMultiply : public ::testing::TestWithParam<MultiplyCase> {};

TEST_P(MoneyMultiply, RoundsHalfToEven) {
    const MultiplyCase& c = GetParam();
    EXPECT_EQ(usd(c.amount).multiply(Decimal::parse(c.rate)).amount_string(), c.expected)
        << c.amount << " x " << c.rate;
}

INSTANTIATE_TEST_SUITE_P(
    HalfEven, MoneyMultiply,
    ::testing::Values(
        // exact ties go to the even cent
        MultiplyCase{"1.00", "0.125", "0.12"}, MultiplyCase{"1.00", "0.135", "0.14"},
        MultiplyCase{"1.00", "0.145", "0.14"}, MultiplyCase{"1.00", "0.155", "0.16"},
        MultiplyCase{"1.00", "0.005", "0.00"}, MultiplyCase{"1.00", "0.015", "0.02"},
        MultiplyCase{"0.01", "0.5", "0.00"}, MultiplyCase{"0.03", "0.5", "0.02"},
        MultiplyCase{"2.50", "0.5", "1.25"},
        // negatives are symmetric
        MultiplyCase{"-1.00", "0.125", "-0.12"}, MultiplyCase{"-1.00", "0.135", "-0.14"},
        MultiplyCase{"1.00", "-0.125", "-0.12"}, MultiplyCase{"-1.00", "-0.135", "0.14"},
        MultiplyCase{"-0.01", "0.5", "0.00"}, MultiplyCase{"-0.03", "0.5", "-0.02"},
        // not a tie: ordinary rounding
        MultiplyCase{"1.00", "0.1251", "0.13"}, MultiplyCase{"1.00", "0.1249", "0.12"},
        MultiplyCase{"-1.00", "0.1251", "-0.13"}, MultiplyCase{"1.00", "0.006", "0.01"},
        MultiplyCase{"-1.00", "0.006", "-0.01"},
        // exact products, integer rates, scale 0 and scale 18
        MultiplyCase{"123.45", "1", "123.45"}, MultiplyCase{"123.45", "0", "0.00"},
        MultiplyCase{"100.00", "0.17", "17.00"}, MultiplyCase{"10.00", "1.000000000000000001", "10.00"},
        MultiplyCase{"1000.00", "2.5E-3", "2.50"}));

TEST(MoneyMultiplyJpy, RoundsToWholeYenHalfEven) {
    const Money yen = Money::parse("5", "JPY");
    EXPECT_EQ(yen.multiply(Decimal::parse("0.5")).amount_string(), "2");   // 2.5 -> 2
    EXPECT_EQ(yen.multiply(Decimal::parse("0.7")).amount_string(), "4");   // 3.5 -> 4
    EXPECT_EQ((-yen).multiply(Decimal::parse("0.5")).amount_string(), "-2");
    EXPECT_EQ(yen.multiply(Decimal::parse("0.5")).currency(), Currency("JPY"));
}

// ---------------------------------------------------------------- allocate / split

TEST(MoneyAllocate, SplitThreeWaysGivesTheExtraCentToTheFirstPart) {
    EXPECT_EQ(amounts(cny("100.00").split(3)), (std::vector<std::string>{"33.34", "33.33", "33.33"}));
    EXPECT_EQ(amounts(cny("-100.00").split(3)), (std::vector<std::string>{"-33.34", "-33.33", "-33.33"}));
    EXPECT_EQ(amounts(cny("0.02").split(3)), (std::vector<std::string>{"0.01", "0.01", "0.00"}));
    EXPECT_EQ(amounts(cny("7.00").split(1)), (std::vector<std::string>{"7.00"}));
    EXPECT_THROW((void)cny("1").split(0), ValidationError);
    EXPECT_THROW((void)cny("1").split(-2), ValidationError);
}

struct AllocateCase {
    const char* amount;
    std::vector<std::int64_t> weights;
    std::vector<std::string> expected;
};

class MoneyAllocateTable : public ::testing::TestWithParam<AllocateCase> {};

TEST_P(MoneyAllocateTable, LargestRemainderTiesToEarlierPart) {
    const AllocateCase& c = GetParam();
    const Money whole = cny(c.amount);
    const auto parts = whole.allocate(c.weights);
    EXPECT_EQ(amounts(parts), c.expected);
    EXPECT_EQ(total_minor(parts), whole.minor_units());
    for (const Money& p : parts) EXPECT_EQ(p.currency(), whole.currency());
}

INSTANTIATE_TEST_SUITE_P(
    Table, MoneyAllocateTable,
    ::testing::Values(
        // 10.00 by 1:1:1 -> 333.33.. each; one extra cent to the first
        AllocateCase{"10.00", {1, 1, 1}, {"3.34", "3.33", "3.33"}},
        // 7 cents by 2:3 -> 2.8 and 4.2: the larger remainder (first part) takes the cent
        AllocateCase{"0.07", {2, 3}, {"0.03", "0.04"}},
        // 1 cent by 2:3 -> 0.4 and 0.6: the larger remainder wins even though it is later
        AllocateCase{"0.01", {2, 3}, {"0.00", "0.01"}},
        // ties between equal remainders go to the earlier parts
        AllocateCase{"0.02", {1, 1, 1, 1}, {"0.01", "0.01", "0.00", "0.00"}},
        AllocateCase{"0.03", {1, 2, 1, 2}, {"0.01", "0.01", "0.00", "0.01"}},
        // 70/30 exact
        AllocateCase{"100.00", {70, 30}, {"70.00", "30.00"}},
        // a zero weight gets nothing, never a leftover cent
        AllocateCase{"0.05", {0, 1, 1}, {"0.00", "0.03", "0.02"}},
        AllocateCase{"1.00", {1, 0, 0}, {"1.00", "0.00", "0.00"}},
        // negative amounts mirror positive ones
        AllocateCase{"-10.00", {1, 1, 1}, {"-3.34", "-3.33", "-3.33"}},
        AllocateCase{"-0.05", {2, 3}, {"-0.02", "-0.03"}},
        AllocateCase{"0.00", {1, 2}, {"0.00", "0.00"}}));

TEST(MoneyAllocate, RejectsBadWeights) {
    const Money m = cny("10.00");
    EXPECT_THROW((void)m.allocate(std::vector<std::int64_t>{}), ValidationError);
    EXPECT_THROW((void)m.allocate(std::vector<std::int64_t>{0}), ValidationError);
    EXPECT_THROW((void)m.allocate(std::vector<std::int64_t>{0, 0, 0}), ValidationError);
    EXPECT_THROW((void)m.allocate(std::vector<std::int64_t>{1, -1}), ValidationError);
    EXPECT_THROW((void)m.allocate(std::vector<std::int64_t>{-3}), ValidationError);
    try {
        (void)m.allocate(std::vector<std::int64_t>{2, -1});
        FAIL() << "expected ValidationError";
    } catch (const ValidationError& e) {
        EXPECT_EQ(e.field(), "allocate.weights[1]");
        EXPECT_NE(std::string(e.what()).find("[MB-1]"), std::string::npos) << e.what();
    }
}

TEST(MoneyAllocate, ExtremeAmountsAndWeightsStayExact) {
    const Money max(kMax, Currency("CNY"));
    const Money min(kMin, Currency("CNY"));
    const std::vector<std::int64_t> weights{kMax, kMax, 1};
    EXPECT_EQ(total_minor(max.allocate(weights)), kMax);
    const auto parts = min.allocate(std::vector<std::int64_t>{1, 1});
    ASSERT_EQ(parts.size(), 2u);
    EXPECT_EQ(parts[0].minor_units(), kMin / 2);
    EXPECT_EQ(parts[1].minor_units(), kMin / 2);
}

// Property: for random amounts and weights, the parts always sum exactly to the whole,
// each part is within one minor unit of its exact share, and zero weights get zero.
TEST(MoneyAllocate, PropertyPartsAlwaysSumExactly) {
    std::mt19937_64 rng(20260516);
    std::uniform_int_distribution<int> count_dist(1, 12);
    std::uniform_int_distribution<int> magnitude_dist(0, 3);
    const std::int64_t magnitudes[] = {1000, 1'000'000, 1'000'000'000'000, kMax};
    for (int iter = 0; iter < 5000; ++iter) {
        const std::int64_t limit = magnitudes[magnitude_dist(rng)];
        const std::int64_t minor = std::uniform_int_distribution<std::int64_t>(-limit, limit)(rng);
        const int n = count_dist(rng);
        const std::int64_t wlimit = magnitudes[magnitude_dist(rng)];
        std::vector<std::int64_t> weights(static_cast<std::size_t>(n));
        for (auto& w : weights) w = (rng() % 5 == 0) ? 0 : std::uniform_int_distribution<std::int64_t>(0, wlimit)(rng);
        if (std::all_of(weights.begin(), weights.end(), [](std::int64_t w) { return w == 0; })) weights[0] = 1;

        const Money whole(minor, Currency("CNY"));
        const auto parts = whole.allocate(weights);
        ASSERT_EQ(parts.size(), weights.size());

        __extension__ typedef __int128 i128;
        i128 sum = 0;
        i128 wsum = 0;
        for (auto w : weights) wsum += w;
        for (std::size_t i = 0; i < parts.size(); ++i) {
            sum += parts[i].minor_units();
            // |part| is floor or ceil of |whole| * w / W, with the sign of the whole
            const i128 mag = minor < 0 ? -static_cast<i128>(minor) : static_cast<i128>(minor);
            const i128 floor_share = mag * weights[i] / wsum;
            const i128 got = parts[i].minor_units() < 0 ? -static_cast<i128>(parts[i].minor_units())
                                                         : static_cast<i128>(parts[i].minor_units());
            ASSERT_TRUE(got == floor_share || got == floor_share + 1)
                << "iteration " << iter << " part " << i << " amount " << minor;
            if (weights[i] == 0) {
                ASSERT_EQ(parts[i].minor_units(), 0) << "iteration " << iter;
            }
            if (parts[i].minor_units() != 0) {
                ASSERT_EQ(parts[i].is_negative(), minor < 0) << "iteration " << iter;
            }
        }
        ASSERT_TRUE(sum == static_cast<i128>(minor)) << "iteration " << iter << " amount " << minor;
    }
}

}  // namespace
