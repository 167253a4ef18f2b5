# Builds tests/package/consumer against tiermargin in one of three ways (MODE) and runs it.
file(REMOVE_RECURSE "${WORK_DIR}")
set(consumer_args "")
if(MODE STREQUAL "find_package")
  execute_process(COMMAND "${CMAKE_COMMAND}" -S "${SOURCE_DIR}" -B "${WORK_DIR}/lib-build"
                          -DCMAKE_CXX_COMPILER=${CXX} -DTIERMARGIN_BUILD_TESTS=OFF
                          -DTIERMARGIN_BUILD_BENCHMARKS=OFF -DTIERMARGIN_BUILD_EXAMPLES=OFF
                          -DTIERMARGIN_INSTALL=ON -DCMAKE_INSTALL_PREFIX=${WORK_DIR}/prefix
                  RESULT_VARIABLE rc)
  if(rc)
    message(FATAL_ERROR "configuring the library failed")
  endif()
  execute_process(COMMAND "${CMAKE_COMMAND}" --install "${WORK_DIR}/lib-build" RESULT_VARIABLE rc)
  if(rc)
    message(FATAL_ERROR "installing the library failed")
  endif()
  if(NOT EXISTS "${WORK_DIR}/prefix/share/pkgconfig/tiermargin.pc")
    message(FATAL_ERROR "pkg-config file was not installed")
  endif()
  list(APPEND consumer_args -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix)
endif()
execute_process(COMMAND "${CMAKE_COMMAND}" -S "${SOURCE_DIR}/tests/package/consumer" -B "${WORK_DIR}/build"
                        -DCMAKE_CXX_COMPILER=${CXX} -DMODE=${MODE} -DTIERMARGIN_SOURCE=${SOURCE_DIR}
                        ${consumer_args}
                RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "configuring the consumer (${MODE}) failed")
endif()
execute_process(COMMAND "${CMAKE_COMMAND}" --build "${WORK_DIR}/build" RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "building the consumer (${MODE}) failed")
endif()
execute_process(COMMAND "${WORK_DIR}/build/consumer" RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "the consumer (${MODE}) returned ${rc}")
endif()
