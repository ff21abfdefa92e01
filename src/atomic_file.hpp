#pragma once
// Internal: atomic file replacement and whole-file reads, reporting IoError.

#include <filesystem>
#include <string>
#include <string_view>

namespace aecore {

/// Writes `data` to a temporary file in the target's directory, flushes and fsyncs it,
/// then renames it over `path` and fsyncs the directory (PS-2). On any failure the
/// temporary file is removed, `path` is untouched and IoError is thrown.
void write_file_atomically(const std::filesystem::path& path, std::string_view data);

/// The whole file; IoError when it cannot be opened or read.
[[nodiscard]] std::string read_whole_file(const std::filesystem::path& path);

}  // namespace aecore
