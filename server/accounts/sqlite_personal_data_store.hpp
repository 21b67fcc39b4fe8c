#pragma once

#include "accounts/personal_data_store.hpp"
#include "storage/database.hpp"

namespace stork {

class SqlitePersonalDataStore final : public PersonalDataStore {
 public:
  explicit SqlitePersonalDataStore(Database& db) : db_(db) {}

  std::optional<PersonalData> collect(std::int64_t user_id) override;
  bool erase(std::int64_t user_id) override;

 private:
  Database& db_;
};

}  // namespace stork
