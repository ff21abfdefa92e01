// The structural scan that cuts a document into its top-level values (json_text::
// skip_value and skip_nested_in_windows, internal functions: this test sees src/): its
// 64-bytes-at-a-time path must find exactly what a plain byte-by-byte scan finds, for any
// bytes at all, with quotes, backslashes and brackets at every position of a block, at
// any depth, and scanned in windows of any size.

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "json_text.hpp"

namespace {

// The reference: the scan as it was written before, one byte (or one memchr) at a time.
const char* reference_string_end(const char* p, const char* end) {
    for (;;) {
        const auto* q = static_cast<const char*>(std::memchr(p, '"', static_cast<std::size_t>(end - p)));
        if (!q) return nullptr;
        std::size_t backslashes = 0;
        for (const char* b = q; b > p && b[-1] == '\\'; --b) ++backslashes;
        if (backslashes % 2 == 0) return q + 1;
        p = q + 1;
    }
}

const char* reference_skip(const char* p, const char* end) {
    while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')) ++p;
    if (p >= end) return nullptr;
    if (*p == '"') return reference_string_end(p + 1, end);
    if (*p != '{' && *p != '[') {
        while (p < end && *p != ',' && *p != ']' && *p != '}' && *p != ' ' && *p != '\n' && *p != '\r' && *p != '\t')
            ++p;
        return p;
    }
    std::size_t depth = 0;
    while (p < end) {
        const char c = *p;
        if (c == '"') {
            p = reference_string_end(p + 1, end);
            if (!p) return nullptr;
            continue;
        }
        if (c == '{' || c == '[') ++depth;
        else if ((c == '}' || c == ']') && --depth == 0) return p + 1;
        ++p;
    }
    return nullptr;
}

std::ptrdiff_t skip(const std::string& text) {
    const char* e = aecore::json_text::skip_value(text.data(), text.data() + text.size());
    return e ? e - text.data() : -1;
}

std::ptrdiff_t reference(const std::string& text) {
    const char* e = reference_skip(text.data(), text.data() + text.size());
    return e ? e - text.data() : -1;
}

TEST(JsonSkip, FindsWhatAByteByByteScanFindsInRandomText) {
    // Mostly structure and strings, with backslashes, brackets inside strings, bytes of
    // 0x5B/0x7B/0x5D/0x7D's neighbours (0x3B, 0x7F, ...) and high bytes.
    static constexpr char kBytes[] = "{}[]\"\"\"\\\\ ,:a0\n;{\x7f\x3b\x3d\xfb\xdb";
    const std::string alphabet(kBytes, sizeof kBytes - 1);
    std::mt19937 rng(20261206);
    int closed = 0;
    for (int round = 0; round < 20000; ++round) {
        std::string text(1, round % 2 ? '[' : '{');
        const std::size_t length = rng() % 400;
        for (std::size_t i = 0; i < length; ++i) text += alphabet[rng() % alphabet.size()];
        const std::ptrdiff_t expected = reference(text);
        closed += expected >= 0;
        ASSERT_EQ(skip(text), expected) << "round " << round << ": " << text;
    }
    EXPECT_GT(closed, 1000) << "too few inputs where the value ends";
}

TEST(JsonSkip, FindsTheEndOfDocumentLikeValuesAtEveryOffset) {
    // A ledger-like array whose escapes, quotes and brackets fall at every position of a
    // 16-byte block as the padding before it grows.
    const std::string element = R"({"id": "L1", "reference": "a \"quoted\" [x] {y} \\", "n": [1, {"k": "\\\\\""}]})";
    for (std::size_t pad = 0; pad < 140; ++pad) {
        std::string text(1, '[');
        text.append(pad, ' ');
        for (int i = 0; i < 5; ++i) {
            if (i) text.append(",\n  ");
            text.append(element);
        }
        text.append("]  , \"after\": 1");
        ASSERT_EQ(skip(text), reference(text)) << pad;
        ASSERT_EQ(skip(text), static_cast<std::ptrdiff_t>(text.find("]  , \"after\"") + 1)) << pad;
        for (std::size_t cut = 1; cut < text.size(); cut += 13) {  // truncated: both find no end
            const std::string part = text.substr(0, text.find("]  , \"after\"") - cut % 60);
            ASSERT_EQ(skip(part), reference(part)) << pad << "/" << cut;
        }
    }
}

TEST(JsonSkip, CountsDepthPastAWholeBlockOfBrackets) {
    // Nesting deeper than a 64-byte block holds brackets, strings of brackets between the
    // levels, and a close that would end the value early if strings were not followed.
    for (const std::size_t depth : {1u, 2u, 63u, 64u, 65u, 130u, 1000u}) {
        std::string text;
        for (std::size_t d = 0; d < depth; ++d) text += d % 3 == 0 ? "[\"]]]\", " : d % 3 == 1 ? "{\"k\":" : "[";
        text += "\"}\\\"]\"";
        for (std::size_t d = depth; d-- > 0;) text += d % 3 == 0 ? "]" : d % 3 == 1 ? "}" : "]";
        const std::string with_tail = text + ", \"after\": 1]";
        ASSERT_EQ(skip(with_tail), static_cast<std::ptrdiff_t>(text.size())) << depth;
        ASSERT_EQ(skip(with_tail), reference(with_tail)) << depth;
        ASSERT_EQ(skip(text.substr(0, text.size() - 1)), -1) << depth;  // one close short: no end
    }
}

TEST(JsonSkip, ScanningInWindowsFindsTheSameEndAndReportsEachWindowPassed) {
    static constexpr char kBytes[] = "{}[]\"\"\"\\ ,:a0\n";
    const std::string alphabet(kBytes, sizeof kBytes - 1);
    std::mt19937 rng(61);
    for (int round = 0; round < 3000; ++round) {
        std::string text(1, '[');
        const std::size_t length = rng() % 600;
        for (std::size_t i = 0; i < length; ++i) text += alphabet[rng() % alphabet.size()];
        const std::size_t window = 1 + rng() % 150;
        const char* begin = text.data();
        const char* end = begin + text.size();
        std::vector<const char*> passed;
        const char* e = aecore::json_text::skip_nested_in_windows(begin, end, window,
                                                                  [&](const char* q) { passed.push_back(q); });
        const std::ptrdiff_t expected = reference(text);
        ASSERT_EQ(e ? e - begin : -1, expected) << round << " (window " << window << "): " << text;
        // one call at each window's end that the scan went beyond, in order
        const std::size_t scanned = expected >= 0 ? static_cast<std::size_t>(expected) : text.size();
        ASSERT_EQ(passed.size(), (scanned - 1) / window) << round;
        for (std::size_t k = 0; k < passed.size(); ++k) ASSERT_EQ(passed[k], begin + (k + 1) * window) << round;
    }
}

}  // namespace
