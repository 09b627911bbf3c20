#include "parafrac/measures.hpp"

#include <algorithm>
#include <map>

namespace parafrac {

std::int64_t tail_ns(const std::vector<TileRecord>& records) {
  std::map<int, std::int64_t> last_end;  // per worker
  std::int64_t end = 0;
  for (const TileRecord& record : records) {
    if (!record.finished()) continue;
    last_end[record.worker] = std::max(last_end[record.worker], record.end_ns);
    end = std::max(end, record.end_ns);
  }
  if (last_end.size() < 2) return 0;
  std::int64_t first_idle = end;
  for (const auto& worker : last_end) first_idle = std::min(first_idle, worker.second);
  return end - first_idle;
}

}  // namespace parafrac
