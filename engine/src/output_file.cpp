#include "parafrac/output_file.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
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

// What the symlink `link` (whose lstat is `status`) names, as a path from here: a relative link
// is relative to its own folder. Empty when only the kernel can follow it: a /proc link
// (/dev/stdout, /dev/fd/1, /proc/self/fd/1) names an open file, and its text ("pipe:[123]",
// "/tmp/x (deleted)") is no path. Errors name `output`, the path the user gave.
fs::path follow(const fs::path& link, const struct stat& status, const fs::path& output) {
  const fs::path folder = folder_of(link);
  char real[PATH_MAX];
  if (::realpath(folder.c_str(), real) && std::string_view(real).starts_with("/proc/")) return {};
  // The kernel's protected_symlinks rule, which following links by hand would bypass: in a
  // sticky folder anyone may write to (/tmp), follow only our own links or the folder owner's,
  // so no one can point root's output at /etc/shadow.
  struct stat dir;
  if (::stat(folder.c_str(), &dir) != 0) fail(output, errno);
  if ((dir.st_mode & S_ISVTX) && (dir.st_mode & S_IWOTH) && status.st_uid != ::geteuid() && status.st_uid != dir.st_uid)
    fail(output, EACCES);
  std::string text(PATH_MAX, '\0');
  const ssize_t length = ::readlink(link.c_str(), text.data(), text.size());
  if (length < 0) fail(output, errno);
  text.resize(static_cast<std::size_t>(length));
  const fs::path named(text);
  return named.is_absolute() ? named : folder / named;
}

// The process's umask, read without changing it (umask() sets it, which other threads would see).
mode_t current_umask() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.starts_with("Umask:")) return static_cast<mode_t>(std::stoul(line.substr(6), nullptr, 8));
  return 022;
}

std::string temporary_name() {
  static constexpr char kLetters[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  thread_local std::mt19937 random{std::random_device{}()};
  std::uniform_int_distribution<int> letter(0, sizeof kLetters - 2);
  std::string name = kTemporaryPrefix + std::to_string(::getpid()) + "-";
  for (int i = 0; i < 6; ++i) name += kLetters[letter(random)];
  return name;
}

// Removes, from `folder`, the temporaries of writers that are gone: a run killed with SIGKILL
// between naming its temporary and renaming it cannot clean up after itself. A writer holds a
// lock on its temporary (flock, which Linux maps to NFS locks there) from its creation to its
// rename, and the kernel drops it when the writer dies; so a temporary we can lock is a dead
// writer's, whatever its process id means here (another machine, another PID namespace). A
// named temporary (file systems without O_TMPFILE) is unlocked for the instant between its
// creation and its lock; a sweep in that instant fails the other run's write, cleanly.
void sweep_leftovers(const fs::path& folder) {
  DIR* const dir = ::opendir(folder.c_str());
  if (!dir) return;
  const std::string_view prefix = kTemporaryPrefix;
  while (const dirent* entry = ::readdir(dir)) {
    if (!std::string_view(entry->d_name).starts_with(prefix)) continue;
    const int fd = ::openat(::dirfd(dir), entry->d_name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) continue;
    struct stat status;
    if (::fstat(fd, &status) == 0 && S_ISREG(status.st_mode) && ::flock(fd, LOCK_EX | LOCK_NB) == 0)
      ::unlinkat(::dirfd(dir), entry->d_name, 0);
    ::close(fd);
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
    target = follow(target, status, path_);
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
  // file system cannot do that, a named one, private until its mode is set (a later run sweeps it
  // if this one is killed). A new file's mode is 0666 less the umask; a replaced file's is kept.
  int fd = ::open(folder.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
  if (fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {
    for (int attempt = 0; attempt < 100; ++attempt) {
      const fs::path name = folder / temporary_name();
      fd = ::open(name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
      if (fd >= 0) temporary_ = name;
      if (fd >= 0 || errno != EEXIST) break;
    }
    if (fd >= 0 && !replaced) ::fchmod(fd, 0666 & ~current_umask());
  }
  if (fd < 0) fail(path_, errno);
  ::flock(fd, LOCK_EX);  // held until this process closes it or dies: see sweep_leftovers
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
  bool written = std::fflush(stream) == 0 && !std::ferror(stream) && ::fsync(::fileno(stream)) == 0;
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
