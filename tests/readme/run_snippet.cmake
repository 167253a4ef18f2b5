# SPDX-License-Identifier: BSL-1.0
# Runs a README snippet program and checks its output (convention: tests/readme/CMakeLists.txt).
#   PROGRAM   the snippet's executable; it must exit with 0
#   EXPECTED  path prefix of <EXPECTED>.values (numbers that must appear as whole tokens in the output,
#             one a line) and <EXPECTED>.expect (lines that must appear as whole output lines; lines
#             starting with // are notes)
#   WHERE     README.md:<line> of the block, for the messages
#   SOURCE    (optional) the generated .cpp: a program older than it was not rebuilt from the current
#             README (its build failed), and must not pass on a stale binary
if(DEFINED SOURCE AND "${SOURCE}" IS_NEWER_THAN "${PROGRAM}")
  message(FATAL_ERROR "${WHERE}: ${PROGRAM} is older than the README block it is built from; the build "
                      "failed or was not run")
endif()
execute_process(COMMAND "${PROGRAM}" RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message(STATUS "${WHERE} output:\n${out}${err}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${WHERE}: the snippet exited with '${rc}'")
endif()
string(REPLACE "\r" "" out "${out}")
string(REGEX REPLACE "[ \t]+\n" "\n" lines_out "\n${out}\n")

# The lines of a file as a list, with ; [ ] swapped for placeholders (an unbalanced bracket would
# otherwise merge list elements); restore_line puts them back.
function(read_lines out path)
  file(READ "${path}" text)
  string(REPLACE ";" "<tm:semicolon>" text "${text}")
  string(REPLACE "[" "<tm:lbracket>" text "${text}")
  string(REPLACE "]" "<tm:rbracket>" text "${text}")
  string(REPLACE "\n" ";" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()
function(restore_line out line)
  string(REPLACE "<tm:semicolon>" ";" line "${line}")
  string(REPLACE "<tm:lbracket>" "[" line "${line}")
  string(REPLACE "<tm:rbracket>" "]" line "${line}")
  set(${out} "${line}" PARENT_SCOPE)
endfunction()

set(failures "")
read_lines(values "${EXPECTED}.values")
foreach(value IN LISTS values)
  if(value STREQUAL "")
    continue()
  endif()
  # A whole token: neither neighbour is a digit or a decimal point (462.66 does not match 462.66000000).
  string(REPLACE "." "\\." pattern "${value}")
  if(NOT " ${out} " MATCHES "[^0-9.]${pattern}[^0-9.]")
    string(APPEND failures "  the code's comment says ${value}, which the output does not contain\n")
  endif()
endforeach()
read_lines(expected_lines "${EXPECTED}.expect")
foreach(expected IN LISTS expected_lines)
  restore_line(expected "${expected}")
  string(STRIP "${expected}" expected_trimmed)
  if(expected_trimmed STREQUAL "" OR expected_trimmed MATCHES "^//")
    continue()  # blank, or a note on where the expected values come from
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
