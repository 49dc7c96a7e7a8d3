# No overlapping text and no layout warning in any figure (tests/plot_layout_check.py): the
# report plots on the tiny reports, the study plots on the tiny studies and on the gallery's own
# tracked studies (results/studies/*/study.csv, each read alone), validate_real.py's chart on
# made-up series, and the check itself (it must find two texts on top of each other).
# Included from plot_labels.cmake (uses plot_dir and the fixtures of the plot tests).
set(plot_layout ${LETF_PYTHON3} ${PROJECT_SOURCE_DIR}/tests/plot_layout_check.py
                ${PROJECT_SOURCE_DIR}/scripts)
add_test(NAME plot.layout_selftest COMMAND ${plot_layout} ${plot_dir}/layout_self selftest)
add_test(NAME plot.layout_run_reports
         COMMAND ${plot_layout} ${plot_dir}/layout_run run ${plot_dir}/report.json
                 ${plot_dir}/report_bands.json ${plot_dir}/two_calendars.json)
set_tests_properties(plot.layout_run_reports PROPERTIES
                     FIXTURES_REQUIRED "plot_report;two_calendars_report")
add_test(NAME plot.layout_studies
         COMMAND ${plot_layout} ${plot_dir}/layout_study study ${plot_dir}/study
                 ${plot_dir}/models_study ${plot_dir}/two_calendars_study)
set_tests_properties(plot.layout_studies PROPERTIES
                     FIXTURES_REQUIRED "plot_study;plot_models_study;two_calendars_study")
file(GLOB gallery_studies LIST_DIRECTORIES true ${PROJECT_SOURCE_DIR}/results/studies/*)
# The two-axis grid studies (gallery.sh draws them with plot_grid.py, not plot_study.py).
set(gallery_grid_studies ${gallery_studies})
list(FILTER gallery_grid_studies INCLUDE REGEX "/hfea_weights$")
list(FILTER gallery_studies EXCLUDE REGEX "/hfea_weights$")
add_test(NAME plot.layout_gallery_studies
         COMMAND ${plot_layout} ${plot_dir}/layout_gallery study ${gallery_studies})
add_test(NAME plot.layout_gallery_grids
         COMMAND ${plot_layout} ${plot_dir}/layout_gallery_grids grid ${gallery_grid_studies})
add_test(NAME plot.layout_validation
         COMMAND ${plot_layout} ${plot_dir}/layout_validation validation)
# plot_study.py from study.csv alone (no study.json, no points/) draws the same figures.
letf_plot_check(plot.study_from_csv_alone csv_only ${plot_dir}/models_study
                ${plot_dir}/models_study_csv_only)
set_tests_properties(plot.study_from_csv_alone PROPERTIES FIXTURES_REQUIRED plot_models_study)
letf_plot_check(plot.vol_study_from_csv_alone csv_only ${plot_dir}/study ${plot_dir}/study_csv_only)
set_tests_properties(plot.vol_study_from_csv_alone PROPERTIES FIXTURES_REQUIRED plot_study)
