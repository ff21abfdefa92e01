#include "aecore/error.hpp"

#include <algorithm>
#include <cstdio>

namespace aecore {

namespace {
std::string compose(const std::string& rule, const std::string& field, const std::string& value,
                    const std::string& detail) {
    std::string out = field;
    if (!value.empty()) {
        out += " = ";
        out += value;
    }
    if (!detail.empty()) {
        out += out.empty() ? "" : ": ";
        out += detail;
    }
    if (!rule.empty()) {
        out += " [";
        out += rule;
        out += ']';
    }
    return out;
}
}  // namespace

Error::Error(std::string rule, std::string field, std::string value, std::string detail)
    : std::runtime_error(compose(rule, field, value, detail)),
      rule_(std::move(rule)),
      field_(std::move(field)),
      value_(std::move(value)),
      detail_(std::move(detail)) {}

std::string quote(std::string_view text, std::size_t max_chars) {
    std::string out;
    out.reserve(std::min(text.size(), max_chars) + 5);
    out += '"';
    std::size_t shown = 0;
    for (char c : text) {
        if (shown++ == max_chars) {
            out += "...";
            break;
        }
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\t': out += "\\t"; break;
            case '\r': out += "\\r"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
                    out += buf;
                } else {
                    out += c;
                }
        }
    }
    out += '"';
    return out;
}

}  // namespace aecore
