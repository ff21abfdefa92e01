#pragma once
// Internal: a cursor over a parsed JSON value that knows its JSON path, so that every
// schema error names where it happened ("/staff/3/title"), plus the value codecs
// shared by all document sections (dates, money, decimals, enums).

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aecore/calendar.hpp"
#include "aecore/decimal.hpp"
#include "aecore/enum_names.hpp"
#include "aecore/error.hpp"
#include "aecore/money.hpp"

namespace aecore::json_io {

using Json = nlohmann::ordered_json;

class Reader {
public:
    Reader(const Json& value, std::string path) : value_(&value), path_(std::move(path)) {}

    [[nodiscard]] const std::string& path() const noexcept { return path_; }
    [[nodiscard]] const Json& raw() const noexcept { return *value_; }
    [[noreturn]] void fail(const std::string& detail, std::string_view rule = "PS-1") const;

    /// Requires an object whose keys are all in `allowed` (a typo is an error, not ignored).
    void expect_object(std::initializer_list<std::string_view> allowed) const;
    /// A required member of an object.
    [[nodiscard]] Reader at(std::string_view key) const;
    /// An optional member; absent or null gives nullopt.
    [[nodiscard]] std::optional<Reader> maybe(std::string_view key) const;
    /// The elements of an array.
    [[nodiscard]] std::vector<Reader> items() const;
    [[nodiscard]] bool is_null() const noexcept { return value_->is_null(); }

    [[nodiscard]] std::string str() const;
    [[nodiscard]] std::int64_t integer(std::int64_t lo, std::int64_t hi) const;
    [[nodiscard]] int small_int(int lo, int hi) const { return static_cast<int>(integer(lo, hi)); }
    [[nodiscard]] bool boolean() const;
    [[nodiscard]] Date date() const;
    [[nodiscard]] DateTime date_time() const;
    /// "HH:MM" within a day (24:00 allowed).
    [[nodiscard]] Duration time_of_day() const;
    [[nodiscard]] Decimal decimal() const;
    [[nodiscard]] Money money() const;

    template <class E>
    [[nodiscard]] E enumeration() const {
        const std::string s = str();
        if (auto v = enum_from_string<E>(s)) return *v;
        fail("expected " + enum_choices<E>() + ", found " + quote(s));
    }

    /// Runs `f`; a domain error it throws becomes a SchemaError at this path that keeps
    /// the domain rule in its message.
    template <class F>
    decltype(auto) guard(F&& f) const {
        try {
            return f();
        } catch (const SchemaError&) {
            throw;
        } catch (const Error& e) {
            fail_with(e);
        }
    }

private:
    /// A domain error as a SchemaError; "staff.manager" is reported at ".../manager"
    /// when this object has that key, so the path names the offending value.
    [[noreturn]] void fail_with(const Error& e) const;

    const Json* value_;
    std::string path_;
};

// Writers: the canonical text of each value type.
[[nodiscard]] Json write(const Date& d);
[[nodiscard]] Json write(const DateTime& t);
[[nodiscard]] Json write_time_of_day(Duration d);
[[nodiscard]] Json write(const Decimal& d);
[[nodiscard]] Json write(const Money& m);
template <class E>
[[nodiscard]] Json write_enum(E e) {
    return std::string(to_string(e));
}

}  // namespace aecore::json_io
