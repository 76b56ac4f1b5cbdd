/*
 * remote -- RemoteEvent, UnreliableRemoteEvent, RemoteFunction and the
 * same-side BindableEvent / BindableFunction.
 *
 * Adds the members of those classes to every world of a game and carries
 * their calls over the game's links: arguments are encoded once per send
 * (marshal), the bytes travel on the sender's link (net), and at the
 * virtual time of delivery the receiver decodes them with its own instance
 * ids and fires its signal or runs its callback.  Which member may run on
 * which side, and the error when it may not, is a table in remote.c.
 */
#ifndef RSIM_REMOTE_H
#define RSIM_REMOTE_H

#include "rsim/api.h"

/* Message tags of this layer. */
enum {
	RS_TAG_EVENT = RS_TAG_USER,  /* RemoteEvent / UnreliableRemoteEvent */
	RS_TAG_INVOKE,               /* a RemoteFunction call */
	RS_TAG_RESULT                /* its reply */
};

/* Payload limit of UnreliableRemoteEvent, in bytes of encoded arguments. */
#define RS_UNRELIABLE_LIMIT 900

typedef struct rs_remotes rs_remotes;

/* Installs the remotes in every world of g, now and later.  Free with
 * rs_remotes_free after the game's last run. */
rs_remotes *rs_remotes_open(rs_game *g);
void rs_remotes_free(rs_remotes *r);

#endif
