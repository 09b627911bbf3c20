#include "parafrac/view.hpp"

#include <cmath>
#include <limits>
#include <string>

#include "parafrac/error.hpp"
#include "parafrac/format.hpp"

namespace parafrac {

std::complex<double> View::pixel_to_complex(double x, double y) const {
  const double size = pixel_size();
  return {center_re + (x - 0.5 * (width - 1)) * size, center_im - (y - 0.5 * (height - 1)) * size};
}

View View::panned(double dx, double dy) const {
  View moved = *this;
  moved.center_re -= dx * pixel_size();
  moved.center_im += dy * pixel_size();
  return moved;
}

View View::zoomed(double factor, double x, double y) const {
  const std::complex<double> anchor = pixel_to_complex(x, y);
  View zoomed = *this;
  zoomed.scale = scale / factor;
  // Keep the anchor under the same pixel: its offset from the centre shrinks by `factor`.
  zoomed.center_re = anchor.real() - (anchor.real() - center_re) / factor;
  zoomed.center_im = anchor.imag() - (anchor.imag() - center_im) / factor;
  return zoomed;
}

void validate_image_size(long long width, long long height) {
  if (width < 1 || height < 1)
    throw Error("image size " + std::to_string(width) + "x" + std::to_string(height) +
                " must be at least 1x1");
  if (width > kMaxImageSide || height > kMaxImageSide || width * height > kMaxImagePixels)
    throw Error("image size " + std::to_string(width) + "x" + std::to_string(height) +
                " is too large (at most " + std::to_string(kMaxImageSide) + " a side and " +
                std::to_string(kMaxImagePixels) + " pixels)");
}

void View::validate() const {
  if (!std::isfinite(center_re) || !std::isfinite(center_im))
    throw Error("the centre must be a finite complex number");
  if (!std::isfinite(scale) || scale <= 0.0)
    throw Error("the scale must be a positive, finite number, not " + shortest(scale));
  validate_image_size(width, height);
  const std::complex<double> first = pixel_to_complex(0, 0), last = pixel_to_complex(width - 1, height - 1);
  for (const double edge : {first.real(), first.imag(), last.real(), last.imag()})
    if (!std::isfinite(edge)) throw Error("scale " + shortest(scale) + " reaches past the largest number a double holds");
  // Below a few ulps of the centre, neighbouring pixels collapse onto the same double.
  const double magnitude = std::max(std::abs(center_re), std::abs(center_im));
  const double finest = std::max(8 * std::numeric_limits<double>::epsilon() * magnitude,
                                 std::numeric_limits<double>::min() * 1e10);
  if (pixel_size() < finest)
    throw Error("scale " + shortest(scale) + " is deeper than double precision resolves at this centre");
}

Grid grid_of(const View& view) {
  Grid grid;
  grid.re.resize(view.width);
  grid.im.resize(view.height);
  for (int x = 0; x < view.width; ++x) grid.re[x] = view.pixel_to_complex(x, 0).real();
  for (int y = 0; y < view.height; ++y) grid.im[y] = view.pixel_to_complex(0, y).imag();
  return grid;
}

namespace {
// NumPy's ogrid with a complex step: n points from start to stop, computed as i·step + start
// with step = (stop − start) / (n − 1), or just start when n == 1.
std::vector<double> numpy_linspace(double start, double stop, int n) {
  std::vector<double> values(n);
  const double step = n > 1 ? (stop - start) / static_cast<double>(n - 1) : 1.0;
  for (int i = 0; i < n; ++i) values[i] = static_cast<double>(i) * step + start;
  return values;
}
}  // namespace

Grid seed_grid(int width, int height) {
  validate_image_size(width, height);
  return {numpy_linspace(-1.5, 0.0, width), numpy_linspace(-1.0, 0.0, height)};
}

Grid benchmarks_game_grid(int n) {
  validate_image_size(n, n);
  Grid grid{std::vector<double>(n), std::vector<double>(n)};
  for (int i = 0; i < n; ++i) {
    grid.re[i] = 2.0 * i / n - 1.5;
    grid.im[i] = 2.0 * i / n - 1.0;
  }
  return grid;
}

}  // namespace parafrac
