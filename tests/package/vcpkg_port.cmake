# SPDX-License-Identifier: BSL-1.0
# Runs packaging/vcpkg/tiermargin/portfile.cmake without vcpkg: the vcpkg helper functions the port calls are
# replaced by small stand-ins below (plain cmake configure/install; the config fixup's move and prefix
# correction as vcpkg documents them; a pkg-config check), then the installed tree is checked and, after
# moving it elsewhere as vcpkg moves packages/<port> into installed/, found with find_package.
# What this cannot show: that vcpkg itself accepts vcpkg.json, resolves the dependency ports, or that its
# post-build lint passes (no vcpkg on this machine).
cmake_minimum_required(VERSION 3.25)
file(REMOVE_RECURSE "${WORK_DIR}")

set(PORT tiermargin)
set(port_dir "${SOURCE_DIR}/packaging/vcpkg/${PORT}")
file(READ "${port_dir}/vcpkg.json" manifest)
string(JSON VERSION GET "${manifest}" version-semver)
string(JSON port_name GET "${manifest}" name)
if(NOT port_name STREQUAL PORT)
  message(FATAL_ERROR "vcpkg.json names the port '${port_name}', the directory '${PORT}'")
endif()
set(CURRENT_PACKAGES_DIR "${WORK_DIR}/packages/${PORT}_x64-linux")
set(CURRENT_BUILDTREES_DIR "${WORK_DIR}/buildtrees/${PORT}")
set(CURRENT_INSTALLED_DIR "${WORK_DIR}/installed/x64-linux")
file(MAKE_DIRECTORY "${CURRENT_PACKAGES_DIR}" "${CURRENT_BUILDTREES_DIR}" "${CURRENT_INSTALLED_DIR}")

function(run_or_fail what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(rc)
    message(FATAL_ERROR "${what} failed:\n${out}")
  endif()
endfunction()

# --- stand-ins for the vcpkg helpers ---------------------------------------------------------------
function(vcpkg_from_github)
  message(FATAL_ERROR "the in-repository port must build the checkout it sits in, not download")
endfunction()

function(vcpkg_cmake_configure)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "SOURCE_PATH" "OPTIONS;OPTIONS_RELEASE;OPTIONS_DEBUG")
  if(NOT VCPKG_BUILD_TYPE STREQUAL "release")
    message(FATAL_ERROR "a header-only port builds one configuration (set(VCPKG_BUILD_TYPE release))")
  endif()
  run_or_fail("vcpkg_cmake_configure" "${CMAKE_COMMAND}" -S "${arg_SOURCE_PATH}"
              -B "${CURRENT_BUILDTREES_DIR}/x64-linux-rel" -DCMAKE_BUILD_TYPE=Release
              "-DCMAKE_INSTALL_PREFIX=${CURRENT_PACKAGES_DIR}" -DCMAKE_CXX_COMPILER=${CXX}
              -DFETCHCONTENT_FULLY_DISCONNECTED=ON ${arg_OPTIONS} ${arg_OPTIONS_RELEASE})
endfunction()

function(vcpkg_cmake_install)
  run_or_fail("vcpkg_cmake_install" "${CMAKE_COMMAND}" --install "${CURRENT_BUILDTREES_DIR}/x64-linux-rel")
endfunction()

# vcpkg moves CONFIG_PATH (default share/<package>) to share/<package>, then rewrites every *.cmake there as
# if it sat two levels below the prefix: _IMPORT_PREFIX goes up exactly two directories from the file, and
# PACKAGE_PREFIX_DIR is "${CMAKE_CURRENT_LIST_DIR}/../../". Files generated for another depth break.
function(vcpkg_cmake_config_fixup)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "PACKAGE_NAME;CONFIG_PATH" "")
  if(NOT arg_PACKAGE_NAME)
    set(arg_PACKAGE_NAME "${PORT}")
  endif()
  if(NOT arg_CONFIG_PATH)
    set(arg_CONFIG_PATH "share/${arg_PACKAGE_NAME}")
  endif()
  set(share "${CURRENT_PACKAGES_DIR}/share/${arg_PACKAGE_NAME}")
  if(NOT arg_CONFIG_PATH STREQUAL "share/${arg_PACKAGE_NAME}")
    file(GLOB files "${CURRENT_PACKAGES_DIR}/${arg_CONFIG_PATH}/*")
    file(COPY ${files} DESTINATION "${share}")
    file(REMOVE_RECURSE "${CURRENT_PACKAGES_DIR}/${arg_CONFIG_PATH}")
  endif()
  if(NOT EXISTS "${share}")
    message(FATAL_ERROR "vcpkg_cmake_config_fixup: '${share}' does not exist")
  endif()
  set(up "get_filename_component(_IMPORT_PREFIX \"\${_IMPORT_PREFIX}\" PATH)")
  file(GLOB_RECURSE cmake_files "${share}/*.cmake")
  foreach(cmake_file IN LISTS cmake_files)
    file(READ "${cmake_file}" text)
    string(REGEX REPLACE
           "get_filename_component\\(_IMPORT_PREFIX \"\\\${CMAKE_CURRENT_LIST_FILE}\" PATH\\)(\n[^\n]*_IMPORT_PREFIX[^\n]*\" PATH\\))*"
           "get_filename_component(_IMPORT_PREFIX \"\${CMAKE_CURRENT_LIST_FILE}\" PATH)\n${up}\n${up}" text "${text}")
    string(REGEX REPLACE
           "get_filename_component\\(PACKAGE_PREFIX_DIR \"\\\${CMAKE_CURRENT_LIST_DIR}/\\.\\./(\\.\\./)*\" ABSOLUTE\\)"
           "get_filename_component(PACKAGE_PREFIX_DIR \"\${CMAKE_CURRENT_LIST_DIR}/../../\" ABSOLUTE)" text "${text}")
    string(REPLACE "${CURRENT_PACKAGES_DIR}" "\${_IMPORT_PREFIX}" text "${text}")
    file(WRITE "${cmake_file}" "${text}")
  endforeach()
endfunction()

# vcpkg makes prefix= relative to ${pcfiledir} and checks each .pc with pkg-config --exists.
function(vcpkg_fixup_pkgconfig)
  file(GLOB_RECURSE pc_files "${CURRENT_PACKAGES_DIR}/*.pc")
  find_program(PKG_CONFIG NAMES pkg-config pkgconf)
  foreach(pc_file IN LISTS pc_files)
    file(READ "${pc_file}" text)
    if(text MATCHES "${CURRENT_PACKAGES_DIR}" OR NOT text MATCHES "(^|\n)prefix=\\\${pcfiledir}/")
      message(FATAL_ERROR "${pc_file} is not relocatable:\n${text}")
    endif()
    if(PKG_CONFIG)
      get_filename_component(pc_dir "${pc_file}" DIRECTORY)
      get_filename_component(pc_name "${pc_file}" NAME_WLE)
      set(ENV{PKG_CONFIG_PATH} "${pc_dir}")
      run_or_fail("pkg-config --exists ${pc_name}" "${PKG_CONFIG}" --print-errors --exists "${pc_name}")
    endif()
  endforeach()
endfunction()

function(vcpkg_install_copyright)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "" "FILE_LIST")
  set(text "")
  foreach(licence IN LISTS arg_FILE_LIST)
    file(READ "${licence}" part)
    string(APPEND text "${part}")
  endforeach()
  file(WRITE "${CURRENT_PACKAGES_DIR}/share/${PORT}/copyright" "${text}")
endfunction()

# --- the port --------------------------------------------------------------------------------------
include("${port_dir}/portfile.cmake")

# --- the installed tree ----------------------------------------------------------------------------
file(GLOB_RECURSE source_headers RELATIVE "${SOURCE_DIR}/include" "${SOURCE_DIR}/include/tiermargin/*.hpp")
file(GLOB_RECURSE installed_headers RELATIVE "${CURRENT_PACKAGES_DIR}/include"
     "${CURRENT_PACKAGES_DIR}/include/tiermargin/*.hpp")
list(SORT source_headers)
list(SORT installed_headers)
if(NOT source_headers STREQUAL installed_headers OR NOT source_headers)
  message(FATAL_ERROR "installed headers differ from include/tiermargin")
endif()
foreach(file IN ITEMS tiermarginConfig.cmake tiermarginConfigVersion.cmake tiermarginTargets.cmake usage copyright)
  if(NOT EXISTS "${CURRENT_PACKAGES_DIR}/share/${PORT}/${file}")
    message(FATAL_ERROR "share/${PORT}/${file} was not installed")
  endif()
endforeach()
foreach(absent IN ITEMS debug lib bin share/cmake)
  if(EXISTS "${CURRENT_PACKAGES_DIR}/${absent}")
    message(FATAL_ERROR "a header-only vcpkg package must not contain ${absent}/")
  endif()
endforeach()
file(GLOB_RECURSE all_files "${CURRENT_PACKAGES_DIR}/share/*")
foreach(file IN LISTS all_files)
  file(READ "${file}" text)
  if(text MATCHES "${WORK_DIR}")
    message(FATAL_ERROR "${file} contains the absolute build path ${WORK_DIR}")
  endif()
endforeach()

# vcpkg installs the package by moving the tree: find it there with the manifest's version.
file(COPY "${CURRENT_PACKAGES_DIR}/" DESTINATION "${CURRENT_INSTALLED_DIR}")
file(REMOVE_RECURSE "${CURRENT_PACKAGES_DIR}")
run_or_fail("find_package(tiermargin ${VERSION}) in the installed vcpkg tree" "${CMAKE_COMMAND}"
            -S "${SOURCE_DIR}/tests/package/find_version" -B "${WORK_DIR}/find" -DCMAKE_CXX_COMPILER=${CXX}
            -DREQUEST=${VERSION} "-DCMAKE_PREFIX_PATH=${CURRENT_INSTALLED_DIR}")
