// Money (MB-1) for Python: constructed from str, int or decimal.Decimal (never float),
// exact arithmetic operators, hashing, ordering within a currency, Decimal interop.

#include <pybind11/stl.h>

#include "aecore/money.hpp"
#include "casters.hpp"

namespace py = pybind11;

namespace aecore::bind {

// The decimal text of a Python amount: str, int or decimal.Decimal. A float is refused:
// binary floating point cannot represent most amounts exactly.
std::string amount_text(const py::handle& amount, const std::string& field) {
    if (PyFloat_Check(amount.ptr()))
        throw ValidationError("MB-1", field, py::repr(amount).cast<std::string>(),
                              "a float is inexact; pass a str such as '12.30' or a decimal.Decimal");
    if (PyBool_Check(amount.ptr()))
        throw ValidationError("MB-1", field, py::repr(amount).cast<std::string>(), "is not an amount");
    if (PyUnicode_Check(amount.ptr())) return amount.cast<std::string>();
    if (PyLong_Check(amount.ptr()) || py::isinstance(amount, py_detail::decimal_type()))
        return py::str(amount).cast<std::string>();
    throw ValidationError("MB-1", field, py::repr(amount).cast<std::string>(),
                          "expected a str, int or decimal.Decimal");
}

namespace {
Money from_python(const py::handle& amount, std::string_view currency) {
    return Money::parse(amount_text(amount), currency);
}
}  // namespace

void money(py::module_& m) {
    m.def(
        "currencies",
        [] {
            py::list out;
            for (const CurrencyInfo& c : Currency::table()) out.append(py::make_tuple(c.code, c.digits, c.name));
            return out;
        },
        "Every currency aecore knows as (code, minor-unit digits, name) tuples, sorted by code.");

    py::class_<Money>(m, "Money", R"doc(An exact amount of money: integer minor units plus an ISO-4217 currency (MB-1).

Money("1234.56", "CNY"), Money(100, "USD") (100.00 USD) and Money(Decimal("9.99"), "EUR")
are exact; a float is refused. Arithmetic never rounds silently: + and - need one
currency, * takes an int (exact) or a Decimal rate (rounded half to even), allocate()
splits an amount into parts that sum exactly to it.)doc")
        .def(py::init([](const py::object& amount, const std::string& currency) { return from_python(amount, currency); }),
             py::arg("amount"), py::arg("currency"),
             R"doc(Money from an amount and an ISO-4217 currency code (MB-1).

amount: str ('1234.56'), int (whole units) or decimal.Decimal; currency: e.g. 'CNY'.
Raises ValidationError (MB-1) for a float or bool, an unknown currency, or more decimal
places than the currency has (trailing zeros aside): parsing never rounds.)doc")
        .def_static("from_minor", &Money::from_minor, py::arg("minor_units"), py::arg("currency"),
                    "Money from an integer count of minor units: Money.from_minor(123456, 'CNY') is CNY 1234.56.")
        .def_static(
            "from_decimal", [](const Decimal& d, const std::string& currency) { return Money::from_decimal(d, Currency(currency)); },
            py::arg("amount"), py::arg("currency"),
            "Money from a decimal.Decimal; raises ValidationError when it has more places than the currency.")
        .def_static(
            "zero", [](const std::string& currency) { return Money::zero(Currency(currency)); }, py::arg("currency"),
            "Zero in `currency` (ISO-4217 code); raises ValidationError (MB-1) for an unknown code.")
        .def_property_readonly("minor_units", &Money::minor_units, "The amount in minor units (int).")
        .def_property_readonly(
            "currency", [](const Money& m) { return std::string(m.currency().code()); }, "ISO-4217 code, e.g. 'CNY'.")
        .def_property_readonly("amount", &Money::to_decimal, "The amount as an exact decimal.Decimal.")
        .def_property_readonly("digits", [](const Money& m) { return m.currency().digits(); },
                               "Minor-unit digits of the currency (2 for CNY, 0 for JPY).")
        .def("to_decimal", &Money::to_decimal, "The amount as an exact decimal.Decimal.")
        .def("amount_string", &Money::amount_string, "The amount as text with the currency's decimals: '1234.56'.")
        .def("format", &Money::format, "Grouped for reports: 'CNY 1,234.56'.")
        .def("is_zero", &Money::is_zero, "True when the amount is exactly zero.")
        .def("allocate", [](const Money& m, const std::vector<std::int64_t>& w) { return m.allocate(w); },
             py::arg("weights"),
             "Split into parts proportional to the non-negative integer weights (largest remainder); the parts sum exactly.")
        .def("split", &Money::split, py::arg("parts"), "Split into `parts` near-equal parts that sum exactly.")
        .def("__str__", &Money::to_string)
        .def("__bool__", [](const Money& m) { return !m.is_zero(); })
        .def("__hash__", [](const Money& m) { return py::hash(py::make_tuple(m.minor_units(), std::string(m.currency().code()))); })
        .def("__neg__", [](const Money& m) { return -m; })
        .def("__pos__", [](const Money& m) { return m; })
        .def("__abs__", &Money::abs)
        .def("__add__", [](const Money& a, const Money& b) { return a + b; }, py::is_operator())
        .def("__sub__", [](const Money& a, const Money& b) { return a - b; }, py::is_operator())
        // sum([...]) starts from the int 0.
        .def("__radd__", [](const Money& a, int zero) {
                if (zero != 0) throw py::type_error("only 0 + Money is defined (for sum())");
                return a;
            }, py::is_operator())
        .def("__mul__", [](const Money& a, std::int64_t k) { return a * k; }, py::is_operator())
        .def("__mul__", [](const Money& a, const Decimal& rate) { return a.multiply(rate); }, py::is_operator())
        .def("__rmul__", [](const Money& a, std::int64_t k) { return a * k; }, py::is_operator())
        .def("__rmul__", [](const Money& a, const Decimal& rate) { return a.multiply(rate); }, py::is_operator())
        .def("__eq__", [](const Money& a, const Money& b) { return a == b; }, py::is_operator())
        .def("__ne__", [](const Money& a, const Money& b) { return !(a == b); }, py::is_operator())
        .def("__lt__", [](const Money& a, const Money& b) { return a < b; }, py::is_operator())
        .def("__le__", [](const Money& a, const Money& b) { return a <= b; }, py::is_operator())
        .def("__gt__", [](const Money& a, const Money& b) { return a > b; }, py::is_operator())
        .def("__ge__", [](const Money& a, const Money& b) { return a >= b; }, py::is_operator());
    // Pickling is defined in aecore._sugar (__reduce__ to a module-level function).
}

}  // namespace aecore::bind
