#include "interrupt.hpp"

#include <pthread.h>
#include <signal.h>

#include <exception>
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
    int done = 0;
    do sigwait(&signals, &done);
    while (done != SIGUSR1);
  }
  worker.join();
  if (failure) std::rethrow_exception(failure);
  return received == SIGUSR1 ? 0 : received;
}

}  // namespace parafrac::cli
