#include "strategies/shared_region.hpp"

#include <sys/mman.h>

#include <algorithm>

namespace parafrac::process_protocol {

bool Mapping::map(int fd, std::uint64_t size) {
  void* base = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (base == MAP_FAILED) return false;
  unmap();
  base_ = base;
  size_ = size;
  return true;
}

void Mapping::unmap() {
  if (base_) munmap(base_, size_);
  base_ = nullptr;
  size_ = 0;
}

Canvas Mapping::canvas() const {
  const Header& head = header();
  return {at<std::uint32_t>(head.counts_offset), head.smooth ? at<float>(head.smooth_offset) : nullptr,
          static_cast<int>(head.width), static_cast<int>(head.height)};
}

void Mapping::post(const Job& job, const std::vector<Tile>& tiles, const Layout& layout, std::uint32_t generation) {
  Header& head = header();
  head.region_size = layout.size;
  head.width = static_cast<std::uint32_t>(job.grid.width());
  head.height = static_cast<std::uint32_t>(job.grid.height());
  head.max_iter = job.params.max_iter;
  head.start = static_cast<std::uint8_t>(job.params.start);
  head.escape = static_cast<std::uint8_t>(job.params.escape);
  head.kernel = static_cast<std::uint8_t>(job.params.kernel);
  head.shortcuts = job.params.shortcuts ? 1 : 0;
  head.membership = job.params.membership ? 1 : 0;
  head.smooth = job.smooth ? 1 : 0;
  head.tile_count = static_cast<std::uint32_t>(tiles.size());
  head.re_offset = layout.re_offset;
  head.im_offset = layout.im_offset;
  head.tiles_offset = layout.tiles_offset;
  head.counts_offset = layout.counts_offset;
  head.smooth_offset = layout.smooth_offset;
  std::copy(job.grid.re.begin(), job.grid.re.end(), at<double>(layout.re_offset));
  std::copy(job.grid.im.begin(), job.grid.im.end(), at<double>(layout.im_offset));
  SharedTile* shared = at<SharedTile>(layout.tiles_offset);
  for (std::size_t index = 0; index < tiles.size(); ++index) {
    shared[index] = SharedTile{};
    shared[index].x = tiles[index].x;
    shared[index].y = tiles[index].y;
    shared[index].width = tiles[index].width;
    shared[index].height = tiles[index].height;
  }
  head.next_tile = 0;
  head.generation = generation;
}

Job Mapping::job() const {
  const Header& head = header();
  Job job;
  job.grid.re.assign(at<double>(head.re_offset), at<double>(head.re_offset) + head.width);
  job.grid.im.assign(at<double>(head.im_offset), at<double>(head.im_offset) + head.height);
  job.params = {head.max_iter, static_cast<Start>(head.start), static_cast<Escape>(head.escape),
                head.kernel == 0 ? KernelKind::scalar : KernelKind::simd, head.shortcuts != 0, head.membership != 0};
  job.smooth = head.smooth != 0;
  return job;
}

}  // namespace parafrac::process_protocol
