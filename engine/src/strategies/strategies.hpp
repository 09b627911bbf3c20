#pragma once
// The engine's own strategies; only the registry (strategy.cpp) constructs them.
#include <memory>

#include "parafrac/strategy.hpp"

namespace parafrac {

std::unique_ptr<Strategy> make_serial(StrategyOptions options);
std::unique_ptr<Strategy> make_threads(StrategyOptions options);
std::unique_ptr<Strategy> make_pool(StrategyOptions options);
std::unique_ptr<Strategy> make_async(StrategyOptions options);
std::unique_ptr<Strategy> make_processes(StrategyOptions options);
std::unique_ptr<Strategy> make_queue(StrategyOptions options);
std::unique_ptr<Strategy> make_counter(StrategyOptions options);
std::unique_ptr<Strategy> make_barrier(StrategyOptions options);
std::unique_ptr<Strategy> make_semaphore(StrategyOptions options);
std::unique_ptr<Strategy> make_tbb(StrategyOptions options);
std::unique_ptr<Strategy> make_openmp(StrategyOptions options);

}  // namespace parafrac
