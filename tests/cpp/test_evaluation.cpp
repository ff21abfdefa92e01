// Performance evaluation (SPEC PE-1..PE-6, issue #7): rubrics and their validation, the
// built-in rubrics of seeds 000 and 002, evaluations and their workflow (who may take
// which step, in which order, and nothing once finalized), the weighted score and rating
// bands, evidence computed from the book, the KPI composite, the team view and its
// calibration, the PE-3 audit rule and persistence. Every refused operation leaves the
// agency byte-identical (book::refused_unchanged).
//
// Expected figures are worked out by hand in the comments next to them.

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "aecore/agency.hpp"
#include "aecore/error.hpp"
#include "aecore/evaluation.hpp"
#include "book_fixtures.hpp"

namespace {

using aecore::ActivityKind;
using aecore::CalibrationRow;
using aecore::Criterion;
using aecore::Date;
using aecore::DateTime;
using aecore::Decimal;
using aecore::Evaluation;
using aecore::EvaluationPeriod;
using aecore::EvaluationStatus;
using aecore::EvidenceItem;
using aecore::EvidenceMetric;
using aecore::Finding;
using aecore::Kpi;
using aecore::Money;
using aecore::NewEvaluation;
using aecore::NotFoundError;
using aecore::PipelineStage;
using aecore::Rating;
using aecore::RatingBands;
using aecore::ReportKind;
using aecore::Rubric;
using aecore::SchemaError;
using aecore::Severity;
using aecore::StateError;
using aecore::TeamEvaluationRow;
using aecore::TicketStatus;
using aecore::Title;
using aecore::ValidationError;
using book::Agency;
using book::at;
using book::client_spec;
using book::expect_refused;
using book::refused_unchanged;
using book::staffed_agency;
using Json = nlohmann::ordered_json;
using M = EvidenceMetric;

namespace bg = boost::gregorian;
namespace bp = boost::posix_time;

Decimal dec(const char* text) { return Decimal::parse(text); }
Money cny(const char* amount) { return Money::parse(amount, "CNY"); }
bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}
// "2.00" for a score, "-" for none: readable failures.
std::string text(const std::optional<Decimal>& d) { return d ? d->to_string() : "-"; }

// A weight in hundredths of a percent (12.5 -> 1250); weights have at most 2 decimals.
std::int64_t hundredths(const Decimal& d) {
    const Decimal n = d.normalized();
    EXPECT_LE(n.scale(), 2) << d.to_string();
    std::int64_t units = n.units();
    for (int s = n.scale(); s < 2; ++s) units *= 10;
    return units;
}

constexpr std::array<Title, 4> kTitles{Title::AAE, Title::AE, Title::AM, Title::AD};

// ---------------------------------------------------------------- rubrics used below

Criterion criterion(std::string id, std::string area, std::array<const char*, 4> weights,
                    std::vector<EvidenceMetric> evidence = {}) {
    Criterion c;
    c.id = id;
    c.area = std::move(area);
    c.name = "Criterion " + id;
    c.description = "What " + id + " means";
    for (std::size_t t = 0; t < 4; ++t) c.weights[t] = dec(weights[t]);
    c.evidence = std::move(evidence);
    return c;
}

// "mini": three criteria, weights per title AAE / AE / AM / AD (percent):
//   craft  50 / 12.5 / 25 / 25   informed by JobsOnTime
//   care   50 / 87.5 / 25 / 25   informed by ContactCadence
//   lead    0 /  0   / 50 / 50   informed by CollectionRate and JobsOnTime
// every title sums to 100.
Rubric mini() {
    Rubric r;
    r.id = "mini";
    r.name = "Mini rubric";
    r.criteria = {criterion("craft", "Skill", {"50", "12.5", "25", "25"}, {M::JobsOnTime}),
                  criterion("care", "Client", {"50", "87.5", "25", "25"}, {M::ContactCadence}),
                  criterion("lead", "Leadership", {"0", "0", "50", "50"}, {M::CollectionRate, M::JobsOnTime})};
    return r;
}

// "quarters": four criteria of 25 % each for every title: the weighted score is the mean
// of the four scores, so it moves in steps of 0.25.
Rubric quarters() {
    Rubric r;
    r.id = "quarters";
    r.name = "Four equal criteria";
    for (const char* id : {"q1", "q2", "q3", "q4"}) r.criteria.push_back(criterion(id, "Quarter", {"25", "25", "25", "25"}));
    return r;
}

// "calib": a 11 %, b 31 %, c 58 % for every title; score = 1 + (11(a-1) + 31(b-1) + 58(c-1)) / 100.
Rubric calib() {
    Rubric r;
    r.id = "calib";
    r.name = "Calibration rubric";
    r.criteria = {criterion("a", "X", {"11", "11", "11", "11"}), criterion("b", "X", {"31", "31", "31", "31"}),
                  criterion("c", "X", {"58", "58", "58", "58"})};
    return r;
}

NewEvaluation spec(std::string evaluatee, std::string evaluator, EvaluationPeriod period, const Date& start,
                   std::string rubric = "account-service", std::vector<std::string> reviewers = {},
                   std::optional<Date> end = std::nullopt) {
    NewEvaluation n;
    n.evaluatee = std::move(evaluatee);
    n.evaluator = std::move(evaluator);
    n.reviewers = std::move(reviewers);
    n.rubric = std::move(rubric);
    n.period = period;
    n.start = start;
    n.end = end;
    n.created_at = at(start, 9);
    return n;
}

// Scores every criterion weighted for the evaluatee's title with `score`.
void score_all(Agency& a, std::string id, int score) {
    const Title title = a.evaluation(id).title;
    const Rubric rubric = a.rubric(a.evaluation(id).rubric);
    for (const Criterion& c : rubric.criteria)
        if (!c.weight(title).is_zero()) a.score_criterion(id, c.id, score, "comment on " + c.id);
}

// Scores the "quarters" criteria q1..q4.
void score_quarters(Agency& a, std::string id, std::array<int, 4> scores) {
    for (std::size_t i = 0; i < 4; ++i) {
        std::string criterion = "q";  // not "q" + to_string(): GCC 12 -O3 flags that with a false -Wrestrict
        criterion += std::to_string(i + 1);
        a.score_criterion(id, criterion, scores[i]);
    }
}

// The usual actors one hour apart from `from`: the evaluator shares, the evaluatee records
// the discussion, the first reviewer (or the evaluator's manager) reviews, the evaluator
// finalizes. Stops once the evaluation is `to`.
void walk(Agency& a, std::string id, EvaluationStatus to, DateTime from) {
    const Evaluation e = a.evaluation(id);
    const std::string reviewer = e.reviewers.empty() ? *a.staff(e.evaluator).manager : e.reviewers.front();
    const std::array<std::pair<EvaluationStatus, std::string>, 4> steps{{{EvaluationStatus::SharedWithEvaluatee, e.evaluator},
                                                                        {EvaluationStatus::Discussed, e.evaluatee},
                                                                        {EvaluationStatus::Reviewed, reviewer},
                                                                        {EvaluationStatus::Finalized, e.evaluator}}};
    for (const auto& [status, actor] : steps) {
        if (a.evaluation(id).status >= to) return;
        from += bp::hours(1);
        a.advance_evaluation(id, status, actor, from);
    }
}

// staffed_agency() (S0001 AD; S0002 AM -> S0001; S0003, S0004 AE -> S0002; S0005 AAE -> S0003)
// with the "mini" and "quarters" rubrics.
Agency evaluation_agency() {
    Agency a = staffed_agency();
    a.add_rubric(mini());
    a.add_rubric(quarters());
    return a;
}

std::vector<std::string> ids_of(const std::vector<Criterion>& criteria) {
    std::vector<std::string> out;
    for (const Criterion& c : criteria) out.push_back(c.id);
    return out;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

// ================================================================ PE-1 / PE-2 rubrics

// SPEC PE-2: "account-service" carries the 21 items of seed 000's evaluation content, in
// the order SPEC lists them.
TEST(BuiltinRubrics, AccountServiceHasTheSeedContent) {
    const Rubric& r = aecore::builtin_rubrics().at(0);
    EXPECT_EQ(r.id, "account-service");
    const std::vector<std::string> spec_names{
        "market knowledge",        "client business knowledge", "information gathering and analysis",
        "media and production knowledge", "creative evaluation", "organising information",
        "internal reporting",      "company knowledge",         "prioritisation",
        "progress and follow-up",  "meetings",                  "work habits",
        "external communication",  "internal communication",    "team spirit",
        "company advocacy",        "helpfulness to clients",    "new ideas",
        "attitude",                "training juniors",          "money-mindedness"};
    ASSERT_EQ(r.criteria.size(), 21u);
    for (std::size_t i = 0; i < spec_names.size(); ++i) {
        EXPECT_EQ(lower(r.criteria[i].name), spec_names[i]) << i;
        EXPECT_FALSE(r.criteria[i].area.empty()) << r.criteria[i].id;
        EXPECT_FALSE(r.criteria[i].description.empty()) << r.criteria[i].id;
    }
    EXPECT_EQ(ids_of(r.criteria),
              (std::vector<std::string>{"market_knowledge", "client_business", "information_analysis",
                                        "media_production", "creative_evaluation", "organising_information",
                                        "internal_reporting", "company_knowledge", "prioritisation",
                                        "progress_follow_up", "meetings", "work_habits", "external_communication",
                                        "internal_communication", "team_spirit", "company_advocacy",
                                        "helpfulness_to_clients", "new_ideas", "attitude", "training_juniors",
                                        "money_mindedness"}));
    ASSERT_NE(r.find("money_mindedness"), nullptr);
    EXPECT_EQ(r.find("money_mindedness")->evidence,
              (std::vector<EvidenceMetric>{M::EstimateOverruns, M::CollectionRate, M::Dso}));
    EXPECT_EQ(r.find("no_such_criterion"), nullptr);
}

// SPEC PE-2: "5A" is seed 002's Analysis, Approach, Attach, Attack, Account.
TEST(BuiltinRubrics, FiveAHasItsFiveCriteria) {
    const Rubric& r = aecore::builtin_rubrics().at(1);
    EXPECT_EQ(r.id, "5A");
    ASSERT_EQ(r.criteria.size(), 5u);
    std::vector<std::string> names;
    for (const Criterion& c : r.criteria) names.push_back(c.name);
    EXPECT_EQ(names, (std::vector<std::string>{"Analysis", "Approach", "Attach", "Attack", "Account"}));
    EXPECT_EQ(ids_of(r.criteria), (std::vector<std::string>{"analysis", "approach", "attach", "attack", "account"}));
    EXPECT_EQ(aecore::builtin_rubrics().size(), 2u);
}

// PE-1: both validate; for every title the weights sum to exactly 100 %.
TEST(BuiltinRubrics, EveryTitlesWeightsSumTo100) {
    for (const Rubric& r : aecore::builtin_rubrics()) {
        EXPECT_NO_THROW(r.validate()) << r.id;
        for (const Title t : kTitles) {
            std::int64_t sum = 0;
            for (const Criterion& c : r.criteria) {
                EXPECT_GE(hundredths(c.weight(t)), 0) << r.id << " " << c.id;
                sum += hundredths(c.weight(t));
            }
            EXPECT_EQ(sum, 10000) << r.id << " " << to_string(t);
        }
    }
    // by hand, the AE column of account-service: 4+6+5+5+4 +5+6+2+5+7+5+5 +6+5 +5+3+6+4+6 +2+4 = 100
    const Rubric& r = aecore::builtin_rubrics().at(0);
    std::vector<std::int64_t> ae;
    for (const Criterion& c : r.criteria) ae.push_back(hundredths(c.weight(Title::AE)) / 100);
    EXPECT_EQ(ae, (std::vector<std::int64_t>{4, 6, 5, 5, 4, 5, 6, 2, 5, 7, 5, 5, 6, 5, 5, 3, 6, 4, 6, 2, 4}));
}

// Training juniors is not assessed for an AAE (weight 0) and weighs most for an AD.
TEST(BuiltinRubrics, TrainingJuniorsWeighs0ForAnAAEAndMostForAnAD) {
    const Criterion* c = aecore::builtin_rubrics().at(0).find("training_juniors");
    ASSERT_NE(c, nullptr);
    EXPECT_TRUE(c->weight(Title::AAE).is_zero());
    for (const Title t : {Title::AAE, Title::AE, Title::AM})
        EXPECT_LT(c->weight(t), c->weight(Title::AD)) << to_string(t);
    // and it grows with seniority
    EXPECT_LT(c->weight(Title::AAE), c->weight(Title::AE));
    EXPECT_LT(c->weight(Title::AE), c->weight(Title::AM));
}

TEST(BuiltinRubrics, EveryAgencyStartsWithThem) {
    const Agency a;
    EXPECT_EQ(a.rubrics(), aecore::builtin_rubrics());
    EXPECT_EQ(a.rubric("5A"), aecore::builtin_rubrics().at(1));
    EXPECT_EQ(a.rubric("account-service").criteria.size(), 21u);
    EXPECT_TRUE(a.evaluations().empty());
}

TEST(CustomRubrics, AreAddedAfterTheBuiltInOnes) {
    Agency a = staffed_agency();
    const Rubric& added = a.add_rubric(mini());
    EXPECT_EQ(added, mini());
    a.add_rubric(quarters());
    ASSERT_EQ(a.rubrics().size(), 4u);
    EXPECT_EQ(a.rubrics()[0].id, "account-service");
    EXPECT_EQ(a.rubrics()[1].id, "5A");
    EXPECT_EQ(a.rubrics()[2], mini());
    EXPECT_EQ(a.rubrics()[3], quarters());
    EXPECT_EQ(a.rubric("mini"), mini());
    // weights with 2 decimals are fine: 33.33 + 33.33 + 33.34 = 100
    Rubric thirds;
    thirds.id = "thirds";
    thirds.name = "Thirds";
    thirds.criteria = {criterion("x", "A", {"33.33", "33.33", "33.33", "33.33"}),
                       criterion("y", "A", {"33.33", "33.33", "33.33", "33.33"}),
                       criterion("z", "A", {"33.34", "33.34", "33.34", "33.34"})};
    EXPECT_NO_THROW(a.add_rubric(thirds));
}

// PE-1: a title whose weights do not sum to 100 is refused, naming the title and the sum.
TEST(CustomRubricsRefused, WeightsNotSummingTo100NameTheTitleAndTheSum) {
    Agency a = staffed_agency();
    Rubric r = mini();
    r.criteria[1].weights[1] = dec("87");  // AE: 12.5 + 87 + 0 = 99.5
    try {
        r.validate();
        ADD_FAILURE() << "accepted";
    } catch (const ValidationError& e) {
        EXPECT_EQ(e.rule(), "PE-1");
        EXPECT_EQ(e.field(), "rubric.weights");
        EXPECT_TRUE(contains(e.what(), "AE")) << e.what();
        EXPECT_TRUE(contains(e.what(), "99.50")) << e.what();
        EXPECT_TRUE(contains(e.what(), "mini")) << e.what();
    }
    expect_refused<ValidationError>(a, [&](Agency& g) { g.add_rubric(r); }, "rubric.weights", "99.50", "PE-1");
    // above 100 too: AD 25 + 25 + 60 = 110
    r = mini();
    r.criteria[2].weights[3] = dec("60");
    const auto e = refused_unchanged<ValidationError>(a, [&](Agency& g) { g.add_rubric(r); });
    ASSERT_TRUE(e.has_value());
    EXPECT_TRUE(contains(e->what(), "AD")) << e->what();
    EXPECT_TRUE(contains(e->what(), "110.00")) << e->what();
    EXPECT_EQ(a.rubrics().size(), 2u);
}

TEST(CustomRubricsRefused, DuplicateCriterionId) {
    Agency a = staffed_agency();
    Rubric r = mini();
    r.criteria[2].id = "craft";
    expect_refused<ValidationError>(a, [&](Agency& g) { g.add_rubric(r); }, "criterion.id", "craft", "PE-1");
}

// At most 2 decimals: 12.125 is refused, 12.500 (= 12.5) is not.
TEST(CustomRubricsRefused, AWeightWithThreeDecimals) {
    Agency a = staffed_agency();
    Rubric r = mini();
    r.criteria[0].weights[1] = dec("12.125");
    r.criteria[1].weights[1] = dec("87.875");  // the AE sum is still 100
    expect_refused<ValidationError>(a, [&](Agency& g) { g.add_rubric(r); }, "criterion.weights", "12.125", "PE-1");
    r = mini();
    r.criteria[0].weights[1] = dec("12.500");
    EXPECT_NO_THROW(r.validate());
}

TEST(CustomRubricsRefused, NegativeOrAbove100WeightsBadIdsNoCriteriaRepeatedMetric) {
    Agency a = staffed_agency();
    Rubric r = mini();
    r.criteria[0].weights[0] = dec("-10");
    r.criteria[1].weights[0] = dec("110");  // AAE still sums to 100
    expect_refused<ValidationError>(a, [&](Agency& g) { g.add_rubric(r); }, "criterion.weights", "-10", "PE-1");
    r = mini();
    r.criteria[0].weights[0] = dec("100.01");
    expect_refused<ValidationError>(a, [&](Agency& g) { g.add_rubric(r); }, "criterion.weights", "100.01", "PE-1");
    r = mini();
    r.id = "has space";
    expect_refused<ValidationError>(a, [&](Agency& g) { g.add_rubric(r); }, "rubric.id", "has space", "PE-1");
    r = mini();
    r.criteria.clear();
    expect_refused<ValidationError>(a, [&](Agency& g) { g.add_rubric(r); }, "rubric.criteria", "mini", "PE-1");
    r = mini();
    r.criteria[0].name = " ";
    expect_refused<ValidationError>(a, [&](Agency& g) { g.add_rubric(r); }, "criterion.name", " ", "PE-1");
    r = mini();
    r.criteria[0].evidence = {M::JobsOnTime, M::Dso, M::JobsOnTime};
    expect_refused<ValidationError>(a, [&](Agency& g) { g.add_rubric(r); }, "criterion.evidence", "craft", "PE-5");
}

TEST(CustomRubricsRefused, ADuplicateRubricId) {
    Agency a = evaluation_agency();
    expect_refused<ValidationError>(a, [](Agency& g) { g.add_rubric(mini()); }, "rubric.id", "mini", "PE-1");
    Rubric five = mini();
    five.id = "5A";  // a built-in id is taken too
    expect_refused<ValidationError>(a, [&](Agency& g) { g.add_rubric(five); }, "rubric.id", "5A", "PE-1");
}

TEST(CustomRubricsRefused, AnUnknownRubricIsNotFound) {
    Agency a = evaluation_agency();
    EXPECT_THROW((void)a.rubric("6A"), NotFoundError);
    EXPECT_THROW((void)a.rubric(""), NotFoundError);
    expect_refused<NotFoundError>(
        a, [](Agency& g) { g.start_evaluation(spec("S0003", "S0002", EvaluationPeriod::Annual, Date(2026, 1, 1), "6A")); },
        "rubric", "6A", "PE-1");
}

// ================================================================ PE-3 evaluations

TEST(StartEvaluation, RecordsEveryFieldAndNumbersFromEV0001) {
    Agency a = evaluation_agency();
    NewEvaluation n = spec("S0003", "S0002", EvaluationPeriod::Annual, Date(2026, 1, 1), "account-service", {"S0001"});
    n.created_at = at(Date(2025, 12, 20), 10, 30);
    const Evaluation& e = a.start_evaluation(n);
    EXPECT_EQ(e.id, "EV0001");
    EXPECT_EQ(e.evaluatee, "S0003");
    EXPECT_EQ(e.title, Title::AE);
    EXPECT_EQ(e.evaluator, "S0002");
    EXPECT_EQ(e.reviewers, (std::vector<std::string>{"S0001"}));
    EXPECT_EQ(e.rubric, "account-service");
    EXPECT_EQ(e.period, EvaluationPeriod::Annual);
    EXPECT_EQ(e.start, Date(2026, 1, 1));
    EXPECT_EQ(e.end, Date(2026, 12, 31));
    EXPECT_TRUE(e.scores.empty());
    EXPECT_TRUE(e.evaluatee_comments.empty());
    EXPECT_TRUE(e.kpis.empty());
    EXPECT_EQ(e.status, EvaluationStatus::Draft);
    EXPECT_TRUE(e.history.empty());
    EXPECT_EQ(e.created_at, at(Date(2025, 12, 20), 10, 30));
    EXPECT_EQ(a.evaluation("EV0001"), e);
    // the AAE by her AE, with the 5A rubric and no reviewers
    const Evaluation& f = a.start_evaluation(spec("S0005", "S0003", EvaluationPeriod::Quarterly, Date(2026, 4, 1), "5A"));
    EXPECT_EQ(f.id, "EV0002");
    EXPECT_EQ(f.title, Title::AAE);
    EXPECT_TRUE(f.reviewers.empty());
    EXPECT_EQ(a.evaluations().size(), 2u);
    EXPECT_THROW((void)a.evaluation("EV0003"), NotFoundError);
}

// PE-3: the period's end follows from its kind and start; only AdHoc names its own end.
TEST(StartEvaluation, ThePeriodEndIsDerived) {
    Agency a = evaluation_agency();
    const std::vector<std::tuple<EvaluationPeriod, Date, Date>> cases{
        {EvaluationPeriod::Annual, Date(2026, 1, 1), Date(2026, 12, 31)},
        {EvaluationPeriod::Annual, Date(2026, 7, 1), Date(2027, 6, 30)},
        {EvaluationPeriod::SemiAnnual, Date(2026, 1, 1), Date(2026, 6, 30)},
        {EvaluationPeriod::SemiAnnual, Date(2026, 7, 1), Date(2026, 12, 31)},
        {EvaluationPeriod::Quarterly, Date(2026, 1, 1), Date(2026, 3, 31)},
        {EvaluationPeriod::Quarterly, Date(2026, 10, 1), Date(2026, 12, 31)},
        {EvaluationPeriod::Quarterly, Date(2026, 3, 15), Date(2026, 6, 14)},
    };
    for (const auto& [period, start, end] : cases) {
        const Evaluation& e = a.start_evaluation(spec("S0003", "S0002", period, start));
        EXPECT_EQ(e.end, end) << to_string(period) << " from " << start;
    }
    // naming the derived end is accepted
    EXPECT_EQ(a.start_evaluation(spec("S0004", "S0002", EvaluationPeriod::Quarterly, Date(2026, 1, 1), "account-service",
                                      {}, Date(2026, 3, 31)))
                  .end,
              Date(2026, 3, 31));
    // AdHoc: any end on or after the start
    EXPECT_EQ(a.start_evaluation(spec("S0004", "S0002", EvaluationPeriod::AdHoc, Date(2026, 5, 4), "account-service", {},
                                      Date(2026, 5, 29)))
                  .end,
              Date(2026, 5, 29));
    EXPECT_EQ(a.start_evaluation(spec("S0004", "S0002", EvaluationPeriod::AdHoc, Date(2026, 5, 4), "account-service", {},
                                      Date(2026, 5, 4)))
                  .end,
              Date(2026, 5, 4));
}

// A quarter is three months less a day, also from the end of a month: 04-30 + 3 months is
// 07-30, so the quarter ends 07-29; 2027-02-28 + 1 year is 2028-02-28, so the year ends
// 2028-02-27. (Boost's month arithmetic snaps a month-end start to the end of the target
// month: 07-31 - 1 = 07-30 and 2028-02-29 - 1 = 2028-02-28, one to three days too long.)
TEST(StartEvaluation, AMonthEndStartIsNotSnappedToTheEndOfTheTargetMonth) {
    Agency a = evaluation_agency();
    EXPECT_EQ(a.start_evaluation(spec("S0003", "S0002", EvaluationPeriod::Quarterly, Date(2026, 4, 30))).end,
              Date(2026, 7, 29));
    EXPECT_EQ(a.start_evaluation(spec("S0003", "S0002", EvaluationPeriod::Quarterly, Date(2026, 2, 28))).end,
              Date(2026, 5, 27));
    EXPECT_EQ(a.start_evaluation(spec("S0003", "S0002", EvaluationPeriod::Annual, Date(2027, 2, 28))).end,
              Date(2028, 2, 27));
}

TEST(StartEvaluationRefused, PeriodEndMismatchedMissingOrBeforeTheStart) {
    Agency a = evaluation_agency();
    expect_refused<ValidationError>(
        a,
        [](Agency& g) {
            g.start_evaluation(spec("S0003", "S0002", EvaluationPeriod::Quarterly, Date(2026, 1, 1), "account-service", {},
                                    Date(2026, 4, 30)));
        },
        "evaluation.end", "2026-04-30", "PE-3");
    expect_refused<ValidationError>(
        a, [](Agency& g) { g.start_evaluation(spec("S0003", "S0002", EvaluationPeriod::AdHoc, Date(2026, 1, 1))); },
        "evaluation.end", "none", "PE-3");
    expect_refused<ValidationError>(
        a,
        [](Agency& g) {
            g.start_evaluation(
                spec("S0003", "S0002", EvaluationPeriod::AdHoc, Date(2026, 1, 10), "account-service", {}, Date(2026, 1, 9)));
        },
        "evaluation.end", "2026-01-09", "PE-3");
    NewEvaluation bad = spec("S0003", "S0002", EvaluationPeriod::Annual, Date(2026, 1, 1));
    bad.start = Date(boost::date_time::not_a_date_time);
    expect_refused<ValidationError>(a, [&](Agency& g) { g.start_evaluation(bad); }, "evaluation.start", "", "PE-3");
    bad = spec("S0003", "S0002", EvaluationPeriod::Annual, Date(2026, 1, 1));
    bad.created_at = DateTime(boost::date_time::not_a_date_time);
    expect_refused<ValidationError>(a, [&](Agency& g) { g.start_evaluation(bad); }, "evaluation.created_at", "", "PE-3");
    // no id was consumed
    EXPECT_EQ(a.start_evaluation(spec("S0003", "S0002", EvaluationPeriod::Annual, Date(2026, 1, 1))).id, "EV0001");
}

// PE-3: the evaluator is the evaluatee's direct manager - not the manager's manager, not
// a peer, not the evaluatee.
TEST(StartEvaluationRefused, TheEvaluatorMustBeTheDirectManager) {
    Agency a = evaluation_agency();
    for (const char* evaluator : {"S0001", "S0004", "S0003", "S0005"}) {
        const auto e = refused_unchanged<ValidationError>(
            a, [&](Agency& g) { g.start_evaluation(spec("S0003", evaluator, EvaluationPeriod::Annual, Date(2026, 1, 1))); });
        book::expect_names(std::optional<aecore::Error>(*e), "evaluation.evaluator", evaluator, "PE-3");
        EXPECT_TRUE(contains(e->what(), "S0002")) << "names the direct manager: " << e->what();
    }
    // the AD has no manager: nobody evaluates her
    expect_refused<ValidationError>(
        a, [](Agency& g) { g.start_evaluation(spec("S0001", "S0002", EvaluationPeriod::Annual, Date(2026, 1, 1))); },
        "evaluation.evaluator", "S0002", "PE-3");
    expect_refused<NotFoundError>(
        a, [](Agency& g) { g.start_evaluation(spec("S0099", "S0002", EvaluationPeriod::Annual, Date(2026, 1, 1))); },
        "evaluation.evaluatee", "S0099", "PE-3");
    expect_refused<NotFoundError>(
        a, [](Agency& g) { g.start_evaluation(spec("S0003", "S0099", EvaluationPeriod::Annual, Date(2026, 1, 1))); },
        "evaluation.evaluator", "S0099", "PE-3");
    // somebody who has left is not evaluated
    aecore::StaffUpdate leave;
    leave.active = false;
    a.update_staff("S0004", leave);
    expect_refused<ValidationError>(
        a, [](Agency& g) { g.start_evaluation(spec("S0004", "S0002", EvaluationPeriod::Annual, Date(2026, 1, 1))); },
        "evaluation.evaluatee", "S0004", "PE-3");
    // the direct manager is accepted, and after a change of manager the new one is
    EXPECT_NO_THROW(a.start_evaluation(spec("S0003", "S0002", EvaluationPeriod::Annual, Date(2026, 1, 1))));
    aecore::StaffUpdate move;
    move.manager = std::optional<std::string>("S0001");
    a.update_staff("S0003", move);
    expect_refused<ValidationError>(
        a, [](Agency& g) { g.start_evaluation(spec("S0003", "S0002", EvaluationPeriod::Annual, Date(2027, 1, 1))); },
        "evaluation.evaluator", "S0002", "PE-3");
    EXPECT_EQ(a.start_evaluation(
                  spec("S0003", "S0001", EvaluationPeriod::Annual, Date(2027, 1, 1), "account-service", {"S0002"}))
                  .id,
              "EV0002");
}

// Reviewers are other active staff, each listed once: not the evaluatee, not the evaluator.
TEST(StartEvaluationRefused, ReviewersAreOtherActiveStaffListedOnce) {
    Agency a = evaluation_agency();
    auto with = [](std::vector<std::string> reviewers) {
        return spec("S0003", "S0002", EvaluationPeriod::Annual, Date(2026, 1, 1), "account-service", std::move(reviewers));
    };
    expect_refused<ValidationError>(a, [&](Agency& g) { g.start_evaluation(with({"S0003"})); }, "evaluation.reviewers",
                                    "S0003", "PE-3");
    expect_refused<ValidationError>(a, [&](Agency& g) { g.start_evaluation(with({"S0002"})); }, "evaluation.reviewers",
                                    "S0002", "PE-3");
    expect_refused<ValidationError>(a, [&](Agency& g) { g.start_evaluation(with({"S0001", "S0004", "S0001"})); },
                                    "evaluation.reviewers", "S0001", "PE-3");
    expect_refused<NotFoundError>(a, [&](Agency& g) { g.start_evaluation(with({"S0001", "S0042"})); },
                                  "evaluation.reviewers", "S0042", "PE-3");
    aecore::StaffUpdate leave;
    leave.active = false;
    a.update_staff("S0004", leave);
    expect_refused<ValidationError>(a, [&](Agency& g) { g.start_evaluation(with({"S0004"})); }, "evaluation.reviewers",
                                    "S0004", "PE-3");
    // an evaluator without a manager (the AD) must name a reviewer: else nobody may review
    expect_refused<ValidationError>(
        a, [](Agency& g) { g.start_evaluation(spec("S0002", "S0001", EvaluationPeriod::Annual, Date(2026, 1, 1))); },
        "evaluation.reviewers", "[]", "PE-3");
    EXPECT_EQ(a.start_evaluation(spec("S0002", "S0001", EvaluationPeriod::Annual, Date(2026, 1, 1), "account-service",
                                      {"S0005"}))
                  .reviewers,
              (std::vector<std::string>{"S0005"}));
    // the department head and another senior are fine, in the order given
    EXPECT_EQ(a.start_evaluation(with({"S0001", "S0005"})).reviewers, (std::vector<std::string>{"S0001", "S0005"}));
}

// ---------------------------------------------------------------- scores

TEST(ScoreCriterion, ScoresOneToFiveReplaceEarlierScoresAndKeepRubricOrder) {
    Agency a = evaluation_agency();
    const std::string id = a.start_evaluation(spec("S0003", "S0002", EvaluationPeriod::Annual, Date(2026, 1, 1))).id;
    a.score_criterion(id, "money_mindedness", 5, "always within the estimate");
    a.score_criterion(id, "market_knowledge", 1);
    a.score_criterion(id, "internal_reporting", 3, "reports late twice");
    const Evaluation& e = a.score_criterion(id, "internal_reporting", 4, "better since May");
    ASSERT_EQ(e.scores.size(), 3u);
    EXPECT_EQ(e.scores[0], (aecore::CriterionScore{"market_knowledge", 1, ""}));
    EXPECT_EQ(e.scores[1], (aecore::CriterionScore{"internal_reporting", 4, "better since May"}));
    EXPECT_EQ(e.scores[2], (aecore::CriterionScore{"money_mindedness", 5, "always within the estimate"}));
    ASSERT_NE(e.score_of("money_mindedness"), nullptr);
    EXPECT_EQ(e.score_of("money_mindedness")->score, 5);
    EXPECT_EQ(e.score_of("attitude"), nullptr);
    // an AE is assessed on training juniors (weight 2)
    EXPECT_NO_THROW(a.score_criterion(id, "training_juniors", 2));
}

TEST(ScoreCriterionRefused, ZeroAndSixUnknownCriterionAndAZeroWeight) {
    Agency a = evaluation_agency();
    const std::string ae = a.start_evaluation(spec("S0003", "S0002", EvaluationPeriod::Annual, Date(2026, 1, 1))).id;
    const std::string aae = a.start_evaluation(spec("S0005", "S0003", EvaluationPeriod::Annual, Date(2026, 1, 1))).id;
    for (int score : {0, 6, -1, 100})
        expect_refused<ValidationError>(
            a, [&](Agency& g) { g.score_criterion(ae, "attitude", score); }, "score.score", std::to_string(score), "PE-1");
    expect_refused<NotFoundError>(a, [&](Agency& g) { g.score_criterion(ae, "analysis", 3); }, "score.criterion",
                                  "analysis", "PE-1");  // a 5A criterion
    // training juniors weighs 0 for an AAE: not assessed
    expect_refused<ValidationError>(a, [&](Agency& g) { g.score_criterion(aae, "training_juniors", 3); },
                                    "score.criterion", "training_juniors", "PE-1");
    expect_refused<NotFoundError>(a, [&](Agency& g) { g.score_criterion("EV0099", "attitude", 3); }, "evaluation",
                                  "EV0099", "PE-3");
    std::string bad_comment = "line\x01";
    expect_refused<ValidationError>(a, [&](Agency& g) { g.score_criterion(ae, "attitude", 3, bad_comment); },
                                    "score.comment", "line", "PE-3");
    // the title when the evaluation started picks the weights: promoting the AAE later
    // does not make training juniors assessable in this evaluation
    aecore::StaffUpdate promote;
    promote.title = Title::AE;
    a.update_staff("S0005", promote);
    expect_refused<ValidationError>(a, [&](Agency& g) { g.score_criterion(aae, "training_juniors", 3); },
                                    "score.criterion", "training_juniors", "PE-1");
    EXPECT_NO_THROW(a.score_criterion(aae, "attitude", 1));
    EXPECT_NO_THROW(a.score_criterion(aae, "attitude", 5));
}

// ---------------------------------------------------------------- workflow

TEST(EvaluationWorkflow, EveryStepIsRecordedWithActorTimeAndNote) {
    Agency a = evaluation_agency();
    const std::string id =
        a.start_evaluation(spec("S0003", "S0002", EvaluationPeriod::Quarterly, Date(2026, 1, 1), "mini", {"S0001"})).id;
    score_all(a, id, 4);
    a.advance_evaluation(id, EvaluationStatus::SharedWithEvaluatee, "S0002", at(Date(2026, 3, 20), 10), "please read");
    a.advance_evaluation(id, EvaluationStatus::Discussed, "S0003", at(Date(2026, 3, 23), 15));
    a.set_evaluatee_comments(id, "I agree; I want to lead the next pitch.");
    a.advance_evaluation(id, EvaluationStatus::Reviewed, "S0001", at(Date(2026, 3, 25), 9));
    const Evaluation& e = a.advance_evaluation(id, EvaluationStatus::Finalized, "S0002", at(Date(2026, 3, 25), 9), "done");
    EXPECT_EQ(e.status, EvaluationStatus::Finalized);
    ASSERT_EQ(e.history.size(), 4u);
    EXPECT_EQ(e.history[0], (aecore::EvaluationStep{EvaluationStatus::Draft, EvaluationStatus::SharedWithEvaluatee,
                                                    at(Date(2026, 3, 20), 10), "S0002", "please read"}));
    EXPECT_EQ(e.history[1], (aecore::EvaluationStep{EvaluationStatus::SharedWithEvaluatee, EvaluationStatus::Discussed,
                                                    at(Date(2026, 3, 23), 15), "S0003", ""}));
    EXPECT_EQ(e.history[2].actor, "S0001");
    EXPECT_EQ(e.history[3], (aecore::EvaluationStep{EvaluationStatus::Reviewed, EvaluationStatus::Finalized,
                                                    at(Date(2026, 3, 25), 9), "S0002", "done"}))
        << "a step at the same time as the previous one is fine";
    EXPECT_EQ(e.evaluatee_comments, "I agree; I want to lead the next pitch.");
}

// Steps go one at a time, forward only.
TEST(EvaluationWorkflowRefused, StepsOnlyInOrder) {
    Agency a = evaluation_agency();
    const std::string id =
        a.start_evaluation(spec("S0003", "S0002", EvaluationPeriod::Quarterly, Date(2026, 1, 1), "mini", {"S0001"})).id;
    score_all(a, id, 3);
    const DateTime t = at(Date(2026, 3, 20), 10);
    for (const auto to : {EvaluationStatus::Draft, EvaluationStatus::Discussed, EvaluationStatus::Reviewed,
                          EvaluationStatus::Finalized})
        expect_refused<StateError>(a, [&](Agency& g) { g.advance_evaluation(id, to, "S0002", t); }, "evaluation.status",
                                   std::string(to_string(to)), "PE-3");
    a.advance_evaluation(id, EvaluationStatus::SharedWithEvaluatee, "S0002", t);
    for (const auto to : {EvaluationStatus::Draft, EvaluationStatus::SharedWithEvaluatee, EvaluationStatus::Reviewed,
                          EvaluationStatus::Finalized})
        expect_refused<StateError>(a, [&](Agency& g) { g.advance_evaluation(id, to, "S0001", t); }, "evaluation.status",
                                   std::string(to_string(to)), "PE-3");
    a.advance_evaluation(id, EvaluationStatus::Discussed, "S0002", t);
    expect_refused<StateError>(
        a, [&](Agency& g) { g.advance_evaluation(id, EvaluationStatus::Finalized, "S0002", t); }, "evaluation.status",
        "Finalized", "PE-3");
    expect_refused<StateError>(
        a, [&](Agency& g) { g.advance_evaluation(id, EvaluationStatus::SharedWithEvaluatee, "S0002", t); },
        "evaluation.status", "SharedWithEvaluatee", "PE-3");
    a.advance_evaluation(id, EvaluationStatus::Reviewed, "S0001", t);
    expect_refused<StateError>(
        a, [&](Agency& g) { g.advance_evaluation(id, EvaluationStatus::Discussed, "S0002", t); }, "evaluation.status",
        "Discussed", "PE-3");
    EXPECT_EQ(a.advance_evaluation(id, EvaluationStatus::Finalized, "S0001", t).status, EvaluationStatus::Finalized)
        << "a reviewer may finalize";
}

// The evaluator shares; the evaluator or the evaluatee records the discussion; a reviewer
// reviews; the evaluator or a reviewer finalizes.
TEST(EvaluationWorkflowRefused, OnlyTheAllowedActorTakesAStep) {
    Agency a = evaluation_agency();
    const std::string id =
        a.start_evaluation(spec("S0003", "S0002", EvaluationPeriod::Quarterly, Date(2026, 1, 1), "mini", {"S0001"})).id;
    score_all(a, id, 3);
    DateTime t = at(Date(2026, 3, 20), 10);
    auto refused = [&](EvaluationStatus to, const char* actor) {
        expect_refused<ValidationError>(a, [&](Agency& g) { g.advance_evaluation(id, to, actor, t); }, "evaluation.actor",
                                        actor, "PE-3");
    };
    for (const char* actor : {"S0003", "S0001", "S0004", "S0005"}) refused(EvaluationStatus::SharedWithEvaluatee, actor);
    a.advance_evaluation(id, EvaluationStatus::SharedWithEvaluatee, "S0002", t);
    for (const char* actor : {"S0001", "S0004", "S0005"}) refused(EvaluationStatus::Discussed, actor);
    a.advance_evaluation(id, EvaluationStatus::Discussed, "S0003", t);  // the evaluatee
    for (const char* actor : {"S0002", "S0003", "S0004"}) refused(EvaluationStatus::Reviewed, actor);
    a.advance_evaluation(id, EvaluationStatus::Reviewed, "S0001", t);
    for (const char* actor : {"S0003", "S0004", "S0005"}) refused(EvaluationStatus::Finalized, actor);
    expect_refused<NotFoundError>(
        a, [&](Agency& g) { g.advance_evaluation(id, EvaluationStatus::Finalized, "S0077", t); }, "evaluation.actor",
        "S0077", "PE-3");
    a.advance_evaluation(id, EvaluationStatus::Finalized, "S0002", t);  // the evaluator
    EXPECT_EQ(a.evaluation(id).status, EvaluationStatus::Finalized);
}

// Without reviewers the evaluator's manager reviews; a reviewer who has left cannot act.
TEST(EvaluationWorkflowRefused, WithoutReviewersTheEvaluatorsManagerReviews) {
    Agency a = evaluation_agency();
    const std::string id = a.start_evaluation(spec("S0005", "S0003", EvaluationPeriod::Quarterly, Date(2026, 1, 1), "mini")).id;
    const DateTime t = at(Date(2026, 3, 20), 10);
    a.advance_evaluation(id, EvaluationStatus::SharedWithEvaluatee, "S0003", t);
    a.advance_evaluation(id, EvaluationStatus::Discussed, "S0003", t);  // the evaluator records it
    for (const char* actor : {"S0001", "S0003", "S0004", "S0005"})  // S0001 is two levels up
        expect_refused<ValidationError>(
            a, [&](Agency& g) { g.advance_evaluation(id, EvaluationStatus::Reviewed, actor, t); }, "evaluation.actor",
            actor, "PE-3");
    a.advance_evaluation(id, EvaluationStatus::Reviewed, "S0002", t);  // S0003's manager
    score_all(a, id, 2);
    expect_refused<ValidationError>(
        a, [&](Agency& g) { g.advance_evaluation(id, EvaluationStatus::Finalized, "S0002", t); }, "evaluation.actor",
        "S0002", "PE-3");
    a.advance_evaluation(id, EvaluationStatus::Finalized, "S0003", t);

    const std::string other =
        a.start_evaluation(spec("S0004", "S0002", EvaluationPeriod::Quarterly, Date(2026, 1, 1), "mini", {"S0003"})).id;
    walk(a, other, EvaluationStatus::Discussed, t);
    aecore::StaffUpdate leave;
    leave.active = false;
    a.update_staff("S0005", leave);  // S0003's report leaves first
    a.update_staff("S0003", leave);
    expect_refused<ValidationError>(
        a, [&](Agency& g) { g.advance_evaluation(other, EvaluationStatus::Reviewed, "S0003", t + bp::hours(5)); },
        "evaluation.actor", "S0003", "PE-3");
}

TEST(EvaluationWorkflowRefused, FinalizingWithMissingScoresListsThem) {
    Agency a = evaluation_agency();
    // an AM: craft 25, care 25 and lead 50 are all weighted
    const std::string id =
        a.start_evaluation(spec("S0002", "S0001", EvaluationPeriod::Quarterly, Date(2026, 1, 1), "mini", {"S0004"})).id;
    a.score_criterion(id, "care", 4);
    walk(a, id, EvaluationStatus::Reviewed, at(Date(2026, 3, 20), 10));
    const DateTime t = at(Date(2026, 3, 27), 10);
    const auto e = refused_unchanged<StateError>(
        a, [&](Agency& g) { g.advance_evaluation(id, EvaluationStatus::Finalized, "S0001", t); });
    book::expect_names(std::optional<aecore::Error>(*e), "evaluation.scores", "2 missing", "PE-3");
    EXPECT_TRUE(contains(e->what(), "craft, lead")) << e->what();
    a.score_criterion(id, "lead", 5);
    const auto f = refused_unchanged<StateError>(
        a, [&](Agency& g) { g.advance_evaluation(id, EvaluationStatus::Finalized, "S0001", t); });
    book::expect_names(std::optional<aecore::Error>(*f), "evaluation.scores", "1 missing", "PE-3");
    EXPECT_TRUE(contains(f->what(), "craft")) << f->what();
    EXPECT_FALSE(contains(f->what(), "lead")) << f->what();
    a.score_criterion(id, "craft", 3);
    EXPECT_EQ(a.advance_evaluation(id, EvaluationStatus::Finalized, "S0004", t).status, EvaluationStatus::Finalized);
}

// PE-3: a finalized evaluation is immutable.
TEST(EvaluationWorkflowRefused, AFinalizedEvaluationIsImmutable) {
    Agency a = evaluation_agency();
    const std::string id =
        a.start_evaluation(spec("S0003", "S0002", EvaluationPeriod::Quarterly, Date(2026, 1, 1), "mini", {"S0001"})).id;
    score_all(a, id, 3);
    a.set_kpis(id, {Kpi{"billings", dec("1"), dec("0.9")}});
    walk(a, id, EvaluationStatus::Finalized, at(Date(2026, 3, 20), 10));
    ASSERT_EQ(a.evaluation(id).status, EvaluationStatus::Finalized);
    const DateTime later = at(Date(2026, 4, 1), 10);
    auto finalized = [&](const std::function<void(Agency&)>& op) {
        expect_refused<StateError>(a, op, "evaluation.status", "Finalized", "PE-3");
    };
    finalized([&](Agency& g) { g.score_criterion(id, "craft", 5); });
    finalized([&](Agency& g) { g.score_criterion(id, "craft", 3); });  // even the same score
    finalized([&](Agency& g) { g.score_criterion(id, "nonsense", 9); });
    finalized([&](Agency& g) { g.set_evaluatee_comments(id, "on second thoughts"); });
    finalized([&](Agency& g) { g.set_kpis(id, {Kpi{"billings", dec("1"), dec("1.2")}}); });
    finalized([&](Agency& g) { g.set_kpis(id, {}); });
    for (const auto to : {EvaluationStatus::Draft, EvaluationStatus::Reviewed, EvaluationStatus::Finalized})
        finalized([&](Agency& g) { g.advance_evaluation(id, to, "S0002", later); });
    // other evaluations still change
    const std::string next =
        a.start_evaluation(spec("S0003", "S0002", EvaluationPeriod::Quarterly, Date(2026, 4, 1), "mini", {"S0001"})).id;
    EXPECT_NO_THROW(a.score_criterion(next, "craft", 5));
}

// Step times never go backwards: not before the evaluation was created, not before the
// previous step; the same instant is fine.
TEST(EvaluationWorkflowRefused, StepTimesDoNotGoBackwards) {
    Agency a = evaluation_agency();
    NewEvaluation n = spec("S0003", "S0002", EvaluationPeriod::Quarterly, Date(2026, 1, 1), "mini", {"S0001"});
    n.created_at = at(Date(2026, 3, 2), 9);
    const std::string id = a.start_evaluation(n).id;
    expect_refused<ValidationError>(
        a,
        [&](Agency& g) { g.advance_evaluation(id, EvaluationStatus::SharedWithEvaluatee, "S0002", at(Date(2026, 3, 2), 8, 59)); },
        "evaluation.at", "2026-03-02T08:59:00", "PE-3");
    a.advance_evaluation(id, EvaluationStatus::SharedWithEvaluatee, "S0002", at(Date(2026, 3, 2), 9));
    a.advance_evaluation(id, EvaluationStatus::Discussed, "S0003", at(Date(2026, 3, 10), 15));
    expect_refused<ValidationError>(
        a, [&](Agency& g) { g.advance_evaluation(id, EvaluationStatus::Reviewed, "S0001", at(Date(2026, 3, 10), 14, 59, 59)); },
        "evaluation.at", "2026-03-10T14:59:59", "PE-3");
    expect_refused<ValidationError>(
        a,
        [&](Agency& g) {
            g.advance_evaluation(id, EvaluationStatus::Reviewed, "S0001", DateTime(boost::date_time::not_a_date_time));
        },
        "evaluation.at", "", "PE-3");
    EXPECT_NO_THROW(a.advance_evaluation(id, EvaluationStatus::Reviewed, "S0001", at(Date(2026, 3, 10), 15)));
}

TEST(EvaluationRefused, UnknownEvaluationsAreNotFound) {
    Agency a = evaluation_agency();
    const DateTime t = at(Date(2026, 3, 20), 10);
    expect_refused<NotFoundError>(
        a, [&](Agency& g) { g.advance_evaluation("EV0001", EvaluationStatus::SharedWithEvaluatee, "S0002", t); },
        "evaluation", "EV0001", "PE-3");
    expect_refused<NotFoundError>(a, [](Agency& g) { g.set_evaluatee_comments("EV0001", "x"); }, "evaluation", "EV0001",
                                  "PE-3");
    expect_refused<NotFoundError>(a, [](Agency& g) { g.set_kpis("EV0001", {}); }, "evaluation", "EV0001", "PE-3");
    EXPECT_THROW((void)a.weighted_score("EV0001"), NotFoundError);
    EXPECT_THROW((void)a.rating("EV0001"), NotFoundError);
    EXPECT_THROW((void)a.evidence("EV0001", std::nullopt), NotFoundError);
    EXPECT_THROW((void)a.evaluation("ev0001"), NotFoundError);
}

// ================================================================ PE-4 weighted score and rating

// mini for an AE: craft 12.5 %, care 87.5 %.
//   craft 1, care 2: (1 x 1250 + 2 x 8750) / 10000 = 18750 / 10000 = 1.875 -> half to even 1.88
//   craft 2, care 1: (2 x 1250 + 1 x 8750) / 10000 = 11250 / 10000 = 1.125 -> half to even 1.12
//   craft 5, care 4: (6250 + 35000) / 10000 = 4.125 -> 4.12
//   craft 3, care 3: 3.00
TEST(WeightedScore, ACustomRubricByHandRoundedHalfToEven) {
    Agency a = evaluation_agency();
    const std::string id = a.start_evaluation(spec("S0003", "S0002", EvaluationPeriod::Annual, Date(2026, 1, 1), "mini")).id;
    EXPECT_EQ(a.weighted_score(id), std::nullopt) << "none until every weighted criterion is scored";
    EXPECT_EQ(a.rating(id), std::nullopt);
    a.score_criterion(id, "craft", 1);
    EXPECT_EQ(a.weighted_score(id), std::nullopt);
    a.score_criterion(id, "care", 2);
    EXPECT_EQ(text(a.weighted_score(id)), "1.88");
    EXPECT_EQ(a.rating(id), Rating::Unsatisfactory);
    a.score_criterion(id, "craft", 2);
    a.score_criterion(id, "care", 1);
    EXPECT_EQ(text(a.weighted_score(id)), "1.12");
    a.score_criterion(id, "craft", 5);
    a.score_criterion(id, "care", 4);
    EXPECT_EQ(text(a.weighted_score(id)), "4.12");
    EXPECT_EQ(a.rating(id), Rating::Exceeds);
    a.score_criterion(id, "craft", 3);
    a.score_criterion(id, "care", 3);
    EXPECT_EQ(text(a.weighted_score(id)), "3.00");
    EXPECT_EQ(a.rating(id), Rating::Meets);
    // lead (0 % for an AE) is neither needed nor allowed
    EXPECT_THROW(a.score_criterion(id, "lead", 5), ValidationError);
    // an AM on the same rubric: craft 25, care 25, lead 50
    //   craft 2, care 3, lead 5: (2 x 25 + 3 x 25 + 5 x 50) / 100 = 375 / 100 = 3.75 -> Exceeds
    const std::string am =
        a.start_evaluation(spec("S0002", "S0001", EvaluationPeriod::Annual, Date(2026, 1, 1), "mini", {"S0004"})).id;
    a.score_criterion(am, "craft", 2);
    a.score_criterion(am, "care", 3);
    EXPECT_EQ(a.weighted_score(am), std::nullopt);
    a.score_criterion(am, "lead", 5);
    EXPECT_EQ(text(a.weighted_score(am)), "3.75");
    EXPECT_EQ(a.rating(am), Rating::Exceeds);
}

// The built-in rubric for an AE (weights in BuiltinRubrics.EveryTitlesWeightsSumTo100):
// every criterion 3, except internal reporting 5 (w 6), progress and follow-up 5 (w 7),
// attitude 4 (w 6) and training juniors 1 (w 2):
//   300 + 2 x 6 + 2 x 7 + 1 x 6 - 2 x 2 = 300 + 12 + 14 + 6 - 4 = 328 -> 3.28, Meets.
// For an AAE (training juniors not assessed) all 5 but attitude 1 (w 8): 500 - 4 x 8 = 468 -> 4.68.
TEST(WeightedScore, TheBuiltInRubricByHand) {
    Agency a = evaluation_agency();
    const std::string id = a.start_evaluation(spec("S0003", "S0002", EvaluationPeriod::Annual, Date(2026, 1, 1))).id;
    score_all(a, id, 3);
    EXPECT_EQ(text(a.weighted_score(id)), "3.00");
    a.score_criterion(id, "internal_reporting", 5);
    a.score_criterion(id, "progress_follow_up", 5);
    a.score_criterion(id, "attitude", 4);
    a.score_criterion(id, "training_juniors", 1);
    EXPECT_EQ(text(a.weighted_score(id)), "3.28");
    EXPECT_EQ(a.rating(id), Rating::Meets);

    const std::string aae = a.start_evaluation(spec("S0005", "S0003", EvaluationPeriod::Annual, Date(2026, 1, 1))).id;
    score_all(a, aae, 5);
    EXPECT_EQ(a.evaluation(aae).scores.size(), 20u) << "21 criteria less training juniors";
    a.score_criterion(aae, "attitude", 1);
    EXPECT_EQ(text(a.weighted_score(aae)), "4.68");
    EXPECT_EQ(a.rating(aae), Rating::Outstanding);
    // the bounds of the scale
    score_all(a, aae, 1);
    EXPECT_EQ(text(a.weighted_score(aae)), "1.00");
    score_all(a, aae, 5);
    EXPECT_EQ(text(a.weighted_score(aae)), "5.00");
}

// PE-4 default bands: < 2.0 unsatisfactory, < 2.75 needs improvement, < 3.75 meets,
// < 4.5 exceeds, otherwise outstanding.
TEST(RatingBands, DefaultBoundaries) {
    const RatingBands bands = aecore::Policy().rating_bands();
    EXPECT_EQ(bands.unsatisfactory_below, dec("2.00"));
    EXPECT_EQ(bands.needs_improvement_below, dec("2.75"));
    EXPECT_EQ(bands.meets_below, dec("3.75"));
    EXPECT_EQ(bands.exceeds_below, dec("4.50"));
    const std::vector<std::pair<const char*, Rating>> cases{
        {"1.00", Rating::Unsatisfactory}, {"1.99", Rating::Unsatisfactory}, {"2.00", Rating::NeedsImprovement},
        {"2.74", Rating::NeedsImprovement}, {"2.75", Rating::Meets},        {"3.74", Rating::Meets},
        {"3.75", Rating::Exceeds},         {"4.49", Rating::Exceeds},      {"4.50", Rating::Outstanding},
        {"5.00", Rating::Outstanding}};
    for (const auto& [score, rating] : cases) EXPECT_EQ(aecore::rating_of(dec(score), bands), rating) << score;
}

// The same boundaries through the Agency: "quarters" scores move in steps of 0.25, so the
// mean of four scores lands exactly on each bound and one step below it.
TEST(RatingBands, AnEvaluationOnEachBoundaryAndBelowIt) {
    Agency a = evaluation_agency();
    const std::string id =
        a.start_evaluation(spec("S0003", "S0002", EvaluationPeriod::Annual, Date(2026, 1, 1), "quarters")).id;
    const std::vector<std::tuple<std::array<int, 4>, const char*, Rating>> cases{
        {{2, 2, 2, 1}, "1.75", Rating::Unsatisfactory},   // 7 / 4
        {{2, 2, 2, 2}, "2.00", Rating::NeedsImprovement},  // 8 / 4
        {{3, 3, 2, 2}, "2.50", Rating::NeedsImprovement},  // 10 / 4
        {{3, 3, 3, 2}, "2.75", Rating::Meets},             // 11 / 4
        {{4, 4, 3, 3}, "3.50", Rating::Meets},             // 14 / 4
        {{4, 4, 4, 3}, "3.75", Rating::Exceeds},           // 15 / 4
        {{5, 4, 4, 4}, "4.25", Rating::Exceeds},           // 17 / 4
        {{5, 5, 4, 4}, "4.50", Rating::Outstanding},       // 18 / 4
    };
    for (const auto& [scores, score, rating] : cases) {
        score_quarters(a, id, scores);
        EXPECT_EQ(text(a.weighted_score(id)), score);
        EXPECT_EQ(a.rating(id), std::optional<Rating>(rating)) << score;
    }
}

// Policy::set_rating_bands moves the bands; the rating follows at once.
TEST(RatingBands, ChangedBandsInThePolicy) {
    Agency a = evaluation_agency();
    const std::string id =
        a.start_evaluation(spec("S0003", "S0002", EvaluationPeriod::Annual, Date(2026, 1, 1), "quarters")).id;
    score_quarters(a, id, {4, 4, 4, 3});  // 3.75
    EXPECT_EQ(a.rating(id), Rating::Exceeds);
    a.policy().set_rating_bands({dec("1.5"), dec("2.5"), dec("3.8"), dec("4.25")});
    EXPECT_EQ(a.rating(id), Rating::Meets) << "3.75 < 3.8";
    const std::vector<std::tuple<std::array<int, 4>, Rating>> cases{
        {{2, 2, 1, 1}, Rating::NeedsImprovement},  // 1.50: not below 1.5
        {{2, 1, 1, 1}, Rating::Unsatisfactory},    // 1.25
        {{3, 3, 2, 2}, Rating::Meets},             // 2.50
        {{4, 4, 4, 4}, Rating::Exceeds},           // 4.00
        {{5, 4, 4, 4}, Rating::Outstanding},       // 4.25
    };
    for (const auto& [scores, rating] : cases) {
        score_quarters(a, id, scores);
        EXPECT_EQ(a.rating(id), std::optional<Rating>(rating)) << text(a.weighted_score(id));
    }
    // bands that do not increase strictly within (1, 5] are refused and change nothing
    const aecore::Policy before = a.policy();
    for (const RatingBands& bad : {RatingBands{dec("2"), dec("2"), dec("3"), dec("4")},
                                   RatingBands{dec("1"), dec("2"), dec("3"), dec("4")},
                                   RatingBands{dec("2"), dec("3"), dec("4"), dec("5.01")},
                                   RatingBands{dec("3"), dec("2"), dec("4"), dec("4.5")}}) {
        EXPECT_THROW(a.policy().set_rating_bands(bad), ValidationError);
        EXPECT_TRUE(a.policy() == before);
    }
}

// ================================================================ PE-6 KPI composite

// 0.3 x 1.05 + 0.7 x 0.9 = 0.315 + 0.63 = 0.945 -> "0.9450"
// 0.25 x 1.2 + 0.25 x 0.8 + 0.5 x 1.1 = 0.3 + 0.2 + 0.55 = 1.05 -> "1.0500"
// 0.125 x 0.3333 + 0.875 x 1 = 0.0416625 + 0.875 = 0.9166625 -> "0.9167"
TEST(KpiComposite, ExactWithFourDecimals) {
    EXPECT_EQ(aecore::kpi_composite({Kpi{"billings", dec("0.3"), dec("1.05")}, Kpi{"margin", dec("0.7"), dec("0.9")}})
                  .to_string(),
              "0.9450");
    EXPECT_EQ(aecore::kpi_composite({Kpi{"a", dec("0.25"), dec("1.2")}, Kpi{"b", dec("0.25"), dec("0.8")},
                                     Kpi{"c", dec("0.5"), dec("1.1")}})
                  .to_string(),
              "1.0500");
    EXPECT_EQ(aecore::kpi_composite({Kpi{"a", dec("0.125"), dec("0.3333")}, Kpi{"b", dec("0.875"), dec("1")}}).to_string(),
              "0.9167");
    EXPECT_EQ(aecore::kpi_composite({Kpi{"only", dec("1"), dec("0")}}).to_string(), "0.0000");
    EXPECT_EQ(aecore::kpi_composite({Kpi{"only", dec("1.000"), dec("2.5")}}).to_string(), "2.5000");
    // a zero weight is allowed: 0 x 7 + 1 x 0.5
    EXPECT_EQ(aecore::kpi_composite({Kpi{"a", dec("0"), dec("7")}, Kpi{"b", dec("1"), dec("0.5")}}).to_string(), "0.5000");
    // weights of many decimals that sum to exactly 1: 0.333333333333333333 x 3 + 0.000000000000000001
    EXPECT_EQ(aecore::kpi_composite({Kpi{"a", dec("0.333333333333333333"), dec("1")},
                                     Kpi{"b", dec("0.333333333333333333"), dec("1")},
                                     Kpi{"c", dec("0.333333333333333334"), dec("1")}})
                  .to_string(),
              "1.0000");
}

// The fifth decimal exactly 5: half to even.
//   0.5 x 0.0003 = 0.00015 -> 0.0002 (1 is odd: up)
//   0.5 x 0.0005 = 0.00025 -> 0.0002 (2 is even: stays)
//   0.5 x 0.0007 = 0.00035 -> 0.0004
//   0.5 x 0.00051 = 0.000255 -> 0.0003 (above the half)
TEST(KpiComposite, HalfToEven) {
    const std::vector<std::pair<const char*, const char*>> cases{
        {"0.0003", "0.0002"}, {"0.0005", "0.0002"}, {"0.0007", "0.0004"}, {"0.00051", "0.0003"}};
    for (const auto& [achievement, expected] : cases)
        EXPECT_EQ(aecore::kpi_composite({Kpi{"a", dec("0.5"), dec(achievement)}, Kpi{"b", dec("0.5"), dec("0")}}).to_string(),
                  expected)
            << achievement;
}

TEST(KpiComposite, WeightsMustSumToExactlyOne) {
    auto refused = [](const std::vector<Kpi>& kpis, const std::string& field, const std::string& value) {
        try {
            (void)aecore::kpi_composite(kpis);
            ADD_FAILURE() << "accepted";
        } catch (const ValidationError& e) {
            book::expect_names(std::optional<aecore::Error>(e), field, value, "PE-6");
        }
    };
    refused({Kpi{"a", dec("0.49"), dec("1")}, Kpi{"b", dec("0.5"), dec("1")}}, "kpis.weights", "0.99");
    refused({Kpi{"a", dec("0.51"), dec("1")}, Kpi{"b", dec("0.5"), dec("1")}}, "kpis.weights", "1.01");
    refused({Kpi{"a", dec("0.5"), dec("-0.01")}, Kpi{"b", dec("0.5"), dec("1")}}, "kpi.achievement", "-0.01");
    refused({Kpi{"a", dec("-0.5"), dec("1")}, Kpi{"b", dec("1.5"), dec("1")}}, "kpi.weight", "-0.5");
    refused({}, "kpis", "[]");
    refused({Kpi{"a", dec("0.5"), dec("1")}, Kpi{"a", dec("0.5"), dec("1")}}, "kpi.name", "a");
    refused({Kpi{" ", dec("1"), dec("1")}}, "kpi.name", " ");
}

// set_kpis validates the whole list first: a refused list leaves the previous one.
TEST(KpiComposite, SetKpisHasTheStrongGuarantee) {
    Agency a = evaluation_agency();
    const std::string id = a.start_evaluation(spec("S0003", "S0002", EvaluationPeriod::Annual, Date(2026, 1, 1), "mini")).id;
    const std::vector<Kpi> kpis{Kpi{"billings", dec("0.6"), dec("1.1")}, Kpi{"collection", dec("0.4"), dec("0.95")}};
    EXPECT_EQ(a.set_kpis(id, kpis).kpis, kpis);
    // 0.6 x 1.1 + 0.4 x 0.95 = 0.66 + 0.38 = 1.04
    EXPECT_EQ(aecore::kpi_composite(a.evaluation(id).kpis).to_string(), "1.0400");
    expect_refused<ValidationError>(
        a, [](Agency& g) { g.set_kpis("EV0001", {Kpi{"billings", dec("0.6"), dec("1.1")}, Kpi{"x", dec("0.39"), dec("1")}}); },
        "kpis.weights", "0.99", "PE-6");
    expect_refused<ValidationError>(
        a, [](Agency& g) { g.set_kpis("EV0001", {Kpi{"billings", dec("0.6"), dec("-1")}, Kpi{"x", dec("0.4"), dec("1")}}); },
        "kpi.achievement", "-1", "PE-6");
    EXPECT_EQ(a.evaluation(id).kpis, kpis);
    EXPECT_TRUE(a.set_kpis(id, {}).kpis.empty()) << "an empty list clears the KPIs";
}

// ================================================================ PE-5 evidence


// The evidence book: staffed_agency() (Mon-Fri, no holidays, home city CD) and
//   ACME  (CD, home) first contact Mon 2026-02-02, Closed, full team (AE S0003, AAE S0005,
//         AM S0002, AD S0001);
//   BETA  (SH) first contact 2026-02-02, Negotiating, owner S0004 only - not S0003's;
//   GAMMA (CD) first contact Mon 2026-03-02, Potential, owner S0003.
// The window measured is Mon 2026-03-02 .. Mon 2026-03-23 (and the whole of March for the
// AdHoc evaluation of S0003).
//
// Activities with ACME (S0003 unless noted) and their contact reports (AS-1, 48 hours):
//   Fri 02-27 10:00 meeting            no report    (before the window)
//   Mon 03-02 10:00 meeting            03-03 09:00  on time
//   Wed 03-04 15:00 visit              03-06 16:00  late (due 03-06 15:00)
//   Mon 03-09 11:00 important call     none         missing
//   Tue 03-10 16:00 call               -            needs none
//   Fri 03-13 10:00 meeting by S0005   03-13 17:00  (the AAE's, not S0003's)
//   Mon 03-16 14:00 meeting            03-18 14:00  on time: exactly 48 hours
//   Sat 03-21 11:00 visit              03-23 10:00  on time
//   Mon 03-23 09:00 meeting            none         due 03-25 09:00: after 03-23, inside March
// Weekly status reports of S0003 (due by the end of the next Monday):
//   week of 02-23 on 03-02 (before the window), of 03-02 on Mon 03-09 09:00 (on time),
//   of 03-09 on Tue 03-17 10:00 (late), of 03-16 on Mon 03-23 23:59 (on time), none for 03-23;
//   S0004's report for 03-09 and S0003's monthly summary are not S0003's weekly reports.
// Media tickets (client-approved dates and revision rounds):
//   j1 ACME  deadline Fri 03-13 17:00  approved Thu 03-12 10:00  1 round   on time
//   j2 ACME  deadline Mon 03-16 12:00  approved Tue 03-17 10:00  2 rounds  late
//   j3 GAMMA deadline Fri 03-20 17:00  approved Fri 03-20 17:00  1 round   on time (at the deadline)
//   j4 BETA  deadline Fri 03-13 17:00  approved Wed 03-11 10:00  0 rounds  (not S0003's client)
//   j5 ACME  deadline Fri 03-27 17:00  approved Wed 03-25 10:00  0 rounds  on time (after 03-23)
// Estimates (approved by the client's K01) and vendor costs:
//   j1 10000.00 on 03-03, cost 12000.00 on 03-10 (over: the Warn policy lets it through)
//   j2  5000.00 on 03-03, cost  5000.00 on 03-10 (equal: not over)
//   j3  8000.00 on 03-05, cost  9000.00 on 03-25 (over only from 03-25)
//   j4  1000.00 on 03-03, cost  2000.00 on 03-10 (BETA's)
//   j5 no estimate
// Invoices (client level) and payments, in posting order:
//   02-10 INV-A1 ACME 10000.00 due 03-12;  02-20 payment 2000.00
//   03-05 INV-A2 ACME  6000.00 due 04-04;  03-05 INV-B1 BETA 7000.00 due 04-04
//   03-10 INV-G1 GAMMA 4000.00 due 04-09;  03-10 payment of INV-B1 7000.00
//   03-11 payment of INV-A1 5000.00;       03-12 CN-A1 ACME credit note -1000.00
//   03-16 cheque for INV-G1 1000.00, reversed on 03-18 (bounced); 03-19 payment of INV-G1 4000.00
//   03-20 payment of INV-A2 6000.00
//   03-25 INV-A3 ACME 3000.00 due 04-24;   03-25 payment of INV-A1 3000.00
struct EvidenceBook {
    Agency a = staffed_agency();
    std::string acme, beta, gamma, j1, j2, j3, j4, j5;

    EvidenceBook() {
        aecore::NewClient acme_spec = client_spec("Acme Foods", "ACME", "CD", Date(2026, 2, 2), PipelineStage::Closed);
        acme_spec.team = book::full_team();
        acme = a.register_client(acme_spec).code;
        beta = a.register_client(
                    client_spec("Beta Motors", "BETA", "SH", Date(2026, 2, 2), PipelineStage::Negotiating, "S0004"))
                   .code;
        gamma = a.register_client(client_spec("Gamma Tea", "GAMMA", "CD", Date(2026, 3, 2))).code;
        a.add_brand(acme, "Acme Noodles");
        a.add_brand(beta, "Beta EV");
        a.add_brand(gamma, "Gamma Green");
        for (const std::string& c : {acme, beta, gamma})
            a.add_contact(c, book::contact("Buyer of " + c, aecore::DecisionRole::DecisionMaker, true));  // K01

        // ---- AS-1
        auto log = [&](ActivityKind kind, const DateTime& when, const std::string& staff = "S0003", bool important = false) {
            aecore::NewActivity n = book::activity(kind, when, acme, staff);
            n.important = important;
            return a.log_activity(n).id;
        };
        auto report = [&](const std::string& activity, const DateTime& written, const std::string& author = "S0003") {
            a.add_contact_report(book::report(activity, written, author));
        };
        log(ActivityKind::Meeting, at(Date(2026, 2, 27), 10));
        report(log(ActivityKind::Meeting, at(Date(2026, 3, 2), 10)), at(Date(2026, 3, 3), 9));
        report(log(ActivityKind::Visit, at(Date(2026, 3, 4), 15)), at(Date(2026, 3, 6), 16));
        log(ActivityKind::Call, at(Date(2026, 3, 9), 11), "S0003", true);
        log(ActivityKind::Call, at(Date(2026, 3, 10), 16));
        report(log(ActivityKind::Meeting, at(Date(2026, 3, 13), 10), "S0005"), at(Date(2026, 3, 13), 17), "S0005");
        report(log(ActivityKind::Meeting, at(Date(2026, 3, 16), 14)), at(Date(2026, 3, 18), 14));
        report(log(ActivityKind::Visit, at(Date(2026, 3, 21), 11)), at(Date(2026, 3, 23), 10));
        log(ActivityKind::Meeting, at(Date(2026, 3, 23), 9));

        // ---- AS-3
        using book::status;
        a.submit_status_report(status(ReportKind::Weekly, "S0003", Date(2026, 2, 23), at(Date(2026, 3, 2), 9)));
        a.submit_status_report(status(ReportKind::Weekly, "S0003", Date(2026, 3, 2), at(Date(2026, 3, 9), 9)));
        a.submit_status_report(status(ReportKind::Weekly, "S0003", Date(2026, 3, 9), at(Date(2026, 3, 17), 10)));
        a.submit_status_report(status(ReportKind::Weekly, "S0003", Date(2026, 3, 16), at(Date(2026, 3, 23), 23, 59)));
        a.submit_status_report(status(ReportKind::Weekly, "S0004", Date(2026, 3, 9), at(Date(2026, 3, 16), 9)));
        a.submit_status_report(status(ReportKind::Monthly, "S0003", Date(2026, 3, 1), at(Date(2026, 3, 31), 17)));

        // ---- JT-12
        j1 = open(acme, "Acme Noodles", at(Date(2026, 2, 2), 9), at(Date(2026, 3, 13), 17));
        j2 = open(acme, "Acme Noodles", at(Date(2026, 2, 2), 9, 30), at(Date(2026, 3, 16), 12));
        j4 = open(beta, "Beta EV", at(Date(2026, 2, 2), 10), at(Date(2026, 3, 13), 17), "S0004");
        j3 = open(gamma, "Gamma Green", at(Date(2026, 3, 2), 8), at(Date(2026, 3, 20), 17));
        j5 = open(acme, "Acme Noodles", at(Date(2026, 3, 2), 8, 30), at(Date(2026, 3, 27), 17));
        deliver(j1, 1, at(Date(2026, 3, 12), 10));
        deliver(j2, 2, at(Date(2026, 3, 17), 10));
        deliver(j3, 1, at(Date(2026, 3, 20), 17));
        deliver(j4, 0, at(Date(2026, 3, 11), 10));
        deliver(j5, 0, at(Date(2026, 3, 25), 10));

        // ---- MB-2 / MB-3, in date order
        invoice("INV-A1", acme, Date(2026, 2, 10), Date(2026, 3, 12), "10000.00");
        pay("INV-A1", Date(2026, 2, 20), "2000.00");
        estimate(j1, "10000.00", Date(2026, 3, 3));
        estimate(j2, "5000.00", Date(2026, 3, 3));
        estimate(j4, "1000.00", Date(2026, 3, 3));
        estimate(j3, "8000.00", Date(2026, 3, 5));
        invoice("INV-A2", acme, Date(2026, 3, 5), Date(2026, 4, 4), "6000.00");
        invoice("INV-B1", beta, Date(2026, 3, 5), Date(2026, 4, 4), "7000.00");
        cost(j1, Date(2026, 3, 10), "12000.00");
        cost(j2, Date(2026, 3, 10), "5000.00");
        cost(j4, Date(2026, 3, 10), "2000.00");
        invoice("INV-G1", gamma, Date(2026, 3, 10), Date(2026, 4, 9), "4000.00");
        pay("INV-B1", Date(2026, 3, 10), "7000.00");
        pay("INV-A1", Date(2026, 3, 11), "5000.00");
        invoice("CN-A1", acme, Date(2026, 3, 12), Date(2026, 3, 12), "-1000.00");
        const aecore::LedgerEntry cheque = pay("INV-G1", Date(2026, 3, 16), "1000.00");
        a.reverse_entry(cheque.id, Date(2026, 3, 18), "cheque bounced", "S0003");
        pay("INV-G1", Date(2026, 3, 19), "4000.00");
        pay("INV-A2", Date(2026, 3, 20), "6000.00");
        cost(j3, Date(2026, 3, 25), "9000.00");
        invoice("INV-A3", acme, Date(2026, 3, 25), Date(2026, 4, 24), "3000.00");
        pay("INV-A1", Date(2026, 3, 25), "3000.00");
    }

    std::string open(const std::string& client, const std::string& brand, const DateTime& opened,
                     const DateTime& deadline, const std::string& issuer = "S0003") {
        aecore::NewJob j;
        j.client = client;
        j.brand = brand;
        j.department = aecore::Department::Media;
        j.job_type = aecore::JobType::Other;
        j.title = "Campaign for " + brand;
        j.brief = book::complete_brief("Media plan", "Q2 flighting");
        j.client_deadline = deadline;
        j.issuer = issuer;
        j.opened_at = opened;
        return a.open_job(j).number;
    }
    // Mon 03-02: approved by the AM, issued, worked on, reviewed, shown to the client;
    // then one client change request a day (03-03, 03-04, ...); then client-approved.
    void deliver(const std::string& job, int rounds, const DateTime& approved) {
        const Date d(2026, 3, 2);
        a.advance_job(job, TicketStatus::Approved, "S0002", at(d, 9));
        a.advance_job(job, TicketStatus::Issued, "S0003", at(d, 10));
        a.advance_job(job, TicketStatus::InProgress, "S0003", at(d, 11));
        a.advance_job(job, TicketStatus::InternalReview, "S0003", at(d, 12));
        a.advance_job(job, TicketStatus::ClientReview, "S0003", at(d, 13));
        for (int r = 1; r <= rounds; ++r) {
            const Date day = d + bg::days(r);
            a.advance_job(job, TicketStatus::InProgress, "S0003", at(day, 9), "the client asks for changes");
            a.advance_job(job, TicketStatus::InternalReview, "S0003", at(day, 10));
            a.advance_job(job, TicketStatus::ClientReview, "S0003", at(day, 11));
        }
        a.advance_job(job, TicketStatus::ClientApproved, "S0003", approved);
    }
    void estimate(const std::string& job, const char* amount, const Date& day) {
        const int v = a.prepare_estimate(aecore::NewEstimate{.job = job, .amount = cny(amount), .note = "scope",
                                                             .prepared_by = "S0003", .prepared_at = at(day, 9)})
                          .version;
        a.approve_estimate(job, v, "K01", at(day, 10));
    }
    void cost(const std::string& job, const Date& day, const char* amount) {
        a.record_cost(aecore::NewActualCost{.job = job, .date = day, .amount = cny(amount), .reference = "VI-" + job,
                                            .recorded_by = "S0003"});
    }
    void invoice(const std::string& number, const std::string& client, const Date& day, const Date& due,
                 const char* amount) {
        a.issue_invoice(aecore::NewInvoice{.number = number, .job = std::nullopt, .client = client,
                                           .contract = std::nullopt, .date = day, .due = due, .amount = cny(amount),
                                           .recorded_by = "S0003"});
    }
    aecore::LedgerEntry pay(const std::string& number, const Date& day, const char* amount) {
        return a.record_payment(aecore::NewPayment{.invoice = number, .date = day, .amount = cny(amount),
                                                   .reference = "bank", .recorded_by = "S0003"});
    }
};

// "value numerator/denominator" of one metric, for readable comparisons.
std::string show(const std::vector<EvidenceItem>& items, EvidenceMetric m) {
    for (const EvidenceItem& i : items)
        if (i.metric == m) return text(i.value) + " " + std::to_string(i.numerator) + "/" + std::to_string(i.denominator);
    return "absent";
}
const EvidenceItem* find(const std::vector<EvidenceItem>& items, EvidenceMetric m) {
    for (const EvidenceItem& i : items)
        if (i.metric == m) return &i;
    return nullptr;
}
std::vector<EvidenceMetric> metrics_of(const std::vector<EvidenceItem>& items) {
    std::vector<EvidenceMetric> out;
    for (const EvidenceItem& i : items) out.push_back(i.metric);
    return out;
}
const std::vector<EvidenceMetric> kAllMetrics{M::ContactReportsOnTime, M::WeeklyReportsOnTime, M::JobsOnTime,
                                              M::RevisionRounds,       M::EstimateOverruns,    M::CollectionRate,
                                              M::Dso,                  M::ContactCadence};

const Date kFrom(2026, 3, 2);
const Date kTo(2026, 3, 23);

// AS-1: the meetings, visits and important calls S0003 had from 03-02 whose 48 hours ran
// out by the end of 03-23: 03-02 (on time), 03-04 (late), 03-09 (missing), 03-16 (exactly
// 48 h: on time), 03-21 (on time). The 02-27 meeting is before the window, the 03-13
// meeting is the AAE's, the 03-23 meeting is not due yet, the plain call needs none.
//   3 of 5 = 0.6000
TEST(Evidence, ContactReportsWithin48Hours) {
    const EvidenceBook b;
    const auto items = b.a.evidence("S0003", kFrom, kTo);
    EXPECT_EQ(show(items, M::ContactReportsOnTime), "0.6000 3/5");
    EXPECT_EQ(find(items, M::ContactReportsOnTime)->detail, "3 of 5 contact reports written within 48 hours");
    EXPECT_TRUE(find(items, M::ContactReportsOnTime)->criteria.empty()) << "no rubric: no criteria";
    // the AAE's own meeting, reported the same day
    EXPECT_EQ(show(b.a.evidence("S0005", kFrom, kTo), M::ContactReportsOnTime), "1.0000 1/1");
}

// AS-3: the weeks of 03-02, 03-09 and 03-16 fall due (the next Monday) by 03-23; S0003
// owned ACME and GAMMA in each. On time: 03-02 (Mon 03-09) and 03-16 (Mon 03-23 23:59);
// late: 03-09 (Tue 03-17). 2 of 3 = 0.6667.
TEST(Evidence, WeeklyReportsOnTime) {
    const EvidenceBook b;
    EXPECT_EQ(show(b.a.evidence("S0003", kFrom, kTo), M::WeeklyReportsOnTime), "0.6667 2/3");
    // to Sunday 03-22 the week of 03-16 is not yet due: 1 of 2 = 0.5000
    EXPECT_EQ(show(b.a.evidence("S0003", kFrom, Date(2026, 3, 22)), M::WeeklyReportsOnTime), "0.5000 1/2");
    // starting on Tuesday 03-03 the first week counted is 03-09: 1 of 2
    EXPECT_EQ(show(b.a.evidence("S0003", Date(2026, 3, 3), kTo), M::WeeklyReportsOnTime), "0.5000 1/2");
    // S0004 owns BETA: the week of 03-09 on Mon 03-16 is on time, 03-02 and 03-16 are missing
    EXPECT_EQ(show(b.a.evidence("S0004", kFrom, kTo), M::WeeklyReportsOnTime), "0.3333 1/3");
    // the AAE owns no client: nothing to measure
    EXPECT_EQ(show(b.a.evidence("S0005", kFrom, kTo), M::WeeklyReportsOnTime), "- 0/0");
}

// JT-12: tickets of S0003's clients (ACME, GAMMA) client-approved 03-02..03-23: j1 (on
// time), j2 (late), j3 (on time, exactly at the deadline); j4 is BETA's, j5 comes 03-25.
//   on time 2 of 3 = 0.6667; revision rounds (1 + 2 + 1) / 3 = 1.33
TEST(Evidence, JobsOnTimeAndRevisionRounds) {
    const EvidenceBook b;
    const auto items = b.a.evidence("S0003", kFrom, kTo);
    EXPECT_EQ(show(items, M::JobsOnTime), "0.6667 2/3");
    EXPECT_EQ(show(items, M::RevisionRounds), "1.33 4/3");
    // BETA's owner: j4 only, on time, no rounds
    const auto beta = b.a.evidence("S0004", kFrom, kTo);
    EXPECT_EQ(show(beta, M::JobsOnTime), "1.0000 1/1");
    EXPECT_EQ(show(beta, M::RevisionRounds), "0.00 0/1");
}

// MB-2: S0003's clients' jobs with an approved estimate by 03-23: j1, j2, j3 (j5 has
// none). Actual cost to 03-23: j1 12000 > 10000 (over), j2 5000 = 5000, j3 nothing yet.
//   1 of 3; the value is the count of overruns
TEST(Evidence, EstimateOverruns) {
    const EvidenceBook b;
    EXPECT_EQ(show(b.a.evidence("S0003", kFrom, kTo), M::EstimateOverruns), "1 1/3");
    // by 03-31 j3's 9000 > 8000 of 03-25 is over too
    EXPECT_EQ(show(b.a.evidence("S0003", kFrom, Date(2026, 3, 31)), M::EstimateOverruns), "2 2/3");
    // before the estimates were approved nothing was estimated
    EXPECT_EQ(show(b.a.evidence("S0003", Date(2026, 2, 2), Date(2026, 3, 2)), M::EstimateOverruns), "- 0/0");
    EXPECT_EQ(show(b.a.evidence("S0004", kFrom, kTo), M::EstimateOverruns), "1 1/1");
}

// MB-3: collected / (open at the start + billed) for ACME and GAMMA over 03-02..03-23.
//   open at the start: INV-A1 10000 - 2000 = 8000.00
//   billed: INV-A2 6000 + INV-G1 4000 + CN-A1 -1000 = 9000.00
//   collected: 5000 (A1) + 1000 - 1000 (the bounced cheque) + 4000 (G1) + 6000 (A2) = 15000.00
//   15000 / 17000 = 0.88235... -> 0.8824 (BETA's 7000 is not S0003's)
TEST(Evidence, CollectionRate) {
    const EvidenceBook b;
    const auto items = b.a.evidence("S0003", kFrom, kTo);
    EXPECT_EQ(show(items, M::CollectionRate), "0.8824 1500000/1700000");
    EXPECT_TRUE(contains(find(items, M::CollectionRate)->detail, "88.24 %")) << find(items, M::CollectionRate)->detail;
    // BETA: 7000 collected of 7000 billed
    EXPECT_EQ(show(b.a.evidence("S0004", kFrom, kTo), M::CollectionRate), "1.0000 700000/700000");
}

// MB-5: DSO at 03-23 over the default 90 days (2025-12-24..2026-03-23).
//   receivable: ACME INV-A1 10000 - 2000 - 5000 = 3000 plus CN-A1 -1000 = 2000.00; GAMMA 0
//   billed in the window: ACME 10000 + 6000 - 1000 = 15000, GAMMA 4000 (paid up, still billed) = 19000.00
//   2000 x 90 / 19000 = 9.47... -> 9.5
TEST(Evidence, DaysSalesOutstanding) {
    const EvidenceBook b;
    EXPECT_EQ(show(b.a.evidence("S0003", kFrom, kTo), M::Dso), "9.5 200000/1900000");
    // the aging agrees on ACME alone: 2000 x 90 / 15000 = 12.0
    const aecore::AgingReport aging = b.a.aging(kTo);
    ASSERT_EQ(aging.rows.size(), 1u) << "GAMMA and BETA owe nothing";
    EXPECT_EQ(aging.rows[0].client, b.acme);
    EXPECT_EQ(text(aging.rows[0].dso), "12.0");
}

// CL-4: ACME is a home-city client (contact every business day); GAMMA is only Potential.
// A business day is within the cadence when it is at most the next business day after
// the last contact (by anyone) with ACME:
//   03-02 ok (met)   03-03 ok   03-04 ok (visit)  03-05 ok   03-06 overdue
//   03-09 ok (call)  03-10 ok (call)  03-11 ok    03-12 overdue  03-13 ok (S0005 met them)
//   03-16 ok (met)   03-17 ok   03-18 overdue     03-19 overdue  03-20 overdue
//   03-23 ok (met; the Saturday visit alone would do too: due the next business day, Monday)
//   11 of 16 = 0.6875
TEST(Evidence, ContactCadence) {
    const EvidenceBook b;
    const auto items = b.a.evidence("S0003", kFrom, kTo);
    EXPECT_EQ(show(items, M::ContactCadence), "0.6875 11/16");
    EXPECT_EQ(find(items, M::ContactCadence)->detail, "11 of 16 client-days within the contact cadence");
    // BETA (SH, every 3 business days), Negotiating, never contacted after its first contact
    // on 02-02: due 02-05, overdue from 02-06 on, so every business day of the window is overdue.
    EXPECT_EQ(show(b.a.evidence("S0004", kFrom, kTo), M::ContactCadence), "0.0000 0/16");
}

// Every metric, in a fixed order, for any staff member; none where there is nothing to
// measure.
TEST(Evidence, EveryMetricInOrderAndNoneWithoutData) {
    const EvidenceBook b;
    EXPECT_EQ(metrics_of(b.a.evidence("S0003", kFrom, kTo)), kAllMetrics);
    const Agency empty = staffed_agency();
    const auto items = empty.evidence("S0004", kFrom, kTo);
    EXPECT_EQ(metrics_of(items), kAllMetrics);
    for (const EvidenceItem& i : items) {
        EXPECT_EQ(i.value, std::nullopt) << to_string(i.metric);
        EXPECT_EQ(i.numerator, 0) << to_string(i.metric);
        EXPECT_EQ(i.denominator, 0) << to_string(i.metric);
        EXPECT_FALSE(i.detail.empty()) << to_string(i.metric);
    }
}

TEST(Evidence, BadArgumentsAreRefused) {
    const EvidenceBook b;
    EXPECT_THROW((void)b.a.evidence("S0099", kFrom, kTo), NotFoundError);
    EXPECT_THROW((void)b.a.evidence("S0003", kTo, kFrom), ValidationError);
    EXPECT_THROW((void)b.a.evidence("S0003", Date(boost::date_time::not_a_date_time), kTo), ValidationError);
    EXPECT_NO_THROW((void)b.a.evidence("S0003", kTo, kTo));
}

// evidence(evaluation): the metrics over the evaluation's period, each with the criteria
// of the rubric that list it and are weighted for the evaluatee's title; metrics that
// inform no such criterion are left out.
TEST(EvaluationEvidence, MetricsAreAttachedToTheWeightedCriteriaThatListThem) {
    EvidenceBook b;
    b.a.add_rubric(mini());
    const std::string ev = b.a.start_evaluation(spec("S0003", "S0002", EvaluationPeriod::AdHoc, kFrom, "account-service",
                                                     {}, Date(2026, 3, 31)))
                               .id;
    using V = std::vector<std::string>;
    const auto items = b.a.evidence(ev, kTo);
    EXPECT_EQ(metrics_of(items), kAllMetrics);
    const std::vector<std::pair<EvidenceMetric, V>> account{
        {M::ContactReportsOnTime, V{"internal_reporting", "external_communication"}},
        {M::WeeklyReportsOnTime, V{"internal_reporting"}},
        {M::JobsOnTime, V{"progress_follow_up"}},
        {M::RevisionRounds, V{"creative_evaluation", "progress_follow_up"}},
        {M::EstimateOverruns, V{"money_mindedness"}},
        {M::CollectionRate, V{"money_mindedness"}},
        {M::Dso, V{"money_mindedness"}},
        {M::ContactCadence, V{"external_communication", "helpfulness_to_clients"}}};
    for (const auto& [metric, criteria] : account) EXPECT_EQ(find(items, metric)->criteria, criteria) << to_string(metric);

    const std::string five = b.a.start_evaluation(spec("S0003", "S0002", EvaluationPeriod::AdHoc, kFrom, "5A", {},
                                                       Date(2026, 3, 31)))
                                 .id;
    const auto five_items = b.a.evidence(five, kTo);
    const std::vector<std::pair<EvidenceMetric, V>> five_a{
        {M::ContactReportsOnTime, V{"attach"}}, {M::WeeklyReportsOnTime, V{"attack"}}, {M::JobsOnTime, V{"attack"}},
        {M::RevisionRounds, V{"approach"}},     {M::EstimateOverruns, V{"account"}},   {M::CollectionRate, V{"account"}},
        {M::Dso, V{"account"}},                 {M::ContactCadence, V{"attach"}}};
    for (const auto& [metric, criteria] : five_a) EXPECT_EQ(find(five_items, metric)->criteria, criteria) << to_string(metric);

    // mini for an AE: lead (CollectionRate, JobsOnTime) weighs 0, so CollectionRate informs
    // nothing and is left out, and JobsOnTime informs craft only
    const std::string ae = b.a.start_evaluation(spec("S0003", "S0002", EvaluationPeriod::AdHoc, kFrom, "mini", {},
                                                     Date(2026, 3, 31)))
                               .id;
    const auto ae_items = b.a.evidence(ae, kTo);
    EXPECT_EQ(metrics_of(ae_items), (std::vector<EvidenceMetric>{M::JobsOnTime, M::ContactCadence}));
    EXPECT_EQ(find(ae_items, M::JobsOnTime)->criteria, V{"craft"});
    EXPECT_EQ(find(ae_items, M::ContactCadence)->criteria, V{"care"});
    // for an AM lead weighs 50 %
    const std::string am = b.a.start_evaluation(spec("S0002", "S0001", EvaluationPeriod::AdHoc, kFrom, "mini", {"S0004"},
                                                     Date(2026, 3, 31)))
                               .id;
    const auto am_items = b.a.evidence(am, kTo);
    EXPECT_EQ(metrics_of(am_items), (std::vector<EvidenceMetric>{M::JobsOnTime, M::CollectionRate, M::ContactCadence}));
    EXPECT_EQ(find(am_items, M::JobsOnTime)->criteria, (V{"craft", "lead"}));
    EXPECT_EQ(find(am_items, M::CollectionRate)->criteria, V{"lead"});
    // the values are the staff member's evidence over the same days
    const auto plain = b.a.evidence("S0003", kFrom, kTo);
    for (const EvidenceItem& i : items) {
        const EvidenceItem* p = find(plain, i.metric);
        ASSERT_NE(p, nullptr);
        EXPECT_EQ(i.value, p->value) << to_string(i.metric);
        EXPECT_EQ(i.numerator, p->numerator) << to_string(i.metric);
        EXPECT_EQ(i.denominator, p->denominator) << to_string(i.metric);
        EXPECT_EQ(i.detail, p->detail) << to_string(i.metric);
    }
}

// evidence(evaluation, as_of) stops at as_of while the period runs; without as_of (or past
// the end) it covers the whole period, 03-02..03-31:
//   contact reports: + the 03-23 meeting (due 03-25, none)      3 of 6 = 0.5000
//   weekly reports:  + the week of 03-23 (due 03-30, none)      2 of 4 = 0.5000
//   jobs:            + j5 (03-25, on time, 0 rounds)            3 of 4 = 0.7500; rounds 4 / 4 = 1.00
//   overruns:        + j3 (9000 > 8000 from 03-25)              2 of 3
//   collection:      open 8000; billed 9000 + INV-A3 3000 = 12000; collected 15000 + 3000 = 18000
//                    18000 / 20000 = 0.9000
//   DSO at 03-31:    receivable ACME INV-A3 3000 - CN-A1 1000 = 2000; billed 2026-01-01..03-31:
//                    ACME 18000 + GAMMA 4000 = 22000; 2000 x 90 / 22000 = 8.18... -> 8.2
//   cadence:         + 03-24 ok, 03-25 03-26 03-27 03-30 03-31 overdue: 12 of 22 = 0.5455
TEST(EvaluationEvidence, AsOfTruncatesThePeriod) {
    EvidenceBook b;
    const std::string ev = b.a.start_evaluation(spec("S0003", "S0002", EvaluationPeriod::AdHoc, kFrom, "account-service",
                                                     {}, Date(2026, 3, 31)))
                               .id;
    const auto upto = b.a.evidence(ev, kTo);
    const std::vector<std::pair<EvidenceMetric, const char*>> at_23{
        {M::ContactReportsOnTime, "0.6000 3/5"}, {M::WeeklyReportsOnTime, "0.6667 2/3"},
        {M::JobsOnTime, "0.6667 2/3"},           {M::RevisionRounds, "1.33 4/3"},
        {M::EstimateOverruns, "1 1/3"},          {M::CollectionRate, "0.8824 1500000/1700000"},
        {M::Dso, "9.5 200000/1900000"},          {M::ContactCadence, "0.6875 11/16"}};
    for (const auto& [metric, expected] : at_23) EXPECT_EQ(show(upto, metric), expected) << to_string(metric);

    const auto whole = b.a.evidence(ev, std::nullopt);
    const std::vector<std::pair<EvidenceMetric, const char*>> at_31{
        {M::ContactReportsOnTime, "0.5000 3/6"}, {M::WeeklyReportsOnTime, "0.5000 2/4"},
        {M::JobsOnTime, "0.7500 3/4"},           {M::RevisionRounds, "1.00 4/4"},
        {M::EstimateOverruns, "2 2/3"},          {M::CollectionRate, "0.9000 1800000/2000000"},
        {M::Dso, "8.2 200000/2200000"},          {M::ContactCadence, "0.5455 12/22"}};
    for (const auto& [metric, expected] : at_31) EXPECT_EQ(show(whole, metric), expected) << to_string(metric);
    EXPECT_EQ(b.a.evidence(ev, Date(2026, 4, 30)), whole) << "as_of after the end changes nothing";
    EXPECT_EQ(b.a.evidence(ev, Date(2026, 3, 31)), whole);
    EXPECT_EQ(b.a.evidence(ev, kFrom).size(), 8u) << "the first day is a period too";
    EXPECT_THROW((void)b.a.evidence(ev, Date(2026, 3, 1)), ValidationError) << "before the period starts";
}

// ================================================================ team view and calibration

// staffed_agency() plus a second branch under the AD and an outsider:
//   S0006 AM  Zhou Hua  -> S0001        S0008 AD  Qian Bo   (no manager)
//   S0007 AE  Sun Li    -> S0006        S0009 AE  Ma Lin    -> S0008
// and, on the "quarters" rubric (weighted score = mean of four scores):
//   EV0001 S0003 by S0002  Q1 2026 (01-01..03-31)   all 2            2.00 NeedsImprovement
//   EV0002 S0004 by S0002  Q1 2026                  all 4            4.00 Exceeds
//   EV0003 S0003 by S0002  Q2 2026 (04-01..06-30)   all 3            3.00 Meets
//   EV0004 S0005 by S0003  AdHoc 03-31..04-01       4, 3, 3, 3       3.25 Meets
//   EV0005 S0002 by S0001  Q1 2026, reviewer S0004  one score only   -
//   EV0006 S0007 by S0006  Annual 2025              all 5            5.00 Outstanding
//   EV0007 S0009 by S0008  Q1 2026, reviewer S0001  all 1            1.00 (another organisation)
// (an evaluator without a manager must name a reviewer: somebody has to review)
struct TeamBook {
    Agency a = staffed_agency();
    TeamBook() {
        a.add_rubric(quarters());
        a.add_staff(book::person("Zhou Hua", Title::AM, "S0001"));  // S0006
        a.add_staff(book::person("Sun Li", Title::AE, "S0006"));    // S0007
        a.add_staff(book::person("Qian Bo", Title::AD));            // S0008
        a.add_staff(book::person("Ma Lin", Title::AE, "S0008"));    // S0009
        const Date q1(2026, 1, 1), q2(2026, 4, 1);
        score_all(a, a.start_evaluation(spec("S0003", "S0002", EvaluationPeriod::Quarterly, q1, "quarters")).id, 2);
        score_all(a, a.start_evaluation(spec("S0004", "S0002", EvaluationPeriod::Quarterly, q1, "quarters")).id, 4);
        score_all(a, a.start_evaluation(spec("S0003", "S0002", EvaluationPeriod::Quarterly, q2, "quarters")).id, 3);
        score_quarters(a,
                       a.start_evaluation(spec("S0005", "S0003", EvaluationPeriod::AdHoc, Date(2026, 3, 31), "quarters",
                                               {}, Date(2026, 4, 1)))
                           .id,
                       {4, 3, 3, 3});
        const std::string incomplete =
            a.start_evaluation(spec("S0002", "S0001", EvaluationPeriod::Quarterly, q1, "quarters", {"S0004"})).id;
        a.score_criterion(incomplete, "q1", 5);
        score_all(a, a.start_evaluation(spec("S0007", "S0006", EvaluationPeriod::Annual, Date(2025, 1, 1), "quarters")).id, 5);
        score_all(a, a.start_evaluation(spec("S0009", "S0008", EvaluationPeriod::Quarterly, q1, "quarters", {"S0001"})).id, 1);
    }
};

std::vector<std::string> evaluations_of(const std::vector<TeamEvaluationRow>& rows) {
    std::vector<std::string> out;
    for (const TeamEvaluationRow& r : rows) out.push_back(r.evaluation);
    return out;
}

// The lead's whole organisation, direct and indirect reports, and only evaluations whose
// period overlaps [from, to].
TEST(TeamEvaluations, TheWholeOrganisationAndOnlyOverlappingPeriods) {
    const TeamBook b;
    using V = std::vector<std::string>;
    const Date jan1(2026, 1, 1), dec31(2026, 12, 31);
    EXPECT_EQ(evaluations_of(b.a.team_evaluations("S0001", jan1, dec31)), (V{"EV0001", "EV0002", "EV0003", "EV0004", "EV0005"}))
        << "S0007's is of 2025; S0009 is in another organisation";
    EXPECT_EQ(evaluations_of(b.a.team_evaluations("S0001", Date(2025, 1, 1), dec31)),
              (V{"EV0001", "EV0002", "EV0003", "EV0004", "EV0005", "EV0006"}));
    EXPECT_EQ(evaluations_of(b.a.team_evaluations("S0001", Date(2025, 12, 31), Date(2025, 12, 31))), (V{"EV0006"}));
    // Q2: EV0003, and the ad-hoc period ending on 04-01
    EXPECT_EQ(evaluations_of(b.a.team_evaluations("S0001", Date(2026, 4, 1), Date(2026, 6, 30))), (V{"EV0003", "EV0004"}));
    EXPECT_EQ(evaluations_of(b.a.team_evaluations("S0001", Date(2026, 4, 2), Date(2026, 6, 30))), (V{"EV0003"}));
    // one day: the Q1 evaluations and the ad-hoc one starting that day
    EXPECT_EQ(evaluations_of(b.a.team_evaluations("S0001", Date(2026, 3, 31), Date(2026, 3, 31))),
              (V{"EV0001", "EV0002", "EV0004", "EV0005"}));
    EXPECT_TRUE(b.a.team_evaluations("S0001", Date(2026, 7, 1), dec31).empty());
    // an AM's organisation: her AEs and their AAE, not herself
    EXPECT_EQ(evaluations_of(b.a.team_evaluations("S0002", jan1, dec31)), (V{"EV0001", "EV0002", "EV0003", "EV0004"}));
    EXPECT_EQ(evaluations_of(b.a.team_evaluations("S0003", jan1, dec31)), (V{"EV0004"}));
    EXPECT_TRUE(b.a.team_evaluations("S0005", jan1, dec31).empty());
    EXPECT_EQ(evaluations_of(b.a.team_evaluations("S0008", jan1, dec31)), (V{"EV0007"}));
    EXPECT_EQ(evaluations_of(b.a.team_evaluations("S0006", Date(2025, 1, 1), dec31)), (V{"EV0006"}));
    EXPECT_THROW((void)b.a.team_evaluations("S0099", jan1, dec31), NotFoundError);
}

TEST(TeamEvaluations, RowsCarryScoreRatingAndEvidence) {
    const TeamBook b;
    const Date jan1(2026, 1, 1), dec31(2026, 12, 31);
    const auto rows = b.a.team_evaluations("S0001", jan1, dec31);
    ASSERT_EQ(rows.size(), 5u);
    const std::vector<std::tuple<const char*, Title, const char*, const char*, std::optional<Rating>>> expected{
        {"S0003", Title::AE, "S0002", "2.00", Rating::NeedsImprovement},
        {"S0004", Title::AE, "S0002", "4.00", Rating::Exceeds},
        {"S0003", Title::AE, "S0002", "3.00", Rating::Meets},
        {"S0005", Title::AAE, "S0003", "3.25", Rating::Meets},
        {"S0002", Title::AM, "S0001", "-", std::nullopt}};
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& [evaluatee, title, evaluator, score, rating] = expected[i];
        EXPECT_EQ(rows[i].evaluatee, evaluatee) << i;
        EXPECT_EQ(rows[i].title, title) << i;
        EXPECT_EQ(rows[i].evaluator, evaluator) << i;
        EXPECT_EQ(rows[i].status, EvaluationStatus::Draft) << i;
        EXPECT_EQ(text(rows[i].score), score) << i;
        EXPECT_EQ(rows[i].rating, rating) << i;
        // the "quarters" criteria list no metric: no evidence attaches
        EXPECT_EQ(rows[i].evidence, b.a.evidence(rows[i].evaluation, dec31)) << i;
        EXPECT_TRUE(rows[i].evidence.empty()) << i;
    }
    // with the built-in rubric the row carries the evidence up to `to`
    TeamBook c;
    const std::string id =
        c.a.start_evaluation(spec("S0004", "S0002", EvaluationPeriod::Annual, jan1, "account-service")).id;
    const auto q1 = c.a.team_evaluations("S0002", jan1, Date(2026, 3, 31));
    ASSERT_EQ(q1.back().evaluation, id);
    EXPECT_EQ(q1.back().evidence, c.a.evidence(id, Date(2026, 3, 31)));
    EXPECT_EQ(q1.back().evidence.size(), 8u);
    EXPECT_EQ(q1.back().status, EvaluationStatus::Draft);
}

// Like evidence() and the money reports, the team view refuses a period that ends before
// it starts (an inverted range would otherwise select every evaluation spanning both days).
TEST(TeamEvaluations, APeriodEndingBeforeItStartsIsRefused) {
    const TeamBook b;
    EXPECT_THROW((void)b.a.team_evaluations("S0001", Date(2026, 3, 31), Date(2026, 1, 1)), ValidationError);
    EXPECT_THROW((void)b.a.calibration("S0001", Date(2026, 3, 31), Date(2026, 1, 1)), ValidationError);
    EXPECT_THROW((void)b.a.team_evaluations("S0001", Date(boost::date_time::not_a_date_time), Date(2026, 1, 1)),
                 ValidationError);
}

// Calibration per evaluator over complete weighted scores (incomplete ones are left out):
//   S0002: 2.00, 4.00, 3.00 -> count 3, mean 9.00 / 3 = 3.00, min 2.00, max 4.00,
//          population variance ((-1)^2 + 1^2 + 0^2) / 3 = 0.666..., spread sqrt = 0.8164... -> 0.82
//   S0003: 3.25 alone -> mean 3.25, spread 0.00
//   S0001: EV0005 is incomplete -> no row
TEST(Calibration, MeanSpreadMinMaxByHand) {
    const TeamBook b;
    const auto rows = b.a.calibration("S0001", Date(2026, 1, 1), Date(2026, 12, 31));
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].evaluator, "S0002");
    EXPECT_EQ(rows[0].count, 3);
    EXPECT_EQ(rows[0].mean.to_string(), "3.00");
    EXPECT_EQ(rows[0].spread.to_string(), "0.82");
    EXPECT_EQ(rows[0].min.to_string(), "2.00");
    EXPECT_EQ(rows[0].max.to_string(), "4.00");
    EXPECT_EQ(rows[1].evaluator, "S0003");
    EXPECT_EQ(rows[1].count, 1);
    EXPECT_EQ(rows[1].mean.to_string(), "3.25");
    EXPECT_EQ(rows[1].spread.to_string(), "0.00");
    EXPECT_EQ(rows[1].min.to_string(), "3.25");
    EXPECT_EQ(rows[1].max.to_string(), "3.25");
    // Q2 only: S0002's 3.00 and S0003's 3.25 (the ad-hoc period ends 04-01)
    const auto q2 = b.a.calibration("S0001", Date(2026, 4, 1), Date(2026, 6, 30));
    ASSERT_EQ(q2.size(), 2u);
    EXPECT_EQ(q2[0].count, 1);
    EXPECT_EQ(q2[0].mean.to_string(), "3.00");
    EXPECT_EQ(q2[0].spread.to_string(), "0.00");
    // 2025: S0006's 5.00
    const auto y2025 = b.a.calibration("S0001", Date(2025, 1, 1), Date(2025, 12, 31));
    ASSERT_EQ(y2025.size(), 1u);
    EXPECT_EQ(y2025[0].evaluator, "S0006");
    EXPECT_EQ(y2025[0].mean.to_string(), "5.00");
    EXPECT_TRUE(b.a.calibration("S0005", Date(2026, 1, 1), Date(2026, 12, 31)).empty());
}

// Means and spreads half to even at 2 decimals:
//   S0002 scores 2.00 and 2.25 (quarters 3,2,2,2): mean 4.25 / 2 = 2.125 -> 2.12;
//   spread |2.25 - 2.00| / 2 = 0.125 -> 0.12
//   adding 2.50 (3,3,2,2): mean 6.75 / 3 = 2.25; variance (0.0625 + 0 + 0.0625) / 3 = 0.041666...,
//   spread 0.2041... -> 0.20
TEST(Calibration, HalfToEvenAtTwoDecimals) {
    Agency a = evaluation_agency();
    score_quarters(a, a.start_evaluation(spec("S0003", "S0002", EvaluationPeriod::Quarterly, Date(2026, 1, 1), "quarters")).id,
                   {2, 2, 2, 2});
    score_quarters(a, a.start_evaluation(spec("S0004", "S0002", EvaluationPeriod::Quarterly, Date(2026, 1, 1), "quarters")).id,
                   {3, 2, 2, 2});
    auto rows = a.calibration("S0001", Date(2026, 1, 1), Date(2026, 3, 31));
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].mean.to_string(), "2.12");
    EXPECT_EQ(rows[0].spread.to_string(), "0.12");
    score_quarters(a, a.start_evaluation(spec("S0003", "S0002", EvaluationPeriod::Quarterly, Date(2026, 2, 1), "quarters")).id,
                   {3, 3, 2, 2});
    rows = a.calibration("S0001", Date(2026, 1, 1), Date(2026, 3, 31));
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].count, 3);
    EXPECT_EQ(rows[0].mean.to_string(), "2.25");
    EXPECT_EQ(rows[0].spread.to_string(), "0.20");
    EXPECT_EQ(rows[0].min.to_string(), "2.00");
    EXPECT_EQ(rows[0].max.to_string(), "2.50");
}

// The spread is the population standard deviation rounded once, half to even, to 2
// decimals. Scores 1.00, 1.11 and 2.42 ("calib": a 11 %, b 31 %, c 58 %):
//   1.00 = all 1;  1.11 = a 2;  2.42 = a 3, b 3, c 2 (1 + (22 + 62 + 58) / 100)
//   mean 4.53 / 3 = 1.51; deviations -0.51, -0.40, 0.91; squares 0.2601 + 0.16 + 0.8281 = 1.2482
//   variance 1.2482 / 3 = 0.416066...; spread sqrt = 0.645032... -> 0.65
// (Rounding the square root down to 4 decimals first gives 0.6450, which half-even rounds
// to 0.64: the spread must be rounded from the exact value, not from a truncated one.)
TEST(Calibration, TheSpreadIsRoundedOnceFromTheExactStandardDeviation) {
    Agency a = staffed_agency();
    a.add_rubric(calib());
    const std::string one = a.start_evaluation(spec("S0003", "S0002", EvaluationPeriod::Quarterly, Date(2026, 1, 1), "calib")).id;
    const std::string two = a.start_evaluation(spec("S0004", "S0002", EvaluationPeriod::Quarterly, Date(2026, 1, 1), "calib")).id;
    const std::string three = a.start_evaluation(spec("S0003", "S0002", EvaluationPeriod::Quarterly, Date(2026, 4, 1), "calib")).id;
    for (const auto& [id, scores] : std::vector<std::pair<std::string, std::array<int, 3>>>{
             {one, {1, 1, 1}}, {two, {2, 1, 1}}, {three, {3, 3, 2}}}) {
        a.score_criterion(id, "a", scores[0]);
        a.score_criterion(id, "b", scores[1]);
        a.score_criterion(id, "c", scores[2]);
    }
    EXPECT_EQ(text(a.weighted_score(one)), "1.00");
    EXPECT_EQ(text(a.weighted_score(two)), "1.11");
    EXPECT_EQ(text(a.weighted_score(three)), "2.42");
    const auto rows = a.calibration("S0001", Date(2026, 1, 1), Date(2026, 12, 31));
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].count, 3);
    EXPECT_EQ(rows[0].mean.to_string(), "1.51");
    EXPECT_EQ(rows[0].min.to_string(), "1.00");
    EXPECT_EQ(rows[0].max.to_string(), "2.42");
    EXPECT_EQ(rows[0].spread.to_string(), "0.65");
}

// ================================================================ PE-3 audit

std::vector<Finding> pe3(const Agency& a, const Date& as_of) {
    std::vector<Finding> out;
    for (const Finding& f : a.audit(as_of))
        if (f.rule == "PE-3") out.push_back(f);
    return out;
}

// An evaluation whose period has ended is due to be finalized (due = the period's end);
// a discussed one needs the evaluatee's comments.
TEST(AuditEvaluations, PastItsEndAndNotFinalizedUntilFinalized) {
    Agency a = evaluation_agency();
    NewEvaluation n = spec("S0003", "S0002", EvaluationPeriod::Quarterly, Date(2026, 1, 1), "mini", {"S0001"});
    n.created_at = at(Date(2026, 1, 5), 9);
    const std::string id = a.start_evaluation(n).id;
    EXPECT_TRUE(pe3(a, Date(2026, 3, 31)).empty()) << "the last day of the period";
    auto f = pe3(a, Date(2026, 4, 1));
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::Warning);
    EXPECT_EQ(f[0].subject, id);
    EXPECT_EQ(f[0].due, std::optional<Date>(Date(2026, 3, 31)));
    EXPECT_TRUE(contains(f[0].message, "still Draft")) << f[0].message;
    EXPECT_TRUE(contains(f[0].message, "2026-01-01")) << f[0].message;
    EXPECT_TRUE(contains(f[0].message, "2026-03-31")) << f[0].message;
    EXPECT_TRUE(contains(f[0].message, "S0003")) << f[0].message;

    score_all(a, id, 4);
    a.set_evaluatee_comments(id, "Thank you.");
    a.advance_evaluation(id, EvaluationStatus::SharedWithEvaluatee, "S0002", at(Date(2026, 3, 20), 10));
    a.advance_evaluation(id, EvaluationStatus::Discussed, "S0003", at(Date(2026, 3, 23), 10));
    a.advance_evaluation(id, EvaluationStatus::Reviewed, "S0001", at(Date(2026, 4, 3), 10));
    a.advance_evaluation(id, EvaluationStatus::Finalized, "S0002", at(Date(2026, 4, 10), 16));
    // the audit of a day sees the status of that day
    f = pe3(a, Date(2026, 4, 1));
    ASSERT_EQ(f.size(), 1u);
    EXPECT_TRUE(contains(f[0].message, "still Discussed")) << f[0].message;
    f = pe3(a, Date(2026, 4, 9));
    ASSERT_EQ(f.size(), 1u);
    EXPECT_TRUE(contains(f[0].message, "still Reviewed")) << f[0].message;
    EXPECT_TRUE(pe3(a, Date(2026, 4, 10)).empty()) << "finalized that afternoon";
    EXPECT_TRUE(pe3(a, Date(2027, 1, 1)).empty());
    // an evaluation started later is not in an earlier audit
    NewEvaluation late = spec("S0004", "S0002", EvaluationPeriod::Quarterly, Date(2026, 1, 1), "mini");
    late.created_at = at(Date(2026, 5, 4), 9);
    const std::string second = a.start_evaluation(late).id;
    EXPECT_TRUE(pe3(a, Date(2026, 5, 1)).empty());
    f = pe3(a, Date(2026, 5, 4));
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].subject, second);
}

TEST(AuditEvaluations, DiscussedWithoutTheEvaluateesComments) {
    Agency a = evaluation_agency();
    const std::string id =
        a.start_evaluation(spec("S0003", "S0002", EvaluationPeriod::Annual, Date(2026, 1, 1), "mini", {"S0001"})).id;
    a.advance_evaluation(id, EvaluationStatus::SharedWithEvaluatee, "S0002", at(Date(2026, 3, 10), 10));
    EXPECT_TRUE(pe3(a, Date(2026, 3, 15)).empty()) << "shared, not yet discussed";
    a.advance_evaluation(id, EvaluationStatus::Discussed, "S0002", at(Date(2026, 3, 20), 10));
    EXPECT_TRUE(pe3(a, Date(2026, 3, 19)).empty()) << "discussed on 03-20";
    auto f = pe3(a, Date(2026, 3, 20));
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::Advice);
    EXPECT_EQ(f[0].subject, id);
    EXPECT_EQ(f[0].due, std::nullopt);
    EXPECT_TRUE(contains(f[0].message, "no comments from the evaluatee")) << f[0].message;
    // still so once reviewed
    a.advance_evaluation(id, EvaluationStatus::Reviewed, "S0001", at(Date(2026, 3, 25), 10));
    EXPECT_EQ(pe3(a, Date(2026, 3, 26)).size(), 1u);
    a.set_evaluatee_comments(id, "Fair. I will write contact reports the same day.");
    EXPECT_TRUE(pe3(a, Date(2026, 3, 26)).empty());
    // clearing them brings the finding back
    a.set_evaluatee_comments(id, "");
    EXPECT_EQ(pe3(a, Date(2026, 3, 26)).size(), 1u);
}

// ================================================================ persistence

// staffed_agency() with "mini" (/rubrics/2) and
//   /evaluations/0 EV0001 S0003 by S0002, reviewer S0001, mini, Annual 2026: craft 4, care 3
//                  (scores/0 craft, scores/1 care), two KPIs, Finalized in four steps
//   /evaluations/1 EV0002 S0005 by S0003, account-service, Q1 2026: two scores, the
//                  evaluatee's comments, Discussed
//   /evaluations/2 EV0003 S0004 by S0002, reviewers S0001 and S0005, 5A, SemiAnnual 2026, Draft
Agency persisted_book() {
    Agency a = staffed_agency();
    a.add_rubric(mini());
    const std::string one =
        a.start_evaluation(spec("S0003", "S0002", EvaluationPeriod::Annual, Date(2026, 1, 1), "mini", {"S0001"})).id;
    a.score_criterion(one, "craft", 4, "delivers on time");
    a.score_criterion(one, "care", 3, "reports 报告 sometimes late");
    a.set_kpis(one, {Kpi{"billings", dec("0.6"), dec("1.1")}, Kpi{"collection", dec("0.4"), dec("0.95")}});
    a.set_evaluatee_comments(one, "Agreed.\nNext year: a pitch of my own.");
    a.advance_evaluation(one, EvaluationStatus::SharedWithEvaluatee, "S0002", at(Date(2026, 12, 10), 10), "read first");
    a.advance_evaluation(one, EvaluationStatus::Discussed, "S0003", at(Date(2026, 12, 14), 15));
    a.advance_evaluation(one, EvaluationStatus::Reviewed, "S0001", at(Date(2026, 12, 18), 9));
    a.advance_evaluation(one, EvaluationStatus::Finalized, "S0002", at(Date(2026, 12, 21), 11), "filed");
    const std::string two = a.start_evaluation(spec("S0005", "S0003", EvaluationPeriod::Quarterly, Date(2026, 1, 1))).id;
    a.score_criterion(two, "attitude", 5);
    a.score_criterion(two, "market_knowledge", 2, "read the category reports");
    a.advance_evaluation(two, EvaluationStatus::SharedWithEvaluatee, "S0003", at(Date(2026, 3, 25), 10));
    a.advance_evaluation(two, EvaluationStatus::Discussed, "S0005", at(Date(2026, 3, 26), 10));
    a.set_evaluatee_comments(two, "I will.");
    a.start_evaluation(spec("S0004", "S0002", EvaluationPeriod::SemiAnnual, Date(2026, 1, 1), "5A", {"S0001", "S0005"}));
    return a;
}

TEST(EvaluationPersistence, EvaluationsAndCustomRubricsRoundTripByteForByte) {
    const Agency a = persisted_book();
    const std::string json = a.to_json();
    const Agency b = Agency::from_json(json);
    EXPECT_EQ(b.to_json(), json);
    EXPECT_TRUE(b == a);
    EXPECT_EQ(b.rubrics(), a.rubrics());
    EXPECT_EQ(b.evaluations(), a.evaluations());
    EXPECT_EQ(text(b.weighted_score("EV0001")), "3.12");  // (4 x 1250 + 3 x 8750) / 10000 = 3.125 -> 3.12
    EXPECT_EQ(b.rating("EV0001"), Rating::Meets);
    EXPECT_EQ(aecore::kpi_composite(b.evaluation("EV0001").kpis).to_string(), "1.0400");
    // the loaded book goes on: the sequence, the rubric ids, the workflow
    Agency c = Agency::from_json(json);
    EXPECT_EQ(c.start_evaluation(spec("S0004", "S0002", EvaluationPeriod::Annual, Date(2027, 1, 1), "mini")).id, "EV0004");
    EXPECT_THROW(c.add_rubric(mini()), ValidationError);
    EXPECT_THROW(c.score_criterion("EV0001", "craft", 5), StateError);
    EXPECT_NO_THROW(c.advance_evaluation("EV0002", EvaluationStatus::Reviewed, "S0002", at(Date(2026, 3, 27), 10)));
    const std::string grown = c.to_json();
    EXPECT_EQ(Agency::from_json(grown).to_json(), grown);
}

TEST(EvaluationPersistence, RecordShapes) {
    const Json doc = Json::parse(persisted_book().to_json());
    auto keys = [](const Json& j) {
        std::vector<std::string> out;
        for (const auto& [k, v] : j.items()) out.push_back(k);
        return out;
    };
    ASSERT_EQ(doc["rubrics"].size(), 3u);
    EXPECT_EQ(doc["rubrics"][0]["id"], "account-service");
    EXPECT_EQ(doc["rubrics"][1]["id"], "5A");
    EXPECT_EQ(keys(doc["rubrics"][2]), (std::vector<std::string>{"id", "name", "criteria"}));
    EXPECT_EQ(keys(doc["rubrics"][2]["criteria"][0]),
              (std::vector<std::string>{"id", "area", "name", "description", "weights", "evidence"}));
    EXPECT_EQ(doc["rubrics"][2]["criteria"][0]["weights"],
              Json::parse(R"({"AAE": "50", "AE": "12.5", "AM": "25", "AD": "25"})"));
    EXPECT_EQ(doc["rubrics"][2]["criteria"][2]["evidence"], Json::parse(R"(["CollectionRate", "JobsOnTime"])"));
    ASSERT_EQ(doc["evaluations"].size(), 3u);
    EXPECT_EQ(keys(doc["evaluations"][0]),
              (std::vector<std::string>{"id", "evaluatee", "title", "evaluator", "reviewers", "rubric", "period", "start",
                                        "end", "scores", "evaluatee_comments", "kpis", "status", "history", "created_at"}));
    EXPECT_EQ(doc["evaluations"][0]["scores"][1],
              Json::parse(R"({"criterion": "care", "score": 3, "comment": "reports 报告 sometimes late"})"));
    EXPECT_EQ(doc["evaluations"][0]["kpis"][1], Json::parse(R"({"name": "collection", "weight": "0.4", "achievement": "0.95"})"));
    EXPECT_EQ(doc["evaluations"][0]["history"][3],
              Json::parse(R"({"from": "Reviewed", "to": "Finalized", "at": "2026-12-21T11:00:00", "actor": "S0002",)"
                          R"( "note": "filed"})"));
    EXPECT_EQ(doc["evaluations"][0]["end"], "2026-12-31");
    EXPECT_EQ(doc["evaluations"][1]["title"], "AAE");
    EXPECT_EQ(doc["evaluations"][1]["scores"][0]["criterion"], "market_knowledge") << "rubric order";
    EXPECT_EQ(doc["evaluations"][2]["reviewers"], Json::parse(R"(["S0001", "S0005"])"));
    EXPECT_EQ(doc["evaluations"][2]["status"], "Draft");
    EXPECT_EQ(doc["evaluations"][2]["history"], Json::array());
    EXPECT_EQ(doc["sequences"]["evaluations"], 4);
}

const Json& persisted_document() {
    static const Json doc = Json::parse(persisted_book().to_json());
    return doc;
}

// from_json of the persisted document after `edit` must throw a SchemaError at `path`.
std::optional<SchemaError> schema_error(const std::function<void(Json&)>& edit, const std::string& path) {
    Json doc = persisted_document();
    edit(doc);
    try {
        (void)Agency::from_json(doc.dump(2));
        ADD_FAILURE() << "document accepted; expected a SchemaError at " << path;
    } catch (const SchemaError& e) {
        EXPECT_EQ(e.field(), path) << e.what();
        EXPECT_TRUE(contains(e.what(), path)) << e.what();
        EXPECT_TRUE(contains(e.what(), "[PS-1]")) << e.what();
        return e;
    } catch (const std::exception& e) {
        ADD_FAILURE() << "expected a SchemaError at " << path << ", got: " << e.what();
    }
    return std::nullopt;
}
void expect_detail(const std::optional<SchemaError>& e, const std::string& part) {
    ASSERT_TRUE(e.has_value());
    EXPECT_TRUE(contains(e->what(), part)) << e->what();
}
Json::json_pointer ptr(const char* p) { return Json::json_pointer(p); }

// Hand-edited documents that break a PE rule are refused, naming the JSON path.
TEST(EvaluationSchemaErrors, ScoresOutsideOneToFive) {
    schema_error([](Json& d) { d[ptr("/evaluations/0/scores/0/score")] = 6; }, "/evaluations/0/scores/0/score");
    schema_error([](Json& d) { d[ptr("/evaluations/1/scores/1/score")] = 0; }, "/evaluations/1/scores/1/score");
    schema_error([](Json& d) { d[ptr("/evaluations/0/scores/0/score")] = "4"; }, "/evaluations/0/scores/0/score");
    EXPECT_NO_THROW((void)Agency::from_json(persisted_document().dump()));
}

TEST(EvaluationSchemaErrors, TheHistoryIsTheWorkflowOneStepAtATime) {
    // Draft -> Shared, then Discussed -> Reviewed: the Shared -> Discussed step is missing
    schema_error([](Json& d) { d[ptr("/evaluations/0/history")].erase(1); }, "/evaluations/0/history/1/to");
    // Shared -> Reviewed skips a step
    schema_error([](Json& d) { d[ptr("/evaluations/0/history/1/to")] = "Reviewed"; }, "/evaluations/0/history/1/to");
    // a step backwards
    schema_error(
        [](Json& d) {
            d[ptr("/evaluations/1/history/1/from")] = "SharedWithEvaluatee";
            d[ptr("/evaluations/1/history/1/to")] = "Draft";
        },
        "/evaluations/1/history/1/to");
    // steps in time order, not before the evaluation was created
    schema_error([](Json& d) { d[ptr("/evaluations/0/history/2/at")] = "2026-12-14T14:59:59"; },
                 "/evaluations/0/history/2/at");
    schema_error([](Json& d) { d[ptr("/evaluations/0/created_at")] = "2026-12-10T10:00:01"; },
                 "/evaluations/0/history/0/at");
    schema_error([](Json& d) { d[ptr("/evaluations/0/history/0/actor")] = "S0099"; }, "/evaluations/0/history/0/actor");
}

TEST(EvaluationSchemaErrors, TheStatusIsWhereTheHistoryEnds) {
    schema_error([](Json& d) { d[ptr("/evaluations/1/status")] = "Reviewed"; }, "/evaluations/1/status");
    schema_error([](Json& d) { d[ptr("/evaluations/2/status")] = "Finalized"; }, "/evaluations/2/status");
    schema_error([](Json& d) { d[ptr("/evaluations/0/history")].erase(3); }, "/evaluations/0/status");
    schema_error([](Json& d) { d[ptr("/evaluations/0/status")] = "Closed"; }, "/evaluations/0/status");
}

TEST(EvaluationSchemaErrors, AFinalizedEvaluationScoresEveryWeightedCriterion) {
    expect_detail(schema_error([](Json& d) { d[ptr("/evaluations/0/scores")].erase(1); }, "/evaluations/0/scores"), "care");
    // a Discussed one may still miss scores
    EXPECT_NO_THROW((void)Agency::from_json(persisted_document().dump()));
}

TEST(EvaluationSchemaErrors, ScoresAreWeightedCriteriaOfTheRubricOnceInRubricOrder) {
    // lead weighs 0 for an AE
    schema_error([](Json& d) { d[ptr("/evaluations/0/scores")].push_back(Json::parse(R"({"criterion": "lead", "score": 3, "comment": ""})")); },
                 "/evaluations/0/scores/2/criterion");
    schema_error([](Json& d) { d[ptr("/evaluations/0/scores/1/criterion")] = "analysis"; }, "/evaluations/0/scores/1/criterion");
    schema_error([](Json& d) { d[ptr("/evaluations/0/scores/1/criterion")] = "craft"; }, "/evaluations/0/scores/1/criterion");
    schema_error(
        [](Json& d) {
            Json& s = d[ptr("/evaluations/0/scores")];
            std::swap(s[0], s[1]);
        },
        "/evaluations/0/scores/1/criterion");
    // training juniors weighs 0 for an AAE
    schema_error([](Json& d) { d[ptr("/evaluations/1/scores/1/criterion")] = "training_juniors"; },
                 "/evaluations/1/scores/1/criterion");
}

TEST(EvaluationSchemaErrors, AnUnknownRubric) {
    expect_detail(schema_error([](Json& d) { d[ptr("/evaluations/2/rubric")] = "6A"; }, "/evaluations/2/rubric"), "6A");
    // a custom rubric that is not in the document
    schema_error([](Json& d) { d["rubrics"].erase(2); }, "/evaluations/0/rubric");
}

TEST(EvaluationSchemaErrors, RubricWeightsNotSummingTo100) {
    // AE: 13.5 + 87.5 + 0 = 101
    const auto e = schema_error([](Json& d) { d[ptr("/rubrics/2/criteria/0/weights/AE")] = "13.5"; }, "/rubrics/2");
    expect_detail(e, "101.00");
    expect_detail(e, "AE");
    schema_error([](Json& d) { d[ptr("/rubrics/0/criteria/0/weights/AD")] = "9"; }, "/rubrics/0");  // a built-in, edited
    schema_error([](Json& d) { d[ptr("/rubrics/2/criteria/0/weights/AE")] = "twelve"; },
                 "/rubrics/2/criteria/0/weights/AE");
    schema_error([](Json& d) { d[ptr("/rubrics/2/criteria/0/weights")].erase("AD"); }, "/rubrics/2/criteria/0/weights");
    schema_error([](Json& d) { d[ptr("/rubrics/2/id")] = "5A"; }, "/rubrics/2/id");
    schema_error([](Json& d) { d[ptr("/rubrics/2/criteria/0/evidence/0")] = "Happiness"; },
                 "/rubrics/2/criteria/0/evidence/0");
}

// A criterion's own fields are at /rubrics/N/criteria/K/...: the path must point there,
// not at the rubric's field of the same name.
TEST(EvaluationSchemaErrors, ACriterionErrorNamesThePathOfTheCriterion) {
    schema_error([](Json& d) { d[ptr("/rubrics/2/criteria/1/name")] = ""; }, "/rubrics/2/criteria/1/name");
    schema_error([](Json& d) { d[ptr("/rubrics/2/criteria/2/id")] = "craft"; }, "/rubrics/2/criteria/2/id");
}

// PE-2: every book carries the built-in rubrics (Agency::rubrics(): "the built-in rubrics
// first, then custom ones"), so a document without them is not a book the API can make.
TEST(EvaluationSchemaErrors, TheBuiltInRubricsCannotBeDropped) {
    auto refused = [](const std::function<void(Json&)>& edit) {
        Json doc = persisted_document();
        edit(doc);
        try {
            const Agency a = Agency::from_json(doc.dump(2));
            ADD_FAILURE() << "accepted; the book's rubrics are " << a.rubrics().size() << ", starting with "
                          << (a.rubrics().empty() ? std::string("none") : a.rubrics().front().id);
        } catch (const SchemaError& e) {
            EXPECT_EQ(e.field().rfind("/rubrics", 0), 0u) << e.what();
        }
    };
    // 5A is used by EV0003: drop that evaluation too, so only the rubric is missing
    refused([](Json& d) {
        d["rubrics"].erase(1);
        d["evaluations"].erase(2);
        d[ptr("/sequences/evaluations")] = 3;
    });
    refused([](Json& d) {
        d["rubrics"] = Json::array();
        d["evaluations"] = Json::array();
    });
}

TEST(EvaluationSchemaErrors, PeriodKpisPeopleIdsAndKeys) {
    schema_error([](Json& d) { d[ptr("/evaluations/0/end")] = "2026-12-30"; }, "/evaluations/0/end");
    schema_error([](Json& d) { d[ptr("/evaluations/1/period")] = "SemiAnnual"; }, "/evaluations/1/end");
    schema_error([](Json& d) { d[ptr("/evaluations/0/period")] = "Monthly"; }, "/evaluations/0/period");
    // AdHoc takes the end as written, but not before the start
    EXPECT_NO_THROW((void)Agency::from_json([] {
        Json d = persisted_document();
        d[ptr("/evaluations/2/period")] = "AdHoc";
        d[ptr("/evaluations/2/end")] = "2026-01-01";
        return d.dump();
    }()));
    schema_error(
        [](Json& d) {
            d[ptr("/evaluations/2/period")] = "AdHoc";
            d[ptr("/evaluations/2/end")] = "2025-12-31";
        },
        "/evaluations/2/end");
    expect_detail(schema_error([](Json& d) { d[ptr("/evaluations/0/kpis/0/weight")] = "0.5"; }, "/evaluations/0/kpis"),
                  "0.9");
    schema_error([](Json& d) { d[ptr("/evaluations/0/kpis/0/achievement")] = "-1"; }, "/evaluations/0/kpis");
    schema_error([](Json& d) { d[ptr("/evaluations/2/evaluatee")] = "S0099"; }, "/evaluations/2/evaluatee");
    schema_error([](Json& d) { d[ptr("/evaluations/2/evaluator")] = "S0004"; }, "/evaluations/2/evaluator");
    schema_error([](Json& d) { d[ptr("/evaluations/2/reviewers/1")] = "S0002"; }, "/evaluations/2/reviewers/1");
    // a reviewer listed twice: the path names the first of the two
    schema_error([](Json& d) { d[ptr("/evaluations/2/reviewers/1")] = "S0001"; }, "/evaluations/2/reviewers/0");
    schema_error([](Json& d) { d[ptr("/evaluations/2/id")] = "EV0002"; }, "/evaluations/2/id");
    schema_error([](Json& d) { d[ptr("/sequences/evaluations")] = 3; }, "/evaluations/2/id");
    schema_error([](Json& d) { d[ptr("/evaluations/0/id")] = "E0001"; }, "/evaluations/0/id");
    schema_error([](Json& d) { d[ptr("/evaluations/0/mood")] = "good"; }, "/evaluations/0/mood");
    schema_error([](Json& d) { d[ptr("/evaluations/0/evaluatee_comments")] = "bell\x07"; },
                 "/evaluations/0/evaluatee_comments");
    expect_detail(schema_error([](Json& d) { d.erase("evaluations"); }, "/"), "evaluations");
    expect_detail(schema_error([](Json& d) { d["sequences"].erase("evaluations"); }, "/sequences"), "evaluations");
}

}  // namespace
