// Agency: clients, account teams, pipeline, contact cadence and tiering
// (SPEC CL-1..CL-6, ST-3). Every operation validates a copy and commits with a
// non-throwing move, so a failure leaves the agency unchanged.

#include <algorithm>
#include <cstdio>

#include "aecore/agency.hpp"
#include "aecore/error.hpp"
#include "ids.hpp"
#include "text_checks.hpp"

namespace aecore {

namespace bg = boost::gregorian;

namespace {

std::string client_code(const std::string& city, const Date& first, const std::string& short_name,
                        std::uint32_t serial) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "-%04d%02d-", static_cast<int>(first.year()), static_cast<int>(first.month()));
    char num[16];
    std::snprintf(num, sizeof num, "%03u", serial);
    return city + buf + short_name + "-" + num;
}

std::string date_str(const Date& d) { return bg::to_iso_extended_string(d); }

}  // namespace

// ---------------------------------------------------------------- lookups

const Client* Agency::find_client(std::string_view code) const noexcept {
    auto it = client_index_.find(code);
    return it == client_index_.end() ? nullptr : &clients_[it->second];
}

const Client& Agency::client(std::string_view code) const {
    if (const Client* c = find_client(code)) return *c;
    throw NotFoundError("CL-1", "client.code", quote(code), "no such client");
}

Client& Agency::client_for_update(std::string_view code) {
    auto it = client_index_.find(code);
    if (it == client_index_.end()) throw NotFoundError("CL-1", "client.code", quote(code), "no such client");
    Client& c = clients_[it->second];
    if (c.archived) throw StateError("CL-2", "client.code", quote(code), "the client is archived and cannot change");
    return c;
}

const Staff& Agency::active_staff(std::string_view id, std::string_view field, std::string_view rule) const {
    const Staff* s = find_staff(id);
    if (s == nullptr) throw NotFoundError(std::string(rule), std::string(field), quote(id), "no such staff member");
    if (!s->active)
        throw ValidationError(std::string(rule), std::string(field), quote(id), "has left the agency (inactive)");
    return *s;
}

// ---------------------------------------------------------------- validation

void Agency::check_team(const AccountTeam& team, std::string_view prefix) const {
    const std::string p(prefix);
    auto require_title = [&](const std::string& id, Title title, const std::string& field) {
        const Staff& s = active_staff(id, field, "ST-3");
        if (s.title != title)
            throw ValidationError("ST-3", field, quote(id),
                                  "is " + std::string(to_string(s.title)) + " " + s.name + "; the " +
                                      std::string(field.substr(field.rfind('.') + 1)) + " must be an " +
                                      std::string(to_string(title)));
    };
    if (team.ae.empty())
        throw ValidationError("ST-3", p + ".ae", quote(""), "every client needs exactly one responsible AE (the owner)");
    require_title(team.ae, Title::AE, p + ".ae");
    if (team.aae) require_title(*team.aae, Title::AAE, p + ".aae");
    if (team.am) require_title(*team.am, Title::AM, p + ".am");
    if (team.ad) require_title(*team.ad, Title::AD, p + ".ad");
}

void Agency::check_client_fields(const Client& c) const {
    check_text(c.address, "client.address", "CL-2", 500);
    check_text(c.phone, "client.phone", "CL-2", 64);
    check_text(c.fax, "client.fax", "CL-2", 64);
    check_email(c.email, "client.email", "CL-2");
    check_text(c.notes, "client.notes", "CL-2");
    check_text(c.background, "client.background", "CL-2");
    if (c.annual_budget.currency() != currency_)
        throw ValidationError("MB-1", "client.annual_budget", c.annual_budget.to_string(),
                              "must be in the agency currency " + std::string(currency_.code()));
    if (c.annual_budget.is_negative())
        throw ValidationError("CL-2", "client.annual_budget", c.annual_budget.to_string(), "must not be negative");
    if (auto it = client_names_.find(client_name_key(c.city, c.name));
        it != client_names_.end() && clients_[it->second].code != c.code)
        throw ValidationError("CL-2", "client.name", quote(c.name),
                              "is already the name of client " + clients_[it->second].code + " in " + c.city);
}

std::string Agency::client_name_key(std::string_view city, std::string_view name) {
    // Names have no control characters (checked_name), city codes are letters.
    std::string key;
    key.reserve(city.size() + 1 + name.size());
    key.append(city).push_back('\n');
    key.append(name);
    return key;
}

// ---------------------------------------------------------------- clients

const Client& Agency::register_client(const NewClient& spec) {
    require_valid(spec.first_contact, "client.first_contact", "CL-1");
    check_city_code(spec.city, "client.city", "CL-1");
    check_short_code(spec.short_name, "client.short_name", "CL-1");
    check_team(spec.team, "client.team");
    const int year = spec.first_contact.year();
    auto serial_it = next_client_serial_.find(year);
    const std::uint32_t serial = serial_it == next_client_serial_.end() ? 1 : serial_it->second;
    require_serial_left(serial, "sequences.clients." + std::to_string(year));
    Client c{
        .code = client_code(spec.city, spec.first_contact, spec.short_name, serial),
        .name = checked_name(spec.name, "client.name", "CL-2"),
        .short_name = spec.short_name,
        .city = spec.city,
        .first_contact = spec.first_contact,
        .address = spec.address,
        .phone = spec.phone,
        .fax = spec.fax,
        .email = spec.email,
        .annual_budget = spec.annual_budget.value_or(Money::zero(currency_)),
        .brands = {},
        .contacts = {},
        .contracts = {},
        .notes = spec.notes,
        .background = spec.background,
        .team_history = {TeamAssignment{spec.first_contact, spec.team, "initial team"}},
        .stage_history = {StageChange{spec.first_contact, spec.stage, "registered",
                                      spec.stage == PipelineStage::Closed ? std::optional(spec.first_contact)
                                                                          : std::nullopt}},
        .archived = false,
    };
    check_client_fields(c);
    if (client_index_.contains(c.code))  // cannot happen while serials only grow; guards hand-made books
        throw ValidationError("CL-1", "client.code", quote(c.code), "is already taken; client codes are never reused");
    std::string name_key = client_name_key(c.city, c.name);
    // Commit.
    clients_.push_back(std::move(c));
    try {
        client_index_.emplace(clients_.back().code, clients_.size() - 1);
        try {
            const auto named = client_names_.emplace(std::move(name_key), clients_.size() - 1).first;
            try {
                next_client_serial_[year] = serial + 1;
            } catch (...) {
                client_names_.erase(named);
                throw;
            }
        } catch (...) {
            client_index_.erase(clients_.back().code);
            throw;
        }
    } catch (...) {
        clients_.pop_back();
        throw;
    }
    return clients_.back();
}

const Client& Agency::update_client(std::string_view code, const ClientUpdate& u) {
    Client& target = client_for_update(code);
    Client c = target;
    if (u.name) c.name = checked_name(*u.name, "client.name", "CL-2");
    if (u.address) c.address = *u.address;
    if (u.phone) c.phone = *u.phone;
    if (u.fax) c.fax = *u.fax;
    if (u.email) c.email = *u.email;
    if (u.annual_budget) c.annual_budget = *u.annual_budget;
    if (u.notes) c.notes = *u.notes;
    if (u.background) c.background = *u.background;
    check_client_fields(c);
    if (c.name != target.name) {  // the name index follows (strong guarantee: add first, drop the old key last)
        std::string old_key = client_name_key(target.city, target.name);
        client_names_.emplace(client_name_key(c.city, c.name), client_index_.find(code)->second);
        target = std::move(c);
        client_names_.erase(old_key);
        return target;
    }
    target = std::move(c);
    return target;
}

void Agency::add_brand(std::string_view code, std::string brand) {
    Client& target = client_for_update(code);
    std::string name = checked_name(brand, "client.brand", "CL-2");
    if (target.find_brand(name))
        throw ValidationError("CL-2", "client.brand", quote(name), "is already a brand of client " + target.code);
    Client c = target;
    c.brands.push_back(Brand{std::move(name), {}});
    target = std::move(c);
}

void Agency::add_product(std::string_view code, std::string_view brand, std::string product) {
    Client& target = client_for_update(code);
    if (!target.find_brand(brand))
        throw NotFoundError("CL-2", "client.brand", quote(brand), "is not a brand of client " + target.code);
    std::string name = checked_name(product, "client.product", "CL-2");
    Client c = target;
    auto& products = std::find_if(c.brands.begin(), c.brands.end(), [&](const Brand& b) { return b.name == brand; })->products;
    if (std::find(products.begin(), products.end(), name) != products.end())
        throw ValidationError("CL-2", "client.product", quote(name), "is already a product of brand " + std::string(brand));
    products.push_back(std::move(name));
    target = std::move(c);
}

const Contact& Agency::add_contact(std::string_view code, const NewContact& spec) {
    Client& target = client_for_update(code);
    Contact k{
        .id = next_child_id("K", target.contacts, 2),
        .name = checked_name(spec.name, "contact.name", "CL-3"),
        .job_title = spec.job_title,
        .role = spec.role,
        .phone = spec.phone,
        .email = spec.email,
        .primary = spec.primary,
    };
    check_text(k.job_title, "contact.job_title", "CL-3", 200);
    check_text(k.phone, "contact.phone", "CL-3", 64);
    check_email(k.email, "contact.email", "CL-3");
    if (k.primary)
        if (const Contact* p = target.primary_contact())
            throw ValidationError("CL-3", "contact.primary", "true",
                                  "client " + target.code + " already has a primary contact (" + p->id + " " + p->name +
                                      "); use set_primary_contact to change it");
    Client c = target;
    c.contacts.push_back(std::move(k));
    target = std::move(c);
    return target.contacts.back();
}

void Agency::set_primary_contact(std::string_view code, std::string_view contact_id) {
    Client& target = client_for_update(code);
    if (!target.find_contact(contact_id))
        throw NotFoundError("CL-3", "contact.id", quote(contact_id), "is not a contact of client " + target.code);
    for (Contact& k : target.contacts) k.primary = k.id == contact_id;  // no allocation: cannot throw
}

const Contract& Agency::add_contract(std::string_view code, const Date& start, const Date& end, const Money& fee,
                                     std::string payment_terms) {
    Client& target = client_for_update(code);
    require_valid(start, "contract.start", "CL-7");
    require_valid(end, "contract.end", "CL-7");
    if (end < start)
        throw ValidationError("CL-7", "contract.end", date_str(end), "is before the start " + date_str(start));
    if (fee.currency() != currency_)
        throw ValidationError("MB-1", "contract.monthly_fee", fee.to_string(),
                              "must be in the agency currency " + std::string(currency_.code()));
    if (fee.is_negative())
        throw ValidationError("CL-7", "contract.monthly_fee", fee.to_string(), "must not be negative");
    check_text(payment_terms, "contract.payment_terms", "CL-7", 500);
    Client c = target;
    c.contracts.push_back(Contract{next_child_id("T", c.contracts, 2), start, end, fee, std::move(payment_terms)});
    target = std::move(c);
    return target.contracts.back();
}

void Agency::assign_team(std::string_view code, const AccountTeam& team, const Date& effective, std::string note) {
    Client& target = client_for_update(code);
    require_valid(effective, "team.effective", "ST-3");
    check_team(team, "client.team");
    check_text(note, "team.note", "ST-3", 2000);
    const Date last = target.team_history.back().effective;
    if (effective < last)
        throw ValidationError("ST-3", "team.effective", date_str(effective),
                              "is before the current team's start " + date_str(last) + "; history runs forward");
    Client c = target;
    c.team_history.push_back(TeamAssignment{effective, team, std::move(note)});
    target = std::move(c);
}

void Agency::set_stage(std::string_view code, PipelineStage stage, const Date& date, std::string note,
                       std::optional<Date> delivered_on) {
    Client& target = client_for_update(code);
    require_valid(date, "stage.date", "CL-6");
    check_text(note, "stage.note", "CL-6", 2000);
    const Date last = target.stage_history.back().date;
    if (date < last)
        throw ValidationError("CL-6", "stage.date", date_str(date),
                              "is before the last stage change " + date_str(last) + "; history runs forward");
    if (delivered_on && stage != PipelineStage::Closed)
        throw ValidationError("CL-6", "stage.delivered_on", date_str(*delivered_on),
                              "only a Closed stage has a delivery date");
    if (delivered_on) require_valid(*delivered_on, "stage.delivered_on", "CL-6");
    if (stage == PipelineStage::Closed && !delivered_on) delivered_on = date;
    Client c = target;
    c.stage_history.push_back(StageChange{date, stage, std::move(note), delivered_on});
    target = std::move(c);
}

void Agency::archive_client(std::string_view code) { client_for_update(code).archived = true; }

// ---------------------------------------------------------------- cadence, follow-ups, tiers

std::optional<DateTime> Agency::last_contact(std::string_view code, const Date& as_of) const {
    (void)client(code);
    auto it = activities_by_client_.find(std::string(code));
    if (it == activities_by_client_.end()) return std::nullopt;
    const DateTime end(as_of + bg::days(1));
    std::optional<DateTime> best;
    for (std::size_t i : it->second) {
        const DateTime& t = activities_[i].when;
        if (t < end && (!best || t > *best)) best = t;
    }
    return best;
}

std::optional<Date> Agency::next_follow_up(std::string_view code, const Date& as_of) const {
    const Client& c = client(code);
    if (c.archived) return std::nullopt;
    const StageChange* s = c.stage_on(as_of);
    if (s == nullptr) return std::nullopt;
    Date base = s->date;
    if (auto last = last_contact(code, as_of); last && last->date() > base) base = last->date();
    std::optional<Date> next;
    switch (s->stage) {
        case PipelineStage::Abandon: return std::nullopt;
        case PipelineStage::Closed: {
            const Date delivered = s->delivered_on.value_or(s->date);
            for (int day : {3, 7, 15}) {
                const Date p = delivered + bg::days(day);
                if (p > base) {
                    next = p;
                    break;
                }
            }
            break;
        }
        case PipelineStage::Negotiating: {
            int follow_ups = 0;
            if (auto it = activities_by_client_.find(c.code); it != activities_by_client_.end())
                for (std::size_t i : it->second) {
                    const Date d = activities_[i].when.date();
                    follow_ups += d >= s->date && d <= as_of;
                }
            if (follow_ups < 7) next = base + bg::days(3);
            break;
        }
        case PipelineStage::Potential: next = base + bg::days(90); break;
        case PipelineStage::Interrupted: next = base + bg::days(180); break;
    }
    if (!next) return std::nullopt;
    return calendar_.roll_forward(*next);
}

std::vector<OverdueContact> Agency::overdue_contacts(const Date& as_of) const {
    require_valid(as_of, "as_of", "CL-4");
    std::vector<OverdueContact> out;
    for (const Client& c : clients_)
        if (auto overdue = overdue_contact(c, as_of)) out.push_back(std::move(*overdue));
    return out;
}

std::optional<OverdueContact> Agency::overdue_contact(const Client& c, const Date& as_of) const {
    if (c.archived || as_of < c.first_contact) return std::nullopt;
    const StageChange* s = c.stage_on(as_of);
    if (!s || (s->stage != PipelineStage::Closed && s->stage != PipelineStage::Negotiating)) return std::nullopt;
    const int cadence = c.city == home_city_ ? policy_.contact_cadence_home_days() : policy_.contact_cadence_away_days();
    const auto last = last_contact(c.code, as_of);
    const Date last_day = last ? last->date() : c.first_contact;
    const Date due = calendar_.add_business_days(last_day, cadence);
    // Overdue once a business day has passed after the due date (weekends don't count).
    if (const int late = calendar_.business_days_between(due, as_of); late >= 1)
        return OverdueContact{c.code, last_day, due, late};
    return std::nullopt;
}

std::vector<TierAssignment> Agency::tiers(const Date& as_of, const BillingSource& billing) const {
    require_valid(as_of, "as_of", "CL-5");
    if (as_of < Date(1401, 1, 1))
        throw ValidationError("CL-5", "as_of", bg::to_iso_extended_string(as_of), "must be in the years 1401-9999");
    __extension__ typedef __int128 i128;
    const Date from = as_of - bg::years(1) + bg::days(1);
    std::vector<TierAssignment> rows;
    i128 total = 0;
    for (const Client& c : clients_) {
        if (c.archived || c.first_contact > as_of) continue;  // not (yet) a client on as_of
        TierAssignment t{.client = c.code,
                         .tier = Tier::C,
                         .billings = billing.billings(c.code, from, as_of),
                         .share = {},
                         .cumulative_share = {},
                         .days_overdue = billing.days_overdue(c.code, as_of),
                         .demoted = false,
                         .late_credit = billing.credit_late(c.code, as_of)};
        if (t.billings.currency() != currency_)
            throw ValidationError("MB-1", "billings." + c.code, t.billings.to_string(),
                                  "must be in the agency currency " + std::string(currency_.code()));
        if (t.billings.is_positive()) total += t.billings.minor_units();
        rows.push_back(std::move(t));
    }
    std::sort(rows.begin(), rows.end(), [](const TierAssignment& a, const TierAssignment& b) {
        if (a.billings.minor_units() != b.billings.minor_units()) return a.billings.minor_units() > b.billings.minor_units();
        return a.client < b.client;
    });
    // Shares in basis points of a percent (4 decimals), rounded half to even.
    auto share_of = [&](i128 part) {
        if (total == 0) return Decimal::from_units(0, 4);
        const i128 num = part * 10000;
        i128 q = num / total;
        const i128 r = num % total;
        if (2 * r > total || (2 * r == total && q % 2 != 0)) ++q;
        return Decimal::from_units(static_cast<std::int64_t>(q), 4);
    };
    // a < prev/total, exactly: compare a.units * total with prev * 10^scale.
    auto below = [&](const Decimal& threshold, i128 prev) {
        return static_cast<i128>(threshold.units()) * total > prev * pow10(threshold.scale());
    };
    i128 cumulative = 0;
    for (TierAssignment& t : rows) {
        const i128 amount = t.billings.is_positive() ? t.billings.minor_units() : 0;
        const i128 before = cumulative;
        cumulative += amount;
        t.share = share_of(amount);
        t.cumulative_share = share_of(cumulative);
        if (amount == 0) continue;  // no billings: tier C
        if (below(policy_.tier_a_share(), before)) t.tier = Tier::A;
        else if (below(policy_.tier_b_share(), before)) t.tier = Tier::B;
        if (t.tier == Tier::A && t.days_overdue > policy_.tier_a_max_overdue_days()) {
            t.tier = Tier::B;
            t.demoted = true;
        }
    }
    return rows;
}

}  // namespace aecore
