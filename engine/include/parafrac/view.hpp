#pragma once
#include <complex>
#include <vector>

namespace parafrac {

// A rectangular window on the complex plane, sampled at width x height square pixels.
// `scale` is the height of the window in complex-plane units; the width follows from the aspect
// ratio. Pixel (0, 0) is the top-left pixel; x grows to the right, y grows downwards, and the
// imaginary part grows upwards, as on a mathematician's plot. Coordinates are pixel centres.
struct View {
  double center_re = -0.5;
  double center_im = 0.0;
  double scale = 2.5;
  int width = 1280;
  int height = 720;

  double pixel_size() const { return scale / height; }
  std::complex<double> pixel_to_complex(double x, double y) const;

  // The view after dragging its content by (dx, dy) pixels: what was under pixel (x, y) is now
  // under pixel (x + dx, y + dy).
  View panned(double dx, double dy) const;
  // The view magnified by `factor` (> 1 zooms in) about pixel (x, y), whose point stays put.
  View zoomed(double factor, double x, double y) const;

  // Throws Error naming the problem when the view cannot be rendered: a non-finite number, a
  // non-positive or absurd size, or a pixel size below what double precision resolves here.
  void validate() const;
};

// The complex coordinates an image samples: pixel (x, y) is c = re[x] + i·im[y]. Strategies and
// the kernel see only a Grid, so every preset's own coordinate formula is honoured exactly.
struct Grid {
  std::vector<double> re;
  std::vector<double> im;

  int width() const { return static_cast<int>(re.size()); }
  int height() const { return static_cast<int>(im.size()); }
};

Grid grid_of(const View& view);
// NumPy's np.ogrid[-1j:0j:height*1j, -1.5:0:width*1j], value for value: row 0 is imaginary -1.
Grid seed_grid(int width, int height);
// The Benchmarks Game's mandelbrot: c = (2.0·x/N − 1.5) + (2.0·y/N − 1.0)i, in that order.
Grid benchmarks_game_grid(int n);

// Limits on what we agree to render; a larger request is refused with a clear error. Images
// beyond kMaxFramePixels are rendered in bands (parafrac-cli render); whoever holds a whole
// Frame in memory keeps to kMaxFramePixels: 2 GB of counts and smooth values (bench holds two
// copies of the counts, 2.1 GB measured, 3.2 GB with processes), or fewer pixels when it holds
// more per pixel (the app's export also holds the colours).
inline constexpr int kMaxImageSide = 65536;
inline constexpr long long kMaxImagePixels = 1LL << 32;
inline constexpr long long kMaxFramePixels = 1LL << 28;
void validate_image_size(long long width, long long height);

}  // namespace parafrac
