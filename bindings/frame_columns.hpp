#pragma once
// Building blocks of the columns behind the large DataFrames (Agency.ledger_frame,
// Agency.jobs_frame), so that a million rows cost no Python call per value. Text columns
// come in two forms, matching the two storages of pandas' "string" dtype:
//  - numpy object arrays filled with Python str objects made straight from the C++ text
//    (ObjectColumn, StrByIndex, StrByText; storage "python");
//  - Arrow large_string buffers: int64 offsets, UTF-8 bytes and a validity bitmap as numpy
//    arrays, which python/aecore/_sugar.py wraps with pyarrow.Array.from_buffers without
//    a Python object per value (ArrowTextColumn, SlotTexts, NumericColumn;
//    storage "pyarrow").
// Everything here needs the GIL, except the Arrow columns (ZeroedBuffer, NumericColumn's
// data, ArrowTextColumn up to finish()) that build_in_parts fills on helper threads.

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#ifdef __linux__
#include <sys/mman.h>
#endif

#include <algorithm>
#include <atomic>
#include <bit>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>
#include <string>
#include <exception>
#include <string_view>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

namespace aecore::bind {

/// A new str from UTF-8 text, decoded strictly like pybind11's std::string caster.
inline PyObject* new_str(std::string_view text) {
    PyObject* out = PyUnicode_DecodeUTF8(text.data(), static_cast<Py_ssize_t>(text.size()), nullptr);
    if (!out) throw pybind11::error_already_set();
    return out;
}

/// A new str of ASCII text, without decoding.
inline PyObject* new_ascii_str(std::string_view text) {
    PyObject* out = PyUnicode_New(static_cast<Py_ssize_t>(text.size()), 127);
    if (!out) throw pybind11::error_already_set();
    std::memcpy(PyUnicode_1BYTE_DATA(out), text.data(), text.size());
    return out;
}

/// The ledger entry id of row `index` as a str: "L%08zu" of index + 1 (Agency::entry_id).
inline PyObject* entry_id_str(std::size_t index) {
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, index + 1).ptr;
    const auto n = static_cast<std::size_t>(end - digits);
    char id[32] = "L00000000";
    const std::size_t width = n < 8 ? 8 : n;
    std::memcpy(id + 1 + width - n, digits, n);
    return new_ascii_str(std::string_view(id, 1 + width));
}

/// A numpy object array of `n` elements, each set once with put (a new reference, which
/// it takes over) or share (a borrowed one).
class ObjectColumn {
public:
    explicit ObjectColumn(pybind11::ssize_t n)
        : array_(pybind11::dtype("O"), std::vector<pybind11::ssize_t>{n}),
          data_(static_cast<PyObject**>(array_.mutable_data())) {}
    void put(pybind11::ssize_t i, PyObject* value) noexcept {
        PyObject* old = data_[i];  // NULL or None, depending on how numpy filled the new array
        data_[i] = value;
        Py_XDECREF(old);
    }
    void share(pybind11::ssize_t i, PyObject* value) noexcept {
        Py_INCREF(value);
        put(i, value);
    }
    [[nodiscard]] PyObject* get(pybind11::ssize_t i) const noexcept { return data_[i]; }
    [[nodiscard]] pybind11::array array() const { return array_; }

private:
    pybind11::array array_;
    PyObject** data_;
};

/// One str per index (client, job, staff member ...), each made once (make) and shared by
/// the rows that need it.
class StrByIndex {
public:
    explicit StrByIndex(std::size_t n) : objects_(n, nullptr) {}
    StrByIndex(const StrByIndex&) = delete;
    StrByIndex& operator=(const StrByIndex&) = delete;
    ~StrByIndex() {
        for (PyObject* o : objects_) Py_XDECREF(o);
    }
    void make(std::size_t i, std::string_view text) {
        if (!objects_[i]) objects_[i] = new_str(text);
    }
    /// The str made for `i` (make must have been called).
    [[nodiscard]] PyObject* operator[](std::size_t i) const noexcept { return objects_[i]; }

private:
    std::vector<PyObject*> objects_;
};

/// One str per distinct text, made on first use and shared. The texts must outlive it.
class StrByText {
public:
    StrByText() = default;
    StrByText(const StrByText&) = delete;
    StrByText& operator=(const StrByText&) = delete;
    ~StrByText() {
        for (auto& [text, o] : objects_) Py_DECREF(o);
    }
    PyObject* get(std::string_view text) {
        auto [it, added] = objects_.try_emplace(text, nullptr);
        if (added) {
            try {
                it->second = new_str(text);
            } catch (...) {
                objects_.erase(it);
                throw;
            }
        }
        return it->second;
    }

private:
    std::unordered_map<std::string_view, PyObject*> objects_;
};

// ----------------------------------------------------------------- Arrow text buffers

/// Bytes that fixed-size copies may write past a value's end (into the next value's place
/// or the slack at the end of every Arrow data buffer).
inline constexpr std::size_t kCopySlack = 64;

/// Whether every byte of [p, p + n) is ASCII.
inline bool is_ascii(const char* p, std::size_t n) noexcept {
    std::uint64_t high = 0;
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        std::uint64_t w;
        std::memcpy(&w, p + i, 8);
        high |= w;
    }
    for (; i < n; ++i) high |= static_cast<unsigned char>(p[i]);
    return (high & 0x8080808080808080ULL) == 0;
}

/// A hint to start loading the cache line of `p` (nothing where the compiler has no such hint).
inline void prefetch_read([[maybe_unused]] const void* p) noexcept {
#if defined(__GNUC__) || defined(__clang__)
    __builtin_prefetch(p, 0, 3);
#endif
}

/// Raises UnicodeDecodeError, exactly as new_str would, unless `text` is valid UTF-8: the
/// Arrow columns promise what the str columns do.
inline void require_utf8(std::string_view text) {
    if (!is_ascii(text.data(), text.size())) Py_DECREF(new_str(text));
}

/// Copies n bytes without a call to memcpy for values up to 32 bytes and without reading past the
/// source (whose end may be the end of a mapped block). `out` has kCopySlack bytes to spare.
inline void copy_text(char* out, const char* in, std::size_t n) noexcept {
    if (n >= 8) {
        if (n > 16) {
            if (n > 32) {
                std::memcpy(out, in, n);
                return;
            }
            // 17..32 bytes (client ids, titles): two overlapping 16-byte moves
            char head[16], tail[16];
            std::memcpy(head, in, 16);
            std::memcpy(tail, in + n - 16, 16);
            std::memcpy(out, head, 16);
            std::memcpy(out + n - 16, tail, 16);
            return;
        }
        std::uint64_t head, tail;
        std::memcpy(&head, in, 8);
        std::memcpy(&tail, in + n - 8, 8);
        std::memcpy(out, &head, 8);
        std::memcpy(out + n - 8, &tail, 8);
    } else if (n >= 4) {
        std::uint32_t head, tail;
        std::memcpy(&head, in, 4);
        std::memcpy(&tail, in + n - 4, 4);
        std::memcpy(out, &head, 4);
        std::memcpy(out + n - 4, &tail, 4);
    } else {
        for (std::size_t i = 0; i < n; ++i) out[i] = in[i];
    }
}

/// Writes the ledger entry id of row `index` ("L%08zu" of index + 1, Agency::entry_id) to
/// `out` (kCopySlack bytes to spare) and returns its length. Eight digits are made in a
/// register, two lanes of four at a time, without a table or a store and reload.
inline std::size_t write_entry_id(char* out, std::size_t index) noexcept {
    const std::uint64_t v = index + 1;
    out[0] = 'L';
    if (v >= 100000000) [[unlikely]]
        return static_cast<std::size_t>(std::to_chars(out + 1, out + 1 + 20, v).ptr - out);
    if constexpr (std::endian::native != std::endian::little) {
        std::memset(out + 1, '0', 8);
        char digits[8];
        const auto n = static_cast<std::size_t>(std::to_chars(digits, digits + 8, v).ptr - digits);
        std::memcpy(out + 9 - n, digits, n);
        return 9;
    }
    const std::uint64_t x = (v / 10000) | ((v % 10000) << 32);                // abcd | efgh
    const std::uint64_t hundreds = ((x * 10486) >> 20) & 0x0000007F0000007FULL;  // ab | ef
    const std::uint64_t y = hundreds | ((x - hundreds * 100) << 16);           // ab, cd, ef, gh
    const std::uint64_t tens = ((y * 103) >> 10) & 0x000F000F000F000FULL;      // a, c, e, g
    const std::uint64_t digits = tens | ((y - tens * 10) << 8);                // a b c d e f g h
    const std::uint64_t ascii = digits + 0x3030303030303030ULL;
    std::memcpy(out + 1, &ascii, 8);
    return 9;
}

/// Huge-page mappings that columns no longer use (their frame was dropped), kept for the
/// next frame's columns: a frame of a million rows writes some 150 MB, and new memory costs
/// more than building the columns in it (the kernel clears every page; on a VM the host
/// may have to map it first). Like the allocators Arrow uses, a kept mapping is handed
/// back with MADV_FREE, so the kernel may take its pages whenever it needs memory; reused,
/// the pages it did not take are written without a fault. At most kMaxKept bytes are kept;
/// one kept longer than kKeepFor is unmapped when the next mapping is taken or given (no
/// timer: a process that makes no more frames keeps them until then). Thread-safe:
/// columns are made on helper threads and freed wherever Python frees them.
class MappingCache {
public:
    /// The one cache (never destroyed: a frame may be freed while the interpreter exits).
    static MappingCache& instance() {
        static MappingCache* cache = new MappingCache();
        return *cache;
    }
    /// A kept mapping of at least `bytes` for a buffer asked for `asked` bytes with `tag`
    /// (its size in `size`), or nullptr: one given back by a buffer with the same tag and ask
    /// (the same column of a frame of the same size again, whose pages that column wrote,
    /// grown as it grew), else the smallest of `bytes` to twice as many. Its content is
    /// whatever it held.
    void* take(std::size_t bytes, std::size_t asked, const char* tag, std::size_t& size) noexcept {
        std::lock_guard lock(mutex_);
        expire(Clock::now());
        std::size_t best = kept_.size();
        const auto same = [&](const Kept& k) { return k.asked == asked && k.tag == tag; };
        for (std::size_t k = 0; k < kept_.size() && (best == kept_.size() || !same(kept_[best])); ++k)
            if (same(kept_[k]) && kept_[k].size >= bytes)
                best = k;
            else if (kept_[k].size >= bytes && kept_[k].size <= 2 * bytes &&
                     (best == kept_.size() || kept_[k].size < kept_[best].size))
                best = k;
        if (best == kept_.size()) return nullptr;
        void* p = kept_[best].data;
        size = kept_[best].size;
        held_ -= size;
        kept_.erase(kept_.begin() + static_cast<std::ptrdiff_t>(best));
        return p;
    }
    /// Keeps a mapping no longer used (asked for `asked` bytes with `tag`), or unmaps it
    /// when the cache is full.
    void give(void* data, std::size_t size, std::size_t asked, const char* tag) noexcept {
#ifdef __linux__
        {
            std::lock_guard lock(mutex_);
            const auto now = Clock::now();
            expire(now);
            if (held_ + size <= kMaxKept) {
                try {
                    kept_.push_back({data, size, asked, tag, now});
                    held_ += size;
                    (void)madvise(data, size, MADV_FREE);
                    return;
                } catch (...) {  // no room to note it: unmap it
                }
            }
        }
        munmap(data, size);
#else
        (void)data;
        (void)size;
        (void)asked;
        (void)tag;
#endif
    }
    /// Bytes kept now (for tests).
    [[nodiscard]] std::size_t held() noexcept {
        std::lock_guard lock(mutex_);
        return held_;
    }

    static constexpr std::size_t kMaxKept = std::size_t{512} << 20;
    static constexpr std::chrono::seconds kKeepFor{10};

private:
    using Clock = std::chrono::steady_clock;
    struct Kept {
        void* data;
        std::size_t size;
        std::size_t asked;
        const char* tag;
        Clock::time_point since;
    };
    MappingCache() = default;
    // Unmaps what was kept since before now - kKeepFor (called with the lock held).
    void expire(Clock::time_point now) noexcept {
#ifdef __linux__
        std::erase_if(kept_, [&](const Kept& k) {
            if (now - k.since < kKeepFor) return false;
            munmap(k.data, k.size);
            held_ -= k.size;
            return true;
        });
#else
        (void)now;
#endif
    }
    std::mutex mutex_;
    std::vector<Kept> kept_;
    std::size_t held_ = 0;
};

/// Memory for a large column, handed to numpy without a copy: zeroed (Fill::Zeroed), or
/// (Fill::Any) with whatever it held, for a column that writes every byte it hands out. A
/// frame of a million rows writes some 150 MB of new memory, and the page faults would
/// cost as much as building the columns: on Linux the memory is mapped 2 MiB-aligned in
/// whole huge pages and advised to use transparent huge pages (numpy advises only the
/// aligned middle of its large arrays), and a mapping a dropped frame no longer uses is
/// kept a while for the next (MappingCache; a zeroed buffer then is cleared here). Small
/// buffers come from calloc. Pages reserved but never written cost nothing.
///
/// A buffer of 64 KiB or more starts a few cache lines into its memory, a different number
/// for each buffer (color()): a frame's columns are written side by side, row by row, and
/// a dozen columns of 8 bytes a row that all started at a 2 MiB boundary would put each
/// row's values in the same set of every cache (measured here: a dozen such streams wrote
/// 7x slower than when they start apart).
class ZeroedBuffer {
public:
    enum class Fill { Zeroed, Any };
    /// `tag` (a string literal, or none) names the column, so that the cache can hand the
    /// same column its own memory again.
    explicit ZeroedBuffer(std::size_t bytes, Fill fill = Fill::Zeroed, const char* tag = nullptr)
        : size_(bytes == 0 ? 1 : bytes), asked_(size_), tag_(tag), fill_(fill) {
#ifdef __linux__
        if (size_ >= kHuge) {
            offset_ = color();
            // whole huge pages: a part page at the end would be faulted in 4 KiB at a time
            const std::size_t mapping = (size_ + offset_ + kHuge - 1) & ~(kHuge - 1);
            std::size_t kept_size = 0;
            if (void* kept = MappingCache::instance().take(mapping, asked_, tag_, kept_size)) {
                data_ = static_cast<char*>(kept) + offset_;
                size_ = kept_size - offset_;
                mapped_ = true;
                if (fill == Fill::Zeroed) std::memset(data_, 0, size_);
                return;
            }
            const std::size_t span = mapping + kHuge;
            void* base = mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (base == MAP_FAILED) throw std::bad_alloc();
            const auto start = reinterpret_cast<std::uintptr_t>(base);
            const std::uintptr_t aligned = (start + kHuge - 1) & ~(kHuge - 1);
            if (aligned > start) munmap(base, aligned - start);
            const std::uintptr_t end = aligned + mapping;
            if (start + span > end) munmap(reinterpret_cast<void*>(end), start + span - end);
            data_ = reinterpret_cast<char*>(aligned) + offset_;
            size_ = mapping - offset_;
            mapped_ = true;
            advise();
            return;
        }
#endif
        if (size_ >= kColored) offset_ = color();  // calloc maps such blocks page-aligned, plus a header
        char* base = static_cast<char*>(std::calloc(size_ + offset_, 1));
        if (!base) throw std::bad_alloc();
        data_ = base + offset_;
    }
    ZeroedBuffer(const ZeroedBuffer&) = delete;
    ZeroedBuffer& operator=(const ZeroedBuffer&) = delete;
    ~ZeroedBuffer() {
        if (data_) release(data_ - offset_, size_ + offset_, mapped_, asked_, tag_);
    }
    [[nodiscard]] char* data() const noexcept { return data_; }
    /// The bytes usable from data() on.
    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    /// Grows the buffer to `bytes`, keeping its content (the bytes after it zeroed as the
    /// buffer's Fill says); data() may move.
    void grow(std::size_t bytes) {
        if (bytes <= size_) return;
#ifdef __linux__
        if (mapped_) {  // the pages move, not the bytes
            const std::size_t mapping = (bytes + offset_ + kHuge - 1) & ~(kHuge - 1);
            void* moved = mremap(data_ - offset_, size_ + offset_, mapping, MREMAP_MAYMOVE);
            if (moved == MAP_FAILED) throw std::bad_alloc();
            data_ = static_cast<char*>(moved) + offset_;
            size_ = mapping - offset_;
            advise();
            return;
        }
#endif
        ZeroedBuffer bigger(bytes, fill_, tag_);
        std::memcpy(bigger.data_, data_, size_);
        std::swap(data_, bigger.data_);
        std::swap(size_, bigger.size_);
        std::swap(offset_, bigger.offset_);
        std::swap(asked_, bigger.asked_);  // asked for the grown size from now on
        std::swap(mapped_, bigger.mapped_);
    }
    /// A numpy array of `count` elements of `dtype` over the first bytes, which owns the
    /// whole buffer from now on (this object is left empty).
    pybind11::array to_numpy(const pybind11::dtype& dtype, pybind11::ssize_t count) {
        auto* owner = new Owner{data_ - offset_, size_ + offset_, mapped_, asked_, tag_};
        pybind11::capsule capsule;
        try {
            capsule = pybind11::capsule(owner, [](void* o) {
                auto* own = static_cast<Owner*>(o);
                release(own->base, own->size, own->mapped, own->asked, own->tag);
                delete own;
            });
        } catch (...) {
            delete owner;
            throw;
        }
        char* data = data_;
        data_ = nullptr;  // the capsule frees it now, whatever happens next
        return pybind11::array(dtype, std::vector<pybind11::ssize_t>{count}, data, capsule);
    }

private:
    struct Owner {
        char* base;  // the mapping (or the calloc block)
        std::size_t size;
        bool mapped;
        std::size_t asked;
        const char* tag;
    };
    /// How far into its memory the next buffer of kColored bytes or more starts: 0, 3, 6
    /// ... 93 cache lines, in turn (a cache's number of sets is a power of two, which 3
    /// does not divide: buffers started one after another fall in different sets).
    static std::size_t color() noexcept {
        static std::atomic<unsigned> next{0};
        return static_cast<std::size_t>(next.fetch_add(1, std::memory_order_relaxed) % 32) * 3 * 64;
    }
    /// Huge pages for the mapping (advice only; one advice for all of it, so that the
    /// mapping stays one area that mremap can grow). The kernel backs only whole aligned
    /// 2 MiB extents with them.
    void advise() noexcept {
#ifdef __linux__
        (void)madvise(data_ - offset_, size_ + offset_, MADV_HUGEPAGE);
#endif
    }
    static void release(char* base, [[maybe_unused]] std::size_t size, bool mapped,
                        [[maybe_unused]] std::size_t asked, [[maybe_unused]] const char* tag) noexcept {
#ifdef __linux__
        if (mapped) {
            MappingCache::instance().give(base, size, asked, tag);
            return;
        }
#endif
        (void)mapped;
        std::free(base);
    }
    static constexpr std::size_t kHuge = std::size_t{2} << 20;
    static constexpr std::size_t kColored = std::size_t{64} << 10;  // smaller buffers fall anywhere
    char* data_ = nullptr;
    std::size_t size_;    // usable from data_ on
    std::size_t offset_ = 0;  // data_ - the start of its memory
    std::size_t asked_;  // the bytes asked for (the cache finds the same column by them and the tag)
    const char* tag_;
    Fill fill_;
    bool mapped_ = false;
};

/// A numeric column of n elements in a ZeroedBuffer, which the caller writes every one of
/// (they start with any value); `dtype` names a numpy dtype of T's size (e.g.
/// "datetime64[s]" for int64), else T's own.
template <class T>
class NumericColumn {
public:
    explicit NumericColumn(pybind11::ssize_t n, const char* dtype = nullptr)
        : n_(n), buffer_(static_cast<std::size_t>(n) * sizeof(T), ZeroedBuffer::Fill::Any), dtype_(dtype) {}
    [[nodiscard]] T* data() const noexcept { return reinterpret_cast<T*>(buffer_.data()); }
    pybind11::array finish() {
        return buffer_.to_numpy(dtype_ ? pybind11::dtype(dtype_) : pybind11::dtype::of<T>(), n_);
    }

private:
    pybind11::ssize_t n_;
    ZeroedBuffer buffer_;
    const char* dtype_;
};

/// An Arrow large_string column of n values filled in one pass, in order: either
/// add(p, text), or reserve(bytes) (a place for a value of at most `bytes` bytes, plus
/// kCopySlack) then commit(p, size), or null(p). `expected` is a guess of the bytes of all
/// the values (the buffer grows beyond it). Columns without nulls carry no bitmap.
/// finish() hands out (offsets int64[n + 1], data uint8, validity uint8 or None, null
/// count) for pyarrow.Array.from_buffers.
class ArrowTextColumn {
public:
    /// `tag` (a string literal) names the column: its bytes take the memory the same column
    /// of a dropped frame wrote (the offsets, always written whole, take any).
    ArrowTextColumn(pybind11::ssize_t n, std::size_t expected, bool nullable, const char* tag = nullptr)
        : n_(n),
          offsets_((static_cast<std::size_t>(n) + 1) * sizeof(std::int64_t), ZeroedBuffer::Fill::Any),
          data_(expected + kCopySlack, ZeroedBuffer::Fill::Any, tag),
          validity_(nullable ? (static_cast<std::size_t>(n) + 7) / 8 : 0),
          offsets_data_(reinterpret_cast<std::int64_t*>(offsets_.data())),
          bits_(nullable ? reinterpret_cast<std::uint8_t*>(validity_.data()) : nullptr),
          chars_(data_.data()),
          room_(data_.size() - kCopySlack) {
        offsets_data_[0] = 0;  // every other offset is written by commit() or null()
    }
    [[nodiscard]] char* reserve(std::size_t bytes) {
        if (bytes > room_ - static_cast<std::size_t>(total_)) [[unlikely]]
            grow(bytes);
        return chars_ + total_;
    }
    void commit(pybind11::ssize_t p, std::size_t size) noexcept {
        total_ += static_cast<std::int64_t>(size);
        offsets_data_[p + 1] = total_;
        if (bits_) bits_[p >> 3] = static_cast<std::uint8_t>(bits_[p >> 3] | (1U << (p & 7)));
    }
    void add(pybind11::ssize_t p, std::string_view text) {
        copy_text(reserve(text.size()), text.data(), text.size());
        commit(p, text.size());
    }
    /// Only for a nullable column.
    void null(pybind11::ssize_t p) noexcept {
        offsets_data_[p + 1] = total_;
        ++nulls_;
    }
    /// Values p .. p + count - 1 at once from texts kept in the same layout: value i is
    /// bytes[i == 0 ? first : ends[i - 1], ends[i]) (positions in the whole of `bytes`).
    void add_block(pybind11::ssize_t p, const char* bytes, std::uint64_t first, const std::uint64_t* ends,
                   pybind11::ssize_t count) {
        if (count == 0) return;
        const auto size = static_cast<std::size_t>(ends[count - 1] - first);
        if (size != 0) std::memcpy(reserve(size), bytes + first, size);
        const std::int64_t shift = total_ - static_cast<std::int64_t>(first);
        for (pybind11::ssize_t i = 0; i < count; ++i) offsets_data_[p + 1 + i] = static_cast<std::int64_t>(ends[i]) + shift;
        total_ += static_cast<std::int64_t>(size);
        if (bits_)
            for (pybind11::ssize_t i = p; i < p + count; ++i) bits_[i >> 3] = static_cast<std::uint8_t>(bits_[i >> 3] | (1U << (i & 7)));
    }
    /// Makes value p (added, and empty) null. Only for a nullable column.
    void make_null(pybind11::ssize_t p) noexcept {
        bits_[p >> 3] = static_cast<std::uint8_t>(bits_[p >> 3] & ~(1U << (p & 7)));
        ++nulls_;
    }
    /// Starts loading value p (after it is committed) into the cache: first its offsets
    /// (prefetch_offsets), a few rows later its bytes (prefetch_value).
    void prefetch_offsets(pybind11::ssize_t p) const noexcept { prefetch_read(offsets_data_ + p); }
    void prefetch_value(pybind11::ssize_t p) const noexcept { prefetch_read(chars_ + offsets_data_[p]); }
    /// Value p (after it is committed).
    [[nodiscard]] std::string_view value(pybind11::ssize_t p) const noexcept {
        return {chars_ + offsets_data_[p], static_cast<std::size_t>(offsets_data_[p + 1] - offsets_data_[p])};
    }
    /// Raises UnicodeDecodeError, as the str columns would, unless every value is UTF-8.
    void check_utf8() const {
        if (is_ascii(chars_, static_cast<std::size_t>(total_))) return;
        for (pybind11::ssize_t p = 0; p < n_; ++p) require_utf8(value(p));
    }
    [[nodiscard]] pybind11::tuple finish() {
        const pybind11::dtype u8 = pybind11::dtype::of<std::uint8_t>();
        pybind11::object validity = pybind11::none();
        if (bits_ && nulls_ != 0) validity = validity_.to_numpy(u8, (n_ + 7) / 8);
        pybind11::array offsets = offsets_.to_numpy(pybind11::dtype::of<std::int64_t>(), n_ + 1);
        pybind11::array data = data_.to_numpy(u8, static_cast<pybind11::ssize_t>(total_));
        return pybind11::make_tuple(offsets, data, validity, nulls_);
    }

private:
    void grow(std::size_t bytes) {
        const std::size_t need = static_cast<std::size_t>(total_) + bytes + kCopySlack;
        data_.grow(std::max(need, 2 * data_.size()));
        chars_ = data_.data();
        room_ = data_.size() - kCopySlack;
    }
    pybind11::ssize_t n_;
    ZeroedBuffer offsets_, data_, validity_;
    std::int64_t* offsets_data_;
    std::uint8_t* bits_;
    char* chars_;
    std::size_t room_;
    std::int64_t total_ = 0;
    pybind11::ssize_t nulls_ = 0;
};

/// Texts by index (client codes, job numbers, staff ids) in fixed slots of 16, 32 or 64
/// bytes with the length in the slot's last byte: one load finds a value and its size, one
/// fixed-size copy writes it. A slot is filled when its value is first used, after a check
/// that it is UTF-8 (raising as new_str would); a longer value is kept aside. The texts
/// must outlive it.
class SlotTexts {
public:
    template <class TextOf>
    SlotTexts(std::size_t n, TextOf text_of) : texts_(n) {
        std::size_t longest = 0;
        for (std::size_t i = 0; i < n; ++i) {
            texts_[i] = text_of(i);
            longest = std::max(longest, texts_[i].size());
        }
        width_ = longest < 16 ? 16 : longest < 32 ? 32 : 64;
        slots_.assign(n * width_, '\0');
        for (std::size_t i = 0; i < n; ++i) slots_[i * width_ + width_ - 1] = static_cast<char>(kUnfilled);
    }
    /// Starts loading value `i` into the cache, for a copy_to a few rows on.
    void prefetch(std::size_t i) const noexcept { prefetch_read(slots_.data() + i * width_); }
    /// The most bytes copy_to writes.
    [[nodiscard]] std::size_t max_write() const noexcept {
        std::size_t most = width_;
        for (const std::string_view text : texts_) most = std::max(most, text.size());
        return most;
    }
    /// Fills every slot now, so that copy_to never calls Python (nor writes a slot): then
    /// helper threads may share it (build_in_parts). Raises as a first use would for any
    /// text that is not UTF-8, used or not (the agency's ids and codes are ASCII).
    void fill_all() {
        for (std::size_t i = 0; i < texts_.size(); ++i)
            if (static_cast<unsigned char>(slots_[i * width_ + width_ - 1]) == kUnfilled) fill_slot(i);
    }
    /// Writes value `i` to `out` (max_write() bytes to spare) and returns its size.
    std::size_t copy_to(char* out, std::size_t i) {
        const char* slot = slots_.data() + i * width_;
        const auto size = static_cast<unsigned char>(slot[width_ - 1]);
        if (size >= kAside) [[unlikely]]
            return size == kUnfilled ? fill(i, out) : copy_aside(out, i);
        switch (width_) {
            case 16: std::memcpy(out, slot, 16); break;
            case 32: std::memcpy(out, slot, 32); break;
            default: std::memcpy(out, slot, 64); break;
        }
        return size;
    }

private:
    static constexpr unsigned char kAside = 0xFE, kUnfilled = 0xFF;
    std::size_t fill(std::size_t i, char* out) {
        fill_slot(i);
        return copy_to(out, i);
    }
    void fill_slot(std::size_t i) {
        const std::string_view text = texts_[i];
        require_utf8(text);
        char* slot = slots_.data() + i * width_;
        if (text.size() < width_) {
            std::memcpy(slot, text.data(), text.size());
            slot[width_ - 1] = static_cast<char>(text.size());
        } else {
            slot[width_ - 1] = static_cast<char>(kAside);
        }
    }
    std::size_t copy_aside(char* out, std::size_t i) const noexcept {
        const std::string_view text = texts_[i];
        std::memcpy(out, text.data(), text.size());
        return text.size();
    }
    std::vector<std::string_view> texts_;
    std::size_t width_ = 16;
    std::vector<char> slots_;
};

// ----------------------------------------------------------------- rows in parts

/// How many parts to build a frame of n rows in: one per core (at most 4), each of at
/// least 65,536 rows (a thread costs tens of microseconds to start).
inline std::size_t frame_parts(pybind11::ssize_t n) noexcept {
    const std::size_t cores = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 4);
    return std::clamp<std::size_t>(static_cast<std::size_t>(n) / 65536, 1, cores);
}

/// Splits rows [0, n) into `parts` ranges of about equal size and calls build(k, begin,
/// end) for each: part 0 on this thread, the others on helper threads, which must not touch
/// Python (this thread keeps the GIL, so the agency cannot change meanwhile). Once every
/// part has ended, the first exception (by part) is rethrown here. Parts a thread cannot be
/// started for run here too.
template <class Build>
void build_in_parts(pybind11::ssize_t n, std::size_t parts, Build&& build) {
    std::vector<std::exception_ptr> errors(parts);
    const auto run = [&](std::size_t k) noexcept {
        try {
            build(k, static_cast<pybind11::ssize_t>(static_cast<std::size_t>(n) * k / parts),
                  static_cast<pybind11::ssize_t>(static_cast<std::size_t>(n) * (k + 1) / parts));
        } catch (...) {
            errors[k] = std::current_exception();
        }
    };
    std::vector<std::thread> helpers;
    std::size_t k = 1;
    try {
        helpers.reserve(parts - 1);
        for (; k < parts; ++k) helpers.emplace_back(run, k);
    } catch (...) {  // no more threads (system_error, bad_alloc): the rest run here
    }
    run(0);
    for (; k < parts; ++k) run(k);
    for (std::thread& helper : helpers) helper.join();
    for (const std::exception_ptr& error : errors)
        if (error) std::rethrow_exception(error);
}

/// The Arrow buffers of a text column built in parts (`chunk(k)` the column of part k): one
/// tuple for one part, else a list of them, the chunks of one pyarrow ChunkedArray.
template <class Chunk>
pybind11::object text_chunks(std::size_t parts, Chunk&& chunk) {
    if (parts == 1) return chunk(0).finish();
    pybind11::list out;
    for (std::size_t k = 0; k < parts; ++k) out.append(chunk(k).finish());
    return out;
}

}  // namespace aecore::bind
