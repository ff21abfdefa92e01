#pragma once
// Account-service routines (SPEC AS-1..AS-3): client activity (calls, meetings, e-mails,
// visits), contact reports, meeting notices and weekly / monthly status reports, kept as
// dated records by the Agency.

#include <optional>
#include <string>
#include <vector>

#include "aecore/calendar.hpp"
#include "aecore/enum_names.hpp"

namespace aecore {

enum class ActivityKind : std::uint8_t { Call, Meeting, Email, Visit };

template <>
struct EnumNames<ActivityKind> {
    static constexpr std::string_view type_name = "ActivityKind";
    static constexpr std::array<std::pair<ActivityKind, std::string_view>, 4> entries{{
        {ActivityKind::Call, "Call"},
        {ActivityKind::Meeting, "Meeting"},
        {ActivityKind::Email, "Email"},
        {ActivityKind::Visit, "Visit"},
    }};
};

/// A contact with the client (CL-4 counts every kind).
struct Activity {
    std::string id;  ///< "A000001"
    ActivityKind kind = ActivityKind::Call;
    DateTime when;
    std::string client;                 ///< client code
    std::string staff;                  ///< staff id of who made the contact
    std::vector<std::string> contacts;  ///< contact ids of the client
    std::string summary;
    bool important = false;             ///< an important call needs a contact report (AS-1)
    std::optional<std::string> notice{};  ///< meeting notice id for a meeting (AS-2)

    /// AS-1: meetings, visits and important calls need a contact report within 48 hours.
    [[nodiscard]] bool needs_contact_report() const noexcept {
        return kind == ActivityKind::Meeting || kind == ActivityKind::Visit || (kind == ActivityKind::Call && important);
    }
    friend bool operator==(const Activity&, const Activity&) = default;
};

struct NewActivity {
    ActivityKind kind = ActivityKind::Call;
    DateTime when{};
    std::string client{};
    std::string staff{};
    std::vector<std::string> contacts{};
    std::string summary{};
    bool important = false;
    std::optional<std::string> notice{};
};

/// AS-1: the written record of a meeting or important call, distributed to the client
/// (contacts) and the team (staff).
struct ContactReport {
    std::string id;  ///< "R00001"
    std::string activity;
    DateTime written_at;
    std::string author;  ///< staff id
    std::string summary;
    std::vector<std::string> distribution_contacts;
    std::vector<std::string> distribution_staff;
    friend bool operator==(const ContactReport&, const ContactReport&) = default;
};

struct NewContactReport {
    std::string activity{};
    DateTime written_at{};
    std::string author{};
    std::string summary{};
    std::vector<std::string> distribution_contacts{};
    std::vector<std::string> distribution_staff{};
};

/// AS-2: a meeting notice, complete only with 5W1H.
struct MeetingNotice {
    std::string id;  ///< "N00001"
    std::string client;
    std::string author;  ///< staff id
    DateTime issued_at;
    DateTime meeting_at;                  ///< when
    std::vector<std::string> attendees;   ///< who
    std::string location;                 ///< where
    std::string topic;                    ///< what (topic)
    std::string items_to_confirm;         ///< what (items to confirm)
    std::string agenda;                   ///< how

    /// The 5W1H elements that are missing ("who", "where", "what: topic", ...).
    [[nodiscard]] std::vector<std::string> missing_elements() const;
    friend bool operator==(const MeetingNotice&, const MeetingNotice&) = default;
};

struct NewMeetingNotice {
    std::string client{};
    std::string author{};
    DateTime issued_at{};
    DateTime meeting_at{};
    std::vector<std::string> attendees{};
    std::string location{};
    std::string topic{};
    std::string items_to_confirm{};
    std::string agenda{};
};

enum class ReportKind : std::uint8_t { Weekly, Monthly };

template <>
struct EnumNames<ReportKind> {
    static constexpr std::string_view type_name = "ReportKind";
    static constexpr std::array<std::pair<ReportKind, std::string_view>, 2> entries{{
        {ReportKind::Weekly, "Weekly"},
        {ReportKind::Monthly, "Monthly"},
    }};
};

/// AS-3: a weekly status report (period = the Monday of the week it reports on, due
/// the following Monday) or a monthly work summary (period = the 1st of the month,
/// due on the month's last business day).
struct StatusReport {
    std::string id;  ///< "W00001"
    ReportKind kind = ReportKind::Weekly;
    std::string author;  ///< staff id
    Date period;
    DateTime submitted_at;
    std::string summary;
    friend bool operator==(const StatusReport&, const StatusReport&) = default;
};

struct NewStatusReport {
    ReportKind kind = ReportKind::Weekly;
    std::string author{};
    Date period{};
    DateTime submitted_at{};
    std::string summary{};
};

}  // namespace aecore
