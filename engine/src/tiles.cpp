#include "parafrac/tiles.hpp"

#include <algorithm>

#include "parafrac/error.hpp"

namespace parafrac {

std::vector<Tile> make_tiles(int width, int height, int tile_size) {
  if (width < 1 || height < 1 || tile_size < 1)
    throw Error("tiles need a positive image size and tile size");
  const int columns = (width + tile_size - 1) / tile_size;
  const int rows = (height + tile_size - 1) / tile_size;
  std::vector<Tile> tiles;
  tiles.reserve(static_cast<std::size_t>(columns) * rows);
  for (int row = 0; row < rows; ++row)
    for (int column = 0; column < columns; ++column) {
      const int x = column * tile_size;
      const int y = row * tile_size;
      tiles.push_back({row * columns + column, x, y, std::min(tile_size, width - x),
                       std::min(tile_size, height - y)});
    }
  // Centre-out: by the distance from the tile's centre to the image's (doubled, so integral).
  auto distance = [&](const Tile& t) {
    const long long dx = 2LL * t.x + t.width - width;
    const long long dy = 2LL * t.y + t.height - height;
    return dx * dx + dy * dy;
  };
  std::stable_sort(tiles.begin(), tiles.end(),
                   [&](const Tile& a, const Tile& b) { return distance(a) < distance(b); });
  return tiles;
}

long long tile_count(int width, int height, int tile_size) {
  const long long columns = (width + tile_size - 1LL) / tile_size;
  return columns * ((height + tile_size - 1LL) / tile_size);
}

int auto_tile_size(int width, int height, int workers) {
  int edge = 64;
  while (edge < 256 && tile_count(width, height, 2 * edge) >= static_cast<long long>(kTilesPerWorker) * std::max(1, workers))
    edge *= 2;
  return edge;
}

}  // namespace parafrac
