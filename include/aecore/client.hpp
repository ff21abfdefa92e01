#pragma once
// Clients (SPEC CL-1..CL-7, ST-3): the client record with brands and products, contacts
// with decision roles, contracts, the account team with its history and the pipeline
// stage with its history. Clients are owned by the Agency, which generates their codes
// and validates every change.

#include <optional>
#include <string>
#include <vector>

#include "aecore/calendar.hpp"
#include "aecore/enum_names.hpp"
#include "aecore/money.hpp"

namespace aecore {

/// CL-3: a contact's part in the client's decisions (seed 001 §6).
enum class DecisionRole : std::uint8_t { DecisionMaker, Influencer, Executor };

template <>
struct EnumNames<DecisionRole> {
    static constexpr std::string_view type_name = "DecisionRole";
    static constexpr std::array<std::pair<DecisionRole, std::string_view>, 3> entries{{
        {DecisionRole::DecisionMaker, "DecisionMaker"},
        {DecisionRole::Influencer, "Influencer"},
        {DecisionRole::Executor, "Executor"},
    }};
};

/// CL-6: the five-step pipeline (业务进程五步法则).
enum class PipelineStage : std::uint8_t { Closed, Negotiating, Potential, Interrupted, Abandon };

template <>
struct EnumNames<PipelineStage> {
    static constexpr std::string_view type_name = "PipelineStage";
    static constexpr std::array<std::pair<PipelineStage, std::string_view>, 5> entries{{
        {PipelineStage::Closed, "Closed"},
        {PipelineStage::Negotiating, "Negotiating"},
        {PipelineStage::Potential, "Potential"},
        {PipelineStage::Interrupted, "Interrupted"},
        {PipelineStage::Abandon, "Abandon"},
    }};
};

struct Brand {
    std::string name;
    std::vector<std::string> products;  ///< in the order added, unique within the brand
    friend bool operator==(const Brand&, const Brand&) = default;
};

struct Contact {
    std::string id;  ///< "K01", unique within the client
    std::string name;
    std::string job_title;
    DecisionRole role = DecisionRole::Executor;
    std::string phone;
    std::string email;
    bool primary = false;  ///< CL-3: exactly one primary contact per client
    friend bool operator==(const Contact&, const Contact&) = default;
};

/// CL-7: a service contract.
struct Contract {
    std::string id;  ///< "T01", unique within the client
    Date start;
    Date end;
    Money monthly_fee;
    std::string payment_terms;
    friend bool operator==(const Contract&, const Contract&) = default;
};

/// ST-3: one responsible AE (the owner), optionally an AAE, a supervising AM and AD.
struct AccountTeam {
    std::string ae;
    std::optional<std::string> aae{};
    std::optional<std::string> am{};
    std::optional<std::string> ad{};
    friend bool operator==(const AccountTeam&, const AccountTeam&) = default;
};

/// One entry of the team history: the team in force from `effective`.
struct TeamAssignment {
    Date effective;
    AccountTeam team;
    std::string note;
    friend bool operator==(const TeamAssignment&, const TeamAssignment&) = default;
};

/// One entry of the stage history. `delivered_on` is the delivery date that starts the
/// Closed follow-up schedule (CL-6: day 3, 7 and 15 after delivery).
struct StageChange {
    Date date;
    PipelineStage stage;
    std::string note;
    std::optional<Date> delivered_on{};
    friend bool operator==(const StageChange&, const StageChange&) = default;
};

/// CL-2: the client record.
struct Client {
    std::string code;        ///< CL-1 {CITY}-{YYYYMM}-{NAME}-{NNN}
    std::string name;
    std::string short_name;  ///< the NAME part of the code
    std::string city;        ///< city code, upper-case letters
    Date first_contact;
    std::string address;
    std::string phone;
    std::string fax;
    std::string email;
    Money annual_budget;     ///< annual advertising budget, agency currency
    std::vector<Brand> brands;
    std::vector<Contact> contacts;
    std::vector<Contract> contracts;
    std::string notes;
    std::string background;  ///< key persons' background
    std::vector<TeamAssignment> team_history;  ///< never empty; back() is the current team
    std::vector<StageChange> stage_history;    ///< never empty; back() is the current stage
    bool archived = false;

    [[nodiscard]] const AccountTeam& team() const { return team_history.back().team; }
    [[nodiscard]] PipelineStage stage() const { return stage_history.back().stage; }
    /// The team assignment in force on `day` (nullptr before the first one).
    [[nodiscard]] const TeamAssignment* team_on(const Date& day) const noexcept;
    /// The stage change in force on `day` (nullptr before the first one).
    [[nodiscard]] const StageChange* stage_on(const Date& day) const noexcept;
    [[nodiscard]] const Contact* primary_contact() const noexcept;
    [[nodiscard]] const Contact* find_contact(std::string_view id) const noexcept;
    [[nodiscard]] const Brand* find_brand(std::string_view name) const noexcept;

    friend bool operator==(const Client&, const Client&) = default;
};

/// What Agency::register_client needs. The agency generates the code.
struct NewClient {
    std::string name{};
    std::string short_name{};  ///< 1-12 upper-case letters or digits, e.g. "ACME"
    std::string city{};        ///< city code, e.g. "CD"
    Date first_contact{};
    AccountTeam team{};        ///< the responsible AE is required (ST-3)
    PipelineStage stage = PipelineStage::Potential;
    std::string address{};
    std::string phone{};
    std::string fax{};
    std::string email{};
    std::optional<Money> annual_budget{};  ///< defaults to zero
    std::string notes{};
    std::string background{};
};

/// A partial update of the client's descriptive fields (not code, city, dates, team).
struct ClientUpdate {
    std::optional<std::string> name{};
    std::optional<std::string> address{};
    std::optional<std::string> phone{};
    std::optional<std::string> fax{};
    std::optional<std::string> email{};
    std::optional<Money> annual_budget{};
    std::optional<std::string> notes{};
    std::optional<std::string> background{};
};

/// A contact to add (the agency assigns the id).
struct NewContact {
    std::string name{};
    DecisionRole role = DecisionRole::Executor;
    std::string job_title{};
    std::string phone{};
    std::string email{};
    bool primary = false;
};

}  // namespace aecore
