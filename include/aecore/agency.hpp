#pragma once
// The Agency: the aggregate root that owns one agency's whole book of business —
// its Policy, its business calendar and its staff — and enforces the rules that
// span entities. Every mutating operation validates first and changes nothing when
// it throws (strong exception guarantee).

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "aecore/calendar.hpp"
#include "aecore/money.hpp"
#include "aecore/policy.hpp"
#include "aecore/staff.hpp"

namespace aecore {

class Agency {
public:
    /// `home_city` is the city code of the agency's home (upper-case letters, CL-1/CL-4);
    /// `currency` is the agency's book currency (MB-1).
    explicit Agency(std::string name = "Agency", std::string home_city = "SH", std::string_view currency = "CNY");

    // --- profile -------------------------------------------------------------
    [[nodiscard]] const std::string& name() const noexcept { return name_; }
    void set_name(std::string name);
    [[nodiscard]] const std::string& home_city() const noexcept { return home_city_; }
    void set_home_city(std::string city);
    [[nodiscard]] Currency currency() const noexcept { return currency_; }

    // --- policy and calendar (owned, never shared between agencies) ------------
    [[nodiscard]] const Policy& policy() const noexcept { return policy_; }
    /// Mutable access; Policy's setters keep it consistent.
    [[nodiscard]] Policy& policy() noexcept { return policy_; }
    void set_policy(const Policy& policy) { policy_ = policy; }
    [[nodiscard]] const BusinessCalendar& calendar() const noexcept { return calendar_; }
    [[nodiscard]] BusinessCalendar& calendar() noexcept { return calendar_; }
    void set_calendar(const BusinessCalendar& calendar) { calendar_ = calendar; }

    // --- staff (ST-1) ----------------------------------------------------------
    /// Adds a staff member. Throws ValidationError for an empty name, a malformed or
    /// duplicate id, a negative rate or one in another currency, an unknown or inactive
    /// manager; NotFoundError for an unknown manager.
    const Staff& add_staff(const NewStaff& spec);
    /// Changes the fields set in `update`; refuses reporting cycles and deactivating a
    /// person who still has active direct reports.
    const Staff& update_staff(std::string_view id, const StaffUpdate& update);
    /// The staff member with `id`; throws NotFoundError.
    [[nodiscard]] const Staff& staff(std::string_view id) const;
    /// The staff member with `id`, or nullptr.
    [[nodiscard]] const Staff* find_staff(std::string_view id) const noexcept;
    /// Every staff member, in the order they were added.
    [[nodiscard]] const std::vector<Staff>& staff_members() const noexcept { return staff_; }
    /// Staff whose manager is `id`, in the order they were added.
    [[nodiscard]] std::vector<const Staff*> direct_reports(std::string_view id) const;

    // --- persistence (PS-1..PS-3; implemented in serialization.cpp) -------------
    /// The whole agency as a deterministic JSON document (schema "aecore.Agency").
    [[nodiscard]] std::string to_json() const;
    /// Parses and validates a document; throws SchemaError naming the JSON path.
    [[nodiscard]] static Agency from_json(std::string_view text);
    /// Atomic save: a failed save throws IoError and leaves the old file intact.
    void save(const std::filesystem::path& path) const;
    /// Loads a saved agency; IoError when the file cannot be read, SchemaError when invalid.
    [[nodiscard]] static Agency load(const std::filesystem::path& path);

    friend bool operator==(const Agency& a, const Agency& b);

private:
    friend struct AgencyCodec;

    std::string next_staff_id() const;
    void check_staff_fields(const Staff& s, std::string_view field_prefix) const;

    std::string name_;
    std::string home_city_;
    Currency currency_;
    Policy policy_;
    BusinessCalendar calendar_;
    std::vector<Staff> staff_;
    std::unordered_map<std::string, std::size_t> staff_index_;
    std::uint32_t next_staff_serial_ = 1;
};

}  // namespace aecore
