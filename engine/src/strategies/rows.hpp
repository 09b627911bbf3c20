#pragma once
// Tiles grouped by the row of tiles they lie in, for the strategies that work a row at a time.
#include <map>
#include <vector>

#include "parafrac/tiles.hpp"

namespace parafrac {

// Rows ordered by where their first tile falls in the centre-out order, so the middle rows come
// first; within a row, the tiles in that order too.
inline std::vector<std::vector<Tile>> rows_of_tiles(const std::vector<Tile>& tiles) {
  std::map<int, std::size_t> row_of_y;
  std::vector<std::vector<Tile>> rows;
  for (const Tile& tile : tiles) {
    auto [it, inserted] = row_of_y.try_emplace(tile.y, rows.size());
    if (inserted) rows.emplace_back();
    rows[it->second].push_back(tile);
  }
  return rows;
}

}  // namespace parafrac
