/* gremium-application.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-application"

#include "config.h"

#include "gremium-application.h"
#include "gremium-control-window.h"
#include "gremium-preferences-window.h"
#include "gremium-public-display.h"
#include "gremium-ui-util.h"
#include "gremium-window.h"

#include <gremium-crypto.h>

#include <glib/gi18n.h>
#ifdef G_OS_UNIX
# include <glib-unix.h>
# include <signal.h>
#endif

/**
 * GremiumApplication:
 *
 * The `gremium` program: one instance per user session. It owns the
 * session with the server, the media and the settings, and the windows:
 * the main window (join flow and meeting), the chair's meeting-control
 * window and the public-room display.
 *
 * Command-line options let the demo and kiosks start without typing:
 * `--server`, `--member`, `--identity`, `--code` and `--meeting` sign in and
 * join; `--control` and `--public-display` open those windows;
 * `--screenshots DIR` writes a PNG of every window into DIR, at once when
 * given to the running instance, or on SIGUSR1.
 */
struct _GremiumApplication
{
  AdwApplication        parent_instance;

  GSettings            *settings;
  GremiumIdentityStore *store;
  GremiumSession       *session;
  GremiumMediaController         *media;

  GtkWindow            *control_window;
  GtkWindow            *public_display;
  char                 *screenshot_folder;
};

G_DEFINE_FINAL_TYPE (GremiumApplication, gremium_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  /* Translators: the description of a command-line option */
  { "server", 's', 0, G_OPTION_ARG_STRING, NULL, N_("Sign in to the server at this address"), N_("URL") },
  { "member", 'm', 0, G_OPTION_ARG_STRING, NULL, N_("Sign in as this member"), N_("ID") },
  { "code", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Enrol this device with a one-time enrolment code"), N_("CODE") },
  { "identity", 'i', 0, G_OPTION_ARG_FILENAME, NULL, N_("Use the device key in this file instead of the keyring"), N_("FILE") },
  { "meeting", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Join this meeting after signing in"), N_("ID") },
  { "control", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Open the meeting-control window (chair only)"), NULL },
  { "public-display", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Open the public-room display"), NULL },
  { "windowed", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Do not show the public-room display full screen"), NULL },
  { "screenshots", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("Write a picture of every window into this folder"), N_("FOLDER") },
  { NULL }
};

static void
about_cb (GSimpleAction *action,
          GVariant      *parameter,
          gpointer       user_data)
{
  GremiumApplication *self = user_data;
  static const char *developers[] = { "The Gremium authors", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "application-icon", APP_ID,
                        "application-name", _("Gremium"),
                        "developer-name", _("The Gremium authors"),
                        "version", PACKAGE_VERSION,
                        "website", "https://github.com/gremium/gremium",
                        "issue-url", "https://github.com/gremium/gremium/issues",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        /* Translators: put your names here, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
preferences_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  GremiumApplication *self = user_data;
  GremiumPreferencesWindow *window;

  window = gremium_preferences_window_new (self->session, self->media);
  gtk_window_set_transient_for (GTK_WINDOW (window),
                                gtk_application_get_active_window (GTK_APPLICATION (self)));
  gtk_window_present (GTK_WINDOW (window));
}

static void
quit_cb (GSimpleAction *action,
         GVariant      *parameter,
         gpointer       user_data)
{
  GremiumApplication *self = user_data;

  gremium_session_sign_out (self->session);
  g_application_quit (G_APPLICATION (self));
}

static void
control_cb (GSimpleAction *action,
            GVariant      *parameter,
            gpointer       user_data)
{
  gremium_application_show_control_window (user_data);
}

static void
public_display_cb (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  gremium_application_show_public_display (user_data, TRUE);
}

static const GActionEntry app_actions[] = {
  { "about", about_cb },
  { "preferences", preferences_cb },
  { "quit", quit_cb },
  { "control", control_cb },
  { "public-display", public_display_cb },
};

static GremiumWindow *
ensure_main_window (GremiumApplication *self)
{
  GtkWindow *window = gremium_application_get_main_window (self);

  if (window == NULL)
    window = GTK_WINDOW (gremium_window_new (self));

  return GREMIUM_WINDOW (window);
}

static void
gremium_application_activate (GApplication *app)
{
  GremiumApplication *self = GREMIUM_APPLICATION (app);

  gtk_window_present (GTK_WINDOW (ensure_main_window (self)));
}

#ifdef G_OS_UNIX
static gboolean
screenshot_signal_cb (gpointer user_data)
{
  GremiumApplication *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!gremium_application_save_screenshots (self, self->screenshot_folder, &error))
    g_printerr ("gremium: %s\n", error->message);
  else
    g_print ("gremium: screenshots written to %s\n", self->screenshot_folder);

  return G_SOURCE_CONTINUE;
}
#endif

static int
gremium_application_command_line (GApplication            *app,
                                  GApplicationCommandLine *command_line)
{
  GremiumApplication *self = GREMIUM_APPLICATION (app);
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  g_autofree char *server = NULL;
  g_autofree char *member = NULL;
  g_autofree char *code = NULL;
  g_autofree char *identity_path = NULL;
  g_autofree char *meeting = NULL;
  g_autofree char *screenshots = NULL;
  gboolean control = FALSE;
  gboolean public_display = FALSE;
  gboolean windowed = FALSE;
  GremiumWindow *window;

  g_variant_dict_lookup (options, "server", "s", &server);
  g_variant_dict_lookup (options, "member", "s", &member);
  g_variant_dict_lookup (options, "code", "s", &code);
  g_variant_dict_lookup (options, "identity", "^ay", &identity_path);
  g_variant_dict_lookup (options, "meeting", "s", &meeting);
  g_variant_dict_lookup (options, "screenshots", "^ay", &screenshots);
  g_variant_dict_lookup (options, "control", "b", &control);
  g_variant_dict_lookup (options, "public-display", "b", &public_display);
  g_variant_dict_lookup (options, "windowed", "b", &windowed);

  /* A second invocation with --screenshots asks the running instance for
   * pictures of its windows as they are now.
   */
  if (screenshots != NULL && g_application_command_line_get_is_remote (command_line))
    {
      g_autoptr(GError) error = NULL;

      if (!gremium_application_save_screenshots (self, screenshots, &error))
        {
          g_application_command_line_printerr (command_line, "%s\n", error->message);
          return 1;
        }
      return 0;
    }

  if (screenshots != NULL)
    {
      g_free (self->screenshot_folder);
      self->screenshot_folder = g_strdup (screenshots);
#ifdef G_OS_UNIX
      g_unix_signal_add (SIGUSR1, screenshot_signal_cb, self);
#endif
    }

  if (identity_path != NULL)
    {
      g_autoptr(GremiumIdentity) identity = NULL;
      g_autoptr(GError) error = NULL;
      const char *passphrase = g_getenv ("GREMIUM_IDENTITY_PASSPHRASE");

      identity = gremium_identity_load (identity_path, &error);
      if (identity == NULL && passphrase != NULL)
        {
          g_clear_error (&error);
          identity = gremium_identity_load_encrypted (identity_path, passphrase, &error);
        }
      if (identity == NULL)
        {
          g_application_command_line_printerr (command_line, _("Cannot read the device key: %s\n"),
                                               error->message);
          return 1;
        }
      gremium_session_set_identity (self->session, identity);
    }

  window = ensure_main_window (self);
  gtk_window_present (GTK_WINDOW (window));

  if (server != NULL && member != NULL)
    gremium_window_sign_in (window, server, member, code, meeting, control, public_display && !windowed,
                            public_display);

  return 0;
}

static void
gremium_application_startup (GApplication *app)
{
  GremiumApplication *self = GREMIUM_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  static const char *control_accels[] = { "<Control><Shift>m", NULL };
  static const char *microphone_accels[] = { "<Control>d", NULL };
  static const char *camera_accels[] = { "<Control>e", NULL };
  static const char *speech_accels[] = { "<Control>r", NULL };
  static const char *order_accels[] = { "<Control><Shift>r", NULL };
  static const char *leave_accels[] = { "<Control><Shift>l", NULL };
  static const char *security_accels[] = { "<Control>i", NULL };
  static const char *sidebar_accels[] = { "F9", NULL };
  static const char *fullscreen_accels[] = { "F11", NULL };
  static const char *panel_accels[][2] = {
    { "<Alt>1", NULL }, { "<Alt>2", NULL }, { "<Alt>3", NULL },
    { "<Alt>4", NULL }, { "<Alt>5", NULL },
  };
  static const char *panels[] = { "agenda", "speakers", "participants", "votes", "chat" };

  G_APPLICATION_CLASS (gremium_application_parent_class)->startup (app);

  gremium_crypto_init (NULL);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.control", control_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.microphone", microphone_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.camera", camera_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.request-speech", speech_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.point-of-order", order_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.leave", leave_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.security", security_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.sidebar", sidebar_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.fullscreen", fullscreen_accels);
  for (guint i = 0; i < G_N_ELEMENTS (panels); i++)
    {
      g_autofree char *name = g_strdup_printf ("win.panel::%s", panels[i]);

      gtk_application_set_accels_for_action (GTK_APPLICATION (self), name, panel_accels[i]);
    }
}

static void
gremium_application_dispose (GObject *object)
{
  GremiumApplication *self = (GremiumApplication *) object;

  g_clear_object (&self->media);
  g_clear_object (&self->session);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->screenshot_folder, g_free);

  G_OBJECT_CLASS (gremium_application_parent_class)->dispose (object);
}

static void
gremium_application_class_init (GremiumApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = gremium_application_dispose;

  app_class->activate = gremium_application_activate;
  app_class->startup = gremium_application_startup;
  app_class->command_line = gremium_application_command_line;
}

static void
gremium_application_init (GremiumApplication *self)
{
  self->settings = g_settings_new (APP_ID);
  self->store = gremium_identity_store_new ();
  self->session = gremium_session_new (self->settings, self->store);
  self->media = gremium_media_controller_new (self->session);

  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), NULL);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Take part in council meetings and votes."));
}

GremiumApplication *
gremium_application_new (void)
{
  return g_object_new (GREMIUM_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", "/io/github/gremium/Gremium",
                       NULL);
}

GremiumSession *
gremium_application_get_session (GremiumApplication *self)
{
  g_return_val_if_fail (GREMIUM_IS_APPLICATION (self), NULL);

  return self->session;
}

GremiumMediaController *
gremium_application_get_media (GremiumApplication *self)
{
  g_return_val_if_fail (GREMIUM_IS_APPLICATION (self), NULL);

  return self->media;
}

GSettings *
gremium_application_get_settings (GremiumApplication *self)
{
  g_return_val_if_fail (GREMIUM_IS_APPLICATION (self), NULL);

  return self->settings;
}

/**
 * gremium_application_get_main_window:
 * @self: the application
 *
 * Returns: (transfer none) (nullable): the main window
 */
GtkWindow *
gremium_application_get_main_window (GremiumApplication *self)
{
  GList *windows;

  g_return_val_if_fail (GREMIUM_IS_APPLICATION (self), NULL);

  windows = gtk_application_get_windows (GTK_APPLICATION (self));
  for (GList *l = windows; l != NULL; l = l->next)
    if (GREMIUM_IS_WINDOW (l->data))
      return l->data;

  return NULL;
}

static void
control_window_destroyed_cb (GremiumApplication *self)
{
  self->control_window = NULL;
}

/**
 * gremium_application_show_control_window:
 * @self: the application
 *
 * Opens the chair's meeting-control window, if the member's role is chair
 * or deputy and a meeting is joined.
 *
 * Returns: (transfer none) (nullable): the window
 */
GtkWindow *
gremium_application_show_control_window (GremiumApplication *self)
{
  g_return_val_if_fail (GREMIUM_IS_APPLICATION (self), NULL);

  if (!gremium_session_get_may_chair (self->session))
    return NULL;

  if (self->control_window == NULL)
    {
      self->control_window = GTK_WINDOW (gremium_control_window_new (self, self->session));
      g_signal_connect_swapped (self->control_window, "destroy",
                                G_CALLBACK (control_window_destroyed_cb), self);
    }

  gtk_window_present (self->control_window);
  return self->control_window;
}

static void
public_display_destroyed_cb (GremiumApplication *self)
{
  self->public_display = NULL;
}

/**
 * gremium_application_show_public_display:
 * @self: the application
 * @fullscreen: whether to cover the screen
 *
 * Opens the public-room display (ThürKO § 40) for the joined meeting.
 *
 * Returns: (transfer none) (nullable): the window
 */
GtkWindow *
gremium_application_show_public_display (GremiumApplication *self,
                                         gboolean            fullscreen)
{
  g_return_val_if_fail (GREMIUM_IS_APPLICATION (self), NULL);

  if (gremium_session_get_meeting (self->session) == NULL)
    return NULL;

  if (self->public_display == NULL)
    {
      self->public_display = GTK_WINDOW (gremium_public_display_new (self, self->session, self->media));
      g_signal_connect_swapped (self->public_display, "destroy",
                                G_CALLBACK (public_display_destroyed_cb), self);
    }

  if (fullscreen)
    gtk_window_fullscreen (self->public_display);
  gtk_window_present (self->public_display);

  return self->public_display;
}

/**
 * gremium_application_save_screenshots:
 * @self: the application
 * @folder: where to write
 * @error: return location for an error
 *
 * Writes a PNG of each open window: `meeting-window.png`,
 * `voting-panel.png` (the meeting window with the votes shown),
 * `meeting-control.png` and `public-display.png`.
 *
 * Returns: %TRUE if every open window was written
 */
gboolean
gremium_application_save_screenshots (GremiumApplication  *self,
                                      const char          *folder,
                                      GError             **error)
{
  GtkWindow *main_window;

  g_return_val_if_fail (GREMIUM_IS_APPLICATION (self), FALSE);
  g_return_val_if_fail (folder != NULL, FALSE);

  if (g_mkdir_with_parents (folder, 0755) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot create %s", folder);
      return FALSE;
    }

  main_window = gremium_application_get_main_window (self);
  if (main_window != NULL &&
      !gremium_window_save_screenshots (GREMIUM_WINDOW (main_window), folder, error))
    return FALSE;

  if (self->control_window != NULL)
    {
      g_autofree char *path = g_build_filename (folder, "meeting-control.png", NULL);

      if (!gremium_widget_save_png (GTK_WIDGET (self->control_window), path, error))
        return FALSE;
    }

  if (self->public_display != NULL)
    {
      g_autofree char *path = g_build_filename (folder, "public-display.png", NULL);

      if (!gremium_widget_save_png (GTK_WIDGET (self->public_display), path, error))
        return FALSE;
    }

  return TRUE;
}
