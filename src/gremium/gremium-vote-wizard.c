/* gremium-vote-wizard.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-vote-wizard"

#include "config.h"

#include "gremium-vote-wizard.h"
#include "gremium-ui-util.h"

#include <gremium-vote-private.h>

#include <glib/gi18n.h>

/**
 * GremiumVoteWizard:
 *
 * The chair's form for opening a vote: its kind, the motion (or the office
 * of an election), the majority, the options or candidates, the tellers of
 * a secret vote and the time limit. The eligible voters are shown, not
 * chosen: the record determines them, and members excluded for a personal
 * interest are listed as excluded. A runoff takes its two candidates from
 * the published election it follows.
 */
struct _GremiumVoteWizard
{
  AdwWindow       parent_instance;

  GtkLabel       *error_label;
  AdwComboRow    *type_row;
  AdwEntryRow    *question_row;
  AdwComboRow    *majority_row;
  AdwComboRow    *runoff_row;
  GtkSpinButton  *limit_spin;
  AdwPreferencesGroup *options_group;
  GtkListBox     *options_list;
  GtkWidget      *tellers_group;
  GtkListBox     *tellers_list;
  GtkListBox     *eligible_list;

  GremiumSession *session;
  GremiumMeeting *meeting;
  gulong          entry_handler;
  GPtrArray      *option_rows;     /* AdwEntryRow */
  GPtrArray      *teller_checks;   /* GtkCheckButton, data "member-id" */
  GPtrArray      *runoff_ids;      /* vote id per runoff_row position after "none" */
  guint           n_eligible;
  guint           n_excluded;
  gboolean        busy;
};

G_DEFINE_FINAL_TYPE (GremiumVoteWizard, gremium_vote_wizard, ADW_TYPE_WINDOW)

static GremiumVoteType
selected_type (GremiumVoteWizard *self)
{
  return (GremiumVoteType) adw_combo_row_get_selected (self->type_row);
}

static void
set_error (GremiumVoteWizard *self,
           const char        *text)
{
  gtk_label_set_label (self->error_label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), text != NULL);
}

static void
remove_option_cb (GtkButton         *button,
                  GremiumVoteWizard *self)
{
  GtkWidget *row = g_object_get_data (G_OBJECT (button), "row");

  g_ptr_array_remove (self->option_rows, row);
  gtk_list_box_remove (self->options_list, row);
}

static GtkWidget *
add_option (GremiumVoteWizard *self,
            const char        *text)
{
  GtkWidget *row = adw_entry_row_new ();
  GtkWidget *remove = gtk_button_new_from_icon_name ("list-remove-symbolic");
  g_autofree char *title = g_strdup_printf (selected_type (self) == GREMIUM_VOTE_TYPE_ELECTION
                                            ? _("Candidate %u") : _("Option %u"),
                                            self->option_rows->len + 1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_editable_set_text (GTK_EDITABLE (row), text ? text : "");
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (remove, _("Remove"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Remove this option"), -1);
  g_object_set_data (G_OBJECT (remove), "row", row);
  g_signal_connect (remove, "clicked", G_CALLBACK (remove_option_cb), self);
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), remove);

  gtk_list_box_append (self->options_list, row);
  g_ptr_array_add (self->option_rows, row);

  return row;
}

static void
clear_options (GremiumVoteWizard *self)
{
  g_ptr_array_set_size (self->option_rows, 0);
  gremium_clear_box (GTK_WIDGET (self->options_list));
}

static void
fill_default_options (GremiumVoteWizard *self)
{
  clear_options (self);
  if (selected_type (self) == GREMIUM_VOTE_TYPE_ELECTION)
    {
      add_option (self, NULL);
      add_option (self, NULL);
      return;
    }

  /* The first option approves and the second rejects (docs/voting.md §2). */
  add_option (self, _("Yes"));
  add_option (self, _("No"));
  add_option (self, _("Abstention"));
}

static void
refresh_lists (GremiumVoteWizard *self)
{
  GremiumAgendaItem *item = gremium_meeting_get_current_item (self->meeting);
  GListModel *members = gremium_meeting_get_members (self->meeting);
  g_auto(GStrv) eligible = gremium_meeting_dup_eligible (self->meeting);
  g_autoptr(GHashTable) chosen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GListModel *votes = gremium_meeting_get_votes (self->meeting);
  g_autoptr(GtkStringList) runoffs = gtk_string_list_new (NULL);

  for (guint i = 0; i < self->teller_checks->len; i++)
    {
      GtkCheckButton *check = g_ptr_array_index (self->teller_checks, i);

      if (gtk_check_button_get_active (check))
        g_hash_table_add (chosen, g_strdup (g_object_get_data (G_OBJECT (check), "member-id")));
    }

  gremium_clear_box (GTK_WIDGET (self->eligible_list));
  gremium_clear_box (GTK_WIDGET (self->tellers_list));
  g_ptr_array_set_size (self->teller_checks, 0);
  self->n_eligible = g_strv_length (eligible);
  self->n_excluded = 0;

  for (guint i = 0; i < g_list_model_get_n_items (members); i++)
    {
      g_autoptr(GremiumMember) member = g_list_model_get_item (members, i);
      const char *id = gremium_member_get_id (member);
      gboolean present = gremium_member_get_presence (member) == GREMIUM_PRESENCE_PRESENT;
      gboolean excluded = item != NULL && gremium_agenda_item_has_conflict (item, id);

      if (gremium_member_can_vote (member) && (present || excluded))
        {
          GtkWidget *row = adw_action_row_new ();
          gboolean is_eligible = g_strv_contains ((const char * const *) eligible, id);

          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), gremium_member_get_name (member));
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                       is_eligible ? _("eligible")
                                       : excluded ? _("excluded from this item (§ 38)")
                                       : _("not present"));
          adw_action_row_set_icon_name (ADW_ACTION_ROW (row),
                                        is_eligible ? "emblem-ok-symbolic" : "action-unavailable-symbolic");
          if (excluded)
            {
              self->n_excluded++;
              gtk_widget_add_css_class (row, "excluded");
            }
          gtk_list_box_append (self->eligible_list, row);
        }

      /* Tellers: present participants who are not guests. */
      if (present && gremium_member_get_role (member) != GREMIUM_ROLE_GUEST)
        {
          GtkWidget *row = adw_action_row_new ();
          GtkWidget *check = gtk_check_button_new ();

          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), gremium_member_get_name (member));
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), gremium_role_label (gremium_member_get_role (member)));
          gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          gremium_member_get_name (member), -1);
          gtk_check_button_set_active (GTK_CHECK_BUTTON (check), g_hash_table_contains (chosen, id));
          g_object_set_data_full (G_OBJECT (check), "member-id", g_strdup (id), g_free);
          adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
          adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
          gtk_list_box_append (self->tellers_list, row);
          g_ptr_array_add (self->teller_checks, check);
        }
    }

  /* Elections whose outcome is a runoff can be followed by one. */
  g_ptr_array_set_size (self->runoff_ids, 0);
  /* Translators: no runoff: an ordinary first round */
  gtk_string_list_append (runoffs, _("None (first round)"));
  for (guint i = 0; i < g_list_model_get_n_items (votes); i++)
    {
      g_autoptr(GremiumVote) vote = g_list_model_get_item (votes, i);

      if (gremium_vote_get_state (vote) == GREMIUM_VOTE_STATE_PUBLISHED &&
          gremium_vote_get_outcome (vote) == GREMIUM_VOTE_OUTCOME_RUNOFF)
        {
          gtk_string_list_append (runoffs, gremium_vote_get_question (vote));
          g_ptr_array_add (self->runoff_ids, g_strdup (gremium_vote_get_id (vote)));
        }
    }
  adw_combo_row_set_model (self->runoff_row, G_LIST_MODEL (runoffs));
}

static void
type_changed_cb (GremiumVoteWizard *self)
{
  GremiumVoteType type = selected_type (self);
  gboolean secret = type == GREMIUM_VOTE_TYPE_SECRET || type == GREMIUM_VOTE_TYPE_ELECTION;
  gboolean election = type == GREMIUM_VOTE_TYPE_ELECTION;

  gtk_widget_set_visible (GTK_WIDGET (self->majority_row), !election);
  gtk_widget_set_visible (GTK_WIDGET (self->runoff_row), election && self->runoff_ids->len > 0);
  gtk_widget_set_visible (self->tellers_group, secret);
  adw_preferences_group_set_title (self->options_group, election ? _("2. Candidates") : _("2. Options"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->question_row),
                                 election ? _("Office to Fill") : _("Motion"));
  fill_default_options (self);
}

static void
runoff_changed_cb (GremiumVoteWizard *self)
{
  guint selected = adw_combo_row_get_selected (self->runoff_row);
  GremiumVote *vote;
  guint first;
  guint second;

  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION || selected > self->runoff_ids->len)
    return;

  vote = gremium_meeting_lookup_vote (self->meeting, g_ptr_array_index (self->runoff_ids, selected - 1));
  if (vote == NULL || !gremium_vote_get_runoff (vote, &first, &second))
    return;

  /* The runoff's candidates are exactly the two best, in option order. */
  clear_options (self);
  add_option (self, gremium_vote_get_option (vote, first));
  add_option (self, gremium_vote_get_option (vote, second));
  if (gtk_editable_get_text (GTK_EDITABLE (self->question_row))[0] == '\0')
    {
      /* Translators: the question of a runoff; %s is the first round's question */
      g_autofree char *question = g_strdup_printf (_("Runoff: %s"), gremium_vote_get_question (vote));

      gtk_editable_set_text (GTK_EDITABLE (self->question_row), question);
    }
}

static void
add_option_cb (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  GremiumVoteWizard *self = GREMIUM_VOTE_WIZARD (widget);
  GtkWidget *row = add_option (self, NULL);

  gtk_widget_grab_focus (row);
}

static void
opened_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GremiumVoteWizard) self = user_data;
  g_autoptr(GError) error = NULL;

  self->busy = FALSE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.open", TRUE);

  if (!gremium_session_submit_finish (GREMIUM_SESSION (object), result, &error))
    {
      g_autofree char *text = gremium_describe_error (error);

      set_error (self, text);
      return;
    }

  gtk_window_close (GTK_WINDOW (self));
}

static void
open_cb (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
  GremiumVoteWizard *self = GREMIUM_VOTE_WIZARD (widget);
  g_autoptr(GStrvBuilder) options = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) tellers = g_strv_builder_new ();
  g_auto(GStrv) option_list = NULL;
  g_auto(GStrv) teller_list = NULL;
  g_autoptr(JsonObject) data = NULL;
  g_autoptr(GError) error = NULL;
  guint runoff = adw_combo_row_get_selected (self->runoff_row);
  static const GremiumMajority majorities[] = {
    GREMIUM_MAJORITY_SIMPLE, GREMIUM_MAJORITY_ABSOLUTE, GREMIUM_MAJORITY_TWO_THIRDS,
  };
  guint majority = MIN (adw_combo_row_get_selected (self->majority_row), G_N_ELEMENTS (majorities) - 1);

  if (self->busy)
    return;

  for (guint i = 0; i < self->option_rows->len; i++)
    {
      g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (g_ptr_array_index (self->option_rows, i))));

      if (text[0] != '\0')
        g_strv_builder_add (options, text);
    }
  for (guint i = 0; i < self->teller_checks->len; i++)
    {
      GtkCheckButton *check = g_ptr_array_index (self->teller_checks, i);

      if (gtk_check_button_get_active (check))
        g_strv_builder_add (tellers, g_object_get_data (G_OBJECT (check), "member-id"));
    }
  option_list = g_strv_builder_end (options);
  teller_list = g_strv_builder_end (tellers);

  data = gremium_session_build_vote_open (self->session, selected_type (self),
                                          gtk_editable_get_text (GTK_EDITABLE (self->question_row)),
                                          (const char * const *) option_list, majorities[majority],
                                          (const char * const *) teller_list,
                                          60 * gtk_spin_button_get_value_as_int (self->limit_spin),
                                          runoff > 0 && runoff <= self->runoff_ids->len
                                            ? g_ptr_array_index (self->runoff_ids, runoff - 1) : NULL,
                                          &error);
  if (data == NULL)
    {
      g_autofree char *text = gremium_describe_error (error);

      set_error (self, text);
      return;
    }

  set_error (self, NULL);
  self->busy = TRUE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.open", FALSE);
  gremium_session_submit_async (self->session, GREMIUM_KIND_VOTE_OPEN, data, NULL, opened_cb,
                                g_object_ref (self));
}

static void
gremium_vote_wizard_dispose (GObject *object)
{
  GremiumVoteWizard *self = (GremiumVoteWizard *) object;

  if (self->meeting != NULL)
    g_clear_signal_handler (&self->entry_handler, self->meeting);
  g_clear_object (&self->meeting);
  g_clear_object (&self->session);
  g_clear_pointer (&self->option_rows, g_ptr_array_unref);
  g_clear_pointer (&self->teller_checks, g_ptr_array_unref);
  g_clear_pointer (&self->runoff_ids, g_ptr_array_unref);

  gtk_widget_dispose_template (GTK_WIDGET (self), GREMIUM_TYPE_VOTE_WIZARD);

  G_OBJECT_CLASS (gremium_vote_wizard_parent_class)->dispose (object);
}

static void
gremium_vote_wizard_class_init (GremiumVoteWizardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gremium_vote_wizard_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/gremium/Gremium/gremium-vote-wizard.ui");
  gtk_widget_class_bind_template_child (widget_class, GremiumVoteWizard, error_label);
  gtk_widget_class_bind_template_child (widget_class, GremiumVoteWizard, type_row);
  gtk_widget_class_bind_template_child (widget_class, GremiumVoteWizard, question_row);
  gtk_widget_class_bind_template_child (widget_class, GremiumVoteWizard, majority_row);
  gtk_widget_class_bind_template_child (widget_class, GremiumVoteWizard, runoff_row);
  gtk_widget_class_bind_template_child (widget_class, GremiumVoteWizard, limit_spin);
  gtk_widget_class_bind_template_child (widget_class, GremiumVoteWizard, options_group);
  gtk_widget_class_bind_template_child (widget_class, GremiumVoteWizard, options_list);
  gtk_widget_class_bind_template_child (widget_class, GremiumVoteWizard, tellers_group);
  gtk_widget_class_bind_template_child (widget_class, GremiumVoteWizard, tellers_list);
  gtk_widget_class_bind_template_child (widget_class, GremiumVoteWizard, eligible_list);

  gtk_widget_class_install_action (widget_class, "wizard.open", NULL, open_cb);
  gtk_widget_class_install_action (widget_class, "wizard.add-option", NULL, add_option_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "wizard.open", NULL);
}

static void
gremium_vote_wizard_init (GremiumVoteWizard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->option_rows = g_ptr_array_new ();
  self->teller_checks = g_ptr_array_new ();
  self->runoff_ids = g_ptr_array_new_with_free_func (g_free);
}

GremiumVoteWizard *
gremium_vote_wizard_new (GremiumSession *session)
{
  GremiumVoteWizard *self;

  g_return_val_if_fail (GREMIUM_IS_SESSION (session), NULL);
  g_return_val_if_fail (gremium_session_get_meeting (session) != NULL, NULL);

  self = g_object_new (GREMIUM_TYPE_VOTE_WIZARD, NULL);
  self->session = g_object_ref (session);
  self->meeting = g_object_ref (gremium_session_get_meeting (session));

  refresh_lists (self);
  self->entry_handler = g_signal_connect_swapped (self->meeting, "entry-applied",
                                                  G_CALLBACK (refresh_lists), self);
  g_signal_connect_swapped (self->type_row, "notify::selected", G_CALLBACK (type_changed_cb), self);
  g_signal_connect_swapped (self->runoff_row, "notify::selected", G_CALLBACK (runoff_changed_cb), self);
  type_changed_cb (self);

  return self;
}

void
gremium_vote_wizard_set_type (GremiumVoteWizard *self,
                              GremiumVoteType    type)
{
  g_return_if_fail (GREMIUM_IS_VOTE_WIZARD (self));

  adw_combo_row_set_selected (self->type_row, type);
}

void
gremium_vote_wizard_set_question (GremiumVoteWizard *self,
                                  const char        *question)
{
  g_return_if_fail (GREMIUM_IS_VOTE_WIZARD (self));

  gtk_editable_set_text (GTK_EDITABLE (self->question_row), question);
}

void
gremium_vote_wizard_set_options (GremiumVoteWizard  *self,
                                 const char * const *options)
{
  g_return_if_fail (GREMIUM_IS_VOTE_WIZARD (self));

  clear_options (self);
  for (guint i = 0; options != NULL && options[i] != NULL; i++)
    add_option (self, options[i]);
}

void
gremium_vote_wizard_set_majority (GremiumVoteWizard *self,
                                  GremiumMajority    majority)
{
  g_return_if_fail (GREMIUM_IS_VOTE_WIZARD (self));

  if (majority != GREMIUM_MAJORITY_ELECTION)
    adw_combo_row_set_selected (self->majority_row, majority);
}

void
gremium_vote_wizard_set_tellers (GremiumVoteWizard  *self,
                                 const char * const *tellers)
{
  g_return_if_fail (GREMIUM_IS_VOTE_WIZARD (self));

  for (guint i = 0; i < self->teller_checks->len; i++)
    {
      GtkCheckButton *check = g_ptr_array_index (self->teller_checks, i);

      gtk_check_button_set_active (check, tellers != NULL &&
                                   g_strv_contains (tellers, g_object_get_data (G_OBJECT (check), "member-id")));
    }
}

void
gremium_vote_wizard_set_limit (GremiumVoteWizard *self,
                               guint              minutes)
{
  g_return_if_fail (GREMIUM_IS_VOTE_WIZARD (self));

  gtk_spin_button_set_value (self->limit_spin, minutes);
}

guint
gremium_vote_wizard_get_n_eligible (GremiumVoteWizard *self)
{
  g_return_val_if_fail (GREMIUM_IS_VOTE_WIZARD (self), 0);

  return self->n_eligible;
}

guint
gremium_vote_wizard_get_n_excluded (GremiumVoteWizard *self)
{
  g_return_val_if_fail (GREMIUM_IS_VOTE_WIZARD (self), 0);

  return self->n_excluded;
}

const char *
gremium_vote_wizard_get_error (GremiumVoteWizard *self)
{
  g_return_val_if_fail (GREMIUM_IS_VOTE_WIZARD (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    return NULL;

  return gtk_label_get_label (self->error_label);
}
