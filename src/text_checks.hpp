#pragma once
// Shared validation of identifiers and free text (internal header).

#include <string>
#include <string_view>

namespace aecore {

/// Trimmed `text`; throws ValidationError when empty, longer than 200 characters or
/// containing control characters.
std::string checked_name(std::string_view text, std::string_view field, std::string_view rule);
/// Ids: 1–32 characters of A–Z a–z 0–9 . _ -
void check_id(std::string_view id, std::string_view field, std::string_view rule);
/// City codes: 1–8 upper-case letters A–Z.
void check_city_code(std::string_view code, std::string_view field, std::string_view rule);
/// Empty, or local@domain with a dot in the domain and no spaces.
void check_email(std::string_view email, std::string_view field, std::string_view rule);
/// Free text (addresses, notes, summaries): valid UTF-8, at most `max_chars` bytes, no
/// control characters other than tab and newline. May be empty.
void check_text(std::string_view text, std::string_view field, std::string_view rule, std::size_t max_chars = 20000);
/// Short codes: 1-12 upper-case letters A-Z or digits 0-9 (the NAME part of CL-1).
void check_short_code(std::string_view code, std::string_view field, std::string_view rule);

}  // namespace aecore
