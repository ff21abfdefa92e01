#pragma once
// A synthetic agency book of any size, for benchmarks, load tests and notebooks that need
// volume: `clients` clients, each with `jobs_per_client` open job tickets carrying an
// approved estimate, and `entries` ledger entries (commitments, vendor costs, invoices and
// payments, half of them in two instalments) spread over `days` days from `start`. Every
// posting goes through the public Agency API, so the book obeys every rule; the same spec
// (seed included) always gives the same book, byte for byte.

#include <cstddef>
#include <cstdint>

#include "aecore/agency.hpp"

namespace aecore {

struct SyntheticSpec {
    int clients = 1000;            ///< 1..100000
    int jobs_per_client = 20;      ///< 1..1000
    std::size_t entries = 100000;  ///< ledger entries to post (at least; a payment may post two)
    std::uint32_t seed = 42;
    Date start{2016, 1, 4};  ///< first posting day
    int days = 3650;         ///< postings fall in [start, start + days)
};

/// Builds the book. ValidationError (rule MB-3, field "synthetic.<name>") for a spec
/// outside the ranges above.
[[nodiscard]] Agency synthetic_agency(const SyntheticSpec& spec);

}  // namespace aecore
