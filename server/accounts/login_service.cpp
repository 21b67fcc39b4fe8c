#include "accounts/login_service.hpp"

namespace stork {
namespace {

constexpr std::chrono::milliseconds kSlotPatience{3000};

class SlotGuard {
 public:
  explicit SlotGuard(HashingSlots& slots) : slots_(slots), held_(slots.acquire(kSlotPatience)) {}
  ~SlotGuard() {
    if (held_) slots_.release();
  }
  SlotGuard(const SlotGuard&) = delete;
  SlotGuard& operator=(const SlotGuard&) = delete;
  bool held() const { return held_; }

 private:
  HashingSlots& slots_;
  bool held_;
};

// Holds an account's turn for the guard's lifetime: attempts on one
// account are checked one after another, so parallel guesses cannot all
// pass the throttle before the first failure is recorded. A second
// attempt waits for the first (a double-clicked "Sign in" succeeds twice)
// and then meets the throttle state the first one left.
class AccountTurn {
 public:
  AccountTurn(std::mutex& mutex, std::condition_variable& done,
              std::set<std::string, std::less<>>& busy, const std::string& username)
      : mutex_(mutex), done_(done), busy_(busy) {
    std::unique_lock lock(mutex_);
    held_ = done_.wait_for(lock, kSlotPatience, [&] { return !busy_.contains(username); });
    if (held_) entry_ = busy_.insert(username).first;
  }
  ~AccountTurn() {
    if (!held_) return;
    {
      std::lock_guard lock(mutex_);
      busy_.erase(entry_);
    }
    done_.notify_all();
  }
  AccountTurn(const AccountTurn&) = delete;
  AccountTurn& operator=(const AccountTurn&) = delete;
  bool held() const { return held_; }

 private:
  std::mutex& mutex_;
  std::condition_variable& done_;
  std::set<std::string, std::less<>>& busy_;
  std::set<std::string, std::less<>>::iterator entry_;
  bool held_ = false;
};

}  // namespace

bool HashingSlots::acquire(std::chrono::milliseconds patience) {
  std::unique_lock lock(mutex_);
  const std::uint64_t ticket = next_ticket_++;
  const auto deadline = std::chrono::steady_clock::now() + patience;
  const auto my_turn = [&] { return serving_ == ticket && free_ > 0; };
  while (!my_turn()) {
    if (freed_.wait_until(lock, deadline) == std::cv_status::timeout && !my_turn()) {
      if (serving_ == ticket) {
        ++serving_;  // pass the turn on
      } else {
        abandoned_.insert(ticket);
      }
      while (abandoned_.erase(serving_) > 0) ++serving_;
      freed_.notify_all();
      return false;
    }
  }
  --free_;
  ++serving_;
  while (abandoned_.erase(serving_) > 0) ++serving_;
  freed_.notify_all();
  return true;
}

void HashingSlots::release() {
  {
    std::lock_guard lock(mutex_);
    ++free_;
  }
  freed_.notify_all();
}

LoginService::LoginService(Accounts& accounts, LoginThrottle& throttle, Argon2Params params,
                           std::ptrdiff_t hashing_slots)
    : accounts_(accounts),
      throttle_(throttle),
      params_(params),
      slots_(hashing_slots),
      dummy_hash_(hash_password("stork: no such user, dummy password", params)) {}

LoginResult LoginService::attempt(const std::string& username, const std::string& password,
                                  const std::string& client_address, UnixSeconds now) {
  LoginResult result;
  const AccountTurn turn(in_flight_mutex_, in_flight_done_, in_flight_, username);
  if (!turn.held()) {
    result.outcome = LoginOutcome::throttled;
    result.retry_after_seconds = 1;
    return result;
  }
  if (const auto wait = throttle_.wait_seconds(username, client_address, now); wait > 0) {
    result.outcome = LoginOutcome::throttled;
    result.retry_after_seconds = wait;
    return result;
  }

  std::optional<User> user = accounts_.find(username);
  std::optional<std::string> stored;
  if (user) stored = accounts_.password_hash(user->id);

  bool verified = false;
  {
    SlotGuard slot(slots_);
    if (!slot.held()) {
      result.outcome = LoginOutcome::busy;
      result.retry_after_seconds = 1;
      return result;
    }
    verified = verify_password(password, stored ? *stored : dummy_hash_);
  }
  // A disabled account answers exactly like a wrong password.
  if (!user || !stored || !verified || user->disabled) {
    throttle_.record_failure(username, client_address, now);
    return result;
  }

  throttle_.record_success(username);
  if (needs_rehash(*stored, params_)) {
    if (auto fresh = hash(password)) accounts_.set_password_hash(user->id, *fresh);
  }
  result.outcome = LoginOutcome::ok;
  result.user = std::move(user);
  return result;
}

std::optional<bool> LoginService::verify(std::int64_t user_id, const std::string& password) {
  const auto stored = accounts_.password_hash(user_id);
  SlotGuard slot(slots_);
  if (!slot.held()) return std::nullopt;
  return verify_password(password, stored ? *stored : dummy_hash_) && stored.has_value();
}

std::optional<std::string> LoginService::hash(const std::string& password) {
  SlotGuard slot(slots_);
  if (!slot.held()) return std::nullopt;
  return hash_password(password, params_);
}

}  // namespace stork
