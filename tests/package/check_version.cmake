# SPDX-License-Identifier: BSL-1.0
# Installs tiermargin into WORK_DIR/prefix and checks what a packager and a consumer see:
#  - find_package(tiermargin 0.1) and 0.1.0 are accepted; 0.0, 0.2 and 1.0 are rejected by the version file
#    (while at 0.x, SameMinorVersion: a 0.2 may break 0.1 code, and 0.1 does not provide a 0.0 API either);
#  - from 1.0 on the rule is SameMajorVersion (a copy of the project set to 1.2.0, installed beside);
#  - the installed version.hpp agrees with the package version (tests/package/find_version);
#  - tiermargin.pc is valid, reports PROJECT_VERSION and has a URL field only when TIERMARGIN_HOMEPAGE_URL is set.
# Configure steps only: nothing is compiled.
cmake_minimum_required(VERSION 3.25)
file(REMOVE_RECURSE "${WORK_DIR}")

function(run_or_fail what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(rc)
    message(FATAL_ERROR "${what} failed:\n${out}")
  endif()
endfunction()

set(lib_args -DCMAKE_CXX_COMPILER=${CXX} -DTIERMARGIN_BUILD_TESTS=OFF -DTIERMARGIN_BUILD_BENCHMARKS=OFF
             -DTIERMARGIN_BUILD_EXAMPLES=OFF -DTIERMARGIN_INSTALL=ON)
run_or_fail("configuring the library" "${CMAKE_COMMAND}" -S "${SOURCE_DIR}" -B "${WORK_DIR}/lib-build"
            ${lib_args} "-DCMAKE_INSTALL_PREFIX=${WORK_DIR}/prefix")
run_or_fail("installing the library" "${CMAKE_COMMAND}" --install "${WORK_DIR}/lib-build")

# find_package(tiermargin <request>) against <prefix>: accepted when <accepted_regex> matches the request.
function(check_requests prefix accepted_regex)
  foreach(request IN LISTS ARGN)
    execute_process(COMMAND "${CMAKE_COMMAND}" -S "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/find_version"
                            -B "${prefix}-find_${request}" -DCMAKE_CXX_COMPILER=${CXX} -DREQUEST=${request}
                            "-DCMAKE_PREFIX_PATH=${prefix}" ${find_args}
                    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
    if(request MATCHES "${accepted_regex}")
      if(rc)
        message(FATAL_ERROR "find_package(tiermargin ${request}) must succeed:\n${out}")
      endif()
    elseif(NOT rc)
      message(FATAL_ERROR "find_package(tiermargin ${request}) must be rejected, but it succeeded:\n${out}")
    elseif(NOT out MATCHES "compatible with requested version \"${request}\"")
      message(FATAL_ERROR "find_package(tiermargin ${request}) failed for another reason than the version:\n${out}")
    endif()
  endforeach()
endfunction()
check_requests("${WORK_DIR}/prefix" "^0\\.1" 0.1 0.1.0 0.0 0.2 1.0)

# From 1.0 on the rule becomes SameMajorVersion by itself: a copy of the project with its version set to
# 1.2.0 accepts 1.0 and 1.2, and rejects 1.3 (newer than installed), 2.0 and 0.1.
set(copy "${WORK_DIR}/source-1.2.0")
file(COPY "${SOURCE_DIR}/CMakeLists.txt" "${SOURCE_DIR}/LICENSE" "${SOURCE_DIR}/cmake" "${SOURCE_DIR}/include"
     DESTINATION "${copy}")
file(READ "${copy}/CMakeLists.txt" text)
string(REGEX REPLACE "project\\(tiermargin VERSION [0-9.]+" "project(tiermargin VERSION 1.2.0" text "${text}")
file(WRITE "${copy}/CMakeLists.txt" "${text}")
run_or_fail("configuring the 1.2.0 copy" "${CMAKE_COMMAND}" -S "${copy}" -B "${WORK_DIR}/lib-build-1.2.0"
            ${lib_args} "-DCMAKE_INSTALL_PREFIX=${WORK_DIR}/prefix-1.2.0")
run_or_fail("installing the 1.2.0 copy" "${CMAKE_COMMAND}" --install "${WORK_DIR}/lib-build-1.2.0")
set(find_args -DCHECK_HEADER=OFF)  # its version.hpp still says the real version
check_requests("${WORK_DIR}/prefix-1.2.0" "^1\\.[0-2]" 1.0 1.2 1.2.0 1.3 2.0 0.1)

# pkg-config: the default has no homepage, so no URL field.
set(pc "${WORK_DIR}/prefix/share/pkgconfig/tiermargin.pc")
file(READ "${pc}" pc_text)
if(pc_text MATCHES "(^|\n)URL:")
  message(FATAL_ERROR "tiermargin.pc has a URL field although no homepage was set:\n${pc_text}")
endif()
find_program(PKG_CONFIG NAMES pkg-config pkgconf)
if(PKG_CONFIG)
  set(ENV{PKG_CONFIG_PATH} "${WORK_DIR}/prefix/share/pkgconfig")
  run_or_fail("pkg-config --validate tiermargin.pc" "${PKG_CONFIG}" --validate tiermargin)
  execute_process(COMMAND "${PKG_CONFIG}" --modversion tiermargin OUTPUT_VARIABLE pc_version
                  OUTPUT_STRIP_TRAILING_WHITESPACE)
  file(STRINGS "${SOURCE_DIR}/CMakeLists.txt" project_line REGEX "^project\\(tiermargin VERSION ")
  string(REGEX MATCH "VERSION ([0-9.]+)" _ "${project_line}")
  if(NOT pc_version STREQUAL CMAKE_MATCH_1)
    message(FATAL_ERROR "pkg-config reports version '${pc_version}', CMakeLists.txt '${CMAKE_MATCH_1}'")
  endif()
endif()

# A packager's homepage reaches the .pc (configure only).
set(url "https://homepage.test/tiermargin")
run_or_fail("configuring the library with a homepage" "${CMAKE_COMMAND}" -S "${SOURCE_DIR}"
            -B "${WORK_DIR}/lib-build-url" ${lib_args} "-DTIERMARGIN_HOMEPAGE_URL=${url}")
file(READ "${WORK_DIR}/lib-build-url/tiermargin.pc" pc_text)
if(NOT pc_text MATCHES "\nURL: ${url}\nVersion: ")
  message(FATAL_ERROR "tiermargin.pc lacks 'URL: ${url}':\n${pc_text}")
endif()
