/* gremium-server-meeting.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-server"

#include "config.h"

#include "gremium-server-meeting.h"

#include <gremium-checkpoint.h>
#include <gremium-error.h>

#include <string.h>

/**
 * GremiumServerMeeting:
 *
 * The server's authoritative copy of one meeting: the meeting model, the
 * Merkle tree over its record and the record's entries, kept in memory and
 * backed by the database.
 *
 * A statement becomes an entry in four steps, always in this order: the
 * model checks it; the entry is formed and written durably; the model and
 * the tree apply it; then (by the caller) it is acknowledged and broadcast.
 * A crash between any two steps loses nothing that was acknowledged.
 */
struct _GremiumServerMeeting
{
  GObject                parent_instance;

  GremiumServerDatabase *db;
  GremiumIdentity       *server_identity;
  GremiumMeeting        *model;
  GremiumMerkleTree     *tree;
  GPtrArray             *entries;               /* GremiumRecordEntry */
  char                  *checkpoint;            /* for entries->len */
  guint64                checkpoint_size;
};

G_DEFINE_FINAL_TYPE (GremiumServerMeeting, gremium_server_meeting, G_TYPE_OBJECT)

static void
gremium_server_meeting_finalize (GObject *object)
{
  GremiumServerMeeting *self = (GremiumServerMeeting *) object;

  g_clear_object (&self->db);
  g_clear_object (&self->server_identity);
  g_clear_object (&self->model);
  g_clear_object (&self->tree);
  g_clear_pointer (&self->entries, g_ptr_array_unref);
  g_clear_pointer (&self->checkpoint, g_free);

  G_OBJECT_CLASS (gremium_server_meeting_parent_class)->finalize (object);
}

static void
gremium_server_meeting_class_init (GremiumServerMeetingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gremium_server_meeting_finalize;
}

static void
gremium_server_meeting_init (GremiumServerMeeting *self)
{
  self->entries = g_ptr_array_new_with_free_func (g_object_unref);
  self->tree = gremium_merkle_tree_new ();
}

static char *
new_meeting_id (void)
{
  guint8 random[6];

  gremium_random_bytes (random, sizeof random);
  return gremium_hex_encode (random, sizeof random);
}

/* Forms the next entry for @statement, makes it durable and applies it.
 * The model has checked the statement already.
 */
static GremiumRecordEntry *
append_entry (GremiumServerMeeting  *self,
              GremiumStatement      *statement,
              GError               **error)
{
  g_autoptr(GremiumRecordEntry) entry = NULL;
  g_autoptr(GError) local_error = NULL;
  guint64 index = self->entries->len;
  gint64 now = g_get_real_time ();

  /* Entry times never go backwards, even if the clock does. */
  now = MAX (now, gremium_meeting_get_last_time (self->model));

  entry = gremium_record_entry_new (index, now, statement);

  if (!gremium_meeting_check (self->model, statement, gremium_record_entry_get_time (entry), error))
    return NULL;

  if (!gremium_server_database_append_entry (self->db, gremium_meeting_get_id (self->model), index,
                                             gremium_record_entry_get_text (entry),
                                             gremium_record_entry_get_length (entry), error))
    return NULL;

  if (!gremium_meeting_apply (self->model, entry, &local_error))
    {
      /* The check above passed, so this cannot happen unless memory is
       * corrupt. The entry is durable; refuse to continue rather than let
       * the in-memory state differ from the record.
       */
      g_error ("An entry that passed its check failed to apply: %s", local_error->message);
    }

  gremium_merkle_tree_append (self->tree, (const guint8 *) gremium_record_entry_get_text (entry),
                              gremium_record_entry_get_length (entry));
  g_ptr_array_add (self->entries, g_object_ref (entry));

  return entry;
}

/**
 * gremium_server_meeting_create:
 * @db: the database
 * @server_identity: the server's key, which signs the `meeting.create` statement
 * @server_name: the server's name
 * @title: the meeting's title
 * @body_name: the council or committee
 * @place: where it meets
 * @scheduled: the scheduled start
 * @quorum_base: the quorum rule
 * @agenda: (array length=n_agenda): the agenda
 * @n_agenda: number of agenda items
 * @error: return location for an error
 *
 * Creates a meeting whose roster is the current member directory with every
 * member's enrolled keys, and writes the record's first entry.
 *
 * Returns: (transfer full) (nullable): the new meeting's id
 */
char *
gremium_server_meeting_create (GremiumServerDatabase              *db,
                               GremiumIdentity                    *server_identity,
                               const char                         *server_name,
                               const char                         *title,
                               const char                         *body_name,
                               const char                         *place,
                               gint64                              scheduled,
                               GremiumQuorumBase                   quorum_base,
                               const GremiumServerAgendaItemSpec  *agenda,
                               guint                               n_agenda,
                               GError                            **error)
{
  g_autoptr(GPtrArray) members = NULL;
  g_autoptr(JsonObject) data = json_object_new ();
  g_autoptr(JsonObject) rules = json_object_new ();
  g_autoptr(JsonArray) roster = json_array_new ();
  g_autoptr(JsonArray) items = json_array_new ();
  g_autoptr(GremiumStatement) statement = NULL;
  g_autoptr(GremiumRecordEntry) entry = NULL;
  g_autoptr(GremiumMeeting) check = NULL;
  g_autofree char *id = new_meeting_id ();
  g_autofree char *scheduled_text = gremium_time_format (scheduled);

  g_return_val_if_fail (GREMIUM_IS_SERVER_DATABASE (db), NULL);
  g_return_val_if_fail (GREMIUM_IS_IDENTITY (server_identity), NULL);

  if (!(members = gremium_server_database_list_members (db, error)))
    return NULL;

  for (guint i = 0; i < members->len; i++)
    {
      GremiumServerMemberInfo *info = g_ptr_array_index (members, i);
      g_autoptr(GPtrArray) keys = gremium_server_database_list_keys (db, info->id, error);
      g_autoptr(JsonObject) member = json_object_new ();
      g_autoptr(JsonArray) key_array = json_array_new ();

      if (keys == NULL)
        return NULL;

      for (guint k = 0; k < keys->len && k < GREMIUM_MAX_KEYS_PER_MEMBER; k++)
        {
          gsize len;
          const guint8 *bytes = g_bytes_get_data (g_ptr_array_index (keys, k), &len);
          g_autofree char *text = gremium_base64_encode (bytes, len);

          json_array_add_string_element (key_array, text);
        }

      json_object_set_string_member (member, "id", info->id);
      json_object_set_string_member (member, "name", info->name);
      json_object_set_string_member (member, "role", gremium_role_to_string (info->role));
      json_object_set_array_member (member, "keys", g_steal_pointer (&key_array));
      json_array_add_object_element (roster, g_steal_pointer (&member));
    }

  for (guint i = 0; i < n_agenda; i++)
    {
      g_autoptr(JsonObject) item = json_object_new ();

      json_object_set_int_member (item, "id", i + 1);
      json_object_set_string_member (item, "title", agenda[i].title);
      json_object_set_boolean_member (item, "public", agenda[i].is_public);
      json_array_add_object_element (items, g_steal_pointer (&item));
    }

  json_object_set_string_member (rules, "quorum_base", gremium_quorum_base_to_string (quorum_base));

  json_object_set_string_member (data, "title", title);
  json_object_set_string_member (data, "body", body_name);
  json_object_set_string_member (data, "place", place);
  json_object_set_string_member (data, "scheduled", scheduled_text);
  json_object_set_string_member (data, "server", server_name);
  json_object_set_object_member (data, "rules", g_steal_pointer (&rules));
  json_object_set_array_member (data, "members", g_steal_pointer (&roster));
  json_object_set_array_member (data, "agenda", g_steal_pointer (&items));

  statement = gremium_statement_build (server_identity, GREMIUM_KIND_MEETING_CREATE, id,
                                       GREMIUM_AUTHOR_SERVER, g_get_real_time (), data);
  entry = gremium_record_entry_new (0, g_get_real_time (), statement);

  /* The model is the judge of a valid roster and agenda, here as everywhere. */
  check = gremium_meeting_new (gremium_identity_get_public_key (server_identity));
  if (!gremium_meeting_apply (check, entry, error))
    {
      g_prefix_error (error, "Cannot create the meeting: ");
      return NULL;
    }

  if (!gremium_server_database_add_meeting (db, id, title, scheduled,
                                            gremium_record_entry_get_text (entry),
                                            gremium_record_entry_get_length (entry), error))
    return NULL;

  return g_steal_pointer (&id);
}

/**
 * gremium_server_meeting_load:
 * @db: the database
 * @server_identity: the server's key
 * @meeting_id: the meeting
 * @error: return location for an error
 *
 * Loads a meeting by replaying its stored record through the meeting model,
 * which verifies every entry again. A record that does not verify (damaged
 * storage) is refused with %GREMIUM_ERROR_STORAGE.
 *
 * Returns: (transfer full) (nullable): the meeting
 */
GremiumServerMeeting *
gremium_server_meeting_load (GremiumServerDatabase  *db,
                             GremiumIdentity        *server_identity,
                             const char             *meeting_id,
                             GError                **error)
{
  g_autoptr(GremiumServerMeeting) self = NULL;
  g_autoptr(GPtrArray) stored = NULL;

  g_return_val_if_fail (GREMIUM_IS_SERVER_DATABASE (db), NULL);
  g_return_val_if_fail (GREMIUM_IS_IDENTITY (server_identity), NULL);
  g_return_val_if_fail (meeting_id != NULL, NULL);

  if (!(stored = gremium_server_database_load_entries (db, meeting_id, error)))
    return NULL;

  if (stored->len == 0)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_UNKNOWN_MEETING,
                   "No meeting “%s”", meeting_id);
      return NULL;
    }

  self = g_object_new (GREMIUM_TYPE_SERVER_MEETING, NULL);
  self->db = g_object_ref (db);
  self->server_identity = g_object_ref (server_identity);
  self->model = gremium_meeting_new (gremium_identity_get_public_key (server_identity));

  for (guint i = 0; i < stored->len; i++)
    {
      g_autoptr(GremiumRecordEntry) entry = NULL;
      g_autoptr(GError) local_error = NULL;
      gsize len;
      const char *data = g_bytes_get_data (g_ptr_array_index (stored, i), &len);

      entry = gremium_record_entry_new_from_bytes (data, len, &local_error);
      if (entry == NULL || !gremium_meeting_apply (self->model, entry, &local_error))
        {
          g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_STORAGE,
                       "The stored record of meeting %s does not verify at entry %u: %s",
                       meeting_id, i, local_error->message);
          return NULL;
        }

      gremium_merkle_tree_append (self->tree, (const guint8 *) data, len);
      g_ptr_array_add (self->entries, g_steal_pointer (&entry));
    }

  if (g_strcmp0 (gremium_meeting_get_id (self->model), meeting_id) != 0)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_STORAGE,
                   "The stored record of meeting %s names another meeting", meeting_id);
      return NULL;
    }

  return g_steal_pointer (&self);
}

/**
 * gremium_server_meeting_get_model:
 * @self: a server meeting
 *
 * Returns: (transfer none): the meeting model
 */
GremiumMeeting *
gremium_server_meeting_get_model (GremiumServerMeeting *self)
{
  g_return_val_if_fail (GREMIUM_IS_SERVER_MEETING (self), NULL);

  return self->model;
}

/**
 * gremium_server_meeting_get_tree:
 * @self: a server meeting
 *
 * Returns: (transfer none): the Merkle tree over the record
 */
GremiumMerkleTree *
gremium_server_meeting_get_tree (GremiumServerMeeting *self)
{
  g_return_val_if_fail (GREMIUM_IS_SERVER_MEETING (self), NULL);

  return self->tree;
}

/**
 * gremium_server_meeting_get_id:
 * @self: a server meeting
 *
 * Returns: (transfer none): the meeting id
 */
const char *
gremium_server_meeting_get_id (GremiumServerMeeting *self)
{
  g_return_val_if_fail (GREMIUM_IS_SERVER_MEETING (self), NULL);

  return gremium_meeting_get_id (self->model);
}

/**
 * gremium_server_meeting_get_size:
 * @self: a server meeting
 *
 * Returns: the number of entries in the record
 */
guint64
gremium_server_meeting_get_size (GremiumServerMeeting *self)
{
  g_return_val_if_fail (GREMIUM_IS_SERVER_MEETING (self), 0);

  return self->entries->len;
}

/**
 * gremium_server_meeting_get_entry:
 * @self: a server meeting
 * @index: an entry index
 *
 * Returns: (transfer none) (nullable): the entry
 */
GremiumRecordEntry *
gremium_server_meeting_get_entry (GremiumServerMeeting *self,
                                  guint64               index)
{
  g_return_val_if_fail (GREMIUM_IS_SERVER_MEETING (self), NULL);

  if (index >= self->entries->len)
    return NULL;

  return g_ptr_array_index (self->entries, index);
}

/**
 * gremium_server_meeting_submit:
 * @self: a server meeting
 * @statement: a statement from a client
 * @error: return location for an error
 *
 * Checks @statement against the meeting and, if it is acceptable, appends it
 * durably to the record. The caller acknowledges and broadcasts only after
 * this returned the entry.
 *
 * Returns: (transfer none) (nullable): the new entry
 */
GremiumRecordEntry *
gremium_server_meeting_submit (GremiumServerMeeting  *self,
                               GremiumStatement      *statement,
                               GError               **error)
{
  g_return_val_if_fail (GREMIUM_IS_SERVER_MEETING (self), NULL);
  g_return_val_if_fail (GREMIUM_IS_STATEMENT (statement), NULL);

  if (append_entry (self, statement, error) == NULL)
    return NULL;

  return g_ptr_array_index (self->entries, self->entries->len - 1);
}

/**
 * gremium_server_meeting_submit_as_server:
 * @self: a server meeting
 * @kind: the statement kind
 * @data: (nullable): the statement's data
 * @error: return location for an error
 *
 * Makes and appends a statement signed by the server itself, for what only
 * the server witnesses: a lost connection, a newly enrolled device.
 *
 * Returns: (transfer none) (nullable): the new entry
 */
GremiumRecordEntry *
gremium_server_meeting_submit_as_server (GremiumServerMeeting  *self,
                                         const char            *kind,
                                         JsonObject            *data,
                                         GError               **error)
{
  g_autoptr(GremiumStatement) statement = NULL;

  g_return_val_if_fail (GREMIUM_IS_SERVER_MEETING (self), NULL);
  g_return_val_if_fail (kind != NULL, NULL);

  statement = gremium_statement_build (self->server_identity, kind,
                                       gremium_meeting_get_id (self->model),
                                       GREMIUM_AUTHOR_SERVER, g_get_real_time (), data);

  return gremium_server_meeting_submit (self, statement, error);
}

/**
 * gremium_server_meeting_dup_origin:
 * @self: a server meeting
 *
 * Returns: (transfer full): the origin line of the meeting's checkpoints,
 *   `<server name>/meeting/<meeting id>`
 */
char *
gremium_server_meeting_dup_origin (GremiumServerMeeting *self)
{
  g_return_val_if_fail (GREMIUM_IS_SERVER_MEETING (self), NULL);

  return g_strdup_printf ("%s/meeting/%s", gremium_meeting_get_server_name (self->model),
                          gremium_meeting_get_id (self->model));
}

/**
 * gremium_server_meeting_get_checkpoint:
 * @self: a server meeting
 *
 * Gets the signed checkpoint of the record as it is now, signing a new one
 * when the record grew.
 *
 * Returns: (transfer none): the checkpoint as a signed note
 */
const char *
gremium_server_meeting_get_checkpoint (GremiumServerMeeting *self)
{
  g_return_val_if_fail (GREMIUM_IS_SERVER_MEETING (self), NULL);

  if (self->checkpoint == NULL || self->checkpoint_size != self->entries->len)
    {
      g_autoptr(GremiumCheckpoint) checkpoint = NULL;
      g_autofree char *origin = gremium_server_meeting_dup_origin (self);
      guint8 root[GREMIUM_HASH_SIZE];

      gremium_merkle_tree_get_root (self->tree, self->entries->len, root);
      checkpoint = gremium_checkpoint_new_signed (origin, self->entries->len, root,
                                                  gremium_meeting_get_server_name (self->model),
                                                  self->server_identity);

      g_free (self->checkpoint);
      self->checkpoint = g_strdup (gremium_checkpoint_get_text (checkpoint));
      self->checkpoint_size = self->entries->len;
    }

  return self->checkpoint;
}

/**
 * gremium_server_meeting_export:
 * @self: a server meeting
 * @stream: where to write
 * @error: return location for an error
 *
 * Writes the whole record in the export format of docs/record.md: a header
 * line, one line per entry with the entry's exact bytes, and a final line
 * with the signed checkpoint over all of them.
 *
 * Returns: %TRUE on success
 */
gboolean
gremium_server_meeting_export (GremiumServerMeeting  *self,
                               GOutputStream         *stream,
                               GError               **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *server_key = NULL;
  g_autofree char *header = NULL;
  g_autofree char *footer = NULL;

  g_return_val_if_fail (GREMIUM_IS_SERVER_MEETING (self), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);

  server_key = gremium_identity_dup_public_key_base64 (self->server_identity);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, "gremium-record");
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "meeting");
  json_builder_add_string_value (builder, gremium_meeting_get_id (self->model));
  json_builder_set_member_name (builder, "server");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, gremium_meeting_get_server_name (self->model));
  json_builder_set_member_name (builder, "key");
  json_builder_add_string_value (builder, server_key);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "size");
  json_builder_add_int_value (builder, self->entries->len);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  header = json_generator_to_data (generator, NULL);

  if (!g_output_stream_write_all (stream, header, strlen (header), NULL, NULL, error) ||
      !g_output_stream_write_all (stream, "\n", 1, NULL, NULL, error))
    return FALSE;

  for (guint i = 0; i < self->entries->len; i++)
    {
      GremiumRecordEntry *entry = g_ptr_array_index (self->entries, i);

      if (!g_output_stream_write_all (stream, gremium_record_entry_get_text (entry),
                                      gremium_record_entry_get_length (entry), NULL, NULL, error) ||
          !g_output_stream_write_all (stream, "\n", 1, NULL, NULL, error))
        return FALSE;
    }

  {
    g_autoptr(JsonObject) object = json_object_new ();
    g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

    json_object_set_string_member (object, "checkpoint", gremium_server_meeting_get_checkpoint (self));
    json_node_set_object (node, object);
    json_generator_set_root (generator, node);
    footer = json_generator_to_data (generator, NULL);
  }

  if (!g_output_stream_write_all (stream, footer, strlen (footer), NULL, NULL, error) ||
      !g_output_stream_write_all (stream, "\n", 1, NULL, NULL, error))
    return FALSE;

  return TRUE;
}
