#pragma once
// Internal: JSON text without a whole-document DOM.
//
// - `append_string` / `append_pretty` write exactly what nlohmann's dump(2, ' ', false)
//   writes, so a book written piece by piece is byte-identical to the DOM dump.
// - `parse_dom` parses one piece of text into a DOM with nlohmann's SAX interface,
//   refusing duplicate keys (naming their JSON path), in time linear in the input.
// - `skip_value` finds where a JSON value ends without building anything; it does not
//   validate (the pieces it delimits are parsed and validated separately).

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace aecore::json_text {

using Json = nlohmann::ordered_json;

/// Appends `s` as a JSON string literal (quotes included), escaped as nlohmann escapes
/// with ensure_ascii = false. Throws nlohmann's type_error for invalid UTF-8.
void append_string(std::string& out, std::string_view s);

/// Appends the "  " indentation of `depth`.
inline void append_indent(std::string& out, int depth) { out.append(static_cast<std::size_t>(depth) * 2, ' '); }

/// Appends `j` pretty-printed with two-space indentation as if it were nested `depth`
/// levels deep (its first line is not indented; its closing bracket is).
void append_pretty(std::string& out, const Json& j, int depth);

/// Writes the text append_pretty writes for a value, without building its DOM (a big
/// list's elements: a DOM of each allocates dozens of nodes, freed again at once): one
/// value, nested `depth` levels deep, given as calls in document order. At most 16
/// containers may be open at once; more, or closing one not open, throws std::logic_error
/// (a bug in the caller) before anything is written.
class PrettyWriter {
public:
    PrettyWriter(std::string& out, int depth) : out_(out), depth_(depth) {}
    void begin_object() { open('{'); }
    void end_object() { close('}'); }
    void begin_array() { open('['); }
    void end_array() { close(']'); }
    /// The next member of the object being written: its value follows.
    void key(std::string_view k) {
        next();
        append_string(out_, k);
        out_ += ": ";
        keyed_ = true;
    }
    void string(std::string_view s) {
        before_value();
        append_string(out_, s);
    }
    void opt_string(const std::optional<std::string>& s) { s ? string(*s) : null(); }
    void integer(std::int64_t v);
    void null() {
        before_value();
        out_ += "null";
    }
    /// A value's text as it is (a number, true, false, or a string already quoted).
    void raw(std::string_view text) {
        before_value();
        out_.append(text);
    }

private:
    static constexpr std::size_t kMaxDepth = 16;
    void before_value() {
        if (keyed_) keyed_ = false;
        else if (open_ > 0) next();  // an array element
    }
    void next() {
        out_ += count_[open_ - 1]++ ? ",\n" : "\n";
        append_indent(out_, depth_ + static_cast<int>(open_));
    }
    void open(char bracket) {
        // the writers nest a few levels, never kMaxDepth: more is a bug of the caller's
        if (open_ == kMaxDepth) throw std::logic_error("PrettyWriter: more than 16 containers open");
        before_value();
        out_ += bracket;
        count_[open_++] = 0;
    }
    void close(char bracket) {
        if (open_ == 0) throw std::logic_error("PrettyWriter: a container closed that is not open");
        if (count_[--open_] != 0) {
            out_ += '\n';
            append_indent(out_, depth_ + static_cast<int>(open_));
        }
        out_ += bracket;
    }
    std::string& out_;
    int depth_;
    std::size_t open_ = 0;  // containers open
    std::array<std::uint32_t, kMaxDepth> count_{};  // members or elements written in each
    bool keyed_ = false;  // a key was written, its value is next
};

/// True when append_string writes `s` byte for byte between the quotes (ASCII without
/// a character JSON escapes).
[[nodiscard]] bool is_plain(std::string_view s) noexcept;

/// The most bytes write_minor_units writes.
inline constexpr std::size_t kMinorUnitsMax = 48;
/// Writes minor units as a fixed-point decimal with `digits` (0-18) fraction digits
/// ("-12.50"), the text of Money::amount_string(), at `p`; returns the end.
char* write_minor_units(char* p, std::int64_t units, int digits) noexcept;
/// Appends the same text.
void append_minor_units(std::string& out, std::int64_t units, int digits);

/// Writes a Boost day number as "YYYY-MM-DD" (10 bytes) at `p`; returns the end.
char* write_day(char* p, std::int32_t day_number) noexcept;
/// Appends the same text.
void append_day(std::string& out, std::int32_t day_number);

/// Inside a JSON string: the first byte at or after `p` that ends a plain run of its text
/// (a quote, a backslash, a control character or a byte outside ASCII), or `end`. Sixteen
/// bytes at a time where SSE2 is there (as signed bytes, those outside ASCII are below
/// 0x20 too).
[[nodiscard]] inline const char* plain_run_end(const char* p, const char* end) noexcept {
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), space = _mm_set1_epi8(0x20);
    for (; end - p >= 16; p += 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        const __m128i stop =
            _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)), _mm_cmplt_epi8(v, space));
        if (const auto m = static_cast<unsigned>(_mm_movemask_epi8(stop))) return p + std::countr_zero(m);
    }
#endif
    while (p < end && static_cast<unsigned char>(*p) >= 0x20 && static_cast<unsigned char>(*p) < 0x80 && *p != '"' &&
           *p != '\\')
        ++p;
    return p;
}

/// The text from `p` is a JSON document piece: skips white space. (Inline: the readers
/// call it between every two tokens, mostly to pass nothing or a line's indentation.)
[[nodiscard]] inline const char* skip_ws(const char* p, const char* end) noexcept {
    while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')) ++p;
    return p;
}

/// The end of the JSON value starting at `p` (after white space), or nullptr when the
/// text ends first. Strings, nesting and escapes are followed; nothing is validated.
[[nodiscard]] const char* skip_value(const char* p, const char* end) noexcept;

/// The end of the object or array at `p` (which is '{' or '['), as skip_value finds it,
/// scanned `window` bytes at a time (at least 1): `passed(q)` is called at each window's
/// end q the scan goes beyond (a big value's text behind q may then be dropped from memory).
[[nodiscard]] const char* skip_nested_in_windows(const char* p, const char* end, std::size_t window,
                                                 const std::function<void(const char*)>& passed);

/// Parses `text` (one whole JSON value) into a DOM. A key that appears twice in one
/// object is a SchemaError (PS-1) at its JSON path, `path_prefix` + the path inside
/// `text`. Syntax errors are nlohmann's parse_error; numbers out of range its exceptions.
[[nodiscard]] Json parse_dom(std::string_view text, std::string_view path_prefix = {});

}  // namespace aecore::json_text
