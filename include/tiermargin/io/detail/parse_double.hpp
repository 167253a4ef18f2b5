// SPDX-License-Identifier: BSL-1.0
/// @file parse_double.hpp  Correctly rounded decimal text to double on every standard library.
///
/// `std::from_chars` for floating point is the exact, locale-free parser, but libc++ before 20 (Apple clang,
/// Debian's libc++ 14) does not provide it. There the C library's `strtod_l` in the "C" locale does the same
/// job: glibc, musl, Apple's libc and the Microsoft CRT all round correctly, and the explicit locale makes the
/// result independent of `setlocale`. Both paths report the same outcomes as libstdc++'s `from_chars`: a
/// finite non-zero value that rounds to infinity or to zero is out of range, a subnormal is not.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <string>
#include <string_view>

#if defined(__cpp_lib_to_chars) && __cpp_lib_to_chars >= 201611L && !defined(TIERMARGIN_NO_FLOAT_FROM_CHARS)
#include <charconv>
#include <system_error>
#define TIERMARGIN_HAS_FLOAT_FROM_CHARS 1
#else
#define TIERMARGIN_HAS_FLOAT_FROM_CHARS 0
#endif

#if defined(_WIN32)
#include <locale.h>
#else
#include <locale.h>
#if defined(__APPLE__) || defined(__FreeBSD__)
#include <xlocale.h>
#endif
#endif

#include "../../config.hpp"

TIERMARGIN_NAMESPACE_BEGIN

namespace io::detail {

/// Result of parse_double: the value is written only when `ok`.
enum class double_parse { ok, malformed, out_of_range };

#if TIERMARGIN_HAS_FLOAT_FROM_CHARS
/// `text` must be [-]digits[.digits][(e|E)[+-]digits] (no '+', no spaces). Locale-free, no allocation.
inline double_parse parse_double_from_chars(std::string_view text, double& out) noexcept {
  double v = 0.0;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), v);
  if (result.ec == std::errc::result_out_of_range) return double_parse::out_of_range;
  if (result.ec != std::errc{} || result.ptr != text.data() + text.size()) return double_parse::malformed;
  out = v;
  return double_parse::ok;
}
#endif

/// The same contract through the C library's `strtod_l` in the "C" locale (created once, on first use, and
/// never changed; thread-safe). Copies the text to a stack buffer (a heap one beyond 256 characters).
inline double_parse parse_double_strtod(std::string_view text, double& out) noexcept {
  if (text.empty()) return double_parse::malformed;
  char stack_buffer[256];
  std::string heap_buffer;
  const char* begin = nullptr;
  if (text.size() < sizeof stack_buffer) {
    text.copy(stack_buffer, text.size());
    stack_buffer[text.size()] = '\0';
    begin = stack_buffer;
  } else {
    heap_buffer.assign(text);  // a number this long is rare; without exceptions an allocation failure aborts
    begin = heap_buffer.c_str();
  }
  char* end = nullptr;
#if defined(_WIN32)
  static const _locale_t c_locale = _create_locale(LC_NUMERIC, "C");
  const double v = c_locale ? _strtod_l(begin, &end, c_locale) : std::strtod(begin, &end);
#else
  static const locale_t c_locale = newlocale(LC_NUMERIC_MASK, "C", static_cast<locale_t>(nullptr));
  const double v = c_locale ? strtod_l(begin, &end, c_locale) : std::strtod(begin, &end);
#endif
  if (end != begin + text.size()) return double_parse::malformed;
  // strtod sets ERANGE for subnormal results too; from_chars does not. Decide from the value instead: an
  // infinity came from a finite overflow, and a zero from non-zero digits is an underflow.
  if (v - v != 0.0) return double_parse::out_of_range;  // +-inf (NaN cannot come from validated text)
  if (v == 0.0) {
    for (const char c : text) {
      if (c == 'e' || c == 'E') break;
      if (c >= '1' && c <= '9') return double_parse::out_of_range;
    }
  }
  out = v;
  return double_parse::ok;
}

/// Correctly rounded parse of validated number text: `from_chars` where the library has it, else strtod_l.
inline double_parse parse_double(std::string_view text, double& out) noexcept {
#if TIERMARGIN_HAS_FLOAT_FROM_CHARS
  return parse_double_from_chars(text, out);
#else
  return parse_double_strtod(text, out);
#endif
}

}  // namespace io::detail

TIERMARGIN_NAMESPACE_END
