#include "layers.hpp"

namespace parafrac::gui {

Placement placement(const View& layer, const View& screen) {
  // Through the complex plane: screen pixel -> point (View::pixel_to_complex) -> layer pixel.
  const double scale = screen.pixel_size() / layer.pixel_size();
  const double x0 = (screen.center_re - layer.center_re) / layer.pixel_size() -
                    0.5 * (screen.width - 1) * scale + 0.5 * (layer.width - 1);
  const double y0 = (layer.center_im - screen.center_im) / layer.pixel_size() -
                    0.5 * (screen.height - 1) * scale + 0.5 * (layer.height - 1);
  return {scale, x0, y0};
}

void Layers::start(const View& view, std::uint64_t generation) {
  layers_[1 - front_] = {view, generation, true};  // drawn from now on: unrendered texels are see-through
}

bool Layers::accepts(const TileUpdate& update) const {
  const Layer& back = layers_[1 - front_];
  const Tile& tile = update.record.tile;
  return update.generation == back.generation && tile.x >= 0 && tile.y >= 0 && tile.width > 0 &&
         tile.height > 0 && tile.x + tile.width <= back.view.width &&
         tile.y + tile.height <= back.view.height &&
         update.smooth.size() == static_cast<std::size_t>(tile.width) * tile.height;
}

bool Layers::finish(std::uint64_t generation) {
  Layer& back = layers_[1 - front_];
  if (generation != back.generation) return false;
  back.shown = true;
  front_ = 1 - front_;
  layers_[1 - front_].shown = false;  // the old front: the next start() empties it
  return true;
}

}  // namespace parafrac::gui
