#include "parafrac/image_io.hpp"

#include <png.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <istream>
#include <memory>
#include <optional>
#include <string_view>

#include "parafrac/error.hpp"
#include "parafrac/view.hpp"

namespace parafrac {
namespace {

[[noreturn]] void fail(const std::string& what, const std::filesystem::path& path, int error) {
  throw Error(what + " " + path.string() + ": " + std::strerror(error));
}

void write_all(std::FILE* out, const void* data, std::size_t bytes) {
  if (std::fwrite(data, 1, bytes, out) != bytes) throw Error(std::string("write failed: ") + std::strerror(errno));
}

// libpng's default handlers print "libpng error: ..." to stderr before we say the same in one
// line. Ours stay quiet: an error keeps libpng's words (when there is a place for them) for our
// message and jumps back to the setjmp as the default does; a warning is about a chunk we do
// not need.
struct PngMessage {
  char text[160] = "";
};

void on_png_error(png_structp png, png_const_charp message) {
  if (auto* kept = static_cast<PngMessage*>(png_get_error_ptr(png)))
    std::snprintf(kept->text, sizeof kept->text, "%s", message);
  png_longjmp(png, 1);
}

void on_png_warning(png_structp, png_const_charp) {}

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
  s->png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, on_png_error, on_png_warning);
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
  // On the heap: a local changed between setjmp and longjmp would be indeterminate afterwards.
  auto result = std::make_unique<RgbImage>();
  RgbImage* const image = result.get();
  const auto why = std::make_unique<PngMessage>();
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, why.get(), on_png_error, on_png_warning);
  png_infop info = png ? png_create_info_struct(png) : nullptr;
  if (!info) {
    png_destroy_read_struct(&png, nullptr, nullptr);
    throw Error("out of memory while reading a PNG");
  }
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_read_struct(&png, &info, nullptr);
    throw Error(path.string() + " is not a readable PNG (" + why->text + ")");
  }
  png_init_io(png, in.get());
  // Bounded like everything else read from outside: no chunk over kMaxTextChunk (an oversized
  // ancillary chunk is otherwise only a warning, after libpng has allocated it), no image larger
  // than a frame may be (a 69-byte header can claim 10^12 pixels).
  png_set_chunk_malloc_max(png, kMaxTextChunk);
  png_set_benign_errors(png, 0);
  png_set_user_limits(png, kMaxImageSide, kMaxImageSide);
  png_read_info(png, info);
  if (static_cast<long long>(png_get_image_width(png, info)) * png_get_image_height(png, info) > kMaxFramePixels)
    png_error(png, "larger than an image may be");
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

namespace {

// The chunk layout (PNG specification, 5.3): a big-endian length of at most 2^31 - 1, a type of
// four ASCII letters, the data, and a CRC-32 over type and data.
constexpr std::array<char, 8> kPngSignature{'\x89', 'P', 'N', 'G', '\r', '\n', '\x1a', '\n'};
constexpr std::uint32_t kMaxChunkLength = 0x7fffffff;

std::uint32_t big_endian(const char* bytes) {
  const auto byte = [&](int i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])); };
  return byte(0) << 24 | byte(1) << 16 | byte(2) << 8 | byte(3);
}

bool read_exactly(std::istream& in, char* data, std::size_t size) {
  in.read(data, static_cast<std::streamsize>(size));
  return static_cast<std::size_t>(in.gcount()) == size;
}

// Passes over `size` bytes unread. A large chunk (pixels, a bomb's claimed length) is sought
// past; a small one is read through the stream's buffer, which a seek would discard and refill
// for every chunk, so that a file of many tiny chunks still costs time in proportion to its size.
bool skip(std::istream& in, std::uint64_t size) {
  constexpr std::uint64_t kSeekFrom = 64 * 1024;
  if (size >= kSeekFrom) return static_cast<bool>(in.seekg(static_cast<std::streamoff>(size), std::ios::cur));
  in.ignore(static_cast<std::streamsize>(size));
  return static_cast<std::uint64_t>(in.gcount()) == size;
}

bool is_chunk_type(std::string_view type) {
  return std::all_of(type.begin(), type.end(), [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); });
}

std::uint32_t chunk_crc(std::string_view type, std::string_view data) {
  const auto bytes = [](std::string_view part) { return reinterpret_cast<const Bytef*>(part.data()); };
  const uLong crc = crc32(crc32(0, bytes(type), 4), bytes(data), static_cast<uInt>(data.size()));
  return static_cast<std::uint32_t>(crc);
}

// Inflates zlib data into `out`, stopping as soon as it would exceed `limit` bytes. False when the
// data is damaged, cut short or longer than that.
bool inflate_into(std::string_view compressed, std::size_t limit, std::string& out) {
  z_stream stream{};
  if (inflateInit(&stream) != Z_OK) throw Error("out of memory while reading PNG text");
  const std::unique_ptr<z_stream, int (*)(z_stream*)> end(&stream, &inflateEnd);
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  stream.avail_in = static_cast<uInt>(compressed.size());  // at most kMaxTextChunk
  std::array<char, 16384> buffer;
  for (;;) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer.data());
    stream.avail_out = static_cast<uInt>(buffer.size());
    const int status = inflate(&stream, Z_NO_FLUSH);
    const std::size_t produced = buffer.size() - stream.avail_out;
    if (out.size() + produced > limit) return false;
    out.append(buffer.data(), produced);
    if (status == Z_STREAM_END) return true;
    if (status != Z_OK) return false;  // Z_BUF_ERROR: no input left before the end; others: damaged
  }
}

// What the budget charges each text chunk read, beyond its bytes: two strings' overhead.
constexpr std::size_t kTextEntryCost = 2 * sizeof(std::string);

// The budget pays for every byte inflated, kept or not: a bomb costs its bound once, not per chunk.
std::optional<std::string> inflate_text(std::string_view compressed, std::size_t& budget) {
  std::string out;
  const bool whole = inflate_into(compressed, std::min(kMaxTextChunk, budget), out);
  budget -= std::min(out.size(), budget);
  if (!whole) return std::nullopt;
  return out;
}

// Splits "field\0rest" at the first NUL; nullopt when there is none.
std::optional<std::pair<std::string_view, std::string_view>> split_at_nul(std::string_view data) {
  const std::size_t nul = data.find('\0');
  if (nul == std::string_view::npos) return std::nullopt;
  return std::pair{data.substr(0, nul), data.substr(nul + 1)};
}

// One text chunk's (keyword, text), or nullopt when the chunk is malformed or inflates too far.
// tEXt: keyword NUL text. zTXt: keyword NUL method compressed-text. iTXt: keyword NUL flag method
// language NUL translated-keyword NUL text (compressed when flag is 1).
std::optional<TextChunks::value_type> decode_text(std::string_view type, std::string_view data, std::size_t& budget) {
  const auto fields = split_at_nul(data);
  if (!fields || fields->first.empty() || fields->first.size() > 79) return std::nullopt;
  const std::string_view keyword = fields->first, rest = fields->second;
  const auto entry = [&](std::string_view value) { return TextChunks::value_type(keyword, value); };
  if (type == "tEXt") return entry(rest);
  if (type == "zTXt") {
    if (rest.empty() || rest[0] != 0) return std::nullopt;  // 0, zlib, is the only method
    const auto value = inflate_text(rest.substr(1), budget);
    return value ? std::optional(entry(*value)) : std::nullopt;
  }
  if (rest.size() < 2 || rest[1] != 0 || (rest[0] != 0 && rest[0] != 1)) return std::nullopt;
  const auto language = split_at_nul(rest.substr(2));
  const auto translated = language ? split_at_nul(language->second) : std::nullopt;
  if (!translated) return std::nullopt;
  if (rest[0] == 0) return entry(translated->second);
  const auto value = inflate_text(translated->second, budget);
  return value ? std::optional(entry(*value)) : std::nullopt;
}

}  // namespace

TextChunks read_png_text(std::istream& in, const std::string& name) {
  std::array<char, 8> signature{};
  if (!read_exactly(in, signature.data(), signature.size()) || signature != kPngSignature)
    throw Error(name + " is not a PNG");
  const auto truncated = [&] { return Error(name + " is not a whole PNG: it ends before its IEND chunk"); };
  TextChunks text;
  std::size_t budget = kMaxTextTotal;
  for (;;) {
    std::array<char, 8> header;
    if (!read_exactly(in, header.data(), header.size())) throw truncated();
    const std::uint32_t length = big_endian(header.data());
    const std::string_view type(header.data() + 4, 4);
    if (length > kMaxChunkLength || !is_chunk_type(type))
      throw Error(name + " is a damaged PNG (a broken chunk header)");
    if (type == "IEND") return text;
    const bool is_text = type == "tEXt" || type == "zTXt" || type == "iTXt";
    if (!is_text || length > std::min(kMaxTextChunk, budget)) {
      // Pixels and anything too large are passed over unread: their size costs nothing.
      if (!skip(in, std::uint64_t{length} + 4)) throw truncated();
      continue;
    }
    std::string chunk(length + 4, '\0');  // the data, then the CRC
    if (!read_exactly(in, chunk.data(), chunk.size())) throw truncated();
    // A kept entry costs its strings' overhead too, so a million two-byte chunks stay bounded.
    budget -= std::min(budget, std::size_t{length} + kTextEntryCost);
    const std::string_view data(chunk.data(), length);
    if (chunk_crc(type, data) != big_endian(chunk.data() + length)) continue;  // damaged: dropped
    if (auto entry = decode_text(type, data, budget)) text.push_back(std::move(*entry));
  }
}

TextChunks read_png_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail("cannot read", path, errno);
  return read_png_text(in, path.string());
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
  std::vector<std::uint8_t> inside(static_cast<std::size_t>(frame.width) + 8), row((frame.width + 7) / 8);
  for (int y = 0; y < frame.height; ++y) {
    const std::uint32_t* counts = frame.counts.data() + static_cast<std::size_t>(y) * frame.width;
    // One byte (0 or 1) a pixel first, which the compiler vectorises, then eight of them at a time
    // into a byte of the bitmap by one multiply: 0x8040201008040201 moves the first pixel's byte
    // (the lowest) to the top byte's bit 7, the second's to bit 6, ..., and no two products
    // overlap, so nothing carries. The padding past the row's end stays 0.
    std::uint8_t* __restrict__ flags = inside.data();  // a byte store may alias the counts, else
    for (int x = 0; x < frame.width; ++x) flags[x] = counts[x] == max_iter;
    for (std::size_t b = 0; b < row.size(); ++b) {
      std::uint64_t eight;
      std::memcpy(&eight, inside.data() + 8 * b, sizeof eight);
      if constexpr (std::endian::native == std::endian::big) eight = __builtin_bswap64(eight);
      row[b] = static_cast<std::uint8_t>((eight * 0x8040201008040201ULL) >> 56);
    }
    write_all(out, row.data(), row.size());
  }
}

}  // namespace parafrac
