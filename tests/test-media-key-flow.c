/* test-media-key-flow.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gremium-error.h>
#include <gremium-media-key-agent.h>
#include <gremium-media-keyring-private.h>
#include <gremium-peer-body.h>
#include <gremium-security-code.h>

#include "gremium-test-utils.h"

/* Media keys over a real server: every participant has a client and a
 * #GremiumMediaKeyAgent, the key messages travel through the server's peer
 * relay, and the tests watch the keys arrive the way the media layer uses
 * them, by protecting packets with one participant's sender and
 * unprotecting them with another's receiver.
 */

#define GRACE_MS 300

typedef struct
{
  GremiumTestServer *ts;
  char              *meeting_id;
  GHashTable        *clients;    /* member id → GremiumClient */
  GHashTable        *agents;     /* member id → GremiumMediaKeyAgent */
} Fixture;

static GremiumClient *
client_of (Fixture    *f,
           const char *member_id)
{
  GremiumClient *client = g_hash_table_lookup (f->clients, member_id);

  g_assert_nonnull (client);
  return client;
}

static GremiumMediaKeyring *
keyring_of (Fixture    *f,
            const char *member_id)
{
  GremiumMediaKeyAgent *agent = g_hash_table_lookup (f->agents, member_id);

  g_assert_nonnull (agent);
  return gremium_media_key_agent_get_keyring (agent);
}

static GremiumMeeting *
view_of (Fixture    *f,
         const char *member_id)
{
  return gremium_client_get_meeting (client_of (f, member_id), f->meeting_id);
}

static void
submit_ok (Fixture    *f,
           const char *who,
           const char *kind,
           JsonObject *data)
{
  g_autoptr(GError) error = NULL;

  gremium_test_submit (client_of (f, who), f->meeting_id, kind, data, &error);
  g_assert_no_error (error);
}

/* Enrols @member_id, mirrors the meeting, starts the agent and only then
 * attends, as an application should.
 */
static void
arrive (Fixture    *f,
        const char *member_id)
{
  g_autoptr(GError) error = NULL;
  GremiumClient *client = g_hash_table_lookup (f->clients, member_id);
  GremiumMediaKeyAgent *agent;
  GremiumMember *member;

  if (client == NULL)
    {
      client = gremium_test_client_enrol (f->ts, member_id, &error);
      g_assert_no_error (error);
      g_hash_table_insert (f->clients, g_strdup (member_id), client);
      gremium_test_client_join (client, f->meeting_id, &error);
      g_assert_no_error (error);

      agent = gremium_media_key_agent_new (client, f->meeting_id);
      gremium_media_key_agent_set_grace_period (agent, GRACE_MS);
      gremium_media_key_agent_set_rotation_interval (agent, 0);
      g_hash_table_insert (f->agents, g_strdup (member_id), agent);
    }

  submit_ok (f, member_id, GREMIUM_KIND_ATTENDANCE_JOIN, NULL);

  member = gremium_meeting_lookup_member (view_of (f, member_id), member_id);
  if (gremium_member_get_presence (member) == GREMIUM_PRESENCE_LOBBY)
    submit_ok (f, "chair", GREMIUM_KIND_LOBBY_ADMIT, gremium_test_data ("member", member_id, NULL));
}

static void
depart (Fixture    *f,
        const char *member_id)
{
  submit_ok (f, member_id, GREMIUM_KIND_ATTENDANCE_LEAVE,
             gremium_test_data ("member", member_id, "reason", "left", NULL));
}

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  f->ts = gremium_test_server_new ();
  gremium_test_server_add_member (f->ts, "chair", "Clara Vorsitz", GREMIUM_ROLE_CHAIR);
  gremium_test_server_add_member (f->ts, "m01", "Mitglied 1", GREMIUM_ROLE_MEMBER);
  gremium_test_server_add_member (f->ts, "m02", "Mitglied 2", GREMIUM_ROLE_MEMBER);
  gremium_test_server_add_member (f->ts, "m03", "Mitglied 3", GREMIUM_ROLE_MEMBER);
  f->meeting_id = gremium_test_server_create_meeting (f->ts, 1, 1);
  f->clients = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  f->agents = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);

  arrive (f, "chair");
  submit_ok (f, "chair", GREMIUM_KIND_MEETING_OPEN, NULL);
  submit_ok (f, "chair", GREMIUM_KIND_AGENDA_SELECT, gremium_test_data ("item", "#1", NULL));
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, f->agents);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_hash_table_iter_steal (&iter);
      g_free (key);
      g_assert_finalize_object (value);
    }

  g_clear_pointer (&f->agents, g_hash_table_unref);
  g_clear_pointer (&f->clients, g_hash_table_unref);
  g_clear_pointer (&f->meeting_id, g_free);
  gremium_test_server_free (f->ts);
}

static const guint8 metadata[] = { 0, 1 };
static const guint8 media_payload[] = "Die Sitzung ist eröffnet.";

typedef struct
{
  guint8  data[128];
  gsize   len;
  guint64 kid;
} Packet;

static void
protect (Fixture    *f,
         const char *from,
         Packet     *packet)
{
  GremiumSFrameSender *sender = gremium_media_keyring_get_sender (keyring_of (f, from));

  g_assert_true (gremium_sframe_sender_get_kid (sender, &packet->kid));
  g_assert_cmpint (gremium_sframe_sender_protect (sender, metadata, sizeof metadata, media_payload,
                                                  sizeof media_payload, packet->data,
                                                  sizeof packet->data, &packet->len),
                   ==, GREMIUM_SFRAME_OK);
}

static GremiumSFrameStatus
unprotect (Fixture      *f,
           const char   *from,
           const char   *to,
           const Packet *packet)
{
  GremiumMediaKeyring *keyring = keyring_of (f, to);
  GremiumSFrameReceiver *receiver = gremium_media_keyring_get_member_receiver (keyring, from);
  GremiumSFrameStatus status;
  guint8 out[128];
  gsize out_len = 0;

  status = gremium_sframe_receiver_unprotect (receiver, metadata, sizeof metadata, packet->data,
                                              packet->len, out, sizeof out, &out_len, NULL);
  if (status == GREMIUM_SFRAME_OK)
    g_assert_cmpmem (out, out_len, media_payload, sizeof media_payload);

  return status;
}

static GremiumSFrameStatus
roundtrip (Fixture    *f,
           const char *from,
           const char *to)
{
  Packet packet;

  protect (f, from, &packet);
  return unprotect (f, from, to, &packet);
}

typedef struct
{
  Fixture            *f;
  const char * const *members;
} Call;

static gboolean
everyone_hears_everyone (gpointer data)
{
  Call *call = data;

  for (guint i = 0; call->members[i] != NULL; i++)
    for (guint k = 0; call->members[k] != NULL; k++)
      if (i != k && roundtrip (call->f, call->members[i], call->members[k]) != GREMIUM_SFRAME_OK)
        return FALSE;

  return TRUE;
}

static void
wait_call (Fixture            *f,
           const char * const *members)
{
  Call call = { f, members };

  if (!gremium_test_wait_until (everyone_hears_everyone, &call, 10000))
    g_error ("The participants did not get each other's keys");
}

static void
assert_no_rejections (Fixture    *f,
                      const char *member_id)
{
  for (guint reason = 0; reason < GREMIUM_MEDIA_KEY_N_ERRORS; reason++)
    if (gremium_media_keyring_get_n_rejected (keyring_of (f, member_id), reason) != 0)
      g_error ("%s rejected a key message: %s", member_id, gremium_media_key_error_to_string (reason));
}

static void
assert_same_code (Fixture            *f,
                  const char * const *members,
                  const char         *expected)
{
  for (guint i = 0; members[i] != NULL; i++)
    {
      g_autofree char *code = gremium_security_code_compute (view_of (f, members[i]));

      g_assert_cmpstr (code, ==, expected);
    }
}

static const char * const three[] = { "chair", "m01", "m02", NULL };
static const char * const two[] = { "chair", "m01", NULL };

static void
setup_three (Fixture       *f,
             gconstpointer  data)
{
  setup (f, data);
  arrive (f, "m01");
  arrive (f, "m02");
  wait_call (f, three);
}

static void
test_three_way (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *code = gremium_security_code_compute (view_of (f, "chair"));

  for (guint i = 0; three[i] != NULL; i++)
    {
      GremiumMediaKeyring *keyring = keyring_of (f, three[i]);

      g_assert_true (gremium_media_keyring_get_active (keyring));
      assert_no_rejections (f, three[i]);
    }

  /* The same code everywhere, made of the three present members' keys. */
  assert_same_code (f, three, code);
  {
    g_autoptr(GremiumSecurityCode) parts = gremium_security_code_new_for_meeting (view_of (f, "m02"));

    g_assert_cmpuint (gremium_security_code_get_n_keys (parts), ==, 3);
  }
}

typedef struct
{
  Fixture *f;
  guint64  pending_epoch;
  gint64   pending_time;
  gint64   changed_time;
  guint64  changed_epoch;
  gboolean receivers_ready;
} SwitchWatch;

static void
chair_pending_cb (GremiumMediaKeyring *keyring,
                  guint64              epoch,
                  SwitchWatch         *watch)
{
  watch->pending_epoch = epoch;
  watch->pending_time = g_get_monotonic_time ();
}

/* At the moment the chair encrypts under the new key, m01 must hold it. */
static void
chair_changed_cb (GremiumMediaKeyring *keyring,
                  guint64              epoch,
                  SwitchWatch         *watch)
{
  GremiumMediaKeyring *m01 = keyring_of (watch->f, "m01");
  guint64 kid = 0;

  g_assert_true (gremium_sframe_sender_get_kid (gremium_media_keyring_get_sender (keyring), &kid));
  watch->changed_epoch = epoch;
  watch->changed_time = g_get_monotonic_time ();
  watch->receivers_ready =
    gremium_sframe_receiver_has_key (gremium_media_keyring_get_member_receiver (m01, "chair"), kid);
}

static gboolean
switched (gpointer data)
{
  SwitchWatch *watch = data;

  return watch->changed_time != 0;
}

static void
test_leave (Fixture       *f,
            gconstpointer  data)
{
  GremiumMediaKeyring *chair = keyring_of (f, "chair");
  GremiumMediaKeyring *m02 = keyring_of (f, "m02");
  g_autofree char *code_before = gremium_security_code_compute (view_of (f, "chair"));
  g_autofree char *code_after = NULL;
  SwitchWatch watch = { f, };
  guint64 old_epoch = 0;
  guint64 m02_accepted;
  Packet old_packet, new_packet;
  gulong h1, h2;

  g_assert_true (gremium_media_keyring_get_epoch (chair, &old_epoch));
  protect (f, "chair", &old_packet);
  g_assert_cmpint (unprotect (f, "chair", "m02", &old_packet), ==, GREMIUM_SFRAME_OK);

  h1 = g_signal_connect (chair, "sender-key-pending", G_CALLBACK (chair_pending_cb), &watch);
  h2 = g_signal_connect (chair, "sender-key-changed", G_CALLBACK (chair_changed_cb), &watch);

  depart (f, "m02");
  gremium_test_wait_entries (view_of (f, "chair"), gremium_meeting_get_n_entries (view_of (f, "m02")));
  gremium_test_wait_entries (view_of (f, "m01"), gremium_meeting_get_n_entries (view_of (f, "m02")));
  m02_accepted = gremium_media_keyring_get_n_accepted (m02);

  /* m02's keys are gone from the others, and m02 dropped everything. */
  g_assert_false (gremium_media_keyring_get_active (m02));
  g_assert_false (gremium_media_keyring_get_member_epoch (chair, "m02", NULL));
  g_assert_cmpint (unprotect (f, "chair", "m02", &old_packet), ==, GREMIUM_SFRAME_UNKNOWN_KID);

  /* A fresh generation waits for the grace period. */
  g_assert_cmpuint (GREMIUM_MEDIA_EPOCH_GENERATION (watch.pending_epoch), >,
                    GREMIUM_MEDIA_EPOCH_GENERATION (old_epoch));

  if (!gremium_test_wait_until (switched, &watch, 5000))
    g_error ("The chair never switched to its new key");

  g_signal_handler_disconnect (chair, h1);
  g_signal_handler_disconnect (chair, h2);

  /* The grace period was kept, and m01 had the key before the first packet. */
  g_assert_cmpuint (watch.changed_epoch, ==, watch.pending_epoch);
  g_assert_cmpint (watch.changed_time - watch.pending_time, >=, GRACE_MS * 1000);
  g_assert_true (watch.receivers_ready);

  /* m02 gets no new key and cannot read new media; the others carry on. */
  protect (f, "chair", &new_packet);
  g_assert_cmpint (unprotect (f, "chair", "m01", &new_packet), ==, GREMIUM_SFRAME_OK);
  g_assert_cmpint (unprotect (f, "chair", "m02", &new_packet), ==, GREMIUM_SFRAME_UNKNOWN_KID);
  g_assert_cmpuint (gremium_media_keyring_get_n_accepted (m02), ==, m02_accepted);
  wait_call (f, two);

  code_after = gremium_security_code_compute (view_of (f, "m01"));
  g_assert_cmpstr (code_after, !=, code_before);
  assert_same_code (f, three, code_after);
  assert_no_rejections (f, "chair");
  assert_no_rejections (f, "m01");
}

static void
test_join (Fixture       *f,
           gconstpointer  data)
{
  guint64 m01_accepted;
  guint64 chair_epoch = 0;
  Packet old_packet, new_packet;
  g_autofree char *code_two = NULL;
  g_autofree char *code_three = NULL;

  arrive (f, "m01");
  wait_call (f, two);
  code_two = gremium_security_code_compute (view_of (f, "m01"));
  g_assert_true (gremium_media_keyring_get_epoch (keyring_of (f, "chair"), &chair_epoch));
  protect (f, "chair", &old_packet);
  m01_accepted = gremium_media_keyring_get_n_accepted (keyring_of (f, "m01"));

  arrive (f, "m02");
  wait_call (f, three);

  /* The chair ratcheted one step; m01 followed without a key from the
   * chair (the only key m01 got is the newcomer's own).
   */
  protect (f, "chair", &new_packet);
  g_assert_cmpuint (new_packet.kid, ==, old_packet.kid + 1);
  g_assert_cmpuint (gremium_media_keyring_get_n_accepted (keyring_of (f, "m01")), ==, m01_accepted + 1);

  /* The newcomer reads current media, nothing from before. */
  g_assert_cmpint (unprotect (f, "chair", "m02", &new_packet), ==, GREMIUM_SFRAME_OK);
  g_assert_cmpint (unprotect (f, "chair", "m02", &old_packet), ==, GREMIUM_SFRAME_UNKNOWN_KID);

  code_three = gremium_security_code_compute (view_of (f, "m02"));
  g_assert_cmpstr (code_three, !=, code_two);
  assert_same_code (f, three, code_three);
  for (guint i = 0; three[i] != NULL; i++)
    assert_no_rejections (f, three[i]);
}

typedef struct
{
  GremiumMediaKeyring *keyring;
  guint64              first;
} Rotation;

static gboolean
rotated_twice (gpointer data)
{
  Rotation *rotation = data;
  guint64 epoch = 0;

  return gremium_media_keyring_get_epoch (rotation->keyring, &epoch) &&
         GREMIUM_MEDIA_EPOCH_GENERATION (epoch) >= GREMIUM_MEDIA_EPOCH_GENERATION (rotation->first) + 2;
}

static void
test_forced_rotation (Fixture       *f,
                      gconstpointer  data)
{
  GremiumMediaKeyAgent *agent = g_hash_table_lookup (f->agents, "chair");
  Rotation rotation = { keyring_of (f, "chair"), 0 };

  g_assert_true (gremium_media_keyring_get_epoch (rotation.keyring, &rotation.first));
  gremium_media_key_agent_set_rotation_interval (agent, 400);

  if (!gremium_test_wait_until (rotated_twice, &rotation, 10000))
    g_error ("The chair did not rotate its key on schedule");

  gremium_media_key_agent_set_rotation_interval (agent, 0);
  wait_call (f, three);

  /* Retiring went on meanwhile: m01 holds only a few of the chair's keys. */
  gremium_test_iterate (3 * GRACE_MS);
  for (guint i = 0; three[i] != NULL; i++)
    assert_no_rejections (f, three[i]);
}

typedef struct
{
  Fixture    *f;
  const char *member_id;
  guint       reason;
  guint64     count;
} RejectWait;

static gboolean
rejected (gpointer data)
{
  RejectWait *wait = data;

  return gremium_media_keyring_get_n_rejected (keyring_of (wait->f, wait->member_id), wait->reason) >= wait->count;
}

static void
send_peer (Fixture    *f,
           const char *from,
           const char *to,
           const char *body)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  gremium_client_send_peer_async (client_of (f, from), f->meeting_id, to, body, NULL,
                                  gremium_test_result_cb, &result);
  gremium_client_send_peer_finish (client_of (f, from), gremium_test_wait_result (&result), &error);
  g_assert_no_error (error);
}

typedef struct
{
  char *body;
} Captured;

static void
capture_cb (GremiumClient *client,
            const char    *meeting_id,
            const char    *from,
            const char    *body,
            Captured      *captured)
{
  if (g_str_equal (from, "m01") && gremium_peer_body_has_type (body, GREMIUM_PEER_TYPE_MEDIA_KEY))
    {
      g_free (captured->body);
      captured->body = g_strdup (body);
    }
}

static void
expect_rejected (Fixture              *f,
                 const char           *from,
                 const char           *body,
                 GremiumMediaKeyError  reason)
{
  RejectWait wait = { f, "m02", reason, 0 };

  wait.count = gremium_media_keyring_get_n_rejected (keyring_of (f, "m02"), reason) + 1;
  send_peer (f, from, "m02", body);
  if (!gremium_test_wait_until (rejected, &wait, 5000))
    g_error ("m02 did not reject a message as %s", gremium_media_key_error_to_string (reason));
}

static void
test_forged (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GremiumMediaKeyring) borrowed = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  Captured captured = { NULL };
  guint64 accepted = gremium_media_keyring_get_n_accepted (keyring_of (f, "m02"));
  gulong handler;

  /* Other peer bodies are none of the key agent's business. */
  send_peer (f, "m01", "m02", "{\"type\":\"webrtc-offer\",\"sdp\":\"v=0\"}");
  send_peer (f, "m01", "m02", "not even json");

  /* m01 claims to send the chair's key: signed with m01's own key. */
  borrowed = gremium_media_keyring_new (gremium_client_get_identity (client_of (f, "m01")), "chair",
                                        view_of (f, "m01"));
  messages = gremium_media_keyring_take_messages (borrowed);
  for (guint i = 0; i < messages->len; i++)
    {
      GremiumMediaKeyMessage *message = g_ptr_array_index (messages, i);

      if (g_str_equal (message->recipient, "m02"))
        expect_rejected (f, "m01", message->body, GREMIUM_MEDIA_KEY_ERROR_BAD_SIGNATURE);
    }
  g_assert_finalize_object (g_steal_pointer (&borrowed));

  expect_rejected (f, "m01", "{\"type\":\"media-key\",\"envelope\":{}}", GREMIUM_MEDIA_KEY_ERROR_MALFORMED);

  /* A genuine key of m01, relayed a second time. */
  handler = g_signal_connect (client_of (f, "m02"), "peer-message", G_CALLBACK (capture_cb), &captured);
  gremium_media_keyring_rotate (keyring_of (f, "m01"));
  wait_call (f, three);
  while (captured.body == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (client_of (f, "m02"), handler);
  expect_rejected (f, "m01", captured.body, GREMIUM_MEDIA_KEY_ERROR_REPLAYED);
  g_free (captured.body);

  /* Only m01's rotation was installed, and everything still works. */
  g_assert_cmpuint (gremium_media_keyring_get_n_accepted (keyring_of (f, "m02")), ==, accepted + 1);
  g_assert_cmpuint (gremium_media_keyring_get_n_rejected (keyring_of (f, "m02"),
                                                          GREMIUM_MEDIA_KEY_ERROR_MALFORMED), ==, 1);
  wait_call (f, three);
}

static gboolean
is_inactive (gpointer data)
{
  return !gremium_media_keyring_get_active (data);
}

static void
test_conflict (Fixture       *f,
               gconstpointer  data)
{
  Packet packet;
  guint64 m02_epoch = 0;

  /* The non-public item; m02 is declared befangen and must leave the room. */
  submit_ok (f, "chair", GREMIUM_KIND_AGENDA_SELECT, gremium_test_data ("item", "#2", NULL));
  submit_ok (f, "chair", GREMIUM_KIND_CONFLICT_DECLARE,
             gremium_test_data ("item", "#2", "member", "m02", "reason", "Nachbar", NULL));
  if (!gremium_test_wait_until (is_inactive, keyring_of (f, "m02"), 5000))
    g_error ("m02 stayed in the call");

  g_assert_false (gremium_media_keyring_get_member_epoch (keyring_of (f, "chair"), "m02", &m02_epoch));

  /* After the grace period the chair's media is closed to m02. */
  gremium_test_iterate (2 * GRACE_MS);
  wait_call (f, two);
  protect (f, "chair", &packet);
  g_assert_cmpint (unprotect (f, "chair", "m02", &packet), ==, GREMIUM_SFRAME_UNKNOWN_KID);

  /* Back to the public item: m02 returns. */
  submit_ok (f, "chair", GREMIUM_KIND_AGENDA_SELECT, gremium_test_data ("item", "#1", NULL));
  wait_call (f, three);
  for (guint i = 0; three[i] != NULL; i++)
    assert_no_rejections (f, three[i]);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/Gremium/MediaKeyAgent/three-way", Fixture, NULL, setup_three, test_three_way, teardown);
  g_test_add ("/Gremium/MediaKeyAgent/leave", Fixture, NULL, setup_three, test_leave, teardown);
  g_test_add ("/Gremium/MediaKeyAgent/join", Fixture, NULL, setup, test_join, teardown);
  g_test_add ("/Gremium/MediaKeyAgent/forced-rotation", Fixture, NULL, setup_three,
              test_forced_rotation, teardown);
  g_test_add ("/Gremium/MediaKeyAgent/forged", Fixture, NULL, setup_three, test_forged, teardown);
  g_test_add ("/Gremium/MediaKeyAgent/conflict", Fixture, NULL, setup_three, test_conflict, teardown);

  return g_test_run ();
}
