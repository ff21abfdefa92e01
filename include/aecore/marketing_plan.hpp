#pragma once
// 4P marketing plans (SPEC MP-1..MP-8): a plan for a client's brand (optionally one
// product) over a period, with the product, price, place and promotion sections, the
// marketing objectives and their measured actuals, the advertising strategy, the plan
// review and the Draft -> Proposed -> ClientApproved -> Superseded workflow. Plans are
// owned by the Agency, which validates every change.

#include <optional>
#include <string>
#include <vector>

#include "aecore/audit.hpp"
#include "aecore/calendar.hpp"
#include "aecore/decimal.hpp"
#include "aecore/enum_names.hpp"
#include "aecore/money.hpp"

namespace aecore {

class Policy;

enum class MarketType : std::uint8_t { Consumer, Industrial, Institutional, Reseller };
template <>
struct EnumNames<MarketType> {
    static constexpr std::string_view type_name = "MarketType";
    static constexpr std::array<std::pair<MarketType, std::string_view>, 4> entries{{
        {MarketType::Consumer, "Consumer"}, {MarketType::Industrial, "Industrial"},
        {MarketType::Institutional, "Institutional"}, {MarketType::Reseller, "Reseller"},
    }};
};

enum class LifeCycleStage : std::uint8_t { Launch, Growth, Maturity, Decline };
template <>
struct EnumNames<LifeCycleStage> {
    static constexpr std::string_view type_name = "LifeCycleStage";
    static constexpr std::array<std::pair<LifeCycleStage, std::string_view>, 4> entries{{
        {LifeCycleStage::Launch, "Launch"}, {LifeCycleStage::Growth, "Growth"},
        {LifeCycleStage::Maturity, "Maturity"}, {LifeCycleStage::Decline, "Decline"},
    }};
};

enum class PricePositioning : std::uint8_t { Premium, Parity, Economy };
template <>
struct EnumNames<PricePositioning> {
    static constexpr std::string_view type_name = "PricePositioning";
    static constexpr std::array<std::pair<PricePositioning, std::string_view>, 3> entries{{
        {PricePositioning::Premium, "Premium"}, {PricePositioning::Parity, "Parity"}, {PricePositioning::Economy, "Economy"},
    }};
};

enum class MixElement : std::uint8_t { Advertising, SalesPromotion, PublicRelations, PersonalSelling, DirectMarketing };
template <>
struct EnumNames<MixElement> {
    static constexpr std::string_view type_name = "MixElement";
    static constexpr std::array<std::pair<MixElement, std::string_view>, 5> entries{{
        {MixElement::Advertising, "Advertising"},
        {MixElement::SalesPromotion, "SalesPromotion"},
        {MixElement::PublicRelations, "PublicRelations"},
        {MixElement::PersonalSelling, "PersonalSelling"},
        {MixElement::DirectMarketing, "DirectMarketing"},
    }};
};

enum class PromotionObjective : std::uint8_t { Inform, Persuade, Remind };
template <>
struct EnumNames<PromotionObjective> {
    static constexpr std::string_view type_name = "PromotionObjective";
    static constexpr std::array<std::pair<PromotionObjective, std::string_view>, 3> entries{{
        {PromotionObjective::Inform, "Inform"}, {PromotionObjective::Persuade, "Persuade"},
        {PromotionObjective::Remind, "Remind"},
    }};
};

/// MP-6 objective kinds. Percentages (MarketShare, BrandAwareness, AnnualGrowthRate,
/// ProfitMargin) are in percent; SalesRevenue in the agency currency's major unit;
/// BrandImage is qualitative.
enum class ObjectiveKind : std::uint8_t {
    MarketShare, SalesVolume, SalesRevenue, BrandAwareness, RetailOutlets, AnnualGrowthRate, ProfitMargin, BrandImage
};
template <>
struct EnumNames<ObjectiveKind> {
    static constexpr std::string_view type_name = "ObjectiveKind";
    static constexpr std::array<std::pair<ObjectiveKind, std::string_view>, 8> entries{{
        {ObjectiveKind::MarketShare, "MarketShare"},
        {ObjectiveKind::SalesVolume, "SalesVolume"},
        {ObjectiveKind::SalesRevenue, "SalesRevenue"},
        {ObjectiveKind::BrandAwareness, "BrandAwareness"},
        {ObjectiveKind::RetailOutlets, "RetailOutlets"},
        {ObjectiveKind::AnnualGrowthRate, "AnnualGrowthRate"},
        {ObjectiveKind::ProfitMargin, "ProfitMargin"},
        {ObjectiveKind::BrandImage, "BrandImage"},
    }};
};

enum class PlanStatus : std::uint8_t { Draft, Proposed, ClientApproved, Superseded };
template <>
struct EnumNames<PlanStatus> {
    static constexpr std::string_view type_name = "PlanStatus";
    static constexpr std::array<std::pair<PlanStatus, std::string_view>, 4> entries{{
        {PlanStatus::Draft, "Draft"}, {PlanStatus::Proposed, "Proposed"},
        {PlanStatus::ClientApproved, "ClientApproved"}, {PlanStatus::Superseded, "Superseded"},
    }};
};

/// MP-2 Product.
struct ProductSection {
    LifeCycleStage stage = LifeCycleStage::Launch;
    std::string usp{};                             ///< unique selling proposition (MP-8g)
    std::vector<std::string> tangible_benefits{};
    std::vector<std::string> intangible_benefits{};
    std::string improvement_note{};                ///< product improvement or repositioning (MP-8d)
    friend bool operator==(const ProductSection&, const ProductSection&) = default;
};

struct CompetitorPrice {
    std::string competitor;
    Money price;
    friend bool operator==(const CompetitorPrice&, const CompetitorPrice&) = default;
};

/// MP-3 Price.
struct PriceSection {
    std::optional<Money> list_price{};
    PricePositioning positioning = PricePositioning::Parity;
    std::string consumer_acceptance{};
    std::vector<CompetitorPrice> competitors{};
    friend bool operator==(const PriceSection&, const PriceSection&) = default;
};

/// MP-4 Place.
struct PlaceSection {
    std::vector<std::string> channels{};
    int outlets_current = 0;
    int outlets_target = 0;
    Decimal coverage_percent{};  ///< distribution coverage, 0-100
    friend bool operator==(const PlaceSection&, const PlaceSection&) = default;
};

struct MixBudget {
    MixElement element;
    Money budget;
    friend bool operator==(const MixBudget&, const MixBudget&) = default;
};

/// MP-5 Promotion.
struct PromotionSection {
    std::optional<Money> budget{};  ///< the plan's promotion budget
    std::vector<MixBudget> mix{};   ///< one entry per element at most
    PromotionObjective objective = PromotionObjective::Inform;
    /// The mix element with the largest budget, if any has a positive budget.
    [[nodiscard]] std::optional<MixElement> largest_element() const;
    /// Budget of one element (zero when absent) in `currency`.
    [[nodiscard]] Money budget_of(MixElement e, Currency currency) const;
    friend bool operator==(const PromotionSection&, const PromotionSection&) = default;
};

struct Measurement {
    Date date;
    Decimal value;
    friend bool operator==(const Measurement&, const Measurement&) = default;
};

/// MP-6 marketing objective.
struct Objective {
    std::string id;  ///< "O1", unique within the plan
    ObjectiveKind kind = ObjectiveKind::MarketShare;
    std::string description;
    std::optional<Decimal> baseline{};
    std::optional<Decimal> target{};
    std::optional<Date> deadline{};
    std::vector<Measurement> actuals{};  ///< every measurement, in date order

    [[nodiscard]] std::optional<Measurement> latest(const Date& as_of) const;
    /// (actual - baseline) / (target - baseline) with the latest actual on `as_of`,
    /// 4 decimal places rounded half to even; none without baseline, target and actual
    /// or when target == baseline.
    [[nodiscard]] std::optional<Decimal> progress(const Date& as_of) const;
    friend bool operator==(const Objective&, const Objective&) = default;
};

struct NewObjective {
    ObjectiveKind kind = ObjectiveKind::MarketShare;
    std::string description{};
    std::optional<Decimal> baseline{};
    std::optional<Decimal> target{};
    std::optional<Date> deadline{};
};

/// MP-7 advertising strategy.
struct Strategy {
    std::string target_audience{};
    std::string positioning{};
    std::string execution{};
    friend bool operator==(const Strategy&, const Strategy&) = default;
};

struct PlanTransition {
    PlanStatus from;
    PlanStatus to;
    DateTime at;
    std::string actor;  ///< staff id, or "client:<contact id>" for the client's approval
    std::string note;
    friend bool operator==(const PlanTransition&, const PlanTransition&) = default;
};

/// MP-8 review finding.
struct PlanFinding {
    std::string rule;  ///< "MP-8a" .. "MP-8g"
    Severity severity = Severity::Warning;
    std::string message;
    friend bool operator==(const PlanFinding&, const PlanFinding&) = default;
};

struct MarketingPlan {
    std::string id;  ///< "MP0001"
    std::string client;
    std::string brand;
    std::optional<std::string> product{};
    Date period_start;
    Date period_end;
    MarketType market = MarketType::Consumer;
    std::string title;
    int version = 1;
    std::optional<std::string> supersedes{};     ///< the plan this version replaces
    std::optional<std::string> superseded_by{};
    ProductSection product_section{};
    PriceSection price{};
    PlaceSection place{};
    PromotionSection promotion{};
    std::vector<Objective> objectives{};
    Strategy strategy{};
    PlanStatus status = PlanStatus::Draft;
    std::vector<PlanTransition> history{};
    std::optional<std::string> approved_by{};  ///< client contact id (MP-7: approval covers the strategy)
    std::optional<DateTime> approved_at{};

    /// MP-8: the review, with the Policy's thresholds (MP-8c coverage).
    [[nodiscard]] std::vector<PlanFinding> review(const Policy& policy) const;
    [[nodiscard]] const Objective* find_objective(std::string_view id) const noexcept;
    /// The status just before `t` from the history; nullopt before the plan existed.
    [[nodiscard]] std::optional<PlanStatus> status_before(const DateTime& t) const noexcept;
    friend bool operator==(const MarketingPlan&, const MarketingPlan&) = default;
};

struct NewPlan {
    std::string client{};
    std::string brand{};
    std::optional<std::string> product{};
    Date period_start{};
    Date period_end{};
    MarketType market = MarketType::Consumer;
    std::string title{};
    std::string author{};  ///< staff id, recorded in the history
    DateTime created_at{};
};

}  // namespace aecore
