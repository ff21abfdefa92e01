// Limits found in review: sequences that run out, corrections far beyond a day, dates at
// the edge of Boost's range, and a calendar replaced on the agency.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "aecore/agency.hpp"
#include "book_fixtures.hpp"

namespace {

using aecore::Agency;
using aecore::Date;
using nlohmann::ordered_json;

// A staffed agency whose staff sequence is set to `next` through the saved document.
Agency with_staff_sequence(std::uint64_t next) {
    ordered_json doc = ordered_json::parse(book::staffed_agency().to_json());
    doc["sequences"]["staff"] = next;
    return Agency::from_json(doc.dump());
}

TEST(Sequences, TheLastSerialIsIssuedAndTheBookStillLoads) {
    Agency a = with_staff_sequence(99'999'999);
    const auto& s = a.add_staff(book::person("Last One", aecore::Title::AE, "S0002"));
    EXPECT_EQ(s.id, "S99999999");
    const Agency reloaded = Agency::from_json(a.to_json());  // sequence 100000000 is loadable
    EXPECT_TRUE(reloaded == a);
}

TEST(Sequences, AnExhaustedSequenceRefusesAndChangesNothing) {
    Agency a = with_staff_sequence(100'000'000);
    auto e = book::refused_unchanged<aecore::StateError>(
        a, [](Agency& g) { g.add_staff(book::person("One Too Many", aecore::Title::AE, "S0002")); });
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->field(), "sequences.staff");
    EXPECT_NE(std::string(e->what()).find("exhausted"), std::string::npos);
    // A sequence beyond what the agency can reach is a schema error, not a crash.
    ordered_json doc = ordered_json::parse(a.to_json());
    doc["sequences"]["staff"] = 100'000'001;
    EXPECT_THROW((void)Agency::from_json(doc.dump()), aecore::SchemaError);
}

TEST(AuditLimits, DatesAtTheEdgeOfTheCalendarAreValidationErrors) {
    const Agency a = book::staffed_agency();
    EXPECT_THROW((void)a.audit(Date(9999, 12, 15)), aecore::ValidationError);
    EXPECT_THROW((void)a.audit(Date(1400, 6, 1)), aecore::ValidationError);
    EXPECT_NO_THROW((void)a.audit(Date(2026, 11, 23)));
    aecore::ExplicitBilling none(a.currency());
    EXPECT_THROW((void)a.tiers(Date(1400, 6, 1), none), aecore::ValidationError);
}

TEST(CalendarOnAgency, SetCalendarReplacesEverythingAtOnce) {
    Agency a = book::staffed_agency();
    aecore::BusinessCalendar c;
    c.add_holiday(Date(2026, 5, 1));
    a.set_calendar(c);
    EXPECT_FALSE(a.calendar().is_business_day(Date(2026, 5, 1)));
    EXPECT_TRUE(a.calendar() == c);
}

}  // namespace

namespace {

// A book with one approved plan: history created -> Proposed -> ClientApproved.
ordered_json approved_plan_document() {
    Agency a = book::staffed_agency();
    const std::string code = a.register_client(book::client_spec("Acme Foods", "ACME", "CD", Date(2026, 1, 5))).code;
    a.add_brand(code, "Acme");
    a.add_contact(code, book::contact("Ms Li", aecore::DecisionRole::DecisionMaker, true));
    aecore::NewPlan spec;
    spec.client = code;
    spec.brand = "Acme";
    spec.period_start = Date(2026, 3, 1);
    spec.period_end = Date(2026, 12, 31);
    spec.author = "S0003";
    spec.created_at = book::at(Date(2026, 2, 2), 9);
    const std::string id = a.create_plan(spec).id;
    a.set_product_section(id, aecore::ProductSection{aecore::LifeCycleStage::Growth, "fresh daily", {}, {}, {}});
    a.set_promotion(id, aecore::PromotionSection{std::nullopt, {}, aecore::PromotionObjective::Persuade});
    a.propose_plan(id, "S0003", book::at(Date(2026, 2, 3), 9));
    a.approve_plan(id, "K01", book::at(Date(2026, 2, 4), 9));
    return ordered_json::parse(a.to_json());
}

void expect_schema_error_at(const ordered_json& doc, const std::string& path) {
    try {
        (void)Agency::from_json(doc.dump());
        ADD_FAILURE() << "accepted; expected a SchemaError at " << path;
    } catch (const aecore::SchemaError& e) {
        EXPECT_EQ(e.field(), path) << e.what();
    }
}

TEST(PlanHistoryOnLoad, TheWorkflowIsReplayed) {
    const ordered_json good = approved_plan_document();
    EXPECT_NO_THROW((void)Agency::from_json(good.dump()));
    // An approval that is later taken back to Draft would fool approved_plan (JT-5).
    ordered_json back = good;
    back["plans"][0]["history"].push_back(
        {{"from", "ClientApproved"}, {"to", "Draft"}, {"at", "2026-02-20T09:00:00"}, {"actor", "S0003"}, {"note", ""}});
    back["plans"][0]["status"] = "Draft";
    back["plans"][0]["approved_by"] = nullptr;
    back["plans"][0]["approved_at"] = nullptr;
    expect_schema_error_at(back, "/plans/0/history/3");
    // Skipping the proposal is not a step of the workflow either.
    ordered_json skipped = good;
    skipped["plans"][0]["history"].erase(1);
    skipped["plans"][0]["history"][1]["from"] = "Draft";
    expect_schema_error_at(skipped, "/plans/0/history/1");
}

TEST(PlanHistoryOnLoad, ApprovalFieldsRepeatTheApprovalStep) {
    ordered_json doc = approved_plan_document();
    doc["plans"][0]["approved_at"] = "2026-02-05T09:00:00";
    expect_schema_error_at(doc, "/plans/0/approved_at");
}

}  // namespace
