// A misbehaving stand-in for parafrac-worker, for the process strategy's fault tests. It speaks
// just enough of the protocol (process_protocol.hpp) to be started, then does what
// PARAFRAC_FAKE_WORKER says:
//   crash    exits with status 7 whenever it is woken for a render
//   hang     takes the wake-up and then never answers (a worker stuck in a tile)
//   garbage  scribbles over the shared region and sends nonsense messages, then says idle
#include <poll.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "strategies/process_protocol.hpp"

using namespace parafrac::process_protocol;

namespace {

void send(const Message& message) {
  if (write(kResultsFd, &message, sizeof message) != sizeof message) _exit(5);
}

void scribble_and_babble(std::uint32_t worker) {
  struct stat info {};
  if (fstat(kRegionFd, &info) != 0) _exit(4);
  void* base = mmap(nullptr, info.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, kRegionFd, 0);
  if (base == MAP_FAILED) _exit(4);
  auto* header = static_cast<Header*>(base);
  const std::uint32_t generation = header->generation;
  const std::uint32_t tiles = header->tile_count;
  // Every tile record claims to be ours, with absurd values.
  auto* shared = reinterpret_cast<SharedTile*>(static_cast<char*>(base) + header->tiles_offset);
  for (std::uint32_t tile = 0; tile < tiles; ++tile) {
    shared[tile].worker = -12345;
    shared[tile].pid = -1;
    shared[tile].x = 1 << 30;
    shared[tile].width = -7;
    shared[tile].iterations = ~0ULL;
  }
  // Then the header: offsets and sizes that point anywhere.
  header->tile_count = 0xFFFFFFFF;
  header->counts_offset = ~0ULL;
  header->smooth_offset = 1ULL << 60;
  header->width = 0xFFFFFFFF;
  header->region_size = 1;
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
  munmap(base, info.st_size);
}

}  // namespace

int main(int argc, char** argv) {
  const char* mode_text = std::getenv("PARAFRAC_FAKE_WORKER");
  const std::string_view mode = mode_text ? mode_text : "";
  std::uint32_t worker = 0;
  for (int i = 1; i + 1 < argc; ++i)
    if (std::string_view(argv[i]) == "--index") worker = static_cast<std::uint32_t>(std::atoi(argv[i + 1]));
  send({Kind::ready, worker, 0, 0});
  for (;;) {
    char wake = 0;
    if (read(kWakeFd, &wake, 1) != 1) return 0;
    if (mode == "crash") _exit(7);
    if (mode == "hang") {
      pollfd never{kWakeFd, 0, 0};
      poll(&never, 1, -1);  // until the parent hangs up, or kills us
      return 0;
    }
    if (mode == "garbage") scribble_and_babble(worker);
  }
}
