// Cost estimates, the ledger and the money reports (MB-2..MB-7, CL-5, CL-7) for Python.
// Amounts are Money, or str / int / decimal.Decimal in the agency currency; months are a
// datetime.date (any day of the month) or "YYYY-MM". Reports are read-only snapshots;
// python/aecore/ledger.py adds to_dataframe(), _repr_html_ and plot().

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <limits>
#include <memory>
#include <optional>
#include <unordered_map>

#include "aecore/agency.hpp"
#include "casters.hpp"
#include "frame_columns.hpp"

namespace py = pybind11;

namespace aecore::bind {

namespace {

// Money in the agency currency from Money, str, int or decimal.Decimal.
Money book_money(const Agency& a, const py::handle& value, const std::string& field) {
    if (py::isinstance<Money>(value)) return value.cast<Money>();
    try {
        return Money::parse(amount_text(value, field), a.currency());
    } catch (const ValidationError& e) {
        if (e.field() == field) throw;
        throw ValidationError("MB-1", field, py::repr(value).cast<std::string>(), e.detail());
    }
}

YearMonth month_arg(const py::handle& value) {
    if (PyUnicode_Check(value.ptr())) {
        const std::string text = value.cast<std::string>();
        auto digits = [&](std::size_t from, std::size_t n) {
            for (std::size_t i = from; i < from + n; ++i)
                if (text[i] < '0' || text[i] > '9') return false;
            return true;
        };
        if (text.size() == 7 && text[4] == '-' && digits(0, 4) && digits(5, 2)) {
            const YearMonth ym{std::stoi(text.substr(0, 4)), std::stoi(text.substr(5, 2))};
            if (ym.month >= 1 && ym.month <= 12) return ym;
        }
        throw ValidationError("MB-4", "month", quote(text), "expected \"YYYY-MM\" or a datetime.date");
    }
    // A datetime is a date subclass, but a month is a calendar month: refused like every
    // other date argument.
    py_detail::ensure_datetime_api();
    if (!PyDate_Check(value.ptr()) || PyDateTime_Check(value.ptr()))
        throw py::type_error("month: expected a \"YYYY-MM\" string or a datetime.date, not " +
                             std::string(py::str(py::type::of(value).attr("__name__"))));
    return YearMonth::of(value.cast<Date>());
}

}  // namespace

// The ledger as numpy columns (see the docstring of Agency.ledger_columns).
py::dict ledger_columns(const Agency& a) {
    const Ledger& l = a.ledger();
    const auto n = static_cast<py::ssize_t>(l.size());
    py::array_t<std::int8_t> kind(n);
    py::array date(py::dtype("datetime64[D]"), std::vector<py::ssize_t>{n});
    py::array due(py::dtype("datetime64[D]"), std::vector<py::ssize_t>{n});
    py::array_t<std::int32_t> client(n), job(n), recorded_by(n);
    py::array_t<std::int64_t> amount(n), link(n);
    py::array_t<bool> reversal(n), reversed(n);
    {
        py::gil_scoped_release release;
        const std::int64_t epoch = Date(1970, 1, 1).day_number();
        constexpr std::int64_t nat = INT64_MIN;
        auto* k = kind.mutable_data();
        auto* d = static_cast<std::int64_t*>(date.mutable_data());
        auto* u = static_cast<std::int64_t*>(due.mutable_data());
        auto* c = client.mutable_data();
        auto* jb = job.mutable_data();
        auto* who = recorded_by.mutable_data();
        auto* amt = amount.mutable_data();
        auto* lk = link.mutable_data();
        auto* rv = reversal.mutable_data();
        auto* rd = reversed.mutable_data();
        for (py::ssize_t i = 0; i < n; ++i) {
            const Ledger::Row& r = l.row(static_cast<std::size_t>(i));
            const bool has_job = (r.flags & Ledger::kHasJob) != 0;
            k[i] = static_cast<std::int8_t>(r.kind);
            d[i] = r.day - epoch;
            const std::uint32_t own = Ledger::own_invoice(r);
            u[i] = own != Ledger::kNone ? l.invoice(own).due - epoch : nat;
            jb[i] = has_job ? static_cast<std::int32_t>(r.owner) : -1;
            c[i] = static_cast<std::int32_t>(l.client_of(r));
            who[i] = static_cast<std::int32_t>(r.recorded_by);
            amt[i] = r.amount;
            const bool is_reversal = (r.flags & Ledger::kReversal) != 0;
            if (is_reversal)
                lk[i] = r.link;  // the reversed row
            else if (r.kind == EntryKind::Payment)
                lk[i] = r.link;  // the invoice's row
            else if (r.kind == EntryKind::Invoice)
                lk[i] = l.invoice(r.link).row;  // itself
            else
                lk[i] = -1;
            rv[i] = is_reversal;
            rd[i] = (r.flags & Ledger::kReversed) != 0;
        }
    }
    py::list clients, jobs, staff;
    for (const Client& x : a.clients()) clients.append(x.code);
    for (const JobTicket& x : a.jobs()) jobs.append(x.number);
    for (const Staff& x : a.staff_members()) staff.append(x.id);
    py::dict out;
    out["kind"] = kind;
    out["date"] = date;
    out["due"] = due;
    out["client"] = client;
    out["job"] = job;
    out["amount"] = amount;
    out["link"] = link;
    out["recorded_by"] = recorded_by;
    out["reversal"] = reversal;
    out["reversed"] = reversed;
    out["clients"] = clients;
    out["jobs"] = jobs;
    out["staff"] = staff;
    out["currency"] = std::string(a.currency().code());
    return out;
}

namespace {

// The rows Agency.ledger_entries selects for the same filters (same errors), in posting
// order; `all` when every row is selected (row = position).
struct Selection {
    std::vector<std::uint32_t> rows;
    bool all = false;
};

Selection select_rows(const Agency& a, const std::optional<std::string>& client_code,
                      const std::optional<std::string>& job_number, const std::optional<Date>& from,
                      const std::optional<Date>& to) {
    if (from) require_valid(*from, "from", "MB-3");
    if (to) require_valid(*to, "to", "MB-3");
    const Ledger& l = a.ledger();
    const auto client_index = [&](const Client& c) { return static_cast<std::size_t>(&c - a.clients().data()); };
    Selection s;
    std::vector<std::uint32_t>& rows = s.rows;
    if (job_number) {
        const JobTicket& j = a.job(*job_number);
        const auto owner = static_cast<std::uint32_t>(&j - a.jobs().data());
        if (!client_code || j.client == *client_code)
            if (const auto* months = l.months_of(client_index(a.client(j.client))))
                for (const auto& [month, bucket] : *months)
                    for (std::uint32_t i : bucket) {
                        const Ledger::Row& r = l.row(i);
                        if ((r.flags & Ledger::kHasJob) && r.owner == owner) rows.push_back(i);
                    }
        std::sort(rows.begin(), rows.end());
    } else if (client_code) {
        if (const auto* months = l.months_of(client_index(a.client(*client_code))))
            for (const auto& [month, bucket] : *months) rows.insert(rows.end(), bucket.begin(), bucket.end());
        std::sort(rows.begin(), rows.end());
    } else {
        s.all = !from && !to;
        rows.resize(l.size());
        for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = static_cast<std::uint32_t>(i);
    }
    if (from || to) {
        const auto lo = from ? static_cast<std::int32_t>(from->day_number()) : INT32_MIN;
        const auto hi = to ? static_cast<std::int32_t>(to->day_number()) : INT32_MAX;
        std::erase_if(rows, [&](std::uint32_t i) { return l.row(i).day < lo || l.row(i).day > hi; });
    }
    return s;
}

// Agency._ledger_frame_columns(arrow=False): the entries Agency.ledger_entries would return
// (same filters, same errors), as the columns of Agency.ledger_frame(). Every field is
// derived as Agency::ledger_entry(index) derives it; text columns are numpy object arrays
// of str (and `missing` where a LedgerEntry has None), client, job and staff strs shared
// between rows.
py::dict ledger_frame_str_columns(const Agency& a, const Selection& selection, const py::object& missing) {
    const Ledger& l = a.ledger();
    const std::vector<std::uint32_t>& rows = selection.rows;
    const bool all = selection.all;
    // The position of row `i` in the selection, or -1.
    auto position = [&](std::size_t i) -> py::ssize_t {
        if (all) return static_cast<py::ssize_t>(i);
        auto it = std::lower_bound(rows.begin(), rows.end(), i);
        return it != rows.end() && *it == i ? it - rows.begin() : -1;
    };

    const auto n = static_cast<py::ssize_t>(rows.size());
    ObjectColumn id(n), client(n), job(n), reference(n), recorded_by(n), invoice(n), reverses(n), time_entry(n);
    py::array_t<std::int8_t> kind(n);
    py::array date(py::dtype("datetime64[s]"), std::vector<py::ssize_t>{n});
    py::array due(py::dtype("datetime64[s]"), std::vector<py::ssize_t>{n});
    py::array_t<std::int64_t> amount(n);
    py::array_t<bool> reversed(n);
    auto* k = kind.mutable_data();
    auto* d = static_cast<std::int64_t*>(date.mutable_data());
    auto* u = static_cast<std::int64_t*>(due.mutable_data());
    auto* amt = amount.mutable_data();
    auto* rd = reversed.mutable_data();
    const std::int64_t epoch = Date(1970, 1, 1).day_number();
    constexpr std::int64_t nat = INT64_MIN;
    constexpr std::int64_t day_seconds = 86400;
    // The client, job and staff strs, made before the rows' strs so that they sit together
    // in memory: every row shares three of them, in no particular order.
    std::vector<char> client_used(a.clients().size()), job_used(a.jobs().size()), staff_used(a.staff_members().size());
    for (const std::uint32_t i : rows) {
        const Ledger::Row& r = l.row(i);
        if (r.flags & Ledger::kHasJob) job_used[r.owner] = 1;
        client_used[l.client_of(r)] = 1;
        staff_used[r.recorded_by] = 1;
    }
    StrByIndex clients(a.clients().size()), jobs(a.jobs().size()), staff(a.staff_members().size());
    for (std::size_t c = 0; c < client_used.size(); ++c)
        if (client_used[c]) clients.make(c, a.clients()[c].code);
    for (std::size_t j = 0; j < job_used.size(); ++j)
        if (job_used[j]) jobs.make(j, a.jobs()[j].number);
    for (std::size_t w = 0; w < staff_used.size(); ++w)
        if (staff_used[w]) staff.make(w, a.staff_members()[w].id);
    PyObject* none = missing.ptr();
    // `column` at p names row `target` (Ledger::kNone: nothing): the str that column `from`
    // holds for that row when the row is selected, else a new one, make(target).
    auto refer = [&](ObjectColumn& column, py::ssize_t p, std::uint32_t target, ObjectColumn& from, auto&& make) {
        if (target == Ledger::kNone) return column.share(p, none);
        const py::ssize_t at = position(target);
        if (at >= 0) return column.share(p, from.get(at));
        column.put(p, make(target));
    };
    // Column by column (a few at a time): each pass streams through the rows and its outputs.
    // The GIL stays held throughout, so no change to the agency can come in between.
    for (py::ssize_t p = 0; p < n; ++p) {
        const Ledger::Row& r = l.row(rows[static_cast<std::size_t>(p)]);
        k[p] = static_cast<std::int8_t>(r.kind);
        d[p] = (r.day - epoch) * day_seconds;
        amt[p] = r.amount;
        rd[p] = (r.flags & Ledger::kReversed) != 0;
        const std::uint32_t own = Ledger::own_invoice(r);
        u[p] = own != Ledger::kNone ? (l.invoice(own).due - epoch) * day_seconds : nat;
    }
    // id; reverses: the id of the reversed entry
    for (py::ssize_t p = 0; p < n; ++p) {
        const std::size_t i = rows[static_cast<std::size_t>(p)];
        id.put(p, entry_id_str(i));
        refer(reverses, p, Ledger::reversed_row(l.row(i)), id, entry_id_str);
    }
    // reference; invoice: a payment's (or a payment reversal's) invoice number, the reference
    // of the invoice's row (a few rows back, usually: its str is still in the cache);
    // time_entry: time cost's time entry id (usually its reference too)
    for (py::ssize_t p = 0; p < n; ++p) {
        const std::size_t i = rows[static_cast<std::size_t>(p)];
        const Ledger::Row& r = l.row(i);
        const std::string_view ref = l.reference(i);
        reference.put(p, new_str(ref));
        refer(invoice, p, l.paid_invoice_row(r), reference, [&](std::size_t row) { return new_str(l.reference(row)); });
        if (const std::uint32_t carried = Ledger::time_entry_of(r); carried != Ledger::kNone) {
            const std::string& te = a.time_entries()[carried].id;
            if (te == ref)
                time_entry.share(p, reference.get(p));
            else
                time_entry.put(p, new_str(te));
        } else {
            time_entry.share(p, none);
        }
    }
    // client, job, recorded_by
    for (py::ssize_t p = 0; p < n; ++p) {
        const Ledger::Row& r = l.row(rows[static_cast<std::size_t>(p)]);
        if (r.flags & Ledger::kHasJob) {
            job.share(p, jobs[r.owner]);
            client.share(p, clients[l.client_of(r)]);
        } else {
            job.share(p, none);
            client.share(p, clients[r.owner]);
        }
        recorded_by.share(p, staff[r.recorded_by]);
    }
    py::dict out;
    out["id"] = id.array();
    out["kind"] = kind;
    out["date"] = date;
    out["client"] = client.array();
    out["job"] = job.array();
    out["amount"] = amount;
    out["reference"] = reference.array();
    out["recorded_by"] = recorded_by.array();
    out["due"] = due;
    out["invoice"] = invoice.array();
    out["reverses"] = reverses.array();
    out["reversed"] = reversed;
    out["time_entry"] = time_entry.array();
    out["currency"] = std::string(a.currency().code());
    return out;
}

// Agency._ledger_frame_columns(arrow=True): the same columns, the text ones as Arrow
// large_string buffers (ArrowTextColumn) instead of str objects: nulls where the str
// columns have `missing`, client, job and staff texts copied from fixed slots, ids counted
// up or formatted here. One pass over the selected rows (row_at(p) is the row at position
// p); with kAll every row is selected, so that an invoice number is the reference already
// written for the invoice's row. A big frame is built in parts on as many threads
// (build_in_parts): the numeric columns are shared, each part has text columns of its own
// (the chunks of the frame's Arrow columns).
template <bool kAll, class RowAt>
py::dict ledger_frame_arrow_columns(const Agency& a, py::ssize_t n, RowAt row_at) {
    const Ledger& l = a.ledger();
    SlotTexts clients(a.clients().size(), [&](std::size_t c) -> std::string_view { return a.clients()[c].code; });
    SlotTexts jobs(a.jobs().size(), [&](std::size_t j) -> std::string_view { return a.jobs()[j].number; });
    SlotTexts staff(a.staff_members().size(),
                    [&](std::size_t w) -> std::string_view { return a.staff_members()[w].id; });
    const std::size_t client_room = clients.max_write(), job_room = jobs.max_write(), staff_room = staff.max_write();
    const std::size_t parts = frame_parts(n);
    if (parts > 1)  // the helper threads only read the slots
        for (SlotTexts* slots : {&clients, &jobs, &staff}) slots->fill_all();
    // The text columns of the rows [begin, end) of one part, reserved for the values (they
    // grow if need be; pages never written are free).
    struct Texts {
        Texts(py::ssize_t m, std::size_t client_room, std::size_t job_room, std::size_t staff_room)
            : id(m, rows(m) * 10, false, "ledger.id"),
              client(m, rows(m) * client_room, false, "ledger.client"),
              job(m, rows(m) * job_room, true, "ledger.job"),
              reference(m, rows(m) * 16, false, "ledger.reference"),
              recorded_by(m, rows(m) * staff_room, false, "ledger.recorded_by"),
              invoice(m, rows(m) * 4, true, "ledger.invoice"),
              reverses(m, rows(m) / 64, true, "ledger.reverses"),
              time_entry(m, rows(m) / 64, true, "ledger.time_entry") {}
        static std::size_t rows(py::ssize_t m) { return static_cast<std::size_t>(m); }
        ArrowTextColumn id, client, job, reference, recorded_by, invoice, reverses, time_entry;
    };
    std::vector<std::optional<Texts>> texts(parts);
    NumericColumn<std::int8_t> kind(n);
    NumericColumn<std::int64_t> date(n, "datetime64[s]"), due(n, "datetime64[s]"), amount(n);
    NumericColumn<bool> reversed(n);
    auto* k = kind.data();
    auto* d = date.data();
    auto* u = due.data();
    auto* amt = amount.data();
    auto* rd = reversed.data();
    const std::int64_t epoch = Date(1970, 1, 1).day_number();
    constexpr std::int64_t nat = INT64_MIN;
    constexpr std::int64_t day_seconds = 86400;
    // Rows [begin, end); text values go to position p - begin of the part's columns.
    const auto build = [&](std::size_t part, py::ssize_t begin, py::ssize_t end) {
        Texts& t = texts[part].emplace(end - begin, client_room, job_room, staff_room);
        // Rows name jobs and invoices in no order: what row p + kAhead needs starts loading
        // into the cache at row p (an invoice number's bytes at row p + kAhead / 2, once its
        // offsets are in). With kAll, an invoice's reference is in this part's column when
        // its row is in this part.
        constexpr py::ssize_t kAhead = 16;
        const auto paid_here = [&](const Ledger::Row& f) {
            return f.kind == EntryKind::Payment && !(f.flags & Ledger::kReversal) &&
                   static_cast<py::ssize_t>(f.link) >= begin;
        };
        const auto prefetch = [&](py::ssize_t p) {
            if (p + kAhead < end) {
                const Ledger::Row& f = l.row(row_at(static_cast<std::size_t>(p + kAhead)));
                if (f.flags & Ledger::kHasJob) jobs.prefetch(f.owner);
                if constexpr (kAll)
                    if (paid_here(f)) t.reference.prefetch_offsets(static_cast<py::ssize_t>(f.link) - begin);
            }
            if constexpr (kAll)
                if (p + kAhead / 2 < end) {
                    const Ledger::Row& f = l.row(static_cast<std::size_t>(p + kAhead / 2));
                    // only a value already committed (rows before p): the offsets of a later
                    // row are not written yet, and the buffer holds whatever it held
                    if (paid_here(f) && static_cast<py::ssize_t>(f.link) < p)
                        t.reference.prefetch_value(static_cast<py::ssize_t>(f.link) - begin);
                }
        };
        for (py::ssize_t p = begin; p < end; ++p) {
            prefetch(p);
            const py::ssize_t q = p - begin;
            const std::size_t i = row_at(static_cast<std::size_t>(p));
            const Ledger::Row& r = l.row(i);
            k[p] = static_cast<std::int8_t>(r.kind);
            d[p] = (r.day - epoch) * day_seconds;
            amt[p] = r.amount;
            rd[p] = (r.flags & Ledger::kReversed) != 0;
            const std::uint32_t own = Ledger::own_invoice(r);
            u[p] = own != Ledger::kNone ? (l.invoice(own).due - epoch) * day_seconds : nat;
            t.id.commit(q, write_entry_id(t.id.reserve(32), i));
            if (const std::uint32_t reversed_row = Ledger::reversed_row(r); reversed_row != Ledger::kNone)
                t.reverses.commit(q, write_entry_id(t.reverses.reserve(32), reversed_row));
            else
                t.reverses.null(q);
            t.reference.add(q, l.reference(i));
            if (const std::uint32_t invoice_row = l.paid_invoice_row(r); invoice_row != Ledger::kNone) {
                if (kAll && static_cast<py::ssize_t>(invoice_row) >= begin)
                    t.invoice.add(q, t.reference.value(static_cast<py::ssize_t>(invoice_row) - begin));  // an earlier row
                else
                    t.invoice.add(q, l.reference(invoice_row));
            } else {
                t.invoice.null(q);
            }
            if (const std::uint32_t carried = Ledger::time_entry_of(r); carried != Ledger::kNone)
                t.time_entry.add(q, a.time_entries()[carried].id);
            else
                t.time_entry.null(q);
            if (r.flags & Ledger::kHasJob)
                t.job.commit(q, jobs.copy_to(t.job.reserve(job_room), r.owner));
            else
                t.job.null(q);
            t.client.commit(q, clients.copy_to(t.client.reserve(client_room), l.client_of(r)));
            t.recorded_by.commit(q, staff.copy_to(t.recorded_by.reserve(staff_room), r.recorded_by));
        }
    };
    if (parts == 1)
        build(0, 0, n);
    else
        build_in_parts(n, parts, build);
    // Texts not checked above (ids are ASCII; client, job and staff texts are checked in SlotTexts).
    for (std::size_t part = 0; part < parts; ++part) {
        Texts& t = *texts[part];
        t.reference.check_utf8();
        if (!kAll || part > 0) t.invoice.check_utf8();  // some invoice numbers were not checked as references
        t.time_entry.check_utf8();
    }
    py::dict out;
    const auto chunks = [&](ArrowTextColumn Texts::*column) {
        return text_chunks(parts, [&](std::size_t part) -> ArrowTextColumn& { return (*texts[part]).*column; });
    };
    out["id"] = chunks(&Texts::id);
    out["kind"] = kind.finish();
    out["date"] = date.finish();
    out["client"] = chunks(&Texts::client);
    out["job"] = chunks(&Texts::job);
    out["amount"] = amount.finish();
    out["reference"] = chunks(&Texts::reference);
    out["recorded_by"] = chunks(&Texts::recorded_by);
    out["due"] = due.finish();
    out["invoice"] = chunks(&Texts::invoice);
    out["reverses"] = chunks(&Texts::reverses);
    out["reversed"] = reversed.finish();
    out["time_entry"] = chunks(&Texts::time_entry);
    out["currency"] = std::string(a.currency().code());
    return out;
}

}  // namespace

py::dict ledger_frame_columns(const Agency& a, const std::optional<std::string>& client_code,
                              const std::optional<std::string>& job_number, const std::optional<Date>& from,
                              const std::optional<Date>& to, const py::object& missing, bool arrow) {
    if (arrow && !client_code && !job_number && !from && !to)  // every row: row = position
        return ledger_frame_arrow_columns<true>(a, static_cast<py::ssize_t>(a.ledger().size()),
                                                [](std::size_t p) { return p; });
    const Selection selection = select_rows(a, client_code, job_number, from, to);
    if (!arrow) return ledger_frame_str_columns(a, selection, missing);
    const std::vector<std::uint32_t>& rows = selection.rows;
    return ledger_frame_arrow_columns<false>(a, static_cast<py::ssize_t>(rows.size()),
                                             [&rows](std::size_t p) -> std::size_t { return rows[p]; });
}

// Agency.monthly_flows(): the whole book by (client, job, month) as numpy columns.
py::dict monthly_flows(const Agency& a) {
    MonthlyFlows f;
    {
        py::gil_scoped_release release;
        f = a.monthly_flows();
    }
    auto column = [](auto& v) {  // the vector's buffer, handed to numpy without a copy
        using Vector = std::decay_t<decltype(v)>;
        auto owned = std::make_unique<Vector>(std::move(v));
        py::capsule owner(owned.get(), [](void* p) { delete static_cast<Vector*>(p); });
        const Vector& held = *owned.release();  // the capsule owns it now
        return py::array_t<typename Vector::value_type>(static_cast<py::ssize_t>(held.size()), held.data(), owner);
    };
    py::dict out;
    out["client"] = column(f.client);
    out["job"] = column(f.job);
    out["month"] = column(f.month);
    static constexpr const char* kNames[5] = {"estimate", "committed", "actual", "billed", "collected"};
    for (std::size_t k = 0; k < 5; ++k) out[kNames[k]] = column(f.sums[k]);
    py::list clients, jobs;
    for (const Client& x : a.clients()) clients.append(x.code);
    for (const JobTicket& x : a.jobs()) jobs.append(x.number);
    out["clients"] = clients;
    out["jobs"] = jobs;
    out["currency"] = std::string(a.currency().code());
    return out;
}

void ledger(py::module_& m) {
    m.def("_frame_memory_kept", [] { return MappingCache::instance().held(); },
          "Bytes of dropped frames' column memory kept for the next frame's columns (for tests).");
    native_enum_from_names<EntryKind>(m, "MB-3: ledger entry kinds.");
    native_enum_from_names<EstimateStatus>(m, "MB-2: cost estimate version states.");
    native_enum_from_names<AgingBasis>(m, "MB-5: age open invoices from the due date or the invoice date.");
    native_enum_from_names<Escalation>(m, "MB-6: who chases an overdue invoice.");
    native_enum_from_names<CreditStatus>(m, "MB-6: a client's credit status.");

    py::class_<CostEstimate>(m, "CostEstimate", "MB-2: one version of a job's cost estimate (a snapshot).")
        .def_property_readonly("id", &CostEstimate::id, "\"<job>/v<version>\"")
        .def_readonly("job", &CostEstimate::job, "Job number (str).")
        .def_readonly("version", &CostEstimate::version,
                      "Version (int): 1 is the original estimate, every later one a change order.")
        .def_readonly("amount", &CostEstimate::amount, "Estimated cost (Money, agency currency).")
        .def_readonly("note", &CostEstimate::note, "Scope, or the reason for the change order (str).")
        .def_readonly("prepared_by", &CostEstimate::prepared_by, "Staff id of who prepared it (str).")
        .def_readonly("prepared_at", &CostEstimate::prepared_at, "When it was prepared (datetime.datetime).")
        .def_readonly("status", &CostEstimate::status,
                      "aecore.EstimateStatus: DRAFT, CLIENT_APPROVED, SUPERSEDED or WITHDRAWN.")
        .def_readonly("approved_by", &CostEstimate::approved_by, "The client contact who approved it.")
        .def_readonly("approved_at", &CostEstimate::approved_at,
                      "When the client approved it (datetime.datetime), or None.")
        .def("__eq__", [](const CostEstimate& a, const CostEstimate& b) { return a == b; }, py::is_operator());

    py::class_<LedgerEntry>(m, "LedgerEntry", "MB-3: one ledger entry (a snapshot; the ledger is append-only).")
        .def_readonly("id", &LedgerEntry::id, "Entry id (str): 'L00000001', ... in posting order.")
        .def_readonly("kind", &LedgerEntry::kind, "aecore.EntryKind (MB-3).")
        .def_readonly("date", &LedgerEntry::date, "Date of the entry (datetime.date).")
        .def_readonly("client", &LedgerEntry::client, "Client code (str).")
        .def_readonly("job", &LedgerEntry::job,
                      "Job number (str), or None for a client-level invoice (e.g. a service fee) and its payments.")
        .def_readonly("amount", &LedgerEntry::amount,
                      "Amount (Money, agency currency); negative for credit notes, reversals, lowered estimates and "
                      "negative time corrections.")
        .def_readonly("reference", &LedgerEntry::reference,
                      "PO, booking, vendor invoice, invoice number, bank reference or the reversal's reason; the "
                      "estimate id for an Estimate, the time entry id for time cost (str).")
        .def_readonly("recorded_by", &LedgerEntry::recorded_by,
                      "Staff id of who recorded it (str); the approver for time cost, the preparer for an estimate.")
        .def_readonly("due", &LedgerEntry::due, "Invoice: the due date (datetime.date); None for other entries.")
        .def_readonly("invoice", &LedgerEntry::invoice,
                      "Payment (or its reversal): the number of the invoice it settles; None otherwise.")
        .def_readonly("reverses", &LedgerEntry::reverses, "A reversing entry: the id of the entry it reverses; else None.")
        .def_readonly("reversed", &LedgerEntry::reversed, "True when a later entry reverses this one.")
        .def_readonly("time_entry", &LedgerEntry::time_entry,
                      "Time cost: the id of the approved time entry it carries; None otherwise.")
        .def_readonly("estimate_version", &LedgerEntry::estimate_version,
                      "Estimate: the approved version (int); None otherwise.")
        .def_readonly("media_booking", &LedgerEntry::media_booking, "Commitment: True for a media booking.")
        .def_readonly("confirmation", &LedgerEntry::confirmation,
                      "Media booking: the client's written confirmation reference (str); None otherwise.")
        .def_readonly("contract", &LedgerEntry::contract,
                      "Invoice: the id of the contract whose service fee it bills (CL-7), or None.")
        .def("__eq__", [](const LedgerEntry& a, const LedgerEntry& b) { return a == b; }, py::is_operator());

    py::class_<LedgerFlows>(m, "LedgerFlows", "Sums of each entry kind over a period (reversals netted).")
        .def_readonly("estimate", &LedgerFlows::estimate, "Approved estimate changes (Money, agency currency).")
        .def_readonly("committed", &LedgerFlows::committed, "Commitments: purchase orders and media bookings (Money).")
        .def_readonly("actual", &LedgerFlows::actual, "Actual costs: vendor invoices and time cost (Money).")
        .def_readonly("billed", &LedgerFlows::billed, "Invoices net of credit notes (Money).")
        .def_readonly("collected", &LedgerFlows::collected, "Payments collected (Money).")
        .def("__eq__", [](const LedgerFlows& a, const LedgerFlows& b) { return a == b; }, py::is_operator());
    py::class_<ReconciliationRow>(m, "ReconciliationRow", "MB-4: one job of the reconciliation (job None: client level).")
        .def_readonly("job", &ReconciliationRow::job,
                      "Job number (str), or None on the client-level line and the totals row.")
        .def_readonly("title", &ReconciliationRow::title, "Job title, 'Client-level billing' or 'Total' (str).")
        .def_readonly("month", &ReconciliationRow::month, "LedgerFlows of the entries dated in the month.")
        .def_readonly("ytd", &ReconciliationRow::ytd, "LedgerFlows from 1 January to the month's end.")
        .def_readonly("to_date", &ReconciliationRow::to_date, "LedgerFlows of every entry up to the month's end.")
        .def_readonly("estimate", &ReconciliationRow::estimate,
                      "Approved estimate at the month's end (Money; = to_date.estimate).")
        .def_readonly("variance", &ReconciliationRow::variance,
                      "To-date actual - estimate (Money; positive is an overrun).")
        .def_readonly("unbilled_wip", &ReconciliationRow::unbilled_wip, "To-date actual - billed (Money).")
        .def_readonly("receivable", &ReconciliationRow::receivable, "To-date billed - collected (Money).")
        .def("__eq__", [](const ReconciliationRow& a, const ReconciliationRow& b) { return a == b; }, py::is_operator());
    py::class_<ReconciliationReport>(m, "ReconciliationReport",
                                     "MB-4: a client's monthly budget reconciliation with year to date.")
        .def_readonly("client", &ReconciliationReport::client, "Client code (str).")
        .def_property_readonly("month", [](const ReconciliationReport& r) { return r.month.to_string(); },
                               "\"YYYY-MM\"")
        .def_property_readonly("period_start", [](const ReconciliationReport& r) { return r.month.first_day(); },
                               "First day of the month (datetime.date).")
        .def_property_readonly("period_end", [](const ReconciliationReport& r) { return r.month.last_day(); },
                               "Last day of the month (datetime.date).")
        .def_readonly("rows", &ReconciliationReport::rows,
                      "One ReconciliationRow per job with entries, by job number; the client-level line last.")
        .def_readonly("total", &ReconciliationReport::total,
                      "The totals row: the sum of `rows`, equal to the ledger's totals for the client (MB-4).")
        .def_readonly("annual_budget", &ReconciliationReport::annual_budget,
                      "The client's annual advertising budget (Money).")
        .def_readonly("year_billed", &ReconciliationReport::year_billed,
                      "Billed from 1 January to the month's end (Money; = total.ytd.billed).")
        .def_readonly("budget_remaining", &ReconciliationReport::budget_remaining,
                      "annual_budget - year_billed (Money; negative when over budget).")
        .def_readonly("budget_used", &ReconciliationReport::budget_used, "year_billed / annual_budget (Decimal, 4 places).");

    py::class_<AgingBuckets>(m, "AgingBuckets", "MB-5: open balances by days past the basis date.")
        .def_readonly("current", &AgingBuckets::current, "Open balance not yet past the basis date (Money).")
        .def_readonly("days_1_30", &AgingBuckets::days_1_30, "Open balance 1-30 days past the basis date (Money).")
        .def_readonly("days_31_60", &AgingBuckets::days_31_60, "Open balance 31-60 days past the basis date (Money).")
        .def_readonly("days_61_90", &AgingBuckets::days_61_90, "Open balance 61-90 days past the basis date (Money).")
        .def_readonly("over_90", &AgingBuckets::over_90, "Open balance more than 90 days past the basis date (Money).")
        .def_readonly("total", &AgingBuckets::total, "Sum of the buckets (Money).")
        .def("__eq__", [](const AgingBuckets& a, const AgingBuckets& b) { return a == b; }, py::is_operator());
    py::class_<OpenItem>(m, "OpenItem", "MB-5: an invoice or credit note open on the as-of date.")
        .def_readonly("invoice", &OpenItem::invoice, "Invoice number (str).")
        .def_readonly("client", &OpenItem::client, "Client code (str).")
        .def_readonly("job", &OpenItem::job, "Job number (str), or None for a client-level invoice.")
        .def_readonly("date", &OpenItem::date, "Invoice date (datetime.date).")
        .def_readonly("due", &OpenItem::due, "Due date (datetime.date).")
        .def_readonly("amount", &OpenItem::amount, "Amount as invoiced (Money; negative for a credit note).")
        .def_readonly("open", &OpenItem::open, "Open balance after the payments up to the as-of date (Money).")
        .def_readonly("days", &OpenItem::days, "Days past the basis date (negative: not yet due).")
        .def("__eq__", [](const OpenItem& a, const OpenItem& b) { return a == b; }, py::is_operator());
    py::class_<AgingRow>(m, "AgingRow", "MB-5: one client's aging and DSO.")
        .def_readonly("client", &AgingRow::client, "Client code (str; '' on the totals row).")
        .def_readonly("buckets", &AgingRow::buckets, "AgingBuckets of the open balances.")
        .def_readonly("billed", &AgingRow::billed, "Billings over the DSO window.")
        .def_readonly("dso", &AgingRow::dso, "Days sales outstanding (Decimal, 1 place); None without billings.")
        .def("__eq__", [](const AgingRow& a, const AgingRow& b) { return a == b; }, py::is_operator());
    py::class_<AgingReport>(m, "AgingReport", "MB-5: receivables aging on a date.")
        .def_readonly("as_of", &AgingReport::as_of, "The as-of date (datetime.date); later payments are ignored.")
        .def_readonly("basis", &AgingReport::basis, "aecore.AgingBasis: DUE_DATE or INVOICE_DATE.")
        .def_readonly("dso_days", &AgingReport::dso_days, "The DSO window in days (int).")
        .def_readonly("rows", &AgingReport::rows,
                      "One AgingRow per client with a non-zero open balance, by client code.")
        .def_readonly("total", &AgingReport::total, "AgingRow of all clients together (client '').")
        .def_readonly("items", &AgingReport::items,
                      "The open invoices and credit notes behind the buckets (list of OpenItem), by client, then date.");
    py::class_<CollectionItem>(m, "CollectionItem", "MB-6: an overdue invoice and who chases it.")
        .def_readonly("invoice", &CollectionItem::invoice, "Invoice number (str).")
        .def_readonly("client", &CollectionItem::client, "Client code (str).")
        .def_readonly("due", &CollectionItem::due, "Due date (datetime.date).")
        .def_readonly("days_past_due", &CollectionItem::days_past_due, "Days past the due date on the as-of date (int).")
        .def_readonly("open", &CollectionItem::open, "Open balance on the as-of date (Money).")
        .def_readonly("level", &CollectionItem::level,
                      "aecore.Escalation AE, AM or AD, by days past due (Policy.escalation_days, MB-6).")
        .def_readonly("owner", &CollectionItem::owner,
                      "Staff id of the client's team member at that level on the as-of date, or None when there is "
                      "none.")
        .def("__eq__", [](const CollectionItem& a, const CollectionItem& b) { return a == b; }, py::is_operator());
    py::class_<Profitability>(m, "Profitability", "MB-7: billed revenue - (vendor costs + time cost).")
        .def_readonly("client", &Profitability::client, "Client code (str).")
        .def_readonly("job", &Profitability::job,
                      "Job number (str), or None on a per-client row and for client-level billing.")
        .def_readonly("billed", &Profitability::billed, "Invoices net of credit notes in the period (Money).")
        .def_readonly("vendor_cost", &Profitability::vendor_cost, "Vendor invoices (actual costs) in the period (Money).")
        .def_readonly("time_cost", &Profitability::time_cost, "Cost of approved time in the period (Money).")
        .def_readonly("profit", &Profitability::profit, "billed - (vendor_cost + time_cost) (Money).")
        .def_readonly("margin", &Profitability::margin, "profit / billed (Decimal, 4 places); None when nothing billed.")
        .def("__eq__", [](const Profitability& a, const Profitability& b) { return a == b; }, py::is_operator());
    py::class_<HandoverStatement>(m, "HandoverStatement", "CL-7: the finance hand-over statement at a contract's end.")
        .def_readonly("client", &HandoverStatement::client, "Client code (str).")
        .def_readonly("contract", &HandoverStatement::contract, "Contract id (str), e.g. 'T01'.")
        .def_readonly("start", &HandoverStatement::start, "Contract start (datetime.date).")
        .def_readonly("end", &HandoverStatement::end, "Contract end, inclusive (datetime.date).")
        .def_readonly("monthly_fee", &HandoverStatement::monthly_fee, "Monthly service fee (Money).")
        .def_readonly("months", &HandoverStatement::months,
                      "Service months from the start date (int; a part month counts whole).")
        .def_readonly("fees_due", &HandoverStatement::fees_due, "monthly_fee x months (Money).")
        .def_readonly("fees_invoiced", &HandoverStatement::fees_invoiced,
                      "Invoices against the contract up to the as-of date (Money).")
        .def_readonly("fees_collected", &HandoverStatement::fees_collected,
                      "Payments on those invoices up to the as-of date (Money).")
        .def_readonly("unpaid_fees", &HandoverStatement::unpaid_fees, "fees_due - fees_collected (Money).")
        .def_readonly("uninvoiced_fees", &HandoverStatement::uninvoiced_fees, "fees_due - fees_invoiced (Money).")
        .def_readonly("invoiced_in_term", &HandoverStatement::invoiced_in_term,
                      "Every invoice to the client dated within the contract term (Money).")
        .def_readonly("open_receivable", &HandoverStatement::open_receivable,
                      "The client's whole open balance on the as-of date (Money).")
        .def_readonly("as_of", &HandoverStatement::as_of,
                      "The date the statement is taken at (datetime.date): the contract end unless given.")
        .def("__eq__", [](const HandoverStatement& a, const HandoverStatement& b) { return a == b; }, py::is_operator());

    auto agency = py::reinterpret_borrow<py::class_<Agency>>(m.attr("Agency"));
    agency
        .def(
            "prepare_estimate",
            [](Agency& a, std::string job, const py::object& amount, std::string prepared_by, const DateTime& at,
               std::string note) {
                return a.prepare_estimate(NewEstimate{std::move(job), book_money(a, amount, "estimate.amount"),
                                                      std::move(note), std::move(prepared_by), at});
            },
            py::arg("job"), py::kw_only(), py::arg("amount"), py::arg("prepared_by"), py::arg("prepared_at"),
            py::arg("note") = "", py::return_value_policy::copy,
            R"doc(MB-2: a new Draft version of the job's cost estimate (a change order after the first).

job: job number; amount: Money, str, int or decimal.Decimal in the agency currency, more
than zero; prepared_by: staff id; prepared_at: datetime.datetime. A pending Draft is
withdrawn by the next one. Returns the CostEstimate. Raises NotFoundError (MB-2 unknown
job or preparer), StateError (MB-2: cancelled job, 999 versions), ValidationError (MB-2:
amount not above zero, prepared before the job was opened or the previous version,
inactive preparer; MB-1: a float or another currency).)doc")
        .def("approve_estimate", &Agency::approve_estimate, py::arg("job"), py::arg("version"), py::kw_only(),
             py::arg("contact"), py::arg("at"), py::return_value_policy::copy,
             R"doc(MB-2: the client's contact approves a Draft version of the job's estimate at `at`.

The previously approved version is superseded and the ledger gets an Estimate entry for
the change. Returns the CostEstimate. Raises NotFoundError (MB-2: unknown job or version,
a contact not of the job's client), StateError (MB-2: cancelled job, a version that is not
Draft), ValidationError (MB-2: `at` before the version was prepared or the previous
approval; MB-3: before the client's first contact).)doc")
        .def("estimates", &Agency::estimates, py::arg("job"),
             "MB-2: every version of the job's estimate (list of CostEstimate), oldest first. Raises NotFoundError "
             "(JT-1).")
        .def_property_readonly("cost_estimates", [](const Agency& a) { return a.cost_estimates(); },
                               "Every CostEstimate version of every job (snapshots), in the order prepared.")
        .def("approved_estimate", &Agency::approved_estimate, py::arg("job"), py::arg("as_of"),
             "MB-2: the client-approved estimate in force at the close of `as_of` (Money), or None. Raises "
             "NotFoundError (JT-1).")
        .def(
            "commit_cost",
            [](Agency& a, std::string job, const Date& date, const py::object& amount, std::string reference,
               std::string recorded_by, bool media_booking, std::optional<std::string> confirmation) {
                return a.commit_cost(NewCommitment{std::move(job), date, book_money(a, amount, "commitment.amount"),
                                                   std::move(reference), std::move(recorded_by), media_booking,
                                                   std::move(confirmation)});
            },
            py::arg("job"), py::kw_only(), py::arg("date"), py::arg("amount"), py::arg("reference"),
            py::arg("recorded_by"), py::arg("media_booking") = false, py::arg("confirmation") = py::none(),
            R"doc(MB-3: post a commitment, a purchase order or media booking, and return its LedgerEntry.

job: job number; date: datetime.date; amount: Money/str/int/Decimal in the agency currency,
more than zero; reference: the PO or booking number; recorded_by: staff id; a media
booking needs `confirmation`, the client's written confirmation. The job needs a
client-approved estimate; above it the overspend policy applies (MB-2). Raises
NotFoundError (MB-3 unknown job or recorder), StateError (MB-3 cancelled job, MB-2 no
approved estimate on `date`), ValidationError (MB-2 above the estimate with overspend
STOP; MB-3 amount not above zero, missing reference or confirmation, date before the
client's first contact; MB-1 a float or another currency).)doc")
        .def(
            "record_cost",
            [](Agency& a, std::string job, const Date& date, const py::object& amount, std::string reference,
               std::string recorded_by) {
                return a.record_cost(NewActualCost{std::move(job), date, book_money(a, amount, "cost.amount"),
                                                   std::move(reference), std::move(recorded_by)});
            },
            py::arg("job"), py::kw_only(), py::arg("date"), py::arg("amount"), py::arg("reference"),
            py::arg("recorded_by"),
            R"doc(MB-3: post a vendor invoice (actual cost) and return its LedgerEntry.

Arguments as for commit_cost; reference is the vendor's invoice number. Approved time
reaches the ledger by itself (approve_time). Raises NotFoundError (MB-3), StateError (MB-3
cancelled job, MB-2 no approved estimate on `date`), ValidationError (MB-2 above the
estimate with overspend STOP; MB-3 amount not above zero, missing reference, date before
the client's first contact; MB-1 a float or another currency).)doc")
        .def(
            "issue_invoice",
            [](Agency& a, std::string number, const Date& date, const Date& due, const py::object& amount,
               std::string recorded_by, std::optional<std::string> job, std::optional<std::string> client,
               std::optional<std::string> contract) {
                return a.issue_invoice(NewInvoice{std::move(number), std::move(job), std::move(client),
                                                  std::move(contract), date, due,
                                                  book_money(a, amount, "invoice.amount"), std::move(recorded_by)});
            },
            py::arg("number"), py::kw_only(), py::arg("date"), py::arg("due"), py::arg("amount"),
            py::arg("recorded_by"), py::arg("job") = py::none(), py::arg("client") = py::none(),
            py::arg("contract") = py::none(),
            R"doc(MB-3: issue an invoice and return its LedgerEntry.

number: the invoice number (1-64 printable characters, never reused); date / due:
datetime.date; amount: Money/str/int/Decimal in the agency currency, negative for a credit
note; bills the client of `job`, or `client` directly (e.g. a `contract`'s service fee,
CL-7). Raises NotFoundError (MB-3 unknown job, client or recorder; CL-7 unknown contract),
StateError (MB-3 cancelled job), ValidationError (MB-3: a used or malformed number, zero
amount, due before date, neither job nor client, a client other than the job's, date
before the client's first contact; MB-1 a float or another currency).)doc")
        .def(
            "record_payment",
            [](Agency& a, std::string invoice, const Date& date, const py::object& amount, std::string recorded_by,
               std::string reference) {
                return a.record_payment(NewPayment{std::move(invoice), date, book_money(a, amount, "payment.amount"),
                                                   std::move(reference), std::move(recorded_by)});
            },
            py::arg("invoice"), py::kw_only(), py::arg("date"), py::arg("amount"), py::arg("recorded_by"),
            py::arg("reference") = "",
            R"doc(MB-3: record a payment against an invoice and return its LedgerEntry.

invoice: the invoice number; date: datetime.date the money came in; amount:
Money/str/int/Decimal in the agency currency, more than zero and at most the invoice's open
balance (on `date` and on every day since); recorded_by: staff id; reference: e.g. the
bank reference. A payment more than Policy.late_payment_days after the due date marks the
client's credit Late (MB-6). Raises NotFoundError (MB-3 unknown invoice or recorder),
StateError (MB-3 a reversed invoice), ValidationError (MB-3: amount not above zero or above
the open balance, dated before the invoice or the client's first contact; MB-1 a float or
another currency).)doc")
        .def("reverse_entry", &Agency::reverse_entry, py::arg("entry"), py::kw_only(), py::arg("date"),
             py::arg("reason"), py::arg("recorded_by"),
             R"doc(MB-3: correct the entry `entry` (id 'L00000001', ...) by a reversing one; entries are never edited.

date: datetime.date, not before the entry (for an invoice, not before its last payment);
reason: required, stored as the reference; recorded_by: staff id. Returns the reversing
LedgerEntry. Raises NotFoundError (MB-3), StateError (MB-3: a reversal, an entry already
reversed, an invoice with payments (reverse them first); MB-2: an estimate, which changes
by a new version; JT-10: time cost, which changes by a time correction), ValidationError
(MB-3: date too early, empty reason).)doc")
        .def_property_readonly("ledger_size", &Agency::ledger_size, "Number of ledger entries.")
        .def_property_readonly(
            "ledger_memory_bytes", [](const Agency& a) { return a.ledger().memory_bytes(); },
            "Bytes the ledger holds in memory (rows, reference text, indexes), for capacity planning.")
        .def("monthly_flows", &monthly_flows,
             R"doc(MB-4 for the whole book: the ledger summed by (client, job, month, entry kind), as numpy columns.

Returns a dict with one element per (client, job or client level, month) that has entries,
ordered by client, month, job: client (int32 index into "clients"), job (int32 index into
"jobs", -1 for client-level entries), month (int32, year * 12 + month - 1), and int64 minor
units estimate, committed, actual, billed, collected (sums of the Estimate, Commitment,
ActualCost, Invoice and Payment entries, reversals included); plus the lookup lists and
currency. Runs in C++ without the GIL in O(entries). Agency.monthly_flows_frame() is the
DataFrame view with the variances.)doc")
        .def("ledger_columns", &ledger_columns,
             R"doc(The whole ledger as numpy columns, one element per entry in posting order, built in C++.

Returns a dict: kind (int8, aecore.EntryKind values), date and due (datetime64[D]; due is
NaT except on invoices), client (int32 index into "clients"), job (int32 index into
"jobs", -1 for client-level entries), amount (int64 minor units of the agency currency),
link (int64 row: a payment's invoice, an invoice itself, the row a reversal reverses, else
-1), recorded_by (int32 index into "staff"), reversal and reversed (bool), and the lookup
lists clients (client codes), jobs (job numbers) and staff (staff ids), plus currency.
The fast path behind large DataFrames: about 10 ns per entry. Needs numpy.)doc")
        .def("_ledger_frame_columns", &ledger_frame_columns, py::kw_only(), py::arg("client") = py::none(),
             py::arg("job") = py::none(), py::arg("start") = py::none(), py::arg("end") = py::none(),
             py::arg("missing") = py::none(), py::arg("arrow") = false,
             R"doc(The columns behind Agency.ledger_frame(): the entries ledger_entries() returns for the same filters
(same errors), built in C++ without a LedgerEntry per row.

Returns a dict of numpy arrays, one element per entry in posting order: id, client, job,
reference, recorded_by, invoice, reverses, time_entry (object arrays of str, `missing`
where the LedgerEntry field is None), kind (int8, aecore.EntryKind values), date and due
(datetime64[s], due NaT except on invoices), amount (int64 minor units), reversed (bool);
plus currency (str). With arrow=True each text column is instead a tuple (offsets,
data, validity, null_count) of Arrow large_string buffers: int64 offsets (n + 1), UTF-8
bytes (uint8; may run past the last offset), the validity bitmap (uint8, least
significant bit first; None without nulls) and the number of nulls (None fields); a big
frame, built in parts on several threads, has a list of such tuples per text column (the
chunks of one Arrow ChunkedArray).)doc")
        .def("get_ledger_entry", py::overload_cast<std::string_view>(&Agency::ledger_entry, py::const_), py::arg("id"),
             "The LedgerEntry with `id` (e.g. 'L00000001'); raises NotFoundError (MB-3).")
        .def("ledger_entries", &Agency::ledger_entries, py::kw_only(), py::arg("client") = py::none(),
             py::arg("job") = py::none(), py::arg("start") = py::none(), py::arg("end") = py::none(),
             "Ledger entries (list of LedgerEntry) in posting order, optionally of one client or job, dated within "
             "[start, end] (datetime.date). Raises NotFoundError (CL-1 client, JT-1 job).")
        .def("open_balance", &Agency::open_balance, py::arg("invoice"), py::arg("as_of") = py::none(),
             "An invoice's open balance (Money) now, or at the close of `as_of` (datetime.date). Raises "
             "NotFoundError (MB-3) for an unknown invoice number.")
        .def(
            "reconcile",
            [](const Agency& a, std::string_view client, const py::object& month) {
                const YearMonth ym = month_arg(month);
                py::gil_scoped_release release;
                return a.reconcile(client, ym);
            },
            py::arg("client"), py::kw_only(), py::arg("month"),
            R"doc(MB-4: the client's monthly budget reconciliation, with year to date.

client: client code; month: "YYYY-MM" or a datetime.date in the month. Returns a
ReconciliationReport: per job the approved estimate, committed, actual, billed, collected,
variance, unbilled WIP and receivable (Money in the agency currency), the client's annual
budget against the year's billings, and a totals row that balances to the ledger exactly.
Raises NotFoundError (CL-1) for an unknown client, ValidationError (MB-4) for a malformed
month or one outside the years 1401-9998, TypeError for a month of another type (a
datetime.datetime included).)doc")
        .def("aging", &Agency::aging, py::arg("as_of"), py::kw_only(), py::arg("basis") = AgingBasis::DueDate,
             py::arg("dso_days") = 90, py::call_guard<py::gil_scoped_release>(),
             "MB-5: receivables aging (AgingReport) at the close of `as_of` (payments dated later are ignored), by "
             "days past the due date or, with basis=AgingBasis.INVOICE_DATE, the invoice date, with DSO over the "
             "trailing `dso_days`. Raises ValidationError (MB-5) for dso_days outside 1-3660 or as_of outside the "
             "years 1401-9998.")
        .def("collections", &Agency::collections, py::arg("as_of"), py::call_guard<py::gil_scoped_release>(),
             "MB-6: invoices with an open balance at least Policy.escalation_days[0] days past due on `as_of` "
             "(list of CollectionItem) with the escalation level and who chases each, most overdue first.")
        .def("credit_status", &Agency::credit_status, py::arg("client"), py::arg("as_of"),
             "MB-6: the client's aecore.CreditStatus on `as_of`: LATE after a payment more than "
             "Policy.late_payment_days past due in the trailing 12 months, or an invoice still open that long "
             "after its due date; else GOOD. Raises NotFoundError (CL-1).")
        .def(
            "profitability",
            [](const Agency& a, const Date& start, const Date& end, const std::string& by) {
                if (by != "job" && by != "client")
                    throw ValidationError("MB-7", "by", quote(by), "expected \"job\" or \"client\"");
                py::gil_scoped_release release;
                return a.profitability(start, end, by == "client");
            },
            py::arg("start"), py::arg("end"), py::kw_only(), py::arg("by") = "job",
            "MB-7: billed revenue - (vendor costs + time cost) of the entries dated in [start, end], per job "
            "(by='job') or client (by='client'); list of Profitability. Raises ValidationError (MB-7) for end "
            "before start or another `by`.")
        .def("handover_statement", &Agency::handover_statement, py::arg("client"), py::arg("contract"),
             py::arg("as_of") = py::none(),
             "CL-7: the finance hand-over statement of a contract (HandoverStatement) as of its end, or `as_of`. "
             "Raises NotFoundError (CL-1 client, CL-7 contract).");
}

}  // namespace aecore::bind
