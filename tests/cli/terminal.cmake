# CLI tests (real binary) of the terminal (issue 17); the cases are in terminal_cases.sh.
# Included by tests/CMakeLists.txt.
foreach(case run_output_unwritable sweep_output_unwritable resume_reports_reused
        se_significant_digits repeated_flag help_exit_codes report_to_stdout summary_json export_paths unit_warnings backtest_series run_series)
  add_test(NAME terminal.${case}
           COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/terminal_cases.sh $<TARGET_FILE:letfsim>
                   ${LETF_CLI_SCRATCH} ${PROJECT_SOURCE_DIR} ${case})
  set_tests_properties(terminal.${case} PROPERTIES TIMEOUT 60)
endforeach()
# Test names are the same every run: every TEST_P parameter prints as its name (PrintTo), never
# as the bytes of a struct (which hold heap addresses).
add_test(NAME terminal.stable_test_names
         COMMAND sh -c "! '$<TARGET_FILE:letf_tests>' --gtest_list_tests | grep 'byte object'")
