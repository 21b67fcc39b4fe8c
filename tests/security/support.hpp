#pragma once
// The name process_test.cpp includes the HTTP helpers by; they live in
// tests/support/ now, with the in-process server the security suite uses.

#include "http_client.hpp"
#include "test_support.hpp"

namespace stork::test {
using LoggedIn = Login;
}  // namespace stork::test
