#include "parafrac/wait_log.hpp"

#include <algorithm>

namespace parafrac {

void WaitLog::start(int lanes) {
  lanes_.assign(static_cast<std::size_t>(lanes), Lane{});
}

void WaitLog::add(int worker, WaitKind what, std::int64_t start, bool contended) noexcept {
  const std::int64_t end = now_ns();
  Lane& lane = lanes_[static_cast<std::size_t>(worker)];
  // Each lane keeps its share of what the frame keeps, so a render that waits millions of times
  // (1-px tiles) stays bounded in memory; the totals still count every wait.
  if (lane.records.size() < Waits::kMaxRecords / lanes_.size()) {
    try {
      lane.records.push_back({worker, what, start, end});
    } catch (...) {  // out of memory: the record goes, the totals below stay right
    }
  }
  lane.total_ns += end - start;
  ++lane.count;
  if (contended) ++lane.contended;
}

Waits WaitLog::collect() {
  Waits waits;
  for (Lane& lane : lanes_) {
    waits.records.insert(waits.records.end(), lane.records.begin(), lane.records.end());
    waits.total_ns += lane.total_ns;
    waits.count += lane.count;
    waits.contended += lane.contended;
  }
  std::sort(waits.records.begin(), waits.records.end(),
            [](const WaitRecord& a, const WaitRecord& b) { return a.start_ns < b.start_ns; });
  lanes_.clear();
  return waits;
}

}  // namespace parafrac
