#pragma once
// The demo publisher site's own reader sign-in (identity/demo_reader.hpp).
// A first-party cookie on the publisher's origin says Jane is signed in to
// Shutterbug Weekly; every page she views then carries a fresh identity
// token on the embed snippet, so the widget is signed in on first paint.
// Signing out of the site tells the widget too (Stork.signOut()).

#include "identity/demo_reader.hpp"

#include <httplib.h>

#include <string>

namespace stork {

void register_demo_reader_routes(httplib::Server& server, const DemoReaderBackend& backend, bool secure);

// Fills the page's {{READER}} (sign-in or sign-out form) and
// {{STORK_IDENTITY}} (the token attribute of the snippet, or nothing).
void fill_demo_reader(std::string& page, const httplib::Request& req, const DemoReaderBackend* backend);

}  // namespace stork
