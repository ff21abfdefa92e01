#pragma once
// Memory for the big arrays of one call: radix partitions of a whole ledger, the columns of
// a whole-book report. Hundreds of megabytes of new memory cost more than the passes that
// write them when the kernel faults them in 4 KiB at a time (it clears every page, and on
// a VM the host may have to map it first); with huge pages it faults them in 2 MiB at a
// time. Advice only: where the kernel gives no huge pages, the same memory in small ones.

#include <cstddef>
#include <type_traits>
#include <vector>

namespace aecore::detail {

/// Arrays smaller than this are left to malloc as they are.
inline constexpr std::size_t kHugeAdviceFrom = std::size_t{4} << 20;

/// Advises huge pages for the whole 4 KiB pages of [p, p + bytes) (nothing for a small
/// range or off Linux).
void advise_huge_pages(const void* p, std::size_t bytes) noexcept;

/// `v` sized to `n` value-initialised elements, in memory advised for huge pages before
/// its first touch when it is big and newly allocated.
template <class T>
void resize_in_huge_pages(std::vector<T>& v, std::size_t n) {
    if (n * sizeof(T) >= kHugeAdviceFrom && n > v.capacity()) {
        v.reserve(n);
        advise_huge_pages(v.data(), v.capacity() * sizeof(T));
    }
    v.resize(n);
}

/// A mapping of its own for a big array, advised for huge pages (malloc for a small one);
/// std::bad_alloc when there is no memory.
void* scratch_allocate(std::size_t bytes);
/// Gives back what scratch_allocate(bytes) returned.
void scratch_release(void* p, std::size_t bytes) noexcept;

/// n elements of a trivial type, not initialised (the caller writes each before reading
/// it), from scratch_allocate.
template <class T>
class ScratchArray {
    static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);

public:
    explicit ScratchArray(std::size_t n) : data_(static_cast<T*>(scratch_allocate(n * sizeof(T)))), size_(n) {}
    ScratchArray(const ScratchArray&) = delete;
    ScratchArray& operator=(const ScratchArray&) = delete;
    ~ScratchArray() { scratch_release(data_, size_ * sizeof(T)); }

    [[nodiscard]] T* data() noexcept { return data_; }
    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    T& operator[](std::size_t i) noexcept { return data_[i]; }
    const T& operator[](std::size_t i) const noexcept { return data_[i]; }

private:
    T* data_;
    std::size_t size_;
};

}  // namespace aecore::detail
