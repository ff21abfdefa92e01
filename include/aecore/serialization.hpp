#pragma once
// Persistence (SPEC PS-1..PS-3). The whole agency is one JSON document:
//
//   { "schema": "aecore.Agency", "version": 6, "agency": {...}, "policy": {...},
//     "calendar": {...}, "staff": [...], "clients": [...], "activities": [...],
//     "contact_reports": [...], "meeting_notices": [...], "status_reports": [...],
//     "plans": [...], "jobs": [...], "time_entries": [...], "estimates": [...],
//     "ledger": [...], "rubrics": [...], "evaluations": [...], "sequences": {...} }
//
// Version history: 1 — agency, policy, calendar, staff (issue #2); 2 — clients and
// account-service routines (issue #3); 3 — 4P marketing plans (issue #4); 4 — job
// tickets and time sheets (issue #5); 5 — cost estimates and the ledger (issue #6; the
// migration posts the cost of already-approved time to the ledger); 6 — rubrics and
// performance evaluations (issue #7; the migration adds the built-in rubrics).
//
// Loading validates every field and names the JSON path of the first offending value
// in a SchemaError; documents of an older version are upgraded by migration functions
// run in order, a newer version is refused. Output is deterministic: keys in a fixed
// order, two-space indentation, a final newline, so that load → save reproduces a
// file byte for byte. Saves are atomic (temporary file, fsync, rename).
//
// The entry points are members of Agency: to_json / from_json / save / load.

#include <string_view>

namespace aecore::schema {

inline constexpr std::string_view kName = "aecore.Agency";
/// The version this build writes. Versions 1..kVersion load.
inline constexpr int kVersion = 6;

}  // namespace aecore::schema
