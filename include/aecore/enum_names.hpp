#pragma once
// One table per enum gives its stable external names (JSON, messages, Python).
// A domain header specialises EnumNames<E> with
//   static constexpr std::array<std::pair<E, std::string_view>, N> entries{...};
//   static constexpr std::string_view type_name = "...";
// and gets to_string(E) and parse_enum<E>(text, field, rule) for free.

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "aecore/error.hpp"

namespace aecore {

template <class E>
struct EnumNames;  // specialised next to each enum

template <class E>
[[nodiscard]] constexpr std::string_view to_string(E value) noexcept {
    for (const auto& [v, name] : EnumNames<E>::entries) {
        if (v == value) return name;
    }
    return "?";
}

template <class E>
[[nodiscard]] constexpr std::optional<E> enum_from_string(std::string_view text) noexcept {
    for (const auto& [v, name] : EnumNames<E>::entries) {
        if (name == text) return v;
    }
    return std::nullopt;
}

/// "one of AAE, AE, AM, AD" — for error messages.
template <class E>
[[nodiscard]] std::string enum_choices() {
    std::string out = "one of ";
    bool first = true;
    for (const auto& entry : EnumNames<E>::entries) {
        if (!first) out += ", ";
        out += entry.second;
        first = false;
    }
    return out;
}

/// Parses an enum name or throws ValidationError naming the field, value and choices.
template <class E>
[[nodiscard]] E parse_enum(std::string_view text, std::string_view field, std::string_view rule) {
    if (auto v = enum_from_string<E>(text)) return *v;
    throw ValidationError(std::string(rule), std::string(field), quote(text),
                          "expected " + enum_choices<E>());
}

}  // namespace aecore
