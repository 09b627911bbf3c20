#pragma once
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "parafrac/frame.hpp"

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

using TextChunks = std::vector<std::pair<std::string, std::string>>;

// An 8-bit RGB image with PNG text metadata (key, value).
struct RgbImage {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> pixels;  // width * height * 3, row-major, top row first
  TextChunks text;
};

void write_png(std::FILE* out, const RgbImage& image);
RgbImage read_png(const std::filesystem::path& path);  // throws Error for a missing or bad file
// Raw little-endian int32 iteration counts, row-major.
void write_i32(std::FILE* out, const Frame& frame);
// A P4 bitmap: a bit set (black) where the point never escaped, rows padded to whole bytes.
void write_pbm(std::FILE* out, const Frame& frame, std::uint32_t max_iter);

}  // namespace parafrac
