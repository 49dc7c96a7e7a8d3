# CLI tests (real binary) of the hardening of area "engine"; included by tests/CMakeLists.txt.
# Resources of a run: the memory estimate and its limit, allocation failures, the thread cap.

set(engine_dir ${LETF_CLI_SCRATCH}/engine)
file(MAKE_DIRECTORY ${engine_dir})
# Fan-chart sketches on every day of 2000, 9 series: about 1.1 GB with 2 threads.
file(WRITE ${engine_dir}/bands_daily.json [=[
{
  "name": "bands_daily",
  "paths": 2000,
  "days": 2000,
  "model": {"type": "gbm", "mu": 0.07, "sigma": 0.2},
  "multiples": [-3, -2, -1, 1, 1.5, 2, 2.5, 3],
  "strategies": ["daily_reset"],
  "bands": {"every_days": 1}
}
]=])
# Beyond any machine's memory: every day of 10^6 with 10^6 paths.
file(WRITE ${engine_dir}/bands_absurd.json [=[
{
  "name": "bands_absurd",
  "paths": 1000000,
  "days": 1000000,
  "model": {"type": "gbm", "mu": 0.07, "sigma": 0.2},
  "multiples": [1, 2, 3],
  "strategies": ["daily_reset"],
  "bands": {"every_days": 1}
}
]=])
# Enough blocks (200 of 1024 paths) for 200 threads; one day keeps it quick.
file(WRITE ${engine_dir}/many_blocks.json [=[
{
  "name": "many_blocks",
  "paths": 204800,
  "days": 1,
  "model": {"type": "gbm", "mu": 0.07, "sigma": 0.2},
  "multiples": [2],
  "strategies": ["daily_reset"]
}
]=])

# Reports a run that should have been refused left behind (e.g. by an older binary).
add_test(NAME hardening.engine.clean
         COMMAND ${CMAKE_COMMAND} -E rm -rf ${engine_dir}/refused.json ${engine_dir}/absurd.json
                 ${engine_dir}/invalid.json ${engine_dir}/oom.json ${engine_dir}/threads.json
                 ${engine_dir}/study)
set_tests_properties(hardening.engine.clean PROPERTIES FIXTURES_SETUP engine_clean)

# Over the limit: refused before anything runs, one line naming the field, the estimate and the
# limit, exit 2, no report.
add_test(NAME hardening.engine.memory_refused
         COMMAND ${CMAKE_COMMAND} -E env LETF_MEMORY_LIMIT_MIB=256
                 ${CMAKE_COMMAND} -DEXE=$<TARGET_FILE:letfsim>
                 "-DARGS=run|${engine_dir}/bands_daily.json|--threads|2|-q|-o|${engine_dir}/refused.json"
                 -DEXPECT=2 -DONE_LINE=1
                 "-DSTDERR_REGEX=^[^\n]*bands_daily.json: /bands/every_days: the run needs about [0-9]+ MiB of memory, more than the limit of 256 MiB [^\n]*\\(got 1\\)\n$"
                 -DABSENT=${engine_dir}/refused.json -P ${LETF_EXPECT})
# The default limit (3/4 of the physical memory) refuses what no machine holds.
add_test(NAME hardening.engine.memory_refused_default
         COMMAND ${CMAKE_COMMAND} -E env --unset=LETF_MEMORY_LIMIT_MIB
                 ${CMAKE_COMMAND} -DEXE=$<TARGET_FILE:letfsim>
                 "-DARGS=run|${engine_dir}/bands_absurd.json|-q|-o|${engine_dir}/absurd.json"
                 -DEXPECT=2 -DONE_LINE=1
                 "-DSTDERR_REGEX=/bands/every_days: the run needs about [0-9]+ MiB of memory, more than the limit of [0-9]+ MiB \\(3/4 of the physical memory"
                 -DABSENT=${engine_dir}/absurd.json -P ${LETF_EXPECT})
# A sweep checks every point before it runs any: the point with bands on every day is refused.
file(WRITE ${engine_dir}/bands_study.json [=[
{
  "name": "bands_study",
  "base": {
    "name": "bands_point",
    "paths": 2000,
    "days": 2000,
    "model": {"type": "gbm", "mu": 0.07, "sigma": 0.2},
    "multiples": [-3, -2, -1, 1, 1.5, 2, 2.5, 3],
    "strategies": ["daily_reset"],
    "bands": {"every_days": 500}
  },
  "axes": [{"pointer": "/bands/every_days", "values": [500, 1]}]
}
]=])
add_test(NAME hardening.engine.sweep_memory_refused
         COMMAND ${CMAKE_COMMAND} -E env LETF_MEMORY_LIMIT_MIB=256
                 ${CMAKE_COMMAND} -DEXE=$<TARGET_FILE:letfsim>
                 "-DARGS=sweep|${engine_dir}/bands_study.json|--threads|2|-q|-o|${engine_dir}/study"
                 -DEXPECT=2 -DONE_LINE=1
                 "-DSTDERR_REGEX=^[^\n]*bands_study.json: /bands/every_days: at point 1: the run needs about [0-9]+ MiB of memory, more than the limit of 256 MiB [^\n]*\\(got 1\\)\n$"
                 -DABSENT=${engine_dir}/study -P ${LETF_EXPECT})

# A bad limit is a usage error naming the variable.
add_test(NAME hardening.engine.memory_limit_invalid
         COMMAND ${CMAKE_COMMAND} -E env LETF_MEMORY_LIMIT_MIB=12x
                 ${CMAKE_COMMAND} -DEXE=$<TARGET_FILE:letfsim>
                 "-DARGS=run|${engine_dir}/many_blocks.json|-q|-o|${engine_dir}/invalid.json"
                 -DEXPECT=2 -DONE_LINE=1 "-DSTDERR_REGEX=^environment: LETF_MEMORY_LIMIT_MIB: .*\\(got 12x\\)\n$"
                 -DABSENT=${engine_dir}/invalid.json -P ${LETF_EXPECT})

# Under the limit but over the address space the system grants (ulimit -v, 600 MB): the sketches'
# allocation fails inside the parallel region; one line, exit 1, no report. ASan reserves
# terabytes of shadow address space, so an address-space limit cannot apply to that build.
if(NOT LETF_SANITIZE MATCHES "address")
  add_test(NAME hardening.engine.out_of_memory
           COMMAND ${CMAKE_COMMAND} -E env LETF_MEMORY_LIMIT_MIB=4096
                   ${CMAKE_COMMAND} -DEXE=bash
                   "-DARGS=-c|ulimit -v 600000 && exec \"$0\" run ${engine_dir}/bands_daily.json --threads 2 -q -o ${engine_dir}/oom.json|$<TARGET_FILE:letfsim>"
                   -DEXPECT=1 -DONE_LINE=1
                   "-DSTDERR_REGEX=^letfsim: out of memory \\(needed about [0-9]+ MiB\\)\n$"
                   -DABSENT=${engine_dir}/oom.json -P ${LETF_EXPECT})
else()
  message(STATUS "hardening.engine.out_of_memory not registered: ulimit -v does not work with ASan")
endif()

# OMP_NUM_THREADS far beyond what libgomp can start (its team start data on the stack): the
# default is capped at 4096 (and at one thread per block).
add_test(NAME hardening.engine.thread_cap
         COMMAND ${CMAKE_COMMAND} -E env OMP_NUM_THREADS=100000
                 ${CMAKE_COMMAND} -DEXE=$<TARGET_FILE:letfsim>
                 -DCONFIG=${engine_dir}/many_blocks.json -DREPORT=${engine_dir}/threads.json
                 -P ${PROJECT_SOURCE_DIR}/tests/cli/engine_threads.cmake)

set_tests_properties(hardening.engine.memory_refused hardening.engine.memory_refused_default
                     hardening.engine.sweep_memory_refused
                     hardening.engine.memory_limit_invalid hardening.engine.thread_cap
                     PROPERTIES FIXTURES_REQUIRED engine_clean)
if(TEST hardening.engine.out_of_memory)
  set_tests_properties(hardening.engine.out_of_memory PROPERTIES FIXTURES_REQUIRED engine_clean)
endif()
