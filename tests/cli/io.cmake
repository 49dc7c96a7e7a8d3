# CLI tests (real binary) of the hardening of output and input files (issue 9: defects 1, 11, 12,
# 14, 18); the cases are in io_cases.sh. Included by tests/CMakeLists.txt.
foreach(case output_fifo output_device output_backtest_fifo output_sweep_not_folder output_plots
        output_empty output_mode_kept output_symlink stale_temporary sigterm unknown_command
        input_fifo input_device input_folder input_too_large input_name_newline
        output_concurrent_new_folder)
  add_test(NAME hardening.io.${case}
           COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/io_cases.sh $<TARGET_FILE:letfsim>
                   ${LETF_CLI_SCRATCH} ${PROJECT_SOURCE_DIR} ${LETF_PYTHON3} ${case})
  set_tests_properties(hardening.io.${case} PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 60)
endforeach()
