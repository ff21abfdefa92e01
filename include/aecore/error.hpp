#pragma once
// The aecore error hierarchy. Every error names the rule it enforces (a SPEC.md id
// such as "MB-1" or "PS-1"), the field it is about (a JSON path for SchemaError),
// the offending value and a human explanation:
//
//   staff.name = "": must not be empty [ST-1]
//
// Python maps each class to aecore.<Name>, which also derives from the matching
// built-in exception (ValueError, KeyError, RuntimeError, OSError).

#include <stdexcept>
#include <string>
#include <string_view>

namespace aecore {

class Error : public std::runtime_error {
public:
    Error(std::string rule, std::string field, std::string value, std::string detail);

    /// SPEC.md rule id, e.g. "ST-1".
    [[nodiscard]] const std::string& rule() const noexcept { return rule_; }
    /// The field at fault: "staff.manager", or a JSON path such as "/staff/3/title".
    [[nodiscard]] const std::string& field() const noexcept { return field_; }
    /// The offending value as written in the message ("" when there is none).
    [[nodiscard]] const std::string& value() const noexcept { return value_; }
    /// The explanation without field, value and rule.
    [[nodiscard]] const std::string& detail() const noexcept { return detail_; }

private:
    std::string rule_;
    std::string field_;
    std::string value_;
    std::string detail_;
};

/// Bad input to an operation: the value breaks a rule.
class ValidationError : public Error { public: using Error::Error; };
/// An id, code or key that does not exist.
class NotFoundError : public Error { public: using Error::Error; };
/// The operation is not allowed in the object's current state.
class StateError : public Error { public: using Error::Error; };
/// A JSON document that does not match the schema; field() is the JSON path.
class SchemaError : public Error { public: using Error::Error; };
/// A file could not be read or written.
class IoError : public Error { public: using Error::Error; };

/// `text` as a double-quoted, escaped literal for messages: quote(R"(a"b)") == R"("a\"b")".
/// Text longer than `max_chars` is cut and ends in "..." (huge inputs stay readable).
[[nodiscard]] std::string quote(std::string_view text, std::size_t max_chars = 80);

}  // namespace aecore
