#pragma once
#include <functional>
#include <stop_token>

namespace parafrac::cli {

// Runs `work` on a thread of its own while this thread waits for it or for SIGINT/SIGTERM.
// A signal requests stop on `work`'s token and waits for it to return, so the caller can clean
// up (remove temporary files) before exiting. Returns the signal number, or 0 when `work`
// finished by itself; rethrows what `work` threw. Call before any other thread exists.
int run_interruptibly(const std::function<void(std::stop_token)>& work);

}  // namespace parafrac::cli
