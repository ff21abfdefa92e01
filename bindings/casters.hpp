#pragma once
// Type casters shared by every binding file:
//   boost::gregorian::date        <-> datetime.date
//   boost::posix_time::ptime      <-> datetime.datetime (naive, the agency's local time)
//   boost::posix_time::time_duration <-> datetime.timedelta
//   aecore::Decimal               <-> decimal.Decimal (also accepts int and str; never float)
// Modelled on pybind11/chrono.h.

#include <pybind11/native_enum.h>
#include <pybind11/pybind11.h>
#include <datetime.h>

#include "aecore/calendar.hpp"
#include "aecore/decimal.hpp"
#include "aecore/error.hpp"

namespace aecore::py_detail {
inline void ensure_datetime_api() {
    if (!PyDateTimeAPI) { PyDateTime_IMPORT; }
}
/// Boost.Date_Time covers the years 1400-9999; Python's date starts at year 1.
inline void require_supported_year(const pybind11::handle& value, int year) {
    if (year < 1400)
        throw aecore::ValidationError("JT-7", "date", pybind11::str(value).cast<std::string>(),
                                      "must be in the years 1400-9999");
}
/// decimal.Decimal, imported once.
pybind11::object decimal_type();
}  // namespace aecore::py_detail

namespace pybind11::detail {

template <>
struct type_caster<boost::gregorian::date> {
    PYBIND11_TYPE_CASTER(boost::gregorian::date, const_name("datetime.date"));

    bool load(handle src, bool) {
        aecore::py_detail::ensure_datetime_api();
        // A datetime is a date subclass; refusing it avoids silently dropping the time.
        if (!src || !PyDate_Check(src.ptr()) || PyDateTime_Check(src.ptr())) return false;
        aecore::py_detail::require_supported_year(src, PyDateTime_GET_YEAR(src.ptr()));
        value = boost::gregorian::date(static_cast<unsigned short>(PyDateTime_GET_YEAR(src.ptr())),
                                       static_cast<unsigned short>(PyDateTime_GET_MONTH(src.ptr())),
                                       static_cast<unsigned short>(PyDateTime_GET_DAY(src.ptr())));
        return true;
    }

    static handle cast(const boost::gregorian::date& d, return_value_policy, handle) {
        aecore::py_detail::ensure_datetime_api();
        if (d.is_special()) return none().release();
        return PyDate_FromDate(d.year(), d.month(), d.day());
    }
};

template <>
struct type_caster<boost::posix_time::ptime> {
    PYBIND11_TYPE_CASTER(boost::posix_time::ptime, const_name("datetime.datetime"));

    bool load(handle src, bool) {
        aecore::py_detail::ensure_datetime_api();
        if (!src || !PyDateTime_Check(src.ptr())) return false;
        PyObject* p = src.ptr();
        aecore::py_detail::require_supported_year(src, PyDateTime_GET_YEAR(p));
        if (PyObject_HasAttrString(p, "tzinfo")) {
            object tz = reinterpret_borrow<object>(p).attr("tzinfo");
            if (!tz.is_none())
                throw aecore::ValidationError("JT-7", "datetime", str(reinterpret_borrow<object>(p)).cast<std::string>(),
                                              "must be a naive local time of the agency (tzinfo=None)");
        }
        const boost::gregorian::date d(static_cast<unsigned short>(PyDateTime_GET_YEAR(p)),
                                       static_cast<unsigned short>(PyDateTime_GET_MONTH(p)),
                                       static_cast<unsigned short>(PyDateTime_GET_DAY(p)));
        const boost::posix_time::time_duration tod(PyDateTime_DATE_GET_HOUR(p), PyDateTime_DATE_GET_MINUTE(p),
                                                   PyDateTime_DATE_GET_SECOND(p),
                                                   PyDateTime_DATE_GET_MICROSECOND(p));
        value = boost::posix_time::ptime(d, tod);
        return true;
    }

    static handle cast(const boost::posix_time::ptime& t, return_value_policy, handle) {
        aecore::py_detail::ensure_datetime_api();
        if (t.is_special()) return none().release();
        const auto d = t.date();
        const auto tod = t.time_of_day();
        return PyDateTime_FromDateAndTime(d.year(), d.month(), d.day(), static_cast<int>(tod.hours()),
                                          static_cast<int>(tod.minutes()), static_cast<int>(tod.seconds()),
                                          static_cast<int>(tod.fractional_seconds()));
    }
};

template <>
struct type_caster<boost::posix_time::time_duration> {
    PYBIND11_TYPE_CASTER(boost::posix_time::time_duration, const_name("datetime.timedelta"));

    bool load(handle src, bool) {
        aecore::py_detail::ensure_datetime_api();
        if (!src || !PyDelta_Check(src.ptr())) return false;
        PyObject* p = src.ptr();
        const long long days = PyDateTime_DELTA_GET_DAYS(p);
        value = boost::posix_time::hours(days * 24) + boost::posix_time::seconds(PyDateTime_DELTA_GET_SECONDS(p)) +
                boost::posix_time::microseconds(PyDateTime_DELTA_GET_MICROSECONDS(p));
        return true;
    }

    static handle cast(const boost::posix_time::time_duration& d, return_value_policy, handle) {
        aecore::py_detail::ensure_datetime_api();
        if (d.is_special()) return none().release();
        const long long us = d.total_microseconds();
        const long long day_us = 86400LL * 1000000LL;
        long long days = us / day_us;
        long long rest = us % day_us;
        if (rest < 0) {
            rest += day_us;
            --days;
        }
        return PyDelta_FromDSU(static_cast<int>(days), static_cast<int>(rest / 1000000),
                               static_cast<int>(rest % 1000000));
    }
};

template <>
struct type_caster<aecore::Decimal> {
    PYBIND11_TYPE_CASTER(aecore::Decimal, const_name("decimal.Decimal"));

    bool load(handle src, bool) {
        if (!src) return false;
        if (PyBool_Check(src.ptr()) || PyFloat_Check(src.ptr())) return false;  // inexact or not a number
        if (PyLong_Check(src.ptr()) || PyUnicode_Check(src.ptr()) ||
            isinstance(src, aecore::py_detail::decimal_type())) {
            const std::string text = str(src).cast<std::string>();
            value = aecore::Decimal::parse(text, "decimal", "MB-1");
            return true;
        }
        return false;
    }

    static handle cast(const aecore::Decimal& d, return_value_policy, handle) {
        return aecore::py_detail::decimal_type()(d.to_string()).release();
    }
};

}  // namespace pybind11::detail

namespace aecore::bind {
void errors(pybind11::module_& m);
void money(pybind11::module_& m);
void calendar(pybind11::module_& m);
void staff(pybind11::module_& m);
void policy(pybind11::module_& m);
void agency(pybind11::module_& m);
void clients(pybind11::module_& m);
void routines(pybind11::module_& m);
void plans(pybind11::module_& m);
void jobs(pybind11::module_& m);
void ledger(pybind11::module_& m);
void evaluation(pybind11::module_& m);

/// The decimal text of a Python amount (str, int or decimal.Decimal; a float or bool
/// raises ValidationError naming `field`).
std::string amount_text(const pybind11::handle& amount, const std::string& field = "money.amount");

/// "TVCommercial" -> "TV_COMMERCIAL", "Account" -> "ACCOUNT": Python enum member names.
std::string python_member_name(std::string_view external);

/// Binds an aecore enum as a real Python enum.Enum, members named from EnumNames<E>.
template <class E>
void native_enum_from_names(pybind11::module_& m, const char* doc) {
    pybind11::native_enum<E> e(m, std::string(EnumNames<E>::type_name).c_str(), "enum.Enum", doc);
    for (const auto& [value, name] : EnumNames<E>::entries) e.value(python_member_name(name).c_str(), value);
    e.finalize();
}
}  // namespace aecore::bind
