#pragma once
// Cost estimates and the ledger (SPEC MB-2, MB-3). The ledger is append-only: every
// entry is a fact with a date, a client (and usually a job), an exact amount in the
// agency currency, a reference and who recorded it; a correction is a reversing entry.
//
// Storage is columnar-compact (32 bytes a row plus the reference text and a
// (client, month) index) so that a book of ten million entries fits in memory and a
// client-month reconciliation reads only that client's buckets. The Agency owns the
// ledger and is the only writer; readers get materialised LedgerEntry values.

#include <algorithm>
#include <cstdint>
#include <array>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "aecore/calendar.hpp"
#include "aecore/enum_names.hpp"
#include "aecore/money.hpp"

namespace aecore {

/// MB-3 entry kinds.
enum class EntryKind : std::uint8_t { Estimate, Commitment, ActualCost, Invoice, Payment };
template <>
struct EnumNames<EntryKind> {
    static constexpr std::string_view type_name = "EntryKind";
    static constexpr std::array<std::pair<EntryKind, std::string_view>, 5> entries{{
        {EntryKind::Estimate, "Estimate"},
        {EntryKind::Commitment, "Commitment"},
        {EntryKind::ActualCost, "ActualCost"},
        {EntryKind::Invoice, "Invoice"},
        {EntryKind::Payment, "Payment"},
    }};
};

/// MB-2 cost estimate versions: a Draft is approved by the client or withdrawn (replaced
/// by a newer draft); an approved version is superseded by the next approved one.
enum class EstimateStatus : std::uint8_t { Draft, ClientApproved, Superseded, Withdrawn };
template <>
struct EnumNames<EstimateStatus> {
    static constexpr std::string_view type_name = "EstimateStatus";
    static constexpr std::array<std::pair<EstimateStatus, std::string_view>, 4> entries{{
        {EstimateStatus::Draft, "Draft"},
        {EstimateStatus::ClientApproved, "ClientApproved"},
        {EstimateStatus::Superseded, "Superseded"},
        {EstimateStatus::Withdrawn, "Withdrawn"},
    }};
};

/// MB-2: one version of a job's cost estimate. Version 1 is the original estimate, every
/// later version a change order. Every version is kept.
struct CostEstimate {
    std::string job;
    int version = 1;
    Money amount;
    std::string note;             ///< scope, or the reason for the change order
    std::string prepared_by;      ///< staff id
    DateTime prepared_at;
    EstimateStatus status = EstimateStatus::Draft;
    std::optional<std::string> approved_by{};  ///< the client's contact id
    std::optional<DateTime> approved_at{};
    /// "CR-202611-01/v2"
    [[nodiscard]] std::string id() const;
    friend bool operator==(const CostEstimate&, const CostEstimate&) = default;
};

struct NewEstimate {
    std::string job{};
    Money amount;
    std::string note{};
    std::string prepared_by{};
    DateTime prepared_at{};
};

/// One ledger entry, materialised from the compact store.
struct LedgerEntry {
    std::string id;                          ///< "L00000001", in posting order
    EntryKind kind = EntryKind::Estimate;
    Date date;
    std::string client;
    std::optional<std::string> job{};        ///< none for client-level invoices (service fees)
    Money amount;                            ///< negative for credit notes, reversals, time corrections
    std::string reference;                   ///< PO, booking, vendor invoice, invoice number, bank reference, reason
    std::string recorded_by;                 ///< staff id
    std::optional<Date> due{};               ///< Invoice
    std::optional<std::string> invoice{};    ///< Payment: the invoice number it settles
    std::optional<std::string> reverses{};   ///< a reversing entry: the entry it reverses
    bool reversed = false;                   ///< a later entry reverses this one
    std::optional<std::string> time_entry{}; ///< ActualCost: the approved time entry it carries
    std::optional<int> estimate_version{};   ///< Estimate: the approved version
    bool media_booking = false;              ///< Commitment: a media booking
    std::optional<std::string> confirmation{};  ///< media booking: the client's written confirmation
    std::optional<std::string> contract{};   ///< Invoice: the contract whose service fee it bills (CL-7)
    friend bool operator==(const LedgerEntry&, const LedgerEntry&) = default;
};

/// A purchase order or media booking (MB-3). A media booking needs the client's written
/// confirmation reference.
struct NewCommitment {
    std::string job{};
    Date date{};
    Money amount;
    std::string reference{};
    std::string recorded_by{};
    bool media_booking = false;
    std::optional<std::string> confirmation{};
};

/// A vendor invoice (MB-3). Time cost is posted by Agency::approve_time.
struct NewActualCost {
    std::string job{};
    Date date{};
    Money amount;
    std::string reference{};
    std::string recorded_by{};
};

/// An invoice to the client (MB-3); a negative amount is a credit note. Either a job (its
/// client is billed) or a client (a client-level bill such as a contract's service fee).
struct NewInvoice {
    std::string number{};
    std::optional<std::string> job{};
    std::optional<std::string> client{};
    std::optional<std::string> contract{};
    Date date{};
    Date due{};
    Money amount;
    std::string recorded_by{};
};

/// Money collected against an invoice (MB-3): never more than its open balance.
struct NewPayment {
    std::string invoice{};
    Date date{};
    Money amount;
    std::string reference{};
    std::string recorded_by{};
};

/// A calendar month.
struct YearMonth {
    int year = 1970;
    int month = 1;
    [[nodiscard]] static YearMonth of(const Date& d);
    [[nodiscard]] Date first_day() const;
    [[nodiscard]] Date last_day() const;
    /// "2026-11"
    [[nodiscard]] std::string to_string() const;
    friend auto operator<=>(const YearMonth&, const YearMonth&) = default;
};

/// Internal: one client's ledger rows by month key (year * 12 + month - 1), each month's
/// rows in posting order. A sorted flat vector: a lookup touches a few cache lines, where
/// a tree would chase a pointer per level.
class MonthIndex {
public:
    using Bucket = std::vector<std::uint32_t>;
    using value_type = std::pair<std::int32_t, Bucket>;
    using const_iterator = std::vector<value_type>::const_iterator;

    [[nodiscard]] const_iterator begin() const noexcept { return months_.begin(); }
    [[nodiscard]] const_iterator end() const noexcept { return months_.end(); }
    [[nodiscard]] auto rbegin() const noexcept { return months_.rbegin(); }
    [[nodiscard]] bool empty() const noexcept { return months_.empty(); }
    [[nodiscard]] std::size_t size() const noexcept { return months_.size(); }
    /// The first month at or after `month`.
    [[nodiscard]] const_iterator lower_bound(std::int32_t month) const noexcept {
        return std::lower_bound(months_.begin(), months_.end(), month,
                                [](const value_type& v, std::int32_t m) { return v.first < m; });
    }
    /// The bucket of `month`, inserted empty when missing (may throw bad_alloc; an empty
    /// bucket is invisible to readers). `hint` is a guess of its position, updated.
    Bucket& bucket(std::int32_t month, std::uint32_t& hint) {
        if (hint < months_.size() && months_[hint].first == month) return months_[hint].second;
        // Most clients have rows in most months: a month usually sits as far from the
        // first as it is later (rows posted out of date order miss the hint).
        if (const std::size_t at = guess(month); at < months_.size() && months_[at].first == month) {
            hint = static_cast<std::uint32_t>(at);
            return months_[at].second;
        }
        auto it = std::lower_bound(months_.begin(), months_.end(), month,
                                   [](const value_type& v, std::int32_t m) { return v.first < m; });
        if (it == months_.end() || it->first != month) {
            const auto at = it - months_.begin();
            if (months_.size() == months_.capacity()) months_.reserve(months_.empty() ? 4 : months_.size() * 3 / 2 + 1);
            it = months_.insert(months_.begin() + at, value_type(month, Bucket()));
        }
        hint = static_cast<std::uint32_t>(it - months_.begin());
        return it->second;
    }
    [[nodiscard]] std::size_t capacity() const noexcept { return months_.capacity(); }
    /// The bucket of `month` with room for `rows` more: a month later than every month
    /// held is appended with exactly that room (a bulk index fills months in order).
    Bucket& bucket_for(std::int32_t month, std::size_t rows, std::uint32_t& hint) {
        if (!months_.empty() && months_.back().first >= month) {
            Bucket& bucket = this->bucket(month, hint);
            bucket.reserve(bucket.size() + rows);
            return bucket;
        }
        if (months_.size() == months_.capacity()) months_.reserve(months_.empty() ? 4 : months_.size() * 3 / 2 + 1);
        Bucket bucket;
        bucket.reserve(rows);
        months_.emplace_back(month, std::move(bucket));
        hint = static_cast<std::uint32_t>(months_.size() - 1);
        return months_.back().second;
    }
    friend bool operator==(const MonthIndex&, const MonthIndex&) = default;

private:
    // The position `month` has when the client has rows in every month from its first;
    // size() (or more) when it cannot be there.
    [[nodiscard]] std::size_t guess(std::int32_t month) const noexcept {
        if (months_.empty() || month < months_.front().first) return months_.size();
        return static_cast<std::size_t>(static_cast<std::int64_t>(month) - months_.front().first);
    }

    std::vector<value_type> months_;
};

/// Internal compact ledger store. Rows are 32 bytes, kept in fixed-size chunks (no
/// reallocation slack, no copy when the ledger grows); reference text lives in chunked
/// arenas; every row is indexed by (client, month). Invoices carry a side record (due
/// date, open balance) and an open-addressing hash index by number. Per job the store
/// keeps running totals by entry kind, so the overspend check is O(1).
class Ledger {
public:
    enum Flag : std::uint8_t {
        kReversal = 1,      ///< this row reverses `link`
        kReversed = 2,      ///< a later row reverses this one
        kMediaBooking = 4,  ///< Commitment: media booking (confirmation in the side table)
        kTimeCost = 8,      ///< ActualCost carried from a time entry (`link` = time entry index)
        kHasJob = 16,       ///< `owner` is a job index, else a client index
    };
    struct Row {
        std::int64_t amount;      ///< minor units of the agency currency
        std::int32_t day;         ///< Boost day number of the entry date
        std::uint32_t owner;      ///< job index (kHasJob) or client index
        std::uint32_t link;       ///< reversal: reversed row; Payment: invoice row; Invoice: invoice record;
                                  ///< time cost: time entry; Estimate: version
        std::uint32_t ref;        ///< position of the reference in the text arena
        std::uint32_t recorded_by;///< staff index
        EntryKind kind;
        std::uint8_t flags;
        std::uint8_t ref_len;
    };
    static_assert(sizeof(Row) == 32, "a ledger row is 32 bytes");

    struct Invoice {
        std::uint32_t row;        ///< the invoice's row
        std::int32_t due;         ///< Boost day number
        std::int64_t open;        ///< open balance now (all payments and reversals)
        std::uint32_t contract;   ///< contract number + 1 (T03 -> 4), 0 for none
        std::int32_t last_day;    ///< the latest date of the invoice, its payments and reversals
    };

    /// Sums by entry kind (EntryKind order) of every row of a job.
    using Totals = std::array<std::int64_t, 5>;

    Ledger() = default;
    Ledger(const Ledger& other);
    Ledger& operator=(const Ledger& other);
    Ledger(Ledger&&) noexcept = default;
    Ledger& operator=(Ledger&&) noexcept = default;
    ~Ledger() = default;

    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    [[nodiscard]] const Row& row(std::size_t i) const noexcept { return rows_[i >> kRowBits][i & kRowMask]; }
    [[nodiscard]] std::string_view reference(std::size_t i) const noexcept {
        const Row& r = row(i);
        return std::string_view(text_[r.ref >> kTextBits].get() + (r.ref & kTextMask), r.ref_len);
    }
    [[nodiscard]] const Invoice& invoice(std::size_t k) const noexcept { return invoices_[k]; }
    [[nodiscard]] std::size_t invoice_count() const noexcept { return invoices_.size(); }

    // What a row's `link` means depends on its kind and flags. These decode it, for every
    // reader of the rows (ledger entries, the JSON writer, the frames, the reports); each
    // gives kNone where the row has no such thing.
    static constexpr std::uint32_t kNone = UINT32_MAX;
    /// The row that a reversal reverses.
    [[nodiscard]] static std::uint32_t reversed_row(const Row& r) noexcept { return (r.flags & kReversal) ? r.link : kNone; }
    /// The time entry that a time-cost row carries.
    [[nodiscard]] static std::uint32_t time_entry_of(const Row& r) noexcept { return (r.flags & kTimeCost) ? r.link : kNone; }
    /// The version of an approved estimate's row.
    [[nodiscard]] static std::uint32_t estimate_version_of(const Row& r) noexcept {
        return r.kind == EntryKind::Estimate && !(r.flags & kReversal) ? r.link : kNone;
    }
    /// The invoice record of an invoice's own row (not of its reversal).
    [[nodiscard]] static std::uint32_t own_invoice(const Row& r) noexcept {
        return r.kind == EntryKind::Invoice && !(r.flags & kReversal) ? r.link : kNone;
    }
    /// The invoice row that a payment, or the reversal of a payment, settles.
    [[nodiscard]] std::uint32_t paid_invoice_row(const Row& r) const noexcept {
        if (r.kind != EntryKind::Payment) return kNone;
        return (r.flags & kReversal) ? row(r.link).link : r.link;
    }
    /// The invoice record that an invoice, a payment or the reversal of either concerns.
    [[nodiscard]] std::uint32_t invoice_of(const Row& r) const noexcept {
        if (r.kind == EntryKind::Payment) return row(paid_invoice_row(r)).link;
        if (r.kind == EntryKind::Invoice) return (r.flags & kReversal) ? row(r.link).link : r.link;
        return kNone;
    }

    /// The invoice record with this number, or npos.
    [[nodiscard]] std::size_t find_invoice(std::string_view number) const noexcept;
    [[nodiscard]] std::optional<std::string_view> confirmation(std::size_t row) const;
    /// Rows of `client` (index) by month key (year * 12 + month - 1), in posting order.
    [[nodiscard]] const MonthIndex* months_of(std::size_t client) const noexcept {
        return client < by_client_.size() ? &by_client_[client] : nullptr;
    }
    /// The client (index) a row belongs to: its own, or its job's.
    [[nodiscard]] std::uint32_t client_of(const Row& r) const noexcept {
        return (r.flags & kHasJob) ? job_client_[r.owner] : r.owner;
    }
    /// The client index given with the rows of `job`, kNone for a job without rows.
    [[nodiscard]] std::uint32_t client_of_job(std::size_t job) const noexcept {
        return job < job_client_.size() ? job_client_[job] : kNone;
    }
    /// Running totals of a job's rows by kind (zeros for a job without rows).
    [[nodiscard]] Totals job_totals(std::size_t job) const noexcept {
        return job < job_totals_.size() ? job_totals_[job] : Totals{};
    }

    /// Appends a row with all its index entries, or nothing (strong guarantee). `client`
    /// is the client index for the month index (also for job rows). For an Invoice,
    /// `invoice` is its side record (row/open filled in here) and the reference is its number.
    void append(Row row, std::string_view reference, std::size_t client, std::optional<Invoice> invoice = std::nullopt,
                std::optional<std::string_view> confirmation = std::nullopt);
    /// Bulk loading: from now on append() leaves the rows out of the month index until
    /// index_months(), which indexes them all at once, client by client (a row's month
    /// bucket is a random place in memory; a loader posting millions of rows spends most
    /// of its time waiting for them otherwise). months_of() does not see rows not yet
    /// indexed: whoever reads it while deferring calls index_months() first.
    void defer_month_index() noexcept { deferred_ = true; }
    /// Indexes the rows appended since deferring, and stops deferring. Basic guarantee:
    /// on bad_alloc the index may be incomplete (a loader then drops the ledger).
    void index_months();
    /// Indexes the rows appended so far, and goes on deferring.
    void index_pending_months();
    /// A loader's month index on two threads: the pending rows of the clients (by index)
    /// in [first, last) only. Two threads may each index a client range of their own at
    /// once, while nothing else touches the ledger; months_indexed() then stops deferring.
    void index_pending_months_of(std::uint32_t first, std::uint32_t last);
    /// After every client's pending rows were indexed by index_pending_months_of().
    void months_indexed() noexcept;
    /// Marks row `i` reversed (a cached flag; the row's content never changes).
    void mark_reversed(std::size_t i) noexcept { rows_[i >> kRowBits][i & kRowMask].flags |= kReversed; }
    /// A payment, or a reversal, dated `day` changes the invoice's open balance by `delta`.
    void add_to_open(std::size_t invoice, std::int64_t delta, std::int32_t day) noexcept {
        invoices_[invoice].open += delta;
        if (day > invoices_[invoice].last_day) invoices_[invoice].last_day = day;
    }
    // Prefetch hints for a bulk loader that knows the next rows ahead (none has an effect):
    // a loop issues stage 1 for a row many rows ahead, stage 2 a few rows later (its
    // memory is then in cache), and so on, so that an append finds what it touches in cache.
    /// What append() reads for `job` (kNone: none).
    void prefetch_append(std::uint32_t job) const noexcept {
        if (job < job_totals_.size()) __builtin_prefetch(&job_totals_[job], 1);
        if (job < job_client_.size()) __builtin_prefetch(&job_client_[job]);
    }
    /// The hash find_invoice() uses.
    [[nodiscard]] static std::size_t invoice_hash(std::string_view number) noexcept {
        return std::hash<std::string_view>{}(number);
    }
    /// The 8 bits of an invoice hash kept beside its slot (the slot comes from the low bits).
    [[nodiscard]] static std::uint8_t invoice_tag(std::size_t h) noexcept {
        return static_cast<std::uint8_t>(h >> (8 * sizeof(std::size_t) - 8));
    }
    /// Stages 1-3 of find_invoice() for a number of hash `h`: its slot, its record, its row
    /// (then the text of its number). The later stages follow the first slot only when its
    /// tag matches (a new number's slot holds another invoice, or none).
    void prefetch_invoice_slot(std::size_t h) const noexcept {
        if (invoice_slots_.empty()) return;
        const std::size_t i = h & (invoice_slots_.size() - 1);
        __builtin_prefetch(&invoice_slots_[i]);
        __builtin_prefetch(&invoice_tags_[i]);
    }
    void prefetch_invoice_record(std::size_t h) const noexcept {
        if (const std::uint32_t v = tagged_slot(h); v != 0) __builtin_prefetch(&invoices_[v - 1]);
    }
    void prefetch_invoice_row(std::size_t h) const noexcept {
        if (const std::uint32_t v = tagged_slot(h); v != 0) {
            const std::uint32_t r = invoices_[v - 1].row;
            __builtin_prefetch(&rows_[r >> kRowBits][r & kRowMask]);
        }
    }
    void prefetch_invoice_text(std::size_t h) const noexcept {
        if (const std::uint32_t v = tagged_slot(h); v != 0) {
            const Row& r = row(invoices_[v - 1].row);
            __builtin_prefetch(text_[r.ref >> kTextBits].get() + (r.ref & kTextMask));
        }
    }
    /// Bytes held, for the scale benchmark.
    [[nodiscard]] std::size_t memory_bytes() const noexcept;

    friend bool operator==(const Ledger& a, const Ledger& b);

private:
    static constexpr unsigned kRowBits = 15;  // 32768 rows (1 MiB) a chunk
    static constexpr std::size_t kRowMask = (std::size_t{1} << kRowBits) - 1;
    static constexpr unsigned kTextBits = 20;  // 1 MiB of text a chunk
    static constexpr std::uint32_t kTextMask = (std::uint32_t{1} << kTextBits) - 1;

    /// The slot of `number` (of hash `h`), or the empty slot where it would go.
    [[nodiscard]] std::size_t slot_of(std::string_view number, std::size_t h) const noexcept;
    void rehash(std::size_t slots);
    /// The first slot for hash `h` if it holds an invoice with h's tag, else 0.
    [[nodiscard]] std::uint32_t tagged_slot(std::size_t h) const noexcept {
        if (invoice_slots_.empty()) return 0;
        const std::size_t i = h & (invoice_slots_.size() - 1);
        return invoice_tags_[i] == invoice_tag(h) ? invoice_slots_[i] : 0;
    }
    void copy_from(const Ledger& other);
    /// Puts rows [from, to) of the clients [first, last) in their month indexes.
    void index_clients(std::size_t from, std::size_t to, std::uint32_t first, std::uint32_t last);

    std::vector<std::unique_ptr<Row[]>> rows_;
    std::size_t size_ = 0;
    std::vector<std::unique_ptr<char[]>> text_;
    std::uint32_t text_used_ = 0;  // bytes used in the last text chunk
    std::vector<Invoice> invoices_;
    std::vector<std::uint32_t> invoice_slots_;  // open addressing: invoice record + 1, 0 = empty
    std::vector<std::uint8_t> invoice_tags_;    // beside each slot: invoice_tag() of its number's hash
    std::map<std::uint32_t, std::string> confirmations_;  // row -> media booking confirmation
    std::vector<MonthIndex> by_client_;
    std::vector<std::uint32_t> last_month_;  // per client: position of its last row's month (a hint)
    std::vector<Totals> job_totals_;
    std::vector<std::uint32_t> job_client_;  // job index -> client index, kNone for jobs without rows
    bool deferred_ = false;        // rows from `indexed_` on are not in by_client_ yet
    std::size_t indexed_ = 0;
};

}  // namespace aecore
