// Agency: 4P marketing plans (SPEC MP-1..MP-8) and their workflow. Every change is
// validated on a copy of the plan and committed with a non-throwing move.

#include <algorithm>
#include <cstdio>

#include "aecore/agency.hpp"
#include "aecore/error.hpp"
#include "ids.hpp"
#include "text_checks.hpp"

namespace aecore {

namespace bg = boost::gregorian;
namespace bp = boost::posix_time;

namespace {

std::string day_text(const Date& d) { return bg::to_iso_extended_string(d); }
std::string time_text(const DateTime& t) { return bp::to_iso_extended_string(t); }

bool is_percent_share(ObjectiveKind k) { return k == ObjectiveKind::MarketShare || k == ObjectiveKind::BrandAwareness; }

void check_text_list(const std::vector<std::string>& items, const std::string& field, std::string_view rule) {
    for (const std::string& item : items) check_text(item, field, rule, 500);
}

}  // namespace

const MarketingPlan& Agency::plan(std::string_view id) const {
    auto it = plan_index_.find(id);
    if (it == plan_index_.end()) throw NotFoundError("MP-1", "plan.id", quote(id), "no such marketing plan");
    return plans_[it->second];
}

MarketingPlan& Agency::editable_plan(std::string_view id) {
    auto it = plan_index_.find(id);
    if (it == plan_index_.end()) throw NotFoundError("MP-1", "plan.id", quote(id), "no such marketing plan");
    MarketingPlan& p = plans_[it->second];
    if (p.status != PlanStatus::Draft && p.status != PlanStatus::Proposed)
        throw StateError("MP-8", "plan.status", std::string(to_string(p.status)),
                         "plan " + p.id + " is " + std::string(to_string(p.status)) +
                             "; change it through new_plan_version");
    return p;
}

void Agency::check_plan_money(const Money& m, const std::string& field, std::string_view rule) const {
    if (m.currency() != currency_)
        throw ValidationError("MB-1", field, m.to_string(),
                              "must be in the agency currency " + std::string(currency_.code()));
    if (m.is_negative()) throw ValidationError(std::string(rule), field, m.to_string(), "must not be negative");
}

template <class Edit>
const MarketingPlan& Agency::edit_plan(std::string_view id, Edit&& edit) {
    MarketingPlan& target = editable_plan(id);
    MarketingPlan copy = target;
    edit(copy);
    target = std::move(copy);
    return target;
}

const MarketingPlan& Agency::create_plan(const NewPlan& spec) {
    const Client* c = find_client(spec.client);
    if (!c) throw NotFoundError("CL-1", "plan.client", quote(spec.client), "no such client");
    if (c->archived) throw StateError("CL-2", "plan.client", quote(c->code), "the client is archived");
    const Brand* brand = c->find_brand(spec.brand);
    if (!brand) throw NotFoundError("MP-1", "plan.brand", quote(spec.brand), "is not a brand of client " + c->code);
    if (spec.product && std::find(brand->products.begin(), brand->products.end(), *spec.product) == brand->products.end())
        throw NotFoundError("MP-1", "plan.product", quote(*spec.product), "is not a product of brand " + spec.brand);
    require_valid(spec.period_start, "plan.period_start", "MP-1");
    require_valid(spec.period_end, "plan.period_end", "MP-1");
    if (spec.period_end < spec.period_start)
        throw ValidationError("MP-1", "plan.period_end", day_text(spec.period_end),
                              "is before the period start " + day_text(spec.period_start));
    require_valid(spec.created_at, "plan.created_at", "MP-1");
    require_serial_left(next_plan_serial_, "sequences.plans");
    (void)active_staff(spec.author, "plan.author", "MP-1");
    char id[16];
    std::snprintf(id, sizeof id, "MP%04u", next_plan_serial_);
    MarketingPlan p{
        .id = id,
        .client = c->code,
        .brand = spec.brand,
        .product = spec.product,
        .period_start = spec.period_start,
        .period_end = spec.period_end,
        .market = spec.market,
        .title = spec.title.empty() ? spec.brand + " " + day_text(spec.period_start).substr(0, 4)
                                    : checked_name(spec.title, "plan.title", "MP-1"),
        .history = {PlanTransition{PlanStatus::Draft, PlanStatus::Draft, spec.created_at, spec.author, "created"}},
    };
    const MarketingPlan& added = add_plan(std::move(p));
    ++next_plan_serial_;
    return added;
}

std::string Agency::brand_key(std::string_view client, std::string_view brand) {
    std::string key;  // client codes have no newline
    key.reserve(client.size() + 1 + brand.size());
    key.append(client).push_back('\n');
    key.append(brand);
    return key;
}

const MarketingPlan& Agency::add_plan(MarketingPlan p) {
    auto [brand, added] = plans_by_brand_.try_emplace(brand_key(p.client, p.brand));
    try {
        brand->second.push_back(plans_.size());
        try {
            const std::string id = p.id;
            append_indexed(plans_, plan_index_, std::move(p), id);
        } catch (...) {
            brand->second.pop_back();
            throw;
        }
    } catch (...) {
        if (added) plans_by_brand_.erase(brand);
        throw;
    }
    return plans_.back();
}

const MarketingPlan& Agency::set_product_section(std::string_view id, const ProductSection& section) {
    check_text(section.usp, "plan.product.usp", "MP-2", 2000);
    check_text_list(section.tangible_benefits, "plan.product.tangible_benefits", "MP-2");
    check_text_list(section.intangible_benefits, "plan.product.intangible_benefits", "MP-2");
    check_text(section.improvement_note, "plan.product.improvement_note", "MP-8d", 2000);
    return edit_plan(id, [&](MarketingPlan& p) { p.product_section = section; });
}

const MarketingPlan& Agency::set_price(std::string_view id, const PriceSection& section) {
    if (section.list_price) check_plan_money(*section.list_price, "plan.price.list_price", "MP-3");
    for (const CompetitorPrice& c : section.competitors) {
        check_text(c.competitor, "plan.price.competitors", "MP-3", 200);
        check_plan_money(c.price, "plan.price.competitors." + c.competitor, "MP-3");
    }
    check_text(section.consumer_acceptance, "plan.price.consumer_acceptance", "MP-3", 2000);
    return edit_plan(id, [&](MarketingPlan& p) { p.price = section; });
}

const MarketingPlan& Agency::set_place(std::string_view id, const PlaceSection& section) {
    if (section.coverage_percent < Decimal(0) || section.coverage_percent > Decimal(100))
        throw ValidationError("MP-4", "plan.place.coverage_percent", section.coverage_percent.to_string(),
                              "distribution coverage must be 0-100 %");
    if (section.outlets_current < 0)
        throw ValidationError("MP-4", "plan.place.outlets_current", std::to_string(section.outlets_current),
                              "must not be negative");
    if (section.outlets_target < 0)
        throw ValidationError("MP-4", "plan.place.outlets_target", std::to_string(section.outlets_target),
                              "must not be negative");
    check_text_list(section.channels, "plan.place.channels", "MP-4");
    return edit_plan(id, [&](MarketingPlan& p) { p.place = section; });
}

const MarketingPlan& Agency::set_promotion(std::string_view id, const PromotionSection& section) {
    if (section.budget) check_plan_money(*section.budget, "plan.promotion.budget", "MP-5");
    for (std::size_t i = 0; i < section.mix.size(); ++i) {
        const MixBudget& m = section.mix[i];
        const std::string field = "plan.promotion.mix." + std::string(to_string(m.element));
        check_plan_money(m.budget, field, "MP-5");
        for (std::size_t j = 0; j < i; ++j)
            if (section.mix[j].element == m.element)
                throw ValidationError("MP-5", field, m.budget.to_string(), "appears twice in the promotion mix");
    }
    return edit_plan(id, [&](MarketingPlan& p) { p.promotion = section; });
}

const MarketingPlan& Agency::set_strategy(std::string_view id, const Strategy& strategy) {
    check_text(strategy.target_audience, "plan.strategy.target_audience", "MP-7");
    check_text(strategy.positioning, "plan.strategy.positioning", "MP-7");
    check_text(strategy.execution, "plan.strategy.execution", "MP-7");
    return edit_plan(id, [&](MarketingPlan& p) { p.strategy = strategy; });
}

const Objective& Agency::add_objective(std::string_view id, const NewObjective& spec) {
    const MarketingPlan& current = editable_plan(id);
    check_text(spec.description, "objective.description", "MP-6", 2000);
    if (spec.deadline) {
        require_valid(*spec.deadline, "objective.deadline", "MP-6");
        if (*spec.deadline < current.period_start)
            throw ValidationError("MP-6", "objective.deadline", day_text(*spec.deadline),
                                  "is before the plan period starts (" + day_text(current.period_start) + ")");
    }
    if (is_percent_share(spec.kind))
        for (const auto& [field, v] : {std::pair{"objective.baseline", spec.baseline}, std::pair{"objective.target", spec.target}})
            if (v && (*v < Decimal(0) || *v > Decimal(100)))
                throw ValidationError("MP-6", field, v->to_string(),
                                      std::string(to_string(spec.kind)) + " is a percentage, 0-100");
    if (spec.kind == ObjectiveKind::BrandImage && (spec.baseline || spec.target)) {
        const bool target = spec.target.has_value();
        throw ValidationError("MP-6", target ? "objective.target" : "objective.baseline",
                              (target ? spec.target : spec.baseline)->to_string(),
                              "BrandImage is qualitative: describe it instead of giving numbers");
    }
    const MarketingPlan& p = edit_plan(id, [&](MarketingPlan& copy) {
        copy.objectives.push_back(Objective{next_child_id("O", copy.objectives, 1), spec.kind, spec.description,
                                            spec.baseline, spec.target, spec.deadline, {}});
    });
    return p.objectives.back();
}

const Objective& Agency::record_actual(std::string_view id, std::string_view objective, const Date& on,
                                       const Decimal& value) {
    auto it = plan_index_.find(id);
    if (it == plan_index_.end()) throw NotFoundError("MP-1", "plan.id", quote(id), "no such marketing plan");
    MarketingPlan& target = plans_[it->second];
    const Objective* o = target.find_objective(objective);
    if (!o) throw NotFoundError("MP-6", "objective.id", quote(objective), "is not an objective of plan " + target.id);
    if (o->kind == ObjectiveKind::BrandImage)
        throw ValidationError("MP-6", "objective.value", value.to_string(), "BrandImage is qualitative and has no numeric actual");
    require_valid(on, "objective.actual_date", "MP-6");
    if (is_percent_share(o->kind) && (value < Decimal(0) || value > Decimal(100)))
        throw ValidationError("MP-6", "objective.value", value.to_string(),
                              std::string(to_string(o->kind)) + " is a percentage, 0-100");
    for (const Measurement& m : o->actuals)
        if (m.date == on)
            throw ValidationError("MP-6", "objective.actual_date", day_text(on),
                                  "objective " + o->id + " already has a measurement on this date; measurements are kept, not edited");
    MarketingPlan copy = target;
    auto& actuals = std::find_if(copy.objectives.begin(), copy.objectives.end(),
                                 [&](const Objective& x) { return x.id == objective; })->actuals;
    actuals.insert(std::upper_bound(actuals.begin(), actuals.end(), on,
                                    [](const Date& d, const Measurement& m) { return d < m.date; }),
                   Measurement{on, value});
    target = std::move(copy);
    return *target.find_objective(objective);
}

const MarketingPlan& Agency::propose_plan(std::string_view id, std::string_view actor, const DateTime& at, std::string note) {
    MarketingPlan& p = editable_plan(id);
    if (p.status != PlanStatus::Draft)
        throw StateError("MP-8", "plan.status", std::string(to_string(p.status)), "only a Draft plan can be proposed");
    (void)active_staff(actor, "plan.actor", "MP-8");
    require_valid(at, "plan.at", "MP-8");
    if (at < p.history.back().at)
        throw ValidationError("MP-8", "plan.at", time_text(at), "is before the plan's last change " + time_text(p.history.back().at));
    check_text(note, "plan.note", "MP-8", 2000);
    return edit_plan(id, [&](MarketingPlan& copy) {
        copy.history.push_back(PlanTransition{copy.status, PlanStatus::Proposed, at, std::string(actor), std::move(note)});
        copy.status = PlanStatus::Proposed;
    });
}

const MarketingPlan& Agency::approve_plan(std::string_view id, std::string_view contact, const DateTime& at, std::string note) {
    auto it = plan_index_.find(id);
    if (it == plan_index_.end()) throw NotFoundError("MP-1", "plan.id", quote(id), "no such marketing plan");
    MarketingPlan& target = plans_[it->second];
    if (target.status != PlanStatus::Proposed)
        throw StateError("MP-8", "plan.status", std::string(to_string(target.status)),
                         "only a Proposed plan can be approved by the client (plan " + target.id + ")");
    const Client& c = client(target.client);
    if (!c.find_contact(contact))
        throw NotFoundError("MP-7", "plan.approved_by", quote(contact), "is not a contact of client " + c.code);
    require_valid(at, "plan.at", "MP-8");
    if (at < target.history.back().at)
        throw ValidationError("MP-8", "plan.at", time_text(at),
                              "is before the plan's last change " + time_text(target.history.back().at));
    check_text(note, "plan.note", "MP-8", 2000);
    std::string errors;
    for (const PlanFinding& f : target.review(policy_))
        if (f.severity == Severity::Error) errors += (errors.empty() ? "" : "; ") + f.rule + ": " + f.message;
    if (!errors.empty())
        throw StateError("MP-8", "plan.review", target.id, "cannot be approved while the review has errors: " + errors);
    // The brand's plan approved before (if any) is superseded by this one.
    std::optional<std::size_t> previous;
    for (const std::size_t i : plans_by_brand_.at(brand_key(target.client, target.brand)))
        if (i != it->second && plans_[i].status == PlanStatus::ClientApproved) previous = i;
    if (previous && at < plans_[*previous].history.back().at)
        throw ValidationError("MP-8", "plan.at", time_text(at),
                              "is before the approval of " + plans_[*previous].id + " (" +
                                  time_text(plans_[*previous].history.back().at) + "), which this approval supersedes");
    MarketingPlan approved = target;
    const std::string actor = "client:" + std::string(contact);
    approved.history.push_back(PlanTransition{approved.status, PlanStatus::ClientApproved, at, actor, std::move(note)});
    approved.status = PlanStatus::ClientApproved;
    approved.approved_by = std::string(contact);
    approved.approved_at = at;
    std::optional<MarketingPlan> old;
    if (previous) {
        old = plans_[*previous];
        old->history.push_back(
            PlanTransition{PlanStatus::ClientApproved, PlanStatus::Superseded, at, actor, "superseded by " + approved.id});
        old->status = PlanStatus::Superseded;
        old->superseded_by = approved.id;
    }
    target = std::move(approved);
    if (old) plans_[*previous] = std::move(*old);
    return target;
}

const MarketingPlan& Agency::new_plan_version(std::string_view id, std::string_view author, const DateTime& at) {
    const MarketingPlan& source = plan(id);
    if (source.status != PlanStatus::ClientApproved)
        throw StateError("MP-8", "plan.status", std::string(to_string(source.status)),
                         "a new version is made from the client-approved plan (plan " + source.id + ")");
    (void)active_staff(author, "plan.author", "MP-8");
    require_valid(at, "plan.at", "MP-8");
    if (at < source.history.back().at)
        throw ValidationError("MP-8", "plan.at", time_text(at), "is before the plan's last change " + time_text(source.history.back().at));
    require_serial_left(next_plan_serial_, "sequences.plans");
    require_serial_left(static_cast<std::uint64_t>(source.version) + 1, "plan.version");
    MarketingPlan copy = source;
    char buf[16];
    std::snprintf(buf, sizeof buf, "MP%04u", next_plan_serial_);
    copy.id = buf;
    copy.version = source.version + 1;
    copy.supersedes = source.id;
    copy.superseded_by.reset();
    copy.status = PlanStatus::Draft;
    copy.approved_by.reset();
    copy.approved_at.reset();
    copy.history = {PlanTransition{PlanStatus::Draft, PlanStatus::Draft, at, std::string(author),
                                   "version " + std::to_string(copy.version) + " of " + source.id}};
    const MarketingPlan& added = add_plan(std::move(copy));
    ++next_plan_serial_;
    return added;
}

std::vector<PlanFinding> Agency::review_plan(std::string_view id) const { return plan(id).review(policy_); }

const MarketingPlan* Agency::approved_plan(std::string_view client_code, std::string_view brand, const Date& as_of) const {
    require_valid(as_of, "as_of", "JT-5");
    // The close of as_of: just before the next day begins.
    return approved_plan(client_code, brand, DateTime(as_of + bg::days(1)) - bp::microseconds(1));
}

const MarketingPlan* Agency::approved_plan(std::string_view client_code, std::string_view brand, const DateTime& at) const {
    require_valid(at, "at", "JT-5");
    const DateTime after = at + bp::microseconds(1);  // an approval at `at` itself counts
    const MarketingPlan* found = nullptr;
    if (auto it = plans_by_brand_.find(brand_key(client_code, brand)); it != plans_by_brand_.end())
        for (const std::size_t i : it->second)
            if (plans_[i].status_before(after) == PlanStatus::ClientApproved) found = &plans_[i];
    return found;
}

}  // namespace aecore
