// Performance evaluation (PE-1..PE-6) for Python. Rubrics and criteria are values built
// with keyword arguments; an Evaluation is a live view of one evaluation in its agency
// (reading it always shows the current state; score(), advance() ... change the agency).

#include <pybind11/stl.h>

#include "aecore/agency.hpp"
#include "casters.hpp"

namespace py = pybind11;

namespace aecore::bind {

namespace {

/// A live view: the agency (kept alive) and the evaluation id.
struct EvaluationView {
    py::object agency;
    std::string id;
    [[nodiscard]] Agency& book() const { return agency.cast<Agency&>(); }
    [[nodiscard]] const Evaluation& get() const { return book().evaluation(id); }
};

Decimal weight_arg(const py::handle& v) {
    if (PyFloat_Check(v.ptr()) || PyBool_Check(v.ptr()))
        throw ValidationError("PE-1", "criterion.weights", py::repr(v).cast<std::string>(),
                              "a weight is an exact percentage: pass a str, int or decimal.Decimal");
    try {
        return v.cast<Decimal>();
    } catch (const py::cast_error&) {
        throw py::type_error("criterion.weights: expected a str, int or decimal.Decimal, not " +
                             std::string(py::str(py::type::of(v).attr("__name__"))));
    }
}

std::array<Decimal, 4> weights_arg(const py::handle& value) {
    std::array<Decimal, 4> out{};
    if (py::isinstance<py::dict>(value)) {
        for (auto [k, v] : value.cast<py::dict>()) {
            Title t{};
            try {
                t = k.cast<Title>();
            } catch (const py::cast_error&) {
                throw py::type_error("criterion.weights: the keys are aecore.Title members, not " +
                                     py::repr(k).cast<std::string>());
            }
            out[static_cast<std::size_t>(t)] = weight_arg(v);
        }
        return out;
    }
    if (!py::isinstance<py::sequence>(value) || PyUnicode_Check(value.ptr()))
        throw py::type_error("criterion.weights: expected a dict {Title: weight} or four weights");
    std::vector<Decimal> list;
    for (const py::handle item : value.cast<py::sequence>()) list.push_back(weight_arg(item));
    if (list.size() != 4)
        throw ValidationError("PE-1", "criterion.weights", std::to_string(list.size()) + " values",
                              "expected a dict {Title: weight} or four weights for AAE, AE, AM, AD");
    for (std::size_t i = 0; i < 4; ++i) out[i] = list[i];
    return out;
}

py::dict weights_dict(const Criterion& c) {
    py::dict d;
    for (std::size_t t = 0; t < 4; ++t) d[py::cast(static_cast<Title>(t))] = py::cast(c.weights[t]);
    return d;
}

}  // namespace

void evaluation(py::module_& m) {
    native_enum_from_names<EvaluationPeriod>(m, "PE-3: evaluation periods.");
    native_enum_from_names<EvaluationStatus>(m, "PE-3: the evaluation workflow.");
    native_enum_from_names<Rating>(m, "PE-4: rating bands.");
    native_enum_from_names<EvidenceMetric>(m, "PE-5: metrics computed from the book.");

    py::class_<Criterion>(m, "Criterion", R"doc(PE-1: one criterion of a rubric.

Criterion(id, area, name, description="", weights={Title.AE: 10, ...} or [aae, ae, am, ad],
evidence=[EvidenceMetric...]). Weights are percentages with at most 2 decimals.)doc")
        .def(py::init([](std::string id, std::string area, std::string name, std::string description,
                         const py::object& weights, std::vector<EvidenceMetric> evidence) {
                 return Criterion{std::move(id), std::move(area), std::move(name), std::move(description),
                                  weights_arg(weights), std::move(evidence)};
             }),
             py::arg("id"), py::arg("area"), py::arg("name"), py::kw_only(), py::arg("description") = "",
             py::arg("weights"), py::arg("evidence") = std::vector<EvidenceMetric>{})
        .def_readonly("id", &Criterion::id, "Criterion id (str), unique within its rubric.")
        .def_readonly("area", &Criterion::area, "The area the criterion is grouped in (str).")
        .def_readonly("name", &Criterion::name, "Name (str).")
        .def_readonly("description", &Criterion::description, "What is assessed (str).")
        .def_property_readonly("weights", &weights_dict, "{Title: Decimal percent}")
        .def_readonly("evidence", &Criterion::evidence,
                      "PE-5 metrics that inform this criterion (list of EvidenceMetric).")
        .def("weight", &Criterion::weight, py::arg("title"),
             "PE-1: the weight for `title` (aecore.Title) as a Decimal percentage; 0 = not assessed for that title.")
        .def("__eq__", [](const Criterion& a, const Criterion& b) { return a == b; }, py::is_operator());
    py::class_<Rubric>(m, "Rubric", "PE-1: criteria grouped by area; each title's weights sum to 100 %.")
        .def(py::init([](std::string id, std::string name, std::vector<Criterion> criteria) {
                 Rubric r{std::move(id), std::move(name), std::move(criteria)};
                 r.validate();
                 return r;
             }),
             py::arg("id"), py::arg("name"), py::arg("criteria"))
        .def_readonly("id", &Rubric::id, "Rubric id (str): 'account-service', '5A' or a custom id.")
        .def_readonly("name", &Rubric::name, "Name (str).")
        .def_readonly("criteria", &Rubric::criteria, "The criteria (list of Criterion), in rubric order.")
        .def("__eq__", [](const Rubric& a, const Rubric& b) { return a == b; }, py::is_operator());
    m.def("builtin_rubrics", &builtin_rubrics, "PE-2: the built-in rubrics 'account-service' and '5A'.");

    py::class_<Kpi>(m, "Kpi", "PE-6: one KPI: weight (fraction) and achievement (1 = 100 % of target).")
        .def(py::init([](std::string name, const Decimal& weight, const Decimal& achievement) {
                 return Kpi{std::move(name), weight, achievement};
             }),
             py::arg("name"), py::kw_only(), py::arg("weight"), py::arg("achievement"))
        .def_readonly("name", &Kpi::name, "KPI name (str), unique within a composite.")
        .def_readonly("weight", &Kpi::weight,
                      "Weight as a fraction (Decimal, 0-1); the weights of a composite sum to exactly 1.")
        .def_readonly("achievement", &Kpi::achievement,
                      "Fraction of the target achieved (Decimal; 1 = 100 %); a composite refuses a negative one.")
        .def("__eq__", [](const Kpi& a, const Kpi& b) { return a == b; }, py::is_operator());
    m.def("kpi_composite", &kpi_composite, py::arg("kpis"),
          "PE-6: Σ achievement × weight (Decimal, 4 places); the weights must sum to exactly 1.");

    py::class_<CriterionScore>(m, "CriterionScore", "A criterion's score (1-5) and comment.")
        .def_readonly("criterion", &CriterionScore::criterion, "Criterion id (str).")
        .def_readonly("score", &CriterionScore::score,
                      "Score (int) 1 unsatisfactory, 2 needs improvement, 3 meets, 4 exceeds, 5 outstanding (PE-1).")
        .def_readonly("comment", &CriterionScore::comment, "The evaluator's comment (str).");
    py::class_<EvaluationStep>(m, "EvaluationStep", "One step of an evaluation's workflow.")
        .def_readonly("from_status", &EvaluationStep::from, "aecore.EvaluationStatus before the step.")
        .def_readonly("to_status", &EvaluationStep::to, "aecore.EvaluationStatus after the step.")
        .def_readonly("at", &EvaluationStep::at, "When the step was taken (datetime.datetime).")
        .def_readonly("actor", &EvaluationStep::actor, "Staff id of who took the step (str).")
        .def_readonly("note", &EvaluationStep::note, "Note recorded with the step (str).");
    py::class_<EvidenceItem>(m, "EvidenceItem", "PE-5: one metric of the book, and the criteria it informs.")
        .def_readonly("metric", &EvidenceItem::metric, "aecore.EvidenceMetric measured.")
        .def_readonly("value", &EvidenceItem::value, "Decimal (a share, a count, days), or None when nothing was measured.")
        .def_readonly("numerator", &EvidenceItem::numerator,
                      "For a rate, the cases that met the standard (int); for DSO, the receivable in minor units.")
        .def_readonly("denominator", &EvidenceItem::denominator,
                      "For a rate, the cases measured (int); for DSO, the window's billings in minor units.")
        .def_readonly("detail", &EvidenceItem::detail, "A sentence a supervisor can read (str).")
        .def_readonly("criteria", &EvidenceItem::criteria,
                      "Ids of the weighted rubric criteria it informs (list of str; empty from Agency.evidence).")
        .def("__eq__", [](const EvidenceItem& a, const EvidenceItem& b) { return a == b; }, py::is_operator());
    py::class_<TeamEvaluationRow>(m, "TeamEvaluationRow", "Team view: one evaluation with score, rating and evidence.")
        .def_readonly("evaluation", &TeamEvaluationRow::evaluation, "Evaluation id (str), e.g. 'EV0001'.")
        .def_readonly("evaluatee", &TeamEvaluationRow::evaluatee, "Staff id of the person evaluated (str).")
        .def_readonly("title", &TeamEvaluationRow::title, "The evaluatee's aecore.Title when the evaluation started.")
        .def_readonly("evaluator", &TeamEvaluationRow::evaluator, "Staff id of the evaluator (str).")
        .def_readonly("status", &TeamEvaluationRow::status, "aecore.EvaluationStatus (PE-3).")
        .def_readonly("score", &TeamEvaluationRow::score,
                      "PE-4 weighted score (Decimal, 2 places), or None until every weighted criterion is scored.")
        .def_readonly("rating", &TeamEvaluationRow::rating, "PE-4 aecore.Rating, or None until the score is complete.")
        .def_readonly("evidence", &TeamEvaluationRow::evidence,
                      "PE-5 evidence (list of EvidenceItem) up to the end of the requested period.");
    py::class_<CalibrationRow>(m, "CalibrationRow", "Calibration: one evaluator's weighted scores.")
        .def_readonly("evaluator", &CalibrationRow::evaluator, "Staff id of the evaluator (str).")
        .def_readonly("count", &CalibrationRow::count, "Evaluations with a complete weighted score (int).")
        .def_readonly("mean", &CalibrationRow::mean, "Mean weighted score (Decimal, 2 places).")
        .def_readonly("spread", &CalibrationRow::spread, "Population standard deviation.")
        .def_readonly("min", &CalibrationRow::min, "Lowest weighted score (Decimal, 2 places).")
        .def_readonly("max", &CalibrationRow::max, "Highest weighted score (Decimal, 2 places).");

    py::class_<EvaluationView>(m, "Evaluation", R"doc(PE-3: a live view of one evaluation in its agency.

Reading it shows the current state; score(), advance(), set_kpis() and the
evaluatee_comments setter change the agency (validated; a refusal changes nothing).)doc")
        .def_property_readonly("id", [](const EvaluationView& v) { return v.id; }, "Evaluation id (str), e.g. 'EV0001'.")
        .def_property_readonly("agency", [](const EvaluationView& v) { return v.agency; },
                               "The Agency the evaluation lives in (kept alive by this view).")
        .def_property_readonly("evaluatee", [](const EvaluationView& v) { return v.get().evaluatee; },
                               "Staff id of the person evaluated (str).")
        .def_property_readonly("title", [](const EvaluationView& v) { return v.get().title; },
                               "The evaluatee's title when the evaluation started: it picks the weights.")
        .def_property_readonly("evaluator", [](const EvaluationView& v) { return v.get().evaluator; },
                               "Staff id of the evaluator, the evaluatee's direct manager (str, PE-3).")
        .def_property_readonly("reviewers", [](const EvaluationView& v) { return v.get().reviewers; },
                               "Staff ids of the reviewers (list of str); when empty the evaluator's manager reviews.")
        .def_property_readonly("rubric", [](const EvaluationView& v) { return v.book().rubric(v.get().rubric); },
                               "The Rubric the evaluation uses (PE-1).")
        .def_property_readonly("period", [](const EvaluationView& v) { return v.get().period; },
                               "aecore.EvaluationPeriod (PE-3).")
        .def_property_readonly("start", [](const EvaluationView& v) { return v.get().start; },
                               "First day of the evaluated period (datetime.date).")
        .def_property_readonly("end", [](const EvaluationView& v) { return v.get().end; },
                               "Last day of the evaluated period (datetime.date).")
        .def_property_readonly("scores", [](const EvaluationView& v) { return v.get().scores; },
                               "The scores given so far (list of CriterionScore), in rubric order.")
        .def_property(
            "evaluatee_comments", [](const EvaluationView& v) { return v.get().evaluatee_comments; },
            [](EvaluationView& v, std::string text) { v.book().set_evaluatee_comments(v.id, std::move(text)); },
            "The evaluatee's own comments (str, PE-3). Setting them changes the agency; raises StateError (PE-3) "
            "once the evaluation is Finalized, ValidationError (PE-3) for over-long text.")
        .def_property_readonly("kpis", [](const EvaluationView& v) { return v.get().kpis; },
                               "PE-6 KPIs (list of Kpi; empty when none were set).")
        .def_property_readonly("kpi_composite",
                               [](const EvaluationView& v) -> std::optional<Decimal> {
                                   if (v.get().kpis.empty()) return std::nullopt;
                                   return kpi_composite(v.get().kpis);
                               },
                               "PE-6: Σ achievement × weight of the KPIs (Decimal, 4 places), or None without KPIs.")
        .def_property_readonly("status", [](const EvaluationView& v) { return v.get().status; },
                               "aecore.EvaluationStatus, the current workflow step (PE-3).")
        .def_property_readonly("history", [](const EvaluationView& v) { return v.get().history; },
                               "Every workflow step taken (list of EvaluationStep), oldest first.")
        .def_property_readonly("created_at", [](const EvaluationView& v) { return v.get().created_at; },
                               "When the evaluation was started (datetime.datetime).")
        .def_property_readonly("weighted_score", [](const EvaluationView& v) { return v.book().weighted_score(v.id); },
                               "PE-4: Σ score × weight (Decimal, 2 places); None until every weighted criterion is scored.")
        .def_property_readonly("rating", [](const EvaluationView& v) { return v.book().rating(v.id); },
                               "PE-4: the aecore.Rating band of the weighted score with the Policy's rating_bands, or "
                               "None until every weighted criterion is scored.")
        .def_property_readonly(
            "missing",
            [](const EvaluationView& v) {
                const Evaluation& e = v.get();
                std::vector<std::string> out;
                for (const Criterion& c : v.book().rubric(e.rubric).criteria)
                    if (!c.weight(e.title).is_zero() && !e.score_of(c.id)) out.push_back(c.id);
                return out;
            },
            "The weighted criteria not yet scored.")
        .def(
            "score",
            [](EvaluationView& v, std::string_view criterion, const py::object& score, std::string comment) {
                // PE-1: an integer; a bool, float or Decimal is refused rather than truncated.
                if (!PyLong_Check(score.ptr()) || PyBool_Check(score.ptr()))
                    throw py::type_error("score: expected an int 1-5, not " +
                                         std::string(py::str(py::type::of(score).attr("__name__"))));
                const long long value = PyLong_AsLongLong(score.ptr());
                if ((value == -1 && PyErr_Occurred()) || value < -1000 || value > 1000) {
                    PyErr_Clear();
                    throw ValidationError("PE-1", "score.score", py::repr(score).cast<std::string>(),
                                          "a score is 1 (unsatisfactory) to 5 (outstanding)");
                }
                v.book().score_criterion(v.id, criterion, static_cast<int>(value), std::move(comment));
                return v;
            },
            py::arg("criterion"), py::arg("score"), py::arg("comment") = "",
            R"doc(PE-1/PE-3: score a criterion 1-5 with a comment (replacing an earlier score).

criterion: a criterion id of the rubric; score: an int 1 (unsatisfactory) to 5
(outstanding). Returns the evaluation. Raises TypeError for a score that is not an int,
NotFoundError (PE-1) for a criterion not in the rubric, ValidationError (PE-1: a score
outside 1-5, a criterion weighted 0 for the evaluatee's title), StateError (PE-3) once the
evaluation is Finalized.)doc")
        .def(
            "advance",
            [](EvaluationView& v, EvaluationStatus to, std::string_view actor, const DateTime& at, std::string note) {
                v.book().advance_evaluation(v.id, to, actor, at, std::move(note));
                return v;
            },
            py::arg("to"), py::kw_only(), py::arg("actor"), py::arg("at"), py::arg("note") = "",
            R"doc(PE-3: take the next workflow step `to` (aecore.EvaluationStatus); returns the evaluation.

Draft -> SharedWithEvaluatee (by the evaluator) -> Discussed (evaluator or evaluatee) ->
Reviewed (a reviewer, or the evaluator's manager when there are none) -> Finalized (the
evaluator or a reviewer, once every weighted criterion is scored). actor: staff id; at:
datetime.datetime, not before the previous step. Raises StateError (PE-3: not the next
step, finalizing with unscored criteria, already Finalized), NotFoundError (PE-3) for an
unknown actor, ValidationError (PE-3: an actor who may not take this step, `at` too early).)doc")
        .def(
            "set_kpis",
            [](EvaluationView& v, std::vector<Kpi> kpis) {
                v.book().set_kpis(v.id, std::move(kpis));
                return v;
            },
            py::arg("kpis"),
            "PE-6: replace the evaluation's KPIs (list of Kpi; empty clears them); returns the evaluation. Raises "
            "ValidationError (PE-6: weights outside 0-1 or not summing to exactly 1, a negative achievement, a "
            "repeated name) or StateError (PE-3) once Finalized.")
        .def("evidence",
             [](const EvaluationView& v, std::optional<Date> as_of) { return v.book().evidence(v.id, as_of); },
             py::arg("as_of") = py::none(),
             "PE-5: the metrics of the evaluatee's period (up to `as_of` while it runs), each with the weighted "
             "criteria it informs (list of EvidenceItem). Raises ValidationError (PE-5) for as_of before the period.")
        .def("__eq__",
             [](const EvaluationView& a, const EvaluationView& b) { return a.agency.is(b.agency) && a.id == b.id; },
             py::is_operator())
        .def("__hash__", [](const EvaluationView& v) { return py::hash(py::make_tuple(py::int_(reinterpret_cast<std::uintptr_t>(v.agency.ptr())), v.id)); });

    auto agency = py::reinterpret_borrow<py::class_<Agency>>(m.attr("Agency"));
    agency
        .def("add_rubric", &Agency::add_rubric, py::arg("rubric"), py::return_value_policy::copy,
             "PE-1: add a custom rubric (saved with the agency) and return it. Raises ValidationError (PE-1) for an "
             "invalid rubric (each title's weights must sum to 100 %) or an id already in use.")
        .def("get_rubric", &Agency::rubric, py::arg("id"), py::return_value_policy::copy,
             "The Rubric with `id` ('account-service', '5A' or a custom one); raises NotFoundError (PE-1).")
        .def_property_readonly("rubrics", [](const Agency& a) { return a.rubrics(); },
                               "Every Rubric: the built-in ones (PE-2) first, then custom ones in the order added.")
        .def(
            "evaluate",
            [](py::object self, std::string evaluatee, std::string evaluator, const Date& start,
               const DateTime& created_at, std::string rubric, EvaluationPeriod period, std::optional<Date> end,
               std::vector<std::string> reviewers) {
                Agency& a = self.cast<Agency&>();
                const Evaluation& e = a.start_evaluation(NewEvaluation{std::move(evaluatee), std::move(evaluator),
                                                                       std::move(reviewers), std::move(rubric), period,
                                                                       start, end, created_at});
                return EvaluationView{self, e.id};
            },
            py::arg("evaluatee"), py::kw_only(), py::arg("evaluator"), py::arg("start"), py::arg("created_at"),
            py::arg("rubric") = "account-service", py::arg("period") = EvaluationPeriod::Annual,
            py::arg("end") = py::none(), py::arg("reviewers") = std::vector<std::string>{},
            R"doc(PE-3: start a Draft evaluation and return a live Evaluation view of it (id 'EV0001', ...).

Args:
    evaluatee: staff id of the person evaluated; their current title picks the weights.
    evaluator: staff id of the evaluatee's direct manager.
    start: first day of the period (datetime.date); created_at: datetime.datetime.
    rubric: a rubric id (default 'account-service'; '5A' or a custom one).
    period: aecore.EvaluationPeriod; the end follows from it (a year, six or three months
        less a day); AD_HOC needs `end` (datetime.date).
    reviewers: staff ids of the reviewers; without them the evaluator's manager reviews.

Raises:
    NotFoundError: unknown staff (PE-3) or rubric (PE-1).
    ValidationError: an evaluator who is not the direct manager, an inactive person, a
        reviewer who is the evaluatee, the evaluator or listed twice, no reviewer while the
        evaluator has no manager, AD_HOC without `end`, an `end` that contradicts the period
        or precedes `start` (PE-3).)doc")
        .def(
            "get_evaluation",
            [](py::object self, const std::string& id) {
                (void)self.cast<const Agency&>().evaluation(id);
                return EvaluationView{self, id};
            },
            py::arg("id"), "A live Evaluation view of the evaluation `id` (e.g. 'EV0001'); raises NotFoundError (PE-3).")
        .def_property_readonly("evaluations",
                               [](py::object self) {
                                   std::vector<EvaluationView> out;
                                   for (const Evaluation& e : self.cast<const Agency&>().evaluations())
                                       out.push_back(EvaluationView{self, e.id});
                                   return out;
                               },
                               "Every evaluation as a live Evaluation view, in the order started.")
        .def("evidence", py::overload_cast<std::string_view, const Date&, const Date&>(&Agency::evidence, py::const_),
             py::arg("staff"), py::arg("start"), py::arg("end"),
             "PE-5: the metrics of the staff member `staff` over [start, end] (list of EvidenceItem, criteria left "
             "empty). Raises NotFoundError (ST-1) or ValidationError (PE-5) for end before start or dates outside "
             "1401-9998.")
        .def("team_evaluations", &Agency::team_evaluations, py::arg("lead"), py::arg("start"), py::arg("end"),
             "Evaluations overlapping [start, end] of everyone reporting (directly or not) to `lead`, with score, "
             "rating and evidence (list of TeamEvaluationRow). Raises NotFoundError (ST-1) or ValidationError (PE-3) "
             "for end before start.")
        .def("calibration", &Agency::calibration, py::arg("lead"), py::arg("start"), py::arg("end"),
             "Per evaluator in `lead`'s organisation: count, mean, spread, min and max of the complete weighted "
             "scores (list of CalibrationRow). Raises as team_evaluations.");
}

}  // namespace aecore::bind
