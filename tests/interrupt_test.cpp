// Ctrl-C as a user presses it: parafrac-cli stops at once at any --max-iter, a second Ctrl-C (or
// a SIGTERM) while it is stopping ends it on the spot, and neither leaves a file behind.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cli_runner.hpp"

namespace parafrac {
namespace {

using Clock = std::chrono::steady_clock;

// Hang detectors, not speed limits: the CLI answers within milliseconds; these only keep a
// broken build from hanging the suite. Before the orbits asked whether to stop, the first test
// took minutes to stop: more than kExitDeadline by far.
constexpr std::chrono::seconds kStartDeadline{60};
constexpr std::chrono::seconds kExitDeadline{20};

// A started parafrac-cli; killed and reaped when a test leaves before it ended.
class Running {
 public:
  explicit Running(pid_t pid) : pid_(pid) {}
  Running(const Running&) = delete;
  Running& operator=(const Running&) = delete;
  ~Running() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  pid_t pid() const { return pid_; }

  // Its exit code (128 + signal when a signal ended it), or nullopt when it is still running
  // after `deadline`.
  std::optional<int> wait(std::chrono::milliseconds deadline) {
    const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0));
    pollfd ended{pidfd, POLLIN, 0};
    const int ready = ::poll(&ended, 1, static_cast<int>(deadline.count()));
    ::close(pidfd);
    if (ready != 1) return std::nullopt;
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = 0;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

 private:
  pid_t pid_;
};

// A descriptor closed when it goes out of scope.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    std::swap(fd_, other.fd_);
    return *this;
  }
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

// Reads `fd` into `seen` until it holds `text`; false at its end or once `deadline` has passed.
bool read_until(int fd, const std::string& text, std::string& seen, std::chrono::seconds deadline) {
  const auto end = Clock::now() + deadline;
  while (seen.find(text) == std::string::npos) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - Clock::now()).count();
    pollfd readable{fd, POLLIN, 0};
    if (left <= 0 || ::poll(&readable, 1, static_cast<int>(left)) != 1) return false;
    char buffer[4096];
    const ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got <= 0) return false;  // the end (a terminal reads EIO once its last writer is gone)
    seen.append(buffer, static_cast<std::size_t>(got));
  }
  return true;
}

class Interrupt : public Cli {
 protected:
  // Starts parafrac-cli with `args`, its standard output and error on the given descriptors.
  static pid_t spawn(const std::vector<std::string>& args, int out, int err) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out, STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, err, STDERR_FILENO);
    return Cli::spawn(args, actions);
  }

  Fd null_output() const { return Fd(::open("/dev/null", O_WRONLY | O_CLOEXEC)); }
};

// A render whose tiles, taken centre-out, are one that escapes fast and then one of points that
// never escape, at a billion iterations each: nothing but a check inside the orbits can stop it
// soon. One row at 1/512 a pixel around 0.5: the centre tile covers 0.251 .. 0.749 (outside the
// set), the left one -0.249 .. 0.249 (inside the main cardioid), the right one 0.751 .. 1.249.
const std::vector<std::string> kDeepRender = {"render", "--strategy", "pool", "--workers", "2", "--center", "0.5,0",
                                              "--scale", "0.001953125", "--size", "768x1", "--tile", "256",
                                              "--max-iter", "1000000000", "--no-shortcuts"};

TEST_F(Interrupt, CtrlCStopsARenderInTheMiddleOfABillionIterations) {
  // Standard error on a terminal, where the CLI shows its progress: the first tile done is the
  // sign that the workers are into the deep ones.
  Fd terminal(::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC));
  ASSERT_GE(terminal.get(), 0);
  ASSERT_EQ(::grantpt(terminal.get()), 0);
  ASSERT_EQ(::unlockpt(terminal.get()), 0);
  char name[64];
  ASSERT_EQ(::ptsname_r(terminal.get(), name, sizeof name), 0);
  Fd err(::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC));
  ASSERT_GE(err.get(), 0);
  std::vector<std::string> args = kDeepRender;
  args.insert(args.end(), {"-o", dir_ / "never.png"});
  Running cli(spawn(args, null_output().get(), err.get()));
  err = Fd();  // the child's copy is the only writer left: its end ends our reads

  std::string seen;
  ASSERT_TRUE(read_until(terminal.get(), "rendering", seen, kStartDeadline)) << "no progress: " << seen;
  ASSERT_EQ(::kill(cli.pid(), SIGINT), 0);
  const std::optional<int> exit_code = cli.wait(kExitDeadline);
  ASSERT_TRUE(exit_code) << "still rendering " << kExitDeadline.count() << " s after Ctrl-C";
  EXPECT_EQ(*exit_code, 128 + SIGINT);
  read_until(terminal.get(), "nothing written", seen, kExitDeadline);
  EXPECT_NE(seen.find("interrupted; nothing written"), std::string::npos) << seen;
  EXPECT_TRUE(files().empty()) << "left behind: " << files().front();
}

// The second signal, while the CLI waits for its work to stop.
class SecondSignal : public Interrupt, public testing::WithParamInterface<int> {};

TEST_P(SecondSignal, EndsTheProgramAtOnceAndLeavesNothingBehind) {
  // Work that cannot stop: the output is a FIFO that the test opens and then stops reading, so
  // the CLI's writer blocks once the pipe is full, and the render waits for the writer.
  const fs::path fifo = dir_ / "counts.i32";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  Fd reader(::open(fifo.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  ASSERT_GE(reader.get(), 0);
  int err_pipe[2];
  ASSERT_EQ(::pipe2(err_pipe, O_CLOEXEC), 0);
  Fd err_read(err_pipe[0]), err_write(err_pipe[1]);
  Running cli(spawn({"render", "--size", "2000x2000", "--max-iter", "50", "-o", fifo}, null_output().get(),
                    err_write.get()));
  err_write = Fd();

  pollfd written{reader.get(), POLLIN, 0};  // the first bytes of 16 MB: the writer has started
  ASSERT_EQ(::poll(&written, 1, static_cast<int>(std::chrono::milliseconds(kStartDeadline).count())), 1);
  ASSERT_TRUE(written.revents & POLLIN) << "the render ended before writing";
  ASSERT_EQ(::kill(cli.pid(), SIGINT), 0);
  std::string err;
  ASSERT_TRUE(read_until(err_read.get(), "stopping", err, kExitDeadline)) << "Ctrl-C was not taken: " << err;
  ASSERT_EQ(::kill(cli.pid(), GetParam()), 0);
  const std::optional<int> exit_code = cli.wait(kExitDeadline);
  ASSERT_TRUE(exit_code) << "still waiting for its work " << kExitDeadline.count() << " s after "
                         << sigabbrev_np(GetParam());
  EXPECT_EQ(*exit_code, 128 + GetParam());
  read_until(err_read.get(), "quitting", err, kExitDeadline);
  EXPECT_NE(err.find("quitting at once"), std::string::npos) << err;
  EXPECT_EQ(files(), std::vector<std::string>{"counts.i32"}) << "only the FIFO may be there";
}

TEST_F(Interrupt, AFifoNobodyReadsDoesNotHoldTheProgramHostage) {
  // Opening a FIFO for writing waits for a reader, which here never comes; before, SIGINT and
  // SIGTERM were blocked during that wait and only SIGKILL ended the program.
  const fs::path fifo = dir_ / "nobody.png";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  int err_pipe[2];
  ASSERT_EQ(::pipe2(err_pipe, O_CLOEXEC), 0);
  Fd err_read(err_pipe[0]), err_write(err_pipe[1]);
  // Started with SIGINT blocked (a child inherits the mask), so a Ctrl-C sent before its main
  // blocks it too waits for the CLI instead of killing it.
  sigset_t interrupt, previous;
  sigemptyset(&interrupt);
  sigaddset(&interrupt, SIGINT);
  ASSERT_EQ(::pthread_sigmask(SIG_BLOCK, &interrupt, &previous), 0);
  Running cli(spawn({"render", "--size", "64x48", "-o", fifo}, null_output().get(), err_write.get()));
  ASSERT_EQ(::pthread_sigmask(SIG_SETMASK, &previous, nullptr), 0);
  err_write = Fd();
  ASSERT_EQ(::kill(cli.pid(), SIGINT), 0);
  std::string err;
  ASSERT_TRUE(read_until(err_read.get(), "stopping", err, kExitDeadline)) << "Ctrl-C was not taken: " << err;
  ASSERT_EQ(::kill(cli.pid(), SIGINT), 0);
  const std::optional<int> exit_code = cli.wait(kExitDeadline);
  ASSERT_TRUE(exit_code) << "still waiting for a reader after two Ctrl-C";
  EXPECT_EQ(*exit_code, 128 + SIGINT);
  EXPECT_EQ(files(), std::vector<std::string>{"nobody.png"});
}

INSTANTIATE_TEST_SUITE_P(IntAndTerm, SecondSignal, testing::Values(SIGINT, SIGTERM),
                         [](const testing::TestParamInfo<int>& info) { return std::string(sigabbrev_np(info.param)); });

}  // namespace
}  // namespace parafrac
