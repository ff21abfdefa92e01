#include "aecore/policy.hpp"

#include <string>

#include "aecore/error.hpp"

namespace aecore {

namespace {
void require_range(int v, int lo, int hi, const char* field, const char* rule) {
    if (v < lo || v > hi)
        throw ValidationError(rule, std::string("policy.") + field, std::to_string(v),
                              "must be " + std::to_string(lo) + ".." + std::to_string(hi));
}
}  // namespace

Policy::Policy()
    : tier_a_(Decimal::from_units(50, 2)),
      tier_b_(Decimal::from_units(80, 2)),
      bands_{Decimal::from_units(20, 1), Decimal::from_units(275, 2), Decimal::from_units(375, 2),
             Decimal::from_units(45, 1)} {}

void Policy::set_span_of_control(int min, int max) {
    require_range(min, 0, 100, "span_of_control_min", "ST-2");
    require_range(max, 1, 100, "span_of_control_max", "ST-2");
    if (min > max)
        throw ValidationError("ST-2", "policy.span_of_control", std::to_string(min) + ".." + std::to_string(max),
                              "minimum must not exceed maximum");
    span_min_ = min;
    span_max_ = max;
}

void Policy::set_contact_cadence(int home_city_days, int elsewhere_days) {
    require_range(home_city_days, 1, 260, "contact_cadence_home_days", "CL-4");
    require_range(elsewhere_days, 1, 260, "contact_cadence_away_days", "CL-4");
    cadence_home_ = home_city_days;
    cadence_away_ = elsewhere_days;
}

void Policy::set_tier_shares(const Decimal& a, const Decimal& b) {
    const std::string value = a.to_string() + ", " + b.to_string();
    const Decimal zero;
    const Decimal one(1);
    if (!(zero < a && a < b && b <= one))
        throw ValidationError("CL-5", "policy.tier_shares", value, "must satisfy 0 < A < B <= 1");
    tier_a_ = a;
    tier_b_ = b;
}

void Policy::set_tier_a_max_overdue_days(int days) {
    require_range(days, 0, 3650, "tier_a_max_overdue_days", "CL-5");
    tier_a_overdue_ = days;
}

void Policy::set_min_distribution_for_advertising(int percent) {
    require_range(percent, 0, 100, "min_distribution_for_advertising", "MP-8c");
    min_distribution_ = percent;
}

void Policy::set_lead_time_days(JobType type, int days) {
    const std::string field = "lead_time_days." + std::string(to_string(type));
    require_range(days, 0, 260, field.c_str(), "JT-6");
    lead_times_[static_cast<std::size_t>(type)] = days;
}

void Policy::set_escalation_days(int ae, int am, int ad) {
    require_range(ae, 0, 3650, "escalation_ae_days", "MB-6");
    require_range(am, 0, 3650, "escalation_am_days", "MB-6");
    require_range(ad, 0, 3650, "escalation_ad_days", "MB-6");
    if (!(ae <= am && am <= ad))
        throw ValidationError("MB-6", "policy.escalation_days",
                              std::to_string(ae) + ", " + std::to_string(am) + ", " + std::to_string(ad),
                              "must not decrease from AE to AM to AD");
    escalate_ = {ae, am, ad};
}

void Policy::set_late_payment_days(int days) {
    require_range(days, 0, 3650, "late_payment_days", "MB-6");
    late_payment_ = days;
}

void Policy::set_rating_bands(const RatingBands& b) {
    const Decimal one(1);
    const Decimal five(5);
    const std::string value = b.unsatisfactory_below.to_string() + ", " + b.needs_improvement_below.to_string() +
                              ", " + b.meets_below.to_string() + ", " + b.exceeds_below.to_string();
    if (!(one < b.unsatisfactory_below && b.unsatisfactory_below < b.needs_improvement_below &&
          b.needs_improvement_below < b.meets_below && b.meets_below < b.exceeds_below && b.exceeds_below <= five))
        throw ValidationError("PE-4", "policy.rating_bands", value,
                              "bounds must increase strictly within (1, 5]");
    bands_ = b;
}

}  // namespace aecore
