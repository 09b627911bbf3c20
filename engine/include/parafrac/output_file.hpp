#pragma once
#include <cstdio>
#include <filesystem>

namespace parafrac {

// A file written all or nothing: data goes to a temporary file beside `path`, which commit()
// renames over it. Destroyed uncommitted, it removes the temporary and leaves `path` untouched.
// Opening it first tells an unwritable path before any expensive work. Throws Error.
class AtomicFile {
 public:
  explicit AtomicFile(std::filesystem::path path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  std::FILE* stream() { return stream_; }
  const std::filesystem::path& path() const { return path_; }
  void commit();

 private:
  void discard_temporary();

  std::filesystem::path path_;
  std::filesystem::path temporary_;
  std::FILE* stream_ = nullptr;
};

}  // namespace parafrac
