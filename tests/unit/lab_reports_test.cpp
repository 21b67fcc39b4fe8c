// LabReports: validation, ids, expiry, and the pages' escaping.

#include "lab/lab_reports.hpp"

#include "http/api_types.hpp"
#include "lab/lab_pages.hpp"
#include "lab/sqlite_lab_report_store.hpp"
#include "storage/database.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

using namespace stork;

namespace {
constexpr UnixSeconds kT0 = 1'700'000'000;

int status_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const ClientError& e) {
    return e.status;
  }
  return 0;
}
}  // namespace

TEST_CASE("a saved report gets an unguessable id and expires after 30 days") {
  test::TempDir dir;
  Database db(dir.file("lab.db"));
  SqliteLabReportStore store(db);
  LabReports reports(store);
  const LabReport a = reports.save(R"({"lab":{"partitionedCookie":true},"note":"mine"})", "UA/1", kT0);
  const LabReport b = reports.save(R"({"lab":{}})", "UA/2", kT0);
  CHECK(a.id.size() == 32);
  CHECK(a.id != b.id);
  CHECK(a.note == "mine");
  CHECK(b.note.empty());
  CHECK(a.user_agent == "UA/1");
  REQUIRE(reports.find(a.id, kT0 + kLabReportSeconds - 1).has_value());
  CHECK(reports.find(a.id, kT0)->body == R"({"partitionedCookie":true})");
  CHECK_FALSE(reports.find(a.id, kT0 + kLabReportSeconds).has_value());
  CHECK_FALSE(reports.find("../../etc", kT0).has_value());
  CHECK_FALSE(reports.find(std::string(32, 'z'), kT0).has_value());
}

TEST_CASE("bad report bodies are refused and nothing is stored") {
  test::TempDir dir;
  Database db(dir.file("lab.db"));
  SqliteLabReportStore store(db);
  LabReports reports(store);
  CHECK(status_of([&] { reports.save("not json", "", kT0); }) == 400);
  CHECK(status_of([&] { reports.save(R"({"lab":[1,2]})", "", kT0); }) == 400);
  CHECK(status_of([&] { reports.save(R"({"note":"x"})", "", kT0); }) == 400);
  CHECK(status_of([&] { reports.save(R"({"lab":{},"note":5})", "", kT0); }) == 400);
  CHECK(status_of([&] { reports.save(R"({"lab":{},"note":")" + std::string(501, 'n') + "\"}", "", kT0); }) == 400);
  CHECK(status_of([&] {
          reports.save(R"({"lab":{"big":")" + std::string(kMaxLabReportBytes, 'x') + "\"}}", "", kT0);
        }) == 413);
  CHECK(db.connection().db().execAndGet("SELECT count(*) FROM lab_reports").getInt() == 0);
  // A long user agent is cut, not refused.
  const LabReport r = reports.save(R"({"lab":{}})", std::string(2000, 'u'), kT0);
  CHECK(r.user_agent.size() == kMaxLabUserAgentBytes);
}

TEST_CASE("compare ids: comma-separated, deduplicated, bounded") {
  CHECK(LabReports::parse_id_list("") .empty());
  CHECK(LabReports::parse_id_list("a,b, a,,c") == std::vector<std::string>{"a", "b", "c"});
  std::string many;
  for (int i = 0; i < 50; ++i) many += std::to_string(i) + ",";
  CHECK(LabReports::parse_id_list(many).size() == kMaxComparedReports);
}

TEST_CASE("browser labels for the matrix's engines") {
  CHECK(browser_label("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0") == "Firefox 128");
  CHECK(browser_label("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36") == "Chromium (headless) 156");
  CHECK(browser_label("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15") == "WebKit 18.0");
  CHECK(browser_label("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.2 Safari/605.1.15") == "Safari 18.2");
  CHECK(browser_label("") == "unknown browser");
}

TEST_CASE("report pages escape everything a tester typed or a browser sent") {
  LabReport r{std::string(32, 'a'), R"({"partitionedCookie":"<script>x</script>","framed":true})",
              "<img src=x onerror=alert(1)>", "Evil\"UA<", kT0, kT0 + kLabReportSeconds};
  const std::string page = render_lab_report_page(r, "https://w.example");
  CHECK(page.find("<img src=x") == std::string::npos);
  CHECK(page.find("<script>") == std::string::npos);
  CHECK(page.find("&lt;img src=x onerror=alert(1)&gt;") != std::string::npos);
  const std::string compare = render_lab_compare_page({r, r}, {"<b>"});
  CHECK(compare.find("<b>") == std::string::npos);
  CHECK(compare.find("&lt;b&gt;") != std::string::npos);
  CHECK(compare.find("2 browsers compared") != std::string::npos);
}
