#include "gl_display.hpp"

#include <glad/gl.h>

#include <fstream>
#include <sstream>
#include <string>

#include "parafrac/error.hpp"

namespace parafrac::gui {
namespace {

constexpr float kNotYet = -2.0f;  // display.frag's marker for texels no tile has reached

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw Error("cannot read shader " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A GL info log as one line of an error message.
std::string trimmed(const char* log) {
  std::string message = log;
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  return message;
}

// Unless the object's compile or link status says it worked: deletes it and throws `what` with
// its info log. Shaders and programs differ only in the functions passed.
template <typename GetStatus, typename GetLog, typename Delete>
void require(unsigned object, GLenum status, GetStatus get_status, GetLog get_log, Delete destroy,
             const std::string& what) {
  GLint ok = 0;
  get_status(object, status, &ok);
  if (ok) return;
  char log[2048] = {};
  get_log(object, sizeof log, nullptr, log);
  destroy(object);
  throw Error(what + ": " + trimmed(log));
}

unsigned compile(GLenum kind, const std::filesystem::path& path) {
  const std::string source = read_text(path);
  const char* text = source.c_str();
  const unsigned shader = glCreateShader(kind);
  glShaderSource(shader, 1, &text, nullptr);
  glCompileShader(shader);
  require(shader, GL_COMPILE_STATUS, glGetShaderiv, glGetShaderInfoLog, glDeleteShader,
          "shader " + path.string() + " does not compile");
  return shader;
}

}  // namespace

GlDisplay::GlDisplay(const std::filesystem::path& shader_dir) {
  const unsigned vertex = compile(GL_VERTEX_SHADER, shader_dir / "display.vert");
  unsigned fragment = 0;
  try {
    fragment = compile(GL_FRAGMENT_SHADER, shader_dir / "display.frag");
  } catch (...) {
    glDeleteShader(vertex);
    throw;
  }
  program_ = glCreateProgram();
  glAttachShader(program_, vertex);
  glAttachShader(program_, fragment);
  glLinkProgram(program_);
  glDeleteShader(vertex);
  glDeleteShader(fragment);
  require(program_, GL_LINK_STATUS, glGetProgramiv, glGetProgramInfoLog, glDeleteProgram,
          "shaders in " + shader_dir.string() + " do not link");
  // Looked up once: draw() runs every frame.
  const auto at = [this](const char* name) { return glGetUniformLocation(program_, name); };
  uniforms_ = {at("u_front_place"), at("u_back_place"), at("u_front_shown"), at("u_back_shown"), at("u_height"),
               at("u_stops"),       at("u_stop_count"), at("u_offset")};
  glUseProgram(program_);
  glUniform1i(at("u_front"), 0);  // texture units: the front layer on 0, the back one on 1
  glUniform1i(at("u_back"), 1);
  glUniform3f(at("u_background"), 0.08f, 0.08f, 0.10f);
  glUseProgram(0);
  glGenVertexArrays(1, &vertex_array_);
  glGenTextures(2, textures_);
  for (unsigned texture : textures_) {
    glBindTexture(GL_TEXTURE_2D, texture);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    const float nothing = kNotYet;
    glTexImage2D(GL_TEXTURE_2D, 0, GL_R32F, 1, 1, 0, GL_RED, GL_FLOAT, &nothing);
  }
}

GlDisplay::~GlDisplay() {
  glDeleteTextures(2, textures_);
  glDeleteVertexArrays(1, &vertex_array_);
  glDeleteProgram(program_);
}

void GlDisplay::clear(int index, int width, int height) {
  not_yet_.assign(static_cast<std::size_t>(width) * height, kNotYet);
  glBindTexture(GL_TEXTURE_2D, textures_[index]);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
  const bool reallocate = sizes_[index][0] != width || sizes_[index][1] != height;
  sizes_[index][0] = width;
  sizes_[index][1] = height;
  if (reallocate)
    glTexImage2D(GL_TEXTURE_2D, 0, GL_R32F, width, height, 0, GL_RED, GL_FLOAT, not_yet_.data());
  else
    glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, width, height, GL_RED, GL_FLOAT, not_yet_.data());
}

void GlDisplay::upload(int index, const TileUpdate& update) {
  const Tile& tile = update.record.tile;
  glBindTexture(GL_TEXTURE_2D, textures_[index]);
  // Texture row 0 is the image's top row: the shader flips y, so no flip here.
  glTexSubImage2D(GL_TEXTURE_2D, 0, tile.x, tile.y, tile.width, tile.height, GL_RED, GL_FLOAT,
                  update.smooth.data());
}

void GlDisplay::draw(const Layers& layers, const View& screen, const Palette& palette, float offset) {
  glUseProgram(program_);
  const auto place = [&](GLint location, const Layer& layer) {
    const Placement p = placement(layer.view, screen);
    glUniform3f(location, static_cast<float>(p.scale), static_cast<float>(p.x0), static_cast<float>(p.y0));
  };
  place(uniforms_.front_place, layers.front());
  place(uniforms_.back_place, layers.back());
  glUniform1i(uniforms_.front_shown, layers.front().shown);
  glUniform1i(uniforms_.back_shown, layers.back().shown);
  glUniform1f(uniforms_.height, static_cast<float>(screen.height));
  float stops[8][3] = {};
  const int count = static_cast<int>(std::min<std::size_t>(palette.stops.size(), 8));
  for (int i = 0; i < count; ++i)
    for (int c = 0; c < 3; ++c) stops[i][c] = palette.stops[i][c] / 255.0f;
  glUniform3fv(uniforms_.stops, 8, &stops[0][0]);
  glUniform1i(uniforms_.stop_count, count);
  glUniform1f(uniforms_.offset, offset);
  glActiveTexture(GL_TEXTURE0);
  glBindTexture(GL_TEXTURE_2D, textures_[layers.front_texture()]);
  glActiveTexture(GL_TEXTURE1);
  glBindTexture(GL_TEXTURE_2D, textures_[layers.back_texture()]);
  glActiveTexture(GL_TEXTURE0);
  glBindVertexArray(vertex_array_);
  glDrawArrays(GL_TRIANGLES, 0, 3);
  glBindVertexArray(0);
  glUseProgram(0);
}

std::vector<std::uint8_t> read_window_pixels(int width, int height) {
  std::vector<std::uint8_t> bottom_up(static_cast<std::size_t>(width) * height * 3);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadBuffer(GL_BACK);
  glReadPixels(0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE, bottom_up.data());
  std::vector<std::uint8_t> top_down(bottom_up.size());
  const std::size_t row = static_cast<std::size_t>(width) * 3;
  for (int y = 0; y < height; ++y)
    std::copy_n(bottom_up.begin() + (height - 1 - y) * row, row, top_down.begin() + y * row);
  return top_down;
}

}  // namespace parafrac::gui
