// Staff (ST-1) for Python: Title and Department enums and the read-only Staff record.
// Agency methods hand out Staff snapshots (copies): they stay valid whatever happens
// to the agency afterwards.

#include <pybind11/stl.h>

#include "aecore/staff.hpp"
#include "casters.hpp"

namespace py = pybind11;

namespace aecore::bind {

void staff(py::module_& m) {
    native_enum_from_names<Title>(m, "Account staff titles, junior to senior: AAE < AE < AM < AD (ST-1).");
    native_enum_from_names<Department>(m, "Agency departments; the first five issue job tickets (JT-1).");
    m.def("department_code", [](Department d) { return std::string(department_code(d)); }, py::arg("department"),
          "Two-letter code used in job numbers: AC, CR, MD, RS, PD (FN, MG).");
    m.def("title_rank", [](Title t) { return static_cast<int>(t); }, py::arg("title"),
          "Seniority rank of a title: AAE 0, AE 1, AM 2, AD 3.");

    py::class_<Staff>(m, "Staff", "A staff member (ST-1): a snapshot taken from the Agency.")
        .def_readonly("id", &Staff::id, "Staff id (str), e.g. 'S0001'; unique in the agency and never reused.")
        .def_readonly("name", &Staff::name, "Full name (str).")
        .def_readonly("title", &Staff::title, "aecore.Title: AAE < AE < AM < AD (ST-1).")
        .def_readonly("department", &Staff::department, "aecore.Department the person works in.")
        .def_readonly("hourly_rate", &Staff::hourly_rate, "Hourly cost rate (Money, agency currency).")
        .def_readonly("manager", &Staff::manager, "Id of the manager this person reports to, or None.")
        .def_readonly("email", &Staff::email, "E-mail address (str; '' when not given).")
        .def_readonly("active", &Staff::active, "False once the person has left; ids are never reused.")
        .def("__eq__", [](const Staff& a, const Staff& b) { return a == b; }, py::is_operator());
}

}  // namespace aecore::bind
