// The background Renderer an interactive front end drives: the latest request wins, stale tiles
// are never handed out, and what it hands out is the serial strategy's image.
#include "parafrac/renderer.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <limits>
#include <mutex>
#include <thread>

namespace parafrac {
namespace {

Job job_for(int width, int height, std::uint32_t max_iter = 300) {
  return {grid_of({-0.74, 0.12, 0.35, width, height}), {max_iter}, true};
}

// A job that takes long enough to still be running when the next request arrives: every point
// of a 400x300 view inside the main cardioid costs a million iterations (no shortcuts).
Job endless_job() {
  return {grid_of({-0.1, 0.0, 0.05, 400, 300}), {1'000'000, Start::zero, Escape::norm, KernelKind::simd, false}, true};
}

// A Renderer whose end-of-render callback wakes the test, as it wakes a UI: waiting for a
// render costs the test no CPU that the render's workers could use.
struct Watched {
  std::mutex mutex;
  std::condition_variable ended_cv;
  int ended = 0;  // renders ended so far
  Renderer renderer{[this] {
    {
      std::lock_guard lock(mutex);
      ++ended;
    }
    ended_cv.notify_all();
  }};
};

// Waits until `generation` has ended, collecting every tile handed out meanwhile; fails the test
// after a minute.
RenderReport wait_for(Watched& watched, std::uint64_t generation, std::vector<TileUpdate>* tiles = nullptr) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(1);
  for (;;) {
    int seen = 0;
    {
      std::lock_guard lock(watched.mutex);
      seen = watched.ended;
    }
    for (TileUpdate& update : watched.renderer.take_tiles())
      if (tiles) tiles->push_back(std::move(update));
    for (RenderReport& report : watched.renderer.take_reports())
      if (report.generation == generation) {
        for (TileUpdate& update : watched.renderer.take_tiles())
          if (tiles) tiles->push_back(std::move(update));
        return report;
      }
    std::unique_lock lock(watched.mutex);
    if (!watched.ended_cv.wait_until(lock, deadline, [&] { return watched.ended != seen; })) {
      ADD_FAILURE() << "render " << generation << " never ended";
      return {};
    }
  }
}

// Until the render in flight has started (its tiles are counted); fails the test after a minute.
// The Renderer has no callback for a start, so this polls, a millisecond at a time.
void wait_until_started(const Renderer& renderer) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(1);
  while (renderer.progress().total == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ADD_FAILURE() << "the render never started";
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

std::vector<float> serial_smooth(const Job& job) {
  Frame frame(job.grid.width(), job.grid.height(), true);
  make_strategy("serial")->render(job, frame, {});
  return frame.smooth;
}

// Puts tiles back together into a width x height image; unset pixels stay NaN.
std::vector<float> assemble(const std::vector<TileUpdate>& tiles, int width, int height) {
  std::vector<float> image(static_cast<std::size_t>(width) * height, std::numeric_limits<float>::quiet_NaN());
  for (const TileUpdate& update : tiles) {
    const Tile& tile = update.record.tile;
    for (int row = 0; row < tile.height; ++row)
      std::copy_n(update.smooth.begin() + static_cast<std::size_t>(row) * tile.width, tile.width,
                  image.begin() + static_cast<std::size_t>(tile.y + row) * width + tile.x);
  }
  return image;
}

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

class RendererWith : public testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (const std::string why = strategy_info(GetParam()).unavailable_reason(); !why.empty())
      GTEST_SKIP() << GetParam() << " is unavailable here: " << why;
  }
};

TEST_P(RendererWith, HandsOutEveryTileOfTheSerialImageOnce) {
  Watched watched;
  Renderer& renderer = watched.renderer;
  const Job job = job_for(203, 101);
  const std::uint64_t generation = renderer.request({job, GetParam(), {2, 32}});
  std::vector<TileUpdate> tiles;
  const RenderReport report = wait_for(watched, generation, &tiles);

  ASSERT_EQ(report.outcome, RenderReport::Outcome::finished) << report.error;
  EXPECT_EQ(tiles.size(), report.records.size());
  EXPECT_EQ(report.tiles_done(), static_cast<int>(report.records.size()));
  EXPECT_TRUE(same_bits(assemble(tiles, 203, 101), serial_smooth(job)));
  EXPECT_GT(report.iterations, 0u);
  EXPECT_GT(report.cpu_ns, 0);
  EXPECT_GE(report.end_ns, report.start_ns);
  const Renderer::Progress progress = renderer.progress();
  EXPECT_FALSE(progress.busy);
  EXPECT_EQ(progress.done, progress.total);
  EXPECT_EQ(progress.total, static_cast<int>(tiles.size()));
}

INSTANTIATE_TEST_SUITE_P(Strategies, RendererWith, testing::ValuesIn(strategy_names()),
                         [](const testing::TestParamInfo<std::string>& info) { return info.param; });

TEST(Renderer, ANewRequestCancelsTheOneInFlightAndItsTilesAreNeverHandedOut) {
  Watched watched;
  Renderer& renderer = watched.renderer;
  const std::uint64_t slow = renderer.request({endless_job(), "pool", {2, 16}});
  wait_until_started(renderer);  // its first tiles are being computed
  const Job job = job_for(64, 48);
  const std::uint64_t fast = renderer.request({job, "threads", {2, 16}});
  EXPECT_GT(fast, slow);

  std::vector<TileUpdate> tiles;
  const RenderReport report = wait_for(watched, fast, &tiles);
  ASSERT_EQ(report.outcome, RenderReport::Outcome::finished) << report.error;
  for (const TileUpdate& update : tiles) EXPECT_EQ(update.generation, fast) << "a stale tile was handed out";
  EXPECT_TRUE(same_bits(assemble(tiles, 64, 48), serial_smooth(job)));
}

TEST(Renderer, TheCancelledRenderReportsItWasCancelled) {
  Watched watched;
  Renderer& renderer = watched.renderer;
  const std::uint64_t slow = renderer.request({endless_job(), "serial", {1, 16}});
  wait_until_started(renderer);
  renderer.cancel();
  std::vector<TileUpdate> tiles;
  const RenderReport report = wait_for(watched, slow, &tiles);
  EXPECT_EQ(report.outcome, RenderReport::Outcome::cancelled);
  EXPECT_LT(report.tiles_done(), static_cast<int>(report.records.size()));
  EXPECT_EQ(static_cast<int>(tiles.size()), report.tiles_done()) << "exactly the finished tiles are handed out";
}

TEST(Renderer, ABadStrategyFailsThatRequestOnlyWithAReadableError) {
  Watched watched;
  Renderer& renderer = watched.renderer;
  RenderReport report = wait_for(watched, renderer.request({job_for(32, 32), "no-such-strategy", {}}));
  EXPECT_EQ(report.outcome, RenderReport::Outcome::failed);
  EXPECT_NE(report.error.find("no-such-strategy"), std::string::npos) << report.error;

  report = wait_for(watched, renderer.request({job_for(32, 32), "pool", {0, 0}}));
  EXPECT_EQ(report.outcome, RenderReport::Outcome::failed);
  EXPECT_NE(report.error.find("tile size"), std::string::npos) << report.error;

  report = wait_for(watched, renderer.request({job_for(32, 32), "pool", {2, 8}}));
  EXPECT_EQ(report.outcome, RenderReport::Outcome::finished) << report.error;
}

TEST(Renderer, SwitchingStrategiesWorkersAndTileSizesKeepsTheImage) {
  Watched watched;
  const Job job = job_for(97, 61);
  const std::vector<float> expected = serial_smooth(job);
  for (const std::string& name : strategy_names())
    for (const StrategyOptions& options : {StrategyOptions{1, 16}, StrategyOptions{3, 16}, StrategyOptions{2, 7}}) {
      std::vector<TileUpdate> tiles;
      const RenderReport report = wait_for(watched, watched.renderer.request({job, name, options}), &tiles);
      ASSERT_EQ(report.outcome, RenderReport::Outcome::finished) << name << ": " << report.error;
      // What a fresh instance runs: serial is one thread, tbb at most one a core.
      EXPECT_EQ(report.workers, make_strategy(name, options)->workers()) << name;
      EXPECT_EQ(report.tile_size, options.tile_size) << name;
      EXPECT_TRUE(same_bits(assemble(tiles, 97, 61), expected)) << name;
    }
}

// A strategy's own settings are fixed per instance, like its tile size: new ones replace it, and
// leaving one out means its default again.
TEST(Renderer, NewStrategySettingsTakeEffect) {
  Watched watched;
  Renderer& renderer = watched.renderer;
  for (const char* chunk : {"4", "1", "9"}) {
    const RenderReport report = wait_for(watched, renderer.request({job_for(40, 30), "counter", {2, 8, {{"chunk", chunk}}}}));
    ASSERT_EQ(report.outcome, RenderReport::Outcome::finished) << report.error;
    EXPECT_EQ(report.settings.at("chunk"), chunk);
  }
  const RenderReport report = wait_for(watched, renderer.request({job_for(40, 30), "counter", {2, 8}}));
  EXPECT_EQ(report.settings.at("chunk"), "1") << "left out: the default";
  const RenderReport refused = wait_for(watched, renderer.request({job_for(40, 30), "counter", {2, 8, {{"chunk", "0"}}}}));
  EXPECT_EQ(refused.outcome, RenderReport::Outcome::failed);
  EXPECT_NE(refused.error.find("option chunk takes a whole number from 1 to 1024"), std::string::npos) << refused.error;
}

TEST(Renderer, KeepsTheFrameWhenAskedAndPublishesNoTilesWhenTold) {
  Watched watched;
  RenderRequest request{job_for(50, 40), "pool", {2, 16}};
  request.publish_tiles = false;
  request.keep_frame = true;
  std::vector<TileUpdate> tiles;
  const RenderReport report = wait_for(watched, watched.renderer.request(request), &tiles);
  ASSERT_EQ(report.outcome, RenderReport::Outcome::finished) << report.error;
  EXPECT_TRUE(tiles.empty());
  ASSERT_TRUE(report.frame);
  EXPECT_TRUE(same_bits(report.frame->smooth, serial_smooth(request.job)));
}

TEST(Renderer, TellsWhenARenderHasEndedSoAUiNeedNotPoll) {
  std::atomic<int> ended{0};
  Renderer renderer([&] {
    ended.fetch_add(1);
    ended.notify_one();
  });
  const std::uint64_t generation = renderer.request({job_for(40, 30), "pool", {2, 16}});
  ended.wait(0);  // blocks until the first call
  const std::vector<RenderReport> reports = renderer.take_reports();
  ASSERT_EQ(reports.size(), 1u) << "the report is there to take when the callback runs";
  EXPECT_EQ(reports[0].generation, generation);
}

TEST(Renderer, DestroyingItMidRenderStopsTheRenderAndEndsItsWorkers) {
  auto renderer = std::make_unique<Renderer>();
  renderer->request({endless_job(), "processes", {2, 16}});
  wait_until_started(*renderer);
  renderer.reset();  // returns within about a tile (the suite's timeout catches a hang)
  siginfo_t info{};
  EXPECT_EQ(waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT), -1) << "a worker process outlived the renderer";
  EXPECT_EQ(errno, ECHILD);
}

}  // namespace
}  // namespace parafrac
