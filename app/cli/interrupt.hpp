#pragma once
#include <functional>
#include <stop_token>

namespace parafrac::cli {

// Blocks SIGINT and SIGTERM in the calling thread and so in every thread started later: from
// then on only run_interruptibly() receives them. Call first thing in main, before any thread
// or file exists, so no signal can kill the process between creating a file and cleaning it up.
void block_interrupts();

// Runs `work` on a thread of its own while this thread waits for it or for SIGINT/SIGTERM.
// A signal requests stop on `work`'s token, says so on standard error, and waits for it to
// return, so the caller can clean up before exiting. A second signal during that wait (Ctrl-C
// again, or SIGTERM) exits the process at once with 128 + its number, running no destructor:
// for work that is stuck (a pipe nobody reads, a stalled worker), and safe because nothing the
// CLI creates outlives an exit (unnamed output files, memfd regions, workers that follow their
// parent). Returns the signal number, or 0 when `work` finished by itself; rethrows what `work`
// threw. Needs block_interrupts() first.
int run_interruptibly(const std::function<void(std::stop_token)>& work);

}  // namespace parafrac::cli
