// The Agency aggregate root for Python: profile, live policy and calendar, staff and
// persistence. Long operations (save, load, JSON) release the GIL.

#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include "aecore/agency.hpp"
#include "aecore/serialization.hpp"
#include "aecore/synthetic.hpp"
#include "casters.hpp"

namespace py = pybind11;

namespace aecore::bind {

namespace {
// A keyword value of the expected type, or TypeError naming the keyword.
template <class T>
T kw_cast(const py::handle& value, const std::string& key, const char* expected) {
    const bool strict_bool = std::is_same_v<T, bool> && !PyBool_Check(value.ptr());
    const bool strict_str = std::is_same_v<T, std::string> && !PyUnicode_Check(value.ptr());
    if (!strict_bool && !strict_str) {
        try {
            return value.cast<T>();
        } catch (const py::cast_error&) {
        }
    }
    throw py::type_error("update_staff() argument '" + key + "' must be " + expected + ", not " +
                         py::type::of(value).attr("__name__").cast<std::string>());
}

StaffUpdate staff_update_from_kwargs(const py::kwargs& kw) {
    StaffUpdate u;
    for (const auto& [k, v] : kw) {
        const std::string key = k.cast<std::string>();
        if (key == "name") u.name = kw_cast<std::string>(v, key, "str");
        else if (key == "title") u.title = kw_cast<Title>(v, key, "Title");
        else if (key == "department") u.department = kw_cast<Department>(v, key, "Department");
        else if (key == "hourly_rate") u.hourly_rate = kw_cast<Money>(v, key, "Money");
        else if (key == "manager")
            u.manager = v.is_none() ? std::optional<std::string>{} : std::optional(kw_cast<std::string>(v, key, "str or None"));
        else if (key == "email") u.email = kw_cast<std::string>(v, key, "str");
        else if (key == "active") u.active = kw_cast<bool>(v, key, "bool");
        else
            throw py::type_error("update_staff() got an unexpected keyword argument '" + key +
                                 "' (allowed: name, title, department, hourly_rate, manager, email, active)");
    }
    return u;
}
}  // namespace

void agency(py::module_& m) {
    m.attr("SCHEMA_NAME") = std::string(schema::kName);
    m.attr("SCHEMA_VERSION") = schema::kVersion;

    py::class_<Agency>(m, "Agency", R"doc(One agency's whole book of business: the aggregate root.

Owns the Policy, the business calendar and the staff, and enforces the rules that span
them. Every failing operation raises an aecore.Error subclass and leaves the agency
exactly as it was.)doc")
        .def(py::init<std::string, std::string, std::string_view>(), py::kw_only(), py::arg("name") = "Agency",
             py::arg("home_city") = "SH", py::arg("currency") = "CNY",
             "name: the agency's name; home_city: city code of its home (upper-case letters, CL-4); "
             "currency: ISO-4217 book currency (MB-1).")
        .def_property("name", &Agency::name, &Agency::set_name,
                      "The agency's name (str, trimmed); setting an empty or over-long name raises ValidationError "
                      "(ST-1).")
        .def_property("home_city", &Agency::home_city, &Agency::set_home_city,
                      "City code of the agency's home city (CL-4 cadence, CL-1 codes).")
        .def_property_readonly("currency", [](const Agency& a) { return std::string(a.currency().code()); },
                               "The book currency (ISO-4217 code).")
        .def_property(
            "policy", [](Agency& a) -> Policy& { return a.policy(); }, &Agency::set_policy,
            py::return_value_policy::reference_internal,
            "The agency's Policy, live: agency.policy.overspend = OverspendPolicy.STOP changes the agency.")
        .def_property(
            "calendar", [](Agency& a) -> BusinessCalendar& { return a.calendar(); }, &Agency::set_calendar,
            py::return_value_policy::reference_internal, "The agency's BusinessCalendar, live.")
        // --- staff
        .def(
            "add_staff",
            [](Agency& a, std::string name, Title title, Department department, std::optional<Money> hourly_rate,
               std::optional<std::string> manager, std::string email, std::optional<std::string> id) {
                return a.add_staff(NewStaff{.name = std::move(name),
                                            .title = title,
                                            .department = department,
                                            .hourly_rate = hourly_rate,
                                            .manager = std::move(manager),
                                            .email = std::move(email),
                                            .id = id.value_or("")});
            },
            py::arg("name"), py::arg("title"), py::kw_only(), py::arg("department") = Department::Account,
            py::arg("hourly_rate") = py::none(), py::arg("manager") = py::none(), py::arg("email") = "",
            py::arg("id") = py::none(), py::return_value_policy::copy,
            R"doc(Add a staff member (ST-1) and return it.

hourly_rate: Money in the agency currency (default zero); manager: id of the person this
one reports to; id: an explicit id (1-32 of A-Z a-z 0-9 . _ -), generated as S0001... when
omitted. Raises ValidationError (empty name, bad or duplicate id, negative or foreign-
currency rate, inactive manager) or NotFoundError (unknown manager).)doc")
        .def(
            "update_staff",
            [](Agency& a, std::string_view id, const py::kwargs& changes) {
                return a.update_staff(id, staff_update_from_kwargs(changes));
            },
            py::arg("id"), py::return_value_policy::copy,
            R"doc(Change some fields of a staff member and return the new record (ST-1).

Keywords: name, title, department, hourly_rate (Money, agency currency), manager (staff
id; None removes it), email, active. Raises NotFoundError (ST-1) for an unknown id or
manager, ValidationError (ST-1/MB-1) for a bad field or a reporting cycle, StateError
(ST-1) for deactivating someone who still manages active staff, and TypeError for an
unknown keyword or a value of the wrong type.)doc")
        .def("get_staff", &Agency::staff, py::arg("id"), py::return_value_policy::copy,
             "The staff member with `id`; raises NotFoundError.")
        .def(
            "find_staff", [](const Agency& a, std::string_view id) -> std::optional<Staff> {
                if (const Staff* s = a.find_staff(id)) return *s;
                return std::nullopt;
            },
            py::arg("id"), "The staff member with `id`, or None.")
        .def_property_readonly(
            "staff", [](const Agency& a) { return a.staff_members(); }, "Every staff member (snapshots), in order added.")
        .def(
            "direct_reports",
            [](const Agency& a, std::string_view id) {
                (void)a.staff(id);  // NotFoundError for an unknown id
                std::vector<Staff> out;
                for (const Staff* s : a.direct_reports(id)) out.push_back(*s);
                return out;
            },
            py::arg("id"), "Staff who report directly to `id`.")
        // --- persistence
        // Concurrency: the agency is copied while the GIL is held (no other Python thread
        // can change it meanwhile); the slow part then runs on the copy without the GIL.
        .def(
            "to_json",
            [](const Agency& a) {
                const Agency snapshot = a;
                py::gil_scoped_release release;
                return snapshot.to_json();
            },
            "The whole agency as a deterministic JSON document (schema aecore.Agency).")
        .def_static(
            "from_json", [](const std::string& text) { return Agency::from_json(text); }, py::arg("text"),
            py::call_guard<py::gil_scoped_release>(),
            "Parse and validate a document; SchemaError names the JSON path of the first bad value.")
        .def(
            "save",
            [](const Agency& a, const std::filesystem::path& path) {
                const Agency snapshot = a;
                py::gil_scoped_release release;
                snapshot.save(path);
            },
            py::arg("path"), "Atomically save to `path` (str or os.PathLike); IoError leaves the old file intact (PS-2).")
        .def_static("load", &Agency::load, py::arg("path"), py::call_guard<py::gil_scoped_release>(),
                    "Load a saved agency; IoError when unreadable, SchemaError when invalid.")
        .def("copy", [](const Agency& a) { return Agency(a); }, "An independent deep copy (for what-if analysis).")
        .def("__copy__", [](const Agency& a) { return Agency(a); })
        .def("__deepcopy__", [](const Agency& a, const py::dict&) { return Agency(a); }, py::arg("memo"))
        .def("__eq__", [](const Agency& a, const Agency& b) { return a == b; }, py::is_operator());
    // Pickling is defined in aecore._sugar (__reduce__ to a module-level function).

    m.def(
        "synthetic_agency",
        [](int clients, int jobs_per_client, std::size_t entries, std::uint32_t seed, const Date& start, int days) {
            return synthetic_agency({clients, jobs_per_client, entries, seed, start, days});
        },
        py::kw_only(), py::arg("clients") = 1000, py::arg("jobs_per_client") = 20, py::arg("entries") = 100000,
        py::arg("seed") = 42, py::arg("start") = Date(2016, 1, 4), py::arg("days") = 3650,
        py::call_guard<py::gil_scoped_release>(),
        R"doc(A synthetic agency book of any size, for benchmarks and load tests (aecore.samples.synthetic).

`clients` clients (1-100000), each with `jobs_per_client` open job tickets (1-1000) carrying
an approved estimate, and at least `entries` ledger entries (commitments, vendor costs,
invoices, payments, half of them in two instalments) dated in [start, start + days). The
same arguments always give the same book. Runs without the GIL. Raises ValidationError
(MB-3, field synthetic.<argument>) for an argument out of range.)doc");
}

}  // namespace aecore::bind
