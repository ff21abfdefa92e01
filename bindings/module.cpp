// aecore._core: the compiled half of the aecore Python package. The pythonic layer
// (reprs, DataFrames, HTML) lives in python/aecore/.

#include "casters.hpp"

namespace py = pybind11;

namespace aecore::py_detail {
py::object decimal_type() {
    PYBIND11_CONSTINIT static py::gil_safe_call_once_and_store<py::object> storage;
    return storage.call_once_and_store_result([] { return py::module_::import("decimal").attr("Decimal"); }).get_stored();
}
}  // namespace aecore::py_detail

namespace aecore::bind {
std::string python_member_name(std::string_view external) {
    std::string out;
    for (std::size_t i = 0; i < external.size(); ++i) {
        const char c = external[i];
        const bool upper = c >= 'A' && c <= 'Z';
        if (upper && i > 0) {
            const char prev = external[i - 1];
            const bool prev_lower = prev >= 'a' && prev <= 'z';
            const bool next_lower = i + 1 < external.size() && external[i + 1] >= 'a' && external[i + 1] <= 'z';
            const bool prev_upper = prev >= 'A' && prev <= 'Z';
            if (prev_lower || (prev_upper && next_lower)) out += '_';
        }
        out += static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    }
    return out;
}
}  // namespace aecore::bind

PYBIND11_MODULE(_core, m) {
    m.doc() = "aecore compiled core: exact money, the business calendar, staff, policy and the Agency.";
    m.attr("__version__") = AECORE_VERSION_INFO;
    aecore::bind::errors(m);
    aecore::bind::money(m);
    aecore::bind::calendar(m);
    aecore::bind::staff(m);
    aecore::bind::policy(m);
    aecore::bind::agency(m);  // before the areas that add methods to Agency
    aecore::bind::clients(m);
    aecore::bind::routines(m);
    aecore::bind::plans(m);
    aecore::bind::jobs(m);
    aecore::bind::ledger(m);
    aecore::bind::evaluation(m);
}
