#pragma once
// The parent's side of one `parafrac-worker` process of the `processes` strategy: starting it
// with the descriptors the protocol puts on fixed numbers (process_protocol.hpp), waking it,
// watching it, and reaping it. Used by one thread at a time (the strategy's caller).
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>

namespace parafrac::process_parent {

// Throws Error with `what` and the message of the current errno.
[[noreturn]] void fail(const std::string& what);

// A file descriptor, closed when dropped.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept;
  Fd& operator=(Fd&& other) noexcept;
  ~Fd() { reset(); }
  int get() const { return fd_; }
  void reset();

 private:
  int fd_ = -1;
};

// Takes a fresh descriptor (`fd`, or -1 with errno set when creating it failed) and moves it
// above the fixed numbers workers get, close-on-exec, so that no dup2 in a spawn can clobber a
// descriptor a later one still needs. Throws Error naming `what` on failure.
Fd high(int fd, const char* what);

// One worker process: its pid, a pidfd that becomes readable when it exits, and our end of its
// wake socket (closing it tells the worker to go; a socket, so a write to a dead worker gives
// EPIPE instead of SIGPIPE). A default-constructed Worker is no process.
struct Worker {
  pid_t pid = 0;
  Fd pidfd;
  Fd wake;

  // Starts `path` as worker `index` with the region and the results pipe's write end; throws
  // Error when it cannot be started or watched.
  static Worker start(const std::filesystem::path& path, int index, int region_fd, int results_fd);

  bool running() const { return pid > 0; }
  // Sends the wake byte; false when the worker is gone.
  bool wake_up() const;
  // CPU time its threads used so far, read from the process's CPU clock (zero when unreadable).
  std::chrono::nanoseconds cpu_time() const;
  // Reaps the exited (or killed) process, adds the CPU time it used to `cpu`, leaves this a
  // default Worker, and says how the process ended ("exited with status 7").
  std::string reap(std::chrono::nanoseconds& cpu);
  // SIGKILL, which also ends a stopped process; reap() still has to follow.
  void kill_now() const;
};

}  // namespace parafrac::process_parent
