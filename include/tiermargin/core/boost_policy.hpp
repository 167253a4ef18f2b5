// SPDX-License-Identifier: BSL-1.0
/// @file boost_policy.hpp  Adapter from our error policy to a Boost.Math policy.
///
/// Boost.Math is always called with errors set to `ignore_error` (it returns NaN/inf instead of throwing
/// behind our back) and with float/double promotion off (the fast path). Callers check the result and
/// report through our own error policy, so the message names *our* function and argument.
#pragma once

#include <boost/math/policies/policy.hpp>

#include "../config.hpp"

TIERMARGIN_NAMESPACE_BEGIN

/// The Boost.Math policy every tiermargin call into Boost.Math uses.
using boost_math_policy = boost::math::policies::policy<
    boost::math::policies::domain_error<boost::math::policies::ignore_error>,
    boost::math::policies::pole_error<boost::math::policies::ignore_error>,
    boost::math::policies::overflow_error<boost::math::policies::ignore_error>,
    boost::math::policies::underflow_error<boost::math::policies::ignore_error>,
    boost::math::policies::evaluation_error<boost::math::policies::ignore_error>,
    boost::math::policies::rounding_error<boost::math::policies::ignore_error>,
    boost::math::policies::indeterminate_result_error<boost::math::policies::ignore_error>,
    boost::math::policies::promote_float<false>, boost::math::policies::promote_double<false>>;

TIERMARGIN_NAMESPACE_END
