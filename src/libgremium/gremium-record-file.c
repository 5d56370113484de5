/* gremium-record-file.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-record"

#include "config.h"

#include "gremium-record-file.h"
#include "gremium-checkpoint.h"
#include "gremium-error.h"
#include "gremium-json-private.h"
#include "gremium-merkle-tree.h"

#include <string.h>

/**
 * GremiumRecordFile:
 *
 * An exported meeting record (docs/record.md, "Export format"), read and
 * verified completely: the header, every entry replayed through the meeting
 * model (signatures, roster keys, permissions, order, times, replays), the
 * Merkle tree recomputed, and the server's signed checkpoint over all
 * entries checked.
 *
 * Loading succeeds only if everything holds; the error names the first
 * line that fails.
 */
struct _GremiumRecordFile
{
  GObject         parent_instance;

  GremiumMeeting *meeting;
};

G_DEFINE_FINAL_TYPE (GremiumRecordFile, gremium_record_file, G_TYPE_OBJECT)

static void
gremium_record_file_finalize (GObject *object)
{
  GremiumRecordFile *self = (GremiumRecordFile *) object;

  g_clear_object (&self->meeting);

  G_OBJECT_CLASS (gremium_record_file_parent_class)->finalize (object);
}

static void
gremium_record_file_class_init (GremiumRecordFileClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gremium_record_file_finalize;
}

static void
gremium_record_file_init (GremiumRecordFile *self)
{
}

static gboolean
fail_line (GError     **error,
           guint        line,
           GError      *cause)
{
  g_set_error (error, cause->domain, cause->code, "Line %u: %s", line, cause->message);
  g_error_free (cause);
  return FALSE;
}

/**
 * gremium_record_file_load_bytes:
 * @contents: the exported file's contents
 * @required_server_key: (nullable): the server key (base64) the record must
 *   be signed with; %NULL to accept the key the file names
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the verified record
 */
GremiumRecordFile *
gremium_record_file_load_bytes (GBytes      *contents,
                                const char  *required_server_key,
                                GError     **error)
{
  static const char * const header_members[] = { "format", "version", "meeting", "server", "size", NULL };
  static const char * const server_members[] = { "name", "key", NULL };
  static const char * const footer_members[] = { "checkpoint", NULL };
  g_autoptr(GremiumRecordFile) self = NULL;
  g_autoptr(GremiumMerkleTree) tree = gremium_merkle_tree_new ();
  g_autoptr(GremiumCheckpoint) checkpoint = NULL;
  g_autoptr(JsonObject) header = NULL;
  g_autoptr(JsonObject) footer = NULL;
  g_autofree char *origin = NULL;
  GError *local_error = NULL;
  const char *format;
  const char *meeting_id;
  const char *server_name;
  const char *server_key_text;
  const char *checkpoint_text;
  const char *data;
  const char *line_start;
  const char *end;
  JsonObject *server;
  guint8 server_key[GREMIUM_PUBLIC_KEY_SIZE];
  guint8 root[GREMIUM_HASH_SIZE];
  gint64 version;
  gint64 size;
  gsize len;
  guint line = 1;

  g_return_val_if_fail (contents != NULL, NULL);

  data = g_bytes_get_data (contents, &len);
  end = data + len;

  if (len == 0 || data[len - 1] != '\n')
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_MALFORMED,
                           "The file is empty or does not end with a line break");
      return NULL;
    }

  /* Line 1: the header. */
  line_start = data;
  {
    const char *nl = memchr (line_start, '\n', end - line_start);

    if (!(header = _gremium_json_parse_object (line_start, nl - line_start, &local_error)))
      {
        fail_line (error, line, local_error);
        return NULL;
      }

    line_start = nl + 1;
  }

  if (!_gremium_json_check_members (header, "the header", header_members, &local_error) ||
      !(format = _gremium_json_get_string (header, "format", 64, &local_error)) ||
      !_gremium_json_get_int (header, "version", 0, G_MAXINT, &version, &local_error) ||
      !(meeting_id = _gremium_json_get_string (header, "meeting", 64, &local_error)) ||
      !(server = _gremium_json_get_object (header, "server", &local_error)) ||
      !_gremium_json_check_members (server, "the header's server", server_members, &local_error) ||
      !(server_name = _gremium_json_get_string (server, "name", 253, &local_error)) ||
      !(server_key_text = _gremium_json_get_string (server, "key", 64, &local_error)) ||
      !gremium_base64_decode_exact (server_key_text, server_key, sizeof server_key, &local_error) ||
      !_gremium_json_get_int (header, "size", 1, G_MAXINT64, &size, &local_error))
    {
      fail_line (error, line, local_error);
      return NULL;
    }

  if (!g_str_equal (format, "gremium-record") || version != 1)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_UNSUPPORTED_VERSION,
                   "Line 1: not a Gremium record of version 1");
      return NULL;
    }

  if (required_server_key != NULL && !g_str_equal (required_server_key, server_key_text))
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_BAD_SIGNATURE,
                           "Line 1: the record names another server key than the one required");
      return NULL;
    }

  /* The size the header announces decides where the entries end. When the
   * file's lines and the server's signed checkpoint on its last line agree
   * on another size, the header was changed: say so, rather than blame the
   * entry line that would then be read as the checkpoint, or the checkpoint
   * read as an entry. A checkpoint that does not verify here is reported at
   * its line below.
   */
  {
    const char *last = end - 1;
    g_autoptr(JsonObject) last_object = NULL;
    g_autoptr(GremiumCheckpoint) signed_size = NULL;
    guint64 n_entry_lines = 0;
    const char *text;

    for (const char *p = line_start; p < end; p++)
      n_entry_lines += *p == '\n';
    n_entry_lines = n_entry_lines > 0 ? n_entry_lines - 1 : 0;

    while (last > line_start && last[-1] != '\n')
      last--;

    if (n_entry_lines != (guint64) size &&
        (last_object = _gremium_json_parse_object (last, end - 1 - last, NULL)) &&
        json_object_get_size (last_object) == 1 &&
        (text = _gremium_json_get_string (last_object, "checkpoint", 4096, NULL)) &&
        (signed_size = gremium_checkpoint_parse (text, -1, server_name, server_key, NULL)) &&
        gremium_checkpoint_get_size (signed_size) == n_entry_lines)
      {
        g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_LOG_INCONSISTENT,
                     "Line 1: the header announces %" G_GINT64_FORMAT " entries, but the file and "
                     "the server's signed checkpoint have %" G_GUINT64_FORMAT, size, n_entry_lines);
        return NULL;
      }
  }

  self = g_object_new (GREMIUM_TYPE_RECORD_FILE, NULL);
  self->meeting = gremium_meeting_new (server_key);

  /* Lines 2 … size + 1: the entries, each replayed through the model. */
  for (gint64 i = 0; i < size; i++)
    {
      g_autoptr(GremiumRecordEntry) entry = NULL;
      const char *nl;

      line++;
      if (line_start >= end)
        {
          g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_LOG_INCONSISTENT,
                       "Line %u: the file ends after %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT " entries",
                       line, i, size);
          return NULL;
        }

      nl = memchr (line_start, '\n', end - line_start);
      entry = gremium_record_entry_new_from_bytes (line_start, nl - line_start, &local_error);
      if (entry == NULL || !gremium_meeting_apply (self->meeting, entry, &local_error))
        {
          fail_line (error, line, local_error);
          return NULL;
        }

      gremium_merkle_tree_append (tree, (const guint8 *) line_start, nl - line_start);
      line_start = nl + 1;
    }

  if (g_strcmp0 (gremium_meeting_get_id (self->meeting), meeting_id) != 0 ||
      g_strcmp0 (gremium_meeting_get_server_name (self->meeting), server_name) != 0)
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_LOG_INCONSISTENT,
                           "Line 1: the header names another meeting or server than the record");
      return NULL;
    }

  /* The last line: the server's signed checkpoint over all entries. */
  line++;
  if (line_start >= end)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_LOG_INCONSISTENT,
                   "Line %u: the signed checkpoint is missing", line);
      return NULL;
    }

  {
    const char *nl = memchr (line_start, '\n', end - line_start);

    if (!(footer = _gremium_json_parse_object (line_start, nl - line_start, &local_error)) ||
        !_gremium_json_check_members (footer, "the checkpoint line", footer_members, &local_error) ||
        !(checkpoint_text = _gremium_json_get_string (footer, "checkpoint", 4096, &local_error)))
      {
        fail_line (error, line, local_error);
        return NULL;
      }

    if (nl + 1 != end)
      {
        g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_LOG_INCONSISTENT,
                     "Line %u: unexpected lines after the checkpoint", line + 1);
        return NULL;
      }
  }

  checkpoint = gremium_checkpoint_parse (checkpoint_text, -1, server_name, server_key, &local_error);
  if (checkpoint == NULL)
    {
      fail_line (error, line, local_error);
      return NULL;
    }

  origin = g_strdup_printf ("%s/meeting/%s", server_name, meeting_id);
  gremium_merkle_tree_get_root (tree, gremium_merkle_tree_get_size (tree), root);

  if (!g_str_equal (gremium_checkpoint_get_origin (checkpoint), origin) ||
      gremium_checkpoint_get_size (checkpoint) != (guint64) size ||
      !gremium_memequal (gremium_checkpoint_get_root (checkpoint), root, GREMIUM_HASH_SIZE))
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_LOG_INCONSISTENT,
                   "Line %u: the signed checkpoint does not cover exactly these %" G_GINT64_FORMAT
                   " entries", line, size);
      return NULL;
    }

  return g_steal_pointer (&self);
}

/**
 * gremium_record_file_load:
 * @path: an exported record
 * @required_server_key: (nullable): the server key (base64) the record must
 *   be signed with
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the verified record
 */
GremiumRecordFile *
gremium_record_file_load (const char  *path,
                          const char  *required_server_key,
                          GError     **error)
{
  g_autoptr(GBytes) contents = NULL;
  g_autofree char *data = NULL;
  gsize len;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &data, &len, error))
    return NULL;

  contents = g_bytes_new_take (g_steal_pointer (&data), len);
  return gremium_record_file_load_bytes (contents, required_server_key, error);
}

/**
 * gremium_record_file_get_meeting:
 * @self: a verified record
 *
 * Returns: (transfer none): the meeting as the record describes it
 */
GremiumMeeting *
gremium_record_file_get_meeting (GremiumRecordFile *self)
{
  g_return_val_if_fail (GREMIUM_IS_RECORD_FILE (self), NULL);

  return self->meeting;
}
