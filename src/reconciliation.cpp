// The money reports (MB-4..MB-7, CL-5, CL-7), computed from the ledger alone. Reports
// that concern one client read only that client's (client, month) buckets.

#include <algorithm>
#include <array>
#include <bit>
#include <exception>
#include <functional>
#include <map>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <unordered_map>

#include "aecore/agency.hpp"
#include "aecore/error.hpp"
#include "ledger_internal.hpp"
#include "rounding.hpp"
#include "scratch_memory.hpp"

namespace aecore {

namespace bg = boost::gregorian;

namespace {

std::string day_text(const Date& d) { return bg::to_iso_extended_string(d); }

/// Calls f(row index, row) for every row of client `c` dated in [from, to] (day numbers).
template <class F>
void for_client_rows(const Ledger& ledger, std::size_t c, std::int32_t from, std::int32_t to, F&& f) {
    const auto* months = ledger.months_of(c);
    if (months == nullptr || from > to) return;
    const std::int32_t lo = month_key(day_date(from));
    const std::int32_t hi = month_key(day_date(to));
    for (auto it = months->lower_bound(lo); it != months->end() && it->first <= hi; ++it)
        for (std::uint32_t i : it->second) {
            const Ledger::Row& r = ledger.row(i);
            if (r.day >= from && r.day <= to) f(i, r);
        }
}

std::int32_t day_of(const Date& d) { return static_cast<std::int32_t>(d.day_number()); }

/// Money flows as five int64 sums, in EntryKind order.
using Sums = std::array<std::int64_t, 5>;

void add(Sums& s, EntryKind k, std::int64_t amount) {
    auto& slot = s[static_cast<std::size_t>(k)];
    slot = checked_add(slot, amount, "reconciliation");
}

LedgerFlows flows(const Sums& s, Currency c) {
    return {Money(s[0], c), Money(s[1], c), Money(s[2], c), Money(s[3], c), Money(s[4], c)};
}

Money diff(std::int64_t a, std::int64_t b, Currency c) { return Money(checked_sub(a, b, "reconciliation"), c); }

void require_year_range(const Date& d, std::string_view field, std::string_view rule) {
    require_valid(d, field, rule);
    if (d < Date(1401, 1, 1) || d > Date(9998, 12, 31))
        throw ValidationError(std::string(rule), std::string(field), day_text(d), "must be within the years 1401-9998");
}

}  // namespace

// ---------------------------------------------------------------- MB-4

ReconciliationReport Agency::reconcile(std::string_view code, YearMonth month) const {
    const Client& c = client(code);
    if (month.month < 1 || month.month > 12 || month.year < 1401 || month.year > 9998)
        throw ValidationError("MB-4", "month", month.to_string(), "must be a month of the years 1401-9998");
    const std::size_t ci = client_index_.at(c.code);
    const std::int32_t end = day_of(month.last_day());
    const std::int32_t year_start = day_of(Date(static_cast<unsigned short>(month.year), 1, 1));
    const std::int32_t month_start = day_of(month.first_day());

    struct Acc {
        Sums month{}, ytd{}, to_date{};
    };
    std::unordered_map<std::uint32_t, Acc> by_job;  // job index + 1; 0 = client level
    Sums check_month{}, check_ytd{}, check_to_date{};
    const auto* months = ledger_.months_of(ci);
    if (months != nullptr)
        for (auto it = months->begin(); it != months->end() && it->first <= month_key(month.first_day()); ++it)
            for (std::uint32_t i : it->second) {
                const Ledger::Row& r = ledger_.row(i);
                if (r.day > end) continue;
                Acc& acc = by_job[(r.flags & Ledger::kHasJob) ? r.owner + 1 : 0];
                add(acc.to_date, r.kind, r.amount);
                add(check_to_date, r.kind, r.amount);
                if (r.day >= year_start) {
                    add(acc.ytd, r.kind, r.amount);
                    add(check_ytd, r.kind, r.amount);
                }
                if (r.day >= month_start) {
                    add(acc.month, r.kind, r.amount);
                    add(check_month, r.kind, r.amount);
                }
            }

    std::vector<std::uint32_t> keys;
    for (const auto& [k, acc] : by_job) keys.push_back(k);
    std::sort(keys.begin(), keys.end(), [&](std::uint32_t a, std::uint32_t b) {
        if ((a == 0) != (b == 0)) return b == 0;  // the client-level line last
        return job_number_less(jobs_[a - 1].number, jobs_[b - 1].number);
    });

    auto make_row = [&](std::optional<std::string> job, std::string title, const Sums& m, const Sums& y, const Sums& t) {
        LedgerFlows to_date = flows(t, currency_);
        const Money estimate = to_date.estimate;
        return ReconciliationRow{std::move(job),         std::move(title),           flows(m, currency_),
                                 flows(y, currency_),    std::move(to_date),         estimate,
                                 diff(t[2], t[0], currency_), diff(t[2], t[3], currency_), diff(t[3], t[4], currency_)};
    };

    std::vector<ReconciliationRow> rows;
    Sums total_month{}, total_ytd{}, total_to_date{};
    for (std::uint32_t k : keys) {
        const Acc& acc = by_job.at(k);
        for (std::size_t x = 0; x < 5; ++x) {
            total_month[x] = checked_add(total_month[x], acc.month[x], "reconciliation");
            total_ytd[x] = checked_add(total_ytd[x], acc.ytd[x], "reconciliation");
            total_to_date[x] = checked_add(total_to_date[x], acc.to_date[x], "reconciliation");
        }
        if (k == 0)
            rows.push_back(make_row(std::nullopt, "Client-level billing", acc.month, acc.ytd, acc.to_date));
        else
            rows.push_back(make_row(jobs_[k - 1].number, jobs_[k - 1].title, acc.month, acc.ytd, acc.to_date));
    }
    // MB-4: the report balances against the ledger exactly. A mismatch is a defect in
    // aecore, never a user error, so it is not a recoverable aecore::Error.
    if (total_month != check_month || total_ytd != check_ytd || total_to_date != check_to_date)
        throw std::logic_error("aecore: reconciliation rows do not sum to the ledger totals (MB-4)");
    ReconciliationRow total = make_row(std::nullopt, "Total", total_month, total_ytd, total_to_date);
    const Money year_billed = total.ytd.billed;
    std::optional<Decimal> used;
    if (c.annual_budget.is_positive()) used = divide_half_even(year_billed.minor_units(), c.annual_budget.minor_units(), 4);
    ReconciliationReport report{c.code,
                                month,
                                std::move(rows),
                                std::move(total),
                                c.annual_budget,
                                year_billed,
                                diff(c.annual_budget.minor_units(), year_billed.minor_units(), currency_),
                                used};
    return report;
}

// ---------------------------------------------------------------- MB-5, MB-6

// The dense path of monthly_flows(): cells (slot, month) are numbered in output order
// (client, then month, then the client's slots). The rows are radix-partitioned by cell
// (partitions of 4096 cells, whose sums fit in the cache), then each partition is summed in
// a small table and emitted: no pass scatters over the whole table. Two threads share each
// pass on a big ledger (each takes half the rows, then half the partitions); their results
// are concatenated in order, so the answer is the same with one thread or two.
void Agency::dense_flows(const std::vector<std::vector<std::uint32_t>>& slots_of, std::int32_t lo, std::size_t span,
                         MonthlyFlows& out) const {
    const Ledger& l = ledger_;
    const std::size_t n = l.size();
    const std::size_t jobs = jobs_.size();
    const std::size_t clients = clients_.size();
    // per slot: its first cell and the cell stride of one month (its client's slot count)
    struct SlotCell {
        std::uint32_t first, width;
    };
    std::vector<SlotCell> cell_of_slot(jobs + clients);
    std::vector<std::uint64_t> base(clients + 1, 0);  // first cell of each client
    for (std::size_t c = 0; c < clients; ++c) {
        const auto width = static_cast<std::uint32_t>(slots_of[c].size());
        for (std::size_t r = 0; r < width; ++r)
            cell_of_slot[slots_of[c][r]] = SlotCell{static_cast<std::uint32_t>(base[c] + r), width};
        base[c + 1] = base[c] + width * span;
    }
    // the month of each day of months lo .. lo + span - 1, computed once
    const auto month_start = [](std::int32_t key) {
        return static_cast<std::int32_t>(Date(static_cast<unsigned short>(key / 12), static_cast<unsigned short>(key % 12 + 1), 1).day_number());
    };
    const std::int32_t first_day = month_start(lo);
    std::vector<std::uint32_t> month_of_day(static_cast<std::size_t>(month_start(lo + static_cast<std::int32_t>(span)) - first_day));
    for (std::size_t m = 0, d = 0; m < span; ++m)
        for (const std::int32_t next = month_start(lo + static_cast<std::int32_t>(m) + 1); first_day + static_cast<std::int32_t>(d) < next; ++d)
            month_of_day[d] = static_cast<std::uint32_t>(m);

    constexpr unsigned kShift = 12;
    const std::size_t cells = static_cast<std::size_t>(base.back());
    const std::size_t parts = (cells >> kShift) + 1;
    struct Item {
        std::uint32_t cell_low;
        std::uint32_t kind;
        std::int64_t amount;
    };
    const std::size_t threads = n >= (std::size_t{1} << 17) ? 2 : 1;
    auto run = [&](auto&& work) {  // work(0) .. work(threads - 1), the last on this thread
        if (threads == 1) return work(0);
        std::exception_ptr failed;
        std::thread helper;
        try {
            helper = std::thread([&] {
                try {
                    work(0);
                } catch (...) {
                    failed = std::current_exception();
                }
            });
        } catch (const std::system_error&) {  // no thread to be had: both halves here
            work(0);
            return work(1);
        }
        try {
            work(1);
        } catch (...) {
            helper.join();
            throw;
        }
        helper.join();
        if (failed) std::rethrow_exception(failed);
    };
    auto row_range = [&](std::size_t t) { return std::pair{n * t / threads, n * (t + 1) / threads}; };

    // 1. the rows per partition and the cells with rows (a bitmap), counted by each thread
    // (a row's cell is computed again in pass 2: cheaper than writing and reading it back)
    const auto cell_of_row = [&](const Ledger::Row& r) {
        const SlotCell sc = cell_of_slot[(r.flags & Ledger::kHasJob) != 0 ? r.owner : jobs + r.owner];
        return sc.first + month_of_day[static_cast<std::size_t>(r.day - first_day)] * sc.width;
    };
    std::vector<std::vector<std::size_t>> counts(threads, std::vector<std::size_t>(parts, 0));
    const std::size_t words = (parts << kShift) / 64;  // whole partitions of 64-cell words
    std::vector<std::vector<std::uint64_t>> used(threads, std::vector<std::uint64_t>(words, 0));
    run([&](std::size_t t) {
        const auto [from, to] = row_range(t);
        auto& count = counts[t];
        std::uint64_t* bits = used[t].data();
        for (std::size_t i = from; i < to; ++i) {
            const std::uint32_t cell = cell_of_row(l.row(i));
            ++count[cell >> kShift];
            bits[cell >> 6] |= std::uint64_t{1} << (cell & 63);
        }
    });
    // 2. partition p holds thread 0's rows of p, then thread 1's; its output rows (one per
    // cell with rows) start at emitted[p]
    for (std::size_t t = 1; t < threads; ++t)
        for (std::size_t w = 0; w < words; ++w) used[0][w] |= used[t][w];
    const std::vector<std::uint64_t>& cells_used = used[0];
    constexpr std::size_t kWordsPerPart = (std::size_t{1} << kShift) / 64;
    std::vector<std::size_t> start(parts + 1, 0), emitted(parts + 1, 0);
    std::vector<std::vector<std::size_t>> next(threads, std::vector<std::size_t>(parts));
    for (std::size_t p = 0, at = 0; p < parts; ++p) {
        start[p] = at;
        for (std::size_t t = 0; t < threads; ++t) {
            next[t][p] = at;
            at += counts[t][p];
        }
        start[p + 1] = at;
        std::size_t present = 0;
        for (std::size_t w = p * kWordsPerPart; w < (p + 1) * kWordsPerPart; ++w)
            present += static_cast<std::size_t>(std::popcount(cells_used[w]));
        emitted[p + 1] = emitted[p] + present;
    }
    detail::ScratchArray<Item> items(n);
    run([&](std::size_t t) {
        const auto [from, to] = row_range(t);
        auto& head = next[t];
        for (std::size_t i = from; i < to; ++i) {
            const Ledger::Row& r = l.row(i);
            const std::uint32_t cell = cell_of_row(r);
            items[head[cell >> kShift]++] = Item{cell & ((1u << kShift) - 1), static_cast<std::uint32_t>(r.kind), r.amount};
        }
    });

    // 3. sum each partition and write its cells in order, straight into their places in the
    // output; thread t takes the partitions from the first whose items start at or after
    // t/threads of the rows
    const std::size_t total = emitted[parts];
    run([&](std::size_t t) {  // the columns zeroed (and their pages faulted in) on both threads
        if (t == 0)
            for (std::size_t k = 2; k < 5; ++k) detail::resize_in_huge_pages(out.sums[k], total);
        if (t + 1 == threads) {
            detail::resize_in_huge_pages(out.client, total);
            detail::resize_in_huge_pages(out.job, total);
            detail::resize_in_huge_pages(out.month, total);
            detail::resize_in_huge_pages(out.sums[0], total);
            detail::resize_in_huge_pages(out.sums[1], total);
        }
    });
    std::vector<std::size_t> first_part(threads + 1, parts);
    for (std::size_t t = 0; t < threads; ++t)
        first_part[t] = static_cast<std::size_t>(
            std::lower_bound(start.begin(), start.end() - 1, n * t / threads) - start.begin());
    first_part[0] = 0;
    run([&](std::size_t t) {
        std::vector<std::array<std::int64_t, 5>> local(std::size_t{1} << kShift, std::array<std::int64_t, 5>{});
        const std::size_t from = first_part[t];
        // cell -> (client, month, slot); c only moves forward
        std::size_t c = static_cast<std::size_t>(std::upper_bound(base.begin(), base.end(), std::uint64_t{from << kShift}) - base.begin()) - 1;
        for (std::size_t p = from; p < first_part[t + 1]; ++p) {
            if (start[p] == start[p + 1]) continue;
            for (std::size_t k = start[p]; k < start[p + 1]; ++k) {
                auto& sums = local[items[k].cell_low];
                sums[items[k].kind] += items[k].amount;
            }
            std::size_t at = emitted[p];
            for (std::size_t w = 0; w < kWordsPerPart; ++w)
                for (std::uint64_t bits = cells_used[p * kWordsPerPart + w]; bits != 0; bits &= bits - 1) {
                    const std::size_t low = w * 64 + static_cast<std::size_t>(std::countr_zero(bits));
                    const std::size_t cell = (p << kShift) + low;
                    while (base[c + 1] <= cell) ++c;
                    const std::size_t within = cell - static_cast<std::size_t>(base[c]);
                    const std::size_t width = slots_of[c].size();
                    const std::uint32_t slot = slots_of[c][within % width];
                    out.client[at] = static_cast<std::int32_t>(c);
                    out.job[at] = slot >= jobs ? -1 : static_cast<std::int32_t>(slot);
                    out.month[at] = lo + static_cast<std::int32_t>(within / width);
                    for (std::size_t k = 0; k < 5; ++k) out.sums[k][at] = local[low][k];
                    local[low] = {};
                    ++at;
                }
        }
    });
}

// Slots: one per job, then one per client for its client-level entries. Cells are
// (slot, month) in a dense table when it is small next to the ledger (one sequential pass
// over the rows, then a scan in client, month, job order); otherwise the rows are read
// through the (client, month) index, one month of one client at a time.
MonthlyFlows Agency::monthly_flows() const {
    MonthlyFlows out;
    const Ledger& l = ledger_;
    const std::size_t n = l.size();
    if (n == 0) return out;
    const std::size_t jobs = jobs_.size();
    std::unordered_map<std::string_view, std::uint32_t> client_index;
    for (std::size_t c = 0; c < clients_.size(); ++c) client_index.emplace(clients_[c].code, static_cast<std::uint32_t>(c));
    // slots of each client: its client-level slot, then its jobs in index order
    std::vector<std::vector<std::uint32_t>> slots_of(clients_.size());
    for (std::size_t c = 0; c < clients_.size(); ++c) slots_of[c].push_back(static_cast<std::uint32_t>(jobs + c));
    for (std::size_t j = 0; j < jobs; ++j) slots_of[client_index.at(jobs_[j].client)].push_back(static_cast<std::uint32_t>(j));
    auto emit = [&](std::size_t c, std::int32_t month, std::uint32_t slot, const std::int64_t* sums) {
        out.client.push_back(static_cast<std::int32_t>(c));
        out.job.push_back(slot >= jobs ? -1 : static_cast<std::int32_t>(slot));
        out.month.push_back(month);
        for (std::size_t k = 0; k < 5; ++k) out.sums[k].push_back(sums[k]);
    };

    std::int32_t lo = INT32_MAX, hi = INT32_MIN;  // month keys
    for (std::size_t c = 0; c < clients_.size(); ++c)
        if (const auto* months = l.months_of(c); months != nullptr && !months->empty()) {
            lo = std::min(lo, months->begin()->first);
            hi = std::max(hi, months->rbegin()->first);
        }
    const std::size_t slots = jobs + clients_.size();
    const std::size_t span = static_cast<std::size_t>(hi - lo) + 1;
    if (slots * span <= 4 * n + 65536 && slots * span < (std::size_t{1} << 32)) {
        dense_flows(slots_of, lo, span, out);
        return out;
    }

    // The rows of every (client, month) bucket in output order, copied out of the index
    // first: then the rows themselves (scattered over the ledger: a cache miss each) can be
    // loaded a few ahead of the one being summed.
    struct Run {
        std::uint32_t client;
        std::int32_t month;
        std::size_t rows;
    };
    std::vector<Run> runs;
    std::vector<std::uint32_t> order;
    order.reserve(n);
    for (std::size_t c = 0; c < clients_.size(); ++c)
        if (const auto* months = l.months_of(c))
            for (const auto& [month, rows] : *months) {
                runs.push_back(Run{static_cast<std::uint32_t>(c), month, rows.size()});
                order.insert(order.end(), rows.begin(), rows.end());
            }
    std::vector<std::array<std::int64_t, 5>> acc(slots, std::array<std::int64_t, 5>{});
    std::vector<std::uint8_t> used(slots, 0);
    constexpr std::size_t kAhead = 16;
    std::size_t k = 0;
    for (const Run& run : runs) {
        for (const std::size_t end = k + run.rows; k < end; ++k) {
            if (k + kAhead < order.size()) __builtin_prefetch(&l.row(order[k + kAhead]));
            const Ledger::Row& r = l.row(order[k]);
            const std::size_t slot = (r.flags & Ledger::kHasJob) != 0 ? r.owner : jobs + r.owner;
            used[slot] = 1;
            acc[slot][static_cast<std::size_t>(r.kind)] += r.amount;
        }
        for (const std::uint32_t slot : slots_of[run.client])
            if (used[slot]) {
                emit(run.client, run.month, slot, acc[slot].data());
                acc[slot] = {};
                used[slot] = 0;
            }
    }
    return out;
}

namespace {
constexpr std::size_t kRowsAhead = 16;  // invoices whose rows are prefetched ahead of the one read
}  // namespace

AgingReport Agency::aging(const Date& as_of, AgingBasis basis, int dso_days) const {
    require_year_range(as_of, "as_of", "MB-5");
    if (dso_days < 1 || dso_days > 3660)
        throw ValidationError("MB-5", "dso_days", std::to_string(dso_days), "must be 1-3660 days");
    const std::int32_t day = day_of(as_of);
    // Open invoices as plain numbers first; strings only for what is reported, after sorting.
    struct Open {
        std::uint32_t invoice;  // invoice record
        std::uint32_t client;   // then its rank in code order (for sorting)
        std::int64_t open;
        std::int32_t days;
        std::int32_t day;  // the invoice's, kept here so that sorting reads no ledger row
    };
    std::vector<Open> opens;
    std::vector<std::array<std::int64_t, 6>> by_client(clients_.size(), std::array<std::int64_t, 6>{});
    std::vector<std::uint8_t> has_open(clients_.size(), 0);
    const std::size_t invoices = ledger_.invoice_count();
    for (std::size_t k = 0; k < invoices; ++k) {
        // Each invoice's row is a cache miss of its own (a few rows apart from the last
        // one's): asked for a few invoices ahead, the misses overlap.
        if (k + kRowsAhead < invoices) __builtin_prefetch(&ledger_.row(ledger_.invoice(k + kRowsAhead).row));
        const Ledger::Invoice& inv = ledger_.invoice(k);
        const Ledger::Row& r = ledger_.row(inv.row);
        if (r.day > day) continue;
        const std::int64_t open = invoice_open_at(k, day);
        if (open == 0) continue;
        const std::size_t ci = client_of_row(r);
        const int days = day - (basis == AgingBasis::DueDate ? inv.due : r.day);
        const std::size_t b = days <= 0 ? 0 : days <= 30 ? 1 : days <= 60 ? 2 : days <= 90 ? 3 : 4;
        auto& row = by_client[ci];
        row[b] = checked_add(row[b], open, "aging");
        row[5] = checked_add(row[5], open, "aging");
        has_open[ci] = 1;
        opens.push_back(Open{static_cast<std::uint32_t>(k), static_cast<std::uint32_t>(ci), open, days, r.day});
    }
    // clients in code order
    std::vector<std::uint32_t> by_code(clients_.size());
    for (std::size_t c = 0; c < clients_.size(); ++c) by_code[c] = static_cast<std::uint32_t>(c);
    std::sort(by_code.begin(), by_code.end(),
              [&](std::uint32_t a, std::uint32_t b) { return clients_[a].code < clients_[b].code; });
    std::vector<std::uint32_t> rank(clients_.size());
    for (std::size_t i = 0; i < by_code.size(); ++i) rank[by_code[i]] = static_cast<std::uint32_t>(i);
    for (Open& o : opens) o.client = rank[o.client];
    std::sort(opens.begin(), opens.end(), [&](const Open& a, const Open& b) {
        if (a.client != b.client) return a.client < b.client;
        if (a.day != b.day) return a.day < b.day;
        return ledger_.reference(ledger_.invoice(a.invoice).row) < ledger_.reference(ledger_.invoice(b.invoice).row);
    });
    std::vector<OpenItem> items;
    items.reserve(opens.size());
    for (const Open& o : opens) {
        const Ledger::Invoice& inv = ledger_.invoice(o.invoice);
        const Ledger::Row& r = ledger_.row(inv.row);
        OpenItem item{std::string(ledger_.reference(inv.row)),
                      clients_[by_code[o.client]].code,
                      std::nullopt,
                      day_date(r.day),
                      day_date(inv.due),
                      Money(r.amount, currency_),
                      Money(o.open, currency_),
                      o.days};
        if (r.flags & Ledger::kHasJob) item.job = jobs_[r.owner].number;
        items.push_back(std::move(item));
    }
    auto to_buckets = [&](const std::array<std::int64_t, 6>& v) {
        return AgingBuckets{Money(v[0], currency_), Money(v[1], currency_), Money(v[2], currency_),
                            Money(v[3], currency_), Money(v[4], currency_), Money(v[5], currency_)};
    };
    auto dso = [&](std::int64_t receivable, std::int64_t billed) -> std::optional<Decimal> {
        if (billed <= 0) return std::nullopt;
        return divide_half_even(static_cast<i128>(receivable) * dso_days, billed, 1);
    };
    const std::int32_t window_start = day - dso_days + 1;
    std::array<std::int64_t, 6> all{};
    std::int64_t all_billed = 0;
    std::vector<AgingRow> rows;
    // Billings over the DSO window of every client: the total's DSO counts clients who
    // have paid everything too.
    std::vector<std::int64_t> window_billed(clients_.size(), 0);
    for (std::size_t ci = 0; ci < clients_.size(); ++ci) {
        for_client_rows(ledger_, ci, window_start, day, [&](std::uint32_t, const Ledger::Row& r) {
            if (r.kind == EntryKind::Invoice) window_billed[ci] = checked_add(window_billed[ci], r.amount, "aging");
        });
        all_billed = checked_add(all_billed, window_billed[ci], "aging");
    }
    for (const std::uint32_t ci : by_code) {  // in client code order
        if (!has_open[ci]) continue;
        const auto& v = by_client[ci];
        const std::int64_t billed = window_billed[ci];
        rows.push_back(AgingRow{clients_[ci].code, to_buckets(v), Money(billed, currency_), dso(v[5], billed)});
        for (std::size_t x = 0; x < 6; ++x) all[x] = checked_add(all[x], v[x], "aging");
    }
    return AgingReport{as_of,
                       basis,
                       dso_days,
                       std::move(rows),
                       AgingRow{"", to_buckets(all), Money(all_billed, currency_), dso(all[5], all_billed)},
                       std::move(items)};
}

std::vector<CollectionItem> Agency::collections(const Date& as_of) const {
    require_year_range(as_of, "as_of", "MB-6");
    const std::int32_t day = day_of(as_of);
    std::vector<CollectionItem> out;
    const std::size_t invoices = ledger_.invoice_count();
    for (std::size_t k = 0; k < invoices; ++k) {
        if (k + kRowsAhead < invoices) __builtin_prefetch(&ledger_.row(ledger_.invoice(k + kRowsAhead).row));
        const Ledger::Invoice& inv = ledger_.invoice(k);
        const Ledger::Row& r = ledger_.row(inv.row);
        const int past = day - inv.due;
        if (r.day > day || past < policy_.escalation_ae_days()) continue;
        const std::int64_t open = invoice_open_at(k, day);
        if (open <= 0) continue;
        const Client& c = clients_[client_of_row(r)];
        const Escalation level = past >= policy_.escalation_ad_days()   ? Escalation::AD
                                 : past >= policy_.escalation_am_days() ? Escalation::AM
                                                                        : Escalation::AE;
        std::optional<std::string> owner;
        if (const TeamAssignment* t = c.team_on(as_of)) {
            switch (level) {
                case Escalation::AE: owner = t->team.ae; break;
                case Escalation::AM: owner = t->team.am; break;
                case Escalation::AD: owner = t->team.ad; break;
            }
        }
        out.push_back(CollectionItem{std::string(ledger_.reference(inv.row)), c.code, day_date(inv.due), past,
                                     Money(open, currency_), level, std::move(owner)});
    }
    std::sort(out.begin(), out.end(), [](const CollectionItem& a, const CollectionItem& b) {
        if (a.days_past_due != b.days_past_due) return a.days_past_due > b.days_past_due;
        return a.invoice < b.invoice;
    });
    return out;
}

CreditStatus Agency::credit_status(std::string_view code, const Date& as_of) const {
    const Client& c = client(code);
    require_year_range(as_of, "as_of", "MB-6");
    const std::size_t ci = client_index_.at(c.code);
    const std::int32_t day = day_of(as_of);
    const std::int32_t from = day_of(as_of - bg::years(1) + bg::days(1));
    const int late = policy_.late_payment_days();
    bool is_late = false;
    // Payments reversed by the as-of date do not count (later reversals are not yet known then).
    std::vector<std::uint32_t> reversed;
    for_client_rows(ledger_, ci, from, day, [&](std::uint32_t, const Ledger::Row& r) {
        if (r.kind == EntryKind::Payment && (r.flags & Ledger::kReversal)) reversed.push_back(r.link);
    });
    std::sort(reversed.begin(), reversed.end());
    // A payment in the trailing year that came more than `late` days after the due date...
    for_client_rows(ledger_, ci, from, day, [&](std::uint32_t i, const Ledger::Row& r) {
        if (is_late || r.kind != EntryKind::Payment || (r.flags & Ledger::kReversal) ||
            std::binary_search(reversed.begin(), reversed.end(), i))
            return;
        const Ledger::Invoice& inv = ledger_.invoice(ledger_.invoice_of(r));
        if (r.day - inv.due > late) is_late = true;
    });
    // ... or an invoice still open that long after its due date.
    for_client_rows(ledger_, ci, day_of(Date(1400, 1, 1)), day, [&](std::uint32_t, const Ledger::Row& r) {
        if (is_late || r.kind != EntryKind::Invoice || (r.flags & Ledger::kReversal)) return;
        if (day - ledger_.invoice(r.link).due > late && invoice_open_at(r.link, day) > 0) is_late = true;
    });
    return is_late ? CreditStatus::Late : CreditStatus::Good;
}

// ---------------------------------------------------------------- CL-5 from the ledger

namespace {

class LedgerBilling final : public BillingSource {
public:
    LedgerBilling(const Agency& a, const Ledger& l, std::function<std::int64_t(std::size_t, std::int32_t)> open_at)
        : agency_(a), ledger_(l), open_at_(std::move(open_at)) {
        for (std::size_t i = 0; i < a.clients().size(); ++i) index_.emplace(a.clients()[i].code, i);
    }

    Money billings(std::string_view code, const Date& from, const Date& to) const override {
        std::int64_t total = 0;
        for_client_rows(ledger_, index_of(code), day_of(from), day_of(to), [&](std::uint32_t, const Ledger::Row& r) {
            if (r.kind == EntryKind::Invoice) total = checked_add(total, r.amount, "billings");
        });
        return Money(total, agency_.currency());
    }
    int days_overdue(std::string_view code, const Date& as_of) const override {
        const std::int32_t day = day_of(as_of);
        int worst = 0;
        for_client_rows(ledger_, index_of(code), day_of(Date(1400, 1, 1)), day, [&](std::uint32_t, const Ledger::Row& r) {
            if (r.kind != EntryKind::Invoice || (r.flags & Ledger::kReversal)) return;
            const int past = day - ledger_.invoice(r.link).due;
            if (past > worst && open_at_(r.link, day) > 0) worst = past;
        });
        return worst;
    }
    bool credit_late(std::string_view code, const Date& as_of) const override {
        return agency_.credit_status(code, as_of) == CreditStatus::Late;
    }

private:
    std::size_t index_of(std::string_view code) const {
        auto it = index_.find(std::string(code));
        return it == index_.end() ? agency_.clients().size() : it->second;
    }
    const Agency& agency_;
    const Ledger& ledger_;
    std::function<std::int64_t(std::size_t, std::int32_t)> open_at_;
    std::unordered_map<std::string, std::size_t> index_;
};

}  // namespace

std::vector<TierAssignment> Agency::tiers(const Date& as_of) const {
    require_year_range(as_of, "as_of", "CL-5");
    const LedgerBilling source(*this, ledger_, [this](std::size_t k, std::int32_t d) { return invoice_open_at(k, d); });
    return tiers(as_of, source);
}

// ---------------------------------------------------------------- MB-7

std::vector<Profitability> Agency::profitability(const Date& from, const Date& to, bool per_client) const {
    require_year_range(from, "from", "MB-7");
    require_year_range(to, "to", "MB-7");
    if (to < from) throw ValidationError("MB-7", "to", day_text(to), "is before from " + day_text(from));
    struct Acc {
        std::int64_t billed = 0, vendor = 0, time = 0;
    };
    // (client index, job index + 1 or 0 for client level) -> sums
    std::map<std::pair<std::size_t, std::uint32_t>, Acc> acc;
    for (std::size_t ci = 0; ci < clients_.size(); ++ci)
        for_client_rows(ledger_, ci, day_of(from), day_of(to), [&](std::uint32_t, const Ledger::Row& r) {
            if (r.kind != EntryKind::Invoice && r.kind != EntryKind::ActualCost) return;
            const std::uint32_t job = (!per_client && (r.flags & Ledger::kHasJob)) ? r.owner + 1 : 0;
            Acc& a = acc[{ci, job}];
            if (r.kind == EntryKind::Invoice) a.billed = checked_add(a.billed, r.amount, "profitability");
            else if (r.flags & Ledger::kTimeCost) a.time = checked_add(a.time, r.amount, "profitability");
            else a.vendor = checked_add(a.vendor, r.amount, "profitability");
        });
    std::vector<Profitability> out;
    for (const auto& [key, a] : acc) {
        const std::int64_t cost = checked_add(a.vendor, a.time, "profitability");
        const Money profit = diff(a.billed, cost, currency_);
        std::optional<Decimal> margin;
        if (a.billed > 0) margin = divide_half_even(profit.minor_units(), a.billed, 4);
        Profitability p{clients_[key.first].code,
                        key.second ? std::optional<std::string>(jobs_[key.second - 1].number) : std::nullopt,
                        Money(a.billed, currency_),
                        Money(a.vendor, currency_),
                        Money(a.time, currency_),
                        profit,
                        margin};
        out.push_back(std::move(p));
    }
    std::sort(out.begin(), out.end(), [](const Profitability& a, const Profitability& b) {
        if (a.client != b.client) return a.client < b.client;
        if (a.job.has_value() != b.job.has_value()) return b.job.has_value() == false;
        return a.job && b.job && job_number_less(*a.job, *b.job);
    });
    return out;
}

// ---------------------------------------------------------------- CL-7

HandoverStatement Agency::handover_statement(std::string_view code, std::string_view contract_id,
                                             std::optional<Date> as_of) const {
    const Client& c = client(code);
    auto it = std::find_if(c.contracts.begin(), c.contracts.end(), [&](const Contract& t) { return t.id == contract_id; });
    if (it == c.contracts.end())
        throw NotFoundError("CL-7", "contract", quote(contract_id), "is not a contract of client " + c.code);
    const Contract& t = *it;
    const Date when = as_of.value_or(t.end);
    require_year_range(when, "as_of", "CL-7");
    const std::size_t ci = client_index_.at(c.code);
    const auto number = static_cast<std::uint32_t>(it - c.contracts.begin()) + 1;
    const std::int32_t day = day_of(when);
    // Service months from the start date: 01-15 to 02-14 is one month; a part month counts whole.
    const Date after_end = t.end + bg::days(1);
    int months = month_key(after_end) - month_key(t.start);
    bool part = after_end.day() > t.start.day();
    if (after_end.day() < t.start.day()) {
        --months;
        part = true;
    }
    months += part ? 1 : 0;
    const Money fees_due = t.monthly_fee * months;
    std::int64_t invoiced = 0, collected = 0, in_term = 0, open = 0;
    const std::int32_t term_end = std::min(day, day_of(t.end));
    for_client_rows(ledger_, ci, day_of(Date(1400, 1, 1)), day, [&](std::uint32_t, const Ledger::Row& r) {
        if (r.kind == EntryKind::Invoice) {
            if (ledger_.invoice(ledger_.invoice_of(r)).contract == number)
                invoiced = checked_add(invoiced, r.amount, "handover");
            if (r.day >= day_of(t.start) && r.day <= term_end) in_term = checked_add(in_term, r.amount, "handover");
            if (!(r.flags & Ledger::kReversal)) open = checked_add(open, invoice_open_at(r.link, day), "handover");
        } else if (r.kind == EntryKind::Payment) {
            if (ledger_.invoice(ledger_.invoice_of(r)).contract == number)
                collected = checked_add(collected, r.amount, "handover");
        }
    });
    return HandoverStatement{c.code,
                             t.id,
                             t.start,
                             t.end,
                             t.monthly_fee,
                             months,
                             fees_due,
                             Money(invoiced, currency_),
                             Money(collected, currency_),
                             diff(fees_due.minor_units(), collected, currency_),
                             diff(fees_due.minor_units(), invoiced, currency_),
                             Money(in_term, currency_),
                             Money(open, currency_),
                             when};
}

}  // namespace aecore
