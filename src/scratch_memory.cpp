#include "scratch_memory.hpp"

#include <cstdint>
#include <cstdlib>
#include <new>

#ifdef __linux__
#include <sys/mman.h>
#endif

namespace aecore::detail {

void advise_huge_pages([[maybe_unused]] const void* p, [[maybe_unused]] std::size_t bytes) noexcept {
#ifdef __linux__
    constexpr std::uintptr_t kPage = 4096;
    const auto from = (reinterpret_cast<std::uintptr_t>(p) + kPage - 1) & ~(kPage - 1);
    const auto to = (reinterpret_cast<std::uintptr_t>(p) + bytes) & ~(kPage - 1);
    if (bytes < kHugeAdviceFrom || to <= from) return;
    (void)::madvise(reinterpret_cast<void*>(from), to - from, MADV_HUGEPAGE);
#endif
}

// Big arrays get a mapping of their own, which is advised as a whole and given back whole;
// small ones come from malloc.
void* scratch_allocate(std::size_t bytes) {
    if (bytes == 0) return nullptr;
#ifdef __linux__
    if (bytes >= kHugeAdviceFrom) {
        void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) throw std::bad_alloc();
        (void)::madvise(p, bytes, MADV_HUGEPAGE);
        return p;
    }
#endif
    void* p = std::malloc(bytes);
    if (p == nullptr) throw std::bad_alloc();
    return p;
}

void scratch_release(void* p, std::size_t bytes) noexcept {
    if (p == nullptr) return;
#ifdef __linux__
    if (bytes >= kHugeAdviceFrom) {
        (void)::munmap(p, bytes);
        return;
    }
#endif
    std::free(p);
}

}  // namespace aecore::detail
