// Rubrics, the built-in rubrics, rating bands and the KPI composite (SPEC PE-1, PE-2,
// PE-4, PE-6).

#include "aecore/evaluation.hpp"

#include <set>

#include "aecore/error.hpp"
#include "rounding.hpp"
#include "text_checks.hpp"

namespace aecore {

namespace {

Criterion criterion(std::string id, std::string area, std::string name, std::string description,
                    std::array<int, 4> weights, std::vector<EvidenceMetric> evidence = {}) {
    Criterion c{std::move(id), std::move(area), std::move(name), std::move(description), {}, std::move(evidence)};
    for (std::size_t i = 0; i < 4; ++i) c.weights[i] = Decimal(weights[i]);
    return c;
}

std::vector<Rubric> make_builtins() {
    using M = EvidenceMetric;
    // Seed 000's evaluation content. Weights per title AAE, AE, AM, AD (percent): juniors
    // are assessed most on execution and habits, seniors on client business, external
    // communication, training juniors and money.
    Rubric account{"account-service", "Account service (seed 000)", {}};
    account.criteria = {
        criterion("market_knowledge", "Knowledge", "Market knowledge",
                  "Knows the client's market, competitors and consumers", {3, 4, 6, 8}),
        criterion("client_business", "Knowledge", "Client business knowledge",
                  "Understands the client's business, brands, products and organisation", {5, 6, 7, 7}),
        criterion("information_analysis", "Knowledge", "Information gathering and analysis",
                  "Collects, checks and analyses information before acting", {6, 5, 5, 5}),
        criterion("media_production", "Knowledge", "Media and production knowledge",
                  "Knows media, production processes and their costs", {6, 5, 4, 3}),
        criterion("creative_evaluation", "Knowledge", "Creative evaluation",
                  "Judges creative work against the brief and the strategy", {3, 4, 5, 5}, {M::RevisionRounds}),
        criterion("organising_information", "Organisation", "Organising information",
                  "Keeps files, briefs and records complete and findable", {6, 5, 4, 3}),
        criterion("internal_reporting", "Organisation", "Internal reporting",
                  "Contact reports and status reports, complete and on time", {7, 6, 4, 3},
                  {M::ContactReportsOnTime, M::WeeklyReportsOnTime}),
        criterion("company_knowledge", "Organisation", "Company knowledge",
                  "Knows the agency's departments, people, procedures and services", {4, 2, 3, 3}),
        criterion("prioritisation", "Organisation", "Prioritisation", "Puts first things first under pressure",
                  {5, 5, 5, 5}),
        criterion("progress_follow_up", "Organisation", "Progress and follow-up",
                  "Keeps jobs moving to their deadlines and follows up", {8, 7, 5, 4},
                  {M::JobsOnTime, M::RevisionRounds}),
        criterion("meetings", "Organisation", "Meetings", "Prepares, runs and records meetings (5W1H)", {4, 5, 5, 5}),
        criterion("work_habits", "Organisation", "Work habits", "Punctual, orderly, reliable", {6, 5, 2, 2}),
        criterion("external_communication", "Communication", "External communication",
                  "Keeps the client informed and in regular contact", {3, 6, 7, 7},
                  {M::ContactCadence, M::ContactReportsOnTime}),
        criterion("internal_communication", "Communication", "Internal communication",
                  "Briefs and informs colleagues clearly", {6, 5, 5, 4}),
        criterion("team_spirit", "Attitude", "Team spirit", "Works with and for the team", {6, 5, 5, 5}),
        criterion("company_advocacy", "Attitude", "Company advocacy", "Represents the agency well", {2, 3, 4, 5}),
        criterion("helpfulness_to_clients", "Attitude", "Helpfulness to clients",
                  "Anticipates and answers the client's needs", {5, 6, 5, 4}, {M::ContactCadence}),
        criterion("new_ideas", "Attitude", "New ideas", "Brings ideas to the client's business", {4, 4, 5, 5}),
        criterion("attitude", "Attitude", "Attitude", "Positive, willing, open to feedback", {8, 6, 4, 3}),
        criterion("training_juniors", "Leadership", "Training juniors", "Coaches and develops junior staff",
                  {0, 2, 5, 8}),
        criterion("money_mindedness", "Leadership", "Money-mindedness",
                  "Spends within estimates and collects what is billed", {3, 4, 5, 6},
                  {M::EstimateOverruns, M::CollectionRate, M::Dso}),
    };
    // Seed 002's "5A" of account service.
    Rubric five_a{"5A", "5A account service (seed 002)", {}};
    five_a.criteria = {
        criterion("analysis", "5A", "Analysis", "Analyses the market, the client and the problem", {25, 20, 20, 20}),
        criterion("approach", "5A", "Approach", "Finds the way in: strategy and proposal", {20, 20, 20, 25},
                  {M::RevisionRounds}),
        criterion("attach", "5A", "Attach", "Builds and keeps the relationship", {20, 20, 20, 15},
                  {M::ContactCadence, M::ContactReportsOnTime}),
        criterion("attack", "5A", "Attack", "Executes: jobs delivered on time", {20, 20, 20, 15},
                  {M::JobsOnTime, M::WeeklyReportsOnTime}),
        criterion("account", "5A", "Account", "Keeps the account profitable and paid", {15, 20, 20, 25},
                  {M::EstimateOverruns, M::CollectionRate, M::Dso}),
    };
    return {std::move(account), std::move(five_a)};
}

}  // namespace

const std::vector<Rubric>& builtin_rubrics() {
    static const std::vector<Rubric> rubrics = make_builtins();
    return rubrics;
}

const Criterion* Rubric::find(std::string_view criterion) const noexcept {
    for (const Criterion& c : criteria)
        if (c.id == criterion) return &c;
    return nullptr;
}

void Criterion::validate() const {
    check_id(id, "criterion.id", "PE-1");
    (void)checked_name(area, "criterion.area", "PE-1");
    (void)checked_name(name, "criterion.name", "PE-1");
    check_text(description, "criterion.description", "PE-1", 2000);
    const std::set<EvidenceMetric> metrics(evidence.begin(), evidence.end());
    if (metrics.size() != evidence.size())
        throw ValidationError("PE-5", "criterion.evidence", quote(id), "lists a metric twice");
    for (std::size_t t = 0; t < 4; ++t) {
        const Decimal& w = weights[t];
        if (w.normalized().scale() > 2 || w < Decimal(0) || Decimal(100) < w)
            throw ValidationError("PE-1", "criterion.weights", w.to_string(),
                                  "criterion " + id + ": a weight for " + std::string(to_string(static_cast<Title>(t))) +
                                      " is a percentage 0-100 with at most 2 decimals");
    }
}

void Rubric::validate() const {
    check_id(id, "rubric.id", "PE-1");
    (void)checked_name(name, "rubric.name", "PE-1");
    if (criteria.empty()) throw ValidationError("PE-1", "rubric.criteria", quote(id), "a rubric needs criteria");
    std::set<std::string, std::less<>> ids;
    std::array<std::int64_t, 4> sums{};
    for (const Criterion& c : criteria) {
        c.validate();
        if (!ids.insert(c.id).second)
            throw ValidationError("PE-1", "criterion.id", quote(c.id), "appears twice in rubric " + id);
        for (std::size_t t = 0; t < 4; ++t) sums[t] += to_hundredths(c.weights[t]);
    }
    for (std::size_t t = 0; t < 4; ++t)
        if (sums[t] != 10000)
            throw ValidationError("PE-1", "rubric.weights", Decimal::from_units(sums[t], 2).to_string() + " %",
                                  "the weights for " + std::string(to_string(static_cast<Title>(t))) +
                                      " in rubric " + id + " sum to " + Decimal::from_units(sums[t], 2).to_string() +
                                      " %, not 100 %");
}

const CriterionScore* Evaluation::score_of(std::string_view criterion) const noexcept {
    for (const CriterionScore& s : scores)
        if (s.criterion == criterion) return &s;
    return nullptr;
}

std::optional<Date> period_end(EvaluationPeriod period, const Date& start) {
    switch (period) {
        case EvaluationPeriod::Annual: return add_months(start, 12) - boost::gregorian::days(1);
        case EvaluationPeriod::SemiAnnual: return add_months(start, 6) - boost::gregorian::days(1);
        case EvaluationPeriod::Quarterly: return add_months(start, 3) - boost::gregorian::days(1);
        case EvaluationPeriod::AdHoc: break;
    }
    return std::nullopt;
}

Decimal kpi_composite(const std::vector<Kpi>& kpis) {
    if (kpis.empty()) throw ValidationError("PE-6", "kpis", "[]", "a composite needs at least one KPI");
    // Exact: every weight and achievement as units at a common scale.
    i128 weight_sum = 0;  // at scale 18
    i128 total = 0;       // at scale 36
    std::set<std::string, std::less<>> names;
    for (const Kpi& k : kpis) {
        (void)checked_name(k.name, "kpi.name", "PE-6");
        if (!names.insert(k.name).second) throw ValidationError("PE-6", "kpi.name", quote(k.name), "appears twice");
        if (k.weight < Decimal(0) || Decimal(1) < k.weight)
            throw ValidationError("PE-6", "kpi.weight", k.weight.to_string(), "KPI " + k.name + ": a weight is 0 to 1");
        if (k.achievement < Decimal(0) || Decimal(100) < k.achievement)
            throw ValidationError("PE-6", "kpi.achievement", k.achievement.to_string(),
                                  "KPI " + k.name + ": an achievement is 0 to 100 (1 = 100 % of target)");
        auto at18 = [](const Decimal& d) {
            i128 u = d.units();
            for (int s = d.scale(); s < 18; ++s) u *= 10;
            return u;
        };
        weight_sum += at18(k.weight);
        total += at18(k.weight) * at18(k.achievement);
    }
    i128 one = 1;
    for (int i = 0; i < 18; ++i) one *= 10;
    if (weight_sum != one)
        throw ValidationError("PE-6", "kpis.weights", divide_half_even(weight_sum, one, 18).normalized().to_string(),
                              "the KPI weights sum to this, not exactly 1");
    // total is at scale 36: keep 4 decimals, rounding half to even.
    i128 divisor = 1;
    for (int i = 0; i < 32; ++i) divisor *= 10;
    i128 q = total / divisor;
    const i128 r = total % divisor;
    if (2 * r > divisor || (2 * r == divisor && q % 2 != 0)) ++q;
    return Decimal::from_units(static_cast<std::int64_t>(q), 4);
}

Rating rating_of(const Decimal& score, const RatingBands& b) {
    if (score < b.unsatisfactory_below) return Rating::Unsatisfactory;
    if (score < b.needs_improvement_below) return Rating::NeedsImprovement;
    if (score < b.meets_below) return Rating::Meets;
    if (score < b.exceeds_below) return Rating::Exceeds;
    return Rating::Outstanding;
}

}  // namespace aecore
