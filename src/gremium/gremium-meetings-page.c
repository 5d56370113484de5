/* gremium-meetings-page.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-meetings-page"

#include "config.h"

#include "gremium-meetings-page.h"
#include "gremium-ui-util.h"

#include <gremium-crypto.h>

#include <glib/gi18n.h>

/**
 * GremiumMeetingsPage:
 *
 * The meetings the signed-in member is on the list of participants of
 * (docs/protocol.md §4.1), open meetings first, with body, place and time.
 */
struct _GremiumMeetingsPage
{
  AdwBin               parent_instance;

  AdwWindowTitle      *title;
  GtkStack            *stack;
  AdwStatusPage       *empty_page;
  GtkListBox          *list;

  GremiumSession      *session;
  GCancellable        *cancellable;
  char                *error;
  guint                n_meetings;
};

G_DEFINE_FINAL_TYPE (GremiumMeetingsPage, gremium_meetings_page, ADW_TYPE_BIN)

enum {
  MEETING_ACTIVATED,
  SIGNED_OUT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
state_label (const char *state)
{
  if (g_strcmp0 (state, "open") == 0)
    return _("In progress");
  if (g_strcmp0 (state, "closed") == 0)
    return _("Closed");

  return _("Scheduled");
}

static GtkWidget *
create_row (JsonObject *meeting)
{
  const char *title = json_object_get_string_member_with_default (meeting, "title", "");
  const char *body = json_object_get_string_member_with_default (meeting, "body", "");
  const char *place = json_object_get_string_member_with_default (meeting, "place", "");
  const char *scheduled = json_object_get_string_member_with_default (meeting, "scheduled", "");
  const char *state = json_object_get_string_member_with_default (meeting, "state", "");
  g_autofree char *when = NULL;
  g_autofree char *subtitle = NULL;
  GtkWidget *row;
  GtkWidget *badge;
  gint64 time;

  if (gremium_time_parse (scheduled, &time))
    {
      g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (time / G_USEC_PER_SEC);

      /* Translators: date and time of a meeting, see the strftime manual */
      when = g_date_time_format (local, _("%d.%m.%Y, %H:%M"));
    }

  /* Translators: the council body, the place and the time of a meeting */
  subtitle = g_strdup_printf (_("%s · %s · %s"), body, place, when ? when : "");

  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);

  badge = gtk_label_new (state_label (state));
  gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (badge, "badge");
  if (g_strcmp0 (state, "open") == 0)
    gtk_widget_add_css_class (badge, "accent");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), badge);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));

  g_object_set_data_full (G_OBJECT (row), "meeting-id",
                          g_strdup (json_object_get_string_member_with_default (meeting, "id", "")),
                          g_free);
  g_object_set_data_full (G_OBJECT (row), "meeting-title", g_strdup (title), g_free);

  return row;
}

static int
compare_meetings (gconstpointer a,
                  gconstpointer b)
{
  JsonObject *ma = json_node_get_object (*(JsonNode **) a);
  JsonObject *mb = json_node_get_object (*(JsonNode **) b);
  const char *sa = json_object_get_string_member_with_default (ma, "state", "");
  const char *sb = json_object_get_string_member_with_default (mb, "state", "");
  int ra = g_str_equal (sa, "open") ? 0 : g_str_equal (sa, "scheduled") ? 1 : 2;
  int rb = g_str_equal (sb, "open") ? 0 : g_str_equal (sb, "scheduled") ? 1 : 2;

  if (ra != rb)
    return ra - rb;

  return g_strcmp0 (json_object_get_string_member_with_default (ma, "scheduled", ""),
                    json_object_get_string_member_with_default (mb, "scheduled", ""));
}

static void
listed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GremiumMeetingsPage) self = user_data;
  g_autoptr(JsonArray) meetings = NULL;
  g_autoptr(GPtrArray) sorted = NULL;
  g_autoptr(GError) error = NULL;

  meetings = gremium_session_list_meetings_finish (GREMIUM_SESSION (object), result, &error);
  if (meetings == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      g_free (self->error);
      self->error = gremium_describe_error (error);
      adw_status_page_set_title (self->empty_page, _("The Meetings Cannot Be Loaded"));
      adw_status_page_set_description (self->empty_page, self->error);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  gremium_clear_box (GTK_WIDGET (self->list));
  sorted = g_ptr_array_new ();
  for (guint i = 0; i < json_array_get_length (meetings); i++)
    if (JSON_NODE_HOLDS_OBJECT (json_array_get_element (meetings, i)))
      g_ptr_array_add (sorted, json_array_get_element (meetings, i));
  g_ptr_array_sort (sorted, compare_meetings);

  for (guint i = 0; i < sorted->len; i++)
    gtk_list_box_append (self->list, create_row (json_node_get_object (g_ptr_array_index (sorted, i))));

  self->n_meetings = sorted->len;
  adw_status_page_set_title (self->empty_page, _("No Meetings"));
  adw_status_page_set_description (self->empty_page,
                                   _("You are not on the list of participants of any meeting yet."));
  gtk_stack_set_visible_child_name (self->stack, sorted->len ? "list" : "empty");
}

static void
row_activated_cb (GremiumMeetingsPage *self,
                  GtkListBoxRow       *row)
{
  g_signal_emit (self, signals[MEETING_ACTIVATED], 0,
                 g_object_get_data (G_OBJECT (row), "meeting-id"),
                 g_object_get_data (G_OBJECT (row), "meeting-title"));
}

static void
reload_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  gremium_meetings_page_reload (GREMIUM_MEETINGS_PAGE (widget));
}

static void
sign_out_action_cb (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  g_signal_emit (widget, signals[SIGNED_OUT], 0);
}

static void
gremium_meetings_page_dispose (GObject *object)
{
  GremiumMeetingsPage *self = (GremiumMeetingsPage *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_pointer (&self->error, g_free);

  gtk_widget_dispose_template (GTK_WIDGET (self), GREMIUM_TYPE_MEETINGS_PAGE);

  G_OBJECT_CLASS (gremium_meetings_page_parent_class)->dispose (object);
}

static void
gremium_meetings_page_class_init (GremiumMeetingsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gremium_meetings_page_dispose;

  /**
   * GremiumMeetingsPage::meeting-activated:
   * @self: the page
   * @meeting_id: the chosen meeting
   * @title: its title
   */
  signals[MEETING_ACTIVATED] =
    g_signal_new ("meeting-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  /**
   * GremiumMeetingsPage::signed-out:
   * @self: the page
   */
  signals[SIGNED_OUT] =
    g_signal_new ("signed-out", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/gremium/Gremium/gremium-meetings-page.ui");
  gtk_widget_class_bind_template_child (widget_class, GremiumMeetingsPage, title);
  gtk_widget_class_bind_template_child (widget_class, GremiumMeetingsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, GremiumMeetingsPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, GremiumMeetingsPage, list);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);

  gtk_widget_class_install_action (widget_class, "meetings.reload", NULL, reload_action_cb);
  gtk_widget_class_install_action (widget_class, "meetings.sign-out", NULL, sign_out_action_cb);
}

static void
gremium_meetings_page_init (GremiumMeetingsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
gremium_meetings_page_set_session (GremiumMeetingsPage *self,
                                   GremiumSession      *session)
{
  g_return_if_fail (GREMIUM_IS_MEETINGS_PAGE (self));

  g_set_object (&self->session, session);
}

/**
 * gremium_meetings_page_reload:
 * @self: the page
 *
 * Asks the server for the member's meetings again.
 */
void
gremium_meetings_page_reload (GremiumMeetingsPage *self)
{
  GremiumClient *client;

  g_return_if_fail (GREMIUM_IS_MEETINGS_PAGE (self));

  if (self->session == NULL || (client = gremium_session_get_client (self->session)) == NULL)
    return;

  adw_window_title_set_subtitle (self->title, gremium_client_get_server_name (client)
                                                ? gremium_client_get_server_name (client) : "");

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_pointer (&self->error, g_free);

  if (self->n_meetings == 0)
    gtk_stack_set_visible_child_name (self->stack, "loading");
  gremium_session_list_meetings_async (self->session, self->cancellable, listed_cb,
                                       g_object_ref (self));
}

guint
gremium_meetings_page_get_n_meetings (GremiumMeetingsPage *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEETINGS_PAGE (self), 0);

  return self->n_meetings;
}

const char *
gremium_meetings_page_get_error (GremiumMeetingsPage *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEETINGS_PAGE (self), NULL);

  return self->error;
}

/**
 * gremium_meetings_page_activate_meeting:
 * @self: the page
 * @meeting_id: a listed meeting
 *
 * Activates the meeting's row, as a click or Enter on it would.
 *
 * Returns: %TRUE if the meeting is listed
 */
gboolean
gremium_meetings_page_activate_meeting (GremiumMeetingsPage *self,
                                        const char          *meeting_id)
{
  g_return_val_if_fail (GREMIUM_IS_MEETINGS_PAGE (self), FALSE);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list)); row;
       row = gtk_widget_get_next_sibling (row))
    {
      if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "meeting-id"), meeting_id) == 0)
        return gtk_widget_activate (row);
    }

  return FALSE;
}
