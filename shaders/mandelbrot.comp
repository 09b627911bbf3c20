#version 430
// The gpu strategy's kernel: the scalar kernel's orbit (engine/src/kernel.cpp) in IEEE doubles,
// the same operations in the same order, every one `precise` so that no driver fuses a multiply
// and an add: zr' = (zr·zr − zi·zi) + cr, zi' = (2·zr)·zi + ci. It computes escape counts and the
// escaping iterate; the host derives the smooth value from that iterate with the CPU's own code
// (GLSL has no double logarithm), so counts and smooth values are the CPU's bit for bit.
//
// REAL, the type the orbit is computed in, is defined by the host after the #version line:
// double (bit for bit), or float (the `precision=float` option: much faster on consumer GPUs, not
// the CPU's image). Storage stays double either way; every constant below is exact in both.
#ifndef REAL
#define REAL double
#endif
//
// The work is tiles in slots: slot s holds one tile (its rectangle and an epoch that changes when
// the slot takes a new tile) and slot_pixels pixels of state. A dispatch advances every
// unfinished pixel of every slot by at most `budget` steps, so one dispatch stays short however
// deep the view (no GPU watchdog, and the host can stop between dispatches); a pixel that
// finishes counts its slot's `remaining` down, and the host refills a slot whose count is zero.

layout(local_size_x = 64) in;

struct Slot {
  int x, y, width, height;
  uint epoch;  // 0: empty
  uint unused0, unused1, unused2;
};

// What a pixel's orbit has reached. state: 0 running, 1 escaped (n is the count, z the first
// iterate outside), 2 inside (n = max_iter), 3 the hypot test was too close to call here (the host
// computes the point on the CPU); plus kHasSaved once (sr, si) holds a saved iterate.
struct Pixel {
  double zr, zi, sr, si;
  uint n, next_save, state, epoch;
};

layout(std430, binding = 0) readonly buffer Grid { double grid[]; };  // re[grid_width], then im[]
layout(std430, binding = 1) readonly buffer Slots { Slot slots[]; };
layout(std430, binding = 2) buffer Pixels { Pixel pixels[]; };
layout(std430, binding = 3) buffer Remaining { uint remaining[]; };

uniform uint slot_pixels;  // the pixels a slot holds: the tile size squared
uniform uint slot_count;
uniform uint grid_width;
uniform uint max_iter;
uniform uint budget;       // steps a pixel may take in this dispatch
uniform bool start_c;      // z0 = c (the seed) instead of 0
uniform bool hypot_test;   // hypot(zr, zi) > 2 (NumPy's abs) instead of zr·zr + zi·zi > 4
uniform bool shortcuts;    // the bulb test and cycle detection
uniform uint first_save;   // cycle detection's first saved step
// The CPU's constants, passed as doubles so no literal is parsed differently.
uniform double bulb_margin, bulb_radius2, hypot_high, hypot_low;

const uint kRunning = 0u, kEscaped = 1u, kInside = 2u, kAskCpu = 3u, kHasSaved = 4u;

// detail::inside_main_bulbs, operation for operation.
bool inside_main_bulbs(REAL cr, REAL ci) {
  precise REAL x = cr - REAL(0.25);
  precise REAL y2 = ci * ci;
  precise REAL q = x * x + y2;
  precise REAL cardioid = q * (q + x);
  precise REAL edge = REAL(0.25) * y2 - REAL(bulb_margin);
  if (cardioid < edge) return true;
  precise REAL dx = cr + REAL(1.0);
  precise REAL bulb = dx * dx + y2;
  return bulb < REAL(bulb_radius2);
}

void main() {
  const uint index = gl_WorkGroupID.y * gl_NumWorkGroups.x * gl_WorkGroupSize.x + gl_GlobalInvocationID.x;
  const uint s = index / slot_pixels;
  if (s >= slot_count) return;
  const Slot slot = slots[s];
  const uint local = index - s * slot_pixels;
  if (slot.epoch == 0u || local >= uint(slot.width * slot.height)) return;
  Pixel pixel = pixels[index];
  if (pixel.epoch == slot.epoch && (pixel.state & 3u) != kRunning) return;  // finished already

  const int px = slot.x + int(local % uint(slot.width));
  const int py = slot.y + int(local / uint(slot.width));
  const REAL cr = REAL(grid[px]);
  const REAL ci = REAL(grid[grid_width + uint(py)]);
  if (pixel.epoch != slot.epoch) {  // the slot's new tile: this pixel's orbit starts
    pixel.epoch = slot.epoch;
    pixel.n = 0u;
    pixel.next_save = first_save;
    pixel.state = kRunning;
    pixel.zr = start_c ? double(cr) : 0.0LF;
    pixel.zi = start_c ? double(ci) : 0.0LF;
    pixel.sr = 0.0LF;
    pixel.si = 0.0LF;
    if (shortcuts && inside_main_bulbs(cr, ci)) {
      pixel.state = kInside;
      pixel.n = max_iter;
    }
  }

  uint state = pixel.state;
  uint n = pixel.n;
  uint next_save = pixel.next_save;
  precise REAL zr = REAL(pixel.zr);
  precise REAL zi = REAL(pixel.zi);
  REAL sr = REAL(pixel.sr), si = REAL(pixel.si);
  if ((state & 3u) == kRunning) {
    const uint until = min(max_iter, n + budget);  // n < max_iter <= 1e9, budget <= 2^20: no wrap
    for (; n < until; ++n) {
      precise REAL zr2 = zr * zr;
      precise REAL zi2 = zi * zi;
      precise REAL twice = REAL(2.0) * zr;
      zi = twice * zi + ci;
      zr = (zr2 - zi2) + cr;
      precise REAL norm = zr * zr + zi * zi;
      if (hypot_test) {
        if (norm > REAL(hypot_high)) {
          state = kEscaped;
          break;
        }
        if (!(norm < REAL(hypot_low))) {  // within a hair of the circle (or NaN): the CPU decides
          state = kAskCpu;
          break;
        }
      } else if (norm > REAL(4.0)) {
        state = kEscaped;
        break;
      }
      if (!shortcuts) continue;
      if ((state & kHasSaved) != 0u && zr == sr && zi == si) {
        state = kInside;
        n = max_iter;
        break;
      }
      if (n == next_save) {
        sr = zr;
        si = zi;
        state |= kHasSaved;
        next_save *= 2u;  // wraps to 0 past 2^31: no more saves, as on the CPU
      }
    }
    if ((state & 3u) == kRunning && n == max_iter) state = kInside;
  }
  pixel.state = state;
  pixel.n = n;
  pixel.next_save = next_save;
  pixel.zr = double(zr);
  pixel.zi = double(zi);
  pixel.sr = double(sr);
  pixel.si = double(si);
  pixels[index] = pixel;
  if ((state & 3u) != kRunning) atomicAdd(remaining[s], 0xFFFFFFFFu);  // one fewer to go
}
