/* gremium-security-popover.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-security-popover"

#include "config.h"

#include "gremium-security-popover.h"
#include "gremium-ui-util.h"

#include <gremium-media-keyring.h>
#include <gremium-sframe.h>

#ifdef HAVE_GREMIUM_SECURITY_CODE
# include <gremium-security-code.h>
#endif

#include <glib/gi18n.h>

/**
 * GremiumSecurityPopover:
 *
 * The meeting's security, one click from the meeting window: whether media
 * is end-to-end encrypted, this device's current media key (its epoch), the
 * SFrame cipher suite and the AES-GCM implementation that runs it, from whom
 * the keys to the others' media arrived, the meeting security code that the
 * chair reads aloud (derived from the meeting id and every participant's
 * identity key), and the fingerprints of the server's key and this device's
 * key. While it is open it follows the key schedule.
 */
struct _GremiumSecurityPopover
{
  GtkPopover              parent_instance;

  GtkLabel               *media_label;
  GtkLabel               *epoch_label;
  GtkLabel               *method_label;
  GtkLabel               *keys_heading;
  GtkBox                 *keys_box;
  GtkScrolledWindow      *keys_scroller;
  GtkLabel               *code_label;
  GtkLabel               *server_label;
  GtkLabel               *device_label;

  GremiumSession         *session;
  GremiumMediaController *media;
  GremiumMediaKeyring    *keyring;
};

G_DEFINE_FINAL_TYPE (GremiumSecurityPopover, gremium_security_popover, GTK_TYPE_POPOVER)

#define KEY_ROWS_SHOWN 4
#define KEY_ROW_HEIGHT 40

/* An epoch is generation × 256 + ratchet step (docs/crypto.md §1). */
static char *
format_epoch (guint64 epoch)
{
  g_autofree char *number = g_strdup_printf ("%" G_GUINT64_FORMAT, epoch);

  /* Translators: a media key's epoch, e.g. "Epoch 459702424871681 (step 1)";
   * the step counts how often the key was ratcheted for newcomers
   */
  return g_strdup_printf (_("Epoch %s (step %u)"), number, GREMIUM_MEDIA_EPOCH_STEP (epoch));
}

/* One participant in the list of keys: the name, and below it what this
 * device holds of theirs. Two short lines need no wrapping.
 */
static GtkWidget *
key_row_new (const char *name,
             const char *status)
{
  g_autofree char *spoken = g_strdup_printf ("%s: %s", name, status);
  GtkWidget *row = g_object_new (GTK_TYPE_BOX,
                                 "orientation", GTK_ORIENTATION_VERTICAL,
                                 "accessible-role", GTK_ACCESSIBLE_ROLE_LIST_ITEM,
                                 NULL);
  GtkWidget *name_label = gtk_label_new (name);
  GtkWidget *status_label = gtk_label_new (status);

  gtk_label_set_xalign (GTK_LABEL (name_label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name_label), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (status_label), 0);
  gtk_widget_add_css_class (status_label, "dim-label");
  gtk_widget_add_css_class (status_label, "caption");
  gtk_box_append (GTK_BOX (row), name_label);
  gtk_box_append (GTK_BOX (row), status_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, spoken, -1);
  g_object_set_data_full (G_OBJECT (row), "gremium-text", g_steal_pointer (&spoken), g_free);

  return row;
}

static void
refresh_keys (GremiumSecurityPopover *self)
{
  GremiumMeeting *meeting = gremium_session_get_meeting (self->session);
  g_auto(GStrv) audience = NULL;
  g_autofree char *own = NULL;
  g_autofree char *heading = NULL;
  GtkWidget *child;
  guint64 epoch;
  guint n_others = 0;
  guint n_keys = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->keys_box))) != NULL)
    gtk_box_remove (self->keys_box, child);

  if (self->keyring == NULL || meeting == NULL)
    {
      gtk_label_set_label (self->epoch_label, _("No key: you are not in a meeting"));
      gtk_label_set_label (self->keys_heading, _("Keys Received"));
      return;
    }

  if (gremium_media_keyring_get_epoch (self->keyring, &epoch))
    {
      own = format_epoch (epoch);
      if (gremium_media_keyring_get_pending_epoch (self->keyring, &epoch))
        {
          g_autofree char *pending = format_epoch (epoch);
          g_autofree char *both = NULL;

          /* Translators: the current key, then the next one already sent to the others */
          both = g_strdup_printf (_("%s; next: %s"), own, pending);
          g_free (own);
          own = g_steal_pointer (&both);
        }
    }
  else if (gremium_media_keyring_get_active (self->keyring))
    own = g_strdup (_("Being made"));
  else
    own = g_strdup (_("None: you do not take part in the audio and video now"));
  gtk_label_set_label (self->epoch_label, own);

  /* Whose media this device can decrypt: everyone else in the audience
   * whose key arrived (sealed to this device and signed by its sender).
   */
  audience = gremium_media_keyring_dup_audience (self->keyring);
  for (guint i = 0; audience[i] != NULL; i++)
    {
      g_autofree char *status = NULL;
      const char *name;

      if (g_str_equal (audience[i], gremium_media_keyring_get_member_id (self->keyring)))
        continue;

      n_others++;
      name = gremium_member_name (meeting, audience[i]);
      if (gremium_media_keyring_get_member_epoch (self->keyring, audience[i], &epoch))
        {
          g_autofree char *epoch_text = format_epoch (epoch);

          n_keys++;
          /* Translators: under a participant's name: the epoch of their key this device holds */
          status = g_strdup_printf (_("Key received: %s"), epoch_text);
        }
      else
        {
          /* Translators: under a participant's name: their media key has not arrived yet */
          status = g_strdup (_("Waiting for the key"));
        }

      gtk_box_append (self->keys_box, key_row_new (name, status));
    }

  if (n_others == 0)
    {
      GtkWidget *label = gtk_label_new (_("Nobody else takes part in the audio and video yet."));

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_box_append (self->keys_box, label);
    }

  /* Up to four rows show at once; a large council scrolls. A fixed height
   * keeps the popover's size independent of how the rows measure.
   */
  gtk_scrolled_window_set_min_content_height (self->keys_scroller,
                                              MIN (MAX (n_others, 1), KEY_ROWS_SHOWN) * KEY_ROW_HEIGHT);

  /* Translators: a heading, e.g. "Keys Received (2 of 3)" */
  heading = g_strdup_printf (_("Keys Received (%u of %u)"), n_keys, n_others);
  gtk_label_set_label (self->keys_heading, heading);
}

static void
refresh (GremiumSecurityPopover *self)
{
  g_autofree char *code = gremium_security_popover_dup_code (self);
  g_autofree char *server = NULL;
  g_autofree char *device = NULL;
  g_autofree char *method = NULL;
  GremiumIdentity *identity;

  if (self->session == NULL)
    return;

  if (gremium_media_controller_get_encrypted (self->media))
    gtk_label_set_label (self->media_label,
                         _("Audio and video are end-to-end encrypted: only the participants can "
                           "decrypt them, not the server."));
  else if (self->keyring != NULL && gremium_media_controller_get_in_call (self->media) &&
           !gremium_media_keyring_get_active (self->keyring))
    gtk_label_set_label (self->media_label,
                         _("You do not take part in the audio and video of this item (for example "
                           "because of a conflict of interest). This computer sends nothing and "
                           "cannot decrypt what the others say."));
  else if (gremium_media_controller_get_available (self->media))
    gtk_label_set_label (self->media_label,
                         _("Audio and video start once the keys are exchanged. Nothing is ever "
                           "sent unencrypted."));
  else
    gtk_label_set_label (self->media_label,
                         _("Every statement, vote and message is signed and checked against the "
                           "meeting record on this computer."));

  /* Translators: the media encryption: %s is the cipher suite's
   * implementation, such as "libsodium AES-256-GCM (AES-NI, PCLMUL)"
   */
  method = g_strdup_printf (_("SFrame (RFC 9605), AES_256_GCM_SHA512_128, with %s"),
                            gremium_sframe_cipher_suite_get_implementation (GREMIUM_MEDIA_KEY_SUITE));
  gtk_label_set_label (self->method_label, method);
  refresh_keys (self);

  /* Two lines of three groups: easier to read aloud and to compare, and a
   * line that never wraps (a wrapping line changes the popover's height
   * with its width).
   */
  if (code != NULL)
    {
      g_auto(GStrv) groups = g_strsplit (code, " ", -1);
      g_autoptr(GString) lines = g_string_new (NULL);

      for (guint i = 0; groups[i] != NULL; i++)
        g_string_append_printf (lines, "%s%s", i == 0 ? "" : (i % 3 == 0 ? "\n" : " "), groups[i]);
      gtk_label_set_label (self->code_label, lines->str);
    }
  else
    {
      gtk_label_set_label (self->code_label, _("Not available yet"));
    }

  server = gremium_session_dup_server_fingerprint (self->session);
  gtk_label_set_label (self->server_label, server ? server : "");

  identity = gremium_session_get_identity (self->session);
  device = identity ? gremium_identity_dup_fingerprint (identity) : NULL;
  gtk_label_set_label (self->device_label, device ? device : "");
}

static void
keys_changed_cb (GremiumSecurityPopover *self)
{
  if (gtk_widget_get_visible (GTK_WIDGET (self)))
    refresh (self);
}

static void
meeting_changed_cb (GremiumSecurityPopover *self)
{
  GremiumMediaKeyAgent *agent = gremium_session_get_media_key_agent (self->session);
  GremiumMediaKeyring *keyring = agent ? gremium_media_key_agent_get_keyring (agent) : NULL;

  if (keyring == self->keyring)
    return;

  if (self->keyring != NULL)
    g_signal_handlers_disconnect_by_data (self->keyring, self);
  g_set_object (&self->keyring, keyring);

  if (keyring != NULL)
    {
      g_signal_connect_swapped (keyring, "key-installed", G_CALLBACK (keys_changed_cb), self);
      g_signal_connect_swapped (keyring, "keys-removed", G_CALLBACK (keys_changed_cb), self);
      g_signal_connect_swapped (keyring, "sender-key-changed", G_CALLBACK (keys_changed_cb), self);
      g_signal_connect_swapped (keyring, "sender-key-pending", G_CALLBACK (keys_changed_cb), self);
      g_signal_connect_swapped (keyring, "audience-changed", G_CALLBACK (keys_changed_cb), self);
      g_signal_connect_swapped (keyring, "notify::active", G_CALLBACK (keys_changed_cb), self);
    }
  keys_changed_cb (self);
}

static void
gremium_security_popover_dispose (GObject *object)
{
  GremiumSecurityPopover *self = (GremiumSecurityPopover *) object;

  if (self->keyring != NULL)
    g_signal_handlers_disconnect_by_data (self->keyring, self);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  if (self->media != NULL)
    g_signal_handlers_disconnect_by_data (self->media, self);
  g_clear_object (&self->keyring);
  g_clear_object (&self->session);
  g_clear_object (&self->media);

  gtk_widget_dispose_template (GTK_WIDGET (self), GREMIUM_TYPE_SECURITY_POPOVER);

  G_OBJECT_CLASS (gremium_security_popover_parent_class)->dispose (object);
}

/* The text changes before the popover measures itself, so that it opens at
 * the size of what it shows.
 */
static void
gremium_security_popover_show (GtkWidget *widget)
{
  refresh (GREMIUM_SECURITY_POPOVER (widget));

  GTK_WIDGET_CLASS (gremium_security_popover_parent_class)->show (widget);
}

static void
gremium_security_popover_class_init (GremiumSecurityPopoverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gremium_security_popover_dispose;
  widget_class->show = gremium_security_popover_show;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/gremium/Gremium/gremium-security-popover.ui");
  gtk_widget_class_bind_template_child (widget_class, GremiumSecurityPopover, media_label);
  gtk_widget_class_bind_template_child (widget_class, GremiumSecurityPopover, epoch_label);
  gtk_widget_class_bind_template_child (widget_class, GremiumSecurityPopover, method_label);
  gtk_widget_class_bind_template_child (widget_class, GremiumSecurityPopover, keys_heading);
  gtk_widget_class_bind_template_child (widget_class, GremiumSecurityPopover, keys_box);
  gtk_widget_class_bind_template_child (widget_class, GremiumSecurityPopover, keys_scroller);
  gtk_widget_class_bind_template_child (widget_class, GremiumSecurityPopover, code_label);
  gtk_widget_class_bind_template_child (widget_class, GremiumSecurityPopover, server_label);
  gtk_widget_class_bind_template_child (widget_class, GremiumSecurityPopover, device_label);
}

static void
gremium_security_popover_init (GremiumSecurityPopover *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
gremium_security_popover_set_session (GremiumSecurityPopover *self,
                                      GremiumSession         *session,
                                      GremiumMediaController *media)
{
  g_return_if_fail (GREMIUM_IS_SECURITY_POPOVER (self));
  g_return_if_fail (GREMIUM_IS_SESSION (session));
  g_return_if_fail (GREMIUM_IS_MEDIA_CONTROLLER (media));

  g_set_object (&self->session, session);
  g_set_object (&self->media, media);

  g_signal_connect_swapped (session, "notify::meeting", G_CALLBACK (meeting_changed_cb), self);
  g_signal_connect_swapped (media, "notify::encrypted", G_CALLBACK (keys_changed_cb), self);
  g_signal_connect_swapped (media, "notify::in-call", G_CALLBACK (keys_changed_cb), self);
  meeting_changed_cb (self);
}

/**
 * gremium_security_popover_dup_keys_text:
 * @self: a popover
 *
 * Returns: (transfer full): what the popover says about the keys (this
 *   device's key, the method, the keys received), one line each, for tests
 */
char *
gremium_security_popover_dup_keys_text (GremiumSecurityPopover *self)
{
  GString *text;

  g_return_val_if_fail (GREMIUM_IS_SECURITY_POPOVER (self), NULL);

  refresh (self);
  text = g_string_new (gtk_label_get_label (self->media_label));
  g_string_append_printf (text, "\n%s\n%s\n%s", gtk_label_get_label (self->epoch_label),
                          gtk_label_get_label (self->method_label),
                          gtk_label_get_label (self->keys_heading));
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->keys_box)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    g_string_append_printf (text, "\n%s", GTK_IS_LABEL (child)
                                          ? gtk_label_get_label (GTK_LABEL (child))
                                          : (const char *) g_object_get_data (G_OBJECT (child), "gremium-text"));

  return g_string_free (text, FALSE);
}

/**
 * gremium_security_popover_dup_code:
 * @self: a popover
 *
 * Returns: (transfer full) (nullable): the meeting security code, if the
 *   core library computes one in this build
 */
char *
gremium_security_popover_dup_code (GremiumSecurityPopover *self)
{
  g_return_val_if_fail (GREMIUM_IS_SECURITY_POPOVER (self), NULL);

#ifdef HAVE_GREMIUM_SECURITY_CODE
  if (self->session != NULL && gremium_session_get_meeting (self->session) != NULL)
    return gremium_security_code_compute (gremium_session_get_meeting (self->session));
#endif

  return NULL;
}
