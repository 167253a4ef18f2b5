# SPDX-License-Identifier: BSL-1.0
# Runs a README snippet program and checks its output (convention: tests/readme/CMakeLists.txt).
#   PROGRAM   the snippet's executable; it must exit with 0
#   EXPECTED  path prefix of <EXPECTED>.values (numbers that must appear as whole tokens in the output,
#             one a line) and <EXPECTED>.expect (lines that must appear as whole output lines)
#   WHERE     README.md:<line> of the block, for the messages
execute_process(COMMAND "${PROGRAM}" RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message(STATUS "${WHERE} output:\n${out}${err}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${WHERE}: the snippet exited with '${rc}'")
endif()
string(REPLACE "\r" "" out "${out}")
string(REGEX REPLACE "[ \t]+\n" "\n" lines_out "\n${out}\n")

set(failures "")
file(STRINGS "${EXPECTED}.values" values)
foreach(value IN LISTS values)
  # A whole token: neither neighbour is a digit or a decimal point (462.66 does not match 462.66000000).
  string(REPLACE "." "\\." pattern "${value}")
  if(NOT " ${out} " MATCHES "[^0-9.]${pattern}[^0-9.]")
    string(APPEND failures "  the code's comment says ${value}, which the output does not contain\n")
  endif()
endforeach()
file(STRINGS "${EXPECTED}.expect" expected_lines)
foreach(expected IN LISTS expected_lines)
  string(STRIP "${expected}" expected_trimmed)
  if(expected_trimmed STREQUAL "")
    continue()
  endif()
  string(REGEX REPLACE "[ \t]+$" "" expected "${expected}")
  string(FIND "${lines_out}" "\n${expected}\n" found)
  if(found EQUAL -1)
    string(APPEND failures "  expected output line missing: '${expected}'\n")
  endif()
endforeach()
if(NOT failures STREQUAL "")
  message(FATAL_ERROR "${WHERE}: the output differs from what README.md says:\n${failures}")
endif()
