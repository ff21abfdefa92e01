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

namespace {

using aecore::Agency;
using Json = nlohmann::ordered_json;

// A synthetic book (every entry kind, reversals, payments, time costs) plus a few entries
// whose references need escaping or are not ASCII.
Agency book() {
    aecore::SyntheticSpec spec;
    spec.clients = 3;
    spec.jobs_per_client = 4;
    spec.entries = 400;
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

TEST(StreamingJson, TheTextIsNlohmannsOwnDumpOfTheDocument) {
    const Agency a = book();
    const std::string text = a.to_json();
    EXPECT_NE(text.find("quote \\\" and backslash \\\\"), std::string::npos);
    EXPECT_NE(text.find("广告 公司"), std::string::npos);
    EXPECT_EQ(Json::parse(text).dump(2, ' ', false) + "\n", text);
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
    std::string expected;
    try {
        const Json parsed = Json::parse(text);
        (void)parsed;
    } catch (const Json::parse_error& e) {
        expected = e.what();
    }
    ASSERT_FALSE(expected.empty());
    const std::string message = document_error(text);
    EXPECT_NE(message.find("not valid JSON"), std::string::npos) << message;
    EXPECT_NE(message.find(expected), std::string::npos) << message;
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

}  // namespace
