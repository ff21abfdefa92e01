// The aecore.Agency JSON document (PS-1..PS-3): writer, validating reader and the
// chain of version upgrades.

#include "aecore/serialization.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <boost/date_time/gregorian/gregorian.hpp>
#include <charconv>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <set>
#include <system_error>
#include <tuple>
#include <unordered_set>

#include "aecore/agency.hpp"
#include "atomic_file.hpp"
#include "json_io.hpp"
#include "json_text.hpp"
#include "ids.hpp"
#include "text_checks.hpp"

namespace aecore {

using json_io::Json;
using json_io::Reader;
using json_io::write;
using json_io::write_enum;
namespace bg = boost::gregorian;

namespace {

// ---------------------------------------------------------------- migrations
// kUpgrades[i] turns a version (i + 1) document into version (i + 2), in place, on the
// raw JSON. To change the schema: bump schema::kVersion, append one function here,
// and keep a golden file of the old version under tests/data/ that must still load.
using Upgrade = void (*)(Json&);

// v1 -> v2: clients and account-service routines arrive (issue #3); a v1 book has none.
void upgrade_1_to_2(Json& doc) {
    for (const char* key : {"clients", "activities", "contact_reports", "meeting_notices", "status_reports"}) {
        if (doc.contains(key))
            Reader(doc[key], std::string("/") + key).fail("unknown key " + quote(key) + " in a version 1 document");
        doc[key] = Json::array();
    }
    Json& seq = doc["sequences"];
    if (!seq.is_object()) return;  // the reader reports the malformed document
    for (const char* key : {"clients", "activities", "contact_reports", "meeting_notices", "status_reports"})
        if (seq.contains(key))
            Reader(seq[key], std::string("/sequences/") + key).fail("unknown key " + quote(key) + " in a version 1 document");
    seq["clients"] = Json::object();
    for (const char* key : {"activities", "contact_reports", "meeting_notices", "status_reports"}) seq[key] = 1;
}

// v2 -> v3: marketing plans arrive (issue #4).
void upgrade_2_to_3(Json& doc) {
    if (doc.contains("plans")) Reader(doc["plans"], "/plans").fail("unknown key \"plans\" in a version 2 document");
    doc["plans"] = Json::array();
    Json& seq = doc["sequences"];
    if (!seq.is_object()) return;
    if (seq.contains("plans"))
        Reader(seq["plans"], "/sequences/plans").fail("unknown key \"plans\" in a version 2 document");
    seq["plans"] = 1;
}

// v3 -> v4: job tickets and time sheets arrive (issue #5).
void upgrade_3_to_4(Json& doc) {
    for (const char* key : {"jobs", "time_entries"}) {
        if (doc.contains(key))
            Reader(doc[key], std::string("/") + key).fail("unknown key " + quote(key) + " in a version 3 document");
        doc[key] = Json::array();
    }
    Json& seq = doc["sequences"];
    if (!seq.is_object()) return;
    for (const char* key : {"jobs", "time_entries"})
        if (seq.contains(key))
            Reader(seq[key], std::string("/sequences/") + key).fail("unknown key " + quote(key) + " in a version 3 document");
    seq["jobs"] = Json::object();
    seq["time_entries"] = 1;
}

// v4 -> v5: cost estimates and the ledger arrive (issue #6). Approved time carries its
// cost into the ledger (MB-3), so the migration posts one ActualCost entry per approved
// or billed time entry with a cost, in the order of the time entries.
void upgrade_4_to_5(Json& doc) {
    for (const char* key : {"estimates", "ledger"})
        if (doc.contains(key))
            Reader(doc[key], std::string("/") + key).fail("unknown key " + quote(key) + " in a version 4 document");
    doc["estimates"] = Json::array();
    Json ledger = Json::array();
    std::map<std::string, std::string> client_of_job;
    if (doc.contains("jobs") && doc["jobs"].is_array())
        for (const Json& j : doc["jobs"])
            if (j.is_object() && j.contains("number") && j["number"].is_string() && j.contains("client") &&
                j["client"].is_string())
                client_of_job[j["number"].get<std::string>()] = j["client"].get<std::string>();
    if (doc.contains("time_entries") && doc["time_entries"].is_array())
        for (const Json& e : doc["time_entries"]) {
            // Malformed entries are left for the reader to report at their own path.
            if (!e.is_object() || !e.contains("status") || e["status"] == "Submitted" || !e.contains("cost") ||
                !e["cost"].is_object() || !e["cost"].contains("amount") || !e["cost"]["amount"].is_string() ||
                !e.contains("job") || !e["job"].is_string() || !e.contains("id") || !e.contains("date") ||
                !e.contains("approved_by"))
                continue;
            const std::string amount = e["cost"]["amount"].get<std::string>();
            if (amount.find_first_not_of("-0.") == std::string::npos) continue;  // zero cost: nothing to post
            auto client = client_of_job.find(e["job"].get<std::string>());
            if (client == client_of_job.end()) continue;
            char id[24];
            std::snprintf(id, sizeof id, "L%08zu", ledger.size() + 1);
            ledger.push_back({{"id", id},
                              {"kind", "ActualCost"},
                              {"date", e["date"]},
                              {"client", client->second},
                              {"job", e["job"]},
                              {"amount", amount},
                              {"reference", e["id"]},
                              {"recorded_by", e["approved_by"]},
                              {"time_entry", e["id"]}});
        }
    doc["ledger"] = std::move(ledger);
}

Json write_rubric(const Rubric& r);

// v5 -> v6: rubrics and evaluations arrive (issue #7); the built-in rubrics join every book.
void upgrade_5_to_6(Json& doc) {
    for (const char* key : {"rubrics", "evaluations"})
        if (doc.contains(key))
            Reader(doc[key], std::string("/") + key).fail("unknown key " + quote(key) + " in a version 5 document");
    Json rubrics = Json::array();
    for (const Rubric& r : builtin_rubrics()) rubrics.push_back(write_rubric(r));
    doc["rubrics"] = std::move(rubrics);
    doc["evaluations"] = Json::array();
    Json& seq = doc["sequences"];
    if (!seq.is_object()) return;
    if (seq.contains("evaluations"))
        Reader(seq["evaluations"], "/sequences/evaluations").fail("unknown key \"evaluations\" in a version 5 document");
    seq["evaluations"] = 1;
}

constexpr std::array<Upgrade, schema::kVersion - 1> kUpgrades{upgrade_1_to_2, upgrade_2_to_3, upgrade_3_to_4,
                                                              upgrade_4_to_5, upgrade_5_to_6};

void upgrade_to_current(Json& doc, int from_version) {
    for (int v = from_version; v < schema::kVersion; ++v) {
        kUpgrades[static_cast<std::size_t>(v - 1)](doc);
        doc["version"] = v + 1;
    }
}

// ---------------------------------------------------------------- sections

Json write_policy(const Policy& p) {
    Json j = Json::object();
    j["span_of_control"] = {{"min", p.span_of_control_min()}, {"max", p.span_of_control_max()}};
    j["contact_cadence_days"] = {{"home_city", p.contact_cadence_home_days()},
                                 {"elsewhere", p.contact_cadence_away_days()}};
    j["tier_shares"] = {{"A", write(p.tier_a_share())}, {"B", write(p.tier_b_share())}};
    j["tier_a_max_overdue_days"] = p.tier_a_max_overdue_days();
    j["min_distribution_for_advertising"] = p.min_distribution_for_advertising();
    Json lead = Json::object();
    for (const auto& [type, name] : EnumNames<JobType>::entries) lead[std::string(name)] = p.lead_time_days(type);
    j["lead_time_days"] = std::move(lead);
    j["overspend"] = write_enum(p.overspend());
    j["escalation_days"] = {{"AE", p.escalation_ae_days()}, {"AM", p.escalation_am_days()}, {"AD", p.escalation_ad_days()}};
    j["late_payment_days"] = p.late_payment_days();
    const RatingBands& b = p.rating_bands();
    j["rating_bands"] = Json::array(
        {write(b.unsatisfactory_below), write(b.needs_improvement_below), write(b.meets_below), write(b.exceeds_below)});
    return j;
}

Policy read_policy(const Reader& r) {
    r.expect_object({"span_of_control", "contact_cadence_days", "tier_shares", "tier_a_max_overdue_days",
                     "min_distribution_for_advertising", "lead_time_days", "overspend", "escalation_days",
                     "late_payment_days", "rating_bands"});
    Policy p;
    {
        const Reader s = r.at("span_of_control");
        s.expect_object({"min", "max"});
        const int lo = s.at("min").small_int(0, 1000);
        const int hi = s.at("max").small_int(0, 1000);
        s.guard([&] { p.set_span_of_control(lo, hi); });
    }
    {
        const Reader c = r.at("contact_cadence_days");
        c.expect_object({"home_city", "elsewhere"});
        const int home = c.at("home_city").small_int(0, 10000);
        const int away = c.at("elsewhere").small_int(0, 10000);
        c.guard([&] { p.set_contact_cadence(home, away); });
    }
    {
        const Reader t = r.at("tier_shares");
        t.expect_object({"A", "B"});
        const Decimal a = t.at("A").decimal();
        const Decimal b = t.at("B").decimal();
        t.guard([&] { p.set_tier_shares(a, b); });
    }
    {
        const Reader o = r.at("tier_a_max_overdue_days");
        const int days = o.small_int(0, 100000);
        o.guard([&] { p.set_tier_a_max_overdue_days(days); });
    }
    {
        const Reader d = r.at("min_distribution_for_advertising");
        const int pct = d.small_int(0, 100000);
        d.guard([&] { p.set_min_distribution_for_advertising(pct); });
    }
    {
        const Reader l = r.at("lead_time_days");
        l.expect_object({"TVCommercial", "PrintAd", "PointOfSale", "MediaPlan", "Research", "Other"});
        for (const auto& [type, name] : EnumNames<JobType>::entries) {
            const Reader v = l.at(name);
            const int days = v.small_int(0, 100000);
            const JobType job_type = type;  // (clang 14 cannot capture a structured binding)
            v.guard([&] { p.set_lead_time_days(job_type, days); });
        }
    }
    p.set_overspend(r.at("overspend").enumeration<OverspendPolicy>());
    {
        const Reader e = r.at("escalation_days");
        e.expect_object({"AE", "AM", "AD"});
        const int ae = e.at("AE").small_int(0, 100000);
        const int am = e.at("AM").small_int(0, 100000);
        const int ad = e.at("AD").small_int(0, 100000);
        e.guard([&] { p.set_escalation_days(ae, am, ad); });
    }
    {
        const Reader l = r.at("late_payment_days");
        const int days = l.small_int(0, 100000);
        l.guard([&] { p.set_late_payment_days(days); });
    }
    {
        const Reader b = r.at("rating_bands");
        const auto items = b.items();
        if (items.size() != 4) b.fail("expected 4 band bounds, found " + std::to_string(items.size()));
        const RatingBands bands{items[0].decimal(), items[1].decimal(), items[2].decimal(), items[3].decimal()};
        b.guard([&] { p.set_rating_bands(bands); });
    }
    return p;
}

Json write_calendar(const BusinessCalendar& c) {
    Json j = Json::object();
    Json weekend = Json::array();
    for (Weekday w : c.weekend()) weekend.push_back(write_enum(w));
    j["weekend"] = std::move(weekend);
    j["working_hours"] = {{"start", json_io::write_time_of_day(c.work_start())},
                          {"end", json_io::write_time_of_day(c.work_end())}};
    Json holidays = Json::array();
    for (const Date& d : c.holidays()) holidays.push_back(write(d));
    j["holidays"] = std::move(holidays);
    Json worked = Json::array();
    for (const Date& d : c.working_weekend_days()) worked.push_back(write(d));
    j["working_weekend_days"] = std::move(worked);
    return j;
}

BusinessCalendar read_calendar(const Reader& r) {
    r.expect_object({"weekend", "working_hours", "holidays", "working_weekend_days"});
    BusinessCalendar c;
    {
        const Reader w = r.at("weekend");
        std::vector<Weekday> days;
        for (const Reader& item : w.items()) days.push_back(item.enumeration<Weekday>());
        w.guard([&] { c.set_weekend(days); });
        if (c.weekend() != days) w.fail("weekend days must be listed once each, in Monday-to-Sunday order");
    }
    {
        const Reader h = r.at("working_hours");
        h.expect_object({"start", "end"});
        const Duration start = h.at("start").time_of_day();
        const Duration end = h.at("end").time_of_day();
        h.guard([&] { c.set_working_hours(start, end); });
    }
    auto read_dates = [](const Reader& list) {
        std::vector<Date> out;
        for (const Reader& item : list.items()) {
            const Date d = item.date();
            if (!out.empty() && !(out.back() < d)) item.fail("dates must be sorted ascending without duplicates");
            out.push_back(d);
        }
        return out;
    };
    c.set_holidays(read_dates(r.at("holidays")));
    c.set_working_weekend_days(read_dates(r.at("working_weekend_days")));
    return c;
}

Json write_staff(const Staff& s) {
    Json j = Json::object();
    j["id"] = s.id;
    j["name"] = s.name;
    j["title"] = write_enum(s.title);
    j["department"] = write_enum(s.department);
    j["hourly_rate"] = write(s.hourly_rate);
    j["manager"] = s.manager ? Json(*s.manager) : Json(nullptr);
    j["email"] = s.email;
    j["active"] = s.active;
    return j;
}

Staff read_staff(const Reader& r) {
    r.expect_object({"id", "name", "title", "department", "hourly_rate", "manager", "email", "active"});
    const Reader name = r.at("name");
    Staff s{
        .id = r.at("id").str(),
        .name = name.str(),
        .title = r.at("title").enumeration<Title>(),
        .department = r.at("department").enumeration<Department>(),
        .hourly_rate = r.at("hourly_rate").money(),
        .manager = std::nullopt,
        .email = r.at("email").str(),
        .active = r.at("active").boolean(),
    };
    if (const Reader m = r.at("manager"); !m.is_null()) s.manager = m.str();
    return s;
}

Json write_opt(const std::optional<std::string>& v) { return v ? Json(*v) : Json(nullptr); }

std::optional<std::string> read_opt_str(const Reader& r, std::string_view key) {
    const Reader v = r.at(key);
    if (v.is_null()) return std::nullopt;
    return v.str();
}

std::vector<std::string> read_str_list(const Reader& r) {
    std::vector<std::string> out;
    for (const Reader& item : r.items()) out.push_back(item.str());
    return out;
}

// The serial number at the end of an id such as "A000012" (0 when malformed).
std::uint64_t id_serial(const std::string& id, std::size_t prefix_len) {
    std::uint64_t v = 0;
    if (id.size() <= prefix_len) return 0;
    auto [p, ec] = std::from_chars(id.data() + prefix_len, id.data() + id.size(), v);
    return (ec == std::errc() && p == id.data() + id.size()) ? v : 0;
}

// ---------------------------------------------------------------- clients

Json write_client(const Client& c) {
    Json j = Json::object();
    j["code"] = c.code;
    j["name"] = c.name;
    j["short_name"] = c.short_name;
    j["city"] = c.city;
    j["first_contact"] = write(c.first_contact);
    j["address"] = c.address;
    j["phone"] = c.phone;
    j["fax"] = c.fax;
    j["email"] = c.email;
    j["annual_budget"] = write(c.annual_budget);
    Json brands = Json::array();
    for (const Brand& b : c.brands) brands.push_back({{"name", b.name}, {"products", b.products}});
    j["brands"] = std::move(brands);
    Json contacts = Json::array();
    for (const Contact& k : c.contacts)
        contacts.push_back({{"id", k.id}, {"name", k.name}, {"job_title", k.job_title}, {"role", write_enum(k.role)},
                            {"phone", k.phone}, {"email", k.email}, {"primary", k.primary}});
    j["contacts"] = std::move(contacts);
    Json contracts = Json::array();
    for (const Contract& t : c.contracts)
        contracts.push_back({{"id", t.id}, {"start", write(t.start)}, {"end", write(t.end)},
                             {"monthly_fee", write(t.monthly_fee)}, {"payment_terms", t.payment_terms}});
    j["contracts"] = std::move(contracts);
    j["notes"] = c.notes;
    j["background"] = c.background;
    Json teams = Json::array();
    for (const TeamAssignment& t : c.team_history)
        teams.push_back({{"effective", write(t.effective)}, {"ae", t.team.ae}, {"aae", write_opt(t.team.aae)},
                         {"am", write_opt(t.team.am)}, {"ad", write_opt(t.team.ad)}, {"note", t.note}});
    j["team_history"] = std::move(teams);
    Json stages = Json::array();
    for (const StageChange& st : c.stage_history)
        stages.push_back({{"date", write(st.date)}, {"stage", write_enum(st.stage)}, {"note", st.note},
                          {"delivered_on", st.delivered_on ? write(*st.delivered_on) : Json(nullptr)}});
    j["stage_history"] = std::move(stages);
    j["archived"] = c.archived;
    return j;
}

Client read_client(const Reader& r, Currency currency) {
    r.expect_object({"code", "name", "short_name", "city", "first_contact", "address", "phone", "fax", "email",
                     "annual_budget", "brands", "contacts", "contracts", "notes", "background", "team_history",
                     "stage_history", "archived"});
    auto text = [&](std::string_view key, std::size_t max) {
        const Reader v = r.at(key);
        std::string out = v.str();
        v.guard([&] { check_text(out, "client." + std::string(key), "CL-2", max); });
        return out;
    };
    Client c{
        .code = r.at("code").str(),
        .name = r.at("name").str(),
        .short_name = r.at("short_name").str(),
        .city = r.at("city").str(),
        .first_contact = r.at("first_contact").date(),
        .address = text("address", 500),
        .phone = text("phone", 64),
        .fax = text("fax", 64),
        .email = r.at("email").str(),
        .annual_budget = r.at("annual_budget").money(),
        .brands = {},
        .contacts = {},
        .contracts = {},
        .notes = text("notes", 20000),
        .background = text("background", 20000),
        .team_history = {},
        .stage_history = {},
        .archived = r.at("archived").boolean(),
    };
    r.at("name").guard([&] {
        if (checked_name(c.name, "client.name", "CL-2") != c.name)
            throw ValidationError("CL-2", "client.name", quote(c.name), "must not start or end with white space");
    });
    r.at("short_name").guard([&] { check_short_code(c.short_name, "client.short_name", "CL-1"); });
    r.at("city").guard([&] { check_city_code(c.city, "client.city", "CL-1"); });
    r.at("email").guard([&] { check_email(c.email, "client.email", "CL-2"); });
    if (c.annual_budget.currency() != currency || c.annual_budget.is_negative())
        r.at("annual_budget").fail("must be a non-negative amount in the agency currency [CL-2]");
    for (const Reader& b : r.at("brands").items()) {
        b.expect_object({"name", "products"});
        Brand brand{b.at("name").str(), read_str_list(b.at("products"))};
        if (c.find_brand(brand.name)) b.at("name").fail("duplicate brand " + quote(brand.name) + " [CL-2]");
        c.brands.push_back(std::move(brand));
    }
    for (const Reader& k : r.at("contacts").items()) {
        k.expect_object({"id", "name", "job_title", "role", "phone", "email", "primary"});
        Contact contact{k.at("id").str(),  k.at("name").str(),  k.at("job_title").str(),
                        k.at("role").enumeration<DecisionRole>(), k.at("phone").str(), k.at("email").str(),
                        k.at("primary").boolean()};
        if (c.find_contact(contact.id)) k.at("id").fail("duplicate contact id " + quote(contact.id) + " [CL-3]");
        if (contact.id.size() < 2 || contact.id[0] != 'K' || id_serial(contact.id, 1) == 0)
            k.at("id").fail("expected a contact id of the form K<digits> [CL-3]");
        if (contact.primary && c.primary_contact()) k.at("primary").fail("a second primary contact [CL-3]");
        k.at("email").guard([&] { check_email(contact.email, "contact.email", "CL-3"); });
        c.contacts.push_back(std::move(contact));
    }
    for (const Reader& t : r.at("contracts").items()) {
        t.expect_object({"id", "start", "end", "monthly_fee", "payment_terms"});
        Contract contract{t.at("id").str(), t.at("start").date(), t.at("end").date(), t.at("monthly_fee").money(),
                          t.at("payment_terms").str()};
        if (contract.end < contract.start) t.at("end").fail("contract ends before it starts [CL-7]");
        if (contract.id.size() < 2 || contract.id[0] != 'T' || id_serial(contract.id, 1) == 0)
            t.at("id").fail("expected a contract id of the form T<digits> [CL-7]");
        for (const Contract& other : c.contracts)
            if (other.id == contract.id) t.at("id").fail("duplicate contract id " + quote(contract.id) + " [CL-7]");
        if (contract.monthly_fee.currency() != currency || contract.monthly_fee.is_negative())
            t.at("monthly_fee").fail("must be a non-negative amount in the agency currency [CL-7]");
        c.contracts.push_back(std::move(contract));
    }
    for (const Reader& t : r.at("team_history").items()) {
        t.expect_object({"effective", "ae", "aae", "am", "ad", "note"});
        TeamAssignment a{t.at("effective").date(),
                         AccountTeam{t.at("ae").str(), read_opt_str(t, "aae"), read_opt_str(t, "am"), read_opt_str(t, "ad")},
                         t.at("note").str()};
        if (!c.team_history.empty() && a.effective < c.team_history.back().effective)
            t.at("effective").fail("team history must run forward in time [ST-3]");
        c.team_history.push_back(std::move(a));
    }
    if (c.team_history.empty()) r.at("team_history").fail("a client always has an account team [ST-3]");
    for (const Reader& t : r.at("stage_history").items()) {
        t.expect_object({"date", "stage", "note", "delivered_on"});
        StageChange st{t.at("date").date(), t.at("stage").enumeration<PipelineStage>(), t.at("note").str(), std::nullopt};
        if (const Reader d = t.at("delivered_on"); !d.is_null()) {
            if (st.stage != PipelineStage::Closed) d.fail("only a Closed stage has a delivery date [CL-6]");
            st.delivered_on = d.date();
        }
        if (!c.stage_history.empty() && st.date < c.stage_history.back().date)
            t.at("date").fail("stage history must run forward in time [CL-6]");
        c.stage_history.push_back(std::move(st));
    }
    if (c.stage_history.empty()) r.at("stage_history").fail("a client always has a pipeline stage [CL-6]");
    return c;
}

// ---------------------------------------------------------------- marketing plans

Json write_opt_money(const std::optional<Money>& m) { return m ? write(*m) : Json(nullptr); }
Json write_opt_decimal(const std::optional<Decimal>& d) { return d ? write(*d) : Json(nullptr); }
Json write_opt_date(const std::optional<Date>& d) { return d ? write(*d) : Json(nullptr); }

Json write_plan(const MarketingPlan& p) {
    Json j = Json::object();
    j["id"] = p.id;
    j["client"] = p.client;
    j["brand"] = p.brand;
    j["product"] = write_opt(p.product);
    j["period_start"] = write(p.period_start);
    j["period_end"] = write(p.period_end);
    j["market"] = write_enum(p.market);
    j["title"] = p.title;
    j["version"] = p.version;
    j["supersedes"] = write_opt(p.supersedes);
    j["superseded_by"] = write_opt(p.superseded_by);
    const ProductSection& ps = p.product_section;
    j["product_section"] = {{"stage", write_enum(ps.stage)},
                            {"usp", ps.usp},
                            {"tangible_benefits", ps.tangible_benefits},
                            {"intangible_benefits", ps.intangible_benefits},
                            {"improvement_note", ps.improvement_note}};
    Json competitors = Json::array();
    for (const CompetitorPrice& c : p.price.competitors)
        competitors.push_back({{"competitor", c.competitor}, {"price", write(c.price)}});
    j["price"] = {{"list_price", write_opt_money(p.price.list_price)},
                  {"positioning", write_enum(p.price.positioning)},
                  {"consumer_acceptance", p.price.consumer_acceptance},
                  {"competitors", std::move(competitors)}};
    j["place"] = {{"channels", p.place.channels},
                  {"outlets_current", p.place.outlets_current},
                  {"outlets_target", p.place.outlets_target},
                  {"coverage_percent", write(p.place.coverage_percent)}};
    Json mix = Json::array();
    for (const MixBudget& m : p.promotion.mix) mix.push_back({{"element", write_enum(m.element)}, {"budget", write(m.budget)}});
    j["promotion"] = {{"budget", write_opt_money(p.promotion.budget)},
                      {"mix", std::move(mix)},
                      {"objective", write_enum(p.promotion.objective)}};
    Json objectives = Json::array();
    for (const Objective& o : p.objectives) {
        Json actuals = Json::array();
        for (const Measurement& m : o.actuals) actuals.push_back({{"date", write(m.date)}, {"value", write(m.value)}});
        objectives.push_back({{"id", o.id},
                              {"kind", write_enum(o.kind)},
                              {"description", o.description},
                              {"baseline", write_opt_decimal(o.baseline)},
                              {"target", write_opt_decimal(o.target)},
                              {"deadline", write_opt_date(o.deadline)},
                              {"actuals", std::move(actuals)}});
    }
    j["objectives"] = std::move(objectives);
    j["strategy"] = {{"target_audience", p.strategy.target_audience},
                     {"positioning", p.strategy.positioning},
                     {"execution", p.strategy.execution}};
    j["status"] = write_enum(p.status);
    Json history = Json::array();
    for (const PlanTransition& t : p.history)
        history.push_back({{"from", write_enum(t.from)}, {"to", write_enum(t.to)}, {"at", write(t.at)},
                           {"actor", t.actor}, {"note", t.note}});
    j["history"] = std::move(history);
    j["approved_by"] = write_opt(p.approved_by);
    j["approved_at"] = p.approved_at ? write(*p.approved_at) : Json(nullptr);
    return j;
}

MarketingPlan read_plan(const Reader& r, Currency currency) {
    r.expect_object({"id", "client", "brand", "product", "period_start", "period_end", "market", "title", "version",
                     "supersedes", "superseded_by", "product_section", "price", "place", "promotion", "objectives",
                     "strategy", "status", "history", "approved_by", "approved_at"});
    auto money_in = [&](const Reader& at) {
        const Money m = at.money();
        if (m.currency() != currency || m.is_negative())
            at.fail("must be a non-negative amount in the agency currency [MP-5]");
        return m;
    };
    auto opt_money = [&](const Reader& at) { return at.is_null() ? std::optional<Money>() : std::optional(money_in(at)); };
    auto opt_decimal = [](const Reader& at) { return at.is_null() ? std::optional<Decimal>() : std::optional(at.decimal()); };
    MarketingPlan p;
    p.id = r.at("id").str();
    p.client = r.at("client").str();
    p.brand = r.at("brand").str();
    p.product = read_opt_str(r, "product");
    p.period_start = r.at("period_start").date();
    p.period_end = r.at("period_end").date();
    if (p.period_end < p.period_start) r.at("period_end").fail("the period ends before it starts [MP-1]");
    p.market = r.at("market").enumeration<MarketType>();
    p.title = r.at("title").str();
    p.version = static_cast<int>(r.at("version").integer(1, kMaxSerial + 1));
    p.supersedes = read_opt_str(r, "supersedes");
    p.superseded_by = read_opt_str(r, "superseded_by");
    {
        const Reader ps = r.at("product_section");
        ps.expect_object({"stage", "usp", "tangible_benefits", "intangible_benefits", "improvement_note"});
        p.product_section = ProductSection{ps.at("stage").enumeration<LifeCycleStage>(), ps.at("usp").str(),
                                           read_str_list(ps.at("tangible_benefits")),
                                           read_str_list(ps.at("intangible_benefits")), ps.at("improvement_note").str()};
    }
    {
        const Reader pr = r.at("price");
        pr.expect_object({"list_price", "positioning", "consumer_acceptance", "competitors"});
        p.price.list_price = opt_money(pr.at("list_price"));
        p.price.positioning = pr.at("positioning").enumeration<PricePositioning>();
        p.price.consumer_acceptance = pr.at("consumer_acceptance").str();
        for (const Reader& c : pr.at("competitors").items()) {
            c.expect_object({"competitor", "price"});
            p.price.competitors.push_back(CompetitorPrice{c.at("competitor").str(), money_in(c.at("price"))});
        }
    }
    {
        const Reader pl = r.at("place");
        pl.expect_object({"channels", "outlets_current", "outlets_target", "coverage_percent"});
        p.place = PlaceSection{read_str_list(pl.at("channels")), pl.at("outlets_current").small_int(0, INT32_MAX),
                               pl.at("outlets_target").small_int(0, INT32_MAX), pl.at("coverage_percent").decimal()};
        if (p.place.coverage_percent < Decimal(0) || p.place.coverage_percent > Decimal(100))
            pl.at("coverage_percent").fail("distribution coverage must be 0-100 % [MP-4]");
    }
    {
        const Reader pm = r.at("promotion");
        pm.expect_object({"budget", "mix", "objective"});
        p.promotion.budget = opt_money(pm.at("budget"));
        for (const Reader& m : pm.at("mix").items()) {
            m.expect_object({"element", "budget"});
            const MixElement e = m.at("element").enumeration<MixElement>();
            for (const MixBudget& other : p.promotion.mix)
                if (other.element == e) m.at("element").fail("appears twice in the promotion mix [MP-5]");
            p.promotion.mix.push_back(MixBudget{e, money_in(m.at("budget"))});
        }
        p.promotion.objective = pm.at("objective").enumeration<PromotionObjective>();
    }
    for (const Reader& o : r.at("objectives").items()) {
        o.expect_object({"id", "kind", "description", "baseline", "target", "deadline", "actuals"});
        Objective obj{o.at("id").str(), o.at("kind").enumeration<ObjectiveKind>(), o.at("description").str(),
                      opt_decimal(o.at("baseline")), opt_decimal(o.at("target")), std::nullopt, {}};
        if (const Reader d = o.at("deadline"); !d.is_null()) {
            obj.deadline = d.date();
            if (*obj.deadline < p.period_start) d.fail("the deadline is before the plan period starts [MP-6]");
        }
        if (p.find_objective(obj.id)) o.at("id").fail("duplicate objective id [MP-6]");
        if (child_id_number(obj.id, "O") == 0) o.at("id").fail("expected an objective id of the form O<digits> [MP-6]");
        const bool share = obj.kind == ObjectiveKind::MarketShare || obj.kind == ObjectiveKind::BrandAwareness;
        auto check_share = [&](const std::optional<Decimal>& v, const char* key) {
            if (share && v && (*v < Decimal(0) || *v > Decimal(100))) o.at(key).fail("a percentage must be 0-100 [MP-6]");
        };
        check_share(obj.baseline, "baseline");
        check_share(obj.target, "target");
        if (obj.kind == ObjectiveKind::BrandImage && (obj.baseline || obj.target))
            o.at(obj.target ? "target" : "baseline").fail("BrandImage is qualitative and has no numbers [MP-6]");
        for (const Reader& m : o.at("actuals").items()) {
            m.expect_object({"date", "value"});
            Measurement meas{m.at("date").date(), m.at("value").decimal()};
            if (obj.kind == ObjectiveKind::BrandImage) m.fail("BrandImage is qualitative and has no numeric actuals [MP-6]");
            if (share && (meas.value < Decimal(0) || meas.value > Decimal(100)))
                m.at("value").fail("a percentage must be 0-100 [MP-6]");
            if (!obj.actuals.empty() && !(obj.actuals.back().date < meas.date))
                m.at("date").fail("measurements must be in date order, one per date [MP-6]");
            obj.actuals.push_back(meas);
        }
        p.objectives.push_back(std::move(obj));
    }
    {
        const Reader st = r.at("strategy");
        st.expect_object({"target_audience", "positioning", "execution"});
        p.strategy = Strategy{st.at("target_audience").str(), st.at("positioning").str(), st.at("execution").str()};
    }
    p.status = r.at("status").enumeration<PlanStatus>();
    for (const Reader& h : r.at("history").items()) {
        h.expect_object({"from", "to", "at", "actor", "note"});
        PlanTransition t{h.at("from").enumeration<PlanStatus>(), h.at("to").enumeration<PlanStatus>(),
                         h.at("at").date_time(), h.at("actor").str(), h.at("note").str()};
        if (!p.history.empty() && t.at < p.history.back().at) h.at("at").fail("history must run forward in time [MP-8]");
        // Replay the workflow: created (Draft -> Draft) first, then only the plan's steps.
        using PS = PlanStatus;
        const bool first = p.history.empty();
        const bool step_ok = first ? (t.from == PS::Draft && t.to == PS::Draft)
                                   : t.from == p.history.back().to &&
                                         ((t.from == PS::Draft && t.to == PS::Proposed) ||
                                          (t.from == PS::Proposed && t.to == PS::ClientApproved) ||
                                          (t.from == PS::ClientApproved && t.to == PS::Superseded));
        if (!step_ok)
            h.fail("the plan workflow has no step " + std::string(to_string(t.from)) + " -> " +
                   std::string(to_string(t.to)) + " here [MP-8]");
        p.history.push_back(std::move(t));
    }
    if (p.history.empty() || p.history.back().to != p.status)
        r.at("status").fail("must be the status the history ends in [MP-8]");
    p.approved_by = read_opt_str(r, "approved_by");
    if (const Reader at = r.at("approved_at"); !at.is_null()) p.approved_at = at.date_time();

    const bool approved = p.status == PlanStatus::ClientApproved || p.status == PlanStatus::Superseded;
    if (approved != (p.approved_by.has_value() && p.approved_at.has_value()))
        r.at("approved_by").fail("an approved plan records who approved it and when, other plans do not [MP-8]");
    return p;
}

// ---------------------------------------------------------------- job tickets

Brief read_brief(const Reader& r, Currency currency) {
    r.expect_object({"objective", "target_audience", "key_message", "mandatories", "deliverables", "budget",
                     "media_objectives", "research_objective", "research_method", "research_sample"});
    Brief b{r.at("objective").str(), r.at("target_audience").str(), r.at("key_message").str(),
            r.at("mandatories").str(), {}, std::nullopt, r.at("media_objectives").str(),
            r.at("research_objective").str(), r.at("research_method").str(), r.at("research_sample").str()};
    for (const Reader& d : r.at("deliverables").items()) {
        d.expect_object({"media", "specification"});
        b.deliverables.push_back(Deliverable{d.at("media").str(), d.at("specification").str()});
    }
    if (const Reader m = r.at("budget"); !m.is_null()) {
        b.budget = m.money();
        if (b.budget->currency() != currency || b.budget->is_negative())
            m.fail("must be a non-negative amount in the agency currency [JT-4]");
    }
    return b;
}

// The text of write_job(t), pretty-printed, written without its DOM (a big book's list of
// tickets otherwise allocates and frees some sixty nodes a ticket, which, in a heap that a
// load left with millions of free chunks, cost more than the writing).
void write_date_time_text(json_text::PrettyWriter& w, const DateTime& t) {
    char buf[40];
    char* p = buf;
    *p++ = '"';
    p = json_text::write_day(p, static_cast<std::int32_t>(t.date().day_number()));
    const auto tod = t.time_of_day();
    const auto two = [&p](long v) {
        *p++ = static_cast<char>('0' + v / 10 % 10);
        *p++ = static_cast<char>('0' + v % 10);
    };
    *p++ = 'T';
    two(tod.hours());
    *p++ = ':';
    two(tod.minutes());
    *p++ = ':';
    two(tod.seconds());
    if (const long micro = static_cast<long>(tod.total_microseconds() % 1000000); micro != 0) {
        *p++ = '.';
        for (long div = 100000; div > 0; div /= 10) *p++ = static_cast<char>('0' + micro / div % 10);
    }
    *p++ = '"';
    w.raw(std::string_view(buf, static_cast<std::size_t>(p - buf)));
}

void write_money_text(json_text::PrettyWriter& w, const Money& m) {
    char buf[json_text::kMinorUnitsMax + 2];
    char* p = buf;
    *p++ = '"';
    p = json_text::write_minor_units(p, m.minor_units(), m.currency().digits());
    *p++ = '"';
    w.begin_object();
    w.key("amount");
    w.raw(std::string_view(buf, static_cast<std::size_t>(p - buf)));
    w.key("currency");
    w.string(m.currency().code());
    w.end_object();
}

void write_opt_money_text(json_text::PrettyWriter& w, const std::optional<Money>& m) {
    if (m) write_money_text(w, *m);
    else w.null();
}

void write_job_text(json_text::PrettyWriter& w, const JobTicket& t) {
    w.begin_object();
    w.key("number");
    w.string(t.number);
    w.key("kind");
    w.string(to_string(t.kind));
    w.key("parent");
    w.opt_string(t.parent);
    w.key("client");
    w.string(t.client);
    w.key("brand");
    w.string(t.brand);
    w.key("product");
    w.opt_string(t.product);
    w.key("department");
    w.string(to_string(t.department));
    w.key("job_type");
    w.string(to_string(t.job_type));
    w.key("title");
    w.string(t.title);
    w.key("brief");
    {
        const Brief& b = t.brief;
        w.begin_object();
        w.key("objective");
        w.string(b.objective);
        w.key("target_audience");
        w.string(b.target_audience);
        w.key("key_message");
        w.string(b.key_message);
        w.key("mandatories");
        w.string(b.mandatories);
        w.key("deliverables");
        w.begin_array();
        for (const Deliverable& d : b.deliverables) {
            w.begin_object();
            w.key("media");
            w.string(d.media);
            w.key("specification");
            w.string(d.specification);
            w.end_object();
        }
        w.end_array();
        w.key("budget");
        write_opt_money_text(w, b.budget);
        w.key("media_objectives");
        w.string(b.media_objectives);
        w.key("research_objective");
        w.string(b.research_objective);
        w.key("research_method");
        w.string(b.research_method);
        w.key("research_sample");
        w.string(b.research_sample);
        w.end_object();
    }
    w.key("cost_estimate");
    write_opt_money_text(w, t.cost_estimate);
    w.key("client_deadline");
    write_date_time_text(w, t.client_deadline);
    w.key("assignees");
    w.begin_array();
    for (const std::string& who : t.assignees) w.string(who);
    w.end_array();
    w.key("issuer");
    w.string(t.issuer);
    w.key("opened_at");
    write_date_time_text(w, t.opened_at);
    w.key("lead_time_override");
    if (t.lead_time_override) {
        w.begin_object();
        w.key("approver");
        w.string(t.lead_time_override->approver);
        w.key("reason");
        w.string(t.lead_time_override->reason);
        w.end_object();
    } else {
        w.null();
    }
    w.key("plan");
    w.opt_string(t.plan);
    w.key("status");
    w.string(to_string(t.status));
    w.key("history");
    w.begin_array();
    for (const TicketTransition& h : t.history) {
        w.begin_object();
        w.key("from");
        w.string(to_string(h.from));
        w.key("to");
        w.string(to_string(h.to));
        w.key("at");
        write_date_time_text(w, h.at);
        w.key("actor");
        w.string(h.actor);
        w.key("note");
        w.string(h.note);
        w.end_object();
    }
    w.end_array();
    w.key("revision_rounds");
    w.integer(t.revision_rounds);
    w.key("next_revision");
    w.integer(t.next_revision);
    w.end_object();
}

// "YYYYMM" (bg::to_iso_string(d).substr(0, 6), without the string stream it builds).
std::string year_month_digits(const Date& d) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d%02d", static_cast<int>(d.year()), static_cast<int>(d.month()));
    return buf;
}

JobTicket read_job(const Reader& r, Currency currency) {
    r.expect_object({"number", "kind", "parent", "client", "brand", "product", "department", "job_type", "title", "brief",
                     "cost_estimate", "client_deadline", "assignees", "issuer", "opened_at", "lead_time_override", "plan",
                     "status", "history", "revision_rounds", "next_revision"});
    JobTicket t;
    t.number = r.at("number").str();
    t.kind = r.at("kind").enumeration<TicketKind>();
    t.parent = read_opt_str(r, "parent");
    if ((t.kind == TicketKind::Revision) != t.parent.has_value())
        r.at("parent").fail("a Revision ticket, and only one, names its parent [JT-2]");
    t.client = r.at("client").str();
    t.brand = r.at("brand").str();
    t.product = read_opt_str(r, "product");
    t.department = r.at("department").enumeration<Department>();
    t.job_type = r.at("job_type").enumeration<JobType>();
    t.title = r.at("title").str();
    t.brief = read_brief(r.at("brief"), currency);
    if (const Reader c = r.at("cost_estimate"); !c.is_null()) {
        t.cost_estimate = c.money();
        if (t.cost_estimate->currency() != currency || t.cost_estimate->is_negative())
            c.fail("must be a non-negative amount in the agency currency [JT-3]");
    }
    t.client_deadline = r.at("client_deadline").date_time();
    t.assignees = read_str_list(r.at("assignees"));
    t.issuer = r.at("issuer").str();
    t.opened_at = r.at("opened_at").date_time();
    if (!(t.opened_at < t.client_deadline)) r.at("client_deadline").fail("is not after the ticket was opened [JT-6]");
    if (const Reader o = r.at("lead_time_override"); !o.is_null()) {
        o.expect_object({"approver", "reason"});
        t.lead_time_override = LeadTimeOverride{o.at("approver").str(), o.at("reason").str()};
        if (t.lead_time_override->reason.empty()) o.at("reason").fail("an override needs a written reason [JT-6]");
    }
    t.plan = read_opt_str(r, "plan");
    t.status = r.at("status").enumeration<TicketStatus>();
    TicketStatus state = TicketStatus::Draft;
    DateTime last = t.opened_at;
    int rounds = 0;
    for (const Reader& h : r.at("history").items()) {
        h.expect_object({"from", "to", "at", "actor", "note"});
        TicketTransition tr{h.at("from").enumeration<TicketStatus>(), h.at("to").enumeration<TicketStatus>(),
                            h.at("at").date_time(), h.at("actor").str(), h.at("note").str()};
        if (tr.from != state) h.at("from").fail("does not continue from " + std::string(to_string(state)) + " [JT-8]");
        if (!transition_allowed(tr.from, tr.to))
            h.at("to").fail("the workflow has no step " + std::string(to_string(tr.from)) + " -> " +
                            std::string(to_string(tr.to)) + (tr.to == TicketStatus::Closed ? " [JT-9]" : " [JT-8]"));
        if (tr.at < last) h.at("at").fail("history must run forward in time [JT-8]");
        rounds += tr.from == TicketStatus::ClientReview && tr.to == TicketStatus::InProgress;
        state = tr.to;
        last = tr.at;
        t.history.push_back(std::move(tr));
    }
    if (state != t.status) r.at("status").fail("must be the status the history ends in [JT-8]");
    t.revision_rounds = r.at("revision_rounds").small_int(0, 1000000);
    if (t.revision_rounds != rounds) r.at("revision_rounds").fail("must count the client change requests in the history [JT-8]");
    t.next_revision = static_cast<int>(r.at("next_revision").integer(1, kMaxSerial + 1));
    return t;
}

Json write_time_entry(const TimeEntry& e) {
    return {{"id", e.id},
            {"staff", e.staff},
            {"job", e.job},
            {"date", write(e.date)},
            {"hours", write(e.hours)},
            {"activity", e.activity},
            {"rate", write(e.rate)},
            {"cost", write(e.cost)},
            {"status", write_enum(e.status)},
            {"approved_by", write_opt(e.approved_by)},
            {"approved_at", e.approved_at ? write(*e.approved_at) : Json(nullptr)},
            {"corrects", write_opt(e.corrects)},
            {"recorded_at", write(e.recorded_at)}};
}

TimeEntry read_time_entry(const Reader& r, Currency currency) {
    r.expect_object({"id", "staff", "job", "date", "hours", "activity", "rate", "cost", "status", "approved_by",
                     "approved_at", "corrects", "recorded_at"});
    const Money rate = r.at("rate").money();
    if (rate.currency() != currency || rate.is_negative()) r.at("rate").fail("must be a non-negative agency-currency rate [JT-10]");
    TimeEntry e{r.at("id").str(),          r.at("staff").str(),    r.at("job").str(),
                r.at("date").date(),       r.at("hours").decimal(), r.at("activity").str(),
                rate,                      r.at("cost").money(),   r.at("status").enumeration<TimeStatus>(),
                read_opt_str(r, "approved_by"), std::nullopt,      read_opt_str(r, "corrects"),
                r.at("recorded_at").date_time()};
    if (const Reader at = r.at("approved_at"); !at.is_null()) e.approved_at = at.date_time();
    if (e.hours.scale() > 2 || e.hours.is_zero() || Decimal(24) < e.hours || e.hours < Decimal(-24) ||
        (!e.corrects && e.hours.is_negative()))
        r.at("hours").fail("hours are hundredths, 0 < h <= 24 (a correction may be negative) [JT-10]");
    const Money expected = r.at("cost").guard([&] { return rate.multiply(e.hours); });
    if (e.cost != expected) r.at("cost").fail("must be hours x rate, rounded half to even [JT-10]");
    const bool submitted = e.status == TimeStatus::Submitted;
    if (submitted ? (e.approved_by || e.approved_at) : !(e.approved_by && e.approved_at))
        r.at("approved_by").fail("approved and billed entries record who approved them and when; submitted ones "
                                 "record neither [JT-10]");
    return e;
}

// ---------------------------------------------------------------- routines

Json write_activity(const Activity& a) {
    return {{"id", a.id},           {"kind", write_enum(a.kind)}, {"when", write(a.when)},
            {"client", a.client},   {"staff", a.staff},           {"contacts", a.contacts},
            {"summary", a.summary}, {"important", a.important},   {"notice", write_opt(a.notice)}};
}

Activity read_activity(const Reader& r) {
    r.expect_object({"id", "kind", "when", "client", "staff", "contacts", "summary", "important", "notice"});
    return Activity{r.at("id").str(),     r.at("kind").enumeration<ActivityKind>(), r.at("when").date_time(),
                    r.at("client").str(), r.at("staff").str(),  read_str_list(r.at("contacts")),
                    r.at("summary").str(), r.at("important").boolean(), read_opt_str(r, "notice")};
}

Json write_contact_report(const ContactReport& c) {
    return {{"id", c.id},
            {"activity", c.activity},
            {"written_at", write(c.written_at)},
            {"author", c.author},
            {"summary", c.summary},
            {"distribution_contacts", c.distribution_contacts},
            {"distribution_staff", c.distribution_staff}};
}

ContactReport read_contact_report(const Reader& r) {
    r.expect_object({"id", "activity", "written_at", "author", "summary", "distribution_contacts", "distribution_staff"});
    return ContactReport{r.at("id").str(),      r.at("activity").str(), r.at("written_at").date_time(),
                         r.at("author").str(),  r.at("summary").str(),  read_str_list(r.at("distribution_contacts")),
                         read_str_list(r.at("distribution_staff"))};
}

Json write_notice(const MeetingNotice& n) {
    return {{"id", n.id},
            {"client", n.client},
            {"author", n.author},
            {"issued_at", write(n.issued_at)},
            {"meeting_at", write(n.meeting_at)},
            {"attendees", n.attendees},
            {"location", n.location},
            {"topic", n.topic},
            {"items_to_confirm", n.items_to_confirm},
            {"agenda", n.agenda}};
}

MeetingNotice read_notice(const Reader& r) {
    r.expect_object({"id", "client", "author", "issued_at", "meeting_at", "attendees", "location", "topic",
                     "items_to_confirm", "agenda"});
    MeetingNotice n{r.at("id").str(),       r.at("client").str(),   r.at("author").str(),
                    r.at("issued_at").date_time(), r.at("meeting_at").date_time(), read_str_list(r.at("attendees")),
                    r.at("location").str(), r.at("topic").str(),    r.at("items_to_confirm").str(),
                    r.at("agenda").str()};
    if (n.issued_at > n.meeting_at) r.at("issued_at").fail("a notice cannot be issued after its meeting [AS-2]");
    return n;
}

Json write_status_report(const StatusReport& s) {
    return {{"id", s.id},         {"kind", write_enum(s.kind)},         {"author", s.author},
            {"period", write(s.period)}, {"submitted_at", write(s.submitted_at)}, {"summary", s.summary}};
}

StatusReport read_status_report(const Reader& r) {
    r.expect_object({"id", "kind", "author", "period", "submitted_at", "summary"});
    return StatusReport{r.at("id").str(),   r.at("kind").enumeration<ReportKind>(), r.at("author").str(),
                        r.at("period").date(), r.at("submitted_at").date_time(), r.at("summary").str()};
}

// Requires `id` to be "<prefix><digits>" with a serial below `next`, seen once.
// ---------------------------------------------------------------- rubrics and evaluations

Json write_rubric(const Rubric& r) {
    Json criteria = Json::array();
    for (const Criterion& c : r.criteria) {
        Json weights = Json::object();
        for (std::size_t t = 0; t < 4; ++t) weights[std::string(to_string(static_cast<Title>(t)))] = write(c.weights[t]);
        Json evidence = Json::array();
        for (EvidenceMetric m : c.evidence) evidence.push_back(write_enum(m));
        criteria.push_back({{"id", c.id},
                            {"area", c.area},
                            {"name", c.name},
                            {"description", c.description},
                            {"weights", std::move(weights)},
                            {"evidence", std::move(evidence)}});
    }
    return {{"id", r.id}, {"name", r.name}, {"criteria", std::move(criteria)}};
}

Rubric read_rubric(const Reader& r) {
    r.expect_object({"id", "name", "criteria"});
    Rubric out{r.at("id").str(), r.at("name").str(), {}};
    for (const Reader& c : r.at("criteria").items()) {
        c.expect_object({"id", "area", "name", "description", "weights", "evidence"});
        Criterion k{c.at("id").str(), c.at("area").str(), c.at("name").str(), c.at("description").str(), {}, {}};
        const Reader w = c.at("weights");
        w.expect_object({"AAE", "AE", "AM", "AD"});
        for (std::size_t t = 0; t < 4; ++t) k.weights[t] = w.at(to_string(static_cast<Title>(t))).decimal();
        for (const Reader& m : c.at("evidence").items()) k.evidence.push_back(m.enumeration<EvidenceMetric>());
        c.guard([&] { k.validate(); });
        for (const Criterion& before : out.criteria)
            if (before.id == k.id) c.at("id").fail("criterion " + quote(k.id) + " appears twice in the rubric [PE-1]");
        out.criteria.push_back(std::move(k));
    }
    r.guard([&] { out.validate(); });
    return out;
}

Json write_evaluation(const Evaluation& e) {
    Json scores = Json::array();
    for (const CriterionScore& s : e.scores)
        scores.push_back({{"criterion", s.criterion}, {"score", s.score}, {"comment", s.comment}});
    Json kpis = Json::array();
    for (const Kpi& k : e.kpis)
        kpis.push_back({{"name", k.name}, {"weight", write(k.weight)}, {"achievement", write(k.achievement)}});
    Json history = Json::array();
    for (const EvaluationStep& h : e.history)
        history.push_back({{"from", write_enum(h.from)}, {"to", write_enum(h.to)}, {"at", write(h.at)},
                           {"actor", h.actor}, {"note", h.note}});
    return {{"id", e.id},
            {"evaluatee", e.evaluatee},
            {"title", write_enum(e.title)},
            {"evaluator", e.evaluator},
            {"reviewers", e.reviewers},
            {"rubric", e.rubric},
            {"period", write_enum(e.period)},
            {"start", write(e.start)},
            {"end", write(e.end)},
            {"scores", std::move(scores)},
            {"evaluatee_comments", e.evaluatee_comments},
            {"kpis", std::move(kpis)},
            {"status", write_enum(e.status)},
            {"history", std::move(history)},
            {"created_at", write(e.created_at)}};
}

Evaluation read_evaluation(const Reader& r) {
    r.expect_object({"id", "evaluatee", "title", "evaluator", "reviewers", "rubric", "period", "start", "end", "scores",
                     "evaluatee_comments", "kpis", "status", "history", "created_at"});
    Evaluation e{r.at("id").str(), r.at("evaluatee").str(), r.at("title").enumeration<Title>(), r.at("evaluator").str(),
                 read_str_list(r.at("reviewers")), r.at("rubric").str(), r.at("period").enumeration<EvaluationPeriod>(),
                 r.at("start").date(), r.at("end").date(), {}, r.at("evaluatee_comments").str(), {},
                 r.at("status").enumeration<EvaluationStatus>(), {}, r.at("created_at").date_time()};
    for (const Reader& s : r.at("scores").items()) {
        s.expect_object({"criterion", "score", "comment"});
        e.scores.push_back({s.at("criterion").str(), s.at("score").small_int(1, 5), s.at("comment").str()});
    }
    for (const Reader& k : r.at("kpis").items()) {
        k.expect_object({"name", "weight", "achievement"});
        e.kpis.push_back({k.at("name").str(), k.at("weight").decimal(), k.at("achievement").decimal()});
    }
    for (const Reader& h : r.at("history").items()) {
        h.expect_object({"from", "to", "at", "actor", "note"});
        e.history.push_back({h.at("from").enumeration<EvaluationStatus>(), h.at("to").enumeration<EvaluationStatus>(),
                             h.at("at").date_time(), h.at("actor").str(), h.at("note").str()});
    }
    return e;
}

// ---------------------------------------------------------------- estimates and ledger

// The text of write_estimate(e), pretty-printed, without its DOM (as write_job_text).
void write_estimate_text(json_text::PrettyWriter& w, const CostEstimate& e) {
    w.begin_object();
    w.key("job");
    w.string(e.job);
    w.key("version");
    w.integer(e.version);
    w.key("amount");
    write_money_text(w, e.amount);
    w.key("note");
    w.string(e.note);
    w.key("prepared_by");
    w.string(e.prepared_by);
    w.key("prepared_at");
    write_date_time_text(w, e.prepared_at);
    w.key("status");
    w.string(to_string(e.status));
    w.key("approved_by");
    w.opt_string(e.approved_by);
    w.key("approved_at");
    if (e.approved_at) write_date_time_text(w, *e.approved_at);
    else w.null();
    w.end_object();
}

CostEstimate read_estimate(const Reader& r) {
    r.expect_object({"job", "version", "amount", "note", "prepared_by", "prepared_at", "status", "approved_by",
                     "approved_at"});
    CostEstimate e{r.at("job").str(),
                   r.at("version").small_int(1, 999),
                   r.at("amount").money(),
                   r.at("note").str(),
                   r.at("prepared_by").str(),
                   r.at("prepared_at").date_time(),
                   r.at("status").enumeration<EstimateStatus>(),
                   read_opt_str(r, "approved_by"),
                   std::nullopt};
    if (const Reader at = r.at("approved_at"); !at.is_null()) e.approved_at = at.date_time();
    return e;
}

// Ledger amounts are plain decimal strings in the agency currency (one currency per
// book, MB-1); optional keys appear only on the entries they apply to. (The writer is
// AgencyCodec::LedgerWriter, straight from the compact rows.)
LedgerEntry read_entry(const Reader& r, Currency currency) {
    r.expect_object({"id", "kind", "date", "client", "job", "amount", "reference", "recorded_by", "due", "contract",
                     "invoice", "reverses", "time_entry", "estimate_version", "media_booking", "confirmation"});
    const Reader amount = r.at("amount");
    const std::string text = amount.str();
    LedgerEntry e{.id = r.at("id").str(),
                  .kind = r.at("kind").enumeration<EntryKind>(),
                  .date = r.at("date").date(),
                  .client = r.at("client").str(),
                  .job = read_opt_str(r, "job"),
                  .amount = amount.guard([&] { return Money::parse(text, currency); }),
                  .reference = r.at("reference").str(),
                  .recorded_by = r.at("recorded_by").str()};
    if (auto v = r.maybe("due")) e.due = v->date();
    if (auto v = r.maybe("contract")) e.contract = v->str();
    if (auto v = r.maybe("invoice")) e.invoice = v->str();
    if (auto v = r.maybe("reverses")) e.reverses = v->str();
    if (auto v = r.maybe("time_entry")) e.time_entry = v->str();
    if (auto v = r.maybe("estimate_version")) e.estimate_version = v->small_int(1, 999);
    if (auto v = r.maybe("media_booking")) {
        e.media_booking = v->boolean();
        if (!e.media_booking) v->fail("is written only when true");
    }
    if (auto v = r.maybe("confirmation")) e.confirmation = v->str();
    if (e.amount.amount_string() != text) amount.fail("expected the canonical amount " + quote(e.amount.amount_string()));
    return e;
}

// The bulk loader's fast path for one ledger entry written the way aecore writes it:
// plain strings (ASCII, no escapes), known keys once each, canonical values. Returns the
// end of the object, or nullptr for anything else; the caller then reads that element
// with read_entry(), which accepts what is valid and names what is not.
class EntryScanner {
public:
    explicit EntryScanner(Currency currency) : currency_(currency) {}

    const char* scan(const char* p, const char* end, LedgerEntry& e) {
        using json_text::skip_ws;
        if (p >= end || *p != '{') return nullptr;
        e.job.reset();
        e.due.reset();
        e.invoice.reset();
        e.reverses.reset();
        e.reversed = false;
        e.time_entry.reset();
        e.estimate_version.reset();
        e.media_booking = false;
        e.confirmation.reset();
        e.contract.reset();
        std::uint32_t seen = 0;
        std::string_view kind, date, amount, due;
        bool has_due = false;
        ++p;
        for (;;) {
            p = skip_ws(p, end);
            std::string_view key;
            if (!(p = text(p, end, key))) return nullptr;
            p = skip_ws(p, end);
            if (p >= end || *p != ':') return nullptr;
            p = skip_ws(p + 1, end);
            const int k = key_index(key);
            if (k < 0 || (seen & (1u << k))) return nullptr;
            seen |= 1u << k;
            // Optional values may be null, which is the same as leaving them out.
            const bool null = (k == kJob || k >= kDue) && end - p >= 4 && std::memcmp(p, "null", 4) == 0;
            if (null) p += 4;
            else switch (k) {
                case kEstimateVersion: {
                    int v = 0;
                    const char* q = p;
                    while (q < end && *q >= '0' && *q <= '9' && q - p < 4) v = v * 10 + (*q++ - '0');
                    if (q == p || *p == '0' || v > 999) return nullptr;
                    e.estimate_version = v;
                    p = q;
                    break;
                }
                case kMediaBooking:
                    if (end - p < 4 || std::memcmp(p, "true", 4) != 0) return nullptr;
                    e.media_booking = true;
                    p += 4;
                    break;
                default: {
                    std::string_view v;
                    if (!(p = text(p, end, v))) return nullptr;
                    switch (k) {
                        case kId: e.id.assign(v); break;
                        case kKind: kind = v; break;
                        case kDate: date = v; break;
                        case kClient: e.client.assign(v); break;
                        case kJob: e.job.emplace(v); break;
                        case kAmount: amount = v; break;
                        case kReference: e.reference.assign(v); break;
                        case kRecordedBy: e.recorded_by.assign(v); break;
                        case kDue:
                            due = v;
                            has_due = true;
                            break;
                        case kContract: e.contract.emplace(v); break;
                        case kInvoice: e.invoice.emplace(v); break;
                        case kReverses: e.reverses.emplace(v); break;
                        case kTimeEntry: e.time_entry.emplace(v); break;
                        case kConfirmation: e.confirmation.emplace(v); break;
                        default: return nullptr;
                    }
                }
            }
            p = skip_ws(p, end);
            if (p < end && *p == ',') {
                ++p;
                continue;
            }
            if (p < end && *p == '}') break;
            return nullptr;
        }
        constexpr std::uint32_t required = (1u << kId) | (1u << kKind) | (1u << kDate) | (1u << kClient) |
                                           (1u << kJob) | (1u << kAmount) | (1u << kReference) | (1u << kRecordedBy);
        if ((seen & required) != required) return nullptr;
        const auto k = enum_from_string<EntryKind>(kind);
        const auto d = day_of(date);
        if (!k || !d) return nullptr;
        e.kind = *k;
        e.date = *d;
        if (has_due) {  // a string, even "" (which is not a date)
            const auto dd = json_io::parse_iso_date(due);
            if (!dd) return nullptr;
            e.due = *dd;
        }
        const auto units = canonical_units(amount);
        if (!units) return nullptr;
        e.amount = Money(*units, currency_);
        return p + 1;
    }

private:
    enum Key {
        kId, kKind, kDate, kClient, kJob, kAmount, kReference, kRecordedBy,  // required
        kDue, kContract, kInvoice, kReverses, kTimeEntry, kEstimateVersion, kMediaBooking, kConfirmation
    };
    static int key_index(std::string_view key) noexcept {
        // By length first: one comparison per key instead of a scan of all sixteen.
        // A literal's length is a constant here, so the comparison compiles to a few loads.
        auto is = [&]<std::size_t N>(const char (&name)[N], Key k) {
            return std::memcmp(key.data(), name, N - 1) == 0 ? static_cast<int>(k) : -1;
        };
        switch (key.size()) {
            case 2: return is("id", kId);
            case 3: return key[0] == 'j' ? is("job", kJob) : is("due", kDue);
            case 4: return key[0] == 'k' ? is("kind", kKind) : is("date", kDate);
            case 6: return key[0] == 'c' ? is("client", kClient) : is("amount", kAmount);
            case 7: return is("invoice", kInvoice);
            case 8: return key[0] == 'c' ? is("contract", kContract) : is("reverses", kReverses);
            case 9: return is("reference", kReference);
            case 10: return is("time_entry", kTimeEntry);
            case 11: return is("recorded_by", kRecordedBy);
            case 12: return is("confirmation", kConfirmation);
            case 13: return is("media_booking", kMediaBooking);
            case 16: return is("estimate_version", kEstimateVersion);
            default: return -1;
        }
    }
    // A string without escapes, control characters or non-ASCII bytes.
    static const char* text(const char* p, const char* end, std::string_view& out) noexcept {
        if (p >= end || *p != '"') return nullptr;
        const char* first = p + 1;
        const char* stop = json_text::plain_run_end(first, end);
        if (stop >= end || *stop != '"') return nullptr;
        out = std::string_view(first, static_cast<std::size_t>(stop - first));
        return stop + 1;
    }
    // The minor units of an amount written canonically in the agency currency: the text
    // json_text::write_minor_units writes ("-12.50", "0.05", "7" without minor units), read
    // without writing it again. Anything else (a leading zero or plus, "-0.00", too many
    // digits for 64 bits) is for read_entry to judge.
    std::optional<std::int64_t> canonical_units(std::string_view s) const noexcept {
        const bool negative = !s.empty() && s.front() == '-';
        if (negative) s.remove_prefix(1);
        const auto digits = static_cast<std::size_t>(std::max(currency_.digits(), 0));
        const std::size_t whole = digits == 0 ? s.size() : s.size() - std::min(s.size(), digits + 1);
        if (whole == 0 || whole + digits > 19 || (digits > 0 && s[whole] != '.')) return std::nullopt;
        if (s[0] == '0' && whole > 1) return std::nullopt;
        std::uint64_t v = 0;
        for (std::size_t i = 0; i < s.size(); ++i) {
            if (i == whole) continue;  // the point
            const auto d = static_cast<unsigned>(s[i] - '0');
            if (d > 9) return std::nullopt;
            v = v * 10 + d;  // at most 19 digits: no overflow of 64 unsigned bits
        }
        if (v > static_cast<std::uint64_t>(INT64_MAX) || (negative && v == 0)) return std::nullopt;
        return negative ? -static_cast<std::int64_t>(v) : static_cast<std::int64_t>(v);
    }
    // A ledger's entries run mostly in date order: the date before is read again.
    std::optional<Date> day_of(std::string_view s) {
        if (last_date_ && s.size() == sizeof last_date_text_ && std::memcmp(s.data(), last_date_text_, s.size()) == 0)
            return last_date_;
        std::optional<Date> d = json_io::parse_iso_date(s);
        if (d) {
            std::memcpy(last_date_text_, s.data(), sizeof last_date_text_);
            last_date_ = d;
        }
        return d;
    }

    Currency currency_;
    char last_date_text_[10] = {};
    std::optional<Date> last_date_;
};

// The loader's own lookup of job numbers (a big ledger names a job in most entries, each
// at a random place in the agency's hash index): open addressing with the number held in
// the slot, so that a lookup reads one slot that can be prefetched. Numbers longer than a
// slot holds (none valid under JT-1) are looked up in the agency.
class JobTable {
public:
    explicit JobTable(const Agency& agency) : agency_(agency) {
        std::size_t size = 16;
        while (size < agency.jobs().size() * 2) size *= 2;
        slots_.resize(size);
        shift_ = static_cast<unsigned>(64 - std::countr_zero(size));
        for (std::size_t i = 0; i < agency.jobs().size(); ++i) {
            const std::string& number = agency.jobs()[i].number;
            if (number.size() > kKey) continue;
            Slot* slot = &slots_[home(number)];
            while (slot->index) slot = next(slot);
            std::memcpy(slot->key, number.data(), number.size());
            slot->len = static_cast<std::uint32_t>(number.size());
            slot->index = static_cast<std::uint32_t>(i + 1);
        }
    }
    void prefetch(std::string_view number) const noexcept {
        if (number.size() <= kKey) __builtin_prefetch(&slots_[home(number)]);
    }
    [[nodiscard]] const JobTicket* find(std::string_view number) const noexcept {
        if (number.size() > kKey) return agency_.find_job(number);
        for (const Slot* slot = &slots_[home(number)]; slot->index; slot = next(slot))
            if (slot->len == number.size() && std::memcmp(slot->key, number.data(), number.size()) == 0)
                return &agency_.jobs()[slot->index - 1];
        return nullptr;
    }

private:
    static constexpr std::size_t kKey = 16;
    struct Slot {
        char key[kKey] = {};
        std::uint32_t len = 0;
        std::uint32_t index = 0;  // job index + 1; 0: empty
    };
    [[nodiscard]] std::size_t home(std::string_view number) const noexcept {
        std::uint64_t word[2] = {0, 0};
        std::memcpy(word, number.data(), number.size());
        const std::uint64_t h = (word[0] * 0x9E3779B97F4A7C15ull) ^ ((word[1] + number.size()) * 0xC2B2AE3D27D4EB4Full);
        return static_cast<std::size_t>((h ^ (h >> 31)) * 0x9E3779B97F4A7C15ull >> shift_);
    }
    const Slot* next(const Slot* slot) const noexcept {
        return ++slot == slots_.data() + slots_.size() ? slots_.data() : slot;
    }
    Slot* next(Slot* slot) noexcept { return ++slot == slots_.data() + slots_.size() ? slots_.data() : slot; }

    const Agency& agency_;
    std::vector<Slot> slots_;
    unsigned shift_ = 60;
};

// The elements of a lazily kept ledger array, cut and scanned ahead of the replay. On a big
// ledger a second thread does it (scanning is about a fifth of a load; replaying, which
// must run in order on the agency, is the rest), a few batches ahead; on a small one the
// reader scans each batch when it needs it. Errors keep their order: a batch carries the
// structural error found after its items, and the reader throws it only after replaying
// them.
class LedgerScan {
public:
    struct Item {
        LedgerEntry entry{.id = {}, .date = {}, .client = {}, .amount = Money(0, Currency("CNY")), .reference = {},
                          .recorded_by = {}};
        const char* first = nullptr;  // the element's text
        const char* last = nullptr;
        bool scanned = false;  // false: not in the form the scanner takes; read its DOM
        const JobTicket* job = nullptr;  // entry.job looked up (the jobs are read before the ledger)
    };
    // Where a scanned entry's posting will reach into the agency, for prefetching (a guess:
    // the replay checks everything itself). Kept apart from the items, compact.
    struct Hint {
        std::uint64_t invoice_hash = 0;     // of the invoice number it looks up (payment, invoice), else 0
        std::uint32_t job = Ledger::kNone;  // job index
        std::uint32_t client = Ledger::kNone;
        bool scanned = false;
    };
    struct Batch {
        std::vector<Item> items;
        std::vector<Hint> hints;
        std::size_t count = 0;
        bool last = false;         // the array ends after these items
        std::exception_ptr failed;  // thrown after these items
    };

    // The agency's jobs must not change while the scan runs (the replay only posts).
    LedgerScan(const json_io::LazyDocument& doc, std::string_view text, const Agency& agency)
        : doc_(doc), agency_(agency), scanner_(agency.currency()), p_(text.data()), end_(text.data() + text.size()) {
        p_ = json_text::skip_ws(p_ + 1, end_);  // past '['
        if (p_ < end_ && *p_ == ']') p_ = nullptr;  // empty
        for (auto& b : batches_) b.items.resize(kBatch);
        for (auto& b : batches_) b.hints.resize(kBatch);
        for (auto& b : batches_) free_.push_back(&b);
        if (text.size() >= kThreadedBytes) {
            try {
                // Each job's client, for the hints (a big ledger replays faster prefetched).
                jobs_.emplace(agency);
                job_client_.reserve(agency.jobs().size());
                for (const JobTicket& j : agency.jobs()) {
                    const Client* c = agency.find_client(j.client);
                    job_client_.push_back(c ? static_cast<std::uint32_t>(c - agency.clients().data()) : Ledger::kNone);
                }
                hinted_ = true;
                thread_ = std::thread([this] { run(); });
            } catch (const std::system_error&) {  // no thread to be had: scan on demand
            }
        }
    }
    LedgerScan(const LedgerScan&) = delete;
    LedgerScan& operator=(const LedgerScan&) = delete;
    ~LedgerScan() {
        {
            std::lock_guard lock(mutex_);
            stop_ = true;
        }
        changed_.notify_all();
        if (thread_.joinable()) thread_.join();
    }

    /// The next batch in order (the one after the last is never asked for).
    Batch* next() {
        if (!thread_.joinable()) {
            Batch* b = free_.front();
            free_.pop_front();
            fill(*b);
            return b;
        }
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [this] { return !full_.empty(); });
        Batch* b = full_.front();
        full_.pop_front();
        changed_.notify_all();
        return b;
    }
    /// Whether the batches carry hints (a big ledger, scanned by the helper thread).
    [[nodiscard]] bool hinted() const noexcept { return hinted_; }
    /// Hands a batch the reader is done with back for refilling.
    void recycle(Batch* b) {
        {
            std::lock_guard lock(mutex_);
            free_.push_back(b);
        }
        changed_.notify_all();
    }

    static constexpr std::size_t kBatch = 256;

private:
    static constexpr std::size_t kThreadedBytes = std::size_t{1} << 22;

    void run() {
        for (;;) {
            Batch* b = nullptr;
            {
                std::unique_lock lock(mutex_);
                changed_.wait(lock, [this] { return !free_.empty() || stop_; });
                if (stop_) return;
                b = free_.front();
                free_.pop_front();
            }
            fill(*b);
            {
                std::lock_guard lock(mutex_);
                full_.push_back(b);
            }
            changed_.notify_all();
            if (b->last || b->failed) return;
        }
    }
    // Cuts and scans up to kBatch elements; a batch that ends the array (or the document's
    // sense) says so. Never throws: an error is kept in the batch.
    void fill(Batch& b) noexcept {
        using json_text::skip_ws;
        b.count = 0;
        b.last = p_ == nullptr;
        b.failed = nullptr;
        try {
            while (p_ && b.count < kBatch) {
                Item& item = b.items[b.count];
                item.first = p_;
                item.last = scanner_.scan(p_, end_, item.entry);
                item.scanned = item.last != nullptr;
                if (item.scanned && item.entry.job && jobs_) jobs_->prefetch(*item.entry.job);
                if (!item.last) item.last = json_text::skip_value(p_, end_);
                if (!item.last) doc_.fail();
                ++b.count;
                p_ = skip_ws(item.last, end_);
                if (p_ < end_ && *p_ == ',') {
                    p_ = skip_ws(p_ + 1, end_);
                } else if (p_ < end_ && *p_ == ']' && p_ + 1 == end_) {
                    p_ = nullptr;
                    b.last = true;
                } else {
                    doc_.fail();
                }
            }
        } catch (...) {
            b.failed = std::current_exception();
            p_ = nullptr;
        }
        // Their jobs, looked up once the batch is cut (by then their slots are in cache).
        for (std::size_t k = 0; k < b.count; ++k) {
            Item& item = b.items[k];
            const std::optional<std::string>& job = item.entry.job;
            item.job = item.scanned && job ? (jobs_ ? jobs_->find(*job) : agency_.find_job(*job)) : nullptr;
            if (hinted_) b.hints[k] = hint(item);
        }
    }

    Hint hint(const Item& item) const {
        Hint h;
        h.scanned = item.scanned;
        if (!item.scanned) return h;
        const LedgerEntry& e = item.entry;
        if (item.job) {
            h.job = static_cast<std::uint32_t>(item.job - agency_.jobs().data());
            h.client = job_client_[h.job];
        } else if (const Client* c = agency_.find_client(e.client)) {
            h.client = static_cast<std::uint32_t>(c - agency_.clients().data());
        }
        if (!e.reverses && e.kind == EntryKind::Payment && e.invoice) h.invoice_hash = Ledger::invoice_hash(*e.invoice);
        if (!e.reverses && e.kind == EntryKind::Invoice) h.invoice_hash = Ledger::invoice_hash(e.reference);
        return h;
    }

    const json_io::LazyDocument& doc_;
    const Agency& agency_;
    std::optional<JobTable> jobs_;            // for a big ledger, else the agency's index
    std::vector<std::uint32_t> job_client_;  // job index -> client index, for the hints
    bool hinted_ = false;                    // a big ledger: the batches carry hints
    EntryScanner scanner_;
    const char* p_;  // the next element, nullptr after the last
    const char* end_;
    std::array<Batch, 4> batches_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<Batch*> free_, full_;
    bool stop_ = false;
    std::thread thread_;  // last: starts after the members it uses
};

void check_serial_id(const Reader& at, const std::string& id, std::string_view prefix, std::uint64_t next,
                     std::set<std::string>& seen, std::string_view rule) {
    const std::uint64_t serial = id.starts_with(prefix) ? id_serial(id, prefix.size()) : 0;
    if (serial == 0)
        at.fail("expected an id of the form " + std::string(prefix) + "<digits> [" + std::string(rule) + "]");
    if (serial >= next) at.fail("id is not below its sequence " + std::to_string(next) + " [" + std::string(rule) + "]");
    if (!seen.insert(id).second) at.fail("duplicate id " + quote(id) + " [" + std::string(rule) + "]");
}

}  // namespace

// Friend of Agency: reads and writes its private state.
struct AgencyCodec {
    /// Takes a full buffer and leaves `out` empty (cleared, or swapped for a spare one).
    using Flush = std::function<void(std::string&)>;

    // Writes the document as nlohmann's dump(2) would, section by section and element by
    // element, handing `flush` a full buffer every few MiB (nullptr: keep it all in `out`).
    static void write_text(const Agency& a, std::string& out, const Flush* flush) {
        using json_text::append_indent;
        using json_text::append_pretty;
        using json_text::append_string;
        constexpr std::size_t kChunk = std::size_t{1} << 22;
        auto spill = [&] {
            if (flush && out.size() >= kChunk) (*flush)(out);
        };
        bool first = true;
        auto key = [&](std::string_view k) {
            out += first ? "{\n" : ",\n";
            first = false;
            append_indent(out, 1);
            append_string(out, k);
            out += ": ";
        };
        auto member = [&](std::string_view k, const Json& value) {
            key(k);
            append_pretty(out, value, 1);
        };
        // An array written one element at a time: `element(i)` appends element i.
        auto array = [&](std::string_view k, std::size_t n, auto&& element) {
            key(k);
            if (n == 0) {
                out += "[]";
                return;
            }
            out += "[\n";
            for (std::size_t i = 0; i < n; ++i) {
                if (i) out += ",\n";
                append_indent(out, 2);
                element(i);
                spill();
            }
            out += '\n';
            append_indent(out, 1);
            out += ']';
        };
        auto list = [&](std::string_view k, const auto& items, auto writer) {
            array(k, items.size(), [&](std::size_t i) { append_pretty(out, writer(items[i]), 2); });
        };
        member("schema", std::string(schema::kName));
        member("version", schema::kVersion);
        member("agency", {{"name", a.name_}, {"home_city", a.home_city_}, {"currency", std::string(a.currency_.code())}});
        member("policy", write_policy(a.policy_));
        member("calendar", write_calendar(a.calendar_));
        list("staff", a.staff_, write_staff);
        list("clients", a.clients_, write_client);
        list("activities", a.activities_, write_activity);
        list("contact_reports", a.contact_reports_, write_contact_report);
        list("meeting_notices", a.notices_, write_notice);
        list("status_reports", a.status_reports_, write_status_report);
        list("plans", a.plans_, write_plan);
        // The two lists a big book has most of, written without a DOM of each element.
        auto text_list = [&](std::string_view k, const auto& items, auto writer) {
            array(k, items.size(), [&](std::size_t i) {
                json_text::PrettyWriter w(out, 2);
                writer(w, items[i]);
            });
        };
        text_list("jobs", a.jobs_, write_job_text);
        list("time_entries", a.time_entries_, write_time_entry);
        text_list("estimates", a.estimates_, write_estimate_text);
        LedgerWriter ledger(a);
        if (a.ledger_.size() < 2 * LedgerBlocks::kBlock) {
            array("ledger", a.ledger_.size(), [&](std::size_t i) { ledger.append(out, i); });
        } else {  // a helper thread formats every other block of entries
            key("ledger");
            out += "[\n";
            const std::size_t entries = a.ledger_.size();
            std::optional<LedgerBlocks> blocks;
            try {
                blocks.emplace(ledger, entries);
            } catch (const std::system_error&) {  // no thread to be had: every block here
            }
            for (std::size_t b = 0; b < LedgerBlocks::count(entries); ++b) {
                if (b % 2 == 1 && blocks) {
                    blocks->take(b, out);
                    spill();
                    continue;
                }
                const auto [begin, end] = LedgerBlocks::range(b, entries);
                for (std::size_t i = begin; i < end; ++i) {
                    LedgerBlocks::separate(out, i);
                    ledger.append(out, i);
                    spill();
                }
            }
            out += '\n';
            append_indent(out, 1);
            out += ']';
        }
        list("rubrics", a.rubrics_, write_rubric);
        list("evaluations", a.evaluations_, write_evaluation);
        Json client_serials = Json::object();
        for (const auto& [year, next] : a.next_client_serial_) client_serials[std::to_string(year)] = next;
        member("sequences", {{"staff", a.next_staff_serial_},
                             {"clients", std::move(client_serials)},
                             {"activities", a.next_activity_serial_},
                             {"contact_reports", a.next_report_serial_},
                             {"meeting_notices", a.next_notice_serial_},
                             {"status_reports", a.next_status_serial_},
                             {"plans", a.next_plan_serial_},
                             {"jobs", Json(a.job_sequences_)},
                             {"time_entries", a.next_time_serial_},
                             {"evaluations", a.next_evaluation_serial_}});
        out += "\n}\n";
    }

    // One ledger row as the text of write_entry(ledger_entry(i)) pretty-printed at depth 2,
    // straight from the compact row: no LedgerEntry, no DOM.
    class LedgerWriter {
    public:
        explicit LedgerWriter(const Agency& a) : a_(a), digits_(a.currency_.digits()) {
            auto quoted = [](std::string_view s) {
                std::string q;
                json_text::append_string(q, s);
                return q;
            };
            for (const Client& c : a.clients_) clients_.push_back(quoted(c.code));
            for (const JobTicket& j : a.jobs_) jobs_.push_back(quoted(j.number));
            for (const Staff& s : a.staff_) staff_.push_back(quoted(s.id));
        }

        // Formats the entry in a buffer on the stack (a heap one for very long texts) and
        // appends it to `out` at once: one append per entry instead of one per piece.
        void append(std::string& out, std::size_t i) const {
            const Ledger& l = a_.ledger_;
            const Ledger::Row& r = l.row(i);
            constexpr std::uint32_t none = Ledger::kNone;
            const std::size_t client = a_.client_of_row(r);
            const std::string_view job = (r.flags & Ledger::kHasJob) ? std::string_view(jobs_[r.owner]) : "null";
            // The texts that may need escaping, quoted.
            Quoted reference(l.reference(i));
            const std::uint32_t own = Ledger::own_invoice(r);
            const Ledger::Invoice* inv = own != none ? &l.invoice(own) : nullptr;
            std::optional<Quoted> contract, invoice, time_entry, confirmation;
            if (inv && inv->contract) contract.emplace(a_.clients_[client].contracts[inv->contract - 1].id);
            const std::uint32_t paid = l.paid_invoice_row(r);
            if (paid != none) invoice.emplace(l.reference(paid));
            const std::uint32_t carried = Ledger::time_entry_of(r);
            if (carried != none) time_entry.emplace(a_.time_entries_[carried].id);
            const bool commitment = r.kind == EntryKind::Commitment && !(r.flags & Ledger::kReversal);
            std::optional<std::string_view> confirmed;
            if (commitment) confirmed = l.confirmation(i);
            if (confirmed) confirmation.emplace(*confirmed);
            // Fixed text and numbers: well under 512 bytes.
            std::size_t bound = 512 + clients_[client].size() + job.size() + staff_[r.recorded_by].size() +
                                reference.size();
            for (const std::optional<Quoted>* q : {&contract, &invoice, &time_entry, &confirmation})
                if (*q) bound += (*q)->size();
            char stack[2048];
            std::unique_ptr<char[]> heap;
            char* const begin = bound <= sizeof stack ? stack : (heap = std::make_unique<char[]>(bound)).get();
            char* p = begin;
            const auto put = [&p](std::string_view text) {
                std::memcpy(p, text.data(), text.size());
                p += text.size();
            };
            put("{\n      \"id\": \"");
            p = write_entry_id(p, i);
            put("\",\n      \"kind\": \"");
            put(to_string(r.kind));
            put("\",\n      \"date\": \"");
            p = json_text::write_day(p, r.day);
            put("\",\n      \"client\": ");
            put(clients_[client]);
            put(",\n      \"job\": ");
            put(job);
            put(",\n      \"amount\": \"");
            p = json_text::write_minor_units(p, r.amount, digits_);
            put("\",\n      \"reference\": ");
            p = reference.write(p);
            put(",\n      \"recorded_by\": ");
            put(staff_[r.recorded_by]);
            // Optional keys in write_entry's order: due, contract, invoice, reverses,
            // time_entry, estimate_version, media_booking, confirmation.
            if (inv) {
                put(",\n      \"due\": \"");
                p = json_text::write_day(p, inv->due);
                put("\"");
                if (contract) {
                    put(",\n      \"contract\": ");
                    p = contract->write(p);
                }
            }
            if (invoice) {
                put(",\n      \"invoice\": ");
                p = invoice->write(p);
            }
            if (const std::uint32_t k = Ledger::reversed_row(r); k != none) {
                put(",\n      \"reverses\": \"");
                p = write_entry_id(p, k);
                put("\"");
            }
            if (time_entry) {
                put(",\n      \"time_entry\": ");
                p = time_entry->write(p);
            }
            if (const std::uint32_t k = Ledger::estimate_version_of(r); k != none) {
                put(",\n      \"estimate_version\": ");
                p = std::to_chars(p, p + 16, k).ptr;
            }
            if (commitment && (r.flags & Ledger::kMediaBooking)) put(",\n      \"media_booking\": true");
            if (confirmation) {
                put(",\n      \"confirmation\": ");
                p = confirmation->write(p);
            }
            put("\n    }");
            out.append(begin, static_cast<std::size_t>(p - begin));
        }

    private:
        // A JSON string literal of `text`: the text itself between quotes when it needs no
        // escaping, else its escaped form (made once).
        class Quoted {
        public:
            explicit Quoted(std::string_view text) : text_(text) {
                if (!json_text::is_plain(text)) {
                    json_text::append_string(escaped_, text);
                    text_ = escaped_;
                    plain_ = false;
                }
            }
            Quoted(const Quoted&) = delete;
            Quoted& operator=(const Quoted&) = delete;
            [[nodiscard]] std::size_t size() const noexcept { return text_.size() + (plain_ ? 2 : 0); }
            char* write(char* p) const noexcept {
                if (plain_) *p++ = '"';
                std::memcpy(p, text_.data(), text_.size());
                p += text_.size();
                if (plain_) *p++ = '"';
                return p;
            }

        private:
            std::string_view text_;
            std::string escaped_;
            bool plain_ = true;
        };

        // "L%08zu" of index + 1 (Agency::entry_id) at `p`; returns the end.
        static char* write_entry_id(char* p, std::size_t i) noexcept {
            char digits[24];
            const auto n = static_cast<std::size_t>(std::to_chars(digits, digits + sizeof digits, i + 1).ptr - digits);
            *p++ = 'L';
            if (n < 8) {
                std::memset(p, '0', 8 - n);
                p += 8 - n;
            }
            std::memcpy(p, digits, n);
            return p + n;
        }

    private:
        const Agency& a_;
        int digits_;
        std::vector<std::string> clients_, jobs_, staff_;
    };

    // The odd blocks of kBlock ledger entries, formatted on a helper thread while the
    // caller formats the even ones (and takes the odd ones in order): the ledger is
    // most of a book's text. At most two finished blocks wait. An error of the helper is
    // rethrown by take(); the destructor stops and joins the helper.
    class LedgerBlocks {
    public:
        static constexpr std::size_t kBlock = 8192;

        LedgerBlocks(const LedgerWriter& writer, std::size_t entries)
            : writer_(writer), entries_(entries), thread_([this] { run(); }) {}
        LedgerBlocks(const LedgerBlocks&) = delete;
        LedgerBlocks& operator=(const LedgerBlocks&) = delete;
        ~LedgerBlocks() {
            {
                std::lock_guard lock(mutex_);
                stop_ = true;
            }
            changed_.notify_all();
            thread_.join();
        }
        [[nodiscard]] static std::size_t count(std::size_t entries) noexcept { return (entries + kBlock - 1) / kBlock; }
        [[nodiscard]] static std::pair<std::size_t, std::size_t> range(std::size_t block, std::size_t entries) noexcept {
            return {block * kBlock, std::min(entries, (block + 1) * kBlock)};
        }
        /// The ",\n" and indentation before entry i, as the ledger array writes them.
        static void separate(std::string& out, std::size_t i) {
            if (i) out += ",\n";
            json_text::append_indent(out, 2);
        }
        /// Appends odd block `block` (the next one the helper finishes) to `out`.
        void take(std::size_t block, std::string& out) {
            std::unique_lock lock(mutex_);
            changed_.wait(lock, [&] { return error_ || (!ready_.empty() && ready_.front().first == block); });
            if (error_) std::rethrow_exception(error_);
            std::string text = std::move(ready_.front().second);
            ready_.pop_front();
            lock.unlock();
            out += text;
            text.clear();
            lock.lock();
            spare_.push_back(std::move(text));
            changed_.notify_all();
        }

    private:
        void run() noexcept {
            try {
                for (std::size_t block = 1; block < count(entries_); block += 2) {
                    std::string text;
                    {
                        std::unique_lock lock(mutex_);
                        changed_.wait(lock, [&] { return stop_ || ready_.size() < 2; });
                        if (stop_) return;
                        if (!spare_.empty()) {
                            text = std::move(spare_.back());
                            spare_.pop_back();
                        }
                    }
                    const auto [begin, end] = range(block, entries_);
                    for (std::size_t i = begin; i < end; ++i) {
                        separate(text, i);
                        writer_.append(text, i);
                    }
                    std::lock_guard lock(mutex_);
                    ready_.emplace_back(block, std::move(text));
                    changed_.notify_all();
                }
            } catch (...) {
                std::lock_guard lock(mutex_);
                error_ = std::current_exception();
                changed_.notify_all();
            }
        }

        const LedgerWriter& writer_;
        const std::size_t entries_;
        std::mutex mutex_;
        std::condition_variable changed_;
        std::deque<std::pair<std::size_t, std::string>> ready_;
        std::vector<std::string> spare_;
        std::exception_ptr error_;
        bool stop_ = false;
        std::thread thread_;  // last: starts after the members it uses
    };

    static Agency read(const Reader& r) {
        r.expect_object({"schema", "version", "agency", "policy", "calendar", "staff", "clients", "activities",
                         "contact_reports", "meeting_notices", "status_reports", "plans", "jobs", "time_entries",
                         "estimates", "ledger", "rubrics", "evaluations", "sequences"});
        const Reader profile = r.at("agency");
        profile.expect_object({"name", "home_city", "currency"});
        const std::string name = profile.at("name").str();
        profile.at("name").guard([&] {
            if (checked_name(name, "agency.name", "ST-1") != name)
                throw ValidationError("ST-1", "agency.name", quote(name), "must not start or end with white space");
        });
        const std::string city = profile.at("home_city").str();
        const Reader cur = profile.at("currency");
        const std::string code = cur.str();
        cur.guard([&] { (void)Currency(code); });
        Agency a = profile.guard([&] { return Agency(name, city, code); });
        a.policy_ = read_policy(r.at("policy"));
        a.calendar_ = read_calendar(r.at("calendar"));

        // Staff: read every record first (a manager may be listed after its reports),
        // then check each against the whole list, then look for reporting cycles.
        const auto items = r.at("staff").items();
        for (const Reader& item : items) {
            Staff s = read_staff(item);
            item.at("name").guard([&] {
                // Stored names are canonical: trimmed, non-empty, valid UTF-8.
                if (checked_name(s.name, "staff.name", "ST-1") != s.name)
                    throw ValidationError("ST-1", "staff.name", quote(s.name), "must not start or end with white space");
            });
            if (a.staff_index_.contains(s.id)) item.at("id").fail("duplicate staff id " + quote(s.id) + " [ST-1]");
            a.staff_index_.emplace(s.id, a.staff_.size());
            a.staff_.push_back(std::move(s));
        }
        for (std::size_t i = 0; i < items.size(); ++i)
            items[i].guard([&] { a.check_staff_fields(a.staff_[i], "staff"); });
        // A cycle is reported on its first member in list order; records that merely
        // report into a cycle are not blamed.
        for (std::size_t i = 0; i < items.size(); ++i) {
            const Staff& self = a.staff_[i];
            std::string chain = self.id;
            const Staff* cur_staff = &self;
            for (std::size_t steps = 0; cur_staff->manager && steps <= a.staff_.size(); ++steps) {
                cur_staff = a.find_staff(*cur_staff->manager);
                chain += " -> " + cur_staff->id;
                if (cur_staff == &self) items[i].at("manager").fail("reporting cycle " + chain + " [ST-1]");
            }
        }
        const Reader seq = r.at("sequences");
        seq.expect_object(
            {"staff", "clients", "activities", "contact_reports", "meeting_notices", "status_reports", "plans", "jobs",
             "time_entries", "evaluations"});
        a.next_staff_serial_ = static_cast<std::uint32_t>(seq.at("staff").integer(1, kMaxSerial + 1));
        read_clients(a, r.at("clients"), seq.at("clients"));
        read_routines(a, r, seq);
        read_plans(a, r.at("plans"), seq.at("plans"));
        read_jobs(a, r.at("jobs"), seq.at("jobs"));
        read_time(a, r.at("time_entries"), seq.at("time_entries"));
        read_estimates(a, r.at("estimates"));
        read_ledger(a, r.at("ledger"));
        read_evaluations(a, r.at("rubrics"), r.at("evaluations"), seq.at("evaluations"));
        return a;
    }

    // The ledger, entry by entry into the agency. A lazily kept ledger is read straight
    // from the document text (no DOM); an entry that the fast scanner does not take is
    // parsed on its own and read by read_entry, as in a DOM document.
    // Replaying a big ledger waits mostly on memory: each posting reads its entry (written
    // by the scan thread), its job, client and job totals and, for a payment or an
    // invoice, the invoice index, all at random places. The entries of a batch are known
    // ahead, so their memory is prefetched in stages, each a few entries later than the
    // last (a stage reads what the one before brought in). Only hints: the replay itself
    // is unchanged. (The month index, the other random place, is built after the replay.)
    class ReplayPrefetch {
    public:
        explicit ReplayPrefetch(const Agency& a) : a_(a) {}
        void start(const LedgerScan::Batch& batch) {
            batch_ = &batch;
            for (std::size_t stage = 0; stage < kStages; ++stage)
                for (std::size_t k = 0; k < kStep * (kStages - stage) && k < batch.count; ++k) run(stage, k);
            for (std::size_t k = kStep * kStages; k < kStep * kStages + kHintsAhead && k < batch.count; ++k)
                __builtin_prefetch(&batch.hints[k]);
        }
        void ahead_of(std::size_t k) {
            // The hints themselves come from the scan thread too: the first stage would wait
            // for each of them (a fifth of the replay), so their lines are asked for further on.
            if (const std::size_t at = k + kStep * kStages + kHintsAhead; at < batch_->count)
                __builtin_prefetch(&batch_->hints[at]);
            for (std::size_t stage = 0; stage < kStages; ++stage)
                if (const std::size_t at = k + kStep * (kStages - stage); at < batch_->count) run(stage, at);
        }

    private:
        static constexpr std::size_t kStages = 4, kStep = 3, kHintsAhead = 16;
        void run(std::size_t stage, std::size_t k) const {
            // GCC takes a function that only prefetches for one without effects, and drops
            // its calls: this empty statement keeps them.
            asm volatile("");
            const LedgerScan::Hint& h = batch_->hints[k];
            if (!h.scanned) return;
            const Ledger& ledger = a_.ledger_;
            switch (stage) {
                case 0: {  // the entry, its client and job totals; the invoice's slot
                    const auto* item = reinterpret_cast<const char*>(&batch_->items[k]);
                    for (std::size_t at = 0; at < sizeof(LedgerScan::Item); at += 64) __builtin_prefetch(item + at);
                    if (h.client != Ledger::kNone) {
                        __builtin_prefetch(&a_.clients_[h.client].code);
                        __builtin_prefetch(&a_.clients_[h.client].first_contact);
                    }
                    ledger.prefetch_append(h.job);
                    if (h.invoice_hash) ledger.prefetch_invoice_slot(h.invoice_hash);
                    break;
                }
                case 1:  // the invoice's record; the job ticket, read only by a job's first posting
                    if (h.invoice_hash) ledger.prefetch_invoice_record(h.invoice_hash);
                    if (h.job != Ledger::kNone && ledger.client_of_job(h.job) == Ledger::kNone)
                        __builtin_prefetch(&a_.jobs_[h.job].client);
                    break;
                case 2: {  // its row; the texts the entry and its client keep on the heap
                    if (h.invoice_hash) ledger.prefetch_invoice_row(h.invoice_hash);
                    // Written by the scan thread (on the other core, in its cache); a client
                    // code of 16 bytes or more is not inside the std::string either.
                    const LedgerEntry& e = batch_->items[k].entry;
                    __builtin_prefetch(e.client.data());
                    __builtin_prefetch(e.reference.data());
                    if (e.invoice) __builtin_prefetch(e.invoice->data());
                    if (h.client != Ledger::kNone) __builtin_prefetch(a_.clients_[h.client].code.data());
                    break;
                }
                default:  // its number
                    if (h.invoice_hash) ledger.prefetch_invoice_text(h.invoice_hash);
                    break;
            }
        }

        const Agency& a_;
        const LedgerScan::Batch* batch_ = nullptr;
    };

    static void read_ledger(Agency& a, const Reader& ledger) {
        a.ledger_.defer_month_index();
        const json_io::LazyDocument::Array* lazy = ledger.lazy();
        if (!lazy) {
            for (const Reader& item : ledger.items()) {
                const LedgerEntry e = read_entry(item, a.currency_);
                item.guard([&] { a.replay_entry(e); });
            }
            finish_ledger(a, ledger);
            return;
        }
        const json_io::LazyDocument& doc = *lazy->doc;
        LedgerScan scan(doc, lazy->text, a);
        const char* released = lazy->text.data();
        std::size_t i = 0;
        ReplayPrefetch prefetch(a);
        const bool hinted = scan.hinted();
        for (;;) {
            LedgerScan::Batch* batch = scan.next();
            if (hinted) prefetch.start(*batch);
            for (std::size_t k = 0; k < batch->count; ++k) {
                if (hinted) prefetch.ahead_of(k);
                LedgerScan::Item& item = batch->items[k];
                std::optional<Json> dom;
                auto element = [&]() -> Reader {
                    std::string path = ledger.path() + "/" + std::to_string(i);
                    if (!dom) {
                        try {
                            dom = json_text::parse_dom(
                                std::string_view(item.first, static_cast<std::size_t>(item.last - item.first)), path);
                        } catch (const SchemaError&) {
                            throw;
                        } catch (const Json::exception&) {
                            doc.fail();
                        }
                    }
                    return Reader(*dom, std::move(path));
                };
                if (!item.scanned) item.entry = read_entry(element(), a.currency_);
                try {
                    a.replay_entry(item.entry, item.job);
                } catch (const SchemaError&) {
                    throw;
                } catch (const Error& err) {
                    element().fail_with(err);
                }
                if (doc.release && item.first - released > (std::ptrdiff_t{1} << 26)) {
                    doc.release(item.first);
                    released = item.first;
                }
                ++i;
            }
            if (batch->failed) std::rethrow_exception(batch->failed);
            if (batch->last) break;
            scan.recycle(batch);
        }
        // The array ended where the document's cut put it (found from the back, for a big one).
        if (doc.ledger_confirmed) *doc.ledger_confirmed = true;
        finish_ledger(a, ledger);
    }

    // After the replay: the month index is built (a bulk pass, client by client) and the
    // replay's whole-ledger checks run (finish_replay). They touch different parts of the
    // agency (the index writes only the ledger's month index; the checks read rows, jobs,
    // time entries and estimates), so a big ledger has them side by side on two threads:
    // a helper indexes the first clients while this thread checks, then indexes the others
    // (fewer: the checks take about a third of the index's time).
    static void finish_ledger(Agency& a, const Reader& ledger) {
        constexpr std::size_t kSideBySideFrom = 1 << 16;  // rows; a thread costs tens of microseconds
        Ledger& l = a.ledger_;
        std::thread indexer;
        std::exception_ptr index_failed;
        const auto clients = static_cast<std::uint32_t>(a.clients_.size());
        const std::uint32_t split = clients - clients / 3;
        if (l.size() >= kSideBySideFrom) {
            try {
                indexer = std::thread([&l, &index_failed, split]() noexcept {
                    try {
                        l.index_pending_months_of(0, split);
                    } catch (...) {
                        index_failed = std::current_exception();
                    }
                });
            } catch (const std::system_error&) {  // no thread: all here
            }
        }
        if (!indexer.joinable()) l.index_months();
        try {
            ledger.guard([&] { a.finish_replay(); });
            if (indexer.joinable()) l.index_pending_months_of(split, clients);
        } catch (...) {
            if (indexer.joinable()) indexer.join();
            throw;
        }
        if (indexer.joinable()) {
            indexer.join();
            if (index_failed) std::rethrow_exception(index_failed);
            l.months_indexed();
        }
    }

    static void read_evaluations(Agency& a, const Reader& rubrics, const Reader& list, const Reader& seq) {
        a.rubrics_.clear();
        std::set<std::string> rubric_ids;
        for (const Reader& item : rubrics.items()) {
            Rubric rub = read_rubric(item);
            if (!rubric_ids.insert(rub.id).second) item.at("id").fail("duplicate rubric id " + quote(rub.id) + " [PE-1]");
            a.rubrics_.push_back(std::move(rub));
        }
        for (const Rubric& builtin : builtin_rubrics())
            if (!rubric_ids.contains(builtin.id))
                rubrics.fail("the built-in rubric " + quote(builtin.id) + " is missing; every book carries it [PE-1]");
        a.next_evaluation_serial_ = static_cast<std::uint32_t>(seq.integer(1, kMaxSerial + 1));
        std::set<std::string> seen;
        for (const Reader& item : list.items()) {
            Evaluation e = read_evaluation(item);
            check_serial_id(item.at("id"), e.id, "EV", a.next_evaluation_serial_, seen, "PE-3");
            for (const auto& [key, id] : {std::pair{"evaluatee", e.evaluatee}, std::pair{"evaluator", e.evaluator}})
                if (!a.find_staff(id)) item.at(key).fail("no such staff member " + quote(id) + " [ST-1]");
            const auto reviewers = item.at("reviewers").items();
            for (std::size_t i = 0; i < e.reviewers.size(); ++i)
                if (!a.find_staff(e.reviewers[i]) || e.reviewers[i] == e.evaluatee || e.reviewers[i] == e.evaluator ||
                    std::count(e.reviewers.begin(), e.reviewers.end(), e.reviewers[i]) > 1)
                    reviewers[i].fail("a reviewer is another staff member, listed once [PE-3]");
            if (e.evaluatee == e.evaluator) item.at("evaluator").fail("nobody evaluates themselves [PE-3]");
            const Rubric* rub = nullptr;
            for (const Rubric& x : a.rubrics_)
                if (x.id == e.rubric) rub = &x;
            if (!rub) item.at("rubric").fail("no such rubric " + quote(e.rubric) + " [PE-1]");
            const Date end = period_end(e.period, e.start).value_or(e.end);
            if (e.end != end || e.end < e.start) item.at("end").fail("does not match the period and its start [PE-3]");
            const auto scores = item.at("scores").items();
            std::size_t last = 0;
            for (std::size_t i = 0; i < e.scores.size(); ++i) {
                const auto it = std::find_if(rub->criteria.begin(), rub->criteria.end(),
                                             [&](const Criterion& c) { return c.id == e.scores[i].criterion; });
                const auto pos = static_cast<std::size_t>(it - rub->criteria.begin()) + 1;
                if (it == rub->criteria.end() || it->weight(e.title).is_zero() || pos <= last)
                    scores[i].at("criterion").fail("a weighted criterion of the rubric, once, in rubric order [PE-1]");
                last = pos;
                scores[i].at("comment").guard([&] { check_text(e.scores[i].comment, "score.comment", "PE-3", 4000); });
            }
            if (!e.kpis.empty()) item.at("kpis").guard([&] { (void)kpi_composite(e.kpis); });
            item.at("evaluatee_comments").guard(
                [&] { check_text(e.evaluatee_comments, "evaluation.evaluatee_comments", "PE-3", 20000); });
            // The history is the workflow, one step at a time, in time order.
            const auto steps = item.at("history").items();
            EvaluationStatus status = EvaluationStatus::Draft;
            DateTime previous = e.created_at;
            for (std::size_t i = 0; i < e.history.size(); ++i) {
                const EvaluationStep& h = e.history[i];
                if (h.from != status || static_cast<int>(h.to) != static_cast<int>(h.from) + 1)
                    steps[i].at("to").fail("the workflow goes Draft -> SharedWithEvaluatee -> Discussed -> Reviewed -> "
                                           "Finalized one step at a time [PE-3]");
                if (h.at < previous) steps[i].at("at").fail("before the previous step [PE-3]");
                if (!a.find_staff(h.actor)) steps[i].at("actor").fail("no such staff member " + quote(h.actor) + " [ST-1]");
                status = h.to;
                previous = h.at;
            }
            if (e.status != status) item.at("status").fail("must be the last step of the history [PE-3]");
            if (status == EvaluationStatus::Finalized)
                for (const Criterion& c : rub->criteria)
                    if (!c.weight(e.title).is_zero() && !e.score_of(c.id))
                        item.at("scores").fail("a finalized evaluation scores every weighted criterion (" + c.id +
                                               " is missing) [PE-3]");
            append_indexed(a.evaluations_, a.evaluation_index_, std::move(e), item.at("id").str());
        }
    }

    static void read_estimates(Agency& a, const Reader& list) {
        json_io::ElementStream items(list);
        for (std::size_t i = 0; i < items.size(); ++i) {
            const Reader item = items.next();
            CostEstimate e = read_estimate(item);
            const JobTicket* job = a.find_job(e.job);
            if (!job) item.at("job").fail("no such job ticket " + quote(e.job) + " [MB-2]");
            auto it = a.estimates_by_job_.find(e.job);
            const std::size_t before = it == a.estimates_by_job_.end() ? 0 : it->second.size();
            if (static_cast<std::size_t>(e.version) != before + 1)
                item.at("version").fail("expected version " + std::to_string(before + 1) + " of job " + e.job + " [MB-2]");
            if (e.amount.currency() != a.currency_ || !e.amount.is_positive())
                item.at("amount").fail("must be a positive amount in the agency currency [MB-2]");
            if (!a.find_staff(e.prepared_by)) item.at("prepared_by").fail("no such staff member " + quote(e.prepared_by) + " [ST-1]");
            item.at("note").guard([&] { check_text(e.note, "estimate.note", "MB-2", 2000); });
            const bool approved = e.status == EstimateStatus::ClientApproved || e.status == EstimateStatus::Superseded;
            if (approved != (e.approved_by.has_value() && e.approved_at.has_value()) ||
                (!approved && (e.approved_by || e.approved_at)))
                item.at("approved_by").fail("approved versions record who approved them and when; others neither [MB-2]");
            if (e.approved_by && !a.client(job->client).find_contact(*e.approved_by))
                item.at("approved_by").fail("not a contact of client " + job->client + " [MB-2]");
            if (e.approved_at && *e.approved_at < e.prepared_at)
                item.at("approved_at").fail("before the version was prepared [MB-2]");
            if (e.prepared_at < job->opened_at) item.at("prepared_at").fail("before the job was opened [MB-2]");
            if (before > 0) {
                const CostEstimate& last = a.estimates_[it->second.back()];
                if (e.prepared_at < std::max(last.prepared_at, last.approved_at.value_or(last.prepared_at)))
                    item.at("prepared_at").fail("before the previous version was prepared or approved [MB-2]");
                if (last.status == EstimateStatus::Draft)
                    items[it->second.back()].at("status").fail("a Draft followed by a newer version is Withdrawn [MB-2]");
            }
            a.append_estimate(std::move(e));
        }
        // Per job: Withdrawn versions are followed by a newer one; exactly the newest
        // approved version is ClientApproved, earlier approved ones Superseded, in order.
        for (const auto& [job, indexes] : a.estimates_by_job_) {
            const CostEstimate* newest_approved = nullptr;
            for (std::size_t n = 0; n < indexes.size(); ++n) {
                const CostEstimate& e = a.estimates_[indexes[n]];
                if (e.status == EstimateStatus::Withdrawn && n + 1 == indexes.size())
                    items[indexes[n]].at("status").fail("the newest version cannot be Withdrawn [MB-2]");
                if (e.approved_at) {
                    if (newest_approved && *e.approved_at < *newest_approved->approved_at)
                        items[indexes[n]].at("approved_at").fail("approvals of a job's versions are in version order [MB-2]");
                    newest_approved = &e;
                }
            }
            for (std::size_t n = 0; n < indexes.size(); ++n) {
                const CostEstimate& e = a.estimates_[indexes[n]];
                if (!e.approved_at) continue;
                const bool newest = &e == newest_approved;
                if (newest != (e.status == EstimateStatus::ClientApproved))
                    items[indexes[n]].at("status").fail(newest ? "the newest approved version is ClientApproved [MB-2]"
                                                               : "an approved version followed by a newer approved one is Superseded [MB-2]");
            }
        }
    }

    static void read_jobs(Agency& a, const Reader& list, const Reader& seq) {
        if (!seq.raw().is_object()) seq.fail("expected an object of department-month -> next number");
        for (const auto& [key, value] : seq.raw().items())
            a.job_sequences_[key] = static_cast<std::uint32_t>(Reader(value, seq.path() + "/" + key).integer(1, kMaxSerial + 1));
        json_io::ElementStream items(list);
        for (std::size_t i = 0; i < items.size(); ++i) {
            const Reader item = items.next();
            JobTicket t = read_job(item, a.currency_);
            const Client* c = a.find_client(t.client);
            if (!c) item.at("client").fail("no such client " + quote(t.client) + " [CL-1]");
            if (!c->find_brand(t.brand)) item.at("brand").fail("not a brand of client " + c->code + " [JT-3]");
            for (const auto& [key, id] : {std::pair{"issuer", std::optional(t.issuer)},
                                          std::pair{"lead_time_override", t.lead_time_override
                                                                              ? std::optional(t.lead_time_override->approver)
                                                                              : std::nullopt}})
                if (id && !a.find_staff(*id)) item.at(key).fail("no such staff member " + quote(*id) + " [ST-1]");
            if (t.plan && !a.plan_index_.contains(*t.plan)) item.at("plan").fail("no such plan [JT-5]");
            const auto history = item.at("history").items();
            for (std::size_t h = 0; h < t.history.size(); ++h)
                if (!a.find_staff(t.history[h].actor))
                    history[h].at("actor").fail("no such staff member " + quote(t.history[h].actor) + " [JT-8]");
            if (t.parent) {
                const JobTicket* parent = a.find_job(*t.parent);
                if (!parent) item.at("parent").fail("no such (earlier) ticket " + quote(*t.parent) + " [JT-2]");
                const std::string prefix = parent->number + "-R";
                const std::size_t n = child_id_number(t.number, prefix);
                if (n == 0 || static_cast<int>(n) >= parent->next_revision || t.number != prefix + std::to_string(n))
                    item.at("number").fail("expected " + prefix + "<n> below the parent's next revision [JT-2]");
            } else {
                const std::string key = std::string(department_code(t.department)) + "-" + year_month_digits(t.opened_at.date());
                const std::size_t n = child_id_number(t.number, key + "-");
                auto it = a.job_sequences_.find(key);
                char canonical[16];
                std::snprintf(canonical, sizeof canonical, "-%02zu", n);
                if (n == 0 || it == a.job_sequences_.end() || n >= it->second || t.number != key + canonical)
                    item.at("number").fail("expected " + key + "-NN below the sequence for " + key + " [JT-1]");
            }
            if (a.job_index_.contains(t.number)) item.at("number").fail("duplicate job number [JT-1]");
            a.job_index_.emplace(t.number, a.jobs_.size());
            a.jobs_.push_back(std::move(t));
            a.job_texts_.push_back(a.jobs_.back());
        }
    }

    static void read_time(Agency& a, const Reader& list, const Reader& seq) {
        a.next_time_serial_ = static_cast<std::uint64_t>(seq.integer(1, INT64_MAX));
        std::set<std::string> seen;
        const auto items = list.items();
        for (const Reader& item : items) {
            TimeEntry e = read_time_entry(item, a.currency_);
            check_serial_id(item.at("id"), e.id, "TE", a.next_time_serial_, seen, "JT-10");
            if (!a.find_job(e.job)) item.at("job").fail("no such job ticket " + quote(e.job) + " [JT-10]");
            if (!a.find_staff(e.staff)) item.at("staff").fail("no such staff member " + quote(e.staff) + " [ST-1]");
            if (e.approved_by && (*e.approved_by == e.staff || !a.find_staff(*e.approved_by)))
                item.at("approved_by").fail("approved by an unknown staff member or by themselves [JT-10]");
            if (e.corrects && !a.time_index_.contains(*e.corrects))
                item.at("corrects").fail("corrects no earlier entry [JT-10]");
            const std::string staff = e.staff;
            const Date day = e.date;
            a.append_time_entry(std::move(e));
            const Decimal total = a.hours_on(staff, day);
            if (total < Decimal(0) || Decimal(24) < total)
                item.at("hours").fail("makes " + total.to_string() + " h for " + staff + " on that day; a day has 0 to 24 [JT-10]");
        }
    }

    static void read_plans(Agency& a, const Reader& list, const Reader& seq) {
        a.next_plan_serial_ = static_cast<std::uint32_t>(seq.integer(1, kMaxSerial + 1));
        const auto items = list.items();
        std::set<std::string> seen;
        for (const Reader& item : items) {
            MarketingPlan p = read_plan(item, a.currency_);
            const std::uint64_t serial = p.id.starts_with("MP") ? id_serial(p.id, 2) : 0;
            if (serial == 0 || serial >= a.next_plan_serial_ || !seen.insert(p.id).second)
                item.at("id").fail("expected a unique id MP<digits> below the sequence [MP-1]");
            const Client* c = a.find_client(p.client);
            if (!c) item.at("client").fail("no such client " + quote(p.client) + " [CL-1]");
            const Brand* b = c->find_brand(p.brand);
            if (!b) item.at("brand").fail("not a brand of client " + c->code + " [MP-1]");
            if (p.product && std::find(b->products.begin(), b->products.end(), *p.product) == b->products.end())
                item.at("product").fail("not a product of brand " + p.brand + " [MP-1]");
            if (p.approved_by && !c->find_contact(*p.approved_by))
                item.at("approved_by").fail("not a contact of client " + c->code + " [MP-7]");
            // approved_by / approved_at repeat the approval step of the history.
            for (const PlanTransition& t : p.history) {
                if (t.to != PlanStatus::ClientApproved) continue;
                if (!p.approved_by || t.actor != "client:" + *p.approved_by)
                    item.at("approved_by").fail("must be the client contact of the approval step (" + t.actor + ") [MP-8]");
                if (p.approved_at != t.at)
                    item.at("approved_at").fail("must be the time of the approval step in the history [MP-8]");
            }
            a.add_plan(std::move(p));
        }
        std::set<std::pair<std::string, std::string>> approved;  // (client, brand)
        for (std::size_t i = 0; i < items.size(); ++i) {
            const MarketingPlan& p = a.plans_[i];
            if (p.status == PlanStatus::ClientApproved && !approved.emplace(p.client, p.brand).second)
                items[i].at("status").fail("a second client-approved plan for brand " + quote(p.brand) + " [MP-8]");
            for (const auto& [key, ref] : {std::pair{"supersedes", p.supersedes}, std::pair{"superseded_by", p.superseded_by}})
                if (ref && !a.plan_index_.contains(*ref)) items[i].at(key).fail("no such plan " + quote(*ref) + " [MP-8]");
            if ((p.status == PlanStatus::Superseded) != p.superseded_by.has_value())
                items[i].at("superseded_by").fail("a superseded plan names its successor, other plans do not [MP-8]");
        }
    }

    static void read_clients(Agency& a, const Reader& list, const Reader& serials) {
        if (!serials.raw().is_object()) serials.fail("expected an object of year -> next serial");
        for (const auto& [key, value] : serials.raw().items()) {
            const Reader v(value, serials.path() + "/" + key);
            int year = 0;
            auto [p, ec] = std::from_chars(key.data(), key.data() + key.size(), year);
            if (ec != std::errc() || p != key.data() + key.size() || year < 1400 || year > 9999)
                v.fail("expected a year as the key, found " + quote(key));
            a.next_client_serial_[year] = static_cast<std::uint32_t>(v.integer(1, kMaxSerial + 1));
        }
        for (const Reader& item : list.items()) {
            Client c = read_client(item, a.currency_);
            const std::string expected_prefix =
                c.city + "-" + year_month_digits(c.first_contact) + "-" + c.short_name + "-";
            const std::uint64_t serial = c.code.starts_with(expected_prefix) ? id_serial(c.code, expected_prefix.size()) : 0;
            if (serial == 0 || c.code.size() < expected_prefix.size() + 3)
                item.at("code").fail("expected " + expected_prefix + "NNN from the client's city, first contact and "
                                     "short name [CL-1]");
            auto next = a.next_client_serial_.find(c.first_contact.year());
            if (next == a.next_client_serial_.end() || next->second <= serial)
                item.at("code").fail("serial " + std::to_string(serial) + " is not below the sequence for " +
                                     std::to_string(c.first_contact.year()) + " (codes are never reused) [CL-1]");
            if (a.client_index_.contains(c.code)) item.at("code").fail("duplicate client code [CL-1]");
            if (!a.client_names_.emplace(Agency::client_name_key(c.city, c.name), a.clients_.size()).second)
                item.at("name").fail("another client in " + c.city + " has this name [CL-2]");
            // Team members must exist; they may have left or changed title since (history).
            const auto teams = item.at("team_history").items();
            for (std::size_t t = 0; t < c.team_history.size(); ++t) {
                const AccountTeam& team = c.team_history[t].team;
                for (const auto& [key, id] : std::array<std::pair<const char*, std::optional<std::string>>, 4>{
                         {{"ae", team.ae}, {"aae", team.aae}, {"am", team.am}, {"ad", team.ad}}})
                    if (id && !a.find_staff(*id)) teams[t].at(key).fail("no such staff member " + quote(*id) + " [ST-3]");
            }
            a.client_index_.emplace(c.code, a.clients_.size());
            a.clients_.push_back(std::move(c));
        }
    }

    template <class T, class ReadFn>
    static std::vector<T> read_list(const Reader& list, ReadFn read, json_io::Items& items) {
        items = list.items();
        std::vector<T> out;
        out.reserve(items.size());
        for (const Reader& item : items) out.push_back(read(item));
        return out;
    }

    static void read_routines(Agency& a, const Reader& r, const Reader& seq) {
        auto require_staff = [&](const Reader& at, const std::string& id) {
            if (!a.find_staff(id)) at.fail("no such staff member " + quote(id) + " [ST-1]");
        };
        auto require_client = [&](const Reader& at, const std::string& code) -> const Client& {
            const Client* c = a.find_client(code);
            if (!c) at.fail("no such client " + quote(code) + " [CL-1]");
            return *c;
        };
        json_io::Items items;
        std::set<std::string> seen;
        // Meeting notices first: activities refer to them.
        a.notices_ = read_list<MeetingNotice>(r.at("meeting_notices"), read_notice, items);
        a.next_notice_serial_ = static_cast<std::uint32_t>(seq.at("meeting_notices").integer(1, kMaxSerial + 1));
        for (std::size_t i = 0; i < items.size(); ++i) {
            const MeetingNotice& n = a.notices_[i];
            check_serial_id(items[i].at("id"), n.id, "N", a.next_notice_serial_, seen, "AS-2");
            require_client(items[i].at("client"), n.client);
            require_staff(items[i].at("author"), n.author);
            a.notice_index_.emplace(n.id, i);
        }
        a.activities_ = read_list<Activity>(r.at("activities"), read_activity, items);
        a.next_activity_serial_ = static_cast<std::uint64_t>(seq.at("activities").integer(1, INT64_MAX));
        seen.clear();
        for (std::size_t i = 0; i < items.size(); ++i) {
            const Activity& act = a.activities_[i];
            check_serial_id(items[i].at("id"), act.id, "A", a.next_activity_serial_, seen, "CL-4");
            const Client& c = require_client(items[i].at("client"), act.client);
            require_staff(items[i].at("staff"), act.staff);
            if (act.when.date() < c.first_contact)
                items[i].at("when").fail("before the client's first contact [CL-4]");
            const auto contacts = items[i].at("contacts").items();
            for (std::size_t k = 0; k < act.contacts.size(); ++k)
                if (!c.find_contact(act.contacts[k])) contacts[k].fail("not a contact of client " + c.code + " [CL-3]");
            if (act.notice) {
                auto it = a.notice_index_.find(*act.notice);
                if (it == a.notice_index_.end()) items[i].at("notice").fail("no such meeting notice [AS-2]");
                const MeetingNotice& n = a.notices_[it->second];
                if (act.kind != ActivityKind::Meeting || n.client != act.client || n.issued_at > act.when)
                    items[i].at("notice").fail("a notice belongs to a meeting of the same client, issued before it [AS-2]");
            }
            a.activity_index_.emplace(act.id, i);
            a.index_activity(i);
        }
        a.contact_reports_ = read_list<ContactReport>(r.at("contact_reports"), read_contact_report, items);
        a.next_report_serial_ = static_cast<std::uint32_t>(seq.at("contact_reports").integer(1, kMaxSerial + 1));
        seen.clear();
        for (std::size_t i = 0; i < items.size(); ++i) {
            const ContactReport& rep = a.contact_reports_[i];
            check_serial_id(items[i].at("id"), rep.id, "R", a.next_report_serial_, seen, "AS-1");
            auto it = a.activity_index_.find(rep.activity);
            if (it == a.activity_index_.end()) items[i].at("activity").fail("no such activity [AS-1]");
            const Activity& act = a.activities_[it->second];
            if (!act.needs_contact_report())
                items[i].at("activity").fail("contact reports are for meetings, visits and important calls [AS-1]");
            if (rep.written_at < act.when) items[i].at("written_at").fail("written before the activity [AS-1]");
            require_staff(items[i].at("author"), rep.author);
            const Client& c = a.client(act.client);
            const auto contacts = items[i].at("distribution_contacts").items();
            for (std::size_t k = 0; k < rep.distribution_contacts.size(); ++k)
                if (!c.find_contact(rep.distribution_contacts[k]))
                    contacts[k].fail("not a contact of client " + c.code + " [AS-1]");
            const auto staff = items[i].at("distribution_staff").items();
            for (std::size_t k = 0; k < rep.distribution_staff.size(); ++k) require_staff(staff[k], rep.distribution_staff[k]);
            if (!a.report_by_activity_.emplace(rep.activity, i).second)
                items[i].at("activity").fail("a second contact report for this activity [AS-1]");
        }
        a.status_reports_ = read_list<StatusReport>(r.at("status_reports"), read_status_report, items);
        a.next_status_serial_ = static_cast<std::uint32_t>(seq.at("status_reports").integer(1, kMaxSerial + 1));
        seen.clear();
        for (std::size_t i = 0; i < items.size(); ++i) {
            const StatusReport& rep = a.status_reports_[i];
            check_serial_id(items[i].at("id"), rep.id, "W", a.next_status_serial_, seen, "AS-3");
            require_staff(items[i].at("author"), rep.author);
            if (rep.kind == ReportKind::Weekly && weekday_of(rep.period) != Weekday::Monday)
                items[i].at("period").fail("a weekly report's period is a Monday [AS-3]");
            if (rep.kind == ReportKind::Monthly && rep.period.day() != 1)
                items[i].at("period").fail("a monthly summary's period is the 1st of a month [AS-3]");
            if (rep.submitted_at.date() < rep.period)
                items[i].at("submitted_at").fail("submitted before the period it reports on [AS-3]");
            if (!a.status_index_.emplace(Agency::status_key(rep.author, rep.kind, rep.period), i).second)
                items[i].at("period").fail("a second report of this kind, author and period [AS-3]");
        }
    }
};

namespace {

// The document with its top-level arrays cut out: `rest` is the text of the rest, with an
// empty array in place of each, and `arrays` their text in the whole document, in order.
// nullopt when the document is not a plain object of plainly written keys (a syntax
// error, a key with escapes): such documents are read whole.
struct Split {
    std::string rest;
    std::vector<std::pair<std::string, std::string_view>> arrays;
    bool ledger_from_the_back = false;  // the ledger's end was found from the document's end
};

// The end of the array at `p` ('['), or nullptr; the text behind is released every
// 64 MiB as it is passed (the reader will fault it in again, one window at a time).
const char* skip_array(const char* p, const char* end, const std::function<void(const char*)>& release) {
    constexpr std::size_t kWindow = std::size_t{1} << 26;
    return json_text::skip_nested_in_windows(p, end, kWindow, release);
}

// A big ledger is not cut before it is read: its end is found from the document's end
// instead, past the few small members written after it (rubrics, evaluations, sequences),
// and the ledger's own reader confirms that the array ends exactly there. So the loader
// reads the file once, not twice, and a file not yet in the page cache is read from disk
// while the book is built rather than before. From the back as from the front, a quote
// after an even number of backslashes is a string's edge (in valid JSON).
bool escaped_quote(const char* quote, const char* begin) noexcept {
    std::size_t backslashes = 0;
    for (const char* b = quote; b > begin && b[-1] == '\\'; --b) ++backslashes;
    return backslashes % 2 == 1;
}

// The ']' that closes the array opened at `open`, found from `end` (the document's end)
// on the assumption that the array is the member before the document's last small ones:
// the last array value of the top-level object that holds more than `big` bytes (json_io::ledger_from_the_back). nullptr
// when the text from the back is not so (the caller then skips the array from the front),
// found out within 2 * `big` bytes of the end when no array ends there (a huge object last
// would otherwise be read backwards to its start, and the ledger with it).
const char* array_end_from_the_back(const char* open, const char* end) noexcept {
    const std::size_t big = json_io::ledger_from_the_back.big;
    // The text about to be scanned, read front to back first: a mapped file not in the
    // page cache is read ahead by the kernel going forward only (backwards, each fault
    // would read a page or so from the disk).
    {
        const char* from = end - std::min<std::size_t>(static_cast<std::size_t>(end - open), big + (std::size_t{1} << 20));
        volatile char sink = 0;
        for (const char* q = from; q < end; q += 4096) sink = static_cast<char>(sink + *q);
    }
    const char* p = end;
    while (p > open && (p[-1] == ' ' || p[-1] == '\n' || p[-1] == '\r' || p[-1] == '\t')) --p;
    if (p - open < 2 || p[-1] != '}') return nullptr;
    --p;  // the document's closing brace: from here on, depth 1 is inside the top-level object
    std::size_t depth = 1;
    bool in_string = false;
    const char* candidate = nullptr;  // a ']' closing a member's value, at depth 1
    while (--p > open) {
        const char c = *p;
        if (in_string) {
            if (c == '"' && !escaped_quote(p, open)) in_string = false;
            continue;
        }
        if (c == '"') {
            if (escaped_quote(p, open)) return nullptr;  // not valid JSON
            in_string = true;
        } else if (c == ']' || c == '}') {
            if (depth == 1) candidate = c == ']' ? p : nullptr;
            ++depth;
        } else if (c == '[' || c == '{') {
            if (--depth == 0) return nullptr;
            if (depth == 1) candidate = nullptr;  // that member was small
        }
        if (candidate && static_cast<std::size_t>(candidate - p) > big) return candidate;
        if (!candidate && static_cast<std::size_t>(end - p) > 2 * big) {
            ++json_io::ledger_from_the_back.gave_up;
            return nullptr;
        }
    }
    return nullptr;
}

std::optional<Split> split_top_level(std::string_view text, const std::function<void(const char*)>& release,
                                     bool ledger_from_the_back) {
    using json_text::skip_ws;
    const char* p = text.data();
    const char* end = p + text.size();
    p = skip_ws(p, end);
    if (p >= end || *p != '{') return std::nullopt;
    Split out;
    out.rest.reserve(4096);
    out.rest += '{';
    p = skip_ws(p + 1, end);
    if (p < end && *p == '}') return std::nullopt;  // nothing to cut
    for (bool first = true;; first = false) {
        p = skip_ws(p, end);
        if (p >= end || *p != '"') return std::nullopt;
        const char* key_end = static_cast<const char*>(std::memchr(p + 1, '"', static_cast<std::size_t>(end - p - 1)));
        if (!key_end || std::memchr(p + 1, '\\', static_cast<std::size_t>(key_end - p - 1))) return std::nullopt;
        const std::string_view key(p + 1, static_cast<std::size_t>(key_end - p - 1));
        p = skip_ws(key_end + 1, end);
        if (p >= end || *p != ':') return std::nullopt;
        const char* value = skip_ws(p + 1, end);
        const char* value_end = nullptr;
        if (ledger_from_the_back && key == "ledger" && value < end && *value == '[' &&
            static_cast<std::size_t>(end - value) >= json_io::ledger_from_the_back.from) {
            if (const char* close = array_end_from_the_back(value, end)) {
                value_end = close + 1;
                out.ledger_from_the_back = true;
                ++json_io::ledger_from_the_back.taken;
            }
        }
        if (!value_end)
            value_end = value < end && *value == '[' ? skip_array(value, end, release) : json_text::skip_value(value, end);
        if (!value_end) return std::nullopt;
        if (!first) out.rest += ',';
        out.rest += '"';
        out.rest.append(key);
        out.rest += "\":";
        if (*value == '[') {
            out.rest += "[]";
            out.arrays.emplace_back(std::string(key), std::string_view(value, static_cast<std::size_t>(value_end - value)));
        } else {
            out.rest.append(value, value_end);
        }
        p = skip_ws(value_end, end);
        if (p < end && *p == ',') {
            ++p;
            continue;
        }
        if (p < end && *p == '}' && skip_ws(p + 1, end) == end) break;
        return std::nullopt;
    }
    out.rest += '}';
    return out;
}

// Checks the document's schema name and version; returns the version.
int check_header(const Reader& root) {
    if (!root.raw().is_object()) root.fail("expected an aecore.Agency document (a JSON object)");
    const std::string name = root.at("schema").str();
    if (name != schema::kName) root.at("schema").fail("expected " + quote(schema::kName));
    const Reader ver = root.at("version");
    const auto version = ver.integer(INT32_MIN, INT32_MAX);
    if (version > schema::kVersion)
        ver.fail("version " + std::to_string(version) + " is newer than this aecore reads (" +
                 std::to_string(schema::kVersion) + "); upgrade aecore");
    if (version < 1) ver.fail("unknown version; the first version is 1");
    return static_cast<int>(version);
}

// Reads the document whole: one DOM, upgraded from older versions in place.
Agency read_whole(std::string_view text) {
    Json doc;
    try {
        doc = json_text::parse_dom(text);
    } catch (const SchemaError&) {
        throw;
    } catch (const Json::exception&) {
        json_io::fail_document(text);
    }
    const int version = check_header(Reader(doc, ""));
    upgrade_to_current(doc, version);
    return AgencyCodec::read(Reader(doc, ""));
}

Agency read_document(std::string_view text, const std::function<void(const char*)>& release,
                     bool ledger_from_the_back = true) {
    std::optional<Split> split = split_top_level(text, release, ledger_from_the_back);
    if (!split) return read_whole(text);
    const bool unconfirmed = split->ledger_from_the_back;
    bool confirmed = false;
    try {
        Json rest;
        try {
            rest = json_text::parse_dom(split->rest);
        } catch (const SchemaError&) {
            throw;
        } catch (const Json::exception&) {
            json_io::fail_document(text);  // the same error, placed in the document itself
        }
        if (check_header(Reader(rest, "")) != schema::kVersion) return read_whole(text);  // upgrades work on a DOM
        json_io::LazyDocument doc(text);
        doc.release = release;
        doc.ledger_confirmed = &confirmed;
        for (const auto& [key, array] : split->arrays) doc.add(&rest.at(key), array);
        split.reset();
        return AgencyCodec::read(Reader(rest, "", &doc));
    } catch (const Error&) {
        if (!unconfirmed || confirmed) throw;
    }
    // Refused before the ledger's reader found the array's end where it was looked for
    // from the back: maybe because it was not there. Read again, the ledger cut from the
    // front, for the error (or the book) a document gives when read in order.
    ++json_io::ledger_from_the_back.retried;
    return read_document(text, release, false);
}

}  // namespace

json_io::LedgerFromTheBack json_io::ledger_from_the_back;

std::string Agency::to_json() const {
    std::string out;
    out.reserve(ledger_.size() * 320 + 4096);  // most of the text (about 300 bytes an entry)
    AgencyCodec::write_text(*this, out, nullptr);
    return out;
}

Agency Agency::from_json(std::string_view text) { return read_document(text, nullptr); }

namespace {

// Writes chunks on a second thread while the caller formats the next one: a save costs
// about the longer of formatting and writing, not their sum. An error of `write` is
// rethrown to the caller at its next push or at finish().
class ChunkWriter {
public:
    explicit ChunkWriter(const std::function<void(std::string_view)>& write)
        : write_(write), thread_([this] { run(); }) {}
    ChunkWriter(const ChunkWriter&) = delete;
    ChunkWriter& operator=(const ChunkWriter&) = delete;
    ~ChunkWriter() { stop(); }

    /// Queues `buffer` (at most two chunks wait) and hands back an empty one.
    void push(std::string& buffer) {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [this] { return full_.size() < 2 || error_; });
        if (error_) std::rethrow_exception(error_);
        full_.push_back(std::move(buffer));
        buffer = std::string();
        if (!spare_.empty()) {
            buffer = std::move(spare_.back());
            spare_.pop_back();
        }
        changed_.notify_all();
    }
    /// Writes what is queued and waits for it.
    void finish() {
        stop();
        if (error_) std::rethrow_exception(error_);
    }

private:
    void run() {
        std::unique_lock lock(mutex_);
        for (;;) {
            changed_.wait(lock, [this] { return !full_.empty() || done_; });
            if (full_.empty()) return;
            std::string chunk = std::move(full_.front());
            full_.pop_front();
            lock.unlock();
            std::exception_ptr error;
            try {
                if (!error_) write_(chunk);
            } catch (...) {
                error = std::current_exception();
            }
            chunk.clear();
            lock.lock();
            if (error && !error_) error_ = error;
            spare_.push_back(std::move(chunk));
            changed_.notify_all();
        }
    }
    void stop() {
        {
            std::lock_guard lock(mutex_);
            done_ = true;
        }
        changed_.notify_all();
        if (thread_.joinable()) thread_.join();
    }

    const std::function<void(std::string_view)>& write_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<std::string> full_;
    std::vector<std::string> spare_;
    std::exception_ptr error_;
    bool done_ = false;
    std::thread thread_;  // last: starts after the members it uses
};

}  // namespace

void Agency::save(const std::filesystem::path& path) const {
    write_file_atomically(path, [this](const std::function<void(std::string_view)>& write) {
        ChunkWriter writer(write);
        std::string buffer;
        const AgencyCodec::Flush flush = [&writer](std::string& full) { writer.push(full); };
        AgencyCodec::write_text(*this, buffer, &flush);
        writer.push(buffer);
        writer.finish();
    });
}

Agency Agency::load(const std::filesystem::path& path) {
    return with_file_text(path, [](std::string_view text, const std::function<void(const char*)>& release) {
        return read_document(text, release);
    });
}

}  // namespace aecore
