#pragma once
// Drives the desktop app as a user would: a private X server, real X input through xdotool,
// and the app's --verbose lines as the only clock. Helpers throw std::runtime_error with the
// app's whole story when something never happens; GoogleTest reports that as the failure.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "parafrac/image_io.hpp"
#include "parafrac/parse.hpp"

extern char** environ;

namespace parafrac::gui_test {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Generous: software GL on two busy cores can be slow, and a deadline only ever matters when
// something is broken.
inline constexpr std::chrono::seconds kDeadline{60};

using Env = std::map<std::string, std::string>;

inline Env current_env() {
  Env env;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string text = *entry;
    const std::size_t eq = text.find('=');
    if (eq != std::string::npos) env[text.substr(0, eq)] = text.substr(eq + 1);
  }
  return env;
}

inline std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

inline int remaining_ms(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return static_cast<int>(std::max<long long>(left, 0));
}

// A child with its stdout on a pipe we read line by line, and its stderr in a file. Destroyed
// while still running, it is killed and reaped, so a failed test leaves nothing behind.
class Process {
 public:
  // `keep_fd` (when >= 0) is passed on to the child under its own number: Xvfb's -displayfd.
  Process(const std::vector<std::string>& args, const Env& env, fs::path stderr_file, int keep_fd = -1)
      : stderr_file_(std::move(stderr_file)) {
    int out[2];
    if (pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
    if (keep_fd >= 0) fcntl(keep_fd, F_SETFD, 0);
    std::vector<std::string> env_storage;
    for (const auto& [key, value] : env) env_storage.push_back(key + "=" + value);
    std::vector<char*> argv, envp;
    std::vector<std::string> arg_storage = args;
    for (std::string& arg : arg_storage) argv.push_back(arg.data());
    for (std::string& entry : env_storage) envp.push_back(entry.data());
    argv.push_back(nullptr);
    envp.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_addopen(&actions, 2, stderr_file_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int error = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (keep_fd >= 0) fcntl(keep_fd, F_SETFD, FD_CLOEXEC);
    close(out[1]);
    out_ = out[0];
    if (error != 0) {
      close(out_);
      throw std::runtime_error("cannot start " + args[0] + ": " + std::strerror(error));
    }
    pidfd_ = static_cast<int>(syscall(SYS_pidfd_open, pid_, 0));
  }
  ~Process() {
    if (!exit_code_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    close(out_);
    if (pidfd_ >= 0) close(pidfd_);
  }
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  pid_t pid() const { return pid_; }

  // The next stdout line that `matches`, skipping (but recording) the others; nullopt at end
  // of output or at the deadline.
  std::optional<std::string> next_line(const std::function<bool(const std::string&)>& matches,
                                       std::chrono::seconds timeout = kDeadline) {
    const auto deadline = Clock::now() + timeout;
    for (;;) {
      while (!pending_.empty()) {
        std::string line = std::move(pending_.front());
        pending_.pop_front();
        if (on_line) on_line(line);
        if (matches(line)) return line;
      }
      if (eof_) return std::nullopt;
      pollfd readable{out_, POLLIN, 0};
      if (poll(&readable, 1, remaining_ms(deadline)) <= 0) return std::nullopt;
      char chunk[4096];
      const ssize_t got = read(out_, chunk, sizeof chunk);
      if (got <= 0) {
        eof_ = true;
        continue;
      }
      partial_.append(chunk, static_cast<std::size_t>(got));
      for (std::size_t end; (end = partial_.find('\n')) != std::string::npos; partial_.erase(0, end + 1)) {
        pending_.push_back(partial_.substr(0, end));
        transcript_ += pending_.back() + "\n";
      }
    }
  }

  // The exit status (128 + signal when killed by one), or nullopt if it is still running at the
  // deadline. Output it had not read yet stays readable.
  std::optional<int> wait(std::chrono::seconds timeout = kDeadline) {
    if (!exit_code_) {
      pollfd exited{pidfd_, POLLIN, 0};
      if (poll(&exited, 1, static_cast<int>(std::chrono::milliseconds(timeout).count())) != 1) return std::nullopt;
      int status = 0;
      waitpid(pid_, &status, 0);
      exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    return exit_code_;
  }

  std::string err() const { return slurp(stderr_file_); }
  // Everything it said so far, for failure messages.
  std::string story() const { return "stdout:\n" + transcript_ + partial_ + "\nstderr:\n" + err(); }

  std::function<void(const std::string&)> on_line;  // sees every line next_line goes past

 private:
  fs::path stderr_file_;
  pid_t pid_ = 0;
  int pidfd_ = -1;
  int out_ = -1;
  bool eof_ = false;
  std::string partial_;
  std::deque<std::string> pending_;
  std::string transcript_;
  std::optional<int> exit_code_;
};

// Our own X server on a free display, told to us through -displayfd once it accepts clients.
class XServer {
 public:
  explicit XServer(const fs::path& log) {
    int ready[2];
    if (pipe2(ready, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
    try {
      process_.emplace(std::vector<std::string>{"/usr/bin/Xvfb", "-displayfd", std::to_string(ready[1]), "-screen",
                                                "0", "1280x1024x24", "-nolisten", "tcp"},
                       current_env(), log, ready[1]);
    } catch (...) {
      close(ready[0]);
      close(ready[1]);
      throw;
    }
    close(ready[1]);
    std::string number;
    const auto deadline = Clock::now() + kDeadline;
    for (char c = 0; c != '\n';) {
      pollfd readable{ready[0], POLLIN, 0};
      if (poll(&readable, 1, remaining_ms(deadline)) != 1 || read(ready[0], &c, 1) != 1) break;
      if (c != '\n') number += c;
    }
    close(ready[0]);
    if (number.empty()) throw std::runtime_error("Xvfb never told its display number:\n" + slurp(log));
    display_ = ":" + number;
  }
  ~XServer() {
    kill(process_->pid(), SIGTERM);
    process_->wait();
  }

  const std::string& display() const { return display_; }
  pid_t pid() const { return process_->pid(); }

 private:
  std::optional<Process> process_;
  std::string display_;
};

// The processes whose parent is this one (the test is a child subreaper, so orphans count).
inline std::set<pid_t> our_children() {
  std::set<pid_t> found;
  for (const auto& task : fs::directory_iterator("/proc/self/task")) {
    std::ifstream children(task.path() / "children");
    for (pid_t pid; children >> pid;) found.insert(pid);
  }
  return found;
}

// ---- The app's --verbose lines: a word, then key=value fields. ----

inline std::map<std::string, std::string> fields_of(const std::string& line) {
  std::map<std::string, std::string> fields;
  std::istringstream words(line);
  for (std::string word; words >> word;)
    if (const std::size_t eq = word.find('='); eq != std::string::npos) fields[word.substr(0, eq)] = word.substr(eq + 1);
  return fields;
}

struct Point {
  double re = 0, im = 0;
  bool operator==(const Point&) const = default;
};

// "RE,IM" as the app and the PNG metadata print it (%.17g, so it reads back exactly).
inline Point point_of(const std::string& text) {
  const auto [re, im] = parafrac::parse_point(text, "a point the app printed");
  return {re, im};
}

struct Rendered {
  std::string strategy;
  std::string size;
  Point center;
  double scale = 0;
  unsigned max_iter = 0;
};

inline bool starts_with_word(const std::string& line, const std::string& word) {
  return line == word || line.starts_with(word + " ");
}

// The line the app prints when an F12 screenshot has been written, or has failed.
inline bool screenshot_outcome(const std::string& line) {
  return starts_with_word(line, "screenshot") || starts_with_word(line, "screenshot-failed");
}

inline Rendered rendered_of(const std::string& line) {
  auto fields = fields_of(line);
  return {fields["strategy"], fields["size"], point_of(fields["center"]), std::stod(fields["scale"]),
          static_cast<unsigned>(std::stoul(fields["max_iter"]))};
}

// ---- Images. ----

struct Rgb {
  int r = 0, g = 0, b = 0;
  bool operator==(const Rgb&) const = default;
};

inline Rgb pixel(const RgbImage& image, int x, int y) {
  const std::size_t at = (static_cast<std::size_t>(y) * image.width + x) * 3;
  return {image.pixels[at], image.pixels[at + 1], image.pixels[at + 2]};
}

inline std::string text_of(const RgbImage& image, const std::string& key) {
  for (const auto& [k, v] : image.text)
    if (k == key) return v;
  return "(missing)";
}

inline std::size_t distinct_colours(const RgbImage& image) {
  std::set<int> colours;
  for (int y = 0; y < image.height; ++y)
    for (int x = 0; x < image.width; ++x) {
      const Rgb c = pixel(image, x, y);
      colours.insert(c.r << 16 | c.g << 8 | c.b);
    }
  return colours.size();
}

}  // namespace parafrac::gui_test
