// The big per-call arrays of whole-ledger reports (src/scratch_memory.hpp): what is written
// is read back, on either side of the size from which an array takes a huge-page mapping.

#include <gtest/gtest.h>

#include <cstdint>
#include <numeric>
#include <vector>

#include "scratch_memory.hpp"

using aecore::detail::kHugeAdviceFrom;
using aecore::detail::resize_in_huge_pages;
using aecore::detail::ScratchArray;

TEST(ScratchMemory, ArraysSmallAndBigHoldWhatIsWrittenInThem) {
    for (const std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{1000}, kHugeAdviceFrom / 8 - 1,
                                kHugeAdviceFrom / 8, 3 * kHugeAdviceFrom / 8 + 5}) {
        ScratchArray<std::uint64_t> a(n);
        ASSERT_EQ(a.size(), n);
        for (std::size_t i = 0; i < n; ++i) a[i] = i * 2654435761u;
        std::uint64_t sum = 0, expected = 0;
        for (std::size_t i = 0; i < n; ++i) {
            sum += a[i];
            expected += i * 2654435761u;
        }
        EXPECT_EQ(sum, expected) << n;
    }
}

TEST(ScratchMemory, AVectorResizedIntoHugePagesKeepsItsElementsAndZeroesTheNewOnes) {
    std::vector<std::int64_t> v{7, -8, 9};
    const std::size_t n = 2 * kHugeAdviceFrom / sizeof(std::int64_t) + 3;
    resize_in_huge_pages(v, n);
    ASSERT_EQ(v.size(), n);
    EXPECT_EQ(v[0], 7);
    EXPECT_EQ(v[1], -8);
    EXPECT_EQ(v[2], 9);
    EXPECT_EQ(std::accumulate(v.begin() + 3, v.end(), std::int64_t{0}, [](std::int64_t s, std::int64_t x) { return s + (x != 0); }), 0);
    std::iota(v.begin(), v.end(), std::int64_t{0});
    resize_in_huge_pages(v, 10);  // shrinking keeps the first elements
    ASSERT_EQ(v.size(), 10u);
    EXPECT_EQ(v[9], 9);
    std::vector<std::int64_t> small;
    resize_in_huge_pages(small, 5);  // a small one as resize() would make it
    EXPECT_EQ(small, std::vector<std::int64_t>(5, 0));
}
