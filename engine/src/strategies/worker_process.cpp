#include "strategies/worker_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>
#include <utility>

#include "parafrac/error.hpp"
#include "strategies/process_protocol.hpp"

extern char** environ;

namespace parafrac::process_parent {
namespace {

std::string describe_errno(int error) { return std::generic_category().message(error); }

std::string describe_status(int status) {
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    const char* name = sigabbrev_np(WTERMSIG(status));
    return std::string("was killed by SIG") + (name ? name : std::to_string(WTERMSIG(status)));
  }
  return "stopped";
}

}  // namespace

void fail(const std::string& what) { throw Error(what + ": " + describe_errno(errno)); }

Fd::Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

Fd& Fd::operator=(Fd&& other) noexcept {
  if (this != &other) {
    reset();
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

void Fd::reset() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
}

Fd high(int fd, const char* what) {
  if (fd < 0) fail(std::string("cannot create ") + what);
  const int moved = fcntl(fd, F_DUPFD_CLOEXEC, 10);
  const int error = errno;
  close(fd);
  if (moved < 0) throw Error(std::string("cannot create ") + what + ": " + describe_errno(error));
  return Fd(moved);
}

Worker Worker::start(const std::filesystem::path& path, int index, int region_fd, int results_fd) {
  using namespace process_protocol;
  int ends[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends) != 0)
    fail("cannot create a wake socket");
  Fd ours = high(ends[0], "a wake socket");
  const Fd theirs = high(ends[1], "a wake socket");

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, region_fd, kRegionFd);
  posix_spawn_file_actions_adddup2(&actions, theirs.get(), kWakeFd);
  posix_spawn_file_actions_adddup2(&actions, results_fd, kResultsFd);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t none;
  sigemptyset(&none);
  sigset_t defaults;
  sigfillset(&defaults);
  posix_spawnattr_setsigmask(&attributes, &none);  // the CLI blocks signals it waits for
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  const std::string program = path.string();
  const std::string worker = std::to_string(index);
  const std::string parent = std::to_string(getpid());
  const char* argv[] = {program.c_str(), "--index",      worker.c_str(),
                        "--parent",      parent.c_str(), nullptr};
  pid_t pid = 0;
  const int error =
      posix_spawn(&pid, program.c_str(), &actions, &attributes, const_cast<char**>(argv), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (error != 0)
    throw Error("cannot start worker process " + program + ": " + describe_errno(error));

  // Until we reap it, the pid cannot be reused, so this pidfd is the right process's.
  const int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  if (pidfd < 0) {
    const int open_error = errno;
    ::kill(pid, SIGKILL);
    while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
    }
    throw Error("cannot watch worker process " + std::to_string(pid) + ": " +
                describe_errno(open_error));
  }
  return Worker{pid, Fd(pidfd), std::move(ours)};
}

bool Worker::wake_up() const {
  const char byte = 1;
  return send(wake.get(), &byte, 1, MSG_NOSIGNAL) == 1;
}

std::chrono::nanoseconds Worker::cpu_time() const {
  clockid_t clock;
  timespec used{};
  if (!running() || clock_getcpuclockid(pid, &clock) != 0 || clock_gettime(clock, &used) != 0)
    return {};
  return std::chrono::seconds(used.tv_sec) + std::chrono::nanoseconds(used.tv_nsec);
}

std::string Worker::reap(std::chrono::nanoseconds& cpu) {
  int status = 0;
  rusage usage{};
  while (wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {
  }
  for (const timeval& time : {usage.ru_utime, usage.ru_stime})
    cpu += std::chrono::seconds(time.tv_sec) + std::chrono::microseconds(time.tv_usec);
  *this = Worker{};
  return describe_status(status);
}

void Worker::kill_now() const {
  if (running()) ::kill(pid, SIGKILL);
}

}  // namespace parafrac::process_parent
