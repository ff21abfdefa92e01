// The compact ledger store (MB-3) and the small value types of ledger.hpp.

#include "aecore/ledger.hpp"

#include <cstdio>
#include <algorithm>
#include <functional>

#include "aecore/error.hpp"

namespace aecore {

namespace bg = boost::gregorian;

std::string CostEstimate::id() const { return job + "/v" + std::to_string(version); }

YearMonth YearMonth::of(const Date& d) { return {static_cast<int>(d.year()), static_cast<int>(d.month())}; }

Date YearMonth::first_day() const { return Date(static_cast<unsigned short>(year), static_cast<unsigned short>(month), 1); }

Date YearMonth::last_day() const { return first_day().end_of_month(); }

std::string YearMonth::to_string() const {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d", year, month);
    return buf;
}

// ---------------------------------------------------------------- invoice number index

namespace {
std::size_t hash_of(std::string_view s) noexcept { return Ledger::invoice_hash(s); }
}  // namespace

std::size_t Ledger::slot_of(std::string_view number, std::size_t h) const noexcept {
    const std::uint8_t tag = invoice_tag(h);
    const std::size_t mask = invoice_slots_.size() - 1;
    for (std::size_t i = h & mask;; i = (i + 1) & mask) {
        const std::uint32_t v = invoice_slots_[i];
        if (v == 0) return i;
        // The tag (8 more bits of the hash) settles most mismatches without reading the
        // invoice's record, row and text: a new number's probe reads only the slots.
        if (invoice_tags_[i] == tag && reference(invoices_[v - 1].row) == number) return i;
    }
}

std::size_t Ledger::find_invoice(std::string_view number) const noexcept {
    if (invoice_slots_.empty()) return static_cast<std::size_t>(-1);
    const std::uint32_t v = invoice_slots_[slot_of(number, hash_of(number))];
    return v == 0 ? static_cast<std::size_t>(-1) : v - 1;
}

void Ledger::rehash(std::size_t slots) {
    std::vector<std::uint32_t> fresh(slots, 0);
    std::vector<std::uint8_t> tags(slots, 0);
    const std::size_t mask = slots - 1;
    for (std::size_t k = 0; k < invoices_.size(); ++k) {
        const std::size_t h = hash_of(reference(invoices_[k].row));
        std::size_t i = h & mask;
        while (fresh[i] != 0) i = (i + 1) & mask;
        fresh[i] = static_cast<std::uint32_t>(k + 1);
        tags[i] = invoice_tag(h);
    }
    invoice_slots_.swap(fresh);
    invoice_tags_.swap(tags);
}

std::optional<std::string_view> Ledger::confirmation(std::size_t row) const {
    auto it = confirmations_.find(static_cast<std::uint32_t>(row));
    if (it == confirmations_.end()) return std::nullopt;
    return std::string_view(it->second);
}

// ---------------------------------------------------------------- copying (deep)

void Ledger::copy_from(const Ledger& other) {
    std::vector<std::unique_ptr<Row[]>> rows;
    for (std::size_t c = 0; c < other.rows_.size(); ++c) {
        rows.push_back(std::make_unique_for_overwrite<Row[]>(kRowMask + 1));
        const std::size_t n = std::min(kRowMask + 1, other.size_ - (c << kRowBits));
        std::copy_n(other.rows_[c].get(), n, rows.back().get());
    }
    std::vector<std::unique_ptr<char[]>> text;
    for (std::size_t c = 0; c < other.text_.size(); ++c) {
        text.push_back(std::make_unique_for_overwrite<char[]>(kTextMask + 1));
        const std::size_t n = c + 1 == other.text_.size() ? other.text_used_ : kTextMask + 1;
        std::copy_n(other.text_[c].get(), n, text.back().get());
    }
    auto invoices = other.invoices_;
    auto slots = other.invoice_slots_;
    auto tags = other.invoice_tags_;
    auto confirmations = other.confirmations_;
    auto by_client = other.by_client_;
    auto totals = other.job_totals_;
    auto job_client = other.job_client_;
    // Nothing below throws: a failed copy leaves *this as it was.
    rows_ = std::move(rows);
    size_ = other.size_;
    text_ = std::move(text);
    text_used_ = other.text_used_;
    invoices_ = std::move(invoices);
    invoice_slots_ = std::move(slots);
    invoice_tags_ = std::move(tags);
    confirmations_ = std::move(confirmations);
    by_client_ = std::move(by_client);
    last_month_.clear();
    job_totals_ = std::move(totals);
    job_client_ = std::move(job_client);
    deferred_ = other.deferred_;
    indexed_ = other.indexed_;
}

Ledger::Ledger(const Ledger& other) { copy_from(other); }

Ledger& Ledger::operator=(const Ledger& other) {
    if (this != &other) copy_from(other);
    return *this;
}

// ---------------------------------------------------------------- append (strong guarantee)

namespace {
template <class T>
void grow_for_one_more(std::vector<T>& v) {
    // 1.5x growth keeps the average slack of many small vectors near a quarter.
    if (v.size() == v.capacity()) v.reserve(v.empty() ? 4 : v.size() + v.size() / 2 + 1);
}
}  // namespace

void Ledger::append(Row row, std::string_view reference, std::size_t client, std::optional<Invoice> invoice,
                    std::optional<std::string_view> confirmation) {
    if (size_ >= 0xFFFFFFF0u)
        throw StateError("MB-3", "ledger", std::to_string(size_), "the ledger holds at most 4294967280 entries");
    if (row.amount == INT64_MIN)
        throw ValidationError("MB-1", "amount", std::to_string(row.amount),
                              "is the one 64-bit amount that cannot be reversed; the ledger refuses it");
    if (reference.size() > 255)
        throw ValidationError("MB-3", "reference", quote(reference), "is longer than 255 bytes");
    // A new chunk when this reference does not fit, or the last chunk is exactly full (a
    // position one past its end would spill into the chunk bits).
    const bool new_text_chunk = text_.empty() || text_used_ + reference.size() > kTextMask ||
                                text_used_ == kTextMask + 1;
    if (new_text_chunk && text_.size() >= (std::size_t{1} << (32 - kTextBits)))
        throw StateError("MB-3", "ledger", std::to_string(size_), "the reference text is full (4 GiB)");
    const auto index = static_cast<std::uint32_t>(size_);
    const std::int32_t month = [&] {
        const Date d(bg::date::date_int_type(static_cast<std::uint32_t>(row.day)));
        return static_cast<std::int32_t>(d.year()) * 12 + static_cast<std::int32_t>(d.month()) - 1;
    }();
    const bool has_job = (row.flags & kHasJob) != 0;
    if (has_job && row.owner < job_totals_.size()) {
        std::int64_t sum = 0;
        if (__builtin_add_overflow(job_totals_[row.owner][static_cast<std::size_t>(row.kind)], row.amount, &sum))
            throw ValidationError("MB-1", "amount", std::to_string(row.amount),
                                  "the job's total of this entry kind would overflow 64-bit minor units");
    }

    // Everything that may allocate happens before the first visible change.
    std::unique_ptr<Row[]> row_chunk;
    if ((size_ & kRowMask) == 0) {
        row_chunk = std::make_unique_for_overwrite<Row[]>(kRowMask + 1);
        grow_for_one_more(rows_);
    }
    std::unique_ptr<char[]> text_chunk;
    if (new_text_chunk) {
        text_chunk = std::make_unique_for_overwrite<char[]>(kTextMask + 1);
        grow_for_one_more(text_);
    }
    if (client >= by_client_.size()) by_client_.resize(client + 1);
    if (client >= last_month_.size()) last_month_.resize(by_client_.size(), 0);
    // Postings come mostly in date order: a client's next row usually goes into the month
    // of its last one.
    std::vector<std::uint32_t>* bucket = nullptr;
    if (!deferred_) {
        bucket = &by_client_[client].bucket(month, last_month_[client]);
        grow_for_one_more(*bucket);
    }
    if (has_job && row.owner >= job_totals_.size()) job_totals_.resize(row.owner + 1, Totals{});
    if (has_job && row.owner >= job_client_.size()) job_client_.resize(row.owner + 1, kNone);
    if (invoice) {
        grow_for_one_more(invoices_);
        // Keep the load factor at or below one half.
        if ((invoices_.size() + 1) * 2 > invoice_slots_.size()) rehash(std::max<std::size_t>(32, invoice_slots_.size() * 2));
    }
    // The last step that may throw: a map insertion either happens whole or not at all.
    if (confirmation) confirmations_.emplace(index, std::string(*confirmation));

    // From here on nothing throws.
    if (row_chunk) rows_.push_back(std::move(row_chunk));
    if (text_chunk) {
        text_.push_back(std::move(text_chunk));
        text_used_ = 0;
    }
    row.ref = static_cast<std::uint32_t>(((text_.size() - 1) << kTextBits) | text_used_);
    row.ref_len = static_cast<std::uint8_t>(reference.size());
    std::copy(reference.begin(), reference.end(), text_.back().get() + text_used_);
    text_used_ += static_cast<std::uint32_t>(reference.size());
    if (invoice) {
        invoice->row = index;
        invoice->last_day = row.day;
        row.link = static_cast<std::uint32_t>(invoices_.size());
        invoices_.push_back(*invoice);
    }
    rows_.back()[size_ & kRowMask] = row;
    ++size_;
    if (invoice) {
        const std::size_t h = hash_of(reference);
        const std::size_t slot = slot_of(reference, h);
        invoice_slots_[slot] = static_cast<std::uint32_t>(invoices_.size());
        invoice_tags_[slot] = invoice_tag(h);
    }
    if (bucket) {
        bucket->push_back(index);
        indexed_ = size_;
    }
    if (has_job) {
        job_client_[row.owner] = static_cast<std::uint32_t>(client);
        auto& total = job_totals_[row.owner][static_cast<std::size_t>(row.kind)];
        total += row.amount;  // checked for overflow above
    }
}

// ---------------------------------------------------------------- month index in bulk

namespace {
std::int32_t month_of_day(std::int32_t day) {
    const Date d(bg::date::date_int_type(static_cast<std::uint32_t>(day)));
    return static_cast<std::int32_t>(d.year()) * 12 + static_cast<std::int32_t>(d.month()) - 1;
}
}  // namespace

void Ledger::index_pending_months() {
    const std::size_t from = indexed_, to = size_;
    if (from == to) return;
    // A few rows: one by one.
    if (to - from < std::max<std::size_t>(4096, by_client_.size())) {
        for (std::size_t i = from; i < to; ++i) {
            const std::uint32_t client = client_of(row(i));
            auto& bucket = by_client_[client].bucket(month_of_day(row(i).day), last_month_[client]);
            grow_for_one_more(bucket);
            bucket.push_back(static_cast<std::uint32_t>(i));
            indexed_ = i + 1;
        }
        return;
    }
    index_clients(from, to, 0, static_cast<std::uint32_t>(by_client_.size()));
    indexed_ = to;
}

void Ledger::index_pending_months_of(std::uint32_t first, std::uint32_t last) {
    index_clients(indexed_, size_, first, std::min<std::uint32_t>(last, static_cast<std::uint32_t>(by_client_.size())));
}

void Ledger::months_indexed() noexcept {
    indexed_ = size_;
    deferred_ = false;
}

void Ledger::index_clients(std::size_t from, std::size_t to, std::uint32_t first, std::uint32_t last) {
    // In parts of up to 2M rows (bounded scratch), each grouped by client with a counting
    // sort and, within a client, sorted by month (then row), so that a client's months are
    // filled one after the other while they are in cache. Writes only the clients' own
    // month indexes: two threads may index two client ranges at once.
    if (first >= last || from >= to) return;
    constexpr std::size_t kPart = std::size_t{1} << 21;
    const std::size_t clients = last - first;
    std::vector<std::uint32_t> start(clients + 1);
    std::vector<std::uint32_t> next(clients);
    std::vector<std::uint64_t> keys;  // month << 32 | row
    for (std::size_t part = from; part < to; part += kPart) {
        const std::size_t end = std::min(to, part + kPart);
        std::fill(start.begin(), start.end(), 0);
        for (std::size_t i = part; i < end; ++i)
            if (const std::uint32_t c = client_of(row(i)) - first; c < clients) ++start[c + 1];
        for (std::size_t c = 1; c < start.size(); ++c) start[c] += start[c - 1];
        std::copy(start.begin(), start.end() - 1, next.begin());
        keys.resize(start.back());
        for (std::size_t i = part; i < end; ++i) {
            const Row& r = row(i);
            if (const std::uint32_t c = client_of(r) - first; c < clients)
                keys[next[c]++] = std::uint64_t{static_cast<std::uint32_t>(month_of_day(r.day))} << 32 | i;
        }
        for (std::size_t c = 0; c < clients; ++c) {
            const auto from_key = keys.begin() + start[c], to_key = keys.begin() + start[c + 1];
            if (from_key == to_key) continue;
            if (!std::is_sorted(from_key, to_key)) std::sort(from_key, to_key);
            MonthIndex& months = by_client_[first + c];
            for (auto k = from_key; k != to_key;) {
                const auto month = static_cast<std::int32_t>(*k >> 32);
                auto run = k;
                while (run != to_key && static_cast<std::int32_t>(*run >> 32) == month) ++run;
                const auto rows = static_cast<std::size_t>(run - k);
                auto& bucket = months.bucket_for(month, rows, last_month_[first + c]);
                for (; k != run; ++k) bucket.push_back(static_cast<std::uint32_t>(*k));
            }
        }
    }
}

void Ledger::index_months() {
    index_pending_months();
    deferred_ = false;
}

std::size_t Ledger::memory_bytes() const noexcept {
    std::size_t n = sizeof(*this) + rows_.capacity() * sizeof(rows_[0]) + rows_.size() * (kRowMask + 1) * sizeof(Row) +
                    text_.capacity() * sizeof(text_[0]) + text_.size() * (kTextMask + 1) +
                    invoices_.capacity() * sizeof(Invoice) + invoice_slots_.capacity() * sizeof(std::uint32_t) +
                    invoice_tags_.capacity() +
                    job_totals_.capacity() * sizeof(Totals) + job_client_.capacity() * sizeof(std::uint32_t);
    for (const auto& [row, text] : confirmations_) n += 64 + text.capacity();
    n += by_client_.capacity() * sizeof(by_client_[0]) + last_month_.capacity() * sizeof(std::uint32_t);
    for (const auto& months : by_client_) {
        n += months.capacity() * sizeof(MonthIndex::value_type);
        for (const auto& [month, rows] : months) n += rows.capacity() * sizeof(std::uint32_t);
    }
    return n;
}

bool operator==(const Ledger& a, const Ledger& b) {
    if (a.size_ != b.size_) return false;
    for (std::size_t i = 0; i < a.size_; ++i) {
        const Ledger::Row& x = a.row(i);
        const Ledger::Row& y = b.row(i);
        if (x.amount != y.amount || x.day != y.day || x.owner != y.owner || x.link != y.link ||
            x.recorded_by != y.recorded_by || x.kind != y.kind || x.flags != y.flags || a.reference(i) != b.reference(i))
            return false;
    }
    if (a.confirmations_ != b.confirmations_ || a.invoices_.size() != b.invoices_.size()) return false;
    for (std::size_t k = 0; k < a.invoices_.size(); ++k) {
        const Ledger::Invoice& x = a.invoices_[k];
        const Ledger::Invoice& y = b.invoices_[k];
        if (x.row != y.row || x.due != y.due || x.open != y.open || x.contract != y.contract || x.last_day != y.last_day)
            return false;
    }
    return true;
}

}  // namespace aecore
