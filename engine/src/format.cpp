#include "parafrac/format.hpp"

#include <charconv>

namespace parafrac {
namespace {

template <typename Number>
std::string shortest_of(Number value) {
  // Room enough: the longest double, "-2.2250738585072014e-308", is 24 characters.
  char text[32];
  return {text, std::to_chars(text, text + sizeof text, value).ptr};
}

}  // namespace

std::string shortest(double value) { return shortest_of(value); }

std::string shortest(float value) { return shortest_of(value); }

}  // namespace parafrac
