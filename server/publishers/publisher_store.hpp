#pragma once
// Where registered publishers and their origins live. The operator's
// commands write through this interface; request handlers read through
// PublisherDirectory, a cache over it. Every backend must pass
// tests/unit/publisher_store_contract.hpp.
//
// Keys, names and origins arrive already checked and normalized
// (publisher_key_violation, publisher_name_violation, normalize_origin).

#include "clock.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace stork {

struct Publisher {
  std::string key;           // the snippet's data-publisher value
  std::string display_name;  // what readers are told, e.g. "Shutterbug Weekly"
  std::vector<std::string> origins;  // sorted (byte order)
  UnixSeconds created_at = 0;
};

// What a change to one origin of one publisher did.
enum class OriginChange {
  changed,       // added, or removed
  unchanged,     // already there (add), or not there (remove)
  no_publisher,  // no publisher has that key
};

class PublisherStore {
 public:
  virtual ~PublisherStore() = default;

  // Registers the publisher if its key is new (named display_name, or by
  // its key when none is given), renames it if it exists and a name is
  // given, and adds the origins it lacks: one transaction. Returns whether
  // the publisher is new.
  virtual bool add(const std::string& key, const std::optional<std::string>& display_name,
                   const std::vector<std::string>& origins, UnixSeconds now) = 0;

  virtual std::optional<Publisher> find(const std::string& key) = 0;
  // Every publisher, ordered by key (byte order), with or without origins.
  virtual std::vector<Publisher> list() = 0;

  virtual OriginChange add_origin(const std::string& key, const std::string& origin) = 0;
  virtual OriginChange remove_origin(const std::string& key, const std::string& origin) = 0;

  // Removes the publisher and its origins. Returns whether there was one.
  virtual bool remove(const std::string& key) = 0;

  // A number that changes whenever a publisher or an origin does, through
  // any process on the same store, once that change is committed: one
  // indexed read, so that every process may ask it several times a second.
  virtual std::int64_t version() = 0;
};

}  // namespace stork
