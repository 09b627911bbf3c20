// One suite, every registered strategy: a new strategy is tested here without extra wiring.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <future>
#include <limits>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include "parafrac/error.hpp"
#include "parafrac/measures.hpp"
#include "parafrac/strategy.hpp"

namespace parafrac {
namespace {

struct Size {
  int width, height, tile;
};

constexpr int kMoreWorkersThanTiles = -1;  // stands for tiles + 3 workers

struct Case {
  std::string strategy;
  int workers;
  Size size;
};

void PrintTo(const Case& c, std::ostream* os) {
  *os << c.strategy << " with " << c.workers << " workers at " << c.size.width << "x" << c.size.height;
}

Job job_for(const Size& size, std::uint32_t max_iter = 300) {
  // A view with inside points, fast escapes and boundary detail, so tiles differ in cost.
  return {grid_of({-0.74, 0.12, 0.35, size.width, size.height}), {max_iter}, true};
}

// The parent process of `pid`, from /proc (0 when it cannot be read).
int parent_of(int pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(stat, line);
  // pid (comm) state ppid ...: comm may hold spaces, so parse from the last ')'.
  const std::size_t close = line.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream rest(line.substr(close + 1));
  char state = 0;
  int ppid = 0;
  rest >> state >> ppid;
  return ppid;
}

// A hang detector, not a speed limit: the slowest render here takes a fraction of a second, a
// few seconds under a sanitizer on a busy machine.
constexpr std::chrono::seconds kHangDeadline{30};

// Runs `render` on a thread of its own and waits at most kHangDeadline for it: a strategy that
// never finishes fails in seconds, saying which one, where ctest's timeout would say only
// "Timeout" minutes later. A hung render cannot be abandoned (its threads still use the frame
// and the callbacks of this test), so the process ends there. Returns what `render` returned,
// or rethrows what it threw.
bool within_deadline(const std::string& who, const std::function<bool()>& render) {
  std::packaged_task<bool()> task(render);
  std::future<bool> done = task.get_future();
  std::thread runner(std::move(task));
  if (done.wait_for(kHangDeadline) == std::future_status::timeout) {
    ADD_FAILURE() << who << " did not finish a render within " << kHangDeadline.count() << " s: it hangs";
    std::fflush(stdout);
    std::_Exit(EXIT_FAILURE);
  }
  runner.join();
  return done.get();
}

int tile_count(const Size& size) { return static_cast<int>(make_tiles(size.width, size.height, size.tile).size()); }

int workers_for(const Case& c) { return c.workers == kMoreWorkersThanTiles ? tile_count(c.size) + 3 : c.workers; }

// The serial strategy's frame for a size: what every strategy must reproduce bit for bit.
const Frame& reference(const Size& size) {
  static std::mutex mutex;
  static std::map<std::pair<int, int>, Frame> frames;
  std::lock_guard lock(mutex);
  auto [it, inserted] = frames.try_emplace({size.width, size.height});
  if (inserted) {
    it->second = Frame(size.width, size.height, true);
    EXPECT_TRUE(within_deadline("serial (the reference)", [&] {
      return make_strategy("serial", {1, size.tile})->render(job_for(size), it->second, {});
    }));
  }
  return it->second;
}

class Strategies : public testing::TestWithParam<Case> {
 protected:
  // A strategy this machine cannot run (no GPU) says why; the test of its availability, below,
  // fails where the test command says it must be available.
  void SetUp() override {
    if (const std::string why = strategy_info(GetParam().strategy).unavailable_reason(); !why.empty())
      GTEST_SKIP() << GetParam().strategy << " is unavailable here: " << why;
  }

  std::unique_ptr<Strategy> make() const {
    return make_strategy(GetParam().strategy, {workers_for(GetParam()), GetParam().size.tile});
  }
  // strategy->render(...), failing by name if it hangs.
  bool render(Strategy& strategy, const Job& job, Frame& frame, const TileSink& sink = {},
              std::stop_token stop = {}) const {
    return within_deadline(testing::PrintToString(GetParam()), [&] { return strategy.render(job, frame, sink, stop); });
  }
};

TEST_P(Strategies, MatchesSerialBitForBitAndAgainWhenReused) {
  const Size size = GetParam().size;
  const std::unique_ptr<Strategy> strategy = make();
  for (int round = 0; round < 2; ++round) {
    Frame frame(size.width, size.height, true);
    ASSERT_TRUE(render(*strategy, job_for(size), frame)) << "round " << round;
    const Frame& serial = reference(size);
    EXPECT_EQ(frame.counts, serial.counts) << "iteration counts differ from serial, round " << round;
    EXPECT_EQ(0, std::memcmp(frame.smooth.data(), serial.smooth.data(), frame.smooth.size() * sizeof(float)))
        << "smooth values differ from serial, round " << round;
  }
}

TEST_P(Strategies, FillsEveryTileRecordAndPublishesEachTileOnce) {
  const Size size = GetParam().size;
  const std::unique_ptr<Strategy> strategy = make();
  const Job job = job_for(size);
  Frame frame(size.width, size.height, true);
  std::mutex mutex;
  std::vector<int> published(tile_count(size), 0);
  ASSERT_TRUE(render(*strategy, job, frame, [&](const TileRecord& record) {
    std::lock_guard lock(mutex);
    ++published.at(record.tile.index);
  }));
  ASSERT_EQ(frame.records.size(), published.size());
  for (std::size_t i = 0; i < frame.records.size(); ++i) {
    const TileRecord& record = frame.records[i];
    EXPECT_EQ(published[i], 1) << "tile " << i << " published " << published[i] << " times";
    ASSERT_TRUE(record.finished()) << "tile " << i << " has no record";
    EXPECT_EQ(record.tile.index, static_cast<int>(i));
    EXPECT_LT(record.worker, strategy->lanes());
    EXPECT_TRUE(record.pid == getpid() || parent_of(record.pid) == getpid())
        << "tile " << i << " drawn by pid " << record.pid << ", neither this process nor its worker";
    EXPECT_GT(record.start_ns, 0);
    EXPECT_LE(record.start_ns, record.end_ns);
    std::uint64_t iterations = 0;
    for (int y = record.tile.y; y < record.tile.y + record.tile.height; ++y)
      for (int x = record.tile.x; x < record.tile.x + record.tile.width; ++x) {
        const std::uint32_t count = frame.counts[static_cast<std::size_t>(y) * size.width + x];
        iterations += count == job.params.max_iter ? count : count + 1ULL;
      }
    EXPECT_EQ(record.iterations, iterations) << "tile " << i;
  }
}

// A lane is a worker number of the records (a worker, semaphore's task, a GPU slot): never more
// tiles in flight than lanes (semaphore's tests check its permits).
TEST_P(Strategies, ComputesAtMostItsLaneCountOfTilesAtOnce) {
  const Size size = GetParam().size;
  const std::unique_ptr<Strategy> strategy = make();
  Frame frame(size.width, size.height, false);
  ASSERT_TRUE(render(*strategy, job_for(size), frame, {}));
  EXPECT_LE(most_at_once(frame.records), strategy->lanes());
}


TEST_P(Strategies, ItsWaitsAreItsWorkersAndAddUp) {
  const Size size = GetParam().size;
  const std::unique_ptr<Strategy> strategy = make();
  Frame frame(size.width, size.height, false);
  for (int round = 0; round < 2; ++round) {  // the second render's waits replace the first's
    ASSERT_TRUE(render(*strategy, job_for(size), frame, {}));
    const Waits& waits = frame.waits;
    ASSERT_EQ(waits.records.size(), waits.count) << "a small render keeps every wait";
    std::int64_t total = 0;
    for (const WaitRecord& wait : waits.records) {
      EXPECT_GE(wait.worker, 0);
      EXPECT_LT(wait.worker, strategy->lanes());
      EXPECT_LE(wait.start_ns, wait.end_ns);
      total += wait.end_ns - wait.start_ns;
    }
    EXPECT_EQ(total, waits.total_ns);
    EXPECT_LE(waits.contended, waits.count);
    EXPECT_TRUE(std::is_sorted(waits.records.begin(), waits.records.end(),
                               [](const WaitRecord& a, const WaitRecord& b) { return a.start_ns < b.start_ns; }));
  }
}

TEST_P(Strategies, CancellationStopsEarlyAndPublishesNothingAfterwards) {
  const Size size = GetParam().size;
  const std::unique_ptr<Strategy> strategy = make();
  // Deep iterations make every tile slow, so an unstopped render would publish them all.
  const Job job = job_for(size, 20000);
  Frame frame(size.width, size.height, true);
  std::stop_source stop;
  std::atomic<int> published{0};
  std::atomic<bool> returned{false};
  std::atomic<bool> published_after_return{false};
  const bool finished = render(*strategy, job, frame, [&](const TileRecord&) {
    if (returned.load()) published_after_return = true;
    published.fetch_add(1);
    stop.request_stop();  // cancel as soon as the first tile arrives
  }, stop.get_token());
  returned = true;
  EXPECT_FALSE(finished) << "a cancelled render must report that it did not finish";
  // Once stop is requested, only tiles already past their last check may still land: at most
  // one per worker, the first tile's included, and one more where a device's loop publishes too
  // (hybrid's GPU side runs beside its CPU workers).
  const int publishers = strategy->workers() + (strategy->device().empty() ? 0 : 1);
  EXPECT_LE(published.load(), std::min(publishers, tile_count(size)));
  EXPECT_FALSE(published_after_return.load());
  int finished_records = 0;
  for (const TileRecord& record : frame.records) finished_records += record.finished();
  EXPECT_EQ(finished_records, published.load()) << "records must match what was published";
}

TEST_P(Strategies, RethrowsAFailingSinkWithoutHanging) {
  const Size size = GetParam().size;
  const std::unique_ptr<Strategy> strategy = make();
  Frame frame(size.width, size.height, true);
  EXPECT_THROW(render(*strategy, job_for(size), frame, [](const TileRecord&) { throw Error("sink failed"); }), Error);
  Frame again(size.width, size.height, true);
  EXPECT_TRUE(render(*strategy, job_for(size), again)) << "the strategy must stay usable after a failure";
}

std::vector<Case> all_cases() {
  std::vector<Case> cases;
  for (const std::string& name : strategy_names())
    for (int workers : {1, 2, 7, kMoreWorkersThanTiles})
      for (Size size : {Size{1, 1, 4}, Size{17, 13, 5}, Size{640, 480, 48}}) cases.push_back({name, workers, size});
  return cases;
}

INSTANTIATE_TEST_SUITE_P(All, Strategies, testing::ValuesIn(all_cases()),
                         [](const testing::TestParamInfo<Case>& info) {
                           const Case& c = info.param;
                           const std::string workers =
                               c.workers == kMoreWorkersThanTiles ? "more_than_tiles" : std::to_string(c.workers);
                           return c.strategy + "_" + workers + "_workers_" + std::to_string(c.size.width) + "x" +
                                  std::to_string(c.size.height);
                         });

TEST(Registry, ListsTheStrategiesAndRefusesUnknownOnes) {
  const std::vector<std::string> names = strategy_names();
  ASSERT_GE(names.size(), 4u);
  EXPECT_EQ(names.front(), "serial");
  for (const std::string& name : names) EXPECT_EQ(make_strategy(name)->name(), name);
  EXPECT_THROW(make_strategy("nope"), Error);
  EXPECT_THROW(make_strategy("pool", {-1, 64}), Error);
  EXPECT_THROW(make_strategy("pool", {2, 0}), Error);
  EXPECT_GE(make_strategy("pool", {0, 64})->workers(), 1) << "0 workers means one per hardware thread";
}

// A strategy's own settings: defaulted, checked, and refused when undeclared.
TEST(Registry, StrategiesDeclareTheirOwnSettings) {
  EXPECT_EQ(make_strategy("counter", {2, 16})->settings().at("chunk"), "1") << "the default";
  EXPECT_EQ(make_strategy("counter", {2, 16, {{"chunk", "5"}}})->settings().at("chunk"), "5");
  for (const char* bad : {"0", "1025", "x", "", "3 ", "-1"}) {
    try {
      make_strategy("counter", {2, 16, {{"chunk", bad}}});
      ADD_FAILURE() << "took chunk=" << bad;
    } catch (const Error& e) {
      EXPECT_EQ(std::string(e.what()), "option chunk takes a whole number from 1 to 1024, not '" + std::string(bad) + "'");
    }
  }
  EXPECT_THROW(make_strategy("counter", {2, 16, {{"schedule", "static"}}}), Error);
  EXPECT_THROW(make_strategy("pool", {2, 16, {{"chunk", "2"}}}), Error);
  EXPECT_TRUE(make_strategy("pool", {2, 16})->settings().empty());
}

// chunk=3: each claim takes the next three tiles in the order they are handed out (centre-out),
// so one worker computes each run of three.
TEST(Counter, AClaimTakesChunkTiles) {
  const Size size{64, 64, 4};  // 256 tiles
  Frame frame(size.width, size.height, false);
  ASSERT_TRUE(make_strategy("counter", {2, size.tile, {{"chunk", "3"}}})->render(job_for(size), frame, {}));
  const std::vector<Tile> order = make_tiles(size.width, size.height, size.tile);
  for (std::size_t i = 0; i + 1 < order.size(); ++i)
    if ((i + 1) % 3 != 0) {
      EXPECT_EQ(frame.records[order[i].index].worker, frame.records[order[i + 1].index].worker)
          << "claims " << i << " and " << i + 1;
    }
}

// Rows of tiles are phases: no tile of a row starts before every tile of the row before it has
// ended, and within a row worker w computes the tiles at positions w, w + workers, ...
TEST(Barrier, EveryRowEndsBeforeTheNextBeginsAndItsTilesAreDealtInTurn) {
  const Size size{200, 120, 8};
  const int workers = 3;
  Frame frame(size.width, size.height, false);
  ASSERT_TRUE(make_strategy("barrier", {workers, size.tile})->render(job_for(size), frame, {}));
  // The rows in the order they are worked: by where their first tile comes in the centre-out order.
  std::vector<int> rows;
  std::map<int, std::vector<Tile>> tiles_of_row;
  for (const Tile& tile : make_tiles(size.width, size.height, size.tile)) {
    if (!tiles_of_row.count(tile.y)) rows.push_back(tile.y);
    tiles_of_row[tile.y].push_back(tile);
  }
  std::int64_t previous_end = 0;
  for (int y : rows) {
    std::int64_t first_start = std::numeric_limits<std::int64_t>::max(), last_end = 0;
    const std::vector<Tile>& row = tiles_of_row[y];
    for (std::size_t i = 0; i < row.size(); ++i) {
      const TileRecord& record = frame.records[row[i].index];
      EXPECT_EQ(record.worker, static_cast<int>(i) % workers) << "row " << y << ", tile " << i;
      first_start = std::min(first_start, record.start_ns);
      last_end = std::max(last_end, record.end_ns);
    }
    EXPECT_LE(previous_end, first_start) << "row " << y << " began before the row before it ended";
    previous_end = last_end;
  }
}

// Every wait of the barrier is one worker at the end of one phase: workers × rows of them, none
// of them an acquisition.
TEST(Barrier, EachWorkerWaitsOnceAPhase) {
  const Size size{200, 120, 8};
  const int workers = 3;
  Frame frame(size.width, size.height, false);
  ASSERT_TRUE(make_strategy("barrier", {workers, size.tile})->render(job_for(size), frame, {}));
  const int rows = (size.height + size.tile - 1) / size.tile;
  EXPECT_EQ(frame.waits.count, static_cast<std::uint64_t>(rows * workers));
  EXPECT_EQ(frame.waits.contended, 0u);
  std::vector<int> per_worker(workers, 0);
  for (const WaitRecord& wait : frame.waits.records) {
    EXPECT_EQ(wait.what, WaitKind::barrier);
    ++per_worker.at(wait.worker);
  }
  for (int worker = 0; worker < workers; ++worker) EXPECT_EQ(per_worker[worker], rows) << "worker " << worker;
}

// The counter takes no lock and waits on nothing: the lesson next to queue's waits.
TEST(Counter, NeverWaits) {
  const Size size{64, 64, 4};
  Frame frame(size.width, size.height, false);
  ASSERT_TRUE(make_strategy("counter", {3, size.tile})->render(job_for(size), frame, {}));
  EXPECT_EQ(frame.waits.count, 0u);
  EXPECT_TRUE(frame.waits.records.empty());
}

// The queue's workers wait for its lock (an acquisition) or on its condition (not one).
TEST(Queue, WaitsForTheLockOrOnTheCondition) {
  const Size size{64, 64, 2};
  Frame frame(size.width, size.height, false);
  ASSERT_TRUE(make_strategy("queue", {3, size.tile})->render(job_for(size), frame, {}));
  std::uint64_t locks = 0;
  for (const WaitRecord& wait : frame.waits.records) {
    EXPECT_TRUE(wait.what == WaitKind::lock || wait.what == WaitKind::condition);
    locks += wait.what == WaitKind::lock;
  }
  EXPECT_EQ(frame.waits.contended, locks);
}

// The threads alive in this process (/proc/self/status).
int threads_alive() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("Threads:", 0) == 0) return std::stoi(line.substr(8));
  return -1;
}

// A task per tile, but never more than lanes() = 2 × workers of them alive at once, however many
// tiles; its waits are for permits, each one an acquisition.
TEST(Semaphore, KeepsAtMostTwoTasksAWorkerAlive) {
  const Size size{64, 64, 1};  // 4096 tiles
  const int workers = 2;
  const std::unique_ptr<Strategy> strategy = make_strategy("semaphore", {workers, size.tile});
  ASSERT_EQ(strategy->lanes(), 2 * workers);
  const int before = threads_alive();
  std::atomic<int> most{0}, seen{0};
  Frame frame(size.width, size.height, false);
  ASSERT_TRUE(strategy->render(job_for(size), frame, [&](const TileRecord&) {
    if (seen.fetch_add(1) % 64 != 0) return;  // /proc is slow: every 64th tile
    const int alive = threads_alive();
    for (int known = most.load(); alive > known && !most.compare_exchange_weak(known, alive);) {}
  }));
  EXPECT_GT(most.load(), before) << "the tasks are threads of their own";
  // A joined thread may still be counted for a moment (the kernel wakes the join before it drops
  // the thread from /proc): one extra. Without the bound it would be thousands.
  EXPECT_LE(most.load(), before + 2 * workers + 1);
  EXPECT_LE(most_at_once(frame.records), workers) << "a task computes only with a permit";
  for (const WaitRecord& wait : frame.waits.records) EXPECT_EQ(wait.what, WaitKind::semaphore);
  EXPECT_EQ(frame.waits.contended, frame.waits.count);
  Frame reference(size.width, size.height, false);
  make_strategy("serial", {1, 16})->render(job_for(size), reference, {});
  EXPECT_EQ(frame.counts, reference.counts);
}

// A thread per tile, 40,000 tiles: a finished task's thread must be joined as the render goes,
// not all at the end (the process ran out of threads at about 32,000, bench --overhead's 1-px tiles).
TEST(Async, TensOfThousandsOfTilesDoNotRunOutOfThreads) {
  const Size size{200, 200, 1};
  Frame frame(size.width, size.height, false);
  EXPECT_TRUE(make_strategy("async", {2, size.tile})->render(job_for(size), frame, {}));
  Frame reference(size.width, size.height, false);
  make_strategy("serial", {1, 16})->render(job_for(size), reference, {});
  EXPECT_EQ(frame.counts, reference.counts);
}

// A library beside the engine (the GPU, MPI) adds its strategy; every list then shows it.
// Settings travel as "name=value,name=value": a name or a choice holding either character is refused.
TEST(Registry, RefusesSettingsThatWouldNotTravel) {
  const StrategyFactory make = [](StrategyOptions) -> std::unique_ptr<Strategy> { return nullptr; };
  EXPECT_THROW(register_strategy({"refused-a", "", {{"a,b", "", {"x"}}}}, make), Error);
  EXPECT_THROW(register_strategy({"refused-b", "", {{"mode", "", {"x=y"}}}}, make), Error);
  const std::vector<std::string> names = strategy_names();
  EXPECT_EQ(std::count(names.begin(), names.end(), "refused-a") + std::count(names.begin(), names.end(), "refused-b"), 0);
}

TEST(Registry, ALibraryRegistersItsOwnStrategy) {
  struct Wrapped final : Strategy {
    explicit Wrapped(StrategyOptions options)
        : Strategy(options), inner_(make_strategy("serial", {options.workers, options.tile_size})) {}
    bool run(const Job& job, const std::vector<Tile>&, Frame& frame, const TileSink& sink,
             std::stop_token stop) override {
      return inner_->render(job, frame, sink, stop);
    }
    std::unique_ptr<Strategy> inner_;
  };
  const auto make = [](StrategyOptions options) -> std::unique_ptr<Strategy> {
    return std::make_unique<Wrapped>(options);
  };
  const std::vector<std::string> before = strategy_names();  // registered once a process (--gtest_repeat)
  if (std::find(before.begin(), before.end(), "registered-by-a-test") == before.end())
    register_strategy({"registered-by-a-test", "serial, wrapped", {{"mode", "a choice", {"a", "b"}}}}, make);
  const std::vector<std::string> names = strategy_names();
  EXPECT_EQ(names.back(), "registered-by-a-test");
  EXPECT_EQ(strategies().back().name, "registered-by-a-test");
  const std::unique_ptr<Strategy> strategy = make_strategy("registered-by-a-test", {1, 8, {{"mode", "b"}}});
  EXPECT_EQ(strategy->name(), "registered-by-a-test");
  EXPECT_EQ(strategy->settings().at("mode"), "b");
  EXPECT_THROW(make_strategy("registered-by-a-test", {1, 8, {{"mode", "c"}}}), Error);
  EXPECT_THROW(register_strategy({"registered-by-a-test", "again", {}}, make), Error) << "a name is taken once";
  Frame frame(17, 13, false);
  EXPECT_TRUE(strategy->render(job_for({17, 13, 8}), frame, {}));
}

TEST(Strategy, RefusesAFrameOfTheWrongSize) {
  Frame frame(10, 10, false);
  EXPECT_THROW(make_strategy("serial")->render(job_for({11, 10, 4}), frame, {}), Error);
}

}  // namespace
}  // namespace parafrac
