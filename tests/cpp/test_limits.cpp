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
