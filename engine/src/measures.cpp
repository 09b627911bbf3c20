#include "parafrac/measures.hpp"

#include <algorithm>
#include <utility>

namespace parafrac {

std::int64_t tail_ns(const std::vector<TileRecord>& records, int workers) {
  // +1 at a tile's start, -1 at its end; an end sorts before a start at the same instant.
  std::vector<std::pair<std::int64_t, int>> events;
  for (const TileRecord& record : records)
    if (record.finished()) {
      events.emplace_back(record.start_ns, +1);
      events.emplace_back(record.end_ns, -1);
    }
  if (workers < 2 || events.empty()) return 0;
  std::sort(events.begin(), events.end());
  std::int64_t full_until = -1;  // when `workers` tiles last stopped computing at once
  int computing = 0;
  for (const auto& [at, change] : events) {
    const bool was_full = computing >= workers;
    computing += change;
    if (was_full && computing < workers) full_until = at;
  }
  return full_until < 0 ? 0 : events.back().first - full_until;
}

}  // namespace parafrac
