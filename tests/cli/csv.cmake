# CLI tests (real binary) of price CSVs as users download them (issue 17); the cases are in
# csv_cases.sh. Included by tests/CMakeLists.txt.
foreach(case backtest_note backtest_bad_column fit_note validate_note)
  add_test(NAME csv.${case}
           COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/csv_cases.sh $<TARGET_FILE:letfsim>
                   ${LETF_CLI_SCRATCH} ${PROJECT_SOURCE_DIR} ${case})
  set_tests_properties(csv.${case} PROPERTIES TIMEOUT 60)
endforeach()
