#pragma once
// The shared-memory region of the `processes` strategy as both sides see it: one mapping type
// with the accessors for each part of the layout (process_protocol.hpp), and the job written
// into the header by the parent and read back by a `parafrac-worker`, in one place.
#include <cstdint>
#include <vector>

#include "parafrac/kernel.hpp"
#include "strategies/process_protocol.hpp"

namespace parafrac::process_protocol {

class Mapping {
 public:
  Mapping() = default;
  ~Mapping() { unmap(); }
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;

  // Maps `size` bytes of `fd` read-write and shared, replacing the mapping it had; false (and
  // the old mapping kept) when mmap fails.
  bool map(int fd, std::uint64_t size);
  std::uint64_t size() const { return size_; }

  Header& header() const { return *static_cast<Header*>(base_); }
  template <typename T>
  T* at(std::uint64_t offset) const {
    return reinterpret_cast<T*>(static_cast<char*>(base_) + offset);
  }
  // The parts of the job the header describes (its offsets): a worker's view. The parent reads
  // the region by the layout it posted, never by offsets a worker could have overwritten.
  SharedTile* tiles() const { return at<SharedTile>(header().tiles_offset); }
  Canvas canvas() const;

  // The parent: lays the job and its tile table out in the region (already `layout.size` bytes),
  // every tile unclaimed, under generation `generation`. Only while every worker is idle.
  void post(const Job& job, const std::vector<Tile>& tiles, const Layout& layout, std::uint32_t generation);
  // A worker: the job the header describes (its grid copied out).
  Job job() const;

 private:
  void unmap();
  void* base_ = nullptr;
  std::uint64_t size_ = 0;
};

}  // namespace parafrac::process_protocol
