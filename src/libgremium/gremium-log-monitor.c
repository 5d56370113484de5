/* gremium-log-monitor.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-log-monitor"

#include "config.h"

#include "gremium-log-monitor.h"
#include "gremium-error.h"
#include "gremium-json-private.h"
#include "gremium-merkle-tree.h"

#include <errno.h>
#include <string.h>

#define STATE_FORMAT  "gremium-log-monitor"
#define STATE_VERSION 1

/* A state file holds one checkpoint and a few short fields; JSON escaping
 * can at most double the note.
 */
#define STATE_MAX_SIZE (2 * GREMIUM_CHECKPOINT_MAX_SIZE + 4096)

/**
 * GremiumLogMonitor:
 *
 * What a client keeps to notice that a meeting's transparency log forked or
 * was rolled back: the latest checkpoint it accepted, persisted across
 * restarts.
 *
 * Every new checkpoint must be signed by the log's key and name the log's
 * origin. If it is larger than the kept one, a consistency proof must show
 * that it only appends to it; if it has the same size, it must have the same
 * root; it may never be smaller. Because each accepted checkpoint was proven
 * to extend the one before, the latest commits to all earlier ones, and it
 * is all the monitor needs to keep.
 *
 * A checkpoint that breaks these rules is refused with
 * %GREMIUM_ERROR_LOG_INCONSISTENT and reported through
 * #GremiumLogMonitor::fork-detected together with the kept checkpoint. Both
 * are signed by the log, so the pair is evidence that anyone with the log's
 * public key can check. The kept checkpoint stays as it was.
 *
 * The state file is a JSON object, written atomically and durably after each
 * accepted checkpoint and before it takes effect:
 * `{"format":"gremium-log-monitor","version":1,"origin":…,"verifier-key":…,"checkpoint":…}`
 * where `verifier-key` is gremium_checkpoint_format_verifier_key() and
 * `checkpoint` the signed note. Loading verifies the stored checkpoint again.
 */

enum {
  FORK_DETECTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

struct _GremiumLogMonitor
{
  GObject            parent_instance;

  char              *origin;
  char              *key_name;
  guint8             public_key[GREMIUM_PUBLIC_KEY_SIZE];
  char              *state_path;

  GremiumCheckpoint *latest;
};

G_DEFINE_FINAL_TYPE (GremiumLogMonitor, gremium_log_monitor, G_TYPE_OBJECT)

/* An origin is one line of a signed note: non-empty UTF-8 without control
 * characters.
 */
static gboolean
origin_is_valid (const char *origin)
{
  if (origin == NULL || origin[0] == '\0' || !g_utf8_validate (origin, -1, NULL))
    return FALSE;

  for (const char *p = origin; *p != '\0'; p++)
    {
      if ((guchar) *p < 0x20)
        return FALSE;
    }

  return TRUE;
}

static gboolean
save_state (GremiumLogMonitor  *self,
            GremiumCheckpoint  *checkpoint,
            GError            **error)
{
  g_autoptr(JsonObject) state = json_object_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *verifier_key = NULL;
  g_autofree char *json = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *dir = NULL;

  g_assert (self->state_path != NULL);

  verifier_key = gremium_checkpoint_format_verifier_key (self->key_name, self->public_key);

  json_object_set_string_member (state, "format", STATE_FORMAT);
  json_object_set_int_member (state, "version", STATE_VERSION);
  json_object_set_string_member (state, "origin", self->origin);
  json_object_set_string_member (state, "verifier-key", verifier_key);
  json_object_set_string_member (state, "checkpoint", gremium_checkpoint_get_text (checkpoint));

  json = _gremium_json_object_to_string (state);
  contents = g_strconcat (json, "\n", NULL);

  dir = g_path_get_dirname (self->state_path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_STORAGE,
                   "Cannot create the folder %s: %s", dir, g_strerror (saved_errno));
      return FALSE;
    }

  /* Atomic and durable: after a crash the file holds the old or the new
   * checkpoint, never a mix and never one the monitor had not yet accepted.
   */
  if (!g_file_set_contents_full (self->state_path, contents, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, &local_error))
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_STORAGE,
                   "Cannot save the log monitor state: %s", local_error->message);
      return FALSE;
    }

  return TRUE;
}

/* Unlike _gremium_json_get_string() this accepts any string: a signed note
 * may hold characters that Gremium's own text fields refuse.
 */
static const char *
get_state_string (JsonObject  *state,
                  const char  *member,
                  GError     **error)
{
  JsonNode *node = json_object_get_member (state, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_MALFORMED,
                   "The field “%s” is missing or not a string", member);
      return NULL;
    }

  return json_node_get_string (node);
}

static gboolean
report_fork (GremiumLogMonitor  *self,
             const char         *offending_text,
             GError            **error,
             const char         *format,
             ...) G_GNUC_PRINTF (4, 5);

static gboolean
report_fork (GremiumLogMonitor  *self,
             const char         *offending_text,
             GError            **error,
             const char         *format,
             ...)
{
  g_autoptr(GremiumCheckpoint) kept = g_object_ref (self->latest);
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_signal_emit (self, signals[FORK_DETECTED], 0, kept, offending_text);

  g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_LOG_INCONSISTENT, message);
  return FALSE;
}

static gboolean
accept_checkpoint (GremiumLogMonitor  *self,
                   GremiumCheckpoint  *checkpoint,
                   GError            **error)
{
  /* Disk first: the monitor never relies on a checkpoint it might forget. */
  if (self->state_path != NULL && !save_state (self, checkpoint, error))
    return FALSE;

  g_set_object (&self->latest, checkpoint);
  return TRUE;
}

static void
gremium_log_monitor_finalize (GObject *object)
{
  GremiumLogMonitor *self = (GremiumLogMonitor *) object;

  g_clear_pointer (&self->origin, g_free);
  g_clear_pointer (&self->key_name, g_free);
  g_clear_pointer (&self->state_path, g_free);

  G_OBJECT_CLASS (gremium_log_monitor_parent_class)->finalize (object);
}

static void
gremium_log_monitor_dispose (GObject *object)
{
  GremiumLogMonitor *self = (GremiumLogMonitor *) object;

  g_clear_object (&self->latest);

  G_OBJECT_CLASS (gremium_log_monitor_parent_class)->dispose (object);
}

static void
gremium_log_monitor_class_init (GremiumLogMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gremium_log_monitor_dispose;
  object_class->finalize = gremium_log_monitor_finalize;

  /**
   * GremiumLogMonitor::fork-detected:
   * @self: the monitor
   * @kept: the checkpoint the monitor keeps
   * @offending: the signed note that contradicts it
   *
   * Emitted when the log presented a validly signed checkpoint that
   * contradicts the kept one: a smaller size (a rollback), another root for
   * the same size, or a larger size without a valid consistency proof (a
   * fork). The two signed notes are the evidence; store them and alarm the
   * user. The kept checkpoint does not change.
   */
  signals[FORK_DETECTED] =
    g_signal_new ("fork-detected",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 2, GREMIUM_TYPE_CHECKPOINT, G_TYPE_STRING);
}

static void
gremium_log_monitor_init (GremiumLogMonitor *self)
{
}

/**
 * gremium_log_monitor_new:
 * @origin: the log's origin line, for Gremium `<server name>/meeting/<meeting id>`
 * @key_name: the log's key name, for Gremium the server name
 * @public_key: (array fixed-size=32): the log's Ed25519 public key, as pinned
 *   for the server
 * @state_path: (nullable): the file that keeps the latest checkpoint across
 *   restarts, or %NULL to keep it in memory only
 *
 * Creates a monitor for one log. Call gremium_log_monitor_load() before the
 * first update to pick up the state of earlier runs.
 *
 * Returns: (transfer full): the monitor
 */
GremiumLogMonitor *
gremium_log_monitor_new (const char   *origin,
                         const char   *key_name,
                         const guint8  public_key[GREMIUM_PUBLIC_KEY_SIZE],
                         const char   *state_path)
{
  GremiumLogMonitor *self;

  g_return_val_if_fail (origin_is_valid (origin), NULL);
  g_return_val_if_fail (gremium_checkpoint_key_name_is_valid (key_name), NULL);
  g_return_val_if_fail (public_key != NULL, NULL);

  self = g_object_new (GREMIUM_TYPE_LOG_MONITOR, NULL);
  self->origin = g_strdup (origin);
  self->key_name = g_strdup (key_name);
  memcpy (self->public_key, public_key, GREMIUM_PUBLIC_KEY_SIZE);
  self->state_path = g_strdup (state_path);

  return self;
}

/**
 * gremium_log_monitor_load:
 * @self: a monitor
 * @error: return location for an error
 *
 * Reads the state file, if the monitor has one and it exists, and verifies
 * the stored checkpoint again: its signature under the monitor's key and its
 * origin. A file that was altered, or that belongs to another log or key, is
 * refused and the monitor stays as it was.
 *
 * Returns: %TRUE if there was nothing to load or the state was loaded
 */
gboolean
gremium_log_monitor_load (GremiumLogMonitor  *self,
                          GError            **error)
{
  static const char * const state_members[] = {
    "format", "version", "origin", "verifier-key", "checkpoint", NULL
  };
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonObject) state = NULL;
  g_autoptr(GremiumCheckpoint) checkpoint = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *verifier_key = NULL;
  const char *format;
  const char *origin;
  const char *stored_key;
  const char *text;
  gint64 version;
  gsize len = 0;

  g_return_val_if_fail (GREMIUM_IS_LOG_MONITOR (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->state_path == NULL)
    return TRUE;

  if (!g_file_get_contents (self->state_path, &contents, &len, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return TRUE;

      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_STORAGE,
                   "Cannot read the log monitor state: %s", local_error->message);
      return FALSE;
    }

  if (len > STATE_MAX_SIZE)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_TOO_LARGE,
                   "The log monitor state %s is too large", self->state_path);
      return FALSE;
    }

  if (!(state = _gremium_json_parse_object (contents, len, error)) ||
      !_gremium_json_check_members (state, "the log monitor state", state_members, error) ||
      !(format = get_state_string (state, "format", error)) ||
      !_gremium_json_get_int (state, "version", 1, G_MAXINT, &version, error) ||
      !(origin = get_state_string (state, "origin", error)) ||
      !(stored_key = get_state_string (state, "verifier-key", error)) ||
      !(text = get_state_string (state, "checkpoint", error)))
    {
      g_prefix_error (error, "The log monitor state %s: ", self->state_path);
      return FALSE;
    }

  if (g_strcmp0 (format, STATE_FORMAT) != 0)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_MALFORMED,
                   "The file %s is not a log monitor state", self->state_path);
      return FALSE;
    }

  if (version != STATE_VERSION)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_UNSUPPORTED_VERSION,
                   "The log monitor state %s has the unsupported version %" G_GINT64_FORMAT,
                   self->state_path, version);
      return FALSE;
    }

  if (g_strcmp0 (origin, self->origin) != 0)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                   "The log monitor state %s belongs to the log “%s”, not “%s”",
                   self->state_path, origin, self->origin);
      return FALSE;
    }

  verifier_key = gremium_checkpoint_format_verifier_key (self->key_name, self->public_key);
  if (g_strcmp0 (stored_key, verifier_key) != 0)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_SERVER_KEY_CHANGED,
                   "The log monitor state %s was kept for the key %s, but the log's key is %s",
                   self->state_path, stored_key, verifier_key);
      return FALSE;
    }

  /* The file is only as trustworthy as the signature inside it. */
  checkpoint = gremium_checkpoint_parse (text, -1, self->key_name, self->public_key, error);
  if (checkpoint == NULL)
    {
      g_prefix_error (error, "The checkpoint in the log monitor state %s: ", self->state_path);
      return FALSE;
    }

  if (g_strcmp0 (gremium_checkpoint_get_origin (checkpoint), self->origin) != 0)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                   "The checkpoint in the log monitor state %s is for the log “%s”, "
                   "not “%s”",
                   self->state_path, gremium_checkpoint_get_origin (checkpoint), self->origin);
      return FALSE;
    }

  g_set_object (&self->latest, checkpoint);

  return TRUE;
}

/**
 * gremium_log_monitor_get_latest:
 * @self: a monitor
 *
 * Returns: (transfer none) (nullable): the latest accepted checkpoint, or
 *   %NULL before the first one
 */
GremiumCheckpoint *
gremium_log_monitor_get_latest (GremiumLogMonitor *self)
{
  g_return_val_if_fail (GREMIUM_IS_LOG_MONITOR (self), NULL);

  return self->latest;
}

/**
 * gremium_log_monitor_update:
 * @self: a monitor
 * @checkpoint_text: a signed checkpoint note from the log
 * @consistency_proof: (nullable): the consistency proof from the kept
 *   checkpoint's size to the new one's; %NULL or empty when no checkpoint is
 *   kept yet or the sizes are equal
 * @error: return location for an error
 *
 * Offers the monitor a checkpoint. It is accepted, and saved before it takes
 * effect, if it is signed by the log's key, names the log's origin, and
 * extends the kept checkpoint: larger with a valid consistency proof, or the
 * same size and root (then nothing changes). The first checkpoint is taken
 * on trust in the pinned key.
 *
 * A checkpoint that is not signed, is malformed or names another log gives
 * the error of gremium_checkpoint_parse() or %GREMIUM_ERROR_INVALID_FIELD.
 * A missing proof, or a proof where none belongs, gives
 * %GREMIUM_ERROR_INVALID_FIELD. A signed checkpoint that contradicts the
 * kept one (smaller, another root at the same size, or a consistency proof
 * that fails) gives %GREMIUM_ERROR_LOG_INCONSISTENT and emits
 * #GremiumLogMonitor::fork-detected. A failure to save gives
 * %GREMIUM_ERROR_STORAGE. In every failure the kept checkpoint stays.
 *
 * Returns: %TRUE if the checkpoint was accepted
 */
gboolean
gremium_log_monitor_update (GremiumLogMonitor  *self,
                            const char         *checkpoint_text,
                            GBytes             *consistency_proof,
                            GError            **error)
{
  g_autoptr(GremiumCheckpoint) checkpoint = NULL;
  g_autoptr(GError) proof_error = NULL;
  gsize proof_len;
  guint64 old_size;
  guint64 new_size;

  g_return_val_if_fail (GREMIUM_IS_LOG_MONITOR (self), FALSE);
  g_return_val_if_fail (checkpoint_text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  proof_len = consistency_proof != NULL ? g_bytes_get_size (consistency_proof) : 0;

  checkpoint = gremium_checkpoint_parse (checkpoint_text, -1, self->key_name, self->public_key,
                                         error);
  if (checkpoint == NULL)
    {
      g_prefix_error (error, "The log's checkpoint: ");
      return FALSE;
    }

  if (g_strcmp0 (gremium_checkpoint_get_origin (checkpoint), self->origin) != 0)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                   "The checkpoint is for the log “%s”, not “%s”",
                   gremium_checkpoint_get_origin (checkpoint), self->origin);
      return FALSE;
    }

  if (self->latest == NULL)
    {
      if (proof_len != 0)
        {
          g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                               "No checkpoint is kept yet, so a consistency proof cannot be "
                               "checked");
          return FALSE;
        }

      return accept_checkpoint (self, checkpoint, error);
    }

  old_size = gremium_checkpoint_get_size (self->latest);
  new_size = gremium_checkpoint_get_size (checkpoint);

  if (new_size < old_size)
    return report_fork (self, checkpoint_text, error,
                        "The log was rolled back: it presented a checkpoint of size %"
                        G_GUINT64_FORMAT " after one of size %" G_GUINT64_FORMAT,
                        new_size, old_size);

  if (new_size == old_size)
    {
      if (memcmp (gremium_checkpoint_get_root (checkpoint),
                  gremium_checkpoint_get_root (self->latest), GREMIUM_HASH_SIZE) != 0)
        return report_fork (self, checkpoint_text, error,
                            "The log forked: it signed two different roots for size %"
                            G_GUINT64_FORMAT,
                            new_size);

      if (proof_len != 0)
        {
          g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                               "Checkpoints of equal size take no consistency proof");
          return FALSE;
        }

      /* The same tree head again: nothing to learn, nothing to save. */
      return TRUE;
    }

  if (old_size > 0 && proof_len == 0)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                   "A consistency proof from size %" G_GUINT64_FORMAT " to size %"
                   G_GUINT64_FORMAT " is needed",
                   old_size, new_size);
      return FALSE;
    }

  /* A proof that fails for any reason, even a malformed one, leaves the
   * monitor with two signed checkpoints and nothing that reconciles them.
   */
  if (!gremium_merkle_verify_consistency (old_size, new_size,
                                          gremium_checkpoint_get_root (self->latest),
                                          gremium_checkpoint_get_root (checkpoint),
                                          consistency_proof, &proof_error))
    return report_fork (self, checkpoint_text, error,
                        "The log forked: its checkpoint of size %" G_GUINT64_FORMAT
                        " does not provably extend the one of size %" G_GUINT64_FORMAT ": %s",
                        new_size, old_size, proof_error->message);

  return accept_checkpoint (self, checkpoint, error);
}

/**
 * gremium_log_monitor_check_inclusion:
 * @self: a monitor
 * @leaf_hash: (array fixed-size=32): the leaf hash of the entry, see
 *   gremium_merkle_leaf_hash()
 * @index: the entry's index in the log
 * @proof: (nullable): the inclusion proof in the tree of the latest
 *   checkpoint's size
 * @error: return location for an error
 *
 * Checks that an entry, such as the voter's own ballot, is in the log as the
 * latest checkpoint describes it.
 *
 * Returns: %TRUE if the proof holds; otherwise %FALSE with
 *   %GREMIUM_ERROR_INVALID_STATE before the first checkpoint, or the error of
 *   gremium_merkle_verify_inclusion()
 */
gboolean
gremium_log_monitor_check_inclusion (GremiumLogMonitor  *self,
                                     const guint8        leaf_hash[GREMIUM_HASH_SIZE],
                                     guint64             index,
                                     GBytes             *proof,
                                     GError            **error)
{
  g_return_val_if_fail (GREMIUM_IS_LOG_MONITOR (self), FALSE);
  g_return_val_if_fail (leaf_hash != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->latest == NULL)
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_STATE,
                           "No checkpoint of the log is known yet");
      return FALSE;
    }

  return gremium_merkle_verify_inclusion (leaf_hash, index,
                                          gremium_checkpoint_get_size (self->latest),
                                          proof,
                                          gremium_checkpoint_get_root (self->latest),
                                          error);
}
