#include "gl_context.hpp"

#include <glad/egl.h>
#include <glad/gl.h>

#include <cstring>
#include <mutex>
#include <string>
#include <vector>

#include "parafrac/error.hpp"

namespace parafrac::gpu {
namespace {

std::string egl_error(const char* what) {
  char code[16];
  std::snprintf(code, sizeof code, "0x%04x", static_cast<unsigned>(eglGetError()));
  return std::string(what) + " (EGL error " + code + ")";
}

bool has_extension(const char* list, const char* name) {
  if (!list) return false;
  const std::size_t length = std::strlen(name);
  for (const char* at = list; (at = std::strstr(at, name)); at += length)
    if ((at == list || at[-1] == ' ') && (at[length] == ' ' || at[length] == '\0')) return true;
  return false;
}

}  // namespace

// One EGLDisplay for the process (EGL hands out the same one to every caller, so terminating it
// would end every context on it): initialised by the first context, terminated after the last.
struct GlContext::Display {
  EGLDisplay display = EGL_NO_DISPLAY;

  Display() {
    if (!gladLoaderLoadEGL(EGL_NO_DISPLAY)) throw Error("no libEGL on this machine (Debian: libegl1)");
    const char* client = eglQueryString(EGL_NO_DISPLAY, EGL_EXTENSIONS);
    // A GPU's own device first (the vendor's EGL), then Mesa's surfaceless platform.
    if (has_extension(client, "EGL_EXT_device_enumeration") && has_extension(client, "EGL_EXT_platform_device")) {
      EGLint count = 0;
      eglQueryDevicesEXT(0, nullptr, &count);
      std::vector<EGLDeviceEXT> devices(static_cast<std::size_t>(std::max(count, 0)));
      if (count > 0 && eglQueryDevicesEXT(count, devices.data(), &count))
        for (EGLint i = 0; i < count && display == EGL_NO_DISPLAY; ++i) try_display(EGL_PLATFORM_DEVICE_EXT, devices[i]);
    }
    if (display == EGL_NO_DISPLAY && has_extension(client, "EGL_MESA_platform_surfaceless"))
      try_display(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY);
    if (display == EGL_NO_DISPLAY)
      throw Error("EGL offers no display that runs without a window (no EGL device, no Mesa surfaceless platform)");
    if (!gladLoaderLoadEGL(display)) {
      eglTerminate(display);
      throw Error("cannot load EGL's functions for its display");
    }
  }
  ~Display() {
    eglTerminate(display);
    eglReleaseThread();
  }

  void try_display(EGLenum platform, void* native) {
    EGLDisplay candidate = eglGetPlatformDisplayEXT(platform, native, nullptr);
    if (candidate == EGL_NO_DISPLAY) return;
    EGLint major = 0, minor = 0;
    if (eglInitialize(candidate, &major, &minor)) display = candidate;
  }

  // The process's display, initialised by the first holder and terminated by the last, both under
  // one lock, so a display is never terminated under a holder that has just initialised it.
  static std::shared_ptr<Display> shared() {
    static std::mutex mutex;
    static Display* current = nullptr;
    static int holders = 0;
    std::lock_guard lock(mutex);
    if (holders == 0) current = new Display();  // throws before anything is counted
    ++holders;
    return std::shared_ptr<Display>(current, [](Display* display) {
      std::lock_guard release(mutex);
      if (--holders == 0) delete display;
    });
  }
};

GlContext::GlContext() : display_(Display::shared()) {
  const EGLDisplay display = display_->display;
  const char* extensions = eglQueryString(display, EGL_EXTENSIONS);
  if (!has_extension(extensions, "EGL_KHR_surfaceless_context") || !has_extension(extensions, "EGL_KHR_no_config_context"))
    throw Error("this EGL cannot make a context without a window (EGL_KHR_surfaceless_context, EGL_KHR_no_config_context)");
  if (!eglBindAPI(EGL_OPENGL_API)) throw Error(egl_error("this EGL has no desktop OpenGL"));
  const EGLint attributes[] = {EGL_CONTEXT_MAJOR_VERSION, 4, EGL_CONTEXT_MINOR_VERSION, 3,
                               EGL_CONTEXT_OPENGL_PROFILE_MASK, EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT, EGL_NONE};
  context_ = eglCreateContext(display, EGL_NO_CONFIG_KHR, EGL_NO_CONTEXT, attributes);
  if (context_ == EGL_NO_CONTEXT) throw Error(egl_error("no OpenGL 4.3 core context (compute shaders) here"));
  // GL's entry points, once a process: they are the same for every context (libglvnd dispatches
  // to the current one), and the app may have loaded them already for its window.
  try {
    const Current current(*this);
    static std::once_flag loaded;
    static bool ok = false;
    std::call_once(loaded, [] { ok = glad_glDispatchCompute != nullptr || gladLoadGL(eglGetProcAddress) != 0; });
    if (!ok || !glad_glDispatchCompute) throw Error("cannot load OpenGL 4.3's functions");
  } catch (...) {
    eglDestroyContext(display, context_);
    throw;
  }
}

GlContext::~GlContext() { eglDestroyContext(display_->display, context_); }

GlContext::Current::Current(const GlContext& context) : context_(context) {
  // The API is per thread, and the release below releases the current API's context: OpenGL's.
  if (!eglBindAPI(EGL_OPENGL_API)) throw Error(egl_error("this EGL has no desktop OpenGL"));
  if (!eglMakeCurrent(context.display_->display, EGL_NO_SURFACE, EGL_NO_SURFACE, context.context_))
    throw Error(egl_error("cannot make the GPU's context current"));
}

GlContext::Current::~Current() {
  eglMakeCurrent(context_.display_->display, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
}

}  // namespace parafrac::gpu
