// SPDX-License-Identifier: BSL-1.0
/// @file xoshiro256.hpp  xoshiro256++ (Blackman & Vigna 2019), a fast 64-bit engine for Monte Carlo.
///
/// Satisfies std::uniform_random_bit_generator and `full_64bit_engine` (monte_carlo.hpp). Fully specified
/// integer arithmetic, so the stream is identical on every platform. The 256-bit state is seeded from one
/// 64-bit value by four splitmix64 outputs, as the authors recommend. Cheaper per word than std::mt19937_64
/// (README, Benchmarks: Monte Carlo); period 2^256 - 1. Not cryptographic.
#pragma once

#include <cstdint>
#include <limits>

#include "../config.hpp"

TIERMARGIN_NAMESPACE_BEGIN

/// The xoshiro256++ engine: 256 bits of state, 64-bit outputs, copyable and comparable; no global state.
class xoshiro256pp {
 public:
  using result_type = std::uint64_t;  ///< one 64-bit word per call
  /// Smallest output, 0.
  static constexpr result_type min() noexcept { return 0; }
  /// Largest output, 2^64 - 1 (every bit is random).
  static constexpr result_type max() noexcept { return std::numeric_limits<result_type>::max(); }

  /// Seeded from splitmix64(seed); the default seed is 0.
  explicit constexpr xoshiro256pp(std::uint64_t seed = 0) noexcept {
    for (auto& word : m_s) {
      seed += 0x9e3779b97f4a7c15ULL;
      std::uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      word = z ^ (z >> 31);
    }
  }

  /// The next word of the stream; advances the state. O(1).
  constexpr result_type operator()() noexcept {
    const std::uint64_t result = rotl(m_s[0] + m_s[3], 23) + m_s[0];
    const std::uint64_t t = m_s[1] << 17;
    m_s[2] ^= m_s[0];
    m_s[3] ^= m_s[1];
    m_s[1] ^= m_s[2];
    m_s[0] ^= m_s[3];
    m_s[2] ^= t;
    m_s[3] = rotl(m_s[3], 45);
    return result;
  }

  /// Equal states produce equal streams.
  friend constexpr bool operator==(const xoshiro256pp&, const xoshiro256pp&) = default;

 private:
  std::uint64_t m_s[4]{};
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
};

TIERMARGIN_NAMESPACE_END
