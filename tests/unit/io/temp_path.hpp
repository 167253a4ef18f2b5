// SPDX-License-Identifier: BSL-1.0
// A temporary file path unique to this process and call (ctest may run test binaries in parallel), removed
// when the object goes out of scope.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <random>
#include <string>
#include <system_error>

namespace test_support {

class temp_path {
 public:
  /// A path in the system temporary directory that does not exist yet: "<stem>-<random>-<n><extension>".
  temp_path(const std::string& stem, const std::string& extension) {
    static std::atomic<std::uint64_t> counter{0};
    std::random_device device;
    const auto clock = static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
    std::error_code ec;
    do {
      const std::uint64_t salt = (static_cast<std::uint64_t>(device()) << 32) ^ device() ^ clock;
      m_path = std::filesystem::temp_directory_path() /
               (stem + "-" + std::to_string(salt) + "-" + std::to_string(counter++) + extension);
    } while (std::filesystem::exists(m_path, ec));
  }
  temp_path(const temp_path&) = delete;
  temp_path& operator=(const temp_path&) = delete;
  ~temp_path() {
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
  }
  std::string string() const { return m_path.string(); }
  const std::filesystem::path& path() const noexcept { return m_path; }

 private:
  std::filesystem::path m_path;
};

}  // namespace test_support
