#pragma once
// Performance evaluation of account staff (SPEC PE-1..PE-6): rubrics of criteria grouped
// by area with a weight per title, evaluations with their workflow, the weighted score and
// rating band, evidence computed from the book, and the KPI composite. The Agency owns
// rubrics and evaluations and enforces who may evaluate whom.

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "aecore/calendar.hpp"
#include "aecore/decimal.hpp"
#include "aecore/enum_names.hpp"
#include "aecore/policy.hpp"
#include "aecore/staff.hpp"

namespace aecore {

/// PE-3 evaluation periods.
enum class EvaluationPeriod : std::uint8_t { Annual, SemiAnnual, Quarterly, AdHoc };
template <>
struct EnumNames<EvaluationPeriod> {
    static constexpr std::string_view type_name = "EvaluationPeriod";
    static constexpr std::array<std::pair<EvaluationPeriod, std::string_view>, 4> entries{{
        {EvaluationPeriod::Annual, "Annual"},
        {EvaluationPeriod::SemiAnnual, "SemiAnnual"},
        {EvaluationPeriod::Quarterly, "Quarterly"},
        {EvaluationPeriod::AdHoc, "AdHoc"},
    }};
};

/// PE-3 workflow.
enum class EvaluationStatus : std::uint8_t { Draft, SharedWithEvaluatee, Discussed, Reviewed, Finalized };
template <>
struct EnumNames<EvaluationStatus> {
    static constexpr std::string_view type_name = "EvaluationStatus";
    static constexpr std::array<std::pair<EvaluationStatus, std::string_view>, 5> entries{{
        {EvaluationStatus::Draft, "Draft"},
        {EvaluationStatus::SharedWithEvaluatee, "SharedWithEvaluatee"},
        {EvaluationStatus::Discussed, "Discussed"},
        {EvaluationStatus::Reviewed, "Reviewed"},
        {EvaluationStatus::Finalized, "Finalized"},
    }};
};

/// PE-4 rating bands.
enum class Rating : std::uint8_t { Unsatisfactory, NeedsImprovement, Meets, Exceeds, Outstanding };
template <>
struct EnumNames<Rating> {
    static constexpr std::string_view type_name = "Rating";
    static constexpr std::array<std::pair<Rating, std::string_view>, 5> entries{{
        {Rating::Unsatisfactory, "Unsatisfactory"},
        {Rating::NeedsImprovement, "NeedsImprovement"},
        {Rating::Meets, "Meets"},
        {Rating::Exceeds, "Exceeds"},
        {Rating::Outstanding, "Outstanding"},
    }};
};

/// PE-5 metrics computed from the book.
enum class EvidenceMetric : std::uint8_t {
    ContactReportsOnTime,  ///< share of meetings/visits/important calls with a contact report within 48 h (AS-1)
    WeeklyReportsOnTime,   ///< share of weeks whose status report came by the next Monday (AS-3)
    JobsOnTime,            ///< share of their clients' tickets client-approved by the deadline (JT-12)
    RevisionRounds,        ///< average client change requests per delivered ticket (JT-8)
    EstimateOverruns,      ///< jobs of their clients whose actual cost exceeds the approved estimate (MB-2)
    CollectionRate,        ///< collected / (receivable at the start + billed) for their clients (MB-3)
    Dso,                   ///< days sales outstanding of their clients at the period's end (MB-5)
    ContactCadence,        ///< share of client-days within the contact cadence (CL-4)
};
template <>
struct EnumNames<EvidenceMetric> {
    static constexpr std::string_view type_name = "EvidenceMetric";
    static constexpr std::array<std::pair<EvidenceMetric, std::string_view>, 8> entries{{
        {EvidenceMetric::ContactReportsOnTime, "ContactReportsOnTime"},
        {EvidenceMetric::WeeklyReportsOnTime, "WeeklyReportsOnTime"},
        {EvidenceMetric::JobsOnTime, "JobsOnTime"},
        {EvidenceMetric::RevisionRounds, "RevisionRounds"},
        {EvidenceMetric::EstimateOverruns, "EstimateOverruns"},
        {EvidenceMetric::CollectionRate, "CollectionRate"},
        {EvidenceMetric::Dso, "Dso"},
        {EvidenceMetric::ContactCadence, "ContactCadence"},
    }};
};

/// PE-1: one criterion. Weights are percentages (at most 2 decimals) per title, in
/// Title order AAE, AE, AM, AD; 0 = not assessed for that title.
struct Criterion {
    std::string id;
    std::string area;
    std::string name;
    std::string description{};
    std::array<Decimal, 4> weights{};
    std::vector<EvidenceMetric> evidence{};  ///< PE-5: the metrics that inform this criterion
    [[nodiscard]] const Decimal& weight(Title t) const noexcept { return weights[static_cast<std::size_t>(t)]; }
    /// ValidationError unless the id, area and name are valid, each weight is a percentage
    /// 0-100 with at most 2 decimals and no evidence metric is listed twice (PE-1, PE-5).
    void validate() const;
    friend bool operator==(const Criterion&, const Criterion&) = default;
};

/// PE-1: a rubric. For every title the weights of its criteria sum to exactly 100 %.
struct Rubric {
    std::string id;
    std::string name;
    std::vector<Criterion> criteria{};
    [[nodiscard]] const Criterion* find(std::string_view criterion) const noexcept;
    /// Throws ValidationError (PE-1) naming the problem: empty or duplicate ids, weights
    /// below 0, above 100 or with more than 2 decimals, a title whose weights do not sum to 100.
    void validate() const;
    friend bool operator==(const Rubric&, const Rubric&) = default;
};

/// PE-2: the built-in rubrics, "account-service" (seed 000) and "5A" (seed 002).
[[nodiscard]] const std::vector<Rubric>& builtin_rubrics();

struct CriterionScore {
    std::string criterion;
    int score = 0;  ///< 1..5
    std::string comment{};
    friend bool operator==(const CriterionScore&, const CriterionScore&) = default;
};

struct EvaluationStep {
    EvaluationStatus from;
    EvaluationStatus to;
    DateTime at;
    std::string actor;  ///< staff id
    std::string note{};
    friend bool operator==(const EvaluationStep&, const EvaluationStep&) = default;
};

/// PE-6: one KPI of the composite.
struct Kpi {
    std::string name;
    Decimal weight;       ///< fraction; the weights of a composite sum to exactly 1
    Decimal achievement;  ///< fraction of target achieved (1 = 100 %)
    friend bool operator==(const Kpi&, const Kpi&) = default;
};

/// PE-6: Σ achievement × weight, 4 decimals (half even); ValidationError unless the
/// weights are in [0, 1] and sum to exactly 1 and achievements are not negative.
[[nodiscard]] Decimal kpi_composite(const std::vector<Kpi>& kpis);

/// PE-3: the last day of a fixed-length period starting on `start` (a year, six or three
/// calendar months, less one day; a month-end start is not snapped to month ends);
/// std::nullopt for AdHoc, whose end is chosen.
[[nodiscard]] std::optional<Date> period_end(EvaluationPeriod period, const Date& start);

/// PE-4: the band of a weighted score.
[[nodiscard]] Rating rating_of(const Decimal& score, const RatingBands& bands);

/// PE-3: one evaluation.
struct Evaluation {
    std::string id;  ///< "EV0001"
    std::string evaluatee;
    Title title = Title::AE;  ///< the evaluatee's title when the evaluation started: it picks the weights
    std::string evaluator;    ///< the evaluatee's direct manager
    std::vector<std::string> reviewers{};
    std::string rubric;
    EvaluationPeriod period = EvaluationPeriod::Annual;
    Date start;
    Date end;
    std::vector<CriterionScore> scores{};  ///< in rubric order
    std::string evaluatee_comments{};
    std::vector<Kpi> kpis{};
    EvaluationStatus status = EvaluationStatus::Draft;
    std::vector<EvaluationStep> history{};
    DateTime created_at;
    [[nodiscard]] const CriterionScore* score_of(std::string_view criterion) const noexcept;
    friend bool operator==(const Evaluation&, const Evaluation&) = default;
};

struct NewEvaluation {
    std::string evaluatee{};
    std::string evaluator{};
    std::vector<std::string> reviewers{};
    std::string rubric = "account-service";
    EvaluationPeriod period = EvaluationPeriod::Annual;
    Date start{};
    std::optional<Date> end{};  ///< derived from the period unless AdHoc
    DateTime created_at{};
};

/// PE-5: one metric for a person over a period, with the criteria it informs.
struct EvidenceItem {
    EvidenceMetric metric = EvidenceMetric::ContactReportsOnTime;
    std::optional<Decimal> value{};  ///< none when there was nothing to measure
    std::int64_t numerator = 0;      ///< for rates: the cases that met the standard (DSO: receivable, minor units)
    std::int64_t denominator = 0;    ///< for rates: the cases measured (DSO: billings in the window, minor units)
    std::string detail;              ///< a sentence a supervisor can read
    std::vector<std::string> criteria{};  ///< ids of the rubric criteria it informs
    friend bool operator==(const EvidenceItem&, const EvidenceItem&) = default;
};

/// Team view: one evaluation of an AD's organisation.
struct TeamEvaluationRow {
    std::string evaluation;
    std::string evaluatee;
    Title title = Title::AE;
    std::string evaluator;
    EvaluationStatus status = EvaluationStatus::Draft;
    std::optional<Decimal> score{};
    std::optional<Rating> rating{};
    std::vector<EvidenceItem> evidence{};
};

/// Calibration of one evaluator's scored evaluations (weighted scores).
struct CalibrationRow {
    std::string evaluator;
    int count = 0;
    Decimal mean;    ///< 2 decimals
    Decimal spread;  ///< population standard deviation, 2 decimals
    Decimal min;
    Decimal max;
};

}  // namespace aecore
