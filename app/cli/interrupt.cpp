#include "interrupt.hpp"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <exception>
#include <string_view>
#include <thread>

namespace parafrac::cli {

namespace {

// SIGUSR1 is how the work says it is done.
sigset_t interrupts() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGUSR1);
  return signals;
}

// Writes `message` to standard error without stdio, whose lock a worker thread may hold.
void say(std::string_view message) {
  [[maybe_unused]] const ssize_t ignored = ::write(STDERR_FILENO, message.data(), message.size());
}

// The user asked twice, or the system asked while the work was stopping: exit now, without
// waiting for the work or running a destructor. Nothing is left behind: the output is an unnamed
// file until it is committed (O_TMPFILE, gone with the process; where a file system has none, the
// named temporary is swept by the next run), worker processes see their pipe hang up and exit,
// and the shared memory is a memfd that goes with its last mapping.
[[noreturn]] void quit_at_once(int signal) {
  say("parafrac-cli: quitting at once\n");
  ::_exit(128 + signal);
}

}  // namespace

void block_interrupts() {
  const sigset_t signals = interrupts();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
}

int run_interruptibly(const std::function<void(std::stop_token)>& work) {
  const sigset_t signals = interrupts();

  std::stop_source stop;
  std::exception_ptr failure;
  const pthread_t waiter = pthread_self();
  std::jthread worker([&] {
    try {
      work(stop.get_token());
    } catch (...) {
      failure = std::current_exception();
    }
    pthread_kill(waiter, SIGUSR1);
  });

  int received = 0;
  sigwait(&signals, &received);
  if (received != SIGUSR1) {
    stop.request_stop();
    // A progress line may be on the terminal: this message takes its place.
    say(::isatty(STDERR_FILENO) == 1 ? "\r\033[Kparafrac-cli: stopping (Ctrl-C again to quit at once)\n"
                                     : "parafrac-cli: stopping (Ctrl-C again to quit at once)\n");
    int next = 0;
    sigwait(&signals, &next);
    if (next != SIGUSR1) quit_at_once(next);
  }
  worker.join();
  if (failure) std::rethrow_exception(failure);
  return received == SIGUSR1 ? 0 : received;
}

}  // namespace parafrac::cli
