/* gremium-server-database.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-server"

#include "config.h"

#include "gremium-server-database.h"

#include <gremium-error.h>

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

/**
 * GremiumServerDatabase:
 *
 * The server's durable state in one SQLite file: the member directory with
 * device keys and enrolment codes, the meetings, and every meeting's record.
 *
 * The database runs in WAL mode with `synchronous=FULL`: a transaction is on
 * disk when its COMMIT returns, so an acknowledged statement survives a
 * `kill -9` or a power loss. The server acknowledges nothing before that.
 */
struct _GremiumServerDatabase
{
  GObject  parent_instance;

  sqlite3 *db;
  char    *path;
};

G_DEFINE_FINAL_TYPE (GremiumServerDatabase, gremium_server_database, G_TYPE_OBJECT)

#define SCHEMA_VERSION 1

static const char schema[] =
  "CREATE TABLE IF NOT EXISTS server_info ("
  "  key TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL);"
  "CREATE TABLE IF NOT EXISTS members ("
  "  id TEXT PRIMARY KEY,"
  "  name TEXT NOT NULL,"
  "  role TEXT NOT NULL,"
  "  removed INTEGER NOT NULL DEFAULT 0);"
  "CREATE TABLE IF NOT EXISTS devices ("
  "  key BLOB PRIMARY KEY,"
  "  member TEXT NOT NULL REFERENCES members(id),"
  "  enrolled INTEGER NOT NULL,"
  "  revoked INTEGER NOT NULL DEFAULT 0);"
  "CREATE TABLE IF NOT EXISTS enrolment_codes ("
  "  code_hash BLOB PRIMARY KEY,"
  "  member TEXT NOT NULL REFERENCES members(id),"
  "  expires INTEGER NOT NULL,"
  "  used INTEGER NOT NULL DEFAULT 0);"
  "CREATE TABLE IF NOT EXISTS meetings ("
  "  id TEXT PRIMARY KEY,"
  "  title TEXT NOT NULL,"
  "  scheduled INTEGER NOT NULL,"
  "  created INTEGER NOT NULL);"
  "CREATE TABLE IF NOT EXISTS entries ("
  "  meeting TEXT NOT NULL REFERENCES meetings(id),"
  "  idx INTEGER NOT NULL,"
  "  data BLOB NOT NULL,"
  "  PRIMARY KEY (meeting, idx)) WITHOUT ROWID;";

/* Enrolment codes use an alphabet without 0/O and 1/I, so that a code read
 * over the phone survives. 12 characters carry 60 bits.
 */
static const char code_alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

static gboolean
set_sqlite_error (GError     **error,
                  sqlite3     *db,
                  const char  *what)
{
  g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_STORAGE,
               "%s: %s", what, db ? sqlite3_errmsg (db) : "out of memory");
  return FALSE;
}

static gboolean
exec (GremiumServerDatabase  *self,
      const char             *sql,
      GError                **error)
{
  char *message = NULL;

  if (sqlite3_exec (self->db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_STORAGE,
                   "Database error: %s", message ? message : "unknown");
      sqlite3_free (message);
      return FALSE;
    }

  return TRUE;
}

static sqlite3_stmt *
prepare (GremiumServerDatabase  *self,
         const char             *sql,
         GError                **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      set_sqlite_error (error, self->db, "Cannot prepare a database query");
      return NULL;
    }

  return stmt;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

static void
rollback (GremiumServerDatabase *self)
{
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

static void
code_hash (const char *normalized,
           guint8      out[GREMIUM_HASH_SIZE])
{
  gremium_sha256 ((const guint8 *) normalized, strlen (normalized), out);
}

static void
gremium_server_database_finalize (GObject *object)
{
  GremiumServerDatabase *self = (GremiumServerDatabase *) object;

  g_clear_pointer (&self->db, sqlite3_close);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (gremium_server_database_parent_class)->finalize (object);
}

static void
gremium_server_database_class_init (GremiumServerDatabaseClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gremium_server_database_finalize;
}

static void
gremium_server_database_init (GremiumServerDatabase *self)
{
}

void
gremium_server_member_info_free (GremiumServerMemberInfo *info)
{
  if (info == NULL)
    return;

  g_free (info->id);
  g_free (info->name);
  g_free (info);
}

void
gremium_server_meeting_info_free (GremiumServerMeetingInfo *info)
{
  if (info == NULL)
    return;

  g_free (info->id);
  g_free (info->title);
  g_free (info);
}

/**
 * gremium_server_database_open:
 * @path: the database file; created if missing
 * @error: return location for an error
 *
 * Opens the database in WAL mode with full synchronous commits and creates
 * or checks its schema.
 *
 * Returns: (transfer full) (nullable): the database
 */
GremiumServerDatabase *
gremium_server_database_open (const char  *path,
                              GError     **error)
{
  g_autoptr(GremiumServerDatabase) self = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *dir = NULL;
  int version = 0;

  g_return_val_if_fail (path != NULL, NULL);

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_STORAGE,
                   "Cannot create the data folder %s: %s", dir, g_strerror (errno));
      return NULL;
    }

  self = g_object_new (GREMIUM_TYPE_SERVER_DATABASE, NULL);
  self->path = g_strdup (path);

  if (sqlite3_open_v2 (path, &self->db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                       NULL) != SQLITE_OK)
    {
      set_sqlite_error (error, self->db, "Cannot open the database");
      return NULL;
    }

  sqlite3_busy_timeout (self->db, 5000);

  if (!exec (self, "PRAGMA journal_mode=WAL", error) ||
      !exec (self, "PRAGMA synchronous=FULL", error) ||
      !exec (self, "PRAGMA foreign_keys=ON", error) ||
      !exec (self, schema, error))
    return NULL;

  if (!(stmt = prepare (self, "SELECT value FROM server_info WHERE key = 'schema'", error)))
    return NULL;

  if (sqlite3_step (stmt) == SQLITE_ROW)
    version = atoi ((const char *) sqlite3_column_text (stmt, 0));
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (version == 0)
    {
      g_autofree char *sql = g_strdup_printf ("INSERT INTO server_info VALUES ('schema', '%d')",
                                              SCHEMA_VERSION);

      if (!exec (self, sql, error))
        return NULL;
    }
  else if (version != SCHEMA_VERSION)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_UNSUPPORTED_VERSION,
                   "The database has schema version %d; this server needs %d",
                   version, SCHEMA_VERSION);
      return NULL;
    }

  return g_steal_pointer (&self);
}

/**
 * gremium_server_database_add_member:
 * @self: the database
 * @id: a new member id
 * @name: the display name
 * @role: the member's role
 * @error: return location for an error
 *
 * Returns: %TRUE if the member was added
 */
gboolean
gremium_server_database_add_member (GremiumServerDatabase  *self,
                                    const char             *id,
                                    const char             *name,
                                    GremiumRole             role,
                                    GError                **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (GREMIUM_IS_SERVER_DATABASE (self), FALSE);

  if (!(stmt = prepare (self, "INSERT INTO members (id, name, role) VALUES (?, ?, ?)", error)))
    return FALSE;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, gremium_role_to_string (role), -1, SQLITE_STATIC);

  switch (sqlite3_step (stmt))
    {
    case SQLITE_DONE:
      return TRUE;

    case SQLITE_CONSTRAINT:
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_STATE,
                   "A member with the id “%s” already exists", id);
      return FALSE;

    default:
      return set_sqlite_error (error, self->db, "Cannot add the member");
    }
}

/**
 * gremium_server_database_remove_member:
 * @self: the database
 * @id: a member id
 * @error: return location for an error
 *
 * Removes a member from the directory: the member can no longer log in, all
 * device keys are revoked and open enrolment codes are void. The member stays
 * in existing records, which are never changed.
 *
 * Returns: %TRUE if the member was removed
 */
gboolean
gremium_server_database_remove_member (GremiumServerDatabase  *self,
                                       const char             *id,
                                       GError                **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (GREMIUM_IS_SERVER_DATABASE (self), FALSE);

  if (!exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;

  if (!(stmt = prepare (self, "UPDATE members SET removed = 1 WHERE id = ? AND removed = 0", error)))
    goto failed;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, "Cannot remove the member");
      goto failed;
    }

  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_UNKNOWN_MEMBER, "No member “%s”", id);
      goto failed;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (!(stmt = prepare (self, "UPDATE devices SET revoked = 1 WHERE member = ?", error)))
    goto failed;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, "Cannot revoke the member's keys");
      goto failed;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (!(stmt = prepare (self, "UPDATE enrolment_codes SET used = 1 WHERE member = ?", error)))
    goto failed;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, "Cannot void the member's enrolment codes");
      goto failed;
    }

  return exec (self, "COMMIT", error);

failed:
  rollback (self);
  return FALSE;
}

static GremiumServerMemberInfo *
member_from_row (sqlite3_stmt *stmt)
{
  GremiumServerMemberInfo *info = g_new0 (GremiumServerMemberInfo, 1);

  info->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  info->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  if (!gremium_role_from_string ((const char *) sqlite3_column_text (stmt, 2), &info->role))
    info->role = GREMIUM_ROLE_GUEST;

  return info;
}

/**
 * gremium_server_database_lookup_member:
 * @self: the database
 * @id: a member id
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the member, or %NULL with
 *   %GREMIUM_ERROR_UNKNOWN_MEMBER if there is no such (current) member
 */
GremiumServerMemberInfo *
gremium_server_database_lookup_member (GremiumServerDatabase  *self,
                                       const char             *id,
                                       GError                **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (GREMIUM_IS_SERVER_DATABASE (self), NULL);

  if (!(stmt = prepare (self, "SELECT id, name, role FROM members WHERE id = ? AND removed = 0",
                        error)))
    return NULL;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_UNKNOWN_MEMBER, "No member “%s”", id);
      return NULL;
    }

  return member_from_row (stmt);
}

/**
 * gremium_server_database_list_members:
 * @self: the database
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type GremiumServerMemberInfo): the current
 *   members, sorted by id
 */
GPtrArray *
gremium_server_database_list_members (GremiumServerDatabase  *self,
                                      GError                **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) out = NULL;
  int rc;

  g_return_val_if_fail (GREMIUM_IS_SERVER_DATABASE (self), NULL);

  if (!(stmt = prepare (self, "SELECT id, name, role FROM members WHERE removed = 0 ORDER BY id",
                        error)))
    return NULL;

  out = g_ptr_array_new_with_free_func ((GDestroyNotify) gremium_server_member_info_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (out, member_from_row (stmt));

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, "Cannot list the members");
      return NULL;
    }

  return g_steal_pointer (&out);
}

/**
 * gremium_server_database_add_enrolment_code:
 * @self: the database
 * @member_id: the member the code enrols a device for
 * @code: the code as generated
 * @expires: when the code stops working, microseconds since the epoch
 * @error: return location for an error
 *
 * Stores an enrolment code. Only its SHA-256 is kept, so a copy of the
 * database does not reveal codes that are still unspent.
 *
 * Returns: %TRUE on success
 */
gboolean
gremium_server_database_add_enrolment_code (GremiumServerDatabase  *self,
                                            const char             *member_id,
                                            const char             *code,
                                            gint64                  expires,
                                            GError                **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *normalized = gremium_enrolment_code_normalize (code);
  guint8 hash[GREMIUM_HASH_SIZE];

  g_return_val_if_fail (GREMIUM_IS_SERVER_DATABASE (self), FALSE);
  g_return_val_if_fail (normalized != NULL, FALSE);

  code_hash (normalized, hash);

  if (!(stmt = prepare (self, "INSERT INTO enrolment_codes (code_hash, member, expires) VALUES (?, ?, ?)",
                        error)))
    return FALSE;

  sqlite3_bind_blob (stmt, 1, hash, sizeof hash, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, member_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, expires);

  if (sqlite3_step (stmt) != SQLITE_DONE)
    return set_sqlite_error (error, self->db, "Cannot store the enrolment code");

  return TRUE;
}

/**
 * gremium_server_database_enrol_device:
 * @self: the database
 * @member_id: the member
 * @code: the enrolment code the member typed
 * @key: the device's Ed25519 public key
 * @now: the current time, microseconds since the epoch
 * @error: return location for an error
 *
 * Enrols a device key with a one-time code: in one durable transaction the
 * code is spent and the key is stored. A code that is unknown, used, expired
 * or for another member gives %GREMIUM_ERROR_ENROLMENT_CODE in every case.
 *
 * Returns: %TRUE if the key is enrolled
 */
gboolean
gremium_server_database_enrol_device (GremiumServerDatabase  *self,
                                      const char             *member_id,
                                      const char             *code,
                                      const guint8            key[GREMIUM_PUBLIC_KEY_SIZE],
                                      gint64                  now,
                                      GError                **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *normalized = NULL;
  guint8 hash[GREMIUM_HASH_SIZE];

  g_return_val_if_fail (GREMIUM_IS_SERVER_DATABASE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  normalized = gremium_enrolment_code_normalize (code);
  if (normalized == NULL)
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_ENROLMENT_CODE,
                           "The enrolment code is not valid");
      return FALSE;
    }

  code_hash (normalized, hash);

  if (!exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;

  if (!(stmt = prepare (self,
                        "UPDATE enrolment_codes SET used = 1 "
                        "WHERE code_hash = ? AND member = ? AND used = 0 AND expires > ? "
                        "AND member IN (SELECT id FROM members WHERE removed = 0)",
                        error)))
    goto failed;

  sqlite3_bind_blob (stmt, 1, hash, sizeof hash, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, member_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, now);

  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, "Cannot check the enrolment code");
      goto failed;
    }

  if (sqlite3_changes (self->db) != 1)
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_ENROLMENT_CODE,
                           "The enrolment code is not valid");
      goto failed;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (!(stmt = prepare (self, "INSERT INTO devices (key, member, enrolled) VALUES (?, ?, ?)", error)))
    goto failed;

  sqlite3_bind_blob (stmt, 1, key, GREMIUM_PUBLIC_KEY_SIZE, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, member_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, now);

  switch (sqlite3_step (stmt))
    {
    case SQLITE_DONE:
      break;

    case SQLITE_CONSTRAINT:
      /* The code stays unspent: the rollback below undoes the update. */
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                           "This device key is already enrolled");
      goto failed;

    default:
      set_sqlite_error (error, self->db, "Cannot store the device key");
      goto failed;
    }

  return exec (self, "COMMIT", error);

failed:
  rollback (self);
  return FALSE;
}

/**
 * gremium_server_database_list_keys:
 * @self: the database
 * @member_id: the member
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type GBytes): the member's device keys
 *   that are not revoked, in order of enrolment
 */
GPtrArray *
gremium_server_database_list_keys (GremiumServerDatabase  *self,
                                   const char             *member_id,
                                   GError                **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) out = NULL;
  int rc;

  g_return_val_if_fail (GREMIUM_IS_SERVER_DATABASE (self), NULL);

  if (!(stmt = prepare (self,
                        "SELECT key FROM devices WHERE member = ? AND revoked = 0 ORDER BY enrolled, key",
                        error)))
    return NULL;

  sqlite3_bind_text (stmt, 1, member_id, -1, SQLITE_TRANSIENT);

  out = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (out, g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0)));

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, "Cannot list the keys");
      return NULL;
    }

  return g_steal_pointer (&out);
}

/**
 * gremium_server_database_has_key:
 * @self: the database
 * @member_id: the member
 * @key: an Ed25519 public key
 *
 * Returns: %TRUE if @key is enrolled for the current member and not revoked
 */
gboolean
gremium_server_database_has_key (GremiumServerDatabase *self,
                                 const char            *member_id,
                                 const guint8           key[GREMIUM_PUBLIC_KEY_SIZE])
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (GREMIUM_IS_SERVER_DATABASE (self), FALSE);

  if (!(stmt = prepare (self,
                        "SELECT 1 FROM devices d JOIN members m ON m.id = d.member "
                        "WHERE d.key = ? AND d.member = ? AND d.revoked = 0 AND m.removed = 0",
                        NULL)))
    return FALSE;

  sqlite3_bind_blob (stmt, 1, key, GREMIUM_PUBLIC_KEY_SIZE, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, member_id, -1, SQLITE_TRANSIENT);

  return sqlite3_step (stmt) == SQLITE_ROW;
}

/**
 * gremium_server_database_add_meeting:
 * @self: the database
 * @id: the new meeting's id
 * @title: its title
 * @scheduled: its scheduled start
 * @first_entry: the record's entry 0, the server's `meeting.create`
 * @first_entry_len: length of @first_entry
 * @error: return location for an error
 *
 * Creates a meeting together with the first entry of its record, in one
 * transaction.
 *
 * Returns: %TRUE on success
 */
gboolean
gremium_server_database_add_meeting (GremiumServerDatabase  *self,
                                     const char             *id,
                                     const char             *title,
                                     gint64                  scheduled,
                                     const char             *first_entry,
                                     gsize                   first_entry_len,
                                     GError                **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (GREMIUM_IS_SERVER_DATABASE (self), FALSE);

  if (!exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;

  if (!(stmt = prepare (self, "INSERT INTO meetings (id, title, scheduled, created) VALUES (?, ?, ?, ?)",
                        error)))
    goto failed;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, title, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, scheduled);
  sqlite3_bind_int64 (stmt, 4, g_get_real_time ());

  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, "Cannot create the meeting");
      goto failed;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (!(stmt = prepare (self, "INSERT INTO entries (meeting, idx, data) VALUES (?, 0, ?)", error)))
    goto failed;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_blob (stmt, 2, first_entry, first_entry_len, SQLITE_TRANSIENT);

  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, "Cannot store the meeting's first entry");
      goto failed;
    }

  return exec (self, "COMMIT", error);

failed:
  rollback (self);
  return FALSE;
}

/**
 * gremium_server_database_list_meetings:
 * @self: the database
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type GremiumServerMeetingInfo): all
 *   meetings, by scheduled start
 */
GPtrArray *
gremium_server_database_list_meetings (GremiumServerDatabase  *self,
                                       GError                **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) out = NULL;
  int rc;

  g_return_val_if_fail (GREMIUM_IS_SERVER_DATABASE (self), NULL);

  if (!(stmt = prepare (self, "SELECT id, title, scheduled, created FROM meetings ORDER BY scheduled, id",
                        error)))
    return NULL;

  out = g_ptr_array_new_with_free_func ((GDestroyNotify) gremium_server_meeting_info_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      GremiumServerMeetingInfo *info = g_new0 (GremiumServerMeetingInfo, 1);

      info->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      info->title = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      info->scheduled = sqlite3_column_int64 (stmt, 2);
      info->created = sqlite3_column_int64 (stmt, 3);
      g_ptr_array_add (out, info);
    }

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, "Cannot list the meetings");
      return NULL;
    }

  return g_steal_pointer (&out);
}

/**
 * gremium_server_database_append_entry:
 * @self: the database
 * @meeting_id: the meeting
 * @index: the entry's index, which must be the next one
 * @data: the entry's exact bytes
 * @len: length of @data
 * @error: return location for an error
 *
 * Appends an entry to a meeting's record and returns only when it is on
 * disk. An index that is already taken fails, so two writers can never
 * fork a record.
 *
 * Returns: %TRUE when the entry is durable
 */
gboolean
gremium_server_database_append_entry (GremiumServerDatabase  *self,
                                      const char             *meeting_id,
                                      guint64                 index,
                                      const char             *data,
                                      gsize                   len,
                                      GError                **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (GREMIUM_IS_SERVER_DATABASE (self), FALSE);

  if (!(stmt = prepare (self, "INSERT INTO entries (meeting, idx, data) VALUES (?, ?, ?)", error)))
    return FALSE;

  sqlite3_bind_text (stmt, 1, meeting_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) index);
  sqlite3_bind_blob (stmt, 3, data, len, SQLITE_STATIC);

  /* Autocommit: the statement is its own transaction, durable on return. */
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return set_sqlite_error (error, self->db, "Cannot store the record entry");

  return TRUE;
}

/**
 * gremium_server_database_load_entries:
 * @self: the database
 * @meeting_id: the meeting
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type GBytes): the meeting's record, in order
 */
GPtrArray *
gremium_server_database_load_entries (GremiumServerDatabase  *self,
                                      const char             *meeting_id,
                                      GError                **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) out = NULL;
  int rc;

  g_return_val_if_fail (GREMIUM_IS_SERVER_DATABASE (self), NULL);

  if (!(stmt = prepare (self, "SELECT idx, data FROM entries WHERE meeting = ? ORDER BY idx", error)))
    return NULL;

  sqlite3_bind_text (stmt, 1, meeting_id, -1, SQLITE_TRANSIENT);

  out = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if ((guint64) sqlite3_column_int64 (stmt, 0) != out->len)
        {
          g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_STORAGE,
                       "The stored record of meeting %s has a gap at entry %u",
                       meeting_id, out->len);
          return NULL;
        }

      g_ptr_array_add (out, g_bytes_new (sqlite3_column_blob (stmt, 1), sqlite3_column_bytes (stmt, 1)));
    }

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, "Cannot read the record");
      return NULL;
    }

  return g_steal_pointer (&out);
}

/**
 * gremium_server_database_backup:
 * @self: the database
 * @path: the backup file to write
 * @error: return location for an error
 *
 * Writes a consistent copy of the whole database, safe while the server runs.
 *
 * Returns: %TRUE on success
 */
gboolean
gremium_server_database_backup (GremiumServerDatabase  *self,
                                const char             *path,
                                GError                **error)
{
  sqlite3 *target = NULL;
  sqlite3_backup *backup;
  int rc;

  g_return_val_if_fail (GREMIUM_IS_SERVER_DATABASE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_STORAGE,
                   "%s already exists; choose a new file for the backup", path);
      return FALSE;
    }

  if (sqlite3_open (path, &target) != SQLITE_OK)
    {
      set_sqlite_error (error, target, "Cannot create the backup file");
      sqlite3_close (target);
      return FALSE;
    }

  backup = sqlite3_backup_init (target, "main", self->db, "main");
  if (backup == NULL)
    {
      set_sqlite_error (error, target, "Cannot start the backup");
      sqlite3_close (target);
      return FALSE;
    }

  rc = sqlite3_backup_step (backup, -1);
  sqlite3_backup_finish (backup);

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, target, "The backup failed");
      sqlite3_close (target);
      g_unlink (path);
      return FALSE;
    }

  sqlite3_close (target);
  return TRUE;
}

/**
 * gremium_enrolment_code_generate:
 *
 * Creates a one-time enrolment code: 12 random characters from an alphabet
 * without look-alikes, in three groups, e.g. `K7QX-M4TB-9RWH` (60 bits).
 *
 * Returns: (transfer full): the code
 */
char *
gremium_enrolment_code_generate (void)
{
  GString *out = g_string_new (NULL);
  guint8 random[12];

  gremium_random_bytes (random, sizeof random);
  for (guint i = 0; i < sizeof random; i++)
    {
      if (i > 0 && i % 4 == 0)
        g_string_append_c (out, '-');
      /* 32 divides 256, so the reduction has no bias. */
      g_string_append_c (out, code_alphabet[random[i] % 32]);
    }

  return g_string_free (out, FALSE);
}

/**
 * gremium_enrolment_code_normalize:
 * @code: a code as typed
 *
 * Ignores case, spaces and hyphens.
 *
 * Returns: (transfer full) (nullable): the 12 code characters, or %NULL if
 *   @code cannot be a code
 */
char *
gremium_enrolment_code_normalize (const char *code)
{
  GString *out;

  if (code == NULL || strlen (code) > 64)
    return NULL;

  out = g_string_new (NULL);
  for (const char *p = code; *p != '\0'; p++)
    {
      char c = g_ascii_toupper (*p);

      if (c == '-' || c == ' ')
        continue;

      if (strchr (code_alphabet, c) == NULL)
        {
          g_string_free (out, TRUE);
          return NULL;
        }

      g_string_append_c (out, c);
    }

  if (out->len != 12)
    {
      g_string_free (out, TRUE);
      return NULL;
    }

  return g_string_free (out, FALSE);
}
