/* addr.c - the socket address of the virtual radio: parse, connect, listen (wbota_wire.h). */
#include "wbota_wire.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

_Static_assert(WBOTA_WIRE_PATH_MAX == sizeof(((struct sockaddr_un *)0)->sun_path),
               "WBOTA_WIRE_PATH_MAX must match sun_path");

static wbota_err_t prv_bad(char *msg, size_t cap, const char *why, const char *spec)
{
    if (msg != NULL && cap > 0u) {
        (void)snprintf(msg, cap, "bad socket address \"%.100s\": %s", spec, why);
    }
    return WBOTA_E_PARSE;
}

wbota_err_t wbota_wire_addr_parse(const char *spec, wbota_wire_addr_t *out, char *msg, size_t cap)
{
    if (spec == NULL || out == NULL) {
        return WBOTA_E_ARG;
    }
    memset(out, 0, sizeof(*out));
    if (spec[0] == '\0') {
        return prv_bad(msg, cap, "empty (want HOST:PORT or a Unix socket path)", spec);
    }
    const char *colon = strrchr(spec, ':');
    if (strchr(spec, '/') != NULL || colon == NULL) {
        size_t n = strlen(spec);
        if (n >= sizeof(out->path)) {
            return prv_bad(msg, cap, "Unix socket path too long", spec);
        }
        out->is_unix = true;
        memcpy(out->path, spec, n + 1u);
        return WBOTA_OK;
    }
    const char *ps = colon + 1;
    if (*ps == '\0' || strlen(ps) > 5u) {
        return prv_bad(msg, cap, "port must be a number 0..65535", spec);
    }
    unsigned long port = 0u;
    for (const char *c = ps; *c != '\0'; c++) {
        if (*c < '0' || *c > '9') {
            return prv_bad(msg, cap, "port must be a number 0..65535", spec);
        }
        port = port * 10u + (unsigned long)(*c - '0');
    }
    if (port > 65535u) {
        return prv_bad(msg, cap, "port must be a number 0..65535", spec);
    }
    const char *h = spec;
    size_t hl = (size_t)(colon - spec);
    if (hl >= 2u && h[0] == '[' && h[hl - 1u] == ']') {
        h++;
        hl -= 2u;
    }
    if (hl == 0u) {
        h = "127.0.0.1";
        hl = strlen(h);
    }
    if (hl >= sizeof(out->host)) {
        return prv_bad(msg, cap, "host name too long", spec);
    }
    memcpy(out->host, h, hl);
    out->host[hl] = '\0';
    out->port = (uint16_t)port;
    return WBOTA_OK;
}

static int prv_unix(const wbota_wire_addr_t *a, bool server, char *msg, size_t cap)
{
    struct sockaddr_un sa;
    memset(&sa, 0, sizeof(sa));
    sa.sun_family = AF_UNIX;
    memcpy(sa.sun_path, a->path, strlen(a->path) + 1u);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0) {
        (void)snprintf(msg, cap, "socket: %s", strerror(errno));
        return -1;
    }
    if (server) {
        (void)unlink(a->path);
    }
    int rc = server ? bind(fd, (struct sockaddr *)&sa, sizeof(sa))
                    : connect(fd, (struct sockaddr *)&sa, sizeof(sa));
    if (rc == 0 && server) {
        rc = listen(fd, 1);
    }
    if (rc != 0) {
        (void)snprintf(msg, cap, "cannot %s %.100s: %s", server ? "listen on" : "connect to",
                       a->path, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

static int prv_tcp(const wbota_wire_addr_t *a, bool server, char *msg, size_t cap)
{
    if (!server && a->port == 0u) {
        (void)snprintf(msg, cap, "cannot connect to %.100s:0: port 0 only makes sense to listen",
                       a->host);
        return -1;
    }
    struct addrinfo hints;
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = server ? AI_PASSIVE : 0;
    char ps[8];
    (void)snprintf(ps, sizeof(ps), "%u", (unsigned)a->port);
    struct addrinfo *res = NULL;
    int g = getaddrinfo(a->host, ps, &hints, &res);
    if (g != 0) {
        (void)snprintf(msg, cap, "cannot resolve %.100s: %s", a->host, gai_strerror(g));
        return -1;
    }
    int fd = -1;
    int last = 0;
    for (struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd < 0) {
            last = errno;
            continue;
        }
        int one = 1;
        int rc;
        if (server) {
            (void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
            rc = bind(fd, ai->ai_addr, ai->ai_addrlen);
            if (rc == 0) {
                rc = listen(fd, 1);
            }
        } else {
            rc = connect(fd, ai->ai_addr, ai->ai_addrlen);
            if (rc == 0) {
                (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
            }
        }
        if (rc == 0) {
            break;
        }
        last = errno;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0) {
        (void)snprintf(msg, cap, "cannot %s %.100s:%u: %s", server ? "listen on" : "connect to",
                       a->host, (unsigned)a->port, strerror(last));
    }
    return fd;
}

int wbota_wire_connect(const wbota_wire_addr_t *addr, char *msg, size_t cap)
{
    return addr->is_unix ? prv_unix(addr, false, msg, cap) : prv_tcp(addr, false, msg, cap);
}

int wbota_wire_listen(const wbota_wire_addr_t *addr, char *bound, size_t bound_cap, char *msg,
                      size_t cap)
{
    if (addr->is_unix) {
        int fd = prv_unix(addr, true, msg, cap);
        if (fd >= 0) {
            (void)snprintf(bound, bound_cap, "%s", addr->path);
        }
        return fd;
    }
    int fd = prv_tcp(addr, true, msg, cap);
    if (fd >= 0) {
        struct sockaddr_storage ss;
        socklen_t sl = sizeof(ss);
        unsigned port = addr->port;
        if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0) {
            port = ss.ss_family == AF_INET6 ? ntohs(((struct sockaddr_in6 *)&ss)->sin6_port)
                                            : ntohs(((struct sockaddr_in *)&ss)->sin_port);
        }
        (void)snprintf(bound, bound_cap, "%s:%u", addr->host, port);
    }
    return fd;
}
