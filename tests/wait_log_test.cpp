// The WaitLog times exactly the waits: a primitive taken at the first try costs no record.
#include <gtest/gtest.h>

#include "parafrac/wait_log.hpp"

namespace parafrac {
namespace {

// A mutex or semaphore whose first `refusals` tries fail, as if another thread held it.
struct Busy {
  int refusals = 0;
  int blocking_takes = 0;
  bool held = false;
  bool try_lock() { return try_acquire() && (held = true); }
  bool try_acquire() { return refusals-- <= 0; }
  void lock() { ++blocking_takes, held = true; }
  void acquire() { ++blocking_takes; }
  void unlock() { held = false; }
};

TEST(WaitLog, RecordsOnlyAcquisitionsThatFoundTheirPrimitiveTaken) {
  WaitLog log;
  log.start(2);
  Busy free_mutex, taken_mutex{1}, free_permit, taken_permit{1};
  { const auto lock = log.lock(0, free_mutex); EXPECT_TRUE(free_mutex.held); }
  EXPECT_FALSE(free_mutex.held) << "the lock it returns owns the mutex";
  { const auto lock = log.lock(1, taken_mutex); EXPECT_TRUE(taken_mutex.held); }
  log.acquire(0, free_permit);
  log.acquire(1, taken_permit);
  EXPECT_EQ(free_mutex.blocking_takes + free_permit.blocking_takes, 0);
  EXPECT_EQ(taken_mutex.blocking_takes + taken_permit.blocking_takes, 2);
  const Waits waits = log.collect();
  ASSERT_EQ(waits.records.size(), 2u);
  EXPECT_EQ(waits.count, 2u);
  EXPECT_EQ(waits.contended, 2u);
  EXPECT_EQ(waits.records[0].what, WaitKind::lock);
  EXPECT_EQ(waits.records[1].what, WaitKind::semaphore);
  for (const WaitRecord& wait : waits.records) {
    EXPECT_EQ(wait.worker, 1);
    EXPECT_LE(wait.start_ns, wait.end_ns);
  }
}

TEST(WaitLog, AConditionAlreadyMetIsNoWait) {
  WaitLog log;
  log.start(1);
  std::mutex mutex;
  std::condition_variable condition;
  std::unique_lock lock(mutex);
  log.wait(0, condition, lock, [] { return true; });
  const Waits waits = log.collect();
  EXPECT_EQ(waits.count, 0u);
  EXPECT_EQ(waits.total_ns, 0);
}

TEST(WaitLog, AStartForgetsTheLastRender) {
  WaitLog log;
  log.start(1);
  Busy taken{1};
  log.acquire(0, taken);
  log.start(1);
  EXPECT_EQ(log.collect().count, 0u);
}

TEST(WaitLog, KeepsBoundedRecordsButCountsEveryWait) {
  WaitLog log;
  log.start(4);
  const std::size_t waits = Waits::kMaxRecords / 4 + 10;
  for (std::size_t i = 0; i < waits; ++i) {
    Busy taken{1};
    log.acquire(3, taken);
  }
  const Waits collected = log.collect();
  EXPECT_EQ(collected.count, waits);
  EXPECT_EQ(collected.records.size(), Waits::kMaxRecords / 4) << "a lane keeps its share";
}

}  // namespace
}  // namespace parafrac
