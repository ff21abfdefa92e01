#include "atomic_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <new>
#include <system_error>
#include <vector>

#include "aecore/error.hpp"

namespace aecore {

namespace {

[[noreturn]] void io_fail(std::string_view rule, const std::filesystem::path& path, const std::string& what, int err) {
    // Paths are quoted in full: the file name is the part a reader needs.
    throw IoError(std::string(rule), "path", quote(path.string(), std::string::npos), what + ": " + std::strerror(err));
}

// Closes the descriptor and removes the temporary file unless released.
class TempFile {
public:
    TempFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    ~TempFile() {
        if (fd_ >= 0) ::close(fd_);
        if (!path_.empty()) ::unlink(path_.c_str());
    }
    [[nodiscard]] int fd() const noexcept { return fd_; }
    int close() noexcept {
        const int rc = ::close(fd_);
        fd_ = -1;
        return rc;
    }
    void release() noexcept { path_.clear(); }
    /// Keeps the descriptor open: the caller owns it now.
    int release_fd() noexcept {
        const int fd = fd_;
        fd_ = -1;
        return fd;
    }

private:
    int fd_;
    std::string path_;
};

constexpr std::size_t kBlock = std::size_t{4} << 20;  // a multiple of any block size O_DIRECT asks for

// A buffer of up to kBlock bytes aligned for O_DIRECT, filled from its start. It grows
// as it fills (from 64 KiB), so that a small file costs no 4 MiB of memory.
class Block {
public:
    Block() = default;
    Block(const Block&) = delete;
    Block& operator=(const Block&) = delete;
    ~Block() { std::free(data_); }
    [[nodiscard]] const char* data() const noexcept { return data_; }
    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    /// Copies as much of `text` as fits in kBlock and returns how much that was.
    std::size_t append(std::string_view text) {
        const std::size_t n = std::min(text.size(), kBlock - size_);
        if (size_ + n > capacity_) grow(size_ + n);
        std::memcpy(data_ + size_, text.data(), n);
        size_ += n;
        return n;
    }
    void clear() noexcept { size_ = 0; }

private:
    void grow(std::size_t need) {
        std::size_t capacity = std::max<std::size_t>(capacity_, std::size_t{64} << 10);
        while (capacity < need) capacity *= 2;
        capacity = std::min(capacity, kBlock);
        void* p = nullptr;
        if (::posix_memalign(&p, 4096, capacity) != 0) throw std::bad_alloc();
        if (size_ != 0) std::memcpy(p, data_, size_);
        std::free(data_);
        data_ = static_cast<char*>(p);
        capacity_ = capacity;
    }
    char* data_ = nullptr;
    std::size_t size_ = 0, capacity_ = 0;
};

// Turns O_DIRECT on or off for `fd`; false when the file system does not take it.
bool set_direct(int fd, bool on) noexcept {
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags < 0) return false;
    return ::fcntl(fd, F_SETFL, on ? (flags | O_DIRECT) : (flags & ~O_DIRECT)) == 0;
}

}  // namespace

void write_file_atomically(const std::filesystem::path& path, std::string_view data) {
    write_file_atomically(path, [data](const std::function<void(std::string_view)>& write) { write(data); });
}

void write_file_atomically(const std::filesystem::path& path,
                           const std::function<void(const std::function<void(std::string_view)>&)>& produce,
                           std::size_t direct_from) {
    if (path.empty()) throw IoError("PS-2", "path", quote(""), "must not be empty");
    const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    // Built with append: GCC 12 at -O3 warns falsely (-Wrestrict) on "." + string.
    std::string leaf(1, '.');
    leaf.append(path.filename().string()).append(".tmp-XXXXXX");
    const std::string tmpl = (dir / leaf).string();
    std::vector<char> name(tmpl.begin(), tmpl.end());
    name.push_back('\0');
    const int fd = ::mkstemp(name.data());
    if (fd < 0) io_fail("PS-2", path, "cannot create a temporary file in " + dir.string(), errno);
    TempFile tmp(fd, std::string(name.data()));

    // Keep the permissions of the file being replaced; new files get rw-r--r--.
    struct stat st {};
    const mode_t mode = ::stat(path.c_str(), &st) == 0 ? (st.st_mode & 07777) : 0644;
    if (::fchmod(fd, mode) != 0) io_fail("PS-2", path, "cannot set permissions", errno);

    // The pieces are gathered into whole blocks of kBlock bytes. Once the file has passed
    // direct_from, the blocks go to disk with O_DIRECT (where the file system takes it):
    // copying gigabytes into the page cache costs more than the disk itself does, since
    // every page of cache is new memory, and a document that big is not read back soon.
    // The first blocks, and the last part block, go through the cache as usual.
    Block block;
    off_t written = 0;
    bool direct = false, direct_failed = false;
    const auto put = [&](const char* p, std::size_t left) {
        while (left > 0) {
            const ssize_t n = ::write(fd, p, left);
            if (n < 0) {
                if (errno == EINTR) continue;
                if (errno == EINVAL && direct) {  // O_DIRECT refused after all: write through the cache
                    set_direct(fd, false);
                    direct = false;
                    direct_failed = true;
                    continue;
                }
                io_fail("PS-2", path, "write failed", errno);
            }
            p += n;
            left -= static_cast<std::size_t>(n);
        }
    };
    const auto flush = [&] {
        const bool whole = block.size() == kBlock;
        if (whole && !direct && !direct_failed && static_cast<std::size_t>(written) >= direct_from) {
            direct = set_direct(fd, true);
            direct_failed = !direct;
        } else if (!whole && direct) {  // the last part block: O_DIRECT takes whole blocks only
            set_direct(fd, false);
            direct = false;
        }
        put(block.data(), block.size());
        // Start writing this block back to disk now (without waiting), so that the fsync
        // at the end has little left to do. Errors surface there.
        if (!direct) (void)::sync_file_range(fd, written, static_cast<off_t>(block.size()), SYNC_FILE_RANGE_WRITE);
        written += static_cast<off_t>(block.size());
        block.clear();
    };
    produce([&](std::string_view data) {
        while (!data.empty()) {
            data.remove_prefix(block.append(data));
            if (block.size() == kBlock) flush();
        }
    });
    if (block.size() != 0) flush();
    if (::fsync(fd) != 0) io_fail("PS-2", path, "fsync failed", errno);
    if (tmp.close() != 0) io_fail("PS-2", path, "close failed", errno);
    if (::rename(name.data(), path.c_str()) != 0) io_fail("PS-2", path, "cannot replace the file", errno);
    tmp.release();
    // Make the rename itself durable. The new file is in place already, so a failure
    // here is not reported as a failed save.
    const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
    if (dfd >= 0) {
        (void)::fsync(dfd);
        ::close(dfd);
    }
}

namespace {

// Whether most of a mapped file's pages are not in the page cache (one page in 64 looked at).
bool mostly_not_cached(const char* data, std::size_t size) noexcept {
    const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    std::vector<unsigned char> resident((size + page - 1) / page);
    if (::mincore(const_cast<char*>(data), size, resident.data()) != 0) return false;
    std::size_t looked = 0, cached = 0;
    for (std::size_t i = 0; i < resident.size(); i += 64, ++looked) cached += resident[i] & 1;
    return cached * 2 < looked;
}

}  // namespace

MappedFile::MappedFile(const std::filesystem::path& path, std::size_t min_size) : path_(path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) io_fail("PS-1", path, "cannot open", errno);
    TempFile guard(fd, "");
    struct stat st {};
    if (::fstat(fd, &st) != 0) io_fail("PS-1", path, "cannot stat", errno);
    if (S_ISDIR(st.st_mode)) io_fail("PS-1", path, "cannot read", EISDIR);
    if (S_ISREG(st.st_mode) && static_cast<std::size_t>(st.st_size) >= min_size && st.st_size > 0) {
        void* p = ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
        if (p != MAP_FAILED) {
            data_ = static_cast<const char*>(p);
            size_ = static_cast<std::size_t>(st.st_size);
            mapped_ = true;
            const bool cold = mostly_not_cached(data_, size_);  // before asking for any of it
            (void)::madvise(p, size_, MADV_SEQUENTIAL);
            announce(data_);
            // Not in the page cache (a file just written with O_DIRECT, or not read for a
            // while): the loader's page faults and read-ahead requests read it at a
            // fraction of the disk's pace (a 3 GB book: 13-18 s against 8.5-9.5 cached,
            // where the disk reads the file in 4-6 s), so a thread of its own reads it in
            // front to back. The mapping stays valid after the descriptor is closed; the
            // thread keeps the descriptor until it stops.
            if (cold) {
                try {
                    warm_fd_ = guard.release_fd();
                    warmer_ = std::thread([this] { warm(warm_fd_); });
                } catch (const std::system_error&) {  // no thread: the loader reads alone
                }
            }
            return;
        }
    }
    fd_ = guard.release_fd();  // read instead
}

MappedFile::~MappedFile() {
    stop_.store(true, std::memory_order_relaxed);
    if (warmer_.joinable()) warmer_.join();
    if (warm_fd_ >= 0) ::close(warm_fd_);
    if (data_) ::munmap(const_cast<char*>(data_), size_);
    if (fd_ >= 0) ::close(fd_);
}

void MappedFile::warm(int fd) noexcept {
    // 256 MiB ahead keeps the disk busy (it reads that in a quarter to half a second, the
    // loader in about one), and bounds the cache the load holds at once: with what the
    // loader releases dropped, the same few hundred MiB of pages are used again for the
    // whole file. (Pages the system has not used for a while cost a VM several
    // microseconds each on their first touch: some 6 s of CPU for 3 GB of new ones.)
    constexpr std::size_t kChunk = std::size_t{4} << 20, kWarmAhead = std::size_t{256} << 20;
    // sendfile into /dev/null has the kernel read the file into the page cache and hand
    // the pages on without copying them anywhere; reading them into a buffer (pread, the
    // fallback) cost a 3 GB book 4-6 s of kernel CPU (the copy, and the first touch of
    // every page), taken from the loader's cores.
    const int sink = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    void* buffer = nullptr;
    std::size_t at = 0;
    while (at < size_ && !stop_.load(std::memory_order_relaxed)) {
        // Not too far ahead of the loader: the page cache is memory too (a file bigger
        // than it would push out what the loader is about to read).
        if (at > released_.load(std::memory_order_relaxed) + kWarmAhead) {
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
            continue;
        }
        const std::size_t want = std::min(kChunk, size_ - at);
        ssize_t n = -1;
        if (sink >= 0 && !buffer) {
            off_t offset = static_cast<off_t>(at);
            n = ::sendfile(sink, fd, &offset, want);
            if (n < 0 && errno != EINTR) {  // not to be had here (EINVAL, ENOSYS...): pread
                buffer = std::malloc(kChunk);
                if (!buffer) break;
                continue;
            }
        } else {
            if (!buffer && !(buffer = std::malloc(kChunk))) break;
            n = ::pread(fd, buffer, want, static_cast<off_t>(at));
        }
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;  // an error or a file cut short: the loader's own reads will tell
        at += static_cast<std::size_t>(n);
        warmed_.store(at, std::memory_order_relaxed);
    }
    std::free(buffer);
    if (sink >= 0) ::close(sink);
}

std::string MappedFile::read_all() const {
    std::string out;
    struct stat st {};
    if (::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode)) out.reserve(static_cast<std::size_t>(st.st_size));
    char buf[1 << 16];
    for (;;) {
        const ssize_t n = ::read(fd_, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) continue;
            io_fail("PS-1", path_, "read failed", errno);
        }
        if (n == 0) break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
}

void MappedFile::release_before(const char* p) const noexcept {
    if (!data_ || p <= data_ || p > data_ + size_) return;
    released_.store(static_cast<std::size_t>(p - data_), std::memory_order_relaxed);
    const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    const std::size_t bytes = static_cast<std::size_t>(p - data_) / page * page;
    if (bytes) (void)::madvise(const_cast<char*>(data_), bytes, MADV_DONTNEED);
    // A file that was not in the page cache is read once, front to back: what the loader
    // is done with leaves the cache too, so that the pages are used again for what is
    // read next (new memory costs a VM a fault on its host per page) and a 3 GB book
    // leaves no 3 GB of cache behind it, pushing out what was there.
    if (warm_fd_ >= 0 && bytes > dropped_) {
        (void)::posix_fadvise(warm_fd_, static_cast<off_t>(dropped_), static_cast<off_t>(bytes - dropped_),
                              POSIX_FADV_DONTNEED);
        dropped_ = bytes;
    }
    announce(p);
}

void MappedFile::announce(const char* p) const noexcept {
    // A mapped file is read by page faults, and the kernel reads ahead of a fault only a
    // little (read_ahead_kb, 128 KiB by default): a file not in the page cache then loads
    // at a fraction of what the disk gives. Asking for the next kReadAhead bytes (once
    // each) has the kernel read them in big requests while the reader works. (A load's
    // first pass, the structural cut, asks for the whole file; the pass that parses it
    // then finds it in the page cache, where the cut left it.)
    constexpr std::size_t kReadAhead = std::size_t{256} << 20;
    const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    const auto at = static_cast<std::size_t>(p - data_);
    const std::size_t from = std::max(at / page * page, announced_);  // both on a page boundary
    const std::size_t to = std::min(size_, (at + kReadAhead + page - 1) / page * page);
    if (to <= from) return;
    // One request reads at most the device's read-ahead window (read_ahead_kb): ask in
    // pieces of that much, each of which the kernel starts reading and returns.
    constexpr std::size_t kPiece = std::size_t{4} << 20;
    for (std::size_t at_piece = from; at_piece < to; at_piece += kPiece)
        if (::madvise(const_cast<char*>(data_) + at_piece, std::min(kPiece, to - at_piece), MADV_WILLNEED) != 0)
            ++announce_errors_;
    announced_ = to;
}

}  // namespace aecore
