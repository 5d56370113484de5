/* gremium-peer-body.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Every peer message body (docs/protocol.md §5) is a JSON object with a
 * string member "type" that says who handles it; a handler ignores the
 * types it does not know. These are the types Gremium uses.
 */
#define GREMIUM_PEER_TYPE_MEDIA_KEY     "media-key"
#define GREMIUM_PEER_TYPE_WEBRTC_OFFER  "webrtc-offer"
#define GREMIUM_PEER_TYPE_WEBRTC_ANSWER "webrtc-answer"
#define GREMIUM_PEER_TYPE_WEBRTC_ICE    "webrtc-ice"

/* The relay refuses longer bodies. */
#define GREMIUM_PEER_BODY_MAX_SIZE 65000

char     *gremium_peer_body_dup_type (const char *body) G_GNUC_WARN_UNUSED_RESULT;
gboolean  gremium_peer_body_has_type (const char *body,
                                      const char *type);

G_END_DECLS
