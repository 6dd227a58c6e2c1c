// SPDX-License-Identifier: MIT
#include "sources/libvirt/domain_lookup.h"

#include <algorithm>
#include <cctype>
#include <cerrno>

namespace udmaview::virt {

namespace {

std::string lower(std::string s) {
    for (char& c : s)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            const size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] != b[j - 1])});
            diag = up;
        }
    }
    return row[b.size()];
}

std::vector<std::string> all_names(virConnectPtr conn) {
    std::vector<std::string> names;
    virDomainPtr* domains = nullptr;
    const int n = virConnectListAllDomains(conn, &domains, 0);
    for (int i = 0; i < n; ++i) {
        DomainPtr d(domains[i]);
        if (const char* name = virDomainGetName(d.get()))
            names.emplace_back(name);
    }
    free(domains);
    std::sort(names.begin(), names.end());
    return names;
}

std::string join(const std::vector<std::string>& names) {
    std::string out;
    for (const std::string& n : names)
        out += (out.empty() ? "" : ", ") + n;
    return out;
}

} // namespace

std::vector<std::string> near_names(const std::string& wanted,
                                    const std::vector<std::string>& names) {
    const std::string w = lower(wanted);
    std::vector<std::pair<size_t, std::string>> scored;
    for (const std::string& name : names) {
        const std::string n = lower(name);
        const size_t d = edit_distance(w, n);
        const bool part =
            !w.empty() && (n.find(w) != std::string::npos || w.find(n) != std::string::npos);
        if (part || d <= std::max<size_t>(2, w.size() / 3))
            scored.emplace_back(part ? 0 : d, name);
    }
    std::sort(scored.begin(), scored.end());
    std::vector<std::string> out;
    for (auto& [score, name] : scored)
        out.push_back(name);
    return out;
}

Result<DomainPtr> lookup_domain(virConnectPtr conn, const std::string& name,
                                const std::string& uri) {
    if (DomainPtr d{virDomainLookupByName(conn, name.c_str())})
        return d;
    if (DomainPtr d{virDomainLookupByUUIDString(conn, name.c_str())})
        return d;
    const std::vector<std::string> names = all_names(conn);
    const std::vector<std::string> near = near_names(name, names);
    std::string hint;
    if (!near.empty())
        hint = "; did you mean " + join(near) + "?";
    else if (names.empty())
        hint = "; " + uri + " has no domains (virsh -c " + uri + " list --all)";
    else if (names.size() <= 10)
        hint = "; its domains: " + join(names);
    else
        hint = "; see virsh -c " + uri + " list --all";
    return Error{"libvirt: no domain named or with UUID '" + name + "' on " + uri + hint, ENOENT};
}

} // namespace udmaview::virt
