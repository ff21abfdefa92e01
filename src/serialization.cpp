// The aecore.Agency JSON document (PS-1..PS-3): writer, validating reader and the
// chain of version upgrades.

#include "aecore/serialization.hpp"

#include <array>
#include <functional>

#include "aecore/agency.hpp"
#include "atomic_file.hpp"
#include "json_io.hpp"
#include "text_checks.hpp"

namespace aecore {

using json_io::Json;
using json_io::Reader;
using json_io::write;
using json_io::write_enum;

namespace {

// ---------------------------------------------------------------- migrations
// kUpgrades[i] turns a version (i + 1) document into version (i + 2), in place, on the
// raw JSON. To change the schema: bump schema::kVersion, append one function here,
// and keep a golden file of the old version under tests/data/ that must still load.
using Upgrade = void (*)(Json&);
constexpr std::array<Upgrade, schema::kVersion - 1> kUpgrades{};

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
            v.guard([&] { p.set_lead_time_days(type, days); });
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

}  // namespace

// Friend of Agency: reads and writes its private state.
struct AgencyCodec {
    static Json write(const Agency& a) {
        Json doc = Json::object();
        doc["schema"] = std::string(schema::kName);
        doc["version"] = schema::kVersion;
        doc["agency"] = {{"name", a.name_}, {"home_city", a.home_city_}, {"currency", std::string(a.currency_.code())}};
        doc["policy"] = write_policy(a.policy_);
        doc["calendar"] = write_calendar(a.calendar_);
        Json staff = Json::array();
        for (const Staff& s : a.staff_) staff.push_back(write_staff(s));
        doc["staff"] = std::move(staff);
        doc["sequences"] = {{"staff", a.next_staff_serial_}};
        return doc;
    }

    static Agency read(const Reader& r) {
        r.expect_object({"schema", "version", "agency", "policy", "calendar", "staff", "sequences"});
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
        seq.expect_object({"staff"});
        a.next_staff_serial_ = static_cast<std::uint32_t>(seq.at("staff").integer(1, 99999999));
        return a;
    }
};

std::string Agency::to_json() const {
    // ensure_ascii = false: names stay readable UTF-8 (they are validated on input).
    return AgencyCodec::write(*this).dump(2, ' ', false) + "\n";
}

Agency Agency::from_json(std::string_view text) {
    Json doc;
    try {
        doc = Json::parse(text.begin(), text.end());
    } catch (const Json::parse_error& e) {
        // e.byte is the 1-based offset where parsing stopped.
        throw SchemaError("PS-1", "/", "", std::string("not valid JSON: ") + e.what());
    }
    const Reader root(doc, "");
    if (!doc.is_object()) root.fail("expected an aecore.Agency document (a JSON object)");
    const std::string name = root.at("schema").str();
    if (name != schema::kName) root.at("schema").fail("expected " + quote(schema::kName));
    const Reader ver = root.at("version");
    const auto version = ver.integer(INT32_MIN, INT32_MAX);
    if (version > schema::kVersion)
        ver.fail("version " + std::to_string(version) + " is newer than this aecore reads (" +
                 std::to_string(schema::kVersion) + "); upgrade aecore");
    if (version < 1) ver.fail("unknown version; the first version is 1");
    upgrade_to_current(doc, static_cast<int>(version));
    return AgencyCodec::read(Reader(doc, ""));
}

void Agency::save(const std::filesystem::path& path) const { write_file_atomically(path, to_json()); }

Agency Agency::load(const std::filesystem::path& path) { return from_json(read_whole_file(path)); }

}  // namespace aecore
