// Hostile documents and every fuzz input kept in tests/fuzz (corpus and regressions): each
// loads or is refused with an aecore error (SchemaError for documents, ValidationError for
// values) - never another exception, a crash or unbounded memory. Runs in the ordinary
// suite, without clang; scripts/fuzz.sh finds new inputs.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "aecore/agency.hpp"
#include "aecore/decimal.hpp"
#include "aecore/error.hpp"
#include "aecore/money.hpp"

namespace {

using aecore::Agency;
namespace fs = std::filesystem;

const fs::path kFuzzDir = fs::path(AECORE_TEST_DATA_DIR) / ".." / "fuzz";

std::string read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string golden() { return read(fs::path(AECORE_TEST_DATA_DIR) / "agency_v6.json"); }

// Loads or refuses with a SchemaError; returns whether it loaded.
bool loads(const std::string& text) {
    try {
        const Agency a = Agency::from_json(text);
        EXPECT_EQ(Agency::from_json(a.to_json()).to_json(), a.to_json());
        return true;
    } catch (const aecore::SchemaError& e) {
        EXPECT_FALSE(e.field().empty());
        EXPECT_NE(std::string(e.what()).find("[PS-1]"), std::string::npos) << e.what();
        return false;
    }
}

void expect_refused(const std::string& text, const std::string& why) {
    EXPECT_FALSE(loads(text)) << why;
}

TEST(HostileDocuments, DeepNestingIsRefusedWithoutExhaustingTheStack) {
    for (std::size_t depth : {1000u, 100000u, 1000000u})
        expect_refused(std::string(depth, '[') + std::string(depth, ']'), "nested arrays " + std::to_string(depth));
    std::string objects;
    for (int i = 0; i < 200000; ++i) objects += "{\"a\":";
    objects += "1" + std::string(200000, '}');
    expect_refused(objects, "nested objects");
}

TEST(HostileDocuments, HugeNumbersNaNAndNegativeZeroAreRefused) {
    const std::string doc = golden();
    const std::string key = "\"version\": 6";
    ASSERT_NE(doc.find(key), std::string::npos);
    for (const std::string v : {"1e999999", "-1e999999", "NaN", "Infinity", "-0", "6.0", "99999999999999999999999999",
                                 "-6", "\"6\"", "null", "true", "[6]"}) {
        std::string edited = doc;
        edited.replace(edited.find(key), key.size(), "\"version\": " + v);
        expect_refused(edited, "version " + v);
    }
}

TEST(HostileDocuments, AHundredMegabyteStringIsRefusedAndFreed) {
    std::string doc = golden();
    const std::string key = "\"name\": \"";
    const auto at = doc.find(key);
    ASSERT_NE(at, std::string::npos);
    doc.insert(at + key.size(), std::string(100u << 20, 'x'));
    expect_refused(doc, "a 100 MB agency name");
}

TEST(HostileDocuments, DuplicateKeysWrongTypesBadUtf8AndTruncationAreRefused) {
    const std::string doc = golden();
    expect_refused("{\"schema\": \"aecore.Agency\", \"schema\": \"aecore.Agency\", " + doc.substr(doc.find('{') + 1),
                   "a duplicate key");
    std::string wrong = doc;
    wrong.replace(wrong.find("\"staff\": ["), 10, "\"staff\": {");
    expect_refused(wrong, "staff as an object");
    std::string utf8 = doc;
    utf8.insert(utf8.find("\"name\": \"") + 9, "\xff\xfe\xc3\x28");
    expect_refused(utf8, "invalid UTF-8");
    for (std::size_t cut : {std::size_t{1}, doc.size() / 3, doc.size() / 2, doc.size() - 2})
        expect_refused(doc.substr(0, cut), "truncated at " + std::to_string(cut));
    expect_refused("", "an empty file");
    expect_refused(std::string("\0\0\0", 3), "NUL bytes");
}

TEST(FuzzInputs, EveryKeptDocumentLoadsOrIsRefused) {
    std::size_t seen = 0;
    for (const char* dir : {"corpus/agency", "regressions"})
        for (const auto& entry : fs::directory_iterator(kFuzzDir / dir)) {
            const std::string name = entry.path().filename().string();
            if (name == "README.md" || name.rfind("values-", 0) == 0) continue;
            (void)loads(read(entry.path()));
            ++seen;
        }
    EXPECT_GE(seen, 10u);
}

TEST(FuzzInputs, EveryKeptValueParsesOrIsRefused) {
    std::size_t seen = 0;
    for (const char* dir : {"corpus/values", "regressions"})
        for (const auto& entry : fs::directory_iterator(kFuzzDir / dir)) {
            const std::string name = entry.path().filename().string();
            if (std::string(dir) == "regressions" && name.rfind("values-", 0) != 0) continue;
            const std::string bytes = read(entry.path());
            if (bytes.empty()) continue;
            const std::string text = bytes.substr(1);
            try {
                switch (static_cast<unsigned char>(bytes[0]) % 3) {
                    case 0: (void)aecore::Money::parse(text, "CNY"); break;
                    case 1: (void)aecore::Decimal::parse(text); break;
                    default: (void)aecore::Currency(text); break;
                }
            } catch (const aecore::ValidationError&) {
            }
            ++seen;
        }
    EXPECT_GE(seen, 8u);
}

}  // namespace
