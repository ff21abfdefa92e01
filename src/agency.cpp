#include "aecore/agency.hpp"

#include <algorithm>

#include "aecore/error.hpp"
#include "ids.hpp"
#include "text_checks.hpp"

namespace aecore {

Agency::Agency(std::string name, std::string home_city, std::string_view currency)
    : currency_(currency), rubrics_(builtin_rubrics()) {
    set_name(std::move(name));
    set_home_city(std::move(home_city));
}

void Agency::set_name(std::string name) { name_ = checked_name(name, "agency.name", "ST-1"); }

void Agency::set_home_city(std::string city) {
    check_city_code(city, "agency.home_city", "CL-1");
    home_city_ = std::move(city);
}

// ---------------------------------------------------------------- staff

const Staff* Agency::find_staff(std::string_view id) const noexcept {
    auto it = staff_index_.find(id);
    return it == staff_index_.end() ? nullptr : &staff_[it->second];
}

const Staff& Agency::staff(std::string_view id) const {
    if (const Staff* s = find_staff(id)) return *s;
    throw NotFoundError("ST-1", "staff.id", quote(id), "no such staff member");
}

std::vector<const Staff*> Agency::direct_reports(std::string_view id) const {
    std::vector<const Staff*> out;
    for (const Staff& s : staff_)
        if (s.manager && *s.manager == id) out.push_back(&s);
    return out;
}

std::string Agency::next_staff_id() const {
    for (std::uint64_t serial = next_staff_serial_;; ++serial) {
        require_serial_left(serial, "sequences.staff");
        std::string id = std::to_string(serial);
        if (id.size() < 4) id.insert(0, 4 - id.size(), '0');
        id.insert(0, 1, 'S');
        if (!staff_index_.contains(id)) return id;
    }
}

void Agency::check_staff_fields(const Staff& s, std::string_view prefix) const {
    const std::string p(prefix);
    check_id(s.id, p + ".id", "ST-1");
    if (s.hourly_rate.currency() != currency_)
        throw ValidationError("MB-1", p + ".hourly_rate", s.hourly_rate.to_string(),
                              "must be in the agency currency " + std::string(currency_.code()));
    if (s.hourly_rate.is_negative())
        throw ValidationError("ST-1", p + ".hourly_rate", s.hourly_rate.to_string(), "must not be negative");
    check_email(s.email, p + ".email", "ST-1");
    if (s.manager) {
        const Staff* m = find_staff(*s.manager);
        if (m == nullptr)
            throw NotFoundError("ST-1", p + ".manager", quote(*s.manager), "no such staff member");
        if (*s.manager == s.id)
            throw ValidationError("ST-1", p + ".manager", quote(*s.manager), "a person cannot manage themselves");
        if (!m->active && s.active)
            throw ValidationError("ST-1", p + ".manager", quote(*s.manager),
                                  "has left the agency (inactive) and cannot manage anyone");
    }
}

const Staff& Agency::add_staff(const NewStaff& spec) {
    const bool generated = spec.id.empty();
    Staff s{
        .id = generated ? next_staff_id() : spec.id,
        .name = checked_name(spec.name, "staff.name", "ST-1"),
        .title = spec.title,
        .department = spec.department,
        .hourly_rate = spec.hourly_rate.value_or(Money::zero(currency_)),
        .manager = spec.manager,
        .email = spec.email,
        .active = true,
    };
    check_staff_fields(s, "staff");
    if (staff_index_.contains(s.id))
        throw ValidationError("ST-1", "staff.id", quote(s.id), "is already taken; staff ids are unique");
    // Commit: nothing above touched the agency.
    const std::string id = s.id;
    append_indexed(staff_, staff_index_, std::move(s), id);
    if (generated) next_staff_serial_ = static_cast<std::uint32_t>(std::stoul(staff_.back().id.substr(1))) + 1;
    return staff_.back();
}

const Staff& Agency::update_staff(std::string_view id, const StaffUpdate& u) {
    auto it = staff_index_.find(id);
    if (it == staff_index_.end()) throw NotFoundError("ST-1", "staff.id", quote(id), "no such staff member");
    Staff s = staff_[it->second];
    if (u.name) s.name = checked_name(*u.name, "staff.name", "ST-1");
    if (u.title) s.title = *u.title;
    if (u.department) s.department = *u.department;
    if (u.hourly_rate) s.hourly_rate = *u.hourly_rate;
    if (u.manager) s.manager = *u.manager;
    if (u.email) s.email = *u.email;
    if (u.active) s.active = *u.active;
    check_staff_fields(s, "staff");
    if (s.manager) {
        // Walk up from the new manager: meeting this person again is a cycle.
        std::string chain = s.id;
        const Staff* cur = find_staff(*s.manager);
        for (std::size_t guard = 0; cur != nullptr && guard <= staff_.size(); ++guard) {
            chain += " -> " + cur->id;
            if (cur->id == s.id)
                throw ValidationError("ST-1", "staff.manager", quote(*s.manager),
                                      "would create a reporting cycle " + chain);
            cur = cur->manager ? find_staff(*cur->manager) : nullptr;
        }
    }
    if (!s.active && staff_[it->second].active) {
        for (const Staff* r : direct_reports(s.id))
            if (r->active)
                throw StateError("ST-1", "staff.active", "false",
                                 "staff " + s.id + " still manages active staff " + r->id + "; reassign them first");
    }
    staff_[it->second] = std::move(s);  // noexcept move: the strong guarantee holds
    return staff_[it->second];
}

bool operator==(const Agency& a, const Agency& b) {
    return a.name_ == b.name_ && a.home_city_ == b.home_city_ && a.currency_ == b.currency_ &&
           a.policy_ == b.policy_ && a.calendar_ == b.calendar_ && a.staff_ == b.staff_ &&
           a.next_staff_serial_ == b.next_staff_serial_ && a.clients_ == b.clients_ &&
           a.next_client_serial_ == b.next_client_serial_ && a.activities_ == b.activities_ &&
           a.contact_reports_ == b.contact_reports_ && a.notices_ == b.notices_ &&
           a.status_reports_ == b.status_reports_ && a.next_activity_serial_ == b.next_activity_serial_ &&
           a.next_report_serial_ == b.next_report_serial_ && a.next_notice_serial_ == b.next_notice_serial_ &&
           a.next_status_serial_ == b.next_status_serial_ && a.plans_ == b.plans_ &&
           a.next_plan_serial_ == b.next_plan_serial_ && a.jobs_ == b.jobs_ && a.job_sequences_ == b.job_sequences_ &&
           a.time_entries_ == b.time_entries_ && a.next_time_serial_ == b.next_time_serial_ &&
           a.estimates_ == b.estimates_ && a.ledger_ == b.ledger_ && a.rubrics_ == b.rubrics_ &&
           a.evaluations_ == b.evaluations_ && a.next_evaluation_serial_ == b.next_evaluation_serial_;
}

}  // namespace aecore
