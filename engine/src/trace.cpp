#include "parafrac/trace.hpp"

#include <algorithm>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>

namespace parafrac {

std::string chrome_trace(const std::vector<TracedRender>& renders) {
  nlohmann::json events = nlohmann::json::array();
  for (std::size_t p = 0; p < renders.size(); ++p) {
    const TracedRender& render = renders[p];
    const int pid = static_cast<int>(p) + 1;
    events.push_back({{"name", "process_name"}, {"ph", "M"}, {"pid", pid}, {"args", {{"name", render.name}}}});
    events.push_back({{"name", "process_sort_index"}, {"ph", "M"}, {"pid", pid}, {"args", {{"sort_index", pid}}}});
    std::int64_t origin = std::numeric_limits<std::int64_t>::max();
    std::set<int> workers;
    for (const TileRecord& record : render.records)
      if (record.finished()) {
        origin = std::min(origin, record.start_ns);
        workers.insert(record.worker);
      }
    for (const WaitRecord& wait : render.waits.records) {
      origin = std::min(origin, wait.start_ns);
      workers.insert(wait.worker);
    }
    const auto us = [origin](std::int64_t ns) { return static_cast<double>(ns - origin) * 1e-3; };
    for (const int worker : workers)
      events.push_back({{"name", "thread_name"}, {"ph", "M"}, {"pid", pid}, {"tid", worker},
                        {"args", {{"name", "worker " + std::to_string(worker)}}}});
    for (const TileRecord& record : render.records) {
      if (!record.finished()) continue;
      events.push_back({{"name", "tile " + std::to_string(record.tile.index)},
                        {"cat", "tile"},
                        {"ph", "X"},
                        {"pid", pid},
                        {"tid", record.worker},
                        {"ts", us(record.start_ns)},
                        {"dur", static_cast<double>(record.end_ns - record.start_ns) * 1e-3},
                        {"args",
                         {{"x", record.tile.x},
                          {"y", record.tile.y},
                          {"width", record.tile.width},
                          {"height", record.tile.height},
                          {"iterations", record.iterations},
                          {"cpu_us", static_cast<double>(record.cpu_ns) * 1e-3},
                          {"os_pid", record.pid}}}});
    }
    for (const WaitRecord& wait : render.waits.records)
      events.push_back({{"name", "wait: " + std::string(wait_kind_name(wait.what))},
                        {"cat", "wait"},
                        {"ph", "X"},
                        {"pid", pid},
                        {"tid", wait.worker},
                        {"ts", us(wait.start_ns)},
                        {"dur", static_cast<double>(wait.end_ns - wait.start_ns) * 1e-3},
                        {"cname", "grey"}});
  }
  return nlohmann::json{{"traceEvents", events}, {"displayTimeUnit", "ms"}}.dump() + "\n";
}

}  // namespace parafrac
