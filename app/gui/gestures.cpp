#include "gestures.hpp"

#include <algorithm>
#include <cmath>

namespace parafrac::gui {

bool DoubleClick::press(double time, double x, double y) {
  const bool twice = last_ && time - last_->time <= kMaxInterval &&
                     std::hypot(x - last_->x, y - last_->y) <= kMaxDistance;
  if (twice)
    last_.reset();
  else
    last_ = Press{time, x, y};
  return twice;
}

bool KeyTaps::release_now(int key, int mods) {
  if (!unseen_) return true;
  held_.emplace_back(key, mods);
  return false;
}

std::vector<std::pair<int, int>> KeyTaps::frame_done() {
  unseen_ = false;
  return std::exchange(held_, {});
}

}  // namespace parafrac::gui
