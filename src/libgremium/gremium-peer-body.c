/* gremium-peer-body.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-peer"

#include "config.h"

#include "gremium-peer-body.h"
#include "gremium-json-private.h"

#include <string.h>

/* The server relays peer bodies without reading them (docs/protocol.md §5);
 * the receiving client dispatches them by their "type". Media keys and
 * WebRTC signalling share the relay, so each handler asks for its own type
 * and leaves the others alone.
 */

/**
 * gremium_peer_body_dup_type:
 * @body: a peer message body
 *
 * Reads the `"type"` member of a peer message body.
 *
 * Returns: (transfer full) (nullable): the type, or %NULL if @body is not a
 *   JSON object with a string member `"type"` of at most 64 bytes
 */
char *
gremium_peer_body_dup_type (const char *body)
{
  g_autoptr(JsonObject) object = NULL;
  const char *type;

  g_return_val_if_fail (body != NULL, NULL);

  if (strlen (body) > GREMIUM_PEER_BODY_MAX_SIZE ||
      !(object = _gremium_json_parse_object (body, -1, NULL)) ||
      !(type = _gremium_json_get_string (object, "type", 64, NULL)))
    return NULL;

  return g_strdup (type);
}

/**
 * gremium_peer_body_has_type:
 * @body: a peer message body
 * @type: a type, such as %GREMIUM_PEER_TYPE_MEDIA_KEY
 *
 * Returns: %TRUE if @body is a JSON object whose `"type"` is @type
 */
gboolean
gremium_peer_body_has_type (const char *body,
                            const char *type)
{
  g_autofree char *found = NULL;

  g_return_val_if_fail (body != NULL, FALSE);
  g_return_val_if_fail (type != NULL, FALSE);

  found = gremium_peer_body_dup_type (body);

  return found != NULL && g_str_equal (found, type);
}
