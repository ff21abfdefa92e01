#pragma once
// Internal: atomic file replacement and whole-file reads, reporting IoError.

#include <atomic>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <thread>

namespace aecore {

/// Writes `data` to a temporary file in the target's directory, flushes and fsyncs it,
/// then renames it over `path` and fsyncs the directory (PS-2). On any failure the
/// temporary file is removed, `path` is untouched and IoError is thrown.
void write_file_atomically(const std::filesystem::path& path, std::string_view data);

/// The same, for data produced piece by piece: `produce` is called once with a function
/// that appends a piece to the temporary file. Past `direct_from` bytes the file is written
/// in whole blocks with O_DIRECT where the file system takes it (tests lower it).
inline constexpr std::size_t kDirectWritesFrom = std::size_t{64} << 20;
void write_file_atomically(const std::filesystem::path& path,
                           const std::function<void(const std::function<void(std::string_view)>&)>& produce,
                           std::size_t direct_from = kDirectWritesFrom);

/// Calls `use` with the whole text of the file and a function that lets it drop the pages
/// before a position from memory (the text stays readable: they are read again from the
/// file if touched). A big regular file is mapped, anything else read. IoError when the
/// file cannot be opened or read. A mapped file must not be truncated while `use` runs.
template <class F>
auto with_file_text(const std::filesystem::path& path, F&& use);

/// A read-only mapping of a regular file of at least `min_size` bytes; IoError when it
/// cannot be opened; `mapped()` is false for smaller files and for files that cannot be
/// mapped (pipes...), which are read instead.
class MappedFile {
public:
    MappedFile(const std::filesystem::path& path, std::size_t min_size);
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;
    ~MappedFile();
    [[nodiscard]] bool mapped() const noexcept { return mapped_; }
    /// The whole file, read from the descriptor opened here (a pipe is opened only once).
    [[nodiscard]] std::string read_all() const;
    [[nodiscard]] std::string_view text() const noexcept { return {data_, size_}; }
    /// Drops the pages wholly before `p` from this process's memory (and, for a file that
    /// was mostly not in the page cache when mapped, from the page cache too), and has the
    /// kernel read the file ahead of `p` (256 MiB past it).
    void release_before(const char* p) const noexcept;
    /// Bytes from the start the kernel was asked to read ahead, and how many of those
    /// requests it refused (for tests).
    [[nodiscard]] std::size_t announced() const noexcept { return announced_; }
    [[nodiscard]] std::size_t announce_errors() const noexcept { return announce_errors_; }
    /// Whether a reader thread pulls the file into the page cache ahead of the loader (a
    /// mapped file mostly not in the cache when mapped), and how many bytes it has read.
    [[nodiscard]] bool warming() const noexcept { return warmer_.joinable(); }
    [[nodiscard]] std::size_t warmed() const noexcept { return warmed_.load(std::memory_order_relaxed); }

private:
    std::filesystem::path path_;
    int fd_ = -1;  // open while not mapped
    const char* data_ = nullptr;
    std::size_t size_ = 0;
    bool mapped_ = false;
    /// Asks the kernel to read the file up to a window past `p`, where not asked yet. Only
    /// the loading thread calls it.
    void announce(const char* p) const noexcept;
    mutable std::size_t announced_ = 0;  // bytes from the start asked for so far (a page multiple, or the size)
    mutable std::size_t announce_errors_ = 0;
    /// Reads the file front to back into the page cache (sendfile into /dev/null, else
    /// pread into a buffer of its own: none of it lands in this process's memory), at most
    /// kWarmAhead past the loader's last release.
    void warm(int fd) noexcept;
    int warm_fd_ = -1;
    mutable std::size_t dropped_ = 0;  // bytes from the start dropped from the page cache
    mutable std::atomic<std::size_t> released_{0};  // the loader's position (release_before)
    std::atomic<std::size_t> warmed_{0};
    std::atomic<bool> stop_{false};
    std::thread warmer_;  // last: started once the members above are set
};

template <class F>
auto with_file_text(const std::filesystem::path& path, F&& use) {
    // Files up to 256 MiB are read into memory. Bigger ones are mapped, so that memory stays
    // near the size of what is built from them; a mapped file must not be truncated in
    // place while it loads (the process would get SIGBUS). aecore's own saves never do
    // that: they write a new file and rename it over the old one.
    const MappedFile file(path, std::size_t{256} << 20);
    if (!file.mapped()) {
        const std::string text = file.read_all();
        return use(std::string_view(text), std::function<void(const char*)>());
    }
    return use(file.text(), std::function<void(const char*)>([&file](const char* p) { file.release_before(p); }));
}

}  // namespace aecore
