#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>
#include <stop_token>

#include "parafrac/tiles.hpp"
#include "parafrac/view.hpp"

namespace parafrac {

// How the orbit starts: z0 = 0 (the textbook set, the Benchmarks Game) or z0 = c (the seed).
enum class Start { zero, c };
// When a point has escaped: |z|² > 4 computed as zr·zr + zi·zi (the Benchmarks Game), or
// hypot(zr, zi) > 2, which is NumPy's abs(z) > 2 (the seed). They differ in the last bit.
enum class Escape { norm, hypot };

// Which implementation computes the points; both give the same count and smooth value for every
// point (the same arithmetic in the same order), so this changes speed only.
//   scalar  the reference: one point at a time
//   simd    Highway vectors, for the widest instruction set this CPU reports (AVX-512, AVX2,
//           SSE4, SSE2 ...), blocks of neighbouring pixels iterated together
enum class KernelKind : std::uint8_t { scalar, simd };

inline constexpr std::uint32_t kMaxIterationsLimit = 1'000'000'000;

struct KernelParams {
  std::uint32_t max_iter = 500;
  Start start = Start::zero;
  Escape escape = Escape::norm;
  KernelKind kernel = KernelKind::simd;
  // Exact shortcuts for points that never escape: a test for the main cardioid and the period-2
  // bulb (kept a hair inside them, where rounding cannot matter), and cycle detection (an orbit
  // that returns to a value it had, bit for bit, repeats forever). They change no count and no
  // smooth value; off, every point is iterated to the end (the raw workload, for the lab).
  bool shortcuts = true;
  // Only whether each point stays within |z| <= 2 for max_iter iterations is wanted (a PBM
  // bitmap): the simd kernel may then skip the escape counts, writing max_iter for the points
  // that stayed and 0 for the rest, and report the steps it ran as the iterations spent. The
  // scalar kernel writes every count as usual; both agree on which points reached max_iter.
  bool membership = false;
};

// The instruction set the simd kernel uses on this CPU, e.g. "AVX3" (AVX-512) or "AVX2".
std::string simd_target();
// The instruction sets the simd kernel is built for and this CPU runs, best first: "AVX3",
// "AVX2", "SSE4", "SSSE3", "SSE2", ... (Highway's names).
std::vector<std::string> simd_targets();
// Caps the simd kernel at `name` (one of simd_targets(), in any case) or below, so a machine
// measures and tests the targets under its best; "" lifts the cap. The environment variable
// PARAFRAC_SIMD_TARGET does the same for a whole process and the worker processes it starts.
// Process-wide: call it between renders (a render in flight may mix targets, which give the
// same counts). Throws Error naming the choices.
void cap_simd_target(const std::string& name);

// One render's work: where to sample and how to iterate.
struct Job {
  Grid grid;
  KernelParams params;
  bool smooth = true;  // also compute the continuous colouring value
};

// The escape-time result of one point. `count` is how many iterates z1, z2, ... stayed within
// |z| <= 2 before the first one that escaped (max_iter when none did; 0 is possible with z0 = c).
// `smooth` is a continuous version of it for colouring, or kInside for points that never escaped.
struct PointResult {
  std::uint32_t count;
  float smooth;
};
inline constexpr float kInside = -1.0f;

// The scalar reference kernel: IEEE double arithmetic in a fixed order, no FMA (the engine is
// built with -ffp-contract=off): zr' = (zr·zr − zi·zi) + cr, zi' = (2·zr)·zi + ci.
// Without `with_smooth`, `smooth` is left 0 and the logarithms are skipped.
PointResult escape_time(double cr, double ci, const KernelParams& params, bool with_smooth = true);

// Where a render writes: counts (and smooth values unless null) of width x height pixels,
// row-major. Distinct tiles are distinct memory, so workers never share a byte.
struct Canvas {
  std::uint32_t* counts = nullptr;
  float* smooth = nullptr;
  int width = 0;
  int height = 0;
};

// How often a long orbit pauses to ask whether the render is still wanted: every this many
// iterations of a point (scalar kernel) or steps of a block of points (simd). Rare enough to
// cost nothing measurable, often enough that a stop lands within milliseconds at any max_iter.
inline constexpr std::uint32_t kStopCheckIterations = 4096;

// Computes one tile of `job` into `canvas` and returns the iterations spent (z -> z² + c steps).
// Checks `stop` before each row and every kStopCheckIterations of an orbit, so at most a row of
// orbits that short runs between two checks: returns nullopt when asked to stop, leaving the
// tile unfinished. This is the one function every strategy calls; speed work replaces what is
// behind it.
std::optional<std::uint64_t> render_tile(const Job& job, const Tile& tile, const Canvas& canvas,
                                         std::stop_token stop);
// The same for a caller whose stop condition is not a stop token (a worker process watches a
// flag in shared memory): `stopped` is asked at the same points.
std::optional<std::uint64_t> render_tile(const Job& job, const Tile& tile, const Canvas& canvas,
                                         const std::function<bool()>& stopped);

}  // namespace parafrac
