# CLI tests (real binary) of the hardening of area "numerics"; included by tests/CMakeLists.txt.
set(numerics_data ${PROJECT_SOURCE_DIR}/tests/data)
set(numerics_report ${PROJECT_SOURCE_DIR}/tests/cli/numerics_report.cmake)

# The outputs that must not appear are removed first (a run of an older binary may have left them).
add_test(NAME hardening.numerics.clean
         COMMAND ${CMAKE_COMMAND} -E rm -f ${LETF_CLI_SCRATCH}/numerics_tiny_tdpy.json
                 ${LETF_CLI_SCRATCH}/numerics_rate.json)
set_tests_properties(hardening.numerics.clean PROPERTIES FIXTURES_SETUP numerics_clean)

# Defect 4: a trading_days_per_year so small that dt is infinite is refused before anything runs.
letf_expect_test(hardening.numerics.tiny_trading_days 2
                 "numerics_tiny_tdpy.json: /trading_days_per_year: must be in \\[1"
                 -DONE_LINE=1
                 "-DARGS=run|${numerics_data}/numerics_tiny_tdpy.json|-q|-o|${LETF_CLI_SCRATCH}/numerics_tiny_tdpy.json"
                 -DABSENT=${LETF_CLI_SCRATCH}/numerics_tiny_tdpy.json)

# Defect 17: a rate of 1e300 % is refused with the file and line, in a scenario and in backtest.
letf_expect_test(hardening.numerics.rate_implausible 2
                 "numerics_rates_1e300.csv: line 3: rate outside the plausible range \\[-50, 100\\].*\\(got 1e300\\)"
                 -DONE_LINE=1
                 "-DARGS=run|${numerics_data}/numerics_rate_implausible.json|-q|-o|${LETF_CLI_SCRATCH}/numerics_rate.json"
                 -DABSENT=${LETF_CLI_SCRATCH}/numerics_rate.json)
set_tests_properties(hardening.numerics.tiny_trading_days hardening.numerics.rate_implausible
                     PROPERTIES FIXTURES_REQUIRED numerics_clean)
letf_expect_test(hardening.numerics.rate_implausible_backtest 2
                 "numerics_rates_1e300.csv: line 3: rate outside the plausible range"
                 -DONE_LINE=1
                 "-DARGS=backtest|--index|${numerics_data}/numerics_prices.csv|--fund|${numerics_data}/numerics_prices.csv|--multiple|1|--rate|${numerics_data}/numerics_rates_1e300.csv")

# Defect 16: no z-score for a deterministic run (gbm sigma 0, multiple 0), none from an
# unreliable standard error (gbm sigma 5); the report says why.
add_test(NAME hardening.numerics.deterministic_no_z
         COMMAND ${CMAKE_COMMAND} -DEXE=$<TARGET_FILE:letfsim>
                 -DCONFIG=${numerics_data}/numerics_sigma0.json
                 -DOUT=${LETF_CLI_SCRATCH}/numerics_sigma0.json -DMODE=no_z -DNOTE=deterministic
                 -P ${numerics_report})
add_test(NAME hardening.numerics.huge_sigma_no_z
         COMMAND ${CMAKE_COMMAND} -DEXE=$<TARGET_FILE:letfsim>
                 -DCONFIG=${numerics_data}/numerics_sigma5.json
                 -DOUT=${LETF_CLI_SCRATCH}/numerics_sigma5.json -DMODE=no_z
                 "-DNOTE=standard error not reliable" -P ${numerics_report})

# Defect 15: values at the cap (1e300) give a finite std, not null.
add_test(NAME hardening.numerics.huge_values_finite_std
         COMMAND ${CMAKE_COMMAND} -DEXE=$<TARGET_FILE:letfsim>
                 -DCONFIG=${numerics_data}/numerics_cap.json
                 -DOUT=${LETF_CLI_SCRATCH}/numerics_cap.json -DMODE=finite_std
                 -P ${numerics_report})
