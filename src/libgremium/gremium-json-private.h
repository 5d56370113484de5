/* gremium-json-private.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The deepest nesting any Gremium document uses is well below this; the
 * limit protects the recursive parser from a stack overflow.
 */
#define GREMIUM_JSON_MAX_DEPTH 16

JsonNode   *_gremium_json_parse             (const char  *data,
                                             gssize       len,
                                             GError     **error) G_GNUC_WARN_UNUSED_RESULT;
JsonObject *_gremium_json_parse_object      (const char  *data,
                                             gssize       len,
                                             GError     **error) G_GNUC_WARN_UNUSED_RESULT;
char       *_gremium_json_to_string         (JsonNode    *node) G_GNUC_WARN_UNUSED_RESULT;
char       *_gremium_json_object_to_string  (JsonObject  *object) G_GNUC_WARN_UNUSED_RESULT;
const char *_gremium_json_get_string        (JsonObject  *object,
                                             const char  *member,
                                             gsize        max_len,
                                             GError     **error);
const char *_gremium_json_get_optional_string (JsonObject  *object,
                                             const char  *member,
                                             gsize        max_len,
                                             GError     **error);
gboolean    _gremium_json_get_int           (JsonObject  *object,
                                             const char  *member,
                                             gint64       min,
                                             gint64       max,
                                             gint64      *out,
                                             GError     **error);
gboolean    _gremium_json_get_bool          (JsonObject  *object,
                                             const char  *member,
                                             gboolean    *out,
                                             GError     **error);
JsonObject *_gremium_json_get_object        (JsonObject  *object,
                                             const char  *member,
                                             GError     **error);
JsonArray  *_gremium_json_get_array         (JsonObject  *object,
                                             const char  *member,
                                             guint        max_len,
                                             GError     **error);
gboolean    _gremium_json_check_members     (JsonObject  *object,
                                             const char  *context,
                                             const char * const *allowed,
                                             GError     **error);
gboolean    _gremium_id_is_valid            (const char  *id);
gboolean    _gremium_text_is_valid          (const char  *text,
                                             gsize        max_len);

G_END_DECLS
