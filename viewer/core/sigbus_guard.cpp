// SPDX-License-Identifier: MIT
#include "udmaview/sigbus_guard.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <iostream>
#include <mutex>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace udmaview {

namespace {

// Everything the handler touches is a fixed-size, lock-free table: a signal handler may not
// take locks or allocate. A slot is written while it is Filling and read only once Live.
enum SlotState : int { Free = 0, Filling = 1, Live = 2 };
constexpr size_t name_bytes = 160;
constexpr size_t max_slots = 256; // mappings of shrinkable files at once
constexpr size_t max_faults = 64; // every fault ends a source: more would be a runaway

struct Slot {
    std::atomic<int> state{Free};
    uintptr_t base = 0;
    size_t size = 0;
    int prot = 0;
    dev_t dev = 0;
    ino_t ino = 0;
    char name[name_bytes] = {};
};

struct FaultRecord {
    std::atomic<bool> ready{false};
    dev_t dev = 0;
    ino_t ino = 0;
    char name[name_bytes] = {};
};

Slot slots[max_slots];
FaultRecord fault_log[max_faults];
std::atomic<uint32_t> fault_slots_taken{0}; // records claimed by handlers
std::atomic<uint32_t> fault_count{0};       // faults whose record is complete
int event_fd = -1;
struct sigaction previous_action {};
std::once_flag installed;

void copy_name(char* to, const char* from) {
    size_t i = 0;
    for (; i + 1 < name_bytes && from[i]; ++i)
        to[i] = from[i];
    to[i] = 0;
}

void pass_on(int signum) {
    // Not one of ours: the previous disposition decides (by default the process dies of
    // SIGBUS, as it would without the guard). SA_NODEFER lets raise() deliver at once.
    ::sigaction(SIGBUS, &previous_action, nullptr);
    ::raise(signum);
}

void on_sigbus(int signum, siginfo_t* info, void*) {
    const int saved_errno = errno;
    const auto addr = reinterpret_cast<uintptr_t>(info->si_addr);
    for (Slot& slot : slots) {
        if (slot.state.load(std::memory_order_acquire) != Live || addr < slot.base ||
            addr - slot.base >= slot.size)
            continue;
        void* got = ::mmap(reinterpret_cast<void*>(slot.base), slot.size, slot.prot,
                           MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS, -1, 0);
        if (got == MAP_FAILED)
            break;
        const uint32_t n = fault_slots_taken.fetch_add(1, std::memory_order_relaxed);
        if (n < max_faults) {
            FaultRecord& record = fault_log[n];
            record.dev = slot.dev;
            record.ino = slot.ino;
            copy_name(record.name, slot.name);
            record.ready.store(true, std::memory_order_release);
        }
        fault_count.fetch_add(1, std::memory_order_release);
        const uint64_t one = 1;
        [[maybe_unused]] ssize_t written = ::write(event_fd, &one, sizeof one);
        errno = saved_errno;
        return;
    }
    errno = saved_errno;
    pass_on(signum);
}

void install() {
    event_fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    struct sigaction action {};
    action.sa_sigaction = on_sigbus;
    action.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&action.sa_mask);
    if (event_fd < 0 || ::sigaction(SIGBUS, &action, &previous_action) < 0)
        std::cerr << "udmaview: installing the SIGBUS guard failed (" << std::strerror(errno)
                  << "); a file shrunk under the viewer will kill it\n";
}

std::string fd_path(int fd) {
    char link[64], target[name_bytes];
    std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    const ssize_t n = ::readlink(link, target, sizeof target - 1);
    if (n <= 0)
        return "fd " + std::to_string(fd);
    return std::string(target, size_t(n));
}

} // namespace

bool SigbusGuard::may_shrink(int fd) {
    struct stat st {};
    if (::fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
        return false;
    const int seals = ::fcntl(fd, F_GET_SEALS);
    return seals < 0 || !(seals & F_SEAL_SHRINK);
}

bool SigbusGuard::guard(void* base, size_t size, int prot, int fd) {
    std::call_once(installed, install);
    struct stat st {};
    if (::fstat(fd, &st) < 0)
        return false;
    const std::string name = fd_path(fd);
    for (Slot& slot : slots) {
        int expected = Free;
        if (!slot.state.compare_exchange_strong(expected, Filling, std::memory_order_acquire))
            continue;
        slot.base = reinterpret_cast<uintptr_t>(base);
        slot.size = size;
        slot.prot = prot;
        slot.dev = st.st_dev;
        slot.ino = st.st_ino;
        copy_name(slot.name, name.c_str());
        slot.state.store(Live, std::memory_order_release);
        return true;
    }
    static std::once_flag warned;
    std::call_once(warned, [&] {
        std::cerr << "udmaview: more than " << max_slots << " mappings of files that may shrink; "
                  << name << " is mapped without the SIGBUS guard\n";
    });
    return false;
}

void SigbusGuard::unguard(void* base, size_t size) {
    const auto first = reinterpret_cast<uintptr_t>(base);
    for (Slot& slot : slots)
        if (slot.state.load(std::memory_order_acquire) == Live && slot.base >= first &&
            slot.base - first < size)
            slot.state.store(Free, std::memory_order_release);
}

int SigbusGuard::notify_fd() {
    std::call_once(installed, install);
    return event_fd;
}

uint64_t SigbusGuard::faults() {
    return fault_count.load(std::memory_order_acquire);
}

void SigbusGuard::acknowledge() {
    uint64_t count;
    while (event_fd >= 0 && ::read(event_fd, &count, sizeof count) == sizeof count) {
    }
}

std::optional<std::string> SigbusGuard::faulted_file(int fd, uint64_t since) {
    const uint32_t n = std::min<uint32_t>(fault_count.load(std::memory_order_acquire), max_faults);
    if (n <= since)
        return std::nullopt;
    struct stat st {};
    if (::fstat(fd, &st) < 0)
        return std::nullopt;
    for (uint32_t i = uint32_t(since); i < n; ++i) {
        const FaultRecord& record = fault_log[i];
        if (record.ready.load(std::memory_order_acquire) && record.dev == st.st_dev &&
            record.ino == st.st_ino)
            return std::string(record.name);
    }
    return std::nullopt;
}

} // namespace udmaview
