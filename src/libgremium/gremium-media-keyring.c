/* gremium-media-keyring.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-media-keys"

#include "config.h"

#include "gremium-media-keyring.h"
#include "gremium-media-keyring-private.h"
#include "gremium-error.h"
#include "gremium-hkdf.h"
#include "gremium-json-private.h"
#include "gremium-peer-body.h"
#include "gremium-statement.h"

#include <sodium.h>
#include <string.h>

/**
 * GremiumMediaKeyring:
 *
 * The media keys of one participant in one meeting: its own SFrame sender
 * key and the keys of every other participant, kept in step with the meeting
 * record.
 *
 * The keyring watches the meeting model and works out the meeting's *media
 * audience*: the present participants, minus those excluded for a conflict
 * of interest (Befangenheit) while the current agenda item is non-public.
 * When the audience changes it acts (docs/crypto.md, "Key schedule"):
 *
 * - someone leaves the audience: their keys are removed at once, and this
 *   participant picks a fresh random key (a new *generation*) and seals it
 *   to every remaining participant; it keeps encrypting with the old key
 *   until gremium_media_keyring_apply_pending() is called after the grace
 *   period, so that every receiver has the new key before the first packet;
 * - someone joins: every sender ratchets its key one *step* (HKDF) and
 *   hands the ratcheted key to the newcomer; everyone else derives the
 *   ratcheted keys of the others locally, without a message;
 * - this participant joins: it picks a fresh key and sends it to everyone.
 *
 * Nothing here touches the network or a clock: outgoing messages queue up
 * for gremium_media_keyring_take_messages(), and the grace period, the
 * retirement of old keys and the forced rotation every 15 minutes are up to
 * the caller (#GremiumMediaKeyAgent runs them). This keeps every rule of the
 * key schedule testable step by step.
 *
 * Key messages are accepted only when signed by a roster key of their
 * sender, addressed to this device's key, bound to this meeting, made during
 * the current stretch of attendance of both sides and newer than every key
 * already accepted from that sender. Anything else is counted by its reason
 * and dropped.
 */

/* How many ratchet steps a receiver keeps behind and ahead of the step the
 * record says a sender should be at. A sender that applied a join a moment
 * before the receiver did is ahead, one that is a moment late is behind.
 */
#define STEPS_BEHIND 2
#define STEPS_AHEAD  2
#define WINDOW_SLOTS (STEPS_BEHIND + STEPS_AHEAD + 1)

/* Key messages whose sender is further along the record than we are wait
 * here until we catch up; the bound stops a flood from growing memory.
 */
#define MAX_DEFERRED 64

/* The sealed plaintext: a fixed label, the signer's Ed25519 key, the epoch
 * and the key. Binding the signer inside the seal stops a participant from
 * lifting someone else's sealed key into a message of their own.
 */
#define SEAL_LABEL      "GremiumMediaKey1"
#define SEAL_LABEL_SIZE 16
#define SEAL_PLAIN_SIZE (SEAL_LABEL_SIZE + GREMIUM_PUBLIC_KEY_SIZE + 8 + GREMIUM_MEDIA_KEY_SIZE)
#define SEALED_SIZE     (SEAL_PLAIN_SIZE + crypto_box_SEALBYTES)

G_STATIC_ASSERT (sizeof SEAL_LABEL - 1 == SEAL_LABEL_SIZE);

enum {
  PROP_0,
  PROP_ACTIVE,
  N_PROPS
};

enum {
  KEY_INSTALLED,
  KEYS_REMOVED,
  SENDER_KEY_CHANGED,
  SENDER_KEY_PENDING,
  AUDIENCE_CHANGED,
  MESSAGES_READY,
  MESSAGE_REJECTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* A sender key of this participant: the current one or one waiting for its
 * grace period.
 */
typedef struct
{
  guint64  generation;
  guint    step;
  guint8  *key;                 /* sodium_malloc (GREMIUM_MEDIA_KEY_SIZE) */
} SenderKey;

/* One generation of a remote sender's keys: the steps [lo, hi] are
 * installed in the receivers; slot (step % WINDOW_SLOTS) holds each one.
 */
typedef struct
{
  guint64  generation;
  guint    step0;               /* the step that arrived in the message */
  guint64  anchor;              /* the record size that step belongs to */
  guint    lo;
  guint    hi;
  guint8  *keys;                /* sodium_malloc (WINDOW_SLOTS × 32) */
} Generation;

/* What the keyring knows about one member of the roster. */
typedef struct
{
  char                  *id;
  guint                  position;
  gboolean               in_audience;
  guint64                since;         /* the entry that last brought them in */
  GremiumSFrameReceiver *receiver;      /* their keys only; created on demand */
  GPtrArray             *generations;   /* Generation, ascending */
  gboolean               has_newest;
  guint64                newest;        /* newest generation accepted this stretch */
} MemberState;

/* A verified key message, parsed. */
typedef struct
{
  char     *from;
  guint8    signer[GREMIUM_PUBLIC_KEY_SIZE];
  guint64   epoch;
  guint64   anchor;
  guint8    sealed[SEALED_SIZE];
} KeyMessage;

struct _GremiumMediaKeyring
{
  GObject                parent_instance;

  GremiumIdentity       *identity;
  char                  *member_id;
  char                  *meeting_id;
  GremiumMeeting        *meeting;
  gulong                 entry_handler;

  guint8                 x25519_public[GREMIUM_X25519_KEY_SIZE];
  guint8                *x25519_secret;   /* sodium_malloc */

  GremiumSFrameSender   *sender;
  GremiumSFrameReceiver *receiver;

  GPtrArray             *members;         /* MemberState, roster order */
  GHashTable            *members_by_id;   /* borrowed */
  MemberState           *me;
  gboolean               active;
  guint64                n_applied;
  GArray                *growth;          /* guint64 entry indices, ascending */

  SenderKey             *current;
  GPtrArray             *pending;         /* SenderKey, ascending generation */
  guint64                last_generation;

  GPtrArray             *outgoing;        /* GremiumMediaKeyMessage */
  GPtrArray             *deferred;        /* KeyMessage */

  guint64                n_accepted;
  guint64                n_rejected[GREMIUM_MEDIA_KEY_N_ERRORS];
};

G_DEFINE_FINAL_TYPE (GremiumMediaKeyring, gremium_media_keyring, G_TYPE_OBJECT)

G_DEFINE_QUARK (gremium-media-key-error-quark, gremium_media_key_error)

G_DEFINE_BOXED_TYPE (GremiumMediaKeyMessage, gremium_media_key_message,
                     gremium_media_key_message_copy, gremium_media_key_message_free)

static const char * const error_names[GREMIUM_MEDIA_KEY_N_ERRORS] = {
  [GREMIUM_MEDIA_KEY_ERROR_MALFORMED] = "malformed",
  [GREMIUM_MEDIA_KEY_ERROR_WRONG_MEETING] = "wrong-meeting",
  [GREMIUM_MEDIA_KEY_ERROR_WRONG_RECIPIENT] = "wrong-recipient",
  [GREMIUM_MEDIA_KEY_ERROR_OTHER_DEVICE] = "other-device",
  [GREMIUM_MEDIA_KEY_ERROR_BAD_SIGNATURE] = "bad-signature",
  [GREMIUM_MEDIA_KEY_ERROR_NOT_PARTICIPANT] = "not-participant",
  [GREMIUM_MEDIA_KEY_ERROR_STALE] = "stale",
  [GREMIUM_MEDIA_KEY_ERROR_REPLAYED] = "replayed",
  [GREMIUM_MEDIA_KEY_ERROR_BAD_SEAL] = "bad-seal",
};

/* Helpers for key material. */

static guint8 *
secret_new (gsize size)
{
  guint8 *secret = sodium_malloc (size);

  if (secret == NULL)
    g_error ("Out of secure memory for media keys");

  return secret;
}

static SenderKey *
sender_key_new (guint64 generation)
{
  SenderKey *key = g_new0 (SenderKey, 1);

  key->generation = generation;
  key->key = secret_new (GREMIUM_MEDIA_KEY_SIZE);
  gremium_random_bytes (key->key, GREMIUM_MEDIA_KEY_SIZE);

  return key;
}

static void
sender_key_free (SenderKey *key)
{
  g_clear_pointer (&key->key, sodium_free);
  g_free (key);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SenderKey, sender_key_free)

static guint64
sender_key_get_epoch (SenderKey *key)
{
  return GREMIUM_MEDIA_EPOCH (key->generation, key->step);
}

static void
generation_free (Generation *generation)
{
  g_clear_pointer (&generation->keys, sodium_free);
  g_free (generation);
}

static guint8 *
generation_slot (Generation *generation,
                 guint       step)
{
  g_assert (step >= generation->lo && step <= generation->hi);

  return generation->keys + (step % WINDOW_SLOTS) * GREMIUM_MEDIA_KEY_SIZE;
}

static void
member_state_free (MemberState *state)
{
  g_free (state->id);
  g_clear_pointer (&state->receiver, gremium_sframe_receiver_unref);
  g_clear_pointer (&state->generations, g_ptr_array_unref);
  g_free (state);
}

static void
key_message_free (KeyMessage *message)
{
  g_free (message->from);
  g_free (message);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KeyMessage, key_message_free)

static void
reject (GremiumMediaKeyring   *self,
        const char            *from,
        GError               **error,
        GremiumMediaKeyError   code,
        const char            *format,
        ...) G_GNUC_PRINTF (5, 6);

static void
reject (GremiumMediaKeyring   *self,
        const char            *from,
        GError               **error,
        GremiumMediaKeyError   code,
        const char            *format,
        ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  self->n_rejected[code]++;

  /* The reason and the claimed sender only; never any key material. */
  g_debug ("Rejected a media key message from %s: %s (%s)",
           from != NULL ? from : "?", error_names[code], text);
  g_signal_emit (self, signals[MESSAGE_REJECTED], 0, from, (int) code);

  g_set_error_literal (error, GREMIUM_MEDIA_KEY_ERROR, code, text);
}

/* The audience: present, and not excluded for a conflict of interest while
 * the current item is non-public (the member then has to leave the room).
 */
static gboolean
member_in_audience (GremiumMember     *member,
                    GremiumAgendaItem *item)
{
  if (gremium_member_get_presence (member) != GREMIUM_PRESENCE_PRESENT)
    return FALSE;

  if (item != NULL && !gremium_agenda_item_get_public (item) &&
      gremium_agenda_item_has_conflict (item, gremium_member_get_id (member)))
    return FALSE;

  return TRUE;
}

static GremiumSFrameReceiver *
new_receiver (void)
{
  return gremium_sframe_receiver_new (GREMIUM_MEDIA_KEY_SUITE);
}

/* Installing and removing single ratchet steps in the receivers. */

static void
install_step (GremiumMediaKeyring *self,
              MemberState         *member,
              Generation          *generation,
              guint                step)
{
  guint64 kid = gremium_media_kid_new (member->position,
                                       GREMIUM_MEDIA_EPOCH (generation->generation, step));
  const guint8 *key = generation_slot (generation, step);
  g_autoptr(GError) error = NULL;

  if (!gremium_sframe_receiver_add_key (self->receiver, kid, key, GREMIUM_MEDIA_KEY_SIZE, &error) ||
      (member->receiver != NULL &&
       !gremium_sframe_receiver_add_key (member->receiver, kid, key, GREMIUM_MEDIA_KEY_SIZE, &error)))
    g_critical ("Cannot install a media key: %s", error->message);
}

/* Whether another held step of @member uses @kid. KIDs carry the epoch
 * modulo 2^20, so two generations far apart can share one; removing the
 * older must not take away the newer.
 */
static gboolean
kid_held_elsewhere (MemberState *member,
                    Generation  *except,
                    guint64      kid)
{
  for (guint i = 0; i < member->generations->len; i++)
    {
      Generation *generation = g_ptr_array_index (member->generations, i);

      if (generation == except)
        continue;

      for (guint step = generation->lo; step <= generation->hi; step++)
        if (gremium_media_kid_new (member->position,
                                   GREMIUM_MEDIA_EPOCH (generation->generation, step)) == kid)
          return TRUE;
    }

  return FALSE;
}

static void
uninstall_step (GremiumMediaKeyring *self,
                MemberState         *member,
                Generation          *generation,
                guint                step)
{
  guint64 kid = gremium_media_kid_new (member->position,
                                       GREMIUM_MEDIA_EPOCH (generation->generation, step));

  sodium_memzero (generation_slot (generation, step), GREMIUM_MEDIA_KEY_SIZE);

  if (kid_held_elsewhere (member, generation, kid))
    return;

  gremium_sframe_receiver_remove_key (self->receiver, kid);
  if (member->receiver != NULL)
    gremium_sframe_receiver_remove_key (member->receiver, kid);
}

static void
uninstall_generation (GremiumMediaKeyring *self,
                      MemberState         *member,
                      Generation          *generation)
{
  for (guint step = generation->lo; step <= generation->hi; step++)
    uninstall_step (self, member, generation, step);
}

/* The number of joins in the record from entry @anchor on: the ratchet
 * steps a key anchored there has taken by now.
 */
static guint64
count_growth_since (GremiumMediaKeyring *self,
                    guint64              anchor)
{
  guint64 count = 0;

  for (guint i = self->growth->len; i > 0; i--)
    {
      if (g_array_index (self->growth, guint64, i - 1) < anchor)
        break;
      count++;
    }

  return count;
}

static guint
generation_target (GremiumMediaKeyring *self,
                   Generation          *generation)
{
  guint64 target = generation->step0 + count_growth_since (self, generation->anchor);

  return (guint) MIN (target, GREMIUM_MEDIA_EPOCH_MAX_STEP);
}

/* Moves the window of installed steps to follow the record: ratchets
 * forward to STEPS_AHEAD past the expected step and drops what lies more
 * than STEPS_BEHIND before it.
 */
static void
generation_follow (GremiumMediaKeyring *self,
                   MemberState         *member,
                   Generation          *generation)
{
  guint target = generation_target (self, generation);
  guint want_hi = MIN (target + STEPS_AHEAD, GREMIUM_MEDIA_EPOCH_MAX_STEP);
  guint want_lo = target > STEPS_BEHIND ? target - STEPS_BEHIND : 0;

  want_lo = MAX (want_lo, generation->step0);

  /* Drop first, so that the slots are free for the steps ahead. */
  while (generation->lo < want_lo && generation->lo < generation->hi)
    {
      uninstall_step (self, member, generation, generation->lo);
      generation->lo++;
    }

  while (generation->hi < want_hi)
    {
      const guint8 *from = generation_slot (generation, generation->hi);
      guint8 next[GREMIUM_MEDIA_KEY_SIZE];

      gremium_media_key_ratchet (from, next);

      /* A window wider than the slots can only come from a large jump of
       * the target; the oldest steps make room.
       */
      if (generation->hi + 1 - generation->lo >= WINDOW_SLOTS)
        {
          uninstall_step (self, member, generation, generation->lo);
          generation->lo++;
        }

      generation->hi++;
      memcpy (generation_slot (generation, generation->hi), next, sizeof next);
      sodium_memzero (next, sizeof next);
      install_step (self, member, generation, generation->hi);
    }

  while (generation->lo < want_lo && generation->lo < generation->hi)
    {
      uninstall_step (self, member, generation, generation->lo);
      generation->lo++;
    }
}

static void
forget_member (GremiumMediaKeyring *self,
               MemberState         *member)
{
  gboolean had_keys = member->generations->len > 0;

  while (member->generations->len > 0)
    {
      Generation *generation = g_ptr_array_index (member->generations, 0);

      uninstall_generation (self, member, generation);
      g_ptr_array_remove_index (member->generations, 0);
    }

  member->has_newest = FALSE;
  member->newest = 0;

  for (guint i = self->deferred->len; i > 0; i--)
    {
      KeyMessage *message = g_ptr_array_index (self->deferred, i - 1);

      if (g_str_equal (message->from, member->id))
        g_ptr_array_remove_index (self->deferred, i - 1);
    }

  if (had_keys)
    g_signal_emit (self, signals[KEYS_REMOVED], 0, member->id);
}

/* Building outgoing messages. */

static void
put_be64 (guint8  *out,
          guint64  value)
{
  for (guint i = 0; i < 8; i++)
    out[i] = (guint8) (value >> (56 - 8 * i));
}

static guint64
get_be64 (const guint8 *in)
{
  guint64 value = 0;

  for (guint i = 0; i < 8; i++)
    value = (value << 8) | in[i];

  return value;
}

static char *
build_body (GremiumMediaKeyring *self,
            const char          *meeting_id,
            const char          *sender_id,
            const char          *recipient_id,
            const guint8        *recipient_key,
            const guint8        *seal_to,
            guint64              epoch,
            guint64              kid,
            guint64              anchor,
            gint64               created,
            const guint8        *key,
            const guint8        *inner_signer,
            guint64              inner_epoch)
{
  g_autoptr(JsonObject) payload = json_object_new ();
  g_autoptr(GremiumStatement) statement = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *text = NULL;
  g_autofree char *recipient_text = NULL;
  g_autofree char *sealed_text = NULL;
  g_autofree char *created_text = NULL;
  g_autofree char *envelope = NULL;
  guint8 x25519[GREMIUM_X25519_KEY_SIZE];
  guint8 plain[SEAL_PLAIN_SIZE];
  guint8 sealed[SEALED_SIZE];
  gsize text_len;

  if (!gremium_public_key_to_x25519 (seal_to, x25519))
    return NULL;

  memcpy (plain, SEAL_LABEL, SEAL_LABEL_SIZE);
  memcpy (plain + SEAL_LABEL_SIZE, inner_signer, GREMIUM_PUBLIC_KEY_SIZE);
  put_be64 (plain + SEAL_LABEL_SIZE + GREMIUM_PUBLIC_KEY_SIZE, inner_epoch);
  memcpy (plain + SEAL_LABEL_SIZE + GREMIUM_PUBLIC_KEY_SIZE + 8, key, GREMIUM_MEDIA_KEY_SIZE);
  crypto_box_seal (sealed, plain, sizeof plain, x25519);
  sodium_memzero (plain, sizeof plain);

  recipient_text = gremium_base64_encode (recipient_key, GREMIUM_PUBLIC_KEY_SIZE);
  sealed_text = gremium_base64_encode (sealed, sizeof sealed);
  created_text = gremium_time_format (created);

  json_object_set_int_member (payload, "v", 1);
  json_object_set_string_member (payload, "meeting", meeting_id);
  json_object_set_string_member (payload, "sender", sender_id);
  json_object_set_string_member (payload, "recipient", recipient_id);
  json_object_set_string_member (payload, "recipient_key", recipient_text);
  json_object_set_int_member (payload, "suite", GREMIUM_MEDIA_KEY_SUITE);
  json_object_set_int_member (payload, "epoch", (gint64) epoch);
  json_object_set_int_member (payload, "kid", (gint64) kid);
  json_object_set_int_member (payload, "anchor", (gint64) anchor);
  json_object_set_string_member (payload, "created", created_text);
  json_object_set_string_member (payload, "sealed", sealed_text);

  text = _gremium_json_object_to_string (payload);
  text_len = strlen (text);
  bytes = g_bytes_new_take (g_steal_pointer (&text), text_len);
  statement = gremium_statement_new_signed (self->identity, GREMIUM_PAYLOAD_TYPE_MEDIA_KEY, bytes);
  envelope = gremium_statement_to_json (statement);

  /* The envelope's canonical JSON needs no escaping inside the body. */
  return g_strdup_printf ("{\"type\":\"" GREMIUM_PEER_TYPE_MEDIA_KEY "\",\"envelope\":%s}", envelope);
}

/* Queues @key for every enrolled device of @recipient. */
static void
queue_key (GremiumMediaKeyring *self,
           MemberState         *recipient,
           SenderKey           *key)
{
  GremiumMember *member = gremium_meeting_lookup_member (self->meeting, recipient->id);
  guint64 epoch = sender_key_get_epoch (key);
  guint64 kid = gremium_media_kid_new (self->me->position, epoch);
  gint64 now = g_get_real_time ();

  g_assert (member != NULL);

  for (guint i = 0; i < gremium_member_get_n_keys (member); i++)
    {
      const guint8 *device = gremium_member_get_key (member, i);
      GremiumMediaKeyMessage *message;
      char *body;

      body = build_body (self, self->meeting_id, self->member_id, recipient->id, device, device, epoch, kid, self->n_applied, now,
                         key->key, gremium_identity_get_public_key (self->identity), epoch);
      if (body == NULL)
        {
          g_warning ("Cannot seal a media key to a device key of %s", recipient->id);
          continue;
        }

      message = g_new0 (GremiumMediaKeyMessage, 1);
      message->recipient = g_strdup (recipient->id);
      message->body = body;
      g_ptr_array_add (self->outgoing, message);
    }
}

/* The sender side. */

static guint64
next_generation (GremiumMediaKeyring *self)
{
  return ++self->last_generation;
}

static void
set_sender_key (GremiumMediaKeyring *self)
{
  g_autoptr(GError) error = NULL;
  guint64 epoch = sender_key_get_epoch (self->current);

  if (!gremium_sframe_sender_set_key (self->sender, gremium_media_kid_new (self->me->position, epoch),
                                      self->current->key, GREMIUM_MEDIA_KEY_SIZE, &error))
    g_critical ("Cannot set the media sender key: %s", error->message);

  g_signal_emit (self, signals[SENDER_KEY_CHANGED], 0, epoch);
}

static void
queue_to_audience (GremiumMediaKeyring *self,
                   SenderKey           *key)
{
  for (guint i = 0; i < self->members->len; i++)
    {
      MemberState *member = g_ptr_array_index (self->members, i);

      if (member->in_audience && member != self->me)
        queue_key (self, member, key);
    }
}

static void
rotate_internal (GremiumMediaKeyring *self)
{
  SenderKey *key;

  g_assert (self->active);

  key = sender_key_new (next_generation (self));
  g_ptr_array_add (self->pending, key);
  queue_to_audience (self, key);

  g_signal_emit (self, signals[SENDER_KEY_PENDING], 0, sender_key_get_epoch (key));
}

static void
activate (GremiumMediaKeyring *self)
{
  g_assert (!self->active);

  self->active = TRUE;
  self->current = sender_key_new (next_generation (self));
  set_sender_key (self);
  queue_to_audience (self, self->current);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
}

static void
deactivate (GremiumMediaKeyring *self)
{
  g_assert (self->active);

  self->active = FALSE;
  g_clear_pointer (&self->current, sender_key_free);
  g_ptr_array_set_size (self->pending, 0);
  g_ptr_array_set_size (self->outgoing, 0);
  g_ptr_array_set_size (self->deferred, 0);

  /* Whoever we come back to is a new stretch: forget what we accepted. */
  for (guint i = 0; i < self->members->len; i++)
    forget_member (self, g_ptr_array_index (self->members, i));

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
}

/* On a join: every own key takes one ratchet step and goes to the newcomers.
 * A key at its last step cannot ratchet; a fresh generation replaces it.
 */
static void
ratchet_for_newcomers (GremiumMediaKeyring *self,
                       GPtrArray           *added)
{
  gboolean exhausted = self->current->step >= GREMIUM_MEDIA_EPOCH_MAX_STEP;

  for (guint i = 0; i < self->pending->len; i++)
    exhausted |= ((SenderKey *) g_ptr_array_index (self->pending, i))->step >= GREMIUM_MEDIA_EPOCH_MAX_STEP;

  if (exhausted)
    {
      rotate_internal (self);
      return;
    }

  gremium_media_key_ratchet (self->current->key, self->current->key);
  self->current->step++;
  for (guint i = 0; i < self->pending->len; i++)
    {
      SenderKey *key = g_ptr_array_index (self->pending, i);

      gremium_media_key_ratchet (key->key, key->key);
      key->step++;
    }

  set_sender_key (self);

  for (guint i = 0; i < added->len; i++)
    {
      MemberState *member = g_ptr_array_index (added, i);

      if (member == self->me)
        continue;

      queue_key (self, member, self->current);
      for (guint k = 0; k < self->pending->len; k++)
        queue_key (self, member, g_ptr_array_index (self->pending, k));
    }
}

/* The receiving side. */

static MemberState *
lookup_state (GremiumMediaKeyring *self,
              const char          *member_id)
{
  return g_hash_table_lookup (self->members_by_id, member_id);
}

static void
install_message (GremiumMediaKeyring *self,
                 MemberState         *member,
                 KeyMessage          *message,
                 const guint8        *key)
{
  Generation *generation = g_new0 (Generation, 1);
  guint64 epoch;

  generation->generation = GREMIUM_MEDIA_EPOCH_GENERATION (message->epoch);
  generation->step0 = GREMIUM_MEDIA_EPOCH_STEP (message->epoch);
  generation->anchor = message->anchor;
  generation->lo = generation->hi = generation->step0;
  generation->keys = secret_new (WINDOW_SLOTS * GREMIUM_MEDIA_KEY_SIZE);
  memcpy (generation_slot (generation, generation->step0), key, GREMIUM_MEDIA_KEY_SIZE);

  /* Generations arrive in ascending order (the replay check sees to it). */
  g_ptr_array_add (member->generations, generation);
  member->has_newest = TRUE;
  member->newest = generation->generation;

  install_step (self, member, generation, generation->step0);
  generation_follow (self, member, generation);

  self->n_accepted++;
  epoch = GREMIUM_MEDIA_EPOCH (generation->generation, generation_target (self, generation));
  g_signal_emit (self, signals[KEY_INSTALLED], 0, member->id, epoch);
}

/* The checks that depend on the meeting's state, once our record is at
 * least as far along as the sender's was.
 */
static gboolean
accept_message (GremiumMediaKeyring  *self,
                KeyMessage           *message,
                GError              **error)
{
  MemberState *sender = lookup_state (self, message->from);
  guint8 plain[SEAL_PLAIN_SIZE];
  guint64 generation = GREMIUM_MEDIA_EPOCH_GENERATION (message->epoch);
  const guint8 *inner_signer = plain + SEAL_LABEL_SIZE;
  guint64 inner_epoch;

  g_assert (sender != NULL);

  if (!self->active)
    {
      reject (self, message->from, error, GREMIUM_MEDIA_KEY_ERROR_NOT_PARTICIPANT,
              "This member is not in the meeting's call");
      return FALSE;
    }

  if (!sender->in_audience)
    {
      reject (self, message->from, error, GREMIUM_MEDIA_KEY_ERROR_NOT_PARTICIPANT,
              "%s is not in the meeting's call", message->from);
      return FALSE;
    }

  /* A key made before either side last entered the call belongs to an
   * earlier stretch: a replay, or a message that crossed a leave.
   */
  if (message->anchor <= sender->since || message->anchor <= self->me->since)
    {
      reject (self, message->from, error, GREMIUM_MEDIA_KEY_ERROR_STALE,
              "The key was made at record entry %" G_GUINT64_FORMAT
              ", before the current stretch of attendance", message->anchor);
      return FALSE;
    }

  if (sender->has_newest && generation <= sender->newest)
    {
      reject (self, message->from, error, GREMIUM_MEDIA_KEY_ERROR_REPLAYED,
              "Key generation %" G_GUINT64_FORMAT " is not newer than %" G_GUINT64_FORMAT,
              generation, sender->newest);
      return FALSE;
    }

  if (crypto_box_seal_open (plain, message->sealed, SEALED_SIZE, self->x25519_public,
                            self->x25519_secret) != 0)
    {
      sodium_memzero (plain, sizeof plain);
      reject (self, message->from, error, GREMIUM_MEDIA_KEY_ERROR_BAD_SEAL,
              "The sealed key does not open with this device's key");
      return FALSE;
    }

  inner_epoch = get_be64 (plain + SEAL_LABEL_SIZE + GREMIUM_PUBLIC_KEY_SIZE);
  if (memcmp (plain, SEAL_LABEL, SEAL_LABEL_SIZE) != 0 ||
      !gremium_memequal (inner_signer, message->signer, GREMIUM_PUBLIC_KEY_SIZE) ||
      inner_epoch != message->epoch)
    {
      sodium_memzero (plain, sizeof plain);
      reject (self, message->from, error, GREMIUM_MEDIA_KEY_ERROR_BAD_SEAL,
              "The sealed key is not bound to its signer and epoch");
      return FALSE;
    }

  install_message (self, sender, message,
                   plain + SEAL_LABEL_SIZE + GREMIUM_PUBLIC_KEY_SIZE + 8);
  sodium_memzero (plain, sizeof plain);

  return TRUE;
}

static void
process_deferred (GremiumMediaKeyring *self)
{
  guint i = 0;

  while (i < self->deferred->len)
    {
      KeyMessage *message = g_ptr_array_index (self->deferred, i);

      if (message->anchor <= self->n_applied)
        {
          KeyMessage *taken = g_ptr_array_steal_index (self->deferred, i);

          accept_message (self, taken, NULL);
          key_message_free (taken);
        }
      else
        {
          i++;
        }
    }
}

static void
emit_messages_ready (GremiumMediaKeyring *self,
                     guint                n_before)
{
  if (self->outgoing->len > n_before)
    g_signal_emit (self, signals[MESSAGES_READY], 0);
}

/* Follows the record: called for every applied entry. */
static void
update (GremiumMediaKeyring *self,
        guint64              index)
{
  g_autoptr(GPtrArray) added = g_ptr_array_new ();
  g_autoptr(GPtrArray) removed = g_ptr_array_new ();
  GremiumAgendaItem *item = gremium_meeting_get_current_item (self->meeting);
  GListModel *roster = gremium_meeting_get_members (self->meeting);
  guint n_before = self->outgoing->len;

  self->n_applied = gremium_meeting_get_n_entries (self->meeting);

  for (guint i = 0; i < self->members->len; i++)
    {
      MemberState *state = g_ptr_array_index (self->members, i);
      g_autoptr(GremiumMember) member = g_list_model_get_item (roster, i);
      gboolean now = member_in_audience (member, item);

      if (now && !state->in_audience)
        {
          state->since = index;
          g_ptr_array_add (added, state);
        }
      else if (!now && state->in_audience)
        {
          g_ptr_array_add (removed, state);
        }

      state->in_audience = now;
    }

  if (added->len == 0 && removed->len == 0)
    {
      process_deferred (self);
      emit_messages_ready (self, n_before);
      return;
    }

  /* A join without a leave is what every sender ratchets on; the record
   * position lets receivers count the steps exactly.
   */
  if (removed->len == 0)
    g_array_append_val (self->growth, index);

  for (guint i = 0; i < removed->len; i++)
    {
      MemberState *member = g_ptr_array_index (removed, i);

      if (member != self->me)
        forget_member (self, member);
    }

  if (!self->me->in_audience)
    {
      if (self->active)
        deactivate (self);
    }
  else if (!self->active)
    {
      activate (self);
    }
  else if (removed->len > 0)
    {
      rotate_internal (self);
    }
  else
    {
      ratchet_for_newcomers (self, added);
    }

  /* The others' keys ratchet with the record, without messages. */
  for (guint i = 0; i < self->members->len; i++)
    {
      MemberState *member = g_ptr_array_index (self->members, i);

      for (guint k = 0; k < member->generations->len; k++)
        generation_follow (self, member, g_ptr_array_index (member->generations, k));
    }

  process_deferred (self);

  g_signal_emit (self, signals[AUDIENCE_CHANGED], 0);
  emit_messages_ready (self, n_before);
}

static void
entry_applied_cb (GremiumMeeting      *meeting,
                  GremiumRecordEntry  *entry,
                  GremiumMediaKeyring *self)
{
  update (self, gremium_record_entry_get_index (entry));
}

/* Parsing and verifying an incoming message. */

static KeyMessage *
parse_message (GremiumMediaKeyring  *self,
               const char           *from,
               const char           *body,
               GError              **error)
{
  static const char * const body_members[] = { "type", "envelope", NULL };
  static const char * const payload_members[] = {
    "v", "meeting", "sender", "recipient", "recipient_key", "suite", "epoch", "kid",
    "anchor", "created", "sealed", NULL
  };
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonObject) payload = NULL;
  g_autoptr(GremiumStatement) statement = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(KeyMessage) message = NULL;
  const char *type, *meeting_id, *sender_id, *recipient_id, *recipient_text;
  const char *created_text, *sealed_text;
  guint8 recipient_key[GREMIUM_PUBLIC_KEY_SIZE];
  GremiumMember *sender;
  GremiumMember *me;
  JsonObject *envelope;
  gint64 version, suite, epoch, kid, anchor, created;
  gsize payload_len;
  const char *payload_data;
  gint64 now;

  /* The frame: a peer body of our type around a DSSE envelope. */
  if (strlen (body) > GREMIUM_PEER_BODY_MAX_SIZE ||
      !(object = _gremium_json_parse_object (body, -1, &local_error)) ||
      !_gremium_json_check_members (object, "a media key message", body_members, &local_error) ||
      !(type = _gremium_json_get_string (object, "type", 64, &local_error)) ||
      !(envelope = _gremium_json_get_object (object, "envelope", &local_error)) ||
      !(statement = gremium_statement_new_from_object (envelope, &local_error)))
    {
      reject (self, from, error, GREMIUM_MEDIA_KEY_ERROR_MALFORMED, "%s",
              local_error != NULL ? local_error->message : "The body is too large");
      return NULL;
    }

  if (!g_str_equal (type, GREMIUM_PEER_TYPE_MEDIA_KEY) ||
      !g_str_equal (gremium_statement_get_payload_type (statement), GREMIUM_PAYLOAD_TYPE_MEDIA_KEY))
    {
      reject (self, from, error, GREMIUM_MEDIA_KEY_ERROR_MALFORMED,
              "Not a media key message");
      return NULL;
    }

  payload_data = g_bytes_get_data (gremium_statement_get_payload (statement), &payload_len);
  if (!(payload = _gremium_json_parse_object (payload_data, payload_len, &local_error)) ||
      !_gremium_json_check_members (payload, "a media key", payload_members, &local_error) ||
      !_gremium_json_get_int (payload, "v", 0, G_MAXINT32, &version, &local_error) ||
      !(meeting_id = _gremium_json_get_string (payload, "meeting", 64, &local_error)) ||
      !(sender_id = _gremium_json_get_string (payload, "sender", 64, &local_error)) ||
      !(recipient_id = _gremium_json_get_string (payload, "recipient", 64, &local_error)) ||
      !(recipient_text = _gremium_json_get_string (payload, "recipient_key", 64, &local_error)) ||
      !_gremium_json_get_int (payload, "suite", 0, 0xffff, &suite, &local_error) ||
      !_gremium_json_get_int (payload, "epoch", 0, GREMIUM_MEDIA_KEY_MAX_INTEGER, &epoch, &local_error) ||
      !_gremium_json_get_int (payload, "kid", 0, GREMIUM_MEDIA_KEY_MAX_INTEGER, &kid, &local_error) ||
      !_gremium_json_get_int (payload, "anchor", 1, GREMIUM_MEDIA_KEY_MAX_INTEGER, &anchor, &local_error) ||
      !(created_text = _gremium_json_get_string (payload, "created", 32, &local_error)) ||
      !(sealed_text = _gremium_json_get_string (payload, "sealed", 256, &local_error)))
    {
      reject (self, from, error, GREMIUM_MEDIA_KEY_ERROR_MALFORMED, "%s", local_error->message);
      return NULL;
    }

  message = g_new0 (KeyMessage, 1);

  if (version != 1 || suite != GREMIUM_MEDIA_KEY_SUITE ||
      !gremium_base64_decode_exact (recipient_text, recipient_key, sizeof recipient_key, NULL) ||
      !gremium_base64_decode_exact (sealed_text, message->sealed, SEALED_SIZE, NULL) ||
      !gremium_time_parse (created_text, &created))
    {
      reject (self, from, error, GREMIUM_MEDIA_KEY_ERROR_MALFORMED,
              "Unsupported version or cipher suite, or a malformed field");
      return NULL;
    }

  /* Who signed: the relay's sender, on this roster, with one of their keys. */
  sender = gremium_meeting_lookup_member (self->meeting, sender_id);
  if (!g_str_equal (sender_id, from))
    {
      reject (self, from, error, GREMIUM_MEDIA_KEY_ERROR_BAD_SIGNATURE,
              "The relay names %s as the sender, the message %s", from, sender_id);
      return NULL;
    }

  if (sender == NULL ||
      !gremium_member_has_key (sender, gremium_statement_get_signer_key (statement)) ||
      !gremium_statement_verify (statement, gremium_statement_get_signer_key (statement), NULL))
    {
      reject (self, from, error, GREMIUM_MEDIA_KEY_ERROR_BAD_SIGNATURE,
              "The message is not signed by a roster key of %s", sender_id);
      return NULL;
    }

  /* Where it belongs: this meeting, this member, this device. */
  if (!g_str_equal (meeting_id, self->meeting_id))
    {
      reject (self, from, error, GREMIUM_MEDIA_KEY_ERROR_WRONG_MEETING,
              "The key is for meeting %s", meeting_id);
      return NULL;
    }

  me = gremium_meeting_lookup_member (self->meeting, self->member_id);
  if (!g_str_equal (recipient_id, self->member_id) || !gremium_member_has_key (me, recipient_key))
    {
      reject (self, from, error, GREMIUM_MEDIA_KEY_ERROR_WRONG_RECIPIENT,
              "The key is addressed to %s", recipient_id);
      return NULL;
    }

  if (!gremium_memequal (recipient_key, gremium_identity_get_public_key (self->identity),
                         GREMIUM_PUBLIC_KEY_SIZE))
    {
      reject (self, from, error, GREMIUM_MEDIA_KEY_ERROR_OTHER_DEVICE,
              "The key is sealed to another device of %s", recipient_id);
      return NULL;
    }

  /* Another device of this member sends under this member's own KIDs; its
   * key is of no use here (docs/crypto.md: one device per member in a call).
   */
  if (g_str_equal (sender_id, self->member_id))
    {
      reject (self, from, error, GREMIUM_MEDIA_KEY_ERROR_OTHER_DEVICE,
              "The key comes from another device of %s", sender_id);
      return NULL;
    }

  if ((guint64) kid != gremium_media_kid_new (lookup_state (self, sender_id)->position, (guint64) epoch))
    {
      reject (self, from, error, GREMIUM_MEDIA_KEY_ERROR_MALFORMED,
              "The KID does not belong to the sender and epoch");
      return NULL;
    }

  now = g_get_real_time ();
  if (created < now - GREMIUM_MEDIA_KEY_TIME_WINDOW || created > now + GREMIUM_MEDIA_KEY_TIME_WINDOW)
    {
      reject (self, from, error, GREMIUM_MEDIA_KEY_ERROR_STALE,
              "The key was made at %s, outside the accepted window", created_text);
      return NULL;
    }

  message->from = g_strdup (from);
  memcpy (message->signer, gremium_statement_get_signer_key (statement), GREMIUM_PUBLIC_KEY_SIZE);
  message->epoch = (guint64) epoch;
  message->anchor = (guint64) anchor;

  return g_steal_pointer (&message);
}

/* GObject */

static void
gremium_media_keyring_dispose (GObject *object)
{
  GremiumMediaKeyring *self = (GremiumMediaKeyring *) object;

  if (self->meeting != NULL)
    g_clear_signal_handler (&self->entry_handler, self->meeting);
  g_clear_object (&self->meeting);
  g_clear_object (&self->identity);

  G_OBJECT_CLASS (gremium_media_keyring_parent_class)->dispose (object);
}

static void
gremium_media_keyring_finalize (GObject *object)
{
  GremiumMediaKeyring *self = (GremiumMediaKeyring *) object;

  g_clear_pointer (&self->current, sender_key_free);
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  g_clear_pointer (&self->outgoing, g_ptr_array_unref);
  g_clear_pointer (&self->deferred, g_ptr_array_unref);
  g_clear_pointer (&self->members_by_id, g_hash_table_unref);
  g_clear_pointer (&self->members, g_ptr_array_unref);
  g_clear_pointer (&self->growth, g_array_unref);
  g_clear_pointer (&self->sender, gremium_sframe_sender_unref);
  g_clear_pointer (&self->receiver, gremium_sframe_receiver_unref);
  g_clear_pointer (&self->x25519_secret, sodium_free);
  g_free (self->member_id);
  g_free (self->meeting_id);

  G_OBJECT_CLASS (gremium_media_keyring_parent_class)->finalize (object);
}

static void
gremium_media_keyring_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  GremiumMediaKeyring *self = GREMIUM_MEDIA_KEYRING (object);

  switch (prop_id)
    {
    case PROP_ACTIVE:
      g_value_set_boolean (value, self->active);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gremium_media_keyring_class_init (GremiumMediaKeyringClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gremium_media_keyring_dispose;
  object_class->finalize = gremium_media_keyring_finalize;
  object_class->get_property = gremium_media_keyring_get_property;

  /**
   * GremiumMediaKeyring:active:
   *
   * Whether this member is in the meeting's call: present, and not
   * excluded from the current non-public item. Only then does it hold keys.
   */
  properties[PROP_ACTIVE] =
    g_param_spec_boolean ("active", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * GremiumMediaKeyring::key-installed:
   * @self: the keyring
   * @member_id: whose key
   * @epoch: the epoch the member's sender is expected to use now
   *
   * Emitted when a key message was accepted and its key installed in the
   * receivers. Older generations of the member stay installed until
   * gremium_media_keyring_retire() removes them.
   */
  signals[KEY_INSTALLED] =
    g_signal_new ("key-installed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_UINT64);

  /**
   * GremiumMediaKeyring::keys-removed:
   * @self: the keyring
   * @member_id: whose keys
   *
   * Emitted when every key of a member was removed, because they left the
   * call or gremium_media_keyring_remove_member() was called. Their packets
   * are dropped as unknown from now on.
   */
  signals[KEYS_REMOVED] =
    g_signal_new ("keys-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * GremiumMediaKeyring::sender-key-changed:
   * @self: the keyring
   * @epoch: the new epoch
   *
   * Emitted when the sender encrypts under a new key: a fresh key on
   * entering the call, a ratchet step on a join, or a pending key applied.
   * The media layer should send a video key frame now (RFC 9605 §6.2).
   */
  signals[SENDER_KEY_CHANGED] =
    g_signal_new ("sender-key-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT64);

  /**
   * GremiumMediaKeyring::sender-key-pending:
   * @self: the keyring
   * @epoch: the epoch of the new key
   *
   * Emitted when a fresh key was made and queued for the others. Call
   * gremium_media_keyring_apply_pending() with @epoch after
   * %GREMIUM_MEDIA_KEY_GRACE_PERIOD_MS.
   */
  signals[SENDER_KEY_PENDING] =
    g_signal_new ("sender-key-pending", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT64);

  /**
   * GremiumMediaKeyring::audience-changed:
   * @self: the keyring
   *
   * Emitted when someone entered or left the call; see
   * gremium_media_keyring_dup_audience().
   */
  signals[AUDIENCE_CHANGED] =
    g_signal_new ("audience-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * GremiumMediaKeyring::messages-ready:
   * @self: the keyring
   *
   * Emitted when key messages were queued; take them with
   * gremium_media_keyring_take_messages().
   */
  signals[MESSAGES_READY] =
    g_signal_new ("messages-ready", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * GremiumMediaKeyring::message-rejected:
   * @self: the keyring
   * @from: (nullable): the member the relay named as sender
   * @reason: a #GremiumMediaKeyError
   *
   * Emitted for every rejected key message. Anything but
   * %GREMIUM_MEDIA_KEY_ERROR_OTHER_DEVICE deserves a warning in the user
   * interface: someone sent a key that does not fit.
   */
  signals[MESSAGE_REJECTED] =
    g_signal_new ("message-rejected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_INT);
}

static void
gremium_media_keyring_init (GremiumMediaKeyring *self)
{
  self->sender = gremium_sframe_sender_new (GREMIUM_MEDIA_KEY_SUITE);
  self->receiver = new_receiver ();
  self->members = g_ptr_array_new_with_free_func ((GDestroyNotify) member_state_free);
  self->members_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->growth = g_array_new (FALSE, FALSE, sizeof (guint64));
  self->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) sender_key_free);
  self->outgoing = g_ptr_array_new_with_free_func ((GDestroyNotify) gremium_media_key_message_free);
  self->deferred = g_ptr_array_new_with_free_func ((GDestroyNotify) key_message_free);
}

/* Public API */

/**
 * gremium_media_key_error_to_string:
 * @code: a #GremiumMediaKeyError
 *
 * Returns: a short stable name for @code, for logs and statistics
 */
const char *
gremium_media_key_error_to_string (GremiumMediaKeyError code)
{
  g_return_val_if_fail (code < GREMIUM_MEDIA_KEY_N_ERRORS, NULL);

  return error_names[code];
}

/**
 * gremium_media_key_message_copy:
 * @message: a message
 *
 * Returns: (transfer full): a copy of @message
 */
GremiumMediaKeyMessage *
gremium_media_key_message_copy (const GremiumMediaKeyMessage *message)
{
  GremiumMediaKeyMessage *copy;

  g_return_val_if_fail (message != NULL, NULL);

  copy = g_new0 (GremiumMediaKeyMessage, 1);
  copy->recipient = g_strdup (message->recipient);
  copy->body = g_strdup (message->body);

  return copy;
}

/**
 * gremium_media_key_message_free:
 * @message: (nullable): a message
 *
 * Frees @message.
 */
void
gremium_media_key_message_free (GremiumMediaKeyMessage *message)
{
  if (message == NULL)
    return;

  g_free (message->recipient);
  g_free (message->body);
  g_free (message);
}

/**
 * gremium_media_kid_new:
 * @roster_position: the sender's position in the roster, from 0
 * @epoch: the sender's epoch
 *
 * Computes the SFrame key id of a sender's epoch:
 * (@roster_position + 1) × 2^20 + (@epoch mod 2^20). The roster position
 * makes KIDs of different senders distinct; a receiver holds only a few
 * neighbouring epochs of a sender, so the low 20 bits of the epoch tell them
 * apart.
 *
 * Returns: the KID
 */
guint64
gremium_media_kid_new (guint   roster_position,
                       guint64 epoch)
{
  return ((guint64) roster_position + 1) << GREMIUM_MEDIA_KID_EPOCH_BITS |
         (epoch & ((G_GUINT64_CONSTANT (1) << GREMIUM_MEDIA_KID_EPOCH_BITS) - 1));
}

/**
 * gremium_media_kid_get_position:
 * @kid: an SFrame key id
 * @roster_position: (out) (optional): the sender's roster position
 *
 * Returns: %TRUE if @kid has the form of a Gremium media KID
 */
gboolean
gremium_media_kid_get_position (guint64  kid,
                                guint   *roster_position)
{
  guint64 high = kid >> GREMIUM_MEDIA_KID_EPOCH_BITS;

  if (high == 0 || high > GREMIUM_MAX_ROSTER_SIZE)
    return FALSE;

  if (roster_position != NULL)
    *roster_position = (guint) (high - 1);

  return TRUE;
}

/**
 * gremium_media_key_ratchet:
 * @key: (array fixed-size=32): a media key
 * @next: (out caller-allocates) (array fixed-size=32): the next step's key;
 *   may be @key itself
 *
 * Computes one ratchet step: HKDF-SHA-512 with an empty salt, @key as input
 * keying material and the info %GREMIUM_MEDIA_KEY_RATCHET_LABEL, 32 bytes.
 * The step cannot be undone, so a key handed to a newcomer does not reveal
 * the keys before it.
 */
void
gremium_media_key_ratchet (const guint8 key[GREMIUM_MEDIA_KEY_SIZE],
                           guint8       next[GREMIUM_MEDIA_KEY_SIZE])
{
  guint8 out[GREMIUM_MEDIA_KEY_SIZE];

  g_return_if_fail (key != NULL);
  g_return_if_fail (next != NULL);

  if (!gremium_hkdf (GREMIUM_HKDF_SHA512, NULL, 0, key, GREMIUM_MEDIA_KEY_SIZE,
                     (const guint8 *) GREMIUM_MEDIA_KEY_RATCHET_LABEL,
                     strlen (GREMIUM_MEDIA_KEY_RATCHET_LABEL), out, sizeof out))
    g_error ("HKDF failed on a fixed-size input");

  memcpy (next, out, sizeof out);
  sodium_memzero (out, sizeof out);
}

/**
 * gremium_media_keyring_new:
 * @identity: this device's identity key
 * @member_id: the member the device acts for; on the roster of @meeting
 * @meeting: the meeting, created (its first entry applied)
 *
 * Creates the keyring of @member_id and starts following @meeting. Create
 * it before the member attends (submits `attendance.join`): a keyring
 * created later does not know since when the others are in the call and
 * misses the keys they sent before.
 *
 * Returns: (transfer full): the keyring
 */
GremiumMediaKeyring *
gremium_media_keyring_new (GremiumIdentity *identity,
                           const char      *member_id,
                           GremiumMeeting  *meeting)
{
  g_autoptr(GremiumMediaKeyring) self = NULL;
  GListModel *roster;
  guint n_before;

  g_return_val_if_fail (GREMIUM_IS_IDENTITY (identity), NULL);
  g_return_val_if_fail (member_id != NULL, NULL);
  g_return_val_if_fail (GREMIUM_IS_MEETING (meeting), NULL);
  g_return_val_if_fail (gremium_meeting_get_id (meeting) != NULL, NULL);
  g_return_val_if_fail (gremium_meeting_lookup_member (meeting, member_id) != NULL, NULL);

  self = g_object_new (GREMIUM_TYPE_MEDIA_KEYRING, NULL);
  self->identity = g_object_ref (identity);
  self->member_id = g_strdup (member_id);
  self->meeting = g_object_ref (meeting);
  self->meeting_id = g_strdup (gremium_meeting_get_id (meeting));

  self->x25519_secret = secret_new (GREMIUM_X25519_KEY_SIZE);
  if (!gremium_identity_derive_x25519 (identity, self->x25519_public, self->x25519_secret))
    g_error ("The identity key does not convert to X25519");

  /* Generations start at the clock's milliseconds, so that a keyring made
   * anew in the same stretch of attendance (the program restarted) still
   * sends keys newer than the ones its predecessor sent. Until the year
   * 3000 that stays below 2^45, and an epoch below 2^53.
   */
  self->last_generation = (guint64) MAX (g_get_real_time () / 1000, 1) - 1;

  roster = gremium_meeting_get_members (meeting);
  for (guint i = 0; i < g_list_model_get_n_items (roster); i++)
    {
      g_autoptr(GremiumMember) member = g_list_model_get_item (roster, i);
      MemberState *state = g_new0 (MemberState, 1);

      state->id = g_strdup (gremium_member_get_id (member));
      state->position = i;
      state->generations = g_ptr_array_new_with_free_func ((GDestroyNotify) generation_free);
      g_ptr_array_add (self->members, state);
      g_hash_table_insert (self->members_by_id, state->id, state);
    }

  self->me = lookup_state (self, member_id);
  n_before = self->outgoing->len;

  /* Whoever is in the call already entered it at an unknown entry (0). */
  self->n_applied = gremium_meeting_get_n_entries (meeting);
  for (guint i = 0; i < self->members->len; i++)
    {
      MemberState *state = g_ptr_array_index (self->members, i);
      g_autoptr(GremiumMember) member = g_list_model_get_item (roster, i);

      state->in_audience = member_in_audience (member, gremium_meeting_get_current_item (meeting));
    }

  if (self->me->in_audience)
    activate (self);
  emit_messages_ready (self, n_before);

  self->entry_handler = g_signal_connect (meeting, "entry-applied",
                                          G_CALLBACK (entry_applied_cb), self);

  return g_steal_pointer (&self);
}

/**
 * gremium_media_keyring_get_meeting:
 * @self: a keyring
 *
 * Returns: (transfer none): the meeting
 */
GremiumMeeting *
gremium_media_keyring_get_meeting (GremiumMediaKeyring *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEDIA_KEYRING (self), NULL);

  return self->meeting;
}

/**
 * gremium_media_keyring_get_member_id:
 * @self: a keyring
 *
 * Returns: the member whose keys these are
 */
const char *
gremium_media_keyring_get_member_id (GremiumMediaKeyring *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEDIA_KEYRING (self), NULL);

  return self->member_id;
}

/**
 * gremium_media_keyring_get_active:
 * @self: a keyring
 *
 * Returns: %TRUE if this member is in the call and holds keys; see
 *   #GremiumMediaKeyring:active
 */
gboolean
gremium_media_keyring_get_active (GremiumMediaKeyring *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEDIA_KEYRING (self), FALSE);

  return self->active;
}

/**
 * gremium_media_keyring_is_in_audience:
 * @self: a keyring
 * @member_id: a member
 *
 * Returns: %TRUE if @member_id is in the call: present and not excluded
 *   from the current non-public item
 */
gboolean
gremium_media_keyring_is_in_audience (GremiumMediaKeyring *self,
                                      const char          *member_id)
{
  MemberState *state;

  g_return_val_if_fail (GREMIUM_IS_MEDIA_KEYRING (self), FALSE);
  g_return_val_if_fail (member_id != NULL, FALSE);

  state = lookup_state (self, member_id);

  return state != NULL && state->in_audience;
}

/**
 * gremium_media_keyring_dup_audience:
 * @self: a keyring
 *
 * Lists who is in the call, including this member if it is. The media
 * layer connects to these members and to nobody else.
 *
 * Returns: (transfer full): the member ids, in roster order
 */
char **
gremium_media_keyring_dup_audience (GremiumMediaKeyring *self)
{
  GStrvBuilder *builder;
  char **audience;

  g_return_val_if_fail (GREMIUM_IS_MEDIA_KEYRING (self), NULL);

  builder = g_strv_builder_new ();
  for (guint i = 0; i < self->members->len; i++)
    {
      MemberState *state = g_ptr_array_index (self->members, i);

      if (state->in_audience)
        g_strv_builder_add (builder, state->id);
    }

  audience = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);

  return audience;
}

/**
 * gremium_media_keyring_get_sender:
 * @self: a keyring
 *
 * Gets the SFrame sender that protects this member's packets. It is the
 * same object for the keyring's whole life; the keyring changes its key.
 *
 * Returns: (transfer none): the sender
 */
GremiumSFrameSender *
gremium_media_keyring_get_sender (GremiumMediaKeyring *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEDIA_KEYRING (self), NULL);

  return self->sender;
}

/**
 * gremium_media_keyring_get_receiver:
 * @self: a keyring
 *
 * Gets the SFrame receiver that holds the keys of every other member in the
 * call. KIDs are unique across senders (see gremium_media_kid_new()), and
 * gremium_media_keyring_lookup_kid() tells whose a packet was.
 *
 * Returns: (transfer none): the receiver
 */
GremiumSFrameReceiver *
gremium_media_keyring_get_receiver (GremiumMediaKeyring *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEDIA_KEYRING (self), NULL);

  return self->receiver;
}

/**
 * gremium_media_keyring_get_member_receiver:
 * @self: a keyring
 * @member_id: another member on the roster
 *
 * Gets an SFrame receiver that holds only @member_id's keys. Use it where
 * the packets' origin is known (one WebRTC connection per participant):
 * another participant's packets then cannot pass as @member_id's. It is
 * the same object for the keyring's whole life, with its own replay windows.
 *
 * Call this from the thread the keyring lives in; the receiver itself may
 * then be used from any thread, such as a GStreamer streaming thread.
 *
 * Returns: (transfer none) (nullable): the receiver, or %NULL if @member_id
 *   is not on the roster or is this member
 */
GremiumSFrameReceiver *
gremium_media_keyring_get_member_receiver (GremiumMediaKeyring *self,
                                           const char          *member_id)
{
  MemberState *state;

  g_return_val_if_fail (GREMIUM_IS_MEDIA_KEYRING (self), NULL);
  g_return_val_if_fail (member_id != NULL, NULL);

  state = lookup_state (self, member_id);
  if (state == NULL || state == self->me)
    return NULL;

  if (state->receiver == NULL)
    {
      state->receiver = new_receiver ();

      /* Bring it up to date with what the shared receiver holds. */
      for (guint i = 0; i < state->generations->len; i++)
        {
          Generation *generation = g_ptr_array_index (state->generations, i);

          for (guint step = generation->lo; step <= generation->hi; step++)
            install_step (self, state, generation, step);
        }
    }

  return state->receiver;
}

/**
 * gremium_media_keyring_lookup_kid:
 * @self: a keyring
 * @kid: a KID from an SFrame header
 *
 * Tells whose a KID is, from the roster position it encodes. This does not
 * say whether a key for @kid is installed.
 *
 * Returns: (nullable): the member id, or %NULL if @kid names no roster member
 */
const char *
gremium_media_keyring_lookup_kid (GremiumMediaKeyring *self,
                                  guint64              kid)
{
  guint position;

  g_return_val_if_fail (GREMIUM_IS_MEDIA_KEYRING (self), NULL);

  if (!gremium_media_kid_get_position (kid, &position) || position >= self->members->len)
    return NULL;

  return ((MemberState *) g_ptr_array_index (self->members, position))->id;
}

/**
 * gremium_media_keyring_get_epoch:
 * @self: a keyring
 * @epoch: (out) (optional): the epoch the sender encrypts under
 *
 * Returns: %TRUE if the sender has a key (the member is in the call)
 */
gboolean
gremium_media_keyring_get_epoch (GremiumMediaKeyring *self,
                                 guint64             *epoch)
{
  g_return_val_if_fail (GREMIUM_IS_MEDIA_KEYRING (self), FALSE);

  if (self->current == NULL)
    return FALSE;

  if (epoch != NULL)
    *epoch = sender_key_get_epoch (self->current);

  return TRUE;
}

/**
 * gremium_media_keyring_get_pending_epoch:
 * @self: a keyring
 * @epoch: (out) (optional): the epoch of the newest key waiting for its
 *   grace period
 *
 * Returns: %TRUE if a key is waiting
 */
gboolean
gremium_media_keyring_get_pending_epoch (GremiumMediaKeyring *self,
                                         guint64             *epoch)
{
  g_return_val_if_fail (GREMIUM_IS_MEDIA_KEYRING (self), FALSE);

  if (self->pending->len == 0)
    return FALSE;

  if (epoch != NULL)
    *epoch = sender_key_get_epoch (g_ptr_array_index (self->pending, self->pending->len - 1));

  return TRUE;
}

/**
 * gremium_media_keyring_get_member_epoch:
 * @self: a keyring
 * @member_id: another member
 * @epoch: (out) (optional): the newest generation received from
 *   @member_id, at the ratchet step the record says it is at now
 *
 * Returns: %TRUE if a key of @member_id is installed
 */
gboolean
gremium_media_keyring_get_member_epoch (GremiumMediaKeyring *self,
                                        const char          *member_id,
                                        guint64             *epoch)
{
  MemberState *state;
  Generation *generation;

  g_return_val_if_fail (GREMIUM_IS_MEDIA_KEYRING (self), FALSE);
  g_return_val_if_fail (member_id != NULL, FALSE);

  state = lookup_state (self, member_id);
  if (state == NULL || state->generations->len == 0)
    return FALSE;

  generation = g_ptr_array_index (state->generations, state->generations->len - 1);
  if (epoch != NULL)
    *epoch = GREMIUM_MEDIA_EPOCH (generation->generation, generation_target (self, generation));

  return TRUE;
}

/**
 * gremium_media_keyring_take_messages:
 * @self: a keyring
 *
 * Takes the key messages queued so far. Send each body to its recipient
 * with gremium_client_send_peer_async(), in order.
 *
 * Returns: (transfer full) (element-type GremiumMediaKeyMessage): the
 *   messages, possibly none
 */
GPtrArray *
gremium_media_keyring_take_messages (GremiumMediaKeyring *self)
{
  GPtrArray *messages;

  g_return_val_if_fail (GREMIUM_IS_MEDIA_KEYRING (self), NULL);

  messages = g_steal_pointer (&self->outgoing);
  self->outgoing = g_ptr_array_new_with_free_func ((GDestroyNotify) gremium_media_key_message_free);

  return messages;
}

/**
 * gremium_media_keyring_handle_message:
 * @self: a keyring
 * @from: the sending member, as the server's relay names it
 * @body: the peer message body
 * @error: return location for a #GREMIUM_MEDIA_KEY_ERROR
 *
 * Checks a media key message and installs its key (docs/crypto.md lists
 * every check). A message from a sender whose record is ahead of ours waits
 * until we applied the same entries; it is then installed or rejected with
 * the same signals.
 *
 * Returns: %TRUE if the key was installed or waits for the record to catch
 *   up; %FALSE if the message was rejected, counted and dropped
 */
gboolean
gremium_media_keyring_handle_message (GremiumMediaKeyring  *self,
                                      const char           *from,
                                      const char           *body,
                                      GError              **error)
{
  g_autoptr(KeyMessage) message = NULL;

  g_return_val_if_fail (GREMIUM_IS_MEDIA_KEYRING (self), FALSE);
  g_return_val_if_fail (from != NULL, FALSE);
  g_return_val_if_fail (body != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  message = parse_message (self, from, body, error);
  if (message == NULL)
    return FALSE;

  if (message->anchor > self->n_applied)
    {
      if (self->deferred->len >= MAX_DEFERRED)
        {
          KeyMessage *oldest = g_ptr_array_index (self->deferred, 0);

          reject (self, oldest->from, NULL, GREMIUM_MEDIA_KEY_ERROR_STALE,
                  "Too many key messages wait for the record");
          g_ptr_array_remove_index (self->deferred, 0);
        }

      g_ptr_array_add (self->deferred, g_steal_pointer (&message));
      return TRUE;
    }

  return accept_message (self, message, error);
}

/**
 * gremium_media_keyring_rotate:
 * @self: a keyring
 *
 * Makes a fresh random key (a new generation) and queues it for everyone
 * else in the call, as on a leave. The sender keeps the old key until
 * gremium_media_keyring_apply_pending(). Does nothing when this member is
 * not in the call.
 */
void
gremium_media_keyring_rotate (GremiumMediaKeyring *self)
{
  guint n_before;

  g_return_if_fail (GREMIUM_IS_MEDIA_KEYRING (self));

  if (!self->active)
    return;

  n_before = self->outgoing->len;
  rotate_internal (self);
  emit_messages_ready (self, n_before);
}

/**
 * gremium_media_keyring_apply_pending:
 * @self: a keyring
 * @epoch: the epoch that #GremiumMediaKeyring::sender-key-pending announced
 *
 * Switches the sender to the pending key of @epoch's generation (at the
 * ratchet step it has reached since) and discards the keys before it.
 *
 * Returns: %TRUE if the sender switched; %FALSE if no such key waits
 *   (it was superseded, or this member left the call)
 */
gboolean
gremium_media_keyring_apply_pending (GremiumMediaKeyring *self,
                                     guint64              epoch)
{
  guint64 generation = GREMIUM_MEDIA_EPOCH_GENERATION (epoch);

  g_return_val_if_fail (GREMIUM_IS_MEDIA_KEYRING (self), FALSE);

  for (guint i = 0; i < self->pending->len; i++)
    {
      SenderKey *key = g_ptr_array_index (self->pending, i);

      if (key->generation != generation)
        continue;

      g_clear_pointer (&self->current, sender_key_free);
      self->current = g_ptr_array_steal_index (self->pending, i);
      g_ptr_array_remove_range (self->pending, 0, i);
      set_sender_key (self);

      return TRUE;
    }

  return FALSE;
}

/**
 * gremium_media_keyring_retire:
 * @self: a keyring
 * @member_id: another member
 * @epoch: an epoch #GremiumMediaKeyring::key-installed announced
 *
 * Removes @member_id's keys of the generations before @epoch's. Call it
 * twice the grace period after the key was installed: by then the sender
 * has switched to it.
 *
 * Returns: the number of generations removed
 */
guint
gremium_media_keyring_retire (GremiumMediaKeyring *self,
                              const char          *member_id,
                              guint64              epoch)
{
  guint64 generation = GREMIUM_MEDIA_EPOCH_GENERATION (epoch);
  MemberState *state;
  guint n = 0;

  g_return_val_if_fail (GREMIUM_IS_MEDIA_KEYRING (self), 0);
  g_return_val_if_fail (member_id != NULL, 0);

  state = lookup_state (self, member_id);
  if (state == NULL)
    return 0;

  while (state->generations->len > 0)
    {
      Generation *oldest = g_ptr_array_index (state->generations, 0);

      if (oldest->generation >= generation)
        break;

      uninstall_generation (self, state, oldest);
      g_ptr_array_remove_index (state->generations, 0);
      n++;
    }

  return n;
}

/**
 * gremium_media_keyring_remove_member:
 * @self: a keyring
 * @member_id: another member
 *
 * Removes every key of @member_id from the receivers now. The keyring does
 * this by itself when the member leaves the call; a later key message of
 * theirs is accepted again.
 */
void
gremium_media_keyring_remove_member (GremiumMediaKeyring *self,
                                     const char          *member_id)
{
  MemberState *state;

  g_return_if_fail (GREMIUM_IS_MEDIA_KEYRING (self));
  g_return_if_fail (member_id != NULL);

  state = lookup_state (self, member_id);
  if (state != NULL && state != self->me)
    {
      gboolean had_newest = state->has_newest;
      guint64 newest = state->newest;

      forget_member (self, state);

      /* Removing keys does not open the door to older ones. */
      state->has_newest = had_newest;
      state->newest = newest;
    }
}

/**
 * gremium_media_keyring_get_n_accepted:
 * @self: a keyring
 *
 * Returns: how many key messages were accepted and installed
 */
guint64
gremium_media_keyring_get_n_accepted (GremiumMediaKeyring *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEDIA_KEYRING (self), 0);

  return self->n_accepted;
}

/**
 * gremium_media_keyring_get_n_rejected:
 * @self: a keyring
 * @reason: a reason
 *
 * Returns: how many key messages were rejected for @reason
 */
guint64
gremium_media_keyring_get_n_rejected (GremiumMediaKeyring  *self,
                                      GremiumMediaKeyError  reason)
{
  g_return_val_if_fail (GREMIUM_IS_MEDIA_KEYRING (self), 0);
  g_return_val_if_fail (reason < GREMIUM_MEDIA_KEY_N_ERRORS, 0);

  return self->n_rejected[reason];
}

/**
 * _gremium_media_keyring_forge:
 * @self: a keyring; its identity signs
 * @forgery: what to put into the message
 *
 * Builds a key message with every field chosen by the caller, for the tests
 * of the receiving checks. Never used outside tests.
 *
 * Returns: (transfer full) (nullable): the body
 */
char *
_gremium_media_keyring_forge (GremiumMediaKeyring       *self,
                              const GremiumMediaKeyForgery *forgery)
{
  MemberState *recipient;
  GremiumMember *member;
  const guint8 *recipient_key;
  const char *sender_id;
  MemberState *sender;
  guint64 kid;

  g_return_val_if_fail (GREMIUM_IS_MEDIA_KEYRING (self), NULL);
  g_return_val_if_fail (forgery != NULL && forgery->recipient != NULL, NULL);

  recipient = lookup_state (self, forgery->recipient);
  member = gremium_meeting_lookup_member (self->meeting, forgery->recipient);
  g_return_val_if_fail (recipient != NULL && member != NULL, NULL);

  sender_id = forgery->sender != NULL ? forgery->sender : self->member_id;
  sender = lookup_state (self, sender_id);
  recipient_key = forgery->recipient_key != NULL ? forgery->recipient_key
                                                 : gremium_member_get_key (member, 0);
  kid = forgery->kid != 0 ? forgery->kid
                          : gremium_media_kid_new (sender != NULL ? sender->position : 0, forgery->epoch);

  return build_body (self,
                     forgery->meeting_id != NULL ? forgery->meeting_id : self->meeting_id,
                     sender_id, forgery->recipient, recipient_key,
                     forgery->seal_to != NULL ? forgery->seal_to : recipient_key,
                     forgery->epoch, kid,
                     forgery->anchor != 0 ? forgery->anchor : self->n_applied,
                     forgery->created != 0 ? forgery->created : g_get_real_time (),
                     forgery->key,
                     forgery->inner_signer != NULL ? forgery->inner_signer
                                                   : gremium_identity_get_public_key (self->identity),
                     forgery->inner_epoch_set ? forgery->inner_epoch : forgery->epoch);
}
