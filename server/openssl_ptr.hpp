#pragma once
// Ownership of OpenSSL objects: a unique_ptr that frees with the object's
// own *_free function, so every BIO, key and context is released on every
// path, exceptions included.

#include <memory>

namespace stork {

template <auto Free>
struct OpenSslFree {
  template <typename T>
  void operator()(T* p) const { Free(p); }
};

// e.g. OpenSslPtr<EVP_PKEY, EVP_PKEY_free>
template <typename T, auto Free>
using OpenSslPtr = std::unique_ptr<T, OpenSslFree<Free>>;

}  // namespace stork
