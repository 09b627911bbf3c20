#pragma once
// What this process holds, read from /proc: the soak's evidence that nothing grows.
#include <cstdint>
#include <string>
#include <vector>

namespace parafrac::soak {

// A count of what this process holds at one instant. Only meaningful at a quiescent point
// (no render in flight), where every count is determined by the Renderer's configuration.
struct Census {
  int threads = 0;              // /proc/self/task
  int fds = 0;                  // /proc/self/fd (the directory's own descriptor included, always)
  int children = 0;             // child processes, zombies included
  int zombies = 0;              // children that exited and were never reaped
  std::int64_t rss_kib = 0;     // VmRSS
  std::int64_t heap_bytes = 0;  // glibc's bytes in use (mallinfo2), 0 under a sanitizer
};
Census take_census();
// One line: "5 threads, 12 fds, 2 children (0 zombies), RSS 11.0 MiB, heap in use 1.20 MiB" (no heap
// figure under a sanitizer).
std::string describe(const Census& census);

// Whether this build's memory figures say anything: a sanitizer's allocator and shadow memory
// make VmRSS and mallinfo noise, and LeakSanitizer checks the heap there instead.
bool memory_is_measurable();

// The live (not zombie) children of this process running `program` (its name as the kernel
// shows it, at most 15 characters), by pid.
std::vector<int> live_children(const std::string& program);
// Sends SIGKILL to child `pid` if it is still a live child running `program`; true when it did.
// Goes through a pidfd, so a pid reaped and reused meanwhile is never signalled.
bool kill_child(int pid, const std::string& program);

}  // namespace parafrac::soak
