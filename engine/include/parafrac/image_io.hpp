#pragma once
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <iosfwd>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "parafrac/frame.hpp"

namespace parafrac {

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

// A PNG's text (tEXt, zTXt and iTXt chunks, wherever they are), without decoding its pixels, so
// opening a file from anywhere costs bounded memory and time whatever its header claims. Every
// other chunk is skipped unread; pixels that are damaged do not matter. A text chunk that is
// damaged (bad CRC, bad compressed data, no keyword) or larger than kMaxTextChunk, in the file or
// once inflated, is skipped, as libpng drops a damaged ancillary chunk: the text we need is short,
// and a large comment from another program must not stop the file from opening. Once
// kMaxTextTotal bytes of text have been read or inflated, later text chunks are skipped too.
// Throws Error naming the file when it cannot be read, is not a PNG, or its chunk structure is
// truncated or broken before IEND.
inline constexpr std::size_t kMaxTextChunk = std::size_t{1} << 20;
inline constexpr std::size_t kMaxTextTotal = std::size_t{4} << 20;
TextChunks read_png_text(const std::filesystem::path& path);
// The same from any stream (memory, for a fuzzer); `name` names the source in messages. Large
// chunks are sought past, so the stream must be seekable.
TextChunks read_png_text(std::istream& in, const std::string& name);
// A PNG written a band of rows at a time, for images too large to hold whole. Text chunks go
// after the pixels (readers, read_png included, find them there too), so they may hold what is
// only known at the end, such as the render time. Throws Error on a write failure.
class PngStream {
 public:
  PngStream(std::FILE* out, int width, int height);
  ~PngStream();
  PngStream(const PngStream&) = delete;
  PngStream& operator=(const PngStream&) = delete;

  void write_rows(const RgbImage& band);  // band.width == width; rows follow the previous ones
  void finish(const TextChunks& text);    // after every row

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Raw little-endian int32 iteration counts, row-major; a band's frame appends its rows.
void write_i32(std::FILE* out, const Frame& frame);
// A P4 bitmap: a bit set (black) where the point never escaped, rows padded to whole bytes.
void write_pbm(std::FILE* out, const Frame& frame, std::uint32_t max_iter);
// The same in pieces: the header for the whole image, then each band's rows in order.
void write_pbm_header(std::FILE* out, int width, int height);
void write_pbm_rows(std::FILE* out, const Frame& band, std::uint32_t max_iter);

}  // namespace parafrac
