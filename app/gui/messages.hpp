#pragma once
// The short messages the app shows at the bottom of the window, and how they pile up.
#include <string>
#include <vector>

namespace parafrac::gui {

struct Message {
  std::string text;
  bool error = false;
  double until = 0;  // ImGui::GetTime() when it fades
};

// Shows `text` from `now` for 6 s (an error) or 3 s. A message showing the same text already is
// kept on screen longer instead of repeated: twenty wheel notches against the precision limit
// say so once.
void post(std::vector<Message>& messages, std::string text, bool error, double now);

}  // namespace parafrac::gui
