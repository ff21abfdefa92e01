#include "aecore/staff.hpp"

namespace aecore {

std::string_view department_code(Department d) noexcept {
    switch (d) {
        case Department::Account: return "AC";
        case Department::Creative: return "CR";
        case Department::Media: return "MD";
        case Department::Research: return "RS";
        case Department::Production: return "PD";
        case Department::Finance: return "FN";
        case Department::Management: return "MG";
    }
    return "??";
}

}  // namespace aecore
