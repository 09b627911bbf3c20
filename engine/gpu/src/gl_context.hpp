#pragma once
// A headless OpenGL 4.3 core context through EGL, on whatever EGL offers: a GPU's device (the
// vendor's EGL, e.g. NVIDIA's) or Mesa's surfaceless platform (a GPU's Mesa driver, or llvmpipe on
// the CPU). It draws nothing: compute shaders only.
#include <memory>

namespace parafrac::gpu {

class GlContext {
 public:
  // Throws Error saying why no context could be made (no libEGL, no display, no GL 4.3 ...).
  GlContext();
  ~GlContext();
  GlContext(const GlContext&) = delete;
  GlContext& operator=(const GlContext&) = delete;

  // Makes the context current on the calling thread for the guard's life (one thread at a time;
  // the strategy's renders are one at a time). Throws Error when EGL refuses.
  class Current {
   public:
    explicit Current(const GlContext& context);
    ~Current();
    Current(const Current&) = delete;
    Current& operator=(const Current&) = delete;

   private:
    const GlContext& context_;
  };

 private:
  struct Display;
  std::shared_ptr<Display> display_;  // shared by every context of the process, terminated with the last
  void* context_ = nullptr;           // EGLContext
};

}  // namespace parafrac::gpu
