#include "navigation.hpp"

#include <algorithm>
#include <cmath>

namespace parafrac::gui {

void ViewHistory::go(const View& view, bool replace) {
  const View& here = entries_[at_];
  // A click that did not move, or a reset at the start: no step to go back over.
  if (view.center_re == here.center_re && view.center_im == here.center_im && view.scale == here.scale) return;
  entries_.resize(at_ + 1);
  if (replace) {
    entries_[at_] = view;
    return;
  }
  entries_.push_back(view);
  if (entries_.size() > kMaxEntries) entries_.erase(entries_.begin());
  at_ = entries_.size() - 1;
}

std::optional<View> ViewHistory::back() {
  if (!can_go_back()) return std::nullopt;
  return entries_[--at_];
}

std::optional<View> ViewHistory::forward() {
  if (!can_go_forward()) return std::nullopt;
  return entries_[++at_];
}

std::uint32_t auto_max_iter(double scale) {
  const double depth = std::max(0.0, std::log10(2.5 / scale));
  return static_cast<std::uint32_t>(std::min(1e6, std::round(256.0 + 400.0 * depth)));
}

std::optional<View> zoomed_to_box(const View& view, double x0, double y0, double x1, double y1) {
  const double width = std::abs(x1 - x0);
  const double height = std::abs(y1 - y0);
  if (std::max(width, height) < 4.0) return std::nullopt;
  const std::complex<double> centre = view.pixel_to_complex((x0 + x1) / 2, (y0 + y1) / 2);
  View boxed = view;
  boxed.center_re = centre.real();
  boxed.center_im = centre.imag();
  // Fit the box: the scale is the view's height in the plane, so a wide box widens it.
  const double fit = std::max(height / view.height, width / view.width);
  boxed.scale = view.scale * fit;
  return boxed;
}

double wheel_factor(double notches) { return std::pow(1.25, notches); }

View resized(const View& view, int width, int height) {
  View sized = view;
  sized.width = width;
  sized.height = height;
  return sized;
}

}  // namespace parafrac::gui
