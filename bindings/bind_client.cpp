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
        .def_readonly("name", &Brand::name, "Brand name (str), unique within the client.")
        .def_readonly("products", &Brand::products, "Product names (list of str) in the order added, unique within the brand.")
        .def("__eq__", [](const Brand& a, const Brand& b) { return a == b; }, py::is_operator());
    py::class_<Contact>(m, "Contact", "A client contact with a decision role (CL-3; snapshot).")
        .def_readonly("id", &Contact::id, "Contact id (str): 'K01', 'K02', ... unique within the client.")
        .def_readonly("name", &Contact::name, "The contact's name (str).")
        .def_readonly("job_title", &Contact::job_title, "Job title at the client (str; '' when not given).")
        .def_readonly("role", &Contact::role, "aecore.DecisionRole: the contact's part in the client's decisions (CL-3).")
        .def_readonly("phone", &Contact::phone, "Phone number (str; '' when not given).")
        .def_readonly("email", &Contact::email, "E-mail address (str; '' when not given).")
        .def_readonly("primary", &Contact::primary, "True for the client's one primary contact (CL-3).")
        .def("__eq__", [](const Contact& a, const Contact& b) { return a == b; }, py::is_operator());
    py::class_<Contract>(m, "Contract", "A service contract (CL-7; snapshot).")
        .def_readonly("id", &Contract::id, "Contract id (str): 'T01', 'T02', ... unique within the client.")
        .def_readonly("start", &Contract::start, "First day of the contract (datetime.date).")
        .def_readonly("end", &Contract::end, "Last day of the contract, inclusive (datetime.date).")
        .def_readonly("monthly_fee", &Contract::monthly_fee, "Monthly service fee (Money, agency currency).")
        .def_readonly("payment_terms", &Contract::payment_terms, "Agreed payment terms, free text (str; '' when not given).")
        .def("__eq__", [](const Contract& a, const Contract& b) { return a == b; }, py::is_operator());
    py::class_<AccountTeam>(m, "AccountTeam", "ST-3: the responsible AE plus optional AAE, AM and AD (staff ids).")
        .def_readonly("ae", &AccountTeam::ae, "Staff id of the responsible AE, the client's owner (str, always set; ST-3).")
        .def_readonly("aae", &AccountTeam::aae, "Staff id of the AAE (str), or None.")
        .def_readonly("am", &AccountTeam::am, "Staff id of the supervising AM (str), or None.")
        .def_readonly("ad", &AccountTeam::ad, "Staff id of the AD (str), or None.")
        .def("__eq__", [](const AccountTeam& a, const AccountTeam& b) { return a == b; }, py::is_operator());
    py::class_<TeamAssignment>(m, "TeamAssignment", "One entry of a client's team history.")
        .def_readonly("effective", &TeamAssignment::effective, "Date from which this team is in force (datetime.date).")
        .def_readonly("team", &TeamAssignment::team, "The AccountTeam in force from `effective`.")
        .def_readonly("note", &TeamAssignment::note, "Why the team changed (str; 'initial team' for the first entry).");
    py::class_<StageChange>(m, "StageChange", "One entry of a client's pipeline history (CL-6).")
        .def_readonly("date", &StageChange::date, "Date of the stage change (datetime.date).")
        .def_readonly("stage", &StageChange::stage, "The aecore.PipelineStage entered on `date`.")
        .def_readonly("note", &StageChange::note, "Note on the change (str; 'registered' for the first entry).")
        .def_readonly("delivered_on", &StageChange::delivered_on,
                      "Closed only: the delivery date (datetime.date) that starts the follow-ups on day 3, 7 and 15; "
                      "None for the other stages.");
    py::class_<Client>(m, "Client", "A client record (CL-2): a snapshot taken from the Agency.")
        .def_readonly("code", &Client::code, "CL-1 code {CITY}-{YYYYMM}-{NAME}-{NNN}.")
        .def_readonly("name", &Client::name, "The client's name (str), unique within its city (CL-2).")
        .def_readonly("short_name", &Client::short_name,
                      "Short name, 1-12 upper-case letters/digits: the NAME part of the code (CL-1).")
        .def_readonly("city", &Client::city,
                      "City code (upper-case letters, CL-1); clients in the agency's home city have the daily "
                      "contact cadence (CL-4).")
        .def_readonly("first_contact", &Client::first_contact,
                      "Date of first contact (datetime.date); its year and month are in the code (CL-1).")
        .def_readonly("address", &Client::address, "Postal address (str; '' when not given).")
        .def_readonly("phone", &Client::phone, "Phone number (str; '' when not given).")
        .def_readonly("fax", &Client::fax, "Fax number (str; '' when not given).")
        .def_readonly("email", &Client::email, "E-mail address (str; '' when not given).")
        .def_readonly("annual_budget", &Client::annual_budget,
                      "Annual advertising budget (Money, agency currency; zero when not given), compared with the "
                      "year's billings in the MB-4 reconciliation.")
        .def_readonly("brands", &Client::brands, "The client's brands (list of Brand), in the order added.")
        .def_readonly("contacts", &Client::contacts, "Key contacts (list of Contact), in the order added (CL-3).")
        .def_readonly("contracts", &Client::contracts, "Service contracts (list of Contract), in the order added (CL-7).")
        .def_readonly("notes", &Client::notes, "Free-text notes (str).")
        .def_readonly("background", &Client::background, "Key persons' background (str).")
        .def_readonly("team_history", &Client::team_history,
                      "Every account-team assignment (list of TeamAssignment), oldest first; the last is the current "
                      "team (ST-3).")
        .def_readonly("stage_history", &Client::stage_history,
                      "Every pipeline stage change (list of StageChange), oldest first; the last is the current stage "
                      "(CL-6).")
        .def_readonly("archived", &Client::archived,
                      "True once archived: the client is kept and read-only, its code never reused.")
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
        .def_readonly("client", &TierAssignment::client, "Client code (str).")
        .def_readonly("tier", &TierAssignment::tier, "aecore.Tier A, B or C (CL-5).")
        .def_readonly("billings", &TierAssignment::billings, "Trailing-12-month billings (Money).")
        .def_readonly("share", &TierAssignment::share, "Share of all billings (Decimal, 4 places).")
        .def_readonly("cumulative_share", &TierAssignment::cumulative_share,
                      "Share of all billings held by this client and every client ranked above it (Decimal, 4 places).")
        .def_readonly("days_overdue", &TierAssignment::days_overdue,
                      "Days the client's most overdue open receivable is past due (int; 0 when nothing is overdue).")
        .def_readonly("demoted", &TierAssignment::demoted, "A by billings, B because a receivable is too far overdue.")
        .def_readonly("late_credit", &TierAssignment::late_credit, "MB-6: credit is Late, so the payment terms are one step stricter.")
        .def_property_readonly("visits", &TierAssignment::visits,
                               "CL-5 tier policy: who visits the client (aecore.VisitOwner; A senior management, B "
                               "the AM, C the AE).")
        .def_property_readonly("payment_terms", &TierAssignment::payment_terms,
                               "CL-5 tier policy: payment terms offered (aecore.PaymentTerms; A credit, B deposit, C "
                               "prepayment), one step stricter with Late credit (MB-6).");
    py::class_<OverdueContact>(m, "OverdueContact", "CL-4: a client past its contact cadence.")
        .def_readonly("client", &OverdueContact::client, "Client code (str).")
        .def_readonly("last_contact", &OverdueContact::last_contact,
                      "Date of the last activity with the client, or its first contact when there was none "
                      "(datetime.date).")
        .def_readonly("due", &OverdueContact::due, "The business day by which the next contact was due (datetime.date).")
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
AE); aae/am/ad: optional team members of those titles; annual_budget: Money in the agency
currency. Raises ValidationError (CL-1 bad city or short name; CL-2 bad fields or a name
another client in the city has; ST-3 an owner who is not an active AE, a team member of
another title; MB-1 a budget in another currency) or NotFoundError (ST-3, unknown staff).)doc")
        .def(
            "update_client",
            [](Agency& a, std::string_view code, const py::kwargs& changes) {
                return a.update_client(code, client_update_from_kwargs(changes));
            },
            py::arg("code"), py::return_value_policy::copy,
            R"doc(Change descriptive fields of the client `code` and return the new record (CL-2).

Keywords: name, address, phone, fax, email, annual_budget (Money, agency currency), notes,
background. Raises NotFoundError (CL-1) for an unknown code, StateError (CL-2) for an
archived client, ValidationError (CL-2/MB-1) for a bad value (empty name, a name another
client in the city has, foreign currency or negative budget), TypeError for an unknown
keyword.)doc")
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
        .def("add_brand", &Agency::add_brand, py::arg("code"), py::arg("brand"),
             R"doc(Add the brand `brand` (a name) to the client `code` (CL-2).

Raises NotFoundError (CL-1) for an unknown client, StateError (CL-2) for an archived one,
ValidationError (CL-2) for an empty name or a brand the client already has.)doc")
        .def("add_product", &Agency::add_product, py::arg("code"), py::arg("brand"), py::arg("product"),
             R"doc(Add the product `product` (a name) to a brand of the client `code` (CL-2).

Raises NotFoundError (CL-1 unknown client, CL-2 unknown brand), StateError (CL-2) for an
archived client, ValidationError (CL-2) for an empty name or a product the brand already
has.)doc")
        .def(
            "add_contact",
            [](Agency& a, std::string_view code, std::string name, DecisionRole role, std::string job_title,
               std::string phone, std::string email, bool primary) {
                return a.add_contact(code, NewContact{std::move(name), role, std::move(job_title), std::move(phone),
                                                      std::move(email), primary});
            },
            py::arg("code"), py::arg("name"), py::kw_only(), py::arg("role") = DecisionRole::Executor,
            py::arg("job_title") = "", py::arg("phone") = "", py::arg("email") = "", py::arg("primary") = false,
            py::return_value_policy::copy,
            R"doc(Add a contact to the client `code` and return it with its id 'K01', ... (CL-3).

role: aecore.DecisionRole (default EXECUTOR); primary: make it the primary contact. Raises
NotFoundError (CL-1) for an unknown client, StateError (CL-2) for an archived one,
ValidationError (CL-3) for an empty name, a bad e-mail, or primary=True when the client
already has a primary contact (change it with set_primary_contact).)doc")
        .def("set_primary_contact", &Agency::set_primary_contact, py::arg("code"), py::arg("contact_id"),
             R"doc(Make `contact_id` the only primary contact of the client `code` (CL-3).

Raises NotFoundError (CL-1 unknown client, CL-3 not a contact of the client) or StateError
(CL-2) for an archived client.)doc")
        .def("add_contract", &Agency::add_contract, py::arg("code"), py::kw_only(), py::arg("start"), py::arg("end"),
             py::arg("monthly_fee"), py::arg("payment_terms") = "", py::return_value_policy::copy,
             R"doc(Add a service contract to the client `code` and return it with its id 'T01', ... (CL-7).

start / end: datetime.date, end inclusive; monthly_fee: Money in the agency currency.
Raises NotFoundError (CL-1), StateError (CL-2, archived client), ValidationError (CL-7
end before start or negative fee; MB-1 fee in another currency).)doc")
        .def(
            "assign_team",
            [](Agency& a, std::string_view code, std::string ae, std::optional<std::string> aae,
               std::optional<std::string> am, std::optional<std::string> ad, const Date& effective, std::string note) {
                a.assign_team(code, AccountTeam{std::move(ae), std::move(aae), std::move(am), std::move(ad)}, effective,
                              std::move(note));
            },
            py::arg("code"), py::kw_only(), py::arg("ae"), py::arg("aae") = py::none(), py::arg("am") = py::none(),
            py::arg("ad") = py::none(), py::arg("effective"), py::arg("note") = "",
            R"doc(Assign a new account team to the client `code` from `effective` (datetime.date) on (ST-3).

ae (required), aae, am, ad: staff ids of active staff with exactly those titles. The
history is kept. Raises NotFoundError (CL-1 client, ST-3 staff), StateError (CL-2,
archived client), ValidationError (ST-3: wrong title, inactive member, `effective` before
the current team's start).)doc")
        .def("set_stage", &Agency::set_stage, py::arg("code"), py::arg("stage"), py::kw_only(), py::arg("on"),
             py::arg("note") = "", py::arg("delivered_on") = py::none(),
             R"doc(Move the client `code` to a pipeline stage on the date `on` (CL-6).

delivered_on (Closed only; defaults to `on`) starts the follow-ups on day 3, 7 and 15.
Raises NotFoundError (CL-1), StateError (CL-2, archived client), ValidationError (CL-6:
`on` before the last stage change, delivered_on with another stage).)doc")
        .def("archive_client", &Agency::archive_client, py::arg("code"),
             "Archive a client: kept, never renumbered, left out of cadence, follow-ups and tiering. Raises "
             "NotFoundError (CL-1) for an unknown code, StateError (CL-2) when it is already archived.")
        .def("next_follow_up", &Agency::next_follow_up, py::arg("code"), py::arg("as_of"),
             "CL-6: the next follow-up date (datetime.date, rolled to a business day) by the five-step rule as "
             "known on `as_of`; None for Abandon, archived clients and after the last follow-up. Raises "
             "NotFoundError (CL-1).")
        .def("last_contact", &Agency::last_contact, py::arg("code"), py::arg("as_of"),
             "The time (datetime.datetime) of the client's last activity up to the end of `as_of`, or None. Raises "
             "NotFoundError (CL-1).")
        .def("overdue_contacts", &Agency::overdue_contacts, py::arg("as_of"),
             "CL-4: Closed and Negotiating clients past their contact cadence on `as_of` (list of OverdueContact; "
             "home city every business day, elsewhere every 3, from the Policy).")
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
Money; missing = zero) and/or days_overdue (client code -> days; missing = 0).
Raises NotFoundError (CL-5) for a key that is not a client code, ValidationError (CL-5)
for `as_of` before 1401 or (MB-1) billings in another currency.)doc");
}

}  // namespace aecore::bind
