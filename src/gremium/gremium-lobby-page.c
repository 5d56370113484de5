/* gremium-lobby-page.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-lobby-page"

#include "config.h"

#include "gremium-lobby-page.h"

/**
 * GremiumLobbyPage:
 *
 * Shown while the member waits in the lobby (docs/record.md §5.3) until the
 * chair admits them; the window moves on by itself.
 */
struct _GremiumLobbyPage
{
  AdwBin          parent_instance;

  AdwWindowTitle *title;
};

G_DEFINE_FINAL_TYPE (GremiumLobbyPage, gremium_lobby_page, ADW_TYPE_BIN)

static void
gremium_lobby_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), GREMIUM_TYPE_LOBBY_PAGE);

  G_OBJECT_CLASS (gremium_lobby_page_parent_class)->dispose (object);
}

static void
gremium_lobby_page_class_init (GremiumLobbyPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gremium_lobby_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/gremium/Gremium/gremium-lobby-page.ui");
  gtk_widget_class_bind_template_child (widget_class, GremiumLobbyPage, title);
}

static void
gremium_lobby_page_init (GremiumLobbyPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
gremium_lobby_page_set_meeting_title (GremiumLobbyPage *self,
                                      const char       *title)
{
  g_return_if_fail (GREMIUM_IS_LOBBY_PAGE (self));

  adw_window_title_set_subtitle (self->title, title ? title : "");
}
