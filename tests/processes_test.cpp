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

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "parafrac/error.hpp"
#include "parafrac/processes.hpp"

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
  void TearDown() override { unsetenv("PARAFRAC_FAKE_WORKER"); }
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
  const Job job = heavy_job();
  Frame frame(job.grid.width(), job.grid.height(), true);
  int published = 0;
  EXPECT_THROW(strategy->render(job, frame, [&](const TileRecord&) { ++published; }), Error);
  EXPECT_EQ(published, 0) << "nothing a broken worker claims to have done may be published";
  for (const TileRecord& record : frame.records) EXPECT_FALSE(record.finished());
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

  static bool has_children() {
    siginfo_t info{};
    return waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) == 0;
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

}  // namespace
}  // namespace parafrac
