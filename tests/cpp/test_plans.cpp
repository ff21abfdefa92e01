// 4P marketing plans (SPEC MP-1..MP-8, issue #4): creating a plan for a client's brand,
// the Product / Price / Place / Promotion sections and their validation, marketing
// objectives with measured actuals and progress, the advertising strategy, the plan
// review (MP-8a..g, each with a triggering and a compliant plan), the Draft -> Proposed ->
// ClientApproved -> Superseded workflow, approved_plan() across time and the plan rules
// of the audit. Every refused operation must name field, value and rule and leave the
// agency byte-identical (book::expect_refused).

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "aecore/agency.hpp"
#include "aecore/error.hpp"
#include "aecore/marketing_plan.hpp"
#include "aecore/policy.hpp"
#include "book_fixtures.hpp"

namespace {

using aecore::Agency;
using aecore::Date;
using aecore::DateTime;
using aecore::Decimal;
using aecore::Finding;
using aecore::LifeCycleStage;
using aecore::MarketingPlan;
using aecore::MarketType;
using aecore::MixBudget;
using aecore::MixElement;
using aecore::Money;
using aecore::NewObjective;
using aecore::NewPlan;
using aecore::NotFoundError;
using aecore::Objective;
using aecore::ObjectiveKind;
using aecore::PipelineStage;
using aecore::PlaceSection;
using aecore::PlanFinding;
using aecore::PlanStatus;
using aecore::PlanTransition;
using aecore::Policy;
using aecore::PriceSection;
using aecore::PricePositioning;
using aecore::ProductSection;
using aecore::PromotionObjective;
using aecore::PromotionSection;
using aecore::Severity;
using aecore::StateError;
using aecore::Strategy;
using aecore::ValidationError;
using book::at;
using book::client_spec;
using book::expect_refused;
using book::refused_unchanged;
using book::staffed_agency;

Money cny(const char* amount) { return Money::parse(amount, "CNY"); }
Money usd(const char* amount) { return Money::parse(amount, "USD"); }
Decimal dec(const char* text) { return Decimal::parse(text); }

// ---------------------------------------------------------------- fixtures

// The plan sections of a plan whose review has no finding at all (default Policy, 60 %):
// Growth stage with a Persuade objective, a USP, 80 % coverage, a mix that exactly uses
// the promotion budget and a measurable objective.
ProductSection growth_product() {
    return ProductSection{.stage = LifeCycleStage::Growth,
                          .usp = "Real braised beef in every bowl",
                          .tangible_benefits = {"150 g of beef", "ready in 3 minutes"},
                          .intangible_benefits = {"a taste of home"},
                          .improvement_note = ""};
}

PriceSection premium_price() {
    return PriceSection{.list_price = cny("12.50"),
                        .positioning = PricePositioning::Premium,
                        .consumer_acceptance = "Accepted at up to 13 CNY in the store test.",
                        .competitors = {{"Master Kong", cny("9.90")}, {"Uni-President", cny("10.50")}}};
}

PlaceSection wide_place() {
    return PlaceSection{.channels = {"supermarkets", "convenience stores"},
                        .outlets_current = 800,
                        .outlets_target = 1000,
                        .coverage_percent = dec("80")};
}

PromotionSection persuade_promotion() {
    return PromotionSection{.budget = cny("100000.00"),
                            .mix = {{MixElement::Advertising, cny("60000.00")},
                                    {MixElement::SalesPromotion, cny("40000.00")}},
                            .objective = PromotionObjective::Persuade};
}

Strategy noodle_strategy() {
    return Strategy{"Office workers aged 22-35 who eat lunch at their desks.", "The instant noodle with real beef.",
                    "15-second lunchtime TV spots."};
}

NewObjective objective_spec(ObjectiveKind kind, std::optional<Decimal> baseline, std::optional<Decimal> target,
                            std::optional<Date> deadline, std::string description = "objective") {
    NewObjective o;
    o.kind = kind;
    o.description = std::move(description);
    o.baseline = baseline;
    o.target = target;
    o.deadline = deadline;
    return o;
}

NewObjective share_objective() {
    return objective_spec(ObjectiveKind::MarketShare, dec("8"), dec("12"), Date(2026, 12, 31), "Share of premium noodles");
}

// The same clean plan as a value, for the review rules (MP-8 is a pure function of the
// plan and the Policy).
MarketingPlan clean_plan_value() {
    MarketingPlan p;
    p.id = "MP0001";
    p.client = "CD-202603-ACME-001";
    p.brand = "Acme Noodles";
    p.period_start = Date(2026, 7, 1);
    p.period_end = Date(2026, 12, 31);
    p.title = "Acme Noodles 2026";
    p.product_section = growth_product();
    p.price = premium_price();
    p.place = wide_place();
    p.promotion = persuade_promotion();
    p.objectives = {Objective{"O1", ObjectiveKind::MarketShare, "share", dec("8"), dec("12"), Date(2026, 12, 31), {}}};
    p.strategy = noodle_strategy();
    return p;
}

std::vector<std::string> rules_of(const std::vector<PlanFinding>& findings) {
    std::vector<std::string> out;
    for (const PlanFinding& f : findings) out.push_back(f.rule);
    return out;
}

std::vector<PlanFinding> with_rule(const std::vector<PlanFinding>& findings, const std::string& rule) {
    std::vector<PlanFinding> out;
    for (const PlanFinding& f : findings)
        if (f.rule == rule) out.push_back(f);
    return out;
}

// The audit's plan findings (rules MP-*).
std::vector<Finding> plan_findings(const Agency& a, const Date& as_of) {
    std::vector<Finding> out;
    for (const Finding& f : a.audit(as_of))
        if (f.rule.rfind("MP-", 0) == 0) out.push_back(f);
    return out;
}

std::vector<Finding> with_rule(const std::vector<Finding>& findings, const std::string& rule) {
    std::vector<Finding> out;
    for (const Finding& f : findings)
        if (f.rule == rule) out.push_back(f);
    return out;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// staffed_agency() (S0001 AD, S0002 AM, S0003 AE, S0004 AE, S0005 AAE) with
//   ACME  (CD, Closed)       brands "Acme Noodles" (Beef Noodle, Spicy Noodle) and
//                            "Acme Tea" (Green Tea); contacts K01 Zhao Lei, K02 Qian Yu;
//   BETA  (SH, Negotiating)  brand "Beta EV"; contact K01 Sun Hao;
//   GAMMA (CD, archived)     brand "Gamma Tea".
struct PlanBook {
    Agency a = staffed_agency();
    std::string acme, beta, gamma;

    PlanBook() {
        acme = a.register_client(client_spec("Acme Foods", "ACME", "CD", Date(2026, 3, 2), PipelineStage::Closed)).code;
        beta = a.register_client(client_spec("Beta Motors", "BETA", "SH", Date(2026, 4, 6), PipelineStage::Negotiating,
                                             "S0004"))
                   .code;
        gamma = a.register_client(client_spec("Gamma Tea", "GAMMA", "CD", Date(2026, 3, 2))).code;
        a.add_brand(acme, "Acme Noodles");
        a.add_brand(acme, "Acme Tea");
        a.add_product(acme, "Acme Noodles", "Beef Noodle");
        a.add_product(acme, "Acme Noodles", "Spicy Noodle");
        a.add_product(acme, "Acme Tea", "Green Tea");
        a.add_brand(beta, "Beta EV");
        a.add_brand(gamma, "Gamma Tea");
        a.add_contact(acme, book::contact("Zhao Lei", aecore::DecisionRole::DecisionMaker, true));  // K01
        a.add_contact(acme, book::contact("Qian Yu", aecore::DecisionRole::Influencer));           // K02
        a.add_contact(beta, book::contact("Sun Hao", aecore::DecisionRole::DecisionMaker, true));  // K01
        a.archive_client(gamma);
    }

    // H2 2026 for a brand of ACME, created by S0003 on Monday 2026-04-20 10:00.
    [[nodiscard]] NewPlan spec(std::string brand = "Acme Noodles", std::optional<std::string> product = {}) const {
        NewPlan p;
        p.client = acme;
        p.brand = std::move(brand);
        p.product = std::move(product);
        p.period_start = Date(2026, 7, 1);
        p.period_end = Date(2026, 12, 31);
        p.market = MarketType::Consumer;
        p.author = "S0003";
        p.created_at = at(Date(2026, 4, 20), 10);
        return p;
    }

    // A plan whose review has no finding.
    std::string clean_plan(const NewPlan& s) {
        const std::string id = a.create_plan(s).id;
        a.set_product_section(id, growth_product());
        a.set_price(id, premium_price());
        a.set_place(id, wide_place());
        a.set_promotion(id, persuade_promotion());
        a.set_strategy(id, noodle_strategy());
        a.add_objective(id, share_objective());
        return id;
    }
    std::string clean_plan() { return clean_plan(spec()); }

    // A clean plan proposed at `proposed` and approved by `contact` at `approved`.
    std::string approved_plan(const DateTime& proposed, const DateTime& approved, const std::string& contact = "K01",
                              const NewPlan* s = nullptr) {
        const std::string id = clean_plan(s ? *s : spec());
        a.propose_plan(id, "S0003", proposed);
        a.approve_plan(id, contact, approved);
        return id;
    }
};

// ---------------------------------------------------------------- MP-1 create

TEST(PlanCreate, ANewPlanIsADraftWithItsCreationInTheHistory) {
    PlanBook b;
    NewPlan s = b.spec("Acme Noodles", "Beef Noodle");
    s.title = "  Beef Noodle H2 牛肉面 ";
    s.market = MarketType::Reseller;
    const MarketingPlan& p = b.a.create_plan(s);
    EXPECT_EQ(p.id, "MP0001");
    EXPECT_EQ(p.client, b.acme);
    EXPECT_EQ(p.brand, "Acme Noodles");
    EXPECT_EQ(p.product, std::optional<std::string>("Beef Noodle"));
    EXPECT_EQ(p.period_start, Date(2026, 7, 1));
    EXPECT_EQ(p.period_end, Date(2026, 12, 31));
    EXPECT_EQ(p.market, MarketType::Reseller);
    EXPECT_EQ(p.title, "Beef Noodle H2 牛肉面");  // trimmed
    EXPECT_EQ(p.version, 1);
    EXPECT_FALSE(p.supersedes.has_value());
    EXPECT_FALSE(p.superseded_by.has_value());
    EXPECT_EQ(p.status, PlanStatus::Draft);
    EXPECT_FALSE(p.approved_by.has_value());
    EXPECT_FALSE(p.approved_at.has_value());
    ASSERT_EQ(p.history.size(), 1u);
    EXPECT_EQ(p.history[0], (PlanTransition{PlanStatus::Draft, PlanStatus::Draft, at(Date(2026, 4, 20), 10), "S0003",
                                            "created"}));
    EXPECT_TRUE(p.objectives.empty());
    EXPECT_EQ(&b.a.plan("MP0001"), &b.a.plans().front());
    // ids count up; the title defaults to brand and year; the product is optional
    const MarketingPlan& tea = b.a.create_plan(b.spec("Acme Tea"));
    EXPECT_EQ(tea.id, "MP0002");
    EXPECT_EQ(tea.title, "Acme Tea 2026");
    EXPECT_FALSE(tea.product.has_value());
    EXPECT_EQ(b.a.plans().size(), 2u);
    // every market type
    for (MarketType m : {MarketType::Consumer, MarketType::Industrial, MarketType::Institutional}) {
        NewPlan t = b.spec();
        t.market = m;
        EXPECT_EQ(b.a.create_plan(t).market, m);
    }
    // a one-day period
    NewPlan one_day = b.spec();
    one_day.period_end = one_day.period_start;
    EXPECT_NO_THROW(b.a.create_plan(one_day));
}

TEST(PlanCreate, UnknownClientBrandOrProductIsNotFound) {
    PlanBook b;
    NewPlan s = b.spec();
    s.client = "CD-209901-NOPE-001";
    expect_refused<NotFoundError>(b.a, [&](Agency& g) { g.create_plan(s); }, "plan.client", "CD-209901-NOPE-001",
                                  "CL-1");
    s = b.spec("Acme Soup");
    expect_refused<NotFoundError>(b.a, [&](Agency& g) { g.create_plan(s); }, "plan.brand", "Acme Soup", "MP-1");
    // a brand of another client
    s = b.spec("Beta EV");
    expect_refused<NotFoundError>(b.a, [&](Agency& g) { g.create_plan(s); }, "plan.brand", "Beta EV", "MP-1");
    // a product of another brand of the same client
    s = b.spec("Acme Noodles", "Green Tea");
    expect_refused<NotFoundError>(b.a, [&](Agency& g) { g.create_plan(s); }, "plan.product", "Green Tea", "MP-1");
    s = b.spec("Acme Noodles", "Chicken Noodle");
    expect_refused<NotFoundError>(b.a, [&](Agency& g) { g.create_plan(s); }, "plan.product", "Chicken Noodle", "MP-1");
    EXPECT_TRUE(b.a.plans().empty());
    // the sequence was not consumed by the refusals
    EXPECT_EQ(b.a.create_plan(b.spec()).id, "MP0001");
}

TEST(PlanCreate, ThePeriodEndsOnOrAfterItsStart) {
    PlanBook b;
    NewPlan s = b.spec();
    s.period_end = Date(2026, 6, 30);
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.create_plan(s); }, "plan.period_end", "2026-06-30", "MP-1");
    s = b.spec();
    s.period_start = Date();
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.create_plan(s); }, "plan.period_start", "not-a-date",
                                    "MP-1");
    s = b.spec();
    s.period_end = Date();
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.create_plan(s); }, "plan.period_end", "not-a-date", "MP-1");
    s = b.spec();
    s.created_at = DateTime();
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.create_plan(s); }, "plan.created_at", "not-a-date-time",
                                    "MP-1");
}

TEST(PlanCreate, AnArchivedClientGetsNoNewPlan) {
    PlanBook b;
    NewPlan s = b.spec("Gamma Tea");
    s.client = b.gamma;
    expect_refused<StateError>(b.a, [&](Agency& g) { g.create_plan(s); }, "plan.client", b.gamma, "CL-2");
}

TEST(PlanCreate, TheAuthorIsAnActiveStaffMemberAndTheTitleAName) {
    PlanBook b;
    NewPlan s = b.spec();
    s.author = "S0099";
    expect_refused<NotFoundError>(b.a, [&](Agency& g) { g.create_plan(s); }, "plan.author", "S0099", "MP-1");
    aecore::StaffUpdate leave;
    leave.active = false;
    b.a.update_staff("S0005", leave);
    s.author = "S0005";
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.create_plan(s); }, "plan.author", "S0005", "MP-1");
    s = b.spec();
    s.title = "Bad\x01title";
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.create_plan(s); }, "plan.title", "Bad", "MP-1");
}

TEST(PlanCreate, UnknownPlanIdIsNotFound) {
    PlanBook b;
    expect_refused<NotFoundError>(b.a, [](Agency& g) { (void)g.plan("MP0099"); }, "plan.id", "MP0099", "MP-1");
    expect_refused<NotFoundError>(b.a, [](Agency& g) { g.set_place("MP0099", wide_place()); }, "plan.id", "MP0099",
                                  "MP-1");
    expect_refused<NotFoundError>(b.a, [](Agency& g) { (void)g.review_plan("MP0099"); }, "plan.id", "MP0099", "MP-1");
    expect_refused<NotFoundError>(
        b.a, [](Agency& g) { g.record_actual("MP0099", "O1", Date(2026, 7, 1), Decimal(1)); }, "plan.id", "MP0099",
        "MP-1");
}

// ---------------------------------------------------------------- MP-2 .. MP-5 sections

TEST(PlanSections, MP2_ProductSectionIsStored) {
    PlanBook b;
    const std::string id = b.a.create_plan(b.spec()).id;
    ProductSection s = growth_product();
    s.stage = LifeCycleStage::Maturity;
    s.improvement_note = "New recipe with 20 % more beef.";
    EXPECT_EQ(b.a.set_product_section(id, s).product_section, s);
    EXPECT_EQ(b.a.plan(id).product_section.tangible_benefits,
              (std::vector<std::string>{"150 g of beef", "ready in 3 minutes"}));
    EXPECT_EQ(b.a.plan(id).product_section.intangible_benefits, (std::vector<std::string>{"a taste of home"}));
    // replaced as a whole
    EXPECT_EQ(b.a.set_product_section(id, ProductSection{}).product_section, ProductSection{});
}

TEST(PlanSections, MP2_ProductTextIsValidated) {
    PlanBook b;
    const std::string id = b.a.create_plan(b.spec()).id;
    b.a.set_product_section(id, growth_product());
    ProductSection s = growth_product();
    s.usp = "Real beef\x07";
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.set_product_section(id, s); }, "plan.product.usp",
                                    "Real beef", "MP-2");
    s = growth_product();
    s.usp = std::string(2001, 'x');
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.set_product_section(id, s); }, "plan.product.usp", "xxx",
                                    "MP-2");
    s = growth_product();
    s.tangible_benefits.push_back("bad\x01");
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.set_product_section(id, s); },
                                    "plan.product.tangible_benefits", "bad", "MP-2");
    s = growth_product();
    s.intangible_benefits.push_back(std::string("\xff\xfe", 2));
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.set_product_section(id, s); },
                                    "plan.product.intangible_benefits", "", "MP-2");
    s = growth_product();
    s.improvement_note = "note\x02";
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.set_product_section(id, s); },
                                    "plan.product.improvement_note", "note", "MP-8d");
    EXPECT_EQ(b.a.plan(id).product_section, growth_product());
}

TEST(PlanSections, MP3_PriceSectionIsStored) {
    PlanBook b;
    const std::string id = b.a.create_plan(b.spec()).id;
    EXPECT_EQ(b.a.set_price(id, premium_price()).price, premium_price());
    const PriceSection& p = b.a.plan(id).price;
    EXPECT_EQ(p.list_price, std::optional<Money>(cny("12.50")));
    EXPECT_EQ(p.positioning, PricePositioning::Premium);
    ASSERT_EQ(p.competitors.size(), 2u);
    EXPECT_EQ(p.competitors[1].competitor, "Uni-President");
    EXPECT_EQ(p.competitors[1].price, cny("10.50"));
    // no list price yet, economy positioning, a free zero price
    PriceSection economy{.list_price = std::nullopt, .positioning = PricePositioning::Economy, .competitors = {{"Own label", cny("0")}}};
    EXPECT_EQ(b.a.set_price(id, economy).price, economy);
}

TEST(PlanSections, MP3_PricesAreNonNegativeInTheAgencyCurrency) {
    PlanBook b;
    const std::string id = b.a.create_plan(b.spec()).id;
    b.a.set_price(id, premium_price());
    PriceSection s = premium_price();
    s.list_price = usd("12.50");
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.set_price(id, s); }, "plan.price.list_price", "12.50 USD",
                                    "MB-1");
    s = premium_price();
    s.competitors[0].price = usd("1.40");
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.set_price(id, s); }, "plan.price.competitors.Master Kong",
                                    "1.40 USD", "MB-1");
    s = premium_price();
    s.consumer_acceptance = "fine\x03";
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.set_price(id, s); }, "plan.price.consumer_acceptance",
                                    "fine", "MP-3");
    s = premium_price();
    s.competitors[1].competitor = "Uni\x01";
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.set_price(id, s); }, "plan.price.competitors", "Uni", "MP-3");
    EXPECT_EQ(b.a.plan(id).price, premium_price());
}

// A negative price breaks the Price rule (MP-3); the promotion rule (MP-5) is about budgets.
TEST(PlanSections, MP3_NegativePriceCitesThePriceRule) {
    PlanBook b;
    const std::string id = b.a.create_plan(b.spec()).id;
    PriceSection s = premium_price();
    s.list_price = cny("-12.50");
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.set_price(id, s); }, "plan.price.list_price", "-12.50 CNY",
                                    "MP-3");
    s = premium_price();
    s.competitors[0].price = cny("-9.90");
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.set_price(id, s); }, "plan.price.competitors.Master Kong",
                                    "-9.90 CNY", "MP-3");
}

TEST(PlanSections, MP4_PlaceSectionIsStoredWithCoverageFrom0To100) {
    PlanBook b;
    const std::string id = b.a.create_plan(b.spec()).id;
    EXPECT_EQ(b.a.set_place(id, wide_place()).place, wide_place());
    for (const char* ok : {"0", "100", "100.00", "0.01", "99.99"}) {
        PlaceSection s = wide_place();
        s.coverage_percent = dec(ok);
        EXPECT_EQ(b.a.set_place(id, s).place.coverage_percent.to_string(), ok);
    }
    b.a.set_place(id, wide_place());
    for (const char* bad : {"100.5", "100.01", "101", "-0.01", "-5"}) {
        PlaceSection s = wide_place();
        s.coverage_percent = dec(bad);
        expect_refused<ValidationError>(b.a, [&](Agency& g) { g.set_place(id, s); }, "plan.place.coverage_percent", bad,
                                        "MP-4");
    }
    PlaceSection s = wide_place();
    s.outlets_current = -1;
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.set_place(id, s); }, "plan.place.outlets_current", "-1",
                                    "MP-4");
    s = wide_place();
    s.outlets_target = -20;
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.set_place(id, s); }, "plan.place.outlets_target", "-20",
                                    "MP-4");
    s = wide_place();
    s.channels.push_back("kiosks\x1b");
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.set_place(id, s); }, "plan.place.channels", "kiosks", "MP-4");
    EXPECT_EQ(b.a.plan(id).place, wide_place());
}

TEST(PlanSections, MP5_PromotionSectionIsStored) {
    PlanBook b;
    const std::string id = b.a.create_plan(b.spec()).id;
    PromotionSection s = persuade_promotion();
    s.mix.push_back({MixElement::PublicRelations, cny("0.00")});
    s.mix.push_back({MixElement::PersonalSelling, cny("5000.00")});
    s.mix.push_back({MixElement::DirectMarketing, cny("2500.50")});
    s.objective = PromotionObjective::Remind;
    EXPECT_EQ(b.a.set_promotion(id, s).promotion, s);
    const PromotionSection& p = b.a.plan(id).promotion;
    EXPECT_EQ(p.budget, std::optional<Money>(cny("100000.00")));
    EXPECT_EQ(p.largest_element(), std::optional<MixElement>(MixElement::Advertising));
    EXPECT_EQ(p.budget_of(MixElement::DirectMarketing, aecore::Currency("CNY")), cny("2500.50"));
    EXPECT_EQ(p.budget_of(MixElement::PublicRelations, aecore::Currency("CNY")), cny("0"));
    // an element not in the mix has a zero budget
    s.mix.erase(s.mix.begin());
    b.a.set_promotion(id, s);
    EXPECT_EQ(b.a.plan(id).promotion.budget_of(MixElement::Advertising, aecore::Currency("CNY")), cny("0"));
    EXPECT_EQ(b.a.plan(id).promotion.largest_element(), std::optional<MixElement>(MixElement::SalesPromotion));
    // no positive budget: no largest element
    EXPECT_EQ(PromotionSection{}.largest_element(), std::nullopt);
    PromotionSection zero{.budget = std::nullopt, .mix = {{MixElement::Advertising, cny("0")}}};
    EXPECT_EQ(zero.largest_element(), std::nullopt);
}

TEST(PlanSections, MP5_BudgetsAreNonNegativeInOneCurrencyAndEachElementOnce) {
    PlanBook b;
    const std::string id = b.a.create_plan(b.spec()).id;
    b.a.set_promotion(id, persuade_promotion());
    PromotionSection s = persuade_promotion();
    s.budget = cny("-1.00");
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.set_promotion(id, s); }, "plan.promotion.budget",
                                    "-1.00 CNY", "MP-5");
    s = persuade_promotion();
    s.budget = usd("100000.00");
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.set_promotion(id, s); }, "plan.promotion.budget",
                                    "100000.00 USD", "MB-1");
    // mixed currencies: the budget in CNY, one element in USD
    s = persuade_promotion();
    s.mix[1].budget = usd("40000.00");
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.set_promotion(id, s); },
                                    "plan.promotion.mix.SalesPromotion", "40000.00 USD", "MB-1");
    s = persuade_promotion();
    s.mix[0].budget = cny("-60000.00");
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.set_promotion(id, s); }, "plan.promotion.mix.Advertising",
                                    "-60000.00 CNY", "MP-5");
    s = persuade_promotion();
    s.mix.push_back({MixElement::Advertising, cny("123.00")});
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.set_promotion(id, s); }, "plan.promotion.mix.Advertising",
                                    "123.00 CNY", "MP-5");
    EXPECT_EQ(b.a.plan(id).promotion, persuade_promotion());
}

// ---------------------------------------------------------------- MP-6 objectives

TEST(PlanObjectives, AreAddedWithSequentialIds) {
    PlanBook b;
    const std::string id = b.a.create_plan(b.spec()).id;
    const Objective& o1 = b.a.add_objective(id, share_objective());
    EXPECT_EQ(o1.id, "O1");
    EXPECT_EQ(o1.kind, ObjectiveKind::MarketShare);
    EXPECT_EQ(o1.description, "Share of premium noodles");
    EXPECT_EQ(o1.baseline, std::optional<Decimal>(dec("8")));
    EXPECT_EQ(o1.target, std::optional<Decimal>(dec("12")));
    EXPECT_EQ(o1.deadline, std::optional<Date>(Date(2026, 12, 31)));
    EXPECT_TRUE(o1.actuals.empty());
    EXPECT_EQ(b.a.add_objective(id, objective_spec(ObjectiveKind::SalesRevenue, std::nullopt, dec("2500000.00"),
                                                   Date(2026, 12, 31)))
                  .id,
              "O2");
    EXPECT_EQ(b.a.plan(id).objectives.size(), 2u);
    ASSERT_NE(b.a.plan(id).find_objective("O2"), nullptr);
    EXPECT_EQ(b.a.plan(id).find_objective("O3"), nullptr);
}

TEST(PlanObjectives, DeadlineMayNotPrecedeThePlanPeriod) {
    PlanBook b;
    const std::string id = b.a.create_plan(b.spec()).id;
    const NewObjective early = objective_spec(ObjectiveKind::SalesVolume, {}, dec("1000"), Date(2026, 6, 30));
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.add_objective(id, early); }, "objective.deadline",
                                    "2026-06-30", "MP-6");
    const NewObjective invalid = objective_spec(ObjectiveKind::SalesVolume, {}, dec("1000"), Date());
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.add_objective(id, invalid); }, "objective.deadline",
                                    "not-a-date", "MP-6");
    // the first day of the period, and after its end, are fine
    EXPECT_NO_THROW(b.a.add_objective(id, objective_spec(ObjectiveKind::SalesVolume, {}, dec("1000"), Date(2026, 7, 1))));
    EXPECT_NO_THROW(b.a.add_objective(id, objective_spec(ObjectiveKind::SalesVolume, {}, dec("1000"), Date(2027, 3, 31))));
}

TEST(PlanObjectives, SharesArePercentagesFrom0To100) {
    PlanBook b;
    const std::string id = b.a.create_plan(b.spec()).id;
    for (ObjectiveKind kind : {ObjectiveKind::MarketShare, ObjectiveKind::BrandAwareness}) {
        const NewObjective high_baseline = objective_spec(kind, dec("101"), dec("50"), Date(2026, 12, 31));
        expect_refused<ValidationError>(b.a, [&](Agency& g) { g.add_objective(id, high_baseline); },
                                        "objective.baseline", "101", "MP-6");
        const NewObjective high_target = objective_spec(kind, dec("10"), dec("100.5"), Date(2026, 12, 31));
        expect_refused<ValidationError>(b.a, [&](Agency& g) { g.add_objective(id, high_target); }, "objective.target",
                                        "100.5", "MP-6");
        const NewObjective negative = objective_spec(kind, dec("-0.5"), dec("10"), Date(2026, 12, 31));
        expect_refused<ValidationError>(b.a, [&](Agency& g) { g.add_objective(id, negative); }, "objective.baseline",
                                        "-0.5", "MP-6");
        EXPECT_NO_THROW(b.a.add_objective(id, objective_spec(kind, dec("0"), dec("100"), Date(2026, 12, 31))));
    }
    // growth rates and margins are percentages that may exceed 100 or fall below 0
    EXPECT_NO_THROW(
        b.a.add_objective(id, objective_spec(ObjectiveKind::AnnualGrowthRate, dec("40"), dec("150"), Date(2026, 12, 31))));
    EXPECT_NO_THROW(
        b.a.add_objective(id, objective_spec(ObjectiveKind::ProfitMargin, dec("-5"), dec("3.5"), Date(2026, 12, 31))));
}

TEST(PlanObjectives, BrandImageIsQualitative) {
    PlanBook b;
    const std::string id = b.a.create_plan(b.spec()).id;
    const NewObjective with_target = objective_spec(ObjectiveKind::BrandImage, {}, dec("5"), Date(2026, 12, 31));
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.add_objective(id, with_target); }, "objective.target", "5",
                                    "MP-6");
    const Objective& image =
        b.a.add_objective(id, objective_spec(ObjectiveKind::BrandImage, {}, {}, {}, "Seen as the modern noodle"));
    EXPECT_EQ(image.kind, ObjectiveKind::BrandImage);
    EXPECT_FALSE(image.target.has_value());
    // no numeric actual either
    expect_refused<ValidationError>(
        b.a, [&](Agency& g) { g.record_actual(id, "O1", Date(2026, 8, 1), dec("4")); }, "objective.value", "4", "MP-6");
}

// The error names the field at fault: with only a baseline, that is the baseline.
TEST(PlanObjectives, BrandImageWithABaselineNamesTheBaseline) {
    PlanBook b;
    const std::string id = b.a.create_plan(b.spec()).id;
    const NewObjective with_baseline = objective_spec(ObjectiveKind::BrandImage, dec("3"), {}, {});
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.add_objective(id, with_baseline); }, "objective.baseline",
                                    "3", "MP-6");
}

TEST(PlanObjectives, DescriptionIsText) {
    PlanBook b;
    const std::string id = b.a.create_plan(b.spec()).id;
    NewObjective o = share_objective();
    o.description = "share\x04";
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.add_objective(id, o); }, "objective.description", "share",
                                    "MP-6");
}

// progress = (actual - baseline) / (target - baseline), 4 places, half to even.
Objective measured(const char* baseline, const char* target, const char* actual) {
    return Objective{"O1", ObjectiveKind::SalesVolume, "", dec(baseline), dec(target), Date(2026, 12, 31),
                     {{Date(2026, 8, 1), dec(actual)}}};
}

std::string progress_text(const Objective& o, const Date& as_of = Date(2026, 9, 1)) {
    const auto p = o.progress(as_of);
    return p ? p->to_string() : "none";
}

TEST(PlanObjectives, ProgressIsExactWithHalfEvenRoundingAt4Places) {
    EXPECT_EQ(progress_text(measured("8", "12", "10")), "0.5000");
    EXPECT_EQ(progress_text(measured("8", "12", "12")), "1.0000");
    EXPECT_EQ(progress_text(measured("8", "12", "8")), "0.0000");
    EXPECT_EQ(progress_text(measured("8", "12", "14")), "1.5000");  // beyond the target
    EXPECT_EQ(progress_text(measured("10", "40", "20")), "0.3333");
    EXPECT_EQ(progress_text(measured("10", "40", "30")), "0.6667");
    EXPECT_EQ(progress_text(measured("8.5", "12", "9.1")), "0.1714");  // 0.6 / 3.5 = 0.171428...
    // exact ties at the fifth place go to the even neighbour
    EXPECT_EQ(progress_text(measured("0", "8", "0.9876")), "0.1234");  // 0.12345
    EXPECT_EQ(progress_text(measured("0", "8", "0.9884")), "0.1236");  // 0.12355
    EXPECT_EQ(progress_text(measured("0", "8", "0.0004")), "0.0000");  // 0.00005
    EXPECT_EQ(progress_text(measured("0", "8", "0.0012")), "0.0002");  // 0.00015
    // just above a tie rounds up
    EXPECT_EQ(progress_text(measured("0", "80000", "9876.0001")), "0.1235");
    // large amounts stay exact
    EXPECT_EQ(progress_text(measured("1000000000.00", "4000000000.00", "2000000000.00")), "0.3333");
    EXPECT_EQ(progress_text(measured("0", "3", "2")), "0.6667");
}

TEST(PlanObjectives, ProgressCanBeNegative) {
    EXPECT_EQ(progress_text(measured("10", "20", "8")), "-0.2000");     // fell below the baseline
    EXPECT_EQ(progress_text(measured("20", "10", "15")), "0.5000");     // a target below the baseline
    EXPECT_EQ(progress_text(measured("20", "10", "25")), "-0.5000");
    EXPECT_EQ(progress_text(measured("0", "-8", "0.9876")), "-0.1234");  // -0.12345: half even
    EXPECT_EQ(progress_text(measured("0", "-8", "0.9884")), "-0.1236");  // -0.12355
    EXPECT_EQ(progress_text(measured("0", "8", "-0.0004")), "0.0000");   // -0.00005 rounds to zero
}

TEST(PlanObjectives, ProgressNeedsBaselineTargetAndActual) {
    EXPECT_EQ(progress_text(measured("10", "10", "12")), "none");  // target == baseline
    EXPECT_EQ(progress_text(measured("10", "10.00", "12")), "none");
    Objective o = measured("8", "12", "10");
    o.baseline.reset();
    EXPECT_EQ(progress_text(o), "none");
    o = measured("8", "12", "10");
    o.target.reset();
    EXPECT_EQ(progress_text(o), "none");
    o = measured("8", "12", "10");
    o.actuals.clear();
    EXPECT_EQ(progress_text(o), "none");
    // before the first measurement
    EXPECT_EQ(progress_text(measured("8", "12", "10"), Date(2026, 7, 31)), "none");
    EXPECT_EQ(progress_text(measured("8", "12", "10"), Date(2026, 8, 1)), "0.5000");
}

TEST(PlanObjectives, RecordingActualsKeepsTheHistoryInDateOrder) {
    PlanBook b;
    const std::string id = b.a.create_plan(b.spec()).id;
    b.a.add_objective(id, share_objective());  // baseline 8, target 12
    b.a.record_actual(id, "O1", Date(2026, 9, 30), dec("10.5"));
    b.a.record_actual(id, "O1", Date(2026, 6, 30), dec("9"));
    const Objective& o = b.a.record_actual(id, "O1", Date(2026, 12, 31), dec("11"));
    ASSERT_EQ(o.actuals.size(), 3u);
    EXPECT_EQ(o.actuals[0], (aecore::Measurement{Date(2026, 6, 30), dec("9")}));
    EXPECT_EQ(o.actuals[1], (aecore::Measurement{Date(2026, 9, 30), dec("10.5")}));
    EXPECT_EQ(o.actuals[2], (aecore::Measurement{Date(2026, 12, 31), dec("11")}));
    // latest(as_of) is the last measurement on or before the day
    EXPECT_EQ(o.latest(Date(2026, 6, 29)), std::nullopt);
    EXPECT_EQ(o.latest(Date(2026, 6, 30))->value, dec("9"));
    EXPECT_EQ(o.latest(Date(2026, 9, 29))->value, dec("9"));
    EXPECT_EQ(o.latest(Date(2026, 9, 30))->value, dec("10.5"));
    EXPECT_EQ(o.latest(Date(2027, 1, 1))->date, Date(2026, 12, 31));
    EXPECT_EQ(o.progress(Date(2026, 7, 1))->to_string(), "0.2500");
    EXPECT_EQ(o.progress(Date(2026, 10, 1))->to_string(), "0.6250");
    EXPECT_EQ(o.progress(Date(2027, 1, 1))->to_string(), "0.7500");
    EXPECT_EQ(o.progress(Date(2026, 6, 1)), std::nullopt);
}

TEST(PlanObjectives, AMeasurementIsKeptNotEdited) {
    PlanBook b;
    const std::string id = b.a.create_plan(b.spec()).id;
    b.a.add_objective(id, share_objective());
    b.a.record_actual(id, "O1", Date(2026, 6, 30), dec("9"));
    expect_refused<ValidationError>(
        b.a, [&](Agency& g) { g.record_actual(id, "O1", Date(2026, 6, 30), dec("9.5")); }, "objective.actual_date",
        "2026-06-30", "MP-6");
    expect_refused<ValidationError>(
        b.a, [&](Agency& g) { g.record_actual(id, "O1", Date(), dec("9.5")); }, "objective.actual_date", "not-a-date",
        "MP-6");
    expect_refused<ValidationError>(
        b.a, [&](Agency& g) { g.record_actual(id, "O1", Date(2026, 7, 31), dec("100.5")); }, "objective.value", "100.5",
        "MP-6");
    expect_refused<ValidationError>(
        b.a, [&](Agency& g) { g.record_actual(id, "O1", Date(2026, 7, 31), dec("-1")); }, "objective.value", "-1",
        "MP-6");
    expect_refused<NotFoundError>(
        b.a, [&](Agency& g) { g.record_actual(id, "O9", Date(2026, 7, 31), dec("9")); }, "objective.id", "O9", "MP-6");
    EXPECT_EQ(b.a.plan(id).objectives[0].actuals.size(), 1u);
    // a percentage of exactly 100 and a non-percentage above 100 are fine
    EXPECT_NO_THROW(b.a.record_actual(id, "O1", Date(2026, 7, 31), dec("100")));
    b.a.add_objective(id, objective_spec(ObjectiveKind::RetailOutlets, dec("800"), dec("1000"), Date(2026, 12, 31)));
    EXPECT_NO_THROW(b.a.record_actual(id, "O2", Date(2026, 7, 31), dec("950")));
}

// ---------------------------------------------------------------- MP-7 strategy

TEST(PlanStrategy, TheThreeStatementsAreStoredAndApprovedWithThePlan) {
    PlanBook b;
    const std::string id = b.clean_plan();
    EXPECT_EQ(b.a.plan(id).strategy, noodle_strategy());
    Strategy s = noodle_strategy();
    s.execution = "Short-video first, TV second.";
    EXPECT_EQ(b.a.set_strategy(id, s).strategy.execution, "Short-video first, TV second.");
    Strategy bad = s;
    bad.target_audience = "Office\x01";
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.set_strategy(id, bad); }, "plan.strategy.target_audience",
                                    "Office", "MP-7");
    bad = s;
    bad.positioning = "Beef\x02";
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.set_strategy(id, bad); }, "plan.strategy.positioning", "Beef",
                                    "MP-7");
    bad = s;
    bad.execution = "TV\x03";
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.set_strategy(id, bad); }, "plan.strategy.execution", "TV",
                                    "MP-7");
    // the client's approval of the plan approves the strategy: it is then fixed
    b.a.propose_plan(id, "S0003", at(Date(2026, 5, 4), 9));
    b.a.approve_plan(id, "K01", at(Date(2026, 5, 8), 15));
    EXPECT_EQ(b.a.plan(id).strategy, s);
    EXPECT_EQ(b.a.plan(id).approved_by, std::optional<std::string>("K01"));
    expect_refused<StateError>(b.a, [&](Agency& g) { g.set_strategy(id, noodle_strategy()); }, "plan.status",
                               "ClientApproved", "MP-8");
}

// ---------------------------------------------------------------- MP-8 review

TEST(PlanReview, ACleanPlanHasNoFindings) {
    EXPECT_TRUE(clean_plan_value().review(Policy{}).empty());
    PlanBook b;
    const std::string id = b.clean_plan();
    EXPECT_TRUE(b.a.review_plan(id).empty()) << ::testing::PrintToString(rules_of(b.a.review_plan(id)));
}

TEST(PlanReview, MP8a_PromotionObjectiveFollowsTheLifeCycleStage) {
    const std::vector<std::pair<LifeCycleStage, PromotionObjective>> expected{
        {LifeCycleStage::Launch, PromotionObjective::Inform},
        {LifeCycleStage::Growth, PromotionObjective::Persuade},
        {LifeCycleStage::Maturity, PromotionObjective::Remind},
        {LifeCycleStage::Decline, PromotionObjective::Remind},
    };
    for (const auto& [stage, right] : expected) {
        for (PromotionObjective o : {PromotionObjective::Inform, PromotionObjective::Persuade, PromotionObjective::Remind}) {
            MarketingPlan p = clean_plan_value();
            p.product_section.stage = stage;
            p.product_section.improvement_note = "repositioned for seniors";  // keeps MP-8d quiet in Decline
            p.objectives.push_back(Objective{"O2", ObjectiveKind::BrandAwareness, "", dec("0"), dec("30"),
                                             Date(2026, 12, 31), {}});  // keeps MP-8b quiet in Launch
            p.promotion.objective = o;
            const auto findings = p.review(Policy{});
            const std::string label = std::string(aecore::to_string(stage)) + "/" + std::string(aecore::to_string(o));
            if (o == right) {
                EXPECT_TRUE(findings.empty()) << label << ": " << ::testing::PrintToString(rules_of(findings));
            } else {
                ASSERT_EQ(rules_of(findings), std::vector<std::string>{"MP-8a"}) << label;
                EXPECT_EQ(findings[0].severity, Severity::Warning) << label;
                EXPECT_TRUE(contains(findings[0].message, std::string(aecore::to_string(stage)))) << findings[0].message;
                EXPECT_TRUE(contains(findings[0].message, std::string(aecore::to_string(o)))) << findings[0].message;
            }
        }
    }
}

TEST(PlanReview, MP8b_ALaunchNeedsABrandAwarenessObjective) {
    MarketingPlan p = clean_plan_value();
    p.product_section.stage = LifeCycleStage::Launch;
    p.promotion.objective = PromotionObjective::Inform;
    auto findings = p.review(Policy{});
    ASSERT_EQ(rules_of(findings), std::vector<std::string>{"MP-8b"});
    EXPECT_EQ(findings[0].severity, Severity::Warning);
    EXPECT_TRUE(contains(findings[0].message, "awareness")) << findings[0].message;
    // with an awareness objective the launch is fine
    p.objectives.push_back(Objective{"O2", ObjectiveKind::BrandAwareness, "", dec("0"), dec("30"), Date(2026, 12, 31), {}});
    EXPECT_TRUE(p.review(Policy{}).empty());
    // other stages need none
    MarketingPlan growth = clean_plan_value();
    EXPECT_TRUE(with_rule(growth.review(Policy{}), "MP-8b").empty());
}

TEST(PlanReview, MP8c_AdvertisingFollowsDistributionCoverageFromThePolicy) {
    Policy policy;  // 60 % by default
    ASSERT_EQ(policy.min_distribution_for_advertising(), 60);
    MarketingPlan p = clean_plan_value();
    p.place.coverage_percent = dec("59.9");
    auto findings = p.review(policy);
    ASSERT_EQ(rules_of(findings), std::vector<std::string>{"MP-8c"});
    EXPECT_EQ(findings[0].severity, Severity::Warning);
    EXPECT_TRUE(contains(findings[0].message, "59.9")) << findings[0].message;
    EXPECT_TRUE(contains(findings[0].message, "60")) << findings[0].message;
    EXPECT_TRUE(contains(findings[0].message, "mass advertising should follow adequate distribution")) << findings[0].message;
    // exactly at the threshold is adequate
    p.place.coverage_percent = dec("60");
    EXPECT_TRUE(p.review(policy).empty());
    // no advertising money, no finding
    p.place.coverage_percent = dec("10");
    p.promotion.mix[0].budget = cny("0");
    EXPECT_TRUE(p.review(policy).empty());
    p.promotion.mix.erase(p.promotion.mix.begin());
    EXPECT_TRUE(p.review(policy).empty());
    // the threshold is configurable
    MarketingPlan q = clean_plan_value();
    q.place.coverage_percent = dec("55");
    EXPECT_EQ(rules_of(q.review(policy)), std::vector<std::string>{"MP-8c"});
    policy.set_min_distribution_for_advertising(50);
    EXPECT_TRUE(q.review(policy).empty());
    policy.set_min_distribution_for_advertising(90);
    EXPECT_EQ(rules_of(clean_plan_value().review(policy)), std::vector<std::string>{"MP-8c"});  // 80 % < 90 %
    policy.set_min_distribution_for_advertising(0);
    q.place.coverage_percent = dec("0");
    EXPECT_TRUE(q.review(policy).empty());
    // and the agency's review uses the agency's Policy
    PlanBook b;
    const std::string id = b.clean_plan();
    EXPECT_TRUE(b.a.review_plan(id).empty());
    b.a.policy().set_min_distribution_for_advertising(85);
    EXPECT_EQ(rules_of(b.a.review_plan(id)), std::vector<std::string>{"MP-8c"});
    EXPECT_EQ(b.a.review_plan(id), b.a.plan(id).review(b.a.policy()));
    b.a.policy().set_min_distribution_for_advertising(80);
    EXPECT_TRUE(b.a.review_plan(id).empty());
}

TEST(PlanReview, MP8d_ADecliningProductNeedsAReasonBeforeHeavyAdvertising) {
    MarketingPlan p = clean_plan_value();
    p.product_section.stage = LifeCycleStage::Decline;
    p.promotion.objective = PromotionObjective::Remind;
    auto findings = p.review(Policy{});
    ASSERT_EQ(rules_of(findings), std::vector<std::string>{"MP-8d"});
    EXPECT_EQ(findings[0].severity, Severity::Warning);
    // a product improvement or repositioning note answers it
    p.product_section.improvement_note = "Repositioned as a late-night snack.";
    EXPECT_TRUE(p.review(Policy{}).empty());
    // advertising that is not the largest element is fine
    p.product_section.improvement_note.clear();
    p.promotion.mix = {{MixElement::Advertising, cny("30000.00")}, {MixElement::SalesPromotion, cny("70000.00")}};
    EXPECT_TRUE(p.review(Policy{}).empty());
    // advertising as the largest element outside Decline is fine
    MarketingPlan maturity = clean_plan_value();
    maturity.product_section.stage = LifeCycleStage::Maturity;
    maturity.promotion.objective = PromotionObjective::Remind;
    EXPECT_TRUE(maturity.review(Policy{}).empty());
}

TEST(PlanReview, MP8e_ObjectivesNeedANumericTargetAndADeadline) {
    MarketingPlan p = clean_plan_value();
    p.objectives[0].target.reset();
    auto findings = p.review(Policy{});
    ASSERT_EQ(rules_of(findings), std::vector<std::string>{"MP-8e"});
    EXPECT_EQ(findings[0].severity, Severity::Error);
    EXPECT_TRUE(contains(findings[0].message, "O1")) << findings[0].message;
    EXPECT_TRUE(contains(findings[0].message, "target")) << findings[0].message;
    p = clean_plan_value();
    p.objectives[0].deadline.reset();
    findings = p.review(Policy{});
    ASSERT_EQ(rules_of(findings), std::vector<std::string>{"MP-8e"});
    EXPECT_TRUE(contains(findings[0].message, "deadline")) << findings[0].message;
    // one finding per objective, naming both gaps
    p.objectives[0].target.reset();
    p.objectives.push_back(Objective{"O2", ObjectiveKind::SalesVolume, "", {}, dec("5"), {}, {}});
    findings = p.review(Policy{});
    ASSERT_EQ(rules_of(findings), (std::vector<std::string>{"MP-8e", "MP-8e"}));
    EXPECT_TRUE(contains(findings[0].message, "target") && contains(findings[0].message, "deadline")) << findings[0].message;
    EXPECT_TRUE(contains(findings[1].message, "O2")) << findings[1].message;
    // BrandImage is exempt; a baseline is not required
    MarketingPlan image = clean_plan_value();
    image.objectives.push_back(Objective{"O2", ObjectiveKind::BrandImage, "modern", {}, {}, {}, {}});
    image.objectives.push_back(Objective{"O3", ObjectiveKind::SalesVolume, "", {}, dec("5000"), Date(2026, 9, 30), {}});
    EXPECT_TRUE(image.review(Policy{}).empty());
}

TEST(PlanReview, MP8f_TheMixFitsThePromotionBudgetExactly) {
    MarketingPlan p = clean_plan_value();  // 60000 + 40000 = 100000.00
    p.promotion.mix[1].budget = cny("40000.01");
    auto findings = p.review(Policy{});
    ASSERT_EQ(rules_of(findings), std::vector<std::string>{"MP-8f"});
    EXPECT_EQ(findings[0].severity, Severity::Error);
    EXPECT_TRUE(contains(findings[0].message, "100,000.01")) << findings[0].message;
    EXPECT_TRUE(contains(findings[0].message, "100,000.00")) << findings[0].message;
    // exactly the budget, or less, is fine
    p.promotion.mix[1].budget = cny("40000.00");
    EXPECT_TRUE(p.review(Policy{}).empty());
    p.promotion.mix[1].budget = cny("0.00");
    EXPECT_TRUE(p.review(Policy{}).empty());
    // mix budgets without a promotion budget
    p = clean_plan_value();
    p.promotion.budget.reset();
    EXPECT_EQ(rules_of(p.review(Policy{})), std::vector<std::string>{"MP-8f"});
    p.promotion.mix.clear();
    EXPECT_TRUE(p.review(Policy{}).empty());
}

TEST(PlanReview, MP8g_APlanNeedsAUsp) {
    MarketingPlan p = clean_plan_value();
    p.product_section.usp.clear();
    const auto findings = p.review(Policy{});
    ASSERT_EQ(rules_of(findings), std::vector<std::string>{"MP-8g"});
    EXPECT_EQ(findings[0].severity, Severity::Error);
    EXPECT_TRUE(contains(findings[0].message, "USP")) << findings[0].message;
    p.product_section.usp = "x";
    EXPECT_TRUE(p.review(Policy{}).empty());
}

TEST(PlanReview, FindingsComeInRuleOrderWithTheirSeverities) {
    MarketingPlan p = clean_plan_value();
    p.product_section.stage = LifeCycleStage::Launch;   // a: Persuade in Launch; b: no awareness
    p.place.coverage_percent = dec("20");               // c
    p.objectives[0].deadline.reset();                   // e
    p.promotion.budget = cny("99999.99");               // f
    p.product_section.usp.clear();                      // g
    const auto findings = p.review(Policy{});
    EXPECT_EQ(rules_of(findings), (std::vector<std::string>{"MP-8a", "MP-8b", "MP-8c", "MP-8e", "MP-8f", "MP-8g"}));
    std::vector<Severity> severities;
    for (const PlanFinding& f : findings) severities.push_back(f.severity);
    EXPECT_EQ(severities, (std::vector<Severity>{Severity::Warning, Severity::Warning, Severity::Warning, Severity::Error,
                                                 Severity::Error, Severity::Error}));
    for (const PlanFinding& f : findings) EXPECT_FALSE(f.message.empty()) << f.rule;
}

// ---------------------------------------------------------------- workflow

TEST(PlanWorkflow, OnlyADraftIsProposedByAnActiveStaffMember) {
    PlanBook b;
    const std::string id = b.clean_plan();
    expect_refused<NotFoundError>(b.a, [&](Agency& g) { g.propose_plan(id, "S0099", at(Date(2026, 4, 21), 9)); },
                                  "plan.actor", "S0099", "MP-8");
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.propose_plan(id, "S0003", at(Date(2026, 4, 20), 9, 59)); },
                                    "plan.at", "2026-04-20T09:59:00", "MP-8");
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.propose_plan(id, "S0003", DateTime()); }, "plan.at",
                                    "not-a-date-time", "MP-8");
    const MarketingPlan& p = b.a.propose_plan(id, "S0003", at(Date(2026, 4, 21), 9), "for the May review");
    EXPECT_EQ(p.status, PlanStatus::Proposed);
    ASSERT_EQ(p.history.size(), 2u);
    EXPECT_EQ(p.history[1], (PlanTransition{PlanStatus::Draft, PlanStatus::Proposed, at(Date(2026, 4, 21), 9), "S0003",
                                            "for the May review"}));
    expect_refused<StateError>(b.a, [&](Agency& g) { g.propose_plan(id, "S0003", at(Date(2026, 4, 22), 9)); },
                               "plan.status", "Proposed", "MP-8");
    b.a.approve_plan(id, "K01", at(Date(2026, 4, 23), 9));
    expect_refused<StateError>(b.a, [&](Agency& g) { g.propose_plan(id, "S0003", at(Date(2026, 4, 24), 9)); },
                               "plan.status", "ClientApproved", "MP-8");
}

TEST(PlanWorkflow, OnlyAProposedPlanIsApprovedByAContactOfTheClient) {
    PlanBook b;
    const std::string id = b.clean_plan();
    expect_refused<StateError>(b.a, [&](Agency& g) { g.approve_plan(id, "K01", at(Date(2026, 4, 21), 9)); },
                               "plan.status", "Draft", "MP-8");
    b.a.propose_plan(id, "S0003", at(Date(2026, 4, 21), 9));
    expect_refused<NotFoundError>(b.a, [&](Agency& g) { g.approve_plan(id, "K09", at(Date(2026, 4, 22), 9)); },
                                  "plan.approved_by", "K09", "MP-7");
    // staff are not the client
    expect_refused<NotFoundError>(b.a, [&](Agency& g) { g.approve_plan(id, "S0001", at(Date(2026, 4, 22), 9)); },
                                  "plan.approved_by", "S0001", "MP-7");
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.approve_plan(id, "K01", at(Date(2026, 4, 21), 8)); },
                                    "plan.at", "2026-04-21T08:00:00", "MP-8");
    expect_refused<NotFoundError>(b.a, [&](Agency& g) { g.approve_plan("MP0099", "K01", at(Date(2026, 4, 22), 9)); },
                                  "plan.id", "MP0099", "MP-1");
    // Beta has only K01: Acme's K02 cannot approve Beta's plan
    NewPlan beta = b.spec("Beta EV");
    beta.client = b.beta;
    const std::string beta_plan = b.clean_plan(beta);
    b.a.propose_plan(beta_plan, "S0004", at(Date(2026, 4, 21), 9));
    expect_refused<NotFoundError>(b.a, [&](Agency& g) { g.approve_plan(beta_plan, "K02", at(Date(2026, 4, 22), 9)); },
                                  "plan.approved_by", "K02", "MP-7");
    EXPECT_EQ(b.a.approve_plan(beta_plan, "K01", at(Date(2026, 4, 22), 9)).approved_by, std::optional<std::string>("K01"));
}

TEST(PlanWorkflow, ApprovalRecordsWhoApprovedAndWhen) {
    PlanBook b;
    const std::string id = b.clean_plan();
    b.a.propose_plan(id, "S0003", at(Date(2026, 5, 4), 9));
    const MarketingPlan& p = b.a.approve_plan(id, "K02", at(Date(2026, 5, 8), 15, 30), "signed at the review");
    EXPECT_EQ(p.status, PlanStatus::ClientApproved);
    EXPECT_EQ(p.approved_by, std::optional<std::string>("K02"));
    EXPECT_EQ(p.approved_at, std::optional<DateTime>(at(Date(2026, 5, 8), 15, 30)));
    ASSERT_EQ(p.history.size(), 3u);
    EXPECT_EQ(p.history[2], (PlanTransition{PlanStatus::Proposed, PlanStatus::ClientApproved, at(Date(2026, 5, 8), 15, 30),
                                            "client:K02", "signed at the review"}));
    EXPECT_EQ(p.status_before(at(Date(2026, 5, 8), 15, 30)), std::optional(PlanStatus::Proposed));
    EXPECT_EQ(p.status_before(at(Date(2026, 5, 8), 15, 31)), std::optional(PlanStatus::ClientApproved));
    EXPECT_EQ(p.status_before(at(Date(2026, 4, 20), 10)), std::nullopt);
    // the book round-trips
    const std::string json = b.a.to_json();
    EXPECT_EQ(Agency::from_json(json).to_json(), json);
}

TEST(PlanWorkflow, ApprovalIsRefusedWhileTheReviewHasErrors) {
    PlanBook b;
    const std::string id = b.clean_plan();
    ProductSection no_usp = growth_product();
    no_usp.usp.clear();
    b.a.set_product_section(id, no_usp);                                                         // MP-8g
    b.a.add_objective(id, objective_spec(ObjectiveKind::SalesVolume, {}, dec("5000"), {}));     // MP-8e (O2)
    PromotionSection over = persuade_promotion();
    over.mix.push_back({MixElement::PublicRelations, cny("0.01")});                               // MP-8f
    over.objective = PromotionObjective::Inform;                                                  // MP-8a, a warning
    b.a.set_promotion(id, over);
    b.a.propose_plan(id, "S0003", at(Date(2026, 5, 4), 9));
    const auto e = refused_unchanged<StateError>(b.a, [&](Agency& g) { g.approve_plan(id, "K01", at(Date(2026, 5, 8), 9)); });
    book::expect_names(e, "plan.review", id, "MP-8");
    ASSERT_TRUE(e.has_value());
    const std::string what = e->what();
    for (const char* rule : {"MP-8e", "MP-8f", "MP-8g"}) EXPECT_TRUE(contains(what, rule)) << rule << " in " << what;
    EXPECT_TRUE(contains(what, "O2")) << what;
    EXPECT_FALSE(contains(what, "MP-8a")) << "warnings do not block approval: " << what;
    EXPECT_EQ(b.a.plan(id).status, PlanStatus::Proposed);
    // a Proposed plan can still be corrected; warnings alone do not block approval
    b.a.set_product_section(id, growth_product());
    expect_refused<StateError>(b.a, [&](Agency& g) { g.approve_plan(id, "K01", at(Date(2026, 5, 8), 9)); },
                               "plan.review", id, "MP-8");
    over.mix.pop_back();
    b.a.set_promotion(id, over);
    expect_refused<StateError>(b.a, [&](Agency& g) { g.approve_plan(id, "K01", at(Date(2026, 5, 8), 9)); },
                               "plan.review", id, "MP-8");
    b.a.record_actual(id, "O2", Date(2026, 7, 31), dec("100"));  // measuring does not fix MP-8e
    expect_refused<StateError>(b.a, [&](Agency& g) { g.approve_plan(id, "K01", at(Date(2026, 5, 8), 9)); },
                               "plan.review", id, "MP-8");
    // (objectives cannot be removed, so this plan stays unapprovable.) A plan whose only
    // finding is a warning is approved.
    const std::string fresh = b.clean_plan();
    b.a.set_promotion(fresh, over);  // MP-8a only
    b.a.propose_plan(fresh, "S0003", at(Date(2026, 5, 4), 9));
    EXPECT_EQ(rules_of(b.a.review_plan(fresh)), std::vector<std::string>{"MP-8a"});
    EXPECT_EQ(b.a.approve_plan(fresh, "K01", at(Date(2026, 5, 8), 9)).status, PlanStatus::ClientApproved);
}

TEST(PlanWorkflow, ApprovingASecondPlanForTheBrandSupersedesTheFirst) {
    PlanBook b;
    const std::string first = b.approved_plan(at(Date(2026, 5, 4), 9), at(Date(2026, 5, 8), 9));
    NewPlan tea_spec = b.spec("Acme Tea");
    const std::string tea = b.approved_plan(at(Date(2026, 5, 4), 9), at(Date(2026, 5, 8), 10), "K01", &tea_spec);
    NewPlan second_spec = b.spec("Acme Noodles", "Spicy Noodle");
    second_spec.created_at = at(Date(2026, 5, 20), 9);
    const std::string second = b.clean_plan(second_spec);
    b.a.propose_plan(second, "S0004", at(Date(2026, 5, 21), 9));
    // until the second is approved, the first stands
    EXPECT_EQ(b.a.plan(first).status, PlanStatus::ClientApproved);
    b.a.approve_plan(second, "K02", at(Date(2026, 6, 1), 11));
    const MarketingPlan& old = b.a.plan(first);
    EXPECT_EQ(old.status, PlanStatus::Superseded);
    EXPECT_EQ(old.superseded_by, std::optional<std::string>(second));
    EXPECT_EQ(old.approved_by, std::optional<std::string>("K01"));  // the approval stays on record
    ASSERT_EQ(old.history.size(), 4u);
    EXPECT_EQ(old.history[3], (PlanTransition{PlanStatus::ClientApproved, PlanStatus::Superseded, at(Date(2026, 6, 1), 11),
                                              "client:K02", "superseded by " + second}));
    const MarketingPlan& now = b.a.plan(second);
    EXPECT_EQ(now.status, PlanStatus::ClientApproved);
    EXPECT_FALSE(now.supersedes.has_value());  // an independent plan, not a new version
    EXPECT_FALSE(now.superseded_by.has_value());
    // another brand of the same client is not touched
    EXPECT_EQ(b.a.plan(tea).status, PlanStatus::ClientApproved);
    EXPECT_FALSE(b.a.plan(tea).superseded_by.has_value());
    // a superseded plan is history: not approved, proposed, edited or versioned again
    expect_refused<StateError>(b.a, [&](Agency& g) { g.approve_plan(first, "K01", at(Date(2026, 6, 2), 9)); },
                               "plan.status", "Superseded", "MP-8");
    expect_refused<StateError>(b.a, [&](Agency& g) { g.propose_plan(first, "S0003", at(Date(2026, 6, 2), 9)); },
                               "plan.status", "Superseded", "MP-8");
    expect_refused<StateError>(b.a, [&](Agency& g) { g.set_place(first, wide_place()); }, "plan.status", "Superseded",
                               "MP-8");
    expect_refused<StateError>(b.a, [&](Agency& g) { g.new_plan_version(first, "S0003", at(Date(2026, 6, 2), 9)); },
                               "plan.status", "Superseded", "MP-8");
    const std::string json = b.a.to_json();
    EXPECT_EQ(Agency::from_json(json).to_json(), json);
}

// Superseding writes a transition into the previous plan's history at the approval time;
// an approval dated before the previous plan's own approval would make that history run
// backwards (and the saved book unreadable), so it is refused.
TEST(PlanWorkflow, AnApprovalCannotPredateThePlanItSupersedes) {
    PlanBook b;
    const std::string first = b.clean_plan();
    const std::string second = b.clean_plan();
    b.a.propose_plan(first, "S0003", at(Date(2026, 4, 21), 9));
    b.a.propose_plan(second, "S0003", at(Date(2026, 4, 21), 9));
    b.a.approve_plan(first, "K01", at(Date(2026, 5, 10), 9));
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.approve_plan(second, "K01", at(Date(2026, 5, 1), 9)); },
                                    "plan.at", "2026-05-01T09:00:00", "MP-8");
    // whatever happened, the book must still load
    const std::string json = b.a.to_json();
    try {
        EXPECT_EQ(Agency::from_json(json).to_json(), json);
    } catch (const std::exception& e) {
        ADD_FAILURE() << "the book no longer loads: " << e.what();
    }
}

TEST(PlanWorkflow, AProposedPlanCanBeEditedAnApprovedOneCannot) {
    PlanBook b;
    const std::string id = b.clean_plan();
    b.a.propose_plan(id, "S0003", at(Date(2026, 5, 4), 9));
    // Proposed: every section can still change
    PlaceSection place = wide_place();
    place.coverage_percent = dec("85");
    EXPECT_EQ(b.a.set_place(id, place).place.coverage_percent, dec("85"));
    EXPECT_NO_THROW(b.a.set_product_section(id, growth_product()));
    EXPECT_NO_THROW(b.a.set_price(id, premium_price()));
    EXPECT_NO_THROW(b.a.set_promotion(id, persuade_promotion()));
    EXPECT_NO_THROW(b.a.set_strategy(id, noodle_strategy()));
    EXPECT_EQ(b.a.add_objective(id, objective_spec(ObjectiveKind::RetailOutlets, dec("800"), dec("1000"),
                                                   Date(2026, 12, 31)))
                  .id,
              "O2");
    EXPECT_EQ(b.a.plan(id).status, PlanStatus::Proposed);
    b.a.approve_plan(id, "K01", at(Date(2026, 5, 8), 9));
    // ClientApproved: a change needs a new version
    const auto refused = [&](const std::function<void(Agency&)>& op) {
        expect_refused<StateError>(b.a, op, "plan.status", "ClientApproved", "MP-8");
    };
    refused([&](Agency& g) { g.set_product_section(id, growth_product()); });
    refused([&](Agency& g) { g.set_price(id, premium_price()); });
    refused([&](Agency& g) { g.set_place(id, wide_place()); });
    refused([&](Agency& g) { g.set_promotion(id, persuade_promotion()); });
    refused([&](Agency& g) { g.set_strategy(id, noodle_strategy()); });
    refused([&](Agency& g) { g.add_objective(id, share_objective()); });
    const auto e = refused_unchanged<StateError>(b.a, [&](Agency& g) { g.set_place(id, wide_place()); });
    ASSERT_TRUE(e.has_value());
    EXPECT_TRUE(contains(e->what(), "new_plan_version")) << e->what();
    // measuring the objectives of an approved plan is what it is for
    EXPECT_EQ(b.a.record_actual(id, "O1", Date(2026, 7, 31), dec("9")).actuals.size(), 1u);
}

TEST(PlanWorkflow, ANewVersionCopiesThePlanAndSupersedesItOnApproval) {
    PlanBook b;
    const std::string v1 = b.approved_plan(at(Date(2026, 5, 4), 9), at(Date(2026, 5, 8), 9));
    b.a.record_actual(v1, "O1", Date(2026, 7, 31), dec("9"));
    const MarketingPlan before = b.a.plan(v1);
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.new_plan_version(v1, "S0004", at(Date(2026, 5, 8), 8)); },
                                    "plan.at", "2026-05-08T08:00:00", "MP-8");
    expect_refused<NotFoundError>(b.a, [&](Agency& g) { g.new_plan_version(v1, "S0099", at(Date(2026, 8, 3), 9)); },
                                  "plan.author", "S0099", "MP-8");
    expect_refused<NotFoundError>(b.a, [&](Agency& g) { g.new_plan_version("MP0099", "S0004", at(Date(2026, 8, 3), 9)); },
                                  "plan.id", "MP0099", "MP-1");
    const MarketingPlan& v2 = b.a.new_plan_version(v1, "S0004", at(Date(2026, 8, 3), 9));
    EXPECT_EQ(v2.id, "MP0002");
    EXPECT_EQ(v2.version, 2);
    EXPECT_EQ(v2.supersedes, std::optional<std::string>(v1));
    EXPECT_FALSE(v2.superseded_by.has_value());
    EXPECT_EQ(v2.status, PlanStatus::Draft);
    EXPECT_FALSE(v2.approved_by.has_value());
    EXPECT_FALSE(v2.approved_at.has_value());
    ASSERT_EQ(v2.history.size(), 1u);
    EXPECT_EQ(v2.history[0], (PlanTransition{PlanStatus::Draft, PlanStatus::Draft, at(Date(2026, 8, 3), 9), "S0004",
                                             "version 2 of " + v1}));
    // the plan is copied: client, brand, period, title, every section and the objectives
    EXPECT_EQ(v2.client, before.client);
    EXPECT_EQ(v2.brand, before.brand);
    EXPECT_EQ(v2.product, before.product);
    EXPECT_EQ(v2.period_start, before.period_start);
    EXPECT_EQ(v2.period_end, before.period_end);
    EXPECT_EQ(v2.market, before.market);
    EXPECT_EQ(v2.title, before.title);
    EXPECT_EQ(v2.product_section, before.product_section);
    EXPECT_EQ(v2.price, before.price);
    EXPECT_EQ(v2.place, before.place);
    EXPECT_EQ(v2.promotion, before.promotion);
    EXPECT_EQ(v2.strategy, before.strategy);
    EXPECT_EQ(v2.objectives, before.objectives);
    // the approved plan is untouched until the new version is approved
    EXPECT_EQ(b.a.plan(v1), before);
    // the new version is edited like any draft, without touching the old one
    PromotionSection promo = persuade_promotion();
    promo.mix[0].budget = cny("30000.00");
    b.a.set_promotion("MP0002", promo);
    EXPECT_EQ(b.a.plan(v1).promotion, persuade_promotion());
    expect_refused<StateError>(b.a, [&](Agency& g) { g.new_plan_version("MP0002", "S0004", at(Date(2026, 8, 4), 9)); },
                               "plan.status", "Draft", "MP-8");
    b.a.propose_plan("MP0002", "S0004", at(Date(2026, 8, 5), 9));
    expect_refused<StateError>(b.a, [&](Agency& g) { g.new_plan_version("MP0002", "S0004", at(Date(2026, 8, 6), 9)); },
                               "plan.status", "Proposed", "MP-8");
    b.a.approve_plan("MP0002", "K01", at(Date(2026, 8, 10), 9));
    EXPECT_EQ(b.a.plan(v1).status, PlanStatus::Superseded);
    EXPECT_EQ(b.a.plan(v1).superseded_by, std::optional<std::string>("MP0002"));
    EXPECT_EQ(b.a.plan("MP0002").status, PlanStatus::ClientApproved);
    // and the next version counts on
    const MarketingPlan& v3 = b.a.new_plan_version("MP0002", "S0003", at(Date(2026, 9, 1), 9));
    EXPECT_EQ(v3.id, "MP0003");
    EXPECT_EQ(v3.version, 3);
    EXPECT_EQ(v3.supersedes, std::optional<std::string>("MP0002"));
    const std::string json = b.a.to_json();
    EXPECT_EQ(Agency::from_json(json).to_json(), json);
}

// ---------------------------------------------------------------- approved_plan (JT-5) across time

TEST(PlanApprovedAsOf, FollowsTheApprovalsThroughTime) {
    PlanBook b;
    const std::string v1 = b.approved_plan(at(Date(2026, 5, 4), 9), at(Date(2026, 5, 8), 15));
    const auto approved_id = [&](const Date& d) -> std::string {
        const MarketingPlan* p = b.a.approved_plan(b.acme, "Acme Noodles", d);
        return p ? p->id : "none";
    };
    EXPECT_EQ(approved_id(Date(2026, 4, 20)), "none");  // created
    EXPECT_EQ(approved_id(Date(2026, 5, 7)), "none");   // proposed
    EXPECT_EQ(approved_id(Date(2026, 5, 8)), v1);       // approved that afternoon
    EXPECT_EQ(approved_id(Date(2026, 7, 1)), v1);
    const std::string v2 = b.a.new_plan_version(v1, "S0003", at(Date(2026, 7, 1), 9)).id;
    b.a.propose_plan(v2, "S0003", at(Date(2026, 7, 2), 9));
    EXPECT_EQ(approved_id(Date(2026, 7, 14)), v1);  // a draft or proposed version changes nothing
    b.a.approve_plan(v2, "K02", at(Date(2026, 7, 15), 23, 59, 59));
    EXPECT_EQ(approved_id(Date(2026, 7, 14)), v1);
    EXPECT_EQ(approved_id(Date(2026, 7, 15)), v2);
    EXPECT_EQ(approved_id(Date(2027, 1, 1)), v2);
    // a past date still gives the plan approved then
    EXPECT_EQ(approved_id(Date(2026, 5, 20)), v1);
    EXPECT_EQ(approved_id(Date(2026, 5, 7)), "none");
    // other brands and clients have none
    EXPECT_EQ(b.a.approved_plan(b.acme, "Acme Tea", Date(2027, 1, 1)), nullptr);
    EXPECT_EQ(b.a.approved_plan(b.beta, "Acme Noodles", Date(2027, 1, 1)), nullptr);
    expect_refused<ValidationError>(
        b.a, [&](Agency& g) { (void)g.approved_plan(b.acme, "Acme Noodles", Date()); }, "as_of", "not-a-date", "JT-5");
}

// ---------------------------------------------------------------- audit (AS-4) plan rules

TEST(PlanAudit, MP1_APlanStillDraftOrProposedAfterItsPeriodStarted) {
    PlanBook b;
    const std::string id = b.clean_plan();  // period from 2026-07-01
    EXPECT_TRUE(plan_findings(b.a, Date(2026, 4, 19)).empty());  // before the plan existed
    EXPECT_TRUE(plan_findings(b.a, Date(2026, 6, 30)).empty());
    auto findings = plan_findings(b.a, Date(2026, 7, 1));
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_EQ(findings[0].rule, "MP-1");
    EXPECT_EQ(findings[0].severity, Severity::Warning);
    EXPECT_EQ(findings[0].subject, id);
    EXPECT_EQ(findings[0].due, std::optional<Date>(Date(2026, 7, 1)));
    EXPECT_TRUE(contains(findings[0].message, "Draft")) << findings[0].message;
    EXPECT_TRUE(contains(findings[0].message, "2026-07-01")) << findings[0].message;
    b.a.propose_plan(id, "S0003", at(Date(2026, 7, 2), 9));
    findings = plan_findings(b.a, Date(2026, 7, 3));
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_TRUE(contains(findings[0].message, "Proposed")) << findings[0].message;
    // as of 07-01 the plan was still a draft
    findings = plan_findings(b.a, Date(2026, 7, 1));
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_TRUE(contains(findings[0].message, "Draft")) << findings[0].message;
    b.a.approve_plan(id, "K01", at(Date(2026, 7, 10), 9));
    EXPECT_TRUE(plan_findings(b.a, Date(2026, 7, 10)).empty());
    EXPECT_EQ(with_rule(plan_findings(b.a, Date(2026, 7, 9)), "MP-1").size(), 1u);  // historical
    // an approved plan approved before its period has never been late
    PlanBook c;
    c.approved_plan(at(Date(2026, 5, 4), 9), at(Date(2026, 5, 8), 9));
    for (const Date& d : {Date(2026, 5, 1), Date(2026, 7, 1), Date(2026, 12, 1)})
        EXPECT_TRUE(plan_findings(c.a, d).empty()) << d;
}

TEST(PlanAudit, MP6_AnObjectivePastItsDeadlineWithoutAnActual) {
    PlanBook b;
    const std::string id = b.clean_plan();  // O1 deadline 2026-12-31
    b.a.add_objective(id, objective_spec(ObjectiveKind::RetailOutlets, dec("800"), dec("1000"), Date(2026, 9, 30)));  // O2
    b.a.add_objective(id, objective_spec(ObjectiveKind::BrandImage, {}, {}, Date(2026, 9, 30), "modern"));            // O3
    b.a.propose_plan(id, "S0003", at(Date(2026, 5, 4), 9));
    b.a.approve_plan(id, "K01", at(Date(2026, 5, 8), 9));
    EXPECT_TRUE(plan_findings(b.a, Date(2026, 9, 30)).empty());  // due today, not yet late
    auto findings = plan_findings(b.a, Date(2026, 10, 1));
    ASSERT_EQ(findings.size(), 1u);  // the qualitative O3 has no numeric actual to miss
    EXPECT_EQ(findings[0].rule, "MP-6");
    EXPECT_EQ(findings[0].severity, Severity::Warning);
    EXPECT_EQ(findings[0].subject, id);
    EXPECT_EQ(findings[0].due, std::optional<Date>(Date(2026, 9, 30)));
    EXPECT_TRUE(contains(findings[0].message, "O2")) << findings[0].message;
    b.a.record_actual(id, "O2", Date(2026, 10, 5), dec("950"));
    EXPECT_TRUE(plan_findings(b.a, Date(2026, 10, 5)).empty());
    EXPECT_EQ(with_rule(plan_findings(b.a, Date(2026, 10, 4)), "MP-6").size(), 1u);  // not yet measured then
    // O1 after its deadline, with O2 measured
    findings = plan_findings(b.a, Date(2027, 1, 1));
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_TRUE(contains(findings[0].message, "O1")) << findings[0].message;
    // a measurement before the deadline counts
    b.a.record_actual(id, "O1", Date(2026, 11, 30), dec("10"));
    EXPECT_TRUE(plan_findings(b.a, Date(2027, 1, 1)).empty());
}

TEST(PlanAudit, MP8_WarningsOfApprovedPlansOnly) {
    PlanBook b;
    const std::string id = b.clean_plan();
    PlaceSection thin = wide_place();
    thin.coverage_percent = dec("50");  // MP-8c with the default 60 %
    b.a.set_place(id, thin);
    PromotionSection inform = persuade_promotion();
    inform.objective = PromotionObjective::Inform;  // MP-8a in Growth
    b.a.set_promotion(id, inform);
    b.a.propose_plan(id, "S0003", at(Date(2026, 5, 4), 9));
    // a draft or proposed plan's review is the planner's business, not the audit's
    EXPECT_TRUE(plan_findings(b.a, Date(2026, 5, 5)).empty());
    b.a.approve_plan(id, "K01", at(Date(2026, 5, 8), 9));
    EXPECT_TRUE(plan_findings(b.a, Date(2026, 5, 7)).empty());  // not yet approved then
    auto findings = plan_findings(b.a, Date(2026, 5, 8));
    ASSERT_EQ(findings.size(), 2u);
    EXPECT_EQ(findings[0].rule, "MP-8a");
    EXPECT_EQ(findings[1].rule, "MP-8c");
    for (const Finding& f : findings) {
        EXPECT_EQ(f.severity, Severity::Warning) << f.rule;
        EXPECT_EQ(f.subject, id) << f.rule;
        EXPECT_FALSE(f.due.has_value()) << f.rule;
        EXPECT_TRUE(contains(f.message, "approved plan " + id)) << f.message;
    }
    EXPECT_TRUE(contains(findings[1].message, "mass advertising")) << findings[1].message;
    // the threshold comes from the Policy
    b.a.policy().set_min_distribution_for_advertising(50);
    EXPECT_EQ(with_rule(plan_findings(b.a, Date(2026, 5, 8)), "MP-8c").size(), 0u);
    b.a.policy().set_min_distribution_for_advertising(60);
    // superseded by a corrected version: the old plan's warnings end with its approval
    const std::string v2 = b.a.new_plan_version(id, "S0003", at(Date(2026, 6, 1), 9)).id;
    b.a.set_place(v2, wide_place());
    b.a.set_promotion(v2, persuade_promotion());
    b.a.propose_plan(v2, "S0003", at(Date(2026, 6, 2), 9));
    b.a.approve_plan(v2, "K01", at(Date(2026, 6, 5), 9));
    EXPECT_TRUE(plan_findings(b.a, Date(2026, 6, 5)).empty());
    EXPECT_EQ(plan_findings(b.a, Date(2026, 6, 4)).size(), 2u);  // historical: the first plan still stood
    // the audit stays sorted and deterministic with plan findings in it
    const auto all = b.a.audit(Date(2026, 6, 4));
    EXPECT_TRUE(std::is_sorted(all.begin(), all.end(), aecore::finding_less));
    EXPECT_EQ(all, b.a.audit(Date(2026, 6, 4)));
}

}  // namespace
