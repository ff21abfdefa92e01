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
        .def_readonly("stage", &ProductSection::stage, "aecore.LifeCycleStage of the product (MP-2).")
        .def_readonly("usp", &ProductSection::usp, "Unique selling proposition (str; '' = none, an MP-8g error).")
        .def_readonly("tangible_benefits", &ProductSection::tangible_benefits, "Tangible benefits (list of str).")
        .def_readonly("intangible_benefits", &ProductSection::intangible_benefits, "Intangible benefits (list of str).")
        .def_readonly("improvement_note", &ProductSection::improvement_note,
                      "Product improvement or repositioning note (str); MP-8d looks for it in the Decline stage.");
    py::class_<CompetitorPrice>(m, "CompetitorPrice", "MP-3: a competitor's price reference.")
        .def_readonly("competitor", &CompetitorPrice::competitor, "Competitor or competing product (str).")
        .def_readonly("price", &CompetitorPrice::price, "Its price (Money, agency currency).");
    py::class_<PriceSection>(m, "PriceSection", "MP-3: the price part of a plan.")
        .def_readonly("list_price", &PriceSection::list_price, "List price (Money, agency currency), or None when not set.")
        .def_readonly("positioning", &PriceSection::positioning, "aecore.PricePositioning: PREMIUM, PARITY or ECONOMY.")
        .def_readonly("consumer_acceptance", &PriceSection::consumer_acceptance,
                      "How consumers accept the price, free text (str).")
        .def_readonly("competitors", &PriceSection::competitors, "Competitor price references (list of CompetitorPrice).");
    py::class_<PlaceSection>(m, "PlaceSection", "MP-4: the place (distribution) part of a plan.")
        .def_readonly("channels", &PlaceSection::channels, "Distribution channels (list of str).")
        .def_readonly("outlets_current", &PlaceSection::outlets_current, "Number of outlets now (int).")
        .def_readonly("outlets_target", &PlaceSection::outlets_target, "Number of outlets targeted (int).")
        .def_readonly("coverage_percent", &PlaceSection::coverage_percent,
                      "Distribution coverage in percent, 0-100 (Decimal); MP-8c compares it with "
                      "Policy.min_distribution_for_advertising.");
    py::class_<MixBudget>(m, "MixBudget", "MP-5: the budget of one promotion-mix element.")
        .def_readonly("element", &MixBudget::element, "aecore.MixElement.")
        .def_readonly("budget", &MixBudget::budget, "Budget of the element (Money, agency currency).");
    py::class_<PromotionSection>(m, "PromotionSection", "MP-5: the promotion part of a plan.")
        .def_readonly("budget", &PromotionSection::budget,
                      "The plan's promotion budget (Money, agency currency), or None when not set.")
        .def_readonly("mix", &PromotionSection::mix,
                      "Budgets per mix element (list of MixBudget, one per element at most); their sum must not "
                      "exceed `budget` (MP-8f).")
        .def_readonly("objective", &PromotionSection::objective,
                      "aecore.PromotionObjective: INFORM, PERSUADE or REMIND (checked against the stage, MP-8a).")
        .def_property_readonly("largest_element", &PromotionSection::largest_element,
                               "The MixElement with the largest positive budget, or None when no element has one.");
    py::class_<Measurement>(m, "Measurement", "MP-6: one measured actual of an objective.")
        .def_readonly("date", &Measurement::date, "Date of the measurement (datetime.date).")
        .def_readonly("value", &Measurement::value, "Measured value (Decimal; in percent for the percent kinds).");
    py::class_<Objective>(m, "Objective", "MP-6: a marketing objective with its measured actuals.")
        .def_readonly("id", &Objective::id, "Objective id (str): 'O1', 'O2', ... unique within the plan.")
        .def_readonly("kind", &Objective::kind, "aecore.ObjectiveKind (percent kinds are in percent).")
        .def_readonly("description", &Objective::description, "Description (str).")
        .def_readonly("baseline", &Objective::baseline, "Starting value (Decimal), or None.")
        .def_readonly("target", &Objective::target,
                      "Target value (Decimal), or None; required except for BRAND_IMAGE (MP-8e).")
        .def_readonly("deadline", &Objective::deadline,
                      "Date the target is due (datetime.date), or None; required except for BRAND_IMAGE (MP-8e).")
        .def_readonly("actuals", &Objective::actuals, "Every measured actual (list of Measurement), in date order.")
        .def("latest", &Objective::latest, py::arg("as_of"), "The latest measurement on or before `as_of`, or None.")
        .def("progress", &Objective::progress, py::arg("as_of"),
             "(actual - baseline) / (target - baseline) as a Decimal with 4 places, or None.");
    py::class_<Strategy>(m, "Strategy", "MP-7: the advertising strategy statements.")
        .def_readonly("target_audience", &Strategy::target_audience, "Target-audience statement (str).")
        .def_readonly("positioning", &Strategy::positioning, "Positioning statement (str).")
        .def_readonly("execution", &Strategy::execution, "Execution statement (str).");
    py::class_<PlanTransition>(m, "PlanTransition", "One step of a plan's workflow history.")
        .def_readonly("from_status", &PlanTransition::from,
                      "aecore.PlanStatus before the step (DRAFT for the creation entry).")
        .def_readonly("to_status", &PlanTransition::to, "aecore.PlanStatus after the step.")
        .def_readonly("at", &PlanTransition::at, "When the step was taken (datetime.datetime).")
        .def_readonly("actor", &PlanTransition::actor,
                      "Staff id of who took the step, or 'client:<contact id>' for the client's approval (str).")
        .def_readonly("note", &PlanTransition::note, "Note recorded with the step (str).");
    py::class_<PlanFinding>(m, "PlanFinding", "MP-8: one finding of a plan review.")
        .def_readonly("rule", &PlanFinding::rule, "Rule id (str), 'MP-8a' to 'MP-8g'.")
        .def_readonly("severity", &PlanFinding::severity, "aecore.Severity; an ERROR blocks client approval.")
        .def_readonly("message", &PlanFinding::message, "What is wrong and why it matters (str).")
        .def("__eq__", [](const PlanFinding& a, const PlanFinding& b) { return a == b; }, py::is_operator());
    py::class_<MarketingPlan>(m, "MarketingPlan", "A 4P marketing plan (MP-1..MP-8): a snapshot taken from the Agency.")
        .def_readonly("id", &MarketingPlan::id, "Plan id (str), e.g. 'MP0001'; every version has its own id.")
        .def_readonly("client", &MarketingPlan::client, "Client code (str).")
        .def_readonly("brand", &MarketingPlan::brand, "Brand name (str).")
        .def_readonly("product", &MarketingPlan::product, "Product name (str), or None for a brand-wide plan.")
        .def_readonly("period_start", &MarketingPlan::period_start, "First day of the plan period (datetime.date).")
        .def_readonly("period_end", &MarketingPlan::period_end, "Last day of the plan period (datetime.date).")
        .def_readonly("market", &MarketingPlan::market, "aecore.MarketType (MP-1).")
        .def_readonly("title", &MarketingPlan::title, "Title (str); '<brand> <year>' unless given.")
        .def_readonly("version", &MarketingPlan::version, "Version number (int), 1 for the original plan.")
        .def_readonly("supersedes", &MarketingPlan::supersedes, "Id of the plan this version replaces, or None.")
        .def_readonly("superseded_by", &MarketingPlan::superseded_by,
                      "Id of the approved version that superseded this one, or None.")
        .def_readonly("product_section", &MarketingPlan::product_section, "The ProductSection (MP-2).")
        .def_readonly("price", &MarketingPlan::price, "The PriceSection (MP-3).")
        .def_readonly("place", &MarketingPlan::place, "The PlaceSection (MP-4).")
        .def_readonly("promotion", &MarketingPlan::promotion, "The PromotionSection (MP-5).")
        .def_readonly("objectives", &MarketingPlan::objectives, "Marketing objectives (list of Objective, MP-6).")
        .def_readonly("strategy", &MarketingPlan::strategy, "The advertising Strategy (MP-7).")
        .def_readonly("status", &MarketingPlan::status,
                      "aecore.PlanStatus: DRAFT, PROPOSED, CLIENT_APPROVED or SUPERSEDED.")
        .def_readonly("history", &MarketingPlan::history,
                      "Every workflow step (list of PlanTransition), the creation first.")
        .def_readonly("approved_by", &MarketingPlan::approved_by, "Contact id of the client who approved it.")
        .def_readonly("approved_at", &MarketingPlan::approved_at,
                      "When the client approved it (datetime.datetime), or None.")
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
            R"doc(MP-1: create a Draft plan (id 'MP0001', ...) for a client's brand, optionally one of its products.

period_start / period_end: datetime.date; author: staff id; created_at: datetime.datetime;
market: aecore.MarketType. Raises NotFoundError (CL-1 client, MP-1 brand/product/author),
StateError (CL-2, archived client), ValidationError (MP-1: period end before its start,
inactive author).)doc")
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
            py::return_value_policy::copy,
            "MP-2: set the product section (life-cycle stage, USP, benefits, improvement/repositioning note); "
            "returns the plan. Raises NotFoundError (MP-1) for an unknown plan, StateError (MP-8) unless the plan is Draft or Proposed (change an approved plan through new_plan_version), ValidationError (MP-2) for over-long text.")
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
            "MP-3: set the price section: list price (Money), positioning, consumer acceptance and competitor "
            "prices ({name: Money}); returns the plan. Raises NotFoundError (MP-1) for an unknown plan, StateError (MP-8) unless the plan is Draft or Proposed (change an approved plan through new_plan_version), ValidationError (MP-3 negative, MB-1 foreign "
            "currency) for a bad price.")
        .def(
            "set_place",
            [](Agency& a, std::string_view plan, std::vector<std::string> channels, int current, int target,
               const Decimal& coverage) {
                return a.set_place(plan, PlaceSection{std::move(channels), current, target, coverage});
            },
            py::arg("plan"), py::kw_only(), py::arg("channels") = std::vector<std::string>{},
            py::arg("outlets_current") = 0, py::arg("outlets_target") = 0, py::arg("coverage_percent"),
            py::return_value_policy::copy,
            "MP-4: set the place section: channels, outlets now and targeted, distribution coverage 0-100 % "
            "(Decimal/int/str); returns the plan. Raises NotFoundError (MP-1) for an unknown plan, StateError (MP-8) unless the plan is Draft or Proposed (change an approved plan through new_plan_version), ValidationError (MP-4) for coverage outside 0-100 or "
            "negative outlets.")
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
            py::return_value_policy::copy,
            "MP-5: set the promotion section: budget (Money), mix ({MixElement: Money}) and objective; returns the "
            "plan. Raises NotFoundError (MP-1) for an unknown plan, StateError (MP-8) unless the plan is Draft or Proposed (change an approved plan through new_plan_version), ValidationError (MP-5 negative or repeated element, MB-1 foreign currency). A mix above "
            "the budget is an MP-8f review error, not refused here.")
        .def(
            "set_strategy",
            [](Agency& a, std::string_view plan, std::string audience, std::string positioning, std::string execution) {
                return a.set_strategy(plan, Strategy{std::move(audience), std::move(positioning), std::move(execution)});
            },
            py::arg("plan"), py::kw_only(), py::arg("target_audience") = "", py::arg("positioning") = "",
            py::arg("execution") = "", py::return_value_policy::copy,
            "MP-7: set the advertising strategy statements; returns the plan. Raises NotFoundError (MP-1) for an unknown plan, StateError (MP-8) unless the plan is Draft or Proposed (change an approved plan through new_plan_version), ValidationError (MP-7) for "
            "over-long text.")
        .def(
            "add_objective",
            [](Agency& a, std::string_view plan, ObjectiveKind kind, std::string description,
               std::optional<Decimal> baseline, std::optional<Decimal> target, std::optional<Date> deadline) {
                return a.add_objective(plan, NewObjective{kind, std::move(description), baseline, target, deadline});
            },
            py::arg("plan"), py::arg("kind"), py::kw_only(), py::arg("description") = "",
            py::arg("baseline") = py::none(), py::arg("target") = py::none(), py::arg("deadline") = py::none(),
            py::return_value_policy::copy,
            R"doc(MP-6: add an objective (id 'O1', ...) to a Draft or Proposed plan and return it.

kind: aecore.ObjectiveKind; baseline / target: Decimal, int or str (percent kinds in
percent, 0-100); deadline: datetime.date. Raises NotFoundError (MP-1), StateError (MP-8)
for a plan that is not Draft or Proposed, ValidationError (MP-6: a deadline before the
period, a percentage outside 0-100, numbers on BRAND_IMAGE).)doc")
        .def("record_actual", &Agency::record_actual, py::arg("plan"), py::arg("objective"), py::arg("on"),
             py::arg("value"), py::return_value_policy::copy,
             "MP-6: record the measured `value` (Decimal/int/str) of an objective on the date `on` and return the "
             "objective; every measurement is kept. Raises NotFoundError (MP-1 plan, MP-6 objective) or "
             "ValidationError (MP-6: a second value for the date, a value for BRAND_IMAGE, a percentage outside "
             "0-100).")
        .def("propose_plan", &Agency::propose_plan, py::arg("plan"), py::kw_only(), py::arg("actor"), py::arg("at"),
             py::arg("note") = "", py::return_value_policy::copy,
             "MP-8 workflow: Draft -> Proposed, by the staff member `actor` at `at` (datetime.datetime); returns the "
             "plan. Raises NotFoundError (MP-1 plan, MP-8 actor), StateError (MP-8) unless the plan is Draft, "
             "ValidationError (MP-8: `at` before the last step, inactive actor).")
        .def("approve_plan", &Agency::approve_plan, py::arg("plan"), py::kw_only(), py::arg("contact"), py::arg("at"),
             py::arg("note") = "", py::return_value_policy::copy,
             R"doc(MP-8 workflow: Proposed -> ClientApproved by the client contact `contact` at `at`.

Approval covers the strategy (MP-7) and supersedes the brand's previously approved plan.
Returns the plan. Raises NotFoundError (MP-1 plan, MP-7 contact not of the client),
StateError (MP-8) unless the plan is Proposed or while its review has Error findings,
ValidationError (MP-8) for `at` before the last step.)doc")
        .def("new_plan_version", &Agency::new_plan_version, py::arg("plan"), py::kw_only(), py::arg("author"),
             py::arg("at"), py::return_value_policy::copy,
             "A new Draft version (new id, version + 1) of a client-approved plan, to change it; approving it "
             "supersedes the old one. Raises NotFoundError (MP-1 plan, MP-8 author), StateError (MP-8) unless the "
             "plan is ClientApproved, ValidationError (MP-8) for `at` before the plan's last step.")
        .def("get_plan", &Agency::plan, py::arg("id"), py::return_value_policy::copy,
             "The MarketingPlan with `id` (e.g. 'MP0001'); raises NotFoundError (MP-1).")
        .def_property_readonly("plans", [](const Agency& a) { return a.plans(); },
                               "Every MarketingPlan (snapshots), every version, in the order created.")
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
