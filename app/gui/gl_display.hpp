#pragma once
// The fractal on screen: two float textures (see Layers) and the palette shader from shaders/.
// Needs a current OpenGL 3.3 core context; the UI thread only.
#include <filesystem>
#include <vector>

#include "layers.hpp"
#include "parafrac/palette.hpp"
#include "parafrac/renderer.hpp"

namespace parafrac::gui {

class GlDisplay {
 public:
  // Compiles display.vert and display.frag from `shader_dir`. Throws Error naming the file and
  // the compiler's message when one is missing or broken.
  explicit GlDisplay(const std::filesystem::path& shader_dir);
  ~GlDisplay();
  GlDisplay(const GlDisplay&) = delete;
  GlDisplay& operator=(const GlDisplay&) = delete;

  // Empties texture `index` for a new render of width x height (every texel "not yet"),
  // reallocating it when its size differs.
  void clear(int index, int width, int height);
  // Copies one finished tile into texture `index`: just its rectangle.
  void upload(int index, const TileUpdate& update);
  // Draws both layers for `screen` (the framebuffer's view), coloured through `palette`.
  void draw(const Layers& layers, const View& screen, const Palette& palette, float offset);

 private:
  unsigned program_ = 0;
  struct Uniforms {
    int front_place, back_place, front_shown, back_shown, height, stops, stop_count, offset;
  } uniforms_{};
  unsigned vertex_array_ = 0;
  unsigned textures_[2] = {0, 0};
  int sizes_[2][2] = {{1, 1}, {1, 1}};  // each texture's width and height
  std::vector<float> not_yet_;  // a texture's worth of "not yet", reused
};

// The window as shown (read back before the swap), top row first, RGB.
std::vector<std::uint8_t> read_window_pixels(int width, int height);

}  // namespace parafrac::gui
