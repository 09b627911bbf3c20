// The gpu strategy beyond the suite every strategy runs (strategy_test.cpp): the seed's arithmetic,
// slots, short dispatches, and being available where the test command says it must be.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <future>
#include <thread>

#include "parafrac/gpu.hpp"
#include "parafrac/measures.hpp"
#include "parafrac/strategy.hpp"

namespace parafrac {
namespace {

class Gpu : public testing::Test {
 protected:
  void SetUp() override {
    if (!gpu_unavailable().empty()) GTEST_SKIP() << "gpu is unavailable here: " << gpu_unavailable();
  }
};

// test.sh installs Mesa (llvmpipe runs the shader on the CPU where there is no GPU) and sets
// PARAFRAC_REQUIRE_GPU, so there the gpu tests can never be skipped unnoticed.
TEST(GpuAvailability, IsAvailableWhereTheTestCommandRequiresIt) {
  if (!std::getenv("PARAFRAC_REQUIRE_GPU")) GTEST_SKIP() << "PARAFRAC_REQUIRE_GPU is not set";
  EXPECT_EQ(gpu_unavailable(), "");
}

// Every combination of the seed's start and escape test, shortcuts on and off, against the scalar
// kernel point by point (counts and smooth values' bits), with every tile in a slot of its own and
// with slots refilled tile after tile (batch 1 and 3). The hypot test's close calls are the CPU's:
// with z0 = 0, c = 2 has |z1|² = 4 exactly, which the shader leaves to the CPU; so are the tiles
// with a huge |c| (the first column), where a NaN could reach a comparison.
TEST_F(Gpu, GivesTheScalarKernelsCountsAndSmoothValuesForEveryKernelSetting) {
  for (const char* batch : {"0", "1", "3"})
    for (const Start start : {Start::zero, Start::c})
      for (const Escape escape : {Escape::norm, Escape::hypot})
        for (const bool shortcuts : {true, false}) {
          Job job{grid_of({-0.6, 0.0, 4.2, 61, 37}), {400, start, escape, KernelKind::scalar, shortcuts}, true};
          job.grid.re[60] = 2.0;
          job.grid.im[18] = 0.0;
          job.grid.re[0] = 1e200;
          Frame frame(job.grid.width(), job.grid.height(), true);
          ASSERT_TRUE(make_strategy("gpu", {1, 8, {{"batch", batch}}})->render(job, frame, {}));
          int differ = 0;
          for (int y = 0; y < frame.height; ++y)
            for (int x = 0; x < frame.width; ++x) {
              const PointResult cpu = escape_time(job.grid.re[x], job.grid.im[y], job.params, true);
              const std::size_t at = static_cast<std::size_t>(y) * frame.width + x;
              differ += frame.counts[at] != cpu.count || std::memcmp(&frame.smooth[at], &cpu.smooth, sizeof(float)) != 0;
            }
          EXPECT_EQ(differ, 0) << "batch " << batch << ", z0 " << (start == Start::c ? "c" : "0") << ", "
                               << (escape == Escape::hypot ? "hypot" : "norm") << ", shortcuts " << shortcuts;
        }
}

// precision=float computes the orbit in floats: not the serial image, and the strategy says so;
// still the same picture to the eye (most counts agree on a shallow view).
TEST_F(Gpu, FloatPrecisionSaysItIsNotExactAndDrawsNearlyTheSamePicture) {
  EXPECT_TRUE(make_strategy("gpu", {1, 16})->exact()) << "double is the default";
  for (const char* name : {"gpu", "hybrid"}) {
    const std::unique_ptr<Strategy> fast = make_strategy(name, {1, 16, {{"precision", "float"}}});
    EXPECT_FALSE(fast->exact()) << name;
    const Job job{grid_of({-0.5, 0.0, 2.5, 160, 120}), {200}, true};
    Frame frame(160, 120, true), serial(160, 120, true);
    ASSERT_TRUE(fast->render(job, frame, {}));
    ASSERT_TRUE(make_strategy("serial", {1, 16})->render(job, serial, {}));
    std::size_t same = 0;
    for (std::size_t i = 0; i < frame.counts.size(); ++i) same += frame.counts[i] == serial.counts[i];
    EXPECT_GE(same * 10, frame.counts.size() * 9) << name << ": " << same << " of " << frame.counts.size();
  }
  // And floats they are: 1e-7 deep, a float's 24 bits cannot tell neighbouring pixels apart.
  const Job deep{grid_of({-0.743643887, 0.131825904, 1e-7, 64, 48}), {2000}, false};
  Frame in_float(64, 48, false), in_double(64, 48, false);
  ASSERT_TRUE(make_strategy("gpu", {1, 16, {{"precision", "float"}}})->render(deep, in_float, {}));
  ASSERT_TRUE(make_strategy("gpu", {1, 16})->render(deep, in_double, {}));
  EXPECT_NE(in_float.counts, in_double.counts);
}

// `batch` tiles are in flight: the timeline's lanes, each tile on one of them.
TEST_F(Gpu, KeepsBatchTilesInFlightOnItsLanes) {
  const std::unique_ptr<Strategy> gpu = make_strategy("gpu", {4, 16, {{"batch", "3"}}});
  EXPECT_EQ(gpu->lanes(), 3);
  EXPECT_EQ(gpu->workers(), 1) << "one device, whatever the worker count asked";
  EXPECT_EQ(gpu->device().rfind("GPU ", 0), 0u) << "named for people: " << gpu->device();
  EXPECT_NE(gpu->device().find("doubles"), std::string::npos) << gpu->device();
  EXPECT_EQ(make_strategy("pool", {2, 16})->device(), "") << "the CPU's kernel";
  const Job job{grid_of({-0.5, 0.0, 2.5, 80, 48}), {200}, false};
  Frame frame(80, 48, false);
  ASSERT_TRUE(gpu->render(job, frame, {}));
  for (const TileRecord& record : frame.records) {
    EXPECT_GE(record.worker, 0);
    EXPECT_LT(record.worker, 3);
  }
  Frame serial(80, 48, false);
  ASSERT_TRUE(make_strategy("serial", {1, 16})->render(job, serial, {}));
  EXPECT_EQ(frame.counts, serial.counts) << "15 tiles through 3 slots, each refilled";
}

// hybrid: CPU threads on lanes 0 and 1, the GPU's slots after them, never more than a quarter of
// the tiles in flight on the GPU (so its first fill leaves the CPU work), the serial image.
TEST_F(Gpu, HybridSharesTheTilesAndKeepsAQuarterAtMostOnTheGpu) {
  const std::unique_ptr<Strategy> hybrid = make_strategy("hybrid", {2, 8});
  EXPECT_EQ(hybrid->workers(), 2);
  const Job job{grid_of({-0.5, 0.0, 2.5, 96, 64}), {300}, true};  // 12 x 8 = 96 tiles
  Frame frame(96, 64, true), serial(96, 64, true);
  ASSERT_TRUE(hybrid->render(job, frame, {}));
  ASSERT_TRUE(make_strategy("serial", {1, 8})->render(job, serial, {}));
  EXPECT_EQ(frame.counts, serial.counts);
  EXPECT_EQ(0, std::memcmp(frame.smooth.data(), serial.smooth.data(), frame.smooth.size() * sizeof(float)));
  std::vector<TileRecord> on_gpu;
  for (const TileRecord& record : frame.records) {
    EXPECT_LT(record.worker, hybrid->lanes());
    if (record.worker >= 2) on_gpu.push_back(record);
  }
  EXPECT_LE(most_at_once(on_gpu), 96 / 4);
}

// A dispatch takes a bounded number of steps a pixel, so a render whose tiles never end can
// still be stopped: the left tile escapes at once and its publication asks to stop; the right one
// lies inside the main cardioid with shortcuts off and a billion iterations, which one unbounded
// dispatch would spend minutes on. A hang detector, not a speed limit: 30 s.
TEST_F(Gpu, StopsBetweenShortDispatchesEvenWhenATileWouldRunForMinutes) {
  View view{0.0, 0.0, 0.25, 64, 32};
  Job job{grid_of(view), {1'000'000'000, Start::zero, Escape::norm, KernelKind::scalar, false}, false};
  for (double& re : job.grid.re) re = re < 0 ? -3.0 : -0.1;  // left half far outside, right half inside
  const std::unique_ptr<Strategy> gpu = make_strategy("gpu", {1, 32, {{"batch", "2"}}});
  std::stop_source stop;
  std::packaged_task<bool()> task([&] {
    Frame frame(64, 32, false);
    return gpu->render(job, frame, [&](const TileRecord&) { stop.request_stop(); }, stop.get_token());
  });
  std::future<bool> finished = task.get_future();
  std::thread runner(std::move(task));
  if (finished.wait_for(std::chrono::seconds(30)) == std::future_status::timeout) {
    ADD_FAILURE() << "the render did not stop: a dispatch runs unbounded";
    std::fflush(stdout);
    std::_Exit(EXIT_FAILURE);
  }
  runner.join();
  EXPECT_FALSE(finished.get());
}

}  // namespace
}  // namespace parafrac
