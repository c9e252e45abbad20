/* transport_setup.h - the steps every transport's open function shares.
 * Owns: putting a transport's operations and context into a wbtool_transport_t, and taking
 * them out again when an open fails, so that only the reason (t->msg) is left for the caller
 * to print. Used by transport_emu.c and transport_bluez.c. Host only. */
#ifndef WBTOOL_TRANSPORT_SETUP_H
#define WBTOOL_TRANSPORT_SETUP_H

#include "transport.h"

/* The constant operations table of a transport whose functions are named P_scan, P_connect,
 * P_mtu, P_discover, P_write, P_wait_ind, P_confirm, P_wait_disc, P_disconnect, P_now, P_close
 * (P: the prefix); the optional ones follow as designated initializers (.forget = ...). One
 * list for every transport, so that none leaves an operation out. */
#define WBTOOL_TRANSPORT_OPS(P, ...)                                                               \
    {                                                                                              \
        .scan = P##_scan, .connect = P##_connect, .exchange_mtu = P##_mtu,                         \
        .discover = P##_discover, .write = P##_write, .wait_indication = P##_wait_ind,             \
        .confirm = P##_confirm, .wait_disconnect = P##_wait_disc, .disconnect = P##_disconnect,    \
        .now_us = P##_now, .close = P##_close, __VA_ARGS__                                         \
    }

/* Gives t the operations of ops (a transport's constant table: its ctx and msg are not read)
 * and ctx. t->msg is kept, so a failure met after binding can still be described there. */
void wbtool_transport_bind(wbtool_transport_t *t, const wbtool_transport_t *ops, void *ctx);

/* After a failed open: release(ctx) frees what the open had built, then every field of t but
 * t->msg is cleared (no operation can be called on it by mistake). */
void wbtool_transport_abandon(wbtool_transport_t *t, void (*release)(void *ctx), void *ctx);

#endif
