// Clients (CL-1..CL-7, ST-3) for Python: enums, read-only snapshots of the client record
// and its parts, and the Agency methods that register and change clients, with the
// cadence, follow-up and tiering queries.

#include <pybind11/stl.h>

#include "aecore/agency.hpp"
#include "casters.hpp"

namespace py = pybind11;

namespace aecore::bind {

namespace {
template <class T>
T kw(const py::handle& value, const char* fn, const std::string& key, const char* expected) {
    const bool wrong_str = std::is_same_v<T, std::string> && !PyUnicode_Check(value.ptr());
    if (!wrong_str) {
        try {
            return value.cast<T>();
        } catch (const py::cast_error&) {
        }
    }
    throw py::type_error(std::string(fn) + "() argument '" + key + "' must be " + expected + ", not " +
                         py::type::of(value).attr("__name__").cast<std::string>());
}

ClientUpdate client_update_from_kwargs(const py::kwargs& kwargs) {
    ClientUpdate u;
    for (const auto& [k, v] : kwargs) {
        const std::string key = k.cast<std::string>();
        auto text = [&] { return kw<std::string>(v, "update_client", key, "str"); };
        if (key == "name") u.name = text();
        else if (key == "address") u.address = text();
        else if (key == "phone") u.phone = text();
        else if (key == "fax") u.fax = text();
        else if (key == "email") u.email = text();
        else if (key == "notes") u.notes = text();
        else if (key == "background") u.background = text();
        else if (key == "annual_budget") u.annual_budget = kw<Money>(v, "update_client", key, "Money");
        else
            throw py::type_error("update_client() got an unexpected keyword argument '" + key +
                                 "' (allowed: name, address, phone, fax, email, annual_budget, notes, background)");
    }
    return u;
}
}  // namespace

void clients(py::module_& m) {
    native_enum_from_names<DecisionRole>(m, "CL-3: a contact's part in the client's decisions.");
    native_enum_from_names<PipelineStage>(m, "CL-6: the five-step pipeline stage of a client.");
    native_enum_from_names<Tier>(m, "CL-5: client tier by trailing-12-month billings.");
    native_enum_from_names<VisitOwner>(m, "CL-5 tier policy: who visits the client.");
    native_enum_from_names<PaymentTerms>(m, "CL-5 tier policy: payment terms offered.");

    py::class_<Brand>(m, "Brand", "A client's brand and its products (snapshot).")
        .def_readonly("name", &Brand::name)
        .def_readonly("products", &Brand::products)
        .def("__eq__", [](const Brand& a, const Brand& b) { return a == b; }, py::is_operator());
    py::class_<Contact>(m, "Contact", "A client contact with a decision role (CL-3; snapshot).")
        .def_readonly("id", &Contact::id)
        .def_readonly("name", &Contact::name)
        .def_readonly("job_title", &Contact::job_title)
        .def_readonly("role", &Contact::role)
        .def_readonly("phone", &Contact::phone)
        .def_readonly("email", &Contact::email)
        .def_readonly("primary", &Contact::primary)
        .def("__eq__", [](const Contact& a, const Contact& b) { return a == b; }, py::is_operator());
    py::class_<Contract>(m, "Contract", "A service contract (CL-7; snapshot).")
        .def_readonly("id", &Contract::id)
        .def_readonly("start", &Contract::start)
        .def_readonly("end", &Contract::end)
        .def_readonly("monthly_fee", &Contract::monthly_fee)
        .def_readonly("payment_terms", &Contract::payment_terms)
        .def("__eq__", [](const Contract& a, const Contract& b) { return a == b; }, py::is_operator());
    py::class_<AccountTeam>(m, "AccountTeam", "ST-3: the responsible AE plus optional AAE, AM and AD (staff ids).")
        .def_readonly("ae", &AccountTeam::ae)
        .def_readonly("aae", &AccountTeam::aae)
        .def_readonly("am", &AccountTeam::am)
        .def_readonly("ad", &AccountTeam::ad)
        .def("__eq__", [](const AccountTeam& a, const AccountTeam& b) { return a == b; }, py::is_operator());
    py::class_<TeamAssignment>(m, "TeamAssignment", "One entry of a client's team history.")
        .def_readonly("effective", &TeamAssignment::effective)
        .def_readonly("team", &TeamAssignment::team)
        .def_readonly("note", &TeamAssignment::note);
    py::class_<StageChange>(m, "StageChange", "One entry of a client's pipeline history (CL-6).")
        .def_readonly("date", &StageChange::date)
        .def_readonly("stage", &StageChange::stage)
        .def_readonly("note", &StageChange::note)
        .def_readonly("delivered_on", &StageChange::delivered_on);
    py::class_<Client>(m, "Client", "A client record (CL-2): a snapshot taken from the Agency.")
        .def_readonly("code", &Client::code, "CL-1 code {CITY}-{YYYYMM}-{NAME}-{NNN}.")
        .def_readonly("name", &Client::name)
        .def_readonly("short_name", &Client::short_name)
        .def_readonly("city", &Client::city)
        .def_readonly("first_contact", &Client::first_contact)
        .def_readonly("address", &Client::address)
        .def_readonly("phone", &Client::phone)
        .def_readonly("fax", &Client::fax)
        .def_readonly("email", &Client::email)
        .def_readonly("annual_budget", &Client::annual_budget)
        .def_readonly("brands", &Client::brands)
        .def_readonly("contacts", &Client::contacts)
        .def_readonly("contracts", &Client::contracts)
        .def_readonly("notes", &Client::notes)
        .def_readonly("background", &Client::background)
        .def_readonly("team_history", &Client::team_history)
        .def_readonly("stage_history", &Client::stage_history)
        .def_readonly("archived", &Client::archived)
        .def_property_readonly("team", &Client::team, "The current account team.")
        .def_property_readonly("stage", &Client::stage, "The current pipeline stage.")
        .def_property_readonly("owner", [](const Client& c) { return c.team().ae; }, "Staff id of the responsible AE.")
        .def_property_readonly(
            "primary_contact",
            [](const Client& c) -> std::optional<Contact> {
                if (const Contact* k = c.primary_contact()) return *k;
                return std::nullopt;
            },
            "The primary contact, or None.")
        .def("__eq__", [](const Client& a, const Client& b) { return a == b; }, py::is_operator());

    py::class_<TierAssignment>(m, "TierAssignment", "CL-5: one client's tier with the figures behind it.")
        .def_readonly("client", &TierAssignment::client)
        .def_readonly("tier", &TierAssignment::tier)
        .def_readonly("billings", &TierAssignment::billings, "Trailing-12-month billings (Money).")
        .def_readonly("share", &TierAssignment::share, "Share of all billings (Decimal, 4 places).")
        .def_readonly("cumulative_share", &TierAssignment::cumulative_share)
        .def_readonly("days_overdue", &TierAssignment::days_overdue)
        .def_readonly("demoted", &TierAssignment::demoted, "A by billings, B because a receivable is too far overdue.")
        .def_readonly("late_credit", &TierAssignment::late_credit, "MB-6: credit is Late, so the payment terms are one step stricter.")
        .def_property_readonly("visits", &TierAssignment::visits)
        .def_property_readonly("payment_terms", &TierAssignment::payment_terms);
    py::class_<OverdueContact>(m, "OverdueContact", "CL-4: a client past its contact cadence.")
        .def_readonly("client", &OverdueContact::client)
        .def_readonly("last_contact", &OverdueContact::last_contact)
        .def_readonly("due", &OverdueContact::due)
        .def_readonly("business_days_overdue", &OverdueContact::business_days_overdue,
                      "Business days passed since the due date (at least 1).");

    auto agency = py::reinterpret_borrow<py::class_<Agency>>(m.attr("Agency"));
    agency
        .def(
            "register_client",
            [](Agency& a, std::string name, std::string short_name, std::string city, const Date& first_contact,
               std::string owner, std::optional<std::string> aae, std::optional<std::string> am,
               std::optional<std::string> ad, PipelineStage stage, std::string address, std::string phone,
               std::string fax, std::string email, std::optional<Money> annual_budget, std::string notes,
               std::string background) {
                return a.register_client(NewClient{.name = std::move(name),
                                                   .short_name = std::move(short_name),
                                                   .city = std::move(city),
                                                   .first_contact = first_contact,
                                                   .team = AccountTeam{std::move(owner), std::move(aae), std::move(am), std::move(ad)},
                                                   .stage = stage,
                                                   .address = std::move(address),
                                                   .phone = std::move(phone),
                                                   .fax = std::move(fax),
                                                   .email = std::move(email),
                                                   .annual_budget = annual_budget,
                                                   .notes = std::move(notes),
                                                   .background = std::move(background)});
            },
            py::arg("name"), py::arg("short_name"), py::arg("city"), py::arg("first_contact"), py::arg("owner"),
            py::kw_only(), py::arg("aae") = py::none(), py::arg("am") = py::none(), py::arg("ad") = py::none(),
            py::arg("stage") = PipelineStage::Potential, py::arg("address") = "", py::arg("phone") = "",
            py::arg("fax") = "", py::arg("email") = "", py::arg("annual_budget") = py::none(), py::arg("notes") = "",
            py::arg("background") = "", py::return_value_policy::copy,
            R"doc(Register a client and return it with its generated code (CL-1, CL-2, ST-3).

short_name: 1-12 upper-case letters/digits for the code; city: city code (upper-case);
first_contact: datetime.date; owner: staff id of the responsible AE (must be an active
AE); aae/am/ad: optional team members of those titles. Raises ValidationError (bad
fields, duplicate name in the city, owner not an AE) or NotFoundError (unknown staff).)doc")
        .def(
            "update_client",
            [](Agency& a, std::string_view code, const py::kwargs& changes) {
                return a.update_client(code, client_update_from_kwargs(changes));
            },
            py::arg("code"), py::return_value_policy::copy,
            "Change descriptive fields (name, address, phone, fax, email, annual_budget, notes, background).")
        .def("get_client", &Agency::client, py::arg("code"), py::return_value_policy::copy,
             "The client with `code`; raises NotFoundError.")
        .def(
            "find_client",
            [](const Agency& a, std::string_view code) -> std::optional<Client> {
                if (const Client* c = a.find_client(code)) return *c;
                return std::nullopt;
            },
            py::arg("code"), "The client with `code`, or None.")
        .def_property_readonly("clients", [](const Agency& a) { return a.clients(); },
                               "Every client (snapshots), archived ones included, in order registered.")
        .def("add_brand", &Agency::add_brand, py::arg("code"), py::arg("brand"))
        .def("add_product", &Agency::add_product, py::arg("code"), py::arg("brand"), py::arg("product"))
        .def(
            "add_contact",
            [](Agency& a, std::string_view code, std::string name, DecisionRole role, std::string job_title,
               std::string phone, std::string email, bool primary) {
                return a.add_contact(code, NewContact{std::move(name), role, std::move(job_title), std::move(phone),
                                                      std::move(email), primary});
            },
            py::arg("code"), py::arg("name"), py::kw_only(), py::arg("role") = DecisionRole::Executor,
            py::arg("job_title") = "", py::arg("phone") = "", py::arg("email") = "", py::arg("primary") = false,
            py::return_value_policy::copy, "Add a contact (CL-3); at most one primary contact per client.")
        .def("set_primary_contact", &Agency::set_primary_contact, py::arg("code"), py::arg("contact_id"))
        .def("add_contract", &Agency::add_contract, py::arg("code"), py::kw_only(), py::arg("start"), py::arg("end"),
             py::arg("monthly_fee"), py::arg("payment_terms") = "", py::return_value_policy::copy,
             "Add a service contract (CL-7).")
        .def(
            "assign_team",
            [](Agency& a, std::string_view code, std::string ae, std::optional<std::string> aae,
               std::optional<std::string> am, std::optional<std::string> ad, const Date& effective, std::string note) {
                a.assign_team(code, AccountTeam{std::move(ae), std::move(aae), std::move(am), std::move(ad)}, effective,
                              std::move(note));
            },
            py::arg("code"), py::kw_only(), py::arg("ae"), py::arg("aae") = py::none(), py::arg("am") = py::none(),
            py::arg("ad") = py::none(), py::arg("effective"), py::arg("note") = "",
            "Assign a new account team from `effective` on (ST-3); the history is kept.")
        .def("set_stage", &Agency::set_stage, py::arg("code"), py::arg("stage"), py::kw_only(), py::arg("on"),
             py::arg("note") = "", py::arg("delivered_on") = py::none(),
             "Move the client to a pipeline stage (CL-6); `delivered_on` starts the Closed follow-ups.")
        .def("archive_client", &Agency::archive_client, py::arg("code"),
             "Archive a client: kept, never renumbered, left out of cadence, follow-ups and tiering.")
        .def("next_follow_up", &Agency::next_follow_up, py::arg("code"), py::arg("as_of"),
             "CL-6: the next follow-up date by the five-step rule, or None.")
        .def("last_contact", &Agency::last_contact, py::arg("code"), py::arg("as_of"),
             "The time of the client's last activity up to the end of `as_of`, or None.")
        .def("overdue_contacts", &Agency::overdue_contacts, py::arg("as_of"),
             "CL-4: active clients past their contact cadence on `as_of`.")
        .def(
            "tiers",
            [](const Agency& a, const Date& as_of, const std::optional<std::map<std::string, Money>>& billings,
               const std::optional<std::map<std::string, int>>& days_overdue) {
                if (!billings && !days_overdue) return a.tiers(as_of);  // from the ledger
                ExplicitBilling source(a.currency());
                // A key that is not a client code is a mistake (a short name, a typo), not a zero.
                for (const auto& [code, amount] : billings.value_or(std::map<std::string, Money>{})) {
                    if (!a.find_client(code))
                        throw NotFoundError("CL-5", "billings", quote(code), "is not a client code");
                    source.set_billings(code, amount);
                }
                for (const auto& [code, days] : days_overdue.value_or(std::map<std::string, int>{})) {
                    if (!a.find_client(code))
                        throw NotFoundError("CL-5", "days_overdue", quote(code), "is not a client code");
                    source.set_days_overdue(code, days);
                }
                return a.tiers(as_of, source);
            },
            py::arg("as_of"), py::kw_only(), py::arg("billings") = py::none(), py::arg("days_overdue") = py::none(),
            R"doc(CL-5 tiers of the non-archived clients, best first.

By default the figures come from the ledger: trailing-12-month billings net of credit
notes, the most overdue open invoice, and MB-6 credit status (Late credit makes the
payment terms one step stricter). To try other figures, pass billings (client code ->
Money; missing = zero) and/or days_overdue (client code -> days; missing = 0).)doc");
}

}  // namespace aecore::bind
