#version 330 core
// Colours the fractal from smooth iteration values: two layers (the last finished image and the
// render in flight, each placed for the current view), then a palette. The palette formula is
// palette_position() in engine/src/palette.cpp, so an exported PNG looks like the window.
uniform sampler2D u_front;
uniform sampler2D u_back;
uniform vec3 u_front_place;  // scale, x0, y0: layer pixel = screen pixel * scale + (x0, y0)
uniform vec3 u_back_place;
uniform bool u_front_shown;
uniform bool u_back_shown;
uniform float u_height;      // framebuffer height: GL counts rows from the bottom
uniform vec3 u_stops[8];     // palette stops, 0..1
uniform int u_stop_count;
uniform float u_offset;
uniform vec3 u_background;
out vec4 colour;

const float kNotYet = -2.0;     // a texel no tile has reached yet

// The layer's value under this screen pixel, or kNotYet outside the layer.
float sample_layer(sampler2D layer, vec3 place, vec2 screen) {
  ivec2 size = textureSize(layer, 0);
  ivec2 texel = ivec2(floor(screen * place.x + place.yz + 0.5));
  if (any(lessThan(texel, ivec2(0))) || any(greaterThanEqual(texel, size))) return kNotYet;
  return texelFetch(layer, texel, 0).r;
}

vec3 palette(float smooth_value) {
  float position = fract(sqrt(smooth_value) * 0.15 + u_offset);
  float along = position * float(u_stop_count);
  int a = int(floor(along)) % u_stop_count;
  int b = (a + 1) % u_stop_count;
  return mix(u_stops[a], u_stops[b], fract(along));
}

void main() {
  vec2 screen = vec2(gl_FragCoord.x - 0.5, u_height - gl_FragCoord.y - 0.5);
  float value = u_back_shown ? sample_layer(u_back, u_back_place, screen) : kNotYet;
  if (value == kNotYet && u_front_shown) value = sample_layer(u_front, u_front_place, screen);
  if (value == kNotYet) colour = vec4(u_background, 1.0);
  // Negative: the kernel's kInside (-1), a point that never escaped.
  else if (value < 0.0 || isnan(value) || isinf(value)) colour = vec4(0.0, 0.0, 0.0, 1.0);
  else colour = vec4(palette(value), 1.0);
}
