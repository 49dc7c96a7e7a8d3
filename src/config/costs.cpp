#include "letf/config/costs.hpp"

namespace letf {

double fund_carry(const Costs& c, double L) {
    if (L > 1.0)
        return c.expense_ratio + (L - 1.0) * (c.financing_rate + c.financing_spread);
    double carry = c.expense_ratio - (1.0 - L) * c.financing_rate;
    if (L < 0.0)
        carry += -L * c.short_fee;
    return carry;
}

double unrebalanced_rate(const Costs& c, double L) {
    if (L > 1.0)
        return c.financing_rate + c.financing_spread;
    if (L < 0.0)
        return c.financing_rate - c.short_fee * (-L) / (1.0 - L);
    return c.financing_rate;
}

} // namespace letf
