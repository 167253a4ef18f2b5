# SPDX-License-Identifier: BSL-1.0
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(TIERMARGIN_CMAKE_DIR "${CMAKE_INSTALL_DATADIR}/cmake/tiermargin")
install(TARGETS tiermargin EXPORT tiermarginTargets FILE_SET HEADERS)
install(EXPORT tiermarginTargets NAMESPACE tiermargin:: DESTINATION "${TIERMARGIN_CMAKE_DIR}")
export(EXPORT tiermarginTargets NAMESPACE tiermargin::
       FILE "${PROJECT_BINARY_DIR}/tiermarginTargets.cmake")

configure_package_config_file(cmake/tiermarginConfig.cmake.in
  "${PROJECT_BINARY_DIR}/tiermarginConfig.cmake" INSTALL_DESTINATION "${TIERMARGIN_CMAKE_DIR}")
write_basic_package_version_file("${PROJECT_BINARY_DIR}/tiermarginConfigVersion.cmake"
  COMPATIBILITY SameMajorVersion ARCH_INDEPENDENT)
install(FILES "${PROJECT_BINARY_DIR}/tiermarginConfig.cmake"
              "${PROJECT_BINARY_DIR}/tiermarginConfigVersion.cmake"
        DESTINATION "${TIERMARGIN_CMAKE_DIR}")

configure_file(cmake/tiermargin.pc.in "${PROJECT_BINARY_DIR}/tiermargin.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/tiermargin.pc" DESTINATION "${CMAKE_INSTALL_DATADIR}/pkgconfig")
