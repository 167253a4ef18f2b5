# SPDX-License-Identifier: BSL-1.0
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(TIERMARGIN_INSTALL_CMAKEDIR "${CMAKE_INSTALL_DATADIR}/cmake/tiermargin" CACHE STRING
    "Where the CMake package files go, relative to the prefix (vcpkg uses share/tiermargin)")
set(TIERMARGIN_INSTALL_PKGCONFIGDIR "${CMAKE_INSTALL_DATADIR}/pkgconfig" CACHE STRING
    "Where tiermargin.pc goes, relative to the prefix")
install(TARGETS tiermargin EXPORT tiermarginTargets FILE_SET HEADERS)
install(EXPORT tiermarginTargets NAMESPACE tiermargin:: DESTINATION "${TIERMARGIN_INSTALL_CMAKEDIR}")
export(EXPORT tiermarginTargets NAMESPACE tiermargin::
       FILE "${PROJECT_BINARY_DIR}/tiermarginTargets.cmake")

configure_package_config_file(cmake/tiermarginConfig.cmake.in
  "${PROJECT_BINARY_DIR}/tiermarginConfig.cmake" INSTALL_DESTINATION "${TIERMARGIN_INSTALL_CMAKEDIR}")
# Before 1.0 a minor release may break the API (CHANGELOG.md), so find_package(tiermargin 0.1) accepts
# 0.1.x only; from 1.0 on, any later release of the same major version.
if(PROJECT_VERSION_MAJOR EQUAL 0)
  set(TIERMARGIN_VERSION_COMPATIBILITY SameMinorVersion)
else()
  set(TIERMARGIN_VERSION_COMPATIBILITY SameMajorVersion)
endif()
write_basic_package_version_file("${PROJECT_BINARY_DIR}/tiermarginConfigVersion.cmake"
  COMPATIBILITY ${TIERMARGIN_VERSION_COMPATIBILITY} ARCH_INDEPENDENT)
install(FILES "${PROJECT_BINARY_DIR}/tiermarginConfig.cmake"
              "${PROJECT_BINARY_DIR}/tiermarginConfigVersion.cmake"
        DESTINATION "${TIERMARGIN_INSTALL_CMAKEDIR}")

# pkg-config: a URL field only when a homepage is known (TIERMARGIN_HOMEPAGE_URL).
if(PROJECT_HOMEPAGE_URL)
  set(TIERMARGIN_PC_URL_LINE "URL: ${PROJECT_HOMEPAGE_URL}\n")
else()
  set(TIERMARGIN_PC_URL_LINE "")
endif()
# prefix relative to ${pcfiledir}, so the installed tree can move.
cmake_path(ABSOLUTE_PATH TIERMARGIN_INSTALL_PKGCONFIGDIR BASE_DIRECTORY "${CMAKE_INSTALL_PREFIX}"
           OUTPUT_VARIABLE TIERMARGIN_PC_DIR)
file(RELATIVE_PATH TIERMARGIN_PC_TO_PREFIX "${TIERMARGIN_PC_DIR}" "${CMAKE_INSTALL_PREFIX}")
string(REGEX REPLACE "/$" "" TIERMARGIN_PC_TO_PREFIX "${TIERMARGIN_PC_TO_PREFIX}")
configure_file(cmake/tiermargin.pc.in "${PROJECT_BINARY_DIR}/tiermargin.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/tiermargin.pc" DESTINATION "${TIERMARGIN_INSTALL_PKGCONFIGDIR}")
