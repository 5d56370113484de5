/* gremium-json.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-json"

#include "config.h"

#include "gremium-error.h"
#include "gremium-json-private.h"

#include <string.h>

/* Everything that arrives from outside (network, files) is parsed here, more
 * strictly than json-glib does on its own: the input must be valid UTF-8, may
 * not nest deeper than GREMIUM_JSON_MAX_DEPTH, and no object may repeat a
 * member name. Duplicate names are the classic way to make two parsers read
 * one signed document differently, so they are refused outright.
 */

typedef struct
{
  GHashTable *counts;           /* JsonObject* → number of members parsed */
  gboolean    duplicate;
  char       *duplicate_name;
} StrictState;

static void
object_member_cb (JsonParser  *parser,
                  JsonObject  *object,
                  const char  *member_name,
                  StrictState *state)
{
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (state->counts, object)) + 1;

  g_hash_table_insert (state->counts, object, GUINT_TO_POINTER (count));

  /* json-glib replaces a repeated member, so the object has fewer members
   * than the parser reported.
   */
  if (json_object_get_size (object) != count && !state->duplicate)
    {
      state->duplicate = TRUE;
      state->duplicate_name = g_strdup (member_name);
    }
}

static gboolean
check_depth (const char  *data,
             gsize        len,
             GError     **error)
{
  gboolean in_string = FALSE;
  gboolean escaped = FALSE;
  int depth = 0;

  for (gsize i = 0; i < len; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (escaped)
            escaped = FALSE;
          else if (c == '\\')
            escaped = TRUE;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      switch (c)
        {
        case '"':
          in_string = TRUE;
          break;

        case '{':
        case '[':
          if (++depth > GREMIUM_JSON_MAX_DEPTH)
            {
              g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_MALFORMED,
                           "JSON nested deeper than %d levels", GREMIUM_JSON_MAX_DEPTH);
              return FALSE;
            }
          break;

        case '}':
        case ']':
          depth--;
          break;

        default:
          break;
        }
    }

  return TRUE;
}

JsonNode *
_gremium_json_parse (const char  *data,
                     gssize       len,
                     GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  StrictState state = { 0 };
  gulong handler;
  JsonNode *root;

  g_return_val_if_fail (data != NULL, NULL);

  if (len < 0)
    len = strlen (data);

  if (!g_utf8_validate_len (data, len, NULL))
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_MALFORMED,
                           "The message is not valid UTF-8");
      return NULL;
    }

  /* The scanner inside json-glib treats a NUL as the end of input. */
  if (memchr (data, '\0', len) != NULL)
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_MALFORMED,
                           "The message contains a NUL byte");
      return NULL;
    }

  if (!check_depth (data, len, error))
    return NULL;

  parser = json_parser_new_immutable ();
  state.counts = g_hash_table_new (NULL, NULL);
  handler = g_signal_connect (parser, "object-member", G_CALLBACK (object_member_cb), &state);

  if (!json_parser_load_from_data (parser, data, len, &local_error))
    {
      g_signal_handler_disconnect (parser, handler);
      g_hash_table_unref (state.counts);
      g_free (state.duplicate_name);
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_MALFORMED,
                   "Not valid JSON: %s", local_error->message);
      return NULL;
    }

  g_signal_handler_disconnect (parser, handler);
  g_hash_table_unref (state.counts);

  if (state.duplicate)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_MALFORMED,
                   "The member “%s” appears twice in one object", state.duplicate_name);
      g_free (state.duplicate_name);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_MALFORMED,
                           "The message is empty");
      return NULL;
    }

  return json_node_ref (root);
}

JsonObject *
_gremium_json_parse_object (const char  *data,
                            gssize       len,
                            GError     **error)
{
  g_autoptr(JsonNode) root = _gremium_json_parse (data, len, error);

  if (root == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_MALFORMED,
                           "Expected a JSON object");
      return NULL;
    }

  return json_object_ref (json_node_get_object (root));
}

char *
_gremium_json_to_string (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  g_assert (node != NULL);

  json_generator_set_pretty (generator, FALSE);
  json_generator_set_root (generator, node);

  return json_generator_to_data (generator, NULL);
}

char *
_gremium_json_object_to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  return _gremium_json_to_string (node);
}

gboolean
_gremium_text_is_valid (const char *text,
                        gsize       max_len)
{
  if (text == NULL || strlen (text) > max_len)
    return FALSE;

  /* Control characters other than tab and newline have no place in names,
   * titles or chat, and some would let a line in a log or minutes forge
   * another line.
   */
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f ||
          (c >= 0x80 && c < 0xa0) || c == 0x2028 || c == 0x2029 ||
          (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069))
        return FALSE;
    }

  return TRUE;
}

static const char *
get_string_internal (JsonObject  *object,
                     const char  *member,
                     gsize        max_len,
                     gboolean     optional,
                     GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  const char *value;

  if (node == NULL && optional)
    return NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                   "The field “%s” must be a string", member);
      return NULL;
    }

  value = json_node_get_string (node);
  if (!_gremium_text_is_valid (value, max_len))
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                   "The field “%s” is too long or contains control characters", member);
      return NULL;
    }

  return value;
}

const char *
_gremium_json_get_string (JsonObject  *object,
                          const char  *member,
                          gsize        max_len,
                          GError     **error)
{
  return get_string_internal (object, member, max_len, FALSE, error);
}

const char *
_gremium_json_get_optional_string (JsonObject  *object,
                                   const char  *member,
                                   gsize        max_len,
                                   GError     **error)
{
  return get_string_internal (object, member, max_len, TRUE, error);
}

gboolean
_gremium_json_get_int (JsonObject  *object,
                       const char  *member,
                       gint64       min,
                       gint64       max,
                       gint64      *out,
                       GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  gint64 value;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                   "The field “%s” must be an integer", member);
      return FALSE;
    }

  value = json_node_get_int (node);
  if (value < min || value > max)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                   "The field “%s” must lie between %" G_GINT64_FORMAT " and %" G_GINT64_FORMAT,
                   member, min, max);
      return FALSE;
    }

  *out = value;
  return TRUE;
}

gboolean
_gremium_json_get_bool (JsonObject  *object,
                        const char  *member,
                        gboolean    *out,
                        GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                   "The field “%s” must be true or false", member);
      return FALSE;
    }

  *out = json_node_get_boolean (node);
  return TRUE;
}

JsonObject *
_gremium_json_get_object (JsonObject  *object,
                          const char  *member,
                          GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                   "The field “%s” must be an object", member);
      return NULL;
    }

  return json_node_get_object (node);
}

JsonArray *
_gremium_json_get_array (JsonObject  *object,
                         const char  *member,
                         guint        max_len,
                         GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                   "The field “%s” must be an array", member);
      return NULL;
    }

  if (json_array_get_length (json_node_get_array (node)) > max_len)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                   "The field “%s” has more than %u elements", member, max_len);
      return NULL;
    }

  return json_node_get_array (node);
}

/* Unknown members are refused rather than ignored: a signed statement means
 * exactly what its documented fields say, and nothing can hide beside them.
 */
gboolean
_gremium_json_check_members (JsonObject          *object,
                             const char          *context,
                             const char * const  *allowed,
                             GError             **error)
{
  JsonObjectIter iter;
  const char *name;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, NULL))
    {
      if (!g_strv_contains (allowed, name))
        {
          g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                       "Unknown field “%s” in %s", name, context);
          return FALSE;
        }
    }

  return TRUE;
}

/* Member, meeting and other identifiers: 1 to 64 characters from a-z, 0-9,
 * '.', '_' and '-', starting with a letter or digit. They appear in file
 * names, logs and minutes, so they are kept plain.
 */
gboolean
_gremium_id_is_valid (const char *id)
{
  gsize len;

  if (id == NULL)
    return FALSE;

  len = strlen (id);
  if (len == 0 || len > 64 || !(g_ascii_islower (id[0]) || g_ascii_isdigit (id[0])))
    return FALSE;

  for (gsize i = 0; i < len; i++)
    {
      char c = id[i];

      if (!(g_ascii_islower (c) || g_ascii_isdigit (c) || c == '.' || c == '_' || c == '-'))
        return FALSE;
    }

  return TRUE;
}
