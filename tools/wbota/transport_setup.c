/* transport_setup.c - binding and abandoning a transport (transport_setup.h). */
#include "transport_setup.h"

#include <string.h>

/* *t = *with, except that t->msg stays as it is. */
static void prv_replace_keeping_msg(wbtool_transport_t *t, const wbtool_transport_t *with)
{
    char keep[sizeof(t->msg)];
    memcpy(keep, t->msg, sizeof(keep));
    *t = *with;
    memcpy(t->msg, keep, sizeof(keep));
}

void wbtool_transport_bind(wbtool_transport_t *t, const wbtool_transport_t *ops, void *ctx)
{
    prv_replace_keeping_msg(t, ops);
    t->ctx = ctx;
}

void wbtool_transport_abandon(wbtool_transport_t *t, void (*release)(void *ctx), void *ctx)
{
    static const wbtool_transport_t k_unbound; /* all NULL */
    release(ctx);
    prv_replace_keeping_msg(t, &k_unbound);
}
