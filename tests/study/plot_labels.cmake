# Two calendar_rebalance strategies (every 5 and every 21 days) are two series: the report's plots
# and the study's plots each draw two labelled calendar series (tests/plot_check.py labels_*).
# Included from tests/CMakeLists.txt after the plot tests (uses plot_dir and plot_check).
add_test(NAME plot.make_two_calendars_report
         COMMAND letfsim run ${PROJECT_SOURCE_DIR}/tests/data/two_calendars.json -q --threads 2
                 -o ${plot_dir}/two_calendars.json)
add_test(NAME plot.make_two_calendars_study
         COMMAND letfsim sweep ${PROJECT_SOURCE_DIR}/tests/data/two_calendars_study.json -q
                 --threads 2 -o ${plot_dir}/two_calendars_study)
add_test(NAME plot.two_calendars_report_draws_two_series
         COMMAND ${plot_check} labels_run ${PROJECT_SOURCE_DIR}/scripts
                 ${plot_dir}/two_calendars.json ${plot_dir}/two_calendars_run)
add_test(NAME plot.two_calendars_study_draws_two_series
         COMMAND ${plot_check} labels_study ${PROJECT_SOURCE_DIR}/scripts
                 ${plot_dir}/two_calendars_study ${plot_dir}/two_calendars_study_plots)
set_tests_properties(plot.make_two_calendars_report PROPERTIES FIXTURES_SETUP two_calendars_report)
set_tests_properties(plot.make_two_calendars_study PROPERTIES FIXTURES_SETUP two_calendars_study)
set_tests_properties(plot.two_calendars_report_draws_two_series
                     PROPERTIES FIXTURES_REQUIRED two_calendars_report)
set_tests_properties(plot.two_calendars_study_draws_two_series
                     PROPERTIES FIXTURES_REQUIRED two_calendars_study)
