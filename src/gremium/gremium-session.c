/* gremium-session.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-session"

#include "config.h"

#include "gremium-session.h"

#include <gremium-error.h>
#include <gremium-media-key-agent.h>
#include <gremium-teller-agent.h>
#include <gremium-vote-private.h>

#include <glib/gi18n.h>
#include <sodium.h>
#include <string.h>

/**
 * GremiumSession:
 *
 * The application's side of one member's connection: it signs in with the
 * device key kept by #GremiumIdentityStore (enrolling it the first time),
 * pins the server's key in GSettings, joins a meeting and takes the seat,
 * does the teller's part through a #GremiumTellerAgent, runs the media key
 * schedule through a #GremiumMediaKeyAgent, and turns what the
 * record says into the few events the windows announce (a mute request, a
 * changed device key, an alarm about the record).
 *
 * Widgets never talk to #GremiumClient directly; everything they submit
 * goes through here, so that the ui tests can drive the same paths.
 */
struct _GremiumSession
{
  GObject               parent_instance;

  GSettings            *settings;
  GremiumIdentityStore *store;
  GremiumIdentity      *fixed_identity;

  GremiumClient        *client;
  char                 *url;
  char                 *member_id;
  gulong                alarm_handler;
  gulong                reconnected_handler;
  gulong                state_handler;

  GremiumMeeting       *meeting;
  char                 *meeting_id;
  GremiumTellerAgent   *teller;
  GremiumMediaKeyAgent *media_keys;
  GremiumMember        *me;
  gulong                entry_handler;
  gulong                mute_handler;
  gulong                presence_handler;
  gboolean              is_chair;
};

G_DEFINE_FINAL_TYPE (GremiumSession, gremium_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_MEETING,
  PROP_CONNECTION_STATE,
  PROP_PRESENCE,
  PROP_IS_CHAIR,
  N_PROPS
};

enum {
  RECORD_ALARM,
  KEY_CHANGED,
  MUTE_REQUESTED,
  RECONNECTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* The settings "server-keys" and "member-keys" are a{ss} maps. */
static char *
map_lookup (GSettings  *settings,
            const char *key,
            const char *name)
{
  g_autoptr(GVariant) map = g_settings_get_value (settings, key);
  char *value = NULL;

  g_variant_lookup (map, name, "s", &value);
  return value;
}

static GVariant *
map_with (GSettings  *settings,
          const char *key,
          const char *name,
          const char *value)
{
  g_autoptr(GVariant) map = g_settings_get_value (settings, key);
  GVariantBuilder builder;
  GVariantIter iter;
  const char *k;
  const char *v;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  g_variant_iter_init (&iter, map);
  while (g_variant_iter_next (&iter, "{&s&s}", &k, &v))
    if (!g_str_equal (k, name))
      g_variant_builder_add (&builder, "{ss}", k, v);
  g_variant_builder_add (&builder, "{ss}", name, value);

  return g_variant_builder_end (&builder);
}

static void
update_is_chair (GremiumSession *self)
{
  gboolean is_chair = self->meeting != NULL &&
                      gremium_meeting_has_chair_powers (self->meeting, self->member_id);

  if (is_chair == self->is_chair)
    return;

  self->is_chair = is_chair;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_CHAIR]);
}

/* Compares every member's device keys with the ones this device saw before
 * (GSettings "member-keys") and announces each member with a key it has not
 * seen. A first sight pins silently: that is trust on first use, as for the
 * server key.
 */
static void
check_member_keys (GremiumSession *self)
{
  GListModel *members = gremium_meeting_get_members (self->meeting);
  g_autoptr(GPtrArray) changed = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < g_list_model_get_n_items (members); i++)
    {
      g_autoptr(GremiumMember) member = g_list_model_get_item (members, i);
      g_autofree char *map_key = g_strdup_printf ("%s %s", self->url, gremium_member_get_id (member));
      g_autoptr(GString) keys = g_string_new (NULL);
      g_autofree char *seen = map_lookup (self->settings, "member-keys", map_key);
      g_auto(GStrv) seen_keys = g_strsplit (seen ? seen : "", " ", -1);
      gboolean new_key = FALSE;

      for (guint k = 0; k < gremium_member_get_n_keys (member); k++)
        {
          g_autofree char *text = gremium_base64_encode (gremium_member_get_key (member, k),
                                                         GREMIUM_PUBLIC_KEY_SIZE);

          if (seen != NULL && seen[0] != '\0' && !g_strv_contains ((const char * const *) seen_keys, text))
            new_key = TRUE;
          g_string_append_printf (keys, "%s%s", keys->len ? " " : "", text);
        }

      if (g_strcmp0 (seen, keys->str) != 0)
        g_settings_set_value (self->settings, "member-keys",
                              map_with (self->settings, "member-keys", map_key, keys->str));

      if (new_key)
        g_ptr_array_add (changed, g_strdup (gremium_member_get_id (member)));
    }

  for (guint i = 0; i < changed->len; i++)
    g_signal_emit (self, signals[KEY_CHANGED], 0, g_ptr_array_index (changed, i));
}

static void
entry_applied_cb (GremiumSession     *self,
                  GremiumRecordEntry *entry,
                  GremiumMeeting     *meeting)
{
  const char *kind = gremium_statement_get_kind (gremium_record_entry_get_statement (entry));

  if (g_str_equal (kind, GREMIUM_KIND_ROSTER_KEY_ADD) ||
      g_str_equal (kind, GREMIUM_KIND_ROSTER_KEY_REVOKE))
    check_member_keys (self);

  update_is_chair (self);
}

static void
mute_requested_cb (GremiumSession *self,
                   const char     *member_id,
                   const char     *chair_id,
                   GremiumMeeting *meeting)
{
  if (member_id == NULL || g_strcmp0 (member_id, self->member_id) == 0)
    g_signal_emit (self, signals[MUTE_REQUESTED], 0, member_id == NULL);
}

static void
presence_cb (GremiumSession *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRESENCE]);
  update_is_chair (self);
}

static void
record_alarm_cb (GremiumSession *self,
                 const char     *meeting_id,
                 const char     *message,
                 GremiumClient  *client)
{
  if (g_strcmp0 (meeting_id, self->meeting_id) == 0)
    g_signal_emit (self, signals[RECORD_ALARM], 0, message);
}

static void
reconnected_cb (GremiumSession *self)
{
  g_signal_emit (self, signals[RECONNECTED], 0);
}

static void
client_state_cb (GremiumSession *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTION_STATE]);
}

static void
drop_meeting (GremiumSession *self)
{
  if (self->meeting != NULL)
    {
      g_clear_signal_handler (&self->entry_handler, self->meeting);
      g_clear_signal_handler (&self->mute_handler, self->meeting);
    }
  if (self->me != NULL)
    g_clear_signal_handler (&self->presence_handler, self->me);

  g_clear_object (&self->teller);
  g_clear_object (&self->media_keys);
  g_clear_object (&self->me);
  g_clear_pointer (&self->meeting_id, g_free);

  if (self->meeting != NULL)
    {
      g_clear_object (&self->meeting);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEETING]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRESENCE]);
      update_is_chair (self);
    }
}

static void
drop_client (GremiumSession *self)
{
  drop_meeting (self);

  if (self->client != NULL)
    {
      g_clear_signal_handler (&self->alarm_handler, self->client);
      g_clear_signal_handler (&self->reconnected_handler, self->client);
      g_clear_signal_handler (&self->state_handler, self->client);
      gremium_client_disconnect (self->client);
      g_clear_object (&self->client);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTION_STATE]);
    }

  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->member_id, g_free);
}

static void
gremium_session_dispose (GObject *object)
{
  GremiumSession *self = (GremiumSession *) object;

  drop_client (self);
  g_clear_object (&self->fixed_identity);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (gremium_session_parent_class)->dispose (object);
}

static void
gremium_session_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  GremiumSession *self = GREMIUM_SESSION (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    case PROP_MEETING:
      g_value_set_object (value, self->meeting);
      break;

    case PROP_CONNECTION_STATE:
      g_value_set_int (value, self->client ? gremium_client_get_state (self->client)
                                           : GREMIUM_CLIENT_STATE_DISCONNECTED);
      break;

    case PROP_PRESENCE:
      g_value_set_int (value, self->me ? gremium_member_get_presence (self->me)
                                       : GREMIUM_PRESENCE_ABSENT);
      break;

    case PROP_IS_CHAIR:
      g_value_set_boolean (value, self->is_chair);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gremium_session_class_init (GremiumSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gremium_session_dispose;
  object_class->get_property = gremium_session_get_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, GREMIUM_TYPE_CLIENT,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_MEETING] =
    g_param_spec_object ("meeting", NULL, NULL, GREMIUM_TYPE_MEETING,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CONNECTION_STATE] =
    g_param_spec_int ("connection-state", NULL, NULL, 0, GREMIUM_CLIENT_STATE_RECONNECTING,
                      GREMIUM_CLIENT_STATE_DISCONNECTED,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PRESENCE] =
    g_param_spec_int ("presence", NULL, NULL, 0, GREMIUM_PRESENCE_PRESENT, GREMIUM_PRESENCE_ABSENT,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_IS_CHAIR] =
    g_param_spec_boolean ("is-chair", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * GremiumSession::record-alarm:
   * @self: the session
   * @message: what failed (English, for the details)
   *
   * The record of the joined meeting failed verification; nothing the
   * server shows about it can be trusted any more.
   */
  signals[RECORD_ALARM] =
    g_signal_new ("record-alarm", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * GremiumSession::key-changed:
   * @self: the session
   * @member_id: the member with a device key not seen before
   */
  signals[KEY_CHANGED] =
    g_signal_new ("key-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * GremiumSession::mute-requested:
   * @self: the session
   * @everyone: whether the chair asked everyone rather than this member
   */
  signals[MUTE_REQUESTED] =
    g_signal_new ("mute-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);

  /**
   * GremiumSession::reconnected:
   * @self: the session
   *
   * The connection came back and the meeting caught up.
   */
  signals[RECONNECTED] =
    g_signal_new ("reconnected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
}

static void
gremium_session_init (GremiumSession *self)
{
}

GremiumSession *
gremium_session_new (GSettings            *settings,
                     GremiumIdentityStore *store)
{
  GremiumSession *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (GREMIUM_IS_IDENTITY_STORE (store), NULL);

  self = g_object_new (GREMIUM_TYPE_SESSION, NULL);
  self->settings = g_object_ref (settings);
  self->store = g_object_ref (store);

  return self;
}

GSettings *
gremium_session_get_settings (GremiumSession *self)
{
  g_return_val_if_fail (GREMIUM_IS_SESSION (self), NULL);

  return self->settings;
}

GremiumIdentityStore *
gremium_session_get_store (GremiumSession *self)
{
  g_return_val_if_fail (GREMIUM_IS_SESSION (self), NULL);

  return self->store;
}

/**
 * gremium_session_set_identity:
 * @self: a session
 * @identity: (nullable): an identity to use instead of the store's
 *
 * Uses @identity for every sign-in, as `gremium --identity FILE` does for
 * the demo and for kiosks such as the public-room display.
 */
void
gremium_session_set_identity (GremiumSession  *self,
                              GremiumIdentity *identity)
{
  g_return_if_fail (GREMIUM_IS_SESSION (self));

  g_set_object (&self->fixed_identity, identity);
}

/**
 * gremium_session_get_identity:
 * @self: a session
 *
 * Returns: (transfer none) (nullable): the identity signed in with
 */
GremiumIdentity *
gremium_session_get_identity (GremiumSession *self)
{
  g_return_val_if_fail (GREMIUM_IS_SESSION (self), NULL);

  if (self->client != NULL)
    return gremium_client_get_identity (self->client);

  return self->fixed_identity;
}

static gboolean
is_loopback (const char *host)
{
  return g_str_equal (host, "localhost") || g_str_has_prefix (host, "127.") ||
         g_str_equal (host, "::1") || g_str_equal (host, "[::1]");
}

/**
 * gremium_session_normalize_url:
 * @text: what the user typed
 * @error: return location for a translated error
 *
 * Completes a server address the way people type it: `rat.example.org`
 * becomes `wss://rat.example.org/gremium/v1`. Plain `ws://` is accepted
 * only for this computer, as the server accepts it only there.
 *
 * Returns: (transfer full) (nullable): the address to connect to
 */
char *
gremium_session_normalize_url (const char  *text,
                               GError     **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (text ? text : ""));
  g_autofree char *full = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;
  const char *path;

  if (trimmed[0] == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Enter the address of your council’s server."));
      return NULL;
    }

  full = strstr (trimmed, "://") ? g_strdup (trimmed) : g_strconcat ("wss://", trimmed, NULL);
  uri = g_uri_parse (full, G_URI_FLAGS_NONE, NULL);
  scheme = uri ? g_uri_get_scheme (uri) : NULL;
  host = uri ? g_uri_get_host (uri) : NULL;

  if (uri == NULL || host == NULL || host[0] == '\0' || strchr (host, ' ') != NULL ||
      (g_strcmp0 (scheme, "ws") != 0 && g_strcmp0 (scheme, "wss") != 0) ||
      g_uri_get_query (uri) != NULL || g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("This is not a server address. It looks like "
                             "wss://rat.example.org/gremium/v1."));
      return NULL;
    }

  if (g_str_equal (scheme, "ws") && !is_loopback (host))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Unencrypted connections (ws://) are only possible to this "
                             "computer. Use an address that starts with wss://."));
      return NULL;
    }

  path = g_uri_get_path (uri);
  if (path == NULL || path[0] == '\0' || g_str_equal (path, "/"))
    {
      g_autoptr(GUri) completed = g_uri_build (G_URI_FLAGS_NONE, scheme, NULL, host,
                                               g_uri_get_port (uri), "/gremium/v1", NULL, NULL);

      return g_uri_to_string (completed);
    }

  return g_uri_to_string (uri);
}

static char *
enrolled_key (const char *url,
              const char *member_id)
{
  return g_strdup_printf ("%s %s", url, member_id);
}

/**
 * gremium_session_is_enrolled:
 * @self: a session
 * @url: a normalized server address
 * @member_id: a member id
 *
 * Returns: whether this device enrolled a key for @member_id at @url before,
 *   so that no enrolment code is needed
 */
gboolean
gremium_session_is_enrolled (GremiumSession *self,
                             const char     *url,
                             const char     *member_id)
{
  g_auto(GStrv) enrolled = NULL;
  g_autofree char *key = NULL;

  g_return_val_if_fail (GREMIUM_IS_SESSION (self), FALSE);

  if (url == NULL || member_id == NULL)
    return FALSE;

  enrolled = g_settings_get_strv (self->settings, "enrolled");
  key = enrolled_key (url, member_id);

  return g_strv_contains ((const char * const *) enrolled, key);
}

static void
remember_sign_in (GremiumSession *self)
{
  g_auto(GStrv) enrolled = g_settings_get_strv (self->settings, "enrolled");
  g_autofree char *key = enrolled_key (self->url, self->member_id);

  g_settings_delay (self->settings);

  g_settings_set_value (self->settings, "server-keys",
                        map_with (self->settings, "server-keys", self->url,
                                  gremium_client_get_server_key (self->client)));

  if (!g_strv_contains ((const char * const *) enrolled, key))
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) updated = NULL;

      g_strv_builder_addv (builder, (const char **) enrolled);
      g_strv_builder_add (builder, key);
      updated = g_strv_builder_end (builder);
      g_settings_set_strv (self->settings, "enrolled", (const char * const *) updated);
    }

  g_settings_set_string (self->settings, "server-url", self->url);
  g_settings_set_string (self->settings, "member-id", self->member_id);
  g_settings_apply (self->settings);
}

typedef struct
{
  char            *url;
  char            *member_id;
  char            *code;
  char            *passphrase;
  GremiumIdentity *identity;
} SignInData;

static void
sign_in_data_free (SignInData *data)
{
  g_free (data->url);
  g_free (data->member_id);
  g_free (data->code);
  if (data->passphrase != NULL)
    {
      sodium_memzero (data->passphrase, strlen (data->passphrase));
      g_free (data->passphrase);
    }
  g_clear_object (&data->identity);
  g_free (data);
}

static void
connected_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GremiumClient *client = GREMIUM_CLIENT (object);
  g_autoptr(GTask) task = user_data;
  GremiumSession *self = g_task_get_source_object (task);
  SignInData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (data->code != NULL)
    ok = gremium_client_enrol_finish (client, result, &error);
  else
    ok = gremium_client_connect_finish (client, result, &error);

  /* Signed out (or signed in again) while this was under way. */
  if (client != self->client)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Signed out");
      return;
    }

  if (!ok)
    {
      drop_client (self);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  remember_sign_in (self);
  g_task_return_boolean (task, TRUE);
}

static void
start_client (GremiumSession *self,
              GTask          *task)
{
  SignInData *data = g_task_get_task_data (task);
  g_autofree char *pinned = map_lookup (self->settings, "server-keys", data->url);

  drop_client (self);

  self->url = g_strdup (data->url);
  self->member_id = g_strdup (data->member_id);
  self->client = gremium_client_new (data->url, data->identity, data->member_id);
  gremium_client_set_pinned_server_key (self->client, pinned);

  self->alarm_handler = g_signal_connect_swapped (self->client, "record-alarm",
                                                  G_CALLBACK (record_alarm_cb), self);
  self->reconnected_handler = g_signal_connect_swapped (self->client, "reconnected",
                                                        G_CALLBACK (reconnected_cb), self);
  self->state_handler = g_signal_connect_swapped (self->client, "notify::state",
                                                  G_CALLBACK (client_state_cb), self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);

  if (data->code != NULL)
    gremium_client_enrol_async (self->client, data->code, g_task_get_cancellable (task),
                                connected_cb, task);
  else
    gremium_client_connect_async (self->client, g_task_get_cancellable (task), connected_cb, task);
}

static void
identity_saved_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GremiumSession *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!gremium_identity_store_save_finish (GREMIUM_IDENTITY_STORE (object), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  start_client (self, g_steal_pointer (&task));
}

static void
identity_found_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GremiumSession *self = g_task_get_source_object (task);
  SignInData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;

  data->identity = gremium_identity_store_lookup_finish (GREMIUM_IDENTITY_STORE (object), result,
                                                         &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (data->identity != NULL)
    {
      start_client (self, g_steal_pointer (&task));
      return;
    }

  if (data->code == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("This device has no key for this member yet. Enter the "
                                 "enrolment code you received from the administration."));
      return;
    }

  /* A new device key, kept before it is enrolled: if the enrolment fails,
   * the next attempt uses the same key rather than leaving one behind.
   */
  data->identity = gremium_identity_new ();
  cancellable = g_task_get_cancellable (task);
  gremium_identity_store_save_async (self->store, data->url, data->member_id, data->identity,
                                     data->passphrase, cancellable,
                                     identity_saved_cb, g_steal_pointer (&task));
}

static gboolean
is_valid_member_id (const char *id)
{
  if (id == NULL || id[0] == '\0' || strlen (id) > 64 || !(g_ascii_islower (id[0]) || g_ascii_isdigit (id[0])))
    return FALSE;

  for (const char *p = id; *p; p++)
    if (!(g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '.' || *p == '_' || *p == '-'))
      return FALSE;

  return TRUE;
}

/**
 * gremium_session_sign_in_async:
 * @self: a session
 * @url: the server address as typed
 * @member_id: the member id from the administration
 * @code: (nullable): the one-time enrolment code, on first use
 * @passphrase: (nullable): the passphrase of the fallback key file
 * @cancellable: (nullable): a cancellable
 * @callback: called when signed in, or failed with a translatable error
 * @user_data: data for @callback
 *
 * Signs in: finds this device's key for the member (creating and keeping a
 * new one for an enrolment), connects, checks the server key against the
 * pinned one and logs in or enrols.
 */
void
gremium_session_sign_in_async (GremiumSession      *self,
                               const char          *url,
                               const char          *member_id,
                               const char          *code,
                               const char          *passphrase,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *normalized = NULL;
  g_autofree char *member = NULL;
  SignInData *data;

  g_return_if_fail (GREMIUM_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gremium_session_sign_in_async);

  normalized = gremium_session_normalize_url (url, &error);
  if (normalized == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  member = g_strstrip (g_ascii_strdown (member_id ? member_id : "", -1));
  if (!is_valid_member_id (member))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("Enter your member id as the administration gave it to you, "
                                 "for example “mueller”."));
      return;
    }

  data = g_new0 (SignInData, 1);
  data->url = g_steal_pointer (&normalized);
  data->member_id = g_steal_pointer (&member);
  data->code = code && code[0] ? g_strstrip (g_strdup (code)) : NULL;
  data->passphrase = g_strdup (passphrase);
  g_task_set_task_data (task, data, (GDestroyNotify) sign_in_data_free);

  if (self->fixed_identity != NULL)
    {
      data->identity = g_object_ref (self->fixed_identity);
      start_client (self, g_steal_pointer (&task));
      return;
    }

  gremium_identity_store_lookup_async (self->store, data->url, data->member_id, data->passphrase,
                                       cancellable, identity_found_cb, g_steal_pointer (&task));
}

gboolean
gremium_session_sign_in_finish (GremiumSession  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * gremium_session_sign_out:
 * @self: a session
 *
 * Leaves the meeting (if any) and closes the connection.
 */
void
gremium_session_sign_out (GremiumSession *self)
{
  g_return_if_fail (GREMIUM_IS_SESSION (self));

  gremium_session_leave (self);
  drop_client (self);
}

static void
listed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  JsonArray *meetings;

  meetings = gremium_client_list_meetings_finish (GREMIUM_CLIENT (object), result, &error);
  if (meetings == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, meetings, (GDestroyNotify) json_array_unref);
}

void
gremium_session_list_meetings_async (GremiumSession      *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (GREMIUM_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gremium_session_list_meetings_async);

  if (self->client == NULL)
    {
      g_task_return_new_error (task, GREMIUM_ERROR, GREMIUM_ERROR_NOT_AUTHENTICATED,
                               "Not signed in");
      return;
    }

  gremium_client_list_meetings_async (self->client, cancellable, listed_cb, g_steal_pointer (&task));
}

/**
 * gremium_session_list_meetings_finish:
 * @self: a session
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the member's meetings (docs/protocol.md §4.1)
 */
JsonArray *
gremium_session_list_meetings_finish (GremiumSession  *self,
                                      GAsyncResult    *result,
                                      GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* A statement of the session's own (taking the seat, or any other) was
 * acknowledged or refused.
 */
static void
submitted_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!gremium_client_submit_finish (GREMIUM_CLIENT (object), result, NULL, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
joined_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GremiumClient *client = GREMIUM_CLIENT (object);
  g_autoptr(GTask) task = user_data;
  GremiumSession *self = g_task_get_source_object (task);
  g_autoptr(GremiumMeeting) meeting = NULL;
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;
  GremiumMember *me;

  meeting = gremium_client_join_meeting_finish (client, result, &error);
  if (meeting == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (client != self->client)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Signed out");
      return;
    }

  me = gremium_meeting_lookup_member (meeting, self->member_id);
  if (me == NULL)
    {
      g_task_return_new_error (task, GREMIUM_ERROR, GREMIUM_ERROR_UNKNOWN_MEETING,
                               "Not on the roster");
      return;
    }

  drop_meeting (self);
  self->meeting = g_object_ref (meeting);
  self->meeting_id = g_strdup (gremium_meeting_get_id (meeting));
  self->me = g_object_ref (me);
  self->entry_handler = g_signal_connect_swapped (meeting, "entry-applied",
                                                  G_CALLBACK (entry_applied_cb), self);
  self->mute_handler = g_signal_connect_swapped (meeting, "mute-requested",
                                                 G_CALLBACK (mute_requested_cb), self);
  self->presence_handler = g_signal_connect_swapped (me, "notify::presence",
                                                     G_CALLBACK (presence_cb), self);

  /* The teller's part runs by itself whenever a vote names this member. */
  self->teller = gremium_teller_agent_new (client, self->meeting_id);
  /* The media keys before the seat: the others send their keys the moment
   * the record shows us present, and the agent must be there to take them
   * (docs/crypto.md).
   */
  self->media_keys = gremium_media_key_agent_new (client, self->meeting_id);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEETING]);
  update_is_chair (self);
  check_member_keys (self);

  if (gremium_meeting_get_closed (meeting) ||
      gremium_member_get_presence (me) != GREMIUM_PRESENCE_ABSENT)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  cancellable = g_task_get_cancellable (task);
  gremium_client_submit_async (client, self->meeting_id, GREMIUM_KIND_ATTENDANCE_JOIN, NULL,
                               cancellable, submitted_cb, g_steal_pointer (&task));
}

/**
 * gremium_session_join_async:
 * @self: a signed-in session
 * @meeting_id: one of the member's meetings
 * @cancellable: (nullable): a cancellable
 * @callback: called when the record is verified and the seat taken (present
 *   or waiting in the lobby)
 * @user_data: data for @callback
 */
void
gremium_session_join_async (GremiumSession      *self,
                            const char          *meeting_id,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (GREMIUM_IS_SESSION (self));
  g_return_if_fail (meeting_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gremium_session_join_async);

  if (self->client == NULL)
    {
      g_task_return_new_error (task, GREMIUM_ERROR, GREMIUM_ERROR_NOT_AUTHENTICATED,
                               "Not signed in");
      return;
    }

  gremium_client_join_meeting_async (self->client, meeting_id, cancellable, joined_cb,
                                     g_steal_pointer (&task));
}

gboolean
gremium_session_join_finish (GremiumSession  *self,
                             GAsyncResult    *result,
                             GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * gremium_session_get_media_key_agent:
 * @self: a session
 *
 * The media key schedule of the joined meeting: its keyring holds this
 * member's SFrame sender and the receivers of the others' media.
 *
 * Returns: (transfer none) (nullable): the agent, while a meeting is joined
 */
GremiumMediaKeyAgent *
gremium_session_get_media_key_agent (GremiumSession *self)
{
  g_return_val_if_fail (GREMIUM_IS_SESSION (self), NULL);

  return self->media_keys;
}

/**
 * gremium_session_leave:
 * @self: a session
 *
 * Gives up the seat in the meeting (an `attendance.leave` statement) and
 * stops following it. The connection stays for the list of meetings.
 */
void
gremium_session_leave (GremiumSession *self)
{
  g_return_if_fail (GREMIUM_IS_SESSION (self));

  if (self->meeting == NULL)
    return;

  if (self->me != NULL && gremium_member_get_presence (self->me) != GREMIUM_PRESENCE_ABSENT &&
      !gremium_meeting_get_closed (self->meeting) && self->client != NULL &&
      gremium_client_get_state (self->client) == GREMIUM_CLIENT_STATE_CONNECTED)
    {
      g_autoptr(JsonObject) data = json_object_new ();

      json_object_set_string_member (data, "member", self->member_id);
      json_object_set_string_member (data, "reason", "left");
      gremium_client_submit_async (self->client, self->meeting_id, GREMIUM_KIND_ATTENDANCE_LEAVE,
                                   data, NULL, NULL, NULL);
    }

  drop_meeting (self);
}

/**
 * gremium_session_submit_async:
 * @self: a session in a meeting
 * @kind: the statement kind (docs/record.md §5, docs/voting.md §5)
 * @data: (nullable): the statement's data
 * @cancellable: (nullable): a cancellable
 * @callback: called when the statement is in the record and its receipt checked
 * @user_data: data for @callback
 */
void
gremium_session_submit_async (GremiumSession      *self,
                              const char          *kind,
                              JsonObject          *data,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (GREMIUM_IS_SESSION (self));
  g_return_if_fail (kind != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gremium_session_submit_async);

  if (self->client == NULL || self->meeting_id == NULL)
    {
      g_task_return_new_error (task, GREMIUM_ERROR, GREMIUM_ERROR_NOT_PARTICIPANT,
                               "Not in a meeting");
      return;
    }

  gremium_client_submit_async (self->client, self->meeting_id, kind, data, cancellable,
                               submitted_cb, g_steal_pointer (&task));
}

gboolean
gremium_session_submit_finish (GremiumSession  *self,
                               GAsyncResult    *result,
                               GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
ballot_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!gremium_client_submit_finish (GREMIUM_CLIENT (object), result, NULL, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_strdup (g_task_get_task_data (task)), g_free);
}

/**
 * gremium_session_cast_ballot_async:
 * @self: a session in a meeting
 * @vote: an open vote
 * @choice: the option index, or -1 to abstain in an election
 * @cancellable: (nullable): a cancellable
 * @callback: called when the ballot is in the record and its receipt (the
 *   inclusion proof in a signed checkpoint) verified
 * @user_data: data for @callback
 *
 * Builds the ballot (for a secret vote: encrypted for the tellers' joint
 * key, with its proofs) and submits it.
 */
void
gremium_session_cast_ballot_async (GremiumSession      *self,
                                   GremiumVote         *vote,
                                   gint                 choice,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonObject) ballot = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *choices = NULL;
  char *tracker = NULL;
  guint n_options;

  g_return_if_fail (GREMIUM_IS_SESSION (self));
  g_return_if_fail (GREMIUM_IS_VOTE (vote));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gremium_session_cast_ballot_async);

  n_options = gremium_vote_get_n_options (vote);
  if (choice >= (gint) n_options ||
      (choice < 0 && gremium_vote_get_vote_type (vote) != GREMIUM_VOTE_TYPE_ELECTION))
    {
      g_task_return_new_error (task, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                               "No such option");
      return;
    }

  choices = g_new0 (guint8, n_options);
  if (choice >= 0)
    choices[choice] = 1;

  ballot = gremium_vote_build_ballot (vote, self->member_id, choices, n_options, &tracker, &error);
  if (ballot == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_set_task_data (task, tracker, g_free);
  gremium_client_submit_async (self->client, self->meeting_id, GREMIUM_KIND_VOTE_BALLOT, ballot,
                               cancellable, ballot_cb, g_steal_pointer (&task));
}

/**
 * gremium_session_cast_ballot_finish:
 * @self: a session
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the ballot's tracker; for an open
 *   vote, which has none, an empty string
 */
char *
gremium_session_cast_ballot_finish (GremiumSession  *self,
                                    GAsyncResult    *result,
                                    GError         **error)
{
  char *tracker;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  tracker = g_task_propagate_pointer (G_TASK (result), error);
  if (tracker == NULL && (error == NULL || *error == NULL))
    return g_strdup ("");

  return tracker;
}

static void
add_strings (JsonObject         *object,
             const char         *name,
             const char * const *strings)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; strings != NULL && strings[i] != NULL; i++)
    json_array_add_string_element (array, strings[i]);
  json_object_set_array_member (object, name, array);
}

/**
 * gremium_session_build_vote_open:
 * @self: a session in a meeting
 * @type: the kind of vote
 * @question: the motion or the office to fill
 * @options: the options, or the candidates of an election
 * @majority: the majority rule (ignored for an election)
 * @tellers: (nullable): the tellers of a secret vote or election
 * @limit: seconds to vote, 0 for no limit
 * @runoff_of: (nullable): the election this one is the runoff of
 * @error: return location for a translated error
 *
 * Builds the data of a `vote.open` statement. The eligible voters are not
 * the chair's choice: they are computed from the record (present voting
 * members not excluded from the current item, docs/voting.md §5.1).
 *
 * Returns: (transfer full) (nullable): the data
 */
JsonObject *
gremium_session_build_vote_open (GremiumSession      *self,
                                 GremiumVoteType      type,
                                 const char          *question,
                                 const char * const  *options,
                                 GremiumMajority      majority,
                                 const char * const  *tellers,
                                 guint                limit,
                                 const char          *runoff_of,
                                 GError             **error)
{
  g_autoptr(JsonObject) data = NULL;
  g_auto(GStrv) eligible = NULL;
  g_autofree char *vote_id = NULL;
  g_autofree char *trimmed = NULL;
  gboolean secret = type == GREMIUM_VOTE_TYPE_SECRET || type == GREMIUM_VOTE_TYPE_ELECTION;
  guint n_options = options ? g_strv_length ((char **) options) : 0;
  guint n = 1;

  g_return_val_if_fail (GREMIUM_IS_SESSION (self), NULL);
  g_return_val_if_fail (self->meeting != NULL, NULL);

  trimmed = g_strstrip (g_strdup (question ? question : ""));
  if (trimmed[0] == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Enter the question to vote on."));
      return NULL;
    }

  if (n_options < (type == GREMIUM_VOTE_TYPE_ELECTION ? 1u : 2u))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           type == GREMIUM_VOTE_TYPE_ELECTION
                             ? _("Name at least one candidate.")
                             : _("A vote needs at least two options."));
      return NULL;
    }

  if (secret && (tellers == NULL || tellers[0] == NULL))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("A secret vote needs at least one teller."));
      return NULL;
    }

  if (gremium_meeting_get_current_item (self->meeting) == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Call an agenda item first; every vote belongs to one."));
      return NULL;
    }

  eligible = gremium_meeting_dup_eligible (self->meeting);

  /* Vote ids only need to be unique within the meeting. */
  do
    {
      g_free (vote_id);
      vote_id = g_strdup_printf ("%c%u", type == GREMIUM_VOTE_TYPE_ELECTION ? 'w' : 'v', n++);
    }
  while (gremium_meeting_lookup_vote (self->meeting, vote_id) != NULL);

  data = json_object_new ();
  json_object_set_string_member (data, "vote", vote_id);
  json_object_set_string_member (data, "type", gremium_vote_type_to_string (type));
  json_object_set_string_member (data, "question", trimmed);
  add_strings (data, "options", options);
  add_strings (data, "eligible", (const char * const *) eligible);
  json_object_set_string_member (data, "majority",
                                 gremium_majority_to_string (type == GREMIUM_VOTE_TYPE_ELECTION
                                                               ? GREMIUM_MAJORITY_ELECTION
                                                               : majority));
  add_strings (data, "tellers", secret ? tellers : NULL);
  json_object_set_int_member (data, "limit", limit);
  if (runoff_of != NULL && type == GREMIUM_VOTE_TYPE_ELECTION)
    json_object_set_string_member (data, "runoff_of", runoff_of);

  return g_steal_pointer (&data);
}

/**
 * gremium_session_build_quorum_confirm:
 * @self: a session in a meeting
 *
 * Returns: (transfer full): the data of a `quorum.confirm` statement with the
 *   quorum as the record computes it now
 */
JsonObject *
gremium_session_build_quorum_confirm (GremiumSession *self)
{
  JsonObject *data;
  GremiumQuorum quorum;

  g_return_val_if_fail (GREMIUM_IS_SESSION (self), NULL);
  g_return_val_if_fail (self->meeting != NULL, NULL);

  gremium_meeting_get_quorum (self->meeting, &quorum);
  data = json_object_new ();
  json_object_set_int_member (data, "members", quorum.members);
  json_object_set_int_member (data, "present", quorum.present);
  json_object_set_int_member (data, "required", quorum.required);
  json_object_set_boolean_member (data, "reached", quorum.reached);

  return data;
}

GremiumClient *
gremium_session_get_client (GremiumSession *self)
{
  g_return_val_if_fail (GREMIUM_IS_SESSION (self), NULL);

  return self->client;
}

GremiumMeeting *
gremium_session_get_meeting (GremiumSession *self)
{
  g_return_val_if_fail (GREMIUM_IS_SESSION (self), NULL);

  return self->meeting;
}

const char *
gremium_session_get_member_id (GremiumSession *self)
{
  g_return_val_if_fail (GREMIUM_IS_SESSION (self), NULL);

  return self->member_id;
}

GremiumMember *
gremium_session_get_me (GremiumSession *self)
{
  g_return_val_if_fail (GREMIUM_IS_SESSION (self), NULL);

  return self->me;
}

/**
 * gremium_session_get_is_chair:
 * @self: a session
 *
 * Returns: whether the member holds the chair's powers in the meeting now
 */
gboolean
gremium_session_get_is_chair (GremiumSession *self)
{
  g_return_val_if_fail (GREMIUM_IS_SESSION (self), FALSE);

  return self->is_chair;
}

/**
 * gremium_session_get_may_chair:
 * @self: a session
 *
 * Returns: whether the member's role is chair or deputy, so that the
 *   meeting-control window is offered (the server checks every action)
 */
gboolean
gremium_session_get_may_chair (GremiumSession *self)
{
  GremiumRole role;

  g_return_val_if_fail (GREMIUM_IS_SESSION (self), FALSE);

  if (self->me == NULL)
    return FALSE;

  role = gremium_member_get_role (self->me);
  return role == GREMIUM_ROLE_CHAIR || role == GREMIUM_ROLE_DEPUTY;
}

/**
 * gremium_session_dup_server_fingerprint:
 * @self: a session
 *
 * Returns: (transfer full) (nullable): the pinned server key's fingerprint
 */
char *
gremium_session_dup_server_fingerprint (GremiumSession *self)
{
  guint8 key[GREMIUM_PUBLIC_KEY_SIZE];
  const char *text;

  g_return_val_if_fail (GREMIUM_IS_SESSION (self), NULL);

  text = self->client ? gremium_client_get_server_key (self->client) : NULL;
  if (text == NULL || !gremium_base64_decode_exact (text, key, sizeof key, NULL))
    return NULL;

  return gremium_public_key_fingerprint (key);
}
