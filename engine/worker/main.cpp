// parafrac-worker: one worker process of the `processes` strategy. The parent starts it with
// posix_spawn, hands it the shared region and two pipes on fixed descriptors, and wakes it once
// per render; see engine/src/strategies/process_protocol.hpp for the protocol.
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string_view>
#include <thread>

#include "parafrac/clock.hpp"
#include "parafrac/kernel.hpp"
#include "strategies/process_protocol.hpp"
#include "strategies/shared_region.hpp"

namespace parafrac {
namespace {

using namespace process_protocol;

// Exit codes the parent reports when a worker gives up.
enum Exit { kUsage = 2, kOrphaned = 3, kBadRegion = 4, kIoFailed = 5 };

bool parse(std::string_view text, long& value) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size();
}

void send(const Message& message) {
  const char* bytes = reinterpret_cast<const char*>(&message);
  for (;;) {
    const ssize_t written = write(kResultsFd, bytes, sizeof message);
    if (written == static_cast<ssize_t>(sizeof message)) return;
    if (written < 0 && errno == EINTR) continue;
    // EPIPE: the parent is gone, the same news as the wake socket's hang-up, and the same exit.
    _exit(written < 0 && errno == EPIPE ? 0 : kIoFailed);
  }
}

// The shared region, mapped whole; remapped when the parent grew it for a larger job.
class Region : public Mapping {
 public:
  Region() { remap(); }

  void fit(std::uint64_t wanted) {
    if (wanted > size()) remap();
    if (wanted > size()) _exit(kBadRegion);
  }

 private:
  void remap() {
    struct stat info {};
    if (fstat(kRegionFd, &info) != 0 || static_cast<std::size_t>(info.st_size) < sizeof(Header) ||
        !map(kRegionFd, static_cast<std::uint64_t>(info.st_size)))
      _exit(kBadRegion);
  }
};

// Claims the next free tile: first by the hint counter (centre-out order), then, when that runs
// past the end, by a sweep for tiles the parent put back after a worker died.
std::optional<std::uint32_t> claim(Header& header, SharedTile* tiles, std::uint32_t worker) {
  const auto try_claim = [&](std::uint32_t index) {
    std::uint32_t free = 0;
    return atomically(tiles[index].claim).compare_exchange_strong(free, worker + 1);
  };
  for (;;) {
    const std::uint32_t index = atomically(header.next_tile).fetch_add(1);
    if (index >= header.tile_count) break;
    if (try_claim(index)) return index;
  }
  for (std::uint32_t index = 0; index < header.tile_count; ++index)
    if (atomically(tiles[index].claim).load() == 0 && try_claim(index)) return index;
  return std::nullopt;
}

// One render: claim and compute tiles until none is left or the parent cancels the job.
void serve(Region& region, std::uint32_t worker) {
  if (region.header().magic != kMagic || region.header().version != kVersion) _exit(kBadRegion);
  region.fit(region.header().region_size);  // may move the mapping: take references after it
  Header& header = region.header();
  const std::uint32_t generation = header.generation;

  const Job job = region.job();
  const Canvas canvas = region.canvas();
  SharedTile* tiles = region.tiles();
  const auto cancelled = [&] { return atomically(header.cancelled).load() == generation; };

  while (!cancelled()) {
    const std::optional<std::uint32_t> index = claim(header, tiles, worker);
    if (!index) break;
    SharedTile& shared = tiles[*index];
    const Tile tile{static_cast<int>(*index), shared.x, shared.y, shared.width, shared.height};
    const std::int64_t start = now_ns();
    const std::int64_t cpu_start = thread_cpu_ns();
    const std::optional<std::uint64_t> iterations = render_tile(job, tile, canvas, cancelled);
    if (!iterations) break;
    shared.worker = static_cast<std::int32_t>(worker);
    shared.pid = static_cast<std::int32_t>(getpid());
    shared.start_ns = start;
    shared.end_ns = now_ns();
    shared.iterations = *iterations;
    shared.cpu_ns = thread_cpu_ns() - cpu_start;
    send({Kind::tile_done, worker, generation, *index});
  }
  send({Kind::idle, worker, generation, 0});
}

int run(int argc, char** argv) {
  long worker = -1;
  long parent = -1;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view flag = argv[i];
    if (flag == "--index" && parse(argv[i + 1], worker)) continue;
    if (flag == "--parent" && parse(argv[i + 1], parent)) continue;
    worker = -1;
    break;
  }
  if (argc != 5 || worker < 0 || worker > 1 << 20 || parent <= 0) {
    std::fprintf(stderr, "parafrac-worker: started by parafrac's process strategy, not by hand\n");
    return kUsage;
  }
  // Ctrl-C in a terminal reaches the whole process group; the parent decides what it means.
  signal(SIGINT, SIG_IGN);
  // A parent that dies between our poll and our write must not kill us with SIGPIPE: we see
  // EPIPE instead and leave the way we leave on the hang-up.
  signal(SIGPIPE, SIG_IGN);
  if (getppid() != parent) return kOrphaned;

  // The parent holds the other end of the wake pipe. When it goes, however it goes (SIGKILL
  // included), the pipe hangs up; this thread notices at once, even in the middle of a tile.
  std::thread([] {
    pollfd wake{kWakeFd, 0, 0};
    while (poll(&wake, 1, -1) < 0 && errno == EINTR) {
    }
    _exit(0);
  }).detach();

  Region region;
  send({Kind::ready, static_cast<std::uint32_t>(worker), 0, 0});
  for (;;) {
    char wake = 0;
    const ssize_t got = read(kWakeFd, &wake, 1);
    // The parent closed our socket: shut down. The same _exit as the watcher thread's, which
    // sees the same hang-up; a plain return would run exit-time work (a sanitizer's leak
    // check, which starts a helper process) that the watcher's _exit could cut short.
    if (got == 0) _exit(0);
    if (got < 0) {
      if (errno == EINTR) continue;
      return kIoFailed;
    }
    serve(region, static_cast<std::uint32_t>(worker));
  }
}

}  // namespace
}  // namespace parafrac

int main(int argc, char** argv) {
  // Every Parafrac program answers --version; this one too, though only a strategy starts it.
  if (argc == 2 && std::string_view(argv[1]) == "--version") {
    std::printf("parafrac-worker " PARAFRAC_VERSION "\n");
    return 0;
  }
  return parafrac::run(argc, argv);
}
