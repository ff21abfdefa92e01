// libFuzzer target: Agency::from_json on any bytes. A document is either loaded (and then
// saves back to the same canonical text it would load from) or refused with an aecore
// SchemaError; any other outcome - another exception, a crash, a hang, unbounded memory -
// is a bug. Built and run by scripts/fuzz.sh (clang, -fsanitize=fuzzer,address,undefined).

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "aecore/agency.hpp"
#include "aecore/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        const aecore::Agency a = aecore::Agency::from_json(text);
        // a loaded book is canonical: what it saves loads back equal and saves identically
        const std::string saved = a.to_json();
        const aecore::Agency again = aecore::Agency::from_json(saved);
        if (!(again == a) || again.to_json() != saved) std::abort();
    } catch (const aecore::SchemaError&) {
    }
    return 0;
}
