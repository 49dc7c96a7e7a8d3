# Two calendar_rebalance strategies (every 5 and every 21 days) are two series: the report's plots
# and the study's plots each draw two labelled calendar series (tests/plot_check.py labels_*).
# Included from tests/CMakeLists.txt after the plot tests (uses plot_dir, letf_plot_input and
# letf_plot_check).
letf_plot_input(plot.make_two_calendars_report run two_calendars.json
                ${plot_dir}/two_calendars.json)
letf_plot_input(plot.make_two_calendars_study sweep two_calendars_study.json
                ${plot_dir}/two_calendars_study)
letf_plot_check(plot.two_calendars_report_draws_two_series labels_run ${plot_dir}/two_calendars.json
                ${plot_dir}/two_calendars_run)
letf_plot_check(plot.two_calendars_study_draws_two_series labels_study
                ${plot_dir}/two_calendars_study ${plot_dir}/two_calendars_study_plots)
set_tests_properties(plot.make_two_calendars_report PROPERTIES FIXTURES_SETUP two_calendars_report)
set_tests_properties(plot.make_two_calendars_study PROPERTIES FIXTURES_SETUP two_calendars_study)
set_tests_properties(plot.two_calendars_report_draws_two_series
                     PROPERTIES FIXTURES_REQUIRED two_calendars_report)
set_tests_properties(plot.two_calendars_study_draws_two_series
                     PROPERTIES FIXTURES_REQUIRED two_calendars_study)
include(${CMAKE_CURRENT_LIST_DIR}/plot_layout.cmake)
