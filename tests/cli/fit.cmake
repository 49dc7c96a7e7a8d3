# CLI tests (real binary) of `letfsim fit`; included by tests/CMakeLists.txt.
set(fit_data ${PROJECT_SOURCE_DIR}/tests/data)
letf_expect_test(cli.fit.unknown_model 2 "--model: must be one of garch, gjr, regime, merton.*heston"
                 -DONE_LINE=1 "-DARGS=fit|${fit_data}/fit_flat.csv|--model|heston")
letf_expect_test(cli.fit.states_not_regime 2 "--states: is only for --model regime" -DONE_LINE=1
                 "-DARGS=fit|${fit_data}/fit_flat.csv|--model|gjr|--states|3")
letf_expect_test(cli.fit.too_few_returns 2 "fit_flat.csv: .*at least 100 daily returns.*got 49"
                 -DONE_LINE=1
                 "-DARGS=fit|${fit_data}/fit_flat.csv|--model|garch|--end|2020-02-19")
# Constant closes: the variance of the returns is 0 and the likelihood has no finite optimum.
letf_expect_test(cli.fit.constant_prices_exit_1 1 "returns do not vary" -DONE_LINE=1
                 "-DARGS=fit|${fit_data}/fit_flat.csv|--model|regime|-o|${LETF_CLI_SCRATCH}/fit_flat_model.json"
                 -DABSENT=${LETF_CLI_SCRATCH}/fit_flat_model.json)
