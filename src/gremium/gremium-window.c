/* gremium-window.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-window"

#include "config.h"

#include "gremium-window.h"
#include "gremium-device-check-page.h"
#include "gremium-join-page.h"
#include "gremium-lobby-page.h"
#include "gremium-meeting-view.h"
#include "gremium-meetings-page.h"
#include "gremium-ui-util.h"

#include <gremium-error.h>

#include <glib/gi18n.h>

/**
 * GremiumWindow:
 *
 * The main window. It walks the member through the join flow (server and
 * sign-in, the member's meetings, the device check, the lobby) and then
 * shows the meeting. Its actions are the meeting's controls, so that every
 * one of them has a keyboard shortcut (see the shortcuts window).
 */
struct _GremiumWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  GtkStack             *stack;
  GremiumJoinPage      *join_page;
  GremiumMeetingsPage  *meetings_page;
  GremiumDeviceCheckPage *device_page;
  GremiumLobbyPage     *lobby_page;
  GremiumMeetingView   *meeting_view;

  /* Borrowed references */
  GremiumApplication   *application;
  GremiumSession       *session;
  GremiumMediaController         *media;

  /* Owned */
  char                 *meeting_id;
  char                 *auto_meeting;
  char                 *last_toast;
  gboolean              auto_control;
  gboolean              auto_public;
  gboolean              auto_public_fullscreen;
  gboolean              joining;
  GSimpleAction        *microphone_action;
  GSimpleAction        *camera_action;
};

G_DEFINE_FINAL_TYPE (GremiumWindow, gremium_window, ADW_TYPE_APPLICATION_WINDOW)

void
gremium_window_show_toast (GremiumWindow *self,
                           const char    *text)
{
  AdwToast *toast;

  g_return_if_fail (GREMIUM_IS_WINDOW (self));

  g_free (self->last_toast);
  self->last_toast = g_strdup (text);

  toast = adw_toast_new (text);
  adw_toast_set_timeout (toast, 6);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
show_error (GremiumWindow *self,
            const GError  *error)
{
  g_autofree char *text = gremium_describe_error (error);

  gremium_window_show_toast (self, text);
}

static void
show_page (GremiumWindow *self,
           const char    *name)
{
  gtk_stack_set_visible_child_name (self->stack, name);
}

static void
update_actions (GremiumWindow *self)
{
  gboolean in_meeting = gremium_session_get_meeting (self->session) != NULL &&
                        g_str_equal (gremium_window_get_page (self), "meeting");
  static const char *meeting_actions[] = {
    "request-speech", "point-of-order", "leave", "security", "sidebar", "panel",
  };

  for (guint i = 0; i < G_N_ELEMENTS (meeting_actions); i++)
    {
      GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), meeting_actions[i]);

      g_simple_action_set_enabled (G_SIMPLE_ACTION (action), in_meeting);
    }
}

static void
open_extra_windows (GremiumWindow *self)
{
  if (self->auto_control)
    gremium_application_show_control_window (self->application);
  if (self->auto_public)
    gremium_application_show_public_display (self->application, self->auto_public_fullscreen);

  self->auto_control = self->auto_public = FALSE;

  /* The main window stays the one the keyboard is in. */
  gtk_window_present (GTK_WINDOW (self));
}

static void
follow_presence (GremiumWindow *self)
{
  GremiumMember *me = gremium_session_get_me (self->session);
  const char *page = gremium_window_get_page (self);

  if (me == NULL || self->joining)
    return;

  switch (gremium_member_get_presence (me))
    {
    case GREMIUM_PRESENCE_LOBBY:
      show_page (self, "lobby");
      break;

    case GREMIUM_PRESENCE_PRESENT:
      if (!g_str_equal (page, "meeting"))
        {
          show_page (self, "meeting");
          open_extra_windows (self);
        }
      break;

    case GREMIUM_PRESENCE_ABSENT:
      /* A lost connection makes us absent for a moment; the client takes the
       * seat again by itself. Only the chair turning us away ends it here.
       */
      if (g_strcmp0 (gremium_member_get_leave_reason (me), "denied") == 0)
        {
          gremium_session_leave (self->session);
          show_page (self, "meetings");
          gremium_window_show_toast (self, _("The chair did not admit you to the meeting."));
        }
      break;

    default:
      break;
    }

  update_actions (self);
}

static void
signed_in_cb (GremiumWindow *self)
{
  show_page (self, "meetings");
  gremium_meetings_page_reload (self->meetings_page);

  if (self->auto_meeting != NULL)
    {
      g_autofree char *meeting = g_steal_pointer (&self->auto_meeting);

      gremium_device_check_page_set_meeting_title (self->device_page, meeting);
      g_free (self->meeting_id);
      self->meeting_id = g_strdup (meeting);
      /* Started for a meeting: no device check, straight in. */
      g_signal_emit_by_name (self->device_page, "join-requested");
    }
}

static void
signed_out_cb (GremiumWindow *self)
{
  gremium_session_sign_out (self->session);
  show_page (self, "join");
}

static void
meeting_activated_cb (GremiumWindow *self,
                      const char    *meeting_id,
                      const char    *title)
{
  g_free (self->meeting_id);
  self->meeting_id = g_strdup (meeting_id);
  gremium_device_check_page_set_meeting_title (self->device_page, title);
  gremium_lobby_page_set_meeting_title (self->lobby_page, title);
  show_page (self, "device-check");
}

static void
back_to_meetings_cb (GremiumWindow *self)
{
  show_page (self, "meetings");
}

static void
joined_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GremiumWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  self->joining = FALSE;

  if (!gremium_session_join_finish (GREMIUM_SESSION (object), result, &error))
    {
      show_error (self, error);
      show_page (self, "meetings");
      return;
    }

  gremium_lobby_page_set_meeting_title (self->lobby_page,
                                        gremium_meeting_get_title (gremium_session_get_meeting (self->session)));
  follow_presence (self);
}

static void
join_requested_cb (GremiumWindow *self)
{
  GSettings *settings = gremium_session_get_settings (self->session);

  if (self->joining || self->meeting_id == NULL)
    return;

  self->joining = TRUE;
  gremium_media_controller_set_microphone_on (self->media, !g_settings_get_boolean (settings, "join-muted"));
  gremium_media_controller_set_camera_on (self->media, !g_settings_get_boolean (settings, "join-camera-off"));
  gremium_session_join_async (self->session, self->meeting_id, NULL, joined_cb, g_object_ref (self));
}

static void
submitted_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GremiumWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!gremium_session_submit_finish (GREMIUM_SESSION (object), result, &error))
    show_error (self, error);
}

static void
request_to_speak (GremiumWindow     *self,
                  GremiumSpeechKind  kind)
{
  GremiumMeeting *meeting = gremium_session_get_meeting (self->session);
  const char *me = gremium_session_get_member_id (self->session);
  g_autoptr(JsonObject) data = json_object_new ();
  GListModel *speakers;
  gboolean waiting = FALSE;

  if (meeting == NULL)
    return;

  /* The same action withdraws a request that waits: one key toggles it. */
  speakers = gremium_meeting_get_speakers (meeting);
  for (guint i = 0; i < g_list_model_get_n_items (speakers); i++)
    {
      g_autoptr(GremiumSpeakerRequest) request = g_list_model_get_item (speakers, i);

      if (g_strcmp0 (gremium_speaker_request_get_member_id (request), me) == 0 &&
          gremium_speaker_request_get_kind (request) == kind)
        waiting = TRUE;
    }

  json_object_set_string_member (data, "type", gremium_speech_kind_to_string (kind));
  if (waiting)
    {
      json_object_set_string_member (data, "member", me);
      gremium_session_submit_async (self->session, GREMIUM_KIND_SPEAKERS_WITHDRAW, data, NULL,
                                    submitted_cb, g_object_ref (self));
    }
  else
    {
      gremium_session_submit_async (self->session, GREMIUM_KIND_SPEAKERS_REQUEST, data, NULL,
                                    submitted_cb, g_object_ref (self));
    }
}

static void
request_speech_cb (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  request_to_speak (user_data, GREMIUM_SPEECH_KIND_SPEECH);
}

static void
point_of_order_cb (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  request_to_speak (user_data, GREMIUM_SPEECH_KIND_POINT_OF_ORDER);
}

static void
leave_cb (GSimpleAction *action,
          GVariant      *parameter,
          gpointer       user_data)
{
  GremiumWindow *self = user_data;

  gremium_session_leave (self->session);
  show_page (self, "meetings");
  gremium_meetings_page_reload (self->meetings_page);
  update_actions (self);
}

static void
toggle_cb (GSimpleAction *action,
           GVariant      *parameter,
           gpointer       user_data)
{
  g_autoptr(GVariant) state = g_action_get_state (G_ACTION (action));

  g_action_change_state (G_ACTION (action), g_variant_new_boolean (!g_variant_get_boolean (state)));
}

static void
microphone_changed_cb (GSimpleAction *action,
                       GVariant      *state,
                       gpointer       user_data)
{
  GremiumWindow *self = user_data;

  gremium_media_controller_set_microphone_on (self->media, g_variant_get_boolean (state));
}

static void
camera_changed_cb (GSimpleAction *action,
                   GVariant      *state,
                   gpointer       user_data)
{
  GremiumWindow *self = user_data;

  gremium_media_controller_set_camera_on (self->media, g_variant_get_boolean (state));
}

static void
media_changed_cb (GremiumWindow *self)
{
  g_simple_action_set_state (self->microphone_action,
                             g_variant_new_boolean (gremium_media_controller_get_microphone_on (self->media)));
  g_simple_action_set_state (self->camera_action,
                             g_variant_new_boolean (gremium_media_controller_get_camera_on (self->media)));
}

static void
security_cb (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GremiumWindow *self = user_data;

  gremium_meeting_view_show_security (self->meeting_view);
}

static void
sidebar_cb (GSimpleAction *action,
            GVariant      *parameter,
            gpointer       user_data)
{
  GremiumWindow *self = user_data;

  gremium_meeting_view_toggle_sidebar (self->meeting_view);
}

static void
panel_cb (GSimpleAction *action,
          GVariant      *parameter,
          gpointer       user_data)
{
  GremiumWindow *self = user_data;

  gremium_meeting_view_show_panel (self->meeting_view, g_variant_get_string (parameter, NULL));
}

static void
fullscreen_cb (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  GtkWindow *window = user_data;

  if (gtk_window_is_fullscreen (window))
    gtk_window_unfullscreen (window);
  else
    gtk_window_fullscreen (window);
}

static const GActionEntry win_actions[] = {
  { "microphone", toggle_cb, NULL, "false", microphone_changed_cb },
  { "camera", toggle_cb, NULL, "false", camera_changed_cb },
  { "request-speech", request_speech_cb },
  { "point-of-order", point_of_order_cb },
  { "leave", leave_cb },
  { "security", security_cb },
  { "sidebar", sidebar_cb },
  { "panel", panel_cb, "s" },
  { "fullscreen", fullscreen_cb },
};

static void
page_changed_cb (GremiumWindow *self)
{
  update_actions (self);
}

static void
save_size (GremiumWindow *self)
{
  GSettings *settings = gremium_session_get_settings (self->session);
  int width;
  int height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_delay (settings);
  g_settings_set_int (settings, "window-width", width);
  g_settings_set_int (settings, "window-height", height);
  g_settings_set_boolean (settings, "window-maximized", gtk_window_is_maximized (GTK_WINDOW (self)));
  g_settings_apply (settings);
}

static gboolean
gremium_window_close_request (GtkWindow *window)
{
  GremiumWindow *self = GREMIUM_WINDOW (window);

  save_size (self);
  gremium_session_leave (self->session);

  return GTK_WINDOW_CLASS (gremium_window_parent_class)->close_request (window);
}

static void
first_frame_cb (GdkFrameClock *clock,
                GremiumWindow *self)
{
  const char *start = g_getenv ("GREMIUM_START_TIME");

  g_signal_handlers_disconnect_by_func (clock, first_frame_cb, self);

  /* benchmarks/bench-client reads this line and ends the program. */
  g_print ("first-frame-us %" G_GINT64_FORMAT "\n",
           g_get_monotonic_time () - g_ascii_strtoll (start, NULL, 10));
  g_application_quit (G_APPLICATION (self->application));
}

static void
gremium_window_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (gremium_window_parent_class)->map (widget);

  if (g_getenv ("GREMIUM_BENCH_FIRST_FRAME") != NULL)
    g_signal_connect (gtk_widget_get_frame_clock (widget), "after-paint",
                      G_CALLBACK (first_frame_cb), widget);
}

static void
gremium_window_dispose (GObject *object)
{
  GremiumWindow *self = (GremiumWindow *) object;

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  if (self->media != NULL)
    g_signal_handlers_disconnect_by_data (self->media, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), GREMIUM_TYPE_WINDOW);

  G_OBJECT_CLASS (gremium_window_parent_class)->dispose (object);
}

static void
gremium_window_finalize (GObject *object)
{
  GremiumWindow *self = (GremiumWindow *) object;

  g_free (self->meeting_id);
  g_free (self->auto_meeting);
  g_free (self->last_toast);

  G_OBJECT_CLASS (gremium_window_parent_class)->finalize (object);
}

static void
gremium_window_class_init (GremiumWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = gremium_window_dispose;
  object_class->finalize = gremium_window_finalize;
  window_class->close_request = gremium_window_close_request;
  widget_class->map = gremium_window_map;

  g_type_ensure (GREMIUM_TYPE_JOIN_PAGE);
  g_type_ensure (GREMIUM_TYPE_MEETINGS_PAGE);
  g_type_ensure (GREMIUM_TYPE_DEVICE_CHECK_PAGE);
  g_type_ensure (GREMIUM_TYPE_LOBBY_PAGE);
  g_type_ensure (GREMIUM_TYPE_MEETING_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/gremium/Gremium/gremium-window.ui");
  gtk_widget_class_bind_template_child (widget_class, GremiumWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, GremiumWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, GremiumWindow, join_page);
  gtk_widget_class_bind_template_child (widget_class, GremiumWindow, meetings_page);
  gtk_widget_class_bind_template_child (widget_class, GremiumWindow, device_page);
  gtk_widget_class_bind_template_child (widget_class, GremiumWindow, lobby_page);
  gtk_widget_class_bind_template_child (widget_class, GremiumWindow, meeting_view);
  gtk_widget_class_bind_template_callback (widget_class, signed_in_cb);
  gtk_widget_class_bind_template_callback (widget_class, signed_out_cb);
  gtk_widget_class_bind_template_callback (widget_class, meeting_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_to_meetings_cb);
  gtk_widget_class_bind_template_callback (widget_class, join_requested_cb);
}

static void
gremium_window_init (GremiumWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions, G_N_ELEMENTS (win_actions), self);
  self->microphone_action = G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self), "microphone"));
  self->camera_action = G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self), "camera"));

  g_signal_connect_swapped (self->stack, "notify::visible-child-name",
                            G_CALLBACK (page_changed_cb), self);

#ifdef DEVELOPMENT_BUILD
  if (DEVELOPMENT_BUILD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif
}

GremiumWindow *
gremium_window_new (GremiumApplication *application)
{
  GremiumWindow *self;
  GSettings *settings;

  g_return_val_if_fail (GREMIUM_IS_APPLICATION (application), NULL);

  self = g_object_new (GREMIUM_TYPE_WINDOW, "application", application, NULL);
  self->application = application;
  self->session = gremium_application_get_session (application);
  self->media = gremium_application_get_media (application);
  settings = gremium_session_get_settings (self->session);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (settings, "window-width"),
                               g_settings_get_int (settings, "window-height"));
  if (g_settings_get_boolean (settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  gremium_join_page_set_session (self->join_page, self->session);
  gremium_meetings_page_set_session (self->meetings_page, self->session);
  gremium_device_check_page_set_media (self->device_page, self->media, settings);
  gremium_meeting_view_set_session (self->meeting_view, self->session, self->media);

  g_signal_connect_swapped (self->session, "notify::presence", G_CALLBACK (follow_presence), self);
  g_signal_connect_swapped (self->media, "notify::microphone-on", G_CALLBACK (media_changed_cb), self);
  g_signal_connect_swapped (self->media, "notify::camera-on", G_CALLBACK (media_changed_cb), self);

  update_actions (self);

  return self;
}

/**
 * gremium_window_get_page:
 * @self: a window
 *
 * Returns: the page shown: `join`, `meetings`, `device-check`, `lobby` or `meeting`
 */
const char *
gremium_window_get_page (GremiumWindow *self)
{
  g_return_val_if_fail (GREMIUM_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

/**
 * gremium_window_sign_in:
 * @self: a window
 * @server: the server address
 * @member: the member id
 * @code: (nullable): an enrolment code
 * @meeting: (nullable): a meeting to join right after signing in
 * @open_control: open the meeting-control window once present
 * @public_fullscreen: show the public-room display full screen
 * @open_public: open the public-room display once present
 *
 * Fills in the sign-in page and signs in, as the command line asks.
 */
void
gremium_window_sign_in (GremiumWindow *self,
                        const char    *server,
                        const char    *member,
                        const char    *code,
                        const char    *meeting,
                        gboolean       open_control,
                        gboolean       public_fullscreen,
                        gboolean       open_public)
{
  g_return_if_fail (GREMIUM_IS_WINDOW (self));

  g_free (self->auto_meeting);
  self->auto_meeting = g_strdup (meeting);
  self->auto_control = open_control;
  self->auto_public = open_public;
  self->auto_public_fullscreen = public_fullscreen;

  show_page (self, "join");
  gremium_join_page_fill (self->join_page, server, member, code);
  gremium_join_page_sign_in (self->join_page);
}

/**
 * gremium_window_get_last_toast:
 * @self: a window
 *
 * Returns: (nullable): the text of the last notice shown, for tests
 */
const char *
gremium_window_get_last_toast (GremiumWindow *self)
{
  g_return_val_if_fail (GREMIUM_IS_WINDOW (self), NULL);

  return self->last_toast;
}

static void
wait_for_drawing (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  gint64 frame;
  gint64 deadline = g_get_monotonic_time () + G_USEC_PER_SEC / 2;

  if (clock == NULL)
    return;

  /* Let the window lay out and draw what changed, at most half a second. */
  frame = gdk_frame_clock_get_frame_counter (clock);
  gtk_widget_queue_draw (widget);
  while (gdk_frame_clock_get_frame_counter (clock) < frame + 2 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (1000), TRUE);
}

/**
 * gremium_window_save_screenshots:
 * @self: a window
 * @folder: where to write
 * @error: return location for an error
 *
 * Writes `meeting-window.png` and, in a meeting, `voting-panel.png` (the
 * same window with the votes shown) into @folder.
 *
 * Returns: %TRUE on success
 */
gboolean
gremium_window_save_screenshots (GremiumWindow  *self,
                                 const char     *folder,
                                 GError        **error)
{
  g_autofree char *path = g_build_filename (folder, "meeting-window.png", NULL);
  g_autofree char *panel = NULL;

  g_return_val_if_fail (GREMIUM_IS_WINDOW (self), FALSE);

  if (!gremium_widget_save_png (GTK_WIDGET (self), path, error))
    return FALSE;

  if (!g_str_equal (gremium_window_get_page (self), "meeting"))
    return TRUE;

  panel = g_strdup (gremium_meeting_view_get_panel (self->meeting_view));
  gremium_meeting_view_show_panel (self->meeting_view, "votes");
  wait_for_drawing (GTK_WIDGET (self));
  g_free (path);
  path = g_build_filename (folder, "voting-panel.png", NULL);
  if (!gremium_widget_save_png (GTK_WIDGET (self), path, error))
    return FALSE;
  gremium_meeting_view_show_panel (self->meeting_view, panel);

  return TRUE;
}
