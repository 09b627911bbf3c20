#pragma once
// The two clocks tile records use.
#include <time.h>

#include <cstdint>

namespace parafrac {

// std::chrono::steady_clock's nanoseconds (CLOCK_MONOTONIC): comparable across processes.
inline std::int64_t now_ns() {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<std::int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

// CPU time the calling thread has used: what a tile cost its worker, whoever else ran meanwhile.
inline std::int64_t thread_cpu_ns() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<std::int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

}  // namespace parafrac
