// 4P marketing plans (MP-1..MP-8) for Python: enums, read-only plan snapshots and the
// Agency methods that create, edit, review and approve plans. Sections are set with
// keyword arguments; the review comes back as PlanFinding objects.

#include <pybind11/stl.h>

#include <type_traits>

#include "aecore/agency.hpp"
#include "casters.hpp"

namespace py = pybind11;

namespace aecore::bind {

namespace {
// (key, value) pairs from a dict (in insertion order) or from a sequence of pairs.
// A wrong type anywhere is a TypeError naming the argument and what it expects.
template <class K, class V>
std::vector<std::pair<K, V>> pairs_of(const py::handle& obj, const char* arg, const char* expected) {
    try {
        if (py::isinstance<py::dict>(obj)) {
            std::vector<std::pair<K, V>> out;
            for (const auto& [k, v] : py::reinterpret_borrow<py::dict>(obj))
                out.emplace_back(py::cast<K>(k), py::cast<V>(v));
            return out;
        }
        return py::cast<std::vector<std::pair<K, V>>>(obj);
    } catch (const py::cast_error&) {
        throw py::type_error(std::string("argument '") + arg + "' must be " + expected + ", got " +
                             py::repr(obj).cast<std::string>());
    }
}

template <class T>
void value_eq(py::class_<T>& cls) {
    cls.def("__eq__", [](const T& a, const T& b) { return a == b; }, py::is_operator());
}
}  // namespace

void plans(py::module_& m) {
    native_enum_from_names<MarketType>(m, "MP-1 market types.");
    native_enum_from_names<LifeCycleStage>(m, "MP-2 product life-cycle stages.");
    native_enum_from_names<PricePositioning>(m, "MP-3 price positioning.");
    native_enum_from_names<MixElement>(m, "MP-5 promotion-mix elements.");
    native_enum_from_names<PromotionObjective>(m, "MP-5 promotion objectives.");
    native_enum_from_names<ObjectiveKind>(m, "MP-6 marketing-objective kinds (percent kinds are in percent).");
    native_enum_from_names<PlanStatus>(m, "MP-8 plan workflow status.");

    py::class_<ProductSection>(m, "ProductSection", "MP-2: the product part of a plan.")
        .def_readonly("stage", &ProductSection::stage)
        .def_readonly("usp", &ProductSection::usp)
        .def_readonly("tangible_benefits", &ProductSection::tangible_benefits)
        .def_readonly("intangible_benefits", &ProductSection::intangible_benefits)
        .def_readonly("improvement_note", &ProductSection::improvement_note);
    py::class_<CompetitorPrice>(m, "CompetitorPrice", "MP-3: a competitor's price reference.")
        .def_readonly("competitor", &CompetitorPrice::competitor)
        .def_readonly("price", &CompetitorPrice::price);
    py::class_<PriceSection>(m, "PriceSection", "MP-3: the price part of a plan.")
        .def_readonly("list_price", &PriceSection::list_price)
        .def_readonly("positioning", &PriceSection::positioning)
        .def_readonly("consumer_acceptance", &PriceSection::consumer_acceptance)
        .def_readonly("competitors", &PriceSection::competitors);
    py::class_<PlaceSection>(m, "PlaceSection", "MP-4: the place (distribution) part of a plan.")
        .def_readonly("channels", &PlaceSection::channels)
        .def_readonly("outlets_current", &PlaceSection::outlets_current)
        .def_readonly("outlets_target", &PlaceSection::outlets_target)
        .def_readonly("coverage_percent", &PlaceSection::coverage_percent);
    py::class_<MixBudget>(m, "MixBudget", "MP-5: the budget of one promotion-mix element.")
        .def_readonly("element", &MixBudget::element)
        .def_readonly("budget", &MixBudget::budget);
    py::class_<PromotionSection>(m, "PromotionSection", "MP-5: the promotion part of a plan.")
        .def_readonly("budget", &PromotionSection::budget)
        .def_readonly("mix", &PromotionSection::mix)
        .def_readonly("objective", &PromotionSection::objective)
        .def_property_readonly("largest_element", &PromotionSection::largest_element);
    py::class_<Measurement>(m, "Measurement", "MP-6: one measured actual of an objective.")
        .def_readonly("date", &Measurement::date)
        .def_readonly("value", &Measurement::value);
    py::class_<Objective>(m, "Objective", "MP-6: a marketing objective with its measured actuals.")
        .def_readonly("id", &Objective::id)
        .def_readonly("kind", &Objective::kind)
        .def_readonly("description", &Objective::description)
        .def_readonly("baseline", &Objective::baseline)
        .def_readonly("target", &Objective::target)
        .def_readonly("deadline", &Objective::deadline)
        .def_readonly("actuals", &Objective::actuals)
        .def("latest", &Objective::latest, py::arg("as_of"), "The latest measurement on or before `as_of`, or None.")
        .def("progress", &Objective::progress, py::arg("as_of"),
             "(actual - baseline) / (target - baseline) as a Decimal with 4 places, or None.");
    py::class_<Strategy>(m, "Strategy", "MP-7: the advertising strategy statements.")
        .def_readonly("target_audience", &Strategy::target_audience)
        .def_readonly("positioning", &Strategy::positioning)
        .def_readonly("execution", &Strategy::execution);
    py::class_<PlanTransition>(m, "PlanTransition", "One step of a plan's workflow history.")
        .def_readonly("from_status", &PlanTransition::from)
        .def_readonly("to_status", &PlanTransition::to)
        .def_readonly("at", &PlanTransition::at)
        .def_readonly("actor", &PlanTransition::actor)
        .def_readonly("note", &PlanTransition::note);
    py::class_<PlanFinding>(m, "PlanFinding", "MP-8: one finding of a plan review.")
        .def_readonly("rule", &PlanFinding::rule)
        .def_readonly("severity", &PlanFinding::severity)
        .def_readonly("message", &PlanFinding::message)
        .def("__eq__", [](const PlanFinding& a, const PlanFinding& b) { return a == b; }, py::is_operator());
    py::class_<MarketingPlan>(m, "MarketingPlan", "A 4P marketing plan (MP-1..MP-8): a snapshot taken from the Agency.")
        .def_readonly("id", &MarketingPlan::id)
        .def_readonly("client", &MarketingPlan::client)
        .def_readonly("brand", &MarketingPlan::brand)
        .def_readonly("product", &MarketingPlan::product)
        .def_readonly("period_start", &MarketingPlan::period_start)
        .def_readonly("period_end", &MarketingPlan::period_end)
        .def_readonly("market", &MarketingPlan::market)
        .def_readonly("title", &MarketingPlan::title)
        .def_readonly("version", &MarketingPlan::version)
        .def_readonly("supersedes", &MarketingPlan::supersedes)
        .def_readonly("superseded_by", &MarketingPlan::superseded_by)
        .def_readonly("product_section", &MarketingPlan::product_section)
        .def_readonly("price", &MarketingPlan::price)
        .def_readonly("place", &MarketingPlan::place)
        .def_readonly("promotion", &MarketingPlan::promotion)
        .def_readonly("objectives", &MarketingPlan::objectives)
        .def_readonly("strategy", &MarketingPlan::strategy)
        .def_readonly("status", &MarketingPlan::status)
        .def_readonly("history", &MarketingPlan::history)
        .def_readonly("approved_by", &MarketingPlan::approved_by, "Contact id of the client who approved it.")
        .def_readonly("approved_at", &MarketingPlan::approved_at)
        .def("review_findings", &MarketingPlan::review, py::arg("policy"),
             "MP-8 findings with the given Policy (MarketingPlan.review wraps this in a PlanReview).")
        .def("__eq__", [](const MarketingPlan& a, const MarketingPlan& b) { return a == b; }, py::is_operator());

    // Value equality for the plan's parts (snapshots compare by content).
    auto eq = [&](const char* name, auto tag) {
        using T = typename decltype(tag)::type;
        auto cls = py::reinterpret_borrow<py::class_<T>>(m.attr(name));
        value_eq(cls);
    };
    eq("ProductSection", std::type_identity<ProductSection>{});
    eq("CompetitorPrice", std::type_identity<CompetitorPrice>{});
    eq("PriceSection", std::type_identity<PriceSection>{});
    eq("PlaceSection", std::type_identity<PlaceSection>{});
    eq("MixBudget", std::type_identity<MixBudget>{});
    eq("PromotionSection", std::type_identity<PromotionSection>{});
    eq("Measurement", std::type_identity<Measurement>{});
    eq("Objective", std::type_identity<Objective>{});
    eq("Strategy", std::type_identity<Strategy>{});
    eq("PlanTransition", std::type_identity<PlanTransition>{});

    auto agency = py::reinterpret_borrow<py::class_<Agency>>(m.attr("Agency"));
    agency
        .def(
            "create_plan",
            [](Agency& a, std::string client, std::string brand, const Date& start, const Date& end, std::string author,
               const DateTime& created_at, std::optional<std::string> product, MarketType market, std::string title) {
                return a.create_plan(NewPlan{std::move(client), std::move(brand), std::move(product), start, end, market,
                                             std::move(title), std::move(author), created_at});
            },
            py::arg("client"), py::arg("brand"), py::kw_only(), py::arg("period_start"), py::arg("period_end"),
            py::arg("author"), py::arg("created_at"), py::arg("product") = py::none(),
            py::arg("market") = MarketType::Consumer, py::arg("title") = "", py::return_value_policy::copy,
            "MP-1: a new Draft plan for a client's brand (and optionally one of its products).")
        .def(
            "set_product_section",
            [](Agency& a, std::string_view plan, LifeCycleStage stage, std::string usp, std::vector<std::string> tangible,
               std::vector<std::string> intangible, std::string note) {
                return a.set_product_section(
                    plan, ProductSection{stage, std::move(usp), std::move(tangible), std::move(intangible), std::move(note)});
            },
            py::arg("plan"), py::kw_only(), py::arg("stage"), py::arg("usp") = "",
            py::arg("tangible_benefits") = std::vector<std::string>{},
            py::arg("intangible_benefits") = std::vector<std::string>{}, py::arg("improvement_note") = "",
            py::return_value_policy::copy, "MP-2: life-cycle stage, USP, benefits, improvement/repositioning note.")
        .def(
            "set_price",
            [](Agency& a, std::string_view plan, std::optional<Money> list_price, PricePositioning positioning,
               std::string acceptance, const py::object& competitors) {
                PriceSection p{list_price, positioning, std::move(acceptance), {}};
                for (const auto& [name, price] : pairs_of<std::string, Money>(competitors, "competitors", "a dict of {name: Money}"))
                    p.competitors.push_back(CompetitorPrice{name, price});
                return a.set_price(plan, p);
            },
            py::arg("plan"), py::kw_only(), py::arg("list_price") = py::none(),
            py::arg("positioning") = PricePositioning::Parity, py::arg("consumer_acceptance") = "",
            py::arg("competitors") = py::dict(), py::return_value_policy::copy,
            "MP-3: list price, positioning, consumer acceptance and competitor prices ({name: Money}).")
        .def(
            "set_place",
            [](Agency& a, std::string_view plan, std::vector<std::string> channels, int current, int target,
               const Decimal& coverage) {
                return a.set_place(plan, PlaceSection{std::move(channels), current, target, coverage});
            },
            py::arg("plan"), py::kw_only(), py::arg("channels") = std::vector<std::string>{},
            py::arg("outlets_current") = 0, py::arg("outlets_target") = 0, py::arg("coverage_percent"),
            py::return_value_policy::copy, "MP-4: channels, outlets now and targeted, distribution coverage 0-100 %.")
        .def(
            "set_promotion",
            [](Agency& a, std::string_view plan, std::optional<Money> budget,
               const py::object& mix, PromotionObjective objective) {
                PromotionSection p{budget, {}, objective};
                for (const auto& [element, amount] : pairs_of<MixElement, Money>(mix, "mix", "a dict of {MixElement: Money}"))
                    p.mix.push_back(MixBudget{element, amount});
                return a.set_promotion(plan, p);
            },
            py::arg("plan"), py::kw_only(), py::arg("budget") = py::none(),
            py::arg("mix") = py::dict(), py::arg("objective") = PromotionObjective::Inform,
            py::return_value_policy::copy, "MP-5: promotion budget, mix ({MixElement: Money}) and objective.")
        .def(
            "set_strategy",
            [](Agency& a, std::string_view plan, std::string audience, std::string positioning, std::string execution) {
                return a.set_strategy(plan, Strategy{std::move(audience), std::move(positioning), std::move(execution)});
            },
            py::arg("plan"), py::kw_only(), py::arg("target_audience") = "", py::arg("positioning") = "",
            py::arg("execution") = "", py::return_value_policy::copy, "MP-7: the advertising strategy statements.")
        .def(
            "add_objective",
            [](Agency& a, std::string_view plan, ObjectiveKind kind, std::string description,
               std::optional<Decimal> baseline, std::optional<Decimal> target, std::optional<Date> deadline) {
                return a.add_objective(plan, NewObjective{kind, std::move(description), baseline, target, deadline});
            },
            py::arg("plan"), py::arg("kind"), py::kw_only(), py::arg("description") = "",
            py::arg("baseline") = py::none(), py::arg("target") = py::none(), py::arg("deadline") = py::none(),
            py::return_value_policy::copy,
            "MP-6: an objective (numbers as Decimal/int/str; percent kinds in percent).")
        .def("record_actual", &Agency::record_actual, py::arg("plan"), py::arg("objective"), py::arg("on"),
             py::arg("value"), py::return_value_policy::copy, "MP-6: a measured actual; every measurement is kept.")
        .def("propose_plan", &Agency::propose_plan, py::arg("plan"), py::kw_only(), py::arg("actor"), py::arg("at"),
             py::arg("note") = "", py::return_value_policy::copy, "Draft -> Proposed, by a staff member.")
        .def("approve_plan", &Agency::approve_plan, py::arg("plan"), py::kw_only(), py::arg("contact"), py::arg("at"),
             py::arg("note") = "", py::return_value_policy::copy,
             "Proposed -> ClientApproved by a client contact; refused while the review has errors (StateError).")
        .def("new_plan_version", &Agency::new_plan_version, py::arg("plan"), py::kw_only(), py::arg("author"),
             py::arg("at"), py::return_value_policy::copy, "A new Draft version of an approved plan, to change it.")
        .def("get_plan", &Agency::plan, py::arg("id"), py::return_value_policy::copy)
        .def_property_readonly("plans", [](const Agency& a) { return a.plans(); })
        .def("review_plan_findings", &Agency::review_plan, py::arg("id"),
             "MP-8 findings with this agency's Policy (Agency.review_plan wraps them in a PlanReview).")
        .def(
            "approved_plan",
            [](const Agency& a, std::string_view client, std::string_view brand, const Date& as_of) -> std::optional<MarketingPlan> {
                if (const MarketingPlan* p = a.approved_plan(client, brand, as_of)) return *p;
                return std::nullopt;
            },
            py::arg("client"), py::arg("brand"), py::arg("as_of"),
            "JT-5: the client-approved, not superseded plan for the brand on `as_of`, or None.");
}

}  // namespace aecore::bind
