// SPDX-License-Identifier: MIT
#include "sources/qemu/qmp.h"

#include <cerrno>
#include <cstring>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "udmaview/clock.h"

namespace udmaview::qemu {

namespace {

class QmpClient {
public:
    QmpClient(UniqueFd fd, std::string path, int timeout_ms)
        : fd_(std::move(fd))
        , path_(std::move(path))
        , deadline_ns_(now_ns() + uint64_t(timeout_ms) * 1'000'000u) {}

    // One JSON line that is not an asynchronous event.
    Result<std::string> read_reply() {
        for (;;) {
            size_t nl;
            while ((nl = buffer_.find('\n')) == std::string::npos) {
                if (Status s = wait(POLLIN); !s)
                    return s.error();
                char chunk[4096];
                ssize_t n = ::recv(fd_.get(), chunk, sizeof chunk, 0);
                if (n < 0 && errno == EINTR)
                    continue;
                if (n < 0)
                    return Error::from_errno(errno, "QMP " + path_ + ": read failed");
                if (n == 0)
                    return Error{"QMP " + path_ + ": QEMU closed the connection", ECONNRESET};
                buffer_.append(chunk, size_t(n));
                if (buffer_.size() > (1u << 20))
                    return Error{"QMP " + path_ + ": reply too long", EPROTO};
            }
            std::string line = buffer_.substr(0, nl);
            buffer_.erase(0, nl + 1);
            if (line.find("\"event\"") != std::string::npos)
                continue;
            return line;
        }
    }

    // Sends one command (with an fd as SCM_RIGHTS when fd >= 0) and checks its reply.
    Status execute(const std::string& command, int fd = -1) {
        const std::string text = command + "\n";
        iovec iov{const_cast<char*>(text.data()), text.size()};
        msghdr msg{};
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
        if (fd >= 0) {
            msg.msg_control = control;
            msg.msg_controllen = sizeof control;
            cmsghdr* c = CMSG_FIRSTHDR(&msg);
            c->cmsg_level = SOL_SOCKET;
            c->cmsg_type = SCM_RIGHTS;
            c->cmsg_len = CMSG_LEN(sizeof(int));
            std::memcpy(CMSG_DATA(c), &fd, sizeof fd);
        }
        if (Status s = wait(POLLOUT); !s)
            return s;
        ssize_t n;
        do
            n = ::sendmsg(fd_.get(), &msg, MSG_NOSIGNAL);
        while (n < 0 && errno == EINTR);
        if (n != ssize_t(text.size()))
            return Error::from_errno(n < 0 ? errno : EIO, "QMP " + path_ + ": write failed");
        Result<std::string> reply = read_reply();
        if (!reply)
            return reply.error();
        if (reply->find("\"return\"") == std::string::npos)
            return Error{"QMP " + path_ + ": " + command + " failed: " + *reply, EPROTO};
        return {};
    }

private:
    Status wait(short events) {
        for (;;) {
            const uint64_t now = now_ns();
            if (now >= deadline_ns_)
                return Error{"QMP " + path_ + ": no answer from QEMU in time", ETIMEDOUT};
            pollfd p{fd_.get(), events, 0};
            int r = ::poll(&p, 1, int((deadline_ns_ - now) / 1'000'000u) + 1);
            if (r < 0 && errno == EINTR)
                continue;
            if (r < 0)
                return Error::from_errno(errno, "QMP " + path_ + ": poll failed");
            if (r > 0)
                return {};
        }
    }

    UniqueFd fd_;
    std::string path_;
    uint64_t deadline_ns_;
    std::string buffer_;
};

} // namespace

Result<UniqueFd> qmp_add_dbus_client(const std::string& qmp_path, int timeout_ms) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (qmp_path.size() >= sizeof addr.sun_path)
        return Error{"QMP socket path too long: " + qmp_path, ENAMETOOLONG};
    std::memcpy(addr.sun_path, qmp_path.c_str(), qmp_path.size() + 1);
    UniqueFd sock(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!sock)
        return Error::from_errno(errno, "QMP: socket failed");
    if (::connect(sock.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0)
        return Error::from_errno(errno, "QMP: cannot connect to " + qmp_path);
    QmpClient qmp(std::move(sock), qmp_path, timeout_ms);
    Result<std::string> greeting = qmp.read_reply();
    if (!greeting)
        return greeting.error();
    if (greeting->find("\"QMP\"") == std::string::npos)
        return Error{"QMP " + qmp_path + ": not a QMP greeting: " + *greeting, EPROTO};
    if (Status s = qmp.execute(R"({"execute": "qmp_capabilities"})"); !s)
        return s.error();

    int pair[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) < 0)
        return Error::from_errno(errno, "QMP: socketpair failed");
    UniqueFd ours(pair[0]), theirs(pair[1]);
    if (Status s = qmp.execute(R"({"execute": "getfd", "arguments": {"fdname": "udmaview"}})",
                               theirs.get());
        !s)
        return s.error();
    theirs.reset(); // QEMU holds its own copy now
    if (Status s = qmp.execute(R"({"execute": "add_client", "arguments": )"
                               R"({"protocol": "@dbus-display", "fdname": "udmaview"}})");
        !s)
        return Error{s.error().message + " (was QEMU started with -display dbus,p2p=yes?)",
                     s.error().errnum};
    return ours;
}

} // namespace udmaview::qemu
