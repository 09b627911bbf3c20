// The SIMD kernel against the scalar reference: the same count and the same smooth value, bit
// for bit, for every pixel of many views, both escape tests and both starting points.
#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "parafrac/error.hpp"
#include "parafrac/frame.hpp"
#include "parafrac/kernel.hpp"

namespace parafrac {
namespace {

struct Result {
  Frame frame;
  std::uint64_t iterations = 0;
};

// Renders the whole grid tile by tile with one kernel.
Result render(Job job, KernelKind kernel, int tile_width, int tile_height, bool shortcuts = true) {
  job.params.kernel = kernel;
  job.params.shortcuts = shortcuts;
  Result result{Frame(job.grid.width(), job.grid.height(), job.smooth)};
  int index = 0;
  for (int y = 0; y < job.grid.height(); y += tile_height)
    for (int x = 0; x < job.grid.width(); x += tile_width) {
      const Tile tile{index++, x, y, std::min(tile_width, job.grid.width() - x), std::min(tile_height, job.grid.height() - y)};
      result.iterations += render_tile(job, tile, result.frame.canvas(), std::stop_token{}).value();
    }
  return result;
}

// How many pixels differ in count or in smooth value's bits; and the first one, for the message.
std::string compare(const Result& scalar, const Result& simd, std::size_t& differ) {
  differ = 0;
  std::string first;
  for (std::size_t i = 0; i < scalar.frame.counts.size(); ++i) {
    const bool same_smooth =
        scalar.frame.smooth.empty() || std::memcmp(&scalar.frame.smooth[i], &simd.frame.smooth[i], sizeof(float)) == 0;
    if (scalar.frame.counts[i] == simd.frame.counts[i] && same_smooth) continue;
    if (differ++ == 0)
      first = "pixel " + std::to_string(i) + ": scalar " + std::to_string(scalar.frame.counts[i]) + " simd " +
              std::to_string(simd.frame.counts[i]);
  }
  return first;
}

void expect_same(const Job& job, const std::string& what, int tile_width = 13, int tile_height = 7) {
  const Result scalar = render(job, KernelKind::scalar, tile_width, tile_height);
  const Result simd = render(job, KernelKind::simd, tile_width, tile_height);
  std::size_t differ = 0;
  const std::string first = compare(scalar, simd, differ);
  EXPECT_EQ(differ, 0u) << what << ": " << differ << " pixels differ, first " << first;
  EXPECT_EQ(simd.iterations, scalar.iterations) << what;
}

// The shortcuts skip work for points that never escape; they must not change a single pixel.
TEST(Shortcuts, ChangeNoCountAndNoSmoothValueInEitherKernel) {
  struct Case {
    const char* what;
    View view;
    std::uint32_t max_iter;
  };
  const Case cases[] = {
      {"the whole set", {-0.5, 0.0, 2.5, 160, 90}, 2000},
      {"the whole set, 50 iterations (the block kernel)", {-0.5, 0.0, 2.5, 160, 90}, 50},
      {"the cardioid's edge, 100 iterations", {-0.75, 0.1, 1e-2, 64, 48}, 100},
      {"the cusp of the cardioid", {0.25, 0.0, 1e-3, 64, 48}, 20000},
      {"closer to the cusp", {0.2499999, 0.0, 1e-7, 48, 32}, 50000},
      {"the cardioid's edge", {-0.75, 0.1, 1e-4, 64, 48}, 20000},
      {"where the bulb meets the cardioid", {-0.75, 0.0, 1e-5, 64, 48}, 20000},
      {"the period-2 bulb's edge", {-1.25, 0.0, 1e-6, 64, 48}, 20000},
      {"seahorse valley", {-0.743643887, 0.131825904, 1e-4, 64, 48}, 5000},
      {"a mini-brot", {-1.7497591451303665, 0.0, 1e-6, 64, 48}, 20000},
      {"a period-3 bulb", {-0.1225, 0.7449, 1e-3, 64, 48}, 20000},
  };
  for (const Case& c : cases)
    for (Start start : {Start::zero, Start::c}) {
      const Job job{grid_of(c.view), {c.max_iter, start, Escape::norm}, true};
      const Result raw = render(job, KernelKind::scalar, 16, 16, false);
      for (KernelKind kernel : {KernelKind::scalar, KernelKind::simd}) {
        const Result fast = render(job, kernel, 16, 16, true);
        std::size_t differ = 0;
        const std::string first = compare(raw, fast, differ);
        EXPECT_EQ(differ, 0u) << c.what << (kernel == KernelKind::simd ? " (simd)" : " (scalar)") << ": " << differ
                              << " pixels differ, first " << first;
        EXPECT_EQ(fast.iterations, raw.iterations) << c.what << ": the work reported is the nominal work";
      }
    }
}

TEST(SimdKernel, NamesTheInstructionSetItUses) { EXPECT_FALSE(simd_target().empty()); }

// Every instruction set the kernel is built for and this CPU runs, capped one at a time, so a
// machine with AVX-512 tests the AVX2 and SSE4 code too (DESIGN.md, SIMD).
class EveryTarget : public testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    cap_simd_target(GetParam());
    ASSERT_EQ(simd_target(), GetParam()) << "the cap did not take";
  }
  void TearDown() override { cap_simd_target(""); }
};

INSTANTIATE_TEST_SUITE_P(Targets, EveryTarget, testing::ValuesIn(simd_targets()),
                         [](const testing::TestParamInfo<std::string>& info) { return info.param; });

TEST(SimdKernel, ACapOutsideTheTargetsIsAnErrorNamingThem) {
  try {
    cap_simd_target("NEON");
    ADD_FAILURE() << "capped at a target this build lacks";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(simd_targets().front()), std::string::npos) << e.what();
  }
  EXPECT_EQ(simd_target(), simd_targets().front()) << "a refused cap changes nothing";
}

TEST_P(EveryTarget, MatchesTheScalarReferenceOnManyViews) {
  // Places with every kind of point: deep boundary, mini-brots, spirals, the needle, outside.
  const std::complex<double> places[] = {{-0.743643887037151, 0.131825904205330}, {-1.7497591451303665, 0.0},
                                         {-0.1011, 0.9563}, {0.2549870375144766, 0.0005679790528465}, {-0.5, 0.0},
                                         {0.3, 0.5}, {-1.25066, 0.02012}, {2.5, 2.5}};
  std::mt19937_64 random(20261125);  // fixed: the same views on every run
  std::uniform_real_distribution<double> wobble(-1.0, 1.0), depth(0.0, 9.0);
  const std::uint32_t limits[] = {1, 2, 20, 255, 1000, 5000};
  int views = 0;
  for (const auto& place : places)
    for (std::uint32_t max_iter : limits)
      for (Start start : {Start::zero, Start::c})
        for (Escape escape : {Escape::norm, Escape::hypot}) {
          const double scale = 3.0 * std::pow(10.0, -depth(random));
          const View view{place.real() + wobble(random) * scale * 0.1, place.imag() + wobble(random) * scale * 0.1,
                          scale, 37, 23};
          const Job job{grid_of(view), {max_iter, start, escape}, true};
          expect_same(job, "view " + std::to_string(++views) + " max_iter " + std::to_string(max_iter));
        }
  EXPECT_EQ(views, 8 * 6 * 2 * 2);
}

TEST_P(EveryTarget, MatchesTheScalarReferenceOnThePresetsAndWithoutSmoothValues) {
  expect_same({seed_grid(61, 83), {20, Start::c, Escape::hypot}, false}, "seed preset", 61, 10);
  expect_same({benchmarks_game_grid(64), {50, Start::zero, Escape::norm}, false}, "bg preset", 64, 64);
  expect_same({grid_of({-0.5, 0.0, 2.5, 200, 120}), {100000}, true}, "a hundred thousand iterations", 64, 64);
}

// Membership only (a PBM bitmap): the same pixels reach max_iter as with the counts, on views
// with every kind of point, with and without shortcuts, and where z overflows.
TEST_P(EveryTarget, MembershipMarksThePixelsThatReachMaxIter) {
  const auto expect_members = [](Job job, const std::string& what, bool shortcuts) {
    job.smooth = false;
    const Result counted = render(job, KernelKind::scalar, 13, 7, shortcuts);
    job.params.membership = true;
    const Result members = render(job, KernelKind::simd, 13, 7, shortcuts);
    std::size_t differ = 0;
    for (std::size_t i = 0; i < counted.frame.counts.size(); ++i) {
      const bool member = counted.frame.counts[i] == job.params.max_iter;
      differ += member != (members.frame.counts[i] == job.params.max_iter);
      if (!member) {
        EXPECT_EQ(members.frame.counts[i], 0u) << what << ": an escaped point is 0";
      }
    }
    EXPECT_EQ(differ, 0u) << what << (shortcuts ? "" : ", no shortcuts");
  };
  const std::complex<double> places[] = {{-0.743643887037151, 0.131825904205330}, {-1.7497591451303665, 0.0},
                                         {-0.1011, 0.9563}, {0.2549870375144766, 0.0005679790528465}, {-0.5, 0.0},
                                         {-2.0, 0.0}, {0.0, -1.0}, {-1.25066, 0.02012}};
  for (const auto& place : places)
    for (std::uint32_t max_iter : {1u, 2u, 7u, 50u, 1000u, 5000u})
      for (Start start : {Start::zero, Start::c})
        for (double scale : {3.0, 1e-3, 1e-9})
          for (bool shortcuts : {true, false}) {
            const View view{place.real(), place.imag(), scale, 37, 23};
            expect_members({grid_of(view), {max_iter, start, Escape::norm}, false},
                           "place " + std::to_string(place.real()) + "," + std::to_string(place.imag()) + " scale " +
                               std::to_string(scale) + " max_iter " + std::to_string(max_iter),
                           shortcuts);
          }
  expect_members({benchmarks_game_grid(200), {50, Start::zero, Escape::norm}, false}, "bg preset", true);
  Grid huge;
  huge.re = {1e100, -1e100, 3.0, 9.9e99, -0.5, 1e50, 2.0, 0.25, -1e75};
  huge.im = {1e100, 0.0, -1e100, 0.5};
  for (std::uint32_t max_iter : {20u, 500u}) expect_members({huge, {max_iter, Start::c}, false}, "|c| to 1e100", true);
}

// Inside a period-3 bulb, away from the main cardioid and bulb, cycle detection decides the
// points long before max_iter: the membership kernel stops there too (it reports the steps it ran).
TEST_P(EveryTarget, MembershipStopsOnPeriodicOrbits) {
  Job job{grid_of({-0.1225, 0.7449, 1e-3, 37, 23}), {5000, Start::zero, Escape::norm}, false};
  job.params.membership = true;
  const Result members = render(job, KernelKind::simd, 13, 7, true);
  const auto pixels = static_cast<std::uint64_t>(37 * 23);
  EXPECT_EQ(std::count(members.frame.counts.begin(), members.frame.counts.end(), 5000u), static_cast<long>(pixels))
      << "all inside the bulb";
  EXPECT_LT(members.iterations, pixels * 5000 / 4) << "periodic orbits must stop early";
}

TEST(SimdKernel, MatchesTheScalarReferenceWhereZOverflows) {
  // z0 = c this large overflows at the first step: zr becomes NaN, zi infinite. The scalar
  // kernel asks hypot, which says escaped; the SIMD kernel's compare would miss the NaN, so it
  // leaves tiles with |c| above 1e100 to the scalar kernel (simd_takes). The second grid stays
  // at that bound, where z overflows to inf inside the SIMD kernel; 3x2 tiles mix tiles above
  // and below it. (Raising the bound to 1e308 makes this test fail.)
  Grid huge;
  huge.re = {1e200, -1e200, 3.0, 1e300, -0.5, 1e160, 2.0, 0.25, 1e155};
  huge.im = {1e200, 0.0, -1e300, 0.5};
  Grid bounded;
  bounded.re = {1e100, -1e100, 3.0, 9.9e99, -0.5, 1e50, 2.0, 0.25, -1e75};
  bounded.im = {1e100, 0.0, -1e100, 0.5};
  for (const auto& [name, grid] : {std::pair{"|c| up to 1e300", huge}, std::pair{"|c| up to 1e100", bounded}})
    for (Escape escape : {Escape::norm, Escape::hypot})
      for (std::uint32_t max_iter : {20u, 500u})
        for (bool smooth : {true, false})
          for (auto [width, height] : {std::pair{9, 4}, std::pair{3, 2}}) {
            const std::string what = std::string("overflowing z, ") + name + ", max_iter " +
                                     std::to_string(max_iter) + ", tiles " + std::to_string(width);
            expect_same({grid, {max_iter, Start::c, escape}, smooth}, what, width, height);
            expect_same({grid, {max_iter, Start::zero, escape}, smooth}, what + ", from 0", width, height);
          }
}

TEST(SimdKernel, TilesSmallerThanAVectorAndSinglePixels) {
  const Job job{grid_of({-0.74, 0.12, 0.05, 9, 5}), {700}, true};
  expect_same(job, "1x1 tiles", 1, 1);
  expect_same(job, "3x1 tiles", 3, 1);
  expect_same(job, "a 9x5 tile", 9, 5);
}

TEST(SimdKernel, WritesOnlyItsTile) {
  const Job job{grid_of({-0.5, 0.0, 2.5, 9, 7}), {50, Start::zero, Escape::norm, KernelKind::simd}, true};
  Frame frame(9, 7, true);
  std::fill(frame.counts.begin(), frame.counts.end(), 12345u);
  ASSERT_TRUE(render_tile(job, {0, 2, 1, 4, 3}, frame.canvas(), std::stop_token{}));
  for (int y = 0; y < 7; ++y) {
    for (int x = 0; x < 9; ++x) {
      if (x >= 2 && x < 6 && y >= 1 && y < 4) continue;
      EXPECT_EQ(frame.counts[y * 9 + x], 12345u) << "pixel (" << x << "," << y << ") outside the tile was written";
    }
  }
}

TEST(SimdKernel, StopsBeforeTheNextRowWhenAsked) {
  const Job job{grid_of({-0.5, 0.0, 2.5, 64, 64}), {1000, Start::zero, Escape::norm, KernelKind::simd}, false};
  Frame frame(64, 64, false);
  int asked = 0;
  // Asked once per row started: allow the first two rows, then stop.
  const std::function<bool()> stopped = [&asked] { return ++asked > 2; };
  EXPECT_FALSE(render_tile(job, {0, 0, 0, 64, 64}, frame.canvas(), stopped));
  EXPECT_EQ(asked, 3);
}

// Points inside the set, iterated without shortcuts: every one of max_iter steps is done.
Job inside_points(std::uint32_t max_iter, int width) {
  return {grid_of({-0.2, 0.0, 0.01, width, 1}), {max_iter, Start::zero, Escape::norm, KernelKind::simd, false}, false};
}

TEST(SimdKernel, StopsInTheMiddleOfALongOrbit) {
  // A billion steps of a block, seconds of work, unless the block itself asks whether to go on.
  const Job job = inside_points(kMaxIterationsLimit, 3);
  Frame frame(3, 1, false);
  int asked = 0;
  // Asked before the row, then every kStopCheckIterations steps: stop at the third question.
  const std::function<bool()> stopped = [&asked] { return ++asked > 2; };
  EXPECT_FALSE(render_tile(job, {0, 0, 0, 3, 1}, frame.canvas(), stopped));
  EXPECT_EQ(asked, 3) << "a stop must land 2 x kStopCheckIterations steps into the block";
}

TEST(SimdKernel, AsksEveryStopCheckIterationsStepsOfABlock) {
  const Job job = inside_points(10 * kStopCheckIterations, 3);
  Frame frame(3, 1, false);
  int asked = 0;
  const std::function<bool()> stopped = [&asked] {
    ++asked;
    return false;
  };
  ASSERT_TRUE(render_tile(job, {0, 0, 0, 3, 1}, frame.canvas(), stopped));
  EXPECT_EQ(frame.counts, std::vector<std::uint32_t>(3, job.params.max_iter));
  EXPECT_EQ(asked, 10) << "before the row, then after each stretch but the last";
}

}  // namespace
}  // namespace parafrac
