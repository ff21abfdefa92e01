// A C++ application linking aecore::aecore through find_package: builds a small
// agency, uses exact money and the business calendar, saves and reloads the book.

#include <aecore/agency.hpp>
#include <aecore/error.hpp>
#include <aecore/version.hpp>
#include <cstdlib>
#include <filesystem>
#include <iostream>

int main() {
    using namespace aecore;
    namespace bg = boost::gregorian;
    namespace bp = boost::posix_time;

    Agency agency("Sunrise Advertising", "SH", "CNY");
    agency.calendar().add_holiday(bg::date(2026, 10, 1));

    const Staff& ad = agency.add_staff({.name = "Chen Jing", .title = Title::AD,
                                        .hourly_rate = Money::parse("680", "CNY")});
    const std::string ad_id = ad.id;  // references into the agency may move on the next add
    const Staff& ae = agency.add_staff({.name = "Wang Fang", .title = Title::AE,
                                        .hourly_rate = Money::parse("260", "CNY"), .manager = ad_id});
    std::cout << "aecore " << version_string << ": " << agency.staff_members().size() << " staff; "
              << ae.name << " reports to " << agency.staff(*ae.manager).name << "\n";

    // Exact money: a fee split 3:3:1 sums back to the whole, to the fen.
    const Money fee = Money::parse("100000.00", "CNY");
    const std::vector<std::int64_t> weights{3, 3, 1};
    Money total = Money::zero(fee.currency());
    for (const Money& part : fee.allocate(weights)) {
        std::cout << "  part " << part.format() << "\n";
        total += part;
    }

    // JT-7: the internal due time is half a working day before the client deadline.
    const bp::ptime deadline(bg::date(2026, 10, 5), bp::hours(10));
    const bp::ptime due = agency.calendar().subtract_half_business_day(deadline);
    std::cout << "deadline " << bp::to_simple_string(deadline) << " -> internal due " << bp::to_simple_string(due) << "\n";

    // Errors are typed and name field, value and rule.
    try {
        agency.add_staff({.name = "", .title = Title::AE});
    } catch (const ValidationError& e) {
        std::cout << "refused: " << e.what() << "\n";
    }

    const auto path = std::filesystem::temp_directory_path() / "aecore_example_agency.json";
    agency.save(path);
    const Agency loaded = Agency::load(path);
    std::filesystem::remove(path);

    const bool ok = total == fee && loaded == agency && loaded.to_json() == agency.to_json();
    std::cout << (ok ? "aecore C++ consumer OK" : "aecore C++ consumer FAILED") << "\n";
    return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
