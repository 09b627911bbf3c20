#include "messages.hpp"

#include <algorithm>

namespace parafrac::gui {

void post(std::vector<Message>& messages, std::string text, bool error, double now) {
  const double until = now + (error ? 6.0 : 3.0);
  const auto showing = std::find_if(messages.begin(), messages.end(), [&](const Message& message) {
    return message.text == text && message.error == error && message.until >= now;
  });
  if (showing != messages.end()) {
    showing->until = std::max(showing->until, until);
    return;
  }
  messages.push_back({std::move(text), error, until});
}

}  // namespace parafrac::gui
