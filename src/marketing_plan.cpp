#include "aecore/marketing_plan.hpp"

#include <algorithm>

#include "aecore/policy.hpp"

namespace aecore {

namespace {
__extension__ typedef __int128 i128;

std::string money_text(const Money& m) { return m.format(); }
}  // namespace

std::optional<MixElement> PromotionSection::largest_element() const {
    const MixBudget* best = nullptr;
    for (const MixBudget& m : mix)
        if (m.budget.is_positive() && (!best || m.budget.minor_units() > best->budget.minor_units())) best = &m;
    if (!best) return std::nullopt;
    return best->element;
}

Money PromotionSection::budget_of(MixElement e, Currency currency) const {
    for (const MixBudget& m : mix)
        if (m.element == e) return m.budget;
    return Money::zero(currency);
}

std::optional<Measurement> Objective::latest(const Date& as_of) const {
    std::optional<Measurement> out;
    for (const Measurement& m : actuals)
        if (m.date <= as_of) out = m;
    return out;
}

std::optional<Decimal> Objective::progress(const Date& as_of) const {
    const auto actual = latest(as_of);
    if (!actual || !baseline || !target) return std::nullopt;
    // Bring all three to one scale, then divide exactly with half-even rounding to 4 places.
    const int scale = std::max({baseline->scale(), target->scale(), actual->value.scale()});
    auto at_scale = [&](const Decimal& d) { return static_cast<i128>(d.units()) * pow10(scale - d.scale()); };
    const i128 num = (at_scale(actual->value) - at_scale(*baseline)) * 10000;
    const i128 den = at_scale(*target) - at_scale(*baseline);
    if (den == 0) return std::nullopt;
    i128 q = num / den;
    const i128 r = num % den;
    const i128 twice = (r < 0 ? -r : r) * 2;
    const i128 mag = den < 0 ? -den : den;
    const bool negative = (num < 0) != (den < 0);
    if (twice > mag || (twice == mag && q % 2 != 0)) q += negative ? -1 : 1;
    if (q > INT64_MAX || q < INT64_MIN) return std::nullopt;
    return Decimal::from_units(static_cast<std::int64_t>(q), 4);
}

const Objective* MarketingPlan::find_objective(std::string_view objective_id) const noexcept {
    auto it = std::find_if(objectives.begin(), objectives.end(), [&](const Objective& o) { return o.id == objective_id; });
    return it == objectives.end() ? nullptr : &*it;
}

std::optional<PlanStatus> MarketingPlan::status_before(const DateTime& t) const noexcept {
    std::optional<PlanStatus> status;
    for (const PlanTransition& h : history)
        if (h.at < t) status = h.to;
    return status;
}

std::vector<PlanFinding> MarketingPlan::review(const Policy& policy) const {
    std::vector<PlanFinding> out;
    const LifeCycleStage stage = product_section.stage;
    const std::string stage_name(to_string(stage));

    // a. The promotion objective follows the life-cycle stage.
    const PromotionObjective expected = stage == LifeCycleStage::Launch   ? PromotionObjective::Inform
                                        : stage == LifeCycleStage::Growth ? PromotionObjective::Persuade
                                                                          : PromotionObjective::Remind;
    if (promotion.objective != expected)
        out.push_back({"MP-8a", Severity::Warning,
                       "In the " + stage_name + " stage promotion should " +
                           std::string(stage == LifeCycleStage::Decline ? "only remind, with minimal support"
                                                                        : std::string("aim to ") + std::string(to_string(expected))) +
                           "; the plan aims to " + std::string(to_string(promotion.objective)) + "."});
    // b. A launch builds awareness first.
    const bool has_awareness = std::any_of(objectives.begin(), objectives.end(),
                                           [](const Objective& o) { return o.kind == ObjectiveKind::BrandAwareness; });
    if (stage == LifeCycleStage::Launch && !has_awareness)
        out.push_back({"MP-8b", Severity::Warning,
                       "A launch needs a brand-awareness objective: awareness comes first."});
    // c. Mass advertising follows adequate distribution.
    const auto advertising = std::find_if(promotion.mix.begin(), promotion.mix.end(),
                                          [](const MixBudget& m) { return m.element == MixElement::Advertising; });
    const Decimal threshold(policy.min_distribution_for_advertising());
    if (advertising != promotion.mix.end() && advertising->budget.is_positive() && place.coverage_percent < threshold)
        out.push_back({"MP-8c", Severity::Warning,
                       "Advertising is budgeted at " + money_text(advertising->budget) + " while distribution covers only " +
                           place.coverage_percent.to_string() + "% (below " + threshold.to_string() +
                           "%): mass advertising should follow adequate distribution."});
    // d. A declining product needs a reason before heavy advertising.
    if (stage == LifeCycleStage::Decline && promotion.largest_element() == MixElement::Advertising &&
        product_section.improvement_note.empty())
        out.push_back({"MP-8d", Severity::Warning,
                       "The product is in decline and advertising is the largest mix element, but the plan notes no "
                       "product improvement or repositioning."});
    // e. Measurable objectives.
    for (const Objective& o : objectives) {
        if (o.kind == ObjectiveKind::BrandImage) continue;
        std::string missing;
        if (!o.target) missing = "a numeric target";
        if (!o.deadline) missing += std::string(missing.empty() ? "" : " and ") + "a deadline";
        if (!missing.empty())
            out.push_back({"MP-8e", Severity::Error,
                           "Objective " + o.id + " (" + std::string(to_string(o.kind)) + ") needs " + missing + "."});
    }
    // f. The mix fits the promotion budget, exactly.
    i128 mix_total = 0;
    for (const MixBudget& m : promotion.mix) mix_total += m.budget.minor_units();
    if (!promotion.budget && mix_total > 0)
        out.push_back({"MP-8f", Severity::Error, "The promotion mix has budgets but the plan has no promotion budget."});
    else if (promotion.budget && mix_total > promotion.budget->minor_units()) {
        const Money total(static_cast<std::int64_t>(mix_total), promotion.budget->currency());
        out.push_back({"MP-8f", Severity::Error,
                       "The promotion mix adds up to " + money_text(total) + ", more than the promotion budget of " +
                           money_text(*promotion.budget) + "."});
    }
    // g. A unique selling proposition.
    if (product_section.usp.empty())
        out.push_back({"MP-8g", Severity::Error, "The plan states no unique selling proposition (USP)."});
    return out;
}

}  // namespace aecore
