#include "parafrac/image_io.hpp"

#include <png.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <memory>

#include "parafrac/error.hpp"

namespace parafrac {
namespace {

[[noreturn]] void fail(const std::string& what, const std::filesystem::path& path, int error) {
  throw Error(what + " " + path.string() + ": " + std::strerror(error));
}

void write_all(std::FILE* out, const void* data, std::size_t bytes) {
  if (std::fwrite(data, 1, bytes, out) != bytes) throw Error(std::string("write failed: ") + std::strerror(errno));
}

}  // namespace

struct PngStream::State {
  png_structp png = nullptr;
  png_infop info = nullptr;
  int width = 0;
  int height = 0;
  int written = 0;
};

PngStream::PngStream(std::FILE* out, int width, int height) : state_(std::make_unique<State>()) {
  State* const s = state_.get();
  s->width = width;
  s->height = height;
  s->png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  s->info = s->png ? png_create_info_struct(s->png) : nullptr;
  if (!s->info) {
    png_destroy_write_struct(&s->png, nullptr);
    throw Error("out of memory while writing a PNG");
  }
  if (setjmp(png_jmpbuf(s->png))) {
    png_destroy_write_struct(&s->png, &s->info);
    throw Error("writing the PNG failed (disk full?)");
  }
  png_init_io(s->png, out);
  png_set_IHDR(s->png, s->info, width, height, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(s->png, s->info);
}

PngStream::~PngStream() {
  if (state_->png) png_destroy_write_struct(&state_->png, &state_->info);
}

void PngStream::write_rows(const RgbImage& band) {
  State* const s = state_.get();
  if (band.width != s->width || s->written + band.height > s->height)
    throw Error("a PNG band does not fit the image");
  // libpng reports errors by longjmp; nothing with a destructor lives between here and there.
  if (setjmp(png_jmpbuf(s->png))) throw Error("writing the PNG failed (disk full?)");
  for (int y = 0; y < band.height; ++y)
    png_write_row(s->png, const_cast<std::uint8_t*>(band.pixels.data()) + static_cast<std::size_t>(y) * band.width * 3);
  s->written += band.height;
}

namespace {

// Apart from finish(): no object with a destructor may live in a frame that setjmp returns to.
void write_png_end(png_structp png, png_infop info, png_text* text, int count) {
  if (setjmp(png_jmpbuf(png))) throw Error("writing the PNG failed (disk full?)");
  if (count > 0) png_set_text(png, info, text, count);
  png_write_end(png, info);
}

}  // namespace

void PngStream::finish(const TextChunks& text_chunks) {
  State* const s = state_.get();
  if (s->written != s->height) throw Error("a PNG was finished before all its rows");
  std::vector<png_text> text(text_chunks.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    text[i] = {};
    text[i].compression = PNG_TEXT_COMPRESSION_NONE;
    text[i].key = const_cast<char*>(text_chunks[i].first.c_str());
    text[i].text = const_cast<char*>(text_chunks[i].second.c_str());
    text[i].text_length = text_chunks[i].second.size();
  }
  write_png_end(s->png, s->info, text.data(), static_cast<int>(text.size()));
}

void write_png(std::FILE* out, const RgbImage& image) {
  PngStream stream(out, image.width, image.height);
  stream.write_rows(image);
  stream.finish(image.text);
}

RgbImage read_png(const std::filesystem::path& path) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> in(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!in) fail("cannot read", path, errno);
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png ? png_create_info_struct(png) : nullptr;
  if (!info) {
    png_destroy_read_struct(&png, nullptr, nullptr);
    throw Error("out of memory while reading a PNG");
  }
  // On the heap: a local changed between setjmp and longjmp would be indeterminate afterwards.
  auto result = std::make_unique<RgbImage>();
  RgbImage* const image = result.get();
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_read_struct(&png, &info, nullptr);
    throw Error(path.string() + " is not a readable PNG");
  }
  png_init_io(png, in.get());
  png_read_info(png, info);
  // Whatever the file holds, hand back 8-bit RGB.
  png_set_expand(png);
  png_set_strip_16(png);
  png_set_strip_alpha(png);
  png_set_gray_to_rgb(png);
  png_read_update_info(png, info);
  image->width = static_cast<int>(png_get_image_width(png, info));
  image->height = static_cast<int>(png_get_image_height(png, info));
  image->pixels.resize(static_cast<std::size_t>(image->width) * image->height * 3);
  for (int y = 0; y < image->height; ++y)
    png_read_row(png, image->pixels.data() + static_cast<std::size_t>(y) * image->width * 3, nullptr);
  png_read_end(png, info);
  png_textp text = nullptr;
  const int count = png_get_text(png, info, &text, nullptr);
  for (int i = 0; i < count; ++i) image->text.emplace_back(text[i].key, std::string(text[i].text, text[i].text_length));
  png_destroy_read_struct(&png, &info, nullptr);
  return std::move(*result);
}

void write_i32(std::FILE* out, const Frame& frame) {
  static_assert(std::endian::native == std::endian::little, "i32 output assumes a little-endian host");
  for (std::uint32_t count : frame.counts)
    if (count > static_cast<std::uint32_t>(INT32_MAX)) throw Error("an iteration count does not fit int32");
  write_all(out, frame.counts.data(), frame.counts.size() * sizeof(std::uint32_t));
}

void write_pbm(std::FILE* out, const Frame& frame, std::uint32_t max_iter) {
  write_pbm_header(out, frame.width, frame.height);
  write_pbm_rows(out, frame, max_iter);
}

void write_pbm_header(std::FILE* out, int width, int height) {
  const std::string header = "P4\n" + std::to_string(width) + " " + std::to_string(height) + "\n";
  write_all(out, header.data(), header.size());
}

void write_pbm_rows(std::FILE* out, const Frame& frame, std::uint32_t max_iter) {
  std::vector<std::uint8_t> row((frame.width + 7) / 8);
  const int whole = frame.width / 8;  // bytes of 8 pixels; a partial last byte is padded with 0
  for (int y = 0; y < frame.height; ++y) {
    const std::uint32_t* counts = frame.counts.data() + static_cast<std::size_t>(y) * frame.width;
    // Branch-free, 8 pixels a byte, so the compiler can vectorise it: this runs for every pixel.
    for (int b = 0; b < whole; ++b) {
      unsigned byte = 0;
      for (int k = 0; k < 8; ++k) byte |= static_cast<unsigned>(counts[8 * b + k] == max_iter) << (7 - k);
      row[b] = static_cast<std::uint8_t>(byte);
    }
    if (whole < static_cast<int>(row.size())) {
      unsigned byte = 0;
      for (int x = 8 * whole; x < frame.width; ++x) byte |= static_cast<unsigned>(counts[x] == max_iter) << (7 - x % 8);
      row[whole] = static_cast<std::uint8_t>(byte);
    }
    write_all(out, row.data(), row.size());
  }
}

}  // namespace parafrac
