/* test-media-keys.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <sodium.h>
#include <string.h>

#include "gremium-error.h"
#include "gremium-identity.h"
#include "gremium-media-keyring-private.h"
#include "gremium-meeting.h"
#include "gremium-peer-body.h"
#include "gremium-record-entry.h"
#include "gremium-security-code.h"

/* The media key schedule without a network: every participant has their
 * own mirror of a hand-built meeting and their own keyring, and the test
 * carries the key messages between them. A participant's mirror can be held
 * back ("frozen") to play a slow client, or a departed participant who
 * ignores that they left and keeps every key.
 *
 * Whether a key arrived is always checked the way the media layer would:
 * by protecting a packet with one participant's SFrame sender and
 * unprotecting it with another's receiver.
 */

#define MEETING_ID "3f9a2c81d4e0"

static const char * const roster_ids[] = { "chair", "m1", "m2", "m3", "m4", "m5", NULL };

typedef struct
{
  GremiumIdentity     *server;
  GHashTable          *identities;     /* member id → GremiumIdentity */
  GremiumIdentity     *tablet;         /* m2's second enrolled device */
  GHashTable          *views;          /* member id → GremiumMeeting */
  GHashTable          *keyrings;       /* member id → GremiumMediaKeyring */
  GHashTable          *frozen;         /* member ids whose view stops */
  GPtrArray           *entries;        /* GremiumRecordEntry, the whole record */
  GPtrArray           *log;            /* Sent, every message delivered */
  gint64               now;
} Fixture;

typedef struct
{
  char *from;
  char *to;
  char *body;
} Sent;

static void
sent_free (Sent *sent)
{
  g_free (sent->from);
  g_free (sent->to);
  g_free (sent->body);
  g_free (sent);
}

static GremiumMediaKeyring *
keyring_of (Fixture    *f,
            const char *member_id)
{
  GremiumMediaKeyring *keyring = g_hash_table_lookup (f->keyrings, member_id);

  g_assert_nonnull (keyring);
  return keyring;
}

static GremiumMeeting *
view_of (Fixture    *f,
         const char *member_id)
{
  GremiumMeeting *view = g_hash_table_lookup (f->views, member_id);

  g_assert_nonnull (view);
  return view;
}

static GremiumIdentity *
identity_of (Fixture    *f,
             const char *member_id)
{
  GremiumIdentity *identity;

  if (g_str_equal (member_id, GREMIUM_AUTHOR_SERVER))
    return f->server;

  identity = g_hash_table_lookup (f->identities, member_id);
  g_assert_nonnull (identity);
  return identity;
}

static void
apply_to (GremiumMeeting     *view,
          GremiumRecordEntry *entry)
{
  g_autoptr(GError) error = NULL;

  gremium_meeting_apply (view, entry, &error);
  g_assert_no_error (error);
}

/* Records a statement and applies it to every view that is not frozen. */
static void
record (Fixture    *f,
        const char *author,
        const char *kind,
        JsonObject *data)
{
  g_autoptr(JsonObject) owned = data;
  g_autoptr(GremiumStatement) statement = NULL;
  GremiumRecordEntry *entry;
  GHashTableIter iter;
  gpointer key, value;

  statement = gremium_statement_build (identity_of (f, author), kind, MEETING_ID, author, f->now,
                                       data);
  entry = gremium_record_entry_new (f->entries->len, f->now, statement);
  g_ptr_array_add (f->entries, entry);
  f->now += 1000;

  g_hash_table_iter_init (&iter, f->views);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!g_hash_table_contains (f->frozen, key))
      apply_to (value, entry);
}

static void
freeze (Fixture    *f,
        const char *member_id)
{
  g_hash_table_add (f->frozen, g_strdup (member_id));
}

/* Lets a frozen view apply everything it missed. */
static void
catch_up (Fixture    *f,
          const char *member_id)
{
  GremiumMeeting *view = view_of (f, member_id);

  g_hash_table_remove (f->frozen, member_id);
  for (guint64 i = gremium_meeting_get_n_entries (view); i < f->entries->len; i++)
    apply_to (view, g_ptr_array_index (f->entries, i));
}

/* A view that follows the record. */
static GremiumMeeting *
live_view (Fixture *f)
{
  for (guint i = 0; roster_ids[i] != NULL; i++)
    if (!g_hash_table_contains (f->frozen, roster_ids[i]))
      return view_of (f, roster_ids[i]);

  g_assert_not_reached ();
}

static JsonObject *
data_member (const char *member_id)
{
  JsonObject *data = json_object_new ();

  json_object_set_string_member (data, "member", member_id);
  return data;
}

static JsonObject *
data_item (guint item)
{
  JsonObject *data = json_object_new ();

  json_object_set_int_member (data, "item", item);
  return data;
}

/* Joins; the chair admits from the lobby whoever waits there. */
static void
attend (Fixture    *f,
        const char *member_id)
{
  GremiumMember *member;

  record (f, member_id, GREMIUM_KIND_ATTENDANCE_JOIN, NULL);
  member = gremium_meeting_lookup_member (live_view (f), member_id);
  if (gremium_member_get_presence (member) == GREMIUM_PRESENCE_LOBBY)
    record (f, "chair", GREMIUM_KIND_LOBBY_ADMIT, data_member (member_id));
}

static void
leave (Fixture    *f,
       const char *member_id)
{
  JsonObject *data = data_member (member_id);

  json_object_set_string_member (data, "reason", "left");
  record (f, member_id, GREMIUM_KIND_ATTENDANCE_LEAVE, data);
}

static void
declare_conflict (Fixture    *f,
                  const char *member_id,
                  guint       item)
{
  JsonObject *data = data_item (item);

  json_object_set_string_member (data, "member", member_id);
  json_object_set_string_member (data, "reason", "Eigentümer eines angrenzenden Grundstücks");
  record (f, "chair", GREMIUM_KIND_CONFLICT_DECLARE, data);
}

static JsonObject *
create_data (Fixture *f)
{
  JsonObject *data = json_object_new ();
  JsonObject *rules = json_object_new ();
  JsonArray *members = json_array_new ();
  JsonArray *agenda = json_array_new ();
  g_autofree char *scheduled = gremium_time_format (f->now);

  for (guint i = 0; roster_ids[i] != NULL; i++)
    {
      JsonObject *member = json_object_new ();
      JsonArray *keys = json_array_new ();
      g_autofree char *key = gremium_identity_dup_public_key_base64 (identity_of (f, roster_ids[i]));
      g_autofree char *tablet = gremium_identity_dup_public_key_base64 (f->tablet);

      json_array_add_string_element (keys, key);
      if (g_str_equal (roster_ids[i], "m2"))
        json_array_add_string_element (keys, tablet);

      json_object_set_string_member (member, "id", roster_ids[i]);
      json_object_set_string_member (member, "name", roster_ids[i]);
      json_object_set_string_member (member, "role", i == 0 ? "chair" : "member");
      json_object_set_array_member (member, "keys", keys);
      json_array_add_object_element (members, member);
    }

  for (guint i = 0; i < 2; i++)
    {
      JsonObject *item = json_object_new ();

      json_object_set_int_member (item, "id", i + 1);
      json_object_set_string_member (item, "title", i == 0 ? "Haushalt" : "Grundstücksangelegenheiten");
      json_object_set_boolean_member (item, "public", i == 0);
      json_array_add_object_element (agenda, item);
    }

  json_object_set_string_member (rules, "quorum_base", "members");
  json_object_set_string_member (data, "title", "Sitzung des Gemeinderates");
  json_object_set_string_member (data, "body", "Gemeinderat Musterstadt");
  json_object_set_string_member (data, "place", "Rathaus");
  json_object_set_string_member (data, "scheduled", scheduled);
  json_object_set_string_member (data, "server", "localhost");
  json_object_set_object_member (data, "rules", rules);
  json_object_set_array_member (data, "members", members);
  json_object_set_array_member (data, "agenda", agenda);

  return data;
}

/* Every participant has a view of the meeting and a keyring, made before
 * anyone attends.
 */
static void
setup (Fixture       *f,
       gconstpointer  data)
{
  f->server = gremium_identity_new ();
  f->tablet = gremium_identity_new ();
  f->identities = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  f->views = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  f->keyrings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  f->frozen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  f->entries = g_ptr_array_new_with_free_func (g_object_unref);
  f->log = g_ptr_array_new_with_free_func ((GDestroyNotify) sent_free);
  f->now = g_get_real_time ();

  for (guint i = 0; roster_ids[i] != NULL; i++)
    {
      g_hash_table_insert (f->identities, g_strdup (roster_ids[i]), gremium_identity_new ());
      g_hash_table_insert (f->views, g_strdup (roster_ids[i]),
                           gremium_meeting_new (gremium_identity_get_public_key (f->server)));
    }

  record (f, GREMIUM_AUTHOR_SERVER, GREMIUM_KIND_MEETING_CREATE, create_data (f));

  for (guint i = 0; roster_ids[i] != NULL; i++)
    g_hash_table_insert (f->keyrings, g_strdup (roster_ids[i]),
                         gremium_media_keyring_new (identity_of (f, roster_ids[i]), roster_ids[i],
                                                    view_of (f, roster_ids[i])));
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, f->keyrings);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_hash_table_iter_steal (&iter);
      g_free (key);
      g_assert_finalize_object (value);
    }

  g_clear_pointer (&f->keyrings, g_hash_table_unref);
  g_clear_pointer (&f->views, g_hash_table_unref);
  g_clear_pointer (&f->identities, g_hash_table_unref);
  g_clear_pointer (&f->frozen, g_hash_table_unref);
  g_clear_pointer (&f->entries, g_ptr_array_unref);
  g_clear_pointer (&f->log, g_ptr_array_unref);
  g_clear_object (&f->tablet);
  g_clear_object (&f->server);
}

/* Carries every queued key message to its recipient, as the relay would
 * (only between members the sender's view has in the call), until nothing
 * is left. m2's second device is not online, so each of those copies is
 * turned away as meant for another device. Returns how many were carried.
 */
static guint
deliver (Fixture *f)
{
  guint n = 0;
  gboolean more = TRUE;

  while (more)
    {
      more = FALSE;

      for (guint i = 0; roster_ids[i] != NULL; i++)
        {
          g_autoptr(GPtrArray) messages = gremium_media_keyring_take_messages (keyring_of (f, roster_ids[i]));

          for (guint k = 0; k < messages->len; k++)
            {
              GremiumMediaKeyMessage *message = g_ptr_array_index (messages, k);
              Sent *sent = g_new0 (Sent, 1);
              g_autoptr(GError) error = NULL;

              gremium_media_keyring_handle_message (keyring_of (f, message->recipient), roster_ids[i],
                                                    message->body, &error);
              if (error != NULL)
                g_assert_error (error, GREMIUM_MEDIA_KEY_ERROR, GREMIUM_MEDIA_KEY_ERROR_OTHER_DEVICE);

              sent->from = g_strdup (roster_ids[i]);
              sent->to = g_strdup (message->recipient);
              sent->body = g_strdup (message->body);
              g_ptr_array_add (f->log, sent);
              n++;
              more = TRUE;
            }
        }
    }

  return n;
}

/* The most recent message from @from to @to that was delivered. */
static const char *
last_sent (Fixture    *f,
           const char *from,
           const char *to)
{
  for (guint i = f->log->len; i > 0; i--)
    {
      Sent *sent = g_ptr_array_index (f->log, i - 1);

      if (!g_str_equal (sent->from, from) || !g_str_equal (sent->to, to))
        continue;

      /* Skip the copies sealed to m2's other device. */
      if (g_str_equal (to, "m2"))
        {
          g_autofree char *key = gremium_identity_dup_public_key_base64 (identity_of (f, "m2"));
          g_autoptr(JsonParser) parser = json_parser_new ();
          g_autofree guchar *payload = NULL;
          gsize len;
          JsonObject *envelope;

          g_assert_true (json_parser_load_from_data (parser, sent->body, -1, NULL));
          envelope = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                                    "envelope");
          payload = g_base64_decode (json_object_get_string_member (envelope, "payload"), &len);
          if (g_strstr_len ((const char *) payload, len, key) == NULL)
            continue;
        }

      return sent->body;
    }

  g_assert_not_reached ();
}

static const guint8 metadata[] = { 1, 0 };
static const guint8 media_payload[] = "Tagesordnungspunkt 3: Haushaltssatzung";

typedef struct
{
  guint8 data[256];
  gsize  len;
  guint64 kid;
} Packet;

static void
protect (Fixture    *f,
         const char *from,
         Packet     *packet)
{
  GremiumSFrameSender *sender = gremium_media_keyring_get_sender (keyring_of (f, from));
  GremiumSFrameStatus status;

  g_assert_true (gremium_sframe_sender_get_kid (sender, &packet->kid));
  status = gremium_sframe_sender_protect (sender, metadata, sizeof metadata, media_payload, sizeof media_payload,
                                          packet->data, sizeof packet->data, &packet->len);
  g_assert_cmpint (status, ==, GREMIUM_SFRAME_OK);
}

/* Unprotects @packet at @to, with the shared receiver and with the one for
 * @from alone; both must agree. A decrypted packet must be the payload and
 * be attributed to @from.
 */
static GremiumSFrameStatus
unprotect (Fixture      *f,
           const char   *from,
           const char   *to,
           const Packet *packet)
{
  GremiumMediaKeyring *keyring = keyring_of (f, to);
  GremiumSFrameReceiver *receivers[2] = {
    gremium_media_keyring_get_receiver (keyring),
    gremium_media_keyring_get_member_receiver (keyring, from),
  };
  GremiumSFrameStatus result = GREMIUM_SFRAME_OK;

  for (guint i = 0; i < G_N_ELEMENTS (receivers); i++)
    {
      guint8 out[256];
      gsize out_len = 0;
      guint64 kid = 0;
      GremiumSFrameStatus status;

      g_assert_nonnull (receivers[i]);
      status = gremium_sframe_receiver_unprotect (receivers[i], metadata, sizeof metadata,
                                                  packet->data, packet->len, out, sizeof out,
                                                  &out_len, &kid);
      if (status == GREMIUM_SFRAME_OK)
        {
          g_assert_cmpmem (out, out_len, media_payload, sizeof media_payload);
          g_assert_cmpuint (kid, ==, packet->kid);
          g_assert_cmpstr (gremium_media_keyring_lookup_kid (keyring, kid), ==, from);
        }

      if (i == 0)
        result = status;
      else
        g_assert_cmpint (status, ==, result);
    }

  return result;
}

/* A fresh packet from @from, unprotected at @to. */
static GremiumSFrameStatus
roundtrip (Fixture    *f,
           const char *from,
           const char *to)
{
  Packet packet;

  protect (f, from, &packet);
  return unprotect (f, from, to, &packet);
}

static void
assert_everyone_hears_everyone (Fixture            *f,
                                const char * const *members)
{
  for (guint i = 0; members[i] != NULL; i++)
    for (guint k = 0; members[k] != NULL; k++)
      if (i != k)
        {
          GremiumSFrameStatus status = roundtrip (f, members[i], members[k]);

          if (status != GREMIUM_SFRAME_OK)
            g_error ("%s cannot decrypt %s: %s", members[k], members[i],
                     gremium_sframe_status_to_string (status));
        }
}

static guint64
epoch_of (Fixture    *f,
          const char *member_id)
{
  guint64 epoch = 0;

  g_assert_true (gremium_media_keyring_get_epoch (keyring_of (f, member_id), &epoch));
  return epoch;
}

static guint64
pending_of (Fixture    *f,
            const char *member_id)
{
  guint64 epoch = 0;

  g_assert_true (gremium_media_keyring_get_pending_epoch (keyring_of (f, member_id), &epoch));
  return epoch;
}

static void
apply_pending (Fixture    *f,
               const char *member_id)
{
  g_assert_true (gremium_media_keyring_apply_pending (keyring_of (f, member_id), pending_of (f, member_id)));
}

/* The chair opens the meeting; the chair, m1 and m2 are in the call with
 * each other's keys.
 */
static void
setup_call (Fixture       *f,
            gconstpointer  data)
{
  setup (f, data);

  attend (f, "chair");
  record (f, "chair", GREMIUM_KIND_MEETING_OPEN, NULL);
  record (f, "chair", GREMIUM_KIND_AGENDA_SELECT, data_item (1));
  attend (f, "m1");
  attend (f, "m2");
  deliver (f);
}

static const char * const three[] = { "chair", "m1", "m2", NULL };

/* Tests */

static void
test_kid (void)
{
  guint position = 0;

  g_assert_cmphex (gremium_media_kid_new (0, 0), ==, 0x100000);
  g_assert_cmphex (gremium_media_kid_new (0, GREMIUM_MEDIA_EPOCH (1764175123, 0)), ==, 0x1d1300);
  g_assert_cmphex (gremium_media_kid_new (4, GREMIUM_MEDIA_EPOCH (1764175123, 3)), ==, 0x5d1303);

  /* The epoch wraps into the low 20 bits; the position never leaks into it. */
  g_assert_cmphex (gremium_media_kid_new (2, (G_GUINT64_CONSTANT (1) << 20) + 7), ==, 0x300007);
  g_assert_cmphex (gremium_media_kid_new (999, G_MAXUINT64), ==,
                   (G_GUINT64_CONSTANT (1000) << 20) | 0xfffff);

  g_assert_true (gremium_media_kid_get_position (0x5d1303, &position));
  g_assert_cmpuint (position, ==, 4);
  g_assert_true (gremium_media_kid_get_position (G_GUINT64_CONSTANT (1000) << 20, &position));
  g_assert_cmpuint (position, ==, 999);
  g_assert_false (gremium_media_kid_get_position (0xfffff, NULL));
  g_assert_false (gremium_media_kid_get_position (G_GUINT64_CONSTANT (1001) << 20, NULL));

  g_assert_cmpuint (GREMIUM_MEDIA_EPOCH_GENERATION (GREMIUM_MEDIA_EPOCH (77, 5)), ==, 77);
  g_assert_cmpuint (GREMIUM_MEDIA_EPOCH_STEP (GREMIUM_MEDIA_EPOCH (77, 5)), ==, 5);
}

static void
test_ratchet (void)
{
  guint8 key[GREMIUM_MEDIA_KEY_SIZE];
  guint8 next[GREMIUM_MEDIA_KEY_SIZE];
  g_autofree char *hex = NULL;

  /* Computed independently with Python's hmac/hashlib (RFC 5869). */
  for (guint i = 0; i < sizeof key; i++)
    key[i] = i;

  gremium_media_key_ratchet (key, next);
  hex = gremium_hex_encode (next, sizeof next);
  g_assert_cmpstr (hex, ==, "82e86f5746fa2e632cc5310d9aab9c9aff25f03edaab6acfe7fd6e84c0fe8b27");

  /* In place, as the sender does it. */
  gremium_media_key_ratchet (next, next);
  g_clear_pointer (&hex, g_free);
  hex = gremium_hex_encode (next, sizeof next);
  g_assert_cmpstr (hex, ==, "882b421877a582f1cded135dbf696bebae1b883ddb4e15d7faa9d15ee736e555");
}

static void
test_security_code (void)
{
  g_autoptr(GremiumSecurityCode) code = gremium_security_code_new (MEETING_ID);
  g_autoptr(GremiumSecurityCode) other = gremium_security_code_new (MEETING_ID);
  g_autoptr(GremiumSecurityCode) one = gremium_security_code_new (MEETING_ID);
  g_autoptr(GremiumSecurityCode) copy = NULL;
  g_autoptr(GremiumSecurityCode) moved = gremium_security_code_new (MEETING_ID);
  g_autoptr(GremiumSecurityCode) elsewhere = gremium_security_code_new ("3f9a2c81d4e1");
  g_autofree char *text = NULL;
  g_autofree char *hex = NULL;
  guint8 k1[32], k2[32], k3[32];
  guint8 digest[GREMIUM_HASH_SIZE];

  memset (k1, 1, sizeof k1);
  memset (k2, 2, sizeof k2);
  memset (k3, 3, sizeof k3);

  /* The known answer, computed independently in Python from docs/crypto.md. */
  gremium_security_code_add_key (code, "mueller", k1);
  gremium_security_code_add_key (code, "schmidt", k3);
  gremium_security_code_add_key (code, "schmidt", k2);
  gremium_security_code_add_key (code, "schmidt", k2);
  g_assert_cmpuint (gremium_security_code_get_n_keys (code), ==, 3);
  gremium_security_code_get_digest (code, digest);
  hex = gremium_hex_encode (digest, sizeof digest);
  g_assert_cmpstr (hex, ==, "4f27535809c255d796ca7ac65d1f223767a1296b16d42750d2d0b6dc87bb7dd9");
  text = gremium_security_code_to_string (code);
  g_assert_cmpstr (text, ==, "89833 47626 01698 16427 26898 03547");

  /* Any order of adding gives the same code. */
  gremium_security_code_add_key (other, "schmidt", k2);
  gremium_security_code_add_key (other, "mueller", k1);
  gremium_security_code_add_key (other, "schmidt", k3);
  g_clear_pointer (&text, g_free);
  text = gremium_security_code_to_string (other);
  g_assert_cmpstr (text, ==, "89833 47626 01698 16427 26898 03547");

  copy = gremium_security_code_copy (other);
  g_clear_pointer (&text, g_free);
  text = gremium_security_code_to_string (copy);
  g_assert_cmpstr (text, ==, "89833 47626 01698 16427 26898 03547");

  g_clear_pointer (&text, g_free);
  gremium_security_code_add_key (one, "mueller", k1);
  text = gremium_security_code_to_string (one);
  g_assert_cmpstr (text, ==, "18489 63195 42389 35127 90945 96189");

  /* A key under another member, or another meeting, changes the code. */
  gremium_security_code_add_key (moved, "mueller", k1);
  gremium_security_code_add_key (moved, "mueller", k2);
  gremium_security_code_add_key (moved, "schmidt", k3);
  gremium_security_code_add_key (elsewhere, "mueller", k1);
  gremium_security_code_add_key (elsewhere, "schmidt", k2);
  gremium_security_code_add_key (elsewhere, "schmidt", k3);
  g_clear_pointer (&text, g_free);
  text = gremium_security_code_to_string (moved);
  g_assert_cmpstr (text, !=, "89833 47626 01698 16427 26898 03547");
  g_clear_pointer (&text, g_free);
  text = gremium_security_code_to_string (elsewhere);
  g_assert_cmpstr (text, !=, "89833 47626 01698 16427 26898 03547");
}

static void
test_peer_body (void)
{
  g_autofree char *type = gremium_peer_body_dup_type ("{\"type\":\"webrtc-offer\",\"sdp\":\"v=0\"}");

  g_assert_cmpstr (type, ==, GREMIUM_PEER_TYPE_WEBRTC_OFFER);
  g_assert_true (gremium_peer_body_has_type ("{\"type\":\"media-key\",\"envelope\":{}}",
                                             GREMIUM_PEER_TYPE_MEDIA_KEY));
  g_assert_false (gremium_peer_body_has_type ("{\"type\":\"webrtc-ice\"}", GREMIUM_PEER_TYPE_MEDIA_KEY));
  g_assert_null (gremium_peer_body_dup_type ("not json"));
  g_assert_null (gremium_peer_body_dup_type ("[\"type\"]"));
  g_assert_null (gremium_peer_body_dup_type ("{\"type\":7}"));
  g_assert_null (gremium_peer_body_dup_type ("{\"kind\":\"media-key\"}"));
}

static void
test_security_code_meeting (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *before = NULL;
  g_autofree char *with_m3 = NULL;
  g_autofree char *after = NULL;

  before = gremium_security_code_compute (view_of (f, "chair"));
  for (guint i = 0; roster_ids[i] != NULL; i++)
    {
      g_autofree char *code = gremium_security_code_compute (view_of (f, roster_ids[i]));

      g_assert_cmpstr (code, ==, before);
    }

  attend (f, "m3");
  with_m3 = gremium_security_code_compute (view_of (f, "chair"));
  g_assert_cmpstr (with_m3, !=, before);
  for (guint i = 0; roster_ids[i] != NULL; i++)
    {
      g_autofree char *code = gremium_security_code_compute (view_of (f, roster_ids[i]));

      g_assert_cmpstr (code, ==, with_m3);
    }

  /* The same people present give the same code again. */
  leave (f, "m3");
  after = gremium_security_code_compute (view_of (f, "m1"));
  g_assert_cmpstr (after, ==, before);
}

static void
test_delivery (Fixture       *f,
               gconstpointer  data)
{
  g_auto(GStrv) audience = gremium_media_keyring_dup_audience (keyring_of (f, "m1"));

  g_assert_cmpstrv (audience, ((const char * const []) { "chair", "m1", "m2", NULL }));
  for (guint i = 0; three[i] != NULL; i++)
    {
      GremiumMediaKeyring *keyring = keyring_of (f, three[i]);

      g_assert_true (gremium_media_keyring_get_active (keyring));
      g_assert_cmpuint (gremium_media_keyring_get_n_accepted (keyring), >=, 2);
      for (guint reason = 0; reason < GREMIUM_MEDIA_KEY_N_ERRORS; reason++)
        if (reason != GREMIUM_MEDIA_KEY_ERROR_OTHER_DEVICE)
          g_assert_cmpuint (gremium_media_keyring_get_n_rejected (keyring, reason), ==, 0);
    }

  /* m2 has a second enrolled device: each of its keys came twice, and the
   * copy for the tablet was turned away.
   */
  g_assert_cmpuint (gremium_media_keyring_get_n_rejected (keyring_of (f, "m2"),
                                                          GREMIUM_MEDIA_KEY_ERROR_OTHER_DEVICE), >=, 2);

  assert_everyone_hears_everyone (f, three);

  /* Those not in the call hold no keys and send nothing. */
  g_assert_false (gremium_media_keyring_get_active (keyring_of (f, "m3")));
  g_assert_false (gremium_media_keyring_get_epoch (keyring_of (f, "m3"), NULL));
  g_assert_false (gremium_media_keyring_get_member_epoch (keyring_of (f, "m3"), "chair", NULL));
  g_assert_false (gremium_media_keyring_get_member_epoch (keyring_of (f, "chair"), "m3", NULL));
  g_assert_null (gremium_media_keyring_get_member_receiver (keyring_of (f, "chair"), "chair"));
  g_assert_null (gremium_media_keyring_get_member_receiver (keyring_of (f, "chair"), "nobody"));
}

typedef struct
{
  guint installed;
  guint rejected;
  int   last_reason;
} Signals;

static void
installed_cb (GremiumMediaKeyring *keyring,
              const char          *member_id,
              guint64              epoch,
              Signals             *signals)
{
  signals->installed++;
}

static void
rejected_cb (GremiumMediaKeyring *keyring,
             const char          *from,
             int                  reason,
             Signals             *signals)
{
  signals->rejected++;
  signals->last_reason = reason;
}

/* Offers @body to m2 as if from @from: it must be rejected for @reason,
 * counted once, and change no key.
 */
static void
assert_rejected (Fixture              *f,
                 const char           *from,
                 const char           *body,
                 GremiumMediaKeyError  reason)
{
  GremiumMediaKeyring *keyring = keyring_of (f, "m2");
  g_autoptr(GError) error = NULL;
  Signals signals = { 0, };
  guint64 counts[GREMIUM_MEDIA_KEY_N_ERRORS];
  guint64 accepted = gremium_media_keyring_get_n_accepted (keyring);
  guint64 chair_before = 0, chair_after = 0;
  gulong h1, h2;

  for (guint i = 0; i < GREMIUM_MEDIA_KEY_N_ERRORS; i++)
    counts[i] = gremium_media_keyring_get_n_rejected (keyring, i);
  g_assert_true (gremium_media_keyring_get_member_epoch (keyring, "chair", &chair_before));

  h1 = g_signal_connect (keyring, "key-installed", G_CALLBACK (installed_cb), &signals);
  h2 = g_signal_connect (keyring, "message-rejected", G_CALLBACK (rejected_cb), &signals);
  g_assert_false (gremium_media_keyring_handle_message (keyring, from, body, &error));
  g_signal_handler_disconnect (keyring, h1);
  g_signal_handler_disconnect (keyring, h2);

  g_assert_error (error, GREMIUM_MEDIA_KEY_ERROR, reason);
  g_assert_cmpuint (signals.installed, ==, 0);
  g_assert_cmpuint (signals.rejected, ==, 1);
  g_assert_cmpint (signals.last_reason, ==, reason);
  g_assert_cmpuint (gremium_media_keyring_get_n_accepted (keyring), ==, accepted);
  for (guint i = 0; i < GREMIUM_MEDIA_KEY_N_ERRORS; i++)
    g_assert_cmpuint (gremium_media_keyring_get_n_rejected (keyring, i), ==, counts[i] + (i == reason));

  g_assert_true (gremium_media_keyring_get_member_epoch (keyring, "chair", &chair_after));
  g_assert_cmpuint (chair_after, ==, chair_before);
  g_assert_cmpint (roundtrip (f, "chair", "m2"), ==, GREMIUM_SFRAME_OK);
}

/* A forgery from the chair's keyring, to m2, of a fresh generation. */
static char *
forge (Fixture                *f,
       const char             *signer,
       GremiumMediaKeyForgery *forgery)
{
  guint8 key[GREMIUM_MEDIA_KEY_SIZE];
  guint64 newest = 0;

  memset (key, 0x42, sizeof key);
  if (forgery->recipient == NULL)
    forgery->recipient = "m2";
  if (forgery->key == NULL)
    forgery->key = key;
  if (forgery->epoch == 0)
    {
      gremium_media_keyring_get_member_epoch (keyring_of (f, "m2"), "chair", &newest);
      forgery->epoch = GREMIUM_MEDIA_EPOCH (GREMIUM_MEDIA_EPOCH_GENERATION (newest) + 10, 0);
    }

  return _gremium_media_keyring_forge (keyring_of (f, signer), forgery);
}

static char *
tamper_payload (const char *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree guchar *payload = NULL;
  g_autofree char *encoded = NULL;
  JsonObject *envelope;
  char *sealed;
  gsize len;

  g_assert_true (json_parser_load_from_data (parser, body, -1, NULL));
  envelope = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                            "envelope");
  payload = g_base64_decode (json_object_get_string_member (envelope, "payload"), &len);

  /* Change one character of the sealed key, keeping it valid base64. */
  sealed = g_strstr_len ((char *) payload, len, "\"sealed\":\"");
  g_assert_nonnull (sealed);
  sealed += strlen ("\"sealed\":\"") + 5;
  *sealed = *sealed == 'A' ? 'B' : 'A';

  encoded = g_base64_encode (payload, len);
  json_object_set_string_member (envelope, "payload", encoded);
  json_generator_set_root (generator, json_parser_get_root (parser));

  return json_generator_to_data (generator, NULL);
}

static void
test_forged (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GremiumIdentity) mallory = gremium_identity_new ();
  g_autoptr(GremiumMediaKeyring) impostor = NULL;
  g_autoptr(GremiumMediaKeyring) borrowed = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GremiumStatement) statement = NULL;
  g_autoptr(GBytes) statement_payload = NULL;
  g_autofree char *statement_json = NULL;
  g_autofree char *wrong_type = NULL;
  const char *genuine = last_sent (f, "chair", "m2");
  const guint8 *m1_key = gremium_identity_get_public_key (identity_of (f, "m1"));
  const guint8 *tablet_key = gremium_identity_get_public_key (f->tablet);
  gint64 now = g_get_real_time ();

  /* Not a media key message at all. */
  assert_rejected (f, "chair", "not json", GREMIUM_MEDIA_KEY_ERROR_MALFORMED);
  assert_rejected (f, "chair", "{\"type\":\"media-key\"}", GREMIUM_MEDIA_KEY_ERROR_MALFORMED);
  assert_rejected (f, "chair", "{\"type\":\"media-key\",\"envelope\":{}}", GREMIUM_MEDIA_KEY_ERROR_MALFORMED);
  assert_rejected (f, "chair", "{\"type\":\"webrtc-offer\",\"sdp\":\"\"}", GREMIUM_MEDIA_KEY_ERROR_MALFORMED);

  /* A valid signature over a different payload type. */
  statement_payload = g_bytes_new_static ("{}", 2);
  statement = gremium_statement_new_signed (identity_of (f, "chair"), GREMIUM_PAYLOAD_TYPE_STATEMENT,
                                            statement_payload);
  statement_json = gremium_statement_to_json (statement);
  wrong_type = g_strdup_printf ("{\"type\":\"media-key\",\"envelope\":%s}", statement_json);
  assert_rejected (f, "chair", wrong_type, GREMIUM_MEDIA_KEY_ERROR_MALFORMED);

  /* A signer who is not on the roster, claiming to be m1. */
  impostor = gremium_media_keyring_new (mallory, "m1", view_of (f, "m1"));
  messages = gremium_media_keyring_take_messages (impostor);
  g_assert_cmpuint (messages->len, >, 0);
  for (guint i = 0; i < messages->len; i++)
    {
      GremiumMediaKeyMessage *message = g_ptr_array_index (messages, i);

      if (g_str_equal (message->recipient, "m2"))
        assert_rejected (f, "m1", message->body, GREMIUM_MEDIA_KEY_ERROR_BAD_SIGNATURE);
    }
  g_clear_pointer (&messages, g_ptr_array_unref);

  /* A roster member's key, claiming to be another member. */
  borrowed = gremium_media_keyring_new (identity_of (f, "chair"), "m1", view_of (f, "m1"));
  messages = gremium_media_keyring_take_messages (borrowed);
  for (guint i = 0; i < messages->len; i++)
    {
      GremiumMediaKeyMessage *message = g_ptr_array_index (messages, i);

      if (g_str_equal (message->recipient, "m2"))
        {
          assert_rejected (f, "m1", message->body, GREMIUM_MEDIA_KEY_ERROR_BAD_SIGNATURE);
          assert_rejected (f, "chair", message->body, GREMIUM_MEDIA_KEY_ERROR_BAD_SIGNATURE);
        }
    }

  /* The chair's genuine message, relayed as if m1 had sent it. */
  assert_rejected (f, "m1", genuine, GREMIUM_MEDIA_KEY_ERROR_BAD_SIGNATURE);

  /* Tampered after signing. */
  {
    g_autofree char *tampered = tamper_payload (genuine);

    assert_rejected (f, "chair", tampered, GREMIUM_MEDIA_KEY_ERROR_BAD_SIGNATURE);
  }

  /* Signed by the chair, but for another meeting, member or device. */
  {
    g_autofree char *body = forge (f, "chair", &(GremiumMediaKeyForgery) { .meeting_id = "3f9a2c81d4e1" });

    assert_rejected (f, "chair", body, GREMIUM_MEDIA_KEY_ERROR_WRONG_MEETING);
  }
  {
    g_autofree char *body = forge (f, "chair", &(GremiumMediaKeyForgery) { .recipient = "m1" });

    assert_rejected (f, "chair", body, GREMIUM_MEDIA_KEY_ERROR_WRONG_RECIPIENT);
  }
  {
    /* m2 by name, but m1's key: not one of m2's devices. */
    g_autofree char *body = forge (f, "chair", &(GremiumMediaKeyForgery) { .recipient_key = m1_key });

    assert_rejected (f, "chair", body, GREMIUM_MEDIA_KEY_ERROR_WRONG_RECIPIENT);
  }
  {
    g_autofree char *body = forge (f, "chair", &(GremiumMediaKeyForgery) { .recipient_key = tablet_key });

    assert_rejected (f, "chair", body, GREMIUM_MEDIA_KEY_ERROR_OTHER_DEVICE);
  }

  /* m2's tablet sending m2's phone a key of m2's own. */
  {
    g_autoptr(GremiumMediaKeyring) tablet = gremium_media_keyring_new (f->tablet, "m2", view_of (f, "m2"));
    g_autoptr(GPtrArray) unused = gremium_media_keyring_take_messages (tablet);
    g_autofree char *body = NULL;
    guint8 key[GREMIUM_MEDIA_KEY_SIZE] = { 7, };

    body = _gremium_media_keyring_forge (tablet, &(GremiumMediaKeyForgery) {
      .recipient = "m2", .epoch = GREMIUM_MEDIA_EPOCH (G_GUINT64_CONSTANT (1) << 40, 0), .key = key,
    });
    assert_rejected (f, "m2", body, GREMIUM_MEDIA_KEY_ERROR_OTHER_DEVICE);
    g_assert_finalize_object (g_steal_pointer (&tablet));
  }

  /* A KID that does not belong to the sender and epoch. */
  {
    g_autofree char *body = forge (f, "chair", &(GremiumMediaKeyForgery) { .kid = gremium_media_kid_new (1, 5) });

    assert_rejected (f, "chair", body, GREMIUM_MEDIA_KEY_ERROR_MALFORMED);
  }

  /* Made too long ago, or in the future. */
  {
    g_autofree char *body = forge (f, "chair", &(GremiumMediaKeyForgery) { .created = now - 10 * G_TIME_SPAN_MINUTE });

    assert_rejected (f, "chair", body, GREMIUM_MEDIA_KEY_ERROR_STALE);
  }
  {
    g_autofree char *body = forge (f, "chair", &(GremiumMediaKeyForgery) { .created = now + 10 * G_TIME_SPAN_MINUTE });

    assert_rejected (f, "chair", body, GREMIUM_MEDIA_KEY_ERROR_STALE);
  }

  /* Made before m2 entered the call (entry 1 is long past). */
  {
    g_autofree char *body = forge (f, "chair", &(GremiumMediaKeyForgery) { .anchor = 2 });

    assert_rejected (f, "chair", body, GREMIUM_MEDIA_KEY_ERROR_STALE);
  }

  /* Sealed to someone else, or not bound to its signer and epoch inside. */
  {
    g_autofree char *body = forge (f, "chair", &(GremiumMediaKeyForgery) { .seal_to = m1_key });

    assert_rejected (f, "chair", body, GREMIUM_MEDIA_KEY_ERROR_BAD_SEAL);
  }
  {
    g_autofree char *body = forge (f, "chair", &(GremiumMediaKeyForgery) { .inner_signer = m1_key });

    assert_rejected (f, "chair", body, GREMIUM_MEDIA_KEY_ERROR_BAD_SEAL);
  }
  {
    g_autofree char *body = forge (f, "chair", &(GremiumMediaKeyForgery) {
      .inner_epoch_set = TRUE, .inner_epoch = 3,
    });

    assert_rejected (f, "chair", body, GREMIUM_MEDIA_KEY_ERROR_BAD_SEAL);
  }

  /* From someone who is not in the call. */
  {
    g_autofree char *body = NULL;
    GremiumMediaKeyForgery forgery = { .recipient = "m2", .epoch = GREMIUM_MEDIA_EPOCH (5, 0) };
    guint8 key[GREMIUM_MEDIA_KEY_SIZE] = { 0, };

    forgery.key = key;
    body = _gremium_media_keyring_forge (keyring_of (f, "m3"), &forgery);
    assert_rejected (f, "m3", body, GREMIUM_MEDIA_KEY_ERROR_NOT_PARTICIPANT);
  }

  /* The genuine message a second time, and an older generation. */
  assert_rejected (f, "chair", genuine, GREMIUM_MEDIA_KEY_ERROR_REPLAYED);
  {
    guint64 newest = 0;
    g_autofree char *body = NULL;

    g_assert_true (gremium_media_keyring_get_member_epoch (keyring_of (f, "m2"), "chair", &newest));
    body = forge (f, "chair", &(GremiumMediaKeyForgery) {
      .epoch = GREMIUM_MEDIA_EPOCH (GREMIUM_MEDIA_EPOCH_GENERATION (newest) - 1, 0),
    });
    assert_rejected (f, "chair", body, GREMIUM_MEDIA_KEY_ERROR_REPLAYED);
  }

  /* And an honest forgery is accepted: the checks above were the reason. */
  {
    g_autofree char *body = forge (f, "chair", &(GremiumMediaKeyForgery) { 0, });
    g_autoptr(GError) error = NULL;

    g_assert_true (gremium_media_keyring_handle_message (keyring_of (f, "m2"), "chair", body, &error));
    g_assert_no_error (error);
  }

  g_assert_finalize_object (g_steal_pointer (&impostor));
  g_assert_finalize_object (g_steal_pointer (&borrowed));
}

static void
test_replayed_rotation (Fixture       *f,
                        gconstpointer  data)
{
  const char *first = NULL;
  g_autofree char *first_copy = NULL;
  guint64 old_epoch = epoch_of (f, "chair");

  first = last_sent (f, "chair", "m1");
  first_copy = g_strdup (first);

  gremium_media_keyring_rotate (keyring_of (f, "chair"));
  g_assert_cmpuint (deliver (f), ==, 3);     /* m1, and m2's two devices */
  apply_pending (f, "chair");
  g_assert_cmpuint (GREMIUM_MEDIA_EPOCH_GENERATION (epoch_of (f, "chair")), ==,
                    GREMIUM_MEDIA_EPOCH_GENERATION (old_epoch) + 1);

  /* Replaying the old key cannot roll m1 back. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (gremium_media_keyring_handle_message (keyring_of (f, "m1"), "chair", first_copy, &error));
    g_assert_error (error, GREMIUM_MEDIA_KEY_ERROR, GREMIUM_MEDIA_KEY_ERROR_REPLAYED);
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (gremium_media_keyring_handle_message (keyring_of (f, "m1"), "chair",
                                                          last_sent (f, "chair", "m1"), &error));
    g_assert_error (error, GREMIUM_MEDIA_KEY_ERROR, GREMIUM_MEDIA_KEY_ERROR_REPLAYED);
  }
  g_assert_cmpuint (gremium_media_keyring_get_n_rejected (keyring_of (f, "m1"),
                                                          GREMIUM_MEDIA_KEY_ERROR_REPLAYED), ==, 2);
  g_assert_cmpint (roundtrip (f, "chair", "m1"), ==, GREMIUM_SFRAME_OK);
}

/* m2 leaves, but m2's own client ignores it (its view is frozen) and keeps
 * every key it had: the worst case of a departed participant.
 */
static void
test_leave (Fixture       *f,
            gconstpointer  data)
{
  Packet before_switch, after_switch, from_m2;
  guint64 chair_old = epoch_of (f, "chair");
  guint64 m1_old = epoch_of (f, "m1");
  guint64 m2_kid;
  guint64 installed = 0;
  guint n;

  protect (f, "m2", &from_m2);
  m2_kid = from_m2.kid;
  g_assert_cmpint (unprotect (f, "m2", "chair", &from_m2), ==, GREMIUM_SFRAME_OK);

  freeze (f, "m2");
  leave (f, "m2");

  /* The departed sender's keys are gone at once. */
  protect (f, "m2", &from_m2);
  g_assert_cmpint (unprotect (f, "m2", "chair", &from_m2), ==, GREMIUM_SFRAME_UNKNOWN_KID);
  g_assert_cmpint (unprotect (f, "m2", "m1", &from_m2), ==, GREMIUM_SFRAME_UNKNOWN_KID);
  g_assert_false (gremium_sframe_receiver_has_key (gremium_media_keyring_get_receiver (keyring_of (f, "m1")), m2_kid));
  g_assert_false (gremium_media_keyring_get_member_epoch (keyring_of (f, "chair"), "m2", NULL));

  /* Everyone left picks a fresh generation, but keeps sending under the
   * old key during the grace period.
   */
  g_assert_cmpuint (GREMIUM_MEDIA_EPOCH_GENERATION (pending_of (f, "chair")), >,
                    GREMIUM_MEDIA_EPOCH_GENERATION (chair_old));
  g_assert_cmpuint (GREMIUM_MEDIA_EPOCH_GENERATION (pending_of (f, "m1")), >,
                    GREMIUM_MEDIA_EPOCH_GENERATION (m1_old));
  g_assert_cmpuint (epoch_of (f, "chair"), ==, chair_old);

  /* Only the remaining participants get the new keys. */
  n = deliver (f);
  g_assert_cmpuint (n, ==, 2);
  for (guint i = f->log->len - n; i < f->log->len; i++)
    g_assert_cmpstr (((Sent *) g_ptr_array_index (f->log, i))->to, !=, "m2");

  g_assert_true (gremium_media_keyring_get_member_epoch (keyring_of (f, "m1"), "chair", &installed));
  g_assert_cmpuint (installed, ==, pending_of (f, "chair"));

  /* During the grace period the old key still works, even for m2. */
  protect (f, "chair", &before_switch);
  g_assert_cmpint (unprotect (f, "chair", "m1", &before_switch), ==, GREMIUM_SFRAME_OK);
  g_assert_cmpint (unprotect (f, "chair", "m2", &before_switch), ==, GREMIUM_SFRAME_OK);

  apply_pending (f, "chair");
  apply_pending (f, "m1");
  g_assert_false (gremium_media_keyring_get_pending_epoch (keyring_of (f, "chair"), NULL));

  /* After it, m1 hears the chair and the chair m1; m2 hears nobody. */
  protect (f, "chair", &after_switch);
  g_assert_cmpuint (after_switch.kid, !=, before_switch.kid);
  g_assert_cmpint (unprotect (f, "chair", "m1", &after_switch), ==, GREMIUM_SFRAME_OK);
  g_assert_cmpint (unprotect (f, "chair", "m2", &after_switch), ==, GREMIUM_SFRAME_UNKNOWN_KID);
  g_assert_cmpint (roundtrip (f, "m1", "chair"), ==, GREMIUM_SFRAME_OK);
  g_assert_cmpint (roundtrip (f, "m1", "m2"), ==, GREMIUM_SFRAME_UNKNOWN_KID);

  /* Retiring the old generation removes it from m1. */
  g_assert_cmpuint (gremium_media_keyring_retire (keyring_of (f, "m1"), "chair", installed), ==, 1);
  g_assert_cmpint (unprotect (f, "chair", "m1", &before_switch), ==, GREMIUM_SFRAME_UNKNOWN_KID);
  g_assert_cmpint (unprotect (f, "chair", "m1", &after_switch), ==, GREMIUM_SFRAME_REPLAYED);
  g_assert_cmpint (roundtrip (f, "chair", "m1"), ==, GREMIUM_SFRAME_OK);
}

/* When m2 learns that it left, it drops everything. */
static void
test_leave_self (Fixture       *f,
                 gconstpointer  data)
{
  GremiumMediaKeyring *keyring = keyring_of (f, "m2");
  Packet packet;

  protect (f, "chair", &packet);
  g_assert_cmpint (unprotect (f, "chair", "m2", &packet), ==, GREMIUM_SFRAME_OK);

  leave (f, "m2");
  g_assert_false (gremium_media_keyring_get_active (keyring));
  g_assert_false (gremium_media_keyring_get_epoch (keyring, NULL));
  g_assert_false (gremium_media_keyring_get_member_epoch (keyring, "chair", NULL));
  g_assert_cmpint (unprotect (f, "chair", "m2", &packet), ==, GREMIUM_SFRAME_UNKNOWN_KID);

  /* Rejoining is a new stretch: fresh keys all round, and m2 takes part again. */
  attend (f, "m2");
  deliver (f);
  assert_everyone_hears_everyone (f, three);
}

static void
test_conflict (Fixture       *f,
               gconstpointer  data)
{
  guint64 chair_before = epoch_of (f, "chair");
  g_autoptr(GPtrArray) none = NULL;

  /* A conflict on the public item changes nothing: m1 may stay. */
  declare_conflict (f, "m1", 1);
  g_assert_true (gremium_media_keyring_get_active (keyring_of (f, "m1")));
  g_assert_false (gremium_media_keyring_get_pending_epoch (keyring_of (f, "chair"), NULL));
  none = gremium_media_keyring_take_messages (keyring_of (f, "chair"));
  g_assert_cmpuint (none->len, ==, 0);

  /* The non-public item without conflicts changes nothing either. */
  record (f, "chair", GREMIUM_KIND_AGENDA_SELECT, data_item (2));
  g_assert_true (gremium_media_keyring_get_active (keyring_of (f, "m1")));
  g_assert_cmpuint (epoch_of (f, "chair"), ==, chair_before);

  /* m1 declared befangen on the current non-public item must leave the room. */
  declare_conflict (f, "m1", 2);
  g_assert_false (gremium_media_keyring_get_active (keyring_of (f, "m1")));
  g_assert_false (gremium_media_keyring_is_in_audience (keyring_of (f, "chair"), "m1"));
  g_assert_true (gremium_media_keyring_get_pending_epoch (keyring_of (f, "chair"), NULL));
  g_assert_cmpuint (deliver (f), ==, 3);
  apply_pending (f, "chair");
  apply_pending (f, "m2");
  g_assert_cmpint (roundtrip (f, "chair", "m2"), ==, GREMIUM_SFRAME_OK);
  g_assert_cmpint (roundtrip (f, "m2", "chair"), ==, GREMIUM_SFRAME_OK);
  g_assert_cmpint (roundtrip (f, "chair", "m1"), ==, GREMIUM_SFRAME_UNKNOWN_KID);
  g_assert_cmpint (roundtrip (f, "m1", "chair"), ==, GREMIUM_SFRAME_UNKNOWN_KID);

  /* Back to the public item: m1 returns as a newcomer. */
  record (f, "chair", GREMIUM_KIND_AGENDA_SELECT, data_item (1));
  g_assert_true (gremium_media_keyring_get_active (keyring_of (f, "m1")));
  deliver (f);
  assert_everyone_hears_everyone (f, three);
}

static void
test_join_ratchet (Fixture       *f,
                   gconstpointer  data)
{
  Packet old_packet, new_packet;
  guint64 chair_before = epoch_of (f, "chair");
  guint64 m1_accepted = gremium_media_keyring_get_n_accepted (keyring_of (f, "m1"));
  g_autoptr(GPtrArray) messages = NULL;

  protect (f, "chair", &old_packet);

  /* m3 waits in the lobby: not in the call yet, nothing changes. */
  record (f, "m3", GREMIUM_KIND_ATTENDANCE_JOIN, NULL);
  g_assert_false (gremium_media_keyring_get_active (keyring_of (f, "m3")));
  g_assert_cmpuint (epoch_of (f, "chair"), ==, chair_before);

  record (f, "chair", GREMIUM_KIND_LOBBY_ADMIT, data_member ("m3"));

  /* Everyone ratchets one step at once, in the same generation, and keys go
   * only to the newcomer.
   */
  g_assert_cmpuint (epoch_of (f, "chair"), ==, chair_before + 1);
  messages = gremium_media_keyring_take_messages (keyring_of (f, "chair"));
  g_assert_cmpuint (messages->len, ==, 1);
  g_assert_cmpstr (((GremiumMediaKeyMessage *) g_ptr_array_index (messages, 0))->recipient, ==, "m3");
  gremium_media_keyring_handle_message (keyring_of (f, "m3"), "chair",
                                        ((GremiumMediaKeyMessage *) g_ptr_array_index (messages, 0))->body,
                                        NULL);

  /* The others derive the ratcheted keys without a message. */
  protect (f, "chair", &new_packet);
  g_assert_cmpuint (new_packet.kid, ==, old_packet.kid + 1);
  g_assert_cmpint (unprotect (f, "chair", "m1", &new_packet), ==, GREMIUM_SFRAME_OK);
  g_assert_cmpint (roundtrip (f, "m2", "m1"), ==, GREMIUM_SFRAME_OK);

  deliver (f);
  g_assert_cmpuint (gremium_media_keyring_get_n_accepted (keyring_of (f, "m1")), ==, m1_accepted + 1);

  /* The newcomer decrypts current media, and nothing from before it came. */
  g_assert_cmpint (unprotect (f, "chair", "m3", &new_packet), ==, GREMIUM_SFRAME_OK);
  g_assert_cmpint (unprotect (f, "chair", "m3", &old_packet), ==, GREMIUM_SFRAME_UNKNOWN_KID);
  g_assert_cmpint (unprotect (f, "chair", "m1", &old_packet), ==, GREMIUM_SFRAME_OK);
  assert_everyone_hears_everyone (f, ((const char * const []) { "chair", "m1", "m2", "m3", NULL }));
}

/* m1's view lags behind the record: the chair's key is already ratcheted
 * for joins m1 has not seen, and the newcomers' keys were made at a record
 * m1 has not reached.
 */
static void
test_lagging_receiver (Fixture       *f,
                       gconstpointer  data)
{
  guint step = GREMIUM_MEDIA_EPOCH_STEP (epoch_of (f, "chair"));
  Packet packet;

  freeze (f, "m1");
  attend (f, "m3");
  attend (f, "m4");

  /* Two steps ahead lie inside m1's window. */
  g_assert_cmpuint (GREMIUM_MEDIA_EPOCH_STEP (epoch_of (f, "chair")), ==, step + 2);
  g_assert_cmpint (roundtrip (f, "chair", "m1"), ==, GREMIUM_SFRAME_OK);

  /* The newcomers' keys wait for m1's record instead of failing. */
  deliver (f);
  g_assert_false (gremium_media_keyring_get_member_epoch (keyring_of (f, "m1"), "m3", NULL));
  g_assert_false (gremium_media_keyring_get_member_epoch (keyring_of (f, "m1"), "m4", NULL));

  /* A third step is beyond the window. */
  attend (f, "m5");
  deliver (f);
  protect (f, "chair", &packet);
  g_assert_cmpint (unprotect (f, "chair", "m1", &packet), ==, GREMIUM_SFRAME_UNKNOWN_KID);

  /* Catching up moves the window on and installs what waited. */
  catch_up (f, "m1");
  g_assert_true (gremium_media_keyring_get_member_epoch (keyring_of (f, "m1"), "m3", NULL));
  g_assert_cmpint (unprotect (f, "chair", "m1", &packet), ==, GREMIUM_SFRAME_OK);
  deliver (f);

  for (guint reason = 0; reason < GREMIUM_MEDIA_KEY_N_ERRORS; reason++)
    if (reason != GREMIUM_MEDIA_KEY_ERROR_OTHER_DEVICE)
      g_assert_cmpuint (gremium_media_keyring_get_n_rejected (keyring_of (f, "m1"), reason), ==, 0);
  assert_everyone_hears_everyone (f, ((const char * const []) { "chair", "m1", "m2", "m3", "m4", "m5", NULL }));
}

/* The chair's view lags: the others expect its key to have ratcheted
 * already, and keep the steps behind for it.
 */
static void
test_lagging_sender (Fixture       *f,
                     gconstpointer  data)
{
  guint64 before = epoch_of (f, "chair");

  freeze (f, "chair");
  attend (f, "m3");
  attend (f, "m4");

  g_assert_cmpuint (epoch_of (f, "chair"), ==, before);
  g_assert_cmpint (roundtrip (f, "chair", "m1"), ==, GREMIUM_SFRAME_OK);
  g_assert_cmpint (roundtrip (f, "chair", "m2"), ==, GREMIUM_SFRAME_OK);

  catch_up (f, "chair");
  g_assert_cmpuint (epoch_of (f, "chair"), ==, before + 2);
  deliver (f);
  assert_everyone_hears_everyone (f, ((const char * const []) { "chair", "m1", "m2", "m3", "m4", NULL }));
}

static void
test_rotation_chain (Fixture       *f,
                     gconstpointer  data)
{
  GremiumMediaKeyring *chair = keyring_of (f, "chair");
  guint64 first, second;
  guint64 held;

  gremium_media_keyring_rotate (chair);
  first = pending_of (f, "chair");
  gremium_media_keyring_rotate (chair);
  second = pending_of (f, "chair");
  g_assert_cmpuint (GREMIUM_MEDIA_EPOCH_GENERATION (second), ==, GREMIUM_MEDIA_EPOCH_GENERATION (first) + 1);
  deliver (f);

  g_assert_true (gremium_media_keyring_get_member_epoch (keyring_of (f, "m1"), "chair", &held));
  g_assert_cmpuint (held, ==, second);

  /* Each pending key is applied in turn; receivers hold all of them. */
  g_assert_cmpint (roundtrip (f, "chair", "m1"), ==, GREMIUM_SFRAME_OK);
  g_assert_true (gremium_media_keyring_apply_pending (chair, first));
  g_assert_cmpuint (epoch_of (f, "chair"), ==, first);
  g_assert_cmpint (roundtrip (f, "chair", "m1"), ==, GREMIUM_SFRAME_OK);
  g_assert_true (gremium_media_keyring_apply_pending (chair, second));
  g_assert_cmpuint (epoch_of (f, "chair"), ==, second);
  g_assert_cmpint (roundtrip (f, "chair", "m2"), ==, GREMIUM_SFRAME_OK);

  /* Superseded or unknown pending keys cannot be applied. */
  g_assert_false (gremium_media_keyring_apply_pending (chair, first));
  g_assert_false (gremium_media_keyring_apply_pending (chair, GREMIUM_MEDIA_EPOCH (12345, 0)));

  /* Retiring for the first removes the original generation only. */
  g_assert_cmpuint (gremium_media_keyring_retire (keyring_of (f, "m1"), "chair", first), ==, 1);
  g_assert_cmpuint (gremium_media_keyring_retire (keyring_of (f, "m1"), "chair", second), ==, 1);
  g_assert_cmpuint (gremium_media_keyring_retire (keyring_of (f, "m1"), "chair", second), ==, 0);
  g_assert_cmpint (roundtrip (f, "chair", "m1"), ==, GREMIUM_SFRAME_OK);
}

/* A join while a fresh key waits for its grace period: the newcomer gets
 * both the ratcheted current key and the ratcheted pending one.
 */
static void
test_join_during_grace (Fixture       *f,
                        gconstpointer  data)
{
  guint64 pending;

  gremium_media_keyring_rotate (keyring_of (f, "chair"));
  deliver (f);
  pending = pending_of (f, "chair");

  attend (f, "m3");
  g_assert_cmpuint (pending_of (f, "chair"), ==, pending + 1);
  deliver (f);
  g_assert_cmpint (roundtrip (f, "chair", "m3"), ==, GREMIUM_SFRAME_OK);
  g_assert_cmpint (roundtrip (f, "chair", "m1"), ==, GREMIUM_SFRAME_OK);

  apply_pending (f, "chair");
  g_assert_cmpuint (epoch_of (f, "chair"), ==, pending + 1);
  assert_everyone_hears_everyone (f, ((const char * const []) { "chair", "m1", "m2", "m3", NULL }));
}

static void
test_remove_member (Fixture       *f,
                    gconstpointer  data)
{
  GremiumMediaKeyring *keyring = keyring_of (f, "m1");
  g_autoptr(GError) error = NULL;
  const char *genuine = last_sent (f, "chair", "m1");
  g_autofree char *copy = g_strdup (genuine);

  gremium_media_keyring_remove_member (keyring, "chair");
  g_assert_cmpint (roundtrip (f, "chair", "m1"), ==, GREMIUM_SFRAME_UNKNOWN_KID);
  g_assert_false (gremium_media_keyring_get_member_epoch (keyring, "chair", NULL));

  /* Removing does not make an old key acceptable again. */
  g_assert_false (gremium_media_keyring_handle_message (keyring, "chair", copy, &error));
  g_assert_error (error, GREMIUM_MEDIA_KEY_ERROR, GREMIUM_MEDIA_KEY_ERROR_REPLAYED);

  /* The chair's next fresh key restores it. */
  gremium_media_keyring_rotate (keyring_of (f, "chair"));
  deliver (f);
  apply_pending (f, "chair");
  g_assert_cmpint (roundtrip (f, "chair", "m1"), ==, GREMIUM_SFRAME_OK);
}

static void
test_keyring_late (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GremiumMediaKeyring) late = NULL;
  g_autoptr(GPtrArray) messages = NULL;

  /* Let the clock move on from the first keyring's generation. */
  g_usleep (2000);

  /* A keyring made while its member is in the call starts with a fresh key
   * for everyone, of a generation newer than its predecessor's.
   */
  late = gremium_media_keyring_new (identity_of (f, "m1"), "m1", view_of (f, "m1"));
  g_assert_true (gremium_media_keyring_get_active (late));
  messages = gremium_media_keyring_take_messages (late);
  g_assert_cmpuint (messages->len, ==, 3);
  for (guint i = 0; i < messages->len; i++)
    {
      GremiumMediaKeyMessage *message = g_ptr_array_index (messages, i);
      g_autoptr(GError) error = NULL;

      gremium_media_keyring_handle_message (keyring_of (f, message->recipient), "m1", message->body, &error);
      if (error != NULL)
        g_assert_error (error, GREMIUM_MEDIA_KEY_ERROR, GREMIUM_MEDIA_KEY_ERROR_OTHER_DEVICE);
    }

  g_assert_finalize_object (g_steal_pointer (&late));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Gremium/MediaKeys/kid", test_kid);
  g_test_add_func ("/Gremium/MediaKeys/ratchet", test_ratchet);
  g_test_add_func ("/Gremium/MediaKeys/security-code", test_security_code);
  g_test_add_func ("/Gremium/MediaKeys/peer-body", test_peer_body);
  g_test_add ("/Gremium/MediaKeys/security-code-meeting", Fixture, NULL, setup_call,
              test_security_code_meeting, teardown);
  g_test_add ("/Gremium/MediaKeys/delivery", Fixture, NULL, setup_call, test_delivery, teardown);
  g_test_add ("/Gremium/MediaKeys/forged", Fixture, NULL, setup_call, test_forged, teardown);
  g_test_add ("/Gremium/MediaKeys/replayed-rotation", Fixture, NULL, setup_call,
              test_replayed_rotation, teardown);
  g_test_add ("/Gremium/MediaKeys/leave", Fixture, NULL, setup_call, test_leave, teardown);
  g_test_add ("/Gremium/MediaKeys/leave-self", Fixture, NULL, setup_call, test_leave_self, teardown);
  g_test_add ("/Gremium/MediaKeys/conflict", Fixture, NULL, setup_call, test_conflict, teardown);
  g_test_add ("/Gremium/MediaKeys/join-ratchet", Fixture, NULL, setup_call, test_join_ratchet, teardown);
  g_test_add ("/Gremium/MediaKeys/lagging-receiver", Fixture, NULL, setup_call,
              test_lagging_receiver, teardown);
  g_test_add ("/Gremium/MediaKeys/lagging-sender", Fixture, NULL, setup_call,
              test_lagging_sender, teardown);
  g_test_add ("/Gremium/MediaKeys/rotation-chain", Fixture, NULL, setup_call,
              test_rotation_chain, teardown);
  g_test_add ("/Gremium/MediaKeys/join-during-grace", Fixture, NULL, setup_call,
              test_join_during_grace, teardown);
  g_test_add ("/Gremium/MediaKeys/remove-member", Fixture, NULL, setup_call,
              test_remove_member, teardown);
  g_test_add ("/Gremium/MediaKeys/keyring-late", Fixture, NULL, setup_call, test_keyring_late, teardown);

  return g_test_run ();
}
