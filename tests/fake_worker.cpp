// A misbehaving stand-in for parafrac-worker, for the process strategy's fault tests. It speaks
// just enough of the protocol (process_protocol.hpp) to be started, then does what
// PARAFRAC_FAKE_WORKER says:
//   crash    exits with status 7 whenever it is woken for a render
//   hang     claims a tile when woken and then never answers (a worker stuck in a tile)
//   desert   claims a tile when woken and exits with status 9 (dies holding a tile)
//   garbage  scribbles over the shared region (inside its mapping) and sends nonsense
//            messages, then says idle
// With PARAFRAC_FAKE_ONCE=PATH only the fake that creates PATH (and writes its pid there)
// misbehaves; every other one, replacements included, becomes the real worker
// PARAFRAC_REAL_WORKER, so a render can recover from the one bad worker and finish.
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "strategies/process_protocol.hpp"
#include "strategies/shared_region.hpp"

using namespace parafrac::process_protocol;

namespace {

void send(const Message& message) {
  if (write(kResultsFd, &message, sizeof message) != sizeof message) _exit(5);
}

// The region as it is now, mapped whole (the real worker's mapping).
struct Region : Mapping {
  Region() {
    struct stat info {};
    if (fstat(kRegionFd, &info) != 0 || !map(kRegionFd, static_cast<std::uint64_t>(info.st_size))) _exit(4);
  }
  char* base() const { return at<char>(0); }
};

// Claims a tile as a real worker does (the hint counter, then a CAS on its claim word).
void claim_a_tile(std::uint32_t worker) {
  const Region region;
  Header& header = region.header();
  auto* tiles = reinterpret_cast<SharedTile*>(region.base() + header.tiles_offset);
  for (std::uint32_t index = 0; index < header.tile_count; ++index) {
    std::uint32_t free = 0;
    if (atomically(tiles[index].claim).compare_exchange_strong(free, worker + 1)) return;
  }
  _exit(8);  // the tests start this fake with tiles to spare
}

// Garbage, but only inside the mapping: the fakes run side by side, and one reading the header
// another has scribbled on must not be led past the end (that would test dying, not garbage).
void scribble_and_babble(std::uint32_t worker) {
  const Region region;
  Header& header = region.header();
  const std::uint32_t generation = header.generation;
  const std::uint64_t tiles_offset = std::min<std::uint64_t>(header.tiles_offset, region.size());
  const std::uint64_t fits = (region.size() - tiles_offset) / sizeof(SharedTile);
  const std::uint32_t tiles =
      static_cast<std::uint32_t>(std::min<std::uint64_t>(header.tile_count, fits));
  // Every tile record claims to be someone else's, with absurd values, and so do the pixels.
  auto* shared = reinterpret_cast<SharedTile*>(region.base() + tiles_offset);
  for (std::uint32_t tile = 0; tile < tiles; ++tile) {
    shared[tile].worker = -12345;
    shared[tile].pid = -1;
    shared[tile].x = 1 << 30;
    shared[tile].width = -7;
    shared[tile].iterations = ~0ULL;
  }
  const std::uint64_t pixels_offset = tiles_offset + tiles * sizeof(SharedTile);
  std::memset(region.base() + pixels_offset, 0xA5, region.size() - pixels_offset);
  // Then the header: offsets and sizes that point anywhere.
  header.tile_count = 0xFFFFFFFF;
  header.counts_offset = ~0ULL;
  header.smooth_offset = 1ULL << 60;
  header.width = 0xFFFFFFFF;
  header.region_size = 1;
  // Messages: out-of-range tiles and workers, stale and future generations, unknown kinds,
  // and a tile done that we never did, twice.
  send({Kind::tile_done, worker, generation, 0xFFFFFFFF});
  send({Kind::tile_done, 0xFFFFFFFF, generation, 0});
  send({Kind::tile_done, worker, generation + 1000, 0});
  send({static_cast<Kind>(77), worker, generation, 0});
  send({Kind::tile_done, worker, generation, 0});
  send({Kind::tile_done, worker, generation, 0});
  send({Kind::ready, worker, generation, tiles});
  send({Kind::idle, worker, generation, 0});
}

// PARAFRAC_FAKE_ONCE: the first fake to create the file is the bad one; the rest turn into
// the real worker before they say ready, with the same descriptors, arguments and pid.
void become_real_unless_first(char** argv) {
  const char* once = std::getenv("PARAFRAC_FAKE_ONCE");
  if (!once) return;
  const int marker = open(once, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (marker >= 0) {
    const std::string pid = std::to_string(getpid());
    if (write(marker, pid.data(), pid.size()) != static_cast<ssize_t>(pid.size())) _exit(6);
    close(marker);
    return;
  }
  const char* real = std::getenv("PARAFRAC_REAL_WORKER");
  if (real) execv(real, argv);
  _exit(6);
}

}  // namespace

int main(int argc, char** argv) {
  become_real_unless_first(argv);
  const char* mode_text = std::getenv("PARAFRAC_FAKE_WORKER");
  const std::string_view mode = mode_text ? mode_text : "";
  std::uint32_t worker = 0;
  for (int i = 1; i + 1 < argc; ++i)
    if (std::string_view(argv[i]) == "--index")
      worker = static_cast<std::uint32_t>(std::atoi(argv[i + 1]));
  send({Kind::ready, worker, 0, 0});
  for (;;) {
    char wake = 0;
    if (read(kWakeFd, &wake, 1) != 1) return 0;
    if (mode == "crash") _exit(7);
    if (mode == "hang" || mode == "desert") claim_a_tile(worker);
    if (mode == "desert") _exit(9);
    if (mode == "hang") {
      pollfd never{kWakeFd, 0, 0};
      poll(&never, 1, -1);  // until the parent hangs up, or kills us
      return 0;
    }
    if (mode == "garbage") scribble_and_babble(worker);
  }
}
