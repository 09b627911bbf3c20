// The `gpu` strategy: the escape-time kernel as an OpenGL compute shader (shaders/mandelbrot.comp)
// in IEEE doubles, headless through EGL. Tiles are in flight in slots: every dispatch advances
// each slot's unfinished pixels a bounded number of steps, and a slot whose tile is done is read
// back, published and refilled with the next tile. The shader computes counts and the escaping
// iterate; the smooth value is derived here with the CPU's own function, and the rare point the
// hypot test cannot decide in the shader is computed by the scalar kernel: the serial image, bit
// for bit.
#include <glad/gl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

#include "gl_context.hpp"
#include "kernel_detail.hpp"  // the engine's: the CPU's constants and smooth value, shared
#include "mandelbrot_comp.hpp"
#include "parafrac/clock.hpp"
#include "parafrac/error.hpp"
#include "parafrac/gpu.hpp"
#include "parafrac/strategy.hpp"
#include "strategies/crew.hpp"

namespace parafrac {
namespace gpu {
namespace {

// The shader's std430 structs.
struct SlotEntry {
  std::int32_t x, y, width, height;
  std::uint32_t epoch;  // 0: empty
  std::uint32_t unused[3];
};
struct PixelState {
  double zr, zi, sr, si;
  std::uint32_t n, next_save, state, epoch;
};
static_assert(sizeof(SlotEntry) == 32 && sizeof(PixelState) == 48, "the shader's std430 layout");
enum : std::uint32_t { kRunning = 0, kEscaped = 1, kInsideState = 2, kAskCpu = 3 };

// A dispatch's steps per pixel start small, then follow the pixel-steps the GPU managed, to keep
// each dispatch near this: short enough that no GPU watchdog fires and a stop lands quickly, long
// enough to amortise it.
constexpr double kDispatchTarget = 15'000'000;  // ns
constexpr std::uint32_t kMinBudget = 16, kMaxBudget = 1u << 20;
constexpr std::uint32_t kGroupSize = 64;  // the shader's local_size_x
constexpr GLuint kMaxGroupsX = 65535;

// Pixels in flight when the batch option is 0 (automatic): about a million.
constexpr long long kAutoPixelsInFlight = 1 << 20;
constexpr int kMaxSlots = 65536;

// The kernel with its orbit in doubles, or (`in_float`) in floats: REAL defined after #version.
GLuint compile_program(bool in_float) {
  const GLuint shader = glCreateShader(GL_COMPUTE_SHADER);
  std::string source = kMandelbrotComp;
  const std::size_t line_end = source.find('\n');
  source.insert(line_end == std::string::npos ? source.size() : line_end + 1,
                in_float ? "#define REAL float\n" : "#define REAL double\n");
  const char* text = source.c_str();
  glShaderSource(shader, 1, &text, nullptr);
  glCompileShader(shader);
  GLint ok = 0;
  glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
  std::string log(4096, '\0');
  if (!ok) {
    glGetShaderInfoLog(shader, static_cast<GLsizei>(log.size()), nullptr, log.data());
    glDeleteShader(shader);
    throw Error("the GPU cannot compile shaders/mandelbrot.comp (doubles in compute shaders?): " + std::string(log.c_str()));
  }
  const GLuint program = glCreateProgram();
  glAttachShader(program, shader);
  glLinkProgram(program);
  glDeleteShader(shader);  // kept until the program goes
  glGetProgramiv(program, GL_LINK_STATUS, &ok);
  if (!ok) {
    glGetProgramInfoLog(program, static_cast<GLsizei>(log.size()), nullptr, log.data());
    glDeleteProgram(program);
    throw Error("the GPU cannot link shaders/mandelbrot.comp: " + std::string(log.c_str()));
  }
  return program;
}

// The buffers of one render, deleted with it (while the context is current).
struct Buffers {
  enum { grid, slots, pixels, remaining, count };
  GLuint names[count] = {};
  Buffers() { glGenBuffers(count, names); }
  ~Buffers() { glDeleteBuffers(count, names); }
  Buffers(const Buffers&) = delete;
  Buffers& operator=(const Buffers&) = delete;
  void bind(int which) const { glBindBufferBase(GL_SHADER_STORAGE_BUFFER, static_cast<GLuint>(which), names[which]); }
};

template <typename T>
void upload(GLuint buffer, const std::vector<T>& values, GLenum usage) {
  glBindBuffer(GL_SHADER_STORAGE_BUFFER, buffer);
  glBufferData(GL_SHADER_STORAGE_BUFFER, static_cast<GLsizeiptr>(values.size() * sizeof(T)), values.data(), usage);
}

template <typename T>
void rewrite(GLuint buffer, const std::vector<T>& values) {
  glBindBuffer(GL_SHADER_STORAGE_BUFFER, buffer);
  glBufferSubData(GL_SHADER_STORAGE_BUFFER, 0, static_cast<GLsizeiptr>(values.size() * sizeof(T)), values.data());
}

// The GPU side of a strategy: its context, the compiled kernel, and the loop that keeps slots of
// tiles in flight. The program goes with the context (EGL frees a destroyed context's objects):
// nothing is made current when it goes, on a thread that may hold a window's context (the app's).
class Device {
 public:
  // `batch` as the strategies' option: slots, or 0 for about a million pixels in flight.
  // `precision` as the strategies' option: "double" (the CPU's image) or "float".
  Device(int batch, int tile_size, const std::string& precision)
      : slots_(slots_for(batch, tile_size)), in_float_(precision == "float") {
    const GlContext::Current current(context_);
    program_ = compile_program(precision == "float");
    const auto* renderer = reinterpret_cast<const char*>(glGetString(GL_RENDERER));
    name_ = "GPU " + std::string(renderer ? renderer : "(unnamed)") + ", " + (precision == "float" ? "floats" : "doubles");
  }

  int slots() const { return slots_; }
  // GPU time of every dispatch so far (GL_TIME_ELAPSED queries). Read after a render, on any thread.
  std::chrono::nanoseconds busy() const { return std::chrono::nanoseconds(busy_ns_.load(std::memory_order_relaxed)); }
  // The GPU as its driver names it, and the precision: "GPU llvmpipe (LLVM 15.0.6, 256 bits), doubles".
  const std::string& name() const { return name_; }

  // Renders the tiles `take` hands out, one at a time until it gives null, with at most
  // `tile_count` of them in flight, each published as worker first_lane + its slot. `side` is the tile size. Returns
  // false when stopped. On the calling thread; one render at a time.
  bool render(const Job& job, std::size_t tile_count, const std::function<const Tile*()>& take, int first_lane,
              int side, Frame& frame, const TileSink& sink, std::stop_token stop) {
    const GlContext::Current current(context_);
    while (glGetError() != GL_NO_ERROR) {  // nothing an earlier render left is blamed on this one
    }
    const Buffers buffers;
    const auto slot_pixels = static_cast<std::uint32_t>(std::min(side, frame.width) * std::min(side, frame.height));
    // As many slots as asked, as the tiles need and as one storage block holds.
    GLint64 block_limit = 0;
    glGetInteger64v(GL_MAX_SHADER_STORAGE_BLOCK_SIZE, &block_limit);
    const long long fit = block_limit / (static_cast<long long>(slot_pixels) * sizeof(PixelState));
    if (fit < 1)
      throw Error("a " + std::to_string(side) + "-px tile needs more GPU memory in one block than this GPU allows (" +
                  std::to_string(block_limit >> 20) + " MiB): use smaller tiles");
    const int slots = static_cast<int>(std::min<long long>({slots_, static_cast<long long>(tile_count), fit}));
    if (slots < 1) return !stop.stop_requested();

    std::vector<double> grid(job.grid.re);
    grid.insert(grid.end(), job.grid.im.begin(), job.grid.im.end());
    upload(buffers.names[Buffers::grid], grid, GL_STATIC_DRAW);
    glBindBuffer(GL_SHADER_STORAGE_BUFFER, buffers.names[Buffers::pixels]);
    glBufferData(GL_SHADER_STORAGE_BUFFER, static_cast<GLsizeiptr>(slots) * slot_pixels * sizeof(PixelState), nullptr,
                 GL_DYNAMIC_COPY);
    const std::uint32_t zero = 0;  // every pixel's epoch 0: no orbit started
    glClearBufferData(GL_SHADER_STORAGE_BUFFER, GL_R32UI, GL_RED_INTEGER, GL_UNSIGNED_INT, &zero);

    // Each slot holds a tile, or none. A tile with a huge |c| (where NaN could reach a comparison,
    // which GLSL does not promise to order as IEEE does) is computed on the CPU, as the SIMD kernel
    // leaves it to the scalar one, in the slot's lane.
    std::vector<SlotEntry> table(static_cast<std::size_t>(slots));
    std::vector<std::uint32_t> remaining(table.size());
    std::vector<const Tile*> holding(table.size(), nullptr);
    std::vector<std::int64_t> started(table.size());
    std::uint32_t epoch = 0;
    const auto publish = [&](TileRecord& record, std::int64_t cpu_start) {
      record.end_ns = now_ns();
      record.cpu_ns = thread_cpu_ns() - cpu_start;
      frame.records[record.tile.index] = record;
      if (sink) sink(record);
    };
    const auto lane = [first_lane](std::size_t slot) { return first_lane + static_cast<int>(slot); };
    // Gives `slot` the next tile for the GPU; false when stopped on the way.
    const auto refill = [&](std::size_t slot) {
      const Tile* tile = take();
      for (; tile && !shader_takes(job, *tile); tile = take()) {
        const std::int64_t cpu_start = thread_cpu_ns();
        TileRecord record{*tile, lane(slot), static_cast<int>(getpid()), now_ns()};
        Job scalar = job;
        scalar.params.kernel = KernelKind::scalar;
        const std::optional<std::uint64_t> iterations = render_tile(scalar, *tile, frame.canvas(), stop);
        if (!iterations || stop.stop_requested()) return false;
        record.iterations = *iterations;
        publish(record, cpu_start);
      }
      holding[slot] = tile;
      table[slot] = tile ? SlotEntry{tile->x, tile->y, tile->width, tile->height, ++epoch, {}} : SlotEntry{};
      remaining[slot] = tile ? static_cast<std::uint32_t>(tile->width * tile->height) : 0;
      started[slot] = now_ns();
      return true;
    };
    for (std::size_t slot = 0; slot < table.size(); ++slot)
      if (!refill(slot)) return false;
    upload(buffers.names[Buffers::slots], table, GL_DYNAMIC_DRAW);
    upload(buffers.names[Buffers::remaining], remaining, GL_DYNAMIC_COPY);
    for (int which = 0; which < Buffers::count; ++which) buffers.bind(which);

    glUseProgram(program_);
    set_uniforms(job, slot_pixels, static_cast<std::uint32_t>(slots), static_cast<std::uint32_t>(frame.width));
    const GLint budget_at = glGetUniformLocation(program_, "budget");
    const std::uint64_t invocations = static_cast<std::uint64_t>(slots) * slot_pixels;
    const std::uint64_t groups = (invocations + kGroupSize - 1) / kGroupSize;
    const auto groups_x = static_cast<GLuint>(std::min<std::uint64_t>(groups, kMaxGroupsX));
    const auto groups_y = static_cast<GLuint>((groups + groups_x - 1) / groups_x);
    const auto unfinished = [&] { return std::accumulate(remaining.begin(), remaining.end(), std::uint64_t{0}); };

    std::vector<PixelState> finished_pixels;
    std::uint32_t budget = kMinBudget;
    GLuint timer = 0;  // the GPU's own clock around each dispatch
    glGenQueries(1, &timer);
    const struct DeleteTimer {
      GLuint name;
      ~DeleteTimer() { glDeleteQueries(1, &name); }
    } delete_timer{timer};
    while (std::any_of(holding.begin(), holding.end(), [](const Tile* tile) { return tile != nullptr; })) {
      if (stop.stop_requested()) return false;
      const std::uint64_t running = unfinished();
      const std::int64_t dispatched = now_ns();
      glUniform1ui(budget_at, budget);
      glBeginQuery(GL_TIME_ELAPSED, timer);
      glDispatchCompute(groups_x, groups_y, 1);
      glEndQuery(GL_TIME_ELAPSED);
      // The next dispatch reads what this one wrote; the read-back below, too.
      glMemoryBarrier(GL_SHADER_STORAGE_BARRIER_BIT | GL_BUFFER_UPDATE_BARRIER_BIT);
      glBindBuffer(GL_SHADER_STORAGE_BUFFER, buffers.names[Buffers::remaining]);
      glGetBufferSubData(GL_SHADER_STORAGE_BUFFER, 0, static_cast<GLsizeiptr>(remaining.size() * sizeof(std::uint32_t)),
                         remaining.data());  // waits for the dispatch
      GLuint64 gpu_ns = 0;
      glGetQueryObjectui64v(timer, GL_QUERY_RESULT, &gpu_ns);  // ready: the read-back waited for the dispatch
      busy_ns_.fetch_add(static_cast<std::int64_t>(gpu_ns), std::memory_order_relaxed);
      check_gl("a dispatch");
      const std::int64_t took = std::max<std::int64_t>(now_ns() - dispatched, 1);

      bool refilled = false;
      for (std::size_t slot = 0; slot < table.size(); ++slot) {
        if (!holding[slot] || remaining[slot] != 0) continue;
        if (stop.stop_requested()) return false;
        const Tile& tile = *holding[slot];
        // The CPU time a tile costs here is its read-back and its smooth values: the orbits ran on the
        // GPU (on llvmpipe, in Mesa's threads, which bench's process CPU time counts).
        const std::int64_t cpu_start = thread_cpu_ns();
        finished_pixels.resize(static_cast<std::size_t>(tile.width) * tile.height);
        glBindBuffer(GL_SHADER_STORAGE_BUFFER, buffers.names[Buffers::pixels]);
        glGetBufferSubData(GL_SHADER_STORAGE_BUFFER, static_cast<GLintptr>(slot * slot_pixels * sizeof(PixelState)),
                           static_cast<GLsizeiptr>(finished_pixels.size() * sizeof(PixelState)), finished_pixels.data());
        check_gl("reading a tile back");
        TileRecord record{tile, lane(slot), static_cast<int>(getpid()), started[slot]};
        const std::optional<std::uint64_t> iterations = finish(job, tile, finished_pixels, frame, stop);
        if (!iterations || stop.stop_requested()) return false;
        record.iterations = *iterations;
        publish(record, cpu_start);
        if (!refill(slot)) return false;
        refilled = true;
      }
      if (refilled) {
        rewrite(buffers.names[Buffers::slots], table);
        rewrite(buffers.names[Buffers::remaining], remaining);
      }
      // The next budget from the pixel-steps this one managed in its time, spread over the pixels
      // unfinished now (a refill brings fresh ones): a dispatch stays near kDispatchTarget however
      // many pixels run, never seconds on a tail that is suddenly refilled.
      const std::uint64_t now_running = std::max<std::uint64_t>(unfinished(), 1);
      const double steps_per_ns = static_cast<double>(running) * budget / static_cast<double>(took);
      budget = static_cast<std::uint32_t>(std::clamp<double>(kDispatchTarget * steps_per_ns / now_running, kMinBudget,
                                                             kMaxBudget));
    }
    return true;
  }

 private:
  static int slots_for(int batch, int tile_size) {
    if (batch > 0) return batch;
    const long long pixels = static_cast<long long>(tile_size) * tile_size;
    return static_cast<int>(std::clamp<long long>(kAutoPixelsInFlight / pixels, 1, kMaxSlots));
  }

  void set_uniforms(const Job& job, std::uint32_t slot_pixels, std::uint32_t slots, std::uint32_t width) const {
    const auto at = [this](const char* name) { return glGetUniformLocation(program_, name); };
    const KernelParams& params = job.params;
    glUniform1ui(at("slot_pixels"), slot_pixels);
    glUniform1ui(at("slot_count"), slots);
    glUniform1ui(at("grid_width"), width);
    glUniform1ui(at("max_iter"), params.max_iter);
    glUniform1i(at("start_c"), params.start == Start::c);
    glUniform1i(at("hypot_test"), params.escape == Escape::hypot);
    glUniform1i(at("shortcuts"), params.shortcuts);
    glUniform1ui(at("first_save"), detail::kFirstCycleSave);
    glUniform1d(at("bulb_margin"), detail::kBulbMargin);
    glUniform1d(at("bulb_radius2"), detail::kBulbRadius2);
    glUniform1d(at("hypot_high"), 4.0 * (1.0 + detail::kHypotMargin));
    glUniform1d(at("hypot_low"), 4.0 * (1.0 - detail::kHypotMargin));
  }

  static void check_gl(const char* doing) {
    if (const GLenum error = glGetError(); error != GL_NO_ERROR)
      throw Error(std::string("the GPU failed ") + doing + " (GL error " + std::to_string(error) + ")");
  }

  // Writes a finished tile's counts and smooth values into the frame; returns its iterations, or
  // nullopt when stopped (a point left to the CPU may run long).
  static std::optional<std::uint64_t> finish(const Job& job, const Tile& tile, const std::vector<PixelState>& pixels,
                                             Frame& frame, std::stop_token stop) {
    const std::uint32_t max_iter = job.params.max_iter;
    const bool smooth = !frame.smooth.empty();
    Job scalar = job;
    scalar.params.kernel = KernelKind::scalar;
    std::uint64_t iterations = 0;
    for (int y = 0; y < tile.height; ++y)
      for (int x = 0; x < tile.width; ++x) {
        const PixelState& pixel = pixels[static_cast<std::size_t>(y) * tile.width + x];
        const std::size_t at = static_cast<std::size_t>(tile.y + y) * frame.width + tile.x + x;
        const std::uint32_t state = pixel.state & 3u;
        if (state == kAskCpu) {  // the scalar kernel, stoppable, straight into the frame
          const std::optional<std::uint64_t> cost =
              render_tile(scalar, Tile{tile.index, tile.x + x, tile.y + y, 1, 1}, frame.canvas(), stop);
          if (!cost) return std::nullopt;
          iterations += *cost;
          continue;
        }
        const double cr = job.grid.re[tile.x + x], ci = job.grid.im[tile.y + y];
        const PointResult point = state == kEscaped
            ? PointResult{pixel.n, smooth ? detail::smooth_value(pixel.n, pixel.zr, pixel.zi, cr, ci) : 0.0f}
            : PointResult{max_iter, kInside};
        frame.counts[at] = point.count;
        if (smooth) frame.smooth[at] = point.smooth;
        iterations += detail::work_of(point.count, max_iter);
      }
    return iterations;
  }

  GlContext context_;  // first: made before the program, gone after it
  // Whether the shader may compute `tile`: no c so large that an infinity, and then a NaN, could
  // reach a comparison, which GLSL does not promise to order as IEEE does. Doubles take what the
  // SIMD kernel takes (|c| <= 1e100); floats overflow far sooner (z0 = c squares to infinity past
  // about 1.8e19), so they take |c| <= 1e18.
  bool shader_takes(const Job& job, const Tile& tile) const {
    constexpr double kFloatMaxC = 1e18;
    return in_float_ ? detail::largest_c(job, tile) <= kFloatMaxC : detail::simd_takes(job, tile);
  }

  const int slots_;
  const bool in_float_;
  GLuint program_ = 0;
  std::string name_;
  std::atomic<std::int64_t> busy_ns_{0};
};

// `gpu`: every tile on the GPU, in the order given.
class Gpu final : public Strategy {
 public:
  explicit Gpu(StrategyOptions options)
      : Strategy(options), device_(std::stoi(setting("batch")), tile_size(), setting("precision")) {
    adopt_workers(1);  // one device, one queue of dispatches
  }

  bool exact() const override { return setting("precision") == "double"; }
  std::string device() const override { return device_.name(); }
  std::chrono::nanoseconds device_time() const override { return device_.busy(); }

  // Its lanes are its slots: the tiles in flight at once.
  int lanes() const override { return device_.slots(); }

 protected:
  int resize(int) override { return 1; }

  bool run(const Job& job, const std::vector<Tile>& tiles, Frame& frame, const TileSink& sink,
           std::stop_token stop) override {
    std::size_t next = 0;
    const auto take = [&]() -> const Tile* { return next < tiles.size() ? &tiles[next++] : nullptr; };
    return device_.render(job, tiles.size(), take, 0, tile_size(), frame, sink, stop);
  }

 private:
  Device device_;
};

// `hybrid`: the GPU and `workers` CPU threads (the SIMD kernel) take tiles from one counter at
// once, each at its own pace, so neither waits for the other: a dynamic split, not a fixed ratio.
// The CPU threads are lanes 0 .. workers - 1, the GPU's slots the lanes after them.
class Hybrid final : public CrewStrategy {
 public:
  explicit Hybrid(StrategyOptions options)
      : CrewStrategy(options), device_(std::stoi(setting("batch")), tile_size(), setting("precision")) {}

  bool exact() const override { return setting("precision") == "double"; }
  std::string device() const override { return "the CPU's kernel and the " + device_.name(); }
  std::chrono::nanoseconds device_time() const override { return device_.busy(); }

  int lanes() const override { return workers() + device_.slots(); }

 protected:
  bool run(const Job& job, const std::vector<Tile>& tiles, Frame& frame, const TileSink& sink,
           std::stop_token stop) override {
    std::atomic<std::size_t> next{0};
    std::atomic<bool> abandoned{false};  // read after every side has returned: relaxed is enough
    // Either side giving up stops the other at once (the GPU between two dispatches, not after its
    // slots' tiles), as does the caller's stop.
    std::stop_source both;
    const std::stop_callback forward(stop, [&both] { both.request_stop(); });
    const auto give_up = [&] {
      abandoned.store(true, std::memory_order_relaxed);
      both.request_stop();
    };
    // Relaxed: the counter only divides the tiles; their pixels reach the caller through the
    // crew's synchronisation once both sides have returned.
    const auto take = [&]() -> const Tile* {
      if (abandoned.load(std::memory_order_relaxed)) return nullptr;
      const std::size_t index = next.fetch_add(1, std::memory_order_relaxed);
      return index < tiles.size() ? &tiles[index] : nullptr;
    };
    crew().run(
        [&](int worker) {
          try {
            while (const Tile* tile = take())
              if (!compute_tile(job, *tile, frame, worker, sink, both.get_token())) return give_up();
          } catch (...) {
            give_up();
            throw;  // the crew rethrows it on the caller's thread
          }
        },
        [&] {
          try {
            // At most a quarter of the tiles in flight on the GPU at once, so that its first fill
            // never leaves the CPU threads without work.
            const std::size_t in_flight = std::max<std::size_t>(1, tiles.size() / 4);
            if (!device_.render(job, in_flight, take, workers(), tile_size(), frame, sink, both.get_token())) give_up();
          } catch (...) {
            give_up();  // the CPU threads take no more tiles
            throw;
          }
        });
    return !abandoned.load(std::memory_order_relaxed);
  }

 private:
  Device device_;
};

const StrategyOption kPrecision{"precision",
                                "the GPU's arithmetic: double (the serial image, bit for bit) or float (much faster "
                                "on consumer GPUs; NOT the serial image, and marked so)",
                                {"double", "float"}};

std::unique_ptr<Strategy> make_gpu(StrategyOptions options) { return std::make_unique<Gpu>(options); }
std::unique_ptr<Strategy> make_hybrid(StrategyOptions options) { return std::make_unique<Hybrid>(options); }

// A render on the GPU against the scalar kernel: a view across the boundary where long orbits,
// escapes and the bulbs meet. A driver whose doubles round differently (or fuse despite
// `precise`) fails it.
std::string self_test() {
  const Job job{grid_of({-0.7436, 0.1318, 0.004, 48, 32}), {3000, Start::zero, Escape::norm, KernelKind::scalar, true}, true};
  Gpu probe({1, 16, {{"batch", "0"}, {"precision", "double"}}});
  Frame frame(job.grid.width(), job.grid.height(), true);
  probe.render(job, frame, {});
  int differ = 0;
  for (int y = 0; y < frame.height; ++y)
    for (int x = 0; x < frame.width; ++x) {
      const PointResult cpu = escape_time(job.grid.re[x], job.grid.im[y], job.params, true);
      const std::size_t at = static_cast<std::size_t>(y) * frame.width + x;
      differ += frame.counts[at] != cpu.count || std::memcmp(&frame.smooth[at], &cpu.smooth, sizeof(float)) != 0;
    }
  if (differ == 0) return "";
  return "its doubles are not IEEE-exact: " + std::to_string(differ) + " of " + std::to_string(frame.width * frame.height) +
         " points of the self-test differ from the CPU's";
}

}  // namespace
}  // namespace gpu

const std::string& gpu_unavailable() {
  static const std::string reason = [] {
    try {
      return gpu::self_test();
    } catch (const std::exception& error) {
      return std::string(error.what());
    }
  }();
  return reason;
}

void register_gpu_strategies() {
  static std::once_flag once;
  std::call_once(once, [] {
    register_strategy({"gpu",
                       "an OpenGL compute shader in IEEE doubles, headless through EGL: tiles in flight in slots, "
                       "every dispatch short (none in the seed: today's biggest parallel machine)",
                       {{"batch", "tiles in flight on the GPU, the timeline's lanes (0: about a million pixels' worth)",
                         {}, 0, gpu::kMaxSlots, 0},
                        gpu::kPrecision},
                       &gpu_unavailable},
                      gpu::make_gpu);
    register_strategy({"hybrid",
                       "the GPU and the CPU workers (SIMD kernel) take tiles from one atomic counter at once, each at "
                       "its own pace: a dynamic split (none in the seed)",
                       {{"batch", "tiles in flight on the GPU (0: about a million pixels' worth)", {}, 0,
                         gpu::kMaxSlots, 0},
                        gpu::kPrecision},
                       &gpu_unavailable},
                      gpu::make_hybrid);
  });
}

}  // namespace parafrac
