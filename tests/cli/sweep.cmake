# CLI tests (real binary) of the hardening of area "sweep"; included by tests/CMakeLists.txt.
# Each case is a step of tests/cli/sweep_cases.sh (inputs generated in LETF_CLI_SCRATCH).
set(letf_sweep_cases
    csv_error_names_csv
    base_file_relative_csv
    portfolio_assets_resume
    lock_refuses_second
    foreign_temporaries_kept
    other_study_refused
    stale_points
    tampered_summary_rerun
    output_not_a_folder)
# The real-binary thread failure needs an address-space limit, which AddressSanitizer cannot run
# under (and there is no thread-starting seam: the sweep's one scheduler is OpenMP's).
if(NOT LETF_SANITIZE MATCHES "address|thread|memory")
  list(APPEND letf_sweep_cases thread_creation_failure)
endif()
foreach(case IN LISTS letf_sweep_cases)
  add_test(NAME hardening.sweep.${case}
           COMMAND bash ${PROJECT_SOURCE_DIR}/tests/cli/sweep_cases.sh ${case}
                   $<TARGET_FILE:letfsim> ${LETF_CLI_SCRATCH}/sweep)
endforeach()
