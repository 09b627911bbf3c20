#include "parafrac/frame.hpp"

namespace parafrac {

Frame::Frame(int width_, int height_, bool with_smooth)
    : width(width_), height(height_),
      counts(static_cast<std::size_t>(width_) * height_),
      smooth(with_smooth ? static_cast<std::size_t>(width_) * height_ : 0) {}

}  // namespace parafrac
