/* gremium-meeting-view.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-meeting-view"

#include "config.h"

#include "gremium-meeting-view.h"
#include "gremium-agenda-panel.h"
#include "gremium-chat-panel.h"
#include "gremium-participants-panel.h"
#include "gremium-security-popover.h"
#include "gremium-speakers-panel.h"
#include "gremium-ui-util.h"
#include "gremium-video-grid.h"
#include "gremium-vote-panel.h"

#include <glib/gi18n.h>

/**
 * GremiumMeetingView:
 *
 * The meeting: the video grid with the speaker large, the controls below
 * it (microphone, camera, request to speak, point of order, leave), and
 * the side panel with agenda, speakers list, participants, votes and chat.
 * The security of the meeting is one click away in the header bar.
 *
 * Banners above the meeting say what needs the member's attention: a lost
 * connection, a record that failed verification, the chair's request to
 * mute, a participant's new device key. They stay until the matter is over.
 */
struct _GremiumMeetingView
{
  AdwBin                    parent_instance;

  AdwToastOverlay          *toast_overlay;
  AdwWindowTitle           *title;
  GtkMenuButton            *security_button;
  GremiumSecurityPopover   *security_popover;
  GtkWidget                *control_button;
  GtkInfoBar               *connection_bar;
  GtkLabel                 *connection_label;
  GtkInfoBar               *alarm_bar;
  GtkLabel                 *alarm_label;
  GtkInfoBar               *mute_bar;
  GtkLabel                 *mute_label;
  GtkWidget                *mute_button;
  GtkInfoBar               *key_bar;
  GtkWidget                *output_notice;
  GtkLabel                 *key_label;
  GtkWidget                *key_button;
  AdwFlap                  *flap;
  GremiumVideoGrid         *grid;
  GtkToggleButton          *microphone_button;
  GtkToggleButton          *camera_button;
  AdwButtonContent         *speech_content;
  AdwButtonContent         *order_content;
  AdwViewStack             *panels;
  AdwViewStackPage         *votes_page;
  GremiumAgendaPanel       *agenda_panel;
  GremiumSpeakersPanel     *speakers_panel;
  GremiumParticipantsPanel *participants_panel;
  GremiumVotePanel         *vote_panel;
  GremiumChatPanel         *chat_panel;

  GremiumSession           *session;
  GremiumMediaController   *media;
  GremiumMeeting           *meeting;
  gulong                    entry_handler;
  char                     *banner;
  GremiumClientState        last_state;
};

G_DEFINE_FINAL_TYPE (GremiumMeetingView, gremium_meeting_view, ADW_TYPE_BIN)

static void
set_banner (GremiumMeetingView *self,
            GtkInfoBar         *bar,
            GtkLabel           *label,
            const char         *text)
{
  if (text != NULL)
    {
      gtk_label_set_label (label, text);
      g_free (self->banner);
      self->banner = g_strdup (text);
    }

  gtk_info_bar_set_revealed (bar, text != NULL);
}

/**
 * gremium_meeting_view_show_notice:
 * @self: a view
 * @text: what to tell
 *
 * Shows a short notice (a toast) over the meeting.
 */
void
gremium_meeting_view_show_notice (GremiumMeetingView *self,
                                  const char         *text)
{
  AdwToast *toast;

  g_return_if_fail (GREMIUM_IS_MEETING_VIEW (self));

  g_free (self->banner);
  self->banner = g_strdup (text);
  toast = adw_toast_new (text);
  adw_toast_set_timeout (toast, 6);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
notice_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  gremium_meeting_view_show_notice (GREMIUM_MEETING_VIEW (widget), g_variant_get_string (parameter, NULL));
}

static void
update_header (GremiumMeetingView *self)
{
  GremiumAgendaItem *item;
  g_autofree char *subtitle = NULL;
  const char *me;
  gboolean waiting_speech = FALSE;
  gboolean waiting_order = FALSE;
  GListModel *speakers;

  if (self->meeting == NULL)
    return;

  item = gremium_meeting_get_current_item (self->meeting);
  if (item != NULL)
    {
      g_autofree char *label = gremium_item_label (item);

      /* Translators: the current agenda item and whether it is public */
      subtitle = g_strdup_printf (_("%s (%s)"), label,
                                  gremium_agenda_item_get_public (item) ? _("public") : _("non-public"));
    }

  adw_window_title_set_title (self->title, gremium_meeting_get_title (self->meeting));
  adw_window_title_set_subtitle (self->title, subtitle ? subtitle : gremium_meeting_get_body_name (self->meeting));
  gtk_widget_set_visible (self->control_button, gremium_session_get_may_chair (self->session));

  /* The buttons say what pressing them does now. */
  me = gremium_session_get_member_id (self->session);
  speakers = gremium_meeting_get_speakers (self->meeting);
  for (guint i = 0; i < g_list_model_get_n_items (speakers); i++)
    {
      g_autoptr(GremiumSpeakerRequest) request = g_list_model_get_item (speakers, i);

      if (g_strcmp0 (gremium_speaker_request_get_member_id (request), me) != 0)
        continue;
      if (gremium_speaker_request_get_kind (request) == GREMIUM_SPEECH_KIND_POINT_OF_ORDER)
        waiting_order = TRUE;
      else
        waiting_speech = TRUE;
    }
  adw_button_content_set_label (self->speech_content,
                                waiting_speech ? _("_Withdraw Request") : _("_Request to Speak"));
  adw_button_content_set_label (self->order_content,
                                waiting_order ? _("Withdraw Point of _Order") : _("Point of _Order"));

  /* A vote needing this member's ballot draws attention to its tab. */
  {
    GremiumVote *vote = gremium_meeting_get_current_vote (self->meeting);

    adw_view_stack_page_set_needs_attention (self->votes_page,
                                             vote != NULL &&
                                             gremium_vote_get_state (vote) == GREMIUM_VOTE_STATE_OPEN &&
                                             gremium_vote_is_eligible (vote, me) &&
                                             !gremium_vote_has_voted (vote, me));
  }
}

static void
update_media_buttons (GremiumMeetingView *self)
{
  gboolean microphone = gremium_media_controller_get_microphone_on (self->media);
  gboolean camera = gremium_media_controller_get_camera_on (self->media);

  gtk_button_set_icon_name (GTK_BUTTON (self->microphone_button),
                            microphone ? "audio-input-microphone-symbolic" : "microphone-disabled-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->microphone_button),
                               microphone ? _("Turn the microphone off (Ctrl+D)")
                                          : _("Turn the microphone on (Ctrl+D)"));
  gtk_button_set_icon_name (GTK_BUTTON (self->camera_button),
                            camera ? "camera-web-symbolic" : "camera-disabled-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->camera_button),
                               camera ? _("Turn the camera off (Ctrl+E)") : _("Turn the camera on (Ctrl+E)"));

  if (!microphone)
    gtk_info_bar_set_revealed (self->mute_bar, FALSE);
}

static void
connection_state_cb (GremiumMeetingView *self)
{
  GremiumClient *client = gremium_session_get_client (self->session);
  GremiumClientState state = client ? gremium_client_get_state (client) : GREMIUM_CLIENT_STATE_DISCONNECTED;

  switch (state)
    {
    case GREMIUM_CLIENT_STATE_RECONNECTING:
      set_banner (self, self->connection_bar, self->connection_label,
                  _("The connection to the server was lost. Gremium reconnects by itself; "
                    "your seat is kept."));
      break;

    case GREMIUM_CLIENT_STATE_DISCONNECTED:
      if (self->meeting != NULL && self->last_state != GREMIUM_CLIENT_STATE_DISCONNECTED)
        set_banner (self, self->connection_bar, self->connection_label,
                    _("The connection to the server is closed. Leave the meeting and sign in again."));
      break;

    case GREMIUM_CLIENT_STATE_CONNECTED:
    case GREMIUM_CLIENT_STATE_CONNECTING:
    default:
      break;
    }

  self->last_state = state;
}

static void
reconnected_cb (GremiumMeetingView *self)
{
  gtk_info_bar_set_revealed (self->connection_bar, FALSE);
  gremium_meeting_view_show_notice (self, _("Connected again. Everything you missed was fetched and "
                                            "verified."));
}

static void
record_alarm_cb (GremiumMeetingView *self,
                 const char         *message)
{
  g_autofree char *text = NULL;

  /* Translators: %s is a technical detail in English */
  text = g_strdup_printf (_("The meeting record failed verification on this computer. Do not trust "
                            "what the server shows from now on, and tell the chair and the "
                            "administration. (%s)"), message);
  set_banner (self, self->alarm_bar, self->alarm_label, text);
}

static void
mute_requested_cb (GremiumMeetingView *self,
                   gboolean            everyone)
{
  if (!gremium_media_controller_get_microphone_on (self->media))
    {
      gremium_meeting_view_show_notice (self, everyone
                                              ? _("The chair asked everyone to mute. Your microphone is off.")
                                              : _("The chair asked you to mute. Your microphone is off."));
      return;
    }

  set_banner (self, self->mute_bar, self->mute_label,
              everyone ? _("The chair asks everyone to mute their microphone.")
                       : _("The chair asks you to mute your microphone."));
}

static void
mute_response_cb (GremiumMeetingView *self,
                  int                 response)
{
  gtk_info_bar_set_revealed (self->mute_bar, FALSE);
}

static void
mute_clicked_cb (GremiumMeetingView *self)
{
  gremium_media_controller_set_microphone_on (self->media, FALSE);
  gtk_info_bar_set_revealed (self->mute_bar, FALSE);
}

static void
media_error_cb (GremiumMeetingView *self,
                const char         *message)
{
  gremium_meeting_view_show_notice (self, message);
}

static void
key_changed_cb (GremiumMeetingView *self,
                const char         *member_id)
{
  g_autofree char *text = NULL;

  if (g_strcmp0 (member_id, gremium_session_get_member_id (self->session)) == 0)
    text = g_strdup (_("A new device key was added to your own membership. If you did not enrol "
                       "another device, tell the administration at once."));
  else
    /* Translators: %s is the name of a participant */
    text = g_strdup_printf (_("%s has a new device key. Compare the security code before you rely "
                              "on what comes from this participant."),
                            gremium_member_name (self->meeting, member_id));

  set_banner (self, self->key_bar, self->key_label, text);
}

static void
key_response_cb (GremiumMeetingView *self,
                 int                 response)
{
  gtk_info_bar_set_revealed (self->key_bar, FALSE);
}

static void
key_clicked_cb (GremiumMeetingView *self)
{
  gtk_info_bar_set_revealed (self->key_bar, FALSE);
  gremium_meeting_view_show_security (self);
}

static void
meeting_changed_cb (GremiumMeetingView *self)
{
  GremiumMeeting *meeting = gremium_session_get_meeting (self->session);

  if (self->meeting != NULL)
    g_clear_signal_handler (&self->entry_handler, self->meeting);
  g_set_object (&self->meeting, meeting);

  gtk_info_bar_set_revealed (self->connection_bar, FALSE);
  gtk_info_bar_set_revealed (self->alarm_bar, FALSE);
  gtk_info_bar_set_revealed (self->mute_bar, FALSE);
  gtk_info_bar_set_revealed (self->key_bar, FALSE);

  gremium_agenda_panel_set_meeting (self->agenda_panel, meeting);
  gremium_video_grid_set_meeting (self->grid, meeting, self->media,
                                  gremium_session_get_member_id (self->session));

  if (meeting == NULL)
    return;

  self->entry_handler = g_signal_connect_swapped (meeting, "entry-applied", G_CALLBACK (update_header), self);
  update_header (self);
}

static void
gremium_meeting_view_dispose (GObject *object)
{
  GremiumMeetingView *self = (GremiumMeetingView *) object;

  if (self->meeting != NULL)
    g_clear_signal_handler (&self->entry_handler, self->meeting);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  if (self->media != NULL)
    g_signal_handlers_disconnect_by_data (self->media, self);
  g_clear_object (&self->meeting);
  g_clear_object (&self->session);
  g_clear_object (&self->media);

  /* The toast overlay is both a template child and the bin's child; let the
   * bin drop it first so that it is unparented only once.
   */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), GREMIUM_TYPE_MEETING_VIEW);

  G_OBJECT_CLASS (gremium_meeting_view_parent_class)->dispose (object);
}

static void
gremium_meeting_view_finalize (GObject *object)
{
  GremiumMeetingView *self = (GremiumMeetingView *) object;

  g_free (self->banner);

  G_OBJECT_CLASS (gremium_meeting_view_parent_class)->finalize (object);
}

static void
gremium_meeting_view_class_init (GremiumMeetingViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gremium_meeting_view_dispose;
  object_class->finalize = gremium_meeting_view_finalize;

  g_type_ensure (GREMIUM_TYPE_SECURITY_POPOVER);
  g_type_ensure (GREMIUM_TYPE_VIDEO_GRID);
  g_type_ensure (GREMIUM_TYPE_AGENDA_PANEL);
  g_type_ensure (GREMIUM_TYPE_SPEAKERS_PANEL);
  g_type_ensure (GREMIUM_TYPE_PARTICIPANTS_PANEL);
  g_type_ensure (GREMIUM_TYPE_VOTE_PANEL);
  g_type_ensure (GREMIUM_TYPE_CHAT_PANEL);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/gremium/Gremium/gremium-meeting-view.ui");
  gtk_widget_class_bind_template_child (widget_class, GremiumMeetingView, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, GremiumMeetingView, title);
  gtk_widget_class_bind_template_child (widget_class, GremiumMeetingView, security_button);
  gtk_widget_class_bind_template_child (widget_class, GremiumMeetingView, security_popover);
  gtk_widget_class_bind_template_child (widget_class, GremiumMeetingView, control_button);
  gtk_widget_class_bind_template_child (widget_class, GremiumMeetingView, connection_bar);
  gtk_widget_class_bind_template_child (widget_class, GremiumMeetingView, connection_label);
  gtk_widget_class_bind_template_child (widget_class, GremiumMeetingView, alarm_bar);
  gtk_widget_class_bind_template_child (widget_class, GremiumMeetingView, alarm_label);
  gtk_widget_class_bind_template_child (widget_class, GremiumMeetingView, mute_bar);
  gtk_widget_class_bind_template_child (widget_class, GremiumMeetingView, mute_label);
  gtk_widget_class_bind_template_child (widget_class, GremiumMeetingView, mute_button);
  gtk_widget_class_bind_template_child (widget_class, GremiumMeetingView, key_bar);
  gtk_widget_class_bind_template_child (widget_class, GremiumMeetingView, output_notice);
  gtk_widget_class_bind_template_child (widget_class, GremiumMeetingView, key_label);
  gtk_widget_class_bind_template_child (widget_class, GremiumMeetingView, key_button);
  gtk_widget_class_bind_template_child (widget_class, GremiumMeetingView, flap);
  gtk_widget_class_bind_template_child (widget_class, GremiumMeetingView, grid);
  gtk_widget_class_bind_template_child (widget_class, GremiumMeetingView, microphone_button);
  gtk_widget_class_bind_template_child (widget_class, GremiumMeetingView, camera_button);
  gtk_widget_class_bind_template_child (widget_class, GremiumMeetingView, speech_content);
  gtk_widget_class_bind_template_child (widget_class, GremiumMeetingView, order_content);
  gtk_widget_class_bind_template_child (widget_class, GremiumMeetingView, panels);
  gtk_widget_class_bind_template_child (widget_class, GremiumMeetingView, votes_page);
  gtk_widget_class_bind_template_child (widget_class, GremiumMeetingView, agenda_panel);
  gtk_widget_class_bind_template_child (widget_class, GremiumMeetingView, speakers_panel);
  gtk_widget_class_bind_template_child (widget_class, GremiumMeetingView, participants_panel);
  gtk_widget_class_bind_template_child (widget_class, GremiumMeetingView, vote_panel);
  gtk_widget_class_bind_template_child (widget_class, GremiumMeetingView, chat_panel);
  gtk_widget_class_bind_template_callback (widget_class, mute_response_cb);
  gtk_widget_class_bind_template_callback (widget_class, key_response_cb);

  gtk_widget_class_install_action (widget_class, "notice.show", "s", notice_action_cb);
}

static void
gremium_meeting_view_init (GremiumMeetingView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_swapped (self->mute_button, "clicked", G_CALLBACK (mute_clicked_cb), self);
  g_signal_connect_swapped (self->key_button, "clicked", G_CALLBACK (key_clicked_cb), self);
}

/* Say why the tiles show names only, rather than leave it to guessing. */
static void
muted_output_cb (GremiumMeetingView *self)
{
  gtk_widget_set_visible (self->output_notice,
                          gremium_media_controller_get_muted_output (self->media));
}

void
gremium_meeting_view_set_session (GremiumMeetingView     *self,
                                  GremiumSession         *session,
                                  GremiumMediaController *media)
{
  g_return_if_fail (GREMIUM_IS_MEETING_VIEW (self));
  g_return_if_fail (GREMIUM_IS_SESSION (session));
  g_return_if_fail (GREMIUM_IS_MEDIA_CONTROLLER (media));

  g_set_object (&self->session, session);
  g_set_object (&self->media, media);

  gremium_security_popover_set_session (self->security_popover, session, media);
  gremium_speakers_panel_set_session (self->speakers_panel, session);
  gremium_participants_panel_set_session (self->participants_panel, session);
  gremium_vote_panel_set_session (self->vote_panel, session);
  gremium_chat_panel_set_session (self->chat_panel, session);

  g_signal_connect_swapped (session, "notify::meeting", G_CALLBACK (meeting_changed_cb), self);
  g_signal_connect_swapped (session, "notify::connection-state", G_CALLBACK (connection_state_cb), self);
  g_signal_connect_swapped (session, "notify::is-chair", G_CALLBACK (update_header), self);
  g_signal_connect_swapped (session, "reconnected", G_CALLBACK (reconnected_cb), self);
  g_signal_connect_swapped (session, "record-alarm", G_CALLBACK (record_alarm_cb), self);
  g_signal_connect_swapped (session, "mute-requested", G_CALLBACK (mute_requested_cb), self);
  g_signal_connect_swapped (session, "key-changed", G_CALLBACK (key_changed_cb), self);
  g_signal_connect_swapped (media, "notify::microphone-on", G_CALLBACK (update_media_buttons), self);
  g_signal_connect_swapped (media, "notify::camera-on", G_CALLBACK (update_media_buttons), self);
  g_signal_connect_swapped (media, "media-error", G_CALLBACK (media_error_cb), self);
  g_signal_connect_swapped (media, "notify::muted-output", G_CALLBACK (muted_output_cb), self);
  muted_output_cb (self);

  update_media_buttons (self);
  meeting_changed_cb (self);
}

/**
 * gremium_meeting_view_show_panel:
 * @self: a view
 * @name: `agenda`, `speakers`, `participants`, `votes` or `chat`
 *
 * Shows the side panel with the named page.
 */
void
gremium_meeting_view_show_panel (GremiumMeetingView *self,
                                 const char         *name)
{
  g_return_if_fail (GREMIUM_IS_MEETING_VIEW (self));

  adw_flap_set_reveal_flap (self->flap, TRUE);
  adw_view_stack_set_visible_child_name (self->panels, name);
}

const char *
gremium_meeting_view_get_panel (GremiumMeetingView *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEETING_VIEW (self), NULL);

  return adw_view_stack_get_visible_child_name (self->panels);
}

void
gremium_meeting_view_toggle_sidebar (GremiumMeetingView *self)
{
  g_return_if_fail (GREMIUM_IS_MEETING_VIEW (self));

  adw_flap_set_reveal_flap (self->flap, !adw_flap_get_reveal_flap (self->flap));
}

void
gremium_meeting_view_show_security (GremiumMeetingView *self)
{
  g_return_if_fail (GREMIUM_IS_MEETING_VIEW (self));

  gtk_menu_button_popup (self->security_button);
}

/**
 * gremium_meeting_view_get_banner:
 * @self: a view
 *
 * Returns: (nullable): the text of the last banner or notice shown, for tests
 */
const char *
gremium_meeting_view_get_banner (GremiumMeetingView *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEETING_VIEW (self), NULL);

  return self->banner;
}

/**
 * gremium_meeting_view_get_vote_panel:
 * @self: a view
 *
 * Returns: (transfer none): the voting panel
 */
GtkWidget *
gremium_meeting_view_get_vote_panel (GremiumMeetingView *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEETING_VIEW (self), NULL);

  return GTK_WIDGET (self->vote_panel);
}
