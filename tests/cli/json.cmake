# CLI tests (real binary) of the hardening of area "json"; included by tests/CMakeLists.txt.
# The one JSON reader: numbers beyond a double, nesting deeper than 64 levels and keys that need
# escaping end in one line with exit code 2, for scenario and study files alike.
set(json_dir ${LETF_CLI_SCRATCH}/json)
add_test(NAME hardening.json.make_inputs
         COMMAND ${CMAKE_COMMAND} -DDIR=${json_dir} -P ${PROJECT_SOURCE_DIR}/tests/cli/json_inputs.cmake)
set_tests_properties(hardening.json.make_inputs PROPERTIES FIXTURES_SETUP json_inputs)

# add_json_test(NAME ARGS... REGEX ...) : letfsim ARGS exits 2 with one line matching REGEX.
function(add_json_test name regex)
  list(JOIN ARGN "|" args)
  letf_expect_test(hardening.json.${name} 2 "${regex}" "-DARGS=${args}" -DONE_LINE=1
                   -DWORKDIR=${json_dir} -DABSENT=${json_dir}/out_${name})
  set_tests_properties(hardening.json.${name} PROPERTIES FIXTURES_REQUIRED json_inputs)
endfunction()

set(range "line [0-9]+, column [0-9]+: number out of range \\(got 1e400\\)")
add_json_test(number_overflow "^overflow.json: line 3, column 49: number out of range \\(got 1e400\\)\n$"
              validate overflow.json)
add_json_test(number_overflow_run "^overflow.json: ${range}" run overflow.json -o out_number_overflow_run)
add_json_test(number_overflow_in_array "^overflow_quantiles.json: line 2, column 21: number out"
              validate overflow_quantiles.json)
add_json_test(number_overflow_in_study "^overflow_study.json: ${range}"
              sweep overflow_study.json -q -o out_number_overflow_in_study)

# validate reports every file, the good ones after a bad one included.
letf_expect_test(hardening.json.validate_reports_every_file 2 "^overflow.json: ${range}"
                 -DONE_LINE=1
                 "-DARGS=validate|${PROJECT_SOURCE_DIR}/configs/quickstart.json|overflow.json|${PROJECT_SOURCE_DIR}/configs/textbook_trend.json"
                 "-DSTDOUT_REGEX=ok: [^\n]*quickstart.json.*ok: [^\n]*textbook_trend.json"
                 -DWORKDIR=${json_dir})
set_tests_properties(hardening.json.validate_reports_every_file PROPERTIES FIXTURES_REQUIRED json_inputs)

# 100,000 levels of '[' (a crash before): refused at the 65th level, wherever it is.
set(deep "line 1, column [0-9]+: nested deeper than 64 levels of arrays and objects\n$")
add_json_test(deep_nesting "^deep_model.json: line 1, column 87: nested deeper than 64 levels"
              validate deep_model.json)
add_json_test(deep_nesting_description "^deep_description.json: ${deep}" validate deep_description.json)
add_json_test(deep_nesting_unknown_key "^deep_unknown_key.json: ${deep}" validate deep_unknown_key.json)
add_json_test(deep_nesting_run "^deep_model.json: ${deep}" run deep_model.json -o out_deep_nesting_run)
add_json_test(deep_nesting_study "^deep_study.json: line 2, column [0-9]+: nested deeper than 64"
              sweep deep_study.json -q -o out_deep_nesting_study)
add_json_test(deep_nesting_study_base "^deep_base.json: ${deep}"
              sweep deep_base_study.json -q -o out_deep_nesting_study_base)
add_json_test(deep_nesting_study_pointer
              "^deep_pointer_study.json: /axes/0/pointer: has more than 64 reference tokens"
              sweep deep_pointer_study.json -q -o out_deep_nesting_study_pointer)

# Keys in pointers: RFC 6901 escaped ('/' -> ~1) and a line break shown as \n, on one line.
add_json_test(key_escaping "^key_slash.json: /model/a~1b: unknown key" validate key_slash.json)
add_json_test(key_escaping_newline "^key_newline.json: /model/a\\\\nb: unknown key; expected one of type, mu, sigma \\(got 1\\)\n$"
              validate key_newline.json)
add_json_test(key_escaping_study "^key_newline_study.json: /x\\\\ny~1z: unknown key"
              sweep key_newline_study.json -q -o out_key_escaping_study)
add_json_test(key_escaping_axis
              "^key_newline_axis.json: /axes/0/values/0: axis /model/x\\\\ny: unknown key.*\\(got \"v\\\\nw\"\\)\n$"
              sweep key_newline_axis.json -q -o out_key_escaping_axis)
