#pragma once
// Which image the screen shows while tiles arrive: the bookkeeping behind the two textures.
#include <cstdint>

#include "parafrac/renderer.hpp"
#include "parafrac/view.hpp"

namespace parafrac::gui {

// How a layer rendered for one view lands on the screen showing another: screen pixel (x, y)
// (pixel centres at integers, y down) shows the layer's pixel (x·scale + x0, y·scale + y0).
// Identity when the views are equal, so a finished render is shown pixel for pixel.
struct Placement {
  double scale = 1.0;
  double x0 = 0.0;
  double y0 = 0.0;

  double layer_x(double screen_x) const { return screen_x * scale + x0; }
  double layer_y(double screen_y) const { return screen_y * scale + y0; }
  double screen_x(double layer_x) const { return (layer_x - x0) / scale; }
  double screen_y(double layer_y) const { return (layer_y - y0) / scale; }
};
Placement placement(const View& layer, const View& screen);

// A texture's contents: the view it was rendered for and the render that fills it.
struct Layer {
  View view;
  std::uint64_t generation = 0;
  bool shown = false;  // holds something worth drawing
};

// Two layers: the front holds the last finished image, the back collects the tiles of the
// render in flight and is drawn over the front, each at its own placement, so a pan or zoom
// shows the old image moved at once and fresh tiles replace it as they come. A finished render
// swaps them. Which texture is which is `front_texture()` (0 or 1).
class Layers {
 public:
  // A render of `view` was requested as `generation`: the back layer is emptied for it.
  void start(const View& view, std::uint64_t generation);
  // Whether a tile goes into the back texture: it must be of the back layer's render and lie
  // inside it (nothing the renderer hands out is trusted to index a texture unchecked).
  bool accepts(const TileUpdate& update) const;
  // The render `generation` finished: when it is the back layer's, the back becomes the front.
  bool finish(std::uint64_t generation);

  const Layer& front() const { return layers_[front_]; }
  const Layer& back() const { return layers_[1 - front_]; }
  int front_texture() const { return front_; }
  int back_texture() const { return 1 - front_; }

 private:
  Layer layers_[2];
  int front_ = 0;
};

}  // namespace parafrac::gui
