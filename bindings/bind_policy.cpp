// The agency Policy for Python: every SPEC *(configurable)* default as a validated
// property. `agency.policy` is a live view of the agency's own policy.

#include <pybind11/stl.h>

#include "aecore/policy.hpp"
#include "casters.hpp"

namespace py = pybind11;

namespace aecore::bind {

void policy(py::module_& m) {
    native_enum_from_names<OverspendPolicy>(m, "MB-2: what happens to costs above the approved estimate.");
    native_enum_from_names<JobType>(m, "JT-6: job types, each with a minimum lead time in business days.");

    py::class_<Policy>(m, "Policy", R"doc(Every configurable default of SPEC.md, with the SPEC values.

Setters validate and raise ValidationError naming the field, value and rule; a Policy
is never inconsistent. agency.policy is the agency's own (live) policy.)doc")
        .def(py::init<>())
        .def_property(
            "span_of_control", [](const Policy& p) { return py::make_tuple(p.span_of_control_min(), p.span_of_control_max()); },
            [](Policy& p, std::pair<int, int> v) { p.set_span_of_control(v.first, v.second); },
            "ST-2 (min, max) direct reports before an advisory finding; default (1, 3).")
        .def_property(
            "contact_cadence_days",
            [](const Policy& p) { return py::make_tuple(p.contact_cadence_home_days(), p.contact_cadence_away_days()); },
            [](Policy& p, std::pair<int, int> v) { p.set_contact_cadence(v.first, v.second); },
            "CL-4 (home city, elsewhere) maximum business days between contacts; default (1, 3).")
        .def_property(
            "tier_shares", [](const Policy& p) { return py::make_tuple(p.tier_a_share(), p.tier_b_share()); },
            [](Policy& p, std::pair<Decimal, Decimal> v) { p.set_tier_shares(v.first, v.second); },
            "CL-5 cumulative billing shares (A, B) as Decimal; default (0.50, 0.80).")
        .def_property("tier_a_max_overdue_days", &Policy::tier_a_max_overdue_days, &Policy::set_tier_a_max_overdue_days,
                      "CL-5: a receivable overdue longer than this keeps a client out of tier A; default 90.")
        .def_property("min_distribution_for_advertising", &Policy::min_distribution_for_advertising,
                      &Policy::set_min_distribution_for_advertising,
                      "MP-8c: distribution coverage (percent) below which advertising spend is flagged; default 60.")
        .def("lead_time_days", &Policy::lead_time_days, py::arg("job_type"),
             "JT-6 minimum lead time of a job type in business days.")
        .def("set_lead_time_days", &Policy::set_lead_time_days, py::arg("job_type"), py::arg("days"),
             "JT-6: set the minimum lead time of `job_type` (aecore.JobType) to `days` business days; raises "
             "ValidationError (JT-6) outside 0-260.")
        .def_property_readonly(
            "lead_times",
            [](const Policy& p) {
                py::dict out;
                for (const auto& [type, name] : EnumNames<JobType>::entries) out[py::cast(type)] = p.lead_time_days(type);
                return out;
            },
            "JT-6 lead times as a dict JobType -> business days (a copy; change with set_lead_time_days).")
        .def_property("overspend", &Policy::overspend, &Policy::set_overspend, "MB-2 overspend policy; default WARN.")
        .def_property(
            "escalation_days",
            [](const Policy& p) {
                return py::make_tuple(p.escalation_ae_days(), p.escalation_am_days(), p.escalation_ad_days());
            },
            [](Policy& p, std::tuple<int, int, int> v) {
                p.set_escalation_days(std::get<0>(v), std::get<1>(v), std::get<2>(v));
            },
            "MB-6 days past due at which the (AE, AM, AD) chase an invoice; default (1, 15, 30).")
        .def_property("late_payment_days", &Policy::late_payment_days, &Policy::set_late_payment_days,
                      "MB-6: a payment later than this marks the client's credit Late; default 30.")
        .def_property(
            "rating_bands",
            [](const Policy& p) {
                const RatingBands& b = p.rating_bands();
                return py::make_tuple(b.unsatisfactory_below, b.needs_improvement_below, b.meets_below, b.exceeds_below);
            },
            [](Policy& p, std::tuple<Decimal, Decimal, Decimal, Decimal> v) {
                p.set_rating_bands({std::get<0>(v), std::get<1>(v), std::get<2>(v), std::get<3>(v)});
            },
            "PE-4 upper bounds of the unsatisfactory, needs-improvement, meets and exceeds bands; "
            "default (2.0, 2.75, 3.75, 4.5).")
        .def("__eq__", [](const Policy& a, const Policy& b) { return a == b; }, py::is_operator())
        .def("__copy__", [](const Policy& p) { return Policy(p); })
        .def("__deepcopy__", [](const Policy& p, const py::dict&) { return Policy(p); }, py::arg("memo"));
}

}  // namespace aecore::bind
