// Agency: account-service routines (SPEC AS-1..AS-3): activities, contact reports,
// meeting notices and status reports. Records are append-only.

#include <cstdio>

#include "aecore/agency.hpp"
#include "aecore/error.hpp"
#include "ids.hpp"
#include "text_checks.hpp"

namespace aecore {

namespace bg = boost::gregorian;
namespace bp = boost::posix_time;

namespace {

std::string serial_id(char prefix, std::uint64_t n, int width) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%c%0*llu", prefix, width, static_cast<unsigned long long>(n));
    return buf;
}

std::string time_str(const DateTime& t) { return bp::to_iso_extended_string(t); }

}  // namespace

const Activity& Agency::activity(std::string_view id) const {
    auto it = activity_index_.find(id);
    if (it == activity_index_.end()) throw NotFoundError("AS-1", "activity.id", quote(id), "no such activity");
    return activities_[it->second];
}

const MeetingNotice& Agency::meeting_notice(std::string_view id) const {
    auto it = notice_index_.find(id);
    if (it == notice_index_.end()) throw NotFoundError("AS-2", "notice.id", quote(id), "no such meeting notice");
    return notices_[it->second];
}

const ContactReport* Agency::contact_report_for(std::string_view activity_id) const noexcept {
    auto it = report_by_activity_.find(activity_id);
    return it == report_by_activity_.end() ? nullptr : &contact_reports_[it->second];
}

void Agency::index_activity(std::size_t i) { activities_by_client_[activities_[i].client].push_back(i); }

const Activity& Agency::log_activity(const NewActivity& spec) {
    require_valid(spec.when, "activity.when", "CL-4");
    const Client* found = find_client(spec.client);
    if (!found) throw NotFoundError("CL-1", "activity.client", quote(spec.client), "no such client");
    const Client& c = *found;
    if (c.archived) throw StateError("CL-2", "activity.client", quote(c.code), "the client is archived");
    (void)active_staff(spec.staff, "activity.staff", "CL-4");
    if (spec.when.date() < c.first_contact)
        throw ValidationError("CL-4", "activity.when", time_str(spec.when),
                              "is before the client's first contact " + bg::to_iso_extended_string(c.first_contact));
    for (const std::string& k : spec.contacts)
        if (!c.find_contact(k))
            throw NotFoundError("CL-3", "activity.contacts", quote(k), "is not a contact of client " + c.code);
    check_text(spec.summary, "activity.summary", "AS-1");
    if (spec.notice) {
        if (spec.kind != ActivityKind::Meeting)
            throw ValidationError("AS-2", "activity.notice", quote(*spec.notice), "only a meeting has a meeting notice");
        auto it = notice_index_.find(*spec.notice);
        if (it == notice_index_.end())
            throw NotFoundError("AS-2", "activity.notice", quote(*spec.notice), "no such meeting notice");
        const MeetingNotice& n = notices_[it->second];
        if (n.client != c.code)
            throw ValidationError("AS-2", "activity.notice", quote(*spec.notice),
                                  "is a notice for client " + n.client + ", not " + c.code);
        if (n.issued_at > spec.when)
            throw ValidationError("AS-2", "activity.notice", quote(*spec.notice),
                                  "was issued " + time_str(n.issued_at) + ", after this meeting; a notice announces a meeting");
    }
    Activity a{.id = serial_id('A', next_activity_serial_, 6),
               .kind = spec.kind,
               .when = spec.when,
               .client = c.code,
               .staff = spec.staff,
               .contacts = spec.contacts,
               .summary = spec.summary,
               .important = spec.important,
               .notice = spec.notice};
    const std::string id = a.id;
    append_indexed(activities_, activity_index_, std::move(a), id);
    try {
        index_activity(activities_.size() - 1);
    } catch (...) {
        activity_index_.erase(id);
        activities_.pop_back();
        throw;
    }
    ++next_activity_serial_;
    return activities_.back();
}

const ContactReport& Agency::add_contact_report(const NewContactReport& spec) {
    auto found = activity_index_.find(spec.activity);
    if (found == activity_index_.end())
        throw NotFoundError("AS-1", "report.activity", quote(spec.activity), "no such activity");
    const Activity& a = activities_[found->second];
    if (!a.needs_contact_report())
        throw ValidationError("AS-1", "report.activity", quote(a.id),
                              "is a " + std::string(to_string(a.kind)) +
                                  "; contact reports are written for meetings, visits and important calls");
    if (contact_report_for(a.id))
        throw ValidationError("AS-1", "report.activity", quote(a.id), "already has a contact report");
    require_valid(spec.written_at, "report.written_at", "AS-1");
    if (spec.written_at < a.when)
        throw ValidationError("AS-1", "report.written_at", time_str(spec.written_at),
                              "is before the " + std::string(to_string(a.kind)) + " it reports on (" + time_str(a.when) + ")");
    (void)active_staff(spec.author, "report.author", "AS-1");
    const Client& c = client(a.client);
    for (const std::string& k : spec.distribution_contacts)
        if (!c.find_contact(k))
            throw NotFoundError("AS-1", "report.distribution_contacts", quote(k), "is not a contact of client " + c.code);
    for (const std::string& s : spec.distribution_staff)
        if (!find_staff(s)) throw NotFoundError("AS-1", "report.distribution_staff", quote(s), "no such staff member");
    check_text(spec.summary, "report.summary", "AS-1");
    require_serial_left(next_report_serial_, "sequences.contact_reports");
    ContactReport r{serial_id('R', next_report_serial_, 5), a.id, spec.written_at, spec.author, spec.summary,
                    spec.distribution_contacts, spec.distribution_staff};
    append_indexed(contact_reports_, report_by_activity_, std::move(r), a.id);
    ++next_report_serial_;
    return contact_reports_.back();
}

const MeetingNotice& Agency::add_meeting_notice(const NewMeetingNotice& spec) {
    const Client* found = find_client(spec.client);
    if (!found) throw NotFoundError("CL-1", "notice.client", quote(spec.client), "no such client");
    const Client& c = *found;
    if (c.archived) throw StateError("CL-2", "notice.client", quote(c.code), "the client is archived");
    (void)active_staff(spec.author, "notice.author", "AS-2");
    if (spec.meeting_at.is_special())
        throw ValidationError("AS-2", "notice.meeting_at", "none", "a meeting notice must say when the meeting is (5W1H)");
    require_valid(spec.issued_at, "notice.issued_at", "AS-2");
    if (spec.issued_at > spec.meeting_at)
        throw ValidationError("AS-2", "notice.issued_at", time_str(spec.issued_at),
                              "is after the meeting it announces (" + time_str(spec.meeting_at) + ")");
    for (const std::string& who : spec.attendees) check_text(who, "notice.attendees", "AS-2", 200);
    check_text(spec.location, "notice.location", "AS-2", 500);
    check_text(spec.topic, "notice.topic", "AS-2", 2000);
    check_text(spec.items_to_confirm, "notice.items_to_confirm", "AS-2");
    check_text(spec.agenda, "notice.agenda", "AS-2");
    require_serial_left(next_notice_serial_, "sequences.meeting_notices");
    MeetingNotice n{serial_id('N', next_notice_serial_, 5), c.code, spec.author, spec.issued_at, spec.meeting_at,
                    spec.attendees, spec.location, spec.topic, spec.items_to_confirm, spec.agenda};
    const std::string id = n.id;
    append_indexed(notices_, notice_index_, std::move(n), id);
    ++next_notice_serial_;
    return notices_.back();
}

const StatusReport& Agency::submit_status_report(const NewStatusReport& spec) {
    (void)active_staff(spec.author, "status_report.author", "AS-3");
    require_valid(spec.period, "status_report.period", "AS-3");
    require_valid(spec.submitted_at, "status_report.submitted_at", "AS-3");
    if (spec.kind == ReportKind::Weekly && weekday_of(spec.period) != Weekday::Monday)
        throw ValidationError("AS-3", "status_report.period", bg::to_iso_extended_string(spec.period),
                              "a weekly report's period is the Monday of its week");
    if (spec.kind == ReportKind::Monthly && spec.period.day() != 1)
        throw ValidationError("AS-3", "status_report.period", bg::to_iso_extended_string(spec.period),
                              "a monthly summary's period is the 1st of its month");
    if (spec.submitted_at.date() < spec.period)
        throw ValidationError("AS-3", "status_report.submitted_at", time_str(spec.submitted_at),
                              "is before the period it reports on");
    std::string key = status_key(spec.author, spec.kind, spec.period);
    if (auto it = status_index_.find(key); it != status_index_.end())
        throw ValidationError("AS-3", "status_report.period", bg::to_iso_extended_string(spec.period),
                              spec.author + " already submitted the " + std::string(to_string(spec.kind)) +
                                  " report for this period (" + status_reports_[it->second].id + ")");
    check_text(spec.summary, "status_report.summary", "AS-3");
    require_serial_left(next_status_serial_, "sequences.status_reports");
    append_indexed(status_reports_, status_index_,
                   StatusReport{serial_id('W', next_status_serial_, 5), spec.kind, spec.author, spec.period,
                                spec.submitted_at, spec.summary},
                   key);
    ++next_status_serial_;
    return status_reports_.back();
}

const StatusReport* Agency::status_report_for(std::string_view author, ReportKind kind, const Date& period) const {
    const auto it = status_index_.find(status_key(author, kind, period));
    return it == status_index_.end() ? nullptr : &status_reports_[it->second];
}

std::string Agency::status_key(std::string_view author, ReportKind kind, const Date& period) {
    std::string key(author);  // staff ids have no newline
    key.push_back('\n');
    key.push_back(static_cast<char>('0' + static_cast<int>(kind)));
    key.append(std::to_string(period.day_number()));
    return key;
}

}  // namespace aecore
