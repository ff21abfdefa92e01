// The agency Policy: every *(configurable)* default of SPEC.md, and setters that
// validate and leave the policy unchanged when they refuse a value.

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "aecore/error.hpp"
#include "aecore/policy.hpp"

namespace {

using aecore::Decimal;
using aecore::JobType;
using aecore::OverspendPolicy;
using aecore::Policy;
using aecore::RatingBands;
using aecore::ValidationError;

Decimal dec(const char* text) { return Decimal::parse(text); }

// Runs `change` on a copy of `policy`; it must throw ValidationError mentioning
// `field` and `rule`, and the policy must compare equal to what it was before.
void expect_rejected(const Policy& policy, const std::function<void(Policy&)>& change, const std::string& field,
                     const std::string& rule) {
    Policy p = policy;
    try {
        change(p);
        ADD_FAILURE() << "expected ValidationError for " << field;
    } catch (const ValidationError& e) {
        const std::string what = e.what();
        EXPECT_EQ(e.rule(), rule) << what;
        EXPECT_NE(what.find(field), std::string::npos) << what;
        EXPECT_NE(what.find("[" + rule + "]"), std::string::npos) << what;
    }
    EXPECT_TRUE(p == policy) << "a refused change must leave the policy unchanged (" << field << ")";
}

TEST(PolicyDefaults, MatchTheSpec) {
    const Policy p;
    // ST-2
    EXPECT_EQ(p.span_of_control_min(), 1);
    EXPECT_EQ(p.span_of_control_max(), 3);
    // CL-4
    EXPECT_EQ(p.contact_cadence_home_days(), 1);
    EXPECT_EQ(p.contact_cadence_away_days(), 3);
    // CL-5
    EXPECT_EQ(p.tier_a_share(), dec("0.50"));
    EXPECT_EQ(p.tier_b_share(), dec("0.80"));
    EXPECT_EQ(p.tier_a_share().to_string(), "0.50");
    EXPECT_EQ(p.tier_b_share().to_string(), "0.80");
    EXPECT_EQ(p.tier_a_max_overdue_days(), 90);
    // MP-8c
    EXPECT_EQ(p.min_distribution_for_advertising(), 60);
    // JT-6
    EXPECT_EQ(p.lead_time_days(JobType::TVCommercial), 20);
    EXPECT_EQ(p.lead_time_days(JobType::PrintAd), 5);
    EXPECT_EQ(p.lead_time_days(JobType::PointOfSale), 7);
    EXPECT_EQ(p.lead_time_days(JobType::MediaPlan), 10);
    EXPECT_EQ(p.lead_time_days(JobType::Research), 15);
    EXPECT_EQ(p.lead_time_days(JobType::Other), 3);
    // MB-2
    EXPECT_EQ(p.overspend(), OverspendPolicy::Warn);
    // MB-6
    EXPECT_EQ(p.escalation_ae_days(), 1);
    EXPECT_EQ(p.escalation_am_days(), 15);
    EXPECT_EQ(p.escalation_ad_days(), 30);
    EXPECT_EQ(p.late_payment_days(), 30);
    // PE-4
    EXPECT_EQ(p.rating_bands().unsatisfactory_below, dec("2.0"));
    EXPECT_EQ(p.rating_bands().needs_improvement_below, dec("2.75"));
    EXPECT_EQ(p.rating_bands().meets_below, dec("3.75"));
    EXPECT_EQ(p.rating_bands().exceeds_below, dec("4.5"));
    EXPECT_TRUE(p == Policy());
}

TEST(PolicyDefaults, EnumNames) {
    EXPECT_EQ(aecore::to_string(OverspendPolicy::Warn), "Warn");
    EXPECT_EQ(aecore::to_string(JobType::TVCommercial), "TVCommercial");
    EXPECT_EQ(aecore::enum_from_string<OverspendPolicy>("Stop"), OverspendPolicy::Stop);
    EXPECT_FALSE(aecore::enum_from_string<OverspendPolicy>("stop").has_value());
    EXPECT_THROW((void)aecore::parse_enum<JobType>("Billboard", "job.type", "JT-6"), ValidationError);
}

TEST(PolicySetters, AcceptValidValues) {
    Policy p;
    p.set_span_of_control(2, 3);
    p.set_contact_cadence(2, 5);
    p.set_tier_shares(dec("0.6"), dec("1"));
    p.set_tier_a_max_overdue_days(60);
    p.set_min_distribution_for_advertising(0);
    p.set_lead_time_days(JobType::PrintAd, 0);
    p.set_lead_time_days(JobType::TVCommercial, 30);
    p.set_overspend(OverspendPolicy::Stop);
    p.set_escalation_days(0, 0, 0);
    p.set_late_payment_days(45);
    p.set_rating_bands({dec("1.5"), dec("2.5"), dec("3.5"), dec("5")});

    EXPECT_EQ(p.span_of_control_min(), 2);
    EXPECT_EQ(p.span_of_control_max(), 3);
    EXPECT_EQ(p.contact_cadence_home_days(), 2);
    EXPECT_EQ(p.contact_cadence_away_days(), 5);
    EXPECT_EQ(p.tier_a_share(), dec("0.6"));
    EXPECT_EQ(p.tier_b_share(), dec("1"));
    EXPECT_EQ(p.tier_a_max_overdue_days(), 60);
    EXPECT_EQ(p.min_distribution_for_advertising(), 0);
    EXPECT_EQ(p.lead_time_days(JobType::PrintAd), 0);
    EXPECT_EQ(p.lead_time_days(JobType::TVCommercial), 30);
    EXPECT_EQ(p.lead_time_days(JobType::Research), 15);  // untouched
    EXPECT_EQ(p.overspend(), OverspendPolicy::Stop);
    EXPECT_EQ(p.escalation_ae_days(), 0);
    EXPECT_EQ(p.escalation_ad_days(), 0);
    EXPECT_EQ(p.late_payment_days(), 45);
    EXPECT_EQ(p.rating_bands().exceeds_below, dec("5"));
    EXPECT_FALSE(p == Policy());
}

// Each refused change is tried on the defaults and on a customised policy, so that
// "unchanged" cannot pass just because the value happened to be the default.
class PolicyRejects : public ::testing::TestWithParam<bool> {
protected:
    Policy base() const {
        Policy p;
        if (GetParam()) {
            p.set_span_of_control(2, 4);
            p.set_contact_cadence(2, 4);
            p.set_tier_shares(dec("0.4"), dec("0.7"));
            p.set_tier_a_max_overdue_days(120);
            p.set_min_distribution_for_advertising(40);
            p.set_lead_time_days(JobType::Research, 12);
            p.set_overspend(OverspendPolicy::Ignore);
            p.set_escalation_days(2, 10, 20);
            p.set_late_payment_days(40);
            p.set_rating_bands({dec("1.8"), dec("2.6"), dec("3.6"), dec("4.4")});
        }
        return p;
    }
};

TEST_P(PolicyRejects, SpanOfControl) {
    const Policy p = base();
    expect_rejected(p, [](Policy& x) { x.set_span_of_control(-1, 3); }, "policy.span_of_control_min", "ST-2");
    expect_rejected(p, [](Policy& x) { x.set_span_of_control(1, 0); }, "policy.span_of_control_max", "ST-2");
    expect_rejected(p, [](Policy& x) { x.set_span_of_control(1, 101); }, "policy.span_of_control_max", "ST-2");
    expect_rejected(p, [](Policy& x) { x.set_span_of_control(4, 3); }, "policy.span_of_control", "ST-2");
}

TEST_P(PolicyRejects, ContactCadence) {
    const Policy p = base();
    expect_rejected(p, [](Policy& x) { x.set_contact_cadence(0, 3); }, "policy.contact_cadence_home_days", "CL-4");
    expect_rejected(p, [](Policy& x) { x.set_contact_cadence(1, 0); }, "policy.contact_cadence_away_days", "CL-4");
    expect_rejected(p, [](Policy& x) { x.set_contact_cadence(1, 261); }, "policy.contact_cadence_away_days", "CL-4");
    expect_rejected(p, [](Policy& x) { x.set_contact_cadence(-5, 3); }, "policy.contact_cadence_home_days", "CL-4");
}

TEST_P(PolicyRejects, TierShares) {
    const Policy p = base();
    const char* field = "policy.tier_shares";
    expect_rejected(p, [](Policy& x) { x.set_tier_shares(dec("0.8"), dec("0.5")); }, field, "CL-5");   // A > B
    expect_rejected(p, [](Policy& x) { x.set_tier_shares(dec("0.5"), dec("0.50")); }, field, "CL-5");  // A == B
    expect_rejected(p, [](Policy& x) { x.set_tier_shares(dec("0"), dec("0.5")); }, field, "CL-5");     // A == 0
    expect_rejected(p, [](Policy& x) { x.set_tier_shares(dec("-0.1"), dec("0.5")); }, field, "CL-5");
    expect_rejected(p, [](Policy& x) { x.set_tier_shares(dec("0.5"), dec("1.01")); }, field, "CL-5");  // B > 1
    expect_rejected(p, [](Policy& x) { x.set_tier_a_max_overdue_days(-1); }, "policy.tier_a_max_overdue_days",
                    "CL-5");
    expect_rejected(p, [](Policy& x) { x.set_tier_a_max_overdue_days(3651); }, "policy.tier_a_max_overdue_days",
                    "CL-5");
}

TEST_P(PolicyRejects, DistributionAndLeadTimes) {
    const Policy p = base();
    expect_rejected(p, [](Policy& x) { x.set_min_distribution_for_advertising(101); },
                    "policy.min_distribution_for_advertising", "MP-8c");
    expect_rejected(p, [](Policy& x) { x.set_min_distribution_for_advertising(-1); },
                    "policy.min_distribution_for_advertising", "MP-8c");
    expect_rejected(p, [](Policy& x) { x.set_lead_time_days(JobType::Research, -1); },
                    "policy.lead_time_days.Research", "JT-6");
    expect_rejected(p, [](Policy& x) { x.set_lead_time_days(JobType::TVCommercial, 261); },
                    "policy.lead_time_days.TVCommercial", "JT-6");
}

TEST_P(PolicyRejects, EscalationAndLatePayment) {
    const Policy p = base();
    expect_rejected(p, [](Policy& x) { x.set_escalation_days(-1, 15, 30); }, "policy.escalation_ae_days", "MB-6");
    expect_rejected(p, [](Policy& x) { x.set_escalation_days(1, 3651, 4000); }, "policy.escalation_am_days",
                    "MB-6");
    expect_rejected(p, [](Policy& x) { x.set_escalation_days(1, 15, -30); }, "policy.escalation_ad_days", "MB-6");
    expect_rejected(p, [](Policy& x) { x.set_escalation_days(16, 15, 30); }, "policy.escalation_days", "MB-6");
    expect_rejected(p, [](Policy& x) { x.set_escalation_days(1, 31, 30); }, "policy.escalation_days", "MB-6");
    expect_rejected(p, [](Policy& x) { x.set_late_payment_days(-1); }, "policy.late_payment_days", "MB-6");
    expect_rejected(p, [](Policy& x) { x.set_late_payment_days(3651); }, "policy.late_payment_days", "MB-6");
}

TEST_P(PolicyRejects, RatingBands) {
    const Policy p = base();
    const char* field = "policy.rating_bands";
    const std::vector<RatingBands> bad = {
        {dec("2.75"), dec("2.0"), dec("3.75"), dec("4.5")},   // not increasing
        {dec("2.0"), dec("2.0"), dec("3.75"), dec("4.5")},    // equal bounds
        {dec("1"), dec("2.75"), dec("3.75"), dec("4.5")},     // first bound not above 1
        {dec("2.0"), dec("2.75"), dec("3.75"), dec("5.01")},  // last bound above 5
        {dec("2.0"), dec("2.75"), dec("4.6"), dec("4.5")},
    };
    for (const RatingBands& b : bad) expect_rejected(p, [&](Policy& x) { x.set_rating_bands(b); }, field, "PE-4");
}

INSTANTIATE_TEST_SUITE_P(DefaultAndCustom, PolicyRejects, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "Custom" : "Default"; });

}  // namespace
