#pragma once
// What the `processes` strategy and its `parafrac-worker` processes share: the layout of the
// shared-memory region and the messages on the pipes between them. Both sides are built from
// this one header, and map and fill the region through shared_region.hpp; the parent trusts
// nothing it reads back (see processes.cpp).
//
// The region is a memfd: it has no name, so nothing is left in /dev/shm whatever happens to
// the processes, and it is gone when the last descriptor and mapping go.
//
//   header | grid re[width] | grid im[height] | tiles[tile_count] | counts[w*h] | smooth[w*h]
//
// A render: with every worker idle, the parent writes the job and the tile table, bumps
// `generation`, and writes one wake byte to each worker's pipe. Each worker claims tiles (a
// hint counter, then a CAS on the tile's claim word), computes them into the region, and for
// each one writes a `tile_done` message on the shared results pipe; when it finds nothing
// left to claim, or the parent sets `cancelled` to the generation, it writes `idle` and reads
// its pipe again. The parent rewrites the region only after every worker's `idle`. A worker
// that dies before its `idle` has the tiles it claimed put back (claim reset to 0) and is
// replaced; so has one that stalls (its CPU clock stands still, see processes.cpp), after the
// parent kills it.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "parafrac/frame.hpp"

namespace parafrac::process_protocol {

// The descriptors a worker is started with (posix_spawn dup2s them into place).
inline constexpr int kRegionFd = 3;   // the memfd
inline constexpr int kWakeFd = 4;     // read end of this worker's wake pipe; EOF: the parent is gone
inline constexpr int kResultsFd = 5;  // write end of the results pipe shared by all workers

inline constexpr std::uint64_t kMagic = 0x3130'4b52'5746'5250;  // "PRFWRK01"
inline constexpr std::uint32_t kVersion = 5;

inline constexpr std::size_t kAlign = 64;
constexpr std::size_t aligned(std::size_t bytes) { return (bytes + kAlign - 1) / kAlign * kAlign; }

struct Header {
  std::uint64_t magic;
  std::uint32_t version;
  std::uint32_t generation;  // the job's number; written by the parent while workers are idle
  std::uint32_t cancelled;   // atomic: set to `generation` to make workers abandon the job
  std::uint32_t next_tile;   // atomic: the claim hint, an index into the tile table
  std::uint64_t region_size; // bytes the layout below needs; workers remap when it grew
  // The job.
  std::uint32_t width;
  std::uint32_t height;
  std::uint32_t max_iter;
  std::uint8_t start;   // parafrac::Start
  std::uint8_t escape;  // parafrac::Escape
  std::uint8_t smooth;  // 1: also write smooth values
  std::uint8_t kernel;  // parafrac::KernelKind
  std::uint8_t shortcuts;  // KernelParams::shortcuts
  std::uint8_t membership;  // KernelParams::membership
  std::uint8_t unused[2];
  std::uint32_t tile_count;
  std::uint64_t re_offset;
  std::uint64_t im_offset;
  std::uint64_t tiles_offset;
  std::uint64_t counts_offset;
  std::uint64_t smooth_offset;  // 0 when smooth == 0
};

// One tile of the job, in the order workers claim them (centre-out), with its record.
struct SharedTile {
  std::int32_t x, y, width, height;
  std::uint32_t claim;  // atomic: 0 free, else the claiming worker's index + 1
  std::int32_t worker;  // the record, written by the worker that finished the tile
  std::int32_t pid;
  std::uint32_t unused;
  std::int64_t start_ns;
  std::int64_t end_ns;
  std::uint64_t iterations;
  std::int64_t cpu_ns;
};

// Whether a finished tile's record, as a worker wrote it, could be true: its times in order and
// not after `now_ns` (both sides read CLOCK_MONOTONIC), CPU time within the wall time the tile
// took (one thread computes a tile; a millisecond of slack for the two clocks' ticks), and no
// more iterations than the tile's pixels at `max_iter`. A record that is not is refused like any
// other broken message, so garbage never reaches sums and differences that could overflow (the
// Renderer adds CPU times, the timeline subtracts start from end).
inline bool plausible(const SharedTile& shared, std::int64_t now_ns, std::uint64_t pixels, std::uint32_t max_iter) {
  constexpr std::int64_t kClockSlack = 1'000'000;
  return shared.start_ns >= 0 && shared.start_ns <= shared.end_ns && shared.end_ns <= now_ns &&
         shared.cpu_ns >= 0 && shared.cpu_ns <= shared.end_ns - shared.start_ns + kClockSlack &&
         shared.iterations <= pixels * max_iter;
}

// Where each part of a job lives in the region.
struct Layout {
  std::uint64_t re_offset, im_offset, tiles_offset, counts_offset, smooth_offset, size;
};

constexpr Layout layout_for(std::uint64_t width, std::uint64_t height, std::uint64_t tile_count,
                            bool smooth) {
  Layout layout{};
  layout.re_offset = aligned(sizeof(Header));
  layout.im_offset = layout.re_offset + aligned(width * sizeof(double));
  layout.tiles_offset = layout.im_offset + aligned(height * sizeof(double));
  layout.counts_offset = layout.tiles_offset + aligned(tile_count * sizeof(SharedTile));
  const std::uint64_t counts_end = layout.counts_offset + aligned(width * height * sizeof(std::uint32_t));
  layout.smooth_offset = smooth ? counts_end : 0;
  layout.size = smooth ? counts_end + aligned(width * height * sizeof(float)) : counts_end;
  return layout;
}

// Messages on the results pipe: 16 bytes, so each write is atomic (less than PIPE_BUF).
enum class Kind : std::uint32_t { ready = 1, tile_done = 2, idle = 3 };
struct Message {
  Kind kind;
  std::uint32_t worker;
  std::uint32_t generation;
  std::uint32_t tile;  // index into the tile table (tile_done only)
};

// What the parent believes of a message from the results pipe: the record of the tile it names
// when it is a `tile_done` for a tile of this render (`tiles`), the tile table's entry for it
// (`entry`, one copy, read once) was written by that worker's process (`pid`), and the record is
// plausible; nothing otherwise. The parent trusts nothing else a worker says; pure, so a fuzzer
// can try it on any bytes.
inline std::optional<TileRecord> believe(const Message& message, const SharedTile& entry, std::int32_t pid,
                                         std::span<const Tile> tiles, std::uint32_t max_iter, std::int64_t now_ns) {
  if (message.kind != Kind::tile_done || message.tile >= tiles.size()) return std::nullopt;
  if (entry.worker < 0 || static_cast<std::uint32_t>(entry.worker) != message.worker || entry.pid != pid)
    return std::nullopt;
  const Tile& tile = tiles[message.tile];
  const auto pixels = static_cast<std::uint64_t>(tile.width) * static_cast<std::uint64_t>(tile.height);
  if (!plausible(entry, now_ns, pixels, max_iter)) return std::nullopt;
  return TileRecord{tile, entry.worker, pid, entry.start_ns, entry.end_ns, entry.iterations, entry.cpu_ns};
}

template <typename T>
std::atomic_ref<T> atomically(T& value) {
  static_assert(std::atomic_ref<T>::is_always_lock_free, "shared across processes: must be lock-free");
  return std::atomic_ref<T>(value);
}

}  // namespace parafrac::process_protocol
