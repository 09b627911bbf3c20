// What bench, the overlay and the race report about a render.
#include <gtest/gtest.h>

#include "parafrac/measures.hpp"

namespace parafrac {
namespace {

TileRecord tile(int worker, std::int64_t start, std::int64_t end) {
  TileRecord record;
  record.worker = worker;
  record.start_ns = start;
  record.end_ns = end;
  return record;
}

// Two workers: both compute until 6, when the second runs out; the first goes on to 10.
TEST(Tail, RunsFromTheLastMomentEveryWorkerComputedToTheEnd) {
  const std::vector<TileRecord> records = {tile(0, 0, 10), tile(1, 0, 4), tile(1, 4, 6)};
  EXPECT_EQ(tail_ns(records, 2), 4);
  EXPECT_EQ(tail_ns(records, 1), 0) << "one worker has no one to wait for";
  EXPECT_EQ(tail_ns({}, 2), 0);
  EXPECT_EQ(tail_ns({tile(0, 0, 10)}, 2), 0) << "never both busy: no tail to measure";
}

// A gap between a worker's tiles is not the tail; only the last drop below every worker is.
TEST(Tail, AnEarlierGapIsNotTheTail) {
  const std::vector<TileRecord> records = {tile(0, 0, 3), tile(0, 5, 20), tile(1, 0, 18)};
  EXPECT_EQ(tail_ns(records, 2), 2);
}

// Lanes that are not workers (semaphore's tasks: four lanes, two permits) give the same tail as
// two workers computing the same tiles at the same times.
TEST(Tail, CountsTilesComputingNotLanes) {
  const std::vector<TileRecord> lanes = {tile(0, 0, 5), tile(1, 0, 5), tile(2, 5, 9), tile(3, 5, 12)};
  const std::vector<TileRecord> workers = {tile(0, 0, 5), tile(1, 0, 5), tile(0, 5, 9), tile(1, 5, 12)};
  EXPECT_EQ(tail_ns(lanes, 2), 3);
  EXPECT_EQ(tail_ns(lanes, 2), tail_ns(workers, 2));
}

TEST(MostAtOnce, CountsTheTilesWhoseTimesOverlapAtThePeak) {
  EXPECT_EQ(most_at_once({}), 0);
  EXPECT_EQ(most_at_once({tile(0, 0, 4), tile(1, 4, 8)}), 1) << "one ends as the next starts";
  EXPECT_EQ(most_at_once({tile(0, 0, 10), tile(1, 2, 5), tile(2, 3, 4), tile(3, 6, 9)}), 3);
  TileRecord unfinished;  // worker -1: never computed
  EXPECT_EQ(most_at_once({tile(0, 0, 10), unfinished}), 1);
}

TEST(Speedup, IsTheBaselineOverTheWallAndEfficiencyItsShareAWorker) {
  EXPECT_EQ(speedup(2.0, 0.5), 4.0);
  EXPECT_EQ(efficiency(2.0, 0.5, 8), 0.5);
  EXPECT_EQ(speedup(2.0, 0.0), 0.0) << "no time measured: no speedup, not infinity";
  EXPECT_EQ(efficiency(2.0, 0.5, 0), 0.0);
}

}  // namespace
}  // namespace parafrac
