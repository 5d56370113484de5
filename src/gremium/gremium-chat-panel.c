/* gremium-chat-panel.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-chat-panel"

#include "config.h"

#include "gremium-chat-panel.h"
#include "gremium-ui-util.h"

#include <glib/gi18n.h>

/**
 * GremiumChatPanel:
 *
 * The meeting's chat. Messages are statements in the record (signed by
 * their authors), so what is shown here is what everyone's client verified.
 */
struct _GremiumChatPanel
{
  AdwBin             parent_instance;

  GtkScrolledWindow *scroller;
  GtkListBox        *list;
  GtkEntry          *entry;

  GremiumSession    *session;
  GremiumMeeting    *meeting;
  gulong             items_handler;
};

G_DEFINE_FINAL_TYPE (GremiumChatPanel, gremium_chat_panel, ADW_TYPE_BIN)

static GtkWidget *
create_message_row (GremiumChatPanel   *self,
                    GremiumChatMessage *message)
{
  const char *author = gremium_member_name (self->meeting, gremium_chat_message_get_author_id (message));
  g_autofree char *time = gremium_format_time_of_day (gremium_chat_message_get_time (message));
  g_autofree char *accessible = NULL;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *name = gtk_label_new (author);
  GtkWidget *when = gtk_label_new (time);
  GtkWidget *text = gtk_label_new (gremium_chat_message_get_text (message));
  GtkWidget *row = gtk_list_box_row_new ();

  gtk_widget_add_css_class (name, "heading");
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_widget_add_css_class (when, "dim-label");
  gtk_widget_add_css_class (when, "caption");
  gtk_box_append (GTK_BOX (header), name);
  gtk_box_append (GTK_BOX (header), when);

  gtk_label_set_wrap (GTK_LABEL (text), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (text), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (text), 0);
  gtk_label_set_selectable (GTK_LABEL (text), TRUE);

  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), text);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_focusable (row, FALSE);
  /* Translators: how a screen reader reads a chat message: author, time, text */
  accessible = g_strdup_printf (_("%s at %s: %s"), author, time, gremium_chat_message_get_text (message));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);

  return row;
}

static void
items_changed_cb (GremiumChatPanel *self,
                  guint             position,
                  guint             removed,
                  guint             added,
                  GListModel       *model)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  gboolean at_end = gtk_adjustment_get_value (adjustment) + gtk_adjustment_get_page_size (adjustment) >=
                    gtk_adjustment_get_upper (adjustment) - 20;

  /* Chat only grows; new messages go at the end. */
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(GremiumChatMessage) message = g_list_model_get_item (model, i);

      gtk_list_box_append (self->list, create_message_row (self, message));
    }

  if (at_end)
    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
}

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GremiumChatPanel) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!gremium_session_submit_finish (GREMIUM_SESSION (object), result, &error))
    {
      g_autofree char *text = gremium_describe_error (error);

      gtk_widget_activate_action (GTK_WIDGET (self), "notice.show", "s", text);
    }
}

static void
send_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  GremiumChatPanel *self = GREMIUM_CHAT_PANEL (widget);
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry))));

  if (text[0] == '\0')
    return;

  gremium_chat_panel_send (self, text);
  gtk_editable_set_text (GTK_EDITABLE (self->entry), "");
}

static void
entry_activate_cb (GremiumChatPanel *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "chat.send", NULL);
}

static void
gremium_chat_panel_dispose (GObject *object)
{
  GremiumChatPanel *self = (GremiumChatPanel *) object;

  if (self->meeting != NULL)
    g_clear_signal_handler (&self->items_handler, gremium_meeting_get_chat (self->meeting));
  g_clear_object (&self->meeting);
  g_clear_object (&self->session);

  gtk_widget_dispose_template (GTK_WIDGET (self), GREMIUM_TYPE_CHAT_PANEL);

  G_OBJECT_CLASS (gremium_chat_panel_parent_class)->dispose (object);
}

static void
gremium_chat_panel_class_init (GremiumChatPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gremium_chat_panel_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/gremium/Gremium/gremium-chat-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, GremiumChatPanel, scroller);
  gtk_widget_class_bind_template_child (widget_class, GremiumChatPanel, list);
  gtk_widget_class_bind_template_child (widget_class, GremiumChatPanel, entry);
  gtk_widget_class_bind_template_callback (widget_class, entry_activate_cb);

  gtk_widget_class_install_action (widget_class, "chat.send", NULL, send_action_cb);
}

static void
gremium_chat_panel_init (GremiumChatPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

static void
meeting_changed_cb (GremiumChatPanel *self)
{
  GremiumMeeting *meeting = gremium_session_get_meeting (self->session);
  GListModel *chat;

  if (self->meeting != NULL)
    g_clear_signal_handler (&self->items_handler, gremium_meeting_get_chat (self->meeting));
  g_set_object (&self->meeting, meeting);
  gremium_clear_box (GTK_WIDGET (self->list));

  if (meeting == NULL)
    return;

  chat = gremium_meeting_get_chat (meeting);
  self->items_handler = g_signal_connect_swapped (chat, "items-changed", G_CALLBACK (items_changed_cb), self);
  items_changed_cb (self, 0, 0, g_list_model_get_n_items (chat), chat);
}

void
gremium_chat_panel_set_session (GremiumChatPanel *self,
                                GremiumSession   *session)
{
  g_return_if_fail (GREMIUM_IS_CHAT_PANEL (self));
  g_return_if_fail (GREMIUM_IS_SESSION (session));

  g_set_object (&self->session, session);
  g_signal_connect_object (session, "notify::meeting", G_CALLBACK (meeting_changed_cb), self,
                           G_CONNECT_SWAPPED);
  meeting_changed_cb (self);
}

/**
 * gremium_chat_panel_send:
 * @self: a panel
 * @text: the message
 *
 * Sends a chat message (a `chat.message` statement).
 */
void
gremium_chat_panel_send (GremiumChatPanel *self,
                         const char       *text)
{
  g_autoptr(JsonObject) data = json_object_new ();

  g_return_if_fail (GREMIUM_IS_CHAT_PANEL (self));
  g_return_if_fail (text != NULL);

  json_object_set_string_member (data, "text", text);
  gremium_session_submit_async (self->session, GREMIUM_KIND_CHAT_MESSAGE, data, NULL, sent_cb,
                                g_object_ref (self));
}
