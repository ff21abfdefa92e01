#pragma once
// Account staff (SPEC ST-1): titles ordered AAE < AE < AM < AD, a department, an
// hourly cost rate and an optional manager. Staff records are owned by the Agency,
// which validates them (unique ids, known manager, no reporting cycles).

#include <optional>
#include <string>

#include "aecore/enum_names.hpp"
#include "aecore/money.hpp"

namespace aecore {

/// Account staff titles, junior to senior; the enum order is the seniority order.
enum class Title : std::uint8_t { AAE, AE, AM, AD };

template <>
struct EnumNames<Title> {
    static constexpr std::string_view type_name = "Title";
    static constexpr std::array<std::pair<Title, std::string_view>, 4> entries{{
        {Title::AAE, "AAE"}, {Title::AE, "AE"}, {Title::AM, "AM"}, {Title::AD, "AD"},
    }};
};

/// Agency departments. The first five issue job tickets (JT-1 codes AC, CR, MD, RS, PD).
enum class Department : std::uint8_t { Account, Creative, Media, Research, Production, Finance, Management };

template <>
struct EnumNames<Department> {
    static constexpr std::string_view type_name = "Department";
    static constexpr std::array<std::pair<Department, std::string_view>, 7> entries{{
        {Department::Account, "Account"},
        {Department::Creative, "Creative"},
        {Department::Media, "Media"},
        {Department::Research, "Research"},
        {Department::Production, "Production"},
        {Department::Finance, "Finance"},
        {Department::Management, "Management"},
    }};
};

/// Two-letter department code: AC, CR, MD, RS, PD, FN, MG.
[[nodiscard]] std::string_view department_code(Department d) noexcept;

/// A staff member as stored by the Agency.
struct Staff {
    std::string id;
    std::string name;
    Title title;
    Department department;
    Money hourly_rate;                   ///< cost rate per hour, in the agency currency
    std::optional<std::string> manager;  ///< id of the staff member this one reports to
    std::string email;
    bool active = true;                  ///< false once the person has left; ids are never reused

    friend bool operator==(const Staff&, const Staff&) = default;
};

/// What Agency::add_staff needs. An empty id asks the agency to generate one ("S0001").
struct NewStaff {
    std::string name{};
    Title title = Title::AE;
    Department department = Department::Account;
    std::optional<Money> hourly_rate{};  ///< defaults to zero in the agency currency
    std::optional<std::string> manager{};
    std::string email{};
    std::string id{};
};

/// A partial update for Agency::update_staff: only the fields that are set change.
struct StaffUpdate {
    std::optional<std::string> name{};
    std::optional<Title> title{};
    std::optional<Department> department{};
    std::optional<Money> hourly_rate{};
    /// Set to std::optional<std::string>{} (an empty optional) to remove the manager.
    std::optional<std::optional<std::string>> manager{};
    std::optional<std::string> email{};
    std::optional<bool> active{};
};

}  // namespace aecore
