/* gremium-ui-util.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-ui"

#include "config.h"

#include "gremium-ui-util.h"
#include "gremium-identity-store.h"

#include <glib/gi18n.h>

#include <gremium-error.h>

/**
 * gremium_describe_error:
 * @error: an error from the core library, the server or the identity store
 *
 * Turns an error into a sentence a councillor can act on, in the user's
 * language. The server's own message is English and meant for logs, so the
 * client words every code itself (docs/protocol.md §6).
 *
 * Returns: (transfer full): the message
 */
char *
gremium_describe_error (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain == GREMIUM_IDENTITY_STORE_ERROR)
    return g_strdup (error->message);

  if (error->domain == G_IO_ERROR && error->code == G_IO_ERROR_CANCELLED)
    return g_strdup (_("The action was cancelled."));

  /* The session words its own checks of what was typed. */
  if (error->domain == G_IO_ERROR &&
      (error->code == G_IO_ERROR_INVALID_ARGUMENT || error->code == G_IO_ERROR_NOT_FOUND))
    return g_strdup (error->message);

  if (error->domain != GREMIUM_ERROR)
    /* Translators: %s is a technical message in English */
    return g_strdup_printf (_("Something went wrong: %s"), error->message);

  switch ((GremiumError) error->code)
    {
    case GREMIUM_ERROR_CONNECTION_LOST:
      return g_strdup (_("The server cannot be reached. Check the server address and your "
                         "network connection, then try again."));
    case GREMIUM_ERROR_SERVER_KEY_CHANGED:
      return g_strdup (_("The server presented a different key than on your first visit. "
                         "Do not sign in: ask the council’s administration whether the server "
                         "was replaced."));
    case GREMIUM_ERROR_ENROLMENT_CODE:
      return g_strdup (_("The enrolment code is not valid: it is unknown, already used or "
                         "expired, or it belongs to another member. Ask the administration for "
                         "a new code."));
    case GREMIUM_ERROR_UNKNOWN_MEMBER:
    case GREMIUM_ERROR_UNKNOWN_KEY:
      return g_strdup (_("This device is not enrolled for this member. Enter the enrolment "
                         "code you received from the administration."));
    case GREMIUM_ERROR_PERMISSION_DENIED:
      return g_strdup (_("You are not allowed to do this."));
    case GREMIUM_ERROR_NOT_PARTICIPANT:
      return g_strdup (_("You are not present in this meeting."));
    case GREMIUM_ERROR_UNKNOWN_MEETING:
      return g_strdup (_("This meeting does not exist, or you are not on its list of "
                         "participants."));
    case GREMIUM_ERROR_INVALID_STATE:
      return g_strdup (_("This is not possible at this point of the meeting."));
    case GREMIUM_ERROR_RATE_LIMITED:
      return g_strdup (_("Too many actions in a short time. Please wait a moment and try "
                         "again."));
    case GREMIUM_ERROR_TOO_MANY_CONNECTIONS:
      return g_strdup (_("You are connected from too many devices. Close Gremium on another "
                         "device and try again."));
    case GREMIUM_ERROR_STALE:
    case GREMIUM_ERROR_CHALLENGE_EXPIRED:
      return g_strdup (_("Your computer’s clock differs from the server’s by more than five "
                         "minutes. Correct the clock and try again."));
    case GREMIUM_ERROR_LOG_INCONSISTENT:
      return g_strdup (_("The meeting record failed verification. Do not trust what the "
                         "server shows; tell the chair and the administration."));
    case GREMIUM_ERROR_BAD_PROOF:
      return g_strdup (_("The server refused the ballot because its proof did not verify. "
                         "Nothing was recorded; cast your vote again."));
    case GREMIUM_ERROR_BAD_SIGNATURE:
      return g_strdup (_("The server refused the signature of this device."));
    case GREMIUM_ERROR_STORAGE:
      return g_strdup (_("The server could not store the statement. Nothing was recorded; "
                         "try again."));
    case GREMIUM_ERROR_INVALID_FIELD:
      if (g_str_has_prefix (error->message, "“"))
        return g_strdup (_("This is not a server address. It looks like "
                           "wss://rat.example.org/gremium/v1."));
      /* Translators: %s is a technical message in English */
      return g_strdup_printf (_("The server refused the request: %s"), error->message);
    case GREMIUM_ERROR_TALLY_UNDECRYPTABLE:
      return g_strdup (_("The result cannot be decrypted because a teller’s share is "
                         "missing. The chair has to repeat the vote."));
    case GREMIUM_ERROR_REPLAYED:
    case GREMIUM_ERROR_MALFORMED:
    case GREMIUM_ERROR_TOO_LARGE:
    case GREMIUM_ERROR_UNKNOWN_TYPE:
    case GREMIUM_ERROR_UNSUPPORTED_VERSION:
    case GREMIUM_ERROR_WRONG_MEETING:
    case GREMIUM_ERROR_NOT_AUTHENTICATED:
    case GREMIUM_ERROR_FAILED:
    default:
      /* Translators: %s is a technical message in English */
      return g_strdup_printf (_("The server refused the request: %s"), error->message);
    }
}

/**
 * gremium_initials:
 * @name: a person's name
 *
 * Returns: (transfer full): up to two initials, skipping titles like "Dr."
 */
char *
gremium_initials (const char *name)
{
  g_auto(GStrv) words = NULL;
  GString *out = g_string_new (NULL);
  guint n = 0;

  g_return_val_if_fail (name != NULL, NULL);

  words = g_strsplit (name, " ", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      const char *word = words[i];

      if (word[0] == '\0' || g_str_has_suffix (word, "."))
        continue;
      if (n == 2)
        g_string_truncate (out, g_utf8_offset_to_pointer (out->str, 1) - out->str);
      g_string_append_unichar (out, g_unichar_toupper (g_utf8_get_char (word)));
      n = MIN (n + 1, 2);
    }

  return g_string_free (out, FALSE);
}

const char *
gremium_role_label (GremiumRole role)
{
  switch (role)
    {
    case GREMIUM_ROLE_CHAIR:
      return _("Chair");
    case GREMIUM_ROLE_DEPUTY:
      return _("Deputy chair");
    case GREMIUM_ROLE_MEMBER:
      return _("Member");
    case GREMIUM_ROLE_MINUTE_TAKER:
      return _("Minute-taker");
    case GREMIUM_ROLE_STAFF:
      return _("Administration");
    case GREMIUM_ROLE_GUEST:
      return _("Guest");
    default:
      g_return_val_if_reached ("");
    }
}

const char *
gremium_vote_type_label (GremiumVoteType type)
{
  switch (type)
    {
    case GREMIUM_VOTE_TYPE_OPEN:
      return _("Open vote");
    case GREMIUM_VOTE_TYPE_NAMED:
      return _("Roll-call vote");
    case GREMIUM_VOTE_TYPE_SECRET:
      return _("Secret vote");
    case GREMIUM_VOTE_TYPE_ELECTION:
      return _("Secret election");
    default:
      g_return_val_if_reached ("");
    }
}

const char *
gremium_vote_state_label (GremiumVoteState state)
{
  switch (state)
    {
    case GREMIUM_VOTE_STATE_COLLECTING_KEYS:
      return _("Waiting for the tellers’ keys");
    case GREMIUM_VOTE_STATE_OPEN:
      return _("Voting is open");
    case GREMIUM_VOTE_STATE_CLOSED:
      return _("Closed, counting");
    case GREMIUM_VOTE_STATE_AWAITING_LOT:
      return _("Tie, waiting for the lot");
    case GREMIUM_VOTE_STATE_DECIDED:
      return _("Decided, not yet published");
    case GREMIUM_VOTE_STATE_PUBLISHED:
      return _("Published");
    case GREMIUM_VOTE_STATE_CANCELLED:
      return _("Cancelled");
    default:
      g_return_val_if_reached ("");
    }
}

const char *
gremium_majority_label (GremiumMajority majority)
{
  switch (majority)
    {
    case GREMIUM_MAJORITY_SIMPLE:
      return _("Simple majority");
    case GREMIUM_MAJORITY_ABSOLUTE:
      return _("Majority of the members");
    case GREMIUM_MAJORITY_TWO_THIRDS:
      return _("Two-thirds majority");
    case GREMIUM_MAJORITY_ELECTION:
      return _("Election rule");
    default:
      g_return_val_if_reached ("");
    }
}

/**
 * gremium_format_seconds:
 * @seconds: a duration
 *
 * Returns: (transfer full): the duration as minutes and seconds, "4:05"
 */
char *
gremium_format_seconds (gint64 seconds)
{
  gboolean negative = seconds < 0;

  seconds = ABS (seconds);
  return g_strdup_printf ("%s%" G_GINT64_FORMAT ":%02d", negative ? "−" : "",
                          seconds / 60, (int) (seconds % 60));
}

char *
gremium_format_time_of_day (gint64 unix_usec)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (unix_usec / G_USEC_PER_SEC);

  return g_date_time_format (time, "%H:%M");
}

/**
 * gremium_ui_language:
 *
 * Returns: "de" when the user interface is German, otherwise "en": the two
 *   languages in which the record words a vote's result (docs/voting.md §7)
 */
const char *
gremium_ui_language (void)
{
  /* Follow what gettext translates into, so the result reads in the same
   * language as the rest of the window.
   */
  const char *translated = g_dgettext (GETTEXT_PACKAGE, "Member");

  if (g_strcmp0 (translated, "Mitglied") == 0)
    return "de";

  return "en";
}

/**
 * gremium_member_name:
 * @meeting: a meeting
 * @member_id: (nullable): a member id
 *
 * Returns: (transfer none): the member's name, or the id if unknown
 */
const char *
gremium_member_name (GremiumMeeting *meeting,
                     const char     *member_id)
{
  GremiumMember *member;

  if (member_id == NULL)
    return "";

  member = meeting ? gremium_meeting_lookup_member (meeting, member_id) : NULL;
  return member ? gremium_member_get_name (member) : member_id;
}

char *
gremium_item_label (GremiumAgendaItem *item)
{
  /* Translators: an agenda item ("Tagesordnungspunkt"), its number and title */
  return g_strdup_printf (_("Item %u: %s"), gremium_agenda_item_get_id (item),
                          gremium_agenda_item_get_title (item));
}

/* What @widget drew in its last frame, or %NULL while it waits to be drawn
 * again (a widget that changes, such as a video tile, drops its last
 * drawing until the next frame).
 */
static GskRenderNode *
capture_node (GtkWidget *widget,
              int        width,
              int        height)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);

  return gtk_snapshot_free_to_node (snapshot);
}

typedef struct
{
  GtkWidget     *widget;
  int            width;
  int            height;
  GskRenderNode *node;
} Capture;

/* Right after a frame was painted every drawing of the window is fresh. */
static void
after_paint_cb (GdkFrameClock *clock,
                Capture       *capture)
{
  if (capture->node == NULL)
    capture->node = capture_node (capture->widget, capture->width, capture->height);
}

/**
 * gremium_widget_save_png:
 * @widget: a realized, mapped widget
 * @path: where to write the PNG
 * @error: return location for an error
 *
 * Renders @widget as it is shown now into a PNG file, with the renderer of
 * its window. Used for the screenshots of the demo and the ui tests. A
 * widget that is being redrawn (moving video) is taken right after its
 * next frame.
 *
 * Returns: %TRUE on success
 */
gboolean
gremium_widget_save_png (GtkWidget   *widget,
                         const char  *path,
                         GError     **error)
{
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  Capture capture = { widget, 0, 0, NULL };
  GtkNative *native;
  GskRenderer *renderer;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  native = gtk_widget_get_native (widget);
  capture.width = gtk_widget_get_width (widget);
  capture.height = gtk_widget_get_height (widget);
  if (native == NULL || capture.width <= 0 || capture.height <= 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "The widget is not shown");
      return FALSE;
    }

  capture.node = capture_node (widget, capture.width, capture.height);
  if (capture.node == NULL && gtk_widget_get_frame_clock (widget) != NULL)
    {
      GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
      gint64 deadline = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;
      gulong handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb),
                                         &capture);

      gtk_widget_queue_draw (widget);
      while (capture.node == NULL && g_get_monotonic_time () < deadline)
        g_main_context_iteration (NULL, TRUE);
      g_signal_handler_disconnect (clock, handler);
    }
  if (capture.node == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "The widget drew nothing");
      return FALSE;
    }

  /* A window draws its own background through CSS; a plain widget would be
   * transparent, so give it the window's background colour.
   */
  if (GTK_IS_WINDOW (widget))
    node = g_steal_pointer (&capture.node);
  else
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();
      GdkRGBA white = { 1, 1, 1, 1 };

      gtk_snapshot_append_color (snapshot, &white,
                                 &GRAPHENE_RECT_INIT (0, 0, capture.width, capture.height));
      gtk_snapshot_append_node (snapshot, capture.node);
      g_clear_pointer (&capture.node, gsk_render_node_unref);
      node = gtk_snapshot_free_to_node (snapshot);
    }

  renderer = gtk_native_get_renderer (native);
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, capture.width, capture.height));
  if (!gdk_texture_save_to_png (texture, path))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot write %s", path);
      return FALSE;
    }

  return TRUE;
}

/**
 * gremium_clear_box:
 * @box: a #GtkBox or #GtkListBox
 *
 * Removes every child.
 */
void
gremium_clear_box (GtkWidget *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (box)) != NULL)
    {
      if (GTK_IS_LIST_BOX (box))
        gtk_list_box_remove (GTK_LIST_BOX (box), child);
      else
        gtk_box_remove (GTK_BOX (box), child);
    }
}
