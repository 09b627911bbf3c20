#include "census.hpp"

#include <dirent.h>
#include <malloc.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>

namespace parafrac::soak {
namespace {

int count_entries(const char* path) {
  DIR* dir = opendir(path);
  if (!dir) return -1;
  int count = 0;
  while (const dirent* entry = readdir(dir))
    if (entry->d_name[0] != '.') ++count;
  closedir(dir);
  return count;
}

// The fields of /proc/PID/stat the soak needs.
struct ProcessStat {
  std::string name;  // comm
  char state = '?';
  int parent = 0;
};

std::optional<ProcessStat> read_stat(int pid) {
  std::ifstream file("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(file, line)) return std::nullopt;  // it has gone meanwhile
  // "PID (NAME) STATE PPID ...": the name may hold spaces and parentheses, the last ')' ends it.
  const std::size_t open = line.find('(');
  const std::size_t close = line.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close < open) return std::nullopt;
  ProcessStat stat;
  stat.name = line.substr(open + 1, close - open - 1);
  std::istringstream rest(line.substr(close + 1));
  if (!(rest >> stat.state >> stat.parent)) return std::nullopt;
  return stat;
}

// Every process whose parent is this one, with its stat.
std::vector<std::pair<int, ProcessStat>> children() {
  std::vector<std::pair<int, ProcessStat>> found;
  DIR* dir = opendir("/proc");
  if (!dir) return found;
  const int self = getpid();
  while (const dirent* entry = readdir(dir)) {
    char* end = nullptr;
    const long pid = std::strtol(entry->d_name, &end, 10);
    if (*end != '\0' || pid <= 0) continue;
    if (const auto stat = read_stat(static_cast<int>(pid)); stat && stat->parent == self)
      found.emplace_back(static_cast<int>(pid), *stat);
  }
  closedir(dir);
  return found;
}

std::int64_t rss_kib() {
  std::ifstream status("/proc/self/status");
  std::string key;
  while (status >> key) {
    if (key == "VmRSS:") {
      std::int64_t kib = 0;
      status >> kib;
      return kib;
    }
    status.ignore(1 << 16, '\n');
  }
  return 0;
}

}  // namespace

bool memory_is_measurable() {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  return false;
#else
  return true;
#endif
}

Census take_census() {
  Census census;
  census.threads = count_entries("/proc/self/task");
  census.fds = count_entries("/proc/self/fd");
  for (const auto& [pid, stat] : children()) {
    ++census.children;
    if (stat.state == 'Z') ++census.zombies;
  }
  census.rss_kib = rss_kib();
  if (memory_is_measurable()) {
    const struct mallinfo2 info = mallinfo2();
    census.heap_bytes = static_cast<std::int64_t>(info.uordblks + info.hblkhd);
  }
  return census;
}

std::string describe(const Census& census) {
  char line[200];
  std::snprintf(line, sizeof line, "%d threads, %d fds, %d children (%d zombies), RSS %.1f MiB", census.threads,
                census.fds, census.children, census.zombies, static_cast<double>(census.rss_kib) / 1024);
  std::string text = line;
  if (memory_is_measurable()) {
    std::snprintf(line, sizeof line, ", heap in use %.2f MiB", static_cast<double>(census.heap_bytes) / (1 << 20));
    text += line;
  }
  return text;
}

std::vector<int> live_children(const std::string& program) {
  std::vector<int> pids;
  for (const auto& [pid, stat] : children())
    if (stat.name == program && stat.state != 'Z') pids.push_back(pid);
  return pids;
}

bool kill_child(int pid, const std::string& program) {
  const int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  if (pidfd < 0) return false;
  // The pidfd names one process for good; if that process is still our live worker now, it is
  // the one to kill, even if the pid we scanned was reaped and reused before the open.
  const auto stat = read_stat(pid);
  const bool ours = stat && stat->parent == getpid() && stat->name == program && stat->state != 'Z';
  const bool killed = ours && syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, nullptr, 0) == 0;
  close(pidfd);
  return killed;
}

}  // namespace parafrac::soak
