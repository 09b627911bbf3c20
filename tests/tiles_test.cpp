#include <gtest/gtest.h>

#include <set>

#include "parafrac/error.hpp"
#include "parafrac/tiles.hpp"

namespace parafrac {
namespace {

struct Case {
  int width, height, tile;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.width << "x" << c.height << " tile " << c.tile; }

class Tiling : public testing::TestWithParam<Case> {};

TEST_P(Tiling, CoversEveryPixelExactlyOnceCentreOut) {
  const auto [width, height, tile_size] = GetParam();
  const std::vector<Tile> tiles = make_tiles(width, height, tile_size);
  EXPECT_EQ(tile_count(width, height, tile_size), static_cast<long long>(tiles.size()));
  std::vector<int> covered(static_cast<std::size_t>(width) * height, 0);
  std::set<int> indices;
  long long previous_distance = -1;
  for (const Tile& tile : tiles) {
    ASSERT_GE(tile.x, 0);
    ASSERT_GE(tile.y, 0);
    ASSERT_GE(tile.width, 1);
    ASSERT_GE(tile.height, 1);
    ASSERT_LE(tile.width, tile_size);
    ASSERT_LE(tile.height, tile_size);
    ASSERT_LE(tile.x + tile.width, width);
    ASSERT_LE(tile.y + tile.height, height);
    EXPECT_EQ(tile.index, (tile.y / tile_size) * ((width + tile_size - 1) / tile_size) + tile.x / tile_size);
    indices.insert(tile.index);
    for (int y = tile.y; y < tile.y + tile.height; ++y)
      for (int x = tile.x; x < tile.x + tile.width; ++x) ++covered[static_cast<std::size_t>(y) * width + x];
    const long long dx = 2LL * tile.x + tile.width - width;
    const long long dy = 2LL * tile.y + tile.height - height;
    EXPECT_GE(dx * dx + dy * dy, previous_distance) << "tiles are not in centre-out order";
    previous_distance = dx * dx + dy * dy;
  }
  EXPECT_EQ(indices.size(), tiles.size()) << "tile indices repeat";
  EXPECT_EQ(*indices.rbegin(), static_cast<int>(tiles.size()) - 1);
  for (std::size_t i = 0; i < covered.size(); ++i)
    ASSERT_EQ(covered[i], 1) << "pixel " << i % width << "," << i / width << " covered " << covered[i] << " times";
}

INSTANTIATE_TEST_SUITE_P(AwkwardSizes, Tiling,
                         testing::Values(Case{1, 1, 64}, Case{17, 13, 5}, Case{640, 480, 64},
                                         Case{1000, 3, 7}, Case{3, 1000, 7}, Case{100, 100, 1},
                                         Case{65, 65, 64}, Case{1280, 720, 48}),
                         [](const testing::TestParamInfo<Case>& info) {
                           return std::to_string(info.param.width) + "x" + std::to_string(info.param.height) +
                                  "_tile" + std::to_string(info.param.tile);
                         });

TEST(Tiles, TheFirstTileHoldsTheCentre) {
  const std::vector<Tile> tiles = make_tiles(640, 480, 64);
  const Tile& first = tiles.front();
  EXPECT_TRUE(first.x <= 320 && 320 <= first.x + first.width && first.y <= 240 && 240 <= first.y + first.height);
}

TEST(Tiles, TheAutomaticSizeLeavesEveryWorkerEnoughTilesAndGrowsWithTheImage) {
  EXPECT_EQ(auto_tile_size(1, 1, 1), 64);
  EXPECT_EQ(auto_tile_size(1280, 720, 2), 64);    // the app's view: 240 tiles
  EXPECT_EQ(auto_tile_size(3000, 4000, 2), 256);  // the seed: 192 tiles
  EXPECT_EQ(auto_tile_size(3000, 4000, 16), 128);
  EXPECT_EQ(auto_tile_size(16000, 16000, 2), 256);
  for (int workers : {1, 2, 3, 8, 16, 64})
    for (auto [width, height] : {std::pair{640, 480}, std::pair{1920, 1080}, std::pair{3000, 4000}, std::pair{32768, 512}}) {
      const int edge = auto_tile_size(width, height, workers);
      EXPECT_TRUE(edge == 64 || edge == 128 || edge == 256) << edge;
      // Bigger than 64 only while every worker still gets kTilesPerWorker tiles.
      if (edge > 64) {
        EXPECT_GE(make_tiles(width, height, edge).size(), static_cast<std::size_t>(kTilesPerWorker * workers));
      }
      if (edge < 256) {
        EXPECT_LT(make_tiles(width, height, edge * 2).size(), static_cast<std::size_t>(kTilesPerWorker * workers))
            << width << "x" << height << " " << workers;
      }
    }
}

TEST(Tiles, RefusesNonPositiveSizes) {
  EXPECT_THROW(make_tiles(0, 10, 8), Error);
  EXPECT_THROW(make_tiles(10, 10, 0), Error);
}

}  // namespace
}  // namespace parafrac
