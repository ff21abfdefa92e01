// Decimal: exact fixed-point numbers used for rates, shares and score bands (MB-1).

#include <gtest/gtest.h>

#include <compare>
#include <cstdint>
#include <limits>
#include <string>

#include "aecore/decimal.hpp"
#include "aecore/error.hpp"

namespace {

using aecore::Decimal;
using aecore::ValidationError;

// ---------------------------------------------------------------- parse

struct ParseCase {
    const char* text;
    std::int64_t units;
    int scale;
    const char* printed;
};

class DecimalParse : public ::testing::TestWithParam<ParseCase> {};

TEST_P(DecimalParse, KeepsTheWrittenScale) {
    const ParseCase& c = GetParam();
    const Decimal d = Decimal::parse(c.text);
    EXPECT_EQ(d.units(), c.units) << c.text;
    EXPECT_EQ(d.scale(), c.scale) << c.text;
    EXPECT_EQ(d.to_string(), c.printed) << c.text;
}

INSTANTIATE_TEST_SUITE_P(
    Forms, DecimalParse,
    ::testing::Values(ParseCase{"12", 12, 0, "12"}, ParseCase{"-0.5", -5, 1, "-0.5"},
                      ParseCase{"1.250", 1250, 3, "1.250"}, ParseCase{"0.50", 50, 2, "0.50"},
                      ParseCase{"+7", 7, 0, "7"}, ParseCase{"-0", 0, 0, "0"}, ParseCase{"0.000", 0, 3, "0.000"},
                      ParseCase{"007.10", 710, 2, "7.10"},
                      // exponents
                      ParseCase{"1e-3", 1, 3, "0.001"}, ParseCase{"2.5E+2", 250, 0, "250"},
                      ParseCase{"1E2", 100, 0, "100"}, ParseCase{"12e-1", 12, 1, "1.2"},
                      ParseCase{"-1.5e1", -15, 0, "-15"}, ParseCase{"1.25e0", 125, 2, "1.25"},
                      // the int64 range and the 18-digit scale limit
                      ParseCase{"9223372036854775807", std::numeric_limits<std::int64_t>::max(), 0,
                                "9223372036854775807"},
                      ParseCase{"-9223372036854775808", std::numeric_limits<std::int64_t>::min(), 0,
                                "-9223372036854775808"},
                      ParseCase{"0.000000000000000001", 1, 18, "0.000000000000000001"},
                      ParseCase{"-0.000000000000000123", -123, 18, "-0.000000000000000123"},
                      // trailing zeros beyond 18 places are dropped, the value is kept
                      ParseCase{"0.1000000000000000000", 100000000000000000, 18, "0.100000000000000000"}));

struct BadCase {
    const char* text;
};

class DecimalParseRejects : public ::testing::TestWithParam<BadCase> {};

TEST_P(DecimalParseRejects, ThrowsValidationErrorNamingFieldValueAndRule) {
    const std::string text = GetParam().text;
    try {
        (void)Decimal::parse(text, "policy.tier_shares", "CL-5");
        FAIL() << "Decimal::parse(\"" << text << "\") did not throw";
    } catch (const ValidationError& e) {
        const std::string what = e.what();
        EXPECT_EQ(e.field(), "policy.tier_shares");
        EXPECT_EQ(e.rule(), "CL-5");
        EXPECT_EQ(e.value(), aecore::quote(text));
        EXPECT_NE(what.find("policy.tier_shares"), std::string::npos) << what;
        EXPECT_NE(what.find("[CL-5]"), std::string::npos) << what;
        EXPECT_NE(what.find(aecore::quote(text)), std::string::npos) << what;
    }
}

INSTANTIATE_TEST_SUITE_P(BadInput, DecimalParseRejects,
                         ::testing::Values(BadCase{""}, BadCase{"abc"}, BadCase{"1.2.3"}, BadCase{"1e"},
                                           BadCase{"--1"}, BadCase{"+-1"}, BadCase{"-"}, BadCase{"."},
                                           BadCase{" 1"}, BadCase{"1 "}, BadCase{"1,5"}, BadCase{"e5"},
                                           BadCase{"1e+"}, BadCase{"1e5.0"}, BadCase{"0x10"}, BadCase{"NaN"},
                                           BadCase{"inf"}, BadCase{"1e-+3"},
                                           // out of range
                                           BadCase{"9223372036854775808"}, BadCase{"-9223372036854775809"},
                                           BadCase{"0.0000000000000000001"}, BadCase{"1e19"},
                                           BadCase{"1e-40"}, BadCase{"1e99999999999"}));

TEST(DecimalParseErrors, DefaultFieldAndRuleAppearInTheMessage) {
    try {
        (void)Decimal::parse("abc");
        FAIL() << "expected ValidationError";
    } catch (const ValidationError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("decimal"), std::string::npos) << what;
        EXPECT_NE(what.find("[MB-1]"), std::string::npos) << what;
        EXPECT_NE(what.find("\"abc\""), std::string::npos) << what;
    }
}

// Regression: after an optional '+' the exponent must not carry a second sign
// (std::from_chars would accept "-": "1e+-3" was once read as 1e-3).
TEST(DecimalParseErrors, RejectsDoubleSignedExponent) {
    EXPECT_THROW((void)Decimal::parse("1e+-3"), ValidationError);
    EXPECT_THROW((void)Decimal::parse("2.5E+-2"), ValidationError);
}

// ---------------------------------------------------------------- construction

TEST(Decimal, FromUnitsAndIntegerConstructor) {
    const Decimal d = Decimal::from_units(-1234, 3);
    EXPECT_EQ(d.units(), -1234);
    EXPECT_EQ(d.scale(), 3);
    EXPECT_EQ(d.to_string(), "-1.234");
    EXPECT_EQ(Decimal::from_units(5, 4).to_string(), "0.0005");
    EXPECT_EQ(Decimal(42).to_string(), "42");
    EXPECT_EQ(Decimal().to_string(), "0");
    EXPECT_TRUE(Decimal().is_zero());
    EXPECT_TRUE(Decimal::from_units(-1, 18).is_negative());
    EXPECT_FALSE(Decimal::from_units(0, 5).is_negative());
    EXPECT_THROW((void)Decimal::from_units(1, 19), ValidationError);
    EXPECT_THROW((void)Decimal::from_units(1, -1), ValidationError);
    EXPECT_EQ(Decimal::from_units(std::numeric_limits<std::int64_t>::min(), 2).to_string(),
              "-92233720368547758.08");
}

TEST(Decimal, Pow10) {
    EXPECT_EQ(aecore::pow10(0), 1);
    EXPECT_EQ(aecore::pow10(2), 100);
    EXPECT_EQ(aecore::pow10(18), 1'000'000'000'000'000'000);
    EXPECT_THROW((void)aecore::pow10(19), ValidationError);
    EXPECT_THROW((void)aecore::pow10(-1), ValidationError);
}

// ---------------------------------------------------------------- comparison

TEST(DecimalCompare, ByValueNotByRepresentation) {
    EXPECT_EQ(Decimal::parse("0.5"), Decimal::parse("0.50"));
    EXPECT_EQ(Decimal::parse("2"), Decimal::parse("2.000"));
    EXPECT_EQ(Decimal(2), Decimal::parse("2e0"));
    EXPECT_EQ(Decimal::parse("0"), Decimal::parse("-0.000"));
    EXPECT_EQ(Decimal::parse("1e-3"), Decimal::from_units(1, 3));
    EXPECT_NE(Decimal::parse("0.5"), Decimal::parse("0.05"));
    EXPECT_LT(Decimal::parse("0.5"), Decimal::parse("0.51"));
    EXPECT_LT(Decimal::parse("-1"), Decimal::parse("0"));
    EXPECT_LT(Decimal::parse("-1.10"), Decimal::parse("-1.09"));
    EXPECT_GT(Decimal::parse("1.10"), Decimal::parse("1.09"));
    EXPECT_GT(Decimal::parse("100"), Decimal::parse("99.9999999999999999"));
    EXPECT_EQ(Decimal::parse("0.5") <=> Decimal::parse("0.500"), std::strong_ordering::equal);
    EXPECT_EQ(Decimal::parse("0.4") <=> Decimal::parse("0.5"), std::strong_ordering::less);
}

TEST(DecimalCompare, ExtremesDoNotOverflow) {
    const Decimal big(std::numeric_limits<std::int64_t>::max());
    const Decimal tiny = Decimal::from_units(std::numeric_limits<std::int64_t>::max(), 18);  // ~9.22
    const Decimal neg_big(std::numeric_limits<std::int64_t>::min());
    EXPECT_GT(big, tiny);
    EXPECT_LT(neg_big, tiny);
    EXPECT_LT(neg_big, Decimal::from_units(std::numeric_limits<std::int64_t>::min(), 18));
    EXPECT_GT(tiny, Decimal(9));
    EXPECT_LT(tiny, Decimal(10));
}

TEST(DecimalNormalized, DropsOnlyTrailingFractionalZeros) {
    const Decimal a = Decimal::parse("1.500").normalized();
    EXPECT_EQ(a.to_string(), "1.5");
    EXPECT_EQ(a.scale(), 1);
    EXPECT_EQ(Decimal::parse("-2.50").normalized().to_string(), "-2.5");
    EXPECT_EQ(Decimal::parse("100").normalized().to_string(), "100");
    EXPECT_EQ(Decimal::parse("100.00").normalized().to_string(), "100");
    EXPECT_EQ(Decimal::parse("0.000").normalized().to_string(), "0");
    EXPECT_EQ(Decimal::parse("0.000").normalized().scale(), 0);
    EXPECT_EQ(Decimal::parse("0.105").normalized().to_string(), "0.105");
    for (const char* text : {"1.500", "-2.50", "100.00", "0.000", "7.000000000000000000"}) {
        EXPECT_EQ(Decimal::parse(text).normalized(), Decimal::parse(text)) << text;
    }
}

struct FractionCase {
    const char* value;
    std::int64_t num;
    std::int64_t den;
    std::strong_ordering expected;
};

class DecimalCompareFraction : public ::testing::TestWithParam<FractionCase> {};

TEST_P(DecimalCompareFraction, IsExact) {
    const FractionCase& c = GetParam();
    EXPECT_EQ(Decimal::parse(c.value).compare_fraction(c.num, c.den), c.expected)
        << c.value << " vs " << c.num << "/" << c.den;
}

INSTANTIATE_TEST_SUITE_P(
    Table, DecimalCompareFraction,
    ::testing::Values(FractionCase{"0.333", 1, 3, std::strong_ordering::less},
                      FractionCase{"0.334", 1, 3, std::strong_ordering::greater},
                      FractionCase{"0.333333333333333333", 1, 3, std::strong_ordering::less},
                      FractionCase{"0.5", 1, 2, std::strong_ordering::equal},
                      FractionCase{"0.50", 50, 100, std::strong_ordering::equal},
                      FractionCase{"-0.5", -1, 2, std::strong_ordering::equal},
                      FractionCase{"-0.5", 1, 2, std::strong_ordering::less},
                      FractionCase{"2.75", 11, 4, std::strong_ordering::equal},
                      FractionCase{"0", 0, 7, std::strong_ordering::equal},
                      FractionCase{"0.8", 4, 5, std::strong_ordering::equal},
                      FractionCase{"0.79", 4, 5, std::strong_ordering::less},
                      FractionCase{"9223372036854775807", std::numeric_limits<std::int64_t>::max(), 1,
                                   std::strong_ordering::equal},
                      FractionCase{"9.223372036854775807", std::numeric_limits<std::int64_t>::max(),
                                   std::numeric_limits<std::int64_t>::max(), std::strong_ordering::greater},
                      FractionCase{"0.000000000000000001", 1, std::numeric_limits<std::int64_t>::max(),
                                   std::strong_ordering::greater}));

}  // namespace
