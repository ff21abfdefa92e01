// Core primitives. Goal printed by issue #9: add_business_days <= 20 ns per call with
// 15 holidays a year (the precomputed business-day index; a day-by-day loop is ~200 ns).

#include <benchmark/benchmark.h>

#include <random>

#include "aecore/agency.hpp"

namespace {

using namespace aecore;
namespace bg = boost::gregorian;

BusinessCalendar calendar_with_holidays() {
    BusinessCalendar cal;
    std::mt19937 rng(7);
    std::vector<Date> holidays;
    for (int year = 2000; year <= 2060; ++year)
        for (int i = 0; i < 15; ++i)
            holidays.push_back(Date(static_cast<unsigned short>(year), 1, 1) + bg::days(static_cast<int>(rng() % 365)));
    cal.set_holidays(holidays);
    return cal;
}

void BM_add_business_days(benchmark::State& state) {
    const BusinessCalendar cal = calendar_with_holidays();
    std::mt19937 rng(11);
    std::vector<std::pair<Date, int>> inputs;
    for (int i = 0; i < 4096; ++i)
        inputs.emplace_back(Date(2030, 1, 1) + bg::days(static_cast<int>(rng() % 3650)), 1 + static_cast<int>(rng() % 20));
    std::size_t i = 0;
    for (auto _ : state) {
        const auto& [d, n] = inputs[i++ & 4095];
        benchmark::DoNotOptimize(cal.add_business_days(d, n));
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_add_business_days);

void BM_business_days_between(benchmark::State& state) {
    const BusinessCalendar cal = calendar_with_holidays();
    const Date a(2030, 1, 1);
    const Date b(2034, 6, 30);
    for (auto _ : state) benchmark::DoNotOptimize(cal.business_days_between(a, b));
}
BENCHMARK(BM_business_days_between);

void BM_subtract_half_business_day(benchmark::State& state) {
    const BusinessCalendar cal = calendar_with_holidays();
    const DateTime t(Date(2031, 3, 3), boost::posix_time::hours(10));
    for (auto _ : state) benchmark::DoNotOptimize(cal.subtract_half_business_day(t));
}
BENCHMARK(BM_subtract_half_business_day);

void BM_money_multiply_half_even(benchmark::State& state) {
    const Money m = Money::parse("123456.78", "CNY");
    const Decimal rate = Decimal::parse("0.1765");
    for (auto _ : state) benchmark::DoNotOptimize(m.multiply(rate));
}
BENCHMARK(BM_money_multiply_half_even);

void BM_money_allocate(benchmark::State& state) {
    const Money m = Money::parse("100000.00", "CNY");
    std::vector<std::int64_t> weights(static_cast<std::size_t>(state.range(0)));
    for (std::size_t i = 0; i < weights.size(); ++i) weights[i] = static_cast<std::int64_t>(i % 7 + 1);
    for (auto _ : state) benchmark::DoNotOptimize(m.allocate(weights));
}
BENCHMARK(BM_money_allocate)->Arg(3)->Arg(100);

void BM_agency_to_json(benchmark::State& state) {
    Agency agency("Bench", "SH", "CNY");
    for (int i = 0; i < state.range(0); ++i)
        agency.add_staff({.name = "Person " + std::to_string(i), .title = Title::AE,
                          .hourly_rate = Money::parse("250", "CNY")});
    std::size_t bytes = 0;
    for (auto _ : state) {
        const std::string json = agency.to_json();
        bytes += json.size();
        benchmark::DoNotOptimize(json.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK(BM_agency_to_json)->Arg(1000);

}  // namespace
