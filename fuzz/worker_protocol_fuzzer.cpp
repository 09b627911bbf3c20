// The worker protocol as the parent reads it: a message from the results pipe and the tile-table
// entry it names, both written by a worker the parent does not trust (process_protocol.hpp,
// believe()). Whatever the bytes, a believed record names a tile of the render, keeps its times
// in order and not in the future, its CPU time within its wall time and its work within the tile,
// so nothing downstream (the Renderer's sums, the timeline's differences) can overflow.
#include <cstdint>
#include <cstring>
#include <vector>

#include "harness.hpp"
#include "strategies/process_protocol.hpp"

using namespace parafrac;
using namespace parafrac::process_protocol;

namespace {

// The next sizeof(T) bytes of the input as a T (zeros past its end).
template <typename T>
T take(const std::uint8_t*& data, std::size_t& size) {
  T value{};
  const std::size_t n = size < sizeof value ? size : sizeof value;
  std::memcpy(&value, data, n);
  data += n;
  size -= n;
  return value;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // The parent's side of the render, itself from the input: how many tiles and how large
  // (up to the engine's largest tile), the job's max_iter, the worker's pid and the clock.
  const auto count = static_cast<std::size_t>(take<std::uint8_t>(data, size)) % 64 + 1;
  const int side = take<std::uint8_t>(data, size) + 1;
  const std::uint32_t max_iter = take<std::uint32_t>(data, size) % 1'000'000'000u + 1;
  const auto pid = take<std::int32_t>(data, size);
  const auto now = take<std::int64_t>(data, size);
  std::vector<Tile> tiles(count);
  for (std::size_t i = 0; i < count; ++i) tiles[i] = {static_cast<int>(i), 0, 0, side, side};

  // Then as many (message, entry) pairs as the bytes make, as the pipe would bring them.
  std::int64_t cpu_sum = 0;
  while (size > 0) {
    const auto message = take<Message>(data, size);
    const auto entry = take<SharedTile>(data, size);
    const auto record = believe(message, entry, pid, tiles, max_iter, now);
    if (!record) continue;
    fuzz::require(message.kind == Kind::tile_done, "only tile_done carries a record");
    fuzz::require(record->tile.index >= 0 && static_cast<std::size_t>(record->tile.index) < count,
                  "a believed record names a tile of the render");
    fuzz::require(record->pid == pid && record->worker == static_cast<int>(message.worker),
                  "a believed record comes from the worker that sent it");
    fuzz::require(0 <= record->start_ns && record->start_ns <= record->end_ns && record->end_ns <= now,
                  "times in order, not in the future");
    fuzz::require(0 <= record->cpu_ns && record->cpu_ns - (record->end_ns - record->start_ns) <= 1'000'000,
                  "CPU time within wall time");
    fuzz::require(record->iterations <= static_cast<std::uint64_t>(side) * side * max_iter,
                  "no more work than the tile holds");
    // What the Renderer does with it (UBSan stops on an overflow): each CPU time is at most
    // `now` plus a millisecond, so the sum of a render's records is bounded by the tiles.
    if (cpu_sum <= INT64_MAX - record->cpu_ns) cpu_sum += record->cpu_ns;
  }
  return 0;
}
