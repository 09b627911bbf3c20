#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include "parafrac/error.hpp"
#include "parafrac/frame.hpp"
#include "parafrac/kernel.hpp"

namespace parafrac {
namespace {

std::uint32_t count_at(double re, double im, std::uint32_t max_iter = 100, Start start = Start::zero,
                       Escape escape = Escape::norm) {
  return escape_time(re, im, {max_iter, start, escape}).count;
}

TEST(Kernel, CountsIteratesUntilTheFirstEscape) {
  EXPECT_EQ(count_at(0.0, 0.0), 100u) << "0 is in the set";
  EXPECT_EQ(count_at(-1.0, 0.0), 100u) << "-1 is a 2-cycle";
  EXPECT_EQ(count_at(0.0, 1.0), 100u) << "i is preperiodic";
  EXPECT_EQ(count_at(-2.0, 0.0), 100u) << "-2 stays at |z| = 2 exactly, which is not > 2";
  EXPECT_EQ(count_at(1.0, 0.0), 2u) << "z = 1, 2, 5: two iterates within the circle";
  EXPECT_EQ(count_at(2.0, 0.0), 1u) << "z = 2, 6";
  EXPECT_EQ(count_at(0.5, 0.0), 4u) << "z = 0.5, 0.75, 1.0625, 1.62890625, 3.15...";
  EXPECT_EQ(count_at(3.0, 0.0), 0u) << "the first iterate already escapes";
}

TEST(Kernel, SeedStartsAtCAndCanGiveZero) {
  EXPECT_EQ(count_at(1.0, 0.0, 20, Start::c, Escape::hypot), 1u) << "z0 = 1, z1 = 2, z2 = 6";
  EXPECT_EQ(count_at(-1.5, -1.0, 20, Start::c, Escape::hypot), 0u) << "z1 = 0.75 - 2i escapes";
  EXPECT_EQ(count_at(-0.5, 0.0, 20, Start::c, Escape::hypot), 20u);
}

TEST(Kernel, HypotEscapeAgreesWithLibmNearTheCircle) {
  // Points whose first iterate lands within a few ulps of |z| = 2, where zr² + zi² and
  // hypot can disagree: the hypot kernel must follow hypot.
  for (int k = -50; k <= 50; ++k) {
    const double zr = 2.0 * std::cos(0.3) + k * 1e-16;
    const double zi = 2.0 * std::sin(0.3);
    // With z0 = c = 0 impossible, use z1 = c (z0 = 0) and max_iter = 1.
    const std::uint32_t count = count_at(zr, zi, 1, Start::zero, Escape::hypot);
    EXPECT_EQ(count, std::hypot(zr, zi) > 2.0 ? 0u : 1u) << "k = " << k;
  }
}

TEST(Kernel, HandlesAMillionIterations) {
  EXPECT_EQ(count_at(-0.1, 0.1, 1'000'000), 1'000'000u);
  EXPECT_EQ(escape_time(-0.1, 0.1, {1'000'000}).smooth, kInside);
  // Without shortcuts every one of them is iterated (the cardioid test would answer at once).
  const KernelParams raw{1'000'000, Start::zero, Escape::norm, KernelKind::scalar, false};
  EXPECT_EQ(escape_time(-0.1, 0.1, raw).count, 1'000'000u);
}

TEST(Kernel, RenderTileRefusesMoreIterationsThanTheEngineAllows) {
  // Both kernels: the SIMD one keeps counts in int32 lanes, which the limit keeps exact.
  for (KernelKind kernel : {KernelKind::scalar, KernelKind::simd}) {
    Job job{grid_of({-0.2, 0.0, 0.1, 32, 2}), {kMaxIterationsLimit + 1}, false};
    job.params.kernel = kernel;
    Frame frame(32, 2, false);
    EXPECT_THROW(render_tile(job, {0, 0, 0, 32, 2}, frame.canvas(), std::stop_token{}), Error);
  }
}

TEST(Kernel, SmoothValueIsContinuousAcrossCountBands) {
  // Along a ray the count jumps by whole iterations; the smooth value must not.
  float previous = escape_time(0.26, 0.0, {1000}).smooth;
  for (int i = 1; i <= 400; ++i) {
    const PointResult point = escape_time(0.26 + i * 1e-4, 0.0, {1000});
    ASSERT_NE(point.smooth, kInside);
    EXPECT_LT(std::abs(point.smooth - previous), 0.5f) << "at step " << i;
    EXPECT_GE(point.smooth, 0.0f);
    previous = point.smooth;
  }
}

TEST(Kernel, RenderTileWritesOnlyItsRectangleAndCountsIterations) {
  const View view{-0.5, 0.0, 2.5, 9, 7};
  const Job job{grid_of(view), {50}, true};
  Frame frame(9, 7, true);
  std::fill(frame.counts.begin(), frame.counts.end(), 12345u);
  const Tile tile{0, 2, 1, 4, 3};
  const std::optional<std::uint64_t> iterations = render_tile(job, tile, frame.canvas(), std::stop_token{});
  ASSERT_TRUE(iterations);
  std::uint64_t expected = 0;
  for (int y = 0; y < 7; ++y)
    for (int x = 0; x < 9; ++x) {
      const std::uint32_t count = frame.counts[y * 9 + x];
      const bool inside = x >= 2 && x < 6 && y >= 1 && y < 4;
      if (!inside) {
        EXPECT_EQ(count, 12345u) << "pixel (" << x << "," << y << ") outside the tile was written";
        continue;
      }
      const PointResult point = escape_time(job.grid.re[x], job.grid.im[y], job.params);
      EXPECT_EQ(count, point.count);
      EXPECT_EQ(frame.smooth[y * 9 + x], point.smooth);
      expected += point.count == 50 ? 50 : point.count + 1;
    }
  EXPECT_EQ(*iterations, expected);
}

TEST(Kernel, RenderTileStopsWhenAsked) {
  const Job job{grid_of({}), {1000}, false};
  Frame frame(job.grid.width(), job.grid.height(), false);
  std::stop_source stop;
  stop.request_stop();
  EXPECT_FALSE(render_tile(job, {0, 0, 0, 64, 64}, frame.canvas(), stop.get_token()));
}

// One point inside the set, iterated without shortcuts: every one of max_iter steps is done.
Job one_inside_point(std::uint32_t max_iter) {
  return {grid_of({-0.2, 0.0, 0.01, 1, 1}), {max_iter, Start::zero, Escape::norm, KernelKind::scalar, false}, false};
}

TEST(Kernel, RenderTileStopsInTheMiddleOfALongOrbit) {
  // A billion steps, seconds of work, unless the orbit itself asks whether to go on.
  const Job job = one_inside_point(kMaxIterationsLimit);
  Frame frame(1, 1, false);
  int asked = 0;
  // Asked before the row, then every kStopCheckIterations steps: stop at the third question.
  const std::function<bool()> stopped = [&asked] { return ++asked > 2; };
  EXPECT_FALSE(render_tile(job, {0, 0, 0, 1, 1}, frame.canvas(), stopped));
  EXPECT_EQ(asked, 3) << "a stop must land 2 x kStopCheckIterations steps into the orbit";
}

TEST(Kernel, RenderTileAsksEveryStopCheckIterationsOfAnOrbit) {
  const Job job = one_inside_point(10 * kStopCheckIterations);
  Frame frame(1, 1, false);
  int asked = 0;
  const std::function<bool()> stopped = [&asked] {
    ++asked;
    return false;
  };
  ASSERT_TRUE(render_tile(job, {0, 0, 0, 1, 1}, frame.canvas(), stopped));
  EXPECT_EQ(frame.counts[0], job.params.max_iter);
  EXPECT_EQ(asked, 10) << "before the row, then after each stretch but the last";
}

}  // namespace
}  // namespace parafrac
