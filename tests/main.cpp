// The main of the test programs that iterate the registry: the strategies of the libraries beside
// the engine (the GPU's) are registered first, as the front ends do, so every suite sees them.
#include <gtest/gtest.h>

#include "parafrac/gpu.hpp"

int main(int argc, char** argv) {
  parafrac::register_gpu_strategies();
  testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
