#pragma once
// The GPU strategies (library parafrac_gpu): an OpenGL 4.3 compute shader in IEEE doubles, run
// headless through EGL. The engine core knows nothing of them: a front end that links this
// library calls register_gpu_strategies() once, before it reads the registry.
#include <string>

namespace parafrac {

// Adds `gpu` to the registry; later calls do nothing. Whether it can run here is asked only when
// the strategy is listed with its availability or made (StrategyInfo::unavailable).
void register_gpu_strategies();

// Why the gpu strategy cannot run on this machine (no libEGL, no EGL device, no GL 4.3 compute,
// doubles that are not IEEE-exact ...), or "" when it can. Found out once a process (it starts a
// GL context and runs a self-test against the scalar kernel), then remembered.
const std::string& gpu_unavailable();

}  // namespace parafrac
