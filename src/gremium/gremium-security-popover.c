/* gremium-security-popover.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-security-popover"

#include "config.h"

#include "gremium-security-popover.h"

#ifdef HAVE_GREMIUM_SECURITY_CODE
# include <gremium-security-code.h>
#endif

#include <glib/gi18n.h>

/**
 * GremiumSecurityPopover:
 *
 * The meeting's security, one click from the meeting window: whether media
 * is end-to-end encrypted, the meeting security code that the chair reads
 * aloud (derived from the meeting id and every participant's identity
 * key), and the fingerprints of the server's key and this device's key.
 */
struct _GremiumSecurityPopover
{
  GtkPopover              parent_instance;

  GtkLabel               *media_label;
  GtkLabel               *code_label;
  GtkLabel               *server_label;
  GtkLabel               *device_label;

  GremiumSession         *session;
  GremiumMediaController *media;
};

G_DEFINE_FINAL_TYPE (GremiumSecurityPopover, gremium_security_popover, GTK_TYPE_POPOVER)

static void
refresh (GremiumSecurityPopover *self)
{
  g_autofree char *code = gremium_security_popover_dup_code (self);
  g_autofree char *server = NULL;
  g_autofree char *device = NULL;
  GremiumIdentity *identity;

  if (self->session == NULL)
    return;

  if (gremium_media_controller_get_encrypted (self->media))
    gtk_label_set_label (self->media_label,
                         _("Audio and video are end-to-end encrypted: only the participants can "
                           "decrypt them, not the server."));
  else if (gremium_media_controller_get_available (self->media))
    gtk_label_set_label (self->media_label,
                         _("Audio and video are not end-to-end encrypted yet. Wait before you "
                           "discuss anything confidential."));
  else
    gtk_label_set_label (self->media_label,
                         _("Every statement, vote and message is signed and checked against the "
                           "meeting record on this computer."));

  gtk_label_set_label (self->code_label, code ? code : _("Not available yet"));

  server = gremium_session_dup_server_fingerprint (self->session);
  gtk_label_set_label (self->server_label, server ? server : "");

  identity = gremium_session_get_identity (self->session);
  device = identity ? gremium_identity_dup_fingerprint (identity) : NULL;
  gtk_label_set_label (self->device_label, device ? device : "");
}

static void
gremium_security_popover_dispose (GObject *object)
{
  GremiumSecurityPopover *self = (GremiumSecurityPopover *) object;

  g_clear_object (&self->session);
  g_clear_object (&self->media);

  gtk_widget_dispose_template (GTK_WIDGET (self), GREMIUM_TYPE_SECURITY_POPOVER);

  G_OBJECT_CLASS (gremium_security_popover_parent_class)->dispose (object);
}

static void
gremium_security_popover_class_init (GremiumSecurityPopoverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gremium_security_popover_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/gremium/Gremium/gremium-security-popover.ui");
  gtk_widget_class_bind_template_child (widget_class, GremiumSecurityPopover, media_label);
  gtk_widget_class_bind_template_child (widget_class, GremiumSecurityPopover, code_label);
  gtk_widget_class_bind_template_child (widget_class, GremiumSecurityPopover, server_label);
  gtk_widget_class_bind_template_child (widget_class, GremiumSecurityPopover, device_label);
  gtk_widget_class_bind_template_callback (widget_class, refresh);
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

  g_set_object (&self->session, session);
  g_set_object (&self->media, media);
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
