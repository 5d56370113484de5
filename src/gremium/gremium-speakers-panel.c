/* gremium-speakers-panel.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-speakers-panel"

#include "config.h"

#include "gremium-speakers-panel.h"
#include "gremium-speaker-row.h"
#include "gremium-ui-util.h"

#include <glib/gi18n.h>

/**
 * GremiumSpeakersPanel:
 *
 * The speakers list: who has the floor with the speaking-time timer
 * (counted from the grant's time in the record, docs/record.md §5.7), and
 * the waiting requests in the order the record gives them, points of order
 * first. In the chair's meeting-control window it also grants the floor
 * with a time limit and ends a speech.
 */
struct _GremiumSpeakersPanel
{
  AdwBin          parent_instance;

  GtkWidget      *floor_box;
  GtkLabel       *speaker_label;
  GtkLabel       *timer_label;
  GtkLevelBar    *time_bar;
  GtkWidget      *finish_button;
  GtkWidget      *limit_group;
  GtkSpinButton  *limit_spin;
  GtkWidget      *list_group;
  GtkListBox     *list;
  GtkWidget      *empty_label;
  GtkWidget      *member_buttons;
  GtkButton      *speech_button;
  GtkButton      *order_button;

  GremiumSession *session;
  GremiumMeeting *meeting;
  gulong          entry_handler;
  guint           timer_id;
  gboolean        chair_mode;
};

G_DEFINE_FINAL_TYPE (GremiumSpeakersPanel, gremium_speakers_panel, ADW_TYPE_BIN)

static void
update_timer (GremiumSpeakersPanel *self)
{
  g_autofree char *text = gremium_speakers_panel_dup_timer_text (self);
  guint limit = gremium_meeting_get_speaker_limit (self->meeting);
  gint64 elapsed = (g_get_real_time () - gremium_meeting_get_speaker_since (self->meeting)) / G_USEC_PER_SEC;

  gtk_label_set_label (self->timer_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->time_bar), limit > 0);
  if (limit > 0)
    gtk_level_bar_set_value (self->time_bar, CLAMP ((double) elapsed / limit, 0.0, 1.0));

  if (limit > 0 && elapsed > limit)
    gtk_widget_add_css_class (GTK_WIDGET (self->timer_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->timer_label), "error");
}

static gboolean
tick_cb (gpointer user_data)
{
  update_timer (user_data);
  return G_SOURCE_CONTINUE;
}

static void
submitted_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GremiumSpeakersPanel) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!gremium_session_submit_finish (GREMIUM_SESSION (object), result, &error))
    {
      g_autofree char *text = gremium_describe_error (error);

      /* The window around the panel shows the notice. */
      gtk_widget_activate_action (GTK_WIDGET (self), "notice.show", "s", text);
    }
}

static void
grant_clicked_cb (GtkButton            *button,
                  GremiumSpeakersPanel *self)
{
  const char *member = g_object_get_data (G_OBJECT (button), "member-id");
  g_autoptr(JsonObject) data = json_object_new ();

  json_object_set_string_member (data, "member", member);
  json_object_set_int_member (data, "limit", 60 * gtk_spin_button_get_value_as_int (self->limit_spin));
  gremium_session_submit_async (self->session, GREMIUM_KIND_SPEAKERS_GRANT, data, NULL,
                                submitted_cb, g_object_ref (self));
}

static void
finish_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  GremiumSpeakersPanel *self = GREMIUM_SPEAKERS_PANEL (widget);

  gremium_session_submit_async (self->session, GREMIUM_KIND_SPEAKERS_FINISH, NULL, NULL,
                                submitted_cb, g_object_ref (self));
}

static void
refresh (GremiumSpeakersPanel *self)
{
  GListModel *speakers = gremium_meeting_get_speakers (self->meeting);
  const char *speaker = gremium_meeting_get_current_speaker (self->meeting);
  const char *me = gremium_session_get_member_id (self->session);
  gboolean my_speech = FALSE;
  gboolean my_order = FALSE;
  guint n = g_list_model_get_n_items (speakers);

  gtk_widget_set_visible (self->floor_box, speaker != NULL);
  g_clear_handle_id (&self->timer_id, g_source_remove);
  if (speaker != NULL)
    {
      gtk_label_set_label (self->speaker_label, gremium_member_name (self->meeting, speaker));
      update_timer (self);
      self->timer_id = g_timeout_add_seconds (1, tick_cb, self);
      gtk_widget_set_visible (self->finish_button,
                              self->chair_mode || g_strcmp0 (speaker, me) == 0);
    }

  gremium_clear_box (GTK_WIDGET (self->list));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GremiumSpeakerRequest) request = g_list_model_get_item (speakers, i);
      const char *member = gremium_speaker_request_get_member_id (request);
      const char *name = gremium_member_name (self->meeting, member);
      GtkWidget *row = gremium_speaker_row_new (request, name, i + 1);

      if (g_strcmp0 (member, me) == 0)
        {
          if (gremium_speaker_request_get_kind (request) == GREMIUM_SPEECH_KIND_POINT_OF_ORDER)
            my_order = TRUE;
          else
            my_speech = TRUE;
        }

      if (self->chair_mode)
        {
          /* Translators: the spoken label of a button; %s is a name */
          g_autofree char *label = g_strdup_printf (_("Give the floor to %s"), name);
          GtkWidget *button = gremium_speaker_row_add_button (GREMIUM_SPEAKER_ROW (row),
                                                              _("_Give the Floor"), label);

          g_object_set_data_full (G_OBJECT (button), "member-id", g_strdup (member), g_free);
          g_signal_connect (button, "clicked", G_CALLBACK (grant_clicked_cb), self);
        }

      gtk_list_box_append (self->list, row);
    }

  gtk_widget_set_visible (self->list_group, n > 0);
  gtk_widget_set_visible (self->empty_label, n == 0);

  gtk_button_set_label (self->speech_button, my_speech ? _("_Withdraw Request") : _("_Request to Speak"));
  gtk_button_set_label (self->order_button, my_order ? _("Withdraw Point of _Order") : _("Point of _Order"));
}

static void
gremium_speakers_panel_dispose (GObject *object)
{
  GremiumSpeakersPanel *self = (GremiumSpeakersPanel *) object;

  g_clear_handle_id (&self->timer_id, g_source_remove);
  if (self->meeting != NULL)
    g_clear_signal_handler (&self->entry_handler, self->meeting);
  g_clear_object (&self->meeting);
  g_clear_object (&self->session);

  gtk_widget_dispose_template (GTK_WIDGET (self), GREMIUM_TYPE_SPEAKERS_PANEL);

  G_OBJECT_CLASS (gremium_speakers_panel_parent_class)->dispose (object);
}

static void
gremium_speakers_panel_class_init (GremiumSpeakersPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gremium_speakers_panel_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/gremium/Gremium/gremium-speakers-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, GremiumSpeakersPanel, floor_box);
  gtk_widget_class_bind_template_child (widget_class, GremiumSpeakersPanel, speaker_label);
  gtk_widget_class_bind_template_child (widget_class, GremiumSpeakersPanel, timer_label);
  gtk_widget_class_bind_template_child (widget_class, GremiumSpeakersPanel, time_bar);
  gtk_widget_class_bind_template_child (widget_class, GremiumSpeakersPanel, finish_button);
  gtk_widget_class_bind_template_child (widget_class, GremiumSpeakersPanel, limit_group);
  gtk_widget_class_bind_template_child (widget_class, GremiumSpeakersPanel, limit_spin);
  gtk_widget_class_bind_template_child (widget_class, GremiumSpeakersPanel, list_group);
  gtk_widget_class_bind_template_child (widget_class, GremiumSpeakersPanel, list);
  gtk_widget_class_bind_template_child (widget_class, GremiumSpeakersPanel, empty_label);
  gtk_widget_class_bind_template_child (widget_class, GremiumSpeakersPanel, member_buttons);
  gtk_widget_class_bind_template_child (widget_class, GremiumSpeakersPanel, speech_button);
  gtk_widget_class_bind_template_child (widget_class, GremiumSpeakersPanel, order_button);

  gtk_widget_class_install_action (widget_class, "speakers.finish", NULL, finish_action_cb);
}

static void
gremium_speakers_panel_init (GremiumSpeakersPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

static void
meeting_changed_cb (GremiumSpeakersPanel *self)
{
  GremiumMeeting *meeting = gremium_session_get_meeting (self->session);

  if (self->meeting != NULL)
    g_clear_signal_handler (&self->entry_handler, self->meeting);
  g_clear_handle_id (&self->timer_id, g_source_remove);
  g_set_object (&self->meeting, meeting);

  if (meeting == NULL)
    {
      gremium_clear_box (GTK_WIDGET (self->list));
      return;
    }

  self->entry_handler = g_signal_connect_swapped (meeting, "entry-applied", G_CALLBACK (refresh), self);
  refresh (self);
}

void
gremium_speakers_panel_set_session (GremiumSpeakersPanel *self,
                                    GremiumSession       *session)
{
  g_return_if_fail (GREMIUM_IS_SPEAKERS_PANEL (self));
  g_return_if_fail (GREMIUM_IS_SESSION (session));

  g_set_object (&self->session, session);
  g_signal_connect_object (session, "notify::meeting", G_CALLBACK (meeting_changed_cb), self,
                           G_CONNECT_SWAPPED);
  meeting_changed_cb (self);
}

/**
 * gremium_speakers_panel_set_chair_mode:
 * @self: a panel
 * @chair_mode: whether to offer the chair's controls
 */
void
gremium_speakers_panel_set_chair_mode (GremiumSpeakersPanel *self,
                                       gboolean              chair_mode)
{
  g_return_if_fail (GREMIUM_IS_SPEAKERS_PANEL (self));

  self->chair_mode = !!chair_mode;
  gtk_widget_set_visible (self->limit_group, chair_mode);
  gtk_widget_set_visible (self->member_buttons, !chair_mode);
  if (self->meeting != NULL)
    refresh (self);
}

guint
gremium_speakers_panel_get_n_waiting (GremiumSpeakersPanel *self)
{
  g_return_val_if_fail (GREMIUM_IS_SPEAKERS_PANEL (self), 0);

  return self->meeting ? g_list_model_get_n_items (gremium_meeting_get_speakers (self->meeting)) : 0;
}

/**
 * gremium_speakers_panel_dup_timer_text:
 * @self: a panel
 *
 * Returns: (transfer full): the speaking time shown, "1:05 / 3:00"
 */
char *
gremium_speakers_panel_dup_timer_text (GremiumSpeakersPanel *self)
{
  g_autofree char *elapsed_text = NULL;
  g_autofree char *limit_text = NULL;
  gint64 elapsed;
  guint limit;

  g_return_val_if_fail (GREMIUM_IS_SPEAKERS_PANEL (self), NULL);

  if (self->meeting == NULL || gremium_meeting_get_current_speaker (self->meeting) == NULL)
    return g_strdup ("");

  elapsed = MAX (0, (g_get_real_time () - gremium_meeting_get_speaker_since (self->meeting)) / G_USEC_PER_SEC);
  limit = gremium_meeting_get_speaker_limit (self->meeting);
  elapsed_text = gremium_format_seconds (elapsed);
  if (limit == 0)
    return g_steal_pointer (&elapsed_text);

  limit_text = gremium_format_seconds (limit);
  /* Translators: speaking time used and allowed, "1:05 / 3:00" */
  return g_strdup_printf (_("%s / %s"), elapsed_text, limit_text);
}
