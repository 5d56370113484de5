/* gremium-vote-panel.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-vote-panel"

#include "config.h"

#include "gremium-vote-panel.h"
#include "gremium-ui-util.h"

#include <gremium-vote-private.h>

#include <glib/gi18n.h>

/**
 * GremiumVotePanel:
 *
 * The voting panel. For the current vote it shows the question and the
 * options, takes the member's choice with an explicit confirmation, and
 * then tells what is known, in this order and never ahead of the facts:
 *
 * - **counted**: the server accepted the ballot and this client checked the
 *   receipt, the ballot's inclusion in the signed record
 *   (gremium_session_cast_ballot_finish() succeeding means exactly that);
 *   the ballot's tracker is shown;
 * - **verified**: the vote is decided in this client's own copy of the
 *   meeting, which verified every ballot, every proof and the count from
 *   the record. The result is worded in the user's language.
 *
 * A teller sees their steps, which a #GremiumTellerAgent does by itself,
 * and below everything the meeting's earlier votes with their results.
 */
struct _GremiumVotePanel
{
  AdwBin                parent_instance;

  GtkWidget            *empty_label;
  GtkWidget            *current_box;
  GtkLabel             *type_label;
  GtkLabel             *question_label;
  GtkLabel             *status_label;
  GtkWidget            *options_box;
  GtkWidget            *cast_button;
  GtkLabel             *error_label;
  GtkWidget            *counted_box;
  GtkLabel             *counted_label;
  GtkLabel             *tracker_label;
  GtkWidget            *record_button;
  GtkWidget            *verified_box;
  GtkLabel             *verified_label;
  GtkLabel             *outcome_label;
  GtkLabel             *result_label;
  GtkWidget            *teller_group;
  AdwActionRow         *key_row;
  AdwActionRow         *decrypt_row;
  AdwActionRow         *lot_row;
  GtkWidget            *history_group;
  GtkListBox           *history_list;

  GremiumSession       *session;
  GremiumMeeting       *meeting;
  GremiumVote          *vote;
  gulong                entry_handler;
  guint                 timer_id;
  GPtrArray            *option_buttons;
  AdwMessageDialog     *confirm_dialog;
  GremiumVotePanelStep  step;
  gboolean              casting;
  gint                  chosen;
  char                 *tracker;         /* of the ballot cast from this panel */
  char                 *tracker_vote;
  char                 *result;
};

G_DEFINE_FINAL_TYPE (GremiumVotePanel, gremium_vote_panel, ADW_TYPE_BIN)

static void refresh (GremiumVotePanel *self);

static char *
dup_outcome_text (GremiumVote *vote)
{
  guint first;
  guint second;

  switch (gremium_vote_get_outcome (vote))
    {
    case GREMIUM_VOTE_OUTCOME_ADOPTED:
      return g_strdup (_("The motion is adopted."));
    case GREMIUM_VOTE_OUTCOME_REJECTED:
      return g_strdup (_("The motion is rejected."));
    case GREMIUM_VOTE_OUTCOME_ELECTED:
      /* Translators: %s is the name of the elected candidate */
      return g_strdup_printf (_("Elected: %s"),
                              gremium_vote_get_option (vote, gremium_vote_get_elected (vote)));
    case GREMIUM_VOTE_OUTCOME_RUNOFF:
      gremium_vote_get_runoff (vote, &first, &second);
      /* Translators: the two candidates of a runoff */
      return g_strdup_printf (_("Runoff between %s and %s"), gremium_vote_get_option (vote, first),
                              gremium_vote_get_option (vote, second));
    case GREMIUM_VOTE_OUTCOME_NOT_ELECTED:
      return g_strdup (_("Nobody is elected."));
    case GREMIUM_VOTE_OUTCOME_NONE:
    default:
      return NULL;
    }
}

static gboolean
is_decided (GremiumVote *vote)
{
  GremiumVoteState state = gremium_vote_get_state (vote);

  return state == GREMIUM_VOTE_STATE_DECIDED || state == GREMIUM_VOTE_STATE_PUBLISHED;
}

static guint
count_tellers (GremiumVote *vote,
               gboolean   (*has) (GremiumVote *, const char *))
{
  const char * const *tellers = gremium_vote_get_tellers (vote);
  guint n = 0;

  for (guint i = 0; tellers != NULL && tellers[i] != NULL; i++)
    if (has (vote, tellers[i]))
      n++;

  return n;
}

static char *
dup_status (GremiumVotePanel *self,
            GremiumVote      *vote)
{
  guint n_eligible = g_strv_length ((char **) gremium_vote_get_eligible (vote));
  guint n_tellers = g_strv_length ((char **) gremium_vote_get_tellers (vote));
  guint n_ballots = gremium_vote_get_n_ballots (vote);

  switch (gremium_vote_get_state (vote))
    {
    case GREMIUM_VOTE_STATE_COLLECTING_KEYS:
      /* Translators: tellers who published their key share, of all tellers */
      return g_strdup_printf (_("Waiting for the tellers’ keys: %u of %u"),
                              count_tellers (vote, gremium_vote_has_teller_key), n_tellers);

    case GREMIUM_VOTE_STATE_OPEN:
      {
        gint64 deadline = gremium_vote_get_deadline (vote);
        g_autofree char *left = NULL;

        if (deadline > 0)
          left = gremium_format_seconds (MAX (0, (deadline - g_get_real_time ()) / G_USEC_PER_SEC));

        if (left != NULL)
          /* Translators: turnout of an open vote and the time left, "5 of 9 have voted · 2:30 left" */
          return g_strdup_printf (_("Voting is open: %u of %u have voted · %s left"), n_ballots,
                                  n_eligible, left);
        /* Translators: turnout of an open vote, "5 of 9 have voted" */
        return g_strdup_printf (_("Voting is open: %u of %u have voted"), n_ballots, n_eligible);
      }

    case GREMIUM_VOTE_STATE_CLOSED:
      if (gremium_vote_is_secret (vote))
        /* Translators: tellers who published their decryption share, of all tellers */
        return g_strdup_printf (_("Closed with %u ballots. Counting: %u of %u tellers have decrypted "
                                  "their share."), n_ballots,
                                count_tellers (vote, gremium_vote_has_decryption), n_tellers);
      return g_strdup_printf (_("Closed with %u ballots."), n_ballots);

    case GREMIUM_VOTE_STATE_AWAITING_LOT:
      /* Translators: tellers who revealed their lot value, of all tellers */
      return g_strdup_printf (_("A tie: the lot decides. %u of %u tellers have revealed their "
                                "value."), count_tellers (vote, gremium_vote_has_lot_value), n_tellers);

    case GREMIUM_VOTE_STATE_DECIDED:
      return g_strdup (_("Decided. The chair publishes the result."));

    case GREMIUM_VOTE_STATE_PUBLISHED:
      return g_strdup (_("The result is published in the minutes."));

    case GREMIUM_VOTE_STATE_CANCELLED:
      return g_strdup (_("The chair cancelled this vote."));

    default:
      return g_strdup ("");
    }
}

static void
set_teller_row (AdwActionRow *row,
                gboolean      done,
                gboolean      due,
                gboolean      applies)
{
  gtk_widget_set_visible (GTK_WIDGET (row), applies);
  adw_action_row_set_subtitle (row, done ? _("Done, in the record") : due ? _("In progress…") : _("Not yet"));
  adw_action_row_set_icon_name (row, done ? "emblem-ok-symbolic" : due ? "emblem-synchronizing-symbolic"
                                                                       : "content-loading-symbolic");
}

static void
update_teller (GremiumVotePanel *self,
               GremiumVote      *vote)
{
  const char *me = gremium_session_get_member_id (self->session);
  GremiumVoteState state = gremium_vote_get_state (vote);
  gboolean teller = gremium_vote_is_teller (vote, me);

  gtk_widget_set_visible (self->teller_group, teller);
  if (!teller)
    return;

  set_teller_row (self->key_row, gremium_vote_has_teller_key (vote, me),
                  state == GREMIUM_VOTE_STATE_COLLECTING_KEYS, TRUE);
  set_teller_row (self->decrypt_row, gremium_vote_has_decryption (vote, me),
                  state == GREMIUM_VOTE_STATE_CLOSED, TRUE);
  set_teller_row (self->lot_row, gremium_vote_has_lot_value (vote, me),
                  state == GREMIUM_VOTE_STATE_AWAITING_LOT,
                  state == GREMIUM_VOTE_STATE_AWAITING_LOT || gremium_vote_has_lot_value (vote, me));
}

static void
option_toggled_cb (GtkCheckButton   *button,
                   GremiumVotePanel *self)
{
  if (!gtk_check_button_get_active (button))
    return;

  self->chosen = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "option"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "vote.cast", self->chosen >= -1 && !self->casting);
}

static void
build_options (GremiumVotePanel *self,
               GremiumVote      *vote)
{
  GtkCheckButton *group = NULL;
  guint n = gremium_vote_get_n_options (vote);
  gboolean election = gremium_vote_get_vote_type (vote) == GREMIUM_VOTE_TYPE_ELECTION;

  gremium_clear_box (self->options_box);
  g_ptr_array_set_size (self->option_buttons, 0);
  self->chosen = G_MININT;

  for (guint i = 0; i < n + (election ? 1 : 0); i++)
    {
      /* An election ballot may name nobody: that is the abstention. */
      const char *label = i < n ? gremium_vote_get_option (vote, i) : _("Abstain (no candidate)");
      GtkWidget *button = gtk_check_button_new_with_label (label);

      gtk_widget_add_css_class (button, "vote-option");
      if (group != NULL)
        gtk_check_button_set_group (GTK_CHECK_BUTTON (button), group);
      else
        group = GTK_CHECK_BUTTON (button);
      g_object_set_data (G_OBJECT (button), "option", GINT_TO_POINTER (i < n ? (gint) i : -1));
      g_signal_connect (button, "toggled", G_CALLBACK (option_toggled_cb), self);
      gtk_box_append (GTK_BOX (self->options_box), button);
      g_ptr_array_add (self->option_buttons, button);
    }
}

static gboolean
refresh_status_cb (gpointer user_data)
{
  GremiumVotePanel *self = user_data;
  g_autofree char *status = NULL;

  if (self->vote == NULL)
    return G_SOURCE_CONTINUE;

  /* Only the time left changes between entries. */
  status = dup_status (self, self->vote);
  gtk_label_set_label (self->status_label, status);

  return G_SOURCE_CONTINUE;
}

static GtkWidget *
create_history_row (GremiumVotePanel *self,
                    GremiumVote      *vote)
{
  g_autofree char *outcome = dup_outcome_text (vote);
  g_autofree char *result = gremium_vote_format_result (vote, gremium_ui_language ());
  g_autofree char *status = dup_status (self, vote);
  GtkWidget *row = adw_expander_row_new ();
  GtkWidget *detail = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), gremium_vote_get_question (vote));
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), outcome ? outcome : status);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (detail), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (detail), gremium_vote_type_label (gremium_vote_get_vote_type (vote)));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (detail), result ? result : status);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), detail);

  return row;
}

static GremiumVote *
choose_vote (GremiumVotePanel *self)
{
  GListModel *votes = gremium_meeting_get_votes (self->meeting);
  GremiumVote *current = gremium_meeting_get_current_vote (self->meeting);
  guint n = g_list_model_get_n_items (votes);
  g_autoptr(GremiumVote) last = NULL;

  if (current != NULL)
    return current;
  if (n == 0)
    return NULL;

  /* The latest vote stays on top with its result until the next one. */
  last = g_list_model_get_item (votes, n - 1);
  return last;
}

static void
refresh (GremiumVotePanel *self)
{
  const char *me = gremium_session_get_member_id (self->session);
  GListModel *votes = gremium_meeting_get_votes (self->meeting);
  GremiumVote *vote = choose_vote (self);
  g_autofree char *status = NULL;
  g_autofree char *type = NULL;
  guint n_history = 0;

  gtk_widget_set_visible (self->empty_label, vote == NULL);
  gtk_widget_set_visible (self->current_box, vote != NULL);

  if (vote != self->vote)
    {
      g_set_object (&self->vote, vote);
      gtk_label_set_label (self->error_label, "");
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
      if (vote != NULL)
        build_options (self, vote);
    }

  gremium_clear_box (GTK_WIDGET (self->history_list));
  for (guint i = 0; i < g_list_model_get_n_items (votes); i++)
    {
      g_autoptr(GremiumVote) other = g_list_model_get_item (votes, i);

      if (other == vote)
        continue;
      gtk_list_box_prepend (self->history_list, create_history_row (self, other));
      n_history++;
    }
  gtk_widget_set_visible (self->history_group, n_history > 0);

  if (vote == NULL)
    {
      self->step = GREMIUM_VOTE_PANEL_STEP_NONE;
      gtk_widget_set_visible (self->teller_group, FALSE);
      return;
    }

  /* Translators: the kind of vote and its majority rule, "Secret vote · Simple majority" */
  type = g_strdup_printf (_("%s · %s"), gremium_vote_type_label (gremium_vote_get_vote_type (vote)),
                          gremium_majority_label (gremium_vote_get_majority (vote)));
  gtk_label_set_label (self->type_label, type);
  gtk_label_set_label (self->question_label, gremium_vote_get_question (vote));
  status = dup_status (self, vote);
  gtk_label_set_label (self->status_label, status);

  {
    gboolean open = gremium_vote_get_state (vote) == GREMIUM_VOTE_STATE_OPEN;
    gboolean voted = gremium_vote_has_voted (vote, me);
    gboolean may_vote = open && !voted && gremium_vote_is_eligible (vote, me);
    gboolean decided = is_decided (vote);
    g_autofree char *record_tracker = NULL;

    gtk_widget_set_visible (self->options_box, may_vote || self->casting);
    gtk_widget_set_visible (self->cast_button, may_vote || self->casting);
    gtk_widget_set_sensitive (self->options_box, !self->casting);
    gtk_widget_action_set_enabled (GTK_WIDGET (self), "vote.cast",
                                   may_vote && !self->casting && self->chosen != G_MININT);

    /* Counted: our ballot is in the record this client verified. */
    gtk_widget_set_visible (self->counted_box, voted);
    if (voted)
      {
        record_tracker = gremium_vote_dup_tracker (vote, me);
        if (gremium_vote_is_secret (vote))
          gtk_label_set_label (self->counted_label,
                               _("Counted: your encrypted ballot is in the signed record; this "
                                 "computer checked the receipt. Nobody can see how you voted."));
        else
          gtk_label_set_label (self->counted_label,
                               _("Counted: your ballot is in the signed record; this computer "
                                 "checked the receipt."));

        if (record_tracker != NULL)
          {
            /* Translators: %s is the ballot's tracker, a long code in base64 */
            g_autofree char *text = g_strdup_printf (_("Tracker: %s"), record_tracker);

            gtk_label_set_label (self->tracker_label, text);
            gtk_widget_set_visible (GTK_WIDGET (self->tracker_label), TRUE);
          }
        else
          {
            gtk_widget_set_visible (GTK_WIDGET (self->tracker_label), FALSE);
          }
      }

    /* Asking for one's vote in the minutes exists for open votes only:
     * a named vote records everyone, a secret one nobody (ThürKO § 42).
     */
    gtk_widget_set_visible (self->record_button,
                            voted && gremium_vote_get_vote_type (vote) == GREMIUM_VOTE_TYPE_OPEN &&
                            !gremium_vote_wants_recorded (vote, me));

    /* Verified: decided by this client's own model from the record. */
    gtk_widget_set_visible (self->verified_box, decided);
    g_clear_pointer (&self->result, g_free);
    if (decided)
      {
        g_autofree char *outcome = dup_outcome_text (vote);

        self->result = gremium_vote_format_result (vote, gremium_ui_language ());
        gtk_label_set_label (self->verified_label,
                             gremium_vote_is_secret (vote)
                             ? _("Verified: this computer checked every ballot, every proof and the "
                                 "decryption of the total against the record.")
                             : _("Verified: this computer counted every signed ballot in the "
                                 "record."));
        gtk_label_set_label (self->outcome_label, outcome ? outcome : "");
        gtk_label_set_label (self->result_label, self->result ? self->result : "");
      }

    if (decided)
      self->step = GREMIUM_VOTE_PANEL_STEP_VERIFIED;
    else if (voted)
      self->step = GREMIUM_VOTE_PANEL_STEP_COUNTED;
    else if (self->casting)
      self->step = GREMIUM_VOTE_PANEL_STEP_CASTING;
    else if (may_vote)
      self->step = GREMIUM_VOTE_PANEL_STEP_CHOOSING;
    else
      self->step = GREMIUM_VOTE_PANEL_STEP_WAITING;
  }

  update_teller (self, vote);

  g_clear_handle_id (&self->timer_id, g_source_remove);
  if (gremium_vote_get_state (vote) == GREMIUM_VOTE_STATE_OPEN && gremium_vote_get_deadline (vote) > 0)
    self->timer_id = g_timeout_add_seconds (1, refresh_status_cb, self);
}

static void
cast_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GremiumVotePanel) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *tracker = NULL;

  self->casting = FALSE;
  tracker = gremium_session_cast_ballot_finish (GREMIUM_SESSION (object), result, &error);
  if (tracker == NULL)
    {
      g_autofree char *text = gremium_describe_error (error);

      /* Translators: %s says why the server refused the ballot */
      g_autofree char *message = g_strdup_printf (_("Your vote was not recorded. %s"), text);

      gtk_label_set_label (self->error_label, message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
    }
  else
    {
      g_free (self->tracker);
      self->tracker = g_steal_pointer (&tracker);
      g_free (self->tracker_vote);
      self->tracker_vote = self->vote ? g_strdup (gremium_vote_get_id (self->vote)) : NULL;
    }

  if (self->meeting != NULL)
    refresh (self);
}

static void
confirm_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     GremiumVotePanel *self)
{
  self->confirm_dialog = NULL;

  if (g_strcmp0 (response, "cast") != 0 || self->vote == NULL || self->casting)
    return;

  self->casting = TRUE;
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gremium_session_cast_ballot_async (self->session, self->vote, self->chosen, NULL, cast_cb,
                                     g_object_ref (self));
  refresh (self);
}

static void
cast_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  GremiumVotePanel *self = GREMIUM_VOTE_PANEL (widget);
  g_autofree char *body = NULL;
  const char *choice;
  GtkRoot *root;

  if (self->vote == NULL || self->chosen == G_MININT || self->casting)
    return;

  choice = self->chosen >= 0 ? gremium_vote_get_option (self->vote, self->chosen)
                             : _("Abstain (no candidate)");
  body = g_strdup_printf (gremium_vote_is_secret (self->vote)
                          /* Translators: the confirmation before a secret ballot is cast; %s is the choice */
                          ? _("You vote: “%s”.\n\nYour ballot is encrypted on this computer; nobody can see "
                              "how you voted. A cast vote cannot be changed.")
                          /* Translators: the confirmation before an open ballot is cast; %s is the choice */
                          : _("You vote: “%s”.\n\nIn this vote, the meeting sees how you voted. A cast "
                              "vote cannot be changed."),
                          choice);

  root = gtk_widget_get_root (widget);
  self->confirm_dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                                     _("Cast Your Vote?"), body));
  adw_message_dialog_add_responses (self->confirm_dialog,
                                    "cancel", _("_Cancel"),
                                    "cast", _("C_ast Vote"),
                                    NULL);
  adw_message_dialog_set_response_appearance (self->confirm_dialog, "cast", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (self->confirm_dialog, "cancel");
  adw_message_dialog_set_close_response (self->confirm_dialog, "cancel");
  g_signal_connect (self->confirm_dialog, "response", G_CALLBACK (confirm_response_cb), self);
  gtk_window_present (GTK_WINDOW (self->confirm_dialog));
}

static void
recorded_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GremiumVotePanel) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!gremium_session_submit_finish (GREMIUM_SESSION (object), result, &error))
    {
      g_autofree char *text = gremium_describe_error (error);

      gtk_label_set_label (self->error_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
    }
}

static void
record_own_action_cb (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  GremiumVotePanel *self = GREMIUM_VOTE_PANEL (widget);
  g_autoptr(JsonObject) data = json_object_new ();

  if (self->vote == NULL)
    return;

  json_object_set_string_member (data, "vote", gremium_vote_get_id (self->vote));
  gremium_session_submit_async (self->session, GREMIUM_KIND_VOTE_RECORD_OWN, data, NULL,
                                recorded_cb, g_object_ref (self));
}

static void
gremium_vote_panel_dispose (GObject *object)
{
  GremiumVotePanel *self = (GremiumVotePanel *) object;

  g_clear_handle_id (&self->timer_id, g_source_remove);
  if (self->confirm_dialog != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->confirm_dialog, self);
      gtk_window_destroy (GTK_WINDOW (self->confirm_dialog));
      self->confirm_dialog = NULL;
    }
  if (self->meeting != NULL)
    g_clear_signal_handler (&self->entry_handler, self->meeting);
  g_clear_object (&self->meeting);
  g_clear_object (&self->vote);
  g_clear_object (&self->session);
  g_clear_pointer (&self->option_buttons, g_ptr_array_unref);

  gtk_widget_dispose_template (GTK_WIDGET (self), GREMIUM_TYPE_VOTE_PANEL);

  G_OBJECT_CLASS (gremium_vote_panel_parent_class)->dispose (object);
}

static void
gremium_vote_panel_finalize (GObject *object)
{
  GremiumVotePanel *self = (GremiumVotePanel *) object;

  g_free (self->tracker);
  g_free (self->tracker_vote);
  g_free (self->result);

  G_OBJECT_CLASS (gremium_vote_panel_parent_class)->finalize (object);
}

static void
gremium_vote_panel_class_init (GremiumVotePanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gremium_vote_panel_dispose;
  object_class->finalize = gremium_vote_panel_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/gremium/Gremium/gremium-vote-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, GremiumVotePanel, empty_label);
  gtk_widget_class_bind_template_child (widget_class, GremiumVotePanel, current_box);
  gtk_widget_class_bind_template_child (widget_class, GremiumVotePanel, type_label);
  gtk_widget_class_bind_template_child (widget_class, GremiumVotePanel, question_label);
  gtk_widget_class_bind_template_child (widget_class, GremiumVotePanel, status_label);
  gtk_widget_class_bind_template_child (widget_class, GremiumVotePanel, options_box);
  gtk_widget_class_bind_template_child (widget_class, GremiumVotePanel, cast_button);
  gtk_widget_class_bind_template_child (widget_class, GremiumVotePanel, error_label);
  gtk_widget_class_bind_template_child (widget_class, GremiumVotePanel, counted_box);
  gtk_widget_class_bind_template_child (widget_class, GremiumVotePanel, counted_label);
  gtk_widget_class_bind_template_child (widget_class, GremiumVotePanel, tracker_label);
  gtk_widget_class_bind_template_child (widget_class, GremiumVotePanel, record_button);
  gtk_widget_class_bind_template_child (widget_class, GremiumVotePanel, verified_box);
  gtk_widget_class_bind_template_child (widget_class, GremiumVotePanel, verified_label);
  gtk_widget_class_bind_template_child (widget_class, GremiumVotePanel, outcome_label);
  gtk_widget_class_bind_template_child (widget_class, GremiumVotePanel, result_label);
  gtk_widget_class_bind_template_child (widget_class, GremiumVotePanel, teller_group);
  gtk_widget_class_bind_template_child (widget_class, GremiumVotePanel, key_row);
  gtk_widget_class_bind_template_child (widget_class, GremiumVotePanel, decrypt_row);
  gtk_widget_class_bind_template_child (widget_class, GremiumVotePanel, lot_row);
  gtk_widget_class_bind_template_child (widget_class, GremiumVotePanel, history_group);
  gtk_widget_class_bind_template_child (widget_class, GremiumVotePanel, history_list);

  gtk_widget_class_install_action (widget_class, "vote.cast", NULL, cast_action_cb);
  gtk_widget_class_install_action (widget_class, "vote.record-own", NULL, record_own_action_cb);
}

static void
gremium_vote_panel_init (GremiumVotePanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->option_buttons = g_ptr_array_new ();
  self->chosen = G_MININT;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "vote.cast", FALSE);
}

static void
meeting_changed_cb (GremiumVotePanel *self)
{
  GremiumMeeting *meeting = gremium_session_get_meeting (self->session);

  if (self->meeting != NULL)
    g_clear_signal_handler (&self->entry_handler, self->meeting);
  g_clear_handle_id (&self->timer_id, g_source_remove);
  g_set_object (&self->meeting, meeting);
  g_clear_object (&self->vote);

  if (meeting == NULL)
    return;

  self->entry_handler = g_signal_connect_swapped (meeting, "entry-applied", G_CALLBACK (refresh), self);
  refresh (self);
}

void
gremium_vote_panel_set_session (GremiumVotePanel *self,
                                GremiumSession   *session)
{
  g_return_if_fail (GREMIUM_IS_VOTE_PANEL (self));
  g_return_if_fail (GREMIUM_IS_SESSION (session));

  g_set_object (&self->session, session);
  g_signal_connect_object (session, "notify::meeting", G_CALLBACK (meeting_changed_cb), self,
                           G_CONNECT_SWAPPED);
  meeting_changed_cb (self);
}

GremiumVotePanelStep
gremium_vote_panel_get_step (GremiumVotePanel *self)
{
  g_return_val_if_fail (GREMIUM_IS_VOTE_PANEL (self), GREMIUM_VOTE_PANEL_STEP_NONE);

  return self->step;
}

/**
 * gremium_vote_panel_get_vote:
 * @self: a panel
 *
 * Returns: (transfer none) (nullable): the vote shown on top
 */
GremiumVote *
gremium_vote_panel_get_vote (GremiumVotePanel *self)
{
  g_return_val_if_fail (GREMIUM_IS_VOTE_PANEL (self), NULL);

  return self->vote;
}

/**
 * gremium_vote_panel_select:
 * @self: a panel
 * @choice: the option index, or -1 for an election's abstention
 *
 * Selects an option as a click on it would.
 */
void
gremium_vote_panel_select (GremiumVotePanel *self,
                           gint              choice)
{
  g_return_if_fail (GREMIUM_IS_VOTE_PANEL (self));

  for (guint i = 0; i < self->option_buttons->len; i++)
    {
      GtkCheckButton *button = g_ptr_array_index (self->option_buttons, i);

      if (GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "option")) == choice)
        gtk_check_button_set_active (button, TRUE);
    }
}

/**
 * gremium_vote_panel_get_confirm_dialog:
 * @self: a panel
 *
 * Returns: (transfer none) (nullable): the open confirmation, if any
 */
AdwMessageDialog *
gremium_vote_panel_get_confirm_dialog (GremiumVotePanel *self)
{
  g_return_val_if_fail (GREMIUM_IS_VOTE_PANEL (self), NULL);

  return self->confirm_dialog;
}

/**
 * gremium_vote_panel_get_tracker:
 * @self: a panel
 *
 * Returns: (nullable): the tracker of the ballot cast from this panel
 */
const char *
gremium_vote_panel_get_tracker (GremiumVotePanel *self)
{
  g_return_val_if_fail (GREMIUM_IS_VOTE_PANEL (self), NULL);

  return self->tracker;
}

const char *
gremium_vote_panel_get_status (GremiumVotePanel *self)
{
  g_return_val_if_fail (GREMIUM_IS_VOTE_PANEL (self), NULL);

  return gtk_label_get_label (self->status_label);
}

/**
 * gremium_vote_panel_get_result:
 * @self: a panel
 *
 * Returns: (nullable): the verified result in the user's language
 */
const char *
gremium_vote_panel_get_result (GremiumVotePanel *self)
{
  g_return_val_if_fail (GREMIUM_IS_VOTE_PANEL (self), NULL);

  return self->result;
}

/**
 * gremium_vote_panel_get_error:
 * @self: a panel
 *
 * Returns: (nullable): the message about a refused ballot
 */
const char *
gremium_vote_panel_get_error (GremiumVotePanel *self)
{
  g_return_val_if_fail (GREMIUM_IS_VOTE_PANEL (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    return NULL;

  return gtk_label_get_label (self->error_label);
}
