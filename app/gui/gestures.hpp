#pragma once
// Mouse and key events as GLFW delivers them, turned into what Dear ImGui 1.86, which samples
// input once a frame, would miss: frames here are paced by events, so several presses and
// releases can arrive between two frames.
#include <optional>
#include <utility>
#include <vector>

namespace parafrac::gui {

// Two presses of a button close in time and place, judged by the events' own times (GLFW's
// clock in the button callback), not by the frames that happen to see them.
class DoubleClick {
 public:
  static constexpr double kMaxInterval = 0.30;  // seconds: Dear ImGui's io.MouseDoubleClickTime
  static constexpr double kMaxDistance = 6.0;   // pixels: its io.MouseDoubleClickMaxDist

  // A press at `time` (seconds) and (x, y): whether it completes a double click. A third press
  // starts afresh, so a triple click is one double click.
  bool press(double time, double x, double y);

 private:
  struct Press {
    double time, x, y;
  };
  std::optional<Press> last_;
};

// Key releases held back until a frame has seen the keys pressed before them: a tap whose press
// and release both land between two frames (a quick Ctrl+A, xdotool) would otherwise never be
// seen down. Every release waits while any press is unseen, so a frame sees the whole chord:
// xdotool's Ctrl+A releases Ctrl before A, and A alone is no shortcut.
class KeyTaps {
 public:
  // A key went down.
  void pressed() { unseen_ = true; }
  // A key came up: true to hand the release on now, false when it is held back.
  bool release_now(int key, int mods);
  // A frame has sampled the keys: the held-back releases (key, mods) to hand on now, in order.
  std::vector<std::pair<int, int>> frame_done();

 private:
  bool unseen_ = false;                    // a press since the last frame
  std::vector<std::pair<int, int>> held_;  // releases waiting for the next frame
};

}  // namespace parafrac::gui
