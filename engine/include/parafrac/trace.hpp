#pragma once
// Renders as a Chrome trace-event file, which Perfetto (ui.perfetto.dev) and chrome://tracing open:
// what `bench --trace` and the app's trace button write.
#include <string>
#include <vector>

#include "parafrac/frame.hpp"

namespace parafrac {

struct TracedRender {
  std::string name;  // the track group's title, e.g. "queue x2"
  const std::vector<TileRecord>& records;
  const Waits& waits;
};

// A process per render (in the order given), a thread per worker, a slice per tile and per wait;
// each render's times count from its own first event. The JSON text, ending in a newline.
std::string chrome_trace(const std::vector<TracedRender>& renders);

}  // namespace parafrac
