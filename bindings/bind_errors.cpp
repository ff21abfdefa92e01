// aecore.Error and its subclasses. Each Python class also derives from the matching
// built-in, so `except ValueError` keeps working in analysts' code, and carries the
// structured parts of the C++ error as attributes: rule, field, value, detail.

#include "casters.hpp"

namespace py = pybind11;

namespace aecore::bind {

namespace {
struct ErrorClasses {
    py::object base, validation, not_found, state, schema, io;
};

ErrorClasses& classes() {
    static ErrorClasses* c = new ErrorClasses();  // leaked on purpose: lives as long as the interpreter
    return *c;
}

py::object make_class(py::module_& m, const char* name, py::tuple bases, const char* doc, bool with_fields = false) {
    py::dict ns;
    ns["__doc__"] = doc;
    ns["__module__"] = "aecore";
    if (with_fields) {  // class-level defaults; every raised instance sets its own
        for (const char* attr : {"rule", "field", "value", "detail"}) ns[attr] = "";
    }
    py::object cls = py::reinterpret_borrow<py::object>(reinterpret_cast<PyObject*>(&PyType_Type))(name, bases, ns);
    m.attr(name) = cls;
    return cls;
}

// Text from the error as a Python str; bytes that are not UTF-8 (quoted from a bad input
// file, say) become U+FFFD instead of failing the conversion.
py::str text(const std::string& s) {
    PyObject* o = PyUnicode_DecodeUTF8(s.data(), static_cast<Py_ssize_t>(s.size()), "replace");
    if (o == nullptr) throw py::error_already_set();
    return py::reinterpret_steal<py::str>(o);
}

void raise(const py::object& cls, const aecore::Error& e) {
    py::object exc = cls(text(e.what()));
    exc.attr("rule") = text(e.rule());
    exc.attr("field") = text(e.field());
    exc.attr("value") = text(e.value());
    exc.attr("detail") = text(e.detail());
    PyErr_SetObject(cls.ptr(), exc.ptr());
}
}  // namespace

void errors(py::module_& m) {
    auto builtin = [](PyObject* t) { return py::reinterpret_borrow<py::object>(t); };
    ErrorClasses& c = classes();
    c.base = make_class(m, "Error", py::make_tuple(builtin(PyExc_Exception)),
                        "Base class of every aecore error. Attributes: rule (SPEC.md id), field, value, detail.",
                        true);
    c.validation = make_class(m, "ValidationError", py::make_tuple(c.base, builtin(PyExc_ValueError)),
                              "Bad input to an operation: the value breaks a rule. Also a ValueError.");
    c.not_found = make_class(m, "NotFoundError", py::make_tuple(c.base, builtin(PyExc_KeyError)),
                             "An id, code or key that does not exist. Also a KeyError.");
    // KeyError.__str__ quotes its argument; our message is already readable.
    c.not_found.attr("__str__") = builtin(PyExc_Exception).attr("__str__");
    c.state = make_class(m, "StateError", py::make_tuple(c.base, builtin(PyExc_RuntimeError)),
                         "The operation is not allowed in the object's current state. Also a RuntimeError.");
    c.schema = make_class(m, "SchemaError", py::make_tuple(c.base, builtin(PyExc_ValueError)),
                          "A JSON document that does not match the schema; `field` is the JSON path. Also a ValueError.");
    c.io = make_class(m, "IoError", py::make_tuple(c.base, builtin(PyExc_OSError)),
                      "A file could not be read or written. Also an OSError.");

    py::register_exception_translator([](std::exception_ptr p) {
        if (!p) return;
        const ErrorClasses& k = classes();
        try {
            std::rethrow_exception(p);
        } catch (const aecore::ValidationError& e) {
            raise(k.validation, e);
        } catch (const aecore::NotFoundError& e) {
            raise(k.not_found, e);
        } catch (const aecore::StateError& e) {
            raise(k.state, e);
        } catch (const aecore::SchemaError& e) {
            raise(k.schema, e);
        } catch (const aecore::IoError& e) {
            raise(k.io, e);
        } catch (const aecore::Error& e) {
            raise(k.base, e);
        }
    });
}

}  // namespace aecore::bind
