/* gremium-public-display.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-public-display"

#include "config.h"

#include "gremium-public-display.h"
#include "gremium-ui-util.h"
#include "gremium-video-grid.h"

#include <glib/gi18n.h>

/**
 * GremiumPublicDisplay:
 *
 * The screen for the public room (ThürKO § 40): in large type the council,
 * the current agenda item and who has the floor, with that speaker's
 * picture. During a non-public item, and before the meeting is opened or
 * after it is closed, it shows a neutral notice instead: no picture, no
 * name of a speaker and no sound reach the room.
 *
 * It follows the record, not the chair's window: the moment an item
 * becomes non-public in the record, the display blanks.
 */
struct _GremiumPublicDisplay
{
  AdwWindow               parent_instance;

  GtkStack               *stack;
  GtkLabel               *body_label;
  GtkLabel               *clock_label;
  GtkLabel               *item_label;
  GremiumVideoGrid       *grid;
  GtkLabel               *speaker_label;
  AdwStatusPage          *notice_page;

  GremiumSession         *session;
  GremiumMediaController *media;
  GremiumMeeting         *meeting;
  gulong                  entry_handler;
  guint                   clock_id;
  gboolean                blanked;
};

G_DEFINE_FINAL_TYPE (GremiumPublicDisplay, gremium_public_display, ADW_TYPE_WINDOW)

static gboolean
clock_cb (gpointer user_data)
{
  GremiumPublicDisplay *self = user_data;
  g_autofree char *time = gremium_format_time_of_day (g_get_real_time ());

  gtk_label_set_label (self->clock_label, time);
  return G_SOURCE_CONTINUE;
}

static void
blank (GremiumPublicDisplay *self,
       const char           *title,
       const char           *description)
{
  /* Take the participants' pictures off the screen, not just out of sight. */
  if (!self->blanked)
    gremium_video_grid_set_meeting (self->grid, NULL, self->media, NULL);

  self->blanked = TRUE;
  gremium_media_controller_set_muted_output (self->media, TRUE);
  adw_status_page_set_title (self->notice_page, title);
  adw_status_page_set_description (self->notice_page, description);
  gtk_stack_set_visible_child_name (self->stack, "notice");
}

static void
refresh (GremiumPublicDisplay *self)
{
  GremiumAgendaItem *item;
  const char *speaker;
  g_autofree char *item_text = NULL;
  g_autofree char *body = NULL;

  if (self->meeting == NULL)
    return;

  item = gremium_meeting_get_current_item (self->meeting);

  if (gremium_meeting_get_closed (self->meeting))
    {
      blank (self, _("The Meeting Has Ended"), gremium_meeting_get_title (self->meeting));
      return;
    }

  if (!gremium_meeting_get_opened (self->meeting))
    {
      blank (self, _("The Meeting Begins Shortly"), gremium_meeting_get_title (self->meeting));
      return;
    }

  if (item != NULL && !gremium_agenda_item_get_public (item))
    {
      blank (self, _("Non-Public Part of the Meeting"),
             _("The council is discussing an item that is not public (§ 40 ThürKO). Picture and "
               "sound return when the public part of the meeting continues."));
      return;
    }

  if (self->blanked)
    gremium_video_grid_set_meeting (self->grid, self->meeting, self->media, NULL);
  self->blanked = FALSE;
  gremium_media_controller_set_muted_output (self->media, FALSE);
  gtk_stack_set_visible_child_name (self->stack, "public");

  /* Translators: the council body and the meeting's title on the public display */
  body = g_strdup_printf (_("%s — %s"), gremium_meeting_get_body_name (self->meeting),
                          gremium_meeting_get_title (self->meeting));
  gtk_label_set_label (self->body_label, body);

  item_text = item ? gremium_item_label (item) : g_strdup (_("The meeting is open."));
  gtk_label_set_label (self->item_label, item_text);

  speaker = gremium_meeting_get_current_speaker (self->meeting);
  if (speaker != NULL)
    {
      /* Translators: who has the floor, on the public display */
      g_autofree char *text = g_strdup_printf (_("Speaking: %s"), gremium_member_name (self->meeting, speaker));

      gtk_label_set_label (self->speaker_label, text);
    }
  else
    {
      gtk_label_set_label (self->speaker_label, "");
    }
}

static void
meeting_changed_cb (GremiumPublicDisplay *self)
{
  GremiumMeeting *meeting = gremium_session_get_meeting (self->session);

  if (self->meeting != NULL)
    g_clear_signal_handler (&self->entry_handler, self->meeting);
  g_set_object (&self->meeting, meeting);

  if (meeting == NULL)
    {
      gtk_window_close (GTK_WINDOW (self));
      return;
    }

  self->blanked = TRUE;
  self->entry_handler = g_signal_connect_swapped (meeting, "entry-applied", G_CALLBACK (refresh), self);
  refresh (self);
}

static void
gremium_public_display_dispose (GObject *object)
{
  GremiumPublicDisplay *self = (GremiumPublicDisplay *) object;

  g_clear_handle_id (&self->clock_id, g_source_remove);
  if (self->meeting != NULL)
    g_clear_signal_handler (&self->entry_handler, self->meeting);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  if (self->media != NULL)
    gremium_media_controller_set_muted_output (self->media, FALSE);
  g_clear_object (&self->meeting);
  g_clear_object (&self->session);
  g_clear_object (&self->media);

  gtk_widget_dispose_template (GTK_WIDGET (self), GREMIUM_TYPE_PUBLIC_DISPLAY);

  G_OBJECT_CLASS (gremium_public_display_parent_class)->dispose (object);
}

static void
unfullscreen_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  gtk_window_unfullscreen (GTK_WINDOW (widget));
}

static void
gremium_public_display_class_init (GremiumPublicDisplayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gremium_public_display_dispose;

  g_type_ensure (GREMIUM_TYPE_VIDEO_GRID);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/gremium/Gremium/gremium-public-display.ui");
  gtk_widget_class_bind_template_child (widget_class, GremiumPublicDisplay, stack);
  gtk_widget_class_bind_template_child (widget_class, GremiumPublicDisplay, body_label);
  gtk_widget_class_bind_template_child (widget_class, GremiumPublicDisplay, clock_label);
  gtk_widget_class_bind_template_child (widget_class, GremiumPublicDisplay, item_label);
  gtk_widget_class_bind_template_child (widget_class, GremiumPublicDisplay, grid);
  gtk_widget_class_bind_template_child (widget_class, GremiumPublicDisplay, speaker_label);
  gtk_widget_class_bind_template_child (widget_class, GremiumPublicDisplay, notice_page);

  /* Escape leaves full screen; Ctrl+W closes. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.unfullscreen", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
  gtk_widget_class_install_action (widget_class, "window.unfullscreen", NULL, unfullscreen_cb);
}

static void
gremium_public_display_init (GremiumPublicDisplay *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gremium_video_grid_set_featured_only (self->grid, TRUE);
  self->clock_id = g_timeout_add_seconds (1, clock_cb, self);
  clock_cb (self);
}

GremiumPublicDisplay *
gremium_public_display_new (GremiumApplication     *application,
                            GremiumSession         *session,
                            GremiumMediaController *media)
{
  GremiumPublicDisplay *self;

  g_return_val_if_fail (GREMIUM_IS_SESSION (session), NULL);
  g_return_val_if_fail (GREMIUM_IS_MEDIA_CONTROLLER (media), NULL);

  self = g_object_new (GREMIUM_TYPE_PUBLIC_DISPLAY, "application", application, NULL);
  self->session = g_object_ref (session);
  self->media = g_object_ref (media);

  g_signal_connect_swapped (session, "notify::meeting", G_CALLBACK (meeting_changed_cb), self);
  meeting_changed_cb (self);

  return self;
}

/**
 * gremium_public_display_get_blanked:
 * @self: a display
 *
 * Returns: whether the display shows the neutral notice, without picture and sound
 */
gboolean
gremium_public_display_get_blanked (GremiumPublicDisplay *self)
{
  g_return_val_if_fail (GREMIUM_IS_PUBLIC_DISPLAY (self), FALSE);

  return self->blanked;
}

guint
gremium_public_display_get_n_tiles (GremiumPublicDisplay *self)
{
  g_return_val_if_fail (GREMIUM_IS_PUBLIC_DISPLAY (self), 0);

  return gremium_video_grid_get_n_tiles (self->grid);
}
