// Clients (SPEC CL-1..CL-7, ST-3): client codes, the client record, brands and
// products, contacts, contracts, account teams, the pipeline with its follow-ups,
// contact cadence and tiering. Every refused operation names field, value and rule
// and leaves the agency byte-identical.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "aecore/agency.hpp"
#include "aecore/error.hpp"
#include "book_fixtures.hpp"

namespace {

using aecore::AccountTeam;
using aecore::ActivityKind;
using aecore::Agency;
using aecore::ClientUpdate;
using aecore::Date;
using aecore::Decimal;
using aecore::DecisionRole;
using aecore::ExplicitBilling;
using aecore::Money;
using aecore::NotFoundError;
using aecore::PipelineStage;
using aecore::StateError;
using aecore::Tier;
using aecore::ValidationError;
using book::at;
using book::client_spec;
using book::expect_refused;
using book::staffed_agency;

Money cny(const char* amount) { return Money::parse(amount, "CNY"); }

// ---------------------------------------------------------------- CL-1 client codes

TEST(ClientCode, FormatCityYearMonthNameSerial) {
    Agency a = staffed_agency();
    const aecore::Client& c = a.register_client(client_spec("Acme Foods", "ACME", "CD", Date(2026, 4, 6)));
    EXPECT_EQ(c.code, "CD-202604-ACME-001");
    EXPECT_EQ(c.city, "CD");
    EXPECT_EQ(c.short_name, "ACME");
    EXPECT_EQ(c.first_contact, Date(2026, 4, 6));
    // the month is zero-padded, digits are allowed in the short name
    EXPECT_EQ(a.register_client(client_spec("Seven Up", "7UP", "SH", Date(2026, 1, 31))).code, "SH-202601-7UP-002");
    EXPECT_EQ(a.register_client(client_spec("Year End", "YE", "GZ", Date(2026, 12, 1))).code, "GZ-202612-YE-003");
    EXPECT_EQ(&a.client("CD-202604-ACME-001"), a.find_client("CD-202604-ACME-001"));
    EXPECT_EQ(a.find_client("CD-202604-ACME-002"), nullptr);
}

TEST(ClientCode, SerialCountsPerYearAcrossCities) {
    Agency a = staffed_agency();
    EXPECT_EQ(a.register_client(client_spec("A", "A", "CD", Date(2026, 3, 2))).code, "CD-202603-A-001");
    EXPECT_EQ(a.register_client(client_spec("B", "B", "SH", Date(2026, 3, 2))).code, "SH-202603-B-002");
    EXPECT_EQ(a.register_client(client_spec("C", "C", "CD", Date(2026, 7, 15))).code, "CD-202607-C-003");
    // same city, month and short name: only the serial differs
    EXPECT_EQ(a.register_client(client_spec("A Two", "A", "CD", Date(2026, 3, 2))).code, "CD-202603-A-004");
}

TEST(ClientCode, SerialRestartsAt001InANewYear) {
    Agency a = staffed_agency();
    a.register_client(client_spec("A", "A", "CD", Date(2026, 3, 2)));
    a.register_client(client_spec("B", "B", "CD", Date(2026, 11, 2)));
    EXPECT_EQ(a.register_client(client_spec("C", "C", "CD", Date(2027, 1, 4))).code, "CD-202701-C-001");
    EXPECT_EQ(a.register_client(client_spec("D", "D", "SH", Date(2027, 2, 1))).code, "SH-202702-D-002");
    EXPECT_EQ(a.register_client(client_spec("E", "E", "SH", Date(2026, 12, 31))).code, "SH-202612-E-003");
}

TEST(ClientCode, RetroactiveRegistrationUsesThatYearsCounter) {
    Agency a = staffed_agency();
    a.register_client(client_spec("A", "A", "CD", Date(2026, 3, 2)));
    a.register_client(client_spec("B", "B", "CD", Date(2026, 4, 2)));
    EXPECT_EQ(a.register_client(client_spec("Old", "OLD", "CD", Date(2025, 11, 20))).code, "CD-202511-OLD-001");
    EXPECT_EQ(a.register_client(client_spec("C", "C", "CD", Date(2026, 5, 4))).code, "CD-202605-C-003");
    EXPECT_EQ(a.register_client(client_spec("Older", "OLDER", "SH", Date(2025, 1, 2))).code, "SH-202501-OLDER-002");
}

TEST(ClientCode, ArchivedClientsKeepTheirCodeWhichIsNeverReused) {
    Agency a = staffed_agency();
    a.register_client(client_spec("A", "A", "CD", Date(2026, 3, 2)));
    const std::string b = a.register_client(client_spec("B", "B", "CD", Date(2026, 3, 2))).code;
    a.archive_client(b);
    EXPECT_TRUE(a.client(b).archived);
    ASSERT_EQ(a.clients().size(), 2u);  // kept in the book
    EXPECT_EQ(a.register_client(client_spec("C", "C", "CD", Date(2026, 3, 2))).code, "CD-202603-C-003");
    // registering again under the archived client's details still gives a new code
    EXPECT_EQ(a.register_client(client_spec("B2", "B", "CD", Date(2026, 3, 2))).code, "CD-202603-B-004");
}

// The per-year sequences are part of the saved book (PS-1): a loaded agency goes on
// counting where the saved one stopped, archived clients included.
TEST(ClientCode, SequencesSurviveAJsonRoundTrip) {
    Agency a = staffed_agency();
    a.register_client(client_spec("A", "A", "CD", Date(2026, 3, 2)));
    const std::string b = a.register_client(client_spec("B", "B", "CD", Date(2026, 3, 2))).code;
    a.register_client(client_spec("Old", "OLD", "CD", Date(2025, 3, 2)));
    a.archive_client(b);
    const std::string json = a.to_json();
    Agency loaded = Agency::from_json(json);
    EXPECT_EQ(loaded.to_json(), json);
    EXPECT_TRUE(loaded == a);
    EXPECT_EQ(loaded.register_client(client_spec("D", "D", "CD", Date(2026, 3, 2))).code, "CD-202603-D-003");
    EXPECT_EQ(loaded.register_client(client_spec("E", "E", "CD", Date(2025, 3, 2))).code, "CD-202503-E-002");
}

TEST(ClientCode, AnArchivedClientCannotChange) {
    Agency a = staffed_agency();
    const std::string code = a.register_client(client_spec("A", "A", "CD", Date(2026, 3, 2))).code;
    a.archive_client(code);
    ClientUpdate u;
    u.notes = "x";
    expect_refused<StateError>(a, [&](Agency& g) { g.update_client(code, u); }, "client.code", code, "CL-2");
    expect_refused<StateError>(a, [&](Agency& g) { g.add_brand(code, "Brand"); }, "client.code", code, "CL-2");
    expect_refused<StateError>(a, [&](Agency& g) { g.archive_client(code); }, "client.code", code, "CL-2");
    expect_refused<StateError>(a, [&](Agency& g) { g.set_stage(code, PipelineStage::Closed, Date(2026, 4, 1)); },
                               "client.code", code, "CL-2");
}

TEST(ClientCode, SerialsArePaddedToThreeDigitsAndGrowBeyond999) {
    Agency a = staffed_agency();
    for (int i = 1; i <= 999; ++i) {
        std::string short_name = std::to_string(i);
        short_name.insert(0, 1, 'N');  // not "N" + ...: GCC 12 -O3 warns falsely (-Wrestrict)
        const std::string code =
            a.register_client(client_spec("Client " + std::to_string(i), short_name, "CD", Date(2026, 3, 2))).code;
        if (i == 1 || i == 42 || i == 999) {
            char expected[32];
            std::snprintf(expected, sizeof expected, "CD-202603-N%d-%03d", i, i);
            EXPECT_EQ(code, expected);
        }
    }
    EXPECT_EQ(a.register_client(client_spec("Next", "NEXT", "SH", Date(2026, 9, 1))).code, "SH-202609-NEXT-1000");
    EXPECT_EQ(a.register_client(client_spec("New Year", "NY", "CD", Date(2027, 3, 1))).code, "CD-202703-NY-001");
}

// A four-digit serial is a valid code to the reader too.
TEST(ClientCode, FourDigitSerialsLoadAndSaveUnchanged) {
    Agency base = staffed_agency();
    nlohmann::ordered_json doc = nlohmann::ordered_json::parse(base.to_json());
    doc["sequences"]["clients"]["2026"] = 999;
    Agency a = Agency::from_json(doc.dump(2));
    EXPECT_EQ(a.register_client(client_spec("B", "B", "CD", Date(2026, 3, 2))).code, "CD-202603-B-999");
    EXPECT_EQ(a.register_client(client_spec("C", "C", "CD", Date(2026, 3, 2))).code, "CD-202603-C-1000");
    const std::string json = a.to_json();
    const Agency loaded = Agency::from_json(json);
    EXPECT_EQ(loaded.to_json(), json);
    EXPECT_NE(loaded.find_client("CD-202603-C-1000"), nullptr);
}

TEST(ClientCode, BadCityShortNameOrDateIsRefusedAndNoSerialIsUsed) {
    Agency a = staffed_agency();
    expect_refused<ValidationError>(
        a, [](Agency& g) { g.register_client(client_spec("A", "A", "cd", Date(2026, 3, 2))); }, "client.city", "cd",
        "CL-1");
    expect_refused<ValidationError>(
        a, [](Agency& g) { g.register_client(client_spec("A", "A", "C-D", Date(2026, 3, 2))); }, "client.city", "C-D",
        "CL-1");
    expect_refused<ValidationError>(
        a, [](Agency& g) { g.register_client(client_spec("A", "acme", "CD", Date(2026, 3, 2))); },
        "client.short_name", "acme", "CL-1");
    expect_refused<ValidationError>(
        a, [](Agency& g) { g.register_client(client_spec("A", "AC-ME", "CD", Date(2026, 3, 2))); },
        "client.short_name", "AC-ME", "CL-1");
    expect_refused<ValidationError>(
        a, [](Agency& g) { g.register_client(client_spec("A", "", "CD", Date(2026, 3, 2))); }, "client.short_name",
        "\"\"", "CL-1");
    expect_refused<ValidationError>(
        a, [](Agency& g) { g.register_client(client_spec("A", "ABCDEFGHIJKLM", "CD", Date(2026, 3, 2))); },
        "client.short_name", "ABCDEFGHIJKLM", "CL-1");
    expect_refused<ValidationError>(
        a, [](Agency& g) { g.register_client(client_spec("A", "A", "CD", Date())); }, "client.first_contact", "",
        "CL-1");
    // none of the refusals consumed a serial
    EXPECT_EQ(a.register_client(client_spec("A", "A", "CD", Date(2026, 3, 2))).code, "CD-202603-A-001");
}

// ---------------------------------------------------------------- CL-2 client record

TEST(ClientRecord, RegistersEveryField) {
    Agency a = staffed_agency();
    aecore::NewClient spec = client_spec("Acme Foods 艾克美", "ACME", "CD", Date(2026, 4, 6), PipelineStage::Negotiating);
    spec.team = book::full_team();
    spec.address = "1 Tianfu Road, Chengdu";
    spec.phone = "+86 28 1234 5678";
    spec.fax = "+86 28 1234 5679";
    spec.email = "info@acme.example";
    spec.annual_budget = cny("1200000.00");
    spec.notes = "Prefers WeChat.\nMeets on Tuesdays.";
    spec.background = "Mr Zhao, founder, ex-FMCG";
    const aecore::Client& c = a.register_client(spec);
    EXPECT_EQ(c.name, "Acme Foods 艾克美");
    EXPECT_EQ(c.address, "1 Tianfu Road, Chengdu");
    EXPECT_EQ(c.phone, "+86 28 1234 5678");
    EXPECT_EQ(c.fax, "+86 28 1234 5679");
    EXPECT_EQ(c.email, "info@acme.example");
    EXPECT_EQ(c.annual_budget, cny("1200000"));
    EXPECT_EQ(c.notes, "Prefers WeChat.\nMeets on Tuesdays.");
    EXPECT_EQ(c.background, "Mr Zhao, founder, ex-FMCG");
    EXPECT_FALSE(c.archived);
    ASSERT_EQ(c.team_history.size(), 1u);
    EXPECT_EQ(c.team_history[0].effective, Date(2026, 4, 6));
    EXPECT_EQ(c.team(), book::full_team());
    ASSERT_EQ(c.stage_history.size(), 1u);
    EXPECT_EQ(c.stage(), PipelineStage::Negotiating);
    EXPECT_EQ(c.stage_history[0].date, Date(2026, 4, 6));
    EXPECT_FALSE(c.stage_history[0].delivered_on.has_value());
    EXPECT_TRUE(c.brands.empty());
    EXPECT_TRUE(c.contacts.empty());
    EXPECT_TRUE(c.contracts.empty());
    // the budget defaults to zero in the agency currency; names are trimmed
    const aecore::Client& d = a.register_client(client_spec("  Beta Motors ", "BETA", "SH", Date(2026, 4, 6)));
    EXPECT_EQ(d.annual_budget, Money::zero(aecore::Currency("CNY")));
    EXPECT_EQ(d.name, "Beta Motors");
    // a client registered as Closed was delivered on its first contact
    const aecore::Client& e =
        a.register_client(client_spec("Gamma", "GAMMA", "SH", Date(2026, 4, 7), PipelineStage::Closed));
    EXPECT_EQ(e.stage_history[0].delivered_on, std::optional<Date>(Date(2026, 4, 7)));
    EXPECT_EQ(a.clients().size(), 3u);
}

TEST(ClientRecord, UpdateChangesOnlyTheFieldsThatAreSet) {
    Agency a = staffed_agency();
    const std::string code = a.register_client(client_spec("Acme", "ACME", "CD", Date(2026, 4, 6))).code;
    ClientUpdate u;
    u.name = "Acme Group";
    u.phone = "123";
    u.annual_budget = cny("500.50");
    u.background = "new CEO";
    const aecore::Client& c = a.update_client(code, u);
    EXPECT_EQ(c.name, "Acme Group");
    EXPECT_EQ(c.phone, "123");
    EXPECT_EQ(c.annual_budget, cny("500.50"));
    EXPECT_EQ(c.background, "new CEO");
    EXPECT_EQ(c.code, code);  // the code never changes, even when the name does
    EXPECT_EQ(c.address, "");
    ClientUpdate again;
    again.email = "cfo@acme.example";
    again.fax = "456";
    again.address = "2 Road";
    again.notes = "n";
    EXPECT_EQ(a.update_client(code, again).name, "Acme Group");
    EXPECT_EQ(a.client(code).email, "cfo@acme.example");
    EXPECT_EQ(a.client(code).fax, "456");
}

TEST(ClientRecordRefused, UpdateWithBadValues) {
    Agency a = staffed_agency();
    const std::string code = a.register_client(client_spec("Acme", "ACME", "CD", Date(2026, 4, 6))).code;
    a.register_client(client_spec("Beta", "BETA", "CD", Date(2026, 4, 6)));
    ClientUpdate dup;
    dup.name = "Beta";
    expect_refused<ValidationError>(a, [&](Agency& g) { g.update_client(code, dup); }, "client.name", "Beta", "CL-2");
    ClientUpdate blank;
    blank.name = "  ";
    expect_refused<ValidationError>(a, [&](Agency& g) { g.update_client(code, blank); }, "client.name", "", "CL-2");
    ClientUpdate mail;
    mail.email = "not-an-address";
    expect_refused<ValidationError>(a, [&](Agency& g) { g.update_client(code, mail); }, "client.email",
                                    "not-an-address", "CL-2");
    ClientUpdate negative;
    negative.annual_budget = cny("-1.00");
    expect_refused<ValidationError>(a, [&](Agency& g) { g.update_client(code, negative); }, "client.annual_budget",
                                    "-1.00", "CL-2");
    ClientUpdate usd;
    usd.annual_budget = Money::parse("10.00", "USD");
    expect_refused<ValidationError>(a, [&](Agency& g) { g.update_client(code, usd); }, "client.annual_budget", "USD",
                                    "MB-1");
    ClientUpdate control;
    control.address = std::string("a\x01z");
    expect_refused<ValidationError>(a, [&](Agency& g) { g.update_client(code, control); }, "client.address", "a",
                                    "CL-2");
    ClientUpdate ok;
    ok.notes = "fine";
    expect_refused<NotFoundError>(a, [&](Agency& g) { g.update_client("CD-202604-NOPE-009", ok); }, "client.code",
                                  "CD-202604-NOPE-009", "CL-1");
}

TEST(ClientRecordRefused, DuplicateNameInTheSameCityButNotInAnother) {
    Agency a = staffed_agency();
    const std::string first = a.register_client(client_spec("Acme Foods", "ACME", "CD", Date(2026, 4, 6))).code;
    const auto e = book::refused_unchanged<ValidationError>(a, [](Agency& g) {
        g.register_client(client_spec("Acme Foods", "ACME2", "CD", Date(2026, 5, 6)));
    });
    book::expect_names(std::optional<aecore::Error>(e), "client.name", "Acme Foods", "CL-2");
    ASSERT_TRUE(e.has_value());
    EXPECT_NE(std::string(e->what()).find(first), std::string::npos) << e->what();
    // trimmed before the comparison
    expect_refused<ValidationError>(
        a, [](Agency& g) { g.register_client(client_spec(" Acme Foods ", "ACME", "CD", Date(2026, 5, 6))); },
        "client.name", "Acme Foods", "CL-2");
    // the same name in another city is a different client; serial 001 was not consumed twice
    EXPECT_EQ(a.register_client(client_spec("Acme Foods", "ACME", "SH", Date(2026, 5, 6))).code, "SH-202605-ACME-002");
}

TEST(ClientRecordRefused, ARenameFreesTheOldNameAndTakesTheNewOneAlsoAfterALoad) {
    Agency a = staffed_agency();
    const std::string acme = a.register_client(client_spec("Acme Foods", "ACME", "CD", Date(2026, 4, 6))).code;
    const std::string bolt = a.register_client(client_spec("Bolt Drinks", "BOLT", "CD", Date(2026, 4, 6))).code;
    ClientUpdate to_acme;
    to_acme.name = "Acme Foods";
    expect_refused<ValidationError>(a, [&](Agency& g) { g.update_client(bolt, to_acme); }, "client.name", "Acme Foods",
                                    "CL-2");
    ClientUpdate rename;
    rename.name = "Acme Group";
    a.update_client(acme, rename);  // "Acme Foods" is free now, "Acme Group" taken
    ClientUpdate same;
    same.name = "Acme Group";
    a.update_client(acme, same);  // its own name is no clash
    Agency loaded = Agency::from_json(a.to_json());
    for (Agency* book : {&a, &loaded}) {
        book->update_client(bolt, to_acme);
        EXPECT_EQ(book->find_client(bolt)->name, "Acme Foods");
        ClientUpdate back;
        back.name = "Acme Group";
        expect_refused<ValidationError>(*book, [&](Agency& b) { b.update_client(bolt, back); }, "client.name",
                                        "Acme Group", "CL-2");
        expect_refused<ValidationError>(
            *book, [](Agency& b) { b.register_client(client_spec("Acme Foods", "ACME3", "CD", Date(2026, 6, 1))); },
            "client.name", "Acme Foods", "CL-2");
        EXPECT_NO_THROW(book->register_client(client_spec("Bolt Drinks", "BOLT2", "CD", Date(2026, 6, 1))));
    }
}

TEST(ClientRecordRefused, BadFieldsAtRegistration) {
    Agency a = staffed_agency();
    aecore::NewClient mail = client_spec("A", "A", "CD", Date(2026, 4, 6));
    mail.email = "a@b";
    expect_refused<ValidationError>(a, [&](Agency& g) { g.register_client(mail); }, "client.email", "a@b", "CL-2");
    aecore::NewClient budget = client_spec("A", "A", "CD", Date(2026, 4, 6));
    budget.annual_budget = Money::parse("100", "EUR");
    expect_refused<ValidationError>(a, [&](Agency& g) { g.register_client(budget); }, "client.annual_budget", "EUR",
                                    "MB-1");
    aecore::NewClient negative = client_spec("A", "A", "CD", Date(2026, 4, 6));
    negative.annual_budget = cny("-5");
    expect_refused<ValidationError>(a, [&](Agency& g) { g.register_client(negative); }, "client.annual_budget",
                                    "-5.00", "CL-2");
    aecore::NewClient phone = client_spec("A", "A", "CD", Date(2026, 4, 6));
    phone.phone = std::string(65, '1');
    expect_refused<ValidationError>(a, [&](Agency& g) { g.register_client(phone); }, "client.phone", "111", "CL-2");
    expect_refused<ValidationError>(a, [&](Agency& g) { g.register_client(client_spec("", "A", "CD", Date(2026, 4, 6))); },
                                    "client.name", "\"\"", "CL-2");
}

// ---------------------------------------------------------------- CL-2 brands and products

TEST(ClientBrands, BrandsOwnProductsInOrder) {
    Agency a = staffed_agency();
    const std::string code = a.register_client(client_spec("Acme", "ACME", "CD", Date(2026, 4, 6))).code;
    a.add_brand(code, "Acme Noodles");
    a.add_brand(code, " Acme Tea ");
    a.add_product(code, "Acme Noodles", "Beef Noodle");
    a.add_product(code, "Acme Noodles", "Spicy Noodle");
    a.add_product(code, "Acme Tea", "Green Tea");
    a.add_product(code, "Acme Tea", "Beef Noodle");  // the same product name under another brand is fine
    const aecore::Client& c = a.client(code);
    ASSERT_EQ(c.brands.size(), 2u);
    EXPECT_EQ(c.brands[0].name, "Acme Noodles");
    EXPECT_EQ(c.brands[1].name, "Acme Tea");
    EXPECT_EQ(c.brands[0].products, (std::vector<std::string>{"Beef Noodle", "Spicy Noodle"}));
    EXPECT_EQ(c.brands[1].products, (std::vector<std::string>{"Green Tea", "Beef Noodle"}));
    ASSERT_NE(c.find_brand("Acme Tea"), nullptr);
    EXPECT_EQ(c.find_brand("Nope"), nullptr);
    // another client may own a brand of the same name
    const std::string other = a.register_client(client_spec("Beta", "BETA", "CD", Date(2026, 4, 6))).code;
    a.add_brand(other, "Acme Tea");
    EXPECT_EQ(a.client(other).brands.size(), 1u);
}

TEST(ClientBrandsRefused, DuplicatesUnknownBrandsAndBadNames) {
    Agency a = staffed_agency();
    const std::string code = a.register_client(client_spec("Acme", "ACME", "CD", Date(2026, 4, 6))).code;
    a.add_brand(code, "Acme Tea");
    a.add_product(code, "Acme Tea", "Green Tea");
    expect_refused<ValidationError>(a, [&](Agency& g) { g.add_brand(code, "Acme Tea"); }, "client.brand", "Acme Tea",
                                    "CL-2");
    expect_refused<ValidationError>(a, [&](Agency& g) { g.add_brand(code, "  Acme Tea"); }, "client.brand",
                                    "Acme Tea", "CL-2");
    expect_refused<ValidationError>(a, [&](Agency& g) { g.add_brand(code, ""); }, "client.brand", "\"\"", "CL-2");
    expect_refused<NotFoundError>(a, [&](Agency& g) { g.add_product(code, "Acme Coffee", "Latte"); }, "client.brand",
                                  "Acme Coffee", "CL-2");
    expect_refused<ValidationError>(a, [&](Agency& g) { g.add_product(code, "Acme Tea", "Green Tea"); },
                                    "client.product", "Green Tea", "CL-2");
    expect_refused<ValidationError>(a, [&](Agency& g) { g.add_product(code, "Acme Tea", " "); }, "client.product", "",
                                    "CL-2");
    expect_refused<NotFoundError>(a, [&](Agency& g) { g.add_brand("XX-202601-X-001", "B"); }, "client.code",
                                  "XX-202601-X-001", "CL-1");
}

// ---------------------------------------------------------------- CL-3 contacts

TEST(ClientContacts, IdsRolesAndOnePrimary) {
    Agency a = staffed_agency();
    const std::string code = a.register_client(client_spec("Acme", "ACME", "CD", Date(2026, 4, 6))).code;
    aecore::NewContact zhao = book::contact("Zhao Lei", DecisionRole::DecisionMaker, true);
    zhao.job_title = "CEO";
    zhao.phone = "139";
    zhao.email = "zhao@acme.example";
    const aecore::Contact& k1 = a.add_contact(code, zhao);
    EXPECT_EQ(k1.id, "K01");
    EXPECT_EQ(k1.name, "Zhao Lei");
    EXPECT_EQ(k1.job_title, "CEO");
    EXPECT_EQ(k1.role, DecisionRole::DecisionMaker);
    EXPECT_EQ(k1.phone, "139");
    EXPECT_EQ(k1.email, "zhao@acme.example");
    EXPECT_TRUE(k1.primary);
    EXPECT_EQ(a.add_contact(code, book::contact("Qian", DecisionRole::Influencer)).id, "K02");
    EXPECT_EQ(a.add_contact(code, book::contact("Sun", DecisionRole::Executor)).id, "K03");
    const aecore::Client& c = a.client(code);
    ASSERT_NE(c.primary_contact(), nullptr);
    EXPECT_EQ(c.primary_contact()->id, "K01");
    EXPECT_EQ(c.find_contact("K02")->role, DecisionRole::Influencer);
    EXPECT_EQ(c.find_contact("K09"), nullptr);
    // ids count per client
    const std::string other = a.register_client(client_spec("Beta", "BETA", "CD", Date(2026, 4, 6))).code;
    EXPECT_EQ(a.add_contact(other, book::contact("Zhou", DecisionRole::Executor, true)).id, "K01");
}

TEST(ClientContacts, SetPrimaryContactMovesThePrimary) {
    Agency a = staffed_agency();
    const std::string code = a.register_client(client_spec("Acme", "ACME", "CD", Date(2026, 4, 6))).code;
    a.add_contact(code, book::contact("Zhao", DecisionRole::DecisionMaker));
    EXPECT_EQ(a.client(code).primary_contact(), nullptr);
    a.add_contact(code, book::contact("Qian", DecisionRole::Influencer));
    a.set_primary_contact(code, "K02");
    EXPECT_EQ(a.client(code).primary_contact()->id, "K02");
    a.set_primary_contact(code, "K01");
    EXPECT_EQ(a.client(code).primary_contact()->id, "K01");
    EXPECT_FALSE(a.client(code).find_contact("K02")->primary);
    int primaries = 0;
    for (const aecore::Contact& k : a.client(code).contacts) primaries += k.primary;
    EXPECT_EQ(primaries, 1);
}

TEST(ClientContactsRefused, SecondPrimaryUnknownContactAndBadFields) {
    Agency a = staffed_agency();
    const std::string code = a.register_client(client_spec("Acme", "ACME", "CD", Date(2026, 4, 6))).code;
    a.add_contact(code, book::contact("Zhao", DecisionRole::DecisionMaker, true));
    const auto e = book::refused_unchanged<ValidationError>(
        a, [&](Agency& g) { g.add_contact(code, book::contact("Qian", DecisionRole::Influencer, true)); });
    book::expect_names(std::optional<aecore::Error>(e), "contact.primary", "true", "CL-3");
    ASSERT_TRUE(e.has_value());
    EXPECT_NE(std::string(e->what()).find("K01"), std::string::npos) << e->what();
    expect_refused<NotFoundError>(a, [&](Agency& g) { g.set_primary_contact(code, "K02"); }, "contact.id", "K02",
                                  "CL-3");
    expect_refused<ValidationError>(a, [&](Agency& g) { g.add_contact(code, book::contact(" ", DecisionRole::Executor)); },
                                    "contact.name", "\"", "CL-3");
    aecore::NewContact mail = book::contact("Sun", DecisionRole::Executor);
    mail.email = "sun@";
    expect_refused<ValidationError>(a, [&](Agency& g) { g.add_contact(code, mail); }, "contact.email", "sun@", "CL-3");
    // the refused contacts did not use up an id
    EXPECT_EQ(a.add_contact(code, book::contact("Sun", DecisionRole::Executor)).id, "K02");
}

// ---------------------------------------------------------------- CL-7 contracts

TEST(ClientContracts, AddedWithIdsInOrder) {
    Agency a = staffed_agency();
    const std::string code = a.register_client(client_spec("Acme", "ACME", "CD", Date(2026, 4, 6))).code;
    const aecore::Contract& t1 =
        a.add_contract(code, Date(2026, 4, 1), Date(2027, 3, 31), cny("50000.00"), "monthly in arrears, 30 days");
    EXPECT_EQ(t1.id, "T01");
    EXPECT_EQ(t1.start, Date(2026, 4, 1));
    EXPECT_EQ(t1.end, Date(2027, 3, 31));
    EXPECT_EQ(t1.monthly_fee, cny("50000"));
    EXPECT_EQ(t1.payment_terms, "monthly in arrears, 30 days");
    // a one-day contract and a zero fee are allowed
    EXPECT_EQ(a.add_contract(code, Date(2027, 4, 1), Date(2027, 4, 1), cny("0"), "").id, "T02");
    EXPECT_EQ(a.client(code).contracts.size(), 2u);
}

TEST(ClientContractsRefused, EndBeforeStartForeignCurrencyNegativeFee) {
    Agency a = staffed_agency();
    const std::string code = a.register_client(client_spec("Acme", "ACME", "CD", Date(2026, 4, 6))).code;
    expect_refused<ValidationError>(
        a, [&](Agency& g) { g.add_contract(code, Date(2026, 4, 1), Date(2026, 3, 31), cny("1"), "t"); }, "contract.end",
        "2026-03-31", "CL-7");
    expect_refused<ValidationError>(
        a,
        [&](Agency& g) { g.add_contract(code, Date(2026, 4, 1), Date(2027, 3, 31), Money::parse("1", "USD"), "t"); },
        "contract.monthly_fee", "USD", "MB-1");
    expect_refused<ValidationError>(
        a, [&](Agency& g) { g.add_contract(code, Date(2026, 4, 1), Date(2027, 3, 31), cny("-1"), "t"); },
        "contract.monthly_fee", "-1.00", "CL-7");
    expect_refused<ValidationError>(
        a, [&](Agency& g) { g.add_contract(code, Date(), Date(2027, 3, 31), cny("1"), "t"); }, "contract.start", "",
        "CL-7");
    EXPECT_EQ(a.add_contract(code, Date(2026, 4, 1), Date(2026, 4, 30), cny("1"), "t").id, "T01");
}

// ---------------------------------------------------------------- ST-3 account teams

TEST(AccountTeams, FullTeamAndReassignmentKeepHistory) {
    Agency a = staffed_agency();
    aecore::NewClient spec = client_spec("Acme", "ACME", "CD", Date(2026, 4, 6));
    spec.team = book::full_team();
    const std::string code = a.register_client(spec).code;
    AccountTeam next = book::owner("S0004");
    next.am = "S0002";
    a.assign_team(code, next, Date(2026, 5, 4), "Wang Fang moves to the Beta account");
    a.assign_team(code, book::owner("S0003"), Date(2026, 5, 4), "same-day correction");
    const aecore::Client& c = a.client(code);
    ASSERT_EQ(c.team_history.size(), 3u);
    EXPECT_EQ(c.team_history[0].team, book::full_team());
    EXPECT_EQ(c.team_history[0].note, "initial team");
    EXPECT_EQ(c.team_history[1].team, next);
    EXPECT_EQ(c.team_history[1].effective, Date(2026, 5, 4));
    EXPECT_EQ(c.team_history[1].note, "Wang Fang moves to the Beta account");
    EXPECT_EQ(c.team().ae, "S0003");
    EXPECT_FALSE(c.team().am.has_value());
}

TEST(AccountTeamsRefused, OwnerMustBeAnActiveAE) {
    Agency a = staffed_agency();
    expect_refused<ValidationError>(
        a, [](Agency& g) { g.register_client(client_spec("A", "A", "CD", Date(2026, 4, 6), PipelineStage::Potential, "S0002")); },
        "client.team.ae", "S0002", "ST-3");
    expect_refused<ValidationError>(
        a, [](Agency& g) { g.register_client(client_spec("A", "A", "CD", Date(2026, 4, 6), PipelineStage::Potential, "S0005")); },
        "client.team.ae", "S0005", "ST-3");
    expect_refused<NotFoundError>(
        a, [](Agency& g) { g.register_client(client_spec("A", "A", "CD", Date(2026, 4, 6), PipelineStage::Potential, "S0099")); },
        "client.team.ae", "S0099", "ST-3");
    expect_refused<ValidationError>(
        a, [](Agency& g) { g.register_client(client_spec("A", "A", "CD", Date(2026, 4, 6), PipelineStage::Potential, "")); },
        "client.team.ae", "\"\"", "ST-3");
    aecore::StaffUpdate leave;
    leave.active = false;
    a.update_staff("S0004", leave);
    expect_refused<ValidationError>(
        a, [](Agency& g) { g.register_client(client_spec("A", "A", "CD", Date(2026, 4, 6), PipelineStage::Potential, "S0004")); },
        "client.team.ae", "S0004", "ST-3");
    EXPECT_TRUE(a.clients().empty());
}

TEST(AccountTeamsRefused, SupportingRolesNeedTheirTitles) {
    Agency a = staffed_agency();
    auto with = [](void (*set)(AccountTeam&)) {
        aecore::NewClient spec = client_spec("A", "A", "CD", Date(2026, 4, 6));
        set(spec.team);
        return spec;
    };
    const aecore::NewClient aae_is_ae = with([](AccountTeam& t) { t.aae = "S0004"; });
    expect_refused<ValidationError>(a, [&](Agency& g) { g.register_client(aae_is_ae); }, "client.team.aae", "S0004",
                                    "ST-3");
    const aecore::NewClient am_is_ae = with([](AccountTeam& t) { t.am = "S0004"; });
    expect_refused<ValidationError>(a, [&](Agency& g) { g.register_client(am_is_ae); }, "client.team.am", "S0004",
                                    "ST-3");
    const aecore::NewClient ad_is_am = with([](AccountTeam& t) { t.ad = "S0002"; });
    expect_refused<ValidationError>(a, [&](Agency& g) { g.register_client(ad_is_am); }, "client.team.ad", "S0002",
                                    "ST-3");
    const aecore::NewClient unknown_am = with([](AccountTeam& t) { t.am = "S0777"; });
    expect_refused<NotFoundError>(a, [&](Agency& g) { g.register_client(unknown_am); }, "client.team.am", "S0777",
                                  "ST-3");
}

TEST(AccountTeamsRefused, ReassignmentChecksTheTeamAndRunsForward) {
    Agency a = staffed_agency();
    const std::string code = a.register_client(client_spec("Acme", "ACME", "CD", Date(2026, 4, 6))).code;
    a.assign_team(code, book::owner("S0004"), Date(2026, 5, 4));
    expect_refused<ValidationError>(a, [&](Agency& g) { g.assign_team(code, book::owner("S0003"), Date(2026, 5, 3)); },
                                    "team.effective", "2026-05-03", "ST-3");
    expect_refused<ValidationError>(a, [&](Agency& g) { g.assign_team(code, book::owner("S0001"), Date(2026, 6, 1)); },
                                    "client.team.ae", "S0001", "ST-3");
    expect_refused<NotFoundError>(a, [&](Agency& g) { g.assign_team(code, book::owner("S0404"), Date(2026, 6, 1)); },
                                  "client.team.ae", "S0404", "ST-3");
    expect_refused<ValidationError>(a, [&](Agency& g) { g.assign_team(code, book::owner("S0003"), Date()); },
                                    "team.effective", "", "ST-3");
    expect_refused<NotFoundError>(a, [&](Agency& g) { g.assign_team("CD-202604-NONE-001", book::owner("S0003"), Date(2026, 6, 1)); },
                                  "client.code", "CD-202604-NONE-001", "CL-1");
    EXPECT_EQ(a.client(code).team_history.size(), 2u);
}

// ---------------------------------------------------------------- CL-6 pipeline stage

TEST(PipelineStages, HistoryIsKept) {
    Agency a = staffed_agency();
    const std::string code = a.register_client(client_spec("Acme", "ACME", "CD", Date(2026, 4, 6))).code;
    a.set_stage(code, PipelineStage::Negotiating, Date(2026, 4, 20), "brief received");
    a.set_stage(code, PipelineStage::Closed, Date(2026, 5, 6), "signed", Date(2026, 5, 8));
    a.set_stage(code, PipelineStage::Closed, Date(2026, 5, 6), "same day, no delivery date");
    const aecore::Client& c = a.client(code);
    ASSERT_EQ(c.stage_history.size(), 4u);
    EXPECT_EQ(c.stage_history[0].stage, PipelineStage::Potential);
    EXPECT_EQ(c.stage_history[0].note, "registered");
    EXPECT_EQ(c.stage_history[1].stage, PipelineStage::Negotiating);
    EXPECT_EQ(c.stage_history[1].date, Date(2026, 4, 20));
    EXPECT_EQ(c.stage_history[1].note, "brief received");
    EXPECT_EQ(c.stage_history[2].delivered_on, std::optional<Date>(Date(2026, 5, 8)));
    EXPECT_EQ(c.stage_history[3].delivered_on, std::optional<Date>(Date(2026, 5, 6)));  // defaults to the date
    EXPECT_EQ(c.stage(), PipelineStage::Closed);
}

TEST(PipelineStagesRefused, BackwardsDatesAndStrayDeliveryDates) {
    Agency a = staffed_agency();
    const std::string code = a.register_client(client_spec("Acme", "ACME", "CD", Date(2026, 4, 6))).code;
    a.set_stage(code, PipelineStage::Negotiating, Date(2026, 4, 20));
    expect_refused<ValidationError>(a, [&](Agency& g) { g.set_stage(code, PipelineStage::Closed, Date(2026, 4, 19)); },
                                    "stage.date", "2026-04-19", "CL-6");
    expect_refused<ValidationError>(
        a, [&](Agency& g) { g.set_stage(code, PipelineStage::Negotiating, Date(2026, 4, 21), "", Date(2026, 4, 21)); },
        "stage.delivered_on", "2026-04-21", "CL-6");
    expect_refused<ValidationError>(a, [&](Agency& g) { g.set_stage(code, PipelineStage::Closed, Date()); },
                                    "stage.date", "", "CL-6");
    expect_refused<NotFoundError>(a, [&](Agency& g) { g.set_stage("nope", PipelineStage::Closed, Date(2026, 5, 1)); },
                                  "client.code", "nope", "CL-1");
}

// Closed: day 3, 7 and 15 after delivery, each rolled forward to a business day, then none.
TEST(NextFollowUp, ClosedDay3Day7Day15ThenNone) {
    Agency a = staffed_agency();
    const std::string code = a.register_client(client_spec("Acme", "ACME", "CD", Date(2026, 3, 2))).code;
    a.set_stage(code, PipelineStage::Closed, Date(2026, 4, 6), "signed");  // delivered Monday 2026-04-06
    EXPECT_EQ(a.next_follow_up(code, Date(2026, 4, 6)), std::optional<Date>(Date(2026, 4, 9)));  // day 3, Thu
    // not contacted: the day-3 follow-up stays the next one, even once it is past
    EXPECT_EQ(a.next_follow_up(code, Date(2026, 4, 12)), std::optional<Date>(Date(2026, 4, 9)));
    a.log_activity(book::activity(ActivityKind::Call, at(Date(2026, 4, 9), 10), code));
    EXPECT_EQ(a.next_follow_up(code, Date(2026, 4, 9)), std::optional<Date>(Date(2026, 4, 13)));  // day 7, Mon
    a.log_activity(book::activity(ActivityKind::Call, at(Date(2026, 4, 13), 10), code));
    EXPECT_EQ(a.next_follow_up(code, Date(2026, 4, 13)), std::optional<Date>(Date(2026, 4, 21)));  // day 15, Tue
    a.log_activity(book::activity(ActivityKind::Call, at(Date(2026, 4, 21), 10), code));
    EXPECT_EQ(a.next_follow_up(code, Date(2026, 4, 21)), std::nullopt);  // all three done
    EXPECT_EQ(a.next_follow_up(code, Date(2026, 6, 1)), std::nullopt);
    // as of an earlier day the later contacts are not known yet
    EXPECT_EQ(a.next_follow_up(code, Date(2026, 4, 10)), std::optional<Date>(Date(2026, 4, 13)));
}

TEST(NextFollowUp, ClosedScheduleCountsFromTheDeliveryAndRollsForward) {
    Agency a = staffed_agency();
    const std::string code = a.register_client(client_spec("Acme", "ACME", "CD", Date(2026, 3, 2))).code;
    // delivered Wednesday 2026-04-01: day 3 is Saturday 04-04 -> Monday 04-06
    a.set_stage(code, PipelineStage::Closed, Date(2026, 3, 31), "signed", Date(2026, 4, 1));
    EXPECT_EQ(a.next_follow_up(code, Date(2026, 3, 31)), std::optional<Date>(Date(2026, 4, 6)));
    a.log_activity(book::activity(ActivityKind::Visit, at(Date(2026, 4, 6), 10), code));
    EXPECT_EQ(a.next_follow_up(code, Date(2026, 4, 6)), std::optional<Date>(Date(2026, 4, 8)));   // day 7
    a.log_activity(book::activity(ActivityKind::Email, at(Date(2026, 4, 8), 10), code));
    EXPECT_EQ(a.next_follow_up(code, Date(2026, 4, 8)), std::optional<Date>(Date(2026, 4, 16)));  // day 15
}

TEST(NextFollowUp, NegotiatingEvery3DaysAtMost7) {
    Agency a = staffed_agency();
    const std::string code = a.register_client(client_spec("Acme", "ACME", "CD", Date(2026, 3, 2))).code;
    a.set_stage(code, PipelineStage::Negotiating, Date(2026, 4, 6));
    EXPECT_EQ(a.next_follow_up(code, Date(2026, 4, 6)), std::optional<Date>(Date(2026, 4, 9)));
    // 3 days after Thursday 04-09 is Sunday: rolled forward to Monday
    const std::vector<Date> days{Date(2026, 4, 9),  Date(2026, 4, 13), Date(2026, 4, 16), Date(2026, 4, 20),
                                 Date(2026, 4, 23), Date(2026, 4, 27), Date(2026, 4, 30)};
    const std::vector<Date> expected{Date(2026, 4, 13), Date(2026, 4, 16), Date(2026, 4, 20), Date(2026, 4, 23),
                                     Date(2026, 4, 27), Date(2026, 4, 30)};
    for (std::size_t i = 0; i < days.size(); ++i) {
        a.log_activity(book::activity(ActivityKind::Call, at(days[i], 11), code));
        if (i + 1 < days.size()) {
            EXPECT_EQ(a.next_follow_up(code, days[i]), std::optional<Date>(expected[i])) << "after follow-up " << i + 1;
        }
    }
    EXPECT_EQ(a.next_follow_up(code, Date(2026, 4, 30)), std::nullopt) << "no follow-up after the seventh";
    EXPECT_EQ(a.next_follow_up(code, Date(2026, 4, 29)), std::optional<Date>(Date(2026, 4, 30)))
        << "as of the day before, only six were known";
}

TEST(NextFollowUp, PotentialEvery90DaysFromTheLastContact) {
    Agency a = staffed_agency();
    const std::string code = a.register_client(client_spec("Acme", "ACME", "CD", Date(2026, 4, 6))).code;
    // 2026-04-06 + 90 = Sunday 2026-07-05 -> Monday 07-06
    EXPECT_EQ(a.next_follow_up(code, Date(2026, 4, 6)), std::optional<Date>(Date(2026, 7, 6)));
    a.log_activity(book::activity(ActivityKind::Call, at(Date(2026, 5, 4), 10), code));
    EXPECT_EQ(a.next_follow_up(code, Date(2026, 5, 4)), std::optional<Date>(Date(2026, 8, 3)));  // Monday
    EXPECT_EQ(a.next_follow_up(code, Date(2026, 5, 3)), std::optional<Date>(Date(2026, 7, 6)));
    EXPECT_EQ(a.next_follow_up(code, Date(2026, 4, 5)), std::nullopt) << "not yet a client";
}

TEST(NextFollowUp, InterruptedEvery180DaysAbandonNeverArchivedNever) {
    Agency a = staffed_agency();
    const std::string code = a.register_client(client_spec("Acme", "ACME", "CD", Date(2026, 3, 2))).code;
    a.set_stage(code, PipelineStage::Interrupted, Date(2026, 4, 6));
    // 2026-04-06 + 180 = Saturday 2026-10-03 -> Monday 10-05
    EXPECT_EQ(a.next_follow_up(code, Date(2026, 4, 6)), std::optional<Date>(Date(2026, 10, 5)));
    a.set_stage(code, PipelineStage::Abandon, Date(2026, 4, 10));
    EXPECT_EQ(a.next_follow_up(code, Date(2026, 4, 10)), std::nullopt);
    EXPECT_EQ(a.next_follow_up(code, Date(2026, 4, 9)), std::optional<Date>(Date(2026, 10, 5)));  // earlier stage
    const std::string other = a.register_client(client_spec("Beta", "BETA", "CD", Date(2026, 4, 6))).code;
    a.archive_client(other);
    EXPECT_EQ(a.next_follow_up(other, Date(2026, 4, 6)), std::nullopt);
    EXPECT_THROW((void)a.next_follow_up("nope", Date(2026, 4, 6)), NotFoundError);
}

TEST(NextFollowUp, RolledForwardOverHolidays) {
    Agency a = staffed_agency();
    a.calendar().add_holiday(Date(2026, 7, 6));
    a.calendar().add_holiday(Date(2026, 7, 7));
    const std::string code = a.register_client(client_spec("Acme", "ACME", "CD", Date(2026, 4, 6))).code;
    EXPECT_EQ(a.next_follow_up(code, Date(2026, 4, 6)), std::optional<Date>(Date(2026, 7, 8)));
}

// ---------------------------------------------------------------- CL-4 contact cadence

struct CadenceBook {
    Agency a = staffed_agency();
    std::string home;  // CD, the home city: every business day
    std::string away;  // SH: every 3 business days
    CadenceBook() {
        home = a.register_client(client_spec("Home Co", "HOME", "CD", Date(2026, 4, 6), PipelineStage::Closed)).code;
        away = a.register_client(client_spec("Away Co", "AWAY", "SH", Date(2026, 4, 6), PipelineStage::Negotiating)).code;
    }
    std::vector<std::string> overdue(const Date& d) const {
        std::vector<std::string> out;
        for (const aecore::OverdueContact& o : a.overdue_contacts(d)) out.push_back(o.client);
        return out;
    }
};

using Codes = std::vector<std::string>;

TEST(ContactCadence, HomeCityDailyElsewhereEvery3BusinessDays) {
    CadenceBook b;  // first contact Monday 2026-04-06, no activity since
    EXPECT_EQ(b.overdue(Date(2026, 4, 6)), Codes{});
    EXPECT_EQ(b.overdue(Date(2026, 4, 7)), Codes{});                 // home due Tuesday
    EXPECT_EQ(b.overdue(Date(2026, 4, 8)), Codes{b.home});
    EXPECT_EQ(b.overdue(Date(2026, 4, 9)), Codes{b.home});           // away due Thursday
    EXPECT_EQ(b.overdue(Date(2026, 4, 10)), (Codes{b.home, b.away}));
    const auto rows = b.a.overdue_contacts(Date(2026, 4, 10));
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].last_contact, Date(2026, 4, 6));  // the first contact when there was no activity
    EXPECT_EQ(rows[0].due, Date(2026, 4, 7));
    EXPECT_EQ(rows[1].due, Date(2026, 4, 9));
    EXPECT_EQ(rows[1].business_days_overdue, 1);
}

TEST(ContactCadence, ActivitiesResetTheClockAndWeekendsDoNotCount) {
    CadenceBook b;
    b.a.log_activity(book::activity(ActivityKind::Email, at(Date(2026, 4, 10), 17), b.home));  // Friday
    b.a.log_activity(book::activity(ActivityKind::Call, at(Date(2026, 4, 10), 9), b.away));
    EXPECT_EQ(b.overdue(Date(2026, 4, 11)), Codes{});  // Saturday
    EXPECT_EQ(b.overdue(Date(2026, 4, 12)), Codes{});  // Sunday
    EXPECT_EQ(b.overdue(Date(2026, 4, 13)), Codes{});  // Monday: home due today
    EXPECT_EQ(b.overdue(Date(2026, 4, 14)), Codes{b.home});
    EXPECT_EQ(b.overdue(Date(2026, 4, 15)), Codes{b.home});  // away due Wednesday
    EXPECT_EQ(b.overdue(Date(2026, 4, 16)), (Codes{b.home, b.away}));
    const auto rows = b.a.overdue_contacts(Date(2026, 4, 14));
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].last_contact, Date(2026, 4, 10));
    EXPECT_EQ(rows[0].due, Date(2026, 4, 13));
    EXPECT_EQ(rows[0].business_days_overdue, 1);
}

// OverdueContact::business_days_overdue counts business days after the due date.
TEST(ContactCadence, BusinessDaysOverdueCountsBusinessDays) {
    CadenceBook b;  // away client last contacted Monday 04-06, due Thursday 04-09
    const auto rows = b.a.overdue_contacts(Date(2026, 4, 13));  // Monday: Friday and Monday are overdue
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[1].client, b.away);
    EXPECT_EQ(rows[1].due, Date(2026, 4, 9));
    EXPECT_EQ(rows[1].business_days_overdue, 2) << "Friday 04-10 and Monday 04-13; the weekend is not business days";
    EXPECT_EQ(rows[0].business_days_overdue, 4) << "home client due Tuesday 04-07: Wed, Thu, Fri, Mon";
}

TEST(ContactCadence, OnlyClosedAndNegotiatingNonArchivedClientsCount) {
    CadenceBook b;
    const std::string potential =
        b.a.register_client(client_spec("Pot Co", "POT", "CD", Date(2026, 4, 6), PipelineStage::Potential)).code;
    const std::string interrupted =
        b.a.register_client(client_spec("Int Co", "INT", "CD", Date(2026, 4, 6), PipelineStage::Interrupted)).code;
    const std::string abandon =
        b.a.register_client(client_spec("Ab Co", "AB", "CD", Date(2026, 4, 6), PipelineStage::Abandon)).code;
    const std::string archived =
        b.a.register_client(client_spec("Arc Co", "ARC", "CD", Date(2026, 4, 6), PipelineStage::Closed)).code;
    b.a.archive_client(archived);
    const std::string later =
        b.a.register_client(client_spec("Late Co", "LATE", "CD", Date(2026, 4, 20), PipelineStage::Closed)).code;
    EXPECT_EQ(b.overdue(Date(2026, 4, 10)), (Codes{b.home, b.away}));
    // the stage in force on as_of counts: Potential until 04-13, Negotiating after
    b.a.set_stage(potential, PipelineStage::Negotiating, Date(2026, 4, 13));
    EXPECT_EQ(b.overdue(Date(2026, 4, 10)), (Codes{b.home, b.away}));
    EXPECT_EQ(b.overdue(Date(2026, 4, 16)), (Codes{b.home, b.away, potential}));
    (void)interrupted;
    (void)abandon;
    (void)later;
}

TEST(ContactCadence, ActivitiesAfterAsOfAreIgnored) {
    CadenceBook b;
    b.a.log_activity(book::activity(ActivityKind::Call, at(Date(2026, 4, 20), 10), b.home));
    b.a.log_activity(book::activity(ActivityKind::Call, at(Date(2026, 4, 20), 10), b.away));
    EXPECT_EQ(b.overdue(Date(2026, 4, 10)), (Codes{b.home, b.away}));
    EXPECT_EQ(b.overdue(Date(2026, 4, 20)), Codes{});
    EXPECT_EQ(b.a.last_contact(b.home, Date(2026, 4, 10)), std::nullopt);
    EXPECT_EQ(b.a.last_contact(b.home, Date(2026, 4, 20)), std::optional(at(Date(2026, 4, 20), 10)));
}

TEST(ContactCadence, CadenceIsConfigurable) {
    CadenceBook b;
    b.a.policy().set_contact_cadence(2, 5);
    EXPECT_EQ(b.overdue(Date(2026, 4, 8)), Codes{});
    EXPECT_EQ(b.overdue(Date(2026, 4, 9)), Codes{b.home});
    EXPECT_EQ(b.overdue(Date(2026, 4, 13)), Codes{b.home});
    EXPECT_EQ(b.overdue(Date(2026, 4, 14)), (Codes{b.home, b.away}));
    // moving the home city moves the daily cadence
    b.a.set_home_city("SH");
    EXPECT_EQ(b.overdue(Date(2026, 4, 9)), Codes{b.away});
}

TEST(ContactCadence, InvalidAsOfIsRefused) {
    CadenceBook b;
    try {
        (void)b.a.overdue_contacts(Date());
        FAIL() << "not-a-date accepted";
    } catch (const ValidationError& e) {
        EXPECT_EQ(e.field(), "as_of");
        EXPECT_EQ(e.rule(), "CL-4");
    }
}

// ---------------------------------------------------------------- CL-5 tiering

struct TierBook {
    Agency a = staffed_agency();
    ExplicitBilling billing{aecore::Currency("CNY")};
    std::vector<std::string> codes;
    explicit TierBook(const std::vector<const char*>& amounts) {
        char name[8] = "C0";
        for (std::size_t i = 0; i < amounts.size(); ++i) {
            name[1] = static_cast<char>('A' + i);
            const std::string code =
                a.register_client(client_spec(std::string("Client ") + name, name, "CD", Date(2026, 1, 5))).code;
            codes.push_back(code);
            billing.set_billings(code, Money::parse(amounts[i], "CNY"));
        }
    }
    std::vector<aecore::TierAssignment> tiers() const { return a.tiers(Date(2026, 12, 31), billing); }
};

std::string tier_string(const std::vector<aecore::TierAssignment>& rows) {
    std::string out;
    for (const auto& t : rows) out += std::string(to_string(t.tier));
    return out;
}

TEST(Tiering, ASmallestSetReaching50PercentBUpTo80CRest) {
    TierBook b({"100", "400", "300", "200"});  // 40 %, 30 %, 20 %, 10 % after ranking
    const auto rows = b.tiers();
    ASSERT_EQ(rows.size(), 4u);
    EXPECT_EQ(rows[0].client, b.codes[1]);
    EXPECT_EQ(rows[1].client, b.codes[2]);
    EXPECT_EQ(rows[2].client, b.codes[3]);
    EXPECT_EQ(rows[3].client, b.codes[0]);
    EXPECT_EQ(tier_string(rows), "AABC");
    EXPECT_EQ(rows[0].billings, cny("400"));
    EXPECT_EQ(rows[0].share.to_string(), "0.4000");
    EXPECT_EQ(rows[1].cumulative_share.to_string(), "0.7000");
    EXPECT_EQ(rows[2].cumulative_share.to_string(), "0.9000");
    EXPECT_EQ(rows[3].cumulative_share.to_string(), "1.0000");
    EXPECT_EQ(rows[0].visits(), aecore::VisitOwner::SeniorManagement);
    EXPECT_EQ(rows[2].visits(), aecore::VisitOwner::AM);
    EXPECT_EQ(rows[3].visits(), aecore::VisitOwner::AE);
    EXPECT_EQ(rows[0].payment_terms(), aecore::PaymentTerms::Credit);
    EXPECT_EQ(rows[2].payment_terms(), aecore::PaymentTerms::Deposit);
    EXPECT_EQ(rows[3].payment_terms(), aecore::PaymentTerms::Prepayment);
}

TEST(Tiering, ExactlyFiftyPercentIsEnoughForA) {
    TierBook b({"50", "30", "20"});
    EXPECT_EQ(tier_string(b.tiers()), "ABC");
    TierBook big({"60", "25", "10", "5"});  // one client alone holds 60 %
    EXPECT_EQ(tier_string(big.tiers()), "ABCC");
    TierBook spread({"20", "20", "20", "20", "20"});  // 20 % each: A A A (60 %), B (80 %), C
    EXPECT_EQ(tier_string(spread.tiers()), "AAABC");
}

TEST(Tiering, ZeroBillingsAreTierC) {
    TierBook b({"0", "100", "0"});
    const auto rows = b.tiers();
    EXPECT_EQ(tier_string(rows), "ACC");
    EXPECT_EQ(rows[1].share.to_string(), "0.0000");
    TierBook none({"0", "0"});
    const auto all_zero = none.tiers();
    EXPECT_EQ(tier_string(all_zero), "CC");
    EXPECT_EQ(all_zero[0].share.to_string(), "0.0000");
    EXPECT_EQ(all_zero[0].client, none.codes[0]);  // ties by code
}

TEST(Tiering, TiesAreBrokenByClientCode) {
    TierBook b({"100", "100", "100", "100"});
    const auto rows = b.tiers();
    for (std::size_t i = 0; i < rows.size(); ++i) EXPECT_EQ(rows[i].client, b.codes[i]);
    EXPECT_EQ(tier_string(rows), "AABB");  // 25 50 | 75 100: the fourth starts at 75 % < 80 %
    // by code, not by registration order: ZZ is registered first but sorts last
    Agency other = staffed_agency();
    ExplicitBilling billing{aecore::Currency("CNY")};
    const std::string zz = other.register_client(client_spec("Zed", "ZZ", "CD", Date(2026, 1, 5))).code;
    const std::string aa = other.register_client(client_spec("Ay", "AA", "CD", Date(2026, 1, 5))).code;
    const std::string mm = other.register_client(client_spec("Em", "MM", "CD", Date(2026, 1, 5))).code;
    billing.set_billings(zz, cny("100"));
    billing.set_billings(aa, cny("100"));
    billing.set_billings(mm, cny("0"));
    const auto tied = other.tiers(Date(2026, 12, 31), billing);
    ASSERT_EQ(tied.size(), 3u);
    EXPECT_EQ(tied[0].client, aa);  // CD-202601-AA-002
    EXPECT_EQ(tied[1].client, zz);  // CD-202601-ZZ-001
    EXPECT_EQ(tied[2].client, mm);
    EXPECT_EQ(tier_string(tied), "ABC");  // the tie decides who is A
    EXPECT_EQ(other.tiers(Date(2026, 12, 31), billing), tied) << "deterministic";
}

TEST(Tiering, MoreThan90DaysOverdueDropsAToB) {
    TierBook b({"400", "300", "200", "100"});
    b.billing.set_days_overdue(b.codes[0], 91);
    b.billing.set_days_overdue(b.codes[1], 90);   // exactly 90: stays A
    b.billing.set_days_overdue(b.codes[3], 400);  // C stays C
    const auto rows = b.tiers();
    EXPECT_EQ(tier_string(rows), "BABC");
    EXPECT_TRUE(rows[0].demoted);
    EXPECT_EQ(rows[0].days_overdue, 91);
    EXPECT_FALSE(rows[1].demoted);
    EXPECT_EQ(rows[1].days_overdue, 90);
    EXPECT_FALSE(rows[3].demoted);
    EXPECT_EQ(rows[3].tier, Tier::C);
}

TEST(Tiering, SharesHaveFourDecimalsRoundedHalfToEven) {
    TierBook b({"1", "1", "1"});  // a third each
    const auto rows = b.tiers();
    EXPECT_EQ(rows[0].share.to_string(), "0.3333");
    EXPECT_EQ(rows[0].share.scale(), 4);
    EXPECT_EQ(rows[1].cumulative_share.to_string(), "0.6667");
    EXPECT_EQ(rows[2].cumulative_share.to_string(), "1.0000");
    // 0.00005 exactly rounds to even: 1/20000 -> 0.0000, 3/20000 -> 0.0002
    TierBook half({"199.99", "0.01"});
    EXPECT_EQ(half.tiers()[1].share.to_string(), "0.0000");
    TierBook half3({"199.97", "0.03"});
    EXPECT_EQ(half3.tiers()[1].share.to_string(), "0.0002");
}

TEST(Tiering, ThresholdsAndOverdueLimitComeFromThePolicy) {
    TierBook b({"400", "300", "200", "100"});
    b.a.policy().set_tier_shares(Decimal::parse("0.3"), Decimal::parse("0.95"));
    EXPECT_EQ(tier_string(b.tiers()), "ABBB");  // 90 % before the last is still below 95 %
    b.a.policy().set_tier_shares(Decimal::parse("0.75"), Decimal::parse("0.9"));
    EXPECT_EQ(tier_string(b.tiers()), "AAAC");
    b.a.policy().set_tier_a_max_overdue_days(30);
    b.billing.set_days_overdue(b.codes[2], 31);
    EXPECT_EQ(tier_string(b.tiers()), "AABC");
}

TEST(Tiering, ArchivedClientsAreLeftOut) {
    TierBook b({"400", "300", "200", "100"});
    b.a.archive_client(b.codes[0]);
    const auto rows = b.tiers();
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0].client, b.codes[1]);
    EXPECT_EQ(rows[0].share.to_string(), "0.5000");
    EXPECT_EQ(tier_string(rows), "ABC");
}

TEST(Tiering, ClientsNotYetMetOnAsOfAreLeftOut) {
    TierBook b({"400", "300"});
    const std::string later = b.a.register_client(client_spec("Later", "LATER", "CD", Date(2027, 2, 1))).code;
    b.billing.set_billings(later, cny("1000"));
    const auto rows = b.tiers();  // as of 2026-12-31
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].client, b.codes[0]);
    EXPECT_EQ(rows[0].share.to_string(), "0.5714");
    const auto next_year = b.a.tiers(Date(2027, 2, 1), b.billing);
    ASSERT_EQ(next_year.size(), 3u);
    EXPECT_EQ(next_year[0].client, later);
}

TEST(Tiering, BillingsInAnotherCurrencyAreRefused) {
    TierBook b({"1"});
    try {
        b.billing.set_billings(b.codes[0], Money::parse("1", "USD"));
        FAIL() << "accepted";
    } catch (const ValidationError& e) {
        EXPECT_EQ(e.rule(), "MB-1");
    }
    try {
        b.billing.set_days_overdue(b.codes[0], -1);
        FAIL() << "accepted";
    } catch (const ValidationError& e) {
        EXPECT_EQ(e.rule(), "CL-5");
    }
    ExplicitBilling usd{aecore::Currency("USD")};
    usd.set_billings(b.codes[0], Money::parse("1", "USD"));
    try {
        (void)b.a.tiers(Date(2026, 12, 31), usd);
        FAIL() << "accepted";
    } catch (const ValidationError& e) {
        EXPECT_EQ(e.rule(), "MB-1");
        EXPECT_NE(std::string(e.what()).find(b.codes[0]), std::string::npos);
    }
}

}  // namespace
