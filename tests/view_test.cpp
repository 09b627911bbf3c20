#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <sstream>
#include <string>
#include <utility>

#include "parafrac/error.hpp"
#include "parafrac/view.hpp"

namespace parafrac {
namespace {

const View kViews[] = {
    {},
    {-0.743643887, 0.131825904, 0.0001, 1280, 720},
    {0.25, -0.5, 1e-9, 17, 13},
    {-1.75, 0.0, 3e-12, 640, 480},
};

TEST(View, ZoomKeepsTheAnchorPixelsPoint) {
  for (const View& view : kViews)
    for (double factor : {2.0, 0.5, 1.1, 37.0})
      for (auto [x, y] : {std::pair{0.0, 0.0}, {view.width - 1.0, view.height * 0.3}, {3.25, 2.5}}) {
        const std::complex<double> before = view.pixel_to_complex(x, y);
        const View zoomed = view.zoomed(factor, x, y);
        const std::complex<double> after = zoomed.pixel_to_complex(x, y);
        EXPECT_DOUBLE_EQ(zoomed.scale, view.scale / factor);
        // Sub-pixel, up to the last bits of the coordinates themselves.
        const double resolution = 4 * std::numeric_limits<double>::epsilon() * std::abs(before);
        EXPECT_LE(std::abs(after - before), 1e-3 * zoomed.pixel_size() + resolution)
            << "zoom x" << factor << " about (" << x << "," << y << ") moved the anchor";
      }
}

TEST(View, PanMovesContentWithTheCursorAndRoundTrips) {
  for (const View& view : kViews) {
    const View moved = view.panned(40.0, -25.0);
    const double resolution = 1e-3 * view.pixel_size() + 4 * std::numeric_limits<double>::epsilon() *
                                                          std::abs(std::complex(view.center_re, view.center_im));
    EXPECT_LE(std::abs(moved.pixel_to_complex(50.0, 5.0) - view.pixel_to_complex(10.0, 30.0)), resolution);
    const View back = moved.panned(-40.0, 25.0);
    EXPECT_NEAR(back.center_re, view.center_re, resolution);
    EXPECT_NEAR(back.center_im, view.center_im, resolution);
  }
}

TEST(View, ImaginaryPartGrowsUpwardsAndPixelsAreSquare) {
  const View view{0.0, 0.0, 2.0, 4, 2};
  EXPECT_EQ(view.pixel_to_complex(0, 0), std::complex<double>(-1.5, 0.5));
  EXPECT_EQ(view.pixel_to_complex(3, 1), std::complex<double>(1.5, -0.5));
}

TEST(View, ValidateNamesWhatIsWrong) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  auto message = [](const View& view) {
    try {
      view.validate();
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_EQ(message({}), "accepted");
  EXPECT_NE(message({nan, 0, 2.5, 10, 10}).find("centre"), std::string::npos);
  EXPECT_NE(message({0, inf, 2.5, 10, 10}).find("centre"), std::string::npos);
  EXPECT_EQ(message({0, 0, 0.0, 10, 10}), "the scale must be a positive, finite number, not 0");
  EXPECT_EQ(message({0, 0, -1.0, 10, 10}), "the scale must be a positive, finite number, not -1");
  EXPECT_EQ(message({0, 0, nan, 10, 10}), "the scale must be a positive, finite number, not nan");
  EXPECT_NE(message({0, 0, 1.0, 0, 10}).find("size"), std::string::npos);
  EXPECT_NE(message({0, 0, 1.0, 100000, 10}).find("too large"), std::string::npos);
  EXPECT_NE(message({0, 0, 1.0, 70000, 100}).find("too large"), std::string::npos);
  EXPECT_EQ(message({-0.75, 0.1, 1e-17, 100, 100}),
            "scale 1e-17 is deeper than double precision resolves at this centre");
  EXPECT_EQ(message({0, 0, 1e-320, 100, 100}), "scale 1e-320 is deeper than double precision resolves at this centre")
      << "a scale too small to tell from zero is positive: it is refused for its depth";
  // Found by the parse fuzzer: a finite scale whose view's edges overflow to infinity.
  EXPECT_EQ(message({0, 0, 1e308, 65536, 1}), "scale 1e+308 reaches past the largest number a double holds");
  EXPECT_EQ(message({0, 0, 1e300, 10, 10}), "accepted") << "huge, but every pixel is a finite number";
}

TEST(Grid, SeedGridIsNumpysOgrid) {
  const Grid grid = seed_grid(3, 5);
  EXPECT_EQ(grid.re, (std::vector<double>{-1.5, -0.75, 0.0}));
  EXPECT_EQ(grid.im, (std::vector<double>{-1.0, -0.75, -0.5, -0.25, 0.0}));
  const Grid single = seed_grid(1, 1);  // NumPy keeps just the start for one point
  EXPECT_EQ(single.re, std::vector<double>{-1.5});
  EXPECT_EQ(single.im, std::vector<double>{-1.0});
}

// One axis of NumPy's values, read from a line of exact hexadecimal doubles.
std::vector<double> axis_from(const std::string& line) {
  std::vector<double> values;
  std::istringstream in(line);
  for (std::string word; in >> word;) values.push_back(std::strtod(word.c_str(), nullptr));
  return values;
}

// NumPy's own grid for the seed (tests/seed_oracle.py --grid): the real parts, the imaginary parts.
std::pair<std::vector<double>, std::vector<double>> numpy_seed_grid(int width, int height) {
  const std::string command =
      "/usr/bin/python3 " PARAFRAC_SEED_ORACLE " --grid " + std::to_string(width) + " " + std::to_string(height);
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return {};
  std::string text;
  char buffer[1 << 16];
  for (std::size_t got; (got = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) text.append(buffer, got);
  if (pclose(pipe) != 0) return {};
  const std::size_t newline = text.find('\n');
  if (newline == std::string::npos) return {};
  return {axis_from(text.substr(0, newline)), axis_from(text.substr(newline + 1))};
}

std::size_t differences(const std::vector<double>& ours, const std::vector<double>& numpys) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < ours.size(); ++i) count += ours[i] != numpys[i];
  return count;
}

// The seed's full-size grid, every point bit for bit. Small grids prove little: with 3 or 5
// points every formula is exact, while start + (stop - start) * i / (n - 1) misses NumPy's
// i * step + start at 663 of the 3000 columns.
TEST(Grid, SeedGridIsNumpysOgridAtFullSizeBitForBit) {
  const auto [re, im] = numpy_seed_grid(3000, 4000);
  ASSERT_EQ(re.size(), 3000u) << "NumPy's grid could not be read (is python3-numpy installed?)";
  ASSERT_EQ(im.size(), 4000u);
  const Grid grid = seed_grid(3000, 4000);
  EXPECT_EQ(differences(grid.re, re), 0u) << "columns whose real part differs from NumPy's";
  EXPECT_EQ(differences(grid.im, im), 0u) << "rows whose imaginary part differs from NumPy's";
}

TEST(Grid, BenchmarksGameGridFollowsItsDefinition) {
  const Grid grid = benchmarks_game_grid(200);
  for (int i = 0; i < 200; ++i) {
    EXPECT_EQ(grid.re[i], 2.0 * i / 200 - 1.5);
    EXPECT_EQ(grid.im[i], 2.0 * i / 200 - 1.0);
  }
}

TEST(Grid, ViewGridSamplesPixelCentres) {
  const View view{-0.5, 0.25, 1.0, 7, 3};
  const Grid grid = grid_of(view);
  ASSERT_EQ(grid.width(), 7);
  ASSERT_EQ(grid.height(), 3);
  EXPECT_EQ(grid.re[3], -0.5);
  EXPECT_EQ(grid.im[1], 0.25);
  EXPECT_EQ(grid.im[0], view.pixel_to_complex(0, 0).imag());
}

}  // namespace
}  // namespace parafrac
