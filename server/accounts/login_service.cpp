#include "accounts/login_service.hpp"

#include "sessions/token.hpp"

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

LoginService::LoginService(AccountStore& accounts, LoginThrottle& throttle, Argon2Params params,
                           std::ptrdiff_t hashing_slots)
    : accounts_(accounts),
      throttle_(throttle),
      params_(params),
      slots_(hashing_slots),
      dummy_hash_(hash_password("stork: no such user, dummy password", params)) {}

LoginResult LoginService::attempt(const std::string& username, const std::string& password,
                                  const ClientContext& client, UnixSeconds now) {
  return check(username, accounts_.find(username), password, client, now, true);
}

LoginResult LoginService::reverify(const User& user, const std::string& password,
                                   const ClientContext& client, UnixSeconds now) {
  return check(user.username, accounts_.find(user.id), password, client, now, false);
}

LoginResult LoginService::check(const std::string& username, const std::optional<User>& user,
                                const std::string& password, const ClientContext& client,
                                UnixSeconds now, bool issue_device) {
  LoginResult result;
  AttemptKeys keys{account_key(username), address_key(client.address), {}};
  std::string device_hash;
  if (user && is_well_formed_token(client.device_token)) {
    device_hash = hash_token(client.device_token);
    if (throttle_.store().trusted_device_user(device_hash) == user->id) {
      keys.device = "device:" + device_hash;
    }
  }

  const AccountTurn turn(in_flight_mutex_, in_flight_done_, in_flight_, keys.account);
  if (!turn.held()) {
    result.outcome = LoginOutcome::throttled;
    result.retry_after_seconds = 1;
    return result;
  }
  if (const Admission a = throttle_.admit(keys, now); !a.admitted) {
    result.outcome = LoginOutcome::throttled;
    result.retry_after_seconds = a.retry_after_seconds;
    return result;
  }

  std::optional<std::string> stored;
  bool verified = false;
  bool hashed = false;
  try {
    if (user) stored = accounts_.password_hash(user->id);
    SlotGuard slot(slots_);
    if (slot.held()) {
      hashed = true;
      verified = verify_password(password, stored ? *stored : dummy_hash_);
    }
  } catch (...) {
    throttle_.settle(keys, Settlement::failed, now);
    throw;
  }
  if (!hashed) {
    throttle_.settle(keys, Settlement::not_checked, now);
    result.outcome = LoginOutcome::busy;
    result.retry_after_seconds = 1;
    return result;
  }
  // A disabled account answers exactly like a wrong password.
  const bool ok = user && stored && verified && !user->disabled;
  throttle_.settle(keys, ok ? Settlement::succeeded : Settlement::failed, now);
  if (!ok) return result;

  if (needs_rehash(*stored, params_)) {
    if (auto fresh = hash(password)) accounts_.upgrade_password_hash(user->id, *fresh);
  }
  if (issue_device && !keys.trusted_device()) {
    result.new_device_token = new_session_token();
    throttle_.store().trust_device(hash_token(result.new_device_token), user->id, now);
  }
  result.outcome = LoginOutcome::ok;
  result.user = user;
  return result;
}

std::optional<std::string> LoginService::hash(const std::string& password) {
  SlotGuard slot(slots_);
  if (!slot.held()) return std::nullopt;
  return hash_password(password, params_);
}

}  // namespace stork
