#include "text_checks.hpp"

#include "aecore/error.hpp"

namespace aecore {

namespace {
[[noreturn]] void fail(std::string_view rule, std::string_view field, std::string_view value, std::string detail) {
    throw ValidationError(std::string(rule), std::string(field), quote(value), std::move(detail));
}
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Strict UTF-8 (no overlongs, no surrogates, at most U+10FFFF).
bool valid_utf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t len;
        unsigned cp;
        if (c < 0x80) { ++i; continue; }
        if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; }
        else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; }
        else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; }
        else return false;
        if (i + len > s.size()) return false;
        for (std::size_t k = 1; k < len; ++k) {
            const auto cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (cc & 0x3F);
        }
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += len;
    }
    return true;
}
}  // namespace

std::string checked_name(std::string_view text, std::string_view field, std::string_view rule) {
    std::string_view t = text;
    while (!t.empty() && is_space(t.front())) t.remove_prefix(1);
    while (!t.empty() && is_space(t.back())) t.remove_suffix(1);
    if (t.empty()) fail(rule, field, text, "must not be empty");
    if (!valid_utf8(t)) fail(rule, field, text, "must be valid UTF-8 text");
    if (t.size() > 200) fail(rule, field, text, "must be at most 200 characters");
    for (char c : t)
        if (static_cast<unsigned char>(c) < 0x20) fail(rule, field, text, "must not contain control characters");
    return std::string(t);
}

void check_id(std::string_view id, std::string_view field, std::string_view rule) {
    if (id.empty() || id.size() > 32) fail(rule, field, id, "must be 1-32 characters");
    for (char c : id) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
                        c == '_' || c == '-';
        if (!ok) fail(rule, field, id, "may contain only letters, digits, '.', '_' and '-'");
    }
}

void check_city_code(std::string_view code, std::string_view field, std::string_view rule) {
    if (code.empty() || code.size() > 8) fail(rule, field, code, "must be 1-8 upper-case letters");
    for (char c : code)
        if (c < 'A' || c > 'Z') fail(rule, field, code, "must be 1-8 upper-case letters");
}

void check_email(std::string_view email, std::string_view field, std::string_view rule) {
    if (email.empty()) return;
    const auto at = email.find('@');
    const bool ok = at != std::string_view::npos && at > 0 && email.find('@', at + 1) == std::string_view::npos &&
                    email.find('.', at + 2) != std::string_view::npos && email.back() != '.' &&
                    email.find_first_of(" \t\r\n") == std::string_view::npos;
    if (!ok) fail(rule, field, email, "is not an e-mail address (local@domain.tld)");
    if (!valid_utf8(email)) fail(rule, field, email, "must be valid UTF-8 text");
}

void check_text(std::string_view text, std::string_view field, std::string_view rule, std::size_t max_chars) {
    if (text.size() > max_chars) fail(rule, field, text, "must be at most " + std::to_string(max_chars) + " bytes");
    if (!valid_utf8(text)) fail(rule, field, text, "must be valid UTF-8 text");
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 && c != '\n' && c != '\t') fail(rule, field, text, "must not contain control characters");
    }
}

void check_short_code(std::string_view code, std::string_view field, std::string_view rule) {
    if (code.empty() || code.size() > 12) fail(rule, field, code, "must be 1-12 upper-case letters or digits");
    for (char c : code)
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            fail(rule, field, code, "must be 1-12 upper-case letters or digits");
}

}  // namespace aecore
