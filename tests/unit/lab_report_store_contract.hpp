#pragma once
// The contract every LabReportStore backend must pass. A backend's test
// provides a harness type H with a default constructor that makes a fresh,
// empty store, and `LabReportStore& store()`; then:
// TEST_CASE_TEMPLATE_INVOKE(lab_report_store_contract, H);

#include "lab/lab_report_store.hpp"
#include "sessions/token.hpp"

#include <doctest/doctest.h>

TEST_CASE_TEMPLATE_DEFINE("LabReportStore contract", Harness, lab_report_store_contract) {
  using namespace stork;
  Harness harness;
  LabReportStore& store = harness.store();
  constexpr UnixSeconds t0 = 1'700'000'000;
  const auto report = [&](UnixSeconds created, UnixSeconds ttl) {
    return LabReport{random_hex(16), R"({"partitionedCookie":true,"note":"ü"})", "Firefox, strict mode ✓",
                     "Mozilla/5.0 Contract", created, created + ttl};
  };

  SUBCASE("insert then find gives every field until it expires") {
    const LabReport r = report(t0, 100);
    store.insert(r);
    const auto found = store.find(r.id, t0 + 99);
    REQUIRE(found.has_value());
    CHECK(found->id == r.id);
    CHECK(found->body == r.body);
    CHECK(found->note == r.note);
    CHECK(found->user_agent == r.user_agent);
    CHECK(found->created_at == t0);
    CHECK(found->expires_at == t0 + 100);
    CHECK_FALSE(store.find(r.id, t0 + 100).has_value());
    CHECK_FALSE(store.find(random_hex(16), t0).has_value());
  }

  SUBCASE("purge_expired removes expired reports only") {
    const LabReport short_lived = report(t0, 10);
    const LabReport long_lived = report(t0, 1000);
    store.insert(short_lived);
    store.insert(long_lived);
    CHECK(store.purge_expired(t0 + 10) == 1);
    CHECK_FALSE(store.find(short_lived.id, t0).has_value());
    CHECK(store.find(long_lived.id, t0 + 10).has_value());
  }
}
