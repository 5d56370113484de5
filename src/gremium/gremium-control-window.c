/* gremium-control-window.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-control-window"

#include "config.h"

#include "gremium-control-window.h"
#include "gremium-participants-panel.h"
#include "gremium-speakers-panel.h"
#include "gremium-ui-util.h"
#include "gremium-vote-wizard.h"

#include <gremium-vote-private.h>

#include <glib/gi18n.h>

/**
 * GremiumControlWindow:
 *
 * The chair's meeting-control window, opened only for a member whose role
 * is chair or deputy: attendance with the live quorum and the lobby,
 * agenda control (next item, public or non-public, Befangenheit, new
 * items), the speakers list with the speaking time, mute requests, and the
 * votes (the wizard, live turnout, close, publish, cancel).
 *
 * The window only proposes statements; the server and every client check
 * each one against the rules of the record, so a refused action changes
 * nothing and is explained in a notice.
 */
struct _GremiumControlWindow
{
  AdwWindow                 parent_instance;

  AdwToastOverlay          *toast_overlay;
  AdwViewStack             *stack;
  GtkButton                *open_button;
  GtkLabel                 *summary_label;
  GremiumParticipantsPanel *participants_panel;
  GremiumSpeakersPanel     *speakers_panel;
  GtkListBox               *agenda_list;
  AdwEntryRow              *new_item_row;
  GtkSwitch                *new_item_public;
  GtkWidget                *vote_box;
  GtkLabel                 *vote_question;
  GtkLabel                 *vote_status;
  GtkLabel                 *vote_result;
  GtkWidget                *turnout_group;
  GtkListBox               *turnout_list;

  GremiumApplication       *application;
  GremiumSession           *session;
  GremiumMeeting           *meeting;
  gulong                    entry_handler;
  char                     *notice;
  GtkWindow                *wizard;
};

G_DEFINE_FINAL_TYPE (GremiumControlWindow, gremium_control_window, ADW_TYPE_WINDOW)

static void
show_notice (GremiumControlWindow *self,
             const char           *text)
{
  AdwToast *toast = adw_toast_new (text);

  g_free (self->notice);
  self->notice = g_strdup (text);
  adw_toast_set_timeout (toast, 6);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
notice_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  show_notice (GREMIUM_CONTROL_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void refresh (GremiumControlWindow *self);

static void
submitted_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GremiumControlWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!gremium_session_submit_finish (GREMIUM_SESSION (object), result, &error))
    {
      g_autofree char *text = gremium_describe_error (error);

      show_notice (self, text);
      /* Put switches back to what the record says. */
      if (self->meeting != NULL)
        refresh (self);
    }
}

static void
submit (GremiumControlWindow *self,
        const char           *kind,
        JsonObject           *data)
{
  gremium_session_submit_async (self->session, kind, data, NULL, submitted_cb, g_object_ref (self));
}

static GremiumVote *
shown_vote (GremiumControlWindow *self)
{
  GListModel *votes = gremium_meeting_get_votes (self->meeting);
  GremiumVote *current = gremium_meeting_get_current_vote (self->meeting);
  guint n = g_list_model_get_n_items (votes);
  GremiumVote *last;

  if (current != NULL || n == 0)
    return current;

  last = g_list_model_get_item (votes, n - 1);
  g_object_unref (last);   /* the meeting keeps it */
  return last;
}

/* ---- Agenda ------------------------------------------------------------ */

static void
call_clicked_cb (GtkButton            *button,
                 GremiumControlWindow *self)
{
  g_autoptr(JsonObject) data = json_object_new ();

  json_object_set_int_member (data, "item", GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "item")));
  submit (self, GREMIUM_KIND_AGENDA_SELECT, data);
}

static void
public_toggled_cb (GtkSwitch            *sw,
                   GParamSpec           *pspec,
                   GremiumControlWindow *self)
{
  guint id = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (sw), "item"));
  GremiumAgendaItem *item = gremium_meeting_lookup_item (self->meeting, id);
  g_autoptr(JsonObject) data = NULL;

  if (item == NULL || gremium_agenda_item_get_public (item) == gtk_switch_get_active (sw))
    return;

  data = json_object_new ();
  json_object_set_int_member (data, "item", id);
  json_object_set_boolean_member (data, "public", gtk_switch_get_active (sw));
  submit (self, GREMIUM_KIND_AGENDA_VISIBILITY, data);
}

typedef struct
{
  GremiumControlWindow *self;
  guint                 item;
  GtkDropDown          *member;
  GtkEntry             *reason;
  GPtrArray            *member_ids;
} ConflictDialog;

static void
conflict_dialog_free (ConflictDialog *dialog)
{
  g_object_unref (dialog->self);
  g_ptr_array_unref (dialog->member_ids);
  g_free (dialog);
}

static void
conflict_response_cb (AdwMessageDialog *message_dialog,
                      const char       *response,
                      ConflictDialog   *dialog)
{
  g_autoptr(JsonObject) data = NULL;
  guint selected;

  if (g_strcmp0 (response, "declare") != 0)
    return;

  selected = gtk_drop_down_get_selected (dialog->member);
  if (selected == GTK_INVALID_LIST_POSITION || selected >= dialog->member_ids->len)
    return;

  data = json_object_new ();
  json_object_set_int_member (data, "item", dialog->item);
  json_object_set_string_member (data, "member", g_ptr_array_index (dialog->member_ids, selected));
  json_object_set_string_member (data, "reason", gtk_editable_get_text (GTK_EDITABLE (dialog->reason)));
  submit (dialog->self, GREMIUM_KIND_CONFLICT_DECLARE, data);
}

static void
conflict_clicked_cb (GtkButton            *button,
                     GremiumControlWindow *self)
{
  guint id = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "item"));
  GremiumAgendaItem *item = gremium_meeting_lookup_item (self->meeting, id);
  GListModel *members = gremium_meeting_get_members (self->meeting);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autofree char *heading = NULL;
  ConflictDialog *dialog;
  GtkWidget *message;
  GtkWidget *box;

  dialog = g_new0 (ConflictDialog, 1);
  dialog->self = g_object_ref (self);
  dialog->item = id;
  dialog->member_ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < g_list_model_get_n_items (members); i++)
    {
      g_autoptr(GremiumMember) member = g_list_model_get_item (members, i);

      if (!gremium_member_can_vote (member) ||
          gremium_agenda_item_has_conflict (item, gremium_member_get_id (member)))
        continue;
      gtk_string_list_append (names, gremium_member_get_name (member));
      g_ptr_array_add (dialog->member_ids, g_strdup (gremium_member_get_id (member)));
    }

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  dialog->member = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_object_ref (names)), NULL));
  gtk_accessible_update_property (GTK_ACCESSIBLE (dialog->member),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Member"), -1);
  dialog->reason = GTK_ENTRY (gtk_entry_new ());
  gtk_entry_set_max_length (dialog->reason, 500);
  gtk_entry_set_placeholder_text (dialog->reason, _("Reason (for the minutes)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (dialog->reason),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Reason"), -1);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (dialog->member));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (dialog->reason));

  /* Translators: %u is the number of an agenda item */
  heading = g_strdup_printf (_("Personal Interest in Item %u"), id);
  message = adw_message_dialog_new (GTK_WINDOW (self), heading,
                                    _("The member is excluded from the debate and the votes of this "
                                      "item (ThürKO § 38), and the minutes say so."));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (message), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (message),
                                    "cancel", _("_Cancel"),
                                    "declare", _("_Exclude"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (message), "declare",
                                              ADW_RESPONSE_SUGGESTED);
  g_signal_connect_data (message, "response", G_CALLBACK (conflict_response_cb), dialog,
                         (GClosureNotify) (void (*) (void)) conflict_dialog_free, 0);
  gtk_window_present (GTK_WINDOW (message));
}

static void
withdraw_clicked_cb (GtkButton            *button,
                     GremiumControlWindow *self)
{
  g_autoptr(JsonObject) data = json_object_new ();

  json_object_set_int_member (data, "item", GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "item")));
  json_object_set_string_member (data, "member", g_object_get_data (G_OBJECT (button), "member-id"));
  submit (self, GREMIUM_KIND_CONFLICT_WITHDRAW, data);
}

static GtkWidget *
add_row_button (AdwActionRow *row,
                const char   *label,
                const char   *accessible_label)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_label, -1);
  adw_action_row_add_suffix (row, button);

  return button;
}

static void
refresh_agenda (GremiumControlWindow *self)
{
  GListModel *agenda = gremium_meeting_get_agenda (self->meeting);
  GremiumAgendaItem *current = gremium_meeting_get_current_item (self->meeting);

  gremium_clear_box (GTK_WIDGET (self->agenda_list));

  for (guint i = 0; i < g_list_model_get_n_items (agenda); i++)
    {
      g_autoptr(GremiumAgendaItem) item = g_list_model_get_item (agenda, i);
      guint id = gremium_agenda_item_get_id (item);
      g_autofree char *title = gremium_item_label (item);
      g_autofree char *call_label = NULL;
      g_autofree char *public_label = NULL;
      g_autofree char *conflict_label = NULL;
      g_auto(GStrv) conflicts = gremium_agenda_item_dup_conflicts (item);
      g_autoptr(GString) subtitle = g_string_new (NULL);
      GtkWidget *row = adw_expander_row_new ();
      GtkWidget *sw = gtk_switch_new ();
      GtkWidget *button;

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      g_string_append (subtitle, item == current ? _("Current item") : "");
      if (conflicts[0] != NULL)
        {
          if (subtitle->len)
            g_string_append (subtitle, " · ");
          g_string_append_printf (subtitle, g_dngettext (GETTEXT_PACKAGE, "%u member excluded (§ 38)",
                                                         "%u members excluded (§ 38)",
                                                         g_strv_length (conflicts)),
                                  g_strv_length (conflicts));
        }
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle->str);

      if (item != current)
        {
          /* Translators: spoken label of a button; %u is an item number */
          call_label = g_strdup_printf (_("Call item %u"), id);
          button = gtk_button_new_with_mnemonic (_("_Call"));
          gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
          gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL, call_label, -1);
          g_object_set_data (G_OBJECT (button), "item", GUINT_TO_POINTER (id));
          g_signal_connect (button, "clicked", G_CALLBACK (call_clicked_cb), self);
          adw_expander_row_add_action (ADW_EXPANDER_ROW (row), button);
        }

      /* Translators: spoken label of a switch; %u is an item number */
      public_label = g_strdup_printf (_("Item %u is public"), id);
      gtk_switch_set_active (GTK_SWITCH (sw), gremium_agenda_item_get_public (item));
      gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (sw, _("Public (on) or non-public (off)"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (sw), GTK_ACCESSIBLE_PROPERTY_LABEL, public_label, -1);
      g_object_set_data (G_OBJECT (sw), "item", GUINT_TO_POINTER (id));
      g_signal_connect (sw, "notify::active", G_CALLBACK (public_toggled_cb), self);
      adw_expander_row_add_action (ADW_EXPANDER_ROW (row), sw);

      /* Inside the row: who is excluded, and recording a new exclusion. */
      for (guint k = 0; conflicts[k] != NULL; k++)
        {
          GtkWidget *conflict = adw_action_row_new ();
          const char *reason = gremium_agenda_item_get_conflict_reason (item, conflicts[k]);
          g_autofree char *withdraw_label = NULL;

          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (conflict), FALSE);
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (conflict),
                                         gremium_member_name (self->meeting, conflicts[k]));
          adw_action_row_set_subtitle (ADW_ACTION_ROW (conflict), reason && reason[0] ? reason
                                                                  : _("Excluded (§ 38)"));
          /* Translators: spoken label of a button; %s is a name */
          withdraw_label = g_strdup_printf (_("Lift the exclusion of %s"),
                                            gremium_member_name (self->meeting, conflicts[k]));
          button = add_row_button (ADW_ACTION_ROW (conflict), _("_Lift"), withdraw_label);
          g_object_set_data (G_OBJECT (button), "item", GUINT_TO_POINTER (id));
          g_object_set_data_full (G_OBJECT (button), "member-id", g_strdup (conflicts[k]), g_free);
          g_signal_connect (button, "clicked", G_CALLBACK (withdraw_clicked_cb), self);
          adw_expander_row_add_row (ADW_EXPANDER_ROW (row), conflict);
        }

      {
        GtkWidget *declare = adw_action_row_new ();

        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (declare), _("Personal interest (§ 38)"));
        /* Translators: spoken label of a button; %u is an item number */
        conflict_label = g_strdup_printf (_("Exclude a member from item %u"), id);
        button = add_row_button (ADW_ACTION_ROW (declare), _("_Exclude a Member…"), conflict_label);
        g_object_set_data (G_OBJECT (button), "item", GUINT_TO_POINTER (id));
        g_signal_connect (button, "clicked", G_CALLBACK (conflict_clicked_cb), self);
        adw_expander_row_add_row (ADW_EXPANDER_ROW (row), declare);
      }

      gtk_list_box_append (self->agenda_list, row);
    }
}

static void
add_item_cb (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  GremiumControlWindow *self = GREMIUM_CONTROL_WINDOW (widget);
  g_autofree char *title = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->new_item_row))));
  g_autoptr(JsonObject) data = NULL;

  if (title[0] == '\0')
    {
      show_notice (self, _("Enter the title of the new item."));
      return;
    }

  data = json_object_new ();
  json_object_set_string_member (data, "title", title);
  json_object_set_boolean_member (data, "public", gtk_switch_get_active (self->new_item_public));
  submit (self, GREMIUM_KIND_AGENDA_ADD, data);
  gtk_editable_set_text (GTK_EDITABLE (self->new_item_row), "");
}

/* ---- Votes --------------------------------------------------------------- */

static void
refresh_votes (GremiumControlWindow *self)
{
  GremiumVote *vote = shown_vote (self);
  GremiumVoteState state;
  const char * const *eligible;
  g_autofree char *status = NULL;
  g_autofree char *result = NULL;
  gboolean in_progress;

  gremium_clear_box (GTK_WIDGET (self->turnout_list));

  if (vote == NULL)
    {
      gtk_label_set_label (self->vote_question, _("No vote yet"));
      gtk_label_set_label (self->vote_status, _("Open a vote with “New Vote”. The eligible voters "
                                                "follow from the record."));
      gtk_label_set_label (self->vote_result, "");
      gtk_widget_set_visible (self->turnout_group, FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "control.new-vote", TRUE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "control.close-vote", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "control.publish-vote", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "control.cancel-vote", FALSE);
      return;
    }

  state = gremium_vote_get_state (vote);
  in_progress = state != GREMIUM_VOTE_STATE_PUBLISHED && state != GREMIUM_VOTE_STATE_CANCELLED;
  eligible = gremium_vote_get_eligible (vote);

  gtk_label_set_label (self->vote_question, gremium_vote_get_question (vote));
  /* Translators: kind of vote, its state, and the turnout, "Secret vote · Voting is open · 3 of 9 voted" */
  status = g_strdup_printf (_("%s · %s · %u of %u voted"),
                            gremium_vote_type_label (gremium_vote_get_vote_type (vote)),
                            gremium_vote_state_label (state), gremium_vote_get_n_ballots (vote),
                            g_strv_length ((char **) eligible));
  gtk_label_set_label (self->vote_status, status);
  result = gremium_vote_format_result (vote, gremium_ui_language ());
  gtk_label_set_label (self->vote_result, result ? result : "");

  gtk_widget_set_visible (self->turnout_group, TRUE);
  for (guint i = 0; eligible[i] != NULL; i++)
    {
      gboolean voted = gremium_vote_has_voted (vote, eligible[i]);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *icon = gtk_image_new_from_icon_name (voted ? "emblem-ok-symbolic" : "content-loading-symbolic");

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), gremium_member_name (self->meeting, eligible[i]));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), voted ? _("has voted") : _("not yet"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      voted ? _("has voted") : _("not yet"), -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), icon);
      gtk_list_box_append (self->turnout_list, row);
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "control.new-vote", !in_progress);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "control.close-vote", state == GREMIUM_VOTE_STATE_OPEN);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "control.publish-vote", state == GREMIUM_VOTE_STATE_DECIDED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "control.cancel-vote", in_progress);
}

static void
vote_data_action (GremiumControlWindow *self,
                  const char           *kind)
{
  GremiumVote *vote = shown_vote (self);
  g_autoptr(JsonObject) data = NULL;

  if (vote == NULL)
    return;

  data = json_object_new ();
  json_object_set_string_member (data, "vote", gremium_vote_get_id (vote));
  submit (self, kind, data);
}

static void
close_vote_cb (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  vote_data_action (GREMIUM_CONTROL_WINDOW (widget), GREMIUM_KIND_VOTE_CLOSE);
}

static void
publish_vote_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  GremiumControlWindow *self = GREMIUM_CONTROL_WINDOW (widget);
  GremiumVote *vote = shown_vote (self);
  g_autoptr(JsonObject) data = NULL;

  if (vote == NULL || gremium_vote_get_state (vote) != GREMIUM_VOTE_STATE_DECIDED)
    return;

  /* The result statement must equal what every client computes from the
   * record (docs/voting.md §5.7); the model builds it.
   */
  data = gremium_vote_build_result (vote);
  submit (self, GREMIUM_KIND_VOTE_RESULT, data);
}

static void
cancel_response_cb (AdwMessageDialog     *dialog,
                    const char           *response,
                    GremiumControlWindow *self)
{
  GtkEditable *reason = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  GremiumVote *vote = shown_vote (self);
  g_autoptr(JsonObject) data = NULL;

  if (g_strcmp0 (response, "cancel-vote") != 0 || vote == NULL)
    return;

  data = json_object_new ();
  json_object_set_string_member (data, "vote", gremium_vote_get_id (vote));
  json_object_set_string_member (data, "reason", gtk_editable_get_text (reason));
  submit (self, GREMIUM_KIND_VOTE_CANCEL, data);
}

static void
cancel_vote_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  GremiumControlWindow *self = GREMIUM_CONTROL_WINDOW (widget);
  GtkWidget *dialog;
  GtkWidget *entry = gtk_entry_new ();

  gtk_entry_set_max_length (GTK_ENTRY (entry), 500);
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Reason (for the minutes)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Reason"), -1);

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Cancel the Vote?"),
                                   _("The vote ends without a result. The ballots cast so far stay "
                                     "in the record but are not counted."));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "keep", _("_Keep the Vote"),
                                    "cancel-vote", _("Cancel _Vote"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "cancel-vote",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  g_signal_connect_object (dialog, "response", G_CALLBACK (cancel_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
new_vote_cb (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  gremium_control_window_open_wizard (GREMIUM_CONTROL_WINDOW (widget));
}

/* ---- The meeting as a whole ------------------------------------------------ */

static void
close_meeting_response_cb (AdwMessageDialog     *dialog,
                           const char           *response,
                           GremiumControlWindow *self)
{
  if (g_strcmp0 (response, "close") == 0)
    submit (self, GREMIUM_KIND_MEETING_CLOSE, NULL);
}

static void
open_meeting_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  GremiumControlWindow *self = GREMIUM_CONTROL_WINDOW (widget);
  GtkWidget *dialog;

  if (!gremium_meeting_get_opened (self->meeting))
    {
      submit (self, GREMIUM_KIND_MEETING_OPEN, NULL);
      return;
    }

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Close the Meeting?"),
                                   _("After closing, nothing more can be recorded in this meeting."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "keep", _("_Keep Open"),
                                    "close", _("_Close Meeting"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "close",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  g_signal_connect_object (dialog, "response", G_CALLBACK (close_meeting_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
refresh (GremiumControlWindow *self)
{
  GremiumAgendaItem *item = gremium_meeting_get_current_item (self->meeting);
  g_autoptr(GString) summary = g_string_new (NULL);
  GremiumQuorum quorum;

  gremium_meeting_get_quorum (self->meeting, &quorum);
  if (quorum.reached)
    /* Translators: %u are numbers of voting members */
    g_string_append_printf (summary, _("Quorate: %u of %u present"), quorum.present, quorum.members);
  else
    /* Translators: %u are numbers of voting members */
    g_string_append_printf (summary, _("Not quorate: %u present, %u needed"), quorum.present,
                            quorum.required);

  if (item != NULL)
    {
      g_autofree char *label = gremium_item_label (item);

      g_string_append_printf (summary, " · %s (%s)", label,
                              gremium_agenda_item_get_public (item) ? _("public") : _("non-public"));
    }

  gtk_label_set_label (self->summary_label, summary->str);

  gtk_widget_set_visible (GTK_WIDGET (self->open_button), !gremium_meeting_get_closed (self->meeting));
  gtk_button_set_use_underline (self->open_button, TRUE);
  gtk_button_set_label (self->open_button, gremium_meeting_get_opened (self->meeting)
                                             ? _("C_lose Meeting") : _("_Open Meeting"));
  if (gremium_meeting_get_opened (self->meeting))
    gtk_widget_remove_css_class (GTK_WIDGET (self->open_button), "suggested-action");

  refresh_agenda (self);
  refresh_votes (self);
}

static void
meeting_changed_cb (GremiumControlWindow *self)
{
  GremiumMeeting *meeting = gremium_session_get_meeting (self->session);

  if (self->meeting != NULL)
    g_clear_signal_handler (&self->entry_handler, self->meeting);
  g_set_object (&self->meeting, meeting);

  /* Without a meeting there is nothing to control. */
  if (meeting == NULL)
    {
      gtk_window_close (GTK_WINDOW (self));
      return;
    }

  self->entry_handler = g_signal_connect_swapped (meeting, "entry-applied", G_CALLBACK (refresh), self);
  refresh (self);
}

static void
gremium_control_window_dispose (GObject *object)
{
  GremiumControlWindow *self = (GremiumControlWindow *) object;

  if (self->meeting != NULL)
    g_clear_signal_handler (&self->entry_handler, self->meeting);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->meeting);
  g_clear_object (&self->session);
  if (self->wizard != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->wizard), (gpointer *) &self->wizard);
  self->wizard = NULL;

  gtk_widget_dispose_template (GTK_WIDGET (self), GREMIUM_TYPE_CONTROL_WINDOW);

  G_OBJECT_CLASS (gremium_control_window_parent_class)->dispose (object);
}

static void
gremium_control_window_finalize (GObject *object)
{
  GremiumControlWindow *self = (GremiumControlWindow *) object;

  g_free (self->notice);

  G_OBJECT_CLASS (gremium_control_window_parent_class)->finalize (object);
}

static void
gremium_control_window_class_init (GremiumControlWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gremium_control_window_dispose;
  object_class->finalize = gremium_control_window_finalize;

  g_type_ensure (GREMIUM_TYPE_PARTICIPANTS_PANEL);
  g_type_ensure (GREMIUM_TYPE_SPEAKERS_PANEL);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/gremium/Gremium/gremium-control-window.ui");
  gtk_widget_class_bind_template_child (widget_class, GremiumControlWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, GremiumControlWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, GremiumControlWindow, open_button);
  gtk_widget_class_bind_template_child (widget_class, GremiumControlWindow, summary_label);
  gtk_widget_class_bind_template_child (widget_class, GremiumControlWindow, participants_panel);
  gtk_widget_class_bind_template_child (widget_class, GremiumControlWindow, speakers_panel);
  gtk_widget_class_bind_template_child (widget_class, GremiumControlWindow, agenda_list);
  gtk_widget_class_bind_template_child (widget_class, GremiumControlWindow, new_item_row);
  gtk_widget_class_bind_template_child (widget_class, GremiumControlWindow, new_item_public);
  gtk_widget_class_bind_template_child (widget_class, GremiumControlWindow, vote_box);
  gtk_widget_class_bind_template_child (widget_class, GremiumControlWindow, vote_question);
  gtk_widget_class_bind_template_child (widget_class, GremiumControlWindow, vote_status);
  gtk_widget_class_bind_template_child (widget_class, GremiumControlWindow, vote_result);
  gtk_widget_class_bind_template_child (widget_class, GremiumControlWindow, turnout_group);
  gtk_widget_class_bind_template_child (widget_class, GremiumControlWindow, turnout_list);

  gtk_widget_class_install_action (widget_class, "notice.show", "s", notice_action_cb);
  gtk_widget_class_install_action (widget_class, "control.open-meeting", NULL, open_meeting_cb);
  gtk_widget_class_install_action (widget_class, "control.add-item", NULL, add_item_cb);
  gtk_widget_class_install_action (widget_class, "control.new-vote", NULL, new_vote_cb);
  gtk_widget_class_install_action (widget_class, "control.close-vote", NULL, close_vote_cb);
  gtk_widget_class_install_action (widget_class, "control.publish-vote", NULL, publish_vote_cb);
  gtk_widget_class_install_action (widget_class, "control.cancel-vote", NULL, cancel_vote_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "control.new-vote", NULL);
}

static void
gremium_control_window_init (GremiumControlWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GremiumControlWindow *
gremium_control_window_new (GremiumApplication *application,
                            GremiumSession     *session)
{
  GremiumControlWindow *self;

  g_return_val_if_fail (GREMIUM_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (GREMIUM_IS_SESSION (session), NULL);

  self = g_object_new (GREMIUM_TYPE_CONTROL_WINDOW, "application", application, NULL);
  self->application = application;
  self->session = g_object_ref (session);

  gremium_participants_panel_set_session (self->participants_panel, session);
  gremium_participants_panel_set_chair_mode (self->participants_panel, TRUE);
  gremium_speakers_panel_set_session (self->speakers_panel, session);
  gremium_speakers_panel_set_chair_mode (self->speakers_panel, TRUE);

  g_signal_connect_swapped (session, "notify::meeting", G_CALLBACK (meeting_changed_cb), self);
  meeting_changed_cb (self);

  return self;
}

/**
 * gremium_control_window_show_page:
 * @self: the window
 * @name: `attendance`, `agenda`, `speakers` or `votes`
 */
void
gremium_control_window_show_page (GremiumControlWindow *self,
                                  const char           *name)
{
  g_return_if_fail (GREMIUM_IS_CONTROL_WINDOW (self));

  adw_view_stack_set_visible_child_name (self->stack, name);
}

/**
 * gremium_control_window_open_wizard:
 * @self: the window
 *
 * Opens the vote wizard.
 *
 * Returns: (transfer none): the wizard
 */
GtkWindow *
gremium_control_window_open_wizard (GremiumControlWindow *self)
{
  g_return_val_if_fail (GREMIUM_IS_CONTROL_WINDOW (self), NULL);

  if (self->wizard == NULL)
    {
      self->wizard = GTK_WINDOW (gremium_vote_wizard_new (self->session));
      g_object_add_weak_pointer (G_OBJECT (self->wizard), (gpointer *) &self->wizard);
      gtk_window_set_transient_for (self->wizard, GTK_WINDOW (self));
      gtk_window_set_modal (self->wizard, TRUE);
    }

  gtk_window_present (self->wizard);
  return self->wizard;
}

/**
 * gremium_control_window_get_notice:
 * @self: the window
 *
 * Returns: (nullable): the last notice shown, for tests
 */
const char *
gremium_control_window_get_notice (GremiumControlWindow *self)
{
  g_return_val_if_fail (GREMIUM_IS_CONTROL_WINDOW (self), NULL);

  return self->notice;
}
