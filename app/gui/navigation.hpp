#pragma once
// Where the user has been and how input moves the view: the app's logic that needs no window.
#include <cstdint>
#include <cstddef>
#include <optional>
#include <vector>

#include "parafrac/view.hpp"

namespace parafrac::gui {

// Back and forward through the views the user settled on, like a browser's history.
class ViewHistory {
 public:
  explicit ViewHistory(const View& start) : entries_{start} {}

  // Goes to a new view, dropping the forward list; the view it is at already is no new step.
  // With `replace` it amends the current entry instead (a run of wheel notches is one step back,
  // not twenty).
  void go(const View& view, bool replace = false);
  std::optional<View> back();
  std::optional<View> forward();
  bool can_go_back() const { return at_ > 0; }
  bool can_go_forward() const { return at_ + 1 < entries_.size(); }

  static constexpr std::size_t kMaxEntries = 500;

 private:
  std::vector<View> entries_;
  std::size_t at_ = 0;
};

// Max iterations that reveal detail at this depth: deeper views need more before boundary points
// escape. 2.5 (the whole set) gives 256; every 10x deeper adds about 400.
std::uint32_t auto_max_iter(double scale);

// The view showing the box with corners (x0, y0) and (x1, y1), in pixels, at the view's size:
// the box's centre becomes the centre and the whole box stays in sight. A box under 4 pixels
// across is a click, not a box: nullopt.
std::optional<View> zoomed_to_box(const View& view, double x0, double y0, double x1, double y1);

// The zoom factor of `notches` wheel notches (positive zooms in).
double wheel_factor(double notches);

// The same view at a new pixel size (a resized window): the same centre, and the same stretch
// of the plane from top to bottom.
View resized(const View& view, int width, int height);

}  // namespace parafrac::gui
