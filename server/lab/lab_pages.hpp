#pragma once
// The pages of saved lab reports, rendered on the server (no script): one
// report, and several side by side as a browser x capability table.

#include "lab/lab_report_store.hpp"

#include <string>
#include <vector>

namespace stork {

// HTML text and attribute escaping.
std::string html_escape(std::string_view text);

std::string render_lab_report_page(const LabReport& report, const std::string& public_origin);

// `missing`: ids asked for that are unknown or expired (named on the page).
std::string render_lab_compare_page(const std::vector<LabReport>& reports,
                                    const std::vector<std::string>& missing);

}  // namespace stork
