/* gremium-participants-panel.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-participants-panel"

#include "config.h"

#include "gremium-participants-panel.h"
#include "gremium-participant-row.h"
#include "gremium-ui-util.h"

#include <glib/gi18n.h>

/**
 * GremiumParticipantsPanel:
 *
 * The roster: the live quorum as the record computes it (docs/record.md
 * §6), who waits in the lobby, who is present and who is absent, each with
 * the fingerprints of their device keys. In the chair's window it also
 * admits from the lobby, asks a member or everyone to mute and records the
 * finding of the quorum.
 */
struct _GremiumParticipantsPanel
{
  AdwBin          parent_instance;

  GtkLabel       *quorum_label;
  GtkLabel       *quorum_detail;
  GtkWidget      *chair_buttons;
  GtkWidget      *lobby_group;
  GtkListBox     *lobby_list;
  GtkWidget      *present_group;
  GtkListBox     *present_list;
  GtkWidget      *absent_group;
  GtkListBox     *absent_list;

  GremiumSession *session;
  GremiumMeeting *meeting;
  gulong          entry_handler;
  gboolean        chair_mode;
};

G_DEFINE_FINAL_TYPE (GremiumParticipantsPanel, gremium_participants_panel, ADW_TYPE_BIN)

static void
submitted_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GremiumParticipantsPanel) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!gremium_session_submit_finish (GREMIUM_SESSION (object), result, &error))
    {
      g_autofree char *text = gremium_describe_error (error);

      gtk_widget_activate_action (GTK_WIDGET (self), "notice.show", "s", text);
    }
}

static void
submit_for_member (GremiumParticipantsPanel *self,
                   const char               *kind,
                   const char               *member)
{
  g_autoptr(JsonObject) data = json_object_new ();

  if (member != NULL)
    json_object_set_string_member (data, "member", member);
  gremium_session_submit_async (self->session, kind, data, NULL, submitted_cb, g_object_ref (self));
}

static void
member_button_cb (GtkButton                *button,
                  GremiumParticipantsPanel *self)
{
  submit_for_member (self, g_object_get_data (G_OBJECT (button), "kind"),
                     g_object_get_data (G_OBJECT (button), "member-id"));
}

static void
add_member_button (GremiumParticipantsPanel *self,
                   GtkWidget                *row,
                   const char               *label,
                   char                     *accessible,
                   const char               *kind)
{
  GremiumMember *member = gremium_participant_row_get_member (GREMIUM_PARTICIPANT_ROW (row));
  GtkWidget *button;

  button = gremium_participant_row_add_button (GREMIUM_PARTICIPANT_ROW (row), label, accessible);
  g_object_set_data (G_OBJECT (button), "kind", (gpointer) kind);
  g_object_set_data_full (G_OBJECT (button), "member-id", g_strdup (gremium_member_get_id (member)), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (member_button_cb), self);
  g_free (accessible);
}

static void
refresh (GremiumParticipantsPanel *self)
{
  g_autofree char *quorum_text = gremium_participants_panel_dup_quorum_text (self);
  g_autofree char *detail = NULL;
  GListModel *members = gremium_meeting_get_members (self->meeting);
  const char *me = gremium_session_get_member_id (self->session);
  guint n_lobby = 0;
  guint n_present = 0;
  guint n_absent = 0;
  GremiumQuorum quorum;

  gremium_meeting_get_quorum (self->meeting, &quorum);
  gtk_label_set_label (self->quorum_label, quorum_text);
  if (quorum.reached)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->quorum_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->quorum_label), "success");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->quorum_label), "success");
      gtk_widget_add_css_class (GTK_WIDGET (self->quorum_label), "error");
    }

  /* Translators: the numbers behind the quorum: present and entitled voting
   * members, all voting members, members excluded (§ 38), and the number needed */
  detail = g_strdup_printf (_("%u of %u voting members present and entitled, %u excluded (§ 38); "
                              "%u needed"),
                            quorum.present, quorum.members, quorum.excluded, quorum.required);
  gtk_label_set_label (self->quorum_detail, detail);

  gremium_clear_box (GTK_WIDGET (self->lobby_list));
  gremium_clear_box (GTK_WIDGET (self->present_list));
  gremium_clear_box (GTK_WIDGET (self->absent_list));

  for (guint i = 0; i < g_list_model_get_n_items (members); i++)
    {
      g_autoptr(GremiumMember) member = g_list_model_get_item (members, i);
      GtkWidget *row = gremium_participant_row_new (self->meeting, member);
      gboolean own = g_strcmp0 (gremium_member_get_id (member), me) == 0;
      const char *name = gremium_member_get_name (member);

      switch (gremium_member_get_presence (member))
        {
        case GREMIUM_PRESENCE_LOBBY:
          if (self->chair_mode)
            {
              /* Translators: spoken labels of buttons; %s is a name */
              add_member_button (self, row, _("_Admit"), g_strdup_printf (_("Admit %s"), name),
                                 GREMIUM_KIND_LOBBY_ADMIT);
              add_member_button (self, row, _("_Deny"), g_strdup_printf (_("Turn %s away"), name),
                                 GREMIUM_KIND_LOBBY_DENY);
            }
          gtk_list_box_append (self->lobby_list, row);
          n_lobby++;
          break;

        case GREMIUM_PRESENCE_PRESENT:
          if (self->chair_mode && !own)
            /* Translators: spoken label of a button; %s is a name */
            add_member_button (self, row, _("Ask to _Mute"), g_strdup_printf (_("Ask %s to mute"), name),
                               GREMIUM_KIND_MUTE_REQUEST);
          gtk_list_box_append (self->present_list, row);
          n_present++;
          break;

        case GREMIUM_PRESENCE_ABSENT:
        default:
          gtk_list_box_append (self->absent_list, row);
          n_absent++;
          break;
        }
    }

  gtk_widget_set_visible (self->lobby_group, n_lobby > 0);
  gtk_widget_set_visible (self->present_group, n_present > 0);
  gtk_widget_set_visible (self->absent_group, n_absent > 0);
}

static void
confirm_quorum_cb (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  GremiumParticipantsPanel *self = GREMIUM_PARTICIPANTS_PANEL (widget);
  g_autoptr(JsonObject) data = gremium_session_build_quorum_confirm (self->session);

  gremium_session_submit_async (self->session, GREMIUM_KIND_QUORUM_CONFIRM, data, NULL,
                                submitted_cb, g_object_ref (self));
}

static void
mute_all_cb (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  submit_for_member (GREMIUM_PARTICIPANTS_PANEL (widget), GREMIUM_KIND_MUTE_REQUEST, NULL);
}

static void
gremium_participants_panel_dispose (GObject *object)
{
  GremiumParticipantsPanel *self = (GremiumParticipantsPanel *) object;

  if (self->meeting != NULL)
    g_clear_signal_handler (&self->entry_handler, self->meeting);
  g_clear_object (&self->meeting);
  g_clear_object (&self->session);

  gtk_widget_dispose_template (GTK_WIDGET (self), GREMIUM_TYPE_PARTICIPANTS_PANEL);

  G_OBJECT_CLASS (gremium_participants_panel_parent_class)->dispose (object);
}

static void
gremium_participants_panel_class_init (GremiumParticipantsPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gremium_participants_panel_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/gremium/Gremium/gremium-participants-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, GremiumParticipantsPanel, quorum_label);
  gtk_widget_class_bind_template_child (widget_class, GremiumParticipantsPanel, quorum_detail);
  gtk_widget_class_bind_template_child (widget_class, GremiumParticipantsPanel, chair_buttons);
  gtk_widget_class_bind_template_child (widget_class, GremiumParticipantsPanel, lobby_group);
  gtk_widget_class_bind_template_child (widget_class, GremiumParticipantsPanel, lobby_list);
  gtk_widget_class_bind_template_child (widget_class, GremiumParticipantsPanel, present_group);
  gtk_widget_class_bind_template_child (widget_class, GremiumParticipantsPanel, present_list);
  gtk_widget_class_bind_template_child (widget_class, GremiumParticipantsPanel, absent_group);
  gtk_widget_class_bind_template_child (widget_class, GremiumParticipantsPanel, absent_list);

  gtk_widget_class_install_action (widget_class, "participants.confirm-quorum", NULL, confirm_quorum_cb);
  gtk_widget_class_install_action (widget_class, "participants.mute-all", NULL, mute_all_cb);
}

static void
gremium_participants_panel_init (GremiumParticipantsPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

static void
meeting_changed_cb (GremiumParticipantsPanel *self)
{
  GremiumMeeting *meeting = gremium_session_get_meeting (self->session);

  if (self->meeting != NULL)
    g_clear_signal_handler (&self->entry_handler, self->meeting);
  g_set_object (&self->meeting, meeting);

  if (meeting == NULL)
    return;

  self->entry_handler = g_signal_connect_swapped (meeting, "entry-applied", G_CALLBACK (refresh), self);
  refresh (self);
}

void
gremium_participants_panel_set_session (GremiumParticipantsPanel *self,
                                        GremiumSession           *session)
{
  g_return_if_fail (GREMIUM_IS_PARTICIPANTS_PANEL (self));
  g_return_if_fail (GREMIUM_IS_SESSION (session));

  g_set_object (&self->session, session);
  g_signal_connect_object (session, "notify::meeting", G_CALLBACK (meeting_changed_cb), self,
                           G_CONNECT_SWAPPED);
  meeting_changed_cb (self);
}

void
gremium_participants_panel_set_chair_mode (GremiumParticipantsPanel *self,
                                           gboolean                  chair_mode)
{
  g_return_if_fail (GREMIUM_IS_PARTICIPANTS_PANEL (self));

  self->chair_mode = !!chair_mode;
  gtk_widget_set_visible (self->chair_buttons, chair_mode);
  if (self->meeting != NULL)
    refresh (self);
}

/**
 * gremium_participants_panel_dup_quorum_text:
 * @self: a panel
 *
 * Returns: (transfer full): the quorum in one sentence
 */
char *
gremium_participants_panel_dup_quorum_text (GremiumParticipantsPanel *self)
{
  GremiumQuorum quorum;

  g_return_val_if_fail (GREMIUM_IS_PARTICIPANTS_PANEL (self), NULL);

  if (self->meeting == NULL)
    return g_strdup ("");

  gremium_meeting_get_quorum (self->meeting, &quorum);
  if (quorum.reached)
    /* Translators: %u are numbers of voting members */
    return g_strdup_printf (_("Quorate: %u of %u present"), quorum.present, quorum.members);

  /* Translators: %u are numbers of voting members */
  return g_strdup_printf (_("Not quorate: %u present, %u needed"), quorum.present, quorum.required);
}
