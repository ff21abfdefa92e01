#pragma once
// Internal: a cursor over a parsed JSON value that knows its JSON path, so that every
// schema error names where it happened ("/staff/3/title"), plus the value codecs
// shared by all document sections (dates, money, decimals, enums).

#include <cstdint>
#include <atomic>
#include <functional>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "aecore/calendar.hpp"
#include "aecore/decimal.hpp"
#include "aecore/enum_names.hpp"
#include "aecore/error.hpp"
#include "aecore/money.hpp"

namespace aecore::json_io {

using Json = nlohmann::ordered_json;

class Reader;
class Items;

/// Turns a failure to parse the document (or a piece of it) into the SchemaError of the
/// whole document: the text is parsed again, without building anything, so that the
/// message names the line and column in the document itself.
[[noreturn]] void fail_document(std::string_view whole);

/// A large document whose top-level arrays stay text until they are read: each element
/// is parsed when it is reached and dropped after, so loading never holds a DOM of more
/// than one element of a big array. The reconstructed rest of the document holds an
/// empty array in their place; Readers on those placeholders iterate the text instead.
class LazyDocument {
public:
    explicit LazyDocument(std::string_view whole) : whole_(whole) {}
    LazyDocument(const LazyDocument&) = delete;
    LazyDocument& operator=(const LazyDocument&) = delete;

    struct Array {
        Array(const LazyDocument* d, std::string_view t) : doc(d), text(t) {}
        const LazyDocument* doc = nullptr;
        std::string_view text;  ///< "[ ... ]" in the whole document
        /// The elements' [begin, end) offsets in `text`, found on first use.
        [[nodiscard]] const std::vector<std::pair<std::size_t, std::size_t>>& elements() const;
        /// Element `i` parsed; a syntax error is reported for the whole document.
        [[nodiscard]] Json parse(std::size_t i, const std::string& path) const;

    private:
        mutable std::vector<std::pair<std::size_t, std::size_t>> elements_;
        mutable bool scanned_ = false;
    };

    void add(const Json* placeholder, std::string_view array_text) { arrays_.insert_or_assign(placeholder, Array(this, array_text)); }
    [[nodiscard]] const Array* find(const Json* node) const {
        auto it = arrays_.find(node);
        return it == arrays_.end() ? nullptr : &it->second;
    }
    [[nodiscard]] std::string_view whole() const noexcept { return whole_; }
    [[noreturn]] void fail() const { fail_document(whole_); }
    /// Called with a position in the document: the text before it will not be read again
    /// by the bulk loaders (the file mapping may drop those pages from memory).
    std::function<void(const char*)> release;
    /// Set (when given) by the ledger's reader once the ledger array ended exactly where
    /// the cut put it.
    bool* ledger_confirmed = nullptr;

private:
    std::string_view whole_;
    std::unordered_map<const Json*, Array> arrays_;
};

class Reader {
public:
    Reader(const Json& value, std::string path, const LazyDocument* doc = nullptr,
           std::shared_ptr<const Json> owner = nullptr)
        : value_(&value), path_(std::move(path)), doc_(doc), owner_(std::move(owner)) {}

    [[nodiscard]] const std::string& path() const noexcept { return path_; }
    [[nodiscard]] const Json& raw() const noexcept { return *value_; }
    [[noreturn]] void fail(const std::string& detail, std::string_view rule = "PS-1") const;

    /// Requires an object whose keys are all in `allowed` (a typo is an error, not ignored).
    void expect_object(std::initializer_list<std::string_view> allowed) const;
    /// A required member of an object.
    [[nodiscard]] Reader at(std::string_view key) const;
    /// An optional member; absent or null gives nullopt.
    [[nodiscard]] std::optional<Reader> maybe(std::string_view key) const;
    /// The elements of an array (of a lazy top-level array: parsed one at a time).
    [[nodiscard]] Items items() const;
    /// The text of this top-level array when it is kept lazily, else nullptr.
    [[nodiscard]] const LazyDocument::Array* lazy() const noexcept { return doc_ ? doc_->find(value_) : nullptr; }
    [[nodiscard]] bool is_null() const noexcept { return value_->is_null(); }

    [[nodiscard]] std::string str() const;
    /// The string in place (valid while the document or element this reads lives).
    [[nodiscard]] std::string_view text() const;
    [[nodiscard]] std::int64_t integer(std::int64_t lo, std::int64_t hi) const;
    [[nodiscard]] int small_int(int lo, int hi) const { return static_cast<int>(integer(lo, hi)); }
    [[nodiscard]] bool boolean() const;
    [[nodiscard]] Date date() const;
    [[nodiscard]] DateTime date_time() const;
    /// "HH:MM" within a day (24:00 allowed).
    [[nodiscard]] Duration time_of_day() const;
    [[nodiscard]] Decimal decimal() const;
    [[nodiscard]] Money money() const;

    template <class E>
    [[nodiscard]] E enumeration() const {
        const std::string_view s = text();
        if (auto v = enum_from_string<E>(s)) return *v;
        fail("expected " + enum_choices<E>() + ", found " + quote(s));
    }

    /// Runs `f`; a domain error it throws becomes a SchemaError at this path that keeps
    /// the domain rule in its message.
    template <class F>
    decltype(auto) guard(F&& f) const {
        try {
            return f();
        } catch (const SchemaError&) {
            throw;
        } catch (const Error& e) {
            fail_with(e);
        }
    }

    /// A domain error as a SchemaError; "staff.manager" is reported at ".../manager"
    /// when this object has that key, so the path names the offending value.
    [[noreturn]] void fail_with(const Error& e) const;

private:
    friend class Items;
    friend class ElementStream;
    /// The member named `key` of this object, or nullptr (fails when this is no object).
    [[nodiscard]] const Json* member(std::string_view key) const;
    const Json* value_;
    std::string path_;
    const LazyDocument* doc_;
    std::shared_ptr<const Json> owner_;  // keeps a lazily parsed element alive
    mutable std::size_t hint_ = 0;       // where member() looks first: after the last one it found
};

/// The elements of an array as Readers, by index or in a range-for. On a lazy top-level
/// array each access parses its element (keep the Reader while you use it).
class Items {
public:
    Items() = default;
    explicit Items(const Reader& array);
    [[nodiscard]] std::size_t size() const;
    [[nodiscard]] bool empty() const { return size() == 0; }
    [[nodiscard]] Reader operator[](std::size_t i) const;

    class iterator {
    public:
        using value_type = Reader;
        using difference_type = std::ptrdiff_t;
        iterator(const Items* items, std::size_t i) : items_(items), i_(i) {}
        Reader operator*() const { return (*items_)[i_]; }
        iterator& operator++() {
            ++i_;
            return *this;
        }
        bool operator!=(const iterator& o) const { return i_ != o.i_; }
        bool operator==(const iterator& o) const { return i_ == o.i_; }

    private:
        const Items* items_;
        std::size_t i_;
    };
    [[nodiscard]] iterator begin() const { return {this, 0}; }
    [[nodiscard]] iterator end() const { return {this, size()}; }

private:
    const Json* array_ = nullptr;
    const LazyDocument::Array* lazy_ = nullptr;
    std::string path_;
    const LazyDocument* doc_ = nullptr;
    std::shared_ptr<const Json> owner_;  // keeps a lazily parsed element alive
};

/// The elements of an array, in order, each read once: like Items, but on a big lazily
/// kept array a second thread parses elements ahead of the caller (and frees them once
/// their Readers are gone); the caller parses an element itself only when that thread has
/// not got to it yet, so the parsing is shared by how much time each side has. An element
/// that fails to parse there is parsed again here, so the caller gets the same error, in order.
class ElementStream {
public:
    explicit ElementStream(const Reader& array);
    ElementStream(const ElementStream&) = delete;
    ElementStream& operator=(const ElementStream&) = delete;
    ~ElementStream();
    [[nodiscard]] std::size_t size() const { return size_; }
    /// The next element (call at most size() times).
    [[nodiscard]] Reader next();
    /// Element `i` again (parsed again), to name it in an error found later.
    [[nodiscard]] Reader operator[](std::size_t i) const { return items_[i]; }

private:
    struct Shared;
    void run();
    /// Parses element k (claimed, the lock on the shared state not held), then takes the
    /// lock and puts the element (or its failure) in its slot, ready.
    void parse_claimed(std::size_t k, std::unique_lock<std::mutex>& lock) const;

    Items items_;
    std::size_t size_ = 0;
    std::size_t next_ = 0;
    std::string path_;
    const LazyDocument* doc_ = nullptr;
    const LazyDocument::Array* lazy_ = nullptr;
    std::shared_ptr<Shared> shared_;  // with the helper thread; null: none
};

/// The loader's reading of a big ledger without cutting it first (serialization.cpp): a
/// ledger array of at least `from` bytes to the document's end has its end looked for from
/// the back, past the members after it of up to `big` bytes each (the search gives up
/// when it has gone 2 * `big` bytes back without meeting an array's end). Internal; tests
/// lower both to reach the path with small books, and read the counts of loads that took
/// it, of those that then read the document again from the front, and of searches given up.
struct LedgerFromTheBack {
    std::size_t from = std::size_t{256} << 20;
    std::size_t big = std::size_t{32} << 20;
    std::atomic<std::size_t> taken{0}, retried{0}, gave_up{0};
};
extern LedgerFromTheBack ledger_from_the_back;

/// Strict "YYYY-MM-DD"; nullopt when malformed or not a real date.
[[nodiscard]] std::optional<Date> parse_iso_date(std::string_view s);

// Writers: the canonical text of each value type.
[[nodiscard]] Json write(const Date& d);
[[nodiscard]] Json write(const DateTime& t);
[[nodiscard]] Json write_time_of_day(Duration d);
[[nodiscard]] Json write(const Decimal& d);
[[nodiscard]] Json write(const Money& m);
template <class E>
[[nodiscard]] Json write_enum(E e) {
    return std::string(to_string(e));
}

}  // namespace aecore::json_io
