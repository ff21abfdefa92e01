// The business calendar (JT-7) for Python: datetime.date / datetime.datetime in and out.

#include <pybind11/stl.h>

#include "aecore/calendar.hpp"
#include "casters.hpp"

namespace py = pybind11;

namespace aecore::bind {

namespace {
namespace bp = boost::posix_time;

py::object to_py_time(Duration d) {
    py_detail::ensure_datetime_api();
    const auto h = static_cast<int>(d.hours());
    if (h >= 24) return py::module_::import("datetime").attr("time").attr("max");  // 24:00 ends the day
    return py::reinterpret_steal<py::object>(PyTime_FromTime(h, static_cast<int>(d.minutes()), 0, 0));
}

Duration from_py_time(const py::handle& t, const char* field) {
    py_detail::ensure_datetime_api();
    if (!PyTime_Check(t.ptr()))
        throw ValidationError("JT-7", field, py::repr(t).cast<std::string>(), "expected a datetime.time");
    if (!t.attr("tzinfo").is_none())
        throw ValidationError("JT-7", field, py::repr(t).cast<std::string>(),
                              "must be a naive local time of the agency (tzinfo=None)");
    // time.max stands for 24:00, the end of the day (what the getter returns for it).
    if (t.equal(py::module_::import("datetime").attr("time").attr("max"))) return bp::hours(24);
    return bp::hours(PyDateTime_TIME_GET_HOUR(t.ptr())) + bp::minutes(PyDateTime_TIME_GET_MINUTE(t.ptr())) +
           bp::seconds(PyDateTime_TIME_GET_SECOND(t.ptr())) +
           bp::microseconds(PyDateTime_TIME_GET_MICROSECOND(t.ptr()));
}
}  // namespace

void calendar(py::module_& m) {
    native_enum_from_names<Weekday>(m, "Days of the week, for the calendar's weekend.");

    py::class_<BusinessCalendar>(m, "BusinessCalendar", R"doc(The agency's business calendar (JT-7).

Weekend days, a holiday list, make-up working days (a weekend day that is worked) and
working hours (09:00-18:00 by default). Business-day arithmetic is constant-time for
dates in 1900-2199.)doc")
        .def(py::init<>())
        .def_property(
            "weekend", &BusinessCalendar::weekend,
            [](BusinessCalendar& c, const std::vector<Weekday>& days) { c.set_weekend(days); },
            "Weekend days (list of Weekday); at least one day must stay a working day.")
        .def_property(
            "holidays", [](const BusinessCalendar& c) { return c.holidays(); },
            [](BusinessCalendar& c, std::vector<Date> days) { c.set_holidays(std::move(days)); },
            "Holidays as a sorted list of datetime.date.")
        .def("add_holiday", &BusinessCalendar::add_holiday, py::arg("day"),
             "Add `day` (datetime.date) to the holidays (JT-7); an existing holiday is kept once. A holiday is "
             "never a business day, even on a make-up working day.")
        .def("remove_holiday", &BusinessCalendar::remove_holiday, py::arg("day"),
             "Remove a holiday; returns False when the day was not one.")
        .def_property(
            "working_weekend_days", [](const BusinessCalendar& c) { return c.working_weekend_days(); },
            [](BusinessCalendar& c, std::vector<Date> days) { c.set_working_weekend_days(std::move(days)); },
            "Weekend dates that are worked (make-up days), sorted.")
        .def("add_working_weekend_day", &BusinessCalendar::add_working_weekend_day, py::arg("day"),
             "Make the weekend date `day` (datetime.date) a worked make-up day (JT-7); a holiday on it still wins.")
        .def("remove_working_weekend_day", &BusinessCalendar::remove_working_weekend_day, py::arg("day"),
             "Remove a make-up working day; returns False when `day` was not one.")
        .def_property(
            "working_hours",
            [](const BusinessCalendar& c) { return py::make_tuple(to_py_time(c.work_start()), to_py_time(c.work_end())); },
            [](BusinessCalendar& c, const py::tuple& hours) {
                if (hours.size() != 2)
                    throw ValidationError("JT-7", "calendar.working_hours", py::repr(hours).cast<std::string>(),
                                          "expected a (start, end) pair of datetime.time");
                c.set_working_hours(from_py_time(hours[0], "calendar.working_hours.start"),
                                    from_py_time(hours[1], "calendar.working_hours.end"));
            },
            "(start, end) as datetime.time, 09:00-18:00 by default.")
        .def_property_readonly("working_day", &BusinessCalendar::working_day,
                               "Length of the working day as a datetime.timedelta.")
        .def("is_weekend", &BusinessCalendar::is_weekend, py::arg("day"),
             "True when `day` (datetime.date) falls on a weekend day, whether or not it is a make-up working day.")
        .def("is_holiday", &BusinessCalendar::is_holiday, py::arg("day"), "True when `day` is in the holiday list.")
        .def("is_business_day", &BusinessCalendar::is_business_day, py::arg("day"),
             "JT-7: True when `day` is worked: not a holiday, and not a weekend day unless it is a make-up working day.")
        .def("add_business_days", &BusinessCalendar::add_business_days, py::arg("day"), py::arg("days"),
             "`day` moved by `days` business days (negative moves back); 0 returns `day`.")
        .def("business_days_between", &BusinessCalendar::business_days_between, py::arg("start"), py::arg("end"),
             "Business days in (start, end]; negative when end < start.")
        .def("roll_forward", &BusinessCalendar::roll_forward, py::arg("day"),
             "`day` if a business day, else the next one.")
        .def("roll_backward", &BusinessCalendar::roll_backward, py::arg("day"),
             "`day` if a business day, else the previous one.")
        .def("subtract_business_time", &BusinessCalendar::subtract_business_time, py::arg("when"), py::arg("amount"),
             "Move back by a timedelta of working time (working hours of business days only).")
        .def("add_business_time", &BusinessCalendar::add_business_time, py::arg("when"), py::arg("amount"),
             "Move forward by a timedelta of working time.")
        .def("subtract_half_business_day", &BusinessCalendar::subtract_half_business_day, py::arg("when"),
             "JT-7 internal due time: half a working day before `when` (Mon 10:00 -> previous business day 14:30).")
        .def("__eq__", [](const BusinessCalendar& a, const BusinessCalendar& b) { return a == b; }, py::is_operator())
        .def("__copy__", [](const BusinessCalendar& c) { return BusinessCalendar(c); })
        .def("__deepcopy__", [](const BusinessCalendar& c, const py::dict&) { return BusinessCalendar(c); }, py::arg("memo"));
}

}  // namespace aecore::bind
