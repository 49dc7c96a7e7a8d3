# Runs `EXE run CONFIG -q --threads 2 -o OUT`, expects exit 0, and checks the report by MODE:
#   no_z:        every analytic.mean_terminal (underlying and results) has "z_score": null and a
#                "z_score_note" containing NOTE;
#   finite_std:  terminal.std and terminal.std_error of the underlying and of every result are
#                numbers (not null), and gap_vs_target.std of every result too.
# Usage: cmake -DEXE=... -DCONFIG=... -DOUT=... -DMODE=... [-DNOTE=...] -P numerics_report.cmake
file(REMOVE "${OUT}")
execute_process(COMMAND ${EXE} run ${CONFIG} -q --threads 2 -o ${OUT} RESULT_VARIABLE rc
                OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "exit code ${rc}, expected 0\nstdout: ${out}\nstderr: ${err}")
endif()
file(READ "${OUT}" report)
string(JSON results LENGTH "${report}" results)
math(EXPR last "${results} - 1")

# Fails unless the member at the path (a list of keys) has JSON type `want`.
function(expect_type want)
  string(JSON type ERROR_VARIABLE e TYPE "${report}" ${ARGN})
  if(e OR NOT type STREQUAL want)
    string(JSON block ERROR_VARIABLE e2 GET "${report}" ${ARGN})
    message(FATAL_ERROR "${ARGN}: JSON type ${type}, expected ${want}: ${block}")
  endif()
endfunction()

function(check_mean_entry)
  expect_type(NULL ${ARGN} z_score)
  string(JSON note ERROR_VARIABLE e GET "${report}" ${ARGN} z_score_note)
  string(FIND "${note}" "${NOTE}" at)
  if(e OR at EQUAL -1)
    message(FATAL_ERROR "${ARGN}: z_score_note '${note}' does not contain '${NOTE}' ${e}")
  endif()
endfunction()

set(checked 0)
if(MODE STREQUAL "no_z")
  check_mean_entry(underlying analytic mean_terminal)
  math(EXPR checked "${checked} + 1")
  foreach(i RANGE ${last})
    string(JSON has ERROR_VARIABLE missing GET "${report}" results ${i} analytic mean_terminal)
    if(NOT missing)
      check_mean_entry(results ${i} analytic mean_terminal)
      math(EXPR checked "${checked} + 1")
    endif()
  endforeach()
elseif(MODE STREQUAL "finite_std")
  foreach(key std std_error)
    expect_type(NUMBER underlying terminal ${key})
    math(EXPR checked "${checked} + 1")
    foreach(i RANGE ${last})
      expect_type(NUMBER results ${i} terminal ${key})
      expect_type(NUMBER results ${i} gap_vs_target ${key})
      math(EXPR checked "${checked} + 2")
    endforeach()
  endforeach()
else()
  message(FATAL_ERROR "unknown MODE '${MODE}'")
endif()
message(STATUS "${MODE}: ${checked} entries checked in ${OUT}")
