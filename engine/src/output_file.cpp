#include "parafrac/output_file.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <string_view>
#include <utility>

#include "parafrac/error.hpp"

namespace parafrac {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(const fs::path& path, int error) {
  throw Error("cannot write " + path.string() + ": " + std::strerror(error));
}

// As the kernel counts hops through symlinks before it says ELOOP.
constexpr int kMaxSymlinkHops = 40;

fs::path folder_of(const fs::path& path) { return path.has_parent_path() ? path.parent_path() : fs::path("."); }

// What a symlink names, as a path from here (a relative link is relative to its own folder).
// Empty when it is one of /proc's magic links (/dev/stdout -> /proc/self/fd/1 -> "pipe:[123]"),
// whose text is not a path: only the kernel can follow those.
fs::path follow(const fs::path& link) {
  std::string text(PATH_MAX, '\0');
  const ssize_t length = ::readlink(link.c_str(), text.data(), text.size());
  if (length < 0) fail(link, errno);
  text.resize(static_cast<std::size_t>(length));
  if (text.starts_with("/proc/") || link.string().starts_with("/proc/")) return {};
  const fs::path named(text);
  return named.is_absolute() ? named : folder_of(link) / named;
}

std::string temporary_name() {
  static constexpr char kLetters[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  thread_local std::mt19937 random{std::random_device{}()};
  std::uniform_int_distribution<int> letter(0, sizeof kLetters - 2);
  std::string name = kTemporaryPrefix + std::to_string(::getpid()) + "-";
  for (int i = 0; i < 6; ++i) name += kLetters[letter(random)];
  return name;
}

// Removes, from `folder`, the temporaries of writers that no longer run: a run killed with
// SIGKILL between naming its temporary and renaming it cannot clean up after itself. A writer
// still alive (or one we may not signal, so alive too) keeps its file; so does this process.
void sweep_leftovers(const fs::path& folder) {
  DIR* const dir = ::opendir(folder.c_str());
  if (!dir) return;
  const std::string_view prefix = kTemporaryPrefix;
  while (const dirent* entry = ::readdir(dir)) {
    const std::string_view name = entry->d_name;
    if (!name.starts_with(prefix)) continue;
    pid_t writer = 0;
    const char* const digits = name.data() + prefix.size();
    const auto [end, error] = std::from_chars(digits, name.data() + name.size(), writer);
    if (error != std::errc() || *end != '-' || writer <= 0 || writer == ::getpid()) continue;
    if (::kill(writer, 0) == 0 || errno != ESRCH) continue;
    struct stat status;
    if (::fstatat(::dirfd(dir), entry->d_name, &status, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(status.st_mode))
      ::unlinkat(::dirfd(dir), entry->d_name, 0);
  }
  ::closedir(dir);
}

// A test hook: stop this process where a SIGKILL would strand the named temporary, so a test can
// kill it exactly there (waitpid with WUNTRACED tells the test it has arrived).
void stop_here_if_testing() {
  if (std::getenv("PARAFRAC_TEST_STOP_BEFORE_RENAME")) ::raise(SIGSTOP);
}

}  // namespace

OutputFile::OutputFile(const fs::path& path) : path_(path) {
  if (path_.empty()) throw Error("the output path is empty");
  if (path_ == "-") {
    stream_ = stdout;
    atomic_ = owns_stream_ = false;
    return;
  }
  // Follow the name through symlinks to what it finally is, one hop at a time, so a dangling
  // link's target can be created and a loop is one line, not an exception from deep inside.
  fs::path target = path_;
  struct stat status;
  for (int hops = 0;; ++hops) {
    if (::lstat(target.c_str(), &status) != 0) {
      if (errno != ENOENT) fail(path_, errno);
      open_temporary(target, nullptr);  // a new name (its folder is checked there)
      return;
    }
    if (!S_ISLNK(status.st_mode)) break;
    if (hops == kMaxSymlinkHops) fail(path_, ELOOP);
    target = follow(target);
    if (target.empty()) {
      open_in_place(path_);  // the kernel follows what only it can
      return;
    }
  }
  if (S_ISDIR(status.st_mode)) throw Error("cannot write " + path_.string() + ": it is a directory");
  if (S_ISREG(status.st_mode)) open_temporary(target, &status);
  else open_in_place(target);  // a device, FIFO or socket
}

void OutputFile::open_in_place(const fs::path& target) {
  atomic_ = false;
  const int fd = ::open(target.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) fail(path_, errno);
  struct stat status;
  if (::fstat(fd, &status) == 0 && S_ISDIR(status.st_mode)) {
    ::close(fd);
    throw Error("cannot write " + path_.string() + ": it is a directory");
  }
  stream_ = ::fdopen(fd, "wb");
  if (!stream_) {
    const int error = errno;
    ::close(fd);
    fail(path_, error);
  }
}

void OutputFile::open_temporary(const fs::path& target, const struct stat* replaced) {
  target_ = target;
  const fs::path folder = folder_of(target);
  sweep_leftovers(folder);
  // An unnamed file in the target's folder: a process killed mid-write leaves nothing. Where the
  // file system cannot do that, a named one (which a later run sweeps if this one is killed).
  // The mode is that of a new file (0666 less the umask) unless a file is being replaced.
  int fd = ::open(folder.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
  if (fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {
    for (int attempt = 0; attempt < 100; ++attempt) {
      const fs::path name = folder / temporary_name();
      fd = ::open(name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
      if (fd >= 0) temporary_ = name;
      if (fd >= 0 || errno != EEXIST) break;
    }
  }
  if (fd < 0) fail(path_, errno);
  if (replaced) {
    // The owner first: changing it may clear set-id bits that the mode then restores. Only root
    // may give a file away; anyone else's replacement is theirs, as with any editor's save.
    [[maybe_unused]] const int owner = ::fchown(fd, replaced->st_uid, replaced->st_gid);
    ::fchmod(fd, replaced->st_mode & 07777);
  }
  stream_ = ::fdopen(fd, "wb");
  if (!stream_) {
    const int error = errno;
    ::close(fd);
    discard_temporary();
    fail(path_, error);
  }
}

OutputFile::~OutputFile() {
  if (stream_ && owns_stream_) {
    std::fclose(stream_);
    discard_temporary();
  }
}

void OutputFile::discard_temporary() {
  if (!temporary_.empty()) ::unlink(temporary_.c_str());
}

void OutputFile::throw_if_failed() const {
  if (stream_ && std::ferror(stream_)) fail(path_, errno != 0 ? errno : EIO);
}

void OutputFile::commit() {
  std::FILE* const stream = std::exchange(stream_, nullptr);
  if (!stream) throw Error("cannot write " + path_.string() + ": already committed");
  if (!atomic_) {
    // Written into: all that is left is to push out what the stream still buffers.
    const bool written = std::fflush(stream) == 0 && !std::ferror(stream);
    const int error = errno;
    const bool closed = !owns_stream_ || std::fclose(stream) == 0;
    if (!written || !closed) fail(path_, written ? errno : error);
    return;
  }
  bool written = std::fflush(stream) == 0 && ::fsync(::fileno(stream)) == 0;
  int error = errno;
  if (written && temporary_.empty()) {
    // Give the unnamed file a name beside the target, then move it over the target.
    const std::string self = "/proc/self/fd/" + std::to_string(::fileno(stream));
    for (int attempt = 0; attempt < 100; ++attempt) {
      const fs::path name = folder_of(target_) / temporary_name();
      written = ::linkat(AT_FDCWD, self.c_str(), AT_FDCWD, name.c_str(), AT_SYMLINK_FOLLOW) == 0;
      error = errno;
      if (written) temporary_ = name;
      if (written || error != EEXIST) break;
    }
  }
  const bool closed = std::fclose(stream) == 0;
  if (written && closed) stop_here_if_testing();
  if (!written || !closed || std::rename(temporary_.c_str(), target_.c_str()) != 0) {
    const int cause = written && closed ? errno : error;
    discard_temporary();
    fail(path_, cause);
  }
}

}  // namespace parafrac
