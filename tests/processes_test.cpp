// The process strategy's faults: dying workers, workers that cannot start or misbehave, and a
// parent that is killed, interrupted or simply exits. The generic strategy suite covers the
// rest (bit-identical images, cancellation, records).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <functional>
#include <future>
#include <sstream>
#include <thread>

#include "parafrac/error.hpp"
#include "parafrac/processes.hpp"
#include "strategies/process_protocol.hpp"

extern char** environ;

namespace parafrac {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

Job heavy_job() {
  // Mostly boundary and interior: every tile takes a while, so a render is long enough to
  // kill a worker in the middle of it (the scalar kernel, every point to the end).
  return {grid_of({-0.7436, 0.1318, 0.004, 320, 240}), {4000, Start::zero, Escape::norm, KernelKind::scalar, false}, true};
}

Frame serial_frame(const Job& job) {
  Frame frame(job.grid.width(), job.grid.height(), true);
  EXPECT_TRUE(make_strategy("serial", {1, 16})->render(job, frame, {}));
  return frame;
}

bool alive(int pid) { return kill(pid, 0) == 0; }

// Whether this process has a child, running or not yet reaped.
bool has_children() {
  siginfo_t info{};
  return waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) == 0;
}

std::size_t open_descriptors() {
  return static_cast<std::size_t>(std::distance(fs::directory_iterator("/proc/self/fd"), fs::directory_iterator{}));
}

// Sets an environment variable for one test; the strategy reads its settings when it is made.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) { setenv(name, value.c_str(), 1); }
  ~ScopedEnv() { unsetenv(name_); }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
};

// The stall interval these tests give the strategy (PARAFRAC_WORKER_STALL_MS; 16 s by default),
// and how long a render may take before the test calls it hung: far longer than the interval,
// so only a render that never notices its stalled worker gets there.
constexpr const char* kTestStallMs = "1000";
constexpr auto kHung = std::chrono::seconds(60);

// Runs `render`. When it has not returned within kHung, the test fails and `rescue` (killing
// the stalled worker, which the strategy then sees die) runs so that the render can end: a
// hang fails in a minute instead of at ctest's timeout.
bool render_or_rescue(const std::function<bool()>& render, const std::function<void()>& rescue) {
  std::promise<void> returned;
  std::future<void> done = returned.get_future();
  std::atomic<bool> hung = false;
  std::jthread watchdog([&] {
    if (done.wait_for(kHung) == std::future_status::ready) return;
    hung = true;
    rescue();
  });
  bool finished = false;
  try {
    finished = render();
  } catch (...) {
    returned.set_value();
    throw;
  }
  returned.set_value();
  watchdog.join();
  EXPECT_FALSE(hung) << "the render hung on a stalled worker until the test killed it";
  return finished;
}

void expect_serials(const Job& job, const Frame& frame) {
  const Frame serial = serial_frame(job);
  EXPECT_EQ(frame.counts, serial.counts);
  EXPECT_EQ(frame.smooth, serial.smooth);
  for (const TileRecord& record : frame.records) EXPECT_TRUE(record.finished());
}

TEST(Processes, AWorkerKilledMidRenderIsReplacedAndTheImageIsStillSerials) {
  const Job job = heavy_job();
  const std::unique_ptr<ProcessStrategy> strategy = make_process_strategy({2, 16}, default_worker_path());
  const int victim = strategy->worker_pids().at(0);
  bool killed = false;
  Frame frame(job.grid.width(), job.grid.height(), true);
  ASSERT_TRUE(strategy->render(job, frame, [&](const TileRecord&) {
    if (!std::exchange(killed, true)) {
      ASSERT_EQ(kill(victim, SIGKILL), 0);
    }
  }));
  EXPECT_EQ(strategy->restarts(), 1);
  EXPECT_NE(strategy->worker_pids().at(0), victim);
  EXPECT_FALSE(alive(victim)) << "the dead worker must be reaped";
  const Frame serial = serial_frame(job);
  EXPECT_EQ(frame.counts, serial.counts);
  EXPECT_EQ(frame.smooth, serial.smooth);
  for (const TileRecord& record : frame.records) EXPECT_TRUE(record.finished());
}

TEST(Processes, AWorkerStoppedMidRenderIsKilledAndReplacedAndTheImageIsStillSerials) {
  const ScopedEnv stall("PARAFRAC_WORKER_STALL_MS", kTestStallMs);
  const Job job = heavy_job();
  const std::size_t descriptors = open_descriptors();
  std::unique_ptr<ProcessStrategy> strategy = make_process_strategy({2, 16}, default_worker_path());
  const int victim = strategy->worker_pids().at(0);
  bool stopped = false;
  Frame frame(job.grid.width(), job.grid.height(), true);
  const bool finished = render_or_rescue(
      [&] {
        return strategy->render(job, frame, [&](const TileRecord&) {
          if (!std::exchange(stopped, true)) {
            ASSERT_EQ(kill(victim, SIGSTOP), 0);
          }
        });
      },
      [victim] { kill(victim, SIGKILL); });
  ASSERT_TRUE(finished);
  EXPECT_NE(strategy->worker_pids().at(0), victim);
  EXPECT_FALSE(alive(victim)) << "the stalled worker must be killed and reaped";
  expect_serials(job, frame);
  strategy.reset();
  EXPECT_FALSE(has_children()) << "a worker outlived the strategy";
  EXPECT_EQ(open_descriptors(), descriptors) << "the strategy leaked descriptors";
}

TEST(Processes, AWorkerStoppedBetweenRendersDoesNotHangTheNextOne) {
  const ScopedEnv stall("PARAFRAC_WORKER_STALL_MS", kTestStallMs);
  const Job job = heavy_job();
  const std::unique_ptr<ProcessStrategy> strategy = make_process_strategy({2, 16}, default_worker_path());
  const int victim = strategy->worker_pids().at(0);
  ASSERT_EQ(kill(victim, SIGSTOP), 0);
  Frame frame(job.grid.width(), job.grid.height(), true);
  ASSERT_TRUE(render_or_rescue([&] { return strategy->render(job, frame, {}); }, [victim] { kill(victim, SIGKILL); }));
  EXPECT_FALSE(alive(victim)) << "the stalled worker must be killed and reaped";
  expect_serials(job, frame);
}

TEST(Processes, AWorkerStoppedWhileIdleIsStillReapedAtShutdown) {
  std::unique_ptr<ProcessStrategy> strategy = make_process_strategy({2, 16}, default_worker_path());
  const int victim = strategy->worker_pids().at(0);
  ASSERT_EQ(kill(victim, SIGSTOP), 0);
  strategy.reset();
  EXPECT_FALSE(alive(victim)) << "a stopped worker must not outlive its strategy";
}

TEST(Processes, GrowsAndShrinksItsWorkersBetweenRenders) {
  const Job job = heavy_job();
  const std::unique_ptr<ProcessStrategy> strategy = make_process_strategy({1, 32}, default_worker_path());
  const Frame serial = serial_frame(job);
  for (int workers : {3, 1, 2}) {
    const std::vector<int> before = strategy->worker_pids();
    strategy->set_workers(workers);
    const std::vector<int> after = strategy->worker_pids();
    ASSERT_EQ(static_cast<int>(after.size()), workers);
    for (std::size_t i = 0; i < std::min(before.size(), after.size()); ++i)
      EXPECT_EQ(before[i], after[i]) << "a resize must keep the workers it does not remove";
    for (std::size_t i = after.size(); i < before.size(); ++i) {
      EXPECT_FALSE(alive(before[i])) << "a removed worker must be gone";
    }
    Frame frame(job.grid.width(), job.grid.height(), true);
    ASSERT_TRUE(strategy->render(job, frame, {}));
    EXPECT_EQ(frame.counts, serial.counts) << workers << " workers";
  }
}

TEST(Processes, AMissingWorkerBinaryIsAClearErrorAtOnce) {
  try {
    make_process_strategy({2, 16}, "/nonexistent/parafrac-worker");
    FAIL() << "expected an Error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("/nonexistent/parafrac-worker"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("No such file"), std::string::npos) << error.what();
  }
}

TEST(Processes, AWorkerThatExitsBeforeItIsReadyIsAClearError) {
  try {
    make_process_strategy({2, 16}, "/bin/false");
    FAIL() << "expected an Error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("exited with status 1 before it was ready"), std::string::npos)
        << error.what();
  }
}

// The misbehaving workers of fake_worker.cpp, chosen by the environment they inherit.
class FakeWorkers : public testing::Test {
 protected:
  std::unique_ptr<ProcessStrategy> start(const char* mode) {
    setenv("PARAFRAC_FAKE_WORKER", mode, 1);
    return make_process_strategy({2, 16}, PARAFRAC_FAKE_WORKER_PATH);
  }
  // Only one fake misbehaves, once; the others and every replacement are real workers.
  std::unique_ptr<ProcessStrategy> start_one(const char* mode) {
    setenv("PARAFRAC_FAKE_ONCE", marker().c_str(), 1);
    setenv("PARAFRAC_REAL_WORKER", default_worker_path().c_str(), 1);
    return start(mode);
  }
  // The pid of the fake that misbehaved, which start_one's marker file holds.
  int bad_one() {
    std::ifstream file(marker());
    int pid = 0;
    file >> pid;
    return pid;
  }
  void TearDown() override {
    for (const char* name : {"PARAFRAC_FAKE_WORKER", "PARAFRAC_FAKE_ONCE", "PARAFRAC_REAL_WORKER"}) unsetenv(name);
    if (!folder_.empty()) fs::remove_all(folder_);
  }

 private:
  fs::path marker() {
    if (folder_.empty()) {
      std::string name = (fs::temp_directory_path() / "parafrac-fake-XXXXXX").string();
      if (!mkdtemp(name.data())) ADD_FAILURE() << "cannot create a temporary folder";
      folder_ = name;
    }
    return folder_ / "bad-worker-pid";
  }
  fs::path folder_;
};

TEST_F(FakeWorkers, WorkersThatKeepDyingFailTheRenderInsteadOfLooping) {
  const std::unique_ptr<ProcessStrategy> strategy = start("crash");
  const Job job = heavy_job();
  Frame frame(job.grid.width(), job.grid.height(), true);
  try {
    strategy->render(job, frame, {});
    FAIL() << "expected an Error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("keep dying"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("exited with status 7"), std::string::npos) << error.what();
  }
}

TEST_F(FakeWorkers, GarbageInTheRegionAndOnThePipeFailsTheRenderWithoutACrash) {
  const std::unique_ptr<ProcessStrategy> strategy = start("garbage");
  const std::vector<int> fakes = strategy->worker_pids();
  const Job job = heavy_job();
  Frame frame(job.grid.width(), job.grid.height(), true);
  int published = 0;
  try {
    strategy->render(job, frame, [&](const TileRecord&) { ++published; });
    FAIL() << "expected an Error";
  } catch (const Error& error) {
    // The garbage itself is caught: the fakes said idle with every tile left, and none died.
    EXPECT_NE(std::string(error.what()).find("broke the protocol"), std::string::npos) << error.what();
  }
  EXPECT_EQ(published, 0) << "nothing a broken worker claims to have done may be published";
  for (const TileRecord& record : frame.records) EXPECT_FALSE(record.finished());
  EXPECT_EQ(strategy->restarts(), 0) << "the fakes must survive their garbage, or this tests dying";
  EXPECT_EQ(strategy->worker_pids(), fakes);
}

TEST_F(FakeWorkers, AWorkerThatDiesHoldingATileHasItsTileRedone) {
  const std::unique_ptr<ProcessStrategy> strategy = start_one("desert");
  const Job job = heavy_job();
  Frame frame(job.grid.width(), job.grid.height(), true);
  ASSERT_TRUE(strategy->render(job, frame, {}));
  EXPECT_EQ(strategy->restarts(), 1);
  EXPECT_FALSE(alive(bad_one())) << "the dead worker must be reaped";
  expect_serials(job, frame);
}

TEST_F(FakeWorkers, AWorkerThatClaimsATileAndNeverAnswersIsKilledAndItsTileRedone) {
  const ScopedEnv stall("PARAFRAC_WORKER_STALL_MS", kTestStallMs);
  const std::unique_ptr<ProcessStrategy> strategy = start_one("hang");
  const Job job = heavy_job();
  Frame frame(job.grid.width(), job.grid.height(), true);
  ASSERT_TRUE(render_or_rescue([&] { return strategy->render(job, frame, {}); }, [this] {
    if (const int pid = bad_one(); pid > 0) kill(pid, SIGKILL);
  }));
  EXPECT_GE(strategy->restarts(), 1);
  EXPECT_FALSE(alive(bad_one())) << "the stalled worker must be killed and reaped";
  expect_serials(job, frame);
}

TEST_F(FakeWorkers, ACancelledRenderKillsWorkersThatDoNotPutTheirTileDown) {
  const std::unique_ptr<ProcessStrategy> strategy = start("hang");
  const std::vector<int> stuck = strategy->worker_pids();
  const Job job = heavy_job();
  Frame frame(job.grid.width(), job.grid.height(), true);
  std::stop_source stop;
  stop.request_stop();
  EXPECT_FALSE(strategy->render(job, frame, {}, stop.get_token()));
  for (int pid : stuck) EXPECT_FALSE(alive(pid)) << "worker " << pid << " was not stopped";
  for (int pid : strategy->worker_pids()) EXPECT_EQ(pid, 0) << "killed workers are replaced at the next render";
}

// ---- The parent's end: run parafrac-cli with the strategy and watch its workers. ----

// As a child subreaper, this test process inherits any worker its child leaves behind, so a
// leak shows up as a child of ours.
class ParentEnds : public testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
    output_ = fs::temp_directory_path() / ("parafrac-processes-" + std::to_string(getpid()) + ".png");
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove(output_, ignored);
  }

  pid_t start_render(const std::string& size, const std::string& max_iter) {
    const std::vector<std::string> args{PARAFRAC_CLI, "render", "--strategy", "processes", "--workers", "2",
                                        "--center", "-0.2,0", "--scale", "0.5", "--size", size,
                                        "--max-iter", max_iter, "--no-shortcuts", "-o", output_.string()};
    std::vector<char*> argv;
    for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid = 0;
    EXPECT_EQ(posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ), 0);
    posix_spawn_file_actions_destroy(&actions);
    return pid;
  }

  // The worker processes of `parent`, once it has started both (polled from /proc, with a
  // generous limit in case the machine is busy).
  static std::vector<int> workers_of(pid_t parent) {
    const auto deadline = Clock::now() + std::chrono::seconds(60);
    for (;;) {
      std::vector<int> found;
      std::ifstream children("/proc/" + std::to_string(parent) + "/task/" + std::to_string(parent) + "/children");
      for (int pid; children >> pid;) found.push_back(pid);
      if (found.size() == 2 || Clock::now() > deadline) return found;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }

  static int exit_code(pid_t pid) {
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  static std::vector<std::string> shared_memory_objects() {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator("/dev/shm")) names.push_back(entry.path().filename());
    std::sort(names.begin(), names.end());
    return names;
  }

  fs::path output_;
};

TEST_F(ParentEnds, AParentKilledMidRenderTakesItsWorkersWithIt) {
  const std::vector<std::string> shm_before = shared_memory_objects();
  const pid_t parent = start_render("1600x1200", "1000000");
  const std::vector<int> workers = workers_of(parent);
  if (workers.size() != 2u) {
    kill(parent, SIGKILL);
    exit_code(parent);
    FAIL() << "the render never started its workers";
  }
  std::vector<pollfd> exits;
  for (int pid : workers) exits.push_back({static_cast<int>(syscall(SYS_pidfd_open, pid, 0)), POLLIN, 0});
  ASSERT_EQ(kill(parent, SIGKILL), 0);
  EXPECT_EQ(exit_code(parent), 128 + SIGKILL);

  // The workers are mid-tile, at a million iterations a point; only the hang-up can stop them.
  const auto killed = Clock::now();
  for (pollfd& exit : exits) {
    ASSERT_EQ(poll(&exit, 1, 30'000), 1) << "a worker outlived its parent";
    close(exit.fd);
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - killed).count();
  RecordProperty("workers_gone_after_s", std::to_string(seconds));
  for (int pid : workers) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid) << "the orphan should have come to us, the subreaper";
    // 0 when it saw the hang-up, 3 when it was still starting and found its parent gone.
    EXPECT_TRUE(WIFEXITED(status)) << "worker " << pid << " did not exit on its own: status " << status;
  }
  EXPECT_EQ(shared_memory_objects(), shm_before) << "nothing may be left in /dev/shm";
  for (const auto& entry : fs::directory_iterator(output_.parent_path()))
    EXPECT_FALSE(entry.path().filename().string().starts_with(output_.filename().string()))
        << "left behind: " << entry.path();
}

class ParentSignals : public ParentEnds, public testing::WithParamInterface<int> {};

TEST_P(ParentSignals, ReapTheWorkersAndLeaveNothingBehind) {
  const pid_t parent = start_render("1600x1200", "1000000");
  if (workers_of(parent).size() != 2u) {
    kill(parent, SIGKILL);
    exit_code(parent);
    FAIL() << "the render never started its workers";
  }
  ASSERT_EQ(kill(parent, GetParam()), 0);
  EXPECT_EQ(exit_code(parent), 128 + GetParam());
  EXPECT_FALSE(has_children()) << "the parent left a worker running";
  EXPECT_FALSE(fs::exists(output_));
}

INSTANTIATE_TEST_SUITE_P(IntAndTerm, ParentSignals, testing::Values(SIGINT, SIGTERM),
                         [](const testing::TestParamInfo<int>& info) { return std::string(sigabbrev_np(info.param)); });

TEST_F(ParentEnds, ANormalExitReapsTheWorkers) {
  const pid_t parent = start_render("64x48", "50");
  EXPECT_EQ(exit_code(parent), 0);
  EXPECT_FALSE(has_children()) << "the parent left a worker running";
  EXPECT_TRUE(fs::exists(output_));
}

// What a worker writes into its tile's record is checked before the parent believes it: garbage
// there once reached the Renderer's CPU-time sum and the timeline's differences unchecked.
TEST(WorkerRecords, OnlyPlausibleRecordsAreBelieved) {
  const std::int64_t now = 5'000'000'000;
  process_protocol::SharedTile genuine{};
  genuine.start_ns = 1'000'000'000;
  genuine.end_ns = 2'000'000'000;
  genuine.cpu_ns = 900'000'000;
  genuine.iterations = 64 * 64 * 500;
  EXPECT_TRUE(process_protocol::plausible(genuine, now, 64 * 64, 500));
  auto with = [&](auto change) {
    process_protocol::SharedTile record = genuine;
    change(record);
    return process_protocol::plausible(record, now, 64 * 64, 500);
  };
  EXPECT_FALSE(with([](auto& r) { r.start_ns = -1; })) << "before the clock began";
  EXPECT_FALSE(with([](auto& r) { r.end_ns = r.start_ns - 1; })) << "ended before it started";
  EXPECT_FALSE(with([&](auto& r) { r.end_ns = now + 1; })) << "ended in the future";
  EXPECT_FALSE(with([](auto& r) { r.cpu_ns = -1; })) << "negative CPU time";
  EXPECT_FALSE(with([](auto& r) { r.cpu_ns = 2'000'000'000; })) << "more CPU than wall time";
  EXPECT_FALSE(with([](auto& r) { r.cpu_ns = INT64_MAX; })) << "an overflowing sum";
  EXPECT_FALSE(with([](auto& r) { r.iterations = 64 * 64 * 500 + 1; })) << "more work than the tile holds";
}

}  // namespace
}  // namespace parafrac
