#include "parafrac/frame.hpp"

namespace parafrac {

Frame::Frame(int width_, int height_, bool with_smooth)
    : width(width_), height(height_),
      counts(static_cast<std::size_t>(width_) * height_),
      smooth(with_smooth ? static_cast<std::size_t>(width_) * height_ : 0) {}

std::string_view wait_kind_name(WaitKind kind) {
  switch (kind) {
    case WaitKind::lock: return "lock";
    case WaitKind::condition: return "condition";
    case WaitKind::barrier: return "barrier";
    case WaitKind::semaphore: return "semaphore";
  }
  return "?";
}

}  // namespace parafrac
