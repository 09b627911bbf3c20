#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <limits>

#include "parafrac/error.hpp"
#include "parafrac/image_io.hpp"
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
