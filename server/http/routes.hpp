#pragma once
// Route tables, one function per area. Handlers are thin: decode, call
// the domain, encode.

#include "app.hpp"

#include <httplib.h>

namespace stork {

void register_auth_routes(httplib::Server& server, App& app);     // login, logout, me, sessions
void register_catalog_routes(httplib::Server& server, App& app);  // products, rating, wishlist
void register_page_routes(httplib::Server& server, App& app);     // widget, login, lab, assets, ops
void register_token_routes(httplib::Server& server, App& app);    // refresh tokens of kept sign-ins
void register_lab_routes(httplib::Server& server, App& app);      // lab server view and saved reports
void register_account_routes(httplib::Server& server, App& app);  // sign-up, account, reset links
void register_identity_routes(httplib::Server& server, App& app); // publisher-asserted sign-in

}  // namespace stork
