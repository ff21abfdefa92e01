#pragma once
// Client tiering (SPEC CL-5) and the seam to the money side. Tiering ranks clients by
// billings over the trailing 12 months; a client with a receivable more than
// Policy::tier_a_max_overdue_days() past due cannot be tier A. The figures come from a
// BillingSource: the ledger (MB-3) implements it, and ExplicitBilling lets a caller
// supply them directly.

#include <map>
#include <string>
#include <string_view>

#include "aecore/calendar.hpp"
#include "aecore/decimal.hpp"
#include "aecore/enum_names.hpp"
#include "aecore/money.hpp"

namespace aecore {

enum class Tier : std::uint8_t { A, B, C };

template <>
struct EnumNames<Tier> {
    static constexpr std::string_view type_name = "Tier";
    static constexpr std::array<std::pair<Tier, std::string_view>, 3> entries{{
        {Tier::A, "A"}, {Tier::B, "B"}, {Tier::C, "C"},
    }};
};

/// CL-5 tier policy: who visits the client.
enum class VisitOwner : std::uint8_t { SeniorManagement, AM, AE };

template <>
struct EnumNames<VisitOwner> {
    static constexpr std::string_view type_name = "VisitOwner";
    static constexpr std::array<std::pair<VisitOwner, std::string_view>, 3> entries{{
        {VisitOwner::SeniorManagement, "SeniorManagement"}, {VisitOwner::AM, "AM"}, {VisitOwner::AE, "AE"},
    }};
};

/// CL-5 tier policy: payment terms offered.
enum class PaymentTerms : std::uint8_t { Credit, Deposit, Prepayment };

template <>
struct EnumNames<PaymentTerms> {
    static constexpr std::string_view type_name = "PaymentTerms";
    static constexpr std::array<std::pair<PaymentTerms, std::string_view>, 3> entries{{
        {PaymentTerms::Credit, "Credit"}, {PaymentTerms::Deposit, "Deposit"}, {PaymentTerms::Prepayment, "Prepayment"},
    }};
};

/// What tiering needs to know about a client's money.
class BillingSource {
public:
    virtual ~BillingSource() = default;
    /// Total billed to `client` in [from, to], net of credit notes, agency currency.
    [[nodiscard]] virtual Money billings(std::string_view client, const Date& from, const Date& to) const = 0;
    /// Days the client's most overdue open receivable is past its due date on `as_of`
    /// (0 when nothing is overdue).
    [[nodiscard]] virtual int days_overdue(std::string_view client, const Date& as_of) const = 0;
    /// MB-6: whether the client's credit is Late on `as_of` (a payment more than
    /// Policy::late_payment_days late). Late credit tightens the tier's payment terms.
    [[nodiscard]] virtual bool credit_late(std::string_view /*client*/, const Date& /*as_of*/) const { return false; }
};

/// Figures supplied by the caller: one trailing-12-month billing total and one overdue
/// figure per client, whatever the period asked for. Clients not listed have zero.
class ExplicitBilling final : public BillingSource {
public:
    explicit ExplicitBilling(Currency currency) : currency_(currency) {}
    void set_billings(std::string client, Money amount);
    void set_days_overdue(std::string client, int days);
    void set_credit_late(std::string client, bool late);
    [[nodiscard]] Money billings(std::string_view client, const Date& from, const Date& to) const override;
    [[nodiscard]] int days_overdue(std::string_view client, const Date& as_of) const override;
    [[nodiscard]] bool credit_late(std::string_view client, const Date& as_of) const override;

private:
    Currency currency_;
    std::map<std::string, Money, std::less<>> billings_;
    std::map<std::string, int, std::less<>> overdue_;
    std::map<std::string, bool, std::less<>> late_;
};

struct TierAssignment {
    std::string client;
    Tier tier = Tier::C;
    Money billings;             ///< trailing 12 months
    Decimal share;              ///< of all billings, 4 decimal places, rounded half to even
    Decimal cumulative_share;   ///< of this client and every client ranked above it
    int days_overdue = 0;
    bool demoted = false;       ///< would be A by billings, but a receivable is too far overdue
    bool late_credit = false;   ///< MB-6: credit is Late, so payment terms are one step stricter
    [[nodiscard]] VisitOwner visits() const noexcept;
    [[nodiscard]] PaymentTerms payment_terms() const noexcept;
    friend bool operator==(const TierAssignment&, const TierAssignment&) = default;
};

/// CL-4: a client past its contact cadence.
struct OverdueContact {
    std::string client;
    Date last_contact;       ///< last activity, or the first contact when there was none
    Date due;                ///< the last business day by which the next contact was due
    int business_days_overdue = 0;  ///< business days after `due` (>= 1)
    friend bool operator==(const OverdueContact&, const OverdueContact&) = default;
};

}  // namespace aecore
