# SPDX-License-Identifier: BSL-1.0
# vcpkg port of tiermargin (header-only). It builds the repository it sits in, so use it as an overlay port:
#   vcpkg install tiermargin --overlay-ports=<tiermargin>/packaging/vcpkg
# or, in manifest mode, "vcpkg-configuration.json": {"overlay-ports": ["<tiermargin>/packaging/vcpkg"]}.
# A registry copy of this port replaces the next statement with the release tarball of tag v${VERSION}:
#   vcpkg_from_github(OUT_SOURCE_PATH SOURCE_PATH REPO <owner>/tiermargin REF "v${VERSION}"
#                     SHA512 <sha512 of that tarball> HEAD_REF main)
# (no public repository exists yet, so there is no REPO to name).
get_filename_component(SOURCE_PATH "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)

set(VCPKG_BUILD_TYPE release)  # header-only: one configuration

vcpkg_cmake_configure(
  SOURCE_PATH "${SOURCE_PATH}"
  OPTIONS
    -DTIERMARGIN_BUILD_TESTS=OFF
    -DTIERMARGIN_BUILD_BENCHMARKS=OFF
    -DTIERMARGIN_BUILD_EXAMPLES=OFF
    -DTIERMARGIN_INSTALL=ON
    -DTIERMARGIN_INSTALL_CMAKEDIR=share/${PORT}
)
vcpkg_cmake_install()
vcpkg_cmake_config_fixup()   # the package files are already in share/tiermargin
vcpkg_fixup_pkgconfig()

file(REMOVE_RECURSE "${CURRENT_PACKAGES_DIR}/debug" "${CURRENT_PACKAGES_DIR}/lib")
file(INSTALL "${CMAKE_CURRENT_LIST_DIR}/usage" DESTINATION "${CURRENT_PACKAGES_DIR}/share/${PORT}")
vcpkg_install_copyright(FILE_LIST "${SOURCE_PATH}/LICENSE")
