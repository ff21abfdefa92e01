#pragma once
// The agency-wide audit (SPEC AS-4): one sorted list of findings across every rule, so a
// supervisor sees in one call which standards the account team is missing. Each rule is
// one function in src/audit.cpp's rule table; adding a rule is adding one entry.

#include <optional>
#include <string>
#include <vector>

#include "aecore/calendar.hpp"
#include "aecore/enum_names.hpp"

namespace aecore {

enum class Severity : std::uint8_t { Error, Warning, Advice };

template <>
struct EnumNames<Severity> {
    static constexpr std::string_view type_name = "Severity";
    static constexpr std::array<std::pair<Severity, std::string_view>, 3> entries{{
        {Severity::Error, "Error"}, {Severity::Warning, "Warning"}, {Severity::Advice, "Advice"},
    }};
};

struct Finding {
    std::string rule;      ///< SPEC.md id, e.g. "CL-4"
    Severity severity = Severity::Warning;
    std::string subject;   ///< id of what the finding is about: client code, staff id, activity id, ...
    std::string message;   ///< a sentence an account manager can read aloud
    std::optional<Date> due{};  ///< the date by which it was due, where one applies
    friend bool operator==(const Finding&, const Finding&) = default;
};

/// Deterministic order: severity, rule, subject, due date, message.
[[nodiscard]] bool finding_less(const Finding& a, const Finding& b);

}  // namespace aecore
