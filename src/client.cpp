#include "aecore/client.hpp"

#include <algorithm>

#include "aecore/routines.hpp"
#include "aecore/tiering.hpp"

namespace aecore {

const Contact* Client::primary_contact() const noexcept {
    auto it = std::find_if(contacts.begin(), contacts.end(), [](const Contact& c) { return c.primary; });
    return it == contacts.end() ? nullptr : &*it;
}

const Contact* Client::find_contact(std::string_view id) const noexcept {
    auto it = std::find_if(contacts.begin(), contacts.end(), [&](const Contact& c) { return c.id == id; });
    return it == contacts.end() ? nullptr : &*it;
}

const Brand* Client::find_brand(std::string_view name) const noexcept {
    auto it = std::find_if(brands.begin(), brands.end(), [&](const Brand& b) { return b.name == name; });
    return it == brands.end() ? nullptr : &*it;
}

namespace {
// The last entry of a date-ordered history whose date is on or before `day`.
template <class T, class DateOf>
const T* in_force(const std::vector<T>& history, const Date& day, DateOf date_of) noexcept {
    const T* found = nullptr;
    for (const T& entry : history) {
        if (date_of(entry) > day) break;
        found = &entry;
    }
    return found;
}
}  // namespace

const TeamAssignment* Client::team_on(const Date& day) const noexcept {
    return in_force(team_history, day, [](const TeamAssignment& t) { return t.effective; });
}

const StageChange* Client::stage_on(const Date& day) const noexcept {
    return in_force(stage_history, day, [](const StageChange& s) { return s.date; });
}

std::vector<std::string> MeetingNotice::missing_elements() const {
    std::vector<std::string> out;
    if (attendees.empty()) out.emplace_back("who (attendees)");
    if (location.empty()) out.emplace_back("where (location)");
    if (topic.empty()) out.emplace_back("what (topic)");
    if (items_to_confirm.empty()) out.emplace_back("what (items to confirm)");
    if (agenda.empty()) out.emplace_back("how (agenda)");
    return out;
}

VisitOwner TierAssignment::visits() const noexcept {
    switch (tier) {
        case Tier::A: return VisitOwner::SeniorManagement;
        case Tier::B: return VisitOwner::AM;
        case Tier::C: return VisitOwner::AE;
    }
    return VisitOwner::AE;
}

PaymentTerms TierAssignment::payment_terms() const noexcept {
    // MB-6: late credit moves the terms one step stricter.
    switch (tier) {
        case Tier::A: return late_credit ? PaymentTerms::Deposit : PaymentTerms::Credit;
        case Tier::B: return late_credit ? PaymentTerms::Prepayment : PaymentTerms::Deposit;
        case Tier::C: return PaymentTerms::Prepayment;
    }
    return PaymentTerms::Prepayment;
}

void ExplicitBilling::set_billings(std::string client, Money amount) {
    if (amount.currency() != currency_)
        throw ValidationError("MB-1", "billings." + client, amount.to_string(),
                              "must be in the agency currency " + std::string(currency_.code()));
    billings_.insert_or_assign(std::move(client), amount);
}

void ExplicitBilling::set_days_overdue(std::string client, int days) {
    if (days < 0)
        throw ValidationError("CL-5", "days_overdue." + client, std::to_string(days), "must not be negative");
    overdue_.insert_or_assign(std::move(client), days);
}

Money ExplicitBilling::billings(std::string_view client, const Date&, const Date&) const {
    auto it = billings_.find(client);
    return it == billings_.end() ? Money::zero(currency_) : it->second;
}

void ExplicitBilling::set_credit_late(std::string client, bool late) { late_.insert_or_assign(std::move(client), late); }

bool ExplicitBilling::credit_late(std::string_view client, const Date&) const {
    auto it = late_.find(client);
    return it != late_.end() && it->second;
}

int ExplicitBilling::days_overdue(std::string_view client, const Date&) const {
    auto it = overdue_.find(client);
    return it == overdue_.end() ? 0 : it->second;
}

}  // namespace aecore
