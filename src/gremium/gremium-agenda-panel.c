/* gremium-agenda-panel.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-agenda-panel"

#include "config.h"

#include "gremium-agenda-panel.h"
#include "gremium-ui-util.h"

#include <glib/gi18n.h>

/**
 * GremiumAgendaPanel:
 *
 * The agenda with the current item on top. Every item says whether it is
 * public or non-public (ThürKO § 40) and how many members are excluded
 * from it for a personal interest (§ 38).
 */
struct _GremiumAgendaPanel
{
  AdwBin          parent_instance;

  GtkWidget      *current_box;
  GtkLabel       *current_label;
  GtkLabel       *current_badge;
  GtkListBox     *list;

  GremiumMeeting *meeting;
  gulong          entry_handler;
};

G_DEFINE_FINAL_TYPE (GremiumAgendaPanel, gremium_agenda_panel, ADW_TYPE_BIN)

static void
set_badge (GtkLabel *badge,
           gboolean  is_public)
{
  gtk_label_set_label (badge, is_public ? _("Public") : _("Non-public"));
  if (is_public)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (badge), "warning");
      gtk_widget_add_css_class (GTK_WIDGET (badge), "success");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (badge), "success");
      gtk_widget_add_css_class (GTK_WIDGET (badge), "warning");
    }
}

static void
refresh (GremiumAgendaPanel *self)
{
  GremiumAgendaItem *current = gremium_meeting_get_current_item (self->meeting);
  GListModel *agenda = gremium_meeting_get_agenda (self->meeting);

  if (current != NULL)
    {
      g_autofree char *label = gremium_item_label (current);

      gtk_label_set_label (self->current_label, label);
      set_badge (self->current_badge, gremium_agenda_item_get_public (current));
      gtk_widget_set_visible (GTK_WIDGET (self->current_badge), TRUE);
    }
  else
    {
      gtk_label_set_label (self->current_label,
                           gremium_meeting_get_closed (self->meeting) ? _("The meeting is closed.")
                           : gremium_meeting_get_opened (self->meeting) ? _("No item has been called yet.")
                           : _("The meeting has not been opened yet."));
      gtk_widget_set_visible (GTK_WIDGET (self->current_badge), FALSE);
    }

  gremium_clear_box (GTK_WIDGET (self->list));
  for (guint i = 0; i < g_list_model_get_n_items (agenda); i++)
    {
      g_autoptr(GremiumAgendaItem) item = g_list_model_get_item (agenda, i);
      g_autofree char *number = g_strdup_printf ("%u", gremium_agenda_item_get_id (item));
      g_autoptr(GString) subtitle = g_string_new (NULL);
      guint n_conflicts = gremium_agenda_item_get_n_conflicts (item);
      gboolean is_current = item == current;
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *prefix = gtk_label_new (number);
      GtkWidget *badge = gtk_label_new (NULL);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), gremium_agenda_item_get_title (item));
      gtk_widget_add_css_class (prefix, "numeric");
      gtk_widget_add_css_class (prefix, "dim-label");
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), prefix);

      g_string_append (subtitle, gremium_agenda_item_get_public (item) ? _("Public") : _("Non-public"));
      if (n_conflicts > 0)
        {
          g_string_append (subtitle, " · ");
          /* Translators: members excluded from an agenda item for a personal interest (Befangenheit) */
          g_string_append_printf (subtitle, g_dngettext (GETTEXT_PACKAGE, "%u member excluded (§ 38)",
                                                         "%u members excluded (§ 38)", n_conflicts),
                                  n_conflicts);
        }
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);

      if (is_current)
        {
          gtk_label_set_label (GTK_LABEL (badge), _("Current"));
          gtk_widget_add_css_class (badge, "badge");
          gtk_widget_add_css_class (badge, "accent");
          gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), badge);
          gtk_widget_add_css_class (row, "current-row");
        }

      gtk_list_box_append (self->list, row);
    }
}

static void
gremium_agenda_panel_dispose (GObject *object)
{
  GremiumAgendaPanel *self = (GremiumAgendaPanel *) object;

  if (self->meeting != NULL)
    g_clear_signal_handler (&self->entry_handler, self->meeting);
  g_clear_object (&self->meeting);

  gtk_widget_dispose_template (GTK_WIDGET (self), GREMIUM_TYPE_AGENDA_PANEL);

  G_OBJECT_CLASS (gremium_agenda_panel_parent_class)->dispose (object);
}

static void
gremium_agenda_panel_class_init (GremiumAgendaPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gremium_agenda_panel_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/gremium/Gremium/gremium-agenda-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, GremiumAgendaPanel, current_box);
  gtk_widget_class_bind_template_child (widget_class, GremiumAgendaPanel, current_label);
  gtk_widget_class_bind_template_child (widget_class, GremiumAgendaPanel, current_badge);
  gtk_widget_class_bind_template_child (widget_class, GremiumAgendaPanel, list);
}

static void
gremium_agenda_panel_init (GremiumAgendaPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
gremium_agenda_panel_set_meeting (GremiumAgendaPanel *self,
                                  GremiumMeeting     *meeting)
{
  g_return_if_fail (GREMIUM_IS_AGENDA_PANEL (self));

  if (self->meeting != NULL)
    g_clear_signal_handler (&self->entry_handler, self->meeting);
  g_set_object (&self->meeting, meeting);

  if (meeting == NULL)
    {
      gremium_clear_box (GTK_WIDGET (self->list));
      return;
    }

  self->entry_handler = g_signal_connect_swapped (meeting, "entry-applied", G_CALLBACK (refresh), self);
  refresh (self);
}
