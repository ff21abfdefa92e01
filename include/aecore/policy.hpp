#pragma once
// The agency Policy: every default SPEC.md marks *(configurable)*, with the SPEC
// defaults. Setters validate, so a Policy is always consistent; the Agency owns one
// and serialises it.

#include <array>
#include <cstdint>

#include "aecore/decimal.hpp"
#include "aecore/enum_names.hpp"

namespace aecore {

/// MB-2: what happens to commitments or actuals above the approved estimate.
enum class OverspendPolicy : std::uint8_t { Stop, Warn, Ignore };

template <>
struct EnumNames<OverspendPolicy> {
    static constexpr std::string_view type_name = "OverspendPolicy";
    static constexpr std::array<std::pair<OverspendPolicy, std::string_view>, 3> entries{{
        {OverspendPolicy::Stop, "Stop"}, {OverspendPolicy::Warn, "Warn"}, {OverspendPolicy::Ignore, "Ignore"},
    }};
};

/// JT-6: job types, each with a minimum feasible lead time.
enum class JobType : std::uint8_t { TVCommercial, PrintAd, PointOfSale, MediaPlan, Research, Other };

template <>
struct EnumNames<JobType> {
    static constexpr std::string_view type_name = "JobType";
    static constexpr std::array<std::pair<JobType, std::string_view>, 6> entries{{
        {JobType::TVCommercial, "TVCommercial"},
        {JobType::PrintAd, "PrintAd"},
        {JobType::PointOfSale, "PointOfSale"},
        {JobType::MediaPlan, "MediaPlan"},
        {JobType::Research, "Research"},
        {JobType::Other, "Other"},
    }};
};

/// PE-4: upper bounds (exclusive) of the first four rating bands; a weighted score at
/// or above the last bound is "outstanding".
struct RatingBands {
    Decimal unsatisfactory_below;
    Decimal needs_improvement_below;
    Decimal meets_below;
    Decimal exceeds_below;
    friend bool operator==(const RatingBands&, const RatingBands&) = default;
};

class Policy {
public:
    /// The SPEC.md defaults.
    Policy();

    // ST-2 span of control: outside [min, max] direct reports is an advisory finding.
    [[nodiscard]] int span_of_control_min() const noexcept { return span_min_; }
    [[nodiscard]] int span_of_control_max() const noexcept { return span_max_; }
    void set_span_of_control(int min, int max);

    // CL-4 contact cadence, in business days.
    [[nodiscard]] int contact_cadence_home_days() const noexcept { return cadence_home_; }
    [[nodiscard]] int contact_cadence_away_days() const noexcept { return cadence_away_; }
    void set_contact_cadence(int home_city_days, int elsewhere_days);

    // CL-5 tiering: cumulative billing shares for tiers A and B, and the receivable
    // overdue days that keep a client out of tier A.
    [[nodiscard]] const Decimal& tier_a_share() const noexcept { return tier_a_; }
    [[nodiscard]] const Decimal& tier_b_share() const noexcept { return tier_b_; }
    void set_tier_shares(const Decimal& a, const Decimal& b);
    [[nodiscard]] int tier_a_max_overdue_days() const noexcept { return tier_a_overdue_; }
    void set_tier_a_max_overdue_days(int days);

    // MP-8c: minimum distribution coverage (percent) before mass advertising.
    [[nodiscard]] int min_distribution_for_advertising() const noexcept { return min_distribution_; }
    void set_min_distribution_for_advertising(int percent);

    // JT-6 minimum lead time per job type, in business days.
    [[nodiscard]] int lead_time_days(JobType type) const noexcept { return lead_times_[static_cast<std::size_t>(type)]; }
    void set_lead_time_days(JobType type, int days);

    // MB-2 overspend policy.
    [[nodiscard]] OverspendPolicy overspend() const noexcept { return overspend_; }
    void set_overspend(OverspendPolicy p) noexcept { overspend_ = p; }

    // MB-6 collection discipline: days past due at which the AE, the AM and the AD
    // chase an invoice, and the lateness that marks a client's credit Late.
    [[nodiscard]] int escalation_ae_days() const noexcept { return escalate_[0]; }
    [[nodiscard]] int escalation_am_days() const noexcept { return escalate_[1]; }
    [[nodiscard]] int escalation_ad_days() const noexcept { return escalate_[2]; }
    void set_escalation_days(int ae, int am, int ad);
    [[nodiscard]] int late_payment_days() const noexcept { return late_payment_; }
    void set_late_payment_days(int days);

    // PE-4 rating bands.
    [[nodiscard]] const RatingBands& rating_bands() const noexcept { return bands_; }
    void set_rating_bands(const RatingBands& bands);

    friend bool operator==(const Policy&, const Policy&) = default;

private:
    int span_min_ = 1;
    int span_max_ = 3;
    int cadence_home_ = 1;
    int cadence_away_ = 3;
    Decimal tier_a_;
    Decimal tier_b_;
    int tier_a_overdue_ = 90;
    int min_distribution_ = 60;
    std::array<int, 6> lead_times_{20, 5, 7, 10, 15, 3};
    OverspendPolicy overspend_ = OverspendPolicy::Warn;
    std::array<int, 3> escalate_{1, 15, 30};
    int late_payment_ = 30;
    RatingBands bands_;
};

}  // namespace aecore
