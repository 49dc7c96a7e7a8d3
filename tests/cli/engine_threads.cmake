# Runs `EXE run CONFIG -q -o REPORT` (with the caller's environment, e.g. OMP_NUM_THREADS) and
# fails unless it exits 0 and the report's run_info.threads is in [1, 4096].
execute_process(COMMAND ${EXE} run ${CONFIG} -q -o ${REPORT} RESULT_VARIABLE rc
                OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "exit code ${rc}, expected 0\nstdout: ${out}\nstderr: ${err}")
endif()
file(READ ${REPORT} report)
string(JSON threads GET "${report}" run_info threads)
if(threads LESS 1 OR threads GREATER 4096)
  message(FATAL_ERROR "run_info.threads is ${threads}, expected 1 to 4096")
endif()
message(STATUS "exit code 0, run_info.threads ${threads}")
