// Numbers, points and sizes as the CLI and PNG metadata read them (parafrac/parse.hpp), and the
// view checks they lead to. The input is tried whole by every parser, then as three lines:
// centre, scale and size of a View.
#include <bit>
#include <cmath>
#include <cstdint>
#include <string>
#include <tuple>
#include <utility>

#include "harness.hpp"
#include "parafrac/error.hpp"
#include "parafrac/format.hpp"
#include "parafrac/parse.hpp"
#include "parafrac/view.hpp"

namespace {

using parafrac::Error;
using parafrac::fuzz::require;

// The same number, NaNs alike: what shortest() promises parse_number gives back.
template <typename Real>
bool same(Real a, Real b) {
  return (std::isnan(a) && std::isnan(b)) ||
         std::bit_cast<std::uint64_t>(static_cast<double>(a)) ==
             std::bit_cast<std::uint64_t>(static_cast<double>(b));
}

template <typename Real>
void parse_real(std::string_view text) {
  try {
    const Real value = parafrac::parse_number<Real>(text, "fuzz");
    require(same(parafrac::parse_number<Real>(parafrac::shortest(value), "fuzz"), value),
            "shortest() reads back as the same number");
  } catch (const Error&) {
  }
}

template <typename Integer>
void parse_integer(std::string_view text) {
  try {
    const Integer value = parafrac::parse_number<Integer>(text, "fuzz");
    require(parafrac::parse_number<Integer>(std::to_string(value), "fuzz") == value,
            "an integer reads back");
  } catch (const Error&) {
  }
}

void parse_point(std::string_view text) {
  try {
    const auto [re, im] = parafrac::parse_point(text, "fuzz");
    require(std::isfinite(re) && std::isfinite(im), "a point is finite");
  } catch (const Error&) {
  }
}

void parse_size(std::string_view text) {
  try {
    const auto [width, height] = parafrac::parse_size(text, "fuzz");
    require(width >= 1 && height >= 1 && width <= parafrac::kMaxImageSide &&
                height <= parafrac::kMaxImageSide,
            "a size is within the image limits");
  } catch (const Error&) {
  }
}

// What validate() promises of a view it accepts: every pixel centre is a finite point, and
// neighbouring pixels are different points (checked where they are closest together in
// relative terms, across the centre, and at the corners).
void check_valid_view(const parafrac::View& view) {
  const double last_x = view.width - 1, last_y = view.height - 1;
  for (const auto& [x, y] : {std::pair{0.0, 0.0}, {last_x, last_y}, {last_x / 2, last_y / 2}}) {
    const auto c = view.pixel_to_complex(x, y);
    require(std::isfinite(c.real()) && std::isfinite(c.imag()),
            "a valid view's pixels are finite points");
    if (view.width > 1)
      require(view.pixel_to_complex(x + 1, y).real() != c.real(), "neighbouring columns differ");
    if (view.height > 1)
      require(view.pixel_to_complex(x, y + 1).imag() != c.imag(), "neighbouring rows differ");
  }
}

void parse_view(std::string_view text) {
  const auto lines = parafrac::fuzz::split(text, '\n');
  if (lines.size() != 3) return;
  try {
    parafrac::View view;
    std::tie(view.center_re, view.center_im) = parafrac::parse_point(lines[0], "fuzz center");
    view.scale = parafrac::parse_number<double>(lines[1], "fuzz scale");
    std::tie(view.width, view.height) = parafrac::parse_size(lines[2], "fuzz size");
    view.validate();
    check_valid_view(view);
  } catch (const Error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = parafrac::fuzz::as_text(data, size);
  parse_real<double>(text);
  parse_real<float>(text);
  parse_integer<int>(text);
  parse_integer<long long>(text);
  parse_integer<std::uint32_t>(text);
  parse_point(text);
  parse_size(text);
  parse_view(text);
  return 0;
}
