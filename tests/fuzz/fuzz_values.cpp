// libFuzzer target: the value parsers behind every amount and date the library reads -
// Money::parse, Decimal::parse and the currency table. The first byte picks the parser; the
// rest is the text. Refusals must be aecore::ValidationError; a parsed value must print
// back to text that parses to the same value.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "aecore/decimal.hpp"
#include "aecore/error.hpp"
#include "aecore/money.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
    try {
        switch (data[0] % 3) {
            case 0: {
                const aecore::Money m = aecore::Money::parse(text, "CNY");
                if (aecore::Money::parse(m.to_string().substr(0, m.to_string().find(' ')), "CNY") != m) std::abort();
                break;
            }
            case 1: {
                const aecore::Decimal d = aecore::Decimal::parse(text);
                if (aecore::Decimal::parse(d.to_string()) != d) std::abort();
                break;
            }
            default: {
                const aecore::Currency c(text);
                if (c.code() != text) std::abort();
                const aecore::Money m = aecore::Money::parse("1", c);
                (void)m;
                break;
            }
        }
    } catch (const aecore::ValidationError&) {
    }
    return 0;
}
