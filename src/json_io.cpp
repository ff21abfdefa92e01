#include "json_io.hpp"

#include <boost/date_time/gregorian/gregorian.hpp>
#include <boost/date_time/posix_time/posix_time.hpp>
#include <charconv>
#include <condition_variable>
#include <mutex>
#include <system_error>
#include <thread>

#include "json_text.hpp"

namespace aecore::json_io {

namespace bg = boost::gregorian;
namespace bp = boost::posix_time;

namespace {
std::string json_kind(const Json& j) {
    switch (j.type()) {
        case Json::value_t::null: return "null";
        case Json::value_t::object: return "an object";
        case Json::value_t::array: return "an array";
        case Json::value_t::string: return "a string";
        case Json::value_t::boolean: return "a boolean";
        case Json::value_t::number_float: return "a fractional number";
        case Json::value_t::number_integer:
        case Json::value_t::number_unsigned: return "an integer";
        default: return "an unsupported value";
    }
}

std::string shown(const Json& j) {
    if (j.is_string()) return quote(j.get_ref<const std::string&>());
    if (j.is_object()) return "{...}";
    if (j.is_array()) return "[...]";
    return j.dump();
}

// A member's or an element's path, built in one allocation: a load makes tens of millions.
std::string child_path(const std::string& parent, std::string_view key) {
    std::size_t escaped = 0;
    for (char c : key) escaped += c == '~' || c == '/';
    std::string p;
    p.reserve(parent.size() + 1 + key.size() + escaped);
    p.append(parent);
    p += '/';
    if (escaped == 0) {
        p.append(key);
        return p;
    }
    for (char c : key) {  // RFC 6901 escaping
        if (c == '~') p += "~0";
        else if (c == '/') p += "~1";
        else p += c;
    }
    return p;
}

std::string element_path(const std::string& parent, std::size_t i) {
    char digits[24];
    const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, i);
    (void)ec;  // 24 digits hold any size_t
    return child_path(parent, std::string_view(digits, static_cast<std::size_t>(end - digits)));
}

bool two_digits(std::string_view s, std::size_t at, int& out) {
    if (at + 2 > s.size() || s[at] < '0' || s[at] > '9' || s[at + 1] < '0' || s[at + 1] > '9') return false;
    out = (s[at] - '0') * 10 + (s[at + 1] - '0');
    return true;
}

}  // namespace

std::optional<Date> parse_iso_date(std::string_view s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
    int y = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + 4, y);
    if (ec != std::errc() || p != s.data() + 4) return std::nullopt;
    int m = 0, d = 0;
    if (!two_digits(s, 5, m) || !two_digits(s, 8, d)) return std::nullopt;
    try {
        return Date(static_cast<unsigned short>(y), static_cast<unsigned short>(m), static_cast<unsigned short>(d));
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

namespace {
// nlohmann's SAX interface doing nothing but report the first syntax error.
struct SyntaxCheck {
    bool null() { return true; }
    bool boolean(bool) { return true; }
    bool number_integer(Json::number_integer_t) { return true; }
    bool number_unsigned(Json::number_unsigned_t) { return true; }
    bool number_float(Json::number_float_t, const std::string&) { return true; }
    bool string(std::string&) { return true; }
    bool binary(Json::binary_t&) { return true; }
    bool start_object(std::size_t) { return true; }
    bool key(std::string&) { return true; }
    bool end_object() { return true; }
    bool start_array(std::size_t) { return true; }
    bool end_array() { return true; }
    template <class Exception>
    bool parse_error(std::size_t, const std::string&, const Exception& ex) {
        throw ex;
    }
};
}  // namespace

void fail_document(std::string_view whole) {
    try {
        SyntaxCheck check;
        (void)Json::sax_parse(whole.begin(), whole.end(), &check);
    } catch (const Json::parse_error& e) {
        // e.byte is the 1-based offset where parsing stopped.
        throw SchemaError("PS-1", "/", "", std::string("not valid JSON: ") + e.what());
    } catch (const Json::exception& e) {  // a number out of range, and the like
        throw SchemaError("PS-1", "/", "", std::string("not a valid document: ") + e.what());
    }
    // Only a piece failed, never the whole: the pieces were cut wrongly.
    throw SchemaError("PS-1", "/", "", "not a valid document: its arrays could not be read element by element");
}

const std::vector<std::pair<std::size_t, std::size_t>>& LazyDocument::Array::elements() const {
    if (scanned_) return elements_;
    const char* begin = text.data();
    const char* end = begin + text.size();
    const char* p = json_text::skip_ws(begin + 1, end);  // after '['
    if (p < end && *p == ']') {
        scanned_ = true;
        return elements_;
    }
    for (;;) {
        const char* first = json_text::skip_ws(p, end);
        const char* last = json_text::skip_value(first, end);
        if (!last) doc->fail();
        elements_.emplace_back(static_cast<std::size_t>(first - begin), static_cast<std::size_t>(last - begin));
        p = json_text::skip_ws(last, end);
        if (p < end && *p == ',') {
            ++p;
            continue;
        }
        if (p < end && *p == ']') break;
        doc->fail();
    }
    scanned_ = true;
    return elements_;
}

Json LazyDocument::Array::parse(std::size_t i, const std::string& path) const {
    const auto [first, last] = elements()[i];
    try {
        return json_text::parse_dom(text.substr(first, last - first), path);
    } catch (const SchemaError&) {
        throw;
    } catch (const Json::exception&) {
        doc->fail();
    }
}

Items::Items(const Reader& array)
    : array_(array.value_), lazy_(array.lazy()), path_(array.path_), doc_(array.doc_), owner_(array.owner_) {}

std::size_t Items::size() const { return lazy_ ? lazy_->elements().size() : array_->size(); }

Reader Items::operator[](std::size_t i) const {
    std::string path = element_path(path_, i);
    if (!lazy_) return Reader((*array_)[i], std::move(path), doc_, owner_);
    auto element = std::make_shared<const Json>(lazy_->parse(i, path));
    const Json& value = *element;
    return Reader(value, std::move(path), doc_, std::move(element));
}

// ---------------------------------------------------------------- elements parsed on two threads

struct ElementStream::Shared {
    // Elements are claimed in order, each by whichever side gets to it first: the helper
    // runs ahead of the reader (at most kAhead elements); the reader parses an element
    // itself when the helper has not claimed it yet, and while it would wait for one the
    // helper is still parsing, it parses the next unclaimed one for later. So the parsing
    // goes to whichever thread has time (the reader also builds the agency from each
    // element), not half to each. Each side wakes the other only when it waits, and then
    // for a batch of work, not for every element: a wake-up is a system call (hundreds of
    // thousands on a big book).
    static constexpr std::size_t kAhead = 64;  // elements claimed by the helper and not yet taken, at most
    static constexpr std::size_t kRefill = kAhead / 2;  // the helper resumes parsing with this much room
    static constexpr std::size_t kGarbage = 32;         // ... or freeing with this many to free
    struct Slot {
        std::optional<Json> value;
        bool failed = false;
        bool ready = false;  // parsed (or failed) and not yet taken
    };
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<Slot> ring = std::vector<Slot>(kAhead);  // element k in ring[k % kAhead]
    std::size_t claimed = 0;  // elements [0, claimed) are claimed; those the helper claimed have a slot
    std::size_t taken = 0;    // elements [0, taken) are the reader's now (taken <= claimed)
    std::vector<Json*> garbage;  // taken elements whose Readers are gone: the helper frees them
    bool closed = false;         // the reader is done (or gave up); free what comes from now on
    bool helper_waits = false;
    bool reader_waits = false;
    std::thread thread;
    /// Whether the helper may claim the next element of `n` (called with the lock held).
    [[nodiscard]] bool may_claim(std::size_t n) const noexcept { return claimed < n && claimed - taken < kAhead; }
    /// Whether the waiting helper has enough to do to be woken (called with the lock held).
    [[nodiscard]] bool helper_has_work(std::size_t n) const noexcept {
        return closed || garbage.size() >= kGarbage || (claimed < n && claimed - taken <= kAhead - kRefill);
    }
};

ElementStream::ElementStream(const Reader& array)
    : items_(array.items()), size_(items_.size()), path_(array.path()), doc_(array.doc_), lazy_(array.lazy()) {
    constexpr std::size_t kThreaded = std::size_t{256} << 10;  // parsing it takes a few ms, a thread ~0.05
    if (!lazy_ || lazy_->text.size() < kThreaded || size_ < 4) return;
    shared_ = std::make_shared<Shared>();  // before the thread, which reads it
    try {
        shared_->thread = std::thread([this] { run(); });
    } catch (const std::system_error&) {
        shared_.reset();  // no thread to be had: parse every element here
    }
}

ElementStream::~ElementStream() {
    if (!shared_) return;
    {
        std::lock_guard lock(shared_->mutex);
        shared_->closed = true;
    }
    shared_->changed.notify_all();
    shared_->thread.join();
    for (Json* j : shared_->garbage) delete j;
    shared_->garbage.clear();
}

void ElementStream::run() {
    Shared& s = *shared_;
    constexpr std::size_t kNone = static_cast<std::size_t>(-1);
    std::vector<Json*> freeing;
    for (;;) {
        std::size_t k = kNone;
        {
            std::unique_lock lock(s.mutex);
            if (!s.closed && s.garbage.empty() && !s.may_claim(size_)) {
                s.helper_waits = true;
                s.changed.wait(lock, [&] { return s.helper_has_work(size_); });
                s.helper_waits = false;
            }
            freeing.swap(s.garbage);
            if (s.closed && freeing.empty()) return;
            if (!s.closed && s.may_claim(size_)) k = s.claimed++;
        }
        for (Json* j : freeing) delete j;
        freeing.clear();
        if (k == kNone) continue;
        std::unique_lock lock(s.mutex, std::defer_lock);
        parse_claimed(k, lock);
        const bool wake = s.reader_waits;
        lock.unlock();
        if (wake) s.changed.notify_all();
    }
}

void ElementStream::parse_claimed(std::size_t k, std::unique_lock<std::mutex>& lock) const {
    std::optional<Json> value;
    bool failed = false;
    try {
        value = lazy_->parse(k, std::string());
    } catch (...) {
        failed = true;  // the reader parses it again when its turn comes, and throws then
    }
    lock.lock();
    Shared::Slot& slot = shared_->ring[k % Shared::kAhead];
    slot.value = std::move(value);
    slot.failed = failed;
    slot.ready = true;
}

Reader ElementStream::next() {
    const std::size_t i = next_++;
    if (!shared_) return items_[i];
    Shared& s = *shared_;
    std::optional<Json> value;
    bool mine = false;
    bool failed = false;
    bool wake = false;
    {
        std::unique_lock lock(s.mutex);
        if (i >= s.claimed) {  // the helper has not got this far: parse it here
            s.claimed = i + 1;
            mine = true;
        } else {
            Shared::Slot& slot = s.ring[i % Shared::kAhead];
            while (!slot.ready) {
                if (s.may_claim(size_)) {  // rather than wait, parse the next unclaimed element for later
                    const std::size_t k = s.claimed++;
                    lock.unlock();
                    parse_claimed(k, lock);
                    continue;
                }
                s.reader_waits = true;
                s.changed.wait(lock, [&] { return slot.ready; });
                s.reader_waits = false;
            }
            value = std::move(slot.value);
            failed = slot.failed;
            slot.value.reset();
            slot.ready = false;
        }
        s.taken = i + 1;  // only now may the helper claim the element that reuses this slot
        wake = s.helper_waits && s.helper_has_work(size_);
    }
    if (wake) s.changed.notify_all();
    if (mine || failed || !value) return items_[i];
    std::string path = element_path(path_, i);
    std::shared_ptr<Shared> keep = shared_;
    std::shared_ptr<const Json> element(new Json(std::move(*value)), [keep](const Json* j) noexcept {
        try {
            std::unique_lock lock(keep->mutex);
            if (!keep->closed) {
                keep->garbage.push_back(const_cast<Json*>(j));
                const bool wake = keep->helper_waits && keep->garbage.size() >= Shared::kGarbage;
                lock.unlock();
                if (wake) keep->changed.notify_all();
                return;
            }
        } catch (...) {  // no room to hand it over: free it here
        }
        delete j;
    });
    const Json& json = *element;
    return Reader(json, std::move(path), doc_, std::move(element));
}

void Reader::fail(const std::string& detail, std::string_view rule) const {
    throw SchemaError(std::string(rule), path_.empty() ? "/" : path_, shown(*value_), detail);
}

void Reader::fail_with(const Error& e) const {
    const std::string detail =
        e.field() + (e.value().empty() ? "" : " = " + e.value()) + ": " + e.detail() +
        (e.rule() == "PS-1" ? std::string() : " [" + e.rule() + "]");  // a PS-1 error shows its rule once
    const auto dot = e.field().rfind('.');
    if (dot != std::string::npos && value_->is_object()) {
        const std::string key = e.field().substr(dot + 1);
        auto it = value_->find(key);
        if (it != value_->end()) Reader(*it, child_path(path_, key)).fail(detail);
    }
    // "ledger.14": the element of an array, by index.
    if (dot != std::string::npos && value_->is_array()) {
        const std::string key = e.field().substr(dot + 1);
        std::size_t index = 0;
        auto [p, ec] = std::from_chars(key.data(), key.data() + key.size(), index);
        if (!key.empty() && ec == std::errc() && p == key.data() + key.size()) {
            const Items list = items();
            if (index < list.size()) list[index].fail(detail);
        }
    }
    fail(detail);
}

void Reader::expect_object(std::initializer_list<std::string_view> allowed) const {
    if (!value_->is_object()) fail("expected an object, found " + json_kind(*value_));
    // Documents list the keys in the order the readers allow them (the writers' order):
    // each key is looked for from just after the one before, so usually found at once.
    const std::size_t n = allowed.size();
    std::size_t from = 0;
    for (const auto& [key, v] : value_->get_ref<const Json::object_t&>()) {
        bool ok = false;
        for (std::size_t k = 0; k < n && !ok; ++k) {
            const std::size_t at = from + k < n ? from + k : from + k - n;
            if (allowed.begin()[at] == key) {
                ok = true;
                from = at + 1 < n ? at + 1 : 0;
            }
        }
        if (!ok) Reader(v, child_path(path_, key)).fail("unknown key " + quote(key) + " (schema " + "aecore.Agency)");
    }
}

const Json* Reader::member(std::string_view key) const {
    if (!value_->is_object()) fail("expected an object, found " + json_kind(*value_));
    // Readers ask for the keys mostly in the document's order: the search starts after the
    // member found last (a hint only: every member is looked at before giving up).
    const auto& object = value_->get_ref<const Json::object_t&>();
    const auto* members = object.data();  // (the map's operator[] looks up a key)
    const std::size_t n = object.size();
    for (std::size_t k = 0, at = hint_ < n ? hint_ : 0; k < n; ++k, at = at + 1 < n ? at + 1 : 0) {
        if (members[at].first == key) {
            hint_ = at + 1;
            return &members[at].second;
        }
    }
    return nullptr;
}

Reader Reader::at(std::string_view key) const {
    const Json* value = member(key);
    if (!value) fail("missing required key " + quote(key));
    return Reader(*value, child_path(path_, key), doc_, owner_);
}

std::optional<Reader> Reader::maybe(std::string_view key) const {
    const Json* value = member(key);
    if (!value || value->is_null()) return std::nullopt;
    return Reader(*value, child_path(path_, key), doc_, owner_);
}

Items Reader::items() const {
    if (!value_->is_array()) fail("expected an array, found " + json_kind(*value_));
    return Items(*this);
}

std::string_view Reader::text() const {
    if (!value_->is_string()) fail("expected a string, found " + json_kind(*value_));
    return value_->get_ref<const std::string&>();
}

std::string Reader::str() const {
    if (!value_->is_string()) fail("expected a string, found " + json_kind(*value_));
    return value_->get<std::string>();
}

std::int64_t Reader::integer(std::int64_t lo, std::int64_t hi) const {
    std::int64_t v = 0;
    if (value_->is_number_integer() && !value_->is_number_unsigned()) {
        v = value_->get<std::int64_t>();
    } else if (value_->is_number_unsigned()) {
        const auto u = value_->get<std::uint64_t>();
        if (u > static_cast<std::uint64_t>(INT64_MAX)) fail("integer out of range " + std::to_string(lo) + ".." + std::to_string(hi));
        v = static_cast<std::int64_t>(u);
    } else {
        fail("expected an integer, found " + json_kind(*value_));
    }
    if (v < lo || v > hi) fail("integer out of range " + std::to_string(lo) + ".." + std::to_string(hi));
    return v;
}

bool Reader::boolean() const {
    if (!value_->is_boolean()) fail("expected true or false, found " + json_kind(*value_));
    return value_->get<bool>();
}

Date Reader::date() const {
    const std::string_view s = text();
    auto d = parse_iso_date(s);
    if (!d) fail("expected a date YYYY-MM-DD");
    return *d;
}

DateTime Reader::date_time() const {
    const std::string_view s = text();
    // "YYYY-MM-DDTHH:MM:SS" or "...:SS.ffffff" (no zone: times are the agency's local time)
    int h = 0, m = 0, sec = 0;
    long micro = 0;
    const bool has_fraction = s.size() == 26 && s[19] == '.';
    bool ok = (s.size() == 19 || has_fraction) && s[10] == 'T' && s[13] == ':' && s[16] == ':';
    auto d = ok ? parse_iso_date(std::string_view(s).substr(0, 10)) : std::nullopt;
    ok = d && two_digits(s, 11, h) && two_digits(s, 14, m) && two_digits(s, 17, sec) && h <= 23 && m <= 59 && sec <= 59;
    if (ok && has_fraction) {
        auto [p, ec] = std::from_chars(s.data() + 20, s.data() + 26, micro);
        ok = ec == std::errc() && p == s.data() + 26 && micro > 0 && s[20] != '-' && s[20] != '+';
    }
    if (!ok) fail("expected a local date-time YYYY-MM-DDTHH:MM:SS (optionally .ffffff)");
    return DateTime(*d, bp::hours(h) + bp::minutes(m) + bp::seconds(sec) + bp::microseconds(micro));
}

Duration Reader::time_of_day() const {
    const std::string_view s = text();
    int h = 0, m = 0;
    if (s.size() != 5 || s[2] != ':' || !two_digits(s, 0, h) || !two_digits(s, 3, m) || m > 59 || h > 24 ||
        (h == 24 && m != 0))
        fail("expected a time of day HH:MM");
    return bp::hours(h) + bp::minutes(m);
}

Decimal Reader::decimal() const {
    const std::string_view s = text();
    return guard([&] { return Decimal::parse(s, "decimal", "PS-1"); });
}

Money Reader::money() const {
    expect_object({"amount", "currency"});
    const std::string_view amount = at("amount").text();
    const Reader cur = at("currency");
    const std::string_view code = cur.text();
    const Currency currency = cur.guard([&] { return Currency(code); });
    return at("amount").guard([&] { return Money::parse(amount, currency); });
}

Json write(const Date& d) { return bg::to_iso_extended_string(d); }

Json write(const DateTime& t) {
    const Date d = t.date();
    const auto tod = t.time_of_day();
    char buf[48];
    std::snprintf(buf, sizeof buf, "T%02d:%02d:%02d", static_cast<int>(tod.hours()), static_cast<int>(tod.minutes()),
                  static_cast<int>(tod.seconds()));
    std::string out = bg::to_iso_extended_string(d) + buf;
    if (const long micro = static_cast<long>(tod.total_microseconds() % 1000000); micro != 0) {
        std::snprintf(buf, sizeof buf, ".%06ld", micro);
        out += buf;
    }
    return out;
}

Json write_time_of_day(Duration d) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%02d:%02d", static_cast<int>(d.hours()), static_cast<int>(d.minutes()));
    return std::string(buf);
}

Json write(const Decimal& d) { return d.to_string(); }

Json write(const Money& m) {
    Json j = Json::object();
    j["amount"] = m.amount_string();
    j["currency"] = std::string(m.currency().code());
    return j;
}

}  // namespace aecore::json_io
