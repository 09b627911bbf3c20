#pragma once
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>

namespace parafrac {

// Where an output goes, written as coreutils would (DESIGN.md, Writing files):
// - "-" is standard output;
// - a device, FIFO or /proc link (/dev/stdout) is written into, never replaced;
// - a regular file or a new name is written to a temporary sibling that commit() renames over
//   it: all or nothing. A replaced file keeps its mode (and owner, where we may set it); a new one
//   gets 0666 less the umask;
// - a symlink is followed to the file it names, which is replaced; the link stays. A dangling
//   link creates its target. In a sticky folder anyone may write to (/tmp), only our own links
//   and the folder owner's are followed, as the kernel's protected_symlinks does for `>`.
// Opening checks everything about the destination that can be checked (the name, its folder,
// permissions, loops), so a bad path fails before any expensive work; it also sweeps the
// temporaries that killed runs left in that folder. Destroyed uncommitted, it leaves a replaced
// file untouched. Throws Error with one readable line, never std::filesystem::filesystem_error.
class OutputFile {
 public:
  explicit OutputFile(const std::filesystem::path& path);
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  std::FILE* stream() { return stream_; }
  const std::filesystem::path& path() const { return path_; }  // as given
  // Whether an unfinished write leaves the destination as it was. False for standard output, a
  // device or a FIFO: what was written there before a failure stays written.
  bool atomic() const { return atomic_; }
  void commit();
  // After a write through stream() failed: throws Error naming the output and the system's reason
  // ("No space left on device") when the stream recorded an error; returns otherwise.
  void throw_if_failed() const;

 private:
  void open_in_place(const std::filesystem::path& target);
  void open_temporary(const std::filesystem::path& target, const struct stat* replaced);
  void discard_temporary();

  std::filesystem::path path_;
  std::filesystem::path target_;     // the regular file commit() replaces (symlinks followed)
  std::filesystem::path temporary_;  // the temporary's name, once it has one
  std::FILE* stream_ = nullptr;
  bool atomic_ = true;
  bool owns_stream_ = true;  // false for standard output
};

// Temporaries are named ".parafrac-tmp-PID-XXXXXX" in the output's folder: short whatever the
// output's name. Their writer holds them locked (flock) until the rename, so a later run can
// tell a dead writer's leftovers (after SIGKILL) from a live one's. Exposed for tests.
inline constexpr const char* kTemporaryPrefix = ".parafrac-tmp-";

}  // namespace parafrac
