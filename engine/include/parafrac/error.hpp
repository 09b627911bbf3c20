#pragma once
#include <stdexcept>

namespace parafrac {

// The one exception type the engine throws at its edge: a readable, one-line message that the
// CLI and the app show as is. Never used for programming errors inside the engine.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace parafrac
