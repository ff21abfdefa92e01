#include "json_text.hpp"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstring>
#include <functional>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <unordered_set>
#include <vector>

#include "aecore/error.hpp"

namespace aecore::json_text {

// True when nlohmann would write `s` byte for byte between the quotes: no character
// that it escapes and nothing outside ASCII (which it checks for valid UTF-8).
bool is_plain(std::string_view s) noexcept {
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80) return false;
    }
    return true;
}

void append_string(std::string& out, std::string_view s) {
    if (is_plain(s)) {
        out += '"';
        out.append(s);
        out += '"';
        return;
    }
    out += Json(std::string(s)).dump(-1, ' ', false);  // escapes and UTF-8 checks exactly as the DOM dump
}

void append_pretty(std::string& out, const Json& j, int depth) {
    switch (j.type()) {
        case Json::value_t::object: {
            if (j.empty()) {
                out += "{}";
                return;
            }
            out += "{\n";
            bool first = true;
            for (const auto& [key, value] : j.items()) {
                if (!first) out += ",\n";
                first = false;
                append_indent(out, depth + 1);
                append_string(out, key);
                out += ": ";
                append_pretty(out, value, depth + 1);
            }
            out += '\n';
            append_indent(out, depth);
            out += '}';
            return;
        }
        case Json::value_t::array: {
            if (j.empty()) {
                out += "[]";
                return;
            }
            out += "[\n";
            bool first = true;
            for (const Json& value : j) {
                if (!first) out += ",\n";
                first = false;
                append_indent(out, depth + 1);
                append_pretty(out, value, depth + 1);
            }
            out += '\n';
            append_indent(out, depth);
            out += ']';
            return;
        }
        case Json::value_t::string: append_string(out, j.get_ref<const std::string&>()); return;
        case Json::value_t::boolean: out += j.get<bool>() ? "true" : "false"; return;
        case Json::value_t::null: out += "null"; return;
        case Json::value_t::number_integer: {
            char buf[24];
            auto [end, ec] = std::to_chars(buf, buf + sizeof buf, j.get<std::int64_t>());
            (void)ec;
            out.append(buf, end);
            return;
        }
        case Json::value_t::number_unsigned: {
            char buf[24];
            auto [end, ec] = std::to_chars(buf, buf + sizeof buf, j.get<std::uint64_t>());
            (void)ec;
            out.append(buf, end);
            return;
        }
        default: out += j.dump(); return;  // floats and binary: not in aecore documents
    }
}

void PrettyWriter::integer(std::int64_t v) {
    char buf[24];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    (void)ec;
    raw(std::string_view(buf, static_cast<std::size_t>(end - buf)));
}

char* write_minor_units(char* p, std::int64_t units, int digits) noexcept {
    char buf[32];
    const auto [last, ec] = std::to_chars(buf, buf + sizeof buf, units);
    (void)ec;
    const char* first = buf;
    const char* end = last;
    if (*first == '-') {
        *p++ = '-';
        ++first;
    }
    const auto len = static_cast<int>(end - first);
    const auto copy = [&p](const char* from, std::size_t n) {
        std::memcpy(p, from, n);
        p += n;
    };
    if (digits <= 0) {
        copy(first, static_cast<std::size_t>(len));
    } else if (len <= digits) {
        *p++ = '0';
        *p++ = '.';
        std::memset(p, '0', static_cast<std::size_t>(digits - len));
        p += digits - len;
        copy(first, static_cast<std::size_t>(len));
    } else {
        copy(first, static_cast<std::size_t>(len - digits));
        *p++ = '.';
        copy(end - digits, static_cast<std::size_t>(digits));
    }
    return p;
}

void append_minor_units(std::string& out, std::int64_t units, int digits) {
    char buf[kMinorUnitsMax];
    out.append(buf, static_cast<std::size_t>(write_minor_units(buf, units, digits) - buf));
}

char* write_day(char* p, std::int32_t day_number) noexcept {
    // Boost's day number is the Julian Day Number; civil-from-days after H. Hinnant.
    const std::int64_t z = static_cast<std::int64_t>(day_number) - 2440588 + 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    const auto y = static_cast<unsigned>(static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0));
    const char text[10] = {static_cast<char>('0' + y / 1000 % 10), static_cast<char>('0' + y / 100 % 10),
                           static_cast<char>('0' + y / 10 % 10),   static_cast<char>('0' + y % 10),
                           '-',
                           static_cast<char>('0' + m / 10),        static_cast<char>('0' + m % 10),
                           '-',
                           static_cast<char>('0' + d / 10),        static_cast<char>('0' + d % 10)};
    std::memcpy(p, text, sizeof text);
    return p + sizeof text;
}

void append_day(std::string& out, std::int32_t day_number) {
    char buf[10];
    out.append(buf, static_cast<std::size_t>(write_day(buf, day_number) - buf));
}

namespace {

// After the opening quote: the position after the closing quote, or nullptr.
const char* skip_string_body(const char* p, const char* end) noexcept {
    for (;;) {
        const auto* q = static_cast<const char*>(std::memchr(p, '"', static_cast<std::size_t>(end - p)));
        if (!q) return nullptr;
        std::size_t backslashes = 0;
        for (const char* b = q; b > p && b[-1] == '\\'; --b) ++backslashes;
        if (backslashes % 2 == 0) return q + 1;
        p = q + 1;
    }
}

}  // namespace

namespace {

// Where a bracketed value is in its scan: nesting depth, inside a string, after a
// backslash in one.
struct Nesting {
    std::size_t depth = 0;
    bool in_string = false;
    bool escaped = false;
};

// Scans [p, stop) one byte at a time: the position after the bracket that closes the
// value, or nullptr (the state carried on).
const char* nesting_bytes(const char* p, const char* stop, Nesting& n) noexcept {
    for (; p < stop; ++p) {
        const char c = *p;
        if (n.in_string) {
            if (n.escaped) n.escaped = false;
            else if (c == '\\') n.escaped = true;
            else if (c == '"') n.in_string = false;
        } else if (c == '"') {
            n.in_string = true;
        } else if (c == '{' || c == '[') {
            ++n.depth;
        } else if ((c == '}' || c == ']') && --n.depth == 0) {
            return p + 1;
        }
    }
    return nullptr;
}

#if defined(__SSE2__)
// The bytes of a 64-byte block that are quotes, backslashes, opening and closing brackets,
// one bit each (bit i for byte i).
struct BlockBits {
    std::uint64_t quotes = 0, backslashes = 0, opens = 0, closes = 0;
};

inline BlockBits classify(const char* p) noexcept {
    const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
    const __m128i lower = _mm_set1_epi8(0x20), open = _mm_set1_epi8('{'), close = _mm_set1_epi8('}');
    BlockBits b;
    for (unsigned k = 0; k < 4; ++k) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
        // '[' and ']' are '{' and '}' without the 0x20 bit; no other byte maps onto them.
        const __m128i folded = _mm_or_si128(v, lower);
        const auto bits = [](__m128i eq) { return static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(eq))); };
        b.quotes |= bits(_mm_cmpeq_epi8(v, quote)) << (16 * k);
        b.backslashes |= bits(_mm_cmpeq_epi8(v, backslash)) << (16 * k);
        b.opens |= bits(_mm_cmpeq_epi8(folded, open)) << (16 * k);
        b.closes |= bits(_mm_cmpeq_epi8(folded, close)) << (16 * k);
    }
    return b;
}

// Bit i is the parity of bits 0..i: with the quotes of a block, the bytes from an
// opening quote up to (not including) its closing quote.
inline std::uint64_t prefix_xor(std::uint64_t x) noexcept {
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    return x;
}

// The bits set in x, inline (std::popcount is a library call where the target has no
// popcount instruction, as plain x86-64 has not).
inline std::size_t count_bits(std::uint64_t x) noexcept {
    x -= (x >> 1) & 0x5555555555555555ULL;
    x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
    x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
    return static_cast<std::size_t>((x * 0x0101010101010101ULL) >> 56);
}
#endif

// Scans [p, stop) from the state `n`: the position after the bracket that closes the
// value, or nullptr (the state carried on). A big book is mostly such values, skipped once
// when the document is cut up: 64 bytes at a time, the bytes inside strings found from
// the block's quotes at once, the brackets outside them counted; only a block where the
// depth may reach zero is walked bracket by bracket, and a block with a backslash (or
// after one) goes byte by byte.
const char* scan_nested(const char* p, const char* stop, Nesting& n) noexcept {
#if defined(__SSE2__)
    for (; stop - p >= 64; p += 64) {
        const BlockBits b = classify(p);
        if (n.escaped || b.backslashes != 0) {
            if (const char* e = nesting_bytes(p, p + 64, n)) return e;
            continue;
        }
        const std::uint64_t inside = prefix_xor(b.quotes) ^ (n.in_string ? ~std::uint64_t{0} : 0);
        n.in_string = (inside >> 63) != 0;
        const std::uint64_t opens = b.opens & ~inside, closes = b.closes & ~inside;
        const std::size_t shut = count_bits(closes);
        if (n.depth > shut) {  // the value cannot end in this block
            n.depth = n.depth + count_bits(opens) - shut;
            continue;
        }
        for (std::uint64_t m = opens | closes; m != 0; m &= m - 1) {
            if (opens & m & (0 - m)) {
                ++n.depth;
            } else if (--n.depth == 0) {
                return p + std::countr_zero(m) + 1;
            }
        }
    }
#endif
    return nesting_bytes(p, stop, n);
}

// The end of the object or array at `p` (which is '{' or '['), or nullptr.
const char* skip_nested(const char* p, const char* end) noexcept {
    Nesting n;
    return scan_nested(p, end, n);
}

}  // namespace

const char* skip_value(const char* p, const char* end) noexcept {
    p = skip_ws(p, end);
    if (p >= end) return nullptr;
    if (*p == '"') return skip_string_body(p + 1, end);
    if (*p != '{' && *p != '[') {
        while (p < end && *p != ',' && *p != ']' && *p != '}' && *p != ' ' && *p != '\n' && *p != '\r' && *p != '\t')
            ++p;
        return p;
    }
    return skip_nested(p, end);
}

const char* skip_nested_in_windows(const char* p, const char* end, std::size_t window,
                                   const std::function<void(const char*)>& passed) {
    Nesting n;
    window = std::max<std::size_t>(window, 1);
    for (;;) {
        const char* stop = static_cast<std::size_t>(end - p) > window ? p + window : end;
        if (const char* e = scan_nested(p, stop, n)) return e;
        if (stop == end) return nullptr;
        p = stop;
        if (passed) passed(p);
    }
}

namespace {

// nlohmann's SAX interface building an ordered DOM, with the duplicate-key check that
// nlohmann's own DOM parser lacks. (Its callback parser would do it, but scans each
// parent's elements at every object end: quadratic in the length of an array.)
class DomBuilder {
public:
    explicit DomBuilder(std::string_view prefix) : prefix_(prefix) {}

    bool null() { return skipping_ || value(nullptr); }
    bool boolean(bool v) { return skipping_ || value(v); }
    bool number_integer(Json::number_integer_t v) { return skipping_ || value(v); }
    bool number_unsigned(Json::number_unsigned_t v) { return skipping_ || value(v); }
    bool number_float(Json::number_float_t v, const std::string& /*text*/) { return skipping_ || value(v); }
    bool string(std::string& v) { return skipping_ || value(std::move(v)); }
    bool binary(Json::binary_t& v) { return skipping_ || value(std::move(v)); }
    bool start_object(std::size_t /*elements*/) {
        if (too_deep()) return true;
        Json* j = place(Json(Json::value_t::object));
        push(j);
        return true;
    }
    bool key(std::string& k) {
        if (skipping_) return true;
        Frame& f = frames_.back();
        bool seen = false;
        if (f.big) {
            seen = !f.big->insert(k).second;
        } else {
            seen = f.value->contains(k);
            if (!seen && f.value->size() + 1 >= kSmall) {
                f.big = std::make_unique<std::unordered_set<std::string>>();
                for (const auto& [existing, v] : f.value->items()) f.big->insert(existing);
                f.big->insert(k);
            }
        }
        if (seen) {
            f.key = k;
            throw SchemaError("PS-1", path(), quote(k), "a key appears twice in one object");
        }
        f.key = k;
        f.slot = &(*f.value)[k];
        return true;
    }
    bool end_object() {
        if (skipping_) --skipping_;
        else frames_.pop_back();
        return true;
    }
    bool start_array(std::size_t /*elements*/) {
        if (too_deep()) return true;
        Json* j = place(Json(Json::value_t::array));
        push(j);
        return true;
    }
    bool end_array() {
        if (skipping_) --skipping_;
        else frames_.pop_back();
        return true;
    }
    template <class Exception>
    bool parse_error(std::size_t /*position*/, const std::string& /*token*/, const Exception& ex) {
        throw ex;
    }

    Json take() {
        if (!too_deep_.empty())
            throw SchemaError("PS-1", too_deep_, "", "values are nested more than " + std::to_string(kMaxDepth) + " levels deep");
        return std::move(root_);
    }

private:
    static constexpr std::size_t kSmall = 32;
    // aecore documents nest a few levels; a DOM nested thousands deep would be copied and
    // destroyed recursively (a stack overflow). Deeper values are skipped, not built, and
    // refused once the text is known to be valid JSON (a syntax error is reported first).
    static constexpr std::size_t kMaxDepth = 256;
    bool too_deep() {
        if (skipping_) {
            ++skipping_;
            return true;
        }
        if (frames_.size() < kMaxDepth) return false;
        if (too_deep_.empty()) too_deep_ = path(true);
        skipping_ = 1;
        return true;
    }
    std::size_t skipping_ = 0;  // depth inside a skipped value
    std::string too_deep_;      // the path of the first value nested too deep
    struct Frame {
        Json* value = nullptr;
        Json* slot = nullptr;  // objects: the member for the last key
        std::string key;
        std::unique_ptr<std::unordered_set<std::string>> big;  // keys of a large object
    };

    template <class V>
    bool value(V&& v) {
        (void)place(std::forward<V>(v));
        return true;
    }
    // Puts a new value where the parser is: the root, the next array element or the
    // member of the last key.
    template <class V>
    Json* place(V&& v) {
        if (frames_.empty()) {
            root_ = Json(std::forward<V>(v));
            return &root_;
        }
        Frame& f = frames_.back();
        if (f.value->is_array()) {
            f.value->emplace_back(std::forward<V>(v));
            return &f.value->back();
        }
        *f.slot = Json(std::forward<V>(v));
        return f.slot;
    }
    void push(Json* j) {
        frames_.emplace_back();
        frames_.back().value = j;
    }
    // The JSON path of the value being read; `next`: of the one about to start.
    [[nodiscard]] std::string path(bool next = false) const {
        std::string out(prefix_);
        for (std::size_t i = 0; i < frames_.size(); ++i) {
            const Frame& f = frames_[i];
            out += '/';
            const bool last = i + 1 == frames_.size();
            if (f.value->is_array()) out += std::to_string(f.value->size() - (next && last ? 0 : 1));
            else out += f.key;
        }
        return out;
    }

    std::string_view prefix_;
    Json root_;
    std::vector<Frame> frames_;
};

}  // namespace

namespace {

// The common case of parse_dom, without nlohmann's lexer (which reads a character at a
// time through an input adapter and grows each string by push_back): JSON written the way
// aecore and most writers write it. Strings of valid UTF-8 with the short escapes,
// integers of up to 18 digits, objects of up to 64 distinct keys, nesting up to 256 deep.
// Anything else (a \u escape, a number with a fraction or exponent, a duplicate key, any
// syntax error) returns false, and parse_dom parses the text again the general way, which
// accepts what is valid and reports what is not exactly as before. The DOM built is the one
// the general way builds.
class PlainParser {
public:
    PlainParser(const char* p, const char* end) : p_(p), end_(end) {}

    bool document(Json& out) {
        p_ = skip_ws(p_, end_);
        if (value(out, 0) && skip_ws(p_, end_) == end_) return true;
        // What a refused document left gathered is not kept for the next one.
        for (auto& members : scratch().members) done_with(members);
        for (auto& elements : scratch().elements) done_with(elements);
        return false;
    }

private:
    static constexpr std::size_t kMaxDepth = 256, kMaxKeys = 64;

    bool value(Json& out, std::size_t depth) {
        if (p_ >= end_) return false;
        switch (*p_) {
            case '{': return object(out, depth + 1);
            case '[': return array(out, depth + 1);
            case '"': {
                std::string s;
                if (!string(s)) return false;
                out = std::move(s);
                return true;
            }
            case 't': return literal("true", 4) && (out = true, true);
            case 'f': return literal("false", 5) && (out = false, true);
            case 'n': return literal("null", 4) && (out = nullptr, true);
            default: return number(out);
        }
    }
    bool literal(const char* word, std::size_t n) {
        if (static_cast<std::size_t>(end_ - p_) < n || std::memcmp(p_, word, n) != 0) return false;
        p_ += n;
        return true;
    }
    bool number(Json& out) {
        const bool negative = *p_ == '-';
        const char* first = p_ + (negative ? 1 : 0);
        const char* q = first;
        std::uint64_t v = 0;
        while (q < end_ && *q >= '0' && *q <= '9' && q - first < 19) v = v * 10 + static_cast<unsigned>(*q++ - '0');
        const auto digits = q - first;
        if (digits == 0 || digits > 18 || (*first == '0' && (digits > 1 || negative))) return false;
        if (q < end_ && (*q == '.' || *q == 'e' || *q == 'E' || (*q >= '0' && *q <= '9'))) return false;
        p_ = q;
        if (negative) out = -static_cast<std::int64_t>(v);
        else out = v;
        return true;
    }
    // An object's members are gathered in a vector of this thread's for their depth and
    // moved into the object once all are read: the object's own vector (of pairs with a
    // const key, which its reallocation copies, values and all) is allocated once, at its
    // size. The same for an array's elements.
    struct Scratch {
        std::vector<std::vector<std::pair<std::string, Json>>> members = decltype(members)(kMaxDepth + 1);
        std::vector<std::vector<Json>> elements = decltype(elements)(kMaxDepth + 1);
    };
    static Scratch& scratch() {
        thread_local Scratch s;
        return s;
    }
    // A gathering vector grown past this many entries is given back after use.
    static constexpr std::size_t kKeep = 4096;
    template <class V>
    static void done_with(V& gathered) {
        gathered.clear();
        if (gathered.capacity() > kKeep) V().swap(gathered);
    }

    bool object(Json& out, std::size_t depth) {
        if (depth > kMaxDepth) return false;
        p_ = skip_ws(p_ + 1, end_);
        if (p_ < end_ && *p_ == '}') {
            ++p_;
            out = Json(Json::value_t::object);
            return true;
        }
        auto& members = scratch().members[depth];  // the outer vector never grows: no reference is invalidated
        members.clear();
        std::string key;
        for (;;) {
            if (p_ >= end_ || *p_ != '"' || !string(key)) return false;
            if (members.size() >= kMaxKeys) return false;
            for (const auto& member : members)
                if (member.first == key) return false;  // the general parser names the duplicate
            p_ = skip_ws(p_, end_);
            if (p_ >= end_ || *p_ != ':') return false;
            p_ = skip_ws(p_ + 1, end_);
            members.emplace_back(std::move(key), Json());
            if (!value(members.back().second, depth)) return false;
            p_ = skip_ws(p_, end_);
            if (p_ >= end_) return false;
            if (*p_ == '}') {
                ++p_;
                out = Json(Json::value_t::object);
                auto& object = out.get_ref<Json::object_t&>();
                object.reserve(members.size());
                for (auto& [k, v] : members) object.emplace_back(std::move(k), std::move(v));
                done_with(members);
                return true;
            }
            if (*p_ != ',') return false;
            p_ = skip_ws(p_ + 1, end_);
            key.clear();
        }
    }
    bool array(Json& out, std::size_t depth) {
        if (depth > kMaxDepth) return false;
        p_ = skip_ws(p_ + 1, end_);
        if (p_ < end_ && *p_ == ']') {
            ++p_;
            out = Json(Json::value_t::array);
            return true;
        }
        auto& elements = scratch().elements[depth];
        elements.clear();
        for (;;) {
            elements.emplace_back();
            if (!value(elements.back(), depth)) return false;
            p_ = skip_ws(p_, end_);
            if (p_ >= end_) return false;
            if (*p_ == ']') {
                ++p_;
                out = Json(Json::value_t::array);
                auto& array = out.get_ref<Json::array_t&>();
                array.reserve(elements.size());
                for (auto& v : elements) array.push_back(std::move(v));
                done_with(elements);
                return true;
            }
            if (*p_ != ',') return false;
            p_ = skip_ws(p_ + 1, end_);
        }
    }
    // At the opening quote: the string's value into `out` (appended to), p_ after the closing quote.
    bool string(std::string& out) {
        const char* p = p_ + 1;
        for (;;) {
            const char* run = p;
            p = plain_run_end(p, end_);
            out.append(run, static_cast<std::size_t>(p - run));
            if (p >= end_) return false;
            const auto c = static_cast<unsigned char>(*p);
            if (c == '"') {
                p_ = p + 1;
                return true;
            }
            if (c < 0x20) return false;
            if (c == '\\') {
                if (end_ - p < 2) return false;
                char e = 0;
                switch (p[1]) {
                    case '"': e = '"'; break;
                    case '\\': e = '\\'; break;
                    case '/': e = '/'; break;
                    case 'b': e = '\b'; break;
                    case 'f': e = '\f'; break;
                    case 'n': e = '\n'; break;
                    case 'r': e = '\r'; break;
                    case 't': e = '\t'; break;
                    default: return false;  // \u and anything invalid: the general parser
                }
                out += e;
                p += 2;
                continue;
            }
            const std::size_t n = utf8_sequence(p);
            if (n == 0) return false;
            out.append(p, n);
            p += n;
        }
    }
    // The length of the well-formed UTF-8 sequence at `p` (a byte >= 0x80), or 0 (RFC 3629:
    // no overlong forms, no surrogates, nothing above U+10FFFF).
    [[nodiscard]] std::size_t utf8_sequence(const char* p) const noexcept {
        const auto at = [&](std::ptrdiff_t i) { return p + i < end_ ? static_cast<unsigned char>(p[i]) : 0u; };
        const unsigned c = at(0);
        const auto cont = [&](std::ptrdiff_t i, unsigned lo = 0x80, unsigned hi = 0xBF) {
            const unsigned b = at(i);
            return b >= lo && b <= hi;
        };
        if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
        if (c == 0xE0) return cont(1, 0xA0) && cont(2) ? 3 : 0;
        if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) return cont(1) && cont(2) ? 3 : 0;
        if (c == 0xED) return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0;
        if (c == 0xF0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
        if (c >= 0xF1 && c <= 0xF3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
        if (c == 0xF4) return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0;
        return 0;
    }

    const char* p_;
    const char* end_;
};

}  // namespace

Json parse_dom(std::string_view text, std::string_view path_prefix) {
    {
        Json out;
        if (PlainParser(text.data(), text.data() + text.size()).document(out)) return out;
    }
    DomBuilder builder(path_prefix);
    (void)Json::sax_parse(text.begin(), text.end(), &builder);
    return builder.take();
}

}  // namespace aecore::json_text
