#pragma once
// Building blocks of the columns behind the large DataFrames (Agency.ledger_frame,
// Agency.jobs_frame): numpy object arrays filled with Python str objects made straight
// from the C++ text, so that a million rows cost no Python call per value. Everything here
// needs the GIL.

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <charconv>
#include <cstring>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace aecore::bind {

/// A new str from UTF-8 text, decoded strictly like pybind11's std::string caster.
inline PyObject* new_str(std::string_view text) {
    PyObject* out = PyUnicode_DecodeUTF8(text.data(), static_cast<Py_ssize_t>(text.size()), nullptr);
    if (!out) throw pybind11::error_already_set();
    return out;
}

/// A new str of ASCII text, without decoding.
inline PyObject* new_ascii_str(std::string_view text) {
    PyObject* out = PyUnicode_New(static_cast<Py_ssize_t>(text.size()), 127);
    if (!out) throw pybind11::error_already_set();
    std::memcpy(PyUnicode_1BYTE_DATA(out), text.data(), text.size());
    return out;
}

/// The ledger entry id of row `index` as a str: "L%08zu" of index + 1 (Agency::entry_id).
inline PyObject* entry_id_str(std::size_t index) {
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, index + 1).ptr;
    const auto n = static_cast<std::size_t>(end - digits);
    char id[32] = "L00000000";
    const std::size_t width = n < 8 ? 8 : n;
    std::memcpy(id + 1 + width - n, digits, n);
    return new_ascii_str(std::string_view(id, 1 + width));
}

/// A numpy object array of `n` elements, each set once with put (a new reference, which
/// it takes over) or share (a borrowed one).
class ObjectColumn {
public:
    explicit ObjectColumn(pybind11::ssize_t n)
        : array_(pybind11::dtype("O"), std::vector<pybind11::ssize_t>{n}),
          data_(static_cast<PyObject**>(array_.mutable_data())) {}
    void put(pybind11::ssize_t i, PyObject* value) noexcept {
        PyObject* old = data_[i];  // NULL or None, depending on how numpy filled the new array
        data_[i] = value;
        Py_XDECREF(old);
    }
    void share(pybind11::ssize_t i, PyObject* value) noexcept {
        Py_INCREF(value);
        put(i, value);
    }
    [[nodiscard]] PyObject* get(pybind11::ssize_t i) const noexcept { return data_[i]; }
    [[nodiscard]] pybind11::array array() const { return array_; }

private:
    pybind11::array array_;
    PyObject** data_;
};

/// One str per index (client, job, staff member ...), each made once (make) and shared by
/// the rows that need it.
class StrByIndex {
public:
    explicit StrByIndex(std::size_t n) : objects_(n, nullptr) {}
    StrByIndex(const StrByIndex&) = delete;
    StrByIndex& operator=(const StrByIndex&) = delete;
    ~StrByIndex() {
        for (PyObject* o : objects_) Py_XDECREF(o);
    }
    void make(std::size_t i, std::string_view text) {
        if (!objects_[i]) objects_[i] = new_str(text);
    }
    /// The str made for `i` (make must have been called).
    [[nodiscard]] PyObject* operator[](std::size_t i) const noexcept { return objects_[i]; }

private:
    std::vector<PyObject*> objects_;
};

/// One str per distinct text, made on first use and shared. The texts must outlive it.
class StrByText {
public:
    StrByText() = default;
    StrByText(const StrByText&) = delete;
    StrByText& operator=(const StrByText&) = delete;
    ~StrByText() {
        for (auto& [text, o] : objects_) Py_DECREF(o);
    }
    PyObject* get(std::string_view text) {
        auto [it, added] = objects_.try_emplace(text, nullptr);
        if (added) {
            try {
                it->second = new_str(text);
            } catch (...) {
                objects_.erase(it);
                throw;
            }
        }
        return it->second;
    }

private:
    std::unordered_map<std::string_view, PyObject*> objects_;
};

}  // namespace aecore::bind
