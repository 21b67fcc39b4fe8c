#pragma once
// A SessionStore on a std::map: the smallest backend that can exist. It
// runs the same contract suite as SQLite, which shows the suite tests the
// interface and not one implementation's accidents.

#include "sessions/session_store.hpp"

#include <algorithm>
#include <map>
#include <mutex>

namespace stork::test {

class MemorySessionStore final : public SessionStore {
 public:
  void insert(const std::string& token_hash, const Session& session) override {
    std::lock_guard lock(mutex_);
    sessions_[token_hash] = session;
  }
  std::optional<Session> find(const std::string& token_hash) override {
    std::lock_guard lock(mutex_);
    const auto it = sessions_.find(token_hash);
    if (it == sessions_.end()) return std::nullopt;
    return it->second;
  }
  void touch(const std::string& token_hash, UnixSeconds now) override {
    std::lock_guard lock(mutex_);
    const auto it = sessions_.find(token_hash);
    if (it != sessions_.end()) it->second.last_seen_at = now;
  }
  bool remove(const std::string& token_hash) override {
    std::lock_guard lock(mutex_);
    return sessions_.erase(token_hash) > 0;
  }
  bool remove_by_public_id(std::int64_t user_id, const std::string& public_id) override {
    std::lock_guard lock(mutex_);
    return std::erase_if(sessions_, [&](const auto& kv) {
             return kv.second.user_id == user_id && kv.second.public_id == public_id;
           }) > 0;
  }
  std::size_t remove_all_of_user(std::int64_t user_id, const std::string& keep_token_hash) override {
    std::lock_guard lock(mutex_);
    return std::erase_if(sessions_, [&](const auto& kv) {
      return kv.second.user_id == user_id && kv.first != keep_token_hash;
    });
  }
  std::vector<Session> list_of_user(std::int64_t user_id) override {
    std::vector<Session> out;
    for (const auto& [hash, s] : of_user(user_id)) out.push_back(s);
    std::reverse(out.begin(), out.end());
    return out;
  }
  std::vector<std::string> token_hashes_of_user_oldest_first(std::int64_t user_id) override {
    std::vector<std::string> out;
    for (const auto& [hash, s] : of_user(user_id)) out.push_back(hash);
    return out;
  }
  std::size_t purge_expired(UnixSeconds now, std::int64_t idle_seconds) override {
    std::lock_guard lock(mutex_);
    return std::erase_if(sessions_, [&](const auto& kv) { return !live(kv.second, now, idle_seconds); });
  }
  std::size_t count_live(UnixSeconds now, std::int64_t idle_seconds) override {
    std::lock_guard lock(mutex_);
    return static_cast<std::size_t>(std::count_if(sessions_.begin(), sessions_.end(), [&](const auto& kv) {
      return live(kv.second, now, idle_seconds);
    }));
  }

 private:
  static bool live(const Session& s, UnixSeconds now, std::int64_t idle_seconds) {
    return s.absolute_expires_at > now && s.last_seen_at > now - idle_seconds;
  }
  // Oldest first.
  std::vector<std::pair<std::string, Session>> of_user(std::int64_t user_id) {
    std::lock_guard lock(mutex_);
    std::vector<std::pair<std::string, Session>> out;
    for (const auto& kv : sessions_) {
      if (kv.second.user_id == user_id) out.push_back(kv);
    }
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
      if (a.second.created_at != b.second.created_at) return a.second.created_at < b.second.created_at;
      return a.second.last_seen_at < b.second.last_seen_at;
    });
    return out;
  }

  std::mutex mutex_;
  std::map<std::string, Session> sessions_;
};

}  // namespace stork::test
