// The streaming writer and the element-by-element reader of big books (issue #9):
// the text is exactly nlohmann's dump of the same document, every way of writing an
// entry that JSON allows reads the same, and errors inside the big arrays are reported
// where they are, as they would be from a whole-document parse.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "aecore/agency.hpp"
#include "aecore/error.hpp"
#include "aecore/synthetic.hpp"
#include "book_fixtures.hpp"
#include "json_io.hpp"

namespace {

using aecore::Agency;
using Json = nlohmann::ordered_json;

// A synthetic book (every entry kind, reversals, payments, time costs) plus a few entries
// whose references need escaping or are not ASCII.
Agency book(std::size_t entries = 400) {
    aecore::SyntheticSpec spec;
    spec.clients = 3;
    spec.jobs_per_client = 4;
    spec.entries = entries;
    spec.seed = 7;
    Agency a = aecore::synthetic_agency(spec);
    for (const aecore::LedgerEntry& e : a.ledger_entries()) {
        if (e.kind != aecore::EntryKind::ActualCost || !e.job || e.time_entry || e.reverses) continue;
        for (const char* reference : {"quote \" and backslash \\ and slash /", "广告 公司 — ünïcode", "tab\tnew"}) {
            try {
                (void)a.record_cost({*e.job, e.date, aecore::Money::parse("0.01", a.currency()), reference, e.recorded_by});
            } catch (const aecore::ValidationError&) {
                // a reference the ledger refuses (control characters) is not written at all
            }
        }
        break;
    }
    return a;
}

std::string document_error(const std::string& text) {
    try {
        (void)Agency::from_json(text);
    } catch (const aecore::SchemaError& e) {
        return e.what();
    }
    return "no error";
}

// What nlohmann's own parser says of a document ("" when it parses).
std::string nlohmann_error(const std::string& text) {
    try {
        const Json parsed = Json::parse(text);
        (void)parsed;
    } catch (const Json::parse_error& e) {
        return e.what();
    }
    return "";
}

TEST(StreamingJson, TheTextIsNlohmannsOwnDumpOfTheDocument) {
    const Agency a = book();
    const std::string text = a.to_json();
    EXPECT_NE(text.find("quote \\\" and backslash \\\\"), std::string::npos);
    EXPECT_NE(text.find("广告 公司"), std::string::npos);
    EXPECT_EQ(Json::parse(text).dump(2, ' ', false) + "\n", text);
}

// More than 16,384 entries: a helper thread formats every other block of 8,192 entries.
// The escaped references come last, in a block of the helper's.
TEST(StreamingJson, ALedgerWrittenInBlocksOnTwoThreadsIsStillNlohmannsDump) {
    const Agency a = book(25000);
    ASSERT_GT(a.ledger_size(), std::size_t{3} * 8192);
    ASSERT_LT(a.ledger_size(), std::size_t{4} * 8192);
    const std::string text = a.to_json();
    EXPECT_NE(text.find("quote \\\" and backslash \\\\"), std::string::npos);
    EXPECT_EQ(Json::parse(text).dump(2, ' ', false) + "\n", text);
    const auto path = std::filesystem::temp_directory_path() / "aecore-streaming-blocks.json";
    a.save(path);
    std::ifstream in(path, std::ios::binary);
    const std::string saved((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::filesystem::remove(path);
    EXPECT_EQ(saved, text);
}

TEST(StreamingJson, SaveWritesWhatToJsonReturns) {
    const Agency a = book();
    const auto path = std::filesystem::temp_directory_path() / "aecore-streaming-save.json";
    a.save(path);
    std::ifstream in(path, std::ios::binary);
    const std::string on_disk((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::filesystem::remove(path);
    EXPECT_EQ(on_disk, a.to_json());
}

TEST(StreamingJson, EveryValidSpellingOfTheDocumentReadsTheSame) {
    const std::string text = book().to_json();
    const Json doc = Json::parse(text);
    // Compact, wider indentation, \u escapes for everything outside ASCII: the readers'
    // fast path takes none of these for some entries, the general path reads them.
    for (const std::string& other : {doc.dump(), doc.dump(4), doc.dump(-1, ' ', true), doc.dump(1, '\t', true)})
        EXPECT_EQ(Agency::from_json(other).to_json(), text);
    // Keys in another order, and optional keys written as null.
    Json reordered = doc;
    for (Json& entry : reordered["ledger"]) {
        Json flipped = Json::object();
        std::vector<std::pair<std::string, Json>> members;
        for (const auto& [key, value] : entry.items()) members.emplace_back(key, value);
        for (auto m = members.rbegin(); m != members.rend(); ++m) flipped[m->first] = m->second;
        if (!flipped.contains("due")) flipped["due"] = nullptr;
        entry = flipped;
    }
    EXPECT_EQ(Agency::from_json(reordered.dump(2)).to_json(), text);
}

TEST(StreamingJson, ASyntaxErrorInsideTheLedgerIsPlacedInTheDocument) {
    std::string text = book().to_json();
    const auto at = text.find("\"kind\": ", text.find("\"ledger\": ["));
    ASSERT_NE(at, std::string::npos);
    text.replace(at, 8, "\"kind\" ");  // the colon is gone
    const std::string expected = nlohmann_error(text);
    ASSERT_FALSE(expected.empty());
    const std::string message = document_error(text);
    EXPECT_NE(message.find("not valid JSON"), std::string::npos) << message;
    EXPECT_NE(message.find(expected), std::string::npos) << message;
}

// What reading a document does: its book again, or the error it throws.
std::string outcome(const std::string& text) {
    try {
        return Agency::from_json(text).to_json();
    } catch (const aecore::Error& e) {
        return std::string("error: ") + e.what();
    }
}

// The ledger's fast scanner reads an amount and a date without the general reader's
// parse; every spelling below must come out as that reader has it (the same book or the
// same error), the scanner's own check of the canonical form deciding only which path
// reads the entry. The general path is forced by an escape in the same entry.
TEST(StreamingJson, AmountsAndDatesReadTheSameOnTheScannerAndTheGeneralPath) {
    const std::string text = book().to_json();
    const std::size_t entry = text.find("\"kind\": \"ActualCost\"", text.find("\"ledger\": ["));
    ASSERT_NE(entry, std::string::npos);
    const std::size_t amount = text.find("\"amount\": \"", entry) + 11;
    const std::size_t amount_end = text.find('"', amount);
    const std::size_t date = text.find("\"date\": \"", entry) + 9;
    const std::size_t recorder = text.find("\"recorded_by\": \"S", entry) + 16;
    ASSERT_LT(amount_end, recorder);
    const auto both = [&](std::size_t at, std::size_t len, const std::string& value) {
        std::string plain = text;
        plain.replace(at, len, value);
        std::string escaped = plain;
        escaped.replace(recorder + (plain.size() - text.size()), 1, "\\u0053");
        return std::pair{outcome(plain), outcome(escaped)};
    };
    int accepted = 0;
    for (const std::string amount_text :
         {"0.01", "1.50", "-0.05", "10.00", "1234567.89", "0.00", "-0.00", "00.05", "01.50", "+1.50", "1.5", "1.500",
          "15", ".50", "1.", "-", "", "1,50", "1.5a", " 1.50", "92233720368547758.07", "92233720368547758.08",
          "-92233720368547758.08", "100000000000000000000.00", "1e2", "0x10"}) {
        const auto [scanned, general] = both(amount, amount_end - amount, amount_text);
        EXPECT_EQ(scanned, general) << "amount " << amount_text;
        const bool valid = amount_text == "0.01" || amount_text == "1.50" || amount_text == "10.00" || amount_text == "1234567.89";
        if (valid) {
            EXPECT_EQ(scanned.rfind("error: ", 0), std::string::npos) << amount_text << ": " << scanned;
        }
        accepted += scanned.rfind("error: ", 0) != 0;
    }
    EXPECT_EQ(accepted, 4);  // a cost is positive, in cents, written canonically
    // The scanner reads again the date it read last; a date one digit away must not be taken for it.
    const std::string day = text.substr(date, 10);
    for (const std::string& other : {day, day.substr(0, 9) + (day[9] == '1' ? "2" : "1"), std::string("2025-02-29"),
                                    std::string("2024-02-29"), std::string("2025-13-01"), std::string("2025-1-01")}) {
        const auto [scanned, general] = both(date, 10, other);
        EXPECT_EQ(scanned, general) << "date " << other;
    }
}

// 600 job tickets and as many estimates, each element of the lists read (and checked)
// from the document text on its own; lists of more than 256 KiB of text (the tickets
// here) are parsed on two threads, whichever gets to an element first, so each case
// below is run on two neighbouring elements.
const std::string& many_jobs_text() { return book::many_tickets_text(); }

// The position of the n-th occurrence of `what` after `from`.
std::size_t nth(const std::string& text, const std::string& what, std::size_t from, int n) {
    std::size_t at = from;
    for (int k = 0; k <= n; ++k) at = text.find(what, at + 1);
    return at;
}

TEST(StreamingJsonLists, ManyJobsReadBackByteForByte) {
    const std::string& text = many_jobs_text();
    const Agency a = Agency::from_json(text);
    ASSERT_EQ(a.jobs().size(), 600u);
    EXPECT_EQ(a.to_json(), text);
}

TEST(StreamingJsonLists, ABadJobDeepInTheListIsNamedByItsPath) {
    const std::size_t jobs = many_jobs_text().find("\"jobs\": [");
    ASSERT_GT(many_jobs_text().find("\"time_entries\": [") - jobs, std::size_t{256} << 10) << "parsed on one thread";
    for (const int n : {550, 551}) {
        std::string text = many_jobs_text();
        text.replace(nth(text, "\"client\": \"", jobs, n), 11, "\"client\": \"NOPE");
        const std::string message = document_error(text);
        EXPECT_NE(message.find("/jobs/" + std::to_string(n) + "/client"), std::string::npos) << message;
        EXPECT_NE(message.find("no such client"), std::string::npos) << message;
    }
}

TEST(StreamingJsonLists, ASyntaxErrorIsReportedOnlyAfterTheElementsBefore) {
    const std::string& good = many_jobs_text();
    const std::size_t jobs = good.find("\"jobs\": [");
    for (const int n : {540, 541}) {
        // job n has no colon after "title": a syntax error, placed in the document
        std::string syntax = good;
        const std::size_t title = nth(syntax, "\"title\": ", jobs, n);
        syntax.replace(title, 9, "\"title\" ");
        const std::string expected = nlohmann_error(syntax);
        ASSERT_FALSE(expected.empty());
        const std::string message = document_error(syntax);
        EXPECT_NE(message.find(expected), std::string::npos) << n << ": " << message;
        // and a job before it names an unknown client: that error comes first
        for (const int earlier : {n - 20, n - 1}) {
            std::string both = syntax;
            both.replace(nth(both, "\"client\": \"", jobs, earlier), 11, "\"client\": \"NOPE");
            const std::string first = document_error(both);
            EXPECT_NE(first.find("/jobs/" + std::to_string(earlier) + "/client"), std::string::npos) << first;
        }
    }
}

TEST(StreamingJson, ATruncatedBookIsASchemaError) {
    const std::string text = book().to_json();
    for (const std::size_t keep : {text.size() / 3, text.find("\"ledger\": [") + 40, text.size() - 5}) {
        const std::string message = document_error(text.substr(0, keep));
        EXPECT_NE(message.find("not valid JSON"), std::string::npos) << keep << ": " << message;
    }
}

TEST(StreamingJson, ADuplicateKeyInALedgerEntryIsNamedByItsPath) {
    Json doc = Json::parse(book().to_json());
    std::string text = doc.dump(2);
    // Entry 2 gets its amount twice.
    std::size_t at = text.find("\"ledger\": [");
    for (int i = 0; i <= 2; ++i) at = text.find("\"amount\": ", at + 1);
    text.insert(at, "\"amount\": \"1.00\",\n      ");
    try {
        (void)Agency::from_json(text);
        FAIL() << "accepted a duplicate key";
    } catch (const aecore::SchemaError& e) {
        EXPECT_EQ(e.field(), "/ledger/2/amount");
        EXPECT_NE(std::string(e.what()).find("a key appears twice"), std::string::npos) << e.what();
    }
}

TEST(StreamingJson, AnEntryThatDisagreesWithTheBookIsNamedByItsPath) {
    Json doc = Json::parse(book().to_json());
    doc["ledger"][5]["recorded_by"] = "S9999";
    try {
        (void)Agency::from_json(doc.dump(2));
        FAIL() << "accepted an unknown recorder";
    } catch (const aecore::SchemaError& e) {
        EXPECT_EQ(e.field().rfind("/ledger/5", 0), 0u) << e.field();
        EXPECT_NE(std::string(e.what()).find("S9999"), std::string::npos) << e.what();
    }
    Json amount = Json::parse(book().to_json());
    amount["ledger"][7]["amount"] = "12.5";  // not canonical
    try {
        (void)Agency::from_json(amount.dump(2));
        FAIL() << "accepted a non-canonical amount";
    } catch (const aecore::SchemaError& e) {
        EXPECT_EQ(e.field(), "/ledger/7/amount");
    }
}

TEST(StreamingJson, AnErrorFoundAfterTheLedgerNamesItsEntry) {
    // An Estimate entry repeated is found once the whole ledger is read (the entries
    // must be exactly the approvals, MB-2); the error still names an entry by its path.
    Json doc = Json::parse(book().to_json());
    std::size_t carried = doc["ledger"].size();
    for (std::size_t i = 0; i < doc["ledger"].size(); ++i)
        if (doc["ledger"][i]["kind"] == "Estimate") carried = i;
    ASSERT_LT(carried, doc["ledger"].size()) << "the synthetic book has no Estimate entry";
    doc["ledger"].push_back(doc["ledger"][carried]);
    char id[16];
    std::snprintf(id, sizeof id, "L%08zu", doc["ledger"].size());
    doc["ledger"].back()["id"] = id;
    try {
        (void)Agency::from_json(doc.dump(2));
        FAIL() << "accepted an approval posted twice";
    } catch (const aecore::SchemaError& e) {
        EXPECT_EQ(std::string(e.field()).rfind("/ledger/", 0), 0u) << e.what();
        EXPECT_NE(std::string(e.what()).find("MB-2"), std::string::npos) << e.what();
    }
}

// A ledger of more than 4 MiB of text is cut and scanned on a second thread, a few
// batches ahead of the replay: the same book, and the same errors in the same order.
aecore::SyntheticSpec big_spec() {
    aecore::SyntheticSpec spec;
    spec.clients = 40;
    spec.jobs_per_client = 6;
    spec.entries = 20000;
    spec.seed = 11;
    return spec;
}

const std::string& big_text() {
    static const std::string text = aecore::synthetic_agency(big_spec()).to_json();
    return text;
}

std::size_t ledger_bytes(const std::string& text) {
    const std::size_t from = text.find("\"ledger\": [");
    return text.find("\n  ],\n", from) - from;
}

TEST(StreamingJsonScanThread, ABigLedgerReadsBackByteForByte) {
    const std::string& text = big_text();
    ASSERT_GT(ledger_bytes(text), std::size_t{1} << 22) << "too small to be scanned on a second thread";
    EXPECT_EQ(Agency::from_json(text).to_json(), text);
    // Every other entry spelled in a way the scanner leaves to the general path (an
    // escaped character): those are read from their own DOM between scanned ones.
    std::string escaped = text;
    bool flip = false;
    for (std::size_t at = escaped.find("\"recorded_by\": \"S", escaped.find("\"ledger\": [")); at != std::string::npos;
         at = escaped.find("\"recorded_by\": \"S", at + 1)) {
        if ((flip = !flip)) escaped.replace(at + 16, 1, "\\u0053");
    }
    ASSERT_NE(escaped, text);
    EXPECT_EQ(Agency::from_json(escaped).to_json(), text);
}

TEST(StreamingJsonScanThread, AnEntryDeepInABigLedgerIsNamedByItsPath) {
    Json doc = Json::parse(big_text());
    const std::size_t late = doc["ledger"].size() - 3;
    doc["ledger"][late]["recorded_by"] = "S9999";
    try {
        (void)Agency::from_json(doc.dump(2));
        FAIL() << "accepted an unknown recorder";
    } catch (const aecore::SchemaError& e) {
        EXPECT_EQ(e.field().rfind("/ledger/" + std::to_string(late), 0), 0u) << e.field();
        EXPECT_NE(std::string(e.what()).find("S9999"), std::string::npos) << e.what();
    }
}

TEST(StreamingJsonScanThread, AJobEntryThatNamesAnotherClientOrJobDeepInABigLedgerIsRejected) {
    // The scanning thread looks the entry's job and client up; the replay compares the
    // row it posted with them by index. Another real client, an unknown one, or another
    // client's job must each be named as the mismatch they are.
    const Json golden = Json::parse(big_text());
    const Json& ledger = golden["ledger"];
    std::size_t late = ledger.size();
    for (std::size_t i = ledger.size() - 1; i > ledger.size() / 2; --i)
        if (ledger[i]["kind"] == "Commitment" && !ledger[i].contains("reverses")) {
            late = i;
            break;
        }
    ASSERT_LT(late, ledger.size()) << "no commitment in the second half of the ledger";
    const std::string client = ledger[late]["client"].get<std::string>();
    std::string other_client, other_job;
    for (const Json& e : ledger)
        if (e["client"] != client && e["job"].is_string()) {
            other_client = e["client"].get<std::string>();
            other_job = e["job"].get<std::string>();
            break;
        }
    ASSERT_FALSE(other_client.empty());
    const auto rejected = [&](const char* key, const Json& value, const std::string& field) {
        Json doc = golden;
        doc["ledger"][late][key] = value;
        try {
            (void)Agency::from_json(doc.dump(2));
            ADD_FAILURE() << "accepted " << key << " = " << value.dump();
        } catch (const aecore::Error& e) {
            const std::string what = e.what();
            EXPECT_NE(what.find("/ledger/" + std::to_string(late)), std::string::npos) << what;
            EXPECT_NE(what.find(field), std::string::npos) << what;
        }
    };
    rejected("client", other_client, "entry.client");
    rejected("client", "CD-209901-NONE-999", "entry.client");
    rejected("job", other_job, "entry.client");  // the other job's client is not the stored one
}

TEST(StreamingJsonScanThread, AnEarlierBadEntryIsReportedBeforeALaterSyntaxError) {
    // The scanning thread finds the syntax error near the end long before the replay
    // reaches entry 100; the replay's error still comes first, as in document order.
    Json doc = Json::parse(big_text());
    doc["ledger"][100]["recorded_by"] = "S9999";
    std::string text = doc.dump(2);
    const std::size_t late = text.rfind("\"kind\": ", text.rfind("\"rubrics\""));
    text.replace(late, 8, "\"kind\" ");  // a colon gone in one of the last entries
    try {
        (void)Agency::from_json(text);
        FAIL() << "accepted a broken document";
    } catch (const aecore::SchemaError& e) {
        EXPECT_EQ(e.field().rfind("/ledger/100", 0), 0u) << e.what();
    }
    // Alone, the syntax error is reported where nlohmann places it.
    doc["ledger"][100]["recorded_by"] = Json::parse(big_text())["ledger"][100]["recorded_by"];
    text = doc.dump(2);
    text.replace(text.rfind("\"kind\": ", text.rfind("\"rubrics\"")), 8, "\"kind\" ");
    const std::string expected = nlohmann_error(text);
    ASSERT_FALSE(expected.empty());
    const std::string message = document_error(text);
    EXPECT_NE(message.find(expected), std::string::npos) << message;
}

TEST(StreamingJsonScanThread, ATruncatedBigLedgerIsASchemaError) {
    const std::string& text = big_text();
    const std::size_t from = text.find("\"ledger\": [");
    for (const std::size_t keep : {from + ledger_bytes(text) / 2, from + ledger_bytes(text) - 3}) {
        const std::string message = document_error(text.substr(0, keep));
        EXPECT_NE(message.find("not valid JSON"), std::string::npos) << keep << ": " << message;
    }
}

// A big ledger's rows are indexed by client and month after the replay, all at once. The
// loaded book answers every client-month question as the book it was saved from, whose
// rows were indexed one posting at a time (in random date order).
TEST(StreamingJsonScanThread, ABigLoadedBookFindsEveryRowByClientAndMonth) {
    const Agency posted = aecore::synthetic_agency(big_spec());
    const Agency loaded = Agency::from_json(big_text());
    ASSERT_EQ(loaded.ledger_size(), posted.ledger_size());
    for (const aecore::Client& c : posted.clients()) {
        EXPECT_EQ(loaded.ledger_entries(c.code), posted.ledger_entries(c.code)) << c.code;
        for (int year = 2016; year <= 2026; ++year)
            for (int month = 1; month <= 12; month += 5) {
                const aecore::ReconciliationReport a = loaded.reconcile(c.code, {year, month});
                const aecore::ReconciliationReport b = posted.reconcile(c.code, {year, month});
                EXPECT_EQ(a.rows, b.rows) << c.code << " " << year << "-" << month;
                EXPECT_EQ(a.total, b.total) << c.code << " " << year << "-" << month;
            }
    }
    const aecore::Date as_of(2021, 6, 30);
    EXPECT_EQ(loaded.aging(as_of).rows, posted.aging(as_of).rows);
}

// From 65,536 rows the loader builds the month index on two threads, each for clients of
// its own (the first two thirds on a helper while the replay's checks run here, the rest
// here after them): every client's every month must be found, on both sides of the split.
TEST(StreamingJsonScanThread, AHugeLoadedBookFindsEveryRowOfEveryClientsMonths) {
    aecore::SyntheticSpec spec = big_spec();
    spec.entries = 70000;
    const Agency posted = aecore::synthetic_agency(spec);
    ASSERT_GE(posted.ledger_size(), std::size_t{1} << 16) << "too small to be indexed on two threads";
    const Agency loaded = Agency::from_json(posted.to_json());
    ASSERT_EQ(loaded.ledger_size(), posted.ledger_size());
    int found = 0;
    for (const aecore::Client& c : posted.clients())
        for (int year = 2015; year <= 2027; ++year)
            for (int month = 1; month <= 12; ++month) {
                const aecore::ReconciliationReport a = loaded.reconcile(c.code, {year, month});
                const aecore::ReconciliationReport b = posted.reconcile(c.code, {year, month});
                ASSERT_EQ(a.rows, b.rows) << c.code << " " << year << "-" << month;
                ASSERT_EQ(a.total, b.total) << c.code << " " << year << "-" << month;
                found += !b.rows.empty();
            }
    EXPECT_GT(found, 40 * 12);  // months with rows, for every client
}

// A payment dated before later events of its invoice is checked against the open balance
// on each day since, which the month index gives: a loader that indexes in bulk must index
// what came before first. Here a later payment was reversed, so the balance today is
// ample while it was nil on the day of that payment. 20,000 rows precede these.
TEST(StreamingJsonScanThread, ABackdatedPaymentDeepInABigLedgerIsCheckedAgainstEveryEarlierRow) {
    Agency a = aecore::synthetic_agency(big_spec());
    const std::string who = a.ledger_entries().back().recorded_by;
    std::string job;
    for (const aecore::JobTicket& j : a.jobs())
        if (j.status != aecore::TicketStatus::Cancelled) job = j.number;
    auto money = [&](const char* text) { return aecore::Money::parse(text, a.currency()); };
    const aecore::Date day(2026, 3, 2);
    using boost::gregorian::days;
    (void)a.issue_invoice({"INV-BACKDATED", job, std::nullopt, std::nullopt, day, day + days(30), money("100.00"), who});
    const aecore::LedgerEntry paid = a.record_payment({"INV-BACKDATED", day + days(20), money("60.00"), "BANK", who});
    (void)a.reverse_entry(paid.id, day + days(30), "bounced", who);
    (void)a.record_payment({"INV-BACKDATED", day + days(10), money("40.00"), "BANK", who});  // nil on day 20
    ASSERT_EQ(a.open_balance("INV-BACKDATED"), money("60.00"));
    const std::string text = a.to_json();
    Agency loaded = Agency::from_json(text);
    EXPECT_EQ(loaded.to_json(), text);
    // Both refuse another payment before day 20, though 60.00 is open today.
    const aecore::NewPayment over{"INV-BACKDATED", day + days(5), money("10.00"), "BANK", who};
    for (Agency* book : {&a, &loaded}) {
        try {
            (void)book->record_payment(over);
            ADD_FAILURE() << "accepted a payment that overpays the invoice on day 20";
        } catch (const aecore::ValidationError& e) {
            EXPECT_NE(std::string(e.what()).find("more than the open balance 0.00"), std::string::npos) << e.what();
        }
    }
    // A file whose backdated payment overpaid the invoice on day 20 is refused, naming it.
    Json doc = Json::parse(text);
    const std::size_t backdated = doc["ledger"].size() - 1;
    ASSERT_EQ(doc["ledger"][backdated]["amount"], "40.00");
    doc["ledger"][backdated]["amount"] = "50.00";
    try {
        (void)Agency::from_json(doc.dump(2));
        FAIL() << "accepted a payment that overpays its invoice on a later day";
    } catch (const aecore::SchemaError& e) {
        EXPECT_EQ(e.field().rfind("/ledger/" + std::to_string(backdated), 0), 0u) << e.field();
        EXPECT_NE(std::string(e.what()).find("more than the open balance 40.00"), std::string::npos) << e.what();
    }
}

// A ledger of 256 MiB or more is not cut before it is read: its end is looked for from the
// document's end, past the small members after it, and the ledger's reader confirms it. The
// thresholds are lowered here so that a test-sized book takes that path.
class FromTheBack {
public:
    FromTheBack(std::size_t from, std::size_t big)
        : from_(aecore::json_io::ledger_from_the_back.from), big_(aecore::json_io::ledger_from_the_back.big) {
        aecore::json_io::ledger_from_the_back.from = from;
        aecore::json_io::ledger_from_the_back.big = big;
    }
    FromTheBack(const FromTheBack&) = delete;
    FromTheBack& operator=(const FromTheBack&) = delete;
    ~FromTheBack() {
        aecore::json_io::ledger_from_the_back.from = from_;
        aecore::json_io::ledger_from_the_back.big = big_;
    }
    static std::size_t taken() { return aecore::json_io::ledger_from_the_back.taken; }
    static std::size_t retried() { return aecore::json_io::ledger_from_the_back.retried; }
    static std::size_t gave_up() { return aecore::json_io::ledger_from_the_back.gave_up; }

private:
    std::size_t from_, big_;
};

constexpr std::size_t kSmallMember = std::size_t{64} << 10;  // the test book's members after the ledger are smaller

TEST(StreamingJsonFromTheBack, ABigLedgerReadWithoutACutReadsBackByteForByte) {
    const FromTheBack knobs(0, kSmallMember);
    const std::string& text = big_text();
    const std::size_t taken = FromTheBack::taken(), retried = FromTheBack::retried();
    EXPECT_EQ(Agency::from_json(text).to_json(), text);
    EXPECT_EQ(FromTheBack::taken(), taken + 1);
    EXPECT_EQ(FromTheBack::retried(), retried);
    // The same through a file (mapped, its pages handed back as the reader passes them).
    const auto path = std::filesystem::temp_directory_path() / "aecore-from-the-back.json";
    {
        std::ofstream out(path, std::ios::binary);
        out << text;
    }
    EXPECT_EQ(Agency::load(path).to_json(), text);
    std::filesystem::remove(path);
    EXPECT_EQ(FromTheBack::retried(), retried);
}

// A big array after the ledger (the keys of a document may come in any order): the array
// found from the back is that one, the ledger's reader finds its own end elsewhere, and the
// document is read again, cut from the front.
TEST(StreamingJsonFromTheBack, ABigArrayAfterTheLedgerIsNotTakenForItsEnd) {
    const FromTheBack knobs(0, kSmallMember);
    const Json golden = Json::parse(big_text());
    Json moved = Json::object();
    for (const auto& [key, value] : golden.items())
        if (key != "estimates") moved[key] = value;
    moved["estimates"] = golden["estimates"];  // last, after the ledger
    ASSERT_GT(moved["estimates"].dump(2).size(), kSmallMember);
    const std::size_t taken = FromTheBack::taken(), retried = FromTheBack::retried();
    EXPECT_EQ(Agency::from_json(moved.dump(2)).to_json(), big_text());
    EXPECT_EQ(FromTheBack::taken(), taken + 1);
    EXPECT_EQ(FromTheBack::retried(), retried + 1);
}

// A member after the ledger that is no array and bigger than twice `big` (here the
// sequences, padded with whitespace): the search from the back gives up within that many
// bytes instead of reading back through it and the ledger, and the document is cut from
// the front. One bigger than `big` but not twice is passed.
TEST(StreamingJsonFromTheBack, TheSearchGivesUpOnAHugeObjectAfterTheLedger) {
    const FromTheBack knobs(0, kSmallMember);
    const std::string& text = big_text();
    const std::size_t sequences = text.find("\"sequences\": {");
    ASSERT_NE(sequences, std::string::npos);
    const std::size_t inside = sequences + std::string("\"sequences\": {").size();
    for (const std::size_t pad : {3 * kSmallMember, kSmallMember + kSmallMember / 2}) {
        const std::string padded = text.substr(0, inside) + std::string(pad, ' ') + text.substr(inside);
        const std::size_t taken = FromTheBack::taken(), retried = FromTheBack::retried(), gave_up = FromTheBack::gave_up();
        EXPECT_EQ(Agency::from_json(padded).to_json(), text) << pad;
        const bool over = pad > 2 * kSmallMember;
        EXPECT_EQ(FromTheBack::gave_up(), gave_up + (over ? 1 : 0)) << pad;
        EXPECT_EQ(FromTheBack::taken(), taken + (over ? 0 : 1)) << pad;
        EXPECT_EQ(FromTheBack::retried(), retried) << pad;
    }
}

// Whatever is wrong with a document, and wherever, it is refused with the error the
// document gives when cut from the front.
TEST(StreamingJsonFromTheBack, EveryErrorIsTheOneTheDocumentGivesReadInOrder) {
    const std::string& text = big_text();
    const std::size_t ledger = text.find("\"ledger\": [");
    const std::size_t tail = ledger + ledger_bytes(text);
    ASSERT_NE(text.find("\"sequences\"", tail), std::string::npos);
    const auto edited = [&](std::size_t at, const std::string& what, const std::string& with) {
        std::string copy = text;
        const std::size_t found = copy.find(what, at);
        EXPECT_NE(found, std::string::npos) << what;
        copy.replace(found, what.size(), with);
        return copy;
    };
    const std::size_t late_entry = text.rfind("\"recorded_by\": \"", tail);
    std::vector<std::pair<std::string, std::string>> cases = {
        {"an unknown recorder late in the ledger", edited(late_entry, "\"recorded_by\": \"", "\"recorded_by\": \"X")},
        {"a syntax error in the ledger", edited(ledger + ledger_bytes(text) / 2, "\"kind\": ", "\"kind\" ")},
        {"a bracket too many in the ledger", edited(ledger + ledger_bytes(text) / 2, "\"kind\": ", "\"kind\": [")},
        {"a bracket too few in the ledger", edited(ledger + ledger_bytes(text) / 2, "},", ",")},
        {"an unknown client key before the ledger", edited(0, "\"clients\": [\n    {", "\"clients\": [\n    {\"extra\": 1, ")},
        {"a syntax error in the sequences", edited(tail, "\"sequences\": {", "\"sequences\" {")},
        {"a wrong sequence after the ledger", edited(tail, "\"staff\": ", "\"staff\": 0, \"x\": ")},
        {"a truncated document", text.substr(0, text.size() - 40)},
        {"a document with a second top-level object", text + "{}"},
        {"a document ending in a bracket", text.substr(0, text.rfind('}')) + "]"},
    };
    // The estimates again after the ledger (a key twice, which the front's cut sees), big
    // enough to be taken for the ledger's end from the back.
    const std::size_t estimates = text.find("\"estimates\": [");
    const std::string again = text.substr(estimates, text.find(",\n  \"ledger\": [") - estimates);
    ASSERT_GT(again.size(), kSmallMember);
    ASSERT_EQ(text.substr(tail, 4), "\n  ]");
    cases.emplace_back("the estimates twice, again after the ledger", text.substr(0, tail + 4) + ",\n  " + again + text.substr(tail + 4));
    for (const auto& [what, bad] : cases) {
        std::string front, back;
        {
            const FromTheBack knobs(SIZE_MAX, kSmallMember);
            front = outcome(bad);
        }
        {
            const FromTheBack knobs(0, kSmallMember);
            back = outcome(bad);
        }
        EXPECT_EQ(back, front) << what;
        EXPECT_EQ(front.rfind("error: ", 0), 0u) << what << ": accepted";
    }
}

}  // namespace
