#include "aecore/job_ticket.hpp"

namespace aecore {

bool accepts_time(TicketStatus s) noexcept {
    return s == TicketStatus::Issued || s == TicketStatus::InProgress || s == TicketStatus::InternalReview ||
           s == TicketStatus::ClientReview;
}

bool is_open(TicketStatus s) noexcept { return s != TicketStatus::Closed && s != TicketStatus::Cancelled; }

std::vector<std::string> Brief::missing(Department department) const {
    std::vector<std::string> out;
    if (objective.empty()) out.emplace_back("objective");
    if (target_audience.empty()) out.emplace_back("target audience");
    if (key_message.empty()) out.emplace_back("key message");
    if (mandatories.empty()) out.emplace_back("mandatories");
    if (deliverables.empty()) out.emplace_back("deliverables");
    if (!budget) out.emplace_back("budget");
    if (department == Department::Media && media_objectives.empty()) out.emplace_back("media objectives");
    if (department == Department::Research) {
        if (research_objective.empty()) out.emplace_back("research objective");
        if (research_method.empty()) out.emplace_back("research method");
        if (research_sample.empty()) out.emplace_back("research sample");
    }
    return out;
}

std::optional<TicketStatus> JobTicket::status_before(const DateTime& t) const noexcept {
    if (!(opened_at < t)) return std::nullopt;
    TicketStatus s = TicketStatus::Draft;
    for (const TicketTransition& h : history)
        if (h.at < t) s = h.to;
    return s;
}

bool JobTicket::accepted_time_on(const Date& day) const noexcept {
    const DateTime start(day);
    const DateTime end(day + boost::gregorian::days(1));
    if (const auto s = status_before(start); s && accepts_time(*s)) return true;
    for (const TicketTransition& h : history)
        if (h.at >= start && h.at < end && accepts_time(h.to)) return true;
    return false;
}

std::optional<DateTime> JobTicket::reached(TicketStatus s) const noexcept {
    for (const TicketTransition& h : history)
        if (h.to == s) return h.at;
    return std::nullopt;
}

}  // namespace aecore
