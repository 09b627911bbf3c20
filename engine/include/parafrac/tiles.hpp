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
// How many tiles make_tiles() makes, without making them.
long long tile_count(int width, int height, int tile_size);

// The tile edge for a width x height image and `workers` workers when the user names none: the
// largest of 64, 128 and 256 that still leaves every worker kTilesPerWorker tiles to balance the
// load with. Small views keep 64 (a 1280x720 view is 240 tiles); big images get bigger tiles, so
// the fixed cost of a tile (a queue hop, two clock reads, a record) stays small next to its pixels.
inline constexpr int kTilesPerWorker = 32;
int auto_tile_size(int width, int height, int workers);

}  // namespace parafrac
