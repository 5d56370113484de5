/* gremium-record-entry.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-record"

#include "config.h"

#include "gremium-record-entry.h"
#include "gremium-error.h"
#include "gremium-json-private.h"
#include "gremium-merkle-tree.h"

#include <string.h>

/**
 * GremiumRecordEntry:
 *
 * One entry of a meeting's record: a signed statement as the server accepted
 * it, with its position in the log and the server's time of acceptance.
 *
 * The entry's bytes are the leaf of the meeting's Merkle tree, so they have
 * exactly one form: `{"index":N,"time":"…","statement":ENVELOPE}` with no white
 * space, the members in this order, and the envelope in its canonical form
 * (gremium_statement_to_json()). Parsing refuses any other spelling, so that
 * the bytes a verifier hashes are the bytes it reads.
 */
struct _GremiumRecordEntry
{
  GObject           parent_instance;

  guint64           index;
  gint64            time;
  GremiumStatement *statement;
  char             *text;
  gsize             length;
  guint8            leaf_hash[GREMIUM_HASH_SIZE];
};

G_DEFINE_FINAL_TYPE (GremiumRecordEntry, gremium_record_entry, G_TYPE_OBJECT)

static char *
format_entry (guint64           index,
              gint64            time_usec,
              GremiumStatement *statement)
{
  g_autofree char *time_text = gremium_time_format (time_usec);
  g_autofree char *envelope = gremium_statement_to_json (statement);

  return g_strdup_printf ("{\"index\":%" G_GUINT64_FORMAT ",\"time\":\"%s\",\"statement\":%s}",
                          index, time_text, envelope);
}

static void
gremium_record_entry_finalize (GObject *object)
{
  GremiumRecordEntry *self = (GremiumRecordEntry *) object;

  g_clear_object (&self->statement);
  g_clear_pointer (&self->text, g_free);

  G_OBJECT_CLASS (gremium_record_entry_parent_class)->finalize (object);
}

static void
gremium_record_entry_class_init (GremiumRecordEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gremium_record_entry_finalize;
}

static void
gremium_record_entry_init (GremiumRecordEntry *self)
{
}

/**
 * gremium_record_entry_new:
 * @index: the entry's position in the log, from 0
 * @time_usec: when the server accepted the statement
 * @statement: the statement
 *
 * Creates an entry, as the server does when it accepts a statement.
 * @time_usec is truncated to milliseconds, the precision of the record.
 *
 * Returns: (transfer full): the entry
 */
GremiumRecordEntry *
gremium_record_entry_new (guint64           index,
                          gint64            time_usec,
                          GremiumStatement *statement)
{
  GremiumRecordEntry *self;

  g_return_val_if_fail (GREMIUM_IS_STATEMENT (statement), NULL);

  self = g_object_new (GREMIUM_TYPE_RECORD_ENTRY, NULL);
  self->index = index;
  self->time = time_usec / 1000 * 1000;
  self->statement = g_object_ref (statement);
  self->text = format_entry (index, self->time, statement);
  self->length = strlen (self->text);
  gremium_merkle_leaf_hash ((const guint8 *) self->text, self->length, self->leaf_hash);

  return self;
}

/**
 * gremium_record_entry_new_from_bytes:
 * @data: the entry's bytes (not NUL-terminated necessarily)
 * @len: length of @data
 * @error: return location for an error
 *
 * Parses an entry and checks that it is in its one canonical form. The
 * statement's signature is not checked here; the meeting model does that
 * with the roster's keys.
 *
 * Returns: (transfer full) (nullable): the entry, or %NULL with @error set
 */
GremiumRecordEntry *
gremium_record_entry_new_from_bytes (const char  *data,
                                     gsize        len,
                                     GError     **error)
{
  static const char * const members[] = { "index", "time", "statement", NULL };
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GremiumStatement) statement = NULL;
  g_autofree char *canonical = NULL;
  GremiumRecordEntry *self;
  const char *time_text;
  JsonObject *envelope;
  gint64 index;
  gint64 time_usec;

  g_return_val_if_fail (data != NULL, NULL);

  if (len > GREMIUM_RECORD_ENTRY_MAX_SIZE)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_TOO_LARGE,
                   "A record entry may have at most %d bytes", GREMIUM_RECORD_ENTRY_MAX_SIZE);
      return NULL;
    }

  if (!(object = _gremium_json_parse_object (data, len, error)))
    return NULL;

  if (!_gremium_json_check_members (object, "the record entry", members, error) ||
      !_gremium_json_get_int (object, "index", 0, G_MAXINT64, &index, error) ||
      !(time_text = _gremium_json_get_string (object, "time", 32, error)) ||
      !(envelope = _gremium_json_get_object (object, "statement", error)))
    return NULL;

  if (!gremium_time_parse (time_text, &time_usec))
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                           "The entry's time is not of the form 2026-11-26T15:04:05.123Z");
      return NULL;
    }

  if (!(statement = gremium_statement_new_from_object (envelope, error)))
    return NULL;

  canonical = format_entry ((guint64) index, time_usec, statement);
  if (strlen (canonical) != len || memcmp (canonical, data, len) != 0)
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_MALFORMED,
                           "The record entry is not in its canonical form");
      return NULL;
    }

  self = g_object_new (GREMIUM_TYPE_RECORD_ENTRY, NULL);
  self->index = (guint64) index;
  self->time = time_usec;
  self->statement = g_steal_pointer (&statement);
  self->text = g_steal_pointer (&canonical);
  self->length = len;
  gremium_merkle_leaf_hash ((const guint8 *) self->text, self->length, self->leaf_hash);

  return self;
}

/**
 * gremium_record_entry_get_index:
 * @self: an entry
 *
 * Returns: the entry's position in the log
 */
guint64
gremium_record_entry_get_index (GremiumRecordEntry *self)
{
  g_return_val_if_fail (GREMIUM_IS_RECORD_ENTRY (self), 0);

  return self->index;
}

/**
 * gremium_record_entry_get_time:
 * @self: an entry
 *
 * Returns: the server's time of acceptance, microseconds since the Unix epoch
 */
gint64
gremium_record_entry_get_time (GremiumRecordEntry *self)
{
  g_return_val_if_fail (GREMIUM_IS_RECORD_ENTRY (self), 0);

  return self->time;
}

/**
 * gremium_record_entry_get_statement:
 * @self: an entry
 *
 * Returns: (transfer none): the statement
 */
GremiumStatement *
gremium_record_entry_get_statement (GremiumRecordEntry *self)
{
  g_return_val_if_fail (GREMIUM_IS_RECORD_ENTRY (self), NULL);

  return self->statement;
}

/**
 * gremium_record_entry_get_text:
 * @self: an entry
 *
 * Returns: (transfer none): the entry's exact bytes, NUL-terminated
 */
const char *
gremium_record_entry_get_text (GremiumRecordEntry *self)
{
  g_return_val_if_fail (GREMIUM_IS_RECORD_ENTRY (self), NULL);

  return self->text;
}

/**
 * gremium_record_entry_get_length:
 * @self: an entry
 *
 * Returns: the number of bytes of gremium_record_entry_get_text()
 */
gsize
gremium_record_entry_get_length (GremiumRecordEntry *self)
{
  g_return_val_if_fail (GREMIUM_IS_RECORD_ENTRY (self), 0);

  return self->length;
}

/**
 * gremium_record_entry_get_leaf_hash:
 * @self: an entry
 *
 * Returns: (transfer none) (array fixed-size=32): the Merkle leaf hash,
 *   SHA-256(0x00 || bytes)
 */
const guint8 *
gremium_record_entry_get_leaf_hash (GremiumRecordEntry *self)
{
  g_return_val_if_fail (GREMIUM_IS_RECORD_ENTRY (self), NULL);

  return self->leaf_hash;
}
