// json_text::parse_dom (internal: this test sees src/) reads most text on a fast path of
// its own and hands the rest to nlohmann's parser. Whichever path reads a text, the result
// must be nlohmann's: the same DOM with the same number types, the same syntax error, and a
// SchemaError for a key that appears twice in one object or for nesting deeper than 256.

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <unordered_set>
#include <vector>

#include "aecore/error.hpp"
#include "json_text.hpp"

namespace {

using aecore::json_text::Json;
using aecore::json_text::parse_dom;

// Whether a syntactically valid text has a key twice in one object, or nests deeper
// than parse_dom builds (what nlohmann's own parser accepts and parse_dom refuses).
struct Refused : nlohmann::json_sax<Json> {
    std::vector<std::unordered_set<std::string>> keys;  // one set per open container
    std::size_t depth = 0;
    bool duplicate = false, deep = false;
    bool null() override { return true; }
    bool boolean(bool) override { return true; }
    bool number_integer(number_integer_t) override { return true; }
    bool number_unsigned(number_unsigned_t) override { return true; }
    bool number_float(number_float_t, const string_t&) override { return true; }
    bool string(string_t&) override { return true; }
    bool binary(binary_t&) override { return true; }
    bool start_object(std::size_t) override { return open(); }
    bool key(string_t& k) override {
        duplicate = duplicate || !keys.back().insert(k).second;
        return true;
    }
    bool end_object() override { return close(); }
    bool start_array(std::size_t) override { return open(); }
    bool end_array() override { return close(); }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override { return false; }
    bool open() {
        keys.emplace_back();
        deep = deep || ++depth > 256;
        return true;
    }
    bool close() {
        keys.pop_back();
        --depth;
        return true;
    }
};

// Equal values of equal types all the way down (nlohmann's == takes 5u for 5).
bool same(const Json& a, const Json& b) {
    if (a.type() != b.type()) return false;
    if (a.is_object()) {
        if (a.size() != b.size()) return false;
        auto i = a.begin();
        auto j = b.begin();
        for (; i != a.end(); ++i, ++j)
            if (i.key() != j.key() || !same(*i, *j)) return false;
        return true;
    }
    if (a.is_array()) {
        if (a.size() != b.size()) return false;
        for (std::size_t k = 0; k < a.size(); ++k)
            if (!same(a[k], b[k])) return false;
        return true;
    }
    return a == b;
}

// Checks parse_dom(text) against nlohmann's parser; returns whether the text was valid.
bool check(const std::string& text) {
    Json expected;
    std::string expected_error;
    try {
        expected = Json::parse(text);
    } catch (const Json::exception& e) {
        expected_error = e.what();
    }
    Refused refused;
    if (expected_error.empty()) (void)Json::sax_parse(text, &refused);
    try {
        const Json got = parse_dom(text);
        EXPECT_TRUE(expected_error.empty()) << "accepted " << testing::PrintToString(text) << "; nlohmann: " << expected_error;
        EXPECT_FALSE(refused.duplicate || refused.deep) << "accepted " << testing::PrintToString(text);
        EXPECT_TRUE(same(got, expected)) << testing::PrintToString(text) << "\n got " << got.dump() << "\n not "
                                         << expected.dump();
    } catch (const aecore::SchemaError& e) {
        EXPECT_TRUE(expected_error.empty() && (refused.duplicate || refused.deep))
            << testing::PrintToString(text) << ": " << e.what() << "; nlohmann: " << expected_error;
    } catch (const Json::exception& e) {
        EXPECT_EQ(e.what(), expected_error) << testing::PrintToString(text);
    }
    return expected_error.empty();
}

TEST(JsonParse, ReadsEverySpellingAsNlohmannDoes) {
    const std::vector<std::string> texts = {
        // values of every kind, and white space of every kind around them
        R"({"a": 1, "b": [true, false, null], "c": {"d": "e"}})", " \t\r\n[ ] \n", "{}", "[]", "[[[]],{}]", "\"x\"", "0",
        "-1", "  17  ", "true", "null",
        // numbers: integer types by sign, the 18 digits the fast path reads and beyond, other forms
        "[0, 1, -1, 123456789012345678, -123456789012345678, 1234567890123456789, 18446744073709551615, "
        "18446744073709551616, -9223372036854775808, -9223372036854775809]",
        "[-0, 0.0, -0.0, 1.5, 1e3, 1E3, 1e-3, 2.5e+10, 1.0]", "[01]", "[-01]", "[1.]", "[.5]", "[+1]", "[1e]", "[-]",
        "[0x10]", "[1 2]", "[Infinity]", "[NaN]",
        // strings: escapes, \u escapes, surrogate pairs, UTF-8 of every length, what is not allowed
        R"(["a\"b", "c\\d", "e\/f", "\b\f\n\r\t", "\u0041\u00e9\u4e2d", "\ud83d\ude00", "\ud83d", "\x", "\u12"])",
        "[\"\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80\", \"\x7f\"]", "[\"tab\tin\"]", "[\"new\nline\"]",
        "[\"\xc0\xaf\"]", "[\"\xe0\x80\xaf\"]", "[\"\xed\xa0\x80\"]", "[\"\xf4\x90\x80\x80\"]", "[\"\xf5\x80\x80\x80\"]",
        "[\"\xc3\"]", "[\"\xe4\xb8\"]", "[\"\x80\"]", "[\"\xff\"]", "[\"abc", "\"0123456789abcdef0123456789\"",
        "\"0123456789abcdef\\\"0123456789\"", "\"0123456789abcde\xc3\xa9" "0123456789\"",
        // keys: twice in one object (refused), the same in different objects (fine), escaped
        R"({"a": 1, "a": 2})", R"({"a": {"a": 1}, "b": {"a": 2}})", R"({"a": 1, "\u0061": 2})", R"({"k\"": 1})",
        // structure errors
        "", " ", "{", "}", "[", "]", "[1,]", "[,1]", "{\"a\"}", "{\"a\" 1}", "{\"a\":}", "{\"a\":1,}", "{1: 2}", "[1]]",
        "[1] x", "{\"a\":1}{", "tru", "nulll", "[true false]",
        // a byte-order mark, which nlohmann skips
        "\xef\xbb\xbf[1]",
    };
    for (const std::string& text : texts) check(text);
    // An object of many keys (more than the fast path checks for itself).
    std::string many = "{";
    for (int k = 0; k < 100; ++k) many += (k ? ",\"k" : "\"k") + std::to_string(k) + "\":" + std::to_string(k);
    EXPECT_TRUE(check(many + "}"));
    check(many + ",\"k7\":0}");
    EXPECT_THROW((void)parse_dom(many + ",\"k7\":0}"), aecore::SchemaError);  // a duplicate among many
}

TEST(JsonParse, NestingUpTo256IsBuiltAndDeeperRefused) {
    for (const int depth : {255, 256, 257, 300}) {
        const std::string text = std::string(static_cast<std::size_t>(depth), '[') + std::string(static_cast<std::size_t>(depth), ']');
        check(text);
        if (depth <= 256) {
            const Json j = parse_dom(text);
            EXPECT_TRUE(j.is_array());
        } else {
            EXPECT_THROW((void)parse_dom(text), aecore::SchemaError);
        }
    }
}

TEST(JsonParse, RandomEditsOfADocumentReadAsNlohmannReadsThem) {
    const std::string base =
        R"({"number": "PD-201511-01", "kind": "Requisition", "parent": null, "amount": -1250, "units": 18446744073709551615,)"
        R"( "title": "Job \"0\" \u00e9 \u4e2d", "brief": {"deliverables": ["a", "b"], "budget": null, "ok": true},)"
        "\n  \"text\": \"\xe5\xb9\xbf\xe5\x91\x8a \xf0\x9f\x98\x80 plain ascii long enough for a block\", \"list\": [1, 2, [3, {}]]}";
    const std::string alphabet = std::string("\"\\{}[],:0123456789-.eEu tfn\n\t") + "\x80\xbf\xc3\xe0\xed\xf0\xf4\xff";
    std::mt19937 rng(20261207);
    int valid = 0;
    for (int round = 0; round < 4000; ++round) {
        std::string text = base;
        const int edits = 1 + static_cast<int>(rng() % 3);
        for (int e = 0; e < edits; ++e) {
            const std::size_t at = rng() % text.size();
            const char c = alphabet[rng() % alphabet.size()];
            switch (rng() % 3) {
                case 0: text[at] = c; break;
                case 1: text.insert(text.begin() + static_cast<std::ptrdiff_t>(at), c); break;
                default: text.erase(at, 1); break;
            }
        }
        valid += check(text);
        if (testing::Test::HasFailure()) break;
    }
    EXPECT_TRUE(check(base));
    EXPECT_GT(valid, 100);  // some edits keep the text valid JSON (in a string, a digit in a number)
}

// PrettyWriter writes, call by call, the text append_pretty writes for the same DOM (the
// ticket and estimate lists are written with it, and a book must be byte-identical to its
// DOM dump).
TEST(PrettyWriter, WritesWhatAppendPrettyWritesForTheSameValue) {
    const Json value = Json::parse(R"({"number": "PD-1", "empty": {}, "none": [], "rounds": -3,
        "lines": [{"a": 1, "b": [null, "x\"y", []]}, [[{}]], "last"], "note": null})");
    std::string expected;
    aecore::json_text::append_pretty(expected, value, 2);
    std::string out;
    aecore::json_text::PrettyWriter w(out, 2);
    w.begin_object();
    w.key("number"), w.string("PD-1");
    w.key("empty"), w.begin_object(), w.end_object();
    w.key("none"), w.begin_array(), w.end_array();
    w.key("rounds"), w.integer(-3);
    w.key("lines"), w.begin_array();
    w.begin_object(), w.key("a"), w.raw("1"), w.key("b"), w.begin_array(), w.null(), w.string("x\"y"), w.begin_array(),
        w.end_array(), w.end_array(), w.end_object();
    w.begin_array(), w.begin_array(), w.begin_object(), w.end_object(), w.end_array(), w.end_array();
    w.string("last");
    w.end_array();
    w.key("note"), w.opt_string(std::nullopt);
    w.end_object();
    EXPECT_EQ(out, expected);
}

TEST(PrettyWriter, RefusesToNestDeeperThanItsBoundOrToCloseWhatIsNotOpen) {
    std::string out;
    aecore::json_text::PrettyWriter w(out, 0);
    for (int i = 0; i < 16; ++i) w.begin_array();
    const std::string before = out;
    EXPECT_THROW(w.begin_array(), std::logic_error);
    EXPECT_THROW(w.begin_object(), std::logic_error);
    EXPECT_EQ(out, before);  // nothing written
    for (int i = 0; i < 16; ++i) w.end_array();
    Json nested = Json::array();  // 16 arrays, one in another
    for (int i = 1; i < 16; ++i) nested = Json::array({nested});
    std::string expected;
    aecore::json_text::append_pretty(expected, nested, 0);
    EXPECT_EQ(out, expected);
    EXPECT_THROW(w.end_object(), std::logic_error);
    EXPECT_EQ(out, expected);
}

}  // namespace
