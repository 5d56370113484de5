/* gremium-join-page.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-join-page"

#include "config.h"

#include "gremium-join-page.h"
#include "gremium-ui-util.h"

#include <gremium-error.h>

#include <glib/gi18n.h>

/**
 * GremiumJoinPage:
 *
 * The first page: the server address, the member id and, on the first
 * sign-in of this device, the enrolment code. Where the system has no
 * keyring it also asks for the passphrase of the key file and says why.
 * Errors are shown in words the member can act on, and the page stays
 * usable after every one of them.
 */
struct _GremiumJoinPage
{
  AdwBin           parent_instance;

  AdwEntryRow     *server_row;
  AdwEntryRow     *member_row;
  AdwEntryRow     *code_row;
  AdwPreferencesGroup *fallback_group;
  AdwPasswordEntryRow *passphrase_row;
  GtkLabel        *error_label;
  GtkSpinner      *spinner;
  GtkButton       *sign_in_button;

  GremiumSession  *session;
  GCancellable    *cancellable;
  gboolean         busy;
};

G_DEFINE_FINAL_TYPE (GremiumJoinPage, gremium_join_page, ADW_TYPE_BIN)

enum {
  SIGNED_IN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_error (GremiumJoinPage *self,
           const char      *text)
{
  gtk_label_set_label (self->error_label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), text != NULL);
}

static void
set_busy (GremiumJoinPage *self,
          gboolean         busy)
{
  self->busy = busy;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  /* The fields stay editable: making a focused entry insensitive would
   * take the keyboard focus away from under the user.
   */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "join.sign-in", !busy);
}

static void
update_fallback (GremiumJoinPage *self)
{
  GremiumIdentityStore *store = gremium_session_get_store (self->session);
  gboolean fixed = gremium_session_get_identity (self->session) != NULL &&
                   gremium_session_get_client (self->session) == NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->fallback_group),
                          !fixed && gremium_identity_store_get_uses_fallback (store));
}

static void
input_changed_cb (GremiumJoinPage *self)
{
  g_autofree char *url = NULL;
  const char *member = gtk_editable_get_text (GTK_EDITABLE (self->member_row));

  if (self->session == NULL)
    return;

  /* The enrolment code is asked only where this device has no key yet. */
  url = gremium_session_normalize_url (gtk_editable_get_text (GTK_EDITABLE (self->server_row)), NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->code_row),
                          !gremium_session_is_enrolled (self->session, url, member));
}

static void
signed_in_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GremiumJoinPage) self = user_data;
  g_autoptr(GError) error = NULL;

  set_busy (self, FALSE);
  g_clear_object (&self->cancellable);

  if (!gremium_session_sign_in_finish (GREMIUM_SESSION (object), result, &error))
    {
      g_autofree char *text = gremium_describe_error (error);

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      set_error (self, text);
      update_fallback (self);

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        {
          gtk_widget_set_visible (GTK_WIDGET (self->code_row), TRUE);
          gtk_widget_grab_focus (GTK_WIDGET (self->code_row));
        }
      else if (error->domain == GREMIUM_IDENTITY_STORE_ERROR)
        {
          gtk_widget_grab_focus (GTK_WIDGET (self->passphrase_row));
        }
      else if (g_error_matches (error, GREMIUM_ERROR, GREMIUM_ERROR_ENROLMENT_CODE))
        {
          gtk_widget_grab_focus (GTK_WIDGET (self->code_row));
        }
      return;
    }

  set_error (self, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->code_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->passphrase_row), "");
  g_signal_emit (self, signals[SIGNED_IN], 0);
}

static void
sign_in_action_cb (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  gremium_join_page_sign_in (GREMIUM_JOIN_PAGE (widget));
}

static void
entry_activated_cb (GremiumJoinPage *self)
{
  gremium_join_page_sign_in (self);
}

static void
gremium_join_page_dispose (GObject *object)
{
  GremiumJoinPage *self = (GremiumJoinPage *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (gremium_session_get_store (self->session), self);
  g_clear_object (&self->session);

  gtk_widget_dispose_template (GTK_WIDGET (self), GREMIUM_TYPE_JOIN_PAGE);

  G_OBJECT_CLASS (gremium_join_page_parent_class)->dispose (object);
}

static void
gremium_join_page_class_init (GremiumJoinPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gremium_join_page_dispose;

  /**
   * GremiumJoinPage::signed-in:
   * @self: the page
   *
   * The session signed in.
   */
  signals[SIGNED_IN] =
    g_signal_new ("signed-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/gremium/Gremium/gremium-join-page.ui");
  gtk_widget_class_bind_template_child (widget_class, GremiumJoinPage, server_row);
  gtk_widget_class_bind_template_child (widget_class, GremiumJoinPage, member_row);
  gtk_widget_class_bind_template_child (widget_class, GremiumJoinPage, code_row);
  gtk_widget_class_bind_template_child (widget_class, GremiumJoinPage, fallback_group);
  gtk_widget_class_bind_template_child (widget_class, GremiumJoinPage, passphrase_row);
  gtk_widget_class_bind_template_child (widget_class, GremiumJoinPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, GremiumJoinPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, GremiumJoinPage, sign_in_button);
  gtk_widget_class_bind_template_callback (widget_class, input_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_activated_cb);

  gtk_widget_class_install_action (widget_class, "join.sign-in", NULL, sign_in_action_cb);
}

static void
gremium_join_page_init (GremiumJoinPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
gremium_join_page_set_session (GremiumJoinPage *self,
                               GremiumSession  *session)
{
  GSettings *settings;

  g_return_if_fail (GREMIUM_IS_JOIN_PAGE (self));
  g_return_if_fail (GREMIUM_IS_SESSION (session));

  g_set_object (&self->session, session);
  settings = gremium_session_get_settings (session);

  gtk_editable_set_text (GTK_EDITABLE (self->server_row), g_settings_get_string (settings, "server-url"));
  gtk_editable_set_text (GTK_EDITABLE (self->member_row), g_settings_get_string (settings, "member-id"));
  g_signal_connect_swapped (gremium_session_get_store (session), "notify::uses-fallback",
                            G_CALLBACK (update_fallback), self);
  update_fallback (self);
  input_changed_cb (self);
}

/**
 * gremium_join_page_fill:
 * @self: the page
 * @server: (nullable): the server address
 * @member: (nullable): the member id
 * @code: (nullable): an enrolment code
 *
 * Fills in the form, as the command line and the tests do.
 */
void
gremium_join_page_fill (GremiumJoinPage *self,
                        const char      *server,
                        const char      *member,
                        const char      *code)
{
  g_return_if_fail (GREMIUM_IS_JOIN_PAGE (self));

  if (server != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->server_row), server);
  if (member != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->member_row), member);
  gtk_editable_set_text (GTK_EDITABLE (self->code_row), code ? code : "");
  if (code != NULL)
    gtk_widget_set_visible (GTK_WIDGET (self->code_row), TRUE);
}

void
gremium_join_page_set_passphrase (GremiumJoinPage *self,
                                  const char      *passphrase)
{
  g_return_if_fail (GREMIUM_IS_JOIN_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->passphrase_row), passphrase ? passphrase : "");
}

/**
 * gremium_join_page_sign_in:
 * @self: the page
 *
 * Signs in with what the form holds (the `join.sign-in` action).
 */
void
gremium_join_page_sign_in (GremiumJoinPage *self)
{
  const char *code;
  const char *passphrase;

  g_return_if_fail (GREMIUM_IS_JOIN_PAGE (self));

  if (self->busy || self->session == NULL)
    return;

  code = gtk_widget_get_visible (GTK_WIDGET (self->code_row))
         ? gtk_editable_get_text (GTK_EDITABLE (self->code_row)) : NULL;
  passphrase = gtk_editable_get_text (GTK_EDITABLE (self->passphrase_row));

  set_error (self, NULL);
  set_busy (self, TRUE);
  self->cancellable = g_cancellable_new ();
  gremium_session_sign_in_async (self->session,
                                 gtk_editable_get_text (GTK_EDITABLE (self->server_row)),
                                 gtk_editable_get_text (GTK_EDITABLE (self->member_row)),
                                 code, passphrase[0] ? passphrase : NULL,
                                 self->cancellable, signed_in_cb, g_object_ref (self));
}

/**
 * gremium_join_page_get_error:
 * @self: the page
 *
 * Returns: (nullable): the error shown, or %NULL
 */
const char *
gremium_join_page_get_error (GremiumJoinPage *self)
{
  g_return_val_if_fail (GREMIUM_IS_JOIN_PAGE (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    return NULL;

  return gtk_label_get_label (self->error_label);
}

gboolean
gremium_join_page_get_busy (GremiumJoinPage *self)
{
  g_return_val_if_fail (GREMIUM_IS_JOIN_PAGE (self), FALSE);

  return self->busy;
}
