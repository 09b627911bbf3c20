#include "parafrac/output_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

#include "parafrac/error.hpp"

namespace parafrac {
namespace {

[[noreturn]] void fail(const std::string& what, const std::filesystem::path& path, int error) {
  throw Error(what + " " + path.string() + ": " + std::strerror(error));
}

}  // namespace

AtomicFile::AtomicFile(std::filesystem::path path) : path_(std::move(path)) {
  if (path_.empty()) throw Error("the output path is empty");
  if (std::filesystem::is_directory(path_)) throw Error("cannot write " + path_.string() + ": it is a directory");
  // An unnamed file in the target's directory: a process killed mid-write leaves nothing.
  // Where the file system cannot do that, a named temporary file that commit() renames.
  const std::filesystem::path folder = path_.has_parent_path() ? path_.parent_path() : ".";
  int fd = ::open(folder.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
  if (fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {
    std::string pattern = path_.string() + ".tmp-XXXXXX";
    fd = ::mkostemp(pattern.data(), O_CLOEXEC);
    if (fd >= 0) temporary_ = pattern;
  }
  if (fd < 0) fail("cannot write", path_, errno);
  ::fchmod(fd, 0644);
  stream_ = ::fdopen(fd, "wb");
  if (!stream_) {
    const int error = errno;
    ::close(fd);
    discard_temporary();
    fail("cannot write", path_, error);
  }
}

AtomicFile::~AtomicFile() {
  if (stream_) {
    std::fclose(stream_);
    discard_temporary();
  }
}

void AtomicFile::discard_temporary() {
  std::error_code ignored;
  if (!temporary_.empty()) std::filesystem::remove(temporary_, ignored);
}

void AtomicFile::commit() {
  std::FILE* stream = std::exchange(stream_, nullptr);
  bool written = std::fflush(stream) == 0 && ::fsync(::fileno(stream)) == 0;
  int error = errno;
  if (written && temporary_.empty()) {
    // Give the unnamed file a name beside the target, then move it over the target.
    std::string pattern = path_.string() + ".tmp-XXXXXX";
    const int placeholder = ::mkstemp(pattern.data());
    if (placeholder >= 0) {
      ::close(placeholder);
      ::unlink(pattern.c_str());
      const std::string self = "/proc/self/fd/" + std::to_string(::fileno(stream));
      written = ::linkat(AT_FDCWD, self.c_str(), AT_FDCWD, pattern.c_str(), AT_SYMLINK_FOLLOW) == 0;
      if (written) temporary_ = pattern;
    } else {
      written = false;
    }
    error = errno;
  }
  const bool closed = std::fclose(stream) == 0;
  if (!written || !closed || std::rename(temporary_.c_str(), path_.c_str()) != 0) {
    const int cause = written && closed ? errno : error;
    discard_temporary();
    fail("cannot write", path_, cause);
  }
}

}  // namespace parafrac
