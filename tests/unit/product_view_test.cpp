#include "catalog/product_view.hpp"

#include <doctest/doctest.h>

using namespace stork;

namespace {

Product camera() {
  Product p;
  p.id = 1337;
  p.name = "Camera Stork X100";
  p.brand = "Stork Optics";
  p.price_cents = 49999;
  p.currency = "EUR";
  p.image = "/assets/img/camera.svg";
  return p;
}

}  // namespace

TEST_CASE("anonymous product: every field, viewer null") {
  const nlohmann::json j = product_json(camera(), std::nullopt);
  CHECK(j["id"] == 1337);
  CHECK(j["name"] == "Camera Stork X100");
  CHECK(j["brand"] == "Stork Optics");
  CHECK(j["price"]["amount"].get<double>() == doctest::Approx(499.99));
  CHECK(j["price"]["currency"] == "EUR");
  CHECK(j["image"] == "/assets/img/camera.svg");
  CHECK(j["rating"]["average"].get<double>() == 0.0);
  CHECK(j["rating"]["count"] == 0);
  REQUIRE(j.contains("viewer"));
  CHECK(j["viewer"].is_null());
  CHECK(product_body(camera(), std::nullopt) == j.dump());
}

TEST_CASE("price amounts") {
  Product p = camera();
  p.price_cents = 100;
  CHECK(product_json(p, std::nullopt)["price"]["amount"].get<double>() == doctest::Approx(1.0));
  p.price_cents = 5;
  CHECK(product_json(p, std::nullopt)["price"]["amount"].get<double>() == doctest::Approx(0.05));
  p.price_cents = 0;
  CHECK(product_json(p, std::nullopt)["price"]["amount"].get<double>() == 0.0);
}

TEST_CASE("rating average is rounded to two decimals") {
  Product p = camera();
  const struct {
    std::int64_t sum, count;
    double average;
  } cases[] = {{7, 3, 2.33}, {5, 3, 1.67}, {9, 2, 4.5}, {5, 1, 5.0}, {2, 3, 0.67}, {14, 3, 4.67}};
  for (const auto& c : cases) {
    CAPTURE(c.sum);
    CAPTURE(c.count);
    p.rating_sum = c.sum;
    p.rating_count = c.count;
    const nlohmann::json j = product_json(p, std::nullopt);
    CHECK(j["rating"]["average"].get<double>() == doctest::Approx(c.average).epsilon(1e-9));
    CHECK(j["rating"]["count"] == c.count);
    CHECK(j.dump().find("\"average\":" + nlohmann::json(c.average).dump()) != std::string::npos);
  }
}

TEST_CASE("viewer filled for a signed-in visitor") {
  const User alice{42, "alice", "Alice", "Archer", false};
  SUBCASE("nothing done yet") {
    const nlohmann::json j = product_json(camera(), Viewer{alice, ViewerState{}});
    REQUIRE(j["viewer"].is_object());
    CHECK(j["viewer"]["username"] == "alice");
    CHECK(j["viewer"]["first"] == "Alice");
    CHECK(j["viewer"]["last"] == "Archer");
    CHECK(j["viewer"]["rating"].is_null());
    CHECK(j["viewer"]["wishlisted"] == false);
    CHECK_FALSE(j["viewer"].contains("id"));
  }
  SUBCASE("rated and wishlisted") {
    const nlohmann::json j = product_json(camera(), Viewer{alice, ViewerState{4, true}});
    CHECK(j["viewer"]["rating"] == 4);
    CHECK(j["viewer"]["wishlisted"] == true);
  }
}
