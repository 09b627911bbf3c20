#include "parafrac/measures.hpp"

#include <algorithm>
#include <utility>

namespace parafrac {

namespace {

// +1 at each finished tile's start, -1 at its end, in time order; an end sorts before a start at
// the same instant.
std::vector<std::pair<std::int64_t, int>> changes_in_computing(const std::vector<TileRecord>& records) {
  std::vector<std::pair<std::int64_t, int>> events;
  for (const TileRecord& record : records)
    if (record.finished()) {
      events.emplace_back(record.start_ns, +1);
      events.emplace_back(record.end_ns, -1);
    }
  std::sort(events.begin(), events.end());
  return events;
}

}  // namespace

int most_at_once(const std::vector<TileRecord>& records) {
  int computing = 0, most = 0;
  for (const auto& event : changes_in_computing(records)) most = std::max(most, computing += event.second);
  return most;
}

std::int64_t tail_ns(const std::vector<TileRecord>& records, int workers) {
  const std::vector<std::pair<std::int64_t, int>> events = changes_in_computing(records);
  if (workers < 2 || events.empty()) return 0;
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
