#pragma once
#include <vector>

namespace parafrac {

// A rectangle of pixels, [x, x + width) x [y, y + height). `index` is its position in raster
// order of the tile grid, stable for a given image and tile size; records are indexed by it.
struct Tile {
  int index = 0;
  int x = 0;
  int y = 0;
  int width = 0;
  int height = 0;
};

// Covers a width x height image with tiles of at most tile_size x tile_size pixels (edge tiles
// are smaller), every pixel exactly once, listed centre-out: nearest the image centre first, so
// the part the user looks at arrives first. Throws Error for a non-positive size.
std::vector<Tile> make_tiles(int width, int height, int tile_size);

}  // namespace parafrac
