#include "parafrac/image_io.hpp"

#include <fcntl.h>
#include <png.h>
#include <sys/stat.h>
#include <unistd.h>

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

void write_png(std::FILE* out, const RgbImage& image) {
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png ? png_create_info_struct(png) : nullptr;
  if (!info) {
    png_destroy_write_struct(&png, nullptr);
    throw Error("out of memory while writing a PNG");
  }
  // libpng reports errors by longjmp; nothing with a destructor lives between here and there.
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    throw Error("writing the PNG failed (disk full?)");
  }
  png_init_io(png, out);
  png_set_IHDR(png, info, image.width, image.height, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  std::vector<png_text> text(image.text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    text[i] = {};
    text[i].compression = PNG_TEXT_COMPRESSION_NONE;
    text[i].key = const_cast<char*>(image.text[i].first.c_str());
    text[i].text = const_cast<char*>(image.text[i].second.c_str());
    text[i].text_length = image.text[i].second.size();
  }
  if (!text.empty()) png_set_text(png, info, text.data(), static_cast<int>(text.size()));
  png_write_info(png, info);
  for (int y = 0; y < image.height; ++y)
    png_write_row(png, image.pixels.data() + static_cast<std::size_t>(y) * image.width * 3);
  png_write_end(png, info);
  png_destroy_write_struct(&png, &info);
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
  const std::string header = "P4\n" + std::to_string(frame.width) + " " + std::to_string(frame.height) + "\n";
  write_all(out, header.data(), header.size());
  std::vector<std::uint8_t> row((frame.width + 7) / 8);
  for (int y = 0; y < frame.height; ++y) {
    std::fill(row.begin(), row.end(), 0);
    const std::uint32_t* counts = frame.counts.data() + static_cast<std::size_t>(y) * frame.width;
    for (int x = 0; x < frame.width; ++x)
      if (counts[x] == max_iter) row[x / 8] |= static_cast<std::uint8_t>(0x80u >> (x % 8));
    write_all(out, row.data(), row.size());
  }
}

}  // namespace parafrac
