/// libFuzzer harness: the market CSV readers. The input is a prices CSV, optionally followed by a
/// line `--rates--` and a rates CSV; its first byte, when it is not printable, picks the reader
/// options (gap limits, staleness, a chosen price column). Read both, slice the prices by two dates
/// taken from the data, align the rates to the previous closes (make_market_data). An InputError is
/// the expected answer to bad input; anything else, and any non-finite number in the market data,
/// is a finding.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "fuzz_common.hpp"
#include "letf/base/error.hpp"
#include "letf/market/market_data.hpp"

namespace {

constexpr std::string_view kHarness = "fuzz_csv";
constexpr std::string_view kSeparator = "\n--rates--\n";

struct Input {
    letf::CsvOptions prices_options;
    letf::CsvOptions rates_options{.positive = false};
    int max_stale_days = 10;
    std::size_t start_pick = 0, end_pick = 0; ///< which rows bound the slice (0: no bound)
    std::string_view prices, rates;
    bool has_rates = false;
};

/// A control byte at the start (never printable CSV text) sets the options from its bits.
Input split(std::string_view text) {
    Input in;
    if (!text.empty() && static_cast<unsigned char>(text[0]) < 0x09) {
        const auto bits = static_cast<unsigned>(text[0]);
        in.prices_options.max_gap_days = (bits & 1U) != 0 ? 1 : 10;
        in.rates_options.max_gap_days = (bits & 2U) != 0 ? 3 : 10;
        in.max_stale_days = (bits & 4U) != 0 ? 1 : 10;
        if ((bits & 8U) != 0) // a chosen column instead of the default (Adj Close, else close)
            in.prices_options.value_column = "Close";
        text.remove_prefix(1);
    }
    if (text.size() >= 2 && static_cast<unsigned char>(text[0]) < 0x09) {
        in.start_pick = static_cast<unsigned char>(text[0]);
        in.end_pick = static_cast<unsigned char>(text[1]);
        text.remove_prefix(2);
    }
    const std::size_t at = text.find(kSeparator);
    in.prices = text.substr(0, at);
    if (at != std::string_view::npos) {
        in.rates = text.substr(at + kSeparator.size());
        in.has_rates = true;
    }
    return in;
}

void check_finite(const letf::MarketData& m) {
    if (m.dates.size() != m.returns.size() || m.accrual_days.size() != m.returns.size())
        letf::fuzz::finding(kHarness, "market data columns of different lengths");
    for (std::size_t i = 0; i < m.size(); ++i) {
        if (!std::isfinite(m.returns[i]))
            letf::fuzz::finding(kHarness,
                                "return not finite on day " + letf::format_date(m.dates[i]));
        if (m.accrual_days[i] < 1)
            letf::fuzz::finding(kHarness, "accrual days < 1");
        if (!m.rates.empty() && !std::isfinite(m.rates[i]))
            letf::fuzz::finding(kHarness, "rate not finite");
    }
}

std::optional<letf::Date> pick(const letf::PriceSeries& s, std::size_t k) {
    if (k == 0 || s.size() == 0)
        return std::nullopt;
    return s.dates[(k - 1) % s.size()];
}

void run(std::string_view text) {
    const Input in = split(text);
    try {
        const letf::PriceSeries prices =
            letf::parse_price_csv(in.prices, "prices.csv", in.prices_options);
        if (prices.size() == 0 || prices.closes.size() != prices.size())
            letf::fuzz::finding(kHarness, "price series accepted with no rows");
        for (double c : prices.closes)
            if (!std::isfinite(c) || c <= 0.0)
                letf::fuzz::finding(kHarness, "close not finite or <= 0 accepted");
        if (prices.note && prices.note->find('\n') != std::string::npos)
            letf::fuzz::finding(kHarness, "the column note is not one line");
        std::optional<letf::RateSeries> rates;
        if (in.has_rates) {
            rates = letf::parse_rate_csv(in.rates, "rates.csv", in.rates_options);
            for (double r : rates->percent)
                if (!std::isfinite(r))
                    letf::fuzz::finding(kHarness, "rate not finite accepted");
        }
        const letf::PriceSeries sliced =
            prices.slice(pick(prices, in.start_pick), pick(prices, in.end_pick));
        for (double r : sliced.returns())
            if (!std::isfinite(r))
                letf::fuzz::finding(kHarness, "price return not finite");
        check_finite(letf::make_market_data(sliced, rates ? &*rates : nullptr, in.max_stale_days));
    } catch (const letf::InputError&) {
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return letf::fuzz::run_input(kHarness, data, size, run);
}
