#pragma once
// The SQLite backend's change feed: tells a ChangeSink of every change
// that any connection to the file (another `stork serve`, a `stork user`
// command) commits to the rows a read cache keeps.
//
// Triggers (db/012_change_log.sql) number each change in change_log, one
// row per user or product. The feed has its own connection and thread,
// and every poll interval asks SQLite whether anyone committed since the
// last look (PRAGMA data_version: no file read when nothing did); only
// then does it read the rows above the last number it saw. So the delay
// from a commit to the sink is at most one interval plus one short query,
// and an idle file costs one pragma per interval.

#include "storage/change_sink.hpp"

#include <SQLiteCpp/Database.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

namespace stork {

class SqliteChangeFeed final : public ChangeFeed {
 public:
  static constexpr std::chrono::milliseconds kDefaultInterval{10};

  // Opens its own connection to path (throws StoreError when it cannot)
  // and starts polling: sink.feed_live() once the feed knows where the log
  // stands, normally before the constructor returns.
  SqliteChangeFeed(const std::string& path, ChangeSink& sink,
                   std::chrono::milliseconds interval = kDefaultInterval);
  // Stops the thread at once (it waits on a condition variable, not a sleep).
  ~SqliteChangeFeed() override;
  SqliteChangeFeed(const SqliteChangeFeed&) = delete;
  SqliteChangeFeed& operator=(const SqliteChangeFeed&) = delete;

 private:
  void run();
  // One look at the file. A failure (busy, I/O) tells the sink feed_lost
  // once; the next good poll delivers what was missed, then feed_live.
  void poll();
  void deliver_since_last();
  void deliver(std::string_view key);

  ChangeSink& sink_;
  const std::chrono::milliseconds interval_;
  SQLite::Database db_;
  std::optional<std::int64_t> last_seq_;  // empty until the first good poll
  std::optional<int> data_version_;       // empty: read the log regardless
  bool live_ = false;

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;  // last: started once everything above exists
};

}  // namespace stork
