#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <optional>
#include <random>
#include <sstream>

#include "parafrac/error.hpp"
#include "parafrac/image_io.hpp"
#include "parafrac/metadata.hpp"
#include "parafrac/output_file.hpp"
#include "parafrac/palette.hpp"
#include "parafrac/strategy.hpp"

namespace parafrac {
namespace {

namespace fs = std::filesystem;

class ImageIo : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("parafrac-test-" + std::to_string(::getpid()) + "-" +
                                        testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::vector<fs::path> files() const {
    std::vector<fs::path> found;
    for (const auto& entry : fs::directory_iterator(dir_)) found.push_back(entry.path().filename());
    return found;
  }
  static std::string contents(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
  }
  fs::path dir_;
};

TEST_F(ImageIo, PngRoundTripsPixelsAndText) {
  RgbImage image{5, 3, {}, {{"parafrac.center", "-0.5,0"}, {"Software", "Parafrac"}}};
  for (int i = 0; i < 5 * 3 * 3; ++i) image.pixels.push_back(static_cast<std::uint8_t>(i * 17));
  {
    OutputFile out(dir_ / "a.png");
    write_png(out.stream(), image);
    out.commit();
  }
  const RgbImage back = read_png(dir_ / "a.png");
  EXPECT_EQ(back.width, 5);
  EXPECT_EQ(back.height, 3);
  EXPECT_EQ(back.pixels, image.pixels);
  EXPECT_EQ(back.text, image.text);
}

TEST_F(ImageIo, ReadingANonPngIsAClearError) {
  std::ofstream(dir_ / "fake.png") << "not a png";
  EXPECT_THROW(read_png(dir_ / "fake.png"), Error);
  EXPECT_THROW(read_png(dir_ / "missing.png"), Error);
}

TEST_F(ImageIo, I32IsLittleEndianRowMajorAndPbmPacksBitsMsbFirst) {
  Frame frame(9, 2, false);
  for (std::size_t i = 0; i < frame.counts.size(); ++i) frame.counts[i] = i % 3 == 0 ? 50 : static_cast<std::uint32_t>(i);
  {
    OutputFile out(dir_ / "f.i32");
    write_i32(out.stream(), frame);
    out.commit();
    OutputFile pbm(dir_ / "f.pbm");
    write_pbm(pbm.stream(), frame, 50);
    pbm.commit();
  }
  const std::string raw = contents(dir_ / "f.i32");
  ASSERT_EQ(raw.size(), 9u * 2 * 4);
  EXPECT_EQ(raw.substr(4, 4), std::string("\x01\x00\x00\x00", 4));
  EXPECT_EQ(raw.substr(0, 4), std::string("\x32\x00\x00\x00", 4));
  // Set bits at x = 0, 3, 6 of row 0 and x = 0 (i = 9), 3 (i = 12), 6 (i = 15) of row 1.
  EXPECT_EQ(contents(dir_ / "f.pbm"), std::string("P4\n9 2\n\x92\x00\x92\x00", 7 + 4));
}

TEST_F(ImageIo, PbmSetsEveryBitPositionAsThePixelsSay) {
  std::mt19937 random(7);
  for (int width : {1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 100}) {
    Frame frame(width, 3, false);
    for (std::uint32_t& count : frame.counts) count = random() % 2 == 0 ? 50 : random() % 50;
    std::string expected = "P4\n" + std::to_string(width) + " 3\n";
    for (int y = 0; y < 3; ++y)
      for (int b = 0; b < (width + 7) / 8; ++b) {
        unsigned byte = 0;
        for (int k = 0; k < 8 && 8 * b + k < width; ++k)
          if (frame.counts[static_cast<std::size_t>(y) * width + 8 * b + k] == 50) byte |= 0x80u >> k;
        expected += static_cast<char>(byte);
      }
    {
      OutputFile pbm(dir_ / "bits.pbm");
      write_pbm(pbm.stream(), frame, 50);
      pbm.commit();
    }
    EXPECT_EQ(contents(dir_ / "bits.pbm"), expected) << "width " << width;
  }
}

TEST_F(ImageIo, ColouringPaintsTheInsideBlackAndTheOutsideNot) {
  const View view{-0.5, 0.0, 2.5, 64, 36};
  Frame frame(view.width, view.height, true);
  ASSERT_TRUE(make_strategy("serial")->render({grid_of(view), {100}, true}, frame, {}));
  const RgbImage image = colorize(frame, palette_named("ocean"));
  for (std::size_t i = 0; i < frame.counts.size(); ++i) {
    const bool black = image.pixels[3 * i] == 0 && image.pixels[3 * i + 1] == 0 && image.pixels[3 * i + 2] == 0;
    if (frame.counts[i] == 100) {
      EXPECT_TRUE(black) << "pixel " << i << " is inside the set";
    }
  }
  EXPECT_NE(image.pixels[0] + image.pixels[1] + image.pixels[2], 0) << "the corner is far outside the set";
  EXPECT_THROW(palette_named("nope"), Error);
}

}  // namespace
}  // namespace parafrac

namespace parafrac {
namespace {

TEST(Colorize, DrawsValuesNoKernelWritesBlackInsteadOfIndexingWithThem) {
  Frame frame(4, 1, true);
  frame.smooth = {std::numeric_limits<float>::quiet_NaN(), -5.0f, std::numeric_limits<float>::infinity(), 3.0f};
  const RgbImage image = colorize(frame, palette_named("fire"));
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(image.pixels[3 * i] + image.pixels[3 * i + 1] + image.pixels[3 * i + 2], 0) << "pixel " << i;
  EXPECT_NE(image.pixels[9] + image.pixels[10] + image.pixels[11], 0) << "an ordinary value gets a colour";
}

}  // namespace
}  // namespace parafrac

namespace parafrac {
namespace {

// PNG files made byte by byte, so that each test holds exactly the chunks it is about, bombs
// included. The CRC and Adler-32 are computed here bit by bit, independently of zlib.
std::uint32_t crc_of(std::string_view bytes) {
  std::uint32_t crc = 0xffffffff;
  for (const unsigned char byte : bytes) {
    crc ^= byte;
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
  }
  return ~crc;
}

std::string big_endian(std::uint32_t value) {
  return {static_cast<char>(value >> 24), static_cast<char>(value >> 16), static_cast<char>(value >> 8),
          static_cast<char>(value)};
}

// One chunk; `claimed` is the length its header states, when that is a lie.
std::string chunk(const std::string& type, const std::string& data, std::optional<std::uint32_t> claimed = {}) {
  return big_endian(claimed.value_or(static_cast<std::uint32_t>(data.size()))) + type + data +
         big_endian(crc_of(type + data));
}

// The signature and an IHDR for 8-bit RGB of that size; the chunks after it are the caller's.
std::string png_start(std::uint32_t width, std::uint32_t height) {
  return std::string("\x89PNG\r\n\x1a\n", 8) +
         chunk("IHDR", big_endian(width) + big_endian(height) + std::string("\x08\x02\x00\x00\x00", 5));
}

const std::string kIend = chunk("IEND", "");

std::string adler_tail(std::uint32_t a, std::uint32_t b) { return big_endian(b << 16 | a); }

// A zlib stream holding `text` in one stored (uncompressed) block.
std::string zlib_stored(const std::string& text) {
  std::uint32_t a = 1, b = 0;
  for (const unsigned char byte : text) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  const auto size = static_cast<std::uint16_t>(text.size());
  const auto inverse = static_cast<std::uint16_t>(~size);
  return std::string("\x78\x01\x01", 3) + static_cast<char>(size & 0xff) + static_cast<char>(size >> 8) +
         static_cast<char>(inverse & 0xff) + static_cast<char>(inverse >> 8) + text + adler_tail(a, b);
}

// A zlib stream that inflates to 1 + 258 * copies zero bytes: a literal 0, then copies of "258
// bytes from distance 1", 13 bits each in deflate's fixed Huffman code (RFC 1951, 3.2.6).
std::string zlib_zeros(std::size_t copies) {
  std::string out("\x78\x01", 2);
  unsigned pending = 0;
  int filled = 0;
  const auto put_bit = [&](unsigned bit) {
    pending |= bit << filled;
    if (++filled == 8) {
      out += static_cast<char>(pending);
      pending = 0;
      filled = 0;
    }
  };
  const auto put_code = [&](unsigned code, int bits) {  // Huffman codes go most significant bit first
    for (int i = bits - 1; i >= 0; --i) put_bit(code >> i & 1);
  };
  put_bit(1);  // the last block,
  put_bit(1);  // with the fixed codes (type 01, least significant bit first)
  put_bit(0);
  put_code(0x30, 8);  // literal 0
  for (std::size_t i = 0; i < copies; ++i) {
    put_code(0xc5, 8);  // length 258 (symbol 285)
    put_code(0, 5);     // distance 1
  }
  put_code(0, 7);  // end of block
  if (filled > 0) out += static_cast<char>(pending);
  const std::uint64_t length = 1 + 258 * static_cast<std::uint64_t>(copies);
  return out + adler_tail(1, static_cast<std::uint32_t>(length % 65521));
}

std::string text_chunk(const std::string& key, const std::string& value) { return chunk("tEXt", key + '\0' + value); }

// A number from /proc/self/status, in kB.
long long status_kb(const std::string& field) {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind(field + ":", 0) == 0) return std::stoll(line.substr(field.size() + 1));
  return -1;
}

// How far the address space grows at its peak while `read` runs, in kB: VmPeak less VmSize.
// Measured in a child process, whose peak starts where it stands at the fork, so that even an
// allocation that is never touched shows. -1 when `read` throws anything but Error (bad_alloc).
long long peak_growth_kb(const std::function<void()>& read) {
  int fds[2];
  if (pipe(fds) != 0) return -2;
  const pid_t child = fork();
  if (child == 0) {
    close(fds[0]);
    const long long before = status_kb("VmSize");
    long long growth = -1;
    try {
      read();
      growth = 0;
    } catch (const Error&) {
      growth = 0;
    } catch (...) {
    }
    if (growth == 0) growth = status_kb("VmPeak") - before;
    const bool sent = write(fds[1], &growth, sizeof growth) == sizeof growth;
    _exit(sent ? 0 : 1);
  }
  close(fds[1]);
  long long growth = -2;
  if (::read(fds[0], &growth, sizeof growth) != sizeof growth) growth = -2;
  close(fds[0]);
  waitpid(child, nullptr, 0);
  return growth;
}

class PngText : public ImageIo {
 protected:
  fs::path file(const std::string& name, const std::string& bytes) const {
    std::ofstream(dir_ / name, std::ios::binary) << bytes;
    return dir_ / name;
  }
  // A PNG as our writer makes it: the text after the pixels.
  fs::path written(const std::string& name, const RgbImage& image) const {
    std::FILE* out = std::fopen((dir_ / name).c_str(), "wb");
    write_png(out, image);
    std::fclose(out);
    return dir_ / name;
  }
  static RgbImage gradient(int width, int height, TextChunks text) {
    RgbImage image{width, height, {}, std::move(text)};
    for (int i = 0; i < width * height * 3; ++i) image.pixels.push_back(static_cast<std::uint8_t>(i * 7));
    return image;
  }
};

TEST_F(PngText, IsFoundAfterThePixelsWhereOurWriterPutsIt) {
  const RgbImage image = gradient(40, 30, {{"parafrac.center", "-0.5,0"}, {"Software", "Parafrac"}});
  EXPECT_EQ(read_png_text(written("a.png", image)), image.text);
}

TEST_F(PngText, ReadsEveryKindOfTextChunkBeforeAndAfterThePixels) {
  const std::string bytes = png_start(1, 1) + text_chunk("plain", "Latin-1 text") +
                            chunk("zTXt", std::string("deflated\0\0", 10) + zlib_stored("zlib text")) +
                            chunk("IDAT", "whatever the pixels are") +
                            chunk("iTXt", std::string("intl\0\0\0en\0Intl\0", 15) + "UTF-8 text") +
                            chunk("iTXt", std::string("intl-z\0\1\0\0\0", 11) + zlib_stored("deflated UTF-8")) + kIend;
  const TextChunks expected{
      {"plain", "Latin-1 text"}, {"deflated", "zlib text"}, {"intl", "UTF-8 text"}, {"intl-z", "deflated UTF-8"}};
  EXPECT_EQ(read_png_text(file("kinds.png", bytes)), expected);
  std::istringstream in(bytes);
  EXPECT_EQ(read_png_text(in, "memory"), expected) << "a stream reads as a file does";
}

TEST_F(PngText, DamagedOrOversizedTextChunksAreSkippedAndTheRestKept) {
  std::string bad_crc = text_chunk("parafrac.scale", "1");
  bad_crc[bad_crc.size() - 1] ^= 1;
  const std::string bytes = png_start(1, 1) + bad_crc + chunk("tEXt", "no keyword separator") +
                            chunk("zTXt", std::string("broken\0\0", 8) + "not zlib at all") +
                            text_chunk("big", std::string(kMaxTextChunk, 'x')) + text_chunk("kept", "yes") + kIend;
  EXPECT_EQ(read_png_text(file("damaged.png", bytes)), (TextChunks{{"kept", "yes"}}));
}

TEST_F(PngText, AnImageWhosePixelsAreDamagedStillOpensItsView) {
  const View view{-0.75, 0.1, 0.003, 40, 30};
  const fs::path path = written("view.png", gradient(40, 30, view_metadata(view, 777)));
  std::string bytes = contents(path);
  const std::size_t idat = bytes.find("IDAT");
  ASSERT_NE(idat, std::string::npos);
  for (std::size_t i = idat + 8; i < idat + 40; ++i) bytes[i] = '\x55';  // the pixel data, its CRC left stale
  file("view.png", bytes);
  EXPECT_THROW(read_png(path), Error) << "the pixels really are damaged";
  const SavedView saved = read_view_metadata(read_png_text(path));
  EXPECT_EQ(saved.view.center_re, view.center_re);
  EXPECT_EQ(saved.view.scale, view.scale);
  EXPECT_EQ(saved.max_iter, 777u);
}

TEST_F(PngText, ATruncatedOrForeignFileIsAOneLineErrorNamingIt) {
  const std::string whole = png_start(1, 1) + chunk("IDAT", std::string(100, 'p')) + text_chunk("k", "v") + kIend;
  const std::vector<std::pair<std::string, std::string>> cases{
      {"text.png", "not a png"},
      {"signature.png", whole.substr(0, 8)},
      {"in-idat.png", whole.substr(0, 60)},
      {"no-iend.png", whole.substr(0, whole.size() - kIend.size())},
      {"bad-type.png", png_start(1, 1) + big_endian(4) + "ID@T" + "xxxx" + "crc!" + kIend},
  };
  for (const auto& [name, bytes] : cases) {
    try {
      read_png_text(file(name, bytes));
      ADD_FAILURE() << name << " was read";
    } catch (const Error& error) {
      const std::string message = error.what();
      EXPECT_NE(message.find(name), std::string::npos) << message;
      EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    }
  }
  EXPECT_THROW(read_png_text(dir_ / "missing.png"), Error);
}

TEST_F(PngText, EveryBombCostsBoundedMemory) {
  constexpr long long kBoundKb = 64 * 1024;  // each bomb below asks for at least 150 MB
  // A 2 GB tEXt chunk claimed by a tiny file.
  const fs::path claim = file("claim.png", png_start(1, 1) + chunk("tEXt", std::string("k\0v", 3), 0x7ffffff0));
  // A 20000 x 20000 image (1.2 GB of pixels) in a few bytes, its text after the pixels.
  const fs::path huge = file("huge.png", png_start(20000, 20000) + chunk("IDAT", zlib_stored("\0")) +
                                             text_chunk("parafrac.scale", "1") + kIend);
  // A zTXt chunk just under the bound that inflates to 155 MB.
  const std::string zeros = zlib_zeros(600'000);
  ASSERT_LT(zeros.size(), kMaxTextChunk);
  const fs::path inflating = file("inflating.png", png_start(1, 1) + chunk("zTXt", std::string("z\0\0", 3) + zeros) +
                                                       text_chunk("kept", "yes") + kIend);
  // Two million two-byte text chunks: 28 MB of file, each chunk a vector entry of two strings.
  const std::string tiny = chunk("tEXt", std::string("a\0", 2));
  std::string many = png_start(1, 1);
  many.reserve(many.size() + 2'000'000 * tiny.size() + kIend.size());
  for (int i = 0; i < 2'000'000; ++i) many += tiny;
  const fs::path swarm = file("swarm.png", many + kIend);
  for (const fs::path& bomb : {claim, huge, inflating, swarm}) {
    const long long growth = peak_growth_kb([&] { read_png_text(bomb); });
    EXPECT_GE(growth, 0) << bomb << " threw something other than Error";
    EXPECT_LT(growth, kBoundKb) << bomb << " grew the address space by " << growth << " kB";
  }
  EXPECT_THROW(read_png_text(claim), Error);
  EXPECT_EQ(read_png_text(huge), (TextChunks{{"parafrac.scale", "1"}}));
  EXPECT_EQ(read_png_text(inflating), (TextChunks{{"kept", "yes"}})) << "the bomb is skipped, the rest kept";
}

TEST_F(PngText, LibpngSaysNothingOnStderrItsReasonIsInOurMessage) {
  std::string bad_crc = text_chunk("k", "v");
  bad_crc[bad_crc.size() - 1] ^= 1;  // libpng warns about a damaged ancillary chunk
  const fs::path path = written("w.png", gradient(4, 4, {}));
  const std::string bytes = contents(path);
  file("w.png", png_start(4, 4) + bad_crc + bytes.substr(8 + 25));
  testing::internal::CaptureStderr();
  EXPECT_NO_THROW(read_png(path));
  std::string message;
  try {
    read_png(file("cut.png", bytes.substr(0, bytes.size() / 2)));
  } catch (const Error& error) {
    message = error.what();
  }
  std::FILE* read_only = std::fopen(path.c_str(), "rb");  // every write fails
  EXPECT_THROW(write_png(read_only, gradient(4, 4, {})), Error);
  std::fclose(read_only);
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "");
  EXPECT_NE(message.find("cut.png is not a readable PNG ("), std::string::npos) << message;
}

}  // namespace
}  // namespace parafrac
