#include "aecore/job_ticket.hpp"

namespace aecore {

bool accepts_time(TicketStatus s) noexcept {
    return s == TicketStatus::Issued || s == TicketStatus::InProgress || s == TicketStatus::InternalReview ||
           s == TicketStatus::ClientReview;
}

bool is_open(TicketStatus s) noexcept { return s != TicketStatus::Closed && s != TicketStatus::Cancelled; }

bool transition_allowed(TicketStatus from, TicketStatus to) noexcept {
    using S = TicketStatus;
    if (to == S::Cancelled) return is_open(from);
    switch (from) {
        case S::Draft: return to == S::Approved;
        case S::Approved: return to == S::Issued;
        case S::Issued: return to == S::InProgress;
        case S::InProgress: return to == S::InternalReview;
        case S::InternalReview: return to == S::ClientReview || to == S::InProgress;
        case S::ClientReview: return to == S::ClientApproved || to == S::InProgress;
        case S::ClientApproved: return to == S::Closed;
        case S::Closed:
        case S::Cancelled: return false;
    }
    return false;
}

bool job_number_less(std::string_view a, std::string_view b) noexcept {
    std::size_t i = 0, j = 0;
    auto digit = [](char c) { return c >= '0' && c <= '9'; };
    while (i < a.size() && j < b.size()) {
        if (digit(a[i]) && digit(b[j])) {
            std::size_t ei = i, ej = j;
            while (ei < a.size() && digit(a[ei])) ++ei;
            while (ej < b.size() && digit(b[ej])) ++ej;
            std::string_view x = a.substr(i, ei - i), y = b.substr(j, ej - j);
            while (x.size() > 1 && x.front() == '0') x.remove_prefix(1);
            while (y.size() > 1 && y.front() == '0') y.remove_prefix(1);
            if (x.size() != y.size()) return x.size() < y.size();
            if (x != y) return x < y;
            i = ei;
            j = ej;
        } else {
            if (a[i] != b[j]) return a[i] < b[j];
            ++i;
            ++j;
        }
    }
    return a.size() - i < b.size() - j;
}

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

// ---------------------------------------------------------------- JobTextColumns

namespace {

std::array<std::string_view, JobTextColumns::kColumns> texts_of(const JobTicket& t) noexcept {
    return {t.number, t.parent ? std::string_view(*t.parent) : std::string_view(), t.client, t.brand, t.title, t.issuer};
}

}  // namespace

void JobTextColumns::push_back(const JobTicket& t) {
    const auto texts = texts_of(t);
    const std::size_t n = size();
    try {
        for (std::size_t c = 0; c < kColumns; ++c) {
            bytes_[c].append(texts[c]);
            ends_[c].push_back(bytes_[c].size());
        }
        has_parent_.push_back(t.parent.has_value());
    } catch (...) {  // back to n tickets: every column that grew is cut back
        for (std::size_t c = 0; c < kColumns; ++c) {
            ends_[c].resize(n);
            bytes_[c].resize(offset(static_cast<Column>(c), n));
        }
        throw;
    }
}

void JobTextColumns::pop_back() noexcept {
    const std::size_t n = size() - 1;
    for (std::size_t c = 0; c < kColumns; ++c) {
        ends_[c].pop_back();
        bytes_[c].resize(offset(static_cast<Column>(c), n));
    }
    has_parent_.pop_back();
}

bool JobTextColumns::matches(std::size_t j, const JobTicket& t) const noexcept {
    if (j >= size() || has_parent_[j] != t.parent.has_value()) return false;
    const auto texts = texts_of(t);
    for (std::size_t c = 0; c < kColumns; ++c)
        if (value(static_cast<Column>(c), j) != texts[c]) return false;
    return true;
}

}  // namespace aecore
